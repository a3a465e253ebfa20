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
    """How a unit is sampled: teams simulated, and managers simulated per level."""

    teams: int
    first_line: int  # first-line managers at the start: the demand share of a team
    ic_servers: int  # ICs per team at the start
    stations: tuple[int, ...]  # per level: managers simulated

    @property
    def scale(self) -> float:
        return self.first_line / self.teams

    def station_of(self, team: int, level: int) -> int:
        return team * self.stations[level - 1] // self.teams


def teams_for_budget(
    fidelity_items: float, unit_demand: float, total_demand: float, first_line: float
) -> int:
    """Teams to sample in a unit so that the run simulates about ``fidelity_items``
    tracked items: the unit's share of them, over one team's demand; at least one."""
    per_team = unit_demand / first_line
    budget = fidelity_items * unit_demand / total_demand if total_demand > 0 else 0.0
    return max(1, round(budget / per_team)) if per_team > 0 else 1


def plan_sample(ics0: float, managers0: np.ndarray, teams: int | None) -> Sample:
    """Teams to simulate (``None``: all of them) and the managers they report to."""
    first_line = max(1, round(managers0[0]))
    teams = first_line if teams is None else int(min(max(teams, 1), first_line))
    stations = tuple(
        min(max(round(m), 1), max(1, math.ceil(teams * m / first_line))) for m in managers0
    )
    return Sample(teams, first_line, max(1, round(ics0 / first_line)), stations)


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
