"""``org.staffing``: how a unit's planners decide whom to hire."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.quantities import Fraction, NonNegative, Q, Quantity
from sim.scenario.schema.base import Model


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
