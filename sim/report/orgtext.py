"""The spans-and-layers tables ``restructure org`` prints: per unit, then the whole
organisation by layer. Counts and costs only: no name or id reaches them."""

from __future__ import annotations

from sim.report.escape import terminal_text
from sim.report.text import _columns as columns
from sim.report.text import money
from sim.scenario.orgshape import SPAN_BUCKETS, LayerShape, OrgShape, UnitShape


def _count(value: int) -> str:
    return f"{value:,}"


def _span(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def units_table(shape: OrgShape) -> str:
    """One row per unit and one for all units: size, layers, spans, managers off target."""
    targets = shape.targets
    rows: list[tuple[str, ...]] = [
        (
            "Unit",
            "People",
            "Managers",
            "ICs",
            "Layers",
            "Mean span",
            f"Span < {targets.span_min}",
            f"Span > {targets.span_max}",
            "One report",
            "Ragged ICs",
        )
    ]
    for unit in (*shape.units, shape.whole):
        rows.append(_unit_row(unit, targets.max_layers))
    return columns(rows)


def _unit_row(unit: UnitShape, max_layers: int) -> tuple[str, ...]:
    layers = f"{len(unit.layers)}" + (" !" if len(unit.layers) > max_layers else "")
    return (
        unit.name,
        _count(unit.headcount),
        _count(unit.managers),
        _count(unit.ics),
        layers,
        _span(unit.span_mean),
        _count(unit.total("below_target")),
        _count(unit.total("above_target")),
        _count(unit.total("single_report")),
        _count(unit.ragged_ics),
    )


def layers_table(shape: OrgShape, currency: str = "USD") -> str:
    """The whole organisation by layer: people, mean cost, spans and their buckets."""
    rows = [
        (
            "Layer",
            "People",
            "Mean cost",
            "Mean span",
            "Median",
            *(f"{label}" for _, _, label in SPAN_BUCKETS),
            "One report",
        )
    ]
    for layer in shape.whole.layers:
        rows.append(_layer_row(layer, currency))
    return columns(rows)


def _layer_row(layer: LayerShape, currency: str) -> tuple[str, ...]:
    managing = layer.managers > 0
    buckets = [_count(b) if managing else "" for b in layer.span_buckets]
    return (
        layer.name,
        _count(layer.headcount),
        money(layer.cost_per_head_annual, currency),
        _span(layer.span_mean),
        _span(layer.span_median),
        *buckets,
        _count(layer.single_report) if managing else "",
    )


def org_report(shape: OrgShape, roster_name: str, currency: str = "USD") -> str:
    """What ``restructure org`` prints."""
    whole, targets = shape.whole, shape.targets
    over = [u.name for u in shape.units if len(u.layers) > targets.max_layers]
    lines = [
        f"{terminal_text(roster_name)}: {whole.headcount:,} people in {len(shape.units)} units; "
        f"{whole.managers:,} managers, {whole.ics:,} individual contributors "
        f"({_span(whole.span_mean)} direct reports per manager, median {_span(shape.span_median)})",
        f"{shape.layer_rule[:1].upper()}{shape.layer_rule[1:]}.",
        "",
        units_table(shape),
        "",
        "All units by layer (L1 = each unit's head; the last row is everyone who manages no one)",
        "",
        layers_table(shape, currency),
        "",
        f"Target span {targets.span_min} to {targets.span_max}, at most {targets.max_layers} "
        "layers. Ragged ICs manage no one and report above their unit's lowest management layer.",
    ]
    if over:
        lines.append(f"More layers than {targets.max_layers} (!): {', '.join(over)}.")
    return "\n".join(lines)
