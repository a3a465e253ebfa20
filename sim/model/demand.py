"""Work a unit faces and can do: items a week arriving at it, with growth and seasonality,
and the items its ICs' hours can finish."""

from __future__ import annotations

import numpy as np

from sim.model.calendar import WEEKS_PER_YEAR, Calendar
from sim.scenario.drawn import DrawnScenario, DrawnUnit


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


def unit_demand(scenario: DrawnScenario, calendar: Calendar, unit: DrawnUnit) -> np.ndarray:
    """Items a week arriving at a unit: demand is set by the starting ICs, not today's."""
    work = scenario.work_for(unit.name)
    ics0 = float(round(unit.resolved_layers[-1].headcount))
    return weekly_demand(
        work.arrivals_per_ic_per_week,
        ics0,
        work.demand_growth_annual,
        np.array(work.seasonality),
        calendar,
    )


def capacity_items(
    ic_hours: np.ndarray | float,
    mean_effort_hours: float,
    effort_multiplier: np.ndarray | float = 1.0,
    automation_share: np.ndarray | float = 0.0,
) -> np.ndarray | float:
    """Items the ICs can finish in ``ic_hours``: the hours over the expected effort per
    item (times the effort multiplier of AI and the survivors' dip), plus the items
    automation takes end to end (``automation_share`` of all the items)."""
    manual = ic_hours / np.maximum(mean_effort_hours * effort_multiplier, 1e-12)
    return manual / np.maximum(1 - automation_share, 1e-12)


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
