"""Compare scenarios on common random numbers: side-by-side headlines and paired differences.

Scenario files are run with the same seed and the same number of replications,
so replication i of every scenario sees the same random streams; the
difference in a headline is then taken replication by replication against the
first scenario, which is far more precise than the difference of two ranges.
Existing output folders can be compared too; their differences are paired only
when they share a seed and a replication count.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.report.csvfile import write_csv
from sim.report.runfolder import RunFolder, load_run
from sim.report.tables import HEADLINES, band

#: headlines compared replication by replication
PAIRED = (
    "npv",
    "run_rate_savings_annual",
    "one_time_costs",
    "payback_month",
    "throughput_change_pct",
    "cycle_time_change_pct",
    "headcount_end",
)


@dataclass(frozen=True)
class Comparison:
    runs: tuple[RunFolder, ...]
    differences: tuple[dict[str, dict[str, float | None]] | None, ...]  # vs the first run

    def ranked_by_npv(self) -> list[RunFolder]:
        return sorted(self.runs, key=lambda r: -(r.summary["headline"]["npv"]["mean"] or 0.0))


def paired_differences(first: RunFolder, other: RunFolder) -> dict[str, dict] | None:
    """P10/P50/P90/mean of other - first, replication by replication; None if unpaired."""
    same = (
        first.summary["seed"] == other.summary["seed"]
        and first.summary["replications"] == other.summary["replications"]
    )
    if not same:
        return None
    out = {}
    for name in PAIRED:
        pairs = [
            (a.get(name), b.get(name))
            for a, b in zip(first.replications, other.replications, strict=True)
        ]
        values = [b - a if a is not None and b is not None else None for a, b in pairs]
        out[name] = band(values).as_dict()
    return out


def compare_runs(folders: list[Path]) -> Comparison:
    runs = tuple(load_run(f) for f in folders)
    differences = tuple(paired_differences(runs[0], run) for run in runs)
    return Comparison(runs, differences)


def comparison_json(comparison: Comparison, moves: tuple[Path, Path] | None = None) -> dict:
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


def comparison_rows(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    header = ["scenario"] + [f"{h}_{s}" for h in HEADLINES for s in ("p10", "p50", "p90", "mean")]
    header += [f"npv_difference_vs_first_{s}" for s in ("p10", "p50", "p90", "mean")]
    rows = []
    for run, difference in zip(comparison.runs, comparison.differences, strict=True):
        row = [run.name]
        for name in HEADLINES:
            values = run.summary["headline"][name]
            row += [_text(values[s]) for s in ("p10", "p50", "p90", "mean")]
        npv = difference["npv"] if difference else {}
        row += [_text(npv.get(s)) for s in ("p10", "p50", "p90", "mean")]
        rows.append(row)
    return header, rows


def _text(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def write_comparison(
    comparison: Comparison,
    folder: Path,
    final: Path,
    draw: Callable[[Comparison, Path], None] | None = None,
) -> None:
    """comparison.json, comparison.csv (and charts) into ``folder``."""
    (folder / "comparison.json").write_text(
        json.dumps(comparison_json(comparison, (folder, final)), indent=2, allow_nan=False) + "\n",
        encoding="utf-8",
    )
    write_csv(folder / "comparison.csv", *comparison_rows(comparison))
    if draw is not None:
        draw(comparison, folder / "charts")


def run_comparison(
    inputs: list[Path], folder: Path, run: Callable[[Path, Path], None]
) -> Comparison:
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
