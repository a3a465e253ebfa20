"""The studies' files: a comparison's, a tornado's and a sweep's tables (and charts),
each written whole into its own folder. The studies themselves run in memory
(:mod:`sim.studies`); this is where their results meet the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.report.files import atomic_folder, cell, write_csv, write_json
from sim.report.runfolder import RunFolder, load_run
from sim.runs.bands import HEADLINES, STATS
from sim.studies.compare import Comparison, compare
from sim.studies.drivers import Drivers
from sim.studies.sensitivity import Outcome, Tornado
from sim.studies.solve import Solution
from sim.studies.sweep import SweepPoint, SweepSpec

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
                "scenario": run.summary["scenario"],
                "seed": run.summary["seed"],
                "replications": run.summary["replications"],
                "headline": run.summary["headline"],
                "difference_vs_first": difference,
            }
            for run, difference in zip(comparison.runs, comparison.differences, strict=True)
        ],
    }


def comparison_rows(comparison: Comparison[RunFolder]) -> Table:
    """comparison.csv: one row a scenario, its headline bands and its paired NPV difference."""
    header = ["scenario"] + [f"{h}_{s}" for h in HEADLINES for s in STATS]
    header += [f"npv_difference_vs_first_{s}" for s in STATS]
    rows = []
    for run, difference in zip(comparison.runs, comparison.differences, strict=True):
        row = [run.name]
        for name in HEADLINES:
            values = run.summary["headline"][name]
            row += [cell(values[s]) for s in STATS]
        npv = difference["npv"] if difference else {}
        row += [cell(npv.get(s)) for s in STATS]
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


def tornado_rows(result: Tornado) -> Table:
    """sensitivity.csv: one row an input, largest NPV swing first."""
    header = [
        "input",
        "distribution",
        "value_at_p10",
        "value_at_p90",
        "npv_at_p10",
        "npv_at_p90",
        "npv_swing",
        "payback_month_at_p10",
        "payback_month_at_p90",
        "payback_swing_months",
    ]
    rows = [
        [
            s.path,
            s.distribution,
            cell(s.low_value),
            cell(s.high_value),
            cell(s.low.npv),
            cell(s.high.npv),
            cell(s.npv_swing),
            cell(s.low.payback_month),
            cell(s.high.payback_month),
            cell(s.payback_swing),
        ]
        for s in result.swings
    ]
    return header, rows


def tornado_json(result: Tornado, source: dict[str, Any]) -> dict[str, Any]:
    def outcome(o: Outcome) -> dict[str, float | None]:
        return {"npv": o.npv, "payback_month": o.payback_month}

    return {
        "source": source,
        "at_medians": outcome(result.base),
        "inputs": [
            {
                "input": s.path,
                "distribution": s.distribution,
                "value_at_p10": s.low_value,
                "value_at_p90": s.high_value,
                "at_p10": outcome(s.low),
                "at_p90": outcome(s.high),
                "npv_swing": s.npv_swing,
                "payback_swing_months": s.payback_swing,
            }
            for s in result.swings
        ],
    }


def write_tornado(
    result: Tornado,
    source: dict[str, Any],
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """sensitivity.csv, sensitivity.json (and the tornado chart), written whole."""
    with atomic_folder(target, force) as folder:
        write_csv(folder / "sensitivity.csv", *tornado_rows(result))
        write_json(folder / "sensitivity.json", tornado_json(result, source))
        if draw is not None:
            draw(result, source, folder / "charts")


# ------------------------------------------------------------------ sweep


def sweep_rows(spec: SweepSpec, points: list[SweepPoint]) -> Table:
    """sweep.csv: one row a swept value, NPV and payback month as P10/P50/P90/mean."""
    header = [spec.text] + [f"{h}_{s}" for h in ("npv", "payback_month") for s in STATS]
    rows = []
    for point in points:
        row = [cell(point.value)]
        for name in ("npv", "payback_month"):
            values = point.headline[name].as_dict()
            row += [cell(values[s]) for s in STATS]
        rows.append(row)
    return header, rows


def write_sweep(
    spec: SweepSpec,
    points: list[SweepPoint],
    source: dict[str, Any],
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """sweep.csv (and the sweep chart), written whole."""
    with atomic_folder(target, force) as folder:
        write_csv(folder / "sweep.csv", *sweep_rows(spec, points))
        if draw is not None:
            draw(spec, points, source, folder / "charts")


# ------------------------------------------------------------------ goal seek


def solve_rows(solution: Solution) -> Table:
    """solve.csv: one row a value tried, in search order, and whether it met the target."""
    target = solution.target
    header = ["step", "input", solution.path, f"{target.headline}_{target.statistic}", "meets"]
    rows = [
        [
            str(k + 1),
            solution.label,
            cell(e.value),
            cell(e.statistic),
            str(target.gap(e.statistic) <= 0).lower() if target.relation != "=" else "",
        ]
        for k, e in enumerate(solution.evaluations)
    ]
    return header, rows


def solve_json(solution: Solution, source: dict[str, Any]) -> dict[str, Any]:
    low, high = solution.interval
    return {
        "source": source,
        "input": solution.path,
        "label": solution.label,
        "target": solution.target.text,
        "answer": solution.answer,
        "interval_95": [low, high],
        "interval_note": "the answer's 95% interval over resampled replications",
        "search_bracket": list(solution.bracket),
        "statistic_at_nearest_value_tried": solution.statistic_at_answer,
        "values_tried": len(solution.evaluations),
    }


def write_solve(
    solution: Solution,
    source: dict[str, Any],
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """solve.csv, solve.json (and the goal-seek chart), written whole."""
    with atomic_folder(target, force) as folder:
        write_csv(folder / "solve.csv", *solve_rows(solution))
        write_json(folder / "solve.json", solve_json(solution, source))
        if draw is not None:
            draw(solution, source, folder / "charts")


# ------------------------------------------------------------------ drivers


def drivers_rows(result: Drivers) -> Table:
    """drivers.csv: one row an uncertain input, the farthest from its median in the tail first."""
    header = [
        "input",
        "path",
        "median_all",
        "median_worst_tail",
        "shift_sd",
        "mean_all",
        "mean_worst_tail",
        "rank_correlation_with_npv",
        "contribution_to_variance",
    ]
    rows = [
        [
            d.label,
            d.path,
            cell(d.median_all),
            cell(d.median_tail),
            cell(d.shift_sd),
            cell(d.mean_all),
            cell(d.mean_tail),
            cell(d.rank_correlation),
            cell(d.variance_share),
        ]
        for d in result.drivers
    ]
    return header, rows


def write_drivers(
    result: Drivers,
    source: dict[str, Any],
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """drivers.csv, drivers.json (and the drivers chart), written whole."""
    header, rows = drivers_rows(result)
    with atomic_folder(target, force) as folder:
        write_csv(folder / "drivers.csv", header, rows)
        write_json(
            folder / "drivers.json",
            {
                "source": source,
                "headline": result.headline,
                "tail_share": result.tail_share,
                "replications": result.replications,
                "worst_replications": result.tail_count,
                "threshold": result.threshold,
                "drivers": [dict(zip(header, row, strict=True)) for row in rows],
            },
        )
        if draw is not None:
            draw(result, source, folder / "charts")
