"""One look for every chart: a 16:9 slide, large type, a colour-blind-safe palette,
a title that states the takeaway, and a source line naming the run.

Figures are built without pyplot (no global state, no display): each is a
:class:`~matplotlib.figure.Figure` on an Agg canvas.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from sim.report.files import write_atomic
from sim.report.text import compact, tidy_number
from sim.report.text import tick_money as tick_money  # the charts have it from here
from sim.scenario.months import ABBREVIATIONS, year_and_month

#: the formats a chart is saved in unless told otherwise
FORMATS = ("png", "svg")

#: a 16:9 slide at 150 dpi: 2000 x 1125 pixels (13.33 x 7.5 inches, PowerPoint's size)
DPI = 150
PIXELS = (2000, 1125)
SIZE_IN = (PIXELS[0] / DPI, PIXELS[1] / DPI)

TITLE_PT = 26
TITLE_MIN_PT = 20
SUBTITLE_PT = 16
SUBTITLE_MIN_PT = 12
LABEL_PT = 17
TICK_PT = 15
LEGEND_PT = 15
NOTE_PT = 14
SOURCE_PT = 10.5
#: width of a bold character of DejaVu Sans, in ems, on average: to size labels before drawing
BOLD_CHAR_EM = 0.62

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common
# colour-vision deficiency.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#7F7F7F"
INK = "#222222"
MUTED = "#555555"

#: stacking order for levels, ICs first (vermillion is kept for the new roles)
LEVEL_COLOURS = (BLUE, SKY, GREEN, ORANGE, PURPLE, YELLOW, GREY)

BAND_ALPHA = 0.22

# where things sit on the slide, in figure fractions
MARGIN_LEFT = 0.035
TITLE_Y = 0.965
SUBTITLE_Y = 0.885
LEGEND_Y = 0.835
AXES_TOP = 0.78
AXES_BOTTOM = 0.15
SOURCE_Y = 0.018

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "text.parse_math": False,  # "$1.2B" is money, not mathematics
    "font.size": TICK_PT,
    "axes.titlesize": LABEL_PT + 1,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12,
    "axes.labelsize": LABEL_PT,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 1.0,
    "xtick.labelsize": TICK_PT,
    "ytick.labelsize": TICK_PT,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.fontsize": LEGEND_PT,
    "legend.frameon": False,
    "lines.linewidth": 3.0,
    "text.color": INK,
    "svg.fonttype": "path",  # the slide looks the same without our fonts installed
    "svg.hashsalt": "restructure",  # stable ids: the same run gives the same file
    "savefig.dpi": DPI,
}


@contextmanager
def chart_style() -> Iterator[None]:
    """Our settings for the duration of a drawing, leaving the caller's untouched."""
    with mpl.rc_context(RC):  # type: ignore[arg-type]  # matplotlib types rc keys as literals
        yield


def new_figure() -> Figure:
    """A blank slide on an Agg canvas (no display, no pyplot)."""
    figure = Figure(figsize=SIZE_IN, dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def figure_of(ax: Axes) -> Figure:
    """The slide an axes is drawn on."""
    figure = ax.get_figure()
    assert isinstance(figure, Figure), "every axes is made on a slide of new_figure()"
    return figure


def renderer_of(figure: Figure) -> RendererAgg:
    """What measures text on the slide before it is saved (its Agg canvas)."""
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg), "every slide is made by new_figure()"
    return canvas.get_renderer()


def _fit_width(figure: Figure, text: Text, max_fraction: float, min_pt: float) -> None:
    """Shrink ``text`` until it fits ``max_fraction`` of the slide's width."""
    renderer = renderer_of(figure)
    width = figure.bbox.width
    size = float(text.get_fontsize())
    while text.get_window_extent(renderer).width > max_fraction * width and size > min_pt:
        size -= 1
        text.set_fontsize(size)


def frame(figure: Figure, title: str, subtitle: str, source: str) -> None:
    """The title (the takeaway), a subtitle (what is plotted) and the source line."""
    heading = figure.text(
        MARGIN_LEFT, TITLE_Y, title, fontsize=TITLE_PT, fontweight="bold", va="top", color=INK
    )
    heading.set_gid("title")  # for tests, and an id in the SVG
    _fit_width(figure, heading, 0.94, TITLE_MIN_PT)
    sub = figure.text(
        MARGIN_LEFT, SUBTITLE_Y, subtitle, fontsize=SUBTITLE_PT, va="top", color=MUTED
    )
    sub.set_gid("subtitle")  # the board pack reads the title and subtitle back
    _fit_width(figure, sub, 0.94, SUBTITLE_MIN_PT)
    foot = figure.text(MARGIN_LEFT, SOURCE_Y, source, fontsize=SOURCE_PT, va="bottom", color=MUTED)
    _fit_width(figure, foot, 0.94, 8)


def fitting_title(figure: Figure, candidates: Sequence[str], subtitle: bool = False) -> str:
    """The first title (or subtitle) that fits the slide's width at the smallest size
    :func:`frame` sets it; the candidates go from the most to the least said (names in
    them vary in length)."""
    renderer = renderer_of(figure)
    size, weight = (SUBTITLE_MIN_PT, "normal") if subtitle else (TITLE_MIN_PT, "bold")
    for candidate in candidates:
        probe = figure.text(0, 0, candidate, fontsize=size, fontweight=weight)
        width = probe.get_window_extent(renderer).width
        probe.remove()
        if width <= 0.94 * figure.bbox.width:
            return candidate
    return candidates[-1]


def legend_row(
    figure: Figure, handles: Sequence, labels: Sequence[str], y: float = LEGEND_Y
) -> Legend:
    """A one-row legend under the subtitle, clear of the data."""
    legend = figure.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(MARGIN_LEFT - 0.008, y),
        ncol=len(labels),
        handlelength=1.6,
        columnspacing=1.6,
        borderaxespad=0,
        fontsize=LEGEND_PT,
    )
    renderer = renderer_of(figure)
    size = LEGEND_PT
    while legend.get_window_extent(renderer).width > 0.94 * figure.bbox.width and size > 10:
        size -= 1
        for text in legend.get_texts():
            text.set_fontsize(size)
    return legend


# ---------------------------------------------------------------- number formats


def tick_count(value: float) -> str:
    """An axis tick for a count: '0', '250', '35k', '1.25M'."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    return sign + tidy_number(compact(abs(value), 2))


def count_axis(axis: Axis) -> None:
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda v, _: tick_count(v)))


def money_axis(axis: Axis, currency: str) -> None:
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda v, _: tick_money(v, currency)))


def value_limits(ax: Axes, low: float, high: float, below: float, above: float) -> None:
    """Y limits padded by shares of the range; a flat series (a range under one
    unit) gets a single tick at zero, not a scale of cents."""
    if not (math.isfinite(low) and math.isfinite(high)) or high - low < 1.0:
        ax.set_ylim(-1.0, 1.0)
        ax.set_yticks([0.0])
        return
    height = high - low
    ax.set_ylim(low - below * height, high + above * height)


def headroom(ax: Axes, legend: Legend, data_top: float, bottom: float = 0.0) -> None:
    """Raise the top of the y axis until the data stay clear below the legend at
    the top of the plot."""
    figure = figure_of(ax)
    renderer = renderer_of(figure)
    box = legend.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    free = max(box.y0 - 0.04, 0.3)  # the share of the height left for the data
    ax.set_ylim(bottom, bottom + (data_top - bottom) / free)


def percent_axis(axis: Axis, decimals: int = 0) -> None:
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.{decimals}f}%"))


def month_axis(ax: Axes, months: Sequence[str], max_ticks: int = 16) -> None:
    """Months 1..n on the x axis, labelled with the calendar: 'Jul' and, at the
    first tick and every January, the year beneath."""
    n = len(months)
    step = next((s for s in (1, 3, 6, 12, 24, 60) if n / s <= max_ticks), 120)
    dates = [year_and_month(m) for m in months]
    ticks = [
        i + 1
        for i, (year, month) in enumerate(dates)
        if (month - 1) % min(step, 12) == 0 and (year - dates[0][0]) % max(step // 12, 1) == 0
    ] or [1]

    def label(value: float, _pos: int | None = None) -> str:
        index = round(value) - 1
        if not 0 <= index < n:
            return ""
        year, number = dates[index]
        name = ABBREVIATIONS[number - 1]
        if step >= 12:
            return str(year)
        return f"{name}\n{year}" if index + 1 == ticks[0] or number == 1 else name

    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(label))
    ax.set_xlim(0.6 if n > 1 else 0.5, n + 0.4 if n > 1 else 1.5)


def band(ax: Axes, x: np.ndarray, low: np.ndarray, high: np.ndarray, colour: str) -> PolyCollection:
    """The P10-P90 range as a pale fill; months without a value (NaN) are left out."""
    return ax.fill_between(x, low, high, color=colour, alpha=BAND_ALPHA, linewidth=0)


def save(figure: Figure, out_dir: Path, stem: str, formats: Sequence[str]) -> list[Path]:
    """Write the figure in each format; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        metadata = {"Date": None} if fmt in ("svg", "pdf") else {"Software": None}
        buffer = io.BytesIO()  # a chart redrawn in place is the old one or the new one
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
        paths.append(write_atomic(path, buffer.getvalue()))
    return paths


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as near ``wanted`` (ascending) as they can be, at least ``gap``
    apart and within [low, high]: where labels go so that none overlap."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, low, placed[-1] + gap) if placed else max(y, low))
    overflow = placed[-1] - high if placed else 0.0
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return placed


def end_labels(
    ax: Axes, x: float, entries: Sequence[tuple[Sequence[float] | np.ndarray, str, str]]
) -> None:
    """Name lines where they end, above them: (values, text, colour) each. A label
    clears its line across the label's width, and labels are nudged apart so that
    no two overlap; a white ground keeps them legible where they cross a line."""
    figure = figure_of(ax)
    width_pt = ax.get_window_extent().width * 72 / figure.dpi
    wanted = []
    for line, text, colour in entries:
        values = np.asarray(line, dtype=float)
        chars = max(len(line) for line in text.split("\n"))
        share = min(1.0, chars * NOTE_PT * BOLD_CHAR_EM / width_pt)
        tail = values[-max(1, math.ceil(share * len(values)) + 1) :]
        if np.isfinite(tail).any():
            wanted.append((float(np.nanmax(tail)), text, colour))
    if not wanted:
        return
    wanted.sort(key=lambda e: e[0])
    low, high = ax.get_ylim()
    lines = max(text.count("\n") + 1 for _, text, _ in wanted)
    gap = 0.075 * lines * (high - low)
    ys = spread([y for y, _, _ in wanted], gap, low, high - gap)
    for (_, text, colour), placed in zip(wanted, ys, strict=True):
        ax.annotate(
            text,
            (x, placed),
            xytext=(-4, 6),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=NOTE_PT,
            fontweight="bold",
            color=colour,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
            zorder=5,
        )
