"""Ranges over the replications: P10, P50, P90 and mean of each headline.

A band summarises one figure across the replications of a run. A payback that
never comes is ranked later than any month, so a plan that pays back in only a
few replications has no P90 payback month (``None``), rather than a flattering one.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.runs.headlines import HEADLINES, NEVER
from sim.runs.held import column

PERCENTILES = {"p10": 10, "p50": 50, "p90": 90}
#: the statistics of a band, in the order tables show them
STATS = ("p10", "p50", "p90", "mean")


@dataclass(frozen=True)
class Band:
    """P10, P50, P90 and mean of one figure over the replications (None: no value)."""

    p10: float | None
    p50: float | None
    p90: float | None
    mean: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90, "mean": self.mean}


def parse_statistic(text: str, pattern: re.Pattern[str], expected: str) -> tuple[str, ...]:
    """Match ``text`` against ``pattern``, whose first two groups are a headline and its
    statistic (HEADLINE.STAT...): the groups, or ValueError saying what was expected."""
    match = pattern.match(text)
    if not match:
        raise ValueError(f"{text!r}: expected {expected}; STAT is p10, p50, p90 or mean")
    headline = match.group(1)
    if headline not in HEADLINES:
        raise ValueError(f"{text!r}: no headline {headline!r}; one of {', '.join(HEADLINES)}")
    return match.groups()


def spec_number(text: str, number: str) -> float:
    """A number written in a spec (underscores allowed), or ValueError naming it."""
    try:
        return float(number.replace("_", ""))
    except ValueError:
        raise ValueError(f"{text!r}: {number!r} is not a number") from None


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def band(values: Sequence[float | None], none_is_never: bool = False) -> Band:
    """P10, P50, P90 and mean; ``None`` is "never" (ranked last) or left out."""
    if none_is_never:
        data = np.array([math.inf if v is None else v for v in values], dtype=float)
        qs = {k: np.percentile(data, q, method="inverted_cdf") for k, q in PERCENTILES.items()}
        return Band(
            _finite(qs["p10"]), _finite(qs["p50"]), _finite(qs["p90"]), _finite(data.mean())
        )
    data = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if data.size == 0:
        return Band(None, None, None, None)
    p10, p50, p90 = (float(q) for q in np.percentile(data, list(PERCENTILES.values())))
    return Band(p10, p50, p90, float(data.mean()))


def headline_bands(headlines: Sequence[Mapping[str, float | None]]) -> dict[str, Band]:
    """The band of every headline over the replications' headline figures."""
    return {name: band(column(headlines, name), none_is_never=name in NEVER) for name in HEADLINES}


def target_probabilities(
    headlines: Sequence[Mapping[str, float | None]], payback_target: int | None
) -> dict[str, float | None]:
    """The probability of a target, as the share of replications that meet it:
    ``npv_above_zero`` (P(NPV > 0)) and ``payback_within_target`` (P(payback month <=
    the target); None without a target). A payback that never comes is never within."""
    count = len(headlines)
    if count == 0:
        return {"npv_above_zero": None, "payback_within_target": None}
    above = sum(1 for h in headlines if h["npv"] is not None and h["npv"] > 0)
    within = None
    if payback_target is not None:
        met = sum(
            1
            for h in headlines
            if h["payback_month"] is not None and h["payback_month"] <= payback_target
        )
        within = met / count
    return {"npv_above_zero": above / count, "payback_within_target": within}


def monthly_bands(stacked: np.ndarray) -> dict[str, np.ndarray]:
    """P10, P50, P90 and mean of each month over the replications ((replications, months)
    values; NaN is no value, and a month with none is NaN)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a month with nothing done
        p10, p50, p90 = np.nanpercentile(stacked, [10, 50, 90], axis=0)
        mean = np.nanmean(stacked, axis=0)
    return {"p10": p10, "p50": p50, "p90": p90, "mean": mean}
