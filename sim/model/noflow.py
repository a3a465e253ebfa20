"""A replication that skips the work flow: its flow measures as "not simulated".

Headcount and cost never depend on the sampled work flow (planners staff from
expected demand, and the flow draws from its own random streams), so a study
that reads only money and headcount, with no value put on work done, can skip
the discrete-event part entirely. The trajectory keeps its shapes: every flow
array is NaN (a figure that was not simulated, never a zero that reads as "no
work done"), counts of items and visits are 0, and the sample is 0 teams. The
headlines built on the flow (work done and cycle time against the status quo)
come out as no value; a run folder refuses such a run (sim.report.runfolder).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.model.calendar import Calendar
from sim.model.flowinput import UnitFlowInput
from sim.model.flowresult import UnitFlow


def no_flow(specs: list[UnitFlowInput], calendar: Calendar) -> list[UnitFlow]:
    """Each unit's flow measures, not simulated: NaN arrays of the usual shapes."""
    return [_not_simulated(spec, calendar.months) for spec in specs]


def _not_simulated(spec: UnitFlowInput, months: int) -> UnitFlow:
    levels = len(spec.review_share)
    values: dict[str, object] = {}
    # by the fields' declared types, so a measure added to UnitFlow is covered too
    for field in dataclasses.fields(UnitFlow):
        kind = str(field.type)
        if field.name == "utilisation":  # ICs first, then each management level
            values[field.name] = np.full((months, levels + 1), np.nan)
        elif "ndarray" in kind:
            values[field.name] = np.full(months, np.nan)
        elif kind == "float":
            values[field.name] = np.nan
        else:  # counts: nothing simulated
            values[field.name] = 0
    return UnitFlow(**values)  # type: ignore[arg-type]
