"""The tornado: which input moves the NPV most, and the payback month.

Each row is one input, by its label, the largest NPV swing on top. Its bar runs
from the mean NPV with the input at its low end (an uncertain input's P10, a
fixed input's low value) to the mean NPV at its high end, the other inputs at
their medians or as written; the line through the bars is the NPV of that base.
Beside the bars, the input's value at each end in its unit; on the right, the
payback month at each end.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from sim.report.charts import style
from sim.report.charts.study import (
    BAR_DROP,
    BAR_HEIGHT,
    end_text,
    input_text,
    make_room,
    month_axis,
    month_scale,
    row_axes,
    row_names,
    row_positions,
    study_source,
    title_tails,
)
from sim.report.text import money

if TYPE_CHECKING:  # a tornado is plain data; the chart runs nothing of the study
    from sim.report.studysource import StudySource
    from sim.studies.sensitivity import Swing, Tornado

AT_LOW = style.BLUE
AT_HIGH = style.ORANGE
MEDIANS: dict[str, Any] = {"color": style.BLACK, "linestyle": (0, (4, 2)), "linewidth": 2}
#: the most inputs a slide shows; the rest are in sensitivity.csv
MAX_ROWS = 8
#: rows' markers in the payback panel: P10 a little above, P90 a little below
MARK_OFFSET = 0.09


def _titles(result: Tornado, currency: str) -> list[str]:
    if not result.swings or result.swings[0].npv_swing < 1.0:
        return ["No input moves the mean NPV"]
    top = result.swings[0]
    swing = money(top.npv_swing, currency)
    titles = []
    for name in title_tails(top.label, top.unit):
        plain = f"{name} moves mean NPV most, by {swing}"
        if len(result.swings) > 1 and result.swings[1].npv_swing > 0:
            times = top.npv_swing / result.swings[1].npv_swing
            if times >= 2:  # a dominant input: say by how much
                titles.append(f"{plain}, {times:.0f}x the next input")
        titles.append(plain)
    return titles


def end_label(swing: Swing, high: bool, currency: str) -> str:
    """Where one end of a bar is, in the input's unit: 'P10 12%', '-20% 1,600', '6%'."""
    at = swing.high_at if high else swing.low_at
    value = input_text(swing.high_value if high else swing.low_value, swing.unit, currency)
    return f"{at} {value}" if at.endswith("%") or at.startswith("P") else value


def _side_texts(swing: Swing, base: float, currency: str) -> dict[bool, tuple[float, str]]:
    """What to write beyond each end of a bar: right side (True) and left side (False)
    -> (where the text starts, the input's values that put the NPV there)."""
    ends = [(swing.low.npv, end_label(swing, False, currency))]
    ends.append((swing.high.npv, end_label(swing, True, currency)))
    sides: dict[bool, tuple[float, str]] = {}
    for npv, text in ends:
        right = npv >= base
        if right in sides:  # both ends on one side: one text at the farther
            far, other = sides[right]
            far = max(far, npv) if right else min(far, npv)
            sides[right] = (far, f"{other}, {text}")
        else:
            sides[right] = (npv, text)
    return sides


def _npv_panel(ax: Axes, result: Tornado, swings: list[Swing], currency: str) -> None:
    row_axes(ax, len(swings))
    base = result.base.npv
    texts: list[Text] = []
    for y, swing in zip(row_positions(len(swings)), swings, strict=True):
        for npv, colour in ((swing.low.npv, AT_LOW), (swing.high.npv, AT_HIGH)):
            ax.barh(
                y - BAR_DROP, npv - base, left=base, height=BAR_HEIGHT, color=colour, linewidth=0
            )
        for right, (at, text) in _side_texts(swing, base, currency).items():
            texts.append(end_text(ax, at, y, text, right=right))
    names = [f"{s.label}: swing {money(s.npv_swing, currency)}" for s in swings]
    row_names(ax, names, [style.INK] * len(swings))
    ax.axvline(base, **MEDIANS)
    values = [base] + [s.low.npv for s in swings] + [s.high.npv for s in swings]
    make_room(ax, texts, min(values), max(values))
    style.money_axis(ax.xaxis, currency)
    ax.set_xlabel(f"Mean NPV ({currency})")
    ax.set_title("NPV", pad=20)


def _payback_panel(ax: Axes, result: Tornado, swings: list[Swing]) -> None:
    row_axes(ax, len(swings))
    months = [result.base.payback_month]
    months += [m for s in swings for m in (s.low.payback_month, s.high.payback_month)]
    scale = month_scale(months)
    for y, swing in zip(row_positions(len(swings)), swings, strict=True):
        low, high = scale.place(swing.low.payback_month), scale.place(swing.high.payback_month)
        centre = y - BAR_DROP
        ax.plot(
            [low, high], [centre + MARK_OFFSET, centre - MARK_OFFSET], color=style.GREY, linewidth=2
        )
        ax.plot([low], [centre + MARK_OFFSET], "o", color=AT_LOW, markersize=13)
        ax.plot([high], [centre - MARK_OFFSET], "o", color=AT_HIGH, markersize=13)
    ax.axvline(scale.place(result.base.payback_month), **MEDIANS)
    ax.set_xlim(0, scale.limit)
    month_axis(ax, ax.xaxis, scale)
    ax.set_xlabel("Payback month (median)")
    ax.set_title("Payback", pad=20)


def draw(result: Tornado, source: StudySource) -> Figure:
    currency = source.currency
    swings = list(result.swings[:MAX_ROWS])
    figure = style.new_figure()
    # a little above the usual bottom: "not within horizon" is two lines under the axis
    bottom = style.AXES_BOTTOM + 0.02
    height = style.AXES_TOP - bottom - 0.08
    left = figure.add_axes((style.MARGIN_LEFT, bottom, 0.63, height))
    right = figure.add_axes((0.74, bottom, 0.23, height))
    _npv_panel(left, result, swings, currency)
    _payback_panel(right, result, swings)

    base = result.base
    medians = f"Base: NPV {money(base.npv, currency)}"
    medians += ", payback " + (
        "not within the horizon"
        if base.payback_month is None
        else f"month {base.payback_month:.0f}"
    )
    handles = [Patch(color=AT_LOW), Patch(color=AT_HIGH), Line2D([], [], **MEDIANS)]
    labels = ["Input at its low end", "Input at its high end", medians]
    style.legend_row(figure, handles, labels)

    kinds = {s.kind for s in result.swings}
    ends = {
        frozenset({"uncertain"}): "Each uncertain input at its P10 and P90 in turn",
        frozenset({"fixed"}): "Each input at the low and high values given in turn",
    }.get(frozenset(kinds), "Each input in turn at its P10 and P90 (uncertain) or the values given")
    said = [
        f"{ends}, the others at their medians or as written, on the same random numbers",
        f"{ends}, the others at their medians or as written",
        ends,
    ]
    if len(result.swings) > len(swings):  # the count is said whatever else goes
        said = [f"{s}; the {len(swings)} largest of {len(result.swings)} inputs" for s in said]
    subtitle = style.fitting_title(figure, said, subtitle=True)
    title = style.fitting_title(figure, _titles(result, currency))
    style.frame(figure, title, subtitle, study_source(source))
    return figure


def draw_tornado(
    result: Tornado, source: StudySource, out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """The tornado slide into ``out_dir``; return the files written."""
    with style.chart_style():
        return style.save(draw(result, source), Path(out_dir), "tornado", formats)
