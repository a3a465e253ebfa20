"""One statistic per name (issue 26): every headline figure the board pack shows, in
the printout, the charts, the report, the deck, the workbook and the comparison, is
the field of summary.json its label names (the mean cash flow's, the replications'
mean, or a percentile), never another statistic under the same words.

The audit found the work-done chart titled with the median ("Median: same work
done") beside an answer tile that gave the mean (+0.5%) and said nothing of it, and a
comparison that called one run 348,000 in its title (the mean) and 348.1k in its label
(the P50). The run has five replications, so its means and medians differ.
"""

from __future__ import annotations

import html as markup
import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SMALL
from pptx import Presentation

from sim.cli import main
from sim.report.answers import MEAN, MEAN_CASH_FLOW
from sim.report.board import comparison_board, run_board
from sim.report.runfolder import load_run
from sim.report.studies import compare_runs
from sim.report.summaryfile import read_summary
from sim.report.text import (
    CFO_ROWS,
    figure,
    headline_table,
    money,
    month_and_date,
    percent,
    significant,
)
from sim.runs import headlines
from sim.runs.summary import RunSummary

RUN = ("-n", "5", "--workers", "1", "--quiet")
#: the words by which a title or its subtitle names the statistic it states
STATISTIC_WORDS = ("median", "p50", "mean", "p10", "replications")


def _run(scenario: Path, target: Path, *extra: str) -> Path:
    result = CliRunner().invoke(
        main, ["run", str(scenario), "-o", str(target), "--no-charts", *RUN, *extra]
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def compared(
    tmp_path_factory: pytest.TempPathFactory, packed: tuple[Path, str]
) -> tuple[Path, list[Path]]:
    """The run compared with a variant (more ICs, a lower AI ceiling; the same seed and
    count)."""
    out = tmp_path_factory.mktemp("compared")
    text = SMALL.read_text(encoding="utf-8")
    variant = out / "small-lower-ceiling.yaml"
    variant.write_text(
        text.replace("name: small-delayering", "name: small-lower-ceiling")
        .replace("ceiling: 0.7", "ceiling: 0.3")
        .replace("headcount: 840,", "headcount: 900,"),
        encoding="utf-8",
    )
    other = _run(variant, out / "variant")
    target = out / "comparison"
    result = CliRunner().invoke(
        main, ["compare", str(packed[0]), str(other), "-o", str(target), "--no-charts"]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", str(target)])
    assert result.exit_code == 0, result.output
    return target, [packed[0], other]


def _summary(folder: Path) -> RunSummary:
    return read_summary(json.loads((folder / "summary.json").read_text(encoding="utf-8")))


def _texts(path: Path) -> str:
    deck = Presentation(str(path))
    return "\n".join(
        shape.text_frame.text for s in deck.slides for shape in s.shapes if shape.has_text_frame
    )


def _html(folder: Path) -> str:
    return markup.unescape((folder / "report.html").read_text(encoding="utf-8"))


def _band(summary: RunSummary, headline: headlines.Headline):
    band = summary.band(headline)
    assert band is not None, headline.name
    return band


def test_the_run_has_means_that_differ_from_its_medians(packed: tuple[Path, str]) -> None:
    """Else the tests below could not tell one statistic from the other."""
    summary = _summary(packed[0])
    for headline in (headlines.HEADCOUNT_END, headlines.NPV, headlines.HEADCOUNT_CHANGE):
        band = _band(summary, headline)
        assert figure(band.mean, headline.format, "USD") != figure(
            band.p50, headline.format, "USD"
        ), headline.name


def test_the_printout_is_summary_jsons_table(packed: tuple[Path, str]) -> None:
    folder, printed = packed
    assert headline_table(_summary(folder)) in printed


def test_the_answers_name_their_statistic_and_are_its_figures(packed: tuple[Path, str]) -> None:
    """Each tile says which statistic it is, and its figure is that field."""
    folder = packed[0]
    summary = _summary(folder)
    mean = summary.mean
    expected = {
        "What it costs": (MEAN_CASH_FLOW, f"{money(mean.one_time_costs)} one-time"),
        "When it pays back": (
            MEAN_CASH_FLOW,
            month_and_date(mean.payback_month, mean.payback_date),
        ),
        "What happens to the work": (
            MEAN,
            f"{percent(100 * _band(summary, headlines.THROUGHPUT_CHANGE).mean)} work done",
        ),
    }
    board = run_board(load_run(folder))
    html, deck = _html(folder), _texts(folder / "deck.pptx")
    for answer in board.answers:
        if answer.question not in expected:
            continue
        statistic, shown = expected.pop(answer.question)
        assert (answer.statistic, answer.figure) == (statistic, shown.replace(".0B", "B"))
        tile = f"{answer.question} ({statistic})\n{answer.figure}"
        assert tile in deck
        assert f'{answer.question} ({statistic})</p><p class="figure">{answer.figure}' in html
    assert not expected, expected
    work = next(a for a in board.answers if a.question == "What happens to the work")
    people = _band(summary, headlines.HEADCOUNT_CHANGE).mean
    assert f"{significant(people, signed=True)} people against the status quo" in work.detail


def _chart_titles(folder: Path) -> dict[str, tuple[str, str]]:
    board = run_board(load_run(folder))
    return {chart.stem: (chart.title, chart.subtitle) for chart in board.charts}


def test_every_chart_names_the_statistic_it_states(packed: tuple[Path, str]) -> None:
    folder = packed[0]
    deck, html = _texts(folder / "deck.pptx"), _html(folder)
    for stem, (title, subtitle) in _chart_titles(folder).items():
        said = f"{title} {subtitle}".lower()
        assert any(word in said for word in STATISTIC_WORDS), (stem, title, subtitle)
        assert title in deck and title in html, stem


def test_the_charts_headline_figures_are_the_statistic_they_name(
    packed: tuple[Path, str],
) -> None:
    """A title's figure is summary.json's field for the statistic the title names: the
    median's P50, the mean's mean (the tiles' figure, which differs at five)."""
    folder = packed[0]
    summary = _summary(folder)
    titles = {stem: title for stem, (title, _) in _chart_titles(folder).items()}
    start, end = (_band(summary, h) for h in (headlines.HEADCOUNT_START, headlines.HEADCOUNT_END))
    assert titles["1-headcount"].startswith(
        f"Median headcount {significant(start.p50)} → {significant(end.p50)}"
    )
    payback = _band(summary, headlines.PAYBACK)
    assert titles["4-payback"].startswith(
        f"Median payback {month_and_date(payback.p50, summary.date_of(headlines.PAYBACK, 'p50'))}"
    )
    npv = _band(summary, headlines.NPV)
    assert titles["10-npv-histogram"].startswith(
        f"Median NPV {money(npv.p50)}, P10 {money(npv.p10)} to P90 {money(npv.p90)}"
    )
    run_rate = _band(summary, headlines.RUN_RATE)
    assert f"falls {money(run_rate.p50)}" in titles["3-cost-bridge"]
    work = _band(summary, headlines.THROUGHPUT_CHANGE).p50
    shown = f"{abs(100 * work):.1f}% {'more' if work > 0 else 'less'}"
    assert titles["5-throughput"].startswith(
        "Median: same work done" if abs(100 * work) < 0.5 else f"Median: {shown} work done"
    )
    assert titles["9-headcount-bridge"].startswith(
        f"Mean headcount {significant(start.mean)} → {significant(end.mean)}"
    )


def test_the_workbook_headlines_are_summary_jsons_under_their_columns(
    packed: tuple[Path, str],
) -> None:
    folder = packed[0]
    summary = _summary(folder)
    sheet = openpyxl.load_workbook(folder / "workbook.xlsx", data_only=True)["Summary"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    head = next(i for i, row in enumerate(rows) if row[1:5] == ["P10", "P50", "P90", "mean"])
    checked = 0
    for row in rows[head + 1 :]:
        headline = next((h for h in headlines.REGISTRY if h.label == row[0]), None)
        if headline is None:
            break
        band = summary.headline[headline.name]
        for column, stat in enumerate(("p10", "p50", "p90", "mean"), start=1):
            value = getattr(band, stat)
            cell = row[column]
            assert cell == "n/a" if value is None else cell == pytest.approx(value), (
                headline.name,
                stat,
            )
        checked += 1
    assert checked >= len(CFO_ROWS) - 3  # all but the terminal value's and IRR
    # each column head readable: 'replications' beside 'mean' printed as 'meanplications'
    assert sheet.column_dimensions["F"].width >= len("replications")


def test_a_comparisons_figures_are_each_runs_own_under_their_statistic(
    compared: tuple[Path, list[Path]],
) -> None:
    """The comparison's table reads each run's mean cash flow; its charts' titles name
    their statistic, and the figure named mean is each run's summary.json mean."""
    target, folders = compared
    comparison = compare_runs(folders)
    board = comparison_board(comparison)
    html, deck = _html(target), _texts(target / "deck.pptx")
    summaries = {run.name: run.summary for run in comparison.runs}
    for chart in board.charts:
        said = f"{chart.title} {chart.subtitle}".lower()
        assert any(word in said for word in STATISTIC_WORDS), (chart.stem, chart.title)
        assert chart.title in deck and chart.title in html
    titles = {chart.stem: chart.title for chart in board.charts}
    headcount = titles["compare-2-headcount"]
    fewest = re.search(r"^(\S+) ends with the fewest staff: mean ([\d,]+)", headcount)
    assert fewest, headcount
    ended = summaries[fewest.group(1)].headline[headlines.HEADCOUNT_END.name].mean
    assert fewest.group(2) == significant(ended)
    best = re.search(
        r"^(\S+) has the highest mean NPV, (\S+):|^Highest mean NPV: (\S+), (\S+)$",
        titles["compare-4-npv"],
    )
    assert best, titles["compare-4-npv"]
    name, shown = (best.group(1), best.group(2)) if best.group(1) else best.group(3, 4)
    npv = summaries[name].headline[headlines.NPV.name].mean
    assert shown == figure(npv, headlines.NPV.format, "USD")
    table = board.table
    npv_row = next(row for row in table if row[0].startswith("NPV to"))
    for name, cell in zip(table[0][1:], npv_row[1:], strict=True):
        assert cell.startswith(figure(summaries[name].mean.npv, headlines.NPV.format, "USD"))


def test_a_comparison_opens_with_which_plan_wins_on_what_by_how_much(
    compared: tuple[Path, list[Path]],
) -> None:
    """Issue 26: a comparison's summary was its charts' titles alone. It now opens with
    the plan of the highest NPV, the most savings, the soonest payback and the most
    work, each with its figure, its range and the paired difference from the first."""
    target, folders = compared
    comparison = compare_runs(folders)
    board = comparison_board(comparison)
    found = {a.question: a for a in board.answers}
    assert list(found) == [
        "Highest NPV",
        "Most run-rate savings",
        "Soonest payback",
        "Most work done",
    ]
    best = max(comparison.runs, key=lambda r: r.summary.headline[headlines.NPV.name].mean)
    npv = found["Highest NPV"]
    assert (npv.figure, npv.statistic) == (best.name, MEAN)
    assert npv.detail.startswith(
        f"NPV {figure(best.summary.headline['npv'].mean, headlines.NPV.format, 'USD')} (P10 "
    )
    if best is not comparison.runs[0]:
        assert f"than {comparison.runs[0].name} (paired P10 " in npv.detail
    assert board.answer_title.startswith(f"{best.name} has the highest mean NPV: ")
    deck = Presentation(str(target / "deck.pptx"))
    assert deck.slides[1].shapes.title.text == board.answer_title
    tiles = [s.text_frame.text for s in deck.slides[1].shapes if s.name.startswith("Answer ")]
    assert tiles == [f"{a.heading}\n{a.figure}\n{a.detail}" for a in board.answers]
    assert board.answer_title in _html(target)
