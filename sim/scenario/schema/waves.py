"""The scenario's ``restructuring``: layoff waves, notice and severance, and survivors'
reactions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.quantities import Count, Date, Fraction, Money, NonNegative, Q, Quantity
from sim.scenario.schema.base import WARN_NOTICE_WEEKS, Label, Model, Name, Names


class Severance(Model):
    """Either a flat ``weeks_of_pay``, or ``base_weeks`` + ``weeks_per_year`` of tenure."""

    weeks_of_pay: NonNegative | None = Field(None, description="Flat weeks of pay")
    base_weeks: NonNegative | None = Field(None, description="Weeks of pay for everyone")
    weeks_per_year: NonNegative | None = Field(
        None, description="Extra weeks per year of tenure (US norm: 1; executives 2)"
    )
    average_tenure_years: NonNegative | None = Field(
        None, description="Average tenure of the people cut, in years"
    )
    cap_weeks: NonNegative = Field(
        26.0, description="Most weeks any one person gets (US survey median cap: 26)"
    )

    @model_validator(mode="after")
    def _one_form(self) -> Severance:
        tenure_form = (self.base_weeks, self.weeks_per_year, self.average_tenure_years)
        if self.weeks_of_pay is not None:
            if any(v is not None for v in tenure_form):
                raise ValueError(
                    "give weeks_of_pay, or base_weeks + weeks_per_year + average_tenure_years, "
                    "not both"
                )
        elif any(v is None for v in tenure_form):
            raise ValueError(
                "give weeks_of_pay, or all of base_weeks, weeks_per_year, average_tenure_years"
            )
        return self


class Cut(Model):
    unit: Name = Field(description="Unit name")
    layer: Name = Field(description="Layer name in that unit")
    count: Count | None = Field(None, description="People cut")
    share: Fraction | None = Field(None, description="Or: share of the layer cut")
    role: Name | None = Field(
        None,
        description="IC layer of a unit with roles: cut this role only; default: every role "
        "in proportion",
    )

    @model_validator(mode="after")
    def _count_or_share(self) -> Cut:
        if (self.count is None) == (self.share is None):
            raise ValueError("give either count or share")
        return self


class RemoveLayer(Model):
    """Remove a management layer: its reports re-parent to the layer above."""

    unit: Name = Field(description="Unit name")
    layer: Name = Field(description="Layer removed (not the ICs)")
    moved_down_share: Fraction = Field(
        0.0, description="Share of its managers moved down a layer; the rest are cut"
    )
    signoffs_go: Literal["down", "up"] = Field(
        "down",
        description=(
            "Who signs what the removed layer signed: 'down' pushes the decision to the "
            "layer below (the aim of delayering), 'up' sends it to the layer above"
        ),
    )
    pay_protection_months: NonNegative | None = Field(
        None,
        description=(
            "Months the managers moved down keep their old cost; "
            "default: restructuring.pay_protection_months"
        ),
    )


class Redeployment(Model):
    """People a wave notifies who find an internal role during their notice: they fill
    open requisitions of roles that are hiring (never more than are open), keep their
    pay, are retrained and ramp up, and are neither severed nor hired from outside."""

    share: Fraction = Field(
        description="Share of the people notified who look for, and can take, an internal role"
    )
    scope: Literal["unit", "any"] = Field(
        "unit",
        description="Requisitions they may fill: their own unit's ('unit') or any unit's ('any')",
    )
    into_roles: Names | None = Field(
        None,
        description="Roles they may fill (names of units' roles); default: any IC role but "
        "their own",
    )
    retraining_cost_per_person: Money = Field(
        0.0, description="One-time cost of retraining each person redeployed (illustrative)"
    )
    ramp_months: NonNegative = Field(
        3.0, description="Months a redeployed person works below full productivity"
    )
    ramp_productivity: Fraction = Field(
        0.5, description="Their productivity during the ramp, against a trained IC's"
    )


class Reskilling(Model):
    """A programme that retrains people of a shrinking role for a growing one, over time."""

    name: Label = Field("", description="Label used in tables")
    unit: Name = Field(description="Unit whose roles it moves people between")
    from_role: Name = Field(description="The role people leave (a shrinking one)")
    to_role: Name = Field(description="The role they join (a growing one)")
    start: Date = Field(description="When the first cohort starts")
    end: Date | None = Field(None, description="When the last cohort starts; default: the horizon")
    people_per_month: Count = Field(description="People put through the programme a month")
    cost_per_person: Money = Field(0.0, description="Cost of training each person (illustrative)")
    success_share: Fraction = Field(
        0.7, description="Share of the trained who move to the new role; the rest stay"
    )


class Wave(Model):
    name: Label = Field("", description="Label used in tables and charts")
    date: Date = Field(description="Day the wave is announced (notice starts)")
    cuts: tuple[Cut, ...] = Field((), description="People cut by unit and layer")
    remove_layers: tuple[RemoveLayer, ...] = Field((), description="Layers removed")
    notice_weeks: NonNegative | None = Field(
        None, description="Weeks on full pay after notice; default: restructuring.notice_weeks"
    )
    severance: Severance | None = Field(None, description="Default: restructuring.severance")
    one_time_costs: Money = Field(0.0, description="Legal, outplacement, real estate, ...")
    redeployment: Redeployment | None = Field(
        None, description="A share of the people notified find an internal role during notice"
    )


class SurvivorEffects(Model):
    productivity_dip: Fraction = Field(
        0.0, description="Fall in IC productivity after a wave (default 0; 0.05-0.15 plausible)"
    )
    dip_months: NonNegative = Field(0.0, description="Months the dip lasts (fades linearly)")
    attrition_multiplier: Annotated[Quantity, Q(ge=1, le=5)] = Field(
        1.0, description="Attrition x this after a wave (Trevor & Nyberg 2008; ~1.3)"
    )
    attrition_months: NonNegative = Field(0.0, description="Months the extra attrition lasts")


class Restructuring(Model):
    notice_weeks: NonNegative = Field(
        WARN_NOTICE_WEEKS, description="Weeks on full pay after notice (US WARN Act: 60 days)"
    )
    severance: Severance = Field(
        default_factory=lambda: Severance(
            base_weeks=2.0, weeks_per_year=1.0, average_tenure_years=4.0
        ),
        description="Severance pay (US norm: 1 week per year of service, min 2, cap 26)",
    )
    backfill_share: Fraction | None = Field(
        None,
        description=(
            "Share of leavers replaced under the plan, from the start (e.g. 0: leavers are not "
            "replaced); default: org.backfill.share, as in the baseline"
        ),
    )
    pay_protection_months: NonNegative = Field(
        0.0,
        description=(
            "Months managers moved down a layer keep their old cost before taking the new "
            "layer's (0: the new layer's from the move; pay protection is a policy choice)"
        ),
    )
    waves: tuple[Wave, ...] = Field((), description="Layoff waves, in any order")
    reskilling: tuple[Reskilling, ...] = Field(
        (), description="Programmes moving people from a shrinking role to a growing one"
    )
    survivor_effects: SurvivorEffects = Field(default_factory=SurvivorEffects)
