"""Sweep one number of a scenario across a range and watch the headlines move.

Every point runs the same replications on the same random numbers, so a value
that cannot matter gives a flat line, and the differences between points are
the swept value's alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.runs.bands import Band
from sim.runs.headlines import NPV, PAYBACK
from sim.runs.plan import Pool, RunPlan
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import FieldPath, parse_path, path_text
from sim.scenario.labels import NUMBER, Unit, label, unit_of
from sim.scenario.schema import Scenario
from sim.studies.batch import IN_PROCESS, Setting, StudyRuns, setting
from sim.studies.fidelity import needs_flow
from sim.studies.reuse import FlowOnly, flow_only

#: each step is a full Monte Carlo run: past this, a sweep is a typo, not a study
MAX_STEPS = 200
#: the headlines a sweep reports (the others are left out of its tables)
SWEPT = (NPV.name, PAYBACK.name)
_SPEC = re.compile(r"^\s*([^=]+?)\s*=\s*([^:]+):([^:]+):([^:]+)\s*$")


@dataclass(frozen=True)
class SweepSpec:
    path: FieldPath
    text: str  # the path as the user wrote it
    values: tuple[float, ...]
    settings: tuple[Scenario, ...] = field(repr=False)  # the scenario at each value
    label: str = ""  # what a reader sees (sim.scenario.labels); the path is for the machine
    unit: Unit = NUMBER  # of the swept value, as sim.scenario.labels names it


def parse_spec(spec: str, scenario: Scenario) -> SweepSpec:
    """``PATH=START:STOP:STEPS`` -> the path and the values; ValueError says what is wrong."""
    match = _SPEC.match(spec)
    if not match:
        raise ValueError(
            f"{spec!r}: expected PATH=START:STOP:STEPS, "
            "e.g. ai.programs[0].adoption.ceiling=0.2:0.9:8"
        )
    text, start, stop, steps = match.groups()
    try:
        first, last, count = float(start), float(stop), int(steps)
    except ValueError:
        raise ValueError(
            f"{spec!r}: START and STOP must be numbers and STEPS a whole number"
        ) from None
    if not (math.isfinite(first) and math.isfinite(last)):
        raise ValueError(f"{spec!r}: START and STOP must be finite numbers, got {start} and {stop}")
    if count > MAX_STEPS:
        raise ValueError(f"{spec!r}: STEPS must be at most {MAX_STEPS}, got {count}")
    if count < 2:
        raise ValueError(f"{spec!r}: STEPS must be at least 2, got {count}")
    path = parse_path(text)
    if not needs_flow(scenario, SWEPT) and flow_only(scenario, path):
        raise FlowOnly(scenario, path, "a sweep's NPV and payback")
    values = tuple(float(v) for v in np.linspace(first, last, count))
    # every point must be a valid scenario; validated once, here, and kept for the runs
    settings = tuple(with_value(scenario, path, value) for value in values)
    return SweepSpec(path, path_text(path), values, settings, label(scenario, path), unit_of(path))


_BRACKET = re.compile(r"^\s*([^=]+?)\s*=\s*([^:]+):([^:]+)\s*$")


def parse_bracket(spec: str, scenario: Scenario) -> tuple[FieldPath, float, float]:
    """``PATH=LOW:HIGH`` -> the path and the two ends, both valid values of the scenario."""
    match = _BRACKET.match(spec)
    if not match:
        raise ValueError(
            f"{spec!r}: expected PATH=LOW:HIGH, e.g. restructuring.waves[0].cuts[0].share=0.02:0.14"
        )
    text, start, stop = match.groups()
    try:
        low, high = float(start), float(stop)
    except ValueError:
        raise ValueError(f"{spec!r}: LOW and HIGH must be numbers") from None
    if not (math.isfinite(low) and math.isfinite(high)) or low == high:
        raise ValueError(f"{spec!r}: LOW and HIGH must be two different finite numbers")
    path = parse_path(text)
    for value in (low, high):
        with_value(scenario, path, value)  # each end must be a valid scenario
    return path, low, high


@dataclass(frozen=True)
class SweepPoint:
    value: float
    headline: dict[str, Band]


def sweep(
    spec: SweepSpec,
    plan: RunPlan,
    pool: Pool | None = None,
    on_progress: Callable[[float], None] | None = None,
    reuse: bool = True,
) -> list[SweepPoint]:
    """Run every point of the sweep on the same seeds, all at once over ``pool``
    (default: this process) or its cluster, reusing what did not change
    (sim.studies.batch; ``reuse=False``: each point alone, the same figures).
    ``on_progress(points)`` is told the points done."""
    flow = any(needs_flow(setting, SWEPT) for setting in spec.settings)
    first = spec.settings[0]
    settings = [Setting(first)] + [setting(first, s, spec.path) for s in spec.settings[1:]]
    with StudyRuns(plan, pool or IN_PROCESS, flow, reuse) as runs:
        found = runs.results(settings, on_progress)
    return [
        SweepPoint(value, results.headline)
        for value, results in zip(spec.values, found, strict=True)
    ]
