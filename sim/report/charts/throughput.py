"""Chart 5: work done and cycle time, each against the status quo."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import calendar_month

DAYS_PER_WEEK = 7
#: a change smaller than this (percent) reads as "unchanged"
UNCHANGED_PCT = 0.5
#: a monthly swing in cycle time this large (a share) is worth its own words
SWING = 0.10
#: cycle times shorter than this many weeks read better in days
DAYS_BELOW_WEEKS = 3


@dataclass(frozen=True)
class Change:
    """A change against the status quo in words, and whether the words are a
    comparative ('3.2% longer') that reads on with 'than the status quo'."""

    words: str
    comparative: bool = False

    @property
    def unchanged(self) -> bool:
        return self.words == UNCHANGED


UNCHANGED = "unchanged"
SAME_CYCLE_TIME = Change("same cycle time")


def _change(share: float | None, up: str, down: str) -> Change:
    """'unchanged', '3.2% more', '12% less' for a change given as a fraction."""
    if share is None or not np.isfinite(share):
        return Change("n/a")
    value = 100 * share
    if abs(value) < UNCHANGED_PCT:
        return Change(UNCHANGED)
    digits = 0 if abs(value) >= 10 else 1
    return Change(f"{abs(value):.{digits}f}% {up if value > 0 else down}", comparative=True)


def cycle_time_story(run: Run) -> Change:
    """How cycle time compares with the status quo: over the horizon, or, where a
    wave pushes it far off for a while, at worst and at the end."""
    plan = run.get("cycle_time_mean").p50
    base = run.get("baseline_cycle_time_mean").p50
    with np.errstate(all="ignore"):
        ratio = np.where(base > 0, plan / base - 1, np.nan)
    overall = _change(run.headline("cycle_time_change").p50, "longer", "shorter")
    if not np.isfinite(ratio).any():
        return Change(f"cycle time {overall.words}", overall.comparative)
    worst = float(ratio[np.nanargmax(np.abs(ratio))])
    tail = ratio[-3:]
    end = float(np.nanmean(tail)) if np.isfinite(tail).any() else worst
    if abs(worst) >= SWING and abs(end) < abs(worst) / 2:
        when = calendar_month(run.months[-1])
        return Change(f"cycle time {100 * worst:+.0f}% at worst, {100 * end:+.0f}% by {when}")
    if overall.unchanged:
        return SAME_CYCLE_TIME
    return Change(f"cycle time {overall.words}", overall.comparative)


def _title(run: Run) -> str:
    if run.summary.flow_replications == 0:
        return "Work flow not simulated: money and headcount only"
    work = _change(run.headline("throughput_change").p50, "more", "less")
    cycle = cycle_time_story(run)
    if work.unchanged and cycle == SAME_CYCLE_TIME:
        return "Work done and cycle time as in the status quo"
    first = "Same work done" if work.unchanged else f"{work.words.capitalize()} work done"
    title = f"{first}; {cycle.words}"
    if run.replications > 1:  # the P50s, said as such: the table's first column is the mean
        title = f"Median: {title[0].lower()}{title[1:]}"
    return title + " than the status quo" if cycle.comparative else title


def _panel(ax: Axes, run: Run, metric: str, scale: float, colour: str) -> None:
    x = run.x
    plan, base = run.get(metric), run.get(f"baseline_{metric}")
    style.band(ax, x, base.p10 * scale, base.p90 * scale, style.GREY)
    style.band(ax, x, plan.p10 * scale, plan.p90 * scale, colour)
    ax.plot(x, base.p50 * scale, color=style.BLACK, linestyle=(0, (4, 2)), linewidth=2.5)
    ax.plot(x, plan.p50 * scale, color=colour, linewidth=3.5)
    top = np.nanmax(np.concatenate([plan.p90 * scale, base.p90 * scale, [0.0]]))
    ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)
    style.month_axis(ax, run.months, max_ticks=7)


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.07
    left = figure.add_axes((0.095, style.AXES_BOTTOM, 0.38, height))
    right = figure.add_axes((0.59, style.AXES_BOTTOM, 0.38, height))

    _panel(left, run, "throughput", 1.0, style.BLUE)
    style.count_axis(left.yaxis)
    left.set_ylabel("Work items done a month")
    left.set_title("Work done")

    weeks = run.get("baseline_cycle_time_mean").p50
    in_days = bool(np.isfinite(weeks).any()) and float(np.nanmax(weeks)) < DAYS_BELOW_WEEKS
    scale, unit = (DAYS_PER_WEEK, "days") if in_days else (1.0, "weeks")
    _panel(right, run, "cycle_time_mean", scale, style.ORANGE)
    right.set_ylabel(f"Mean cycle time ({unit})")
    right.set_title("Cycle time, arrival to done")

    handles: list[Artist] = [
        Line2D([], [], color=style.BLUE, linewidth=3.5),
        Line2D([], [], color=style.ORANGE, linewidth=3.5),
        Line2D([], [], color=style.BLACK, linestyle=(0, (4, 2)), linewidth=2.5),
    ]
    labels = ["Plan: work done", "Plan: cycle time", "Status quo"]
    if run.replications > 1:
        handles.append(Patch(color=style.GREY, alpha=style.BAND_ALPHA))
        labels.append("P10-P90")
    style.legend_row(figure, handles, labels)

    work = run.headline("throughput_change")
    cycle = run.headline("cycle_time_change")
    subtitle = "Monthly P50 against the status quo twin (same demand, no cuts, no AI)"
    if work.p50 is not None and cycle.p50 is not None:
        subtitle = (
            f"Over the whole horizon: work done {work.p50:+.1%}, cycle time "
            f"{cycle.p50:+.1%} (P50) against the status quo, with the same demand"
        )
    style.frame(figure, _title(run), subtitle, run.flow_source_line())
    return figure
