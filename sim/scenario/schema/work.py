"""The scenario's ``work``: how work arrives at the units and flows up for sign-off."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.quantities import (
    MAX_ARRIVALS_PER_IC_WEEK,
    Fraction,
    PerItemHours,
    Positive,
    Q,
    Quantity,
)
from sim.scenario.schema.base import Model, Names


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
    automated_review_share: Fraction = Field(
        0.25,
        description=(
            "An automated item's light review as a share of a normal review's time, taken "
            "by the lowest existing manager level with no hand-off delay; only an item that "
            "needed sign-off gets one (0: none; illustrative)"
        ),
    )
