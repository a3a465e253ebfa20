"""Workforce dynamics: headcount by unit and layer, week by week.

People are counted, never simulated one by one: each week, per layer, leavers
are a binomial draw at the weekly hazard of the annual attrition rate; hires
arrive after the hiring lag as the unit's staffing policy
(:mod:`sim.model.staffing`) asked for them; layoff waves cut counts or shares
of layers, or remove a layer outright (a share of its managers moves down a
layer, the rest are cut, and the reports re-parent to the layer above). People
cut are paid through their notice period, then get severance. After a wave
that cuts someone in a unit, its survivors leave faster and work slower for a
while.

Steps are weekly, money is by the day (:mod:`sim.model.calendar`): a week's
headcount is paid for the week's days, each in its own month; a wave acts in
the weekly steps from the first week starting on or after its date, and its
money is corrected to the date itself, so a person cut is paid (working) up to
the date, on notice for exactly the notice length after it, and severance on
the day notice ends. What falls due after the horizon (notice pay for days
beyond it, severance) is provided for in full in the month notice is given.
Managers moved down a layer may keep their old cost for a while (pay
protection); the protected people leave with their layer's leavers, in
proportion.

A :class:`Plan` says which parts of the scenario's plan a run applies: the
baseline twin applies none, the scenario all, and the steps between them
attribute the payroll saved to its causes (the savings bridge). Each layer
draws from its own random stream, so every run sees the same draws wherever
its headcounts agree (common random numbers).

The parts: what a unit starts from (sim.model.unitstart), its state week by week
(sim.model.unitstate), the waves acting on it (sim.model.waves), the weeks' arithmetic
(sim.model.headcountweek), the batch stepped in lockstep (sim.model.lockstep) and
the result (sim.model.workforceresult). This module is their front: the run to
simulate and the functions that simulate it.
"""

from __future__ import annotations

import numpy as np

from sim.model.calendar import Calendar
from sim.model.layerchanges import CUT, MOVED_DOWN, REMOVED_CUT, LayerChange, Notice
from sim.model.lockstep import Lockstep
from sim.model.waves import wave_one_time_costs
from sim.model.workforceresult import UnitWorkforce, Workforce
from sim.model.workforcerun import (
    BRIDGE_STEPS,
    REDEPLOYMENT,
    STATUS_QUO,
    WHOLE_PLAN,
    DriverHook,
    MonthHook,
    Plan,
    WorkforceRun,
)
from sim.scenario.drawn import DrawnScenario

__all__ = [
    "BRIDGE_STEPS",
    "CUT",
    "MOVED_DOWN",
    "REDEPLOYMENT",
    "REMOVED_CUT",
    "STATUS_QUO",
    "WHOLE_PLAN",
    "DriverHook",
    "LayerChange",
    "MonthHook",
    "Notice",
    "Plan",
    "UnitWorkforce",
    "Workforce",
    "WorkforceRun",
    "simulate_workforce",
    "simulate_workforces",
    "wave_one_time_costs",
]


def simulate_workforce(
    scenario: DrawnScenario,
    calendar: Calendar,
    seed: np.random.SeedSequence,
    plan: Plan,
    month_hook: MonthHook | None = None,
    driver_hook: DriverHook | None = None,
) -> Workforce:
    """Headcount of every unit and layer, week by week, under ``plan``.

    ``STATUS_QUO`` gives the baseline twin: the same organisation on the same
    random streams, without the plan. ``month_hook`` (for a plan with AI) is
    asked at each month's start for the units' AI workload factors, then
    ``driver_hook`` for the people the roles' drivers ask for.
    """
    run = WorkforceRun(scenario, calendar, seed, plan, month_hook, driver_hook)
    return simulate_workforces([run])[0]


def simulate_workforces(runs: list[WorkforceRun]) -> list[Workforce]:
    """Many workforce runs at once (replications, plans), each as it would run alone.

    The runs advance week by week in lockstep, every unit of every run a row of
    the same arrays, so a week's hires, leavers and requisitions are a few NumPy
    operations for the whole batch. Each run draws from its own streams only
    (one per unit and layer, spawned from its seed) and the arithmetic is
    elementwise, so a run's result is the same, to the bit, whatever it is
    batched with: the same seed gives the same output whatever the chunking.
    Runs on different calendars go in separate batches.
    """
    results: list[Workforce | None] = [None] * len(runs)
    by_calendar: dict[Calendar, list[int]] = {}
    for index, run in enumerate(runs):
        by_calendar.setdefault(run.calendar, []).append(index)
    for calendar, indices in by_calendar.items():
        batch = Lockstep([runs[i] for i in indices], calendar)
        for index, workforce in zip(indices, batch.run(), strict=True):
            results[index] = workforce
    return results  # type: ignore[return-value]  # every index filled
