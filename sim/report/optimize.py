"""An optimisation's files: trials.csv, optimize.json, best.yaml, its charts and its study.

The folder is written whole (sim.report.files.atomic_folder). The Optuna study, a
long job's memory, cannot wait for the end: while the search runs it is a journal
file beside the output folder (``.NAME.optuna-journal``), which an interrupted run
leaves for ``--resume``; a finished run moves it into the folder as
``study.journal``, from where ``--resume`` (with more ``--trials``) continues it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from optuna.storages.journal import JournalFileBackend, JournalStorage

from sim.report.files import (
    OutputExistsError,
    atomic_folder,
    cell,
    refuse_existing,
    write_csv,
    write_json,
)
from sim.report.optimizefile import stored_optimisation
from sim.report.studysource import StudySource
from sim.scenario.load import parse_scenario
from sim.scenario.yamledit import DROP, edited
from sim.scenario.yamlfile import read_text
from sim.studies.decisions import CHOICE, OFF, Decision
from sim.studies.optimize import Optimisation

JOURNAL = "study.journal"
TRIALS = "trials.csv"
STUDY = "optimize.json"
BEST = "best.yaml"


def journal_beside(target: Path) -> Path:
    """Where a running optimisation keeps its study: beside its output folder."""
    return target.parent / f".{target.name}.optuna-journal"


def study_storage(target: Path, resume: bool, force: bool) -> JournalStorage:
    """The study's storage for an optimisation writing ``target``, or OutputExistsError.

    Without ``resume``: a new study (``force`` discards an interrupted one). With it: the
    interrupted study beside ``target``, else the one in ``target``."""
    running = journal_beside(target)
    if resume:
        kept = target / JOURNAL
        if not running.exists():
            if not kept.is_file():
                raise OutputExistsError(
                    f"nothing to resume: no {running.name} beside {target} and no "
                    f"{kept}; run without --resume to start"
                )
            shutil.copyfile(kept, running)
    else:
        refuse_existing(target, force)
        if running.exists() and not force:
            raise OutputExistsError(
                f"an interrupted optimisation left its study in {running}; pass --resume "
                "to continue it or --force to start again"
            )
        running.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    return JournalStorage(JournalFileBackend(str(running)))


def trials_rows(result: Optimisation) -> tuple[list[str], list[list[str]]]:
    """trials.csv: the plan as written, then every candidate in trial order."""
    statistics = list(result.statistics)
    header = ["trial", *(d.text for d in result.decisions), *statistics]
    header += [f"meets {c.text}" for c in result.constraints]
    header += ["feasible", "on_front", "chosen", "error"]
    front = {c.number for c in result.front}
    best = result.best
    rows = []
    for c in (result.today, *result.candidates):
        row = ["as written" if c.number < 0 else str(c.number)]
        row += [d.shown(c.values[d.text]) if d.text in c.values else "" for d in result.decisions]
        row += [cell(c.statistics.get(s)) for s in statistics]
        if c.error:
            row += ["" for _ in result.constraints]
        else:
            row += [str(v <= 0).lower() for v in c.violations]
        chosen = best is not None and c.number == best.number and c.number >= 0
        row += [
            str(c.feasible).lower(),
            str(c.number in front).lower(),
            str(chosen).lower(),
            c.error,
        ]
        rows.append(row)
    return header, rows


def best_text(result: Optimisation, scenario_file: Path, name: str) -> str:
    """The scenario file with the chosen decisions, each commented with where it came
    from; checked by the loader before it is returned."""
    best = result.best
    assert best is not None
    changes: dict[Any, Any] = {}
    notes = {}
    where = f"trial {best.number} of {len(result.candidates)}"
    for d in result.decisions:
        value = best.values[d.text]
        if d.kind == CHOICE and d.toggle:
            if value == OFF:
                changes[d.path] = DROP
            continue
        changes[d.path] = d.scenario_value(value)
        notes[d.path] = f"chosen by restructure optimize ({where}; --decide {_range(d)})"
    changes[("meta", "name")] = f"{name}-best"
    notes[("meta", "name")] = f"the plan restructure optimize chose from {name}"
    objective = ", ".join(o.text for o in result.objectives)
    constraints = ", ".join(c.text for c in result.constraints) or "none"
    header = [
        f"The plan restructure optimize chose from {scenario_file.name} ({where}).",
        f"Objective {objective}; constraints: {constraints};",
        f"{result.plan.replications} replication{'s' * (result.plan.replications != 1)} on "
        f"seed {result.plan.seed}, {result.sampler}.",
        *(
            f"{d.text} = {d.shown(best.values[d.text])} (from --decide {_range(d)})"
            for d in result.decisions
        ),
        "Everything else is as in the original file.",
    ]
    text = edited(read_text(scenario_file), changes, notes, header)
    parse_scenario(text, filename=f"{name}-best.yaml", base_dir=scenario_file.parent)
    return text


def _range(d: Decision) -> str:
    return (
        d.spec.split("=", 1)[-1] if d.kind != CHOICE else "{" + ", ".join(map(str, d.choices)) + "}"
    )


def write_optimisation(
    result: Optimisation,
    source: StudySource,
    scenario_file: Path,
    target: Path,
    storage_path: Path,
    replace: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """trials.csv, optimize.json, best.yaml (when a candidate is feasible), the charts and
    the study journal into ``target``, written whole; the running journal is then removed."""
    stored = stored_optimisation(result, source)
    best = None
    if result.best is not None:
        best = best_text(result, scenario_file, source.name)
    with atomic_folder(target, replace) as folder:
        write_csv(folder / TRIALS, *trials_rows(result))
        write_json(folder / STUDY, stored.json())
        if best is not None:
            (folder / BEST).write_text(best, encoding="utf-8")
        if storage_path.exists():
            shutil.copyfile(storage_path, folder / JOURNAL)
        if draw is not None:
            draw(stored, folder / "charts")
    storage_path.unlink(missing_ok=True)
