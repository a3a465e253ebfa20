"""AI programmes and new roles, month by month.

Each programme's adoption follows its S-curve over the staff of the units it
covers; seats are bought as the funding allows (a fixed monthly budget, or a
share of last month's realised payroll savings against the baseline twin). The
effects scale with the share of staff actually holding a seat: IC effort per
item falls, a share of items is automated end to end, review time falls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.calendar import MONTHS_PER_YEAR, Calendar
from sim.scenario.schema import NewRole, Program, Scenario


@dataclass(frozen=True)
class ProgramPath:
    """One programme's monthly path."""

    name: str
    target_share: np.ndarray  # share of covered staff the S-curve asks for
    seats: np.ndarray  # seats funded
    adoption: np.ndarray  # seats / covered staff
    budget: np.ndarray  # money available for running costs (inf if unconstrained)
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


def no_ai(scenario: Scenario, calendar: Calendar) -> AIResult:
    """The baseline twin: no programmes, no new roles, no effects."""
    ones, zeros = np.ones(calendar.months), np.zeros(calendar.months)
    effects = UnitEffects(ones, zeros, ones)
    return AIResult((), tuple(effects for _ in scenario.org.units), ())


def simulate_ai(
    scenario: Scenario, calendar: Calendar, staff: np.ndarray, payroll_savings: np.ndarray
) -> AIResult:
    """Programmes, their effects and new roles.

    ``staff`` is active headcount per unit and month (units, months);
    ``payroll_savings`` is baseline minus scenario payroll per month.
    """
    names = [u.name for u in scenario.org.units]
    programs = tuple(
        _program(p, calendar, staff, names, payroll_savings) for p in scenario.ai.programs
    )
    effects = tuple(_unit_effects(scenario, programs, name, calendar) for name in names)
    roles = tuple(_role(r, scenario, calendar) for r in scenario.ai.new_roles)
    return AIResult(programs, effects, roles)


def _covered(program: Program, names: list[str]) -> np.ndarray:
    return np.array([program.units is None or n in program.units for n in names])


def _program(
    program: Program,
    calendar: Calendar,
    staff: np.ndarray,
    names: list[str],
    payroll_savings: np.ndarray,
) -> ProgramPath:
    months = np.arange(calendar.months)
    start = calendar.month_of(program.start)
    since = months - start + 0.5  # mid-month
    target = np.array(
        [
            program.adoption.share(s) if m >= start else 0.0
            for m, s in zip(months, since, strict=True)
        ]
    )
    covered_staff = staff[_covered(program, names)].sum(axis=0)
    wanted = target * covered_staff
    budget = _budget(program, payroll_savings, calendar.months)
    cost = program.running_cost
    running = months >= start
    if cost.per_seat_per_month is not None:
        per_seat = float(cost.per_seat_per_month)
        seats = np.minimum(wanted, budget / per_seat) if per_seat > 0 else wanted
        running_cost = seats * per_seat
    else:
        fixed = float(cost.fixed_per_month)  # type: ignore[arg-type]
        funded = np.minimum(1.0, budget / fixed) if fixed > 0 else np.ones(calendar.months)
        seats = wanted * funded
        running_cost = np.where(running, fixed * funded, 0.0)
    one_time = np.zeros(calendar.months)
    if 0 <= start < calendar.months:
        one_time[start] = float(program.one_time_cost)
    adoption = np.divide(seats, covered_staff, out=np.zeros_like(seats), where=covered_staff > 0)
    return ProgramPath(program.name, target, seats, adoption, budget, running_cost, one_time)


def _budget(program: Program, payroll_savings: np.ndarray, months: int) -> np.ndarray:
    funding = program.funding
    if funding is None:
        return np.full(months, np.inf)
    if funding.budget_per_month is not None:
        return np.full(months, float(funding.budget_per_month))
    # savings are realised at month end, so they fund next month's seats
    realised = np.concatenate([[0.0], np.maximum(payroll_savings[:-1], 0.0)])
    return float(funding.reinvest_share) * realised  # type: ignore[arg-type]


def _unit_effects(
    scenario: Scenario, programs: tuple[ProgramPath, ...], unit: str, calendar: Calendar
) -> UnitEffects:
    effort = np.ones(calendar.months)
    manual = np.ones(calendar.months)
    review = np.ones(calendar.months)
    for spec, path in zip(scenario.ai.programs, programs, strict=True):
        if spec.units is not None and unit not in spec.units:
            continue
        e = spec.effects
        effort *= 1 - float(e.ic_productivity_uplift) * path.adoption
        manual *= 1 - float(e.automation_share) * path.adoption
        review *= 1 - float(e.review_time_reduction) * path.adoption
    return UnitEffects(effort, 1 - manual, review)


def _role(role: NewRole, scenario: Scenario, calendar: Calendar) -> RolePath:
    months = np.arange(calendar.months)
    start = calendar.month_of(role.start)
    ramp = max(float(role.ramp_months), 1.0)
    headcount = np.round(float(role.count) * np.clip((months - start + 1) / ramp, 0, 1))
    hires = np.diff(headcount, prepend=0.0)
    cost_per_hire = float(
        role.cost_per_hire
        if role.cost_per_hire is not None
        else scenario.org.backfill.cost_per_hire
    )
    payroll = headcount * float(role.cost_per_head_annual) / MONTHS_PER_YEAR
    return RolePath(role.name, headcount, hires, payroll, hires * cost_per_hire)
