"""The headcount bridge: how the starting headcount becomes the end's, step by step.

A board's first question of a plan that "cuts 30,000 roles" is why the end headcount
is only a few thousand lower: cuts, the people cut who took an internal role during
their notice (redeployed), attrition, hires (backfill and rehiring) and the new AI
roles. Each replication's steps are counted from its own trajectory, so they
telescope exactly: start + cut + redeployed + attrition + hires + new roles = end
(cuts and attrition negative). Over the replications the means telescope too (the mean is
linear); percentiles of the steps do not, so the bridge is drawn from the means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.runs.bands import Band, band
from sim.runs.held import NestedRows

if TYPE_CHECKING:  # the charts read the bridge; they must not load the engine
    from sim.model.replication import Replication

ALL = "all"
START = "start"
CUT = "cut"
REDEPLOYED = "redeployed"
ATTRITION = "attrition"
HIRES = "hires"
NEW_ROLES = "new_roles"
END = "end"
#: the bridge's steps, in order; a unit's have no new roles (they belong to no unit)
STEPS = (START, CUT, REDEPLOYED, ATTRITION, HIRES, NEW_ROLES, END)
#: the steps between the start and the end
MOVES = (CUT, REDEPLOYED, ATTRITION, HIRES, NEW_ROLES)
LABELS = {
    START: "Start",
    CUT: "Cut in the waves",
    REDEPLOYED: "Redeployed from notice",
    ATTRITION: "Attrition",
    HIRES: "Hires and rehires",
    NEW_ROLES: "New AI roles",
    END: "End",
}
#: a layer's people at the start, and at the end in the plan and in the status quo
STATUS_QUO_END = "status_quo_end"
LAYER_COUNTS = (START, END, STATUS_QUO_END)
NOTE = (
    "people at the start, the steps that moved them and the people at the end (active staff "
    "at the horizon's last month end, new roles included); cut and attrition are negative; "
    "in each replication start + steps = end exactly, and so do the means; percentiles of "
    "the steps do not add up"
)


@dataclass(frozen=True)
class HeadcountBridge:
    """The headcount bridge over the replications: a band a step, for the whole
    organisation (``steps``) and for each unit (``by_unit``, without new roles); and
    each unit's layers at the start and at the end, in the plan and the status quo
    (``by_layer``: unit -> layer, top to bottom -> ``start``, ``end``, ``status_quo_end``)."""

    steps: Mapping[str, Band]
    by_unit: Mapping[str, Mapping[str, Band]]
    labels: Mapping[str, str]
    by_layer: Mapping[str, Mapping[str, Mapping[str, Band]]]
    note: str = NOTE


def headcount_flows(replication: Replication) -> dict[str, dict[str, float]]:
    """One replication's bridge: unit (and ``all``) -> step -> people."""
    scenario = replication.scenario
    out: dict[str, dict[str, float]] = {}
    for spec, unit in zip(replication.inputs.org.units, scenario.units, strict=True):
        start = float(sum(round(layer.headcount) for layer in spec.resolved_layers))
        out[unit.name] = {
            START: start,
            CUT: -float(unit.cut.sum()),
            # joined the unit from notice: cut (above), neither severed nor hired
            REDEPLOYED: 0.0 if unit.redeployed is None else float(unit.redeployed.sum()),
            ATTRITION: -float(unit.leavers.sum()),
            HIRES: float(unit.hires.sum()),
            END: float(unit.headcount_end[-1].sum()),
        }
    whole = {step: sum(flows[step] for flows in out.values()) for step in (START, *MOVES[:-1])}
    whole[NEW_ROLES] = float(sum(role.headcount[-1] for role in scenario.roles))
    whole[END] = sum(flows[END] for flows in out.values()) + whole[NEW_ROLES]
    out[ALL] = whole
    return out


def layer_counts(replication: Replication) -> dict[str, dict[str, dict[str, float]]]:
    """One replication's people by unit and layer: unit -> layer -> at the start, and at
    the end in the plan and the status quo (active staff at the last month's end, as the
    end headcount counts them)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    units = zip(
        replication.inputs.org.units,
        replication.scenario.units,
        replication.baseline.units,
        strict=True,
    )
    for spec, plan, status_quo in units:
        out[plan.name] = {
            layer.name: {
                START: float(round(layer.headcount)),
                END: float(plan.headcount_end[-1, i]),
                STATUS_QUO_END: float(status_quo.headcount_end[-1, i]),
            }
            for i, layer in enumerate(spec.resolved_layers)
        }
    return out


def headcount_bridge(
    flows: Sequence[dict[str, dict[str, float]]],
    layers: Sequence[dict[str, dict[str, dict[str, float]]]],
) -> HeadcountBridge | None:
    """Bands of each step over the replications (None: no replication counted them)."""
    if not flows:
        return None
    steps_of, counts_of = NestedRows.of(flows), NestedRows.of(layers)
    units = [u for u in steps_of[0] if u != ALL]
    steps = {s: band(steps_of.column(ALL, s)) for s in STEPS}
    by_unit = {
        unit: {s: band(steps_of.column(unit, s)) for s in STEPS if s != NEW_ROLES} for unit in units
    }
    by_layer = {
        unit: {
            layer: {k: band(counts_of.column(unit, layer, k)) for k in LAYER_COUNTS}
            for layer in named
        }
        for unit, named in (counts_of[0] if counts_of else {}).items()
    }
    return HeadcountBridge(steps, by_unit, dict(LABELS), by_layer)
