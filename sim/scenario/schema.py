"""The scenario format: what a finance team writes, as frozen pydantic models.

Each field's description is the documentation an editor shows (``restructure
schema`` prints the JSON Schema); ``docs/scenario-format.md`` is the long form.
Defaults name their source: a published figure, or "illustrative".
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from sim.scenario import months
from sim.scenario.distributions import Distribution
from sim.scenario.quantities import (
    MAX_ARRIVALS_PER_IC_WEEK,
    MAX_NUMBER,
    MAX_PEOPLE,
    Count,
    Date,
    Fraction,
    Money,
    NonNegative,
    PerItemHours,
    Positive,
    Q,
    Quantity,
)

Name = Annotated[StrictStr, Field(min_length=1, max_length=80)]
Names = tuple[Name, ...]

#: US WARN Act: 60 days' notice for mass layoffs, in weeks
WARN_NOTICE_WEEKS = 60 / 7
#: annual pay growth a scenario may give: a pay cut of 20% to a rise of 50% a year
PAY_GROWTH = Q(ge=-0.2, le=0.5, fraction=True)
#: below this, a run samples too few items for its throughput and cycle time to mean much
MIN_FIDELITY_ITEMS = 1000
#: past this a replication simulates for many minutes (about 5 us a station visit, a few
#: visits an item, twice: the scenario and its twin) and holds its items in memory
MAX_FIDELITY_ITEMS = 10_000_000
#: the last month a run may start: its lead-in and horizon must end within year 9999,
#: the last year a date can have
LAST_START = dt.date(9969, 12, 1)
#: the most months a run may simulate before its valuation month (see sim.scenario.timeline)
MAX_LEAD_IN_MONTHS = 120


def nominal(value: float | Distribution) -> float:
    """A point value: the number itself, or a distribution's mean (for checks and
    estimates made before anything is drawn; the model reads drawn scenarios,
    :mod:`sim.scenario.drawn`)."""
    return value.mean if isinstance(value, Distribution) else value


class Model(BaseModel):
    """Every part of a scenario: immutable, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- meta


class Meta(Model):
    name: Annotated[StrictStr, Field(min_length=1, max_length=80, pattern=r"^\w[\w .-]*$")] = Field(
        description=(
            "Short name; the default output folder is runs/<name>/, so letters, digits, "
            "spaces, '.', '_' and '-' only"
        )
    )
    description: StrictStr = Field("", description="What the scenario is and where it comes from")
    start: Date = Field(description="First simulated month, YYYY-MM")
    horizon_months: StrictInt = Field(
        36,
        ge=1,
        le=240,
        description=(
            "Months simulated from the valuation month (the plan's first action unless "
            "finance.valuation_date is given) on; the months from start to it are simulated "
            "too, as lead-in"
        ),
    )
    currency: StrictStr = Field("USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code")
    discount_rate_annual: Annotated[Quantity, Q(ge=0, le=1, fraction=True)] = Field(
        0.08, description="Annual discount rate for NPV, compounded monthly (illustrative 8%)"
    )
    seed: StrictInt = Field(1, ge=0, description="Root seed: same seed, same results")
    replications: StrictInt = Field(20, ge=1, le=100_000, description="Monte Carlo replications")
    fidelity_items: StrictInt | Literal["full"] = Field(
        50_000,
        description=(
            "Work items simulated per run (scenario, and again for its baseline twin), "
            "through a representative sample of teams; 'full' simulates every item. "
            "Higher is slower with a smaller sampling error"
        ),
    )

    @field_validator("fidelity_items")
    @classmethod
    def _fidelity_floor(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < MIN_FIDELITY_ITEMS:
            raise ValueError(f"must be >= {MIN_FIDELITY_ITEMS} or 'full', got {value}")
        if isinstance(value, int) and value > MAX_FIDELITY_ITEMS:
            raise ValueError(
                f"must be <= {MAX_FIDELITY_ITEMS:,} or 'full', got {value:,} (past it a "
                "replication takes many minutes; the sampling error is already small)"
            )
        return value

    @field_validator("start")
    @classmethod
    def _start_in_range(cls, value: dt.date) -> dt.date:
        if value > LAST_START:
            raise ValueError(
                f"must be {LAST_START:%Y-%m} or earlier, got {value:%Y-%m} (a lead-in of up "
                f"to {MAX_LEAD_IN_MONTHS} months and a horizon of up to 240 must end within "
                "year 9999, the last year a date can have)"
            )
        return value

    def month_index(self, date: dt.date) -> int:
        """Months from the start month to ``date``'s month (0 = the start month)."""
        return months.index_from(self.start, date)


# ---------------------------------------------------------------------------- org


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


class Staffing(Model):
    """How a unit's planners decide whom to hire: the policy and its settings.

    ``replace_leavers`` replaces a share of leavers after the hiring lag, whatever
    the work needs. ``capacity`` is how workforce planners work: each month they
    compute the people the expected workload needs and hire the gap, or let a
    surplus go by attrition.
    """

    policy: Literal["replace_leavers", "capacity"] = Field(
        "replace_leavers",
        description=(
            "'replace_leavers': a share of leavers replaced after the lag (org.backfill); "
            "'capacity': hire to the ICs the expected workload needs and managers to target spans"
        ),
    )
    target_utilisation: Annotated[Quantity, Q(gt=0, le=1, fraction=True)] | Literal["start"] = (
        Field(
            "start",
            description=(
                "capacity: IC utilisation planners staff to; 'start' = the starting "
                "organisation's, so the status quo is exactly at need"
            ),
        )
    )
    realisation_share: Fraction = Field(
        0.4,
        description=(
            "capacity: share of the IC capacity AI frees that planners turn into fewer hires "
            "(published programmes: a third to a half; illustrative 0.4)"
        ),
    )
    recognition_lag_months: NonNegative = Field(
        3.0, description="capacity: months before planners see AI's effect (illustrative)"
    )
    span_creep_annual: Fraction = Field(
        0.0,
        description=(
            "capacity: share a year by which managers' spans drift back toward their value "
            "before the waves (manager creep; 0 = the new spans hold)"
        ),
    )


#: a detailed SOC 2018 occupation code, e.g. '43-9021' (Data Entry Keyers)
SocCode = Annotated[StrictStr, Field(pattern=r"^\d{2}-\d{4}$")]
RoleShare = Annotated[StrictInt | StrictFloat, Field(ge=0, le=1)]


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


class RosterColumns(Model):
    """The roster's header for each field, where it is not the field's own name."""

    employee_id: Name | None = Field(None, description="Column of employee ids")
    manager_id: Name | None = Field(None, description="Column of manager ids (empty for the top)")
    unit: Name | None = Field(None, description="Column of business units")
    annual_cost: Name | None = Field(None, description="Column of fully loaded annual costs")
    salary: Name | None = Field(
        None, description="Or: column of salaries (needs on_cost_multiplier)"
    )
    layer: Name | None = Field(
        None, description="Column of layer or grade labels, used to name the layers"
    )


class RosterSource(Model):
    """An HR export the organisation is derived from, instead of typed-in units."""

    path: Annotated[StrictStr, Field(min_length=1)] = Field(
        description="CSV or XLSX file, relative to the scenario file"
    )
    columns: RosterColumns = Field(
        default_factory=RosterColumns, description="Headers that differ from the field names"
    )
    on_cost_multiplier: StrictInt | StrictFloat | None = Field(
        None,
        ge=1,
        le=3,
        description="Fully loaded cost / salary, when the roster has salaries (often 1.25-1.4)",
    )
    delimiter: Literal[",", ";", "\t", "|"] = Field(",", description="CSV field delimiter")
    sheet: Name | None = Field(None, description="XLSX sheet to read; default: the first")


class Org(Model):
    units: tuple[Unit, ...] = Field(
        (), description="Business units; derived from the roster when one is given"
    )
    roster: RosterSource | None = Field(
        None, description="Or: an HR export (employee and manager ids) to derive the units from"
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


# --------------------------------------------------------------------------- work


class WorkProfile(Model):
    """How work arrives and flows in the units it names (all units if none)."""

    units: Names | None = Field(None, description="Units this profile covers; default: all")
    mode: Literal["demand", "backlog"] = Field(
        "demand",
        description=(
            "'demand': items arrive and a shortfall of capacity builds a backlog; 'backlog': "
            "there is always more to do, so work done equals capacity (knowledge work)"
        ),
    )
    arrivals_per_ic_per_week: Annotated[
        Quantity,
        Q(
            gt=0,
            le=MAX_ARRIVALS_PER_IC_WEEK,
            why="weekly arrivals are Poisson draws, which take rates below about 1e18",
        ),
    ] = Field(description="Work items arriving per IC per week at the start")
    demand_growth_annual: Annotated[Quantity, Q(ge=-0.9, le=1, fraction=True)] = Field(
        0.0, description="Annual growth of arrivals (0.05 = +5% a year)"
    )
    seasonality: tuple[Positive, ...] = Field(
        (1.0,) * 12,
        min_length=12,
        max_length=12,
        description="12 factors on arrivals, January to December (1 = average)",
    )
    effort_hours: PerItemHours = Field(
        description="IC hours of work per item, drawn per item, e.g. lognormal(6, 4)"
    )
    ic_hours_per_week: Annotated[Quantity, Q(gt=0, le=80)] = Field(
        30.0, description="IC hours a week available for work items (illustrative)"
    )
    manager_hours_per_week: Annotated[Quantity, Q(gt=0, le=80)] = Field(
        40.0, description="A manager's working hours a week; review_share of them go on reviews"
    )
    signoff_shares: tuple[Fraction, ...] = Field(
        (),
        description=(
            "Share of items needing sign-off up to 1, 2, ... management layers above the ICs "
            "(counted in the starting organisation; the last share covers the top)"
        ),
    )
    review_hours: PerItemHours = Field(
        0.5, description="Manager hours per sign-off, drawn per review"
    )
    handoff_delay_days: PerItemHours = Field(
        1.0, description="Calendar days of coordination delay per hand-off, drawn per hop"
    )


# ----------------------------------------------------------------- restructuring


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


class Wave(Model):
    name: StrictStr = Field("", description="Label used in tables and charts")
    date: Date = Field(description="Day the wave is announced (notice starts)")
    cuts: tuple[Cut, ...] = Field((), description="People cut by unit and layer")
    remove_layers: tuple[RemoveLayer, ...] = Field((), description="Layers removed")
    notice_weeks: NonNegative | None = Field(
        None, description="Weeks on full pay after notice; default: restructuring.notice_weeks"
    )
    severance: Severance | None = Field(None, description="Default: restructuring.severance")
    one_time_costs: Money = Field(0.0, description="Legal, outplacement, real estate, ...")


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
    survivor_effects: SurvivorEffects = Field(default_factory=SurvivorEffects)


# ----------------------------------------------------------------------------- ai


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
    ic_productivity_uplift: Fraction = Field(
        0.0, description="Fall in IC effort per item for adopters (0.15 = 15% less effort)"
    )
    automation_share: Fraction = Field(
        0.0, description="Share of adopters' items done end to end by AI (a light review)"
    )
    review_time_reduction: Fraction = Field(
        0.0, description="Fall in manager review time for adopters"
    )


class Funding(Model):
    budget_per_month: Money | None = Field(None, description="Fixed monthly budget for seats")
    reinvest_share: Fraction | None = Field(
        None, description="Or: share of realised monthly savings spent on seats"
    )

    @model_validator(mode="after")
    def _one(self) -> Funding:
        if (self.budget_per_month is None) == (self.reinvest_share is None):
            raise ValueError("give either budget_per_month or reinvest_share")
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
    new_roles: tuple[NewRole, ...] = Field((), description="New roles hired")
    soc_exposure: SocExposure = Field(
        default_factory=SocExposure,
        description="Mapping from a SOC code's AI applicability score to a role's exposure",
    )


class TerminalValue(Model):
    """The run-rate net benefit at the horizon, continued past it and valued at the
    valuation date: reported beside the horizon NPV, never inside it."""

    years: Annotated[StrictInt, Field(ge=1, le=100)] | Literal["perpetuity"] = Field(
        description="Years the run rate continues after the horizon, or 'perpetuity'"
    )
    growth_annual: Annotated[Quantity, Q(ge=-0.5, le=0.5, fraction=True)] = Field(
        0.0,
        description="Annual growth of that net benefit (a perpetuity needs it below the "
        "discount rate)",
    )


class Finance(Model):
    value_per_item: Money | None = Field(
        None, description="Value of one completed work item; prices a throughput change"
    )
    valuation_date: Date | None = Field(
        None,
        description=(
            "Date money is valued at and months are counted from (its month is month 1); "
            "default: the first wave or first AI spend, whichever is earlier"
        ),
    )
    terminal_value: TerminalValue | None = Field(
        None, description="Value past the horizon, beside the NPV; default: none"
    )
    # 1 = calendar years; many companies start theirs in February, April, July or October
    fiscal_year_start_month: StrictInt = Field(
        1, ge=1, le=12, description="First month of the fiscal year (1 = January)"
    )


RankCorrelation = Annotated[float, Field(ge=-1, le=1, strict=True)]


class Correlation(Model):
    """Uncertain inputs that move together, by the rank correlation of their draws."""

    inputs: tuple[StrictStr, ...] = Field(
        min_length=2,
        description=(
            "Field paths of uncertain inputs (each a distribution in this file), "
            "e.g. ai.programs[0].adoption.ceiling"
        ),
    )
    matrix: tuple[tuple[RankCorrelation, ...], ...] = Field(
        description=(
            "Rank (Spearman) correlations, a row and a column per input in the order of "
            "inputs: symmetric, 1 on the diagonal, positive semidefinite"
        )
    )

    @model_validator(mode="after")
    def _square(self) -> Correlation:
        size = len(self.inputs)
        if len(self.matrix) != size or any(len(row) != size for row in self.matrix):
            shape = f"{len(self.matrix)} rows of {sorted({len(r) for r in self.matrix})} entries"
            raise ValueError(f"matrix must be {size} x {size}, one row per input; got {shape}")
        return self

    def without(self, path: str) -> Correlation | None:
        """The group without one input (fixed to a number); None if fewer than two remain."""
        keep = [i for i, name in enumerate(self.inputs) if name != path]
        if len(keep) < 2:
            return None
        return Correlation(
            inputs=tuple(self.inputs[i] for i in keep),
            matrix=tuple(tuple(self.matrix[i][j] for j in keep) for i in keep),
        )


class Scenario(Model):
    """A validated, immutable scenario."""

    meta: Meta
    org: Org
    work: tuple[WorkProfile, ...] = Field(min_length=1, description="Work profiles")
    restructuring: Restructuring = Field(default_factory=Restructuring)
    ai: AI = Field(default_factory=AI)
    finance: Finance = Field(default_factory=Finance)
    correlations: tuple[Correlation, ...] = Field(
        (),
        description=(
            "Groups of uncertain inputs that move together (a Gaussian copula keeps each "
            "input's own distribution); default: every input independent"
        ),
    )

    def unit(self, name: str) -> Unit:
        return next(u for u in self.org.units if u.name == name)

    def staffing_for(self, unit_name: str) -> Staffing:
        """The unit's staffing: the organisation's, with the unit's own fields over it."""
        own = self.unit(unit_name).staffing
        if own is None:
            return self.org.staffing
        return self.org.staffing.model_copy(
            update={name: getattr(own, name) for name in own.model_fields_set}
        )

    def work_for(self, unit_name: str) -> WorkProfile:
        """The work profile that covers a unit (validation ensures exactly one)."""
        return next(w for w in self.work if w.units is None or unit_name in w.units)
