"""Fixing a scenario's uncertain inputs to numbers: drawn for a replication, or at quantiles.

A replication draws every per-replication distribution once, in format order,
so the same seed gives the same draws whatever the order of the file's keys.
Sensitivity analysis fixes them at chosen quantiles instead. Draws are clipped
into the field's allowed range, so an open-tailed distribution never gives a
value that validation would refuse.
"""

from __future__ import annotations

import numpy as np

from sim.scenario.fieldpaths import FieldPath, bounds, fix, path_text, uncertain_parameters
from sim.scenario.schema import Scenario


def draw(scenario: Scenario, rng: np.random.Generator) -> tuple[Scenario, dict[str, float]]:
    """The scenario with each uncertain input drawn once; and the drawn values by path."""
    values: dict[FieldPath, float] = {}
    for path, dist in uncertain_parameters(scenario):
        low, high = bounds(scenario, path)
        values[path] = float(np.clip(dist.sample(rng), low, high))
    return fix(scenario, values), {path_text(p): v for p, v in values.items()}


def at_quantiles(
    scenario: Scenario, quantiles: dict[FieldPath, float], default: float = 0.5
) -> Scenario:
    """The scenario with each uncertain input at a quantile (the median unless given)."""
    values = {}
    for path, dist in uncertain_parameters(scenario):
        low, high = bounds(scenario, path)
        values[path] = float(np.clip(dist.quantile(quantiles.get(path, default)), low, high))
    return fix(scenario, values)
