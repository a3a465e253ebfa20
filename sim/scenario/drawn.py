"""A drawn scenario: every per-replication input a number, as the model reads it.

A :class:`~sim.scenario.schema.Scenario` may hold a distribution wherever it holds
a number. A replication draws each one once (:func:`sim.model.draws.draw`) and
hands the model a :class:`DrawnScenario`: the same scenario, each part narrowed so
that its quantities are ``float``. The model and the finance take drawn scenarios
only, so mypy refuses a call that would let them read an uncertain number, and
:func:`drawn_scenario` refuses, at run time, a scenario with a distribution left.

Only the per-item quantities (effort, review time, hand-off delay) stay
distributions: the engine draws them afresh for each work item
(:class:`~sim.scenario.quantities.PerItem`).

Each drawn part subclasses its part of the format and narrows its fields; a test
checks that every quantity and every nested part of the format is narrowed here,
so a field added to the format without its drawn form fails at once.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel

from sim.scenario.distributions import Distribution
from sim.scenario.fieldpaths import fix, path_text, uncertain_parameters
from sim.scenario.quantities import PerItem
from sim.scenario.schema import (
    AI,
    Adoption,
    Backfill,
    Cut,
    Effects,
    Finance,
    Funding,
    FundingPool,
    Layer,
    Meta,
    NewRole,
    Org,
    Program,
    Pyramid,
    Redeployment,
    RemoveLayer,
    Reskilling,
    Restructuring,
    Role,
    RoleDriver,
    RunningCost,
    Scenario,
    Severance,
    Staffing,
    SurvivorEffects,
    TerminalValue,
    Unit,
    Wave,
    WorkProfile,
)


class DrawnMeta(Meta):
    discount_rate_annual: float


class DrawnLayer(Layer):
    headcount: float
    cost_per_head_annual: float
    review_share: float
    attrition_annual: float | None


class DrawnPyramid(Pyramid):
    headcount: float
    span: float
    ic_cost_per_head_annual: float
    cost_multiplier_per_layer: float
    review_share: float

    def derive(self) -> tuple[DrawnLayer, ...]:
        return tuple(_narrowed(layer) for layer in super().derive())


class DrawnStaffing(Staffing):
    target_utilisation: float | Literal["start"]
    realisation_share: float
    recognition_lag_months: float
    span_creep_annual: float


class DrawnRoleDriver(RoleDriver):
    per_program: float
    per_1000_seats: float
    per_1000_automated_items_per_week: float


class DrawnRole(Role):
    cost_per_head_annual: float | None
    attrition_annual: float | None
    exposure: float | Literal["soc"]
    driver: DrawnRoleDriver | None


class DrawnUnit(Unit):
    layers: tuple[DrawnLayer, ...] | None
    pyramid: DrawnPyramid | None
    attrition_annual: float | None
    staffing: DrawnStaffing | None
    pay_growth_annual: float | None
    roles: tuple[DrawnRole, ...] | None

    @property
    def resolved_layers(self) -> tuple[DrawnLayer, ...]:
        return self.layers if self.layers is not None else self.pyramid.derive()  # type: ignore[union-attr]


class DrawnBackfill(Backfill):
    share: float
    lag_weeks: float
    cost_per_hire: float


class DrawnOrg(Org):
    units: tuple[DrawnUnit, ...]
    attrition_annual: float
    backfill: DrawnBackfill
    staffing: DrawnStaffing
    pay_growth_annual: float


class DrawnWorkProfile(WorkProfile):
    arrivals_per_ic_per_week: float
    demand_growth_annual: float
    seasonality: tuple[float, ...]
    effort_hours: float | PerItem
    ic_hours_per_week: float
    manager_hours_per_week: float
    signoff_shares: tuple[float, ...]
    review_hours: float | PerItem
    handoff_delay_days: float | PerItem
    automated_review_share: float


class DrawnSeverance(Severance):
    weeks_of_pay: float | None
    base_weeks: float | None
    weeks_per_year: float | None
    average_tenure_years: float | None
    cap_weeks: float

    @property
    def weeks(self) -> float:
        """Weeks of pay each person cut gets: flat, or by tenure, within the cap."""
        if self.weeks_of_pay is not None:
            weeks = self.weeks_of_pay
        else:
            weeks = self.base_weeks + self.weeks_per_year * self.average_tenure_years  # type: ignore[operator]
        return min(weeks, self.cap_weeks)


class DrawnCut(Cut):
    count: float | None
    share: float | None


class DrawnRemoveLayer(RemoveLayer):
    moved_down_share: float
    pay_protection_months: float | None


class DrawnRedeployment(Redeployment):
    share: float
    retraining_cost_per_person: float
    ramp_months: float
    ramp_productivity: float


class DrawnWave(Wave):
    cuts: tuple[DrawnCut, ...]
    remove_layers: tuple[DrawnRemoveLayer, ...]
    notice_weeks: float | None
    severance: DrawnSeverance | None
    one_time_costs: float
    redeployment: DrawnRedeployment | None


class DrawnSurvivorEffects(SurvivorEffects):
    productivity_dip: float
    dip_months: float
    attrition_multiplier: float
    attrition_months: float


class DrawnReskilling(Reskilling):
    people_per_month: float
    cost_per_person: float
    success_share: float


class DrawnRestructuring(Restructuring):
    notice_weeks: float
    severance: DrawnSeverance
    backfill_share: float | None
    pay_protection_months: float
    waves: tuple[DrawnWave, ...]
    reskilling: tuple[DrawnReskilling, ...]
    survivor_effects: DrawnSurvivorEffects


class DrawnRunningCost(RunningCost):
    per_seat_per_month: float | None
    fixed_per_month: float | None
    price_growth_annual: float


class DrawnAdoption(Adoption):
    ceiling: float
    midpoint_months: float
    steepness: float

    def share(self, months_since_start: float) -> float:
        """Adopting share of staff; zero before the programme starts."""
        if months_since_start < 0:
            return 0.0
        x = -self.steepness * (months_since_start - self.midpoint_months)
        return self.ceiling / (1 + math.exp(min(x, 700)))


class DrawnEffects(Effects):
    ic_productivity_uplift: float
    automation_share: float
    review_time_reduction: float


class DrawnFunding(Funding):
    budget_per_month: float | None
    reinvest_share: float | None


class DrawnFundingPool(FundingPool):
    budget_per_month: float | None
    reinvest_share: float | None


class DrawnProgram(Program):
    one_time_cost: float
    running_cost: DrawnRunningCost
    adoption: DrawnAdoption
    effects: DrawnEffects
    funding: DrawnFunding | None


class DrawnNewRole(NewRole):
    count: float
    cost_per_head_annual: float
    ramp_months: float
    cost_per_hire: float | None


class DrawnAI(AI):
    programs: tuple[DrawnProgram, ...]
    funding_pools: tuple[DrawnFundingPool, ...]
    new_roles: tuple[DrawnNewRole, ...]

    def spending(self, program: Program) -> DrawnFunding | DrawnFundingPool | None:
        return _narrowed(super().spending(program))


class DrawnTerminalValue(TerminalValue):
    growth_annual: float


class DrawnFinance(Finance):
    value_per_item: float | None
    terminal_value: DrawnTerminalValue | None


class DrawnScenario(Scenario):
    """A scenario whose every per-replication input is a number."""

    meta: DrawnMeta
    org: DrawnOrg
    work: tuple[DrawnWorkProfile, ...]
    restructuring: DrawnRestructuring
    ai: DrawnAI
    finance: DrawnFinance

    def unit(self, name: str) -> DrawnUnit:
        return next(u for u in self.org.units if u.name == name)

    def staffing_for(self, unit_name: str) -> DrawnStaffing:
        return _narrowed(super().staffing_for(unit_name))

    def work_for(self, unit_name: str) -> DrawnWorkProfile:
        return next(w for w in self.work if w.units is None or unit_name in w.units)


#: each part of the format -> its drawn form (parts without quantities stay as they are)
DRAWN: dict[type[BaseModel], type[BaseModel]] = {
    drawn.__bases__[0]: drawn
    for drawn in (
        DrawnMeta,
        DrawnLayer,
        DrawnPyramid,
        DrawnStaffing,
        DrawnRoleDriver,
        DrawnRole,
        DrawnUnit,
        DrawnBackfill,
        DrawnOrg,
        DrawnWorkProfile,
        DrawnSeverance,
        DrawnCut,
        DrawnRemoveLayer,
        DrawnRedeployment,
        DrawnWave,
        DrawnSurvivorEffects,
        DrawnReskilling,
        DrawnRestructuring,
        DrawnRunningCost,
        DrawnAdoption,
        DrawnEffects,
        DrawnFunding,
        DrawnFundingPool,
        DrawnProgram,
        DrawnNewRole,
        DrawnAI,
        DrawnTerminalValue,
        DrawnFinance,
        DrawnScenario,
    )
}


def drawn_scenario(scenario: Scenario) -> DrawnScenario:
    """The scenario as a :class:`DrawnScenario`; raise TypeError if an input is a
    distribution still (only per-item distributions may stay)."""
    result = _narrowed(scenario, ())
    assert isinstance(result, DrawnScenario)
    return result


def _narrowed(node: Any, path: tuple[str | int, ...] = ()) -> Any:
    if isinstance(node, PerItem):
        return node
    if isinstance(node, Distribution):
        where = path_text(path) or "a value"
        raise TypeError(f"{where} is {node}, never drawn: the model reads drawn scenarios only")
    if isinstance(node, BaseModel):
        narrow = DRAWN.get(type(node))
        if narrow is None:  # a drawn part already, or a part without quantities
            return node
        fields = type(node).model_fields
        values = {name: _narrowed(getattr(node, name), (*path, name)) for name in fields}
        return narrow.model_construct(_fields_set=node.model_fields_set, **values)
    if isinstance(node, tuple):
        return tuple(_narrowed(item, (*path, i)) for i, item in enumerate(node))
    return node


def expected(value: float | PerItem) -> float:
    """A per-item quantity's expected value: the number itself, or its mean."""
    return value.mean if isinstance(value, Distribution) else float(value)


def nominal_scenario(scenario: Scenario) -> DrawnScenario:
    """The scenario with every uncertain input at its mean: the point the figures of the
    replications' mean cash flow are valued at (validation keeps each mean in range)."""
    means = {path: dist.mean for path, dist in uncertain_parameters(scenario)}
    return drawn_scenario(fix(scenario, means))
