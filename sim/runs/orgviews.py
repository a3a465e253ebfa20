"""What the organisation views show, as figures of the run: each unit's layers (people
at the start and the end, plan and status quo, and the payroll the plan saves in it a
year) and each unit's shape (layers with people and the average span of control,
before and after). summary.json carries them (``layers``, ``shapes``), so the by-unit,
by-layer and spans-and-layers charts draw the file's own figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.runs.bands import Band

#: fewer people than this in a layer (a mean over the replications) count as none
EMPTY_LAYER = 0.5
#: the whole organisation's row among the shapes
WHOLE = "Whole organisation"


@dataclass(frozen=True)
class LayerView:
    """One unit's layer as the organisation views show it: people at the start and at
    the end (plan and status quo, month-end, means over the replications) and the
    payroll the plan saves in it a year at the run rate (the mean cash flows')."""

    unit: str
    layer: str
    ic: bool  # the unit's bottom layer
    start: float
    end: float
    status_quo_end: float
    payroll_saved_annual: float

    @property
    def change_vs_status_quo(self) -> float:
        return self.end - self.status_quo_end


@dataclass(frozen=True)
class Shape:
    """A unit's (or the whole organisation's) layers and average span of control."""

    name: str
    layers_before: int
    layers_after: int
    span_before: float | None
    span_after: float | None


def _mean(found: Band | None) -> float:
    return float(found.mean) if found is not None and found.mean is not None else 0.0


def layer_views(
    by_layer: Mapping[str, Mapping[str, Mapping[str, Band]]],
    payroll_saved: Callable[[str, str], float],
) -> list[LayerView]:
    """Every unit's layers, top to bottom, from the headcount bridge's layers and the
    payroll a layer saves a year (``payroll_saved(unit, layer)``)."""
    views = []
    for unit, layers in by_layer.items():
        names = list(layers)
        for layer, counts in layers.items():
            views.append(
                LayerView(
                    unit,
                    layer,
                    layer == names[-1],
                    _mean(counts.get("start")),
                    _mean(counts.get("end")),
                    _mean(counts.get("status_quo_end")),
                    float(payroll_saved(unit, layer)),
                )
            )
    return views


def _shape_of(views: Sequence[LayerView], when: str) -> tuple[int, float, float]:
    """Layers with people, people who have a manager, and managers: at the start or end."""
    counts = [getattr(v, when) for v in views]
    present = [c for c in counts if c >= EMPTY_LAYER]
    managers = sum(c for v, c in zip(views, counts, strict=True) if not v.ic and c >= EMPTY_LAYER)
    managed = sum(present) - (present[0] if present else 0.0)  # all but the top have a manager
    return len(present), managed, managers


def _span(managed: float, managers: float) -> float | None:
    return managed / managers if managers >= EMPTY_LAYER else None


def shapes(views: Sequence[LayerView]) -> list[Shape]:
    """The whole organisation first, then each unit: layers (ICs included) at the start and
    at the end, and the average span (people with a manager per manager)."""
    units = list(dict.fromkeys(v.unit for v in views))
    out, totals = [], np.zeros(4)
    for unit in units:
        own = [v for v in views if v.unit == unit]
        before, managed_before, managers_before = _shape_of(own, "start")
        after, managed_after, managers_after = _shape_of(own, "end")
        totals += (managed_before, managers_before, managed_after, managers_after)
        out.append(
            Shape(
                unit,
                before,
                after,
                _span(managed_before, managers_before),
                _span(managed_after, managers_after),
            )
        )
    if not out:
        return []
    whole = Shape(
        WHOLE,
        max(s.layers_before for s in out),
        max(s.layers_after for s in out),
        _span(float(totals[0]), float(totals[1])),
        _span(float(totals[2]), float(totals[3])),
    )
    return [whole, *out]


__all__ = ["EMPTY_LAYER", "WHOLE", "LayerView", "Shape", "layer_views", "shapes"]
