"""The scenario's ``finance``: valuation date, value of work, terminal value and fiscal
year.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt

from sim.scenario.quantities import Date, Money, Q, Quantity
from sim.scenario.schema.base import Model


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
    payback_target_months: StrictInt | None = Field(
        None,
        ge=1,
        le=1200,
        description=(
            "A payback target in months from the valuation month: runs report the share of "
            "replications that pay back within it; default: none"
        ),
    )
