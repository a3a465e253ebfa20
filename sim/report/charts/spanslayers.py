"""Chart 13: spans and layers before and after the plan, the org designer's view.

One row for the whole organisation, then one a unit: on the left its layers
(ICs included) at the start and at the end, on the right its average span of
control (direct reports per manager: the people who have a manager over the
managers), a grey dot before and a blue dot after. The counts are the headcount
bridge's month-end means by layer.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from sim.report.charts import style
from sim.report.charts.data import Run, Shape, shapes
from sim.report.text import calendar_month

#: a span change smaller than this (reports per manager) reads as "unchanged"
SAME_SPAN = 0.05
DOT = 16


def titles(found: Sequence[Shape]) -> list[str]:
    """Candidates, the most said first: how the average span moved and how many units
    lost (or gained) a layer."""
    if not found or found[0].span_before is None or found[0].span_after is None:
        return ["No managers to compare"]
    whole, units = found[0], found[1:]
    before, after = whole.span_before, whole.span_after
    assert before is not None and after is not None  # checked above
    if abs(after - before) < SAME_SPAN:
        span = f"Spans stay at {after:.1f} direct reports per manager"
        terse = f"Spans stay at {after:.1f} reports per manager"
    else:
        verb = "widen" if after > before else "narrow"
        span = f"Spans {verb} from {before:.1f} to {after:.1f} direct reports per manager"
        terse = f"Spans {verb} {before:.1f} → {after:.1f} reports per manager"
    fewer = sum(u.layers_after < u.layers_before for u in units)
    more = sum(u.layers_after > u.layers_before for u in units)
    if fewer == 0 and more == 0:
        layers = "no unit changes its layers"
    elif fewer == len(units):
        layers = "every unit loses a layer" if len(units) > 1 else f"{units[0].name} loses a layer"
    elif fewer:
        layers = f"{fewer} of {len(units)} units lose a layer"
    else:
        layers = f"{more} of {len(units)} units gain a layer"
    return [f"{span}; {layers}", f"{terse}; {layers}", span]


def _dumbbell(ax: Axes, rows: Sequence[Shape], before: str, after: str, digits: int) -> None:
    for k, row in enumerate(rows):
        first, last = getattr(row, before), getattr(row, after)
        if first is None or last is None:
            continue
        ax.plot([first, last], [k, k], color=style.MUTED, linewidth=2.5, zorder=1)
        ax.scatter([first], [k], s=DOT**2, color=style.GREY, zorder=2)
        ax.scatter([last], [k], s=DOT**2, color=style.BLUE, zorder=3)
        text = f"{first:.{digits}f} → {last:.{digits}f}" if first != last else f"{last:.{digits}f}"
        ax.annotate(
            text,
            (max(first, last), k),
            xytext=(16, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=style.LABEL_PT,
            fontweight="bold" if k == 0 else "normal",
            color=style.INK,
        )
    values = [v for r in rows for v in (getattr(r, before), getattr(r, after)) if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    span = max(high - low, 1.0)
    ax.set_xlim(max(0.0, low - 0.25 * span), high + 0.6 * span)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)))
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    found = shapes(run)
    if not found:
        style.frame(figure, "No layers counted in this run folder", "", run.source_line())
        return figure
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.05
    layers = figure.add_axes((0.25, style.AXES_BOTTOM, 0.3, height))
    spans = figure.add_axes((0.63, style.AXES_BOTTOM, 0.33, height))
    _dumbbell(layers, found, "layers_before", "layers_after", 0)
    _dumbbell(spans, found, "span_before", "span_after", 1)
    layers.xaxis.set_major_locator(MaxNLocator(integer=True))
    spans.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    layers.set_yticklabels([s.name for s in found], fontsize=style.LABEL_PT)
    layers.get_yticklabels()[0].set_fontweight("bold")
    spans.set_yticklabels([])
    layers.set_title("Layers, ICs included")
    spans.set_title("Average span of control")
    layers.set_xlabel("Layers")
    spans.set_xlabel("Direct reports per manager")
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=DOT * 0.8, color=c)
        for c in (style.GREY, style.BLUE)
    ]
    labels = [
        f"Start of {calendar_month(run.months[0])}",
        f"End of {calendar_month(run.months[-1])}",
    ]
    style.legend_row(figure, handles, labels)
    subtitle = (
        f"Each unit's layers with people and its average span, {run.mean_of}; the whole "
        "organisation's layers are its deepest unit's"
    )
    style.frame(figure, style.fitting_title(figure, titles(found)), subtitle, run.source_line())
    return figure
