"""An optimisation's slides: how the search converged, and the risk-return frontier.

Both read the study's JSON (sim.report.optimize) alone, so the board pack draws
them again from the folder. The convergence chart gives every candidate's value of
the (first) objective by trial, feasible or not, and the best feasible value so
far as a step line, with the plan as written for reference. With two objectives,
the frontier chart puts every candidate on the two axes, joins the Pareto front
(the feasible candidates no other beats on both) and marks today's plan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.report.charts import style
from sim.report.charts.study import study_source
from sim.report.text import money
from sim.runs.headlines import BY_NAME, Kind, of_kind

if TYPE_CHECKING:  # the file's typed values: the chart runs nothing of the search
    from sim.report.optimizefile import StoredCandidate, StoredOptimisation

FEASIBLE = style.BLUE
INFEASIBLE = style.GREY
FRONT = style.ORANGE
TODAY = style.BLACK
#: headlines in money, and in months
MONEY = of_kind(Kind.MONEY)
MONTHS = of_kind(Kind.MONTHS)


def _headline(statistic: str) -> str:
    return (
        statistic[2:].split("<")[0].split(">")[0]
        if statistic.startswith("P(")
        else (statistic.split(".")[0])
    )


def statistic_label(statistic: str) -> str:
    """A statistic as a reader names it (the registry's label, its statistic and its
    unit): 'Mean NPV', 'P80 payback month', 'P(NPV > 0)'."""
    if statistic.startswith("P("):
        inner = statistic[2:-1]
        for op in ("<=", ">=", "<", ">"):
            if op in inner:
                name, value = inner.split(op, 1)
                return f"P({_name(name)} {op.replace('<=', '≤').replace('>=', '≥')} {value})"
    name, stat = statistic.split(".", 1)
    known = BY_NAME.get(name)
    if known is not None:
        return known.statistic_label(stat)
    which = "Mean" if stat == "mean" else stat.upper()
    return f"{which} {_name(name)}"


def in_sentence(label: str) -> str:
    """A statistic's label inside a sentence: 'mean NPV', 'P80 payback month'."""
    return label[0].lower() + label[1:] if label.startswith("Mean ") else label


def _name(headline: str) -> str:
    known = BY_NAME.get(headline)
    return known.with_unit if known is not None else headline.replace("_", " ")


def value_text(statistic: str, value: float | None, currency: str) -> str:
    """A statistic's value as the tables write it."""
    if value is None:
        return "n/a"
    if statistic.startswith("P("):
        return f"{value:.0%}"
    headline = _headline(statistic)
    if headline in MONEY:
        return money(value, currency)
    if headline in MONTHS:
        return f"month {value:.0f}" if float(value).is_integer() else f"month {value:.1f}"
    return f"{value:,.4g}"


def threshold_text(statistic: str, value: float, currency: str) -> str:
    """A bound beside its statistic's label: '$1B', '90%', and a month as its number
    (the label says 'month': 'P50 payback month ≤ 12')."""
    if not statistic.startswith("P(") and _headline(statistic) in MONTHS:
        return f"{value:g}"
    return value_text(statistic, value, currency)


def _axis(ax: Axes, which: str, statistic: str, currency: str) -> None:
    axis = ax.yaxis if which == "y" else ax.xaxis
    if statistic.startswith("P("):
        style.percent_axis(axis)
    elif _headline(statistic) in MONEY:
        style.money_axis(axis, currency)
    elif _headline(statistic) in MONTHS:  # whole months: '7.6' is no month
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))


def _value(c: StoredCandidate, statistic: str) -> float:
    v = c.statistics.get(statistic)
    return np.nan if v is None else float(v)


def _candidates(
    ax: Axes,
    candidates: list[StoredCandidate],
    x_of: Callable[[StoredCandidate], float],
    y_of: Callable[[StoredCandidate], float],
    alpha: float | None = None,
) -> None:
    """Every candidate as a marker: crosses for the infeasible, dots for the feasible."""
    for feasible, colour, marker in ((False, INFEASIBLE, "x"), (True, FEASIBLE, "o")):
        chosen = [c for c in candidates if c.feasible == feasible]
        ax.plot(
            [x_of(c) for c in chosen],
            [y_of(c) for c in chosen],
            marker,
            color=colour,
            markersize=9,
            linestyle="none",
            alpha=alpha,
        )


def draw_convergence_figure(data: StoredOptimisation) -> Figure:
    source = data.source
    currency = source.currency
    objective = data.objectives[0]
    statistic = objective.statistic
    candidates = [c for c in data.candidates if not c.error]
    figure = style.new_figure()
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.86, style.AXES_TOP - style.AXES_BOTTOM - 0.06))
    _candidates(ax, candidates, lambda c: c.trial, lambda c: _value(c, statistic))
    best = [np.nan if b is None else b for b in data.best_by_trial]
    trials = [c.trial for c in data.candidates]
    ax.step(trials, best, where="post", color=FRONT, linewidth=3.5)
    today = data.today.statistics.get(statistic)
    if today is not None:
        ax.axhline(today, color=TODAY, linestyle="--", linewidth=2)
    _axis(ax, "y", statistic, currency)
    ax.set_xlabel("Trial")
    ax.set_ylabel(statistic_label(statistic))
    ax.grid(True, axis="y")
    handles = [
        Line2D([], [], color=FRONT, linewidth=3.5),
        Line2D([], [], marker="o", color=FEASIBLE, linestyle="none", markersize=9),
        Line2D([], [], marker="x", color=INFEASIBLE, linestyle="none", markersize=9),
        Line2D([], [], color=TODAY, linestyle="--", linewidth=2),
    ]
    labels = ["Best feasible so far", "Meets every constraint", "Misses one", "Plan as written"]
    style.legend_row(figure, handles, labels)
    found = [b for b in best if np.isfinite(b)]
    name = statistic_label(statistic)
    if not found:
        titles = ["No candidate meets every constraint", "No feasible candidate"]
    else:
        final = found[-1]
        first = next(i for i, b in enumerate(best) if np.isfinite(b) and b == final)
        shown = value_text(statistic, final, currency)
        titles = [
            f"The best feasible {in_sentence(name)}, {shown}, was found at trial {trials[first]}",
            f"Best feasible {in_sentence(name)}: {shown}, at trial {trials[first]}",
        ]
    count = len(data.candidates)
    subtitle = (
        f"{count} candidates ({data.sampler}), each on the same "
        f"{source.replications} replications; "
        f"{'maximising' if objective.maximise else 'minimising'} {in_sentence(name)}"
    )
    style.frame(figure, style.fitting_title(figure, titles), subtitle, study_source(source))
    return figure


def draw_frontier_figure(data: StoredOptimisation) -> Figure:
    source = data.source
    currency = source.currency
    x_stat, y_stat = (o.statistic for o in data.objectives[:2])
    candidates = [c for c in data.candidates if not c.error]
    figure = style.new_figure()
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.86, style.AXES_TOP - style.AXES_BOTTOM - 0.06))
    _candidates(ax, candidates, lambda c: _value(c, x_stat), lambda c: _value(c, y_stat), alpha=0.8)
    by_trial = {c.trial: c for c in candidates}
    front = sorted(
        (by_trial[n] for n in data.front if n in by_trial), key=lambda c: _value(c, x_stat)
    )
    ax.plot(
        [_value(c, x_stat) for c in front],
        [_value(c, y_stat) for c in front],
        "-o",
        color=FRONT,
        linewidth=3.5,
        markersize=11,
    )
    today = data.today
    tx, ty = _value(today, x_stat), _value(today, y_stat)
    if np.isfinite(tx) and np.isfinite(ty):
        ax.plot([tx], [ty], "*", color=TODAY, markersize=26)
        ax.annotate(
            "Today's plan",
            (tx, ty),
            xytext=(14, -6),
            textcoords="offset points",
            fontsize=style.NOTE_PT,
            color=TODAY,
        )
    best = data.best
    if best is not None and best in by_trial:
        c = by_trial[best]
        ax.plot(
            [_value(c, x_stat)],
            [_value(c, y_stat)],
            "o",
            markersize=22,
            markerfacecolor="none",
            markeredgecolor=TODAY,
            markeredgewidth=2.5,
        )
    _axis(ax, "x", x_stat, currency)
    _axis(ax, "y", y_stat, currency)
    ax.set_xlabel(statistic_label(x_stat))
    ax.set_ylabel(statistic_label(y_stat))
    ax.grid(True)
    handles = [
        Line2D([], [], color=FRONT, linewidth=3.5, marker="o", markersize=11),
        Line2D([], [], marker="o", color=FEASIBLE, linestyle="none", markersize=9),
        Line2D([], [], marker="x", color=INFEASIBLE, linestyle="none", markersize=9),
        Line2D([], [], marker="*", color=TODAY, linestyle="none", markersize=18),
    ]
    labels = ["Pareto front", "Feasible", "Misses a constraint", "Today's plan"]
    style.legend_row(figure, handles, labels)
    names = statistic_label(x_stat), statistic_label(y_stat)
    titles = frontier_titles(len(front), names)
    subtitle = (
        f"{len(data.candidates)} candidates (NSGA-II), each on the same "
        f"{source.replications} replications; the ringed plan is best.yaml"
    )
    style.frame(figure, style.fitting_title(figure, titles), subtitle, study_source(source))
    return figure


def frontier_titles(plans: int, names: tuple[str, str]) -> list[str]:
    """The frontier's takeaways, longest first: true of a front of ``plans`` plans."""
    x, y = in_sentence(names[0]), in_sentence(names[1])
    if plans == 1:  # no trade-off: one plan is best on both
        return [f"One plan is best on both {x} and {y}", f"The frontier of {x} against {y}"]
    if plans:
        return [
            f"{plans} plans trade {x} against {y}: none beats another on both",
            f"The frontier of {x} against {y}",
        ]
    return ["No candidate meets every constraint: no frontier"]


def draw_optimisation(
    data: StoredOptimisation, out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """The convergence slide (and, with two objectives, the frontier) into ``out_dir``."""
    paths: list[Path] = []
    with style.chart_style():
        paths += style.save(draw_convergence_figure(data), Path(out_dir), "convergence", formats)
        if len(data.objectives) > 1:
            paths += style.save(draw_frontier_figure(data), Path(out_dir), "frontier", formats)
    return paths
