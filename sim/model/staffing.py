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
  leavers over the hiring lag`` (whole people, rounded by an offset drawn once
  per replication, so its expectation is exact) with new requisitions (none during a freeze;
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
        offsets: np.ndarray | None = None,
    ):
        """``offsets`` (uniform in [0, 1), one per column, drawn once per replication)
        round each column's base stock to whole people without bias; none: 0.5, plain
        rounding."""
        self.work = work
        self.offsets = np.full(counts.size, 0.5) if offsets is None else offsets
        self.lag_weeks = lag_weeks
        self.realisation = staffing.realisation_share
        self.creep = staffing.span_creep_annual
        self.ic_weights = np.ones(1) if ic_weights is None else ic_weights
        self.managers = counts.size - self.ic_weights.size  # manager layers, top to bottom
        self.exists = np.ones(counts.size, dtype=bool)
        self.ratio_before = self._ratios(counts.astype(float), self._ics_need(0, 1.0).sum())
        self.ratio_after = self.ratio_before.copy()
        self.wave_week: int | None = None

    def _ics_need(self, week: int | np.ndarray, ai_factor: float | np.ndarray) -> np.ndarray:
        """ICs needed at ``week`` per IC column; ``ai_factor`` is the IC workload AI leaves
        (per column), of which planners count only the realised share. Weeks as an array:
        (weeks, IC columns)."""
        work = self.work
        demand = work.demand_per_week[week]
        return stacked_ics_need(
            demand if np.ndim(demand) == 0 else demand[:, None],
            work.effort_hours,
            work.ic_hours_per_week,
            work.target_utilisation,
            self.realisation,
            np.asarray(ai_factor, dtype=float),
            self.ic_weights,
        )

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

    def targets(
        self, week: int, ai_factor: float | np.ndarray, driven: np.ndarray | None = None
    ) -> np.ndarray:
        """People needed per layer (and IC column) at ``week``; ``driven``: people the
        roles' drivers add to the ICs' need (sim.model.roles)."""
        columns = self.exists.size
        ics_need = np.zeros((1, columns))
        ics_need[0, self.managers :] = self._ics_need(week, ai_factor)
        if driven is not None:
            ics_need[0, self.managers :] += driven
        since = week - self.wave_week if self.wave_week is not None else -1
        return stacked_targets(
            self.ratio_before[None],
            self.ratio_after[None],
            np.array([since]),
            np.array([self.creep]),
            self.exists[None],
            (np.arange(columns) >= self.managers)[None],
            ics_need,
        )[0]

    def targets_over(self, weeks: np.ndarray, ai_factor: float) -> np.ndarray:
        """(weeks, columns): :meth:`targets` of each week at once, each row the figures
        :meth:`targets` gives that week alone."""
        columns, rows = self.exists.size, weeks.size
        ics_need = np.zeros((rows, columns))
        ics_need[:, self.managers :] = self._ics_need(weeks, ai_factor)
        since = np.full(rows, -1) if self.wave_week is None else weeks - self.wave_week
        return stacked_targets(
            np.tile(self.ratio_before, (rows, 1)),
            np.tile(self.ratio_after, (rows, 1)),
            since,
            np.full(rows, self.creep),
            np.tile(self.exists, (rows, 1)),
            np.tile(np.arange(columns) >= self.managers, (rows, 1)),
            ics_need,
        )

    def needed(
        self, week: int, ai_factor: float | np.ndarray, driven: np.ndarray | None = None
    ) -> np.ndarray:
        """People needed per layer when this week's requisitions would start work."""
        return self.targets(week + self.lag_weeks, ai_factor, driven)

    def after_wave(
        self,
        week: int,
        change: np.ndarray,
        exists: np.ndarray,
        ai_factor: float | np.ndarray,
        driven: np.ndarray | None = None,
    ) -> None:
        """A wave moves the managers' targets by the people it cut or moved (``change``
        per layer); the ICs' need is the work's (and the roles' drivers'), which a wave
        does not change.

        The spans before the first wave, over the layers that remain, are where
        manager creep drifts back to.
        """
        current = self.targets(week, ai_factor, driven)
        after = np.maximum(current + change, 0.0)
        ics = slice(self.managers, None)
        after[ics] = current[ics]
        self.exists = exists.copy()
        if self.wave_week is None:
            self.ratio_before = self._ratios(current, current[ics].sum())
        self.ratio_after = self._ratios(after, current[ics].sum())
        self.wave_week = week

    def base_stock(self, need: np.ndarray, hazard: np.ndarray) -> np.ndarray:
        """Whole people (at work and in flight) each layer is held at: ``need x (1 + h x
        lag)``, rounded by the layer's offset, so that its expectation over replications
        is exact (a 20-person layer's 20.49 is 21 in 49% of them, not 20 in all)."""
        target = need * (1 + hazard * self.lag_weeks)
        return np.floor(target + self.offsets).astype(np.int64)

    def requisitions(
        self, need: np.ndarray, position: np.ndarray, hazard: np.ndarray
    ) -> np.ndarray:
        """Hires to open: the gap from the position (people + in flight) to the base stock."""
        return stacked_requisitions(
            need, position, hazard, self.lag_weeks, self.exists, self.offsets
        )


# The planners' arithmetic on arrays whose first axis stacks planners (planners,
# columns), so that a batch of workforce runs plans in one step (sim.model.workforce)
# and one planner is the batch of one. Elementwise, with sums in column order as
# NumPy sums a short row, so a planner's figures are the same, to the bit, whatever
# it is stacked with.


def stacked_ics_need(
    demand_per_week: np.ndarray | float,
    effort_hours: np.ndarray | float,
    ic_hours_per_week: np.ndarray | float,
    target_utilisation: np.ndarray | float,
    realisation: np.ndarray | float,
    ai_factor: np.ndarray | float,
    ic_weights: np.ndarray | float,
) -> np.ndarray:
    """ICs the expected workload needs, per IC column (its weight's part); ``ai_factor``
    is the IC workload AI leaves, of which planners count only the realised share."""
    counted = 1 - realisation * (1 - ai_factor)
    hours = demand_per_week * effort_hours * counted
    return np.asarray(hours / (ic_hours_per_week * target_utilisation) * ic_weights)


def stacked_targets(
    ratio_before: np.ndarray,
    ratio_after: np.ndarray,
    weeks_since_wave: np.ndarray,
    creep_annual: np.ndarray,
    exists: np.ndarray,
    is_ic: np.ndarray,
    ics_need: np.ndarray,
) -> np.ndarray:
    """People needed per column (planners, columns): the IC columns' own need, and each
    existing manager layer at its ratio to the need of the next existing layer below
    (the IC columns together), the ratios drifting from the wave's back to the earlier
    ones at the creep rate (``weeks_since_wave`` < 0: no wave yet)."""
    creeping = (weeks_since_wave >= 0) & (creep_annual > 0)
    ratios = ratio_after
    if creeping.any():
        years = np.maximum(weeks_since_wave, 0) / WEEKS_PER_YEAR
        kept = (1 - creep_annual) ** years
        drifted = ratio_before + (ratio_after - ratio_before) * kept[:, None]
        ratios = np.where(creeping[:, None], drifted, ratio_after)
    need = np.where(is_ic, ics_need, 0.0)
    # the ICs' need summed in column order, then each manager layer from the bottom up at
    # its ratio to the need below: running sums and products (np.add.accumulate and
    # np.multiply.accumulate go one column after the other, so each row is what a loop
    # over its columns gives; a column that is not a manager multiplies by 1, exactly)
    ics_total = np.add.accumulate(need, axis=1)[:, -1]
    manager = exists & ~is_ic
    factors = np.where(manager, ratios, 1.0)[:, ::-1]
    chain = np.multiply.accumulate(np.concatenate([ics_total[:, None], factors], axis=1), axis=1)
    return np.where(manager, chain[:, :0:-1], need)


def stacked_requisitions(
    need: np.ndarray,
    position: np.ndarray,
    hazard: np.ndarray,
    lag_weeks: np.ndarray | int,
    exists: np.ndarray,
    offsets: np.ndarray | float = 0.5,
) -> np.ndarray:
    """Hires to open per column: the gap from the position (people + hires in flight) to
    the base stock, the need plus the leavers expected over the hiring lag, in whole
    people rounded by each column's offset (uniform, drawn once per replication, so the
    base stock's expectation is exact; 0.5: plain rounding)."""
    target = np.floor(need * (1 + hazard * lag_weeks) + offsets)
    return np.maximum(target - position, 0).astype(np.int64) * exists
