"""NPV's cumulative probability, the S-curve: the first chart an @RISK user reads.

For each NPV on the x axis, the share of replications at or below it (each
replication's own NPV, a step a replication). Where the curve crosses zero is
the probability of losing money; one minus it, P(NPV > 0), is in the legend and
the title. A run draws its own curve (chart 7); a comparison overlays one curve a
scenario, in each scenario's colour (every scenario on the same random numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import money, probability


@dataclass(frozen=True)
class Curve:
    """One scenario's NPVs, a value a replication, as drawn."""

    label: str
    colour: str
    npvs: np.ndarray

    @property
    def above_zero(self) -> float:
        return float(np.mean(self.npvs > 0)) if self.npvs.size else float("nan")


def npvs_of(rows: Sequence[dict[str, float | None]]) -> np.ndarray:
    """Each replication's NPV from replications.csv's rows (rows without one left out)."""
    return np.array([r["npv"] for r in rows if r.get("npv") is not None], dtype=float)


def curves_figure(curves: Sequence[Curve], currency: str, subtitle: str, source: str) -> Figure:
    figure = style.new_figure()
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.86, style.AXES_TOP - style.AXES_BOTTOM - 0.06))
    handles, labels = [], []
    values = np.concatenate([c.npvs for c in curves]) if curves else np.array([])
    for c in curves:
        x = np.sort(c.npvs)
        y = np.arange(1, x.size + 1) / max(x.size, 1)
        # from 0 below the lowest NPV: each replication is a step up of 1/N
        ax.step(np.r_[x[:1], x], np.r_[0.0, y], where="post", color=c.colour, linewidth=3.5)
        handles.append(Line2D([], [], color=c.colour, linewidth=3.5))
        labels.append(
            f"{c.label}: P(NPV > 0) {probability(c.above_zero)}"
            if len(curves) > 1
            else f"P(NPV > 0) {probability(c.above_zero)}"
        )
    if values.size and values.min() <= 0 <= values.max():
        ax.axvline(0, color=style.MUTED, linewidth=1.5)
    ax.set_ylim(0, 1.02)
    style.percent_axis(ax.yaxis)
    style.money_axis(ax.xaxis, currency)
    ax.set_xlabel(f"NPV ({currency})")
    ax.set_ylabel("Share of replications at or below")
    ax.grid(True)
    style.legend_row(figure, handles, labels)
    style.frame(figure, style.fitting_title(figure, _titles(curves, currency)), subtitle, source)
    return figure


def _titles(curves: Sequence[Curve], currency: str) -> list[str]:
    if not curves or not any(c.npvs.size for c in curves):
        return ["No replication has an NPV"]
    if len(curves) == 1:
        c = curves[0]
        if c.npvs.size and c.npvs.min() == c.npvs.max():  # a status quo: no curve to read
            return [f"No spread: every replication's NPV is {money(c.npvs[0], currency)}"]
        share = probability(c.above_zero)
        median = money(float(np.median(c.npvs)), currency)
        return [
            f"NPV is above zero in {share} of replications; the median is {median}",
            f"NPV is above zero in {share} of replications",
        ]
    return _compared_titles(curves, currency)


def _names(labels: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _compared_titles(curves: Sequence[Curve], currency: str) -> list[str]:
    """Which scenario is likeliest to pay, as the legend's rounded shares read: scenarios
    whose P(NPV > 0) reads the same tie, and the title says so (it read "cuts-only is the
    likeliest to pay: 100% against 100%, 100%, 0%" where three scenarios had 100%)."""
    best = max(curves, key=lambda c: (c.above_zero, float(np.median(c.npvs))))
    top = probability(best.above_zero)
    median = money(float(np.median(best.npvs)), currency)
    tied = [c for c in curves if probability(c.above_zero) == top]
    rest = [c for c in curves if probability(c.above_zero) != top]
    if not rest:
        return [
            f"P(NPV > 0) is {top} for every scenario; {best.label} has the highest "
            f"median NPV, {median}",
            f"P(NPV > 0) is {top} for every scenario",
        ]
    named = _names([f"{probability(c.above_zero)} for {c.label}" for c in rest])
    shares = _names([probability(c.above_zero) for c in rest])
    if len(tied) == 1:
        head = f"{best.label} is the likeliest to pay: P(NPV > 0) {top}"
        return [f"{head} against {named}", f"{head} against {shares}", head]
    head = f"{_names([c.label for c in tied])} tie as the likeliest to pay: P(NPV > 0) {top} each"
    return [
        f"{head}, against {named}; {best.label} has the highest median NPV, {median}",
        f"{head}, against {named}",
        f"{head}, against {shares}",
        head,
        f"{len(tied)} scenarios tie as the likeliest to pay: P(NPV > 0) {top} each",
    ]


def draw(run: Run) -> Figure:
    """Chart 7: the run's NPV S-curve."""
    curve = Curve(run.summary.name, style.BLUE, npvs_of(run.replication_rows))
    count = run.replications
    subtitle = (
        f"Cumulative probability of NPV over {count} replication{'s' * (count != 1)}, each "
        "its own draws of the uncertain inputs, against its own status quo"
    )
    return curves_figure([curve], run.currency, subtitle, run.source_line())
