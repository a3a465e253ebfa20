"""The goal seek: the statistic against the input, the target and the answer.

Every value tried is a point (numbered in the order the search ran it), joined
in order of the input; the target is a dashed line; the answer a vertical line
with its 95% interval over resampled replications shaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.study import input_axis, input_text, study_source, value_text
from sim.report.text import money
from sim.runs.headlines import BY_NAME, Kind
from sim.scenario.labels import Measure

if TYPE_CHECKING:  # a solution is plain data; the chart runs nothing of the study
    from sim.report.studysource import StudySource
    from sim.studies.solve import Solution

RELATION_WORDS = {"<=": "at most", ">=": "at least", "=": ""}


def statistic_name(solution: Solution) -> str:
    """The target's statistic as the registry names it: 'P50 NPV', 'Mean NPV' (it read
    'MEAN NPV'), 'P50 payback month'."""
    target = solution.target
    return BY_NAME[target.headline].statistic_label(target.statistic)


def value_shown(value: float | None, headline: str, currency: str) -> str:
    if value is None:
        return "never"
    kind = BY_NAME[headline].kind
    if kind is Kind.MONEY:
        return money(value, currency)
    if kind is Kind.MONTHS:
        return f"month {value:.0f}"
    return value_text(value)


def _title(solution: Solution, currency: str) -> str:
    target = solution.target
    wanted = value_shown(target.value, target.headline, currency)
    if BY_NAME[target.headline].kind is Kind.MONTHS:  # the label says month: 'at most 12'
        wanted = f"{target.value:g}"
    words = RELATION_WORDS[target.relation]
    goal = f"{statistic_name(solution)} {words} {wanted}".replace("  ", " ")
    answer = input_text(solution.answer, solution.unit, currency)
    return f"{solution.label} of {answer} gives {goal}"


def draw(solution: Solution, source: StudySource) -> Figure:
    currency = source.currency
    target = solution.target
    figure = style.new_figure()
    ax = figure.add_axes(
        (style.MARGIN_LEFT + 0.07, style.AXES_BOTTOM, 0.86, style.AXES_TOP - style.AXES_BOTTOM)
    )
    points = sorted(solution.evaluations, key=lambda e: e.value)
    finite = [e.statistic for e in solution.evaluations if e.statistic is not None]
    ceiling = max([*finite, target.value]) if finite else target.value
    never_at = ceiling + 0.1 * (abs(ceiling) or 1.0)
    ys = np.array([never_at if e.statistic is None else e.statistic for e in points])
    xs = np.array([e.value for e in points])
    ax.plot(xs, ys, color=style.BLUE, linewidth=2.5, zorder=2)
    order = {id(e): k + 1 for k, e in enumerate(solution.evaluations)}
    for e, y in zip(points, ys, strict=True):
        ax.plot([e.value], [y], "o", color=style.BLUE, markersize=9, zorder=3)
        ax.annotate(
            str(order[id(e)]),
            (e.value, y),
            textcoords="offset points",
            xytext=(7, 7),
            ha="left",
            fontsize=style.NOTE_PT - 2,
            color=style.MUTED,
        )
    target_style: dict[str, Any] = {
        "color": style.VERMILLION,
        "linestyle": (0, (5, 3)),
        "linewidth": 2,
    }
    ax.axhline(target.value, **target_style)
    low, high = solution.interval
    if low is not None and high is not None:
        ax.axvspan(low, high, color=style.ORANGE, alpha=style.BAND_ALPHA, linewidth=0)
    ax.axvline(solution.answer, color=style.BLACK, linewidth=2)
    in_money = BY_NAME[target.headline].kind is Kind.MONEY
    if in_money:
        style.money_axis(ax.yaxis, currency)
    if any(e.statistic is None for e in points):
        never = "  never (not within the horizon)"
        ax.text(xs.min(), never_at, never, va="bottom", color=style.MUTED)
    input_axis(ax.xaxis, solution.unit, currency)
    in_currency = solution.unit.measure is Measure.MONEY
    ax.set_xlabel(solution.label + (f" ({currency})" if in_currency else ""))
    unit = f" ({currency})" if in_money else ""
    ax.set_ylabel(f"{statistic_name(solution)}{unit}")

    shown = {v: input_text(v, solution.unit, currency) for v in (low, high, solution.answer)}
    interval = (
        f", 95% interval {shown[low]} to {shown[high]}"
        if low is not None and high is not None
        else ""
    )
    handles = [
        Line2D([], [], color=style.BLUE, marker="o", linewidth=2.5),
        Line2D([], [], **target_style),
        Line2D([], [], color=style.BLACK, linewidth=2),
        Patch(color=style.ORANGE, alpha=style.BAND_ALPHA),
    ]
    labels = [
        "Values tried (numbered in search order)",
        f"Target {value_shown(target.value, target.headline, currency)}",
        f"Answer {shown[solution.answer]}",
        "95% interval over resampled replications",
    ]
    style.legend_row(figure, handles, labels)
    subtitle = (
        f"{statistic_name(solution)} against {solution.label}, every value on the same "
        f"random numbers; {len(solution.evaluations)} values tried{interval}"
    )
    title = style.fitting_title(figure, [_title(solution, currency)])
    style.frame(figure, title, subtitle, study_source(source))
    return figure


def draw_solve(
    solution: Solution, source: StudySource, out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """The goal-seek slide into ``out_dir``; return the files written."""
    with style.chart_style():
        return style.save(draw(solution, source), Path(out_dir), "solve", formats)
