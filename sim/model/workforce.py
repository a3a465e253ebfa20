"""Workforce dynamics: headcount by unit and layer, week by week.

People are counted, never simulated one by one: each week, per layer, leavers
are a binomial draw at the weekly hazard of the annual attrition rate; hires
arrive after the hiring lag as the unit's staffing policy
(:mod:`sim.model.staffing`) asked for them; layoff waves cut counts or shares
of layers, or remove a layer outright (a share of its managers moves down a
layer, the rest are cut, and the reports re-parent to the layer above). People
cut are paid through their notice period, then get severance. After a wave
that cuts someone in a unit, its survivors leave faster and work slower for a
while.

Steps are weekly, money is by the day (:mod:`sim.model.calendar`): a week's
headcount is paid for the week's days, each in its own month; a wave acts in
the weekly steps from the first week starting on or after its date, and its
money is corrected to the date itself, so a person cut is paid (working) up to
the date, on notice for exactly the notice length after it, and severance on
the day notice ends. What falls due after the horizon (notice pay for days
beyond it, severance) is provided for in full in the month notice is given.
Managers moved down a layer may keep their old cost for a while (pay
protection); the protected people leave with their layer's leavers, in
proportion.

A :class:`Plan` says which parts of the scenario's plan a run applies: the
baseline twin applies none, the scenario all, and the steps between them
attribute the payroll saved to its causes (the savings bridge). Each layer
draws from its own random stream, so every run sees the same draws wherever
its headcounts agree (common random numbers).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK, WEEKS_PER_YEAR, Calendar, add_months
from sim.model.counters import MonthlyMoney, WeeklyCounts
from sim.model.protection import ProtectionTable
from sim.model.redeploy import RedeploymentPool
from sim.model.roles import columns, role_attrition, role_costs, role_groups, split_by_share
from sim.model.severance import Booked, Entry, Ledger, book, weeks_of
from sim.model.staffing import (
    Planner,
    stacked_ics_need,
    stacked_requisitions,
    stacked_targets,
    weekly_hazard,
    workload,
)
from sim.scenario.drawn import DrawnRedeployment, DrawnScenario, DrawnUnit, DrawnWave

T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """Which parts of the scenario's plan a workforce run applies."""

    cuts: bool = False  # the waves' cuts by count or share
    removals: bool = False  # the waves' layer removals
    freezes: bool = False  # hiring freezes, and the plan's own backfill share
    ai: bool = False  # planners count the capacity AI frees (capacity policy)
    redeploy: bool = False  # internal moves: the waves' redeployment, and reskilling

    @property
    def any_wave(self) -> bool:
        return self.cuts or self.removals


STATUS_QUO = Plan()
WHOLE_PLAN = Plan(cuts=True, removals=True, freezes=True, ai=True, redeploy=True)
#: the bridge step a scenario without internal moves skips (it would equal the one before)
REDEPLOYMENT = "redeployment"
#: the savings bridge: each step adds one cause to the one before, on the same streams
BRIDGE_STEPS: tuple[tuple[str, Plan], ...] = (
    ("roles_cut", Plan(cuts=True)),
    (REDEPLOYMENT, Plan(cuts=True, redeploy=True)),
    ("layers_removed", Plan(cuts=True, removals=True, redeploy=True)),
    ("leavers_not_replaced", Plan(cuts=True, removals=True, freezes=True, redeploy=True)),
    ("hires_avoided_by_ai", WHOLE_PLAN),
)

#: called at the start of each month with (month, active people per unit, each
#: unit's payroll last month at the scenario's costs); returns each unit's AI
#: workload factors this month, one per IC column (sim.model.roles)
MonthHook = Callable[[int, np.ndarray, np.ndarray], list[np.ndarray]]
#: called after the month hook with the month; returns the people each unit's roles need
#: for their drivers (sim.model.roles), one per IC column
DriverHook = Callable[[int], list[np.ndarray]]


@dataclass(frozen=True)
class UnitWorkforce:
    """One unit's people, week by week; arrays are (weeks, layers), layers top to bottom,
    except the money and the dated events, which are per calendar month (months, layers)."""

    name: str
    layers: tuple[str, ...]
    cost_per_head_annual: np.ndarray  # (layers,)
    review_share: np.ndarray  # (layers,)
    headcount: np.ndarray  # active staff after the week's events
    exists: np.ndarray  # bool: the layer is still part of the organisation
    hires: np.ndarray
    leavers: np.ndarray
    cut: np.ndarray  # in the week the wave acts
    moved_in: np.ndarray  # moved down into this layer when the layer above was removed
    hiring_cost: np.ndarray  # money paid this week (per layer)
    working_pay: np.ndarray  # (months, layers) money: people working, by the day
    #: (months, layers) person-years paid for working (a head's share of its year, by the
    #: day): working pay is this at the layer's cost, plus pay protection
    paid_years: np.ndarray
    #: (months, roles) the IC layer's paid_years by role (each at its own cost), or None
    role_paid_years: np.ndarray | None
    notice_pay: np.ndarray  # (months, layers) money: people cut, paid through notice
    severance: np.ndarray  # (months, layers) money, in the month notice ends
    on_notice: np.ndarray  # (months, layers) mean people cut and still paid through notice
    cut_in_month: np.ndarray  # (months, layers) people cut, in the month of the wave's date
    moved_in_month: np.ndarray  # (months, layers) people moved down, likewise
    productivity_dip: np.ndarray  # (weeks,): survivors' productivity loss, 0..1
    needed: np.ndarray  # people the planners staff for (capacity policy; else nan)
    ai_factor: np.ndarray  # (weeks,) share of the no-AI IC workload planners count
    policy: str
    roles: tuple[str, ...] = ()  # the ICs' roles (none: one kind of IC)
    role_headcount: np.ndarray | None = None  # (weeks, roles) active ICs per role
    role_needed: np.ndarray | None = None  # (weeks, roles) ICs planners staff for per role
    role_hires: np.ndarray | None = None  # (weeks, roles) hired from outside per role
    redeployed: np.ndarray | None = None  # (weeks, layers) people who joined from notice
    severance_avoided: np.ndarray | None = None  # (months, layers) money, where they joined
    retraining: np.ndarray | None = None  # (months,) money: the redeployed's retraining
    reskilled: np.ndarray | None = None  # (weeks, layers) people moved in by reskilling
    reskilling: np.ndarray | None = None  # (months,) money: the reskilling programmes' cost


#: what a wave did to a layer of a unit (LayerChange.change)
CUT = "cut"
REMOVED_CUT = "layer removed: cut"
MOVED_DOWN = "layer removed: moved down"


@dataclass(frozen=True)
class LayerChange:
    """What one wave did to one layer of one unit, and the money it booked.

    People cut are paid through their notice and then get severance: the arrays
    are what the cut booked per month, at the scenario's costs (pay growth is
    the finance's), notice pay by the day and, for days after the horizon, as a
    provision in the notice month. Managers moved down when their layer was
    removed book nothing here: what they cost, protected or not, is payroll.
    """

    wave: int  # index in scenario.restructuring.waves
    unit: str
    layer: str
    change: str  # CUT, REMOVED_CUT or MOVED_DOWN
    people: int
    cost_per_head_annual: float  # the layer's (moved down: the layer they left)
    notice_weeks: float  # the notice runs notice_weeks x 7 days from the wave's date
    severance_weeks: float  # weeks of pay: annual cost / WEEKS_PER_YEAR a week
    month: int  # the month of the wave's date: notice is given
    severance_month: int  # the month severance is booked in (ends past the horizon: ``month``)
    notice_pay: np.ndarray  # (months,) money booked
    severance: np.ndarray  # (months,) money booked
    moved_to: str | None = None  # MOVED_DOWN: the layer they joined
    protection_months: float = 0.0  # MOVED_DOWN: months they keep their old layer's cost
    role: str | None = None  # the ICs' role cut or moved into (units with roles)
    redeployed: int = 0  # of ``people``, placed in an internal role during notice


@dataclass(frozen=True)
class Workforce:
    units: tuple[UnitWorkforce, ...]
    wave_one_time_cost: np.ndarray  # (months,) money, in the month of the wave's date
    changes: tuple[LayerChange, ...] = ()  # the waves' cuts and moves, unit by unit
    #: the cuts and placements severance was booked from (sim.model.severance)
    severance: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Notice:
    """The terms a wave's people leave on."""

    date: dt.date
    days: float  # notice length in days (fractions of a day accrue pro rata)
    severance_weeks: float  # weeks of pay: annual cost / 52.18 a week
    protection_months: float = 0.0  # moved-down managers keep their old cost this long
    wave: int = 0  # index of the wave in scenario.restructuring.waves
    weeks: float = 0.0  # the notice as written, in weeks (``days`` / 7)
    redeployment: DrawnRedeployment | None = None  # who may take an internal role during it


def _in_date_order(waves: Sequence[DrawnWave]) -> list[tuple[int, DrawnWave]]:
    """(index, wave) in the order the weekly steps apply them: by date, ties by index."""
    return sorted(enumerate(waves), key=lambda w: w[1].date)


def wave_one_time_costs(waves: Sequence[DrawnWave], calendar: Calendar) -> np.ndarray:
    """(months,) the waves' one-time costs (legal, outplacement), each in the month of its
    date, for the waves that take effect within the simulated weeks. Nothing else in the
    engine reads them, so a study that changes only them recomputes this alone
    (sim.model.replication.refinanced)."""
    one_time = np.zeros(calendar.months)
    for _, wave in _in_date_order(waves):
        if 0 <= calendar.week_from(wave.date) < calendar.weeks:
            one_time[calendar.month_of(wave.date)] += wave.one_time_costs
    return one_time


class _Shared:
    """What the runs of one seed (a replication's status quo and its savings bridge's
    steps) start from alike, each part worked out once: by key, the seed's and the
    scenario's (``stream``: the seed's key, the unit's index in it)."""

    def __init__(self, cache: dict[tuple[object, ...], object] | None = None) -> None:
        self.cache: dict[tuple[object, ...], object] = {} if cache is None else cache
        self.stream: tuple[object, ...] = ()

    def at(self, stream: tuple[object, ...]) -> _Shared:
        shared = _Shared(self.cache)
        shared.stream = stream
        return shared

    def once(self, key: tuple[object, ...], make: Callable[..., T], *args: object) -> T:
        if key not in self.cache:
            self.cache[key] = make(*args)
        return self.cache[key]  # type: ignore[return-value]  # made by ``make``


class _UnitState:
    """Mutable week-by-week state of one unit while the workforce is simulated."""

    def __init__(
        self,
        scenario: DrawnScenario,
        unit: DrawnUnit,
        calendar: Calendar,
        rngs: list[np.random.Generator],
        plan: Plan,
        rounding: Callable[[], np.random.Generator] | None = None,
        shared: _Shared | None = None,
    ):
        """``rounding`` makes the stream that draws each layer's offset for rounding its
        hires to whole people (none: plain rounding). ``shared``: what the runs of one
        seed and scenario start from alike (sim.model.workforce._Shared), worked out once."""
        shared = shared or _Shared()
        layers = unit.resolved_layers
        self.unit = unit.name
        self.layers = layers
        self.rngs = rngs
        self.calendar = calendar
        self.weeks = calendar.weeks
        # columns: the manager layers, then the ICs as one column or one per role
        self.groups = shared.once(("groups", id(scenario), unit.name), role_groups, scenario, unit)
        self.ic = len(layers) - 1  # the first IC column
        n_layers = columns(unit)
        managers = layers[:-1]
        self.count = np.array(
            [*(round(x.headcount) for x in managers), *self.groups.counts], dtype=np.int64
        )
        self.cost = np.array([*(x.cost_per_head_annual for x in managers), *role_costs(unit)])
        self.exists = np.ones(n_layers, dtype=bool)
        default = (
            unit.attrition_annual
            if unit.attrition_annual is not None
            else (scenario.org.attrition_annual)
        )
        rates = [
            (x.attrition_annual if x.attrition_annual is not None else default) for x in layers
        ]
        self.attrition = np.array([*rates[:-1], *role_attrition(unit, rates[-1])])
        backfill = scenario.org.backfill
        planned = scenario.restructuring.backfill_share
        self.backfill_share = planned if plan.freezes and planned is not None else backfill.share
        # a hire starts the week after the requisition at the soonest
        self.lag_weeks = max(1, round(backfill.lag_weeks))
        self.cost_per_hire = backfill.cost_per_hire
        staffing = scenario.staffing_for(unit.name)
        self.policy = staffing.policy
        self.planner_start_utilisation = staffing.target_utilisation == "start"
        self.planner: Planner | None = None
        self.ai_factor = np.ones(self.weeks)
        # the AI factor planners act on, per week and IC column
        self.recognised = np.ones((self.weeks, self.groups.size))
        self.driven = np.zeros((self.weeks, self.groups.size))  # drivers' people, as seen
        self.recognition_weeks = round(calendar.weeks_of(staffing.recognition_lag_months))
        # the runs of a seed and scenario start alike: offsets, workload, hires in flight
        here = (shared.stream, id(scenario), unit.name)
        offsets = (
            shared.once(("offsets", *here), lambda: rounding().random(n_layers))
            if rounding is not None
            else np.full(n_layers, 0.5)
        )
        if self.policy == "capacity":
            lag = self.lag_weeks + 1
            work = shared.once(("work", *here[1:]), workload, scenario, unit, calendar, lag)
            self.planner = Planner(
                work, staffing, self.count, self.lag_weeks, self._ic_weights(), offsets
            )
        self.pipeline = np.zeros((self.weeks + self.lag_weeks + 1, n_layers), dtype=np.int64)
        replaced = self.backfill_share if self.policy == "replace_leavers" else None
        steady = ("steady", *here, replaced)
        self.pipeline[: self.lag_weeks] = shared.once(steady, self._steady_hires, offsets)
        # the week's counts and the month's money: rows of the batch's (_Lockstep._stack)
        self.out: WeeklyCounts
        self.money: MonthlyMoney
        self.reskilling = _programmes(scenario, unit, calendar, self) if plan.redeploy else []
        self.ramp_loss = np.zeros(self.weeks)  # IC capacity the redeployed lack while ramping
        self.pool: RedeploymentPool | None = None  # the plan's, where it redeploys
        self.ledger = Ledger()  # the run's cuts, which severance is booked from at the end
        # the batch's pay protection, and this unit's row and first column in it
        self.protected = ProtectionTable(calendar)
        self.row, self.first = 0, 0
        self.changes: list[LayerChange] = []
        self.redeployed_from: dict[int, int] = {}  # a change's people placed during notice
        self.attrition_multiplier = np.ones(self.weeks)
        self.dip = np.zeros(self.weeks)

    def _ic_weights(self) -> np.ndarray | None:
        """Each role's part of the ICs' need: its share of the starting ICs where planners
        staff to the starting utilisation (each role at its own), else its work share."""
        if not self.groups.names:
            return None
        if self.planner_start_utilisation:
            total = self.groups.counts.sum()
            return self.groups.counts / total if total > 0 else self.groups.work_shares
        return self.groups.work_shares

    def layer_name(self, column: int) -> str:
        return self.layers[min(column, self.ic)].name

    def role_name(self, column: int) -> str | None:
        return (
            self.groups.names[column - self.ic] if self.groups.names and column >= self.ic else None
        )

    def ic_columns(self, role: str | None = None) -> list[int]:
        """The IC columns (the named role's only, if given)."""
        if role is None:
            return list(range(self.ic, self.count.size))
        return [self.ic + self.groups.names.index(role)]

    def _collapse(self, values: np.ndarray) -> np.ndarray:
        """Per column -> per layer: the role columns summed into the IC layer."""
        if not self.groups.names:
            return values
        return np.concatenate(
            [values[..., : self.ic], values[..., self.ic :].sum(-1)[..., None]], -1
        )

    def _steady_hires(self, offsets: np.ndarray) -> np.ndarray:
        """Hires in flight at the start: what the policy would have asked for each week
        of the lag before it, so the status quo does not dip while its first hires wait.

        The weeks' fractions are carried, not rounded away one by one: a 200-person
        layer losing 0.49 a week has 4 or 5 hires in flight (by its offset), not none.
        Under ``capacity`` no more are in flight than the base stock lacks, so a layer
        starting above its need has none.
        """
        hazard = weekly_hazard(self.attrition)
        replaced = self.backfill_share if self.policy == "replace_leavers" else 1.0
        hires = np.tile(self.count * hazard * replaced, (self.lag_weeks, 1))
        cumulative = np.cumsum(hires, axis=0)
        if self.planner is not None:  # and the growth the planners hired for
            targets = self.planner.targets_over(np.arange(self.lag_weeks), 1.0)
            growth = np.maximum(np.diff(targets, axis=0), 0.0)
            cumulative[1:] += np.cumsum(growth, axis=0)
        whole = np.floor(cumulative + offsets)
        if self.planner is not None:
            lacking = self.planner.base_stock(self.planner.needed(0, 1.0), hazard) - self.count
            whole = np.minimum(whole, np.maximum(lacking, 0))
        return np.diff(whole, axis=0, prepend=0.0).astype(np.int64)

    def cut_people(
        self, week: int, layer: int, people: int, notice: Notice, change: str = CUT
    ) -> int:
        """Cut up to ``people`` of a layer; the number actually cut.

        They are working up to the notice date (the weekly headcount counts them to
        the week the wave acts in: corrected here), on notice for ``notice.days``
        after it, and get severance the day notice ends.
        """
        people = int(min(people, self.count[layer]))
        if people <= 0:
            return 0
        calendar, money = self.calendar, self.money
        self._scale_protections(layer, (self.count[layer] - people) / self.count[layer])
        self.count[layer] -= people
        self.out.cut[week, layer] += people
        day = calendar.day_of(notice.date)
        month = calendar.month_of_day(day)
        money.cut[month, layer] += people
        pay = people * self.cost[layer]
        unpaid = calendar.pay_between(day, week * DAYS_PER_WEEK)
        money.pay_adjustment[:, layer] -= pay * unpaid
        money.paid_years_adjustment[:, layer] -= people * unpaid
        ends = day + notice.days
        notice_pay = pay * calendar.pay_between(day, ends)
        money.notice_pay[:, layer] += notice_pay
        money.notice_days[:, layer] += people * calendar.days_between(day, ends)
        if ends < calendar.horizon_days:
            severance_month = calendar.month_of_day(ends)
        else:  # owed after the horizon: provided for in full when notice is given
            severance_month = month
            provision = pay * calendar.pay_after_horizon(day, ends)
            money.notice_pay[month, layer] += provision
            notice_pay[month] += provision
        entry = self.ledger.cut(
            self.unit, layer, severance_month, pay, notice.wave, len(self.changes)
        )
        self.changes.append(
            LayerChange(
                wave=notice.wave,
                unit=self.unit,
                layer=self.layer_name(layer),
                change=change,
                people=people,
                cost_per_head_annual=float(self.cost[layer]),
                notice_weeks=notice.weeks,
                severance_weeks=notice.severance_weeks,
                month=month,
                severance_month=severance_month,
                notice_pay=notice_pay,
                severance=np.zeros(calendar.months),  # booked at the end (:meth:`booked`)
                role=self.role_name(layer),
            )
        )
        if self.pool is not None and notice.redeployment is not None:
            self.pool.add(self, layer, people, notice, notice.redeployment, entry)
        return people

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
        self.protected.add(self.row, self.first + column, uplift, np.inf, people, week_end)

    def remove_layer(self, week: int, layer: int, moved_down_share: float, notice: Notice) -> int:
        """Remove a layer; the number of its people cut (the rest moved down)."""
        below = next(i for i in range(layer + 1, self.count.size) if self.exists[i])
        moved = round(self.count[layer] * moved_down_share)
        self._scale_protections(layer, 0.0)  # everyone leaves the layer: moved on or cut
        if moved and below >= self.ic and self.groups.names:  # into the ICs' roles, in proportion
            into = self.ic_columns()
            for column, people in zip(into, self._split(moved, into), strict=True):
                if people:
                    self._move_down(week, layer, column, int(people), notice)
        elif moved:
            self._move_down(week, layer, below, moved, notice)
        cut = self.cut_people(week, layer, int(self.count[layer]), notice, REMOVED_CUT)
        self.exists[layer] = False
        self.pipeline[:, layer] = 0
        return cut

    def _move_down(self, week: int, layer: int, below: int, moved: int, notice: Notice) -> None:
        """Move managers down on the notice date; they keep their old cost for
        ``notice.protection_months``, then cost what the layer below costs."""
        calendar, money = self.calendar, self.money
        self.count[layer] -= moved
        self.count[below] += moved
        self.out.moved_in[week, below] += moved
        day = calendar.day_of(notice.date)
        month = calendar.month_of_day(day)
        money.moved_in[month, below] += moved
        self.changes.append(
            LayerChange(
                wave=notice.wave,
                unit=self.unit,
                layer=self.layers[layer].name,
                change=MOVED_DOWN,
                people=moved,
                cost_per_head_annual=float(self.cost[layer]),
                notice_weeks=0.0,
                severance_weeks=0.0,
                month=month,
                severance_month=month,
                notice_pay=np.zeros(calendar.months),
                severance=np.zeros(calendar.months),
                moved_to=self.layer_name(below),
                protection_months=notice.protection_months,
                role=self.role_name(below),
            )
        )
        acts = week * DAYS_PER_WEEK  # until then the weekly headcount has them above
        gap = calendar.pay_between(day, acts)
        money.pay_adjustment[:, layer] -= moved * self.cost[layer] * gap
        money.pay_adjustment[:, below] += moved * self.cost[below] * gap
        money.paid_years_adjustment[:, layer] -= moved * gap
        money.paid_years_adjustment[:, below] += moved * gap
        uplift = self.cost[layer] - self.cost[below]
        ends = calendar.day_of(add_months(notice.date, notice.protection_months))
        if ends > day and uplift:
            before_acts = calendar.pay_between(day, min(acts, ends))
            money.pay_adjustment[:, below] += moved * uplift * before_acts
            if ends > acts:
                self.protected.add(self.row, self.first + below, uplift, ends, moved)

    def _split(self, people: int, into: list[int]) -> np.ndarray:
        """``people`` across IC columns in proportion to their headcount now."""
        counts = self.count[into].astype(float)
        total = counts.sum()
        shares = counts / total if total > 0 else np.full(len(into), 1 / len(into))
        return split_by_share(people, shares)

    def cut_ics(self, week: int, people: int, notice: Notice, role: str | None = None) -> int:
        """Cut ``people`` ICs: of one role, or of every role in proportion."""
        into = self.ic_columns(role)
        if len(into) == 1:
            return self.cut_people(week, into[0], people, notice)
        return sum(
            self.cut_people(week, column, int(n), notice)
            for column, n in zip(into, self._split(people, into), strict=True)
        )

    def _scale_protections(self, layer: int, kept: float) -> None:
        if self.protected:
            self.protected.scale(self.row, self.first + layer, kept)

    def after_wave(self, week: int, before: np.ndarray) -> None:
        """The planners take the spans the wave leaves as their new targets."""
        if self.planner is not None:
            change = (self.count - before).astype(float)
            driven = self.driven[week] if self.groups.per_program is not None else None
            self.planner.after_wave(week, change, self.exists, self.recognised[week], driven)

    def recognise(
        self,
        month: int,
        factor: np.ndarray,
        calendar: Calendar,
        driven: np.ndarray | None = None,
    ) -> None:
        """This month's AI workload factor per IC column (and the people the roles'
        drivers ask for); planners act on them after the recognition lag."""
        weeks = np.flatnonzero(calendar.month_of_week == month)
        self.ai_factor[weeks] = self.groups.unit_factor(factor)
        seen = weeks + self.recognition_weeks
        views = [(self.recognised, factor)]
        if driven is not None:
            views.append((self.driven, driven))
        for view, value in views:
            view[seen[seen < self.weeks]] = value
            # until a later month is seen, the latest value seen holds
            if seen.size and seen[-1] + 1 < self.weeks:
                view[seen[-1] + 1 :] = view[min(seen[-1], self.weeks - 1)]

    def survivors_shaken(self, week: int, scenario: DrawnScenario, calendar: Calendar) -> None:
        effects = scenario.restructuring.survivor_effects
        span = round(calendar.weeks_of(effects.attrition_months))
        window = slice(week, min(self.weeks, week + span))
        self.attrition_multiplier[window] = np.maximum(
            self.attrition_multiplier[window], effects.attrition_multiplier
        )
        dip_weeks = calendar.weeks_of(effects.dip_months)
        if dip_weeks > 0:
            ahead = np.arange(self.weeks - week)
            fade = np.clip(1 - ahead / dip_weeks, 0, 1) * effects.productivity_dip
            self.dip[week:] = np.maximum(self.dip[week:], fade)

    def result(self, unit: DrawnUnit, severance: Booked) -> UnitWorkforce:
        # the batch's rows, copied out whole: contiguous as a run alone would have them
        out, money = self.out.contiguous(), self.money.contiguous()
        calendar = self.calendar
        shape = out.needed.shape
        needed = out.needed if self.planner is not None else np.full(shape, np.nan)
        by_layer = self._collapse
        ics = slice(self.ic, None)
        paid_years = calendar.monthly_pay(out.headcount) + money.paid_years_adjustment
        cost = self.cost
        if self.groups.size > 1:  # the IC layer's cost: its roles', weighted by their start
            start = self.groups.counts.astype(float)
            ic_cost = cost[ics] @ start / start.sum() if start.sum() > 0 else cost[ics].mean()
            cost = np.append(cost[: self.ic], ic_cost)
        return UnitWorkforce(
            name=unit.name,
            layers=tuple(x.name for x in self.layers),
            cost_per_head_annual=cost,
            review_share=np.array([x.review_share for x in self.layers]),
            headcount=by_layer(out.headcount),
            exists=out.exists[:, : len(self.layers)].astype(bool),
            hires=by_layer(out.hires),
            leavers=by_layer(out.leavers),
            cut=by_layer(out.cut),
            moved_in=by_layer(out.moved_in),
            hiring_cost=by_layer(out.hiring_cost),
            working_pay=by_layer(
                calendar.monthly_pay(out.headcount * self.cost) + money.pay_adjustment
            ),
            paid_years=by_layer(paid_years),
            role_paid_years=paid_years[:, ics] if self.groups.names else None,
            notice_pay=by_layer(money.notice_pay),
            severance=severance.severance[self.unit],
            on_notice=by_layer(money.notice_days / calendar.days_in_month[:, None]),
            cut_in_month=by_layer(money.cut),
            moved_in_month=by_layer(money.moved_in),
            productivity_dip=self._dip(out.headcount),
            needed=by_layer(needed),
            ai_factor=self.ai_factor,
            policy=self.policy,
            roles=self.groups.names,
            role_headcount=out.headcount[:, ics] if self.groups.names else None,
            role_needed=needed[:, ics] if self.groups.names else None,
            role_hires=out.hires[:, ics] if self.groups.names else None,
            redeployed=by_layer(out.redeployed) if self.pool is not None else None,
            severance_avoided=severance.avoided[self.unit] if self.pool else None,
            retraining=money.retraining.sum(axis=1) if self.pool is not None else None,
            reskilled=by_layer(out.reskilled) if self.reskilling else None,
            reskilling=money.reskilling.sum(axis=1) if self.reskilling else None,
        )

    def reskill(self, week: int, need: np.ndarray | None) -> None:
        """This week's cohorts: trained from a role above its need (all of it under
        replace_leavers), the successful moving to their new role at its pay."""
        month = int(self.calendar.month_of_week[week])
        for programme in self.reskilling:
            if not programme.start_week <= week <= programme.end_week:
                continue
            quota = programme.carry + programme.per_week
            trainees = int(quota)
            programme.carry = quota - trainees
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

    def _dip(self, headcount: np.ndarray) -> np.ndarray:
        """The ICs' productivity loss: the survivors' dip, and the redeployed ramping up."""
        if not self.ramp_loss.any():
            return self.dip
        ics = np.maximum(headcount[:, self.ic :].sum(axis=1), 1.0)
        return 1 - (1 - self.dip) * (1 - np.minimum(self.ramp_loss / ics, 1.0))

    def payroll(self, month: int) -> float:
        """A month's pay to people working and on notice (its weeks all simulated)."""
        headcount = np.ascontiguousarray(self.out.headcount)  # a row of the batch's
        working = self.calendar.week_pay[month] @ (headcount @ self.cost)
        money = self.money
        adjusted = money.pay_adjustment[month].sum() + money.notice_pay[month].sum()
        return float(working + adjusted)


@dataclass(frozen=True)
class WorkforceRun:
    """One workforce run to simulate: a concrete scenario under a plan, on a seed."""

    scenario: DrawnScenario
    calendar: Calendar
    seed: np.random.SeedSequence
    plan: Plan
    month_hook: MonthHook | None = None
    driver_hook: DriverHook | None = None


def simulate_workforce(
    scenario: DrawnScenario,
    calendar: Calendar,
    seed: np.random.SeedSequence,
    plan: Plan,
    month_hook: MonthHook | None = None,
    driver_hook: DriverHook | None = None,
) -> Workforce:
    """Headcount of every unit and layer, week by week, under ``plan``.

    ``STATUS_QUO`` gives the baseline twin: the same organisation on the same
    random streams, without the plan. ``month_hook`` (for a plan with AI) is
    asked at each month's start for the units' AI workload factors, then
    ``driver_hook`` for the people the roles' drivers ask for.
    """
    run = WorkforceRun(scenario, calendar, seed, plan, month_hook, driver_hook)
    return simulate_workforces([run])[0]


def simulate_workforces(runs: list[WorkforceRun]) -> list[Workforce]:
    """Many workforce runs at once (replications, plans), each as it would run alone.

    The runs advance week by week in lockstep, every unit of every run a row of
    the same arrays, so a week's hires, leavers and requisitions are a few NumPy
    operations for the whole batch. Each run draws from its own streams only
    (one per unit and layer, spawned from its seed) and the arithmetic is
    elementwise, so a run's result is the same, to the bit, whatever it is
    batched with: the same seed gives the same output whatever the chunking.
    Runs on different calendars go in separate batches.
    """
    results: list[Workforce | None] = [None] * len(runs)
    by_calendar: dict[Calendar, list[int]] = {}
    for index, run in enumerate(runs):
        by_calendar.setdefault(run.calendar, []).append(index)
    for calendar, indices in by_calendar.items():
        batch = _Lockstep([runs[i] for i in indices], calendar)
        for index, workforce in zip(indices, batch.run(), strict=True):
            results[index] = workforce
    return results  # type: ignore[return-value]  # every index filled


class _Lockstep:
    """Workforce runs on one calendar, their units rows of shared arrays, columns
    right-aligned (the IC columns last; a unit with fewer columns than the widest has
    non-existent columns on the left, always empty)."""

    def __init__(self, runs: list[WorkforceRun], calendar: Calendar):
        self.runs = runs
        self.calendar = calendar
        self.states: list[list[_UnitState]] = []
        self.streams: list[tuple[object, ...]] = []  # each row's seed, as a key
        shared = _Shared()
        for run in runs:
            seed = run.seed
            key = (seed.entropy, tuple(seed.spawn_key), seed.pool_size, seed.n_children_spawned)
            unit_seeds = seed.spawn(len(run.scenario.org.units))
            states = []
            for u, (unit, unit_seed) in enumerate(
                zip(run.scenario.org.units, unit_seeds, strict=True)
            ):
                self.streams.append((*key, u))
                layer_seeds = unit_seed.spawn(columns(unit))
                rngs = [np.random.default_rng(s) for s in layer_seeds]
                # a stream of its own, spawned after the columns', so no attrition draw moves
                rounding = functools.partial(_rounding, unit_seed)
                here = shared.at(self.streams[-1])
                state = _UnitState(run.scenario, unit, calendar, rngs, run.plan, rounding, here)
                states.append(state)
            waves = run.scenario.restructuring.waves if run.plan.any_wave else ()
            if run.plan.redeploy and any(w.redeployment is not None for w in waves):
                pool = RedeploymentPool()  # one a run: scope "any" crosses its units
                for state in states:
                    state.pool = pool
            ledger = Ledger()  # one a run: a placement may take back another unit's cut
            for state in states:
                state.ledger = ledger
            self.states.append(states)
        self.rows = [state for states in self.states for state in states]
        self._stack()

    def _stack(self) -> None:
        """Move every unit's weekly state into rows of the batch's arrays; each unit
        keeps views of its row, so its waves and records act on the batch in place."""
        rows, calendar = self.rows, self.calendar
        weeks, n = calendar.weeks, len(rows)
        width = max(s.count.size for s in rows)
        depth = weeks + max(s.lag_weeks for s in rows) + 1
        self.count = np.zeros((n, width), dtype=np.int64)
        self.exists = np.zeros((n, width), dtype=bool)
        self.pipeline = np.zeros((n, depth, width), dtype=np.int64)
        self.attrition = np.zeros((n, width))
        self.attrition_multiplier = np.ones((n, weeks))
        self.recognised = np.ones((n, weeks, width))
        # the roles' drivers (sim.model.roles), batched only where a unit has some
        self.driving = any(s.groups.per_program is not None for s in rows)
        self.driven = np.zeros((n, weeks, width) if self.driving else (0, weeks, width))
        self.out = WeeklyCounts.zeros((n, weeks, width))
        self.money = MonthlyMoney.zeros((n, calendar.months, width))
        self.protected = ProtectionTable(calendar)
        self.lag = np.array([s.lag_weeks for s in rows])
        self.lags = np.unique(self.lag).tolist()  # the hiring lags there are
        self.cost_per_hire = np.array([s.cost_per_hire for s in rows])
        self.frozen = np.zeros((n, weeks), dtype=bool)
        self.draws: list[tuple[int, int, Callable[..., int]]] = []  # row, column, binomial
        runs = [run for run, states in zip(self.runs, self.states, strict=True) for _ in states]
        for row, (run, state) in enumerate(zip(runs, rows, strict=True)):
            first = width - state.count.size
            columns = slice(first, width)
            self.count[row, columns] = state.count
            self.exists[row, columns] = state.exists
            self.pipeline[row, : state.pipeline.shape[0], columns] = state.pipeline
            self.attrition[row, columns] = state.attrition
            state.count = self.count[row, columns]
            state.exists = self.exists[row, columns]
            state.pipeline = self.pipeline[row, : state.pipeline.shape[0], columns]
            state.attrition_multiplier = self.attrition_multiplier[row]
            ics = slice(width - state.groups.size, width)
            self.recognised[row, :, ics] = state.recognised
            state.recognised = self.recognised[row, :, ics]
            if self.driving:
                self.driven[row, :, ics] = state.driven
                state.driven = self.driven[row, :, ics]
            state.out = self.out.row(row, columns)
            state.money = self.money.row(row, columns)
            state.protected, state.row, state.first = self.protected, row, first
            if run.plan.freezes:
                self.frozen[row] = _frozen_weeks(run.scenario, calendar, state.unit)
            self.draws += [(row, first + i, rng.binomial) for i, rng in enumerate(state.rngs)]
        self.draw_rows = np.array([row for row, _, _ in self.draws], dtype=int)
        self.draw_columns = np.array([column for _, column, _ in self.draws], dtype=int)
        self.binomials = [binomial for _, _, binomial in self.draws]
        self._follow(width)
        self.planned = np.array([i for i, s in enumerate(rows) if s.planner is not None], int)
        self.backfilled = [
            i for i, s in enumerate(rows) if s.planner is None and s.backfill_share > 0
        ]
        # internal moves: reskilling programmes, and redeployment pools to fill from
        self.reskilled = [i for i, s in enumerate(rows) if s.planner is None and s.reskilling]
        # the planned rows (their index among them) with reskilling, and the rows with a pool
        self.reskilling_planned = [k for k, r in enumerate(self.planned) if rows[r].reskilling]
        self.pooled = np.array([s.pool is not None for s in rows], dtype=bool)
        self.pooling = bool(self.pooled.any())
        planners = self.planned.size
        self.ratio_before = np.zeros((planners, width))
        self.ratio_after = np.zeros((planners, width))
        self.planner_exists = np.zeros((planners, width), dtype=bool)
        self.is_ic = np.zeros((planners, width), dtype=bool)
        self.ic_weights = np.zeros((planners, width))
        self.offsets = np.full((planners, width), 0.5)  # the base stock's rounding
        self.wave_week = np.full(planners, -1)
        self.creep, self.realisation = np.zeros(planners), np.zeros(planners)
        self.effort, self.ic_hours = np.ones(planners), np.ones(planners)
        self.utilisation = np.ones(planners)
        self.demand = np.zeros((planners, depth))
        self._plan_rows(self.planned)

    def _plan_rows(self, rows: np.ndarray) -> None:
        """The planners of these rows, as arrays (again after a wave moves their targets)."""
        width = self.count.shape[1]
        where = {row: k for k, row in enumerate(self.planned)}
        for row in rows:
            k, state = where[int(row)], self.rows[int(row)]
            planner = state.planner
            assert planner is not None  # planned rows have planners
            first = width - state.count.size
            columns = slice(first, width)
            self.ratio_before[k, columns] = planner.ratio_before
            self.ratio_after[k, columns] = planner.ratio_after
            self.planner_exists[k] = False
            self.planner_exists[k, columns] = planner.exists
            self.is_ic[k, first + planner.managers :] = True
            self.ic_weights[k, first + planner.managers :] = planner.ic_weights
            self.offsets[k, columns] = planner.offsets
            self.wave_week[k] = -1 if planner.wave_week is None else planner.wave_week
            self.creep[k], self.realisation[k] = planner.creep, planner.realisation
            work = planner.work
            self.effort[k], self.ic_hours[k] = work.effort_hours, work.ic_hours_per_week
            self.utilisation[k] = work.target_utilisation
            self.demand[k, : work.demand_per_week.size] = work.demand_per_week

    def run(self) -> list[Workforce]:
        calendar = self.calendar
        waves, one_time = [], []
        for run in self.runs:
            planned = run.scenario.restructuring.waves if run.plan.any_wave else ()
            by_week: dict[int, list[tuple[int, DrawnWave]]] = {}
            for index, wave in _in_date_order(planned):
                by_week.setdefault(calendar.week_from(wave.date), []).append((index, wave))
            waves.append(by_week)
            one_time.append(wave_one_time_costs(planned, calendar))
        month_of_week = calendar.month_of_week
        for week in range(calendar.weeks):
            month = int(month_of_week[week])
            new_month = week == 0 or month != month_of_week[week - 1]
            for r, (run, states) in enumerate(zip(self.runs, self.states, strict=True)):
                if run.month_hook is not None and new_month:
                    _ask_hook(run.month_hook, month, states, calendar, run.driver_hook)
                if week in waves[r]:
                    self._waves(run, states, waves[r][week], week)
            self._step(week)
        return [
            self._workforce(run, states, cost)
            for run, states, cost in zip(self.runs, self.states, one_time, strict=True)
        ]

    def _workforce(
        self, run: WorkforceRun, states: list[_UnitState], one_time: np.ndarray
    ) -> Workforce:
        """A run's workforce, its severance booked from its cuts at its waves' terms."""
        entries = tuple(states[0].ledger.entries)
        shapes = {s.unit: (len(s.layers), s.count.size) for s in states}
        restructuring = run.scenario.restructuring
        severance = book(entries, weeks_of(restructuring), self.calendar.months, shapes)
        units = run.scenario.org.units
        return Workforce(
            units=tuple(s.result(u, severance) for s, u in zip(states, units, strict=True)),
            wave_one_time_cost=one_time,
            changes=tuple(change for state in states for change in state.booked(severance)),
            severance=entries,
        )

    def _waves(
        self,
        run: WorkforceRun,
        states: list[_UnitState],
        waves: list[tuple[int, DrawnWave]],
        week: int,
    ) -> None:
        scenario, calendar = run.scenario, self.calendar
        names = [u.name for u in scenario.org.units]
        for index, wave in waves:
            _apply_wave(scenario, index, wave, week, states, names, calendar, run.plan)
        ids = {id(s) for s in states}
        self._plan_rows(np.array([r for r in self.planned if id(self.rows[r]) in ids], int))

    def _step(self, week: int) -> None:
        """Every unit's week: hires arrive, people leave, the planners open requisitions."""
        count, out = self.count, self.out
        hires = self.pipeline[:, week] * self.exists
        count += hires
        out.hires[:, week] = hires
        out.hiring_cost[:, week] = hires * self.cost_per_hire[:, None]
        # survivors: the annual rate is raised, then turned into a weekly hazard
        hazard = weekly_hazard(self.attrition * self.attrition_multiplier[:, week, None])
        leavers = self._binomial(count, hazard)
        if self.protected:  # before the leavers are counted off
            self.protected.leave_and_pay(week, count, leavers, self.money.pay_adjustment)
        count -= leavers
        out.leavers[:, week] = leavers
        if self.planned.size:
            self._requisitions(week, hazard)
        for row in self.reskilled:  # replace_leavers units: from all of a role
            self.rows[row].reskill(week, None)
        self._backfill(week, leavers)
        out.headcount[:, week] = count
        out.exists[:, week] = self.exists

    def _follow(self, width: int) -> None:
        """Runs of one seed (a replication's status quo and its savings bridge's steps)
        draw each layer from copies of the same stream: while a layer's people and
        hazard have been the same as in the first such run every week, its draws are
        the first's too, and it takes them instead of drawing (``leader``: the draw it
        follows, -1: none). A layer whose stream moves elsewhere (replace_leavers
        backfill draws from it) draws for itself."""
        self.leader = np.full(len(self.draws), -1)
        first: dict[tuple[object, ...], int] = {}
        for k, (row, column, _) in enumerate(self.draws):
            state = self.rows[row]
            if state.planner is None and state.backfill_share > 0:
                continue
            local = column - (width - state.count.size)
            root = first.setdefault((*self.streams[row], local), k)
            if root != k:
                self.leader[k] = root
        self.following = np.flatnonzero(self.leader >= 0)

    def _part_ways(self, parted: np.ndarray, people: np.ndarray, hazard: np.ndarray) -> None:
        """Draws whose people or hazard this week differ from their leader's: each takes
        its leader's stream as it stands (their histories were the same) and draws for
        itself from now, or follows the first of them with its own people and hazard."""
        new: dict[tuple[int, int, float], int] = {}
        generators = [binomial.__self__ for binomial in self.binomials]  # type: ignore[attr-defined]
        for k in parted.tolist():
            old = int(self.leader[k])
            root = new.setdefault((old, int(people[k]), float(hazard[k])), k)
            if root == k:
                mine, theirs = generators[k].bit_generator, generators[old].bit_generator
                mine.state = theirs.state
                self.leader[k] = -1
            else:
                self.leader[k] = root
        self.following = np.flatnonzero(self.leader >= 0)

    def _binomial(self, n: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Leavers per row and column, each layer's draw from its own stream (a layer
        with no one, or no hazard, draws nothing: its stream does not move)."""
        flat = np.zeros(len(self.draws), dtype=np.int64)
        people, hazard = n[self.draw_rows, self.draw_columns], p[self.draw_rows, self.draw_columns]
        if self.following.size:
            track, lead = self.following, self.leader[self.following]
            same = (people[track] == people[lead]) & (hazard[track] == hazard[lead])
            if not same.all():
                self._part_ways(track[~same], people, hazard)
        binomials = self.binomials
        live = np.flatnonzero((people > 0) & (hazard > 0) & (self.leader < 0))
        chances = zip(live.tolist(), people[live].tolist(), hazard[live].tolist(), strict=True)
        flat[live] = [binomials[k](n_k, p_k) for k, n_k, p_k in chances]
        if self.following.size:
            flat[self.following] = flat[self.leader[self.following]]
        drawn_ = np.zeros(n.shape, dtype=np.int64)
        drawn_[self.draw_rows, self.draw_columns] = flat
        return drawn_

    def _requisitions(self, week: int, hazard: np.ndarray) -> None:
        rows = self.planned
        lag = self.lag[rows]
        since = np.where(self.wave_week >= 0, week + lag - self.wave_week, -1)
        ics = stacked_ics_need(
            self.demand[np.arange(rows.size), week + lag][:, None],
            self.effort[:, None],
            self.ic_hours[:, None],
            self.utilisation[:, None],
            self.realisation[:, None],
            self.recognised[rows, week],
            self.ic_weights,
        )
        if self.driving:
            ics = ics + self.driven[rows, week]
        need = stacked_targets(
            self.ratio_before,
            self.ratio_after,
            since,
            self.creep,
            self.planner_exists,
            self.is_ic,
            ics,
        )
        self.out.needed[rows, week] = need
        # reskilling moves people before the planners count their position
        for k in self.reskilling_planned:
            state = self.rows[int(rows[k])]
            state.reskill(week, need[k, need.shape[1] - state.count.size :])
        hiring = ~self.frozen[rows, week]
        exists, offsets = self.planner_exists, self.offsets
        if not hiring.all():
            if not hiring.any():
                return
            rows, lag, need = rows[hiring], lag[hiring], need[hiring]
            exists, offsets = exists[hiring], offsets[hiring]
        in_flight = np.zeros((rows.size, self.count.shape[1]), dtype=np.int64)
        for weeks in self.lags:
            same = lag == weeks
            in_flight[same] = self.pipeline[rows[same], week + 1 : week + weeks + 1].sum(axis=1)
        opened = stacked_requisitions(
            need, self.count[rows] + in_flight, hazard[rows], lag[:, None], exists, offsets
        )
        if self.pooling:  # requisitions filled from notice first
            for k in np.flatnonzero(self.pooled[rows]).tolist():
                state = self.rows[int(rows[k])]
                pool = state.pool
                if pool is not None and pool.open_in(week):
                    first = opened.shape[1] - state.count.size
                    opened[k, first:] = pool.fill(state, week, opened[k, first:])
        self.pipeline[rows, week + lag] += opened

    def _backfill(self, week: int, leavers: np.ndarray) -> None:
        """Replace-leavers units outside a freeze: a share of the week's leavers, hired
        after the lag, each layer's draw from its stream after its leavers'."""
        for row in self.backfilled:
            if self.frozen[row, week]:
                continue
            state = self.rows[row]
            share, row_leavers = state.backfill_share, leavers[row, -state.count.size :]
            replaced = np.array(
                [rng.binomial(n, share) for rng, n in zip(state.rngs, row_leavers, strict=True)],
                dtype=np.int64,
            )
            if state.pool is not None:  # filled from notice first
                replaced = state.pool.fill(state, week, replaced * state.exists)
            state.pipeline[week + state.lag_weeks] += replaced * state.exists


@dataclass
class _Reskilling:
    """One reskilling programme as the unit runs it: columns, weeks, its weekly quota."""

    source: int
    target: int
    start_week: int
    end_week: int
    per_week: float
    cost_per_person: float
    success_share: float
    carry: float = 0.0  # the fraction of a person the quota has not yet trained


def _programmes(
    scenario: DrawnScenario, unit: DrawnUnit, calendar: Calendar, state: _UnitState
) -> list[_Reskilling]:
    found = []
    for p in scenario.restructuring.reskilling:
        if p.unit != unit.name:
            continue
        end = calendar.week_of(p.end) if p.end is not None else calendar.weeks - 1
        found.append(
            _Reskilling(
                state.ic_columns(p.from_role)[0],
                state.ic_columns(p.to_role)[0],
                calendar.week_from(p.start),
                end,
                p.people_per_month * 12 / WEEKS_PER_YEAR,
                p.cost_per_person,
                p.success_share,
            )
        )
    return found


def _rounding(unit_seed: np.random.SeedSequence) -> np.random.Generator:
    """The unit's stream for rounding its hires, spawned after its columns'."""
    return np.random.default_rng(unit_seed.spawn(1)[0])


def _ask_hook(
    hook: MonthHook,
    month: int,
    states: list[_UnitState],
    calendar: Calendar,
    driver_hook: DriverHook | None = None,
) -> None:
    payroll = np.array([s.payroll(month - 1) if month > 0 else 0.0 for s in states])
    people = np.array([float(s.count.sum()) for s in states])
    factors = hook(month, people, payroll)
    driven = driver_hook(month) if driver_hook is not None else [None] * len(states)
    for state, factor, extra in zip(states, factors, driven, strict=True):
        factor = np.atleast_1d(np.asarray(factor, dtype=float))
        drives = extra is not None and state.groups.per_program is not None
        state.recognise(month, factor, calendar, extra if drives else None)


def _apply_wave(
    scenario: DrawnScenario,
    index: int,
    wave: DrawnWave,
    week: int,
    states: list[_UnitState],
    names: list[str],
    calendar: Calendar,
    plan: Plan,
) -> None:
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
        present = state.count[state.ic_columns(cut.role)].sum() if ics else state.count[layer]
        if cut.count is not None:
            people = round(cut.count)
        elif cut.share is not None:  # validation: a cut gives a count or a share
            people = round(cut.share * present)
        done = (
            state.cut_ics(week, people, notice, cut.role)
            if ics
            else state.cut_people(week, layer, people, notice)
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
        if state.remove_layer(week, layer, moved, terms):
            shaken.add(removal.unit)
        changed.add(removal.unit)
    for state in states:  # hires in flight are open requisitions the notified may take
        if state.pool is not None:
            state.pool.fill_in_flight(state, week)
    for name in changed:
        states[names.index(name)].after_wave(week, before[name])
    for name in shaken:
        states[names.index(name)].survivors_shaken(week, scenario, calendar)


def _frozen_weeks(scenario: DrawnScenario, calendar: Calendar, unit: str) -> np.ndarray:
    """Per week: is the unit's hiring frozen?"""
    weeks = np.arange(calendar.weeks)
    frozen = np.zeros(calendar.weeks, dtype=bool)
    for freeze in scenario.org.hiring_freezes:
        if freeze.units is not None and unit not in freeze.units:
            continue
        frozen |= (calendar.week_of(freeze.start) <= weeks) & (
            weeks <= calendar.week_of(freeze.end)
        )
    return frozen
