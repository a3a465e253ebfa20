"""Fixing a scenario's uncertain inputs to numbers: drawn for a replication, or at quantiles.

A replication draws every per-replication distribution once, each from its own
random stream, derived from the replication's seed and the input's field path.
So adding, removing or reordering one distribution never changes another's
draw, and two scenarios of the same organisation keep identical baseline twins
(common random numbers survive edits).
Inputs in a correlation group (``correlations`` in the scenario) are drawn
through a Gaussian copula: each still draws one standard normal from its own
stream, the group's normals are mixed by the Cholesky factor of their
correlation, and each is mapped through the normal CDF and the input's own
quantile function, so every input keeps its distribution. An input outside the
group never sees the group, and an input added outside every group changes no
other draw.
Sensitivity analysis fixes them at chosen quantiles instead. Draws are clipped
into the field's allowed range, so an open-tailed distribution never gives a
value that validation would refuse.
"""

from __future__ import annotations

import hashlib

import numpy as np

from sim.scenario.correlation import copula_factor, standard_normal_cdf
from sim.scenario.distributions import Distribution
from sim.scenario.drawn import DrawnScenario, drawn_scenario
from sim.scenario.fieldpaths import (
    FieldPath,
    bounds,
    fix,
    parse_path,
    path_text,
    uncertain_parameters,
)
from sim.scenario.schema import Scenario

#: the farthest a copula draw goes into a tail: an open tail never gives an infinite value
TAIL = 1e-12


def draw(
    scenario: Scenario, seed: int | np.random.SeedSequence
) -> tuple[DrawnScenario, dict[str, float]]:
    """The scenario with each uncertain input drawn once; and the drawn values by path."""
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    inputs = uncertain_parameters(scenario)
    correlated = _correlated_draws(scenario, root, dict(inputs))
    values: dict[FieldPath, float] = {}
    for path, dist in inputs:
        low, high = bounds(scenario, path)
        value = correlated[path] if path in correlated else dist.sample(input_stream(root, path))
        values[path] = float(np.clip(value, low, high))
    drawn = drawn_scenario(fix(scenario, values))
    return drawn, {path_text(p): v for p, v in values.items()}


def _correlated_draws(
    scenario: Scenario,
    root: np.random.SeedSequence,
    uncertain: dict[FieldPath, Distribution],
) -> dict[FieldPath, float]:
    """The draws of the inputs in correlation groups, through the Gaussian copula.

    Members fixed to a number since the file was written (a study's setting) drop
    out of their group; the rest keep their correlations with each other.
    """
    values: dict[FieldPath, float] = {}
    for group in scenario.correlations:
        paths = [parse_path(name) for name in group.inputs]
        keep = [i for i, path in enumerate(paths) if path in uncertain]
        if len(keep) < 2:
            continue
        rank = np.array(group.matrix, dtype=float)[np.ix_(keep, keep)]
        normals = np.array([input_stream(root, paths[i]).standard_normal() for i in keep])
        mixed = copula_factor(rank) @ normals
        for i, z in zip(keep, mixed, strict=True):
            share = min(max(standard_normal_cdf(float(z)), TAIL), 1 - TAIL)
            values[paths[i]] = uncertain[paths[i]].quantile(share)
    return values


def input_stream(root: np.random.SeedSequence, path: FieldPath) -> np.random.Generator:
    """The random stream of one input: the root's, spawned by a hash of the field path."""
    digest = hashlib.sha256(path_text(path).encode("utf-8")).digest()
    words = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    key = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *words))
    return np.random.default_rng(key)


def at_quantiles(
    scenario: Scenario, quantiles: dict[FieldPath, float], default: float = 0.5
) -> Scenario:
    """The scenario with each uncertain input at a quantile (the median unless given).

    Every input is then a fixed number, so no correlation group is left: a fixed number
    moves with nothing (and a group naming one would not validate)."""
    values = {}
    for path, dist in uncertain_parameters(scenario):
        low, high = bounds(scenario, path)
        values[path] = float(np.clip(dist.quantile(quantiles.get(path, default)), low, high))
    return fix(scenario, values).model_copy(update={"correlations": ()})
