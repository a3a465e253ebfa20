"""One replication: the scenario and its baseline twin on common random numbers.

``run_replication(scenario, seed)`` draws the scenario's uncertain inputs once,
then simulates the status quo (same organisation and demand, no waves, no AI)
and the scenario on the same random streams, one stream per purpose
(parameters, workforce, work items, background reviews), so that scenario
minus baseline is precise. Out come two :class:`Trajectory` objects of monthly
arrays; nothing here knows about files or charts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.model.ai import AIResult, AIRollout, ProgramPath, RolePath, UnitEffects, no_ai
from sim.model.calendar import Calendar
from sim.model.demand import capacity_items, unit_demand
from sim.model.draws import draw
from sim.model.flowinput import UnitFlowInput
from sim.model.flowresult import UnitFlow
from sim.model.itemflow import MAX_BACKLOG_AUTOMATION
from sim.model.noflow import no_flow
from sim.model.prices import PriceLevels
from sim.model.roles import columns
from sim.model.sampling import Sample, plan_sample, teams_for_budget
from sim.model.severance import Entry, book, weeks_of
from sim.model.workflow import simulate_flow
from sim.model.workforce import (
    BRIDGE_STEPS,
    REDEPLOYMENT,
    STATUS_QUO,
    WHOLE_PLAN,
    DriverHook,
    LayerChange,
    MonthHook,
    Plan,
    UnitWorkforce,
    Workforce,
    WorkforceRun,
    simulate_workforces,
    wave_one_time_costs,
)
from sim.scenario.drawn import DrawnScenario, DrawnUnit, expected
from sim.scenario.months import label_from
from sim.scenario.schema import Scenario
from sim.scenario.timeline import run_months

#: the streams a replication's seed is split into, in this order, forever
STREAMS = ("parameters", "workforce", "items", "background")


@dataclass(frozen=True)
class UnitTrajectory:
    """One unit's monthly series. (months, layers) arrays run top layer to ICs;
    utilisation is (months, levels + 1): ICs first, then each management level upward."""

    name: str
    layers: tuple[str, ...]
    headcount: np.ndarray  # mean active staff in the month
    headcount_end: np.ndarray  # active staff at month end
    layer_exists: np.ndarray  # bool, at month end
    hires: np.ndarray
    leavers: np.ndarray
    cut: np.ndarray
    moved: np.ndarray  # moved down into the layer when the layer above was removed
    on_notice: np.ndarray  # mean people cut and still paid through notice
    payroll: np.ndarray  # money: active staff and notice pay
    paid_years: np.ndarray  # person-years paid for working (payroll at the layer's cost)
    role_paid_years: np.ndarray | None  # (months, roles) the ICs' paid_years by role
    notice_pay: np.ndarray  # money: the notice-pay part of payroll
    severance: np.ndarray  # money
    hiring_cost: np.ndarray  # (months,) money
    ic_capacity_hours_per_week: np.ndarray  # (months,) after survivors' dip
    arrived: np.ndarray  # items, whole unit
    done: np.ndarray
    in_progress: np.ndarray
    cycle_time_mean_weeks: np.ndarray
    cycle_time_p90_weeks: np.ndarray
    cycle_time_se_weeks: np.ndarray  # sampling error of the monthly mean
    wait_mean_weeks: np.ndarray  # part of the cycle time spent queueing
    done_se: np.ndarray  # sampling error of monthly items done
    utilisation: np.ndarray
    ai_effort_multiplier: np.ndarray
    ai_automation_share: np.ndarray
    needed: np.ndarray  # (months, layers) people planners staff for (nan: replace_leavers)
    ai_workload_factor: np.ndarray  # (months,) share of the no-AI IC workload left
    ic_capacity_items_per_week: np.ndarray  # (months,) items the ICs can finish a week
    demand_per_week: np.ndarray  # (months,) expected items arriving a week
    backlog: np.ndarray  # items waiting for an IC at month end (nan: backlog mode)
    sampled_teams: int
    items_per_simulated_item: float
    background_reviews: int  # reviews simulated for the teams not sampled (0 at full)
    #: items in the flow at the horizon, counted where they are (not arrived - done)
    left_at_horizon: float
    roles: tuple[str, ...] = ()  # the ICs' roles (sim.model.roles); none: one kind of IC
    #: redeployment (sim.model.redeploy), where a wave has it: people who joined from
    #: notice (months, layers), the severance they did not get and their retraining (money)
    redeployed: np.ndarray | None = None
    severance_avoided: np.ndarray | None = None
    retraining: np.ndarray | None = None
    #: reskilling programmes, where the plan has them: people moved in (months, layers)
    #: and what the programmes cost (money)
    reskilled: np.ndarray | None = None
    reskilling: np.ndarray | None = None
    role_headcount: np.ndarray | None = None  # (months, roles) mean active ICs per role
    role_needed: np.ndarray | None = None  # (months, roles) ICs planners staff for, per role


@dataclass(frozen=True)
class Trajectory:
    """Monthly results of one run (the scenario, or its baseline twin)."""

    months: tuple[str, ...]  # YYYY-MM
    units: tuple[UnitTrajectory, ...]
    programs: tuple[ProgramPath, ...]
    roles: tuple[RolePath, ...]
    wave_one_time_cost: np.ndarray  # (months,) money
    simulated_items: int
    station_visits: int
    #: what each wave did to each layer, with the notice pay and severance it booked
    layer_changes: tuple[LayerChange, ...] = ()
    #: the cuts and placements its severance was booked from (sim.model.severance)
    severance_ledger: tuple[Entry, ...] = ()

    @property
    def headcount(self) -> np.ndarray:
        """Active staff per month, whole organisation, new roles included."""
        total = sum(u.headcount.sum(axis=1) for u in self.units)
        return total + sum((r.headcount for r in self.roles), np.zeros(len(self.months)))

    @property
    def headcount_at_end(self) -> float:
        """Active staff at the end of the horizon, new roles included."""
        people = sum(float(u.headcount_end[-1].sum()) for u in self.units)
        return people + sum(float(r.headcount[-1]) for r in self.roles)

    @property
    def done(self) -> np.ndarray:
        return sum(u.done for u in self.units)  # type: ignore[return-value]  # units: never none


@dataclass(frozen=True)
class Replication:
    """A scenario run and its baseline twin, with the inputs drawn for them."""

    scenario: Trajectory
    baseline: Trajectory
    parameters: dict[str, float]  # drawn inputs by dotted path
    inputs: DrawnScenario  # the scenario with every drawn input fixed to its value
    #: payroll per unit and month (units, months; the scenario's unit order, at its
    #: costs) of the status quo, then of the plan with each cause added in turn
    #: (workforce.BRIDGE_STEPS), on the same random streams: the savings bridge
    payroll_steps: dict[str, np.ndarray]
    #: hires per unit and month that the plan without AI would have made (None: the
    #: savings bridge's steps were not simulated, see :func:`run_replications`)
    hires_without_ai: tuple[np.ndarray, ...] | None
    #: pay and seat prices each month against the valuation month's: the engine
    #: funds seats at them, the finance grows the engine's money by them
    prices: PriceLevels
    #: the status quo this replication was measured against (see :class:`Twin`)
    twin: Twin | None = None


#: the parts of a scenario the status quo never reads: the plan (waves, AI), the
#: money (finance), and the correlations (already in the drawn values)
PLAN_PARTS = frozenset({"restructuring", "ai", "finance", "correlations"})


@dataclass(frozen=True)
class Twin:
    """The baseline twin of one replication: the status quo's workforce and work flow.

    It depends only on the organisation, the work and the calendar as drawn for the
    replication, and on the replication's seed, never on the plan: every plan a study
    tries on the same seed has the same twin, so a study simulates it once (its
    ``key`` names those inputs) and hands it back to later replications."""

    key: str
    people: Workforce
    payroll: np.ndarray  # (units, months)
    samples: tuple[Sample, ...]
    trajectory: Trajectory
    seconds: float  # what simulating it took: what reusing it saves


def twin_key(
    concrete: Scenario,
    calendar: Calendar,
    fidelity: int | str,
    flow: bool,
    root: np.random.SeedSequence,
) -> str:
    """The inputs the twin of a replication reads, hashed: equal keys, equal twins."""
    data = concrete.model_dump(mode="json", exclude=set(PLAN_PARTS))
    seed = [str(root.entropy), list(root.spawn_key)]
    text = json.dumps(
        [data, str(calendar.start), calendar.months, fidelity, flow, seed], sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()


def run_replication(
    scenario: Scenario,
    seed: int | np.random.SeedSequence,
    fidelity_items: int | str | None = None,
    flow: bool = True,
    twins: Mapping[str, Twin] | None = None,
) -> Replication:
    """Simulate one replication; ``fidelity_items`` overrides the scenario's setting.

    ``flow=False`` skips the work flow (sim.model.noflow): headcount and money are
    the same as with it, every flow measure is NaN. For money-only studies.
    ``twins``: status quos already simulated on this seed, by key; the one whose
    key matches is reused instead of simulated again (the same figures, sooner)."""
    return run_replications(scenario, [seed], fidelity_items, flow, twins)[0]


def run_replications(
    scenario: Scenario,
    seeds: Sequence[int | np.random.SeedSequence],
    fidelity_items: int | str | None = None,
    flow: bool = True,
    twins: Mapping[str, Twin] | None = None,
    bridge: bool = True,
) -> list[Replication]:
    """Simulate several replications, their workforces in one batch
    (:func:`~sim.model.workforce.simulate_workforces`): each replication is the one
    :func:`run_replication` gives for its seed, to the bit, whatever it is batched with.

    ``bridge=False`` skips the savings bridge's steps (the plan without AI, without the
    freezes, ...): the plan and its twin are simulated on the same streams as with them,
    so every headline is the same, but the replication has no bridge (for studies that
    read headlines only)."""
    began = time.perf_counter()
    starts = [_Start.of(scenario, seed, fidelity_items, flow, twins, bridge) for seed in seeds]
    # the status quos not handed in and the savings bridge's steps without AI, all at
    # once; then the whole plans, whose AI rollouts are funded against their twins
    runs = [
        start.workforce(plan)
        for start in starts
        for plan in ([] if start.twin is not None else [STATUS_QUO])
        + [plan for _, plan in start.bridge]
    ]
    firsts = iter(simulate_workforces(runs))
    simulated = sum(start.twin is None for start in starts)
    # what simulating a status quo took (its share of the batch): what reusing it saves
    share = (time.perf_counter() - began) / max(len(runs), 1) if simulated else 0.0
    steps, twins_now = [], []
    for start in starts:
        twin = start.twin or start.new_twin(next(firsts), flow, share)
        steps.append([next(firsts) for _ in start.bridge])
        twins_now.append(twin)
    rollouts = [
        AIRollout(start.concrete, start.calendar, twin.payroll, start.prices)
        for start, twin in zip(starts, twins_now, strict=True)
    ]
    plans = simulate_workforces(
        [
            start.workforce(WHOLE_PLAN, rollout.month, rollout.driven)
            for start, rollout in zip(starts, rollouts, strict=True)
        ]
    )
    return [
        start.replication(twin, step, plan, rollout.result(), flow)
        for start, twin, step, plan, rollout in zip(
            starts, twins_now, steps, plans, rollouts, strict=True
        )
    ]


@dataclass(frozen=True)
class _Start:
    """A replication's seed split into its streams, the inputs it drew, and its status
    quo if one was handed in."""

    streams: dict[str, np.random.SeedSequence]
    concrete: DrawnScenario
    parameters: dict[str, float]
    calendar: Calendar
    prices: PriceLevels
    fidelity: int | str
    key: str  # of its twin ("": none asked for)
    twin: Twin | None
    steps: bool = True  # whether the savings bridge's steps are simulated

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        seed: int | np.random.SeedSequence,
        fidelity_items: int | str | None,
        flow: bool,
        twins: Mapping[str, Twin] | None,
        steps: bool = True,
    ) -> _Start:
        # a SeedSequence passed in is copied, never spawned from: spawning moves it on,
        # so a second call with the same object would get other streams
        root = (
            _copy(seed)
            if isinstance(seed, np.random.SeedSequence)
            else np.random.SeedSequence(seed)
        )
        streams = dict(zip(STREAMS, root.spawn(len(STREAMS)), strict=True))
        concrete, parameters = draw(scenario, streams["parameters"])
        calendar = _calendar(concrete.meta.start, run_months(concrete))
        fidelity = fidelity_items if fidelity_items is not None else concrete.meta.fidelity_items
        key = twin_key(concrete, calendar, fidelity, flow, root) if twins is not None else ""
        prices = PriceLevels.of(concrete, calendar.months)
        twin = (twins or {}).get(key)
        return cls(streams, concrete, parameters, calendar, prices, fidelity, key, twin, steps)

    @property
    def bridge(self) -> list[tuple[str, Plan]]:
        """The savings bridge's steps without AI; the internal-moves step only where the
        plan moves people internally (redeployment in a wave, or reskilling): without
        it, it would be the step before, again. None at all with ``bridge=False``."""
        if not self.steps:
            return []
        plan = self.concrete.restructuring
        moves = any(w.redeployment is not None for w in plan.waves) or bool(plan.reskilling)
        return [(name, step) for name, step in BRIDGE_STEPS[:-1] if moves or name != REDEPLOYMENT]

    def workforce(
        self, plan: Plan, hook: MonthHook | None = None, drivers: DriverHook | None = None
    ) -> WorkforceRun:
        return WorkforceRun(
            self.concrete, self.calendar, _copy(self.streams["workforce"]), plan, hook, drivers
        )

    def new_twin(self, people: Workforce, flow: bool, seconds: float) -> Twin:
        """The status quo of this replication from its workforce run."""
        began = time.perf_counter()
        concrete, calendar = self.concrete, self.calendar
        samples = tuple(_plan_samples(concrete, calendar, people, self.fidelity))
        trajectory = _trajectory(
            concrete,
            calendar,
            people,
            no_ai(concrete, calendar),
            list(samples),
            self.streams,
            flow,
        )
        payroll = _payroll(people, calendar)
        return Twin(
            self.key, people, payroll, samples, trajectory, seconds + time.perf_counter() - began
        )

    def replication(
        self,
        twin: Twin,
        steps: list[Workforce],
        people: Workforce,
        ai: AIResult,
        flow: bool,
    ) -> Replication:
        """The replication from its twin and workforce runs: the savings bridge's steps
        without AI (:attr:`bridge`, in :data:`BRIDGE_STEPS` order), then the whole plan."""
        concrete, calendar = self.concrete, self.calendar
        payroll_steps = {"status_quo": twin.payroll}
        for (name, _), step in zip(self.bridge, steps, strict=True):
            payroll_steps[name] = _payroll(step, calendar)
        payroll_steps[BRIDGE_STEPS[-1][0]] = _payroll(people, calendar)
        without_ai = steps[-1] if steps else None
        result = _trajectory(concrete, calendar, people, ai, list(twin.samples), self.streams, flow)
        return Replication(
            result,
            twin.trajectory,
            self.parameters,
            concrete,
            payroll_steps=payroll_steps,
            hires_without_ai=None
            if without_ai is None
            else tuple(calendar.monthly_sum(u.hires).sum(axis=1) for u in without_ai.units),
            prices=self.prices,
            twin=twin,
        )


def refinanced(replication: Replication, inputs: DrawnScenario) -> Replication:
    """The replication as simulated with ``inputs``, which differ from its own only in
    what the engine does not read but the finance does (the discount rate, the terminal
    value), in the waves' one-time costs and in the severance terms, whose money is
    booked again as the engine books it (from the cuts the replication kept): the
    figures of simulating it again, to the bit."""
    calendar = _calendar(inputs.meta.start, run_months(inputs))
    costs = wave_one_time_costs(inputs.restructuring.waves, calendar)
    trajectory = _severed(replication.scenario, inputs, calendar)
    trajectory = dataclasses.replace(trajectory, wave_one_time_cost=costs)
    return dataclasses.replace(replication, inputs=inputs, scenario=trajectory)


def _severed(trajectory: Trajectory, inputs: DrawnScenario, calendar: Calendar) -> Trajectory:
    """The trajectory with its severance booked at ``inputs``' terms (sim.model.severance:
    the function the engine books it with, on the cuts it kept)."""
    if not trajectory.severance_ledger:
        return trajectory
    weeks = weeks_of(inputs.restructuring)
    shapes = {u.name: (len(u.resolved_layers), columns(u)) for u in inputs.org.units}
    booked = book(trajectory.severance_ledger, weeks, calendar.months, shapes)
    units = tuple(
        dataclasses.replace(
            unit,
            severance=booked.severance[unit.name],
            severance_avoided=None
            if unit.severance_avoided is None
            else booked.avoided[unit.name].sum(axis=1),
        )
        for unit in trajectory.units
    )
    changes, seen = [], dict.fromkeys(shapes, 0)  # a change's index among its unit's
    for change in trajectory.layer_changes:
        key = (change.unit, seen[change.unit])
        seen[change.unit] += 1
        if key in booked.changes:
            change = dataclasses.replace(
                change, severance=booked.changes[key], severance_weeks=weeks[change.wave]
            )
        changes.append(change)
    return dataclasses.replace(trajectory, units=units, layer_changes=tuple(changes))


@functools.lru_cache(maxsize=8)
def _calendar(start: dt.date, months: int) -> Calendar:
    """One calendar per horizon, shared by the replications on it: its day tables are
    computed once, not once a replication (a calendar is immutable, its tables cached)."""
    return Calendar(start, months)


def _copy(seed: np.random.SeedSequence) -> np.random.SeedSequence:
    """The same stream again (spawning changes a SeedSequence's state)."""
    return np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key)


def _payroll(people: Workforce, calendar: Calendar) -> np.ndarray:
    """(units, months): each unit's payroll, notice pay included, at the scenario's costs
    (units apart: each grows at its own pay rate)."""
    return np.array([_monthly_payroll(u, calendar)[0].sum(axis=1) for u in people.units])


def _monthly_payroll(unit: UnitWorkforce, calendar: Calendar) -> tuple[np.ndarray, np.ndarray]:
    """(payroll incl. notice pay, notice pay) per month and layer: pay by the day."""
    return unit.working_pay + unit.notice_pay, unit.notice_pay


def _plan_samples(
    scenario: DrawnScenario, calendar: Calendar, people: Workforce, fidelity: int | str
) -> list[Sample]:
    """Teams per unit so that about ``fidelity`` items are simulated per run."""
    demands = [unit_demand(scenario, calendar, u) for u in scenario.org.units]
    total = sum(d.sum() for d in demands)
    samples = []
    for unit, demand in zip(people.units, demands, strict=True):
        managers0 = unit.headcount[0, :-1][::-1]
        if fidelity == "full":
            samples.append(plan_sample(managers0, None))
            continue
        first_line = max(1.0, round(managers0[0]))
        teams = teams_for_budget(float(fidelity), demand.sum(), total, first_line)
        samples.append(plan_sample(managers0, teams))
    return samples


def _flow_input(
    scenario: DrawnScenario,
    calendar: Calendar,
    unit: UnitWorkforce,
    unit_spec: DrawnUnit,
    effects: UnitEffects,
) -> UnitFlowInput:
    work = scenario.work_for(unit.name)
    levels = len(unit.layers) - 1
    weekly = calendar.month_of_week
    shares = np.zeros(levels)
    for k, share in enumerate(work.signoff_shares):
        shares[min(k, levels - 1)] += share  # deeper than the chain: the top signs
    going_down = np.ones(levels, dtype=bool)
    top_down = list(unit.layers)
    for wave in scenario.restructuring.waves:
        for removal in wave.remove_layers:
            if removal.unit == unit.name:
                level = len(top_down) - 1 - top_down.index(removal.layer)
                going_down[level - 1] = removal.signoffs_go == "down"
    effort = effects.effort_multiplier[weekly] / np.maximum(1 - unit.productivity_dip, 1e-6)
    automation = effects.automation_share[weekly]
    demand = unit_demand(scenario, calendar, unit_spec)
    if work.mode == "backlog":  # the reviews of unsampled teams follow the expected output
        demand = _capacity_items(scenario, unit, effort, automation)
    return UnitFlowInput(
        demand_per_week=demand,
        ics=unit.headcount[:, -1],
        managers=unit.headcount[:, :-1][:, ::-1],
        level_exists=unit.exists[:, :-1][:, ::-1],
        review_share=unit.review_share[:-1][::-1],
        effort_multiplier=effort,
        automation_share=automation,
        review_multiplier=effects.review_multiplier[weekly],
        signoff_shares=shares,
        signoffs_go_down=going_down,
        effort_hours=work.effort_hours,
        review_hours=work.review_hours,
        handoff_delay_days=work.handoff_delay_days,
        ic_hours_per_week=work.ic_hours_per_week,
        manager_hours_per_week=work.manager_hours_per_week,
        automated_review_share=work.automated_review_share,
        mode=work.mode,
    )


def _capacity_items(
    scenario: DrawnScenario, unit: UnitWorkforce, effort: np.ndarray, automation: np.ndarray
) -> np.ndarray:
    """Items a week the unit's ICs can finish, by week: IC hours over the expected effort
    per item (AI and survivors' dip included), plus the items AI takes end to end."""
    work = scenario.work_for(unit.name)
    hours = unit.headcount[:, -1] * work.ic_hours_per_week
    automated = np.minimum(automation, MAX_BACKLOG_AUTOMATION)
    return np.asarray(capacity_items(hours, expected(work.effort_hours), effort, automated))


def _trajectory(
    scenario: DrawnScenario,
    calendar: Calendar,
    people: Workforce,
    ai: AIResult,
    samples: list[Sample],
    streams: dict[str, np.random.SeedSequence],
    flow: bool = True,
) -> Trajectory:
    units = scenario.org.units
    specs = [
        _flow_input(scenario, calendar, u, spec, e)
        for u, spec, e in zip(people.units, units, ai.effects, strict=True)
    ]
    item_seeds = _copy(streams["items"]).spawn(len(units))
    background_seeds = _copy(streams["background"]).spawn(len(units))
    flows = (
        simulate_flow(specs, samples, calendar, item_seeds, background_seeds)
        if flow
        else no_flow(specs, calendar)
    )
    return Trajectory(
        months=tuple(label_from(calendar.start, m) for m in range(calendar.months)),
        units=tuple(
            _unit_trajectory(scenario, u, f, e, calendar)
            for u, f, e in zip(people.units, flows, ai.effects, strict=True)
        ),
        programs=ai.programs,
        roles=ai.roles,
        wave_one_time_cost=people.wave_one_time_cost,
        simulated_items=sum(f.simulated_items for f in flows),
        station_visits=sum(f.station_visits for f in flows),
        layer_changes=people.changes,
        severance_ledger=people.severance,
    )


def _unit_trajectory(
    scenario: DrawnScenario,
    unit: UnitWorkforce,
    flow: UnitFlow,
    effects: UnitEffects,
    calendar: Calendar,
) -> UnitTrajectory:
    payroll, notice = _monthly_payroll(unit, calendar)
    month_ends = calendar.month_end_weeks
    hours_per_ic = scenario.work_for(unit.name).ic_hours_per_week
    ic_hours = unit.headcount[:, -1] * (1 - unit.productivity_dip) * hours_per_ic
    weekly = calendar.month_of_week
    effort = effects.effort_multiplier[weekly] / np.maximum(1 - unit.productivity_dip, 1e-6)
    capacity = _capacity_items(scenario, unit, effort, effects.automation_share[weekly])
    spec = scenario.unit(unit.name)
    return UnitTrajectory(
        name=unit.name,
        layers=unit.layers,
        headcount=calendar.monthly_mean(unit.headcount),
        headcount_end=unit.headcount[month_ends],
        layer_exists=unit.exists[month_ends],
        hires=calendar.monthly_sum(unit.hires),
        leavers=calendar.monthly_sum(unit.leavers),
        cut=unit.cut_in_month,
        moved=unit.moved_in_month,
        on_notice=unit.on_notice,
        payroll=payroll,
        paid_years=unit.paid_years,
        role_paid_years=unit.role_paid_years,
        notice_pay=notice,
        severance=unit.severance,
        hiring_cost=calendar.monthly_sum(unit.hiring_cost).sum(axis=1),
        ic_capacity_hours_per_week=calendar.monthly_mean(ic_hours),
        arrived=flow.arrived,
        done=flow.done,
        in_progress=flow.in_progress,
        cycle_time_mean_weeks=flow.cycle_time_mean_weeks,
        cycle_time_p90_weeks=flow.cycle_time_p90_weeks,
        cycle_time_se_weeks=flow.cycle_time_se_weeks,
        wait_mean_weeks=flow.wait_mean_weeks,
        done_se=flow.done_se,
        utilisation=flow.utilisation,
        ai_effort_multiplier=effects.effort_multiplier,
        ai_automation_share=effects.automation_share,
        needed=calendar.monthly_mean(unit.needed),
        ai_workload_factor=calendar.monthly_mean(unit.ai_factor),
        ic_capacity_items_per_week=calendar.monthly_mean(capacity),
        demand_per_week=calendar.monthly_mean(unit_demand(scenario, calendar, spec)),
        backlog=flow.backlog,
        sampled_teams=flow.teams,
        items_per_simulated_item=flow.scale,
        background_reviews=flow.background_items,
        left_at_horizon=flow.left_at_horizon,
        roles=unit.roles,
        role_headcount=_monthly_mean(calendar, unit.role_headcount),
        role_needed=_monthly_mean(calendar, unit.role_needed),
        redeployed=None if unit.redeployed is None else calendar.monthly_sum(unit.redeployed),
        severance_avoided=None
        if unit.severance_avoided is None
        else unit.severance_avoided.sum(axis=1),
        retraining=unit.retraining,
        reskilled=None if unit.reskilled is None else calendar.monthly_sum(unit.reskilled),
        reskilling=unit.reskilling,
    )


def _monthly_mean(calendar: Calendar, weekly: np.ndarray | None) -> np.ndarray | None:
    return None if weekly is None else calendar.monthly_mean(weekly)
