"""The board pack of a study folder: ``restructure report DIR`` on a sensitivity, a
sweep, a goal seek and the drivers writes report.html and deck.pptx, with the
study's charts and its table in human labels, and no field path shown to a reader.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL, deck_pages, render_html
from decklayout import layout_problems
from pptx import Presentation

from sim.cli import main
from sim.report.text import money, quantity
from sim.scenario.labels import Unit

FAST = ("-n", "3", "--workers", "1", "-q", "--no-charts")
COSTS = "restructuring.waves[0].one_time_costs"
#: the deck's headline table's slide: after the title and the executive summary
TABLE = 2
#: the field paths these studies name: none of them may reach a reader
PATHS = (COSTS, "org.attrition_annual", "restructuring.survivor_effects.productivity_dip")
STUDIES = {
    "sensitivity": (["sensitivity", "--vary", f"{COSTS}=-50%:+50%"], 2),
    "sweep": (["sweep", "--set", f"{COSTS}=0:20e6:3"], 1),
    "solve": (["solve", "--vary", f"{COSTS}=0:20e6", "--target", "npv.p50=0"], 1),
    "drivers": (["drivers"], 1),
}


def _invoke(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


@pytest.fixture(scope="module", params=list(STUDIES))
def packed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    kind = request.param
    command, charts = STUDIES[kind]
    out = tmp_path_factory.mktemp(kind) / kind
    _invoke(command[0], SMALL, *command[1:], "-o", out, *FAST)
    printed = _invoke("report", out)
    return kind, out, charts, printed


def _deck_texts(path: Path) -> list[list[str]]:
    """Each slide's text: its text boxes and table cells."""
    slides = []
    for slide in Presentation(str(path)).slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append(texts)
    return slides


def test_a_study_folder_gets_a_report_and_a_deck_with_its_charts(packed) -> None:
    _kind, out, charts, printed = packed
    assert f"wrote {out / 'report.html'} and {out / 'deck.pptx'}" in printed
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert html.count("<figure") == charts
    slides = _deck_texts(out / "deck.pptx")
    assert len(slides) == 3 + charts + 2  # title, summary, table; a chart a slide; closing


def test_a_study_deck_has_nothing_overprinted_cut_off_or_too_small(packed) -> None:
    _kind, out, _charts, _printed = packed
    assert layout_problems(out / "deck.pptx") == []


def test_a_study_pack_shows_labels_never_field_paths(packed) -> None:
    kind, out, _charts, _printed = packed
    html = (out / "report.html").read_text(encoding="utf-8")
    visible = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    deck = " ".join(t for slide in _deck_texts(out / "deck.pptx") for t in slide)
    for path in PATHS:
        assert path not in visible and path not in deck, (kind, path)
    name = "Delayering: One-time costs" if kind != "drivers" else "Attrition (% a year)"
    assert name in visible and name in deck


def test_the_deck_table_is_the_reports_table(packed) -> None:
    _kind, out, _charts, _printed = packed
    table = _deck_texts(out / "deck.pptx")[TABLE]
    assert len(table) > 3
    html = (out / "report.html").read_text(encoding="utf-8")
    shown = html.replace("\u00a0", " ")  # a figure's range is kept together by no-break spaces
    for cell in table[1:]:  # the title first, then the source, subtitle and the cells
        assert cell.replace("&", "&amp;").replace("'", "&#39;") in shown, cell


def test_the_sensitivity_pack_titles_its_table_with_the_tornados_takeaway(packed) -> None:
    kind, out, _charts, _printed = packed
    if kind != "sensitivity":
        pytest.skip("the sensitivity pack only")
    data = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    top = data["inputs"][0]["input"]
    table_title = _deck_texts(out / "deck.pptx")[TABLE][0]
    assert table_title.startswith(top.split(" (")[0]) and "moves mean NPV most" in table_title


def test_a_study_pack_opens_with_its_answer(packed) -> None:
    """Issue 26: a study's summary was its charts' titles alone. A sensitivity opens
    with what moves NPV most and the base it moves from, a sweep with the best and
    worst values of its input, each tile naming its statistic."""
    kind, out, _charts, _printed = packed
    summary = _deck_texts(out / "deck.pptx")[1]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<section id="answer">' in html
    if kind == "sensitivity":
        data = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
        top = data["inputs"][0]["input"].split(" (")[0]
        tile = next(t for t in summary if t.startswith("What moves NPV most (mean)"))
        assert top in tile and "swing" in tile
        assert any(t.startswith("The base case (mean)\nNPV ") for t in summary)
    elif kind == "sweep":
        assert any(t.startswith("Best for NPV (median)\n") for t in summary)
        assert any(t.startswith("Worst for NPV (median)\n") for t in summary)
    elif kind == "solve":  # the solve, drivers and optimize packs had no answer at all
        data = json.loads((out / "solve.json").read_text(encoding="utf-8"))
        answer = quantity(data["answer"], Unit.of(data["unit"]))
        tile = next(t for t in summary if t.startswith("What meets the target (median)\n"))
        assert f"\n{answer}\nDelayering: One-time costs of {answer} gives P50 NPV = $0; " in tile
        near = next(t for t in summary if t.startswith("At the nearest value run (median)"))
        assert f"\n{money(data['statistic_at_nearest_value_tried'])}\n" in near
    else:
        data = json.loads((out / "drivers.json").read_text(encoding="utf-8"))
        top = data["drivers"][0]["input"]
        tile = next(t for t in summary if t.startswith("What sets the worst 10% apart"))
        assert f"(medians)\n{top}\n" in tile
        assert "sd higher there: " in tile or "sd lower there: " in tile
        worst = next(t for t in summary if t.startswith("The worst 10% of outcomes"))
        assert f"NPV at or below {money(data['threshold'])}" in worst
    assert '<section id="answer">' in html


def test_report_on_a_folder_with_no_run_or_study_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.slow
def test_a_study_pack_renders_in_chromium_and_opens_in_libreoffice(packed, tmp_path: Path) -> None:
    """As a reader opens it: the report renders (not blank) and prints; the deck opens
    in Impress with a page a slide."""
    _kind, out, charts, _printed = packed
    render_html(out / "report.html", tmp_path, height=2400)
    assert deck_pages(out / "deck.pptx", tmp_path) == 5 + charts


def test_the_goal_seeks_method_names_the_range_searched(packed) -> None:
    """It named the final bracket as the range searched: "searched between $8M and $8M"."""
    kind, out, _charts, _printed = packed
    if kind != "solve":
        pytest.skip("the goal seek's method")
    from sim.report.studyboard import study_board

    assert "searched between $0 and $20M by halving" in study_board(out).method


def test_a_drivers_title_says_when_no_shift_is_beyond_chance() -> None:
    """The title said "Assistant: IC productivity uplift drives the worst 10% of NPV: 0.7
    sd lower there" where the tail held two replications, whose medians chance alone
    moves by 1.8 sd: the title is true of the data only beyond that."""
    from sim.report.charts.drivers import _titles, chance_shift
    from sim.studies.drivers import Driver, Drivers

    def drivers(shift: float, tail: int) -> Drivers:
        uplift = Driver(
            "ai.programs[0].effects.ic_productivity_uplift",
            "Assistant: IC productivity uplift",
            Unit.of("share"),
            0.187,
            0.136,
            0.187,
            0.136,
            shift,
            0.10,
            0.92,
        )
        return Drivers("npv", 0.1, 10 * tail, tail, 6.4e6, (uplift,))

    assert chance_shift(2) == pytest.approx(1.77, abs=0.01)
    assert _titles(drivers(-0.7, 2))[0] == (
        "No input stands out in the worst 10% of NPV: Assistant: IC productivity uplift "
        "shifts most, 0.7 sd lower there, within what chance gives a tail of 2"
    )
    assert _titles(drivers(-0.7, 100))[0] == (
        "Assistant: IC productivity uplift drives the worst 10% of NPV: 0.7 sd lower there"
    )
