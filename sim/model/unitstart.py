"""What a unit starts a workforce run from, as plain data: its columns (the manager
layers, then the ICs as one column or one per role) with their costs and attrition
(:class:`UnitColumns`), the terms it hires on (:class:`UnitTerms`), and its people,
planners, hires in flight and reskilling programmes at the start (:class:`UnitStart`),
made by :func:`start_unit`. The runs of one seed (a replication's status quo and its
savings bridge's steps) start alike, so what they share is worked out once
(:class:`SeedCache`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from sim.model.calendar import WEEKS_PER_YEAR, Calendar
from sim.model.headcountweek import steady_hires
from sim.model.roles import RoleGroups, columns, role_attrition, role_costs, role_groups
from sim.model.staffing import Planner, workload
from sim.scenario.drawn import DrawnLayer, DrawnScenario, DrawnUnit

T = TypeVar("T")


class SeedCache:
    """What the runs of one seed (a replication's status quo and its savings bridge's
    steps) start from alike, each part worked out once: by key, the seed's and the
    scenario's (``stream``: the seed's key, the unit's index in it)."""

    def __init__(self, cache: dict[tuple[object, ...], object] | None = None) -> None:
        self.cache: dict[tuple[object, ...], object] = {} if cache is None else cache
        self.stream: tuple[object, ...] = ()

    def at(self, stream: tuple[object, ...]) -> SeedCache:
        shared = SeedCache(self.cache)
        shared.stream = stream
        return shared

    def once(self, key: tuple[object, ...], make: Callable[..., T], *args: object) -> T:
        if key not in self.cache:
            self.cache[key] = make(*args)
        return self.cache[key]  # type: ignore[return-value]  # made by ``make``


@dataclass(frozen=True)
class UnitColumns:
    """A unit's columns: the manager layers top to bottom, then the ICs (one column, or
    one per role), each with its cost and annual attrition."""

    unit: str
    layers: tuple[DrawnLayer, ...]
    groups: RoleGroups  # the IC columns
    ic: int  # the first IC column
    cost: np.ndarray  # (columns,) fully loaded annual cost per head
    attrition: np.ndarray  # (columns,) annual attrition rate

    def layer_name(self, column: int) -> str:
        return self.layers[min(column, self.ic)].name

    def role_name(self, column: int) -> str | None:
        return (
            self.groups.names[column - self.ic] if self.groups.names and column >= self.ic else None
        )

    def ic_columns(self, role: str | None = None) -> list[int]:
        """The IC columns (the named role's only, if given)."""
        if role is None:
            return list(range(self.ic, self.cost.size))
        return [self.ic + self.groups.names.index(role)]

    def collapse(self, values: np.ndarray) -> np.ndarray:
        """Per column -> per layer: the role columns summed into the IC layer."""
        if not self.groups.names:
            return values
        return np.concatenate(
            [values[..., : self.ic], values[..., self.ic :].sum(-1)[..., None]], -1
        )


@dataclass(frozen=True)
class UnitTerms:
    """How a unit replaces people under the run's plan."""

    policy: str  # 'replace_leavers' or 'capacity'
    backfill_share: float  # of leavers replaced (replace_leavers)
    lag_weeks: int  # from requisition to start: a hire starts the week after, at the soonest
    cost_per_hire: float
    recognition_weeks: int  # how late planners see AI's effect on the work


@dataclass
class Reskilling:
    """One reskilling programme as the unit runs it: columns, weeks, its weekly quota."""

    source: int
    target: int
    start_week: int
    end_week: int
    per_week: float
    cost_per_person: float
    success_share: float
    carry: float = 0.0  # the fraction of a person the quota has not yet trained


@dataclass(frozen=True)
class UnitStart:
    """A unit at the start of a run: its columns and terms, its people, its planners
    (capacity staffing), the hires in flight, the reskilling programmes it runs."""

    columns: UnitColumns
    terms: UnitTerms
    count: np.ndarray  # (columns,) active people
    planner: Planner | None
    pipeline: np.ndarray  # (weeks + lag + 1, columns) hires arriving each week
    reskilling: tuple[Reskilling, ...]


def start_unit(
    scenario: DrawnScenario,
    unit: DrawnUnit,
    calendar: Calendar,
    freezes: bool,
    redeploy: bool,
    rounding: Callable[[], np.random.Generator] | None = None,
    shared: SeedCache | None = None,
) -> UnitStart:
    """A unit's start under a plan that applies its freezes (its own backfill share) and
    its internal moves, or not. ``rounding`` makes the stream that draws each column's
    offset for rounding its hires to whole people (none: plain rounding); ``shared``:
    what the runs of one seed and scenario start from alike, worked out once."""
    shared = shared or SeedCache()
    unit_columns = _columns(scenario, unit, shared)
    terms = _terms(scenario, unit, calendar, freezes)
    layers = unit_columns.layers
    count = np.array(
        [*(round(x.headcount) for x in layers[:-1]), *unit_columns.groups.counts], dtype=np.int64
    )
    n_columns = columns(unit)
    # the runs of a seed and scenario start alike: offsets, workload, hires in flight
    here = (shared.stream, id(scenario), unit.name)
    offsets = (
        shared.once(("offsets", *here), lambda: rounding().random(n_columns))
        if rounding is not None
        else np.full(n_columns, 0.5)
    )
    planner = None
    if terms.policy == "capacity":
        lag = terms.lag_weeks + 1
        work = shared.once(("work", *here[1:]), workload, scenario, unit, calendar, lag)
        staffing = scenario.staffing_for(unit.name)
        weights = _ic_weights(unit_columns.groups, staffing.target_utilisation == "start")
        planner = Planner(work, staffing, count, terms.lag_weeks, weights, offsets)
    pipeline = np.zeros((calendar.weeks + terms.lag_weeks + 1, n_columns), dtype=np.int64)
    replace = terms.policy == "replace_leavers"
    steady = ("steady", *here, terms.backfill_share if replace else None)
    pipeline[: terms.lag_weeks] = shared.once(
        steady,
        steady_hires,
        count,
        unit_columns.attrition,
        terms.backfill_share if replace else 1.0,
        terms.lag_weeks,
        offsets,
        planner,
    )
    programmes = _programmes(scenario, unit, calendar, unit_columns) if redeploy else ()
    return UnitStart(unit_columns, terms, count, planner, pipeline, programmes)


def _columns(scenario: DrawnScenario, unit: DrawnUnit, shared: SeedCache) -> UnitColumns:
    layers = unit.resolved_layers
    groups = shared.once(("groups", id(scenario), unit.name), role_groups, scenario, unit)
    managers = layers[:-1]
    cost = np.array([*(x.cost_per_head_annual for x in managers), *role_costs(unit)])
    default = (
        unit.attrition_annual
        if unit.attrition_annual is not None
        else (scenario.org.attrition_annual)
    )
    rates = [(x.attrition_annual if x.attrition_annual is not None else default) for x in layers]
    attrition = np.array([*rates[:-1], *role_attrition(unit, rates[-1])])
    return UnitColumns(unit.name, tuple(layers), groups, len(layers) - 1, cost, attrition)


def _terms(
    scenario: DrawnScenario, unit: DrawnUnit, calendar: Calendar, freezes: bool
) -> UnitTerms:
    backfill = scenario.org.backfill
    planned = scenario.restructuring.backfill_share
    staffing = scenario.staffing_for(unit.name)
    return UnitTerms(
        policy=staffing.policy,
        backfill_share=planned if freezes and planned is not None else backfill.share,
        # a hire starts the week after the requisition at the soonest
        lag_weeks=max(1, round(backfill.lag_weeks)),
        cost_per_hire=backfill.cost_per_hire,
        recognition_weeks=round(calendar.weeks_of(staffing.recognition_lag_months)),
    )


def _ic_weights(groups: RoleGroups, start_utilisation: bool) -> np.ndarray | None:
    """Each role's part of the ICs' need: its share of the starting ICs where planners
    staff to the starting utilisation (each role at its own), else its work share."""
    if not groups.names:
        return None
    if start_utilisation:
        total = groups.counts.sum()
        return groups.counts / total if total > 0 else groups.work_shares
    return groups.work_shares


def _programmes(
    scenario: DrawnScenario, unit: DrawnUnit, calendar: Calendar, unit_columns: UnitColumns
) -> tuple[Reskilling, ...]:
    found = []
    for p in scenario.restructuring.reskilling:
        if p.unit != unit.name:
            continue
        end = calendar.week_of(p.end) if p.end is not None else calendar.weeks - 1
        found.append(
            Reskilling(
                unit_columns.ic_columns(p.from_role)[0],
                unit_columns.ic_columns(p.to_role)[0],
                calendar.week_from(p.start),
                end,
                p.people_per_month * 12 / WEEKS_PER_YEAR,
                p.cost_per_person,
                p.success_share,
            )
        )
    return tuple(found)


def rounding_stream(unit_seed: np.random.SeedSequence) -> np.random.Generator:
    """The unit's stream for rounding its hires, spawned after its columns'."""
    return np.random.default_rng(unit_seed.spawn(1)[0])
