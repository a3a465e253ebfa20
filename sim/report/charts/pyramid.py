"""Chart 2: each unit's layers in the first and the last month.

One panel a unit, its layers top to bottom under their own names (units differ
in depth, so levels counted across units would put a unit's VPs beside another's
SVPs). The scale is linear, so a cut looks as large as it is; the top layers of a
large unit are too few to show as bars, and every layer's numbers are written
beside its name.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from sim.report.charts import style
from sim.report.charts.data import Run, count_text
from sim.report.text import calendar_month

#: fewer people than this in a level (a mean across replications) count as none
EMPTY = 0.5
#: a change in the number of managers smaller than this share reads as "same"
SAME_SHARE = 0.01

#: at most this many units side by side; more go onto a second row
MAX_COLUMNS = 6
PANELS_LEFT, PANELS_RIGHT, PANEL_GAP = 0.035, 0.975, 0.025
#: a row's height goes to its name (above) and its two bars, before over after
BAR_HEIGHT = 0.26


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


def _change_text(before: float, after: float) -> str:
    """'1.9k → none', '12.7k → 9.0k', '5 → 5'."""
    if before < EMPTY and after < EMPTY:
        return "none"
    first = count_text(before) if before >= EMPTY else "none"
    last = count_text(after) if after >= EMPTY else "none"
    return first if first == last else f"{first} → {last}"


def _shrink_until(ax: Axes, texts: list[Text], fits: Callable[[], bool], min_pt: float) -> None:
    """Shrink ``texts`` together, half a point at a time, until ``fits()``."""
    while not fits() and float(texts[0].get_fontsize()) > min_pt:
        for text in texts:
            text.set_fontsize(float(text.get_fontsize()) - 0.5)


def _row_label(ax: Axes, k: int, name: str, numbers: str, removed: bool) -> list[Text]:
    """A layer's true name (left) and its numbers (right), on one line above its bars;
    both shrink until they keep apart."""
    on_row = blended_transform_factory(ax.transAxes, ax.transData)
    size = style.NOTE_PT - 1
    common: dict[str, Any] = {"transform": on_row, "va": "bottom", "fontsize": size}
    label = ax.text(0, k, name, ha="left", fontweight="bold", color=style.INK, **common)
    value = ax.text(
        1, k, numbers, ha="right", color=style.VERMILLION if removed else style.INK, **common
    )
    renderer = style.renderer_of(style.figure_of(ax))

    def apart() -> bool:
        gap = 0.4 * float(label.get_fontsize()) * style.DPI / 72
        right = value.get_window_extent(renderer).x0
        return label.get_window_extent(renderer).x1 + gap <= right

    _shrink_until(ax, [label, value], apart, 8.0)
    return [label, value]


def _unit_panel(ax: Axes, run: Run, unit: str, names: list[str], rows: int) -> list[Text]:
    """One unit's layers top to bottom (row 0 at the top), linear in people: a grey
    bar for the first month over a blue one for the last, the layer's true name and
    its numbers above them."""
    last = len(run.months) - 1
    before = [float(np.nan_to_num(run.get(f"headcount:{n}", unit).p50[0])) for n in names]
    after = [float(np.nan_to_num(run.get(f"headcount:{n}", unit).p50[last])) for n in names]
    top = max([*before, *after, 1.0])
    ax.set_xlim(0, top * 1.02)
    ax.set_ylim(rows - 0.45, -0.75)  # row 0 at the top; room above it for its name
    labels: list[Text] = []
    for k, (name, first, end) in enumerate(zip(names, before, after, strict=True)):
        ax.barh(k + 0.02, first, height=BAR_HEIGHT, color=style.GREY, align="edge")
        ax.barh(k + 0.02 + BAR_HEIGHT, end, height=BAR_HEIGHT, color=style.BLUE, align="edge")
        labels += _row_label(ax, k, name, _change_text(first, end), first >= EMPTY > end)
    ax.set_yticks([])
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.spines["left"].set_visible(False)
    style.count_axis(ax.xaxis)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=3, steps=[1, 2, 2.5, 5, 10]))
    ax.tick_params(axis="x", labelsize=style.TICK_PT - 3)
    people = f"{count_text(sum(before))} → {count_text(sum(after))} people"
    ratio_before = ics_per_manager(np.array(before[::-1]))
    ratio_after = ics_per_manager(np.array(after[::-1]))
    if ratio_before is not None and ratio_after is not None:
        people += f"\n{ratio_before:.1f} → {ratio_after:.1f} ICs per manager"
    heading = ax.set_title(unit, loc="left", fontsize=style.LABEL_PT, pad=34)
    renderer = style.renderer_of(style.figure_of(ax))
    right = ax.get_window_extent(renderer).x1 + 0.3 * PANEL_GAP * style.PIXELS[0]
    _shrink_until(ax, [heading], lambda: heading.get_window_extent(renderer).x1 <= right, 10.0)
    ax.text(
        0,
        1.0,
        people,
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=style.NOTE_PT - 2,
        color=style.MUTED,
    )
    return labels


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
        "People by layer in each unit, top to bottom, P50: grey "
        f"{calendar_month(run.months[0])}, blue {calendar_month(run.months[-1])}; "
        "linear scale"
    )
    baseline = np.array(
        [np.nan_to_num(run.level(k, baseline=True).p50[-1]) for k in range(run.level_count)]
    )
    ratio = ics_per_manager(baseline) if baseline.size else None
    if ratio is not None:
        text += f"; status quo at the end: {ratio:.1f} ICs per manager"
    return text


def _units(run: Run) -> dict[str, list[str]]:
    """Each unit's layers top to bottom, the largest unit first (units without layers
    of their own left out)."""
    units = {unit: names for unit, names in run.layers.items() if names}

    def size(unit: str) -> float:
        return float(np.nan_to_num(run.get("headcount", unit).p50[0]))

    return dict(sorted(units.items(), key=lambda item: -size(item[0])))


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    units = _units(run)
    before, after = _levels(run, 0), _levels(run, len(run.months) - 1)
    if before.size == 0:  # an output folder from before levels were recorded
        before = np.array([np.nan_to_num(run.get("headcount").p50[0])])
        after = np.array([np.nan_to_num(run.get("headcount").p50[-1])])
    columns = max(1, min(MAX_COLUMNS, len(units)))
    grid_rows = max(1, math.ceil(len(units) / columns))
    rows = max((len(n) for n in units.values()), default=1)
    width = (PANELS_RIGHT - PANELS_LEFT - PANEL_GAP * (columns - 1)) / columns
    top = style.AXES_TOP - 0.09
    height = (top - style.AXES_BOTTOM + 0.06 - 0.12 * (grid_rows - 1)) / grid_rows
    labels: list[Text] = []
    for i, (unit, names) in enumerate(units.items()):
        column, row = i % columns, i // columns
        left = PANELS_LEFT + column * (width + PANEL_GAP)
        bottom = top - (row + 1) * height - row * 0.12
        labels += _unit_panel(
            figure.add_axes((left, bottom, width, height)), run, unit, names, rows
        )
    smallest = min((float(t.get_fontsize()) for t in labels), default=style.NOTE_PT)
    for text in labels:  # one size for every layer's line: a smaller one reads as less
        text.set_fontsize(smallest)
    roles = float(np.nan_to_num(run.get("new_roles_headcount").p50[-1]))
    if roles >= EMPTY:
        figure.text(
            PANELS_RIGHT,
            style.SOURCE_Y,
            f"+ {count_text(roles)} new AI roles, not shown",
            ha="right",
            va="bottom",
            fontsize=style.NOTE_PT - 2,
            color=style.VERMILLION,
        )
    style.frame(figure, _title(before, after), _subtitle(run), run.source_line())
    return figure
