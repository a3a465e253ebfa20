"""Redeployment: people a wave notifies who find an internal role during their notice.

A wave with ``redeployment`` makes ``round(share x people cut)`` of each
layer's (or role's) people cut candidates for the length of their notice. Each
week of it, requisitions that a unit's planners open (or the hires in flight
when the wave comes) in the roles they may fill are filled from the candidates
first, in the order they were notified, never more than are open; what is left
is hired from outside as before. A person placed:

* leaves notice that week: the rest of their notice pay and their severance
  are not paid (the cut's booked money is reversed, so the notice-pay and
  severance lines, and the cut's own line, show what was really paid);
* joins the role the week they are placed, keeping their pay (the difference
  from the role's cost is paid while they stay, as pay protection is);
* costs ``retraining_cost_per_person`` once, and works at
  ``ramp_productivity`` for ``ramp_months`` (a loss of IC capacity in the
  unit they join, as the survivors' dip is);
* is not an external hire: no recruiting cost, no hiring lag.

The counts are kept per unit and column (sim.model.roles) of the unit they
join: ``redeployed``, ``severance_avoided`` (money) and ``retraining`` (money).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK
from sim.model.severance import Entry
from sim.scenario.drawn import DrawnRedeployment as Redeployment

if TYPE_CHECKING:
    from sim.model.layerchanges import Notice
    from sim.model.unitstate import UnitState


@dataclass
class Candidates:
    """People of one cut still on notice who may take an internal role."""

    source: UnitState
    column: int  # the column they were cut from
    change: int  # index of the cut's LayerChange in source.changes
    people: int  # not yet placed
    day: float  # notice date, in days from the run's start
    ends: float  # the day notice ends
    cut: Entry  # the cut's severance (sim.model.severance): placing them takes it back
    terms: Redeployment

    def open_in(self, week: int) -> bool:
        return self.people > 0 and week * DAYS_PER_WEEK < self.ends

    def may_fill(self, target: UnitState, column: int) -> bool:
        """The roles these people may take: their own unit's (or any), not their own role."""
        if target is self.source and column == self.column:
            return False
        if self.terms.scope == "unit" and target is not self.source:
            return False
        if column < target.ic:
            return False  # requisitions of the ICs' roles only
        wanted = self.terms.into_roles
        return wanted is None or target.role_name(column) in wanted


class RedeploymentPool:
    """Every wave's candidates, shared by the units (scope ``any`` crosses them)."""

    def __init__(self) -> None:
        self.candidates: list[Candidates] = []
        self._checked = -1  # the week the candidates were last looked over

    def add(
        self,
        state: UnitState,
        column: int,
        people: int,
        notice: Notice,
        terms: Redeployment,
        cut: Entry,
    ) -> None:
        """The share of a cut (``cut``, its severance entry) who will look for an internal
        role."""
        looking = round(terms.share * people)
        if looking <= 0:
            return
        calendar = state.calendar
        day = calendar.day_of(notice.date)
        ends = day + notice.days
        change = len(state.changes) - 1  # the cut just booked
        self.candidates.append(Candidates(state, column, change, looking, day, ends, cut, terms))
        self._checked = -1  # looked over again: a notice may be over already

    def fill(self, target: UnitState, week: int, opened: np.ndarray) -> np.ndarray:
        """Requisitions ``opened`` this week in ``target``, less those filled from the pool."""
        live = self._open(week)
        if not live:
            return opened
        opened = opened.copy()
        wanted = opened.tolist()
        for column in range(target.ic, opened.size):
            for group in live:
                if wanted[column] <= 0:
                    break
                if group.people > 0 and group.may_fill(target, column):
                    placed = min(wanted[column], group.people)
                    place(group, target, column, week, placed)
                    wanted[column] -= placed
            opened[column] = wanted[column]
        return opened

    def _open(self, week: int) -> list[Candidates]:
        """The candidates still on notice with people to place this week. The weeks only
        move on and nobody placed comes back, so the others are dropped for good."""
        if self.candidates and week != self._checked:
            self.candidates = [group for group in self.candidates if group.open_in(week)]
            self._checked = week  # within a week, a group placed in full has people 0
        return self.candidates

    def open_in(self, week: int) -> bool:
        """Whether anyone is still on notice with a role to find this week."""
        return bool(self._open(week))

    def fill_in_flight(self, target: UnitState, week: int) -> None:
        """Hires already in flight (open requisitions not yet started) taken by the pool,
        the latest first."""
        live = self._open(week)
        if not live:
            return
        pipeline = target.pipeline
        for column in range(target.ic, target.count.size):
            groups = [group for group in live if group.may_fill(target, column)]
            if not groups:
                continue
            for ahead in range(target.lag_weeks, 0, -1):
                waiting = int(pipeline[week + ahead, column])
                if waiting <= 0:
                    continue
                for group in groups:
                    if waiting <= 0:
                        break
                    if group.people > 0:
                        placed = min(waiting, group.people)
                        place(group, target, column, week, placed)
                        waiting -= placed
                pipeline[week + ahead, column] = waiting


def place(group: Candidates, target: UnitState, column: int, week: int, people: int) -> None:
    """``people`` of ``group`` take a role of ``target``'s ``column`` this week."""
    source, calendar = group.source, group.source.calendar
    group.people -= people
    start = float(week * DAYS_PER_WEEK)
    pay = people * source.cost[group.column]
    col = group.column
    # the notice they no longer serve, and the severance they no longer get
    unpaid = pay * calendar.pay_between(start, group.ends)
    change = source.changes[group.change]
    month = calendar.month_of_day(group.day)
    if group.ends >= calendar.horizon_days:  # its provision, booked in the notice month
        unpaid[month] += pay * calendar.pay_after_horizon(start, group.ends)
    source.money.notice_pay[:, col] -= unpaid
    source.money.notice_days[:, col] -= people * calendar.days_between(start, group.ends)
    # the cut's own line: its arrays are its alone, so they are corrected in place
    change.notice_pay[:] -= unpaid
    source.redeployed_from[group.change] = source.redeployed_from.get(group.change, 0) + people
    # they join the role now, at their old pay, retrained and ramping up
    joined = calendar.month_of_day(start)
    target.count[column] += people
    target.out.redeployed[week, column] += people
    source.ledger.placed(group.cut, pay, (target.unit, column, joined))  # severance, later
    terms = group.terms
    target.money.retraining[joined, column] += people * terms.retraining_cost_per_person
    target.keep_pay(column, people, float(source.cost[col]), start)
    ramp = round(calendar.weeks_of(terms.ramp_months))
    target.ramp_loss[week : week + ramp] += people * (1 - terms.ramp_productivity)
