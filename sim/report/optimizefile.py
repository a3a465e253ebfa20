"""optimize.json as typed values: what an optimisation's board pack and charts read.

An :class:`~sim.studies.optimize.Optimisation` holds the scenario's field paths, its
plan and the decisions' parsers; its file holds what a reader needs of it: each
decision in words, each candidate's values and statistics, the plan chosen and the
front. :func:`stored_optimisation` builds that from the study, :meth:`StoredOptimisation.json`
writes it and :func:`optimisation_of` reads it back, so the file round-trips. This
module imports no Optuna: a board pack reads the file without the search's library.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.report.studysource import StudySource

if TYPE_CHECKING:
    from sim.studies.optimize import Candidate, Optimisation


@dataclass(frozen=True)
class StoredDecision:
    """A decision the search made, as the file holds it."""

    path: str  # the field path as written with --decide
    label: str  # what a reader sees ('' where the path has none)
    kind: str  # float, int, month or choice (sim.studies.decisions)
    low: float
    high: float
    step: float | None
    choices: tuple[Any, ...]
    spec: str  # the --decide text

    @property
    def name(self) -> str:
        """The decision as a table heads it: its label, else its path."""
        return self.label or self.path


@dataclass(frozen=True)
class StoredObjective:
    statistic: str  # 'npv.mean', 'payback_month.p50', 'P(npv>0)'
    maximise: bool
    text: str  # as given with --objective


@dataclass(frozen=True)
class StoredCandidate:
    """A plan tried (trial -1: the plan as written): its decisions and statistics."""

    trial: int
    values: dict[str, Any]  # decision path -> value (None: the plan sets none)
    shown: dict[str, str]  # decision path -> the value as the trials table writes it
    statistics: dict[str, float | None]  # statistic -> value
    meets: tuple[bool, ...]  # per constraint
    feasible: bool
    error: str  # the decisions together make no valid scenario ('' if they do)


@dataclass(frozen=True)
class Binding:
    """The constraint met by the fewest candidates, and how many meet it."""

    constraint: str
    met_by: int


@dataclass(frozen=True)
class TwinFigures:
    """The status quo simulated once per replication and reused by every candidate."""

    simulated: int
    reused: int
    seconds_saved: float
    share_of_time_saved: float


@dataclass(frozen=True)
class StoredOptimisation:
    """An optimisation as its file holds it."""

    source: StudySource
    sampler: str  # 'TPE' or 'NSGA-II'
    trials: int
    decisions: tuple[StoredDecision, ...]
    objectives: tuple[StoredObjective, ...]
    constraints: tuple[str, ...]  # as given with --constraint
    statistics: tuple[str, ...]  # every statistic reported, in order
    today: StoredCandidate  # the plan as written
    candidates: tuple[StoredCandidate, ...]  # in trial order
    best: int | None  # the chosen trial; None: no candidate meets every constraint
    front: tuple[int, ...]  # the trials on the Pareto front
    best_by_trial: tuple[float | None, ...]  # the best feasible objective after each trial
    binding: Binding | None
    work_flow_simulated: bool
    twin_cache: TwinFigures
    seconds: float

    @property
    def chosen(self) -> StoredCandidate | None:
        """The plan chosen (best.yaml), None if no candidate meets every constraint."""
        return None if self.best is None else self.candidate(self.best)

    def candidate(self, trial: int) -> StoredCandidate:
        return next(c for c in self.candidates if c.trial == trial)

    def json(self) -> dict[str, Any]:
        """optimize.json's content."""
        return dataclasses.asdict(self)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | bool | int | float) else str(value)


def _candidate(result: Optimisation, c: Candidate) -> StoredCandidate:
    return StoredCandidate(
        trial=c.number,
        values={d.text: _plain(c.values.get(d.text)) for d in result.decisions},
        shown={d.text: d.shown(c.values[d.text]) for d in result.decisions if d.text in c.values},
        statistics=dict(c.statistics),
        meets=tuple(v <= 0 for v in c.violations),
        feasible=c.feasible,
        error=c.error,
    )


def stored_optimisation(result: Optimisation, source: StudySource) -> StoredOptimisation:
    """What optimize.json holds of ``result``."""
    best = result.best
    binding = result.binding()
    return StoredOptimisation(
        source=source,
        sampler=result.sampler,
        trials=len(result.candidates),
        decisions=tuple(
            StoredDecision(
                d.text,
                d.label,
                d.kind,
                d.low,
                d.high,
                d.step,
                tuple(map(_plain, d.choices)),
                d.spec,
            )
            for d in result.decisions
        ),
        objectives=tuple(
            StoredObjective(o.statistic.text, o.maximise, o.text) for o in result.objectives
        ),
        constraints=tuple(c.text for c in result.constraints),
        statistics=tuple(result.statistics),
        today=_candidate(result, result.today),
        candidates=tuple(_candidate(result, c) for c in result.candidates),
        best=None if best is None else best.number,
        front=tuple(c.number for c in result.front),
        best_by_trial=tuple(result.best_by_trial()),
        binding=None if binding is None else Binding(binding[0].text, binding[1]),
        work_flow_simulated=result.flow,
        twin_cache=TwinFigures(
            result.twins_simulated,
            result.twins_reused,
            result.twin_seconds_saved,
            result.twin_share_saved,
        ),
        seconds=result.seconds,
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _candidate_of(data: Mapping[str, Any]) -> StoredCandidate:
    return StoredCandidate(
        trial=int(data["trial"]),
        values=dict(data["values"]),
        shown={str(k): str(v) for k, v in data["shown"].items()},
        statistics={str(k): _number(v) for k, v in data["statistics"].items()},
        meets=tuple(bool(m) for m in data["meets"]),
        feasible=bool(data["feasible"]),
        error=str(data["error"]),
    )


def optimisation_of(data: Mapping[str, Any]) -> StoredOptimisation:
    """optimize.json read back (KeyError, TypeError, ValueError if it is not one)."""
    binding = data["binding"]
    twins = data["twin_cache"]
    return StoredOptimisation(
        source=StudySource.in_study(data),
        sampler=str(data["sampler"]),
        trials=int(data["trials"]),
        decisions=tuple(
            StoredDecision(
                path=str(d["path"]),
                label=str(d["label"]),
                kind=str(d["kind"]),
                low=float(d["low"]),
                high=float(d["high"]),
                step=_number(d["step"]),
                choices=tuple(d["choices"]),
                spec=str(d["spec"]),
            )
            for d in data["decisions"]
        ),
        objectives=tuple(
            StoredObjective(str(o["statistic"]), bool(o["maximise"]), str(o["text"]))
            for o in data["objectives"]
        ),
        constraints=tuple(str(c) for c in data["constraints"]),
        statistics=tuple(str(s) for s in data["statistics"]),
        today=_candidate_of(data["today"]),
        candidates=tuple(_candidate_of(c) for c in data["candidates"]),
        best=None if data["best"] is None else int(data["best"]),
        front=tuple(int(n) for n in data["front"]),
        best_by_trial=tuple(_number(b) for b in data["best_by_trial"]),
        binding=None
        if binding is None
        else Binding(str(binding["constraint"]), int(binding["met_by"])),
        work_flow_simulated=bool(data["work_flow_simulated"]),
        twin_cache=TwinFigures(
            int(twins["simulated"]),
            int(twins["reused"]),
            float(twins["seconds_saved"]),
            float(twins["share_of_time_saved"]),
        ),
        seconds=float(data["seconds"]),
    )
