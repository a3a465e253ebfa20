"""The spider: NPV against each input as it moves through its range, one line an input.

The tornado says how far each input moves the NPV; the spider says which way and
how steeply. An uncertain input's line runs through its P10, median and P90
(percentiles on the x axis); a fixed input's through its low value, the value as
written and its high value (% change on the x axis). With both kinds of input the
slide has a panel for each, on one NPV scale. Every point is the mean NPV of the
same replications on the same random numbers, the other inputs at their
medians or as written, so the lines cross at the base NPV.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from sim.report.charts import style
from sim.report.charts.study import line_value, study_source, title_tails
from sim.report.charts.tornado import end_label
from sim.report.text import money

if TYPE_CHECKING:  # a tornado is plain data; the chart runs nothing of the study
    from sim.report.studysource import StudySource
    from sim.studies.sensitivity import Swing, Tornado

#: the most inputs a slide shows (largest swings); the rest are in sensitivity.csv
MAX_LINES = 7
COLOURS = (
    style.BLUE,
    style.ORANGE,
    style.GREEN,
    style.VERMILLION,
    style.PURPLE,
    style.SKY,
    style.GREY,
)
BASE: dict = {"color": style.BLACK, "linestyle": (0, (4, 2)), "linewidth": 1.5}
#: characters a line's name wraps at, beside its panel
WRAP = 21


def _points(swing: Swing, base: float) -> tuple[np.ndarray, np.ndarray]:
    positions = swing.positions()
    assert positions is not None
    xs = np.array(positions)
    ys = np.array([swing.low.npv, base, swing.high.npv])
    order = np.argsort(xs, kind="stable")
    return xs[order], ys[order]


def _titles(result: Tornado, shown: list[Swing], currency: str) -> list[str]:
    if not shown or shown[0].npv_swing < 1.0:
        return ["No input moves the mean NPV"]
    top = shown[0]
    low, high = money(top.low.npv, currency), money(top.high.npv, currency)
    ends = [end_label(top, False, currency), end_label(top, True, currency)]
    return [
        f"Mean NPV goes from {low} to {high} as {name} goes from {ends[0]} to {ends[1]}"
        for name in title_tails(top.label, top.unit)
    ] + [f"Mean NPV is most sensitive to {name}" for name in title_tails(top.label, top.unit)]


def _panel(ax: Axes, swings: list[Swing], colours: dict[str, str], base: float, kind: str) -> None:
    entries = []
    for swing in swings:
        xs, ys = _points(swing, base)
        ax.plot(xs, ys, color=colours[swing.path], marker="o", markersize=9, linewidth=3)
        entries.append((float(ys[-1]), swing.label, colours[swing.path]))
    ax.axhline(base, **BASE)
    if kind == "uncertain":
        ax.xaxis.set_major_locator(FixedLocator([10, 50, 90]))
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _: "median" if v == 50 else f"P{v:.0f}")
        )
        ax.set_xlim(5, 95)
        ax.set_xlabel("Percentile of the uncertain input")
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, symmetric=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+.0f}%" if v else "0%"))
        xs = np.concatenate([_points(s, base)[0] for s in swings])
        pad = 0.08 * (xs.max() - xs.min() or 1.0)
        ax.set_xlim(xs.min() - pad, xs.max() + pad)
        ax.set_xlabel("Change from the value as written (0%)")
    ax.grid(True, axis="both")
    _names(ax, entries)


NBSP = "\u00a0"


def _unit_kept_whole(text: str) -> str:
    """The label with the spaces of its bracketed unit made non-breaking (textwrap breaks
    only at ASCII whitespace)."""
    head, bracket, unit = text.rpartition(" (")
    return f"{head}{bracket}{unit.replace(' ', NBSP)}" if bracket else text


def _names(ax: Axes, entries: list[tuple[float, str, str]]) -> None:
    """Each line's name just right of the panel at its last value, wrapped, nudged apart."""
    figure = style.figure_of(ax)
    shown = sorted(entries, key=lambda e: e[0])
    low, high = ax.get_ylim()
    height_px = ax.get_window_extent().height
    # a unit in brackets stays on one line: "(% a year)", never "(% a" / "year)"
    wrapped = [textwrap.fill(_unit_kept_whole(text), WRAP) for _, text, _ in shown]
    lines = max(t.count("\n") + 1 for t in wrapped)
    gap = lines * style.NOTE_PT * 1.3 * figure.dpi / 72 / height_px * (high - low)
    ys = style.spread([y for y, _, _ in shown], gap, low, high)
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    for (_, _, colour), text, y in zip(shown, wrapped, ys, strict=True):
        line_value(ax, (1.0, y), text, colour, beside, pad_pt=10)


def draw(result: Tornado, source: StudySource) -> Figure:
    currency = source.currency
    drawable = [s for s in result.swings if s.positions() is not None]
    shown = drawable[:MAX_LINES]
    colours = {s.path: COLOURS[k % len(COLOURS)] for k, s in enumerate(shown)}
    groups = [
        (kind, [s for s in shown if s.kind == kind])
        for kind in ("uncertain", "fixed")
        if any(s.kind == kind for s in shown)
    ]
    figure = style.new_figure()
    top = style.AXES_TOP - 0.04
    height = top - style.AXES_BOTTOM
    # each panel's lines are named to its right, so the panels leave room beside them
    width = 0.55 if len(groups) == 1 else 0.23
    lefts = [0.095] if len(groups) == 1 else [0.095, 0.545]
    axes = [figure.add_axes((x, style.AXES_BOTTOM, width, height)) for x in lefts[: len(groups)]]
    if len(axes) == 2:  # one NPV scale: the right panel's ticks would repeat the left's
        axes[1].sharey(axes[0])
        axes[1].tick_params(labelleft=False)
    values = [result.base.npv] + [v for s in shown for v in (s.low.npv, s.high.npv)]
    for ax, (kind, swings) in zip(axes, groups, strict=True):
        style.value_limits(ax, min(values), max(values), 0.08, 0.08)
        style.money_axis(ax.yaxis, currency)
        _panel(ax, swings, colours, result.base.npv, kind)
    if axes:
        axes[0].set_ylabel(f"Mean NPV ({currency})")
    base = Line2D([], [], **BASE)
    style.legend_row(figure, [base], [f"Base: NPV {money(result.base.npv, currency)}"])

    said = [
        "Mean NPV with each input moved alone through its range, the others at their "
        "medians or as written, on the same random numbers",
        "Mean NPV with each input moved alone through its range, the others at their "
        "medians or as written",
        "Mean NPV with each input moved alone through its range",
    ]
    if len(result.swings) > len(shown):  # the count is said whatever else goes
        said = [f"{s}; the {len(shown)} largest of {len(result.swings)} inputs" for s in said]
    subtitle = style.fitting_title(figure, said, subtitle=True)
    title = style.fitting_title(figure, _titles(result, shown, currency))
    style.frame(figure, title, subtitle, study_source(source))
    return figure


def draw_spider(
    result: Tornado, source: StudySource, out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """The spider slide into ``out_dir``; return the files written."""
    with style.chart_style():
        return style.save(draw(result, source), Path(out_dir), "spider", formats)
