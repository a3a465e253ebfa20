"""What the study charts (compare, tornado, sweep) share: their source line, numbers
written for a slide, and a month axis with a place for "not within the horizon".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator
from matplotlib.transforms import Transform, blended_transform_factory

from sim.report.charts import style
from sim.report.charts.data import scenario_text, source_text
from sim.report.text import quantity
from sim.scenario.labels import NUMBER, Measure, Unit

if TYPE_CHECKING:
    from sim.report.studysource import StudySource

#: where a payback that never comes is drawn, past the latest month that does
NEVER_TEXT = "not within\nhorizon"
NEVER_GAP = 0.14
NEVER_COLOUR = style.VERMILLION
#: the nearest a month's tick comes to the "never" place, as a share of the axis
NEVER_CLEAR_X = 0.2
NEVER_CLEAR_Y = 0.1


def study_source(source: StudySource) -> str:
    """The source line of a study on one scenario."""
    return source_text(
        [source.version],
        scenario_text([(source.name, source.sha256)]),
        [source.seed],
        [source.replications],
    )


def value_text(value: float) -> str:
    """An input's value as a person reads it: '0.104', '12', '4.5', '1.5M', '250k'."""
    if not math.isfinite(value):
        return "n/a"
    if abs(value) >= 1000:
        return style.tick_count(value)
    if value == round(value):
        return f"{value:.0f}"
    return f"{value:.3g}"


#: an input's value with its unit, as the report's assumptions write it (one formatter)
input_text = quantity


def input_axis(axis: Axis, unit: Unit, currency: str) -> None:
    """An axis of an input's values, ticks in its unit."""
    if unit.measure is Measure.MONEY:
        style.money_axis(axis, currency)
    elif unit.measure is Measure.PERCENT:
        style.percent_axis(axis, 1)
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _: value_text(v)))


def without_unit(label: str, unit: Unit) -> str:
    """A label (sim.scenario.labels.label) without the unit it was written with:
    'Discount rate (% a year)' -> 'Discount rate'; other brackets stay ('Leavers
    replaced (status quo)')."""
    return label.removesuffix(f" ({unit.shown})") if unit.shown else label


def label_tails(label: str, unit: Unit) -> list[str]:
    """A label and its shorter forms, for titles that must fit: 'Retail / IC: Cost per
    head (per year)' -> [itself, 'Retail / IC: Cost per head', 'IC: Cost per head',
    'Cost per head']."""
    bare = without_unit(label, unit)
    context, _, name = bare.rpartition(": ")
    nearest = f"{context.rsplit(' / ', 1)[-1]}: {name}" if context else name
    return list(dict.fromkeys([label, bare, nearest, name]))


def title_tails(label: str, unit: Unit) -> list[str]:
    """A label's forms for a title, without its unit: 'Discount rate (% a year)' ->
    ['Discount rate']; a takeaway names the input, the axes and tables its unit."""
    return label_tails(without_unit(label, unit), NUMBER)


@dataclass(frozen=True)
class MonthScale:
    """Months on an axis, and the place past the last month that stands for "never"."""

    latest: float  # the latest month that comes
    never_at: float | None  # where "not within horizon" is drawn; None: every value comes

    def place(self, month: float | None) -> float:
        """Where a month goes on the axis: itself, or the "never" place."""
        if month is not None:
            return month
        return self.never_at if self.never_at is not None else self.latest

    @property
    def limit(self) -> float:
        """The end of the axis, leaving room past the last mark."""
        end = self.never_at if self.never_at is not None else self.latest
        return end + max(1.0, NEVER_GAP * self.latest) * 0.6


def month_scale(months: Iterable[float | None]) -> MonthScale:
    values = list(months)
    finite = [m for m in values if m is not None and math.isfinite(m)]
    latest = max([1.0, *finite])
    never = None
    if any(m is None for m in values):
        never = latest + max(2.0, NEVER_GAP * latest)
    return MonthScale(latest, never)


def month_axis(ax: Axes, axis: Axis, scale: MonthScale) -> None:
    """Whole months from 0, then (if any value never comes) a ruled-off place for
    "not within horizon" labelled as such."""
    ticks = [t for t in MaxNLocator(nbins=6, integer=True).tick_values(0, scale.latest) if t >= 0]
    ticks = [t for t in ticks if t <= scale.latest + 0.5]
    if scale.never_at is not None:
        # the "never" label is wide on x and two lines tall on y: months keep clear of it
        clearance = (NEVER_CLEAR_X if axis is ax.xaxis else NEVER_CLEAR_Y) * scale.limit
        ticks = [t for t in ticks if scale.never_at - t >= clearance]
        ticks.append(scale.never_at)
        boundary = (scale.latest + scale.never_at) / 2
        draw_line = ax.axvline if axis is ax.xaxis else ax.axhline
        draw_line(boundary, color=style.MUTED, linewidth=1.2, linestyle=(0, (2, 3)))
    never_at = scale.never_at

    def label(value: float, _pos: int | None = None) -> str:
        if never_at is not None and abs(value - never_at) < 1e-9:
            return NEVER_TEXT
        return f"{value:.0f}"

    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(label))


def never_values(values: Iterable[float | None], scale: MonthScale) -> np.ndarray:
    """Months as an array for plotting, "never" at its place."""
    return np.array([scale.place(v) for v in values], dtype=float)


# ------------------------------------------------------------------ rows of bars

#: a row of a bar chart: the bar's centre is at the row's y minus this, its name above
BAR_DROP = 0.12
BAR_HEIGHT = 0.42
NAME_RISE = 0.2
#: points between a bar's end and its text
TEXT_PAD_PT = 8


def row_positions(count: int) -> np.ndarray:
    """The y of each row, the first at the top."""
    return np.arange(count - 1, -1, -1, dtype=float)


def row_axes(ax: Axes, count: int) -> None:
    """Rows of bars, one a thing compared: no y ticks, a vertical grid."""
    ax.set_ylim(-0.65, count - 0.35)
    ax.set_yticks([])
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.spines["left"].set_visible(False)


def row_names(ax: Axes, names: Sequence[str], colours: Sequence[str]) -> list[Text]:
    """Each row's name above its bar, at the left edge of the plot: long names need
    no left margin, and the bars keep the slide's width."""
    transform = blended_transform_factory(ax.transAxes, ax.transData)
    texts = []
    for y, name, colour in zip(row_positions(len(names)), names, colours, strict=True):
        texts.append(
            ax.text(
                0.0,
                y + NAME_RISE,
                name,
                transform=transform,
                ha="left",
                va="bottom",
                fontsize=style.NOTE_PT + 1,
                fontweight="bold",
                color=colour,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
                zorder=5,
            )
        )
    return texts


def end_text(ax: Axes, x: float, y: float, text: str, right: bool = True) -> Text:
    """Text beside a bar's end, on its right (or left) side."""
    return ax.annotate(
        text,
        (x, y - BAR_DROP),
        xytext=(TEXT_PAD_PT if right else -TEXT_PAD_PT, 0),
        textcoords="offset points",
        ha="left" if right else "right",
        va="center",
        fontsize=style.NOTE_PT,
        color=style.INK,
    )


def make_room(ax: Axes, texts: Sequence[Text], low: float, high: float) -> None:
    """Widen the x axis beyond the data [low, high] until every text fits inside the plot."""
    magnitude = max(abs(low), abs(high), 1.0)
    # a flat range (every bar of zero length) still needs an axis that reads
    pad = 0.03 * (high - low) if high - low > 0.02 * magnitude else 0.1 * magnitude
    left, right = low - pad, high + pad
    renderer = style.renderer_of(style.figure_of(ax))
    for _ in range(8):  # texts sit at data x: each widening rescales them; a few rounds settle
        ax.set_xlim(left, right)
        box = ax.get_window_extent(renderer)
        per_pixel = (right - left) / box.width
        over_left = max([box.x0 - t.get_window_extent(renderer).x0 for t in texts] + [0.0])
        over_right = max([t.get_window_extent(renderer).x1 - box.x1 for t in texts] + [0.0])
        if over_left < 1 and over_right < 1:
            return
        left -= over_left * per_pixel * 1.05
        right += over_right * per_pixel * 1.05


@dataclass(frozen=True)
class BarRow:
    """A bar from zero to ``value`` with a whisker from ``low`` to ``high``."""

    name: str
    colour: str
    value: float
    low: float
    high: float
    text: str


def bar_rows(ax: Axes, rows: Sequence[BarRow]) -> None:
    """Horizontal bars from zero, first row on top, each named above its bar with its
    description beside the name: the axis spans the data alone, not the words."""
    row_axes(ax, len(rows))
    ys = row_positions(len(rows))
    for y, row in zip(ys, rows, strict=True):
        ax.barh(y - BAR_DROP, row.value, height=BAR_HEIGHT, color=row.colour, linewidth=0)
        if row.low != row.high:
            ax.errorbar(
                row.value,
                y - BAR_DROP,
                xerr=[[row.value - row.low], [row.high - row.value]],
                fmt="none",
                ecolor=style.INK,
                elinewidth=2,
                capsize=7,
                capthick=2,
            )
    names = row_names(ax, [r.name for r in rows], [r.colour for r in rows])
    ax.axvline(0, color=style.MUTED, linewidth=1.5)
    values = [v for r in rows for v in (r.value, r.low, r.high)]
    low, high = min([0.0, *values]), max([0.0, *values])
    magnitude = max(abs(low), abs(high), 1.0)
    pad = 0.04 * (high - low) if high - low > 0.02 * magnitude else 0.1 * magnitude
    ax.set_xlim(low - pad if low < 0 else 0.0, high + pad if high > 0 else 0.0)
    _beside(ax, names, [r.text.replace("\n", "; ") for r in rows])


def _beside(ax: Axes, names: Sequence[Text], texts: Sequence[str]) -> None:
    """Each description just right of its row's name, shrunk to fit the plot's width."""
    figure = style.figure_of(ax)
    renderer = style.renderer_of(figure)
    box = ax.get_window_extent(renderer)
    for name, text in zip(names, texts, strict=True):
        end = name.get_window_extent(renderer)
        x = (end.x1 - box.x0) / box.width + 0.01
        note = ax.text(
            x,
            name.get_position()[1],
            text,
            transform=name.get_transform(),
            ha="left",
            va="bottom",
            fontsize=style.NOTE_PT,
            color=style.INK,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
            zorder=5,
        )
        while note.get_window_extent(renderer).x1 > box.x1 and float(note.get_fontsize()) > 9:
            note.set_fontsize(float(note.get_fontsize()) - 0.5)


# ------------------------------------------------------------------ lines' last values

#: a line of note text, in points, with its leading
NOTE_LINE_PT = style.NOTE_PT * 1.35


def end_values(ax: Axes, entries: Sequence[tuple[float, str, str]]) -> None:
    """Each line's last value just right of the plot, at the line's height, in its
    colour: (value, text, colour) each. Values are nudged apart so none overlap, and
    sit outside the data, so they never hide a line that ends close by."""
    shown = sorted((e for e in entries if math.isfinite(e[0])), key=lambda e: e[0])
    if not shown:
        return
    low, high = ax.get_ylim()
    height_px = ax.get_window_extent().height
    gap = NOTE_LINE_PT * style.figure_of(ax).dpi / 72 / height_px * (high - low)
    ys = style.spread([value for value, _, _ in shown], gap, low, high)
    transform = blended_transform_factory(ax.transAxes, ax.transData)
    for (_, text, colour), y in zip(shown, ys, strict=True):
        line_value(ax, (1.0, y), text, colour, transform)


def line_value(
    ax: Axes,
    xy: tuple[float, float],
    text: str,
    colour: str,
    xycoords: str | Transform = "data",
    pad_pt: float = TEXT_PAD_PT,
) -> None:
    """A line's value in its colour, ``pad_pt`` points right of the point ``xy``."""
    ax.annotate(
        text,
        xy,
        xycoords=xycoords,
        xytext=(pad_pt, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=style.NOTE_PT,
        fontweight="bold",
        color=colour,
        annotation_clip=False,
    )
