"""One money form and one people form in every output (issue 26).

The audit read "$527.5k" in a sensitivity's table beside "$528k" on its chart,
"$641.0M" on a comparison's tiles beside "$478M" in its titles, "$4.70B" in the
printout's bridge under "$4.7B" in its table, and "6,182 redeployed" beside
"364,000" at the end. Every figure is written by sim.runs.numbers; these tests scan
what a run and a comparison show (the printout, report.html, the deck's text, tables
and notes, and every chart's text) and hold each money figure and each count of
people to the one form, checked here by its own rule rather than by calling the
formatter:

- money: at most three significant figures, no trailing zero after the point, a
  mantissa from 1 to under 1,000 before a k/M/B/T, no thousands separator;
- people: whole, with no k/M suffix and no decimals.
"""

from __future__ import annotations

import html as markup
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL
from matplotlib.text import Text
from pptx import Presentation

from sim.cli import main
from sim.report.board import comparison_board
from sim.report.charts import figures
from sim.report.charts.compare import Compared, comparison_figures
from sim.report.charts.style import chart_style
from sim.report.studies import compare_runs
from sim.runs.numbers import annual_rate, money

RUN = ("-n", "5", "--workers", "1", "--quiet")
#: a money figure as any output could write it: a symbol, digits, a point, a scale
MONEY = re.compile(r"-?[$€£¥](\d[\d,]*(?:\.\d+)?)([kMBT]?)(?![\d.,]*\d)")
#: a count of people or seats followed by what it counts
PEOPLE = re.compile(
    r"(\d[\d,]*(?:\.\d+)?[kM]?) (?:people|staff|ICs|managers|roles|hires|leavers|AI seats|"
    r"seats|redeployed|reskilled|external hires)\b(?! (?:per|a head))"  # not a ratio
)


def money_problem(token: str, digits: str, scale: str) -> str | None:
    """Why a money figure is not the one form, or None."""
    if "," in digits:
        return "a thousands separator (the scale is a suffix)"
    whole, _, decimals = digits.partition(".")
    if decimals.endswith("0"):
        return "a trailing zero"
    significant = (whole + decimals).lstrip("0")
    if len(significant) > 3:
        return "more than three significant figures"
    if scale and not 1 <= float(digits) < 1000:
        return "a mantissa outside 1 to 1,000"
    if not scale and float(digits) >= 1000:
        return "no scale above a thousand"
    return None


def mixed_forms(text: str) -> list[str]:
    """Every money figure and count of people in ``text`` not in the one form."""
    found = []
    for match in MONEY.finditer(text):
        problem = money_problem(match.group(0), match.group(1), match.group(2))
        if problem:
            found.append(f"{match.group(0)}: {problem}")
    for match in PEOPLE.finditer(text):
        count = match.group(1)
        if "." in count or count[-1] in "kM":
            found.append(f"{match.group(0)}: people are written whole")
    return found


def test_the_scan_finds_each_form_the_audit_found() -> None:
    """The rule catches what the audit read, and passes the one form."""
    for wrong in ("$527.5k", "$641.0M", "$4.70B", "-$0.25B", "$7,000", "$1234"):
        assert mixed_forms(f"NPV {wrong} a year"), wrong
    for wrong in ("309.7k AI seats", "6,182.4 redeployed", "12.5 people"):
        assert mixed_forms(wrong), wrong
    for right in ("$528k", "$641M", "$4.7B", "-$250M", "$7k", "$58B", "$0", "$1.25B"):
        assert mixed_forms(f"NPV {right}.") == [], right
    assert mixed_forms("6,180 redeployed and 350,000 people; 6.1 ICs per manager") == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (527.5e3, "$528k"),
        (641.04e6, "$641M"),
        (4.70e9, "$4.7B"),
        (210.0e6, "$210M"),
        (99.96e6, "$100M"),
        (999.96e6, "$1B"),
        (-17.4e3, "-$17.4k"),
        (2.0e9, "$2B"),
        (12.0, "$12"),
        (-0.3, "$0"),  # the goal seek's tile read '-$0'
        (-0.04e3, "-$40"),
    ],
)
def test_money_is_three_figures_at_most_with_no_trailing_zero(value: float, shown: str) -> None:
    assert money(value) == shown


@pytest.mark.parametrize(("rate", "shown"), [(0.08, "8%"), (0.075, "7.5%"), (0.1, "10%")])
def test_a_rate_a_year_is_one_form(rate: float, shown: str) -> None:
    """The method said 'at 8.0% a year', the tiles 'at 8%', and a 7.5% rate read '8%'
    in the payback chart's subtitle."""
    assert annual_rate(rate) == shown


def _deck_text(path: Path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def _report_text(folder: Path) -> str:
    page = (folder / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<svg.*?</svg>|<style.*?</style>", " ", page, flags=re.S)
    return markup.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u00a0", " ")


def _figure_texts(drawn: dict) -> str:
    return "\n".join(text.get_text() for figure in drawn.values() for text in figure.findobj(Text))


def test_a_runs_outputs_write_money_and_people_in_one_form(packed: tuple[Path, str]) -> None:
    folder, printed = packed
    with chart_style():
        charts = _figure_texts(figures(folder))
    shown = {
        "printout": printed,
        "report.html": _report_text(folder),
        "deck.pptx": _deck_text(folder / "deck.pptx"),
        "charts": charts,
    }
    for name, text in shown.items():
        assert MONEY.search(text), name  # the scan reads figures there
        assert mixed_forms(text) == [], name


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory, packed: tuple[Path, str]) -> Path:
    out = tmp_path_factory.mktemp("forms-compared")
    text = SMALL.read_text(encoding="utf-8")
    variant = out / "small-lower-ceiling.yaml"
    variant.write_text(
        text.replace("name: small-delayering", "name: small-lower-ceiling").replace(
            "ceiling: 0.7", "ceiling: 0.3"
        ),
        encoding="utf-8",
    )
    other = out / "variant"
    result = CliRunner().invoke(main, ["run", str(variant), "-o", str(other), "--no-charts", *RUN])
    assert result.exit_code == 0, result.output
    target = out / "comparison"
    result = CliRunner().invoke(
        main, ["compare", str(packed[0]), str(other), "-o", str(target), "--no-charts"]
    )
    assert result.exit_code == 0, result.output
    printed = result.output
    result = CliRunner().invoke(main, ["report", str(target)])
    assert result.exit_code == 0, result.output
    (target / "printed.txt").write_text(printed, encoding="utf-8")
    return target


def test_a_comparisons_outputs_write_money_and_people_in_one_form(
    compared: Path, packed: tuple[Path, str]
) -> None:
    comparison = compare_runs([packed[0], compared.parent / "variant"])
    with chart_style():
        charts = _figure_texts(comparison_figures(Compared.of(comparison)))
    board = comparison_board(comparison)
    tiles = "\n".join(f"{a.heading}\n{a.figure}\n{a.detail}" for a in board.answers)
    shown = {
        "printout": (compared / "printed.txt").read_text(encoding="utf-8"),
        "report.html": _report_text(compared),
        "deck.pptx": _deck_text(compared / "deck.pptx"),
        "charts": charts,
        "tiles": tiles,
    }
    for name, text in shown.items():
        assert MONEY.search(text), name
        assert mixed_forms(text) == [], name


@pytest.mark.parametrize(
    ("values", "step", "scale"),
    [
        ((-1.7e9, 3.7e9, 4.3e9, 3.5e9), 1e9, ',,,"B"'),  # the fiscal years: $0, $1B, ...
        ((-2e9, 12e9), 2e9, ',,,"B"'),  # the payback curve: $0, $2B, ... (not $12.0B)
        ((0.0, 2.4e9), 5e8, ',,"M"'),  # half-billion ticks read $500M, $1,000M
        ((0.0, 470e6), 1e8, ',,"M"'),
    ],
)
def test_a_native_charts_money_ticks_are_whole_in_their_scale(
    values: tuple[float, ...], step: float, scale: str
) -> None:
    """The deck's native charts wrote '$12.0B' and '$5.0B' on their axes beside every
    other chart's '$12B': the ticks are set a whole number of the format's unit apart."""
    from sim.report.board import NativeChart
    from sim.report.deck.native import _money_format, money_step

    chart = NativeChart("column", (), (("Net", values, "#000000"),), True, "USD a year")
    assert money_step(chart) == pytest.approx(step)
    shown = _money_format(chart)
    assert f'"$"#,##0{scale}' in shown and "0.0" not in shown
