"""Simulated time: the clock runs in weeks, results are reported per calendar month.

Week ``w`` covers ``[w, w + 1)`` weeks from the start of the scenario's first
month and belongs to the month holding its midpoint. Money per month is the
month's mean weekly headcount times the annual cost over 12, so months of four
and five weeks cost the same.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from sim.scenario import months
from sim.scenario.months import MONTHS_PER_YEAR

DAYS_PER_WEEK = 7.0
WEEKS_PER_YEAR = 365.25 / DAYS_PER_WEEK
WEEKS_PER_MONTH = WEEKS_PER_YEAR / MONTHS_PER_YEAR

__all__ = [
    "DAYS_PER_WEEK",
    "MONTHS_PER_YEAR",
    "WEEKS_PER_MONTH",
    "WEEKS_PER_YEAR",
    "Calendar",
]


@dataclass(frozen=True)
class Calendar:
    """The weeks and months of a scenario's horizon."""

    start: dt.date
    months: int

    @property
    def weeks(self) -> int:
        return math.ceil(self.months * WEEKS_PER_MONTH)

    @property
    def horizon_weeks(self) -> float:
        return self.months * WEEKS_PER_MONTH

    @property
    def month_of_week(self) -> np.ndarray:
        weeks = np.arange(self.weeks)
        return np.minimum((weeks + 0.5) // WEEKS_PER_MONTH, self.months - 1).astype(int)

    @property
    def month_end_weeks(self) -> np.ndarray:
        """The last week of each month: where a month's closing state is read."""
        month_of_week = self.month_of_week
        return np.array([np.flatnonzero(month_of_week == m)[-1] for m in range(self.months)])

    def week_of(self, date: dt.date) -> int:
        """The week a date falls in (0 = the first week)."""
        return int((date - self.start).days // DAYS_PER_WEEK)

    def week_from(self, date: dt.date) -> int:
        """The first week starting on or after a date: when a dated event takes effect,
        so that an event on the 1st of a month lands in that month."""
        return math.ceil((date - self.start).days / DAYS_PER_WEEK)

    def weeks_of(self, months: float) -> float:
        return months * WEEKS_PER_MONTH

    def month_label(self, month: int) -> str:
        """``YYYY-MM`` of month index ``month`` (0 = the start month)."""
        return months.label_from(self.start, month)

    def month_of(self, date: dt.date) -> int:
        """The month index a date falls in (0 = the start month)."""
        return months.index_from(self.start, date)

    def monthly_mean(self, weekly: np.ndarray) -> np.ndarray:
        """Mean over the weeks of each month, along the first axis."""
        sums = self.monthly_sum(weekly)
        counts = np.bincount(self.month_of_week, minlength=self.months).astype(float)
        return sums / counts.reshape((-1,) + (1,) * (weekly.ndim - 1))

    def monthly_sum(self, weekly: np.ndarray) -> np.ndarray:
        """Sum over the weeks of each month, along the first axis."""
        out = np.zeros((self.months, *weekly.shape[1:]), dtype=float)
        np.add.at(out, self.month_of_week, weekly)
        return out
