"""The sweep: NPV and payback month against one value of the scenario.

Every point runs the same replications on the same random numbers, so the
line's shape is the swept value's alone: a value that cannot matter draws a
flat line. P50 lines with the P10-P90 range shaded; a payback that does not
come within the horizon is drawn in a ruled-off row above the months.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from sim.report.charts import style
from sim.report.charts.study import (
    NEVER_COLOUR,
    input_text,
    label_tails,
    month_axis,
    month_scale,
    never_values,
    study_source,
    title_tails,
)
from sim.report.text import input_value, money
from sim.runs.headlines import NPV, PAYBACK

if TYPE_CHECKING:  # a sweep is plain data; the chart runs nothing of the study
    from sim.report.studysource import StudySource
    from sim.studies.sweep import SweepPoint, SweepSpec

NPV_COLOUR = style.BLUE
PAYBACK_COLOUR = style.GREEN
#: up to this many swept values each get a tick of their own
MAX_AXIS_LABEL_CHARS = 40
MAX_VALUE_TICKS = 9
#: NPVs closer than this share of the largest read as flat
FLAT_SHARE = 0.005


def _stat(points: list[SweepPoint], name: str, stat: str) -> list[float | None]:
    return [getattr(point.headline[name], stat) for point in points]


def _name(spec: SweepSpec) -> str:
    """The swept input as a reader names it (a sweep read from an old folder: its path)."""
    return spec.label or spec.text


def _titles(spec: SweepSpec, points: list[SweepPoint], currency: str) -> list[str]:
    npv = _array(_stat(points, NPV.name, "p50"))
    values = [p.value for p in points]
    names = title_tails(_name(spec), spec.unit)

    def value_text(value: float) -> str:
        return input_text(value, spec.unit, currency)

    if not np.isfinite(npv).any():
        return [f"No NPV at any value of {name}" for name in names]
    high, low = float(np.nanmax(npv)), float(np.nanmin(npv))
    if high - low <= max(FLAT_SHARE * max(abs(high), abs(low)), 1.0):
        same = money(high, currency)
        return [f"Median NPV does not change with {name}: {same} throughout" for name in names]
    top = int(np.nanargmax(npv))
    if 0 < top < len(npv) - 1 and npv[top] > max(npv[0], npv[-1]):
        best, at = money(high, currency), value_text(values[top])
        return [f"Median NPV peaks at {best} when {name} is {at}" for name in names]
    direction = "rises" if npv[-1] > npv[0] else "falls"
    first, last = money(npv[0], currency), money(npv[-1], currency)
    span = f"{value_text(values[0])} to {value_text(values[-1])}"
    text = "Median NPV {} from {} to {} as {} goes from {}"
    # the last, without the input's name (the subtitle has it), fits any name's length
    short = f"Median NPV {direction} from {first} to {last} over {span}"
    return [*(text.format(direction, first, last, name, span) for name in names), short]


def _value_axis(ax: Axes, spec: SweepSpec, values: list[float], currency: str) -> None:
    """The swept value on x, in its unit: a tick at every point when there are few."""
    if len(values) <= MAX_VALUE_TICKS:
        ax.xaxis.set_major_locator(FixedLocator(values))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: input_value(v, spec.unit, currency)))
    pad = 0.06 * (max(values) - min(values) or 1.0)
    ax.set_xlim(min(values) - pad, max(values) + pad)
    # the subtitle names the whole input; an axis half the slide wide holds about 40 characters
    tails = label_tails(_name(spec), spec.unit)
    fits = [tail for tail in tails if len(tail) <= MAX_AXIS_LABEL_CHARS]
    ax.set_xlabel(fits[0] if fits else tails[-1])
    ax.grid(True, axis="x")


def _array(values: list[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _npv_panel(ax: Axes, points: list[SweepPoint], currency: str) -> None:
    x = np.array([p.value for p in points])
    p10, p50, p90 = (_array(_stat(points, NPV.name, s)) for s in ("p10", "p50", "p90"))
    style.band(ax, x, p10, p90, NPV_COLOUR)
    ax.plot(x, p50, color=NPV_COLOUR, linewidth=3.5, marker="o", markersize=9)
    values = np.concatenate([p10, p50, p90])
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    style.value_limits(ax, low, high, 0.08, 0.12)
    style.money_axis(ax.yaxis, currency)
    if low <= 0 <= high:
        ax.axhline(0, color=style.MUTED, linewidth=1.5)
    ax.set_ylabel(f"NPV ({currency})")
    ax.set_title("NPV")


def _payback_panel(ax: Axes, points: list[SweepPoint]) -> None:
    x = np.array([p.value for p in points])
    months = {s: _stat(points, PAYBACK.name, s) for s in ("p10", "p50", "p90")}
    scale = month_scale([m for values in months.values() for m in values])
    low, high = never_values(months["p10"], scale), never_values(months["p90"], scale)
    style.band(ax, x, low, high, PAYBACK_COLOUR)
    middle = _array(months["p50"])  # a gap where the median payback never comes
    ax.plot(x, middle, color=PAYBACK_COLOUR, linewidth=3.5, marker="o", markersize=9)
    never = [value for value, m in zip(x, months["p50"], strict=True) if m is None]
    if never:
        ax.plot(
            never,
            [scale.place(None)] * len(never),
            "X",
            color=NEVER_COLOUR,
            markersize=14,
            clip_on=False,
        )
    ax.set_ylim(0, scale.limit)
    month_axis(ax, ax.yaxis, scale)
    ax.set_ylabel("Payback month")
    ax.set_title("Payback")


def draw(spec: SweepSpec, points: list[SweepPoint], source: StudySource) -> Figure:
    currency = source.currency
    values = [p.value for p in points]
    figure = style.new_figure()
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.06
    left = figure.add_axes((0.095, style.AXES_BOTTOM, 0.38, height))
    right = figure.add_axes((0.6, style.AXES_BOTTOM, 0.37, height))
    _npv_panel(left, points, currency)
    _payback_panel(right, points)
    for ax in (left, right):
        _value_axis(ax, spec, values, currency)

    handles = [
        Line2D([], [], color=NPV_COLOUR, linewidth=3.5, marker="o", markersize=9),
        Line2D([], [], color=PAYBACK_COLOUR, linewidth=3.5, marker="o", markersize=9),
        Patch(color=style.GREY, alpha=style.BAND_ALPHA),
    ]
    labels = ["NPV, P50", "Payback month, P50", "P10-P90"]
    if any(m is None for m in _stat(points, PAYBACK.name, "p50")):
        handles.append(
            Line2D([], [], linestyle="none", marker="X", color=NEVER_COLOUR, markersize=14)
        )
        labels.append("Median payback not within the horizon")
    style.legend_row(figure, handles, labels)
    replications = source.replications
    times = "once" if replications == 1 else f"{replications} times"
    subtitle = f"{len(points)} values of {_name(spec)}, each run {times} on the same random numbers"
    title = style.fitting_title(figure, _titles(spec, points, currency))
    style.frame(figure, title, subtitle, study_source(source))
    return figure


def draw_sweep(
    spec: SweepSpec,
    points: list[SweepPoint],
    source: StudySource,
    out_dir: Path,
    formats: tuple[str, ...] = style.FORMATS,
) -> list[Path]:
    """The sweep slide into ``out_dir``; return the files written."""
    with style.chart_style():
        return style.save(draw(spec, points, source), Path(out_dir), "sweep", formats)
