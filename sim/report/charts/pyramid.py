"""Chart 2: the organisation's pyramid in the first and the last month.

The whole organisation by level, counted up from the ICs (level 0), the first
month mirrored against the last: one row a level, so a slide holds a handful of
labels in large type however many units there are (each unit's layers are in
the unit chart and the spans chart). The scale is logarithmic, each gridline ten
times the last: the top levels are a thousandth of the ICs, and on a linear scale
their bars would not show. Every bar's number is written at its end.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import calendar_month
from sim.runs.numbers import significant

#: fewer people than this in a level (a mean across replications) count as none
EMPTY = 0.5
#: a change in the number of managers smaller than this share reads as "same"
SAME_SHARE = 0.01
#: where the two halves sit, in figure fractions: the levels' names between them
LEFT_PANEL = (0.06, 0.39)
RIGHT_PANEL = (0.61, 0.94)
BAR_HEIGHT = 0.72
#: the log axis starts here, so that a level of one person still shows a bar
FLOOR = 0.8


def spans(units: list[np.ndarray], levels: int) -> list[float | None]:
    """Reports per manager at each level across units: in every unit, the people of
    the nearest non-empty level below (a removed layer's reports move up), summed,
    per person at the level, summed. None for the ICs and for empty levels.

    ``units`` holds each unit's headcount by level, ICs first."""
    out: list[float | None] = [None]
    for k in range(1, levels):
        managers = reports = 0.0
        for unit in units:
            if len(unit) <= k or unit[k] < EMPTY:
                continue
            below = [unit[j] for j in range(k - 1, -1, -1) if unit[j] >= EMPTY]
            managers += unit[k]
            reports += below[0] if below else 0.0
        out.append(reports / managers if managers >= EMPTY else None)
    return out


def _levels(run: Run, month: int) -> np.ndarray:
    return np.array([np.nan_to_num(run.level(k).p50[month]) for k in range(run.level_count)])


def ics_per_manager(levels: np.ndarray) -> float | None:
    managers = float(levels[1:].sum())
    return float(levels[0]) / managers if managers >= EMPTY else None


def _title(before: np.ndarray, after: np.ndarray) -> str:
    ratio_before, ratio_after = ics_per_manager(before), ics_per_manager(after)
    if ratio_before is None or ratio_after is None:
        return "No managers to compare"
    removed = sum(1 for b, a in zip(before, after, strict=True) if b >= EMPTY > a)
    layers = f"; {removed} layer{'s' if removed != 1 else ''} removed" if removed else ""
    change = after[1:].sum() / before[1:].sum() - 1
    if f"{ratio_after:.1f}" == f"{ratio_before:.1f}":
        ratio = f"still {ratio_after:.1f} ICs per manager"
    else:
        trend = "up" if ratio_after > ratio_before else "down"
        ratio = f"{ratio_after:.1f} ICs per manager, {trend} from {ratio_before:.1f}"
    if abs(change) < SAME_SHARE:
        return f"Same shape: {ratio}{layers}"
    direction = "fewer" if change < 0 else "more"
    return f"{abs(change):.0%} {direction} managers; {ratio}{layers}"


def _subtitle(run: Run) -> str:
    text = (
        f"People by level, ICs at the bottom, P50: grey {calendar_month(run.months[0])}, "
        f"blue {calendar_month(run.months[-1])}; log scale, each gridline 10x the last"
    )
    baseline = np.array(
        [np.nan_to_num(run.level(k, baseline=True).p50[-1]) for k in range(run.level_count)]
    )
    ratio = ics_per_manager(baseline) if baseline.size else None
    if ratio is not None:
        text += f"; status quo at the end: {ratio:.1f} ICs per manager"
    return text


def _log_axis(ax: Axes, top: float) -> None:
    """People on a log scale from the floor to above the largest level, ticks at powers of ten."""
    ax.set_xscale("log")
    ax.set_xlim(FLOOR, top * 8)
    powers = [10.0**p for p in range(0, int(math.log10(top * 8)) + 1)]
    ax.xaxis.set_major_locator(FixedLocator(powers))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: style.tick_count(v)))
    ax.set_yticks([])
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")


def _half(ax: Axes, values: np.ndarray, colour: str, top: float, mirrored: bool) -> None:
    """One month's levels as bars from the centre outwards, each labelled at its end."""
    rows = np.arange(values.size)
    widths = np.where(values >= EMPTY, values - FLOOR, 0.0).clip(min=0.0)
    ax.barh(rows, widths, height=BAR_HEIGHT, color=colour, left=FLOOR)
    _log_axis(ax, top)
    ax.set_ylim(-0.6, values.size - 0.4)
    for k, value in enumerate(values):
        empty = value < EMPTY
        ax.annotate(
            "none" if empty else significant(value),
            (FLOOR if empty else max(value, FLOOR), k),
            xytext=(-8 if mirrored else 8, 0),
            textcoords="offset points",
            ha="right" if mirrored else "left",
            va="center",
            fontsize=style.LABEL_PT + 1,
            fontweight="bold",
            color=style.VERMILLION if empty else style.INK,
        )
    if mirrored:
        ax.invert_xaxis()
        ax.spines["left"].set_visible(False)
        ax.spines["right"].set_visible(True)


def _level_names(figure: Figure, run: Run, before: np.ndarray, after: np.ndarray) -> None:
    """Each level's name between the halves, on its row; a removed level says so."""
    bottom, height = style.AXES_BOTTOM, style.AXES_TOP - style.AXES_BOTTOM - 0.06
    count = before.size
    for k in range(count):
        y = bottom + height * (k + 0.6) / (count + 0.2)
        name = run.level_short_label(k) if run.level_count else "Everyone"
        removed = before[k] >= EMPTY > after[k]
        figure.text(
            0.5,
            y,
            f"{name}\n(removed)" if removed else name,
            ha="center",
            va="center",
            fontsize=style.LABEL_PT,
            fontweight="bold",
            color=style.VERMILLION if removed else style.INK,
        )


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    before, after = _levels(run, 0), _levels(run, len(run.months) - 1)
    if before.size == 0:  # an output folder from before levels were recorded
        before = np.array([np.nan_to_num(run.get("headcount").p50[0])])
        after = np.array([np.nan_to_num(run.get("headcount").p50[-1])])
    top = float(max(before.max(), after.max(), 1.0))
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.06
    halves = []
    for first, last in (LEFT_PANEL, RIGHT_PANEL):
        halves.append(figure.add_axes((first, style.AXES_BOTTOM, last - first, height)))
    left, right = halves
    _half(left, before, style.GREY, top, mirrored=True)
    _half(right, after, style.BLUE, top, mirrored=False)
    left.set_title(calendar_month(run.months[0]), loc="right", color=style.MUTED)
    right.set_title(calendar_month(run.months[-1]), loc="left", color=style.BLUE)
    for half in halves:
        half.set_xlabel("People (log scale)")
    _level_names(figure, run, before, after)
    roles = float(np.nan_to_num(run.get("new_roles_headcount").p50[-1]))
    if roles >= EMPTY:
        figure.text(
            RIGHT_PANEL[1],
            style.SOURCE_Y,
            f"+ {significant(roles)} new AI roles, not shown",
            ha="right",
            va="bottom",
            fontsize=style.NOTE_PT - 2,
            color=style.VERMILLION,
        )
    style.frame(figure, _title(before, after), _subtitle(run), run.source_line())
    return figure
