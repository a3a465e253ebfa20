"""``org.roster``: an HR export the organisation is derived from."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictFloat, StrictInt, StrictStr

from sim.scenario.schema.base import Model, Name


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
    role: Name | None = Field(
        None, description="Column of roles or job families: the ICs are counted by role"
    )
    soc: Name | None = Field(None, description="Column of occupation codes (SOC 2018)")


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
