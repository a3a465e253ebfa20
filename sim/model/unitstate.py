"""One unit's state while a workforce run steps through its weeks: its people by
column, the hires in flight, what it counted each week and booked each month (rows of
the batch's arrays: sim.model.lockstep), what its planners see of AI, its survivors'
raised attrition and dip, and the cuts its waves made (sim.model.waves).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK, Calendar
from sim.model.counters import MonthlyMoney, WeeklyCounts
from sim.model.headcountweek import dip_fading, productivity_loss, quota, survivors_window
from sim.model.layerchanges import LayerChange
from sim.model.protection import ProtectionTable
from sim.model.redeploy import RedeploymentPool
from sim.model.roles import RoleGroups
from sim.model.severance import Booked, Ledger
from sim.model.unitstart import UnitColumns, UnitStart, UnitTerms
from sim.scenario.drawn import DrawnLayer, DrawnScenario


@dataclass
class Recognition:
    """What a unit's planners see of AI, by week: the workload factor AI leaves the ICs
    (as it is, and per IC column as planners see it after the recognition lag), and the
    people the roles' drivers ask for, likewise."""

    ai_factor: np.ndarray  # (weeks,) share of the no-AI IC workload, the unit's
    recognised: np.ndarray  # (weeks, IC columns) the factor planners act on
    driven: np.ndarray  # (weeks, IC columns) the drivers' people, as seen
    lag_weeks: int

    @classmethod
    def none(cls, weeks: int, ic_columns: int, lag_weeks: int) -> Recognition:
        return cls(
            np.ones(weeks), np.ones((weeks, ic_columns)), np.zeros((weeks, ic_columns)), lag_weeks
        )

    def see(
        self,
        month: int,
        factor: np.ndarray,
        calendar: Calendar,
        groups: RoleGroups,
        driven: np.ndarray | None = None,
    ) -> None:
        """This month's AI workload factor per IC column (and the people the roles'
        drivers ask for); planners act on them after the recognition lag."""
        weeks = np.flatnonzero(calendar.month_of_week == month)
        self.ai_factor[weeks] = groups.unit_factor(factor)
        seen = weeks + self.lag_weeks
        total = self.ai_factor.size
        views = [(self.recognised, factor)]
        if driven is not None:
            views.append((self.driven, driven))
        for view, value in views:
            view[seen[seen < total]] = value
            # until a later month is seen, the latest value seen holds
            if seen.size and seen[-1] + 1 < total:
                view[seen[-1] + 1 :] = view[min(seen[-1], total - 1)]


@dataclass
class BatchPlace:
    """Where a unit sits in its batch: the batch's pay protection table, and the unit's
    row and first column in it."""

    protected: ProtectionTable
    row: int = 0
    first: int = 0


class UnitState:
    """Mutable week-by-week state of one unit while the workforce is simulated."""

    def __init__(self, start: UnitStart, calendar: Calendar, rngs: list[np.random.Generator]):
        self.columns: UnitColumns = start.columns
        self.terms: UnitTerms = start.terms
        self.calendar = calendar
        self.rngs = rngs  # one stream per column
        self.planner = start.planner
        # the people, the columns there are, the hires arriving each week
        self.count = start.count
        self.exists = np.ones(start.count.size, dtype=bool)
        self.pipeline = start.pipeline
        # the week's counts and the month's money: rows of the batch's (Lockstep)
        self.out: WeeklyCounts
        self.money: MonthlyMoney
        self.seen = Recognition.none(
            calendar.weeks, start.columns.groups.size, start.terms.recognition_weeks
        )
        self.attrition_multiplier = np.ones(calendar.weeks)  # survivors leave faster
        self.dip = np.zeros(calendar.weeks)  # and work slower
        self.ramp_loss = np.zeros(calendar.weeks)  # IC capacity the redeployed lack while ramping
        self.reskilling = start.reskilling
        self.pool: RedeploymentPool | None = None  # the plan's, where it redeploys
        self.ledger = Ledger()  # the run's cuts, which severance is booked from at the end
        self.place = BatchPlace(ProtectionTable(calendar))
        self.changes: list[LayerChange] = []
        self.redeployed_from: dict[int, int] = {}  # a change's people placed during notice

    # what the rest of the model reads of the unit's columns and terms
    @property
    def unit(self) -> str:
        return self.columns.unit

    @property
    def layers(self) -> tuple[DrawnLayer, ...]:
        return self.columns.layers

    @property
    def groups(self) -> RoleGroups:
        return self.columns.groups

    @property
    def ic(self) -> int:
        return self.columns.ic

    @property
    def cost(self) -> np.ndarray:
        return self.columns.cost

    @property
    def lag_weeks(self) -> int:
        return self.terms.lag_weeks

    def role_name(self, column: int) -> str | None:
        return self.columns.role_name(column)

    def keep_pay(self, column: int, people: int, cost_annual: float, day: float) -> None:
        """People who joined ``column`` on ``day`` (the start of this week) keep their old
        cost while they stay: the difference is paid from that day, with their leavers."""
        uplift = cost_annual - float(self.cost[column])
        if not uplift:
            return
        week_end = day + DAYS_PER_WEEK
        calendar = self.calendar
        self.money.pay_adjustment[:, column] += (
            people * uplift * calendar.pay_between(day, week_end)
        )
        place = self.place
        place.protected.add(place.row, place.first + column, uplift, np.inf, people, week_end)

    def protect(self, column: int, uplift: float, ends: float, people: int) -> None:
        """``people`` joined ``column`` keep ``uplift`` a year more than it pays until
        ``ends`` (a day), with their leavers."""
        place = self.place
        place.protected.add(place.row, place.first + column, uplift, ends, people)

    def scale_protections(self, column: int, kept: float) -> None:
        """Of the protected people in ``column``, the share ``kept`` stays."""
        place = self.place
        if place.protected:
            place.protected.scale(place.row, place.first + column, kept)

    def after_wave(self, week: int, before: np.ndarray) -> None:
        """The planners take the spans the wave leaves as their new targets."""
        if self.planner is not None:
            change = (self.count - before).astype(float)
            seen = self.seen
            driven = seen.driven[week] if self.groups.per_program is not None else None
            self.planner.after_wave(week, change, self.exists, seen.recognised[week], driven)

    def recognise(
        self,
        month: int,
        factor: np.ndarray,
        calendar: Calendar,
        driven: np.ndarray | None = None,
    ) -> None:
        """This month's AI workload factor per IC column (and the people the roles'
        drivers ask for); planners act on them after the recognition lag."""
        self.seen.see(month, factor, calendar, self.groups, driven)

    def survivors_shaken(self, week: int, scenario: DrawnScenario, calendar: Calendar) -> None:
        """After a wave that cut someone: survivors leave faster, and work slower."""
        effects = scenario.restructuring.survivor_effects
        weeks = calendar.weeks
        span = round(calendar.weeks_of(effects.attrition_months))
        window = survivors_window(week, weeks, span)
        self.attrition_multiplier[window] = np.maximum(
            self.attrition_multiplier[window], effects.attrition_multiplier
        )
        dip_weeks = calendar.weeks_of(effects.dip_months)
        if dip_weeks > 0:
            fade = dip_fading(weeks - week, dip_weeks, effects.productivity_dip)
            self.dip[week:] = np.maximum(self.dip[week:], fade)

    def reskill(self, week: int, need: np.ndarray | None) -> None:
        """This week's cohorts: trained from a role above its need (all of it under
        replace_leavers), the successful moving to their new role at its pay."""
        month = int(self.calendar.month_of_week[week])
        for programme in self.reskilling:
            if not programme.start_week <= week <= programme.end_week:
                continue
            trainees, programme.carry = quota(programme.carry, programme.per_week)
            source, target = programme.source, programme.target
            spare = self.count[source] if need is None else self.count[source] - need[source]
            trainees = int(min(trainees, max(np.floor(spare), 0)))
            moved = round(programme.success_share * trainees)
            self.money.reskilling[month, target] += trainees * programme.cost_per_person
            self.count[source] -= moved
            self.count[target] += moved
            self.out.reskilled[week, target] += moved

    def booked(self, severance: Booked) -> list[LayerChange]:
        """What the waves did to the unit, with the people placed from each cut's notice
        and each cut's severance."""
        return [
            replace(
                change,
                severance=severance.changes.get((self.unit, k), change.severance),
                redeployed=change.redeployed + self.redeployed_from.get(k, 0),
            )
            for k, change in enumerate(self.changes)
        ]

    def productivity_dip(self, headcount: np.ndarray) -> np.ndarray:
        """The ICs' productivity loss: the survivors' dip, and the redeployed ramping up."""
        if not self.ramp_loss.any():
            return self.dip
        return productivity_loss(self.dip, self.ramp_loss, headcount[:, self.ic :].sum(axis=1))

    def payroll(self, month: int) -> float:
        """A month's pay to people working and on notice (its weeks all simulated)."""
        headcount = np.ascontiguousarray(self.out.headcount)  # a row of the batch's
        working = self.calendar.week_pay[month] @ (headcount @ self.cost)
        money = self.money
        adjusted = money.pay_adjustment[month].sum() + money.notice_pay[month].sum()
        return float(working + adjusted)
