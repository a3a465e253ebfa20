"""The studies' files: a comparison's, a tornado's and a sweep's tables (and charts),
each written whole into its own folder. The studies themselves run in memory
(:mod:`sim.studies`); this is where their results meet the disk.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.report.files import atomic_folder, cell, write_csv, write_json
from sim.report.runfolder import RunFolder, RunFolderError, load_run
from sim.report.studysource import StudySource
from sim.runs.bands import STATS, Band
from sim.runs.headlines import HEADLINES, NPV, PAYBACK
from sim.scenario.fieldpaths import parse_path
from sim.scenario.labels import Unit
from sim.studies.compare import Comparison, compare
from sim.studies.drivers import Driver, Drivers
from sim.studies.reuse import Unsimulated
from sim.studies.sensitivity import Outcome, Swing, Tornado
from sim.studies.solve import Evaluation, Solution, Target
from sim.studies.sweep import SWEPT, SweepPoint, SweepSpec

Table = tuple[list[str], list[list[str]]]

# ------------------------------------------------------------------ compare


def compare_runs(folders: list[Path]) -> Comparison[RunFolder]:
    """The run folders read and compared, each against the first."""
    return compare([load_run(f) for f in folders])


def run_comparison(
    inputs: list[Path], folder: Path, run: Callable[[Path, Path], None]
) -> Comparison[RunFolder]:
    """Run every scenario file into ``folder/runs/``; existing run folders are read as they are.

    ``run(scenario_file, target)`` runs one scenario (the caller fixes seed and
    replications, so that all runs share their random numbers).
    """
    folders = []
    for i, item in enumerate(inputs):
        if item.is_dir():
            folders.append(item)
            continue
        target = folder / "runs" / f"{i + 1}-{item.stem}"
        run(item, target)
        folders.append(target)
    return compare_runs(folders)


def comparison_json(
    comparison: Comparison[RunFolder], moves: tuple[Path, Path] | None = None
) -> dict[str, Any]:
    """The comparison as JSON; ``moves`` = (staging, final) relocates runs made in staging."""

    def where(path: Path) -> str:
        if moves is not None and path.is_relative_to(moves[0]):
            return str(moves[1] / path.relative_to(moves[0]))
        return str(path)

    return {
        "baseline_of_differences": comparison.runs[0].name,
        "scenarios": [
            {
                "name": run.name,
                "folder": where(run.path),
                "scenario": dataclasses.asdict(run.summary.scenario),
                "seed": run.summary.seed,
                "replications": run.summary.replications,
                "headline": {name: b.as_dict() for name, b in run.summary.headline.items()},
                "difference_vs_first": None
                if difference is None
                else {name: b.as_dict() for name, b in difference.items()},
            }
            for run, difference in zip(comparison.runs, comparison.differences, strict=True)
        ],
    }


def compared_folders(folder: Path) -> list[Path]:
    """comparison.json read back: the run folders it names; a run made inside the
    comparison's folder is found there even if the comparison was moved since."""
    data = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    found = []
    for entry in data.get("scenarios", []):
        named = Path(entry["folder"])
        inside = folder / "runs" / named.name
        found.append(named if named.is_dir() else inside)
    if not found:
        raise RunFolderError(f"{folder}: comparison.json names no runs")
    return found


def comparison_rows(comparison: Comparison[RunFolder]) -> Table:
    """comparison.csv: one row a scenario, its headline bands and its paired NPV difference."""
    header = ["scenario"] + [f"{h}_{s}" for h in HEADLINES for s in STATS]
    header += [f"npv_difference_vs_first_{s}" for s in STATS]
    rows = []
    for run, difference in zip(comparison.runs, comparison.differences, strict=True):
        row = [run.name]
        for name in HEADLINES:
            values = run.summary.headline[name]
            row += [cell(getattr(values, s)) for s in STATS]
        npv = difference[NPV.name] if difference else None
        row += [cell(None if npv is None else getattr(npv, s)) for s in STATS]
        rows.append(row)
    return header, rows


def write_comparison(
    comparison: Comparison[RunFolder],
    folder: Path,
    final: Path,
    draw: Callable[[Comparison[RunFolder], Path], object] | None = None,
) -> None:
    """comparison.json, comparison.csv (and charts) into ``folder``, which becomes ``final``."""
    write_json(folder / "comparison.json", comparison_json(comparison, (folder, final)))
    write_csv(folder / "comparison.csv", *comparison_rows(comparison))
    if draw is not None:
        draw(comparison, folder / "charts")


# ------------------------------------------------------------------ sensitivity

#: a study's JSON file, by the kind of study: the one file its reader reads back
STUDY_FILES = {
    "sensitivity": "sensitivity.json",
    "sweep": "sweep.json",
    "solve": "solve.json",
    "drivers": "drivers.json",
    "optimize": "optimize.json",
}


def tornado_rows(result: Tornado) -> Table:
    """sensitivity.csv: one row an input, largest NPV swing first; the input by its
    label, its field path beside it."""
    header = [
        "input",
        "path",
        "kind",
        "unit",
        "base_value",
        "low_at",
        "high_at",
        "value_low",
        "value_high",
        "npv_low",
        "npv_high",
        "npv_swing",
        "payback_month_low",
        "payback_month_high",
        "payback_swing_months",
        "distribution",
    ]
    rows = [
        [
            s.label,
            s.path,
            s.kind,
            str(s.unit),
            cell(s.base_value),
            s.low_at,
            s.high_at,
            cell(s.low_value),
            cell(s.high_value),
            cell(s.low.npv),
            cell(s.high.npv),
            cell(s.npv_swing),
            cell(s.low.payback_month),
            cell(s.high.payback_month),
            cell(s.payback_swing),
            s.distribution,
        ]
        for s in result.swings
    ]
    return header, rows


def _outcome(o: Outcome) -> dict[str, float | None]:
    return {NPV.name: o.npv, PAYBACK.name: o.payback_month}


def tornado_json(result: Tornado, source: StudySource) -> dict[str, Any]:
    return {
        "source": source.json(),
        "at_base": _outcome(result.base),
        "base_note": "every uncertain input at its median, every fixed input as written",
        "inputs": [
            {
                "input": s.label,
                "path": s.path,
                "kind": s.kind,
                "unit": str(s.unit),
                "distribution": s.distribution,
                "base_value": s.base_value,
                "low": {"at": s.low_at, "value": s.low_value, **_outcome(s.low)},
                "high": {"at": s.high_at, "value": s.high_value, **_outcome(s.high)},
                "npv_swing": s.npv_swing,
                "payback_swing_months": s.payback_swing,
            }
            for s in result.swings
        ],
        # inputs that move only the work flow: a tornado of money does not simulate them
        "not_simulated": [
            {"input": u.label, "path": u.path, "why": u.why} for u in result.not_simulated
        ],
    }


def tornado_of(data: dict[str, Any]) -> Tornado:
    """sensitivity.json read back as the tornado it was written from."""

    def outcome(o: dict[str, Any]) -> Outcome:
        return Outcome(float(o[NPV.name]), o[PAYBACK.name])

    swings = tuple(
        Swing(
            path=i["path"],
            label=i["input"],
            unit=Unit.of(i["unit"]),
            kind=i["kind"],
            distribution=i["distribution"],
            base_value=float(i["base_value"]),
            low_at=i["low"]["at"],
            high_at=i["high"]["at"],
            low_value=float(i["low"]["value"]),
            high_value=float(i["high"]["value"]),
            low=outcome(i["low"]),
            high=outcome(i["high"]),
        )
        for i in data["inputs"]
    )
    return Tornado(outcome(data["at_base"]), swings, _unsimulated(data))


def _unsimulated(data: dict[str, Any]) -> tuple[Unsimulated, ...]:
    """A study's inputs not simulated, read back (none in a folder written before)."""
    return tuple(
        Unsimulated(u["path"], u["input"], u["why"]) for u in data.get("not_simulated", ())
    )


def _write_study(
    target: Path,
    force: bool,
    name: str,
    rows: tuple[list[str], list[list[str]]],
    data: dict[str, Any],
    draw: Callable[[Path], object] | None,
) -> None:
    """NAME.csv, NAME.json (and the study's charts) into ``target``, written whole."""
    with atomic_folder(target, force) as folder:
        write_csv(folder / f"{name}.csv", *rows)
        write_json(folder / f"{name}.json", data)
        if draw is not None:
            draw(folder / "charts")


def write_tornado(
    result: Tornado,
    source: StudySource,
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """sensitivity.csv, sensitivity.json (and the tornado and spider charts), written whole."""
    _write_study(
        target,
        force,
        "sensitivity",
        tornado_rows(result),
        tornado_json(result, source),
        None if draw is None else lambda charts: draw(result, source, charts),
    )


# ------------------------------------------------------------------ sweep


def sweep_rows(spec: SweepSpec, points: list[SweepPoint]) -> Table:
    """sweep.csv: one row a swept value, NPV and payback month as P10/P50/P90/mean."""
    header = ["input", "path", "value"]
    header += [f"{h}_{s}" for h in SWEPT for s in STATS]
    rows = []
    for point in points:
        row = [spec.label, spec.text, cell(point.value)]
        for name in SWEPT:
            values = point.headline[name].as_dict()
            row += [cell(values[s]) for s in STATS]
        rows.append(row)
    return header, rows


def sweep_json(spec: SweepSpec, points: list[SweepPoint], source: StudySource) -> dict:
    return {
        "source": source.json(),
        "input": spec.label,
        "path": spec.text,
        "unit": str(spec.unit),
        "points": [
            {"value": p.value, **{name: p.headline[name].as_dict() for name in SWEPT}}
            for p in points
        ],
    }


def sweep_of(data: dict[str, Any]) -> tuple[SweepSpec, list[SweepPoint]]:
    """sweep.json read back: the swept input (without its scenarios) and its points."""
    values = tuple(float(p["value"]) for p in data["points"])
    spec = SweepSpec(
        parse_path(data["path"]), data["path"], values, (), data["input"], Unit.of(data["unit"])
    )
    points = [
        SweepPoint(float(p["value"]), {name: Band(**p[name]) for name in SWEPT})
        for p in data["points"]
    ]
    return spec, points


def write_sweep(
    spec: SweepSpec,
    points: list[SweepPoint],
    source: StudySource,
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """sweep.csv, sweep.json (and the sweep chart), written whole."""
    _write_study(
        target,
        force,
        "sweep",
        sweep_rows(spec, points),
        sweep_json(spec, points, source),
        None if draw is None else lambda charts: draw(spec, points, source, charts),
    )


# ------------------------------------------------------------------ goal seek


def solve_rows(solution: Solution) -> Table:
    """solve.csv: one row a value tried, in search order, and whether it met the target."""
    target = solution.target
    header = ["step", "input", "path", "value", f"{target.headline}_{target.statistic}", "meets"]
    rows = [
        [
            str(k + 1),
            solution.label,
            solution.path,
            cell(e.value),
            cell(e.statistic),
            str(target.gap(e.statistic) <= 0).lower() if target.relation != "=" else "",
        ]
        for k, e in enumerate(solution.evaluations)
    ]
    return header, rows


def solve_json(solution: Solution, source: StudySource) -> dict[str, Any]:
    low, high = solution.interval
    target = solution.target
    return {
        "source": source.json(),
        "input": solution.label,
        "path": solution.path,
        "unit": str(solution.unit),
        "label": solution.label,
        "target": target.text,
        "target_parts": {
            "headline": target.headline,
            "statistic": target.statistic,
            "relation": target.relation,
            "value": target.value,
        },
        "answer": solution.answer,
        "interval_95": [low, high],
        "interval_note": "the answer's 95% interval over resampled replications",
        "search_bracket": list(solution.bracket),
        "statistic_at_nearest_value_tried": solution.statistic_at_answer,
        "values_tried": len(solution.evaluations),
        "evaluations": [{"value": e.value, "statistic": e.statistic} for e in solution.evaluations],
    }


def solution_of(data: dict[str, Any]) -> Solution:
    """solve.json read back (each value tried with its statistic, not every replication's)."""
    low, high = data["interval_95"]
    return Solution(
        path=data["path"],
        label=data["input"],
        target=Target(**data["target_parts"]),
        unit=Unit.of(data["unit"]),
        evaluations=tuple(
            Evaluation(float(e["value"]), e["statistic"], ()) for e in data["evaluations"]
        ),
        answer=float(data["answer"]),
        bracket=(float(data["search_bracket"][0]), float(data["search_bracket"][1])),
        interval=(low, high),
        statistic_at_answer=data["statistic_at_nearest_value_tried"],
    )


def write_solve(
    solution: Solution,
    source: StudySource,
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """solve.csv, solve.json (and the goal-seek chart), written whole."""
    _write_study(
        target,
        force,
        "solve",
        solve_rows(solution),
        solve_json(solution, source),
        None if draw is None else lambda charts: draw(solution, source, charts),
    )


# ------------------------------------------------------------------ drivers


DRIVER_FIELDS = (
    ("median_all", "median_all"),
    ("median_worst_tail", "median_tail"),
    ("shift_sd", "shift_sd"),
    ("mean_all", "mean_all"),
    ("mean_worst_tail", "mean_tail"),
    ("rank_correlation_with_npv", "rank_correlation"),
    ("contribution_to_variance", "variance_share"),
)


def drivers_rows(result: Drivers) -> Table:
    """drivers.csv: one row an uncertain input, the farthest from its median in the tail first."""
    header = ["input", "path", *(column for column, _ in DRIVER_FIELDS)]
    rows = [
        [d.label, d.path, *(cell(getattr(d, name)) for _, name in DRIVER_FIELDS)]
        for d in result.drivers
    ]
    return header, rows


def drivers_json(result: Drivers, source: StudySource) -> dict[str, Any]:
    return {
        "source": source.json(),
        "headline": result.headline,
        "tail_share": result.tail_share,
        "replications": result.replications,
        "worst_replications": result.tail_count,
        "threshold": result.threshold,
        "drivers": [
            {
                "input": d.label,
                "path": d.path,
                "unit": str(d.unit),
                **{column: getattr(d, name) for column, name in DRIVER_FIELDS},
            }
            for d in result.drivers
        ],
        # inputs that move only the work flow: drawn, but no money statistic reads them
        "not_simulated": [
            {"input": u.label, "path": u.path, "why": u.why} for u in result.not_simulated
        ],
    }


def drivers_of(data: dict[str, Any]) -> Drivers:
    """drivers.json read back."""
    drivers = tuple(
        Driver(
            path=d["path"],
            label=d["input"],
            unit=Unit.of(d["unit"]),
            **{name: float(d[column]) for column, name in DRIVER_FIELDS},
        )
        for d in data["drivers"]
    )
    return Drivers(
        data["headline"],
        float(data["tail_share"]),
        int(data["replications"]),
        int(data["worst_replications"]),
        float(data["threshold"]),
        drivers,
        _unsimulated(data),
    )


def write_drivers(
    result: Drivers,
    source: StudySource,
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """drivers.csv, drivers.json (and the drivers chart), written whole."""
    _write_study(
        target,
        force,
        "drivers",
        drivers_rows(result),
        drivers_json(result, source),
        None if draw is None else lambda charts: draw(result, source, charts),
    )
