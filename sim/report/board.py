"""The board pack's content, once: what the HTML report and the deck both say.

A :class:`Board` holds the headline table (the figures as :mod:`sim.report.text`
writes them; a run's also by fiscal year), the story in charts (each drawn once,
its takeaway title read back from the drawing), the assumptions with their
sources, the method, the uncertainty and the source line. The HTML report and
the deck lay it out; neither computes a figure of its own, so a number reads the
same everywhere.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from sim.finance.cashflows import AI_ONE_TIME, BASELINE_COLUMN, SCENARIO_COLUMN
from sim.report.answers import (
    COMPARED_NOTE,
    Answer,
    answer_title,
    answers,
    comparison_answer_title,
    comparison_answers,
)
from sim.report.answers import NOTE as ANSWERS_NOTE
from sim.report.assumptions import Assumptions, read_assumptions
from sim.report.charts import charts_for, fiscal, mixshift, style
from sim.report.charts.compare import Compared, comparison_figures
from sim.report.charts.data import Run, scenario_text, source_text
from sim.report.runfolder import RunFolder
from sim.report.text import (
    COMPARISON_NOTES,
    FISCAL_NOTE,
    annual_rate,
    calendar_month,
    cfo_notes,
    cfo_rows,
    comparison_rows,
    fiscal_rows,
    fiscal_year_label,
    frame_line,
    internal_moves_line,
    money,
    month_and_date,
    sampling_line,
    staffing_line,
    warning_lines,
)
from sim.runs.headlines import PAYBACK
from sim.runs.numbers import NOTHING_TO_PAY_BACK

if TYPE_CHECKING:
    from sim.runs.summary import FiscalYear, RunSummary
    from sim.studies.compare import Comparison

#: what each chart of a run is about, for the notes beside its slide
CHART_NOTES = {
    "1-headcount": "Headcount a month by level (P50) against the status quo's total.",
    "2-pyramid": "The organisation by level in the first and last month, log scale.",
    "3-cost-bridge": "Annual run-rate cost from the status quo to the plan, by cause.",
    "4-payback": "Cumulative net cash against the status quo; payback and its range.",
    "5-throughput": "Work done and cycle time against the status quo.",
    "6-ai-adoption": "AI adoption and seats funded, against the payroll savings.",
    "8-mix-shift": "People by role, start to horizon, against the status quo. "
    + mixshift.NOT_REPLACEMENT
    + ".",
    "9-headcount-bridge": "Start to end headcount: cuts, redeployed, attrition, hires, new roles"
    " (means).",
    "10-npv-histogram": "NPV of each replication binned, P10/P50/P90 and the spread.",
    "11-by-unit": "People against the status quo and payroll saved a year, by unit (means).",
    "12-by-layer": "People against the status quo and payroll saved a year, by layer (means).",
    "13-spans-layers": "Layers and direct reports per manager, start against end (means).",
    "14-convergence": "The NPV as replications arrived: running mean with its 95% band "
    "(± 1.96 standard errors), running P10, P50 and P90.",
}


#: the most takeaways the story tells (the executive summary's lines)
STORY_LINES = 5


@dataclass(frozen=True)
class NativeChart:
    """A chart the deck draws itself (editable in PowerPoint): plain series."""

    kind: str  # "area" (stacked), "line", "bar" or "column" (clustered)
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...], str], ...]  # name, values, colour
    money: bool  # values are money (else counts)
    axis_title: str
    months: tuple[str, ...] = ()  # the categories' calendar months ('2026-03'), if monthly
    currency: str = "USD"  # of money values
    point_labels: tuple[str, ...] = ()  # the last series' points, as a table writes them


@dataclass(frozen=True)
class ChartSlide:
    """One chart of the story: its takeaway, the drawing, and what a presenter says."""

    stem: str
    title: str
    subtitle: str
    svg: str  # inline-ready: no XML prologue, ids unique in the page
    png: bytes
    native: NativeChart | None
    notes: str


@dataclass(frozen=True)
class Board:
    """Everything the report and the deck show, as text and pictures."""

    kind: str  # "run", "comparison", or a study's kind ("sensitivity", "sweep", ...)
    name: str
    facts: str  # horizon, replications, seed
    table: tuple[tuple[str, ...], ...]  # header row first
    charts: tuple[ChartSlide, ...]
    assumptions: Assumptions
    method: str
    uncertainty: str
    caveats: tuple[str, ...]
    source: str
    table_title: str = ""  # the table slide's takeaway ('': the headlines' own)
    table_heading: str = "Headlines"  # the report's heading above the table
    table_notes: tuple[str, ...] = ()  # what the table's marks mean, beneath it
    fiscal_years: tuple[tuple[str, ...], ...] = ()  # header row first; () for none
    fiscal_title: str = ""  # the fiscal-year table's takeaway
    fiscal_note: str = ""  # what the fiscal-year table's figures are
    fiscal_chart: ChartSlide | None = None  # the fiscal years drawn; None: all zero, or none
    answers: tuple[Answer, ...] = ()  # the answer first: cost, payback, work, the AI half
    answer_title: str = ""  # the executive summary's title ('': 'Executive summary')
    answers_note: str = ""  # what the answers' figures are
    description: str = ""  # the plan in words (the scenario's meta.description), if given

    @property
    def story(self) -> tuple[ChartSlide, ...]:
        """The story in a few lines: the first STORY_LINES charts, whose takeaways
        (each with its figures) are the report's "The story" and the deck's
        executive summary."""
        return tuple(chart for chart in self.charts[:STORY_LINES] if chart.title)


# ------------------------------------------------------------------ drawings


def _title_of(figure: Figure, gid: str) -> str:
    return next((t.get_text() for t in figure.texts if t.get_gid() == gid), "")


def _svg(figure: Figure, prefix: str) -> str:
    """The figure as SVG to put inside a page: no prologue or metadata, ids prefixed
    so that several drawings in one page never share one, and no namespace URL but
    SVG's own (``href`` without xlink, as SVG 2 and every browser read it)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(
        r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 width="100%"', text, count=1
    )
    return text.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1).replace(
        "xlink:href", "href"
    )


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=style.DPI, metadata={"Software": None})
    return buffer.getvalue()


def chart_slide(stem: str, figure: Figure, native: NativeChart | None, notes: str) -> ChartSlide:
    """A drawn chart as the pack shows it, its takeaway read from the drawing itself."""
    return ChartSlide(
        stem,
        _title_of(figure, "title"),
        _title_of(figure, "subtitle"),
        _svg(figure, re.sub(r"\W", "", stem)),
        _png(figure),
        native,
        notes,
    )


# ------------------------------------------------------------------ a run


def _month_names(months: Sequence[str]) -> tuple[str, ...]:
    return tuple(calendar_month(m) for m in months)


def _numbers(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in np.nan_to_num(values))


def _payback_native(run: Run) -> NativeChart:
    cumulative = run.get("cumulative_net_cash")
    series = [("Cumulative net cash, P50", _numbers(cumulative.p50), style.BLUE)]
    if run.replications > 1:
        series += [
            ("P10", _numbers(cumulative.p10), style.SKY),
            ("P90", _numbers(cumulative.p90), style.SKY),
        ]
    axis = f"Cumulative net cash ({run.currency})"
    categories = _month_names(run.months)
    months = tuple(run.months)
    return NativeChart("line", categories, tuple(series), True, axis, months, run.currency)


#: charts of a run the deck draws natively, every element their captions name drawn
#: (the headcount's status-quo line and bands are not: it goes in as its picture, as
#: do the others)
NATIVE: dict[str, Callable[[Run], NativeChart]] = {
    "4-payback": _payback_native,
}


def _fiscal_native(run: Run, years: Sequence[FiscalYear]) -> NativeChart:
    """The fiscal years as clustered columns, net cash labelled as the table writes it."""
    categories = tuple(fiscal_year_label(year) for year in years)
    series = tuple(fiscal.series(years))
    labels = tuple(money(year.net_cash, run.currency) for year in years)
    axis = fiscal.axis_title(run.currency)
    return NativeChart(
        "column", categories, series, True, axis, currency=run.currency, point_labels=labels
    )


def _fiscal_chart(run: Run, years: Sequence[FiscalYear]) -> ChartSlide | None:
    """The fiscal years drawn (for the report) and native (for the deck); none where
    every figure is written as 0, as the title then says."""
    if not fiscal.has_figures(years):
        return None
    notes = "Net savings, one-time costs (as cash out) and net cash by fiscal year: "
    notes += f"the mean cash flow, undiscounted. {run.source_line()}."
    return chart_slide("fiscal-years-chart", fiscal.draw(run), _fiscal_native(run, years), notes)


def _facts(summary: RunSummary) -> str:
    first = calendar_month(summary.first_month)
    count = summary.replications
    return (
        f"{summary.months_simulated} months simulated from {first}; {count} replication"
        f"{'s' * (count != 1)}; seed {summary.seed}"
    )


def _run_facts(summary: RunSummary) -> str:
    """The facts and the valuation frame: the date money is valued at, and why."""
    staffing = staffing_line(summary)
    return f"{_facts(summary)}; {frame_line(summary)}" + (f"; {staffing}" if staffing else "")


def _headline_title(summary: RunSummary) -> str:
    """The table's takeaway, each figure labelled with its statistic: the mean cash
    flow's NPV and payback (the workbook's), and the median payback of the
    replications where it falls in another month."""
    currency, mean = summary.currency, summary.mean
    payback = month_and_date(mean.payback_month, mean.payback_date)
    title = f"Mean cash flow: NPV {money(mean.npv, currency)}, payback {payback}"
    median = summary.headline[PAYBACK.name].p50
    if summary.replications > 1 and median != mean.payback_month:
        date = summary.date_of(PAYBACK, "p50")
        title += f"; median payback {month_and_date(median, date)}"
    return title


def _method(summary: RunSummary) -> str:
    mean = summary.mean_cash_flow
    rate_text = f" at {annual_rate(mean.discount_rate_annual)} a year" if mean is not None else ""
    return (
        "Each replication simulates the plan and, on the same random numbers, a status "
        "quo twin with no waves and no AI: headcount and payroll by unit and layer a "
        "week (attrition, hiring, cuts, notice and severance), AI adoption and its costs, "
        "and the work flow through sampled teams (items arriving, IC effort, sign-offs up "
        "the chain). Savings are the plan's costs against its twin's, replication by "
        f"replication; the net cash a month is discounted{rate_text} for the NPV (cash at "
        "month ends); payback is the first month from the valuation date after which the "
        "cumulative net cash stays at or above zero. Every uncertain input is drawn once a "
        "replication from its own random stream."
    )


def _paid_back(summary: RunSummary) -> str | None:
    """'18 of 20' replications paid back within the horizon, or, where the headline
    table's payback reads so (a status quo), nothing to pay back: '20 of 20' beside a
    payback of 'nothing to pay back' read as a contradiction. None: not counted."""
    paid = summary.paid_back_within_horizon.get(PAYBACK.name)
    if paid is None:
        return None
    if summary.mean_cash_flow is not None and summary.mean_cash_flow.payback_month == 0:
        return NOTHING_TO_PAY_BACK
    return f"{paid} of {summary.replications}"


def _uncertainty(summary: RunSummary) -> str:
    count = summary.replications
    if count == 1:
        return "One replication: no uncertainty range. Run more replications for P10-P90."
    currency = summary.currency
    paid = _paid_back(summary)
    text = (
        f"Ranges are P10 to P90 over {count} replications: one replication in ten fell "
        "below the P10, one in ten above the P90; P50 is the median."
    )
    if paid == NOTHING_TO_PAY_BACK:
        text += " Nothing to pay back: the cash was never behind the status quo."
    elif paid is not None:
        text += f" Paid back within the horizon in {paid} replications."
    se = summary.convergence.npv_mean_se if summary.convergence is not None else None
    if se is not None:
        text += f" Standard error of the mean NPV: {money(se, currency)}."
    return text


def _compared_facts(summaries: list[RunSummary]) -> str:
    """The facts of every scenario: once when they share them, else each its own."""
    facts = [_facts(s) for s in summaries]
    if len(set(facts)) == 1:
        return facts[0]
    return "; ".join(f"{s.name}: {fact}" for s, fact in zip(summaries, facts, strict=True))


def _compared_uncertainty(summaries: list[RunSummary]) -> str:
    """The ranges' meaning once, and each scenario's own counts and standard error (the
    first scenario's used to read as if they held for all)."""
    counts = {s.replications for s in summaries}
    if counts == {1}:
        return "One replication each: no uncertainty range. Run more replications for P10-P90."
    count = counts.pop() if len(counts) == 1 else None
    over = f"over {count} replications" if count else "over each scenario's replications"
    parts = [
        f"Ranges are P10 to P90 {over}: one replication in ten fell below the P10, one in "
        "ten above the P90; P50 is the median."
    ]
    paid = [f"{s.name} {found}" for s in summaries if (found := _paid_back(s)) is not None]
    if paid:
        parts.append(f"Paid back within the horizon: {'; '.join(paid)}.")
    errors = [
        f"{s.name} {money(s.convergence.npv_mean_se, s.currency)}"
        for s in summaries
        if s.convergence is not None and s.convergence.npv_mean_se is not None
    ]
    if errors:
        parts.append(f"Standard error of the mean NPV: {'; '.join(errors)}.")
    return " ".join(parts)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _caveats(summary: RunSummary) -> tuple[str, ...]:
    caveats = [
        "Figures marked illustrative in the scenario are assumptions, not published data.",
        _sentence(sampling_line(summary)),
    ]
    if warnings := warning_lines(summary):
        caveats += [_sentence(line) for line in warnings.splitlines()]
    return tuple(caveats)


def run_board(folder: RunFolder) -> Board:
    """The board pack of one run folder."""
    summary = folder.summary
    scenario = summary.scenario
    assumptions = read_assumptions(scenario.path, scenario.sha256)
    cited = "; ".join(
        f"{a.label}: {a.value} ({a.source})" for a in assumptions.rows[:6] if a.source
    )
    slides = []
    years = summary.fiscal_years
    with style.chart_style():
        run = Run.of(folder)
        for stem, draw in charts_for(run).items():
            figure = draw(run)
            native = NATIVE[stem](run) if stem in NATIVE else None
            notes = f"{CHART_NOTES.get(stem, '')} {run.source_line()}."
            if cited:
                notes += f" Assumptions: {cited}."
            slides.append(chart_slide(stem, figure, native, notes))
        fiscal_chart = _fiscal_chart(run, years) if years else None
    found = answers(summary, _ai_one_time(run))
    return Board(
        "run",
        scenario.name,
        _run_facts(summary),
        tuple(cfo_rows(summary)),
        tuple(slides),
        assumptions,
        _method(summary),
        _uncertainty(summary),
        _caveats(summary),
        Run.of(folder).source_line(),
        table_title=_headline_title(summary),
        table_notes=tuple(
            _sentence(note) for note in [*cfo_notes(summary), internal_moves_line(summary)] if note
        ),
        fiscal_years=tuple(fiscal_rows(summary)) if years else (),
        fiscal_title=fiscal.title(years, summary.currency) if years else "",
        fiscal_note=_sentence(FISCAL_NOTE) if years else "",
        fiscal_chart=fiscal_chart,
        answers=found,
        answer_title=answer_title(summary, found),
        answers_note=ANSWERS_NOTE if found else "",
        description=scenario.description,
    )


def _ai_one_time(run: Run) -> float:
    """The AI programmes' one-time costs over the horizon, the mean cash flow's (as the
    one-time costs chart draws them)."""
    return float(
        np.sum(
            run.cash_line(AI_ONE_TIME, SCENARIO_COLUMN)
            - run.cash_line(AI_ONE_TIME, BASELINE_COLUMN)
        )
    )


# ------------------------------------------------------------------ a comparison


#: what a comparison's cells hold (COMPARISON_NOTES says it in full)
COMPARISON_TITLE = "The headlines side by side: the mean cash flow's figures (P10 to P90)"


def comparison_board(comparison: Comparison[RunFolder]) -> Board:
    """The board pack of a comparison: its table, its five charts, each run's source."""
    runs = comparison.runs
    slides = []
    with style.chart_style():
        compared = Compared.of(comparison)
        # as pictures: python-pptx draws neither their bands nor their whiskers
        for stem, figure in comparison_figures(compared).items():
            notes = f"{compared.source_line()}."
            slides.append(chart_slide(stem, figure, None, notes))
    first = runs[0].summary
    source = source_text(
        [r.summary.version for r in runs],
        scenario_text([(r.name, r.summary.scenario.sha256) for r in runs]),
        [r.summary.seed for r in runs],
        [r.summary.replications for r in runs],
    )
    names = ", ".join(r.name for r in runs)
    pairs = zip(runs[1:], comparison.differences[1:], strict=True)
    unpaired = [run.name for run, difference in pairs if difference is None]
    caveats = ["Figures marked illustrative in the scenarios are assumptions."]
    if unpaired:
        caveats.append(f"Not paired with {runs[0].name} (another seed or count): {unpaired}.")
    found = comparison_answers(comparison)
    return Board(
        "comparison",
        f"Comparison: {names}",
        _compared_facts([r.summary for r in runs]),
        tuple(comparison_rows(comparison)),
        tuple(slides),
        Assumptions((), "Each scenario's assumptions are in its own run's report."),
        _method(first) + " Compared scenarios run on the same seed and replications, so their "
        "differences are paired replication by replication.",
        _compared_uncertainty([r.summary for r in runs]),
        tuple(caveats),
        source,
        table_title=COMPARISON_TITLE,
        table_notes=tuple(_sentence(note) for note in COMPARISON_NOTES),
        answers=found,
        answer_title=comparison_answer_title(found),
        answers_note=COMPARED_NOTE if found else "",
    )


__all__ = ["Board", "ChartSlide", "NativeChart", "comparison_board", "run_board"]
