"""Staffing policy: how a unit's planners decide whom to hire, week by week.

Two policies (``org.staffing.policy``, overridable per unit):

* ``replace_leavers`` replaces a share of each week's leavers after the hiring
  lag, whatever the work needs (no replacement for leavers during a freeze).
* ``capacity`` is how workforce planners work. They staff the ICs that the
  *expected* workload needs at a target utilisation::

      need = expected items/week x expected effort hours x AI workload factor
             / (IC hours/week x target utilisation)

  and managers per layer at target spans (by default the spans the waves
  leave, so a removed layer stays removed). Each week they hold a base stock:
  ``position = people + hires in flight`` is raised to ``need + expected
  leavers over the hiring lag`` with new requisitions (none during a freeze;
  the gap is caught up after it); above that target nobody is hired, so a
  surplus goes by attrition, never by a layoff no wave asked for.

The AI workload factor is ``1 - realisation x (1 - effort multiplier x (1 -
automation share))`` as it stood ``recognition_lag_months`` ago: planners turn
only part of the capacity AI frees into fewer hires, and see it late. Planning
uses expected values only, so headcount and cost never depend on the sampled
work flow. Both policies start with the steady state's hires in flight, so a
status quo with flat demand stays flat from the first month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.calendar import WEEKS_PER_YEAR, Calendar
from sim.model.demand import planned_weekly_demand
from sim.scenario.drawn import DrawnScenario, DrawnStaffing, DrawnUnit, expected


def weekly_hazard(annual: np.ndarray) -> np.ndarray:
    """The weekly leaving probability that compounds to an annual attrition rate."""
    return 1 - (1 - np.minimum(annual, 1.0)) ** (1 / WEEKS_PER_YEAR)


@dataclass(frozen=True)
class Workload:
    """What a unit's planners know of its work: expected demand and effort."""

    demand_per_week: np.ndarray  # (weeks + lag + 1,) expected items a week, trend only
    effort_hours: float  # expected IC hours per item
    ic_hours_per_week: float
    target_utilisation: float

    def ics_needed(self, week: int, ai_factor: float | np.ndarray) -> np.ndarray:
        hours = self.demand_per_week[week] * self.effort_hours * ai_factor
        return hours / (self.ic_hours_per_week * self.target_utilisation)


def workload(
    scenario: DrawnScenario, unit: DrawnUnit, calendar: Calendar, extra_weeks: int
) -> Workload:
    """The planners' view of a unit's work; ``target_utilisation: start`` calibrates it
    so that the starting ICs are exactly what the starting workload needs."""
    work = scenario.work_for(unit.name)
    staffing = scenario.staffing_for(unit.name)
    ics0 = float(round(unit.resolved_layers[-1].headcount))
    demand = planned_weekly_demand(
        work.arrivals_per_ic_per_week,
        ics0,
        work.demand_growth_annual,
        np.array(work.seasonality),
        calendar.weeks + extra_weeks,
    )
    effort = expected(work.effort_hours)
    hours = work.ic_hours_per_week
    if staffing.target_utilisation == "start":
        utilisation = demand[0] * effort / (ics0 * hours) if ics0 > 0 else 1.0
    else:
        utilisation = staffing.target_utilisation
    return Workload(demand, effort, hours, max(utilisation, 1e-12))


class Planner:
    """A unit's planners under the ``capacity`` policy: need per layer, and requisitions.

    Layers run top to bottom, the ICs last: one column, or one per role
    (:mod:`sim.model.roles`), each role's need its part of the ICs' need
    (``ic_weights``) at its own AI workload factor. Manager layers are staffed at a ratio
    of managers to the need of the next existing layer below: the starting
    organisation's ratios until a wave, then the ones the wave leaves, drifting
    back at ``span_creep_annual``. A wave moves the planners' *targets* by the
    people it cut or moved, so the spans it leaves are the plan's, not the
    chance shortfall of the week it came.
    """

    def __init__(
        self,
        work: Workload,
        staffing: DrawnStaffing,
        counts: np.ndarray,
        lag_weeks: int,
        ic_weights: np.ndarray | None = None,
    ):
        self.work = work
        self.lag_weeks = lag_weeks
        self.realisation = staffing.realisation_share
        self.creep = staffing.span_creep_annual
        self.ic_weights = np.ones(1) if ic_weights is None else ic_weights
        self.managers = counts.size - self.ic_weights.size  # manager layers, top to bottom
        self.exists = np.ones(counts.size, dtype=bool)
        self.ratio_before = self._ratios(counts.astype(float), self._ics_need(0, 1.0).sum())
        self.ratio_after = self.ratio_before.copy()
        self.wave_week: int | None = None

    def _ics_need(self, week: int, ai_factor: float | np.ndarray) -> np.ndarray:
        """ICs needed at ``week`` per IC column; ``ai_factor`` is the IC workload AI leaves
        (per column), of which planners count only the realised share."""
        counted = 1 - self.realisation * (1 - np.asarray(ai_factor, dtype=float))
        return self.work.ics_needed(week, counted) * self.ic_weights

    def _ratios(self, targets: np.ndarray, ics_need: float) -> np.ndarray:
        """Managers per head needed in the next existing layer below, per layer."""
        ratios = np.zeros(targets.size)
        below_need = ics_need
        for layer in range(self.managers - 1, -1, -1):
            if not self.exists[layer]:
                continue
            ratios[layer] = targets[layer] / below_need if below_need > 0 else 0.0
            below_need = targets[layer]
        return ratios

    def targets(self, week: int, ai_factor: float | np.ndarray) -> np.ndarray:
        """People needed per layer (and IC column) at ``week``."""
        ratios = self.ratio_after
        if self.wave_week is not None and self.creep > 0:
            years = max(week - self.wave_week, 0) / WEEKS_PER_YEAR
            kept = (1 - self.creep) ** years
            ratios = self.ratio_before + (self.ratio_after - self.ratio_before) * kept
        need = np.zeros(self.exists.size)
        need[self.managers :] = self._ics_need(week, ai_factor)
        below_need = need[self.managers :].sum()
        for layer in range(self.managers - 1, -1, -1):
            if self.exists[layer]:
                need[layer] = ratios[layer] * below_need
                below_need = need[layer]
        return need

    def needed(self, week: int, ai_factor: float | np.ndarray) -> np.ndarray:
        """People needed per layer when this week's requisitions would start work."""
        return self.targets(week + self.lag_weeks, ai_factor)

    def after_wave(
        self, week: int, change: np.ndarray, exists: np.ndarray, ai_factor: float | np.ndarray
    ) -> None:
        """A wave moves the managers' targets by the people it cut or moved (``change``
        per layer); the ICs' need is the work's, which a wave does not change.

        The spans before the first wave, over the layers that remain, are where
        manager creep drifts back to.
        """
        current = self.targets(week, ai_factor)
        after = np.maximum(current + change, 0.0)
        ics = slice(self.managers, None)
        after[ics] = current[ics]
        self.exists = exists.copy()
        if self.wave_week is None:
            self.ratio_before = self._ratios(current, current[ics].sum())
        self.ratio_after = self._ratios(after, current[ics].sum())
        self.wave_week = week

    def requisitions(
        self, need: np.ndarray, position: np.ndarray, hazard: np.ndarray
    ) -> np.ndarray:
        """Hires to open: the gap from the position (people + in flight) to the base stock."""
        target = need * (1 + hazard * self.lag_weeks)
        return np.maximum(np.round(target - position), 0).astype(np.int64) * self.exists
