"""Chart 2: the organisation's pyramid in the first and the last month, mirrored,
with the span of control of each level.

Levels are counted up from the ICs (level 0) across all units, at their
positions in the starting organisation; a level can empty when a layer is
removed. The x axis is logarithmic: the top of a 350,000-person pyramid has a
handful of people, and on a linear scale it would not show at all.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
from matplotlib.transforms import blended_transform_factory, offset_copy

from sim.report.charts import style
from sim.report.charts.data import Run, count_text

#: fewer people than this in a level (a mean across replications) count as none
EMPTY = 0.5
#: a change in the number of managers smaller than this share reads as "same"
SAME_SHARE = 0.01

LEFT_X, PANEL_W, GAP_W = 0.045, 0.33, 0.25
BAR_HEIGHT = 0.72


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


def unit_levels(run: Run, month: int) -> list[np.ndarray]:
    """Each unit's headcount by level (ICs first) in a month; the whole organisation
    as one unit where the folder has no per-unit layers."""
    units = [
        np.array(
            [
                np.nan_to_num(run.get(f"headcount:{name}", unit).p50[month])
                for name in reversed(names)
            ]
        )
        for unit, names in run.layers.items()
        if names
    ]
    return units or [_levels(run, month)]


def _levels(run: Run, month: int) -> np.ndarray:
    return np.array([np.nan_to_num(run.level(k).p50[month]) for k in range(run.level_count)])


def _span_text(before: float | None, after: float | None) -> str:
    if before is None and after is None:
        return ""
    if after is None:
        return f"span {before:.1f} → removed"
    if before is None:
        return f"span {after:.1f} (new)"
    if abs(after - before) < 0.05:
        return f"span {before:.1f}, unchanged"
    return f"span {before:.1f} → {after:.1f}"


def _bars(ax: Axes, levels: np.ndarray, colour: str, flip: bool) -> None:
    top = max(float(levels.max()), 1.0)
    ax.set_xscale("log")
    limits = (0.8, top * 14)
    ax.set_xlim(limits[::-1] if flip else limits)
    ax.set_ylim(-0.6, len(levels) - 0.4)
    for k, value in enumerate(levels):
        if value >= 1:
            ax.barh(k, value - 0.8, left=0.8, height=BAR_HEIGHT, color=colour)
        text = count_text(value) if value >= EMPTY else "none"
        ax.annotate(
            text,
            (max(value, 0.8), k),
            xytext=(-7 if flip else 7, 0),
            textcoords="offset points",
            ha="right" if flip else "left",
            va="center",
            fontsize=style.NOTE_PT,
            fontweight="bold",
            color=style.INK if value >= EMPTY else style.MUTED,
        )
    decades = [10.0**d for d in range(int(math.log10(top * 14)) + 1)]
    ax.xaxis.set_major_locator(FixedLocator(decades))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: style.tick_count(v)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_locator(NullLocator())
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    ax.spines["left"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(axis="x", labelsize=style.TICK_PT - 2)


def _middle_labels(figure: Figure, ax: Axes, run: Run, before, after) -> None:
    """Each level's name and, beneath it, its span, in the column between the halves."""
    centre = LEFT_X + PANEL_W + GAP_W / 2
    rows = len(before)
    row_pt = (style.AXES_TOP - style.AXES_BOTTOM) * figure.bbox.height * 72 / figure.dpi / rows
    name_pt = min(style.NOTE_PT + 1, max(9.0, row_pt * 0.34))
    on_row = blended_transform_factory(figure.transFigure, ax.transData)
    above = offset_copy(on_row, figure, y=name_pt * 0.55, units="points")
    below = offset_copy(on_row, figure, y=-name_pt * 0.65, units="points")
    renderer = style.renderer_of(figure)
    spans_before = spans(unit_levels(run, 0), rows)
    spans_after = spans(unit_levels(run, len(run.months) - 1), rows)
    for k, span in enumerate(map(_span_text, spans_before, spans_after)):
        name = figure.text(
            centre,
            k,
            run.level_label(k, max_chars=26, prefix=False),
            transform=above if span else on_row,
            ha="center",
            va="center",
            fontsize=name_pt,
            fontweight="bold",
            color=style.INK,
        )
        while name.get_window_extent(renderer).width > GAP_W * figure.bbox.width * 0.97:
            name.set_fontsize(float(name.get_fontsize()) - 0.5)
        if span:
            figure.text(
                centre,
                k,
                span,
                transform=below,
                ha="center",
                va="center",
                fontsize=name_pt - 1.5,
                color=style.MUTED,
            )


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
    text = "People by level, P50, counted up from the ICs; span = people below per manager"
    baseline = np.array(
        [np.nan_to_num(run.level(k, baseline=True).p50[-1]) for k in range(run.level_count)]
    )
    ratio = ics_per_manager(baseline) if baseline.size else None
    if ratio is not None:
        text += f"; status quo at the end: {ratio:.1f} ICs per manager"
    return text


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.04
    left = figure.add_axes((LEFT_X, style.AXES_BOTTOM, PANEL_W, height))
    right = figure.add_axes((LEFT_X + PANEL_W + GAP_W, style.AXES_BOTTOM, PANEL_W, height))
    before, after = _levels(run, 0), _levels(run, len(run.months) - 1)
    if before.size == 0:  # an output folder from before levels were recorded
        before = np.array([np.nan_to_num(run.get("headcount").p50[0])])
        after = np.array([np.nan_to_num(run.get("headcount").p50[-1])])
    _bars(left, before, style.GREY, flip=True)
    _bars(right, after, style.BLUE, flip=False)
    left.set_title(f"Before: {style.month_label(run.months[0])}", loc="right")
    right.set_title(f"After: {style.month_label(run.months[-1])}", loc="left", color=style.BLUE)
    for ax in (left, right):
        ax.set_xlabel("People (log scale)", fontsize=style.TICK_PT)
    _middle_labels(figure, left, run, before, after)

    roles = float(np.nan_to_num(run.get("new_roles_headcount").p50[-1]))
    if roles >= EMPTY:
        right.text(
            1.0,
            1.03,
            f"+ {count_text(roles)} new AI roles",
            transform=right.transAxes,
            ha="right",
            va="bottom",
            fontsize=style.NOTE_PT,
            color=style.VERMILLION,
        )
    style.frame(figure, _title(before, after), _subtitle(run), run.source_line())
    return figure
