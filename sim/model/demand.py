"""Demand for work: items a week arriving at a unit, with growth and seasonality."""

from __future__ import annotations

import numpy as np

from sim.model.calendar import WEEKS_PER_YEAR, Calendar


def _growth(growth_annual: float, weeks: int) -> np.ndarray:
    """Demand growth factor at the middle of each week."""
    return (1 + growth_annual) ** ((np.arange(weeks) + 0.5) / WEEKS_PER_YEAR)


def weekly_demand(
    arrivals_per_ic_per_week: float,
    ics0: float,
    growth_annual: float,
    seasonality: np.ndarray,
    calendar: Calendar,
) -> np.ndarray:
    """Items a week arriving at a unit: rate x starting ICs x growth x season."""
    calendar_month = (calendar.start.month - 1 + calendar.month_of_week) % 12
    growth = _growth(growth_annual, calendar.weeks)
    return arrivals_per_ic_per_week * ics0 * growth * seasonality[calendar_month]


def planned_weekly_demand(
    arrivals_per_ic_per_week: float,
    ics0: float,
    growth_annual: float,
    seasonality: np.ndarray,
    weeks: int,
) -> np.ndarray:
    """The demand planners staff for: the trend, at the year's average season.

    Planners do not hire and shed people for a seasonal peak; the peak is
    absorbed by utilisation and the backlog.
    """
    return arrivals_per_ic_per_week * ics0 * _growth(growth_annual, weeks) * seasonality.mean()
