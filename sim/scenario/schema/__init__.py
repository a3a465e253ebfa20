"""The scenario format: what a finance team writes, as frozen pydantic models.

Each field's description is the documentation an editor shows (``restructure
schema`` prints the JSON Schema); ``docs/scenario-format.md`` is the long form.
Defaults name their source: a published figure, or "illustrative".

One module a part of the file, in the order a scenario is written; every name is
importable from here (``from sim.scenario.schema import Scenario``):

- ``base``: what every part shares: names, limits, ``nominal``, the immutable ``Model``
- ``meta``: ``meta``, the run's name, dates, horizon, discount rate, seed, fidelity
- ``org``: ``org``, its units, their layers (or pyramids) and roles, attrition,
  backfill, hiring freezes and targets; with ``staffing`` (``org.staffing``, the
  staffing policy) and ``roster`` (``org.roster``, an HR export to derive it from)
- ``work``: ``work``, how work arrives and flows up for sign-off
- ``waves``: ``restructuring``, its layoff waves, notice, severance, survivors
- ``ai``: ``ai``, programmes (costs, adoption, effects, funding) and new roles
- ``finance``: ``finance``, valuation date, value of work, terminal value, fiscal year
- ``uncertainty``: ``correlations``, uncertain inputs that move together
- ``scenario``: the whole ``Scenario`` and its lookups across the parts

The drawn form of every part, with numbers where this format allows distributions,
is :mod:`sim.scenario.drawn`.
"""

from __future__ import annotations

from sim.scenario.schema.ai import (
    AI,
    Adoption,
    Effects,
    Funding,
    FundingPool,
    NewRole,
    Program,
    RunningCost,
    SocExposure,
)
from sim.scenario.schema.base import (
    LAST_START,
    MAX_FIDELITY_ITEMS,
    MAX_LEAD_IN_MONTHS,
    MIN_FIDELITY_ITEMS,
    PAY_GROWTH,
    WARN_NOTICE_WEEKS,
    Model,
    Name,
    Names,
    nominal,
)
from sim.scenario.schema.finance import Finance, TerminalValue
from sim.scenario.schema.meta import Meta
from sim.scenario.schema.org import (
    Backfill,
    HiringFreeze,
    Layer,
    Org,
    Pyramid,
    Role,
    RoleDriver,
    RoleShare,
    SocCode,
    Targets,
    Unit,
)
from sim.scenario.schema.roster import RosterColumns, RosterSource
from sim.scenario.schema.scenario import Scenario
from sim.scenario.schema.staffing import Staffing
from sim.scenario.schema.uncertainty import Correlation, RankCorrelation
from sim.scenario.schema.waves import (
    Cut,
    Redeployment,
    RemoveLayer,
    Reskilling,
    Restructuring,
    Severance,
    SurvivorEffects,
    Wave,
)
from sim.scenario.schema.work import WorkProfile

__all__ = [
    "AI",
    "LAST_START",
    "MAX_FIDELITY_ITEMS",
    "MAX_LEAD_IN_MONTHS",
    "MIN_FIDELITY_ITEMS",
    "PAY_GROWTH",
    "WARN_NOTICE_WEEKS",
    "Adoption",
    "Backfill",
    "Correlation",
    "Cut",
    "Effects",
    "Finance",
    "Funding",
    "FundingPool",
    "HiringFreeze",
    "Layer",
    "Meta",
    "Model",
    "Name",
    "Names",
    "NewRole",
    "Org",
    "Program",
    "Pyramid",
    "RankCorrelation",
    "Redeployment",
    "RemoveLayer",
    "Reskilling",
    "Restructuring",
    "Role",
    "RoleDriver",
    "RoleShare",
    "RosterColumns",
    "RosterSource",
    "RunningCost",
    "Scenario",
    "Severance",
    "SocCode",
    "SocExposure",
    "Staffing",
    "SurvivorEffects",
    "Targets",
    "TerminalValue",
    "Unit",
    "Wave",
    "WorkProfile",
    "nominal",
]
