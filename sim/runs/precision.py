"""Stop when settled: run replications in batches until a statistic is known to a stated precision.

``npv.p50=1%`` asks for the P50 NPV's 95% confidence interval to be within 1%
of the P50 on either side; ``npv.mean=50e6`` for the mean NPV's within 50
million. Replications run in batches (sim.runs.orchestrator); after each batch the interval is
computed from every replication so far, and the run stops once it is tight
enough or the maximum is reached. Replication ``i`` always has the seed
``SeedSequence(seed).spawn(...)[i]`` and the stop is decided on the results
folded in replication order, so the same seed stops after the same number of
replications whatever the workers, and those results equal a plain run of that
many replications.

Intervals: the mean's from Student's t; a percentile's distribution-free, from
the order statistics whose ranks bracket it with the binomial's probabilities
(a payback that never comes counts as later than any month).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.runs.bands import PERCENTILES, parse_statistic, spec_number
from sim.runs.headlines import BY_NAME, IRR, NEVER
from sim.scenario.schema import Scenario

_SPEC = re.compile(r"^\s*([a-z_]+)\.(p10|p50|p90|mean)\s*=\s*([0-9.eE+_-]+)\s*(%?)\s*$")
#: replications a batch unless told: enough for a first interval of a percentile
DEFAULT_BATCH = 20
DEFAULT_MAX = 2000


@dataclass(frozen=True)
class Precision:
    """How well a statistic must be known: its interval's half-width, absolute or
    relative to the statistic, at a confidence."""

    headline: str
    statistic: str  # p10, p50, p90 or mean
    half_width: float
    relative: bool
    confidence: float = 0.95

    @property
    def text(self) -> str:
        width = f"{self.half_width * 100:g}%" if self.relative else f"{self.half_width:g}"
        return f"{self.headline}.{self.statistic}={width}"


def parse_precision(text: str, confidence: float = 0.95) -> Precision:
    """``npv.p50=1%`` or ``npv.mean=50e6`` -> a Precision; ValueError says what is wrong."""
    headline, statistic, width, percent = parse_statistic(
        text,
        _SPEC,
        "HEADLINE.STAT=WIDTH, e.g. npv.p50=1% (within 1% of the P50) or npv.mean=50e6 "
        "(within 50 million)",
    )
    value = spec_number(text, width)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{text!r}: the width must be a positive number, got {width}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence:g}")
    width_value = value / 100 if percent else value
    return Precision(headline, statistic, width_value, bool(percent), confidence)


#: headlines a scenario gives only with a field set: (headline, field, what it means)
NEEDS_FIELD = {
    "terminal_value": "finance.terminal_value",
    "npv_with_terminal_value": "finance.terminal_value",
}


def check_settleable(precision: Precision, scenario: Scenario) -> None:
    """ValueError when the scenario cannot give the headline a value at all (a terminal
    value when none is set): no number of replications would settle it."""
    field = NEEDS_FIELD.get(precision.headline)
    if field is not None and scenario.finance.terminal_value is None:
        raise ValueError(
            f"{precision.text!r}: this scenario has no {precision.headline} ({field} is not "
            "set), so there is nothing to settle; set it, or settle another headline"
        )


@dataclass(frozen=True)
class Stop:
    """A run's stopping rule: the precision, the batch size and the most replications."""

    precision: Precision
    batch: int = DEFAULT_BATCH
    max_replications: int = DEFAULT_MAX


@dataclass(frozen=True)
class Interval:
    """A statistic of the replications so far, and its confidence interval."""

    estimate: float | None
    low: float | None
    high: float | None

    @property
    def half_width(self) -> float | None:
        if self.low is None or self.high is None:
            return None
        return (self.high - self.low) / 2


def interval(
    values: Sequence[float | None], statistic: str, confidence: float, never: bool = False
) -> Interval:
    """The statistic (p10/p50/p90/mean) of the values and its confidence interval."""
    data = np.array([math.inf if v is None else v for v in values], dtype=float)
    if not never:
        data = data[np.isfinite(data)]
    n = data.size
    if n < 2:
        return Interval(None, None, None)
    if statistic == "mean":
        from scipy import stats

        mean = float(data.mean())
        if not math.isfinite(mean):
            return Interval(None, None, None)
        half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * data.std(ddof=1) / math.sqrt(n)
        return Interval(mean, mean - float(half), mean + float(half))
    return _percentile_interval(np.sort(data), PERCENTILES[statistic] / 100, confidence)


def _percentile_interval(ordered: np.ndarray, q: float, confidence: float) -> Interval:
    """Distribution-free: ranks j < k with P(X(j) <= x_q <= X(k)) >= confidence."""
    from scipy import stats

    n = ordered.size
    tail = (1 - confidence) / 2
    j = int(stats.binom.ppf(tail, n, q))  # X(j) (1-based rank j) sits below x_q with prob 1 - tail
    k = int(stats.binom.ppf(1 - tail, n, q)) + 1
    estimate = float(np.quantile(ordered, q, method="inverted_cdf"))
    if j < 1 or k > n:
        return Interval(_finite(estimate), None, None)  # too few replications to bracket it
    return Interval(_finite(estimate), _finite(ordered[j - 1]), _finite(ordered[k - 1]))


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True)
class Settling:
    """How the run stopped: the interval after each batch, and whether it settled."""

    precision: Precision
    batches: tuple[tuple[int, Interval], ...]  # (replications so far, interval)
    settled: bool
    #: why it stopped before it settled or reached its ceiling (None: it did neither)
    reason: str | None = None

    @property
    def final(self) -> Interval:
        return self.batches[-1][1]

    def as_dict(self) -> dict[str, Any]:
        final = self.final
        return {
            "rule": self.precision.text,
            "confidence": self.precision.confidence,
            "settled": self.settled,
            "replications": self.batches[-1][0],
            "estimate": final.estimate,
            "interval": [final.low, final.high],
            "half_width": final.half_width,
            "target_half_width": target_width(self.precision, final),
            **({"reason": self.reason} if self.reason is not None else {}),
        }


def nothing_to_settle(
    precision: Precision, values: Sequence[float | None], irr_reasons: Sequence[str | None]
) -> str | None:
    """Why no number of replications will settle the statistic, when none so far gave the
    headline a value (an IRR where no replication's cash flows change sign): more of the
    same scenario would run to the ceiling for nothing. None while any gave one, and for
    a payback, whose "never" is a value (later than any month)."""
    if precision.headline in NEVER or any(v is not None and math.isfinite(v) for v in values):
        return None
    why = ""
    if precision.headline == IRR.name and (reasons := [r for r in irr_reasons if r]):
        why = f" (most often: {Counter(reasons).most_common(1)[0][0]})"
    return (
        f"none of the first {len(values)} replications gives {BY_NAME[precision.headline].label} "
        f"a value{why}, so more would not settle it; settle another headline"
    )


def target_width(precision: Precision, current: Interval) -> float | None:
    """The half-width asked for: absolute, or relative to the estimate so far."""
    if not precision.relative:
        return precision.half_width
    if current.estimate is None:
        return None
    return precision.half_width * abs(current.estimate)


def is_settled(precision: Precision, current: Interval) -> bool:
    width, wanted = current.half_width, target_width(precision, current)
    return width is not None and wanted is not None and width <= wanted
