"""AI programmes and new roles, month by month.

Each programme's adoption follows its S-curve over the staff of the units it
covers (counted at each month's start); seats are bought as the funding allows
(a fixed monthly budget, or a share of last month's realised payroll savings
against the baseline twin), at the month's seat price. Money is at the
month's price levels (:mod:`sim.model.prices`): the savings reinvested are the
payroll saved at that month's pay, as the cash flows show it, and a budget
buys fewer seats as their price grows. The effects scale with the share of
staff actually holding a seat: IC effort per item falls, a share of items is
automated end to end, review time falls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.calendar import Calendar
from sim.model.demand import planned_weekly_demand
from sim.model.prices import PriceLevels
from sim.model.roles import RoleGroups, role_groups
from sim.scenario.drawn import (
    DrawnFunding,
    DrawnFundingPool,
    DrawnNewRole,
    DrawnProgram,
    DrawnScenario,
    DrawnUnit,
)


@dataclass(frozen=True)
class ProgramPath:
    """One programme's monthly path."""

    name: str
    target_share: np.ndarray  # share of covered staff the S-curve asks for
    seats: np.ndarray  # seats funded
    adoption: np.ndarray  # seats / covered staff
    #: money available for running costs at the month's prices (inf if unconstrained)
    budget: np.ndarray
    #: at the valuation month's seat price, as written (the finance grows it): at the
    #: month's price, ``running_cost x seat price factor <= budget``
    running_cost: np.ndarray
    one_time_cost: np.ndarray


@dataclass(frozen=True)
class UnitEffects:
    """What AI does to one unit's work each month (1 = no effect)."""

    effort_multiplier: np.ndarray
    automation_share: np.ndarray
    review_multiplier: np.ndarray


@dataclass(frozen=True)
class RolePath:
    name: str
    headcount: np.ndarray
    hires: np.ndarray
    payroll: np.ndarray
    hiring_cost: np.ndarray


@dataclass(frozen=True)
class AIResult:
    programs: tuple[ProgramPath, ...]
    effects: tuple[UnitEffects, ...]  # per unit, in the scenario's unit order
    roles: tuple[RolePath, ...]


def no_ai(scenario: DrawnScenario, calendar: Calendar) -> AIResult:
    """The baseline twin: no programmes, no new roles, no effects."""
    ones, zeros = np.ones(calendar.months), np.zeros(calendar.months)
    effects = UnitEffects(ones, zeros, ones)
    return AIResult((), tuple(effects for _ in scenario.org.units), ())


def simulate_ai(
    scenario: DrawnScenario,
    calendar: Calendar,
    staff: np.ndarray,
    payroll_savings: np.ndarray,
    prices: PriceLevels | None = None,
) -> AIResult:
    """Programmes, their effects and new roles along given paths of staff and savings.

    ``staff`` is active people per unit and month (units, months);
    ``payroll_savings`` is baseline minus plan payroll per month, at the month's
    pay. (A replication rolls AI out inside the workforce simulation instead, as
    staff and savings respond to it: :class:`AIRollout`.)
    """
    units = len(scenario.org.units)
    rollout = AIRollout(scenario, calendar, np.zeros((units, calendar.months)), prices)
    rollout.savings[:] = payroll_savings
    for month in range(calendar.months):
        rollout.fund(month, staff[:, month])
    return rollout.result()


class AIRollout:
    """The programmes rolled out month by month, as the plan's staff and savings allow.

    AI and staffing feed each other: seats follow the staff covered and, when
    funded from savings, last month's payroll saved; planners staff for the
    workload AI leaves. So the rollout advances one month at a time
    (:meth:`month`), inside the workforce simulation.
    """

    def __init__(
        self,
        scenario: DrawnScenario,
        calendar: Calendar,
        baseline_payroll: np.ndarray,
        prices: PriceLevels | None = None,
    ):
        """``baseline_payroll`` is the twin's payroll per unit and month (units, months),
        at the scenario's costs; ``prices`` grow pay and seat prices (none: flat)."""
        self.scenario = scenario
        self.calendar = calendar
        self.baseline_payroll = baseline_payroll
        self.names = [u.name for u in scenario.org.units]
        months = calendar.months
        prices = prices or PriceLevels()
        self.pay = prices.pay_of_units(self.names, months)
        self.paths = [
            _Path.start(p, calendar, prices.seat_price(p.name)) for p in scenario.ai.programs
        ]
        self.effort = np.ones((len(self.names), months))
        self.manual = np.ones((len(self.names), months))
        self.review = np.ones((len(self.names), months))
        # units with roles: each role's effort and manual share, its exposure scaling
        # the programmes' IC effects (sim.model.roles); the unit's are their blend
        self.groups: list[RoleGroups] = [role_groups(scenario, u) for u in scenario.org.units]
        self.role_effort = [np.ones((g.size, months)) for g in self.groups]
        self.role_manual = [np.ones((g.size, months)) for g in self.groups]
        # what the roles' drivers grow with: programmes running and seats, per unit
        self.live = np.zeros((len(self.names), months))
        self.unit_seats = np.zeros((len(self.names), months))
        # and the items a week planners staff for (a month's mean), where a driver needs it
        self.planned_items = [
            calendar.monthly_mean(_planned_items(scenario, calendar, u))
            if g.automation_driven
            else None
            for g, u in zip(self.groups, scenario.org.units, strict=True)
        ]
        self.savings = np.zeros(months)  # payroll saved at each month's pay

    def month(
        self, month: int, staff: np.ndarray, payroll_last_month: np.ndarray
    ) -> list[np.ndarray]:
        """Seats and effects this month; each unit's IC workload factors (1 = no AI), one per
        IC column (sim.model.roles).

        ``staff`` is active people per unit at the month's start;
        ``payroll_last_month`` is each unit's payroll in the plan the month before,
        at the scenario's costs: saved against the twin and grown by each unit's pay.
        """
        if month > 0:
            saved = self.baseline_payroll[:, month - 1] - payroll_last_month
            self.savings[month - 1] = float(self.pay[:, month - 1] @ saved)
        return self.fund(month, staff)

    def fund(self, month: int, staff: np.ndarray) -> list[np.ndarray]:
        """Seats and effects this month from the savings known so far; each unit's IC
        workload factors (1 = no AI), one per IC column."""
        programs = self.scenario.ai.programs
        covered = [float(staff[_covered(spec, self.names)].sum()) for spec in programs]
        budgets = self._budgets(month, covered)
        for spec, path, staff_covered, budget in zip(
            programs, self.paths, covered, budgets, strict=True
        ):
            path.fund(month, staff_covered, budget)
            for u, name in enumerate(self.names):
                if spec.units is not None and name not in spec.units:
                    continue
                e = spec.effects
                adoption = path.adoption[month]
                if month >= path.start_month:
                    self.live[u, month] += 1
                    self.unit_seats[u, month] += adoption * staff[u]
                self.review[u, month] *= 1 - e.review_time_reduction * adoption
                uplift, automation = e.ic_productivity_uplift, e.automation_share
                if self.groups[u].names:
                    reach = self.groups[u].exposures
                    self.role_effort[u][:, month] *= 1 - np.minimum(uplift * reach, 1) * adoption
                    self.role_manual[u][:, month] *= (
                        1 - np.minimum(automation * reach, 1) * adoption
                    )
                    continue
                self.effort[u, month] *= 1 - uplift * adoption
                self.manual[u, month] *= 1 - automation * adoption
        return [self._factors(u, month) for u in range(len(self.names))]

    def _budgets(self, month: int, covered: list[float]) -> list[float]:
        """Each programme's money for seats this month. A pool's money is split between
        the programmes drawing on it in proportion to what the seats each asks for would
        cost, so each buys the same share of its asked seats (all of them while the pool
        lasts)."""
        ai = self.scenario.ai
        budgets = [_budget(ai.spending(spec), self.savings, month) for spec in ai.programs]
        for pool in ai.funding_pools:
            members = [
                i
                for i, spec in enumerate(ai.programs)
                if spec.funding is not None and spec.funding.pool == pool.name
            ]
            asked = [self.paths[i].asked_cost(month, covered[i]) for i in members]
            total = sum(asked)
            for i, cost in zip(members, asked, strict=True):
                budgets[i] = budgets[i] * cost / total if total > 0 else 0.0
        return budgets

    def driven(self, month: int) -> list[np.ndarray]:
        """People each unit's roles need this month for their drivers, per IC column
        (after :meth:`month`: the items automation handles need this month's shares)."""
        return [
            g.driven(self.live[u, month], self.unit_seats[u, month], self._automated(u, month))
            for u, g in enumerate(self.groups)
        ]

    def _automated(self, unit: int, month: int) -> float:
        """Items a week automation handles end to end in the unit, at planned demand."""
        items = self.planned_items[unit]
        return 0.0 if items is None else float(items[month] * (1 - self.manual[unit, month]))

    def _factors(self, unit: int, month: int) -> np.ndarray:
        """A unit's IC workload factors this month, per IC column; for a unit with roles,
        the unit's effort and manual share become the blend of its roles', weighted by
        their work: manual = sum w x manual_r, effort x manual = sum w x effort_r x manual_r."""
        groups = self.groups[unit]
        if not groups.names:
            return np.array([self.effort[unit, month] * self.manual[unit, month]])
        effort, manual = self.role_effort[unit][:, month], self.role_manual[unit][:, month]
        factors = effort * manual
        if groups.size == 1:  # one role: the unit's own, exactly
            self.effort[unit, month], self.manual[unit, month] = effort[0], manual[0]
            return factors
        blended_manual = float(groups.work_shares @ manual)
        self.manual[unit, month] = blended_manual
        self.effort[unit, month] = (
            float(groups.work_shares @ factors) / blended_manual if blended_manual > 0 else 1.0
        )
        return factors

    def result(self) -> AIResult:
        programs = tuple(path.result() for path in self.paths)
        effects = tuple(
            UnitEffects(self.effort[u], 1 - self.manual[u], self.review[u])
            for u in range(len(self.names))
        )
        roles = tuple(_role(r, self.scenario, self.calendar) for r in self.scenario.ai.new_roles)
        return AIResult(programs, effects, roles)


def _planned_items(scenario: DrawnScenario, calendar: Calendar, unit: DrawnUnit) -> np.ndarray:
    """Items a week the unit's planners staff for, week by week (sim.model.staffing)."""
    work = scenario.work_for(unit.name)
    return planned_weekly_demand(
        work.arrivals_per_ic_per_week,
        float(round(unit.resolved_layers[-1].headcount)),
        work.demand_growth_annual,
        np.array(work.seasonality),
        calendar.weeks,
    )


class _Path:
    """One programme's monthly arrays, filled in month by month."""

    def __init__(
        self, program: DrawnProgram, target: np.ndarray, start: int, price: np.ndarray | float = 1.0
    ):
        self.program = program
        self.target = target
        self.start_month = start
        months = target.size
        self.price = np.broadcast_to(np.asarray(price, dtype=float), (months,))
        self.seats = np.zeros(months)
        self.adoption = np.zeros(months)
        self.budget = np.zeros(months)
        self.running_cost = np.zeros(months)
        self.one_time = np.zeros(months)
        if 0 <= start < months:
            self.one_time[start] = program.one_time_cost

    @classmethod
    def start(
        cls, program: DrawnProgram, calendar: Calendar, price: np.ndarray | float = 1.0
    ) -> _Path:
        """``price`` is the seat price's level each month (1: as written)."""
        months = np.arange(calendar.months)
        start = calendar.month_of(program.start)
        since = months - start + 0.5  # mid-month
        target = np.array(
            [
                program.adoption.share(s) if m >= start else 0.0
                for m, s in zip(months, since, strict=True)
            ]
        )
        return cls(program, target, start, price)

    def asked_cost(self, month: int, covered_staff: float) -> float:
        """What the seats the S-curve asks for this month would cost, as :meth:`fund`
        weighs a budget against it (per seat at the month's price; a fixed cost whole)."""
        cost = self.program.running_cost
        if cost.per_seat_per_month is not None:
            wanted = self.target[month] * covered_staff
            return wanted * cost.per_seat_per_month * float(self.price[month])
        return float(cost.fixed_per_month) if month >= self.start_month else 0.0  # type: ignore[arg-type]

    def fund(self, month: int, covered_staff: float, budget: float) -> None:
        """Seats bought this month, as far as the budget goes at this month's price."""
        wanted = self.target[month] * covered_staff
        cost = self.program.running_cost
        self.budget[month] = budget
        if cost.per_seat_per_month is not None:
            per_seat = cost.per_seat_per_month
            price_now = per_seat * float(self.price[month])
            seats = min(wanted, budget / price_now) if price_now > 0 else wanted
            self.running_cost[month] = seats * per_seat  # the finance grows it to price_now
        else:
            fixed = float(cost.fixed_per_month)  # type: ignore[arg-type]
            funded = min(1.0, budget / fixed) if fixed > 0 else 1.0
            seats = wanted * funded
            self.running_cost[month] = fixed * funded if month >= self.start_month else 0.0
        self.seats[month] = seats
        self.adoption[month] = seats / covered_staff if covered_staff > 0 else 0.0

    def result(self) -> ProgramPath:
        return ProgramPath(
            self.program.name,
            self.target,
            self.seats,
            self.adoption,
            self.budget,
            self.running_cost,
            self.one_time,
        )


def _covered(program: DrawnProgram, names: list[str]) -> np.ndarray:
    return np.array([program.units is None or n in program.units for n in names])


def _budget(
    funding: DrawnFunding | DrawnFundingPool | None, savings: np.ndarray, month: int
) -> float:
    """Money for this month's running costs (inf: unconstrained)."""
    if funding is None:
        return np.inf
    if funding.budget_per_month is not None:
        return funding.budget_per_month
    # savings are realised at month end, so they fund next month's seats
    realised = max(savings[month - 1], 0.0) if month > 0 else 0.0
    return float(funding.reinvest_share) * realised  # type: ignore[arg-type]


def _role(role: DrawnNewRole, scenario: DrawnScenario, calendar: Calendar) -> RolePath:
    months = np.arange(calendar.months)
    start = calendar.month_of(role.start)
    ramp = max(role.ramp_months, 1.0)
    headcount = np.round(role.count * np.clip((months - start + 1) / ramp, 0, 1))
    hires = np.diff(headcount, prepend=0.0)
    cost_per_hire = (
        role.cost_per_hire
        if role.cost_per_hire is not None
        else scenario.org.backfill.cost_per_hire
    )
    # pay accrues by the day: a 31-day month of the role costs more than a 28-day one
    payroll = headcount * role.cost_per_head_annual * calendar.month_pay
    return RolePath(role.name, headcount, hires, payroll, hires * cost_per_hire)
