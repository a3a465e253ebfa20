"""Comparison charts: scenarios side by side, run on the same random numbers.

Five slides, each scenario in the same colour on all of them:

1. cumulative net cash against each scenario's status quo, one line a scenario;
2. headcount, one line a scenario;
3. work done a month, one line a scenario;
4. NPV a scenario, ranked best first, with its P10-P90 range and, where the runs
   are paired, the difference from the first scenario replication by replication;
5. NPV's cumulative probability (S-curves) overlaid, with each P(NPV > 0).

Lines are P50 with the P10-P90 range shaded. Scenarios on different calendars
share one axis of months.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.report.charts import scurve, study, style
from sim.report.charts.data import ALL, scenario_text, source_text
from sim.report.charts.study import BarRow, bar_rows, end_values
from sim.report.runfolder import RunFolder, Series
from sim.report.text import calendar_month, money, percent, significant
from sim.runs.bands import Band
from sim.runs.headlines import HEADCOUNT_END, NPV, THROUGHPUT_CHANGE
from sim.scenario import months as calendar_months

if TYPE_CHECKING:  # a comparison is plain data; the charts need nothing of the study's code
    from sim.studies.compare import Comparison

#: one colour a scenario, the same on every slide (no yellow: it vanishes on white)
COLOURS = (style.BLUE, style.ORANGE, style.GREEN, style.VERMILLION, style.PURPLE, style.SKY)
#: differences smaller than this share read as "the same"
SAME_SHARE = 0.005


@dataclass(frozen=True)
class Line:
    """One scenario as drawn: its label, its colour and where its months start."""

    run: RunFolder
    label: str
    colour: str
    offset: int  # index of its first month on the shared calendar


@dataclass(frozen=True)
class Compared:
    """A comparison read for drawing: the shared calendar and a line a scenario."""

    comparison: Comparison[RunFolder]
    months: list[str]
    lines: list[Line]

    @classmethod
    def of(cls, comparison: Comparison[RunFolder]) -> Compared:
        first = min(calendar_months.parse(run.months[0]) for run in comparison.runs)
        last = max(calendar_months.parse(run.months[-1]) for run in comparison.runs)
        months = [calendar_months.label(n) for n in range(first, last + 1)]
        labels = _labels([run.name for run in comparison.runs])
        lines = [
            Line(
                run, label, COLOURS[i % len(COLOURS)], calendar_months.parse(run.months[0]) - first
            )
            for i, (run, label) in enumerate(zip(comparison.runs, labels, strict=True))
        ]
        return cls(comparison, months, lines)

    @property
    def x(self) -> np.ndarray:
        return np.arange(1, len(self.months) + 1)

    @property
    def currency(self) -> str:
        return self.lines[0].run.summary.currency

    @property
    def several_replications(self) -> bool:
        return any(line.run.summary.replications > 1 for line in self.lines)

    def series(self, line: Line, metric: str) -> Series:
        """A monthly series of one scenario on the shared calendar (NaN where it has none)."""
        found = line.run.series.get((ALL, metric))
        if found is None:
            return Series.empty(len(self.months))
        return found.shifted(line.offset, len(self.months))

    def end(self, line: Line, metric: str) -> float:
        """The scenario's P50 in its last month."""
        found = line.run.series.get((ALL, metric))
        return float(found.p50[-1]) if found is not None and len(found.p50) else float("nan")

    @property
    def same_calendar(self) -> bool:
        return len({line.run.months for line in self.lines}) == 1

    def by_the_end(self) -> str:
        """' by Jun 2028' where every scenario ends then; else nothing (each its own end)."""
        return f" by {calendar_month(self.months[-1])}" if self.same_calendar else ""

    def ends_early(self, line: Line) -> bool:
        return line.offset + len(line.run.months) < len(self.months)

    def source_line(self) -> str:
        runs = [line.run.summary for line in self.lines]
        return source_text(
            [s.version for s in runs],
            scenario_text([(s.scenario.name, s.scenario.sha256) for s in runs]),
            [s.seed for s in runs],
            [s.replications for s in runs],
        )


def _labels(names: Sequence[str]) -> list[str]:
    """Scenario names, told apart where two are the same: 'plan', 'plan #2'."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return labels


def _same(values: Sequence[float]) -> bool:
    """Values equal to within half a percent of the largest (or one unit)."""
    finite = [v for v in values if np.isfinite(v)]
    if len(finite) < 2:
        return True
    scale = max(max(abs(v) for v in finite), 1.0)
    return max(finite) - min(finite) <= max(SAME_SHARE * scale, 1.0)


# ------------------------------------------------------------------ the line charts


@dataclass(frozen=True)
class Overlay:
    """One of the line slides: which series, how its numbers read, its title."""

    metric: str
    ylabel: str
    tick: Callable[[Compared], Callable[[float], str]]
    value: Callable[[Compared, float], str]
    titles: Callable[[Compared], list[str]]  # the most said first
    subtitle: str


def _overlay(compared: Compared, overlay: Overlay) -> Figure:
    figure = style.new_figure()
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.8, style.AXES_TOP - style.AXES_BOTTOM))
    x = compared.x
    bands = [compared.series(line, overlay.metric) for line in compared.lines]
    shaded = _shaded(compared)
    for line, band in zip(compared.lines, bands, strict=True):
        if shaded:
            style.band(ax, x, band.p10, band.p90, line.colour)
        ax.plot(x, band.p50, color=line.colour, linewidth=3.5)
    values = np.concatenate([np.concatenate([b.p10, b.p90, b.p50]) for b in bands])
    values = values[np.isfinite(values)]  # a run without the work flow has no work done
    low, high = (float(values.min()), float(values.max())) if values.size else (np.nan, np.nan)
    if overlay.metric == "cumulative_net_cash":
        low, high = min(low, 0.0), max(high, 0.0)
        ax.axhline(0, color=style.MUTED, linewidth=1.5)
    style.value_limits(ax, low, high, 0.08, 0.08)
    tick = overlay.tick(compared)
    ax.yaxis.set_major_formatter(lambda v, _: tick(v))
    style.month_axis(ax, compared.months)
    ax.set_ylabel(overlay.ylabel)

    ends = [(line, compared.end(line, overlay.metric)) for line in compared.lines]
    end_values(
        ax,
        [
            (value, overlay.value(compared, value), line.colour)
            for line, value in ends
            if not compared.ends_early(line)
        ],
    )
    for line, value in ends:
        if compared.ends_early(line):  # named where it ends, inside the plot
            end = (line.offset + len(line.run.months), value)
            study.line_value(ax, end, overlay.value(compared, value), line.colour)
    handles: list[Artist] = [
        Line2D([], [], color=line.colour, linewidth=3.5) for line in compared.lines
    ]
    labels = [line.label for line in compared.lines]
    if shaded:  # the swatch in a band's own colour, as drawn
        handles.append(Patch(color=compared.lines[0].colour, alpha=style.BAND_ALPHA))
        labels.append("P10-P90, in each colour")
    style.legend_row(figure, handles, labels)
    if shaded:
        subtitle = overlay.subtitle + "; P50 lines, P10-P90 shaded"
    elif compared.several_replications:
        subtitle = overlay.subtitle + "; P50 lines (the P10-P90 of each run: its own charts)"
    else:
        subtitle = overlay.subtitle
    if not compared.same_calendar:
        subtitle += "; each scenario over its own months"
    title = style.fitting_title(figure, overlay.titles(compared))
    style.frame(figure, title, subtitle, compared.source_line())
    return figure


#: more lines than this and their shaded bands overlap into mud: lines only
MAX_SHADED_LINES = 2


def _shaded(compared: Compared) -> bool:
    """Whether the line charts shade each scenario's P10-P90: with several replications,
    and few enough lines that the bands stay apart."""
    return compared.several_replications and len(compared.lines) <= MAX_SHADED_LINES


def _ranked_ends(compared: Compared, metric: str) -> list[tuple[float, Line]]:
    """(last P50, line) from the highest to the lowest."""
    ends = [(compared.end(line, metric), line) for line in compared.lines]
    return sorted(ends, key=lambda e: -e[0] if np.isfinite(e[0]) else np.inf)


def _cash_titles(compared: Compared) -> list[str]:
    ranked = _ranked_ends(compared, "cumulative_net_cash")
    currency, when = compared.currency, compared.by_the_end()
    if _same([value for value, _ in ranked]):
        same = money(ranked[0][0], currency)
        return [f"The same net cash in every scenario: {same}{when}"]
    (best, line), (second, other) = ranked[0], ranked[1]
    ahead = money(best - second, currency)
    # the lines' P50s, said as such: the table's figures are the mean cash flow's
    return [
        f"Median: {line.label} ends {ahead} ahead of {other.label}{when}",
        f"Median: {line.label} ends {ahead} ahead of {other.label}",
        f"Median: {line.label} ends furthest ahead, by {ahead}",
        f"Furthest ahead by the median: {line.label}",
    ]


def _mean_headcount(line: Line) -> float:
    value = line.run.summary.headline[HEADCOUNT_END.name].mean
    return math.nan if value is None else float(value)


def _headcount_titles(compared: Compared) -> list[str]:
    """The takeaway in the tables' own figure: each run's mean headcount at the end, to
    three significant figures, as its table and the comparison's give it."""
    ends = [(_mean_headcount(line), line) for line in compared.lines]
    ranked = sorted(ends, key=lambda e: -e[0] if np.isfinite(e[0]) else np.inf)
    when = compared.by_the_end()
    if _same([value for value, _ in ranked]):
        return [f"The same mean headcount in every scenario: {significant(ranked[0][0])}{when}"]
    fewest, line = ranked[-1]
    return [
        f"{line.label} ends with the fewest staff: mean {significant(fewest)}{when}",
        f"{line.label} ends with the fewest staff: mean {significant(fewest)}",
        f"Fewest staff: {line.label}",
    ]


def _work_change(line: Line) -> float:
    value = line.run.summary.headline[THROUGHPUT_CHANGE.name].mean
    return math.nan if value is None else float(value)


def _work_titles(compared: Compared) -> list[str]:
    """The takeaway in the tables' own figure: work done against each run's status quo
    over the horizon, the mean, as the comparison's table gives it. (Ranked once by the
    horizon's average month, it named a scenario the table and the labels put second.)"""
    ranked = sorted(
        ((v, line) for line in compared.lines if np.isfinite(v := _work_change(line))),
        key=lambda e: -e[0],
    )
    if not ranked:  # a title must be true of the data: there is none to compare
        return ["Work done not simulated: these runs are money and headcount only"]
    if len(ranked) == 1:
        most, line = ranked[0]
        return [
            f"Only {line.label} simulated the work flow: mean {percent(100 * most)} work done "
            "against its status quo",
            f"Only {line.label} simulated the work flow",
        ]
    if _same([1000 * v for v, _ in ranked]):  # within 0.1 point
        return ["About the same work done in every scenario, against its status quo"]
    (most, high), (least, low) = ranked[0], ranked[-1]
    best, worst = percent(100 * most), percent(100 * least)
    return [
        f"{high.label} does the most work: mean {best} against its status quo, {low.label} {worst}",
        f"{high.label} does the most work: mean {best} against its status quo",
        f"Most work done: {high.label}, mean {best}",
        f"Most work done: {high.label}",
    ]


def _money_tick(compared: Compared) -> Callable[[float], str]:
    return lambda v: style.tick_money(v, compared.currency)


def _count_tick(_compared: Compared) -> Callable[[float], str]:
    return style.tick_count


OVERLAYS = {
    "compare-1-cumulative-net-cash": Overlay(
        "cumulative_net_cash",
        "Cumulative net cash",
        _money_tick,
        lambda c, v: money(v, c.currency),
        _cash_titles,
        "Savings minus costs against each scenario's status quo, added up month by month",
    ),
    "compare-2-headcount": Overlay(
        "headcount",
        "People",
        _count_tick,
        lambda _c, v: significant(v),
        _headcount_titles,
        "Active staff a month, new AI roles included",
    ),
    "compare-3-throughput": Overlay(
        "throughput",
        "Work items done a month",
        _count_tick,
        lambda _c, v: style.tick_count(v),
        _work_titles,
        "Work items completed a month, over the whole organisation",
    ),
}


# ------------------------------------------------------------------ the NPV bars


def _npv(line: Line) -> Band:
    return line.run.summary.headline[NPV.name]


def _difference_text(compared: Compared, line: Line, index: int) -> str:
    """'+$2.3B vs ecommerce-2026 (P10-P90 +$2.2B to +$2.4B)', paired; or why not."""
    if index == 0:
        return "the reference: differences are against this scenario"
    difference = compared.comparison.differences[index]
    currency = compared.currency
    if difference is None:
        return "not paired with the first (another seed or replication count)"
    npv = difference[NPV.name]

    def signed(value: float | None) -> str:
        text = money(value, currency)
        return text if text.startswith("-") or value is None else "+" + text

    first = compared.lines[0].label
    if npv.p10 == npv.p90 == npv.mean == 0:
        return f"the same as {first}, replication by replication"
    text = f"{signed(npv.mean)} vs {first}"
    low, high = signed(npv.p10), signed(npv.p90)
    return text + (f" (paired P10-P90 {low} to {high})" if low != high else "")


def _npv_titles(compared: Compared, ranked: list[Line]) -> list[str]:
    """Which scenario has the highest mean NPV (the NPV of its mean cash flow, as each
    run's headline table writes it), and by how much."""
    currency = compared.currency
    means = [(_npv(line).mean or 0.0) for line in ranked]
    if _same(means):
        return [f"The same mean NPV in every scenario: {money(means[0], currency)}"]
    best, more = money(means[0], currency), money(means[0] - means[1], currency)
    name = ranked[0].label
    return [
        f"{name} has the highest mean NPV, {best}: {more} more than {ranked[1].label}",
        f"{name} has the highest mean NPV, {best}: {more} more than the next",
        f"Highest mean NPV: {name}, {best}",
    ]


def _npv_bars(compared: Compared) -> Figure:
    figure = style.new_figure()
    ax = figure.add_axes((0.06, style.AXES_BOTTOM, 0.9, style.AXES_TOP - style.AXES_BOTTOM + 0.05))
    order = {id(run): i for i, run in enumerate(compared.comparison.runs)}
    ranked = [compared.lines[order[id(run)]] for run in compared.comparison.ranked_by_npv()]
    currency = compared.currency
    rows = []
    for line in ranked:
        npv = _npv(line)
        mean = npv.mean or 0.0
        low = npv.p10 if npv.p10 is not None else mean
        high = npv.p90 if npv.p90 is not None else mean
        text = f"mean {money(mean, currency)}"
        low_text, high_text = money(low, currency), money(high, currency)
        if low_text != high_text:
            text += f" (P10-P90 {low_text} to {high_text})"
        if len(ranked) > 1:
            text += "\n" + _difference_text(compared, line, order[id(line.run)])
        rows.append(BarRow(line.label, line.colour, mean, low, high, text))
    bar_rows(ax, rows)
    style.money_axis(ax.xaxis, currency)
    ax.set_xlabel(f"NPV ({currency})")
    subtitle = (
        "Net present value against each scenario's status quo; bars: mean, whiskers: P10-P90; "
        "differences paired replication by replication"
    )
    title = style.fitting_title(figure, _npv_titles(compared, ranked))
    style.frame(figure, title, subtitle, compared.source_line())
    return figure


# ------------------------------------------------------------------ drawing


def draw_comparison(
    comparison: Comparison[RunFolder], out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """The five comparison slides into ``out_dir``; return the files written."""
    paths: list[Path] = []
    with style.chart_style():
        for stem, figure in comparison_figures(Compared.of(comparison)).items():
            paths.extend(style.save(figure, Path(out_dir), stem, formats))
    return paths


def comparison_figures(compared: Compared) -> dict[str, Figure]:
    """The five comparison slides by file stem, in order (draw inside chart_style)."""
    figures = {stem: _overlay(compared, overlay) for stem, overlay in OVERLAYS.items()}
    figures["compare-4-npv"] = _npv_bars(compared)
    figures["compare-5-npv-curve"] = _npv_curves(compared)
    return figures


def _npv_curves(compared: Compared) -> Figure:
    curves = [
        scurve.Curve(line.label, line.colour, scurve.npvs_of(line.run.replications))
        for line in compared.lines
    ]
    subtitle = (
        "Cumulative probability of each scenario's NPV over its replications, on the same "
        "random numbers"
    )
    return scurve.curves_figure(curves, compared.currency, subtitle, compared.source_line())
