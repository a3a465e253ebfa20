"""The scenario's ``ai``: programmes (costs, adoption, effects, funding) and new roles."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictFloat, StrictInt, model_validator

from sim.scenario.quantities import Count, Date, Fraction, Money, NonNegative, Positive, Quantity
from sim.scenario.schema.base import PAY_GROWTH, UPLIFT, Model, Name, Names


class RunningCost(Model):
    per_seat_per_month: Money | None = Field(None, description="Licence cost per seat")
    fixed_per_month: Money | None = Field(None, description="Or: a fixed monthly cost")
    price_growth_annual: Annotated[Quantity, PAY_GROWTH] = Field(
        0.0,
        description=(
            "Annual change of the per-seat price from the valuation date (0: flat); "
            "only for a per-seat programme; a budget buys fewer seats as the price grows"
        ),
    )

    @model_validator(mode="after")
    def _one(self) -> RunningCost:
        if (self.per_seat_per_month is None) == (self.fixed_per_month is None):
            raise ValueError("give either per_seat_per_month or fixed_per_month")
        return self


class Adoption(Model):
    """Logistic S-curve: ceiling / (1 + exp(-steepness * (months since start - midpoint)))."""

    ceiling: Fraction = Field(description="Share of staff using it in the long run")
    midpoint_months: NonNegative = Field(
        6.0, description="Months after the start when adoption reaches half the ceiling"
    )
    steepness: Positive = Field(0.6, description="Slope of the S-curve, per month")


class Effects(Model):
    ic_productivity_uplift: Annotated[Quantity, UPLIFT] = Field(
        0.0,
        description=(
            "Fall in IC effort per item for adopters (0.15 = 15% less effort); negative "
            "where AI slows the work (METR 2025: experienced open-source developers took "
            "19% longer, -0.19), down to -0.5"
        ),
    )
    automation_share: Fraction = Field(
        0.0, description="Share of adopters' items done end to end by AI (a light review)"
    )
    review_time_reduction: Fraction = Field(
        0.0, description="Fall in manager review time for adopters"
    )


class SeatMoney(Model):
    """Money for seats: a fixed budget, or a share of the savings (give one)."""

    budget_per_month: Money | None = Field(None, description="Fixed monthly budget for seats")
    reinvest_share: Fraction | None = Field(
        None,
        description=(
            "Or: the most of last month's realised savings spent on seats (a ceiling: "
            "seats follow the S-curve up to it)"
        ),
    )


class FundingPool(SeatMoney):
    """Money several programmes share (``ai.funding_pools``), split between the programmes
    that draw on it by the seats each asks for."""

    name: Name = Field(description="The pool's name, which a programme's funding.pool gives")

    @model_validator(mode="after")
    def _one(self) -> FundingPool:
        if (self.budget_per_month is None) == (self.reinvest_share is None):
            raise ValueError("give either budget_per_month or reinvest_share")
        return self


class Funding(SeatMoney):
    pool: Name | None = Field(
        None, description="Or: the ai.funding_pools entry whose money it shares"
    )

    @model_validator(mode="after")
    def _one(self) -> Funding:
        given = [self.budget_per_month, self.reinvest_share, self.pool]
        if sum(v is not None for v in given) != 1:
            raise ValueError("give one of budget_per_month, reinvest_share or pool")
        return self


class Program(Model):
    name: Name = Field(description="Programme name")
    start: Date = Field(description="When seats start to roll out")
    units: Names | None = Field(None, description="Units covered; default: all")
    one_time_cost: Money = Field(0.0, description="Build, integration, training")
    running_cost: RunningCost = Field(description="Monthly running cost")
    adoption: Adoption = Field(description="Adoption S-curve")
    effects: Effects = Field(default_factory=Effects, description="Effects on adopters")
    funding: Funding | None = Field(None, description="How seats are paid for; default: fully")


class NewRole(Model):
    name: Name = Field(description="e.g. 'AI engineering'")
    count: Count = Field(description="People hired in all")
    cost_per_head_annual: Money = Field(description="Fully loaded annual cost per head")
    start: Date = Field(description="When hiring starts")
    ramp_months: NonNegative = Field(6.0, description="Months to hire them all, evenly")
    cost_per_hire: Money | None = Field(None, description="Default: org.backfill.cost_per_hire")


class SocExposure(Model):
    """How a SOC code's AI applicability score becomes a role's exposure (``exposure: soc``):
    ``exposure = min(score / reference_score, max_exposure)``. An assumption, stated
    here so a scenario can change it: the score says where AI may be applicable
    (Tomlinson et al. 2025), not how much work it removes, nor which jobs it replaces."""

    reference_score: Annotated[StrictInt | StrictFloat, Field(gt=0, le=1)] = Field(
        0.17,
        description=(
            "Score at which a role gets a programme's effects as written (0.17: about the "
            "mean over the 785 scored occupations)"
        ),
    )
    max_exposure: Annotated[StrictInt | StrictFloat, Field(ge=0, le=5)] = Field(
        2.0, description="Most exposure a score gives (illustrative)"
    )


class AI(Model):
    programs: tuple[Program, ...] = Field((), description="AI programmes")
    funding_pools: tuple[FundingPool, ...] = Field(
        (), description="Money several programmes share (their funding.pool)"
    )
    new_roles: tuple[NewRole, ...] = Field((), description="New roles hired")
    soc_exposure: SocExposure = Field(
        default_factory=SocExposure,
        description="Mapping from a SOC code's AI applicability score to a role's exposure",
    )

    def spending(self, program: Program) -> Funding | FundingPool | None:
        """What sets the programme's money for seats: its pool where it names one, else its
        own funding (None: fully funded)."""
        funding = program.funding
        if funding is None or funding.pool is None:
            return funding
        return next(p for p in self.funding_pools if p.name == funding.pool)

    def pool_members(self, pool: str) -> tuple[Program, ...]:
        """The programmes that draw on a pool, in the file's order."""
        return tuple(p for p in self.programs if p.funding is not None and p.funding.pool == pool)
