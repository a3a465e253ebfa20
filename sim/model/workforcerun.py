"""A workforce run to simulate: a drawn scenario under a :class:`Plan` (which parts of the
scenario's plan it applies), on a seed, with the hooks that ask for AI's effects month
by month. The baseline twin applies none of the plan, the scenario all, and the savings
bridge's steps add one cause at a time (:data:`BRIDGE_STEPS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.model.calendar import Calendar
from sim.scenario.drawn import DrawnScenario


@dataclass(frozen=True)
class Plan:
    """Which parts of the scenario's plan a workforce run applies."""

    cuts: bool = False  # the waves' cuts by count or share
    removals: bool = False  # the waves' layer removals
    freezes: bool = False  # hiring freezes, and the plan's own backfill share
    ai: bool = False  # planners count the capacity AI frees (capacity policy)
    redeploy: bool = False  # internal moves: the waves' redeployment, and reskilling

    @property
    def any_wave(self) -> bool:
        return self.cuts or self.removals


STATUS_QUO = Plan()
WHOLE_PLAN = Plan(cuts=True, removals=True, freezes=True, ai=True, redeploy=True)
#: the bridge step a scenario without internal moves skips (it would equal the one before)
REDEPLOYMENT = "redeployment"
#: the savings bridge: each step adds one cause to the one before, on the same streams
BRIDGE_STEPS: tuple[tuple[str, Plan], ...] = (
    ("roles_cut", Plan(cuts=True)),
    (REDEPLOYMENT, Plan(cuts=True, redeploy=True)),
    ("layers_removed", Plan(cuts=True, removals=True, redeploy=True)),
    ("leavers_not_replaced", Plan(cuts=True, removals=True, freezes=True, redeploy=True)),
    ("hires_avoided_by_ai", WHOLE_PLAN),
)

#: called at the start of each month with (month, active people per unit, each
#: unit's payroll last month at the scenario's costs); returns each unit's AI
#: workload factors this month, one per IC column (sim.model.roles)
MonthHook = Callable[[int, np.ndarray, np.ndarray], list[np.ndarray]]
#: called after the month hook with the month; returns the people each unit's roles need
#: for their drivers (sim.model.roles), one per IC column
DriverHook = Callable[[int], list[np.ndarray]]


@dataclass(frozen=True)
class WorkforceRun:
    """One workforce run to simulate: a concrete scenario under a plan, on a seed."""

    scenario: DrawnScenario
    calendar: Calendar
    seed: np.random.SeedSequence
    plan: Plan
    month_hook: MonthHook | None = None
    driver_hook: DriverHook | None = None
