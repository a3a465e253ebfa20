"""Warnings on an organisation that is valid but probably not what was meant.

A first draft with a span of 1.2, a unit listed bottom to top, a monthly pay typed
as an annual cost: each validates, runs, and gives numbers nobody should defend.
These checks flag them, for typed-in layers, pyramids and roster-derived units
alike, and stop nothing. Each yields ``(loc, message)``; the loader adds the file
and line.
"""

from __future__ import annotations

from collections.abc import Iterator

from sim.scenario.fieldpaths import FieldPath as Loc
from sim.scenario.schema import Layer, Scenario, Targets, Unit, nominal

#: fewer reports per manager than this: a manager for almost every person below
SPAN_IMPLAUSIBLY_NARROW = 1.5
#: more than this: beyond the widest spans reported even for routine work
SPAN_IMPLAUSIBLY_WIDE = 50.0
#: a month's pay x this is the annual cost the user may have meant
MONTHS_A_YEAR = 12

Check = Iterator[tuple[Loc, str]]


def plausibility_warnings(scenario: Scenario) -> list[tuple[Loc, str]]:
    """Every plausibility warning on the scenario's organisation."""
    targets = scenario.org.targets
    found: list[tuple[Loc, str]] = []
    for i, unit in enumerate(scenario.org.units):
        loc: Loc = ("org", "units", i)
        layers = unit.resolved_layers
        headcounts = [nominal(layer.headcount) for layer in layers]
        found.extend(_shape(unit, loc, layers, headcounts))
        found.extend(_costs(unit, loc, layers, targets, scenario.meta.currency))
        if len(layers) > targets.max_layers:
            found.append(
                (
                    (*loc, "layers" if unit.layers is not None else "pyramid"),
                    f"unit {unit.name!r} has {len(layers)} layers, more than the target of "
                    f"{targets.max_layers} (org.targets.max_layers)",
                )
            )
    return found


def _where(unit: Unit, loc: Loc, k: int, field: str) -> Loc:
    return (*loc, "layers", k, field) if unit.layers is not None else (*loc, "pyramid")


def _shape(unit: Unit, loc: Loc, layers: tuple[Layer, ...], headcounts: list[float]) -> Check:
    managers = range(len(layers) - 1)
    if len(layers) > 2 and all(headcounts[k] > headcounts[k + 1] for k in managers):
        yield (
            (*loc, "layers" if unit.layers is not None else "pyramid"),
            f"unit {unit.name!r}: every layer is larger than the one below it; layers are "
            f"listed top to bottom with the ICs last: is this list upside down?",
        )
        return
    for k in managers:
        upper, lower = layers[k].name, layers[k + 1].name
        size, below = headcounts[k], headcounts[k + 1]
        if size <= 0:
            continue
        span = below / size
        if k + 1 < len(layers) - 1 and size > below:
            yield (
                _where(unit, loc, k, "headcount"),
                f"unit {unit.name!r}: layer {upper!r} ({size:,.0f}) is larger than the "
                f"layer below it, {lower!r} ({below:,.0f})",
            )
        elif span < SPAN_IMPLAUSIBLY_NARROW:
            yield (
                _where(unit, loc, k, "headcount"),
                f"unit {unit.name!r}: {span:.1f} people in {lower!r} per person in {upper!r}, "
                f"a span under {SPAN_IMPLAUSIBLY_NARROW:g}",
            )
        elif span > SPAN_IMPLAUSIBLY_WIDE:
            yield (
                _where(unit, loc, k, "headcount"),
                f"unit {unit.name!r}: {span:,.0f} people in {lower!r} per person in {upper!r}, "
                f"a span over {SPAN_IMPLAUSIBLY_WIDE:g}",
            )


def _costs(
    unit: Unit, loc: Loc, layers: tuple[Layer, ...], targets: Targets, currency: str
) -> Check:
    floor = targets.min_cost_per_head_annual
    for k, layer in enumerate(layers):
        cost = nominal(layer.cost_per_head_annual)
        if cost < floor and nominal(layer.headcount) > 0:
            yield (
                _where(unit, loc, k, "cost_per_head_annual"),
                f"unit {unit.name!r}, layer {layer.name!r}: a fully loaded annual cost of "
                f"{cost:,.0f} {currency} is below {floor:,.0f}: is it a month's pay "
                f"(x{MONTHS_A_YEAR} = {cost * MONTHS_A_YEAR:,.0f})? "
                "(org.targets.min_cost_per_head_annual)",
            )
