"""Demand for work: items a week arriving at a unit, with growth and seasonality."""

from __future__ import annotations

import numpy as np

from sim.model.calendar import WEEKS_PER_YEAR, Calendar


def weekly_demand(
    arrivals_per_ic_per_week: float,
    ics0: float,
    growth_annual: float,
    seasonality: np.ndarray,
    calendar: Calendar,
) -> np.ndarray:
    """Items a week arriving at a unit: rate x starting ICs x growth x season."""
    weeks = np.arange(calendar.weeks)
    calendar_month = (calendar.start.month - 1 + calendar.month_of_week) % 12
    growth = (1 + growth_annual) ** ((weeks + 0.5) / WEEKS_PER_YEAR)
    return arrivals_per_ic_per_week * ics0 * growth * seasonality[calendar_month]
