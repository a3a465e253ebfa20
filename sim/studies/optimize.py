"""Choose the plan: search its levers for the best statistic under chance constraints.

"Which cut, which layer, when, and how much of the savings to put into AI, for the
highest mean NPV while P(NPV > 0) stays at least 90% and the P80 payback within 18
months?" The search is Optuna's (https://optuna.org): TPE for one objective, NSGA-II
for two (a Pareto front), each given the constraints so that it learns where the
feasible plans are. Every candidate runs the same replications on the same random
numbers (common random numbers), so two candidates differ by their decisions alone,
never by noise; a candidate tried twice is simulated once. The status quo is the same
for every candidate: its twin is simulated once per replication seed and reused
(sim.runs.twins), and the work flow is skipped when no statistic asked reads it
(sim.studies.fidelity). Seeded: the same study gives the same candidates in the same
order. The study lives in an Optuna storage the caller gives (a journal file in the
output folder, so a long search can be resumed).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import optuna

from sim.runs.heldpool import HeldPool
from sim.runs.orchestrator import simulate
from sim.runs.plan import Pool, RunPlan
from sim.runs.twins import TwinCache
from sim.scenario.schema import Scenario
from sim.studies.batch import IN_PROCESS
from sim.studies.decisions import (
    CHOICE,
    Constraint,
    Decision,
    Objective,
    Statistic,
    apply,
    parse_statistic,
)
from sim.studies.fidelity import needs_flow

#: statistics every candidate reports beside those asked, for the reader of trials.csv
REPORTED = ("npv.mean", "npv.p10", "npv.p90", "payback_month.p50", "P(npv>0)")
#: the study's name in its storage
STUDY_NAME = "optimize"
#: a violation or objective without a value, as Optuna is told it (it wants numbers)
NO_VALUE = 1e100
#: the most objectives (a Pareto front of two)
MAX_OBJECTIVES = 2


class StudyMismatch(ValueError):
    """The stored study was made with other decisions, objectives or constraints."""


@dataclass(frozen=True)
class Candidate:
    """One plan tried: its decisions, its statistics and whether it meets every constraint."""

    number: int  # the trial's number (-1: the plan as written)
    values: dict[str, Any]  # decision -> value (a month as its number)
    statistics: dict[str, float | None]  # statistic text -> value
    violations: tuple[float, ...]  # per constraint, <= 0: met
    error: str = ""  # the decisions together make no valid scenario (then not simulated)

    @property
    def feasible(self) -> bool:
        return not self.error and all(v <= 0 for v in self.violations)


@dataclass(frozen=True)
class Optimisation:
    decisions: tuple[Decision, ...]
    objectives: tuple[Objective, ...]
    constraints: tuple[Constraint, ...]
    plan: RunPlan
    sampler: str  # "TPE" or "NSGA-II"
    today: Candidate  # the plan as written
    candidates: tuple[Candidate, ...]  # every trial, in order
    seconds: float  # this session's search
    twins_simulated: int = 0
    twins_reused: int = 0
    twin_seconds_saved: float = 0.0
    twin_share_saved: float = 0.0  # of the simulation time (sim.runs.twins)
    flow: bool = False  # whether the work flow was simulated
    statistics: tuple[str, ...] = field(default=())  # every statistic reported, in order

    @property
    def feasible(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.feasible)

    @property
    def front(self) -> tuple[Candidate, ...]:
        """The feasible candidates no other feasible one beats on every objective."""
        points = [c for c in self.feasible if _values(c, self.objectives) is not None]
        distinct = {tuple(sorted(c.values.items(), key=str)): c for c in reversed(points)}
        unique = sorted(distinct.values(), key=lambda c: c.number)
        return tuple(
            c for c in unique if not any(_dominates(o, c, self.objectives) for o in unique)
        )

    @property
    def best(self) -> Candidate | None:
        """The chosen candidate: the best feasible on the (first) objective, the earliest
        of equals; with two objectives, the front's point best on the first."""
        pool = self.front if len(self.objectives) > 1 else self.feasible
        first = self.objectives[0]
        scored = [c for c in pool if c.statistics.get(first.statistic.text) is not None]
        if not scored:
            return None
        return min(scored, key=lambda c: (-_signed(c, first), c.number))

    def best_by_trial(self) -> list[float | None]:
        """The best feasible value of the first objective after each trial (convergence)."""
        first = self.objectives[0]
        best: float | None = None
        out = []
        for c in self.candidates:
            value = c.statistics.get(first.statistic.text)
            improves = value is not None and (
                best is None or (value > best if first.maximise else value < best)
            )
            if c.feasible and improves:
                best = value
            out.append(best)
        return out

    def binding(self) -> tuple[Constraint, int] | None:
        """The constraint that binds most: met by the fewest candidates (then missed by
        the most on average); with the number of candidates that meet it."""
        tried = [c for c in self.candidates if not c.error]
        if not self.constraints or not tried:
            return None

        def met(k: int) -> int:
            return sum(c.violations[k] <= 0 for c in tried)

        def shortfall(k: int) -> float:
            return sum(min(max(c.violations[k], 0.0), NO_VALUE) for c in tried) / len(tried)

        k = min(range(len(self.constraints)), key=lambda k: (met(k), -shortfall(k)))
        return self.constraints[k], met(k)


def _signed(c: Candidate, objective: Objective) -> float:
    value = c.statistics.get(objective.statistic.text)
    if value is None:
        return -math.inf
    return value if objective.maximise else -value


def _values(c: Candidate, objectives: Sequence[Objective]) -> tuple[float, ...] | None:
    found = [_signed(c, o) for o in objectives]
    return None if any(math.isinf(v) for v in found) else tuple(found)


def _dominates(a: Candidate, b: Candidate, objectives: Sequence[Objective]) -> bool:
    va, vb = _values(a, objectives), _values(b, objectives)
    if va is None or vb is None:
        return False
    return all(x >= y for x, y in zip(va, vb, strict=True)) and va != vb


def statistics_of(
    objectives: Sequence[Objective], constraints: Sequence[Constraint]
) -> tuple[Statistic, ...]:
    """The statistics a study reports: those asked, then the usual ones, each once."""
    asked = [o.statistic for o in objectives] + [c.statistic for c in constraints]
    found: dict[str, Statistic] = {}
    for statistic in [*asked, *(parse_statistic(t) for t in REPORTED)]:
        found.setdefault(statistic.text, statistic)
    return tuple(found.values())


def spec_of(
    decisions: Sequence[Decision],
    objectives: Sequence[Objective],
    constraints: Sequence[Constraint],
    plan: RunPlan,
) -> str:
    """What makes a study the same study: a resumed one must match it."""
    return json.dumps(
        {
            "decisions": [d.spec for d in decisions],
            "objectives": [o.text for o in objectives],
            "constraints": [c.text for c in constraints],
            "replications": plan.replications,
            "seed": plan.seed,
        },
        sort_keys=True,
    )


def _grid(decision: Decision) -> int:
    """The last index of a stepped decision's values (low + k * step, k = 0..n)."""
    assert decision.step is not None
    return math.floor((decision.high - decision.low) / decision.step + 1e-9)


def _suggest(trial: optuna.Trial, decision: Decision) -> Any:
    if decision.kind == CHOICE:
        return trial.suggest_categorical(decision.text, list(decision.choices))
    if decision.step is None:
        return trial.suggest_float(decision.text, decision.low, decision.high)
    k = trial.suggest_int(decision.text, 0, _grid(decision))
    return _on_grid(decision, k)


def _on_grid(decision: Decision, k: int) -> float:
    assert decision.step is not None
    value = decision.low + k * decision.step
    return float(round(value, 12)) if not float(decision.step).is_integer() else float(value)


def optimize(
    scenario: Scenario,
    decisions: Sequence[Decision],
    objectives: Sequence[Objective],
    constraints: Sequence[Constraint],
    plan: RunPlan,
    trials: int,
    storage: optuna.storages.BaseStorage | None = None,
    pool: Pool | None = None,
    on_trial: Callable[[Candidate], None] | None = None,
) -> Optimisation:
    """Search until the study holds ``trials`` trials (a resumed study runs the rest).

    Every candidate runs on ``pool`` (default: this process), its processes started once
    or one client of its cluster, held open for the whole search (sim.runs.heldpool).
    Raises StudyMismatch when ``storage`` holds a study of other decisions, objectives,
    constraints or plan."""
    if not 1 <= len(objectives) <= MAX_OBJECTIVES:
        raise ValueError(f"give one or two objectives, got {len(objectives)}")
    with HeldPool(pool or IN_PROCESS) as held:
        return _search(
            scenario, decisions, objectives, constraints, plan, trials, storage, held, on_trial
        )


def _search(
    scenario: Scenario,
    decisions: Sequence[Decision],
    objectives: Sequence[Objective],
    constraints: Sequence[Constraint],
    plan: RunPlan,
    trials: int,
    storage: optuna.storages.BaseStorage | None,
    held: HeldPool,
    on_trial: Callable[[Candidate], None] | None,
) -> Optimisation:
    """:func:`optimize` on a pool held open for the search."""
    began = time.perf_counter()
    statistics = statistics_of(objectives, constraints)
    headlines = {s.headline for s in statistics}
    flow = needs_flow(scenario, headlines)
    cache = TwinCache()

    def measured(setting: Scenario, number: int, values: dict[str, Any]) -> Candidate:
        planned = replace(plan, flow=flow or needs_flow(setting, headlines))
        results = simulate(setting, planned, held, twins=cache)
        found = {s.text: s.of(results.headlines) for s in statistics}
        violations = tuple(c.violation(found[c.statistic.text]) for c in constraints)
        return Candidate(number, values, found, violations)

    today = measured(scenario, -1, {})
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = _study(storage, objectives, plan, spec_of(decisions, objectives, constraints, plan))
    stored = [_candidate(t, len(constraints)) for t in study.get_trials(deepcopy=False)]
    done = [c for c in stored if c is not None]
    memo = {_key(c.values, decisions): c for c in done}
    candidates = list(done)

    def objective(trial: optuna.Trial) -> float | tuple[float, ...]:
        values = {d.text: _suggest(trial, d) for d in decisions}
        key = _key(values, decisions)
        known = memo.get(key)
        if known is not None:
            found = Candidate(trial.number, values, known.statistics, known.violations, known.error)
        else:
            try:
                setting = apply(scenario, values, decisions)
            except ValueError as err:
                found = Candidate(trial.number, values, {}, (), str(err))
            else:
                found = measured(setting, trial.number, values)
            memo[key] = found
        candidates.append(found)
        trial.set_user_attr("values", values)
        trial.set_user_attr("statistics", found.statistics)
        trial.set_user_attr("violations", [min(v, NO_VALUE) for v in found.violations])
        trial.set_user_attr("error", found.error)
        for k, violation in enumerate(found.violations):
            trial.set_constraint(f"constraint {k}", min(violation, NO_VALUE))
        if on_trial is not None:
            on_trial(found)
        if found.error:
            raise optuna.TrialPruned(found.error)
        scores = tuple(_score(found.statistics[o.statistic.text], o.maximise) for o in objectives)
        return scores[0] if len(scores) == 1 else scores

    remaining = trials - len(done)
    if remaining > 0:
        study.sampler = _sampler(objectives, plan.seed + len(done), trials)
        study.optimize(objective, n_trials=remaining, catch=())
    return Optimisation(
        decisions=tuple(decisions),
        objectives=tuple(objectives),
        constraints=tuple(constraints),
        plan=plan,
        sampler="NSGA-II" if len(objectives) > 1 else "TPE",
        today=today,
        candidates=tuple(candidates),
        seconds=time.perf_counter() - began,
        twins_simulated=cache.simulated,
        twins_reused=cache.reused,
        twin_seconds_saved=cache.saved_s,
        twin_share_saved=cache.share_saved,
        flow=flow,
        statistics=tuple(s.text for s in statistics),
    )


def _score(value: float | None, maximise: bool) -> float:
    """What Optuna is told: a statistic without a value is the worst there is."""
    if value is None:
        return -NO_VALUE if maximise else NO_VALUE
    return value


def _key(values: Mapping[str, Any], decisions: Sequence[Decision]) -> tuple[Any, ...]:
    return tuple(values[d.text] for d in decisions)


def _study(
    storage: optuna.storages.BaseStorage | None,
    objectives: Sequence[Objective],
    plan: RunPlan,
    spec: str,
) -> optuna.Study:
    directions = [
        optuna.study.StudyDirection.MAXIMIZE if o.maximise else optuna.study.StudyDirection.MINIMIZE
        for o in objectives
    ]
    study = optuna.create_study(
        storage=storage, study_name=STUDY_NAME, directions=directions, load_if_exists=True
    )
    stored = study.user_attrs.get("spec")
    if stored is None:
        study.set_user_attr("spec", spec)
    elif stored != spec:
        raise StudyMismatch(
            "the stored study was made with other decisions, objectives, constraints, "
            f"replications or seed ({stored}); give the same ones to resume it, or start "
            "a new one with --force"
        )
    return study


def _sampler(
    objectives: Sequence[Objective], seed: int, trials: int
) -> optuna.samplers.BaseSampler:
    """TPE for one objective, NSGA-II for two; both read the constraints each trial sets
    (Trial.set_constraint: feasible when every value is <= 0)."""
    if len(objectives) > 1:
        population = min(50, max(8, trials // 4))
        return optuna.samplers.NSGAIISampler(population_size=population, seed=seed)
    return optuna.samplers.TPESampler(seed=seed)


def _candidate(trial: optuna.trial.FrozenTrial, constraints: int) -> Candidate | None:
    """A stored trial as a Candidate (a resumed study's earlier trials)."""
    if trial.state not in (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED):
        return None
    attrs = trial.user_attrs
    if "values" not in attrs:
        return None
    violations = tuple(float(v) for v in attrs.get("violations", []))
    if len(violations) != constraints and not attrs.get("error"):
        return None
    return Candidate(
        trial.number,
        dict(attrs["values"]),
        dict(attrs.get("statistics", {})),
        violations,
        str(attrs.get("error", "")),
    )
