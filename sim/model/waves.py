"""Layoff waves acting on a unit's state: people cut (paid working up to the notice date,
through their notice, then severance), layers removed (a share of their managers moved
down a layer, keeping their pay for a while, the rest cut), and what follows for the
units a wave changed (the planners' new targets, the survivors' reaction, hires in
flight the notified may take). The notice arithmetic is sim.model.headcountweek's;
severance is booked after the weeks from the cuts kept here (sim.model.severance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK, Calendar, add_months
from sim.model.headcountweek import notice_span
from sim.model.layerchanges import CUT, MOVED_DOWN, REMOVED_CUT, LayerChange, Notice
from sim.model.roles import split_by_share
from sim.model.severance import weeks_of
from sim.model.unitstate import UnitState
from sim.model.workforcerun import Plan
from sim.scenario.drawn import DrawnScenario, DrawnWave


def in_date_order(waves: Sequence[DrawnWave]) -> list[tuple[int, DrawnWave]]:
    """(index, wave) in the order the weekly steps apply them: by date, ties by index."""
    return sorted(enumerate(waves), key=lambda w: w[1].date)


def wave_one_time_costs(waves: Sequence[DrawnWave], calendar: Calendar) -> np.ndarray:
    """(months,) the waves' one-time costs (legal, outplacement), each in the month of its
    date, for the waves that take effect within the simulated weeks. Nothing else in the
    engine reads them, so a study that changes only them recomputes this alone
    (sim.model.replication.refinanced)."""
    one_time = np.zeros(calendar.months)
    for _, wave in in_date_order(waves):
        if 0 <= calendar.week_from(wave.date) < calendar.weeks:
            one_time[calendar.month_of(wave.date)] += wave.one_time_costs
    return one_time


def apply_wave(
    scenario: DrawnScenario,
    index: int,
    wave: DrawnWave,
    week: int,
    states: list[UnitState],
    names: list[str],
    calendar: Calendar,
    plan: Plan,
) -> None:
    """The wave ``index`` of the scenario, acting in ``week`` on a run's units."""
    restructuring = scenario.restructuring
    notice_weeks = (
        wave.notice_weeks if wave.notice_weeks is not None else restructuring.notice_weeks
    )
    notice = Notice(
        wave.date,
        notice_weeks * DAYS_PER_WEEK,  # fractional weeks honoured: 60 days is 60 days
        weeks_of(restructuring)[index],
        wave=index,
        weeks=notice_weeks,
        redeployment=wave.redeployment if plan.redeploy else None,
    )
    before = {name: state.count.copy() for name, state in zip(names, states, strict=True)}
    changed: set[str] = set()  # units whose organisation the wave changed
    shaken: set[str] = set()  # units where the wave cut someone: survivors react
    for cut in wave.cuts if plan.cuts else ():
        state = states[names.index(cut.unit)]
        layer = [x.name for x in state.layers].index(cut.layer)
        ics = layer == state.ic and bool(state.groups.names)
        columns = state.columns
        present = state.count[columns.ic_columns(cut.role)].sum() if ics else state.count[layer]
        if cut.count is not None:
            people = round(cut.count)
        elif cut.share is not None:  # validation: a cut gives a count or a share
            people = round(cut.share * present)
        done = (
            cut_ics(state, week, people, notice, cut.role)
            if ics
            else cut_people(state, week, layer, people, notice)
        )
        if done:
            shaken.add(cut.unit)
            changed.add(cut.unit)
    for removal in wave.remove_layers if plan.removals else ():
        state = states[names.index(removal.unit)]
        layer = [x.name for x in state.layers].index(removal.layer)
        moved = removal.moved_down_share
        protection = (
            removal.pay_protection_months
            if removal.pay_protection_months is not None
            else restructuring.pay_protection_months
        )
        terms = replace(notice, protection_months=protection)
        if remove_layer(state, week, layer, moved, terms):
            shaken.add(removal.unit)
        changed.add(removal.unit)
    for state in states:  # hires in flight are open requisitions the notified may take
        if state.pool is not None:
            state.pool.fill_in_flight(state, week)
    for name in changed:
        states[names.index(name)].after_wave(week, before[name])
    for name in shaken:
        states[names.index(name)].survivors_shaken(week, scenario, calendar)


def cut_people(
    state: UnitState, week: int, layer: int, people: int, notice: Notice, change: str = CUT
) -> int:
    """Cut up to ``people`` of a layer; the number actually cut.

    They are working up to the notice date (the weekly headcount counts them to
    the week the wave acts in: corrected here), on notice for ``notice.days``
    after it, and get severance the day notice ends.
    """
    count = state.count
    people = int(min(people, count[layer]))
    if people <= 0:
        return 0
    calendar, money = state.calendar, state.money
    state.scale_protections(layer, (count[layer] - people) / count[layer])
    count[layer] -= people
    state.out.cut[week, layer] += people
    span = notice_span(calendar, calendar.day_of(notice.date), week * DAYS_PER_WEEK, notice.days)
    month = span.month
    money.cut[month, layer] += people
    pay = people * state.cost[layer]
    money.pay_adjustment[:, layer] -= pay * span.unworked
    money.paid_years_adjustment[:, layer] -= people * span.unworked
    notice_pay = pay * span.on_notice
    money.notice_pay[:, layer] += notice_pay
    money.notice_days[:, layer] += people * span.notice_days
    severance_month = span.severance_month
    if span.after_horizon is not None:  # owed after the horizon: provided for in full now
        provision = pay * span.after_horizon
        money.notice_pay[month, layer] += provision
        notice_pay[month] += provision
    entry = state.ledger.cut(
        state.unit, layer, severance_month, pay, notice.wave, len(state.changes)
    )
    state.changes.append(
        LayerChange(
            wave=notice.wave,
            unit=state.unit,
            layer=state.columns.layer_name(layer),
            change=change,
            people=people,
            cost_per_head_annual=float(state.cost[layer]),
            notice_weeks=notice.weeks,
            severance_weeks=notice.severance_weeks,
            month=month,
            severance_month=severance_month,
            notice_pay=notice_pay,
            severance=np.zeros(calendar.months),  # booked at the end (UnitState.booked)
            role=state.role_name(layer),
        )
    )
    if state.pool is not None and notice.redeployment is not None:
        state.pool.add(state, layer, people, notice, notice.redeployment, entry)
    return people


def cut_ics(
    state: UnitState, week: int, people: int, notice: Notice, role: str | None = None
) -> int:
    """Cut ``people`` ICs: of one role, or of every role in proportion."""
    into = state.columns.ic_columns(role)
    if len(into) == 1:
        return cut_people(state, week, into[0], people, notice)
    return sum(
        cut_people(state, week, column, int(n), notice)
        for column, n in zip(into, _split(state, people, into), strict=True)
    )


def remove_layer(
    state: UnitState, week: int, layer: int, moved_down_share: float, notice: Notice
) -> int:
    """Remove a layer; the number of its people cut (the rest moved down)."""
    count = state.count
    below = next(i for i in range(layer + 1, count.size) if state.exists[i])
    moved = round(count[layer] * moved_down_share)
    state.scale_protections(layer, 0.0)  # everyone leaves the layer: moved on or cut
    if moved and below >= state.ic and state.groups.names:  # into the ICs' roles, in proportion
        into = state.columns.ic_columns()
        for column, people in zip(into, _split(state, moved, into), strict=True):
            if people:
                _move_down(state, week, layer, column, int(people), notice)
    elif moved:
        _move_down(state, week, layer, below, moved, notice)
    cut = cut_people(state, week, layer, int(count[layer]), notice, REMOVED_CUT)
    state.exists[layer] = False
    state.pipeline[:, layer] = 0
    return cut


def _move_down(
    state: UnitState, week: int, layer: int, below: int, moved: int, notice: Notice
) -> None:
    """Move managers down on the notice date; they keep their old cost for
    ``notice.protection_months``, then cost what the layer below costs."""
    calendar, money, cost = state.calendar, state.money, state.cost
    state.count[layer] -= moved
    state.count[below] += moved
    state.out.moved_in[week, below] += moved
    day = calendar.day_of(notice.date)
    month = calendar.month_of_day(day)
    money.moved_in[month, below] += moved
    state.changes.append(
        LayerChange(
            wave=notice.wave,
            unit=state.unit,
            layer=state.layers[layer].name,
            change=MOVED_DOWN,
            people=moved,
            cost_per_head_annual=float(cost[layer]),
            notice_weeks=0.0,
            severance_weeks=0.0,
            month=month,
            severance_month=month,
            notice_pay=np.zeros(calendar.months),
            severance=np.zeros(calendar.months),
            moved_to=state.columns.layer_name(below),
            protection_months=notice.protection_months,
            role=state.role_name(below),
        )
    )
    acts = week * DAYS_PER_WEEK  # until then the weekly headcount has them above
    gap = calendar.pay_between(day, acts)
    money.pay_adjustment[:, layer] -= moved * cost[layer] * gap
    money.pay_adjustment[:, below] += moved * cost[below] * gap
    money.paid_years_adjustment[:, layer] -= moved * gap
    money.paid_years_adjustment[:, below] += moved * gap
    uplift = cost[layer] - cost[below]
    ends = calendar.day_of(add_months(notice.date, notice.protection_months))
    if ends > day and uplift:
        before_acts = calendar.pay_between(day, min(acts, ends))
        money.pay_adjustment[:, below] += moved * uplift * before_acts
        if ends > acts:
            state.protect(below, uplift, ends, moved)


def _split(state: UnitState, people: int, into: list[int]) -> np.ndarray:
    """``people`` across IC columns in proportion to their headcount now."""
    counts = state.count[into].astype(float)
    total = counts.sum()
    shares = counts / total if total > 0 else np.full(len(into), 1 / len(into))
    return split_by_share(people, shares)
