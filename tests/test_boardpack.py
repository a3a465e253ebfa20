"""The board pack as a person receives it: report.html and deck.pptx written by the
command line from a small run, holding the same figures as summary.json.

The quick tests read the files with Python (the HTML as text, the deck with
python-pptx); the slow ones render them as a reader would (headless Chromium,
LibreOffice Impress) and are skipped where those programs are missing.
"""

from __future__ import annotations

import html as markup
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FAST, SHIPPED, SMALL, deck_pages, render_html
from decklayout import layout_problems
from pptx import Presentation
from pptx.util import Emu

from sim.cli import main
from sim.report.assumptions import read_assumptions
from sim.report.charts import CHARTS, charts_for
from sim.report.charts.data import Run
from sim.report.summaryfile import read_summary
from sim.report.text import (
    MAX_SHOWN_RATE,
    calendar_month,
    cfo_rows,
    fiscal_rows,
    headline_cell,
    money,
    month_and_date,
    percent,
    probability,
    quantity,
    significant,
    uncertain_quantity,
)
from sim.scenario.labels import Unit

#: a run's deck: the title, the executive summary, the headlines, the fiscal years ...
TITLE, SUMMARY, TABLE, FISCAL = range(4)
#: ... (the slides before its charts), the charts, then the assumptions and the risks
RUN_SLIDES, CLOSING = 4, 2


@pytest.fixture(scope="module")
def packed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small run written with --report, as a user would ask for it."""
    target = tmp_path_factory.mktemp("pack") / "run"
    result = CliRunner().invoke(
        main, ["run", str(SMALL), "-o", str(target), "--report", "--no-charts", *FAST]
    )
    assert result.exit_code == 0, result.output
    return target


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def _html_table(html: str, name: str) -> list[tuple[str, ...]]:
    """The cells of the report's table of class ``name`` as a reader sees them, a row
    at a time (a cell spanning columns is one cell; a space that keeps a range together
    reads as a space)."""
    table = re.search(rf'<table class="{name}">(.*?)</table>', html, re.S)
    assert table, name
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [
        tuple(
            markup.unescape(c).replace("\u00a0", " ")
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        )
        for row in rows
    ]


def _deck_table(slide) -> list[tuple[str, ...]]:
    """The cells of the slide's one native table, a merged cell once."""
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    assert len(tables) == 1
    table = tables[0]
    return [
        tuple(
            table.cell(i, j).text
            for j in range(len(table.columns))
            if not table.cell(i, j).is_spanned
        )
        for i in range(len(table.rows))
    ]


def _row(rows: list[tuple[str, ...]], label: str) -> tuple[str, ...]:
    return next(row for row in rows if row[0].startswith(label))


def test_run_with_report_writes_the_html_and_the_deck(packed_run: Path) -> None:
    assert (packed_run / "report.html").is_file()
    assert (packed_run / "deck.pptx").is_file()
    assert not [p for p in packed_run.iterdir() if p.name.startswith(".report.")]


def test_report_html_needs_no_network_and_no_script(packed_run: Path) -> None:
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html
    urls = set(re.findall(r"https?://[^\s\"')<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls  # SVG's namespace, never fetched
    assert html.count("<svg") == len(CHARTS) + 1  # and the fiscal years'
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids repeat across the inline charts"


def test_report_html_has_the_table_the_story_and_the_source(packed_run: Path) -> None:
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    summary = _summary(packed_run)
    assert _html_table(html, "headlines") == cfo_rows(read_summary(summary))
    for needle in ("Assumptions that matter", "Method", "P10", summary["scenario"]["sha256"][:8]):
        assert needle in html
    assert f"seed {summary['seed']}" in html and summary["version"] in html


def _heads(value: float | None) -> str:
    return significant(value)


def _change(value: float | None) -> str:
    return significant(value, signed=True)


def _rate(value: float) -> str:
    return ">999%" if value > MAX_SHOWN_RATE else percent(100 * value, signed=False)


def _share(value: float | None) -> str:
    return percent(None if value is None else 100 * value)


#: each figure row of the CFO's table: its label, summary.json's name, how it is written
FIGURE_ROWS = (
    ("Roles cut", "roles_cut", _heads),
    ("Headcount at end", "headcount_end", _heads),
    ("  vs status quo", "headcount_change_vs_status_quo", _change),
    ("Run-rate savings a year", "run_rate_savings_annual", money),
    ("One-time costs", "one_time_costs", money),
    ("NPV to ", "npv", money),
    ("NPV with terminal value", "npv_with_terminal_value", money),
    ("  of which terminal value", "terminal_value", money),
    ("Work done vs status quo", "throughput_change", _share),
    ("Cycle time vs status quo", "cycle_time_change", _share),
)


def _check_cfo_figures(rows: list[tuple[str, ...]], summary: dict) -> None:
    """Every figure of the table against summary.json's own number, written by the
    printout's formatters: the mean cash flow's in its column (the replications'
    mean where summary.json's mean_cash_flow has no such figure), the replications'
    percentiles in theirs, each payback with its calendar month."""
    mean, heads, dates = summary["mean_cash_flow"], summary["headline"], summary["headline_dates"]
    assert rows[0] == ("", "Mean*", "P10", "P50", "P90")
    valued_beyond = summary["terminal_value"] is not None
    labels = [row[0] for row in rows]
    assert any(label.startswith("NPV with terminal value") for label in labels) == valued_beyond
    assert any("of which terminal value" in label for label in labels) == valued_beyond
    checked = 0
    for label, name, write in FIGURE_ROWS:
        if "terminal value" in label and not valued_beyond:
            continue
        row = _row(rows, label)
        expected_mean = mean[name] if name in mean else heads[name]["mean"]
        assert row[1] == write(expected_mean), (label, row)
        assert row[2:] == tuple(write(heads[name][s]) for s in ("p10", "p50", "p90")), row
        checked += 1
    assert _row(rows, "NPV to ")[0] == f"NPV to {calendar_month(summary['last_month'])}"
    for label, name in (("Payback", "payback_month"), ("Discounted", "discounted_payback_month")):
        row = _row(rows, label)
        assert row[1] == month_and_date(mean[name], mean[name.replace("_month", "_date")])
        for column, stat in ((2, "p10"), (3, "p50"), (4, "p90")):
            when = dates[name][stat]
            assert row[column] == month_and_date(heads[name][stat], when)
            if when is not None and heads[name][stat]:
                assert f"({calendar_month(when)})" in row[column]
        checked += 1
    irr = _row(rows, "IRR")
    if mean["irr_note"]:  # the reason, spanning the figures' columns, and the ROI instead
        roi = f"; ROI {mean['roi']:.1f}x" if mean["roi"] is not None else ""
        assert irr[1:] == (mean["irr_note"] + roi,)
        assert heads["irr_annual"]["p50"] is None or "not meaningful" not in mean["irr_note"]
    else:  # the mean cash flow's own IRR, not the mean of the replications'
        assert irr[1] == ("n/a" if mean["irr_annual"] is None else _rate(mean["irr_annual"]))
    found = summary["probabilities"]  # the probability of a target: shares of replications
    assert _row(rows, "  P(NPV > 0)")[1:] == (probability(found["npv_above_zero"]),)
    checked += 1
    if found["payback_target_months"] is not None:
        target = f"  P(payback within {found['payback_target_months']} months)"
        assert _row(rows, target)[1:] == (probability(found["payback_within_target"]),)
        checked += 1
    assert checked + 1 == len(rows) - 1, "a row of the table went unchecked"


def test_the_report_and_the_deck_show_the_cfo_table_of_summary_json(packed_run: Path) -> None:
    summary = _summary(packed_run)
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    deck = Presentation(str(packed_run / "deck.pptx"))
    for rows in (_html_table(html, "headlines"), _deck_table(deck.slides[TABLE])):
        _check_cfo_figures(rows, summary)
    frame = summary["valuation"]
    facts = f"valued at {frame['date']} ({frame['basis']})"
    assert facts in html and any(facts in t for t in _slide_texts(deck.slides[TABLE]))
    assert "beside, not inside, the horizon NPV" not in html


def test_the_takeaway_says_which_statistic_it_reads(packed_run: Path) -> None:
    summary = _summary(packed_run)
    mean = summary["mean_cash_flow"]
    payback = month_and_date(mean["payback_month"], mean["payback_date"])
    title = f"Mean cash flow: NPV {money(mean['npv'])}, payback {payback}"
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    deck = Presentation(str(packed_run / "deck.pptx"))
    assert f'<p class="takeaway">{markup.escape(title)}' in html
    assert _slide_texts(deck.slides[TABLE])[0].startswith(title)


def test_fiscal_years_are_a_table_in_the_report_and_a_slide(packed_run: Path) -> None:
    summary = _summary(packed_run)
    rows = fiscal_rows(read_summary(summary))
    assert len(rows) == 1 + len(summary["fiscal_years"]) > 1
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    deck = Presentation(str(packed_run / "deck.pptx"))
    assert _html_table(html, "fiscal") == rows
    assert _deck_table(deck.slides[FISCAL]) == rows
    title = _slide_texts(deck.slides[FISCAL])[0]
    _check_fiscal_title(title, summary["fiscal_years"])
    assert markup.escape(title) in html


def _fiscal_section(html: str) -> str:
    found = re.search(r'<section id="fiscal-years">(.*?)</section>', html, re.S)
    assert found
    return found.group(1)


def test_fiscal_years_are_drawn_beside_their_table(packed_run: Path) -> None:
    """The fiscal slide holds a native chart of summary.json's own figures (one-time
    costs as cash out, below zero), net cash labelled as the table writes it, the
    money axis in the run's currency; the report's section holds the drawing."""
    summary = _summary(packed_run)
    years = summary["fiscal_years"]
    deck = Presentation(str(packed_run / "deck.pptx"))
    charts = [shape.chart for shape in deck.slides[FISCAL].shapes if shape.has_chart]
    assert len(charts) == 1
    chart = charts[0]
    rows = fiscal_rows(read_summary(summary))
    assert list(chart.plots[0].categories) == [row[0] for row in rows[1:]]
    values = {series.name: series.values for series in chart.plots[0].series}
    assert values == {
        "Net savings (before one-time costs)": tuple(y["net_savings"] for y in years),
        "One-time costs (cash out)": tuple(-y["one_time_costs"] for y in years),
        "Net cash": tuple(y["net_cash"] for y in years),
    }
    net_cash = list(chart.plots[0].series)[-1]
    labels = [point.data_label.text_frame.text for point in net_cash.points]
    assert labels == [row[-1] for row in rows[1:]]
    assert chart.value_axis.tick_labels.number_format.startswith('"$"')
    section = _fiscal_section((packed_run / "report.html").read_text(encoding="utf-8"))
    assert section.count("<svg") == 1 and "<table" in section
    title = _slide_texts(deck.slides[FISCAL])[0]
    assert f'aria-label="{markup.escape(title)}. ' in section


def test_a_fiscal_chart_of_nothing_but_zeros_is_left_out(packed_run: Path, tmp_path: Path) -> None:
    """Where every fiscal figure is 0 the title says so, and the table stands alone."""
    flat = tmp_path / "flat"
    shutil.copytree(packed_run, flat)
    summary = _summary(flat)
    for year in summary["fiscal_years"]:
        year.update(net_savings=0.0, one_time_costs=0.0, net_cash=0.0)
    (flat / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(flat)])
    assert result.exit_code == 0, result.output
    deck = Presentation(str(flat / "deck.pptx"))
    assert not any(shape.has_chart for shape in deck.slides[FISCAL].shapes)
    assert _slide_texts(deck.slides[FISCAL])[0] == "No net cash effect in any fiscal year"
    section = _fiscal_section((flat / "report.html").read_text(encoding="utf-8"))
    assert "<svg" not in section and "No net cash effect in any fiscal year" in section


def _check_fiscal_title(title: str, years: list[dict]) -> None:
    """The fiscal-year slide's takeaway is true of the figures beneath it."""
    net = {year["fiscal_year"]: year["net_cash"] for year in years}
    names = list(net)
    if title.startswith("No net cash effect"):
        assert all(abs(v) < 0.5 for v in net.values())
    elif title.startswith("Net cash positive in every fiscal year"):
        assert all(v > 0 for v in net.values())
    elif title.startswith("Net cash never negative"):
        assert all(v >= 0 for v in net.values())
    elif title.startswith("Net cash still negative in "):
        assert net[names[-1]] < 0 and names[-1] in title
    else:
        found = re.match(r"Net cash (positive|not negative) from (\S+) on", title)
        assert found, title
        after = names.index(found.group(2))
        assert net[names[after - 1]] < 0
        later = [net[name] for name in names[after:]]
        assert all(v > 0 for v in later) if found.group(1) == "positive" else min(later) >= 0


@pytest.fixture(scope="module")
def packed_terminal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small run valued beyond its horizon, with fiscal years from April."""
    base = tmp_path_factory.mktemp("terminal")
    text = SMALL.read_text(encoding="utf-8").replace(
        "finance:\n",
        "finance:\n  terminal_value: {years: 5}\n  fiscal_year_start_month: 4\n",
        1,
    )
    scenario = base / "small-terminal.yaml"
    scenario.write_text(text, encoding="utf-8")
    target = base / "run"
    result = CliRunner().invoke(
        main, ["run", str(scenario), "-o", str(target), "--report", "--no-charts", *FAST]
    )
    assert result.exit_code == 0, result.output
    return target


def test_a_terminal_value_stands_beside_the_horizon_npv(packed_terminal: Path) -> None:
    summary = _summary(packed_terminal)
    assert summary["mean_cash_flow"]["terminal_value"] is not None
    html = (packed_terminal / "report.html").read_text(encoding="utf-8")
    deck = Presentation(str(packed_terminal / "deck.pptx"))
    html_rows, deck_rows = _html_table(html, "headlines"), _deck_table(deck.slides[TABLE])
    assert html_rows == deck_rows == cfo_rows(read_summary(summary))
    _check_cfo_figures(html_rows, summary)
    assert "beside, not inside, the horizon NPV" in html
    assert any("beside, not inside, the horizon NPV" in t for t in _slide_texts(deck.slides[TABLE]))
    fiscal = _deck_table(deck.slides[FISCAL])
    assert fiscal == fiscal_rows(read_summary(summary)) and fiscal[1][0].endswith("(part)")


def test_deck_has_title_table_and_a_slide_a_chart_with_notes(packed_run: Path) -> None:
    deck = Presentation(str(packed_run / "deck.pptx"))
    assert (deck.slide_width, deck.slide_height) == (Emu(12191695), Emu(6858000))
    slides = list(deck.slides)
    assert len(slides) == RUN_SLIDES + len(CHARTS) + CLOSING
    assert _summary(packed_run)["scenario"]["name"] in "\n".join(_slide_texts(slides[0]))
    for slide in slides[1:]:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    charts = slides[RUN_SLIDES:-CLOSING]
    native = sum(1 for s in charts for shape in s.shapes if shape.has_chart)
    pictures = sum(1 for s in charts for shape in s.shapes if shape.shape_type == 13)
    assert native >= 1 and native + pictures == len(CHARTS)


def test_the_title_slide_says_what_the_plan_is_and_its_answer(packed_run: Path) -> None:
    """The audit: the title slide showed the scenario's file name alone. It now holds
    the plan in words (meta.description, kept in summary.json) and the answer."""
    summary = _summary(packed_run)
    description = summary["scenario"]["description"]
    assert description.startswith("One unit of 1,000 staff")
    deck = Presentation(str(packed_run / "deck.pptx"))
    cover = deck.slides[TITLE]
    assert cover.shapes.title.text == description
    texts = "\n".join(_slide_texts(cover))
    answer = _slide_texts(deck.slides[SUMMARY])[0]
    assert answer.startswith("Pays back") and answer in texts
    assert f"{summary['scenario']['name']}: " in texts
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    assert f'<p class="plan">{markup.escape(description)}</p>' in html


def test_a_summary_from_before_the_description_still_reads(packed_run: Path) -> None:
    data = _summary(packed_run)
    del data["scenario"]["description"]
    assert read_summary(data).scenario.description == ""


#: a value as a file writes it: 'pert(0.09, 0.12, 0.16)', '0.5', '100000000'
RAW = re.compile(r"^[a-z]+\(|^-?\d+(\.\d+)?$|\d{5,}")


def test_assumptions_read_in_words_with_their_units(packed_run: Path) -> None:
    """The audit: assumption values read raw ('pert(0.10, 0.12, 0.15)', '0.5' under
    '% a year'). Each is written through the one number formatter, with its unit."""
    summary = read_summary(_summary(packed_run))
    rows = read_assumptions(summary.scenario.path, summary.scenario.sha256).rows
    values = {a.label: a.value for a in rows}
    assert values["Attrition"] == "9%–16% a year, most likely 12%"  # pert(0.09, 0.12, 0.16)
    assert values["Discount rate"] == "8% a year"
    raw = [(a.label, a.value) for a in rows if RAW.search(a.value)]
    assert not raw
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    assert "9%–16% a year, most likely 12%" in html and "pert(" not in html
    deck = Presentation(str(packed_run / "deck.pptx"))
    cells = [
        c
        for s in deck.slides
        for shape in s.shapes
        if shape.has_table
        for row in shape.table.rows
        for c in (cell.text for cell in row.cells)
    ]
    assert "9%–16% a year, most likely 12%" in cells and not [c for c in cells if "pert(" in c]


def test_a_comment_over_several_lines_reads_as_one_text() -> None:
    """The audit read sources glued together: a comment of several lines above a value
    is its lines joined by a space, without their hashes."""
    from sim.report.assumptions import NOT_CITED, _comment

    lines = ["    # public: about 14,000 roles", "    # cut on 2025-10-28", "    count: 14000"]
    assert _comment(lines, (3, 5)) == "public: about 14,000 roles cut on 2025-10-28"
    assert _comment(["x: 1  # illustrative"], (1, 1)) == "illustrative"
    assert _comment(["y: 2"], (1, 1)) == NOT_CITED


def test_an_input_reads_as_a_reader_says_it() -> None:
    money_a_year, share = Unit.of("money a year"), Unit.of("share")
    assert quantity(185_000, money_a_year) == "$185k a year"
    assert quantity(12.9, Unit.of("weeks")) == "12.9 weeks"
    assert quantity(1, Unit.of("weeks")) == "1 week"
    assert quantity(12_400, Unit.of("people")) == "12,400 people"
    assert quantity(1.3, Unit.of("x")) == "×1.3"
    assert uncertain_quantity("pert", (0.10, 0.12, 0.15), Unit.of("a year"), "USD") == (
        "10%–15% a year, most likely 12%"
    )
    assert uncertain_quantity("uniform", (0.2, 0.4), share, "USD") == (
        "20%–40%, any value equally likely"
    )
    assert uncertain_quantity("triangular", (150e3, 185e3, 220e3), money_a_year, "USD") == (
        "$150k–$220k a year, most likely $185k"
    )


#: what a caption may say of a drawing that a native chart here never draws: python-pptx
#: draws solid lines, areas and columns, no dashed line, band or whisker
UNDRAWN = ("dashed", "shaded", "whisker", "grey", "band")


def test_a_native_charts_caption_names_only_what_it_draws(packed_run: Path) -> None:
    """The audit: the headcount slide's caption read 'dashed: the status quo; grey:
    P10-P90' over a native chart of stacked areas alone."""
    deck = Presentation(str(packed_run / "deck.pptx"))
    natives = [s for s in deck.slides if any(shape.has_chart for shape in s.shapes)]
    assert natives
    for slide in natives:
        caption = " ".join(_slide_texts(slide)[:2]).lower()
        assert not [word for word in UNDRAWN if word in caption], caption


def test_deck_line_charts_label_a_month_a_quarter(packed_run: Path) -> None:
    """A date axis in months with a major unit of 3: PowerPoint and LibreOffice both
    honour it (LibreOffice ignores a category axis's tick label skip)."""
    deck = Presentation(str(packed_run / "deck.pptx"))
    slides = list(deck.slides)[RUN_SLIDES:]  # the fiscal years are no months
    charts = [shape.chart for s in slides for shape in s.shapes if shape.has_chart]
    axes = [chart.category_axis._element for chart in charts]
    assert axes
    for axis in axes:
        assert axis.tag.endswith("dateAx")
        values = {child.tag.split("}")[1]: child.get("val") for child in axis}
        assert values["baseTimeUnit"] == values["majorTimeUnit"] == "months"
        assert values["majorUnit"] == "3"


def test_one_number_everywhere(packed_run: Path) -> None:
    """The P50s of the table (NPV, payback and its month, run rate, one-time costs,
    headcount and its gap to the status quo) read the same in a chart's title or
    subtitle, the HTML and the deck."""
    summary = _summary(packed_run)
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    deck = Presentation(str(packed_run / "deck.pptx"))
    deck_text = "\n".join(t for s in deck.slides for t in _slide_texts(s))
    titles = [t for s in list(deck.slides)[RUN_SLIDES:] for t in _slide_texts(s)]
    for name in ("npv", "run_rate_savings_annual", "one_time_costs", "headcount_end"):
        figure = headline_cell(read_summary(summary), name)
        assert figure in html and figure in deck_text, name
        assert any(figure in title for title in titles), (name, figure, titles)
    payback = _row(cfo_rows(read_summary(summary)), "Payback")[3]
    assert any(title.startswith(f"Median payback {payback}") for title in titles), payback
    gap = headline_cell(read_summary(summary), "headcount_change_vs_status_quo").lstrip("+-")
    assert any(f", {gap} below the status quo" in title for title in titles), (gap, titles)


def test_report_command_rewrites_the_pack_of_a_run_folder(packed_run: Path) -> None:
    before = (packed_run / "deck.pptx").stat().st_mtime_ns
    result = CliRunner().invoke(main, ["report", str(packed_run)])
    assert result.exit_code == 0, result.output
    assert (packed_run / "deck.pptx").stat().st_mtime_ns >= before
    assert "report.html" in result.output


def test_report_of_a_folder_that_is_not_a_run_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a run output folder" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir()), "nothing half-written"


def test_a_folder_from_before_the_cfo_table_is_one_line(packed_run: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(packed_run, old)
    summary = _summary(old)
    del summary["mean_cash_flow"]
    (old / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(old)])
    assert result.exit_code == 2, result.output
    assert "mean_cash_flow" in result.output and "run it again" in result.output
    assert "Traceback" not in result.output


def test_a_comparison_gets_its_pack_from_its_folder(packed_run: Path, tmp_path: Path) -> None:
    target = tmp_path / "comparison"
    result = CliRunner().invoke(
        main, ["compare", str(packed_run), str(packed_run), "-o", str(target), "--no-charts"]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", str(target)])
    assert result.exit_code == 0, result.output
    html = (target / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and html.count("<svg") == 5
    deck = Presentation(str(target / "deck.pptx"))
    # title, summary, table; the charts; the risks (no assumptions slide: a run's own)
    assert len(deck.slides) == 3 + 5 + 1
    assert (
        "Each scenario's assumptions are in its own run's report."
        in _slide_texts(deck.slides[-1])[1]
    )
    npv = headline_cell(read_summary(_summary(packed_run)), "npv")
    assert npv in html


# ------------------------------------------------------------------ rendered


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_gets_a_pack(scenario: Path, tmp_path: Path) -> None:
    target = tmp_path / scenario.stem
    result = CliRunner().invoke(
        main, ["run", str(scenario), "-o", str(target), "--report", "--no-charts", *FAST]
    )
    assert result.exit_code == 0, result.output
    summary = _summary(target)
    html = (target / "report.html").read_text(encoding="utf-8")
    assert headline_cell(read_summary(summary), "npv") in html and "<script" not in html
    deck = Presentation(str(target / "deck.pptx"))
    # the seven charts, and the mix shift where the scenario has roles
    charts = len(charts_for(Run.load(target)))
    assert len(deck.slides) == RUN_SLIDES + charts + CLOSING
    _check_cfo_figures(_deck_table(deck.slides[TABLE]), summary)
    _check_fiscal_title(_slide_texts(deck.slides[FISCAL])[0], summary["fiscal_years"])
    assert layout_problems(target / "deck.pptx") == []


@pytest.mark.slow
def test_chromium_renders_the_report_and_prints_it(packed_run: Path, tmp_path: Path) -> None:
    _png, pdf = render_html(packed_run / "report.html", tmp_path)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert headline_cell(read_summary(_summary(packed_run)), "npv") in text


@pytest.mark.slow
def test_libreoffice_opens_the_deck_one_page_a_slide(packed_run: Path, tmp_path: Path) -> None:
    assert deck_pages(packed_run / "deck.pptx", tmp_path) == RUN_SLIDES + len(CHARTS) + CLOSING


def test_the_staffing_policy_in_force_is_stated_in_summary_the_report_and_the_deck(
    packed_run: Path,
) -> None:
    # the policy alone moved an IC cut's NPV from $126M to $727M (issue 27): every output
    # names it
    summary = _summary(packed_run)
    assert summary["staffing"] == {"Operations": "replace_leavers"}
    line = "staffing: replace_leavers in its one unit"
    html = markup.unescape((packed_run / "report.html").read_text(encoding="utf-8"))
    deck = Presentation(str(packed_run / "deck.pptx"))
    assert line in html
    assert any(line in t for t in _slide_texts(deck.slides[TABLE]))


def test_a_figure_cell_wraps_between_its_parts_never_inside_its_range() -> None:
    """The audit: comparison cells broke in the middle of their P10-P90 ranges."""
    from sim.report.html import NBSP, kept_together

    cell = kept_together("$12.9B ($12.1B to $13.8B)")
    assert cell.split(" ") == ["$12.9B", f"($12.1B{NBSP}to{NBSP}$13.8B)"]
    payback = kept_together("month 10 (Jul 2026); 9 to 11")
    assert payback.split(" ") == [f"month{NBSP}10", f"(Jul{NBSP}2026);", f"9{NBSP}to{NBSP}11"]


@pytest.mark.slow
def test_a_status_quo_has_nothing_to_pay_back_in_every_note(tmp_path: Path) -> None:
    """Red pen on a four-scenario comparison: the table's status quo read 'nothing to pay
    back' while the note beneath said 'Paid back within the horizon: ... status-quo 20 of
    20'. A plan never behind the status quo paid nothing back: every note says so."""
    shipped = {p.stem: p for p in SHIPPED}
    quick = ["--no-flow", "--no-charts", *FAST]
    out = tmp_path / "status-quo"
    result = CliRunner().invoke(
        main, ["run", str(shipped["status-quo"]), "-o", str(out), "--report", *quick]
    )
    assert result.exit_code == 0, result.output
    page = markup.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "nothing to pay back" in page
    assert "Paid back within the horizon in" not in page
    assert "Nothing to pay back: the cash was never behind the status quo." in page
    comparison = tmp_path / "comparison"
    scenarios = [str(shipped["cuts-only"]), str(shipped["status-quo"])]
    result = CliRunner().invoke(main, ["compare", *scenarios, "-o", str(comparison), *quick])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", str(comparison)])
    assert result.exit_code == 0, result.output
    page = markup.unescape((comparison / "report.html").read_text(encoding="utf-8"))
    note = re.search(r"Paid back within the horizon: ([^.]*)\.", page)
    assert note is not None
    assert note.group(1) == "cuts-only 2 of 2; status-quo nothing to pay back", note.group(1)
