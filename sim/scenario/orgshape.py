"""Spans and layers from a roster: the organisation's shape, diagnosed against targets.

A manager's *layer* is their layer (or grade) label's, where the roster gives every
manager one (:func:`_layered`), else their depth below their unit's top (the unit's
head is layer 1). People who manage no one are individual contributors (ICs), whatever
their depth: the derived unit's bottom layer holds them all, and ICs who report
to a manager above the lowest management layer (an assistant reporting to a
director) are counted as *ragged*. A manager's *span* is their number of direct
reports, wherever those reports sit. Everything here is counts and costs by unit
and layer: no name or id leaves :mod:`sim.scenario.roster`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.scenario.occupations import SOC_CODE
from sim.scenario.roster import Roster, RosterError, RosterOptions, read_roster
from sim.scenario.schema import RosterSource, Targets

#: span buckets of the spans-and-layers chart: (fewest, most, label)
SPAN_BUCKETS: tuple[tuple[int, float, str], ...] = (
    (1, 2, "1-2"),
    (3, 5, "3-5"),
    (6, 9, "6-9"),
    (10, 15, "10-15"),
    (16, math.inf, "16+"),
)
IC_LAYER = "IC"
#: ids shown at most when naming a cycle in an error
CYCLE_IDS_SHOWN = 8


@dataclass(frozen=True)
class People:
    """Per person, in roster order: layer (1 = the unit's top) and direct reports."""

    layer: np.ndarray
    reports: np.ndarray

    @property
    def is_manager(self) -> np.ndarray:
        return self.reports > 0


@dataclass(frozen=True)
class LayerShape:
    """One layer of a unit (or of the whole organisation): who is in it, what they
    cost, and the spans of its managers."""

    name: str
    headcount: int
    cost_per_head_annual: float
    managers: int
    span_mean: float | None
    span_median: float | None
    span_buckets: tuple[int, ...]
    single_report: int
    below_target: int
    above_target: int


@dataclass(frozen=True)
class RoleShape:
    """The ICs of one role in a unit (from a roster's role column)."""

    name: str
    headcount: int
    cost_per_head_annual: float
    soc: str | None  # the most common valid SOC 2018 code among them, if any


@dataclass(frozen=True)
class UnitShape:
    """A unit's layers, top to bottom (the last is its ICs), and its diagnosis."""

    name: str
    layers: tuple[LayerShape, ...]
    ragged_ics: int
    roles: tuple[RoleShape, ...] = ()  # its ICs by role, where the roster names roles

    @property
    def headcount(self) -> int:
        return sum(layer.headcount for layer in self.layers)

    @property
    def ics(self) -> int:
        return self.layers[-1].headcount

    @property
    def managers(self) -> int:
        return self.headcount - self.ics

    @property
    def management_layers(self) -> tuple[LayerShape, ...]:
        return self.layers[:-1]

    def total(self, attribute: str) -> int:
        return sum(getattr(layer, attribute) for layer in self.management_layers)

    @property
    def span_mean(self) -> float | None:
        """Direct reports per manager, over all the unit's managers."""
        reports = sum((layer.span_mean or 0) * layer.managers for layer in self.management_layers)
        return reports / self.managers if self.managers else None


#: how managers were put into layers: the layer (or grade) column, or depth
BY_LABEL = (
    "layers by the roster's layer (or grade) column: each manager in the layer of their "
    "label, a unit's labels ordered by their managers' mean depth below its head; "
    "everyone who manages no one in the last layer"
)
BY_DEPTH = (
    "layers by depth: a manager's layer is their depth below their unit's head (L1); "
    "everyone who manages no one in the last layer"
)


@dataclass(frozen=True)
class OrgShape:
    """The organisation's spans and layers: each unit, and all units by layer."""

    units: tuple[UnitShape, ...]
    whole: UnitShape
    span_median: float | None
    targets: Targets
    #: the rule that put managers into layers (BY_LABEL or BY_DEPTH, with its reason)
    layer_rule: str = BY_DEPTH

    def scenario_units(self) -> list[dict]:
        """The units as the scenario format writes them (``org.units``): headcount and
        mean cost (to the whole currency unit) per layer, top to bottom."""
        return [
            {
                "name": unit.name,
                "layers": [
                    {
                        "name": layer.name,
                        "headcount": layer.headcount,
                        "cost_per_head_annual": float(round(layer.cost_per_head_annual)),
                    }
                    for layer in unit.layers
                ],
                **({"roles": _scenario_roles(unit)} if unit.roles else {}),
            }
            for unit in self.units
        ]


def _scenario_roles(unit: UnitShape) -> list[dict]:
    """A unit's roles as the format writes them: each one's share of the ICs (the last
    takes the rounding, so they sum to 1), its mean cost, and its SOC code."""
    ics = sum(r.headcount for r in unit.roles)
    shares = [r.headcount / ics for r in unit.roles]
    shares[-1] = 1 - math.fsum(shares[:-1])
    return [
        {
            "name": r.name,
            "share": share,
            "cost_per_head_annual": float(round(r.cost_per_head_annual)),
            **({"soc": r.soc} if r.soc else {}),
        }
        for r, share in zip(unit.roles, shares, strict=True)
    ]


# ------------------------------------------------------------------- the tree


def people(roster: Roster) -> People:
    """Each person's layer in their unit and their direct reports; raises
    :class:`RosterError` for a cycle or a unit with more than one top."""
    manager = roster.manager
    _refuse_cycles(roster)
    has_manager = manager >= 0
    same_unit = np.zeros(roster.size, dtype=bool)
    same_unit[has_manager] = roster.unit[manager[has_manager]] == roster.unit[has_manager]
    in_unit = np.where(same_unit, manager, -1)
    _refuse_several_tops(roster, in_unit)
    depth, _ = _depths(in_unit)
    reports = np.bincount(manager[has_manager], minlength=roster.size)
    return People(layer=depth + 1, reports=reports)


def _depths(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Steps from each node up to its root, by pointer jumping (Wyllie's list ranking):
    every round doubles how far each pointer reaches, so a tree of n nodes takes
    about log2(n) vectorised rounds. Nodes on or below a cycle never reach a root:
    they are returned as unresolved."""
    depth = (parent >= 0).astype(np.int64)
    up = parent.copy()
    for _ in range(max(1, math.ceil(math.log2(max(len(parent), 2)))) + 1):
        active = np.flatnonzero(up >= 0)
        if not active.size:
            break
        above = up[active]
        depth[active] += depth[above]
        up[active] = up[above]
    return depth, up >= 0


def _refuse_cycles(roster: Roster) -> None:
    _, unresolved = _depths(roster.manager)
    if not unresolved.any():
        return
    start = int(np.flatnonzero(unresolved)[0])
    seen: set[int] = set()
    row = start
    while row not in seen:  # walk up until a person comes round again: they are on the cycle
        seen.add(row)
        row = int(roster.manager[row])
    cycle = [row]
    while (row := int(roster.manager[cycle[-1]])) != cycle[0]:
        cycle.append(row)
    first = min(cycle)
    at = cycle.index(first)
    cycle = cycle[at:] + cycle[:at]
    shown = [roster.ids[r] for r in cycle[:CYCLE_IDS_SHOWN]]
    more = f" -> ... ({len(cycle)} people)" if len(cycle) > CYCLE_IDS_SHOWN else ""
    chain = " -> ".join([*shown, roster.ids[first]] if not more else shown) + more
    raise roster.error(
        first,
        "manager_id",
        f"the reporting lines form a cycle: {chain} (each id's manager is the next); "
        "every chain of managers must end at a top with no manager",
    )


def _refuse_several_tops(roster: Roster, in_unit: np.ndarray) -> None:
    tops = np.flatnonzero(in_unit < 0)
    per_unit = np.bincount(roster.unit[tops], minlength=len(roster.unit_names))
    crowded = np.flatnonzero(per_unit > 1)
    if not crowded.size:
        return
    rows = tops[np.isin(roster.unit[tops], crowded)]
    unit = int(roster.unit[rows[0]])
    rows = rows[roster.unit[rows] == unit]
    lines = [str(roster.line_of(int(r))) for r in rows[:5]]
    listed = (
        ", ".join(lines[:-1]) + f" and {lines[-1]}"
        if len(rows) <= 5
        else ", ".join(lines) + ", ..."
    )
    raise roster.error(
        int(rows[1]),
        "manager_id",
        f"unit {roster.unit_names[unit]!r} has {len(rows)} tops (people whose manager_id is "
        f"empty or in another unit), on lines {listed}; a unit has one head: fix their "
        "manager_id or their unit",
    )


# ------------------------------------------------------------------ the shape


def org_shape(roster: Roster, targets: Targets | None = None) -> OrgShape:
    """Spans and layers of every unit and of the whole organisation."""
    targets = targets or Targets()
    found, rule = _layered(roster, people(roster))
    manager = found.is_manager
    units = len(roster.unit_names)
    deepest = np.zeros(units, dtype=np.int64)  # the lowest management layer of each unit
    np.maximum.at(deepest, roster.unit[manager], found.layer[manager])
    ic_layer = deepest + 1
    layer = np.where(manager, found.layer, ic_layer[roster.unit])  # every IC in the bottom layer
    ragged = np.bincount(
        roster.unit[~manager & (found.layer < ic_layer[roster.unit])], minlength=units
    )
    width = int(ic_layer.max()) + 1
    per_unit = _Groups(roster, found, roster.unit * width + layer, units * width, targets)
    whole_layer = np.where(manager, found.layer, width)
    whole = _Groups(roster, found, whole_layer, width + 1, targets)
    order = sorted(range(units), key=lambda u: roster.unit_names[u])
    is_ic = layer == ic_layer[roster.unit]
    shapes = tuple(
        UnitShape(
            name=roster.unit_names[u],
            layers=per_unit.layers(range(u * width + 1, u * width + ic_layer[u] + 1)),
            ragged_ics=int(ragged[u]),
            roles=_roles(roster, is_ic & (roster.unit == u)),
        )
        for u in order
    )
    whole_shape = UnitShape(
        name="All units",
        layers=whole.layers([*range(1, int(deepest.max()) + 1), width], named_by_level=True),
        ragged_ics=int(ragged.sum()),
    )
    spans = found.reports[manager]
    median = float(np.median(spans)) if spans.size else None
    return OrgShape(
        units=shapes, whole=whole_shape, span_median=median, targets=targets, layer_rule=rule
    )


def _layered(roster: Roster, found: People) -> tuple[People, str]:
    """Managers put into layers by their layer (or grade) label where the roster gives every
    manager one, else by depth; and the rule used, with why.

    Depth alone puts a team manager who reports straight to a director in the layer
    below the director, beside the senior managers, so removing that layer would cut
    first-line managers. By label, each label is a layer of its unit, the labels
    ordered by the mean depth of their managers there (ties: the label first in the
    file); an IC sits one layer below their manager, for the ragged count.
    """
    manager = found.is_manager
    if roster.layer_label is None or not manager.any():
        return found, f"{BY_DEPTH} (the roster has no layer or grade column)"
    codes, names = roster.layer_label, roster.layer_labels
    blank = np.array([not name.strip() for name in names])[codes]
    unlabelled = int((manager & blank).sum())
    if unlabelled:
        return found, (
            f"{BY_DEPTH} ({unlabelled:,} managers have an empty layer label, so the "
            "labels cannot place every manager)"
        )
    units, labels = len(roster.unit_names), len(names)
    key = roster.unit[manager] * labels + codes[manager]
    count = np.bincount(key, minlength=units * labels)
    depth = np.bincount(key, weights=found.layer[manager], minlength=units * labels)
    mean = np.full(units * labels, np.inf)
    np.divide(depth, count, out=mean, where=count > 0)
    order = np.argsort(mean.reshape(units, labels), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(labels)[None, :].repeat(units, axis=0), axis=1)
    layer = found.layer.copy()
    layer[manager] = rank[roster.unit[manager], codes[manager]] + 1
    below = ~manager & (roster.manager >= 0)
    below &= roster.unit[np.maximum(roster.manager, 0)] == roster.unit
    layer[below] = layer[roster.manager[below]] + 1
    return People(layer=layer, reports=found.reports), BY_LABEL


def _roles(roster: Roster, ics: np.ndarray) -> tuple[RoleShape, ...]:
    """The ICs picked by ``ics``, by role: headcount, mean cost, most common SOC code;
    in the order the roles first appear in the file."""
    if roster.role_label is None:
        return ()
    found = []
    for code, name in enumerate(roster.role_labels):
        members = ics & (roster.role_label == code)
        count = int(members.sum())
        if not count or not name.strip():
            continue
        soc = None
        if roster.soc is not None:
            codes = [str(c).strip() for c in roster.soc[members]]
            valid = [c for c in codes if SOC_CODE.match(c)]
            soc = Counter(valid).most_common(1)[0][0] if valid else None  # ties: the first
        cost = float(roster.annual_cost[members].mean())
        found.append(RoleShape(name.strip()[:80], count, cost, soc))
    return tuple(found)


class _Groups:
    """Sums per group of people (a unit's layer, or a layer across units), by bincount."""

    def __init__(
        self, roster: Roster, found: People, key: np.ndarray, groups: int, targets: Targets
    ):
        manager = found.is_manager
        span = found.reports
        count = np.bincount(key, minlength=groups)
        self.roster, self.key, self.groups = roster, key, groups
        self.headcount = count
        self.cost = np.bincount(key, weights=roster.annual_cost, minlength=groups)
        self.managers = np.bincount(key[manager], minlength=groups)
        self.span_sum = np.bincount(key[manager], weights=span[manager], minlength=groups)
        self.single = np.bincount(key[manager & (span == 1)], minlength=groups)
        self.below = np.bincount(key[manager & (span < targets.span_min)], minlength=groups)
        self.above = np.bincount(key[manager & (span > targets.span_max)], minlength=groups)
        self.buckets = [
            np.bincount(key[manager & (span >= low) & (span <= high)], minlength=groups)
            for low, high, _ in SPAN_BUCKETS
        ]
        self.medians = _medians(key[manager], span[manager], groups)
        self.labels = _label_modes(roster, key, groups)

    def layers(self, keys, named_by_level: bool = False) -> tuple[LayerShape, ...]:
        keys = [int(k) for k in keys]
        names = self._names(keys, named_by_level)
        return tuple(self._layer(k, name) for k, name in zip(keys, names, strict=True))

    def _names(self, keys: list[int], named_by_level: bool) -> list[str]:
        default = [*(f"L{i}" for i in range(1, len(keys))), IC_LAYER]
        if self.labels is None or named_by_level:
            return default
        names: list[str] = []
        for key, fallback in zip(keys, default, strict=True):
            label = self.labels[key]
            names.append(fallback if not label or label in names else label)
        return names

    def _layer(self, key: int, name: str) -> LayerShape:
        headcount, managers = int(self.headcount[key]), int(self.managers[key])
        return LayerShape(
            name=name,
            headcount=headcount,
            cost_per_head_annual=float(self.cost[key] / headcount) if headcount else 0.0,
            managers=managers,
            span_mean=float(self.span_sum[key] / managers) if managers else None,
            span_median=self.medians.get(key),
            span_buckets=tuple(int(b[key]) for b in self.buckets),
            single_report=int(self.single[key]),
            below_target=int(self.below[key]),
            above_target=int(self.above[key]),
        )


def _medians(key: np.ndarray, span: np.ndarray, groups: int) -> dict[int, float]:
    order = np.lexsort((span, key))
    key, span = key[order], span[order]
    bounds = np.searchsorted(key, np.arange(groups + 1))
    return {
        g: float(np.median(span[bounds[g] : bounds[g + 1]]))
        for g in range(groups)
        if bounds[g + 1] > bounds[g]
    }


def _label_modes(roster: Roster, key: np.ndarray, groups: int) -> list[str] | None:
    """The most common layer or grade label in each group (ties: the first in the file)."""
    if roster.layer_label is None or not roster.layer_labels:
        return None
    labels = len(roster.layer_labels)
    counts = np.bincount(key * labels + roster.layer_label, minlength=groups * labels)
    best = counts.reshape(groups, labels).argmax(axis=1)
    return [roster.layer_labels[b][:80] for b in best]


def check_modelable(shape: OrgShape, roster: Roster) -> None:
    """Every unit can be simulated: it has managers and ICs (two layers at least)."""
    for unit in shape.units:
        if len(unit.layers) < 2 or unit.ics == 0:
            code = roster.unit_names.index(unit.name)
            row = int(np.argmax(roster.unit == code))
            what = "one person" if unit.headcount == 1 else "no individual contributors"
            raise roster.error(
                row,
                "unit",
                f"unit {unit.name!r} has {what}, so it cannot be simulated as a pyramid of "
                "layers: give its people the unit of the people they manage (or report to)",
            )


def roster_options(source: RosterSource) -> RosterOptions:
    """How to read the roster a scenario names."""
    columns = {k: v for k, v in source.columns.model_dump().items() if v is not None}
    return RosterOptions(
        columns=columns,
        on_cost_multiplier=source.on_cost_multiplier,
        delimiter=source.delimiter,
        sheet=source.sheet,
    )


def read_org(source: RosterSource, base_dir: Path, targets: Targets | None = None) -> OrgShape:
    """The shape of the organisation in the roster a scenario names (its path relative
    to ``base_dir``), checked to be simulable; raises :class:`RosterError`."""
    roster = read_roster(base_dir / source.path, roster_options(source), source.path)
    shape = org_shape(roster, targets)
    check_modelable(shape, roster)
    return shape


__all__ = [
    "BY_DEPTH",
    "BY_LABEL",
    "IC_LAYER",
    "SPAN_BUCKETS",
    "LayerShape",
    "OrgShape",
    "People",
    "RosterError",
    "UnitShape",
    "check_modelable",
    "org_shape",
    "people",
    "read_org",
    "roster_options",
]
