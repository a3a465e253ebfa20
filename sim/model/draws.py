"""Fixing a scenario's uncertain inputs to numbers: drawn for a replication, or at quantiles.

A replication draws every per-replication distribution once, each from its own
random stream, derived from the replication's seed and the input's field path.
So adding, removing or reordering one distribution never changes another's
draw, and two scenarios of the same organisation keep identical baseline twins
(common random numbers survive edits).
Sensitivity analysis fixes them at chosen quantiles instead. Draws are clipped
into the field's allowed range, so an open-tailed distribution never gives a
value that validation would refuse.
"""

from __future__ import annotations

import hashlib

import numpy as np

from sim.scenario.fieldpaths import FieldPath, bounds, fix, path_text, uncertain_parameters
from sim.scenario.schema import Scenario


def draw(
    scenario: Scenario, seed: int | np.random.SeedSequence
) -> tuple[Scenario, dict[str, float]]:
    """The scenario with each uncertain input drawn once; and the drawn values by path."""
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    values: dict[FieldPath, float] = {}
    for path, dist in uncertain_parameters(scenario):
        low, high = bounds(scenario, path)
        values[path] = float(np.clip(dist.sample(input_stream(root, path)), low, high))
    return fix(scenario, values), {path_text(p): v for p, v in values.items()}


def input_stream(root: np.random.SeedSequence, path: FieldPath) -> np.random.Generator:
    """The random stream of one input: the root's, spawned by a hash of the field path."""
    digest = hashlib.sha256(path_text(path).encode("utf-8")).digest()
    words = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    key = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *words))
    return np.random.default_rng(key)


def at_quantiles(
    scenario: Scenario, quantiles: dict[FieldPath, float], default: float = 0.5
) -> Scenario:
    """The scenario with each uncertain input at a quantile (the median unless given)."""
    values = {}
    for path, dist in uncertain_parameters(scenario):
        low, high = bounds(scenario, path)
        values[path] = float(np.clip(dist.quantile(quantiles.get(path, default)), low, high))
    return fix(scenario, values)
