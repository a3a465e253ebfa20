"""Chart 10: NPV's distribution as a histogram, the @RISK view beside the S-curve.

The replications' NPVs (replications.csv, the S-curve's data) in bins, with the
headline's P10, P50 and P90 (summary.json's band: the table's figures) marked,
and the statistics an @RISK user looks for first written beside them: P(NPV < 0),
the minimum, the maximum and the standard deviation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.charts.scurve import npvs_of
from sim.report.text import money, probability
from sim.runs.bands import Band
from sim.runs.headlines import NPV

#: at most this many bins; fewer for a small run (about one per two replications)
MAX_BINS = 24
MARKERS = (("p10", "P10", style.ORANGE), ("p50", "P50", style.BLACK), ("p90", "P90", style.GREEN))


@dataclass(frozen=True)
class NpvStatistics:
    """What the histogram states: shares and spread of the replications' NPVs."""

    count: int
    below_zero: float
    minimum: float
    maximum: float
    std: float

    @classmethod
    def of(cls, npvs: np.ndarray) -> NpvStatistics:
        if npvs.size == 0:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan)
        std = float(npvs.std(ddof=1)) if npvs.size > 1 else float("nan")
        return cls(
            int(npvs.size), float(np.mean(npvs < 0)), float(npvs.min()), float(npvs.max()), std
        )


def bins(count: int) -> int:
    return max(1, min(MAX_BINS, math.ceil(count / 2)))


def titles(band: Band, stats: NpvStatistics, currency: str) -> list[str]:
    """Candidates, the most said first: the median, the range and the chance of a loss."""
    if stats.count == 0 or band.p50 is None:
        return ["No replication has an NPV"]
    median = money(band.p50, currency)
    if stats.minimum == stats.maximum:  # a status quo: P10 $0 to P90 $0 says nothing
        return [f"No spread: every replication's NPV is {money(stats.minimum, currency)}"]
    if stats.below_zero == 0:
        risk = "no replication loses money"
    elif stats.below_zero == 1:
        risk = "every replication loses money"
    else:
        risk = f"{probability(stats.below_zero)} of replications lose money"
    short = f"Median NPV {median}; {risk}"
    if band.p10 is None or band.p90 is None or stats.count < 2:
        return [short]
    low, high = money(band.p10, currency), money(band.p90, currency)
    return [f"Median NPV {median}, P10 {low} to P90 {high}; {risk}", short]


def statistics_text(stats: NpvStatistics, currency: str) -> str:
    std = money(stats.std, currency) if math.isfinite(stats.std) else "n/a"
    return "\n".join(
        [
            f"P(NPV < 0)  {probability(stats.below_zero)}",
            f"Minimum  {money(stats.minimum, currency)}",
            f"Maximum  {money(stats.maximum, currency)}",
            f"Std deviation  {std}",
        ]
    )


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    ax = figure.add_axes((0.08, style.AXES_BOTTOM, 0.66, style.AXES_TOP - style.AXES_BOTTOM - 0.06))
    npvs = npvs_of(run.replication_rows)
    stats = NpvStatistics.of(npvs)
    band = run.headline(NPV.name)
    currency = run.currency
    if npvs.size:
        low, high = float(npvs.min()), float(npvs.max())
        span = high - low or max(abs(high), 1.0) * 0.1
        edges = np.linspace(low - 0.02 * span, high + 0.02 * span, bins(npvs.size) + 1)
        counts, _ = np.histogram(npvs, bins=edges)
        widths = np.diff(edges)
        ax.bar(edges[:-1], counts, widths, align="edge", color=style.SKY, edgecolor="white")
        top = float(counts.max())
        if low <= 0 <= high:
            ax.axvline(0, color=style.VERMILLION, linewidth=2)
        for stat, name, colour in MARKERS:
            value = getattr(band, stat)
            if value is None:
                continue
            ax.axvline(value, color=colour, linewidth=3, linestyle=(0, (5, 2)))
            ax.annotate(
                f"{name} {money(value, currency)}",
                (value, top * 1.02),
                rotation=90,
                xytext=(-6, 0),
                textcoords="offset points",
                ha="right",
                va="top",
                fontsize=style.NOTE_PT,
                fontweight="bold",
                color=colour,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
            )
        ax.set_ylim(0, top * 1.08)
    ax.set_xlabel(f"NPV ({currency})")
    ax.set_ylabel("Replications")
    ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    style.money_axis(ax.xaxis, currency)
    figure.text(
        0.77,
        style.AXES_TOP - 0.08,
        statistics_text(stats, currency),
        va="top",
        ha="left",
        fontsize=style.LABEL_PT + 1,
        linespacing=1.9,
        color=style.INK,
    )
    subtitle = (
        f"NPV of each of {stats.count} replications, binned; dashed: the headline's P10, P50 and "
        "P90 (the S-curve's data)"
    )
    heading = style.fitting_title(figure, titles(band, stats, currency))
    style.frame(figure, heading, subtitle, run.source_line())
    return figure
