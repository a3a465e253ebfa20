"""Chart 1: headcount over time, stacked by level, against the status quo's total.

The ICs are most of any organisation, so the managers' levels are drawn twice:
in the whole (left) and on their own scale (right), where a cut is visible.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import calendar_month, headline_cell, significant

#: manager levels smaller than this share of all managers are grouped with those
#: above: a sliver a few pixels high cannot be read on a slide
MIN_VISIBLE_SHARE = 0.06
#: legend labels longer than this wrap onto a second line
LEGEND_CHARS = 18
STATUS_QUO_LINE: dict[str, Any] = {"color": style.BLACK, "linestyle": (0, (4, 2)), "linewidth": 3}


@dataclass(frozen=True)
class Layer:
    label: str
    colour: str
    values: np.ndarray  # P50 headcount a month
    manager: bool


def _peak(values: list[np.ndarray]) -> float:
    return float(np.sum(values, axis=0).max()) if values else 0.0


def layers(run: Run) -> list[Layer]:
    """The stack from the ICs up: each manager level, small top levels grouped
    together, then the new roles."""
    levels = [np.nan_to_num(run.level(k).p50) for k in range(run.level_count)]
    colours = style.LEVEL_COLOURS
    if not levels:  # an output folder from before levels were recorded
        return [Layer("Everyone", style.BLUE, np.nan_to_num(run.get("headcount").p50), False)]
    stack = [Layer(run.level_short_label(0), colours[0], levels[0], False)]
    managers = _peak(levels[1:])
    for k in range(1, len(levels)):
        above = levels[k:]
        if len(above) > 1 and _peak(above) < MIN_VISIBLE_SHARE * managers:
            label = run.level_short_label(k, and_above=True)
            stack.append(Layer(label, colours[k % len(colours)], np.sum(above, axis=0), True))
            break
        stack.append(Layer(run.level_short_label(k), colours[k % len(colours)], levels[k], True))
    roles = np.nan_to_num(run.get("new_roles_headcount").p50)
    if roles.max() > 0:
        stack.append(Layer("New AI roles", style.VERMILLION, roles, False))
    return stack


def _title(run: Run) -> str:
    """Start and end as the headline table writes them (the headline P50s), and the
    gap to the status quo at the end (its headline P50, where the folder has it)."""
    end = run.get("headcount").p50[-1]
    base_end = run.get("baseline_headcount").p50[-1]
    when = calendar_month(run.months[-1])
    # the P50s, said as such: the table's first column is the mean (issue 26)
    what = "Median headcount" if run.replications > 1 else "Headcount"
    change = f"{what} {_headline(run, 'headcount_start', 0)} → "
    change += f"{_headline(run, 'headcount_end', -1)} by {when}"
    gap_name = "headcount_change_vs_status_quo"
    median_change = run.headline(gap_name).p50
    if median_change is not None:
        gap = -median_change
        gap_text = headline_cell(run.summary, gap_name).lstrip("+-")
    else:  # a folder from before the headline
        gap = base_end - end
        gap_text = significant(abs(gap))
    if not np.isfinite(gap) or abs(gap) < 0.005 * max(base_end, 1):
        return f"{change}, the same as the status quo"
    relation = "below" if gap > 0 else "above"
    return f"{change}, {gap_text} {relation} the status quo"


def _headline(run: Run, name: str, month: int) -> str:
    if run.headline(name).p50 is not None:
        return headline_cell(run.summary, name)
    return significant(float(run.get("headcount").p50[month]))


def _everyone(ax: Axes, run: Run, stack: list[Layer]) -> None:
    x = run.x
    ax.stackplot(x, *[s.values for s in stack], colors=[s.colour for s in stack], linewidth=0)
    total, baseline = run.get("headcount"), run.get("baseline_headcount")
    style.band(ax, x, total.p10, total.p90, style.BLACK)
    style.band(ax, x, baseline.p10, baseline.p90, style.GREY)
    ax.plot(x, baseline.p50, **STATUS_QUO_LINE)
    top = np.nanmax(np.concatenate([baseline.p90, total.p90, [1.0]]))
    ax.set_ylim(0, top * 1.08)
    style.count_axis(ax.yaxis)
    style.month_axis(ax, run.months, max_ticks=9)
    ax.set_ylabel("People")
    ax.set_title("Everyone")


def _managers(ax: Axes, run: Run, stack: list[Layer]) -> None:
    x = run.x
    managers = [s for s in stack if s.manager]
    if not managers:
        ax.set_axis_off()
        return
    ax.stackplot(x, *[s.values for s in managers], colors=[s.colour for s in managers], linewidth=0)
    baseline = sum(
        (np.nan_to_num(run.level(k, baseline=True).p50) for k in range(1, run.level_count)),
        np.zeros(len(x)),
    )
    ax.plot(x, baseline, **STATUS_QUO_LINE)
    top = max(float(baseline.max()), _peak([s.values for s in managers]), 1.0)
    ax.set_ylim(0, top * 1.08)
    style.count_axis(ax.yaxis)
    style.month_axis(ax, run.months, max_ticks=4)
    ax.set_title("Managers")


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.04
    left = figure.add_axes((0.085, style.AXES_BOTTOM, 0.44, height))
    right = figure.add_axes((0.6, style.AXES_BOTTOM, 0.17, height))
    stack = layers(run)
    _everyone(left, run, stack)
    _managers(right, run, stack)

    handles: list[Artist] = [Patch(color=s.colour) for s in stack[::-1]]
    labels = [textwrap.fill(s.label, LEGEND_CHARS) for s in stack[::-1]]
    handles.append(Line2D([], [], **STATUS_QUO_LINE))
    labels.append("Status quo")
    right.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(1.08, 1.0),
        borderaxespad=0,
        handlelength=1.4,
        labelspacing=0.7,
    )
    _fit_legend(figure, right)

    subtitle = "People by level, P50; dashed: the status quo, with no cuts and no AI"
    if run.replications > 1:
        subtitle += "; grey: P10-P90"
    style.frame(figure, _title(run), subtitle, run.source_line())
    return figure


def _fit_legend(figure: Figure, ax: Axes) -> None:
    """Shrink the legend's type until it fits on the slide."""
    renderer = style.renderer_of(figure)
    legend = ax.get_legend()
    assert legend is not None, "the panel has its legend before it is fitted"
    size = style.LEGEND_PT
    while legend.get_window_extent(renderer).x1 > 0.99 * figure.bbox.width and size > 10:
        size -= 1
        for text in legend.get_texts():
            text.set_fontsize(size)
