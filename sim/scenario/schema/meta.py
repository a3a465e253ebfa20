"""The scenario's ``meta``: its name, dates, horizon, discount rate, seed and fidelity."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StrictStr, field_validator

from sim.scenario import months
from sim.scenario.quantities import Date, Q, Quantity
from sim.scenario.schema.base import (
    LAST_START,
    MAX_FIDELITY_ITEMS,
    MAX_LEAD_IN_MONTHS,
    MIN_FIDELITY_ITEMS,
    Model,
)


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
