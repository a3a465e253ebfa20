"""The scenario's ``org``: its units, their layers (or pyramids) and roles, attrition,
backfill, hiring freezes and targets.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictFloat, StrictInt, StrictStr, model_validator

from sim.scenario.quantities import (
    MAX_NUMBER,
    MAX_PEOPLE,
    Count,
    Date,
    Fraction,
    Money,
    NonNegative,
    Q,
    Quantity,
)
from sim.scenario.schema.base import PAY_GROWTH, Model, Name, Names, nominal
from sim.scenario.schema.roster import RosterSource
from sim.scenario.schema.staffing import Staffing


class Layer(Model):
    name: Name = Field(description="Layer name, e.g. 'Director'; the last layer is the ICs")
    headcount: Count = Field(description="People in this layer at the start")
    cost_per_head_annual: Money = Field(
        description="Fully loaded annual cost per head (salary, benefits, taxes, space)"
    )
    review_share: Fraction = Field(
        0.3, description="Share of a manager's time on reviews/sign-offs (ignored for ICs)"
    )
    attrition_annual: Fraction | None = Field(
        None, description="Annual voluntary attrition; default: the unit's, else the org's"
    )


class Pyramid(Model):
    """A unit given by its size and shape; the layers are derived."""

    headcount: Count = Field(description="Total headcount of the unit")
    span: Annotated[
        Quantity, Q(gt=1, le=MAX_PEOPLE, why="the most people the model takes in one place")
    ] = Field(description="Reports per manager")
    layers: StrictInt = Field(ge=2, le=15, description="Layers including the ICs")
    ic_cost_per_head_annual: Money = Field(description="Fully loaded annual cost of an IC")
    cost_multiplier_per_layer: Annotated[
        Quantity, Q(ge=1, le=MAX_NUMBER, why="the largest number the model computes with")
    ] = Field(1.35, description="Cost of a layer / cost of the layer below (illustrative)")
    review_share: Fraction = Field(0.3, description="Managers' share of time on reviews")
    names: Names | None = Field(None, description="Layer names, top to bottom")

    @model_validator(mode="after")
    def _names_match_layers(self) -> Pyramid:
        if self.names is not None and len(self.names) != self.layers:
            raise ValueError(f"names lists {len(self.names)} layers but layers is {self.layers}")
        top_cost = nominal(self.ic_cost_per_head_annual) * nominal(
            self.cost_multiplier_per_layer
        ) ** (self.layers - 1)
        if top_cost > MAX_NUMBER:
            raise ValueError(
                f"the top layer would cost {top_cost:.3g} a head (IC cost x multiplier^"
                f"{self.layers - 1}); at most {MAX_NUMBER:g}, the largest number the model "
                "computes with"
            )
        if self._counts()[0] < 1:
            raise ValueError(
                f"a pyramid of {self.layers} layers with span {nominal(self.span):g} needs more "
                f"than {nominal(self.headcount):,.0f} people (every layer needs at least one)"
            )
        return self

    def _counts(self) -> list[int]:
        """Headcount per level, ICs first: each layer 1/span of the one below; the ICs
        absorb the rounding so that the total is exact."""
        total, span = nominal(self.headcount), nominal(self.span)
        weights = [span**-level for level in range(self.layers)]
        counts = [max(1, round(total * w / sum(weights))) for w in weights[1:]]
        return [int(total) - sum(counts), *counts]

    def derive(self) -> tuple[Layer, ...]:
        """Layers top to bottom, derived from the shape."""
        default_names = ["IC", *[f"M{level}" for level in range(1, self.layers)]][::-1]
        names = self.names or tuple(default_names)
        layers = [
            Layer(
                name=name,
                headcount=float(count),
                cost_per_head_annual=nominal(self.ic_cost_per_head_annual)
                * nominal(self.cost_multiplier_per_layer) ** level,
                review_share=self.review_share,
            )
            for level, (name, count) in enumerate(zip(names[::-1], self._counts(), strict=True))
        ]
        return tuple(layers[::-1])


#: a detailed SOC 2018 occupation code, e.g. '43-9021' (Data Entry Keyers)
SocCode = Annotated[StrictStr, Field(pattern=r"^\d{2}-\d{4}$")]
RoleShare = Annotated[StrictInt | StrictFloat, Field(ge=0, le=1)]


class RoleDriver(Model):
    """People a role needs on top of its work, growing with AI: staffed by the same policy
    (capacity), as planners see the driver after their recognition lag."""

    per_program: NonNegative = Field(
        0.0, description="People per AI programme running in the unit (e.g. AI engineering)"
    )
    per_1000_seats: NonNegative = Field(
        0.0, description="People per 1,000 AI seats in the unit (e.g. AI governance)"
    )
    per_1000_automated_items_per_week: NonNegative = Field(
        0.0,
        description="People per 1,000 work items a week that AI automation handles end to "
        "end in the unit, at the demand planners staff for (e.g. data roles)",
    )


class Role(Model):
    """A job family among a unit's ICs: its own people, cost, work and AI exposure."""

    name: Name = Field(description="Role name, e.g. 'Data processing'")
    share: RoleShare = Field(description="Share of the unit's ICs in this role at the start")
    work_share: RoleShare | None = Field(
        None,
        description="Share of the unit's IC effort hours this role does; default: its share",
    )
    cost_per_head_annual: Money | None = Field(
        None, description="Fully loaded annual cost per head; default: the IC layer's"
    )
    soc: SocCode | None = Field(
        None, description="Occupation code (SOC 2018), e.g. '43-9021' (Data Entry Keyers)"
    )
    attrition_annual: Fraction | None = Field(
        None, description="Annual attrition; default: the IC layer's, else the unit's, the org's"
    )
    driver: RoleDriver | None = Field(
        None,
        description="capacity: people the role needs per AI programme or per 1,000 seats, on "
        "top of its share of the work",
    )
    exposure: Annotated[Quantity, Q(ge=0, le=5)] | Literal["soc"] = Field(
        1.0,
        description=(
            "How far AI programmes' IC effects reach this role (1: as the programme gives "
            "them, 0: not at all); 'soc': from its SOC code's AI applicability score through "
            "ai.soc_exposure (applicability is not replacement)"
        ),
    )


class Unit(Model):
    name: Name = Field(description="Business unit, e.g. 'Retail'")
    layers: tuple[Layer, ...] | None = Field(
        None, min_length=2, description="Layers top to bottom; the last is the ICs"
    )
    pyramid: Pyramid | None = Field(None, description="Or: derive the layers from a shape")
    attrition_annual: Fraction | None = Field(
        None, description="Annual attrition for every layer of the unit; default: the org's"
    )
    staffing: Staffing | None = Field(
        None, description="Overrides org.staffing for this unit: the fields given here win"
    )
    pay_growth_annual: Annotated[Quantity, PAY_GROWTH] | None = Field(
        None, description="Annual growth of this unit's pay; default: org.pay_growth_annual"
    )
    roles: tuple[Role, ...] | None = Field(
        None,
        min_length=1,
        description="The ICs' job families (shares sum to 1); default: one kind of IC",
    )

    @model_validator(mode="after")
    def _layers_or_pyramid(self) -> Unit:
        if (self.layers is None) == (self.pyramid is None):
            raise ValueError("give either 'layers' (a list, top to bottom) or 'pyramid', not both")
        return self

    @property
    def resolved_layers(self) -> tuple[Layer, ...]:
        """The layers, top to bottom, derived from the pyramid where one is given."""
        return self.layers if self.layers is not None else self.pyramid.derive()  # type: ignore[union-attr]


class Backfill(Model):
    share: Fraction = Field(0.9, description="Share of leavers replaced (illustrative)")
    lag_weeks: NonNegative = Field(
        10.0, description="Weeks from a leaver going to the hire starting (illustrative)"
    )
    cost_per_hire: Money = Field(15_000.0, description="Recruiting cost per hire (illustrative)")


class HiringFreeze(Model):
    start: Date = Field(description="First day of the freeze")
    end: Date = Field(description="Last day of the freeze")
    units: Names | None = Field(None, description="Units frozen; default: all")


class Targets(Model):
    """What the spans-and-layers diagnosis and the plausibility warnings compare with."""

    span_min: StrictInt = Field(
        8, ge=1, description="Fewest direct reports a manager should have (surveys: 8 to 12)"
    )
    span_max: StrictInt = Field(12, ge=1, description="Most direct reports a manager should have")
    max_layers: StrictInt = Field(
        8, ge=2, le=30, description="Most layers a unit should have, ICs included (Bain: 11 -> 8)"
    )
    min_cost_per_head_annual: StrictInt | StrictFloat = Field(
        20_000,
        ge=0,
        description=(
            "A fully loaded annual cost below this is more likely a month's pay (illustrative, "
            "in meta.currency: a US full-time minimum wage is about 15,000 a year)"
        ),
    )

    @model_validator(mode="after")
    def _span_range(self) -> Targets:
        if self.span_max < self.span_min:
            raise ValueError(f"span_max ({self.span_max}) is below span_min ({self.span_min})")
        return self


class Org(Model):
    units: tuple[Unit, ...] = Field(
        (), description="Business units; derived from the roster when one is given"
    )
    roster: RosterSource | None = Field(
        None,
        description=(
            "Or also: an HR export (employee and manager ids) to derive units from, after "
            "the typed-in ones"
        ),
    )
    targets: Targets = Field(
        default_factory=Targets, description="Span and layer targets, and plausibility limits"
    )
    attrition_annual: Fraction = Field(
        0.12, description="Annual voluntary attrition (illustrative; corporate staff ~10-15%)"
    )
    backfill: Backfill = Field(default_factory=Backfill, description="Replacing leavers")
    hiring_freezes: tuple[HiringFreeze, ...] = Field(
        (),
        description=(
            "Windows with no new requisitions; part of the plan, so the baseline has none "
            "(capacity: the gap is caught up after)"
        ),
    )
    staffing: Staffing = Field(
        default_factory=Staffing, description="How people come back: the staffing policy"
    )
    # 0 keeps pay flat, as before pay growth existed; salary-budget surveys put US
    # merit rises near 3.5-4% a year in 2024-25 (illustrative: check your own)
    pay_growth_annual: Annotated[Quantity, PAY_GROWTH] = Field(
        0.0,
        description=(
            "Annual growth of pay (payroll, notice pay, severance, new roles), compounded "
            "monthly from the valuation date; the scenario and its twin alike"
        ),
    )

    @model_validator(mode="after")
    def _some_units(self) -> Org:
        if not self.units:
            raise ValueError(
                "give 'units' (a list, each with its layers) or 'roster' (an HR export)"
            )
        return self
