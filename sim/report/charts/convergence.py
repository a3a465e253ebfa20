"""Chart 14: how the NPV settled as the replications arrived, the @RISK convergence view.

The running mean NPV with its 95% band (the mean ± 1.96 standard errors of the
replications so far), and the running P10, P50 and P90, against the replications run
(summary.json's ``convergence.running``: the last point is the headline's figures). The
title says what a reader wants from it: whether the mean had settled to the precision
the run asked for (``--precision`` on the NPV), or, without one, how precisely the mean
is known and whether it still moved over the second half of the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import calendar_month, money
from sim.runs.headlines import NPV
from sim.runs.running import RunningNpv

#: the normal quantile of a two-sided 95% interval: the band is the mean ± Z95 SE
Z95 = 1.96
PERCENTILE_LINES = (
    ("p90", "P90", style.GREEN),
    ("p50", "P50", style.BLACK),
    ("p10", "P10", style.ORANGE),
)
DASHES = (0, (5, 2))
#: a rule's statistic in words
STATISTIC_WORDS = {"mean": "Mean NPV", "p10": "NPV's P10", "p50": "NPV's P50", "p90": "NPV's P90"}


def half_widths(running: RunningNpv) -> np.ndarray:
    """Z95 standard errors of the running mean at each count (NaN at a count of one)."""
    return Z95 * np.array([np.nan if se is None else se for se in running.mean_se], dtype=float)


def settled_from(running: RunningNpv) -> int:
    """The count from which the running mean stayed inside the final mean's 95% band
    (the last count where it never left it before the end)."""
    final, width = running.mean[-1], half_widths(running)[-1]
    outside = np.abs(np.array(running.mean) - final) > width
    counts = running.counts
    return counts[int(np.flatnonzero(outside)[-1]) + 1] if outside.any() else counts[0]


def steady(running: RunningNpv) -> bool:
    """Whether the running mean stayed inside the final mean's 95% band over the second
    half of the run at least."""
    return settled_from(running) <= running.counts[-1] / 2


def npv_rule(stopping: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The run's stopping rule where it settles the NPV (None: a fixed count, or a rule on
    another headline)."""
    if stopping is None or not str(stopping.get("rule", "")).startswith(f"{NPV.name}."):
        return None
    return stopping


def _rule_statistic(rule: Mapping[str, Any]) -> str:
    return str(rule["rule"]).split("=")[0].split(".")[1]


def _count(n: int) -> str:
    return f"{n:,} replication{'s' if n != 1 else ''}"


def _ruled_title(rule: Mapping[str, Any], currency: str) -> str:
    what = STATISTIC_WORDS[_rule_statistic(rule)]
    asked = money(rule.get("target_half_width"), currency)
    reached = money(rule.get("half_width"), currency)
    count = _count(int(rule["replications"]))
    estimate = money(rule.get("estimate"), currency)
    if rule.get("settled"):
        return f"{what} settled at {estimate} ± {reached} after {count} (asked ± {asked})"
    return f"{what} not settled to ± {asked} after {count}: {estimate} ± {reached}"


def titles(run: Run) -> list[str]:
    """Candidates, the most said first."""
    convergence = run.summary.convergence
    running = convergence.running if convergence is not None else None
    currency = run.currency
    if running is None:
        return ["No replication has an NPV: nothing to converge"]
    if len(running.counts) < 2:
        return ["One replication: no spread to settle; run more for a standard error"]
    final = running.mean[-1]
    if min(running.p10) == max(running.p90):
        return [f"No spread: every replication's NPV is {money(final, currency)}"]
    rule = npv_rule(run.summary.stopping)
    if rule is not None:
        return [_ruled_title(rule, currency)]
    width = money(float(half_widths(running)[-1]), currency)
    known = f"Mean NPV {money(final, currency)} ± {width} after {_count(running.counts[-1])}"
    since = settled_from(running)
    if steady(running):
        return [f"{known}, steady from replication {since} on", f"{known}, steady", known]
    return [
        f"{known}, still moving (steady only from replication {since})",
        f"{known}, still moving",
    ]


def _rule_lines(ax: Axes, rule: Mapping[str, Any]) -> Artist | None:
    estimate, target = rule.get("estimate"), rule.get("target_half_width")
    if estimate is None or target is None:
        return None
    for y in (estimate - target, estimate + target):
        ax.axhline(y, color=style.GREY, linewidth=1.8, linestyle=(0, (1, 2)))
    return Line2D([], [], color=style.GREY, linewidth=1.8, linestyle=(0, (1, 2)))


def _draw_lines(ax: Axes, running: RunningNpv, currency: str) -> list[tuple[Artist, str]]:
    x = np.array(running.counts, dtype=float)
    mean = np.array(running.mean)
    width = half_widths(running)
    style.band(ax, x, mean - width, mean + width, style.BLUE)
    for stat, _, colour in PERCENTILE_LINES:
        ax.plot(x, getattr(running, stat), color=colour, linewidth=2.2, linestyle=DASHES)
    ax.plot(x, mean, color=style.BLUE, linewidth=3.5)
    labels = [
        (getattr(running, stat), f"{name} {money(getattr(running, stat)[-1], currency)}", colour)
        for stat, name, colour in PERCENTILE_LINES
    ]
    style.end_labels(
        ax, float(x[-1]), [*labels, (mean, f"Mean {money(mean[-1], currency)}", style.BLUE)]
    )
    return [
        (Line2D([], [], color=style.BLUE, linewidth=3.5), "Mean NPV so far"),
        (Patch(color=style.BLUE, alpha=style.BAND_ALPHA), "Mean ± 1.96 SE"),
        *[
            (Line2D([], [], color=colour, linewidth=2.2, linestyle=DASHES), f"{name} so far")
            for _, name, colour in PERCENTILE_LINES
        ],
    ]


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.86, style.AXES_TOP - style.AXES_BOTTOM - 0.06))
    convergence = run.summary.convergence
    running = convergence.running if convergence is not None else None
    currency = run.currency
    subtitle = "Nothing drawn: the run folder holds no running NPV"
    if running is not None:
        entries = _draw_lines(ax, running, currency)
        rule = npv_rule(run.summary.stopping)
        marked = _rule_lines(ax, rule) if rule is not None else None
        if marked is not None:
            entries.append((marked, "Precision asked"))
        style.legend_row(figure, [h for h, _ in entries], [label for _, label in entries])
        ax.set_xlim(0, running.counts[-1] * 1.02)
        subtitle = (
            "NPV of the replications so far: their mean; shaded: its 95% band (± 1.96 "
            "standard errors); dashed: their P10, P50 and P90"
        )
        if marked is not None:
            subtitle += "; dotted: the precision asked"
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.set_xlabel("Replications run")
    ax.set_ylabel(f"NPV to {calendar_month(run.summary.last_month)} ({currency})")
    style.money_axis(ax.yaxis, currency)
    ax.grid(True)
    heading = style.fitting_title(figure, titles(run))
    style.frame(figure, heading, subtitle, run.source_line())
    return figure
