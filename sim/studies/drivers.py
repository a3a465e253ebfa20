"""Drivers of the worst outcomes: which uncertain inputs sit apart in the worst 10% of NPV.

For each input drawn per replication: how far its median in the worst tail
sits from its median over all replications, in standard deviations of the
input (the measure @RISK users read as "what the bad cases have in common");
beside it, the means in and out of the tail, the input's rank correlation with
the NPV over all replications, and its share of the variance that the
squared rank correlations explain (a first-order contribution to variance).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.runs.headlines import NPV
from sim.scenario.labels import Unit, unit_of
from sim.studies.reuse import Unsimulated

#: the worst share of replications studied
TAIL_SHARE = 0.10


@dataclass(frozen=True)
class Driver:
    path: str
    label: str
    unit: Unit  # as sim.scenario.labels names it
    median_all: float
    median_tail: float
    mean_all: float
    mean_tail: float
    shift_sd: float  # (median in the tail - median overall) / sd overall
    rank_correlation: float  # Spearman, with the headline, over all replications
    variance_share: float  # rank correlation squared, as a share of the sum over inputs


@dataclass(frozen=True)
class Drivers:
    headline: str
    tail_share: float
    replications: int
    tail_count: int
    threshold: float  # the headline's value at the tail's edge
    drivers: tuple[Driver, ...]  # largest |shift| first
    #: inputs that move only the work flow, left out: a money-only run never reads them
    not_simulated: tuple[Unsimulated, ...] = ()


def worst_drivers(
    parameters: Sequence[Mapping[str, float]],
    figures: Sequence[float | None],
    labels: Mapping[str, str],
    headline: str = NPV.name,
    tail_share: float = TAIL_SHARE,
    skipped: Sequence[str] = (),
) -> Drivers:
    """The drivers of the lowest ``tail_share`` of ``figures`` (a missing figure is worst);
    the inputs ``skipped`` (moving only the work flow, which a run of money statistics
    does not simulate) are not drivers but listed as not simulated."""
    values = np.array([-math.inf if f is None else f for f in figures], dtype=float)
    n = values.size
    tail_count = max(1, math.ceil(tail_share * n))
    order = np.argsort(values, kind="stable")
    tail = np.zeros(n, dtype=bool)
    tail[order[:tail_count]] = True
    ranks_y = _ranks(values)
    found = []
    for path in parameters[0] if parameters else ():
        if path in skipped:
            continue
        x = np.array([p[path] for p in parameters], dtype=float)
        sd = float(x.std(ddof=1)) if n > 1 else 0.0
        if sd == 0:
            continue  # a fixed input cannot tell the tail apart
        rho = float(np.corrcoef(_ranks(x), ranks_y)[0, 1]) if n > 2 else 0.0
        found.append(
            Driver(
                path=path,
                label=labels.get(path, path),
                unit=unit_of(path),
                median_all=float(np.median(x)),
                median_tail=float(np.median(x[tail])),
                mean_all=float(x.mean()),
                mean_tail=float(x[tail].mean()),
                shift_sd=float((np.median(x[tail]) - np.median(x)) / sd),
                rank_correlation=rho if math.isfinite(rho) else 0.0,
                variance_share=0.0,
            )
        )
    total = sum(d.rank_correlation**2 for d in found)
    shared = [
        Driver(**{**d.__dict__, "variance_share": d.rank_correlation**2 / total if total else 0.0})
        for d in found
    ]
    shared.sort(key=lambda d: (-abs(d.shift_sd), -abs(d.rank_correlation), d.path))
    threshold = float(values[order[tail_count - 1]])
    not_simulated = tuple(Unsimulated(p, labels.get(p, p)) for p in skipped)
    return Drivers(headline, tail_share, n, tail_count, threshold, tuple(shared), not_simulated)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks (ties share theirs), as Spearman's correlation uses."""
    from scipy.stats import rankdata

    finite = np.where(np.isfinite(values), values, np.sign(values) * np.finfo(float).max)
    return np.asarray(rankdata(finite), dtype=float)
