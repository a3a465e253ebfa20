"""How a unit's work flow is sampled, and the sampling error of what it measures.

Each unit runs through a sample of representative teams (``meta.fidelity_items``
sizes it); their arrival rates and review capacities are scaled so the load per
IC and per manager is exact, and the measures scale back by ``Sample.scale``.
The error of a monthly mean cycle time accounts for items that share a queue
being correlated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Sample:
    """How a unit is sampled: teams simulated out of the first-line teams at the start.

    Each sampled team carries ``1 / first_line`` of the unit's demand; its ICs and
    the managers who review its items follow the unit's headcount week by week.
    """

    teams: int
    first_line: int  # first-line managers at the start: the demand share of a team

    @property
    def scale(self) -> float:
        return self.first_line / self.teams


def teams_for_budget(
    fidelity_items: float, unit_demand: float, total_demand: float, first_line: float
) -> int:
    """Teams to sample in a unit so that the run simulates about ``fidelity_items``
    tracked items: the unit's share of them, over one team's demand; at least one."""
    per_team = unit_demand / first_line
    budget = fidelity_items * unit_demand / total_demand if total_demand > 0 else 0.0
    return max(1, round(budget / per_team)) if per_team > 0 else 1


def plan_sample(managers0: np.ndarray, teams: int | None) -> Sample:
    """Teams to simulate (``None``: all of them)."""
    first_line = max(1, round(managers0[0]))
    teams = first_line if teams is None else int(min(max(teams, 1), first_line))
    return Sample(teams, first_line)


def team_sizes(ics: float, sample: Sample, offset: float) -> list[int]:
    """ICs in each sampled team: a mix of two neighbouring whole sizes, unbiased.

    The sampled teams hold ``ics x teams / first_line`` ICs between them; a
    fraction is rounded up or down by a systematic draw (``offset`` uniform in
    [0, 1), drawn once per replication), so its expectation is exact, and at full
    fidelity every IC is in a team. Extra ICs go to the first teams.
    """
    total = math.floor(ics * sample.teams / sample.first_line + offset)
    size, extra = divmod(max(total, 0), sample.teams)
    return [size + 1 if t < extra else size for t in range(sample.teams)]


def reviewer_stations(sample: Sample, managers: np.ndarray) -> list[int]:
    """Managers simulated per level (first line first) for ``managers`` real ones: the
    sampled teams' share of them, whole, at least one (each carries a real manager's
    load; the last is topped up with background reviews)."""
    share = sample.teams / sample.first_line
    return [max(1, math.ceil(float(m) * share - 1e-9)) for m in managers]


def autocorrelations(series: np.ndarray) -> np.ndarray:
    """The series' autocorrelations ``rho_1, rho_2, ...`` while they matter.

    Items that share a queue are positively correlated, so a month's
    ``sd / sqrt(n)`` understates the error of its mean. The lags kept are Geyer's
    initial positive sequence (pairs of lags while their sum is positive), as in
    MCMC output analysis. The series must be long against the queue's memory:
    pass the whole run in completion order, not one month.
    """
    n = series.size
    centred = series - series.mean() if n else series
    if n < 4 or not centred.any():
        return np.zeros(0)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, size)
    autocovariance = np.fft.irfft(spectrum * np.conj(spectrum), size)[:n]
    rho = autocovariance / autocovariance[0]
    kept = 1
    while kept + 1 < n and rho[kept] + rho[kept + 1] > 0:
        kept += 2
    return rho[1:kept]


def standard_error(values: np.ndarray, rho: np.ndarray) -> float:
    """Standard error of the mean of consecutive items with autocorrelations ``rho``."""
    n = values.size
    if n < 2:
        return math.nan
    return math.sqrt(values.var(ddof=1) * variance_inflation(rho, n) / n)


def variance_inflation(rho: np.ndarray, n: int) -> float:
    """Var(mean of n consecutive items) / (sigma^2 / n) = 1 + 2 sum (1 - k/n) rho_k."""
    lags = np.arange(1, min(rho.size, n - 1) + 1)
    return float(max(1.0, 1 + 2 * np.sum((1 - lags / n) * rho[: lags.size])))
