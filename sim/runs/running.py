"""The NPV as the replications arrived: what a convergence chart draws.

After each replication count (every one in a short run, evenly spaced counts in a long
one), the mean NPV of the replications so far, the standard error of that mean, and
their P10, P50 and P90, in replication order (the order a run that stops when settled
folds them in). Each statistic is computed as the headline band computes it over the
same replications, so the last point is the headline's figure exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.runs.bands import PERCENTILES

#: the most counts kept: a chart's line needs no more points than this to look smooth,
#: and summary.json stays small for a run of thousands
MOST_POINTS = 200


@dataclass(frozen=True)
class RunningNpv:
    """The NPV's statistics after each of ``counts`` replications (tuples of one length;
    ``mean_se`` is None at a count of one, which has no spread to measure)."""

    counts: tuple[int, ...]
    mean: tuple[float, ...]
    mean_se: tuple[float | None, ...]
    p10: tuple[float, ...]
    p50: tuple[float, ...]
    p90: tuple[float, ...]


def counts_shown(replications: int, most: int = MOST_POINTS) -> list[int]:
    """1, 2, ..., n up to ``most`` counts; beyond, ``most`` counts evenly spaced from 1
    to n (the last always n)."""
    if replications <= most:
        return list(range(1, replications + 1))
    return sorted({round(c) for c in np.linspace(1, replications, most)})


def running_npv(npv: np.ndarray) -> RunningNpv | None:
    """The running statistics of the replications' NPVs, in their order (non-finite ones
    left out, as the headline band leaves them); None without any."""
    values = npv[np.isfinite(npv)]
    if values.size == 0:
        return None
    counts = counts_shown(values.size)
    mean, se, quantiles = [], [], []
    for count in counts:
        head = values[:count]
        mean.append(float(head.mean()))
        se.append(float(head.std(ddof=1) / math.sqrt(count)) if count > 1 else None)
        quantiles.append([float(q) for q in np.percentile(head, list(PERCENTILES.values()))])
    p10, p50, p90 = (tuple(column) for column in zip(*quantiles, strict=True))
    return RunningNpv(tuple(counts), tuple(mean), tuple(se), p10, p50, p90)
