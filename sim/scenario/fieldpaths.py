"""The uncertain inputs of a scenario, and fixing them to numbers.

A replication draws every per-replication distribution once, in a fixed order
(the order of the fields in the format, not in the file, so reordering the keys
of a file does not change its draws): the same seed gives the same draws.
Sensitivity analysis fixes them at chosen quantiles instead. Per-item
distributions (effort, review time, hand-off delay) are left in place: the
engine draws them for each work item.
"""

from __future__ import annotations

import difflib
import math
import re
import typing
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from sim.scenario.crosscheck import cross_check
from sim.scenario.distributions import Distribution
from sim.scenario.quantities import PerItem, Q
from sim.scenario.load import dotted
from sim.scenario.schema import Scenario

FieldPath = tuple[str | int, ...]


def uncertain_parameters(scenario: Scenario) -> list[tuple[FieldPath, Distribution]]:
    """Every per-replication distribution in the scenario, with its path, in format order."""
    return list(_walk(scenario, ()))


def _walk(node: Any, path: FieldPath):
    if isinstance(node, PerItem):
        return
    if isinstance(node, Distribution):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), (*path, name))
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from _walk(item, (*path, i))


def _bounds(scenario: Scenario, path: FieldPath) -> tuple[float, float]:
    """The field's allowed range, so that open-tailed draws are clipped into it."""
    field_at = max(i for i, part in enumerate(path) if isinstance(part, str))
    model: Any = scenario
    for part in path[:field_at]:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    field = type(model).model_fields[str(path[field_at])]
    low, high = -math.inf, math.inf
    for meta in _metadata(field):
        if isinstance(meta, Q):
            if meta.fraction:
                low, high = 0.0, 1.0
            low = meta.ge if meta.ge is not None else low
            low = float(np.nextafter(meta.gt, math.inf)) if meta.gt is not None else low
            high = meta.le if meta.le is not None else high
    return low, high


def _metadata(field: Any) -> list[Any]:
    if field is None:
        return []
    found = list(field.metadata)
    stack = [field.annotation]
    while stack:
        annotation = stack.pop()
        found.extend(getattr(annotation, "__metadata__", ()))
        stack.extend(a for a in typing.get_args(annotation) if a is not Ellipsis)
    return found


def draw(scenario: Scenario, rng: np.random.Generator) -> tuple[Scenario, dict[str, float]]:
    """The scenario with each uncertain input drawn once; and the drawn values by path."""
    values: dict[FieldPath, float] = {}
    for path, dist in uncertain_parameters(scenario):
        low, high = _bounds(scenario, path)
        values[path] = float(np.clip(dist.sample(rng), low, high))
    return fix(scenario, values), {path_text(p): v for p, v in values.items()}


def at_quantiles(
    scenario: Scenario, quantiles: dict[FieldPath, float], default: float = 0.5
) -> Scenario:
    """The scenario with each uncertain input at a quantile (the median unless given)."""
    values = {}
    for path, dist in uncertain_parameters(scenario):
        low, high = _bounds(scenario, path)
        values[path] = float(np.clip(dist.quantile(quantiles.get(path, default)), low, high))
    return fix(scenario, values)


def fix(scenario: Scenario, values: dict[FieldPath, float]) -> Scenario:
    """A copy of the scenario with the value at each path replaced by a number."""
    return _replace(scenario, (), values)


def _replace(node: Any, path: FieldPath, values: dict[FieldPath, float]) -> Any:
    if path in values:
        return values[path]
    if isinstance(node, BaseModel):
        update = {}
        for name in type(node).model_fields:
            child = getattr(node, name)
            new = _replace(child, (*path, name), values)
            if new is not child:
                update[name] = new
        return node.model_copy(update=update) if update else node
    if isinstance(node, tuple):
        items = tuple(_replace(item, (*path, i), values) for i, item in enumerate(node))
        return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
    return node


def path_text(path: FieldPath) -> str:
    """``("ai", "programs", 0, "name")`` -> ``ai.programs[0].name``."""
    return dotted(path)


_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def parse_path(text: str) -> FieldPath:
    """``ai.programs[0].adoption.ceiling`` -> ``("ai", "programs", 0, "adoption", "ceiling")``."""
    parts: list[str | int] = []
    for piece in text.strip().split("."):
        found = _PART.findall(piece)
        rebuilt = "".join(name or f"[{index}]" for name, index in found)
        if not piece or rebuilt != piece:
            raise ValueError(
                f"{text!r} is not a field path such as ai.programs[0].adoption.ceiling"
            )
        parts.extend(name if name else int(index) for name, index in found)
    return tuple(parts)


def numeric_paths(scenario: Scenario) -> list[FieldPath]:
    """Every number of the scenario that a study may set: quantities, not per-item draws."""
    return list(_numbers(scenario, ()))


def _numbers(node: Any, path: FieldPath):
    if isinstance(node, PerItem):
        return
    if isinstance(node, float | Distribution) and not isinstance(node, bool):
        yield path
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _numbers(getattr(node, name), (*path, name))
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from _numbers(item, (*path, i))


def with_value(scenario: Scenario, path: FieldPath, value: float) -> Scenario:
    """The scenario with one number set, validated again as if a user had written it.

    Raises ValueError naming the field and what was wrong.
    """
    if path not in set(numeric_paths(scenario)):
        raise ValueError(unknown_path_message(scenario, path))
    data = fix(scenario, {path: value}).model_dump(mode="json")
    try:
        updated = Scenario.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        raise ValueError(f"{path_text(path)}={value:g}: {first['msg']}") from None
    problems = cross_check(updated)
    if problems:
        loc, message = problems[0]
        raise ValueError(f"{path_text(path)}={value:g}: {dotted(loc)}: {message}")
    return updated


def unknown_path_message(scenario: Scenario, path: FieldPath) -> str:
    """A path that names no number of the scenario, with the valid paths nearest to it."""
    valid = [path_text(p) for p in numeric_paths(scenario)]
    text = path_text(path)
    close = difflib.get_close_matches(text, valid, n=5, cutoff=0.5)
    if not close:
        prefix = text.rsplit(".", 1)[0]
        close = [v for v in valid if v.startswith(prefix)][:5] or valid[:5]
    return f"{text} is not a quantity a study can vary in this scenario; nearby: {', '.join(close)}"
