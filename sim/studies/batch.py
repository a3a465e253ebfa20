"""A study's settings run together: one pool (or one Dask client), every setting at once.

A tornado's or a sweep's settings all run the same replications (the same seeds), so
they go out together: each chunk of seeds is one task that runs every setting on those
seeds (:func:`replicate_batch`), not one pool per setting, point by point. Inside the
task, what did not change is reused (sim.studies.reuse):

- the status quo of a seed is simulated once for every setting whose twin reads the
  same inputs (the key of sim.model.replication.Twin: a plan-only input leaves it);
- a setting that differs from the first only in a finance-only input is the first's
  replications summarised again with its value;
- the savings bridge's steps are not simulated: a study reads headlines only.

Within a study, a setting asked for again (the same inputs, hashed, on the same plan)
is not run again (:class:`StudyRuns`). Every setting's figures are those of a run of
it on the same seed (tests check them, and the studies' files, to the byte).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from sim.model import cost
from sim.model.replication import Replication, Twin, run_replications
from sim.runs.chunks import seeds
from sim.runs.heldpool import HeldPool
from sim.runs.montecarlo import Results
from sim.runs.orchestrator import simulate
from sim.runs.plan import Pool, RunPlan
from sim.runs.summarise import ReplicationResult, summarise
from sim.runs.twins import TwinCache
from sim.scenario.fieldpaths import FieldPath
from sim.scenario.schema import Scenario
from sim.studies.reuse import finance_only, summarised_with

#: where a study runs unless told: in this process (no pool to start)
IN_PROCESS = Pool(workers=1)


@dataclass(frozen=True)
class Setting:
    """One setting of a study: the scenario a run of it would take and, when it differs
    from the study's first setting only in a finance-only input, that input."""

    scenario: Scenario
    finance: FieldPath | None = None


def setting(base: Scenario, scenario: Scenario, path: FieldPath | None) -> Setting:
    """``scenario``, a setting of ``path`` on ``base``: reused from ``base``'s replications
    when ``path`` is finance only (sim.studies.reuse)."""
    reused = path is not None and finance_only(base, path)
    return Setting(scenario, path if reused else None)


@dataclass(frozen=True)
class Batch:
    """Settings run on the same seeds; a finance-only one reuses the first's replications."""

    settings: tuple[Setting, ...]


def replicate_batch(
    batch: Batch,
    seed_list: Sequence[np.random.SeedSequence],
    fidelity_items: int | str | None = None,
    flow: bool = True,
    twins: Mapping[str, Twin] | None = None,
) -> list[tuple[ReplicationResult, ...]]:
    """What a worker runs: every setting of the batch on a chunk of seeds; one tuple a
    seed, each setting's summary in the batch's order. ``twins``: those a study keeps
    across its batches, already simulated on these seeds (by key); a result carries
    back a twin it simulated that they did not hold."""
    known: dict[str, Twin] = dict(twins or {})
    sent = set(known)
    first: list[Replication] = []
    found: list[list[ReplicationResult]] = []
    for index, item in enumerate(batch.settings):
        if item.finance is not None:
            path = item.finance
            value = value_at(item.scenario, path)
            found.append([summarised_with(r, path, value) for r in first])
            continue
        simulated = run_replications(
            item.scenario, seed_list, fidelity_items, flow, known, bridge=False
        )
        known.update((r.twin.key, r.twin) for r in simulated if r.twin is not None)
        if index == 0:
            first = simulated
        results = [summarise(r) for r in simulated]
        if twins is not None:
            results = [
                _carrying(res, r.twin, sent) for res, r in zip(results, simulated, strict=True)
            ]
        found.append(results)
    return list(zip(*found, strict=True))


def _carrying(result: ReplicationResult, twin: Twin | None, sent: set[str]) -> ReplicationResult:
    """The result with its twin, to be kept by the study, unless it holds it already."""
    if twin is None or twin.key in sent:
        return result
    sent.add(twin.key)
    return replace(result, twin_key=twin.key, twin=twin)


def value_at(scenario: Scenario, path: FieldPath) -> float:
    """The number at ``path`` of a scenario whose uncertain inputs are fixed."""
    node: object = scenario
    for part in path:
        node = node[part] if isinstance(part, int) else getattr(node, part)  # type: ignore[index]
    return float(node)  # type: ignore[arg-type]


def inputs_key(scenario: Scenario) -> str:
    """The hash of a setting's inputs: two settings with equal keys run alike."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


@dataclass
class StudyRuns:
    """One study's runs on one plan: each batch of settings at once over one pool (or
    one Dask client), held open for the whole study, each setting run once however
    often the study asks for it. Use it as a context manager: the pool closes at the end."""

    plan: RunPlan
    pool: Pool = IN_PROCESS
    flow: bool = False
    #: False: each setting runs alone, as a run of it would (no reuse, no cache): what
    #: the tests hold the reuse to
    reuse: bool = True
    #: the status quos kept across the study's batches (a goal seek on a plan-only
    #: input: each value's twins are the first's); None: each batch simulates its own.
    #: Only the first batch's are kept, so the memory is one batch's twins at most
    twins: TwinCache | None = None
    cache: dict[str, Results] = field(default_factory=dict, repr=False)
    simulated: int = 0  # settings simulated
    summarised: int = 0  # settings summarised again from another's replications
    repeated: int = 0  # settings asked for again, served from the cache
    held: HeldPool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.held = HeldPool(self.pool)

    def __enter__(self) -> StudyRuns:
        return self

    def __exit__(self, *raised: Any) -> None:
        self.held.__exit__(*raised)  # the pool closes: at once on an error or Ctrl-C

    def results(
        self, settings: Sequence[Setting], on_progress: Callable[[float], None] | None = None
    ) -> list[Results]:
        """Each setting's results, as a run of its scenario on the plan gives them (no
        savings bridge). ``on_progress(settings)`` is told the settings done, in parts
        as chunks of replications come back. A finance-only setting must follow the
        setting it reuses, first in ``settings``."""
        if not self.reuse:
            return [self._alone(item.scenario, on_progress) for item in settings]
        keys = [inputs_key(s.scenario) for s in settings]
        todo: dict[str, Setting] = {}
        for key, item in zip(keys, settings, strict=True):
            if key not in self.cache and key not in todo:
                todo[key] = item
        self.repeated += len(settings) - len(todo)
        if any(item.finance is not None for item in todo.values()):
            # the setting they reuse comes first, simulated again if it was already known
            if settings[0].finance is not None:
                raise ValueError("a finance-only setting reuses the first, which it cannot be")
            rest = {key: item for key, item in todo.items() if key != keys[0]}
            todo = {keys[0]: settings[0], **rest}
        if todo:
            self._run(todo, on_progress)
        return [self.cache[key] for key in keys]

    def _alone(self, scenario: Scenario, on_progress: Callable[[float], None] | None) -> Results:
        results = simulate(scenario, replace(self.plan, flow=self.flow), self.pool)
        self.simulated += 1
        if on_progress is not None:
            on_progress(1)
        return results

    def _run(self, todo: dict[str, Setting], on_progress: Callable[[float], None] | None) -> None:
        batch = Batch(tuple(todo.values()))
        if self.flow:
            for item in batch.settings:  # refused before any replication starts
                cost.check(cost.estimate(item.scenario), self.pool.local_processes)
        folded = [
            Results(scenario=item.scenario, seed=self.plan.seed, flow=self.flow)
            for item in batch.settings
        ]
        pending: dict[int, tuple[ReplicationResult, ...]] = {}
        done = 0
        seed_list = seeds(self.plan.seed, self.plan.replications)
        twins = self.twins
        kept = twins is not None and not twins.twins  # keep the first batch's twins
        for index, per_setting in self.held.completed(
            batch, seed_list, self.flow, replicate_batch, twins=twins
        ):
            if kept:
                assert twins is not None
                held = twins.known(seed_list[index])
                held.update((r.twin.key, r.twin) for r in per_setting if r.twin is not None)
            pending[index] = per_setting
            while done in pending:
                for results, result in zip(folded, pending.pop(done), strict=True):
                    results.add(result)
                    results.flow_replications += self.flow
                done += 1
            if on_progress is not None:
                on_progress(len(batch.settings) / self.plan.replications)
        for key, item, results in zip(todo, batch.settings, folded, strict=True):
            self.cache[key] = results
            self.summarised += item.finance is not None
            self.simulated += item.finance is None
