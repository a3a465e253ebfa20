"""Field paths into a scenario: naming, walking and setting its numbers.

``ai.programs[0].adoption.ceiling`` is how users and studies name a number of
a scenario; ``("ai", "programs", 0, "adoption", "ceiling")`` is how the code
walks to it. Walks follow the order of the fields in the format, not in the
file, so reordering the keys of a file changes nothing downstream. Per-item
distributions (effort, review time, hand-off delay) are not inputs a study
sets: the engine draws them for each work item.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import BaseModel

from sim.scenario.distributions import Distribution
from sim.scenario.quantities import PerItem, Q
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


def _field(scenario: Scenario, path: FieldPath) -> Any:
    """The schema's field at ``path`` (its type and metadata)."""
    field_at = max(i for i, part in enumerate(path) if isinstance(part, str))
    model: Any = scenario
    for part in path[:field_at]:
        model = model[part] if isinstance(part, int) else getattr(model, part)
    return type(model).model_fields[str(path[field_at])]


def whole_number(scenario: Scenario, path: FieldPath) -> bool:
    """Whether the field at ``path`` takes whole numbers only (a count of people)."""
    return any(isinstance(m, Q) and m.integer for m in _metadata(_field(scenario, path)))


def bounds(scenario: Scenario, path: FieldPath) -> tuple[float, float]:
    """The field's allowed range, so that open-tailed draws are clipped into it."""
    field = _field(scenario, path)
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


def path_text(path: Iterable[str | int]) -> str:
    """``("ai", "programs", 0, "name")`` -> ``ai.programs[0].name``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
    if isinstance(node, PerItem) or path == ("correlations",):
        return  # the correlations between inputs are not inputs themselves
    if isinstance(node, float | Distribution) and not isinstance(node, bool):
        yield path
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _numbers(getattr(node, name), (*path, name))
    elif isinstance(node, tuple):
        for i, item in enumerate(node):
            yield from _numbers(item, (*path, i))
