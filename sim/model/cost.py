"""What a replication will cost before it runs: work items simulated, time, memory.

The engine's cost grows with the work items it simulates, not with the people
(DESIGN.md, "Scale arithmetic"): about 5 us a station visit, a few visits an
item, and each item in flight is a SimPy process held in memory. A run is sized
from the scenario's nominal values with the same team sampling the engine uses,
so a scenario the model cannot compute (a unit whose smallest sample is
millions of items, ``fidelity_items: full`` on a large organisation) is refused
in one line before any work starts, and a long one says how long.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.model.calendar import Calendar
from sim.model.demand import capacity_items, unit_demand
from sim.model.roles import columns
from sim.model.sampling import plan_sample, reviewer_stations, teams_for_budget
from sim.scenario.drawn import DrawnScenario, DrawnUnit, expected, nominal_scenario
from sim.scenario.schema import MAX_FIDELITY_ITEMS, Scenario
from sim.scenario.timeline import run_months

#: seconds per simulated item (an IC service and a review or two, as callbacks): measured
#: 5.5-6.3 us on ecommerce-2026's items, its twin's included (bench/bench_money.py)
SECONDS_PER_ITEM = 6e-6
#: seconds per simulated server per week: the weekly driver sets each one's speed and
#: draws its background reviews (ten million directors take minutes, not items)
SECONDS_PER_SERVER_WEEK = 2e-6
#: bytes per work item held at once (a SimPy process, its events, its record), and per
#: simulated server; an overloaded unit holds every unfinished item
BYTES_PER_ITEM = 2_000
BYTES_PER_SERVER = 400
#: a replication's money part (its five or six workforce runs: the status quo, the
#: savings bridge's steps and the plan, batched with other replications' when it has no
#: work flow; then its cash flows and summary, and the coordinator's share): seconds per
#: column of the organisation (a layer, or a role of the ICs) and simulated week, and a
#: fixed part. Measured on the shipped scenarios, batched as a worker batches them
#: (sim.runs.chunks.MONEY_CHUNK): 14 ms (ai-only, 12 columns) to 43 ms (status-quo, 45)
MONEY_SECONDS_PER_COLUMN_WEEK = 5.5e-6
MONEY_SECONDS_FIXED = 0.006
#: a plan that moves people internally (redeployment from notice, reskilling) runs one
#: more workforce run and places people week by week: its money part costs this much more
#: (ecommerce-2026: 82 ms against status-quo's 43 on the same organisation)
MONEY_INTERNAL_MOVES_FACTOR = 1.8
#: a run's own seconds besides its replications: starting (the engine's imports, the
#: workers'), and writing the tables and the workbook (a fixed part and a part a
#: replication); the charts of a run, and of a comparison. Measured as CPU seconds of
#: ``run -n 2 --no-flow`` with and without charts: 1.7 s, and 3.8 s more with them
START_SECONDS = 1.0
TABLES_SECONDS = 0.7
TABLES_SECONDS_PER_REPLICATION = 0.004
CHARTS_SECONDS = 4.0


class RunCostError(ValueError):
    """A run the model cannot compute within this machine: one line for the user."""


@dataclass(frozen=True)
class RunCost:
    """The cost of one replication (the scenario and its baseline twin)."""

    items: float  # work items simulated, tracked and background, both runs
    servers: float  # stations built (sampled teams and managers), both runs
    full: bool  # fidelity_items: full
    weeks: int = 0  # simulated weeks
    #: of ``items``, the sampled teams' own (the rest are background reviews that bring
    #: each sampled manager's load up to a real manager's)
    tracked: float = 0.0

    @property
    def seconds(self) -> float:
        return self.items * SECONDS_PER_ITEM + self.servers * self.weeks * SECONDS_PER_SERVER_WEEK

    @property
    def memory_bytes(self) -> float:
        """The most one replication can hold: every item in flight at once."""
        return self.items / 2 * BYTES_PER_ITEM + self.servers * BYTES_PER_SERVER


@dataclass(frozen=True)
class RunTime:
    """The wall time of a whole run: its replications with their work flow (the first
    ``flow_replications``), those without, on ``workers`` processes, and its files."""

    flow: RunCost  # one replication's work flow (scenario and twin)
    money_seconds: float  # one replication's money part (every replication has one)
    replications: int
    flow_replications: int
    workers: int
    charts: bool = True

    @property
    def replication_seconds(self) -> float:
        """The replications' share: a worker takes one replication with its work flow at
        a time, and money-only replications in batches."""
        workers = max(1, self.workers)
        with_flow = math.ceil(self.flow_replications / workers)
        without = (self.replications - self.flow_replications) / workers
        return with_flow * (self.flow.seconds + self.money_seconds) + without * self.money_seconds

    @property
    def seconds(self) -> float:
        files = TABLES_SECONDS + TABLES_SECONDS_PER_REPLICATION * self.replications
        charts = CHARTS_SECONDS if self.charts else 0.0
        return START_SECONDS + self.replication_seconds + files + charts


def money_seconds(uncertain: Scenario) -> float:
    """Seconds of one replication's money part, from the organisation's size."""
    scenario = nominal_scenario(uncertain)
    width = sum(columns(unit) for unit in scenario.org.units)
    weeks = Calendar(scenario.meta.start, run_months(scenario)).weeks
    plan = scenario.restructuring
    moves = any(w.redeployment is not None for w in plan.waves) or bool(plan.reskilling)
    factor = MONEY_INTERNAL_MOVES_FACTOR if moves else 1.0
    return MONEY_SECONDS_FIXED + MONEY_SECONDS_PER_COLUMN_WEEK * width * weeks * factor


def run_time(
    uncertain: Scenario,
    replications: int,
    workers: int,
    flow_replications: int,
    charts: bool = True,
    fidelity_items: int | str | None = None,
) -> RunTime:
    """The wall time of a run of ``replications``, the work flow in the first
    ``flow_replications``, on ``workers`` processes, with its files (and charts)."""
    return RunTime(
        flow=estimate(uncertain, fidelity_items),
        money_seconds=money_seconds(uncertain),
        replications=replications,
        flow_replications=min(flow_replications, replications),
        workers=workers,
        charts=charts,
    )


def estimate(uncertain: Scenario, fidelity_items: int | str | None = None) -> RunCost:
    """Items, servers and seconds of one replication, from the scenario at its means."""
    scenario = nominal_scenario(uncertain)
    fidelity = fidelity_items if fidelity_items is not None else scenario.meta.fidelity_items
    calendar = Calendar(scenario.meta.start, run_months(scenario))
    demands = [float(unit_demand(scenario, calendar, u).sum()) for u in scenario.org.units]
    total = sum(demands)
    items = servers = tracked_items = 0.0
    for unit, demand in zip(scenario.org.units, demands, strict=True):
        heads = [layer.headcount for layer in unit.resolved_layers]
        managers0 = np.array(heads[:-1][::-1])
        first_line = max(1.0, round(managers0[0]))
        if fidelity == "full":
            teams = None
        else:
            teams = teams_for_budget(float(fidelity), demand, total, first_line)
        sample = plan_sample(managers0, teams)
        work = scenario.work_for(unit.name)
        # teams are sampled on demand (as the engine does); in backlog mode each IC pulls
        # items as fast as it can, so a sampled team works through its capacity instead
        output = _capacity(scenario, calendar, unit) if work.mode == "backlog" else demand
        tracked = sample.teams * output / first_line
        reach = _reach(work.signoff_shares, len(managers0))
        stations = reviewer_stations(sample, managers0)
        # each level's stations carry a real manager's load; background tops them up
        background = sum(
            max(count * demand * share / max(managers, 1.0) - tracked * share, 0.0)
            for count, share, managers in zip(stations, reach, managers0, strict=True)
        )
        items += tracked + background
        tracked_items += tracked
        servers += sample.teams + sum(stations)
    return RunCost(
        items=2 * items,
        servers=2 * servers,
        full=fidelity == "full",
        weeks=calendar.weeks,
        tracked=2 * tracked_items,
    )


def _capacity(scenario: DrawnScenario, calendar: Calendar, unit: DrawnUnit) -> float:
    """Items a backlog-mode unit's starting ICs finish over the run (before AI: with it
    they finish more, up to 1 / (1 - uplift) times as many)."""
    work = scenario.work_for(unit.name)
    ics0 = float(round(unit.resolved_layers[-1].headcount))
    hours = ics0 * work.ic_hours_per_week * calendar.weeks
    return float(capacity_items(hours, expected(work.effort_hours)))


def _reach(shares: tuple[float, ...], levels: int) -> list[float]:
    """Share of items reaching each management level for sign-off."""
    per_level = [0.0] * levels
    for k, share in enumerate(shares):
        per_level[min(k, levels - 1)] += share
    return [sum(per_level[level:]) for level in range(levels)]


def check(cost: RunCost, workers: int, available_bytes: float | None = None) -> None:
    """Refuse a replication the model cannot compute here; raise :class:`RunCostError`."""
    check_size(cost)
    per_replication = f"{_count(cost.items)} work items a replication (scenario and twin)"
    available = available_memory() if available_bytes is None else available_bytes
    needed = cost.memory_bytes * max(1, workers)
    if available is not None and needed > available:
        raise RunCostError(
            f"this run could need {needed / 1e9:.1f} GB ({per_replication} on {workers} "
            f"worker(s)) and {available / 1e9:.1f} GB is free; lower meta.fidelity_items "
            "or --workers"
        )


def check_size(cost: RunCost) -> None:
    """Refuse a replication the model cannot compute on any machine (what ``validate``
    checks too, so that a file it accepts is never refused by ``run`` for its size)."""
    per_replication = f"{_count(cost.items)} work items a replication (scenario and twin)"
    if cost.items > 2 * MAX_FIDELITY_ITEMS:
        if cost.full:
            fix = (
                "give meta.fidelity_items a number instead of 'full' (the default 50,000 "
                "samples teams and reports the sampling error)"
            )
        else:
            fix = (
                "a single sampled team already gets that many: lower the unit's "
                "arrivals_per_ic_per_week, or give it first-line managers"
            )
        raise RunCostError(
            f"this run would simulate {per_replication}, past the model's "
            f"{_count(2 * MAX_FIDELITY_ITEMS)} (about {duration(cost.seconds)} each); {fix}"
        )


def describe(cost: RunCost, replications: int, workers: int) -> str:
    """One line: the items simulated and the time it should take."""
    rounds = math.ceil(replications / max(1, workers))
    return (
        f"simulating {_items(cost)}, about "
        f"{duration(cost.seconds)} each, {duration(cost.seconds * rounds)} in all on "
        f"{workers} worker(s)"
    )


def _items(cost: RunCost) -> str:
    """The work items a replication simulates, and what they are."""
    parts = ""
    if cost.tracked and not cost.full:
        parts = (
            f" ({_count(cost.tracked)} items of the sampled teams, about meta.fidelity_items "
            f"in the scenario and again in its twin, and {_count(cost.items - cost.tracked)} "
            "background reviews that give each sampled manager a real manager's load)"
        )
    return f"{_count(cost.items)} work items a replication{parts}"


def describe_run(time: RunTime, until: str | None = None) -> str:
    """One line: which replications simulate the work flow, the items each of them
    simulates, and the time the whole run should take. ``until``: the --precision a run
    stops at once it is met, so its count and time are ceilings."""
    if until is not None:
        flow = (
            f"the work flow in the first {time.flow_replications}: {_items(time.flow)}"
            if time.flow_replications
            else "money and headcount only"
        )
        return (
            f"simulating until {until} is met, at most {time.replications} replications "
            f"(--max-replications), {flow}; at most about {duration(time.seconds)} in all on "
            f"{time.workers} worker(s), less if it is met sooner"
        )
    if time.flow_replications == 0:
        what = f"money and headcount only for {time.replications} replications"
    else:
        share = (
            "every one"
            if time.flow_replications == time.replications
            else f"the first {time.flow_replications}"
        )
        what = f"{time.replications} replications, the work flow in {share}: {_items(time.flow)}"
    return f"simulating {what}; about {duration(time.seconds)} in all on {time.workers} worker(s)"


def available_memory() -> float | None:
    """Bytes of memory free for new work (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _count(items: float) -> str:
    return f"{items:,.0f}" if items < 1e12 else f"{items:.2g}"


def duration(seconds: float) -> str:
    """A time as people read it: '40 s', '12 min', '1.5 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.3g} days"
