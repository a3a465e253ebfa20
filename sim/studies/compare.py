"""Compare scenarios on common random numbers: side-by-side headlines and paired differences.

Scenario files are run with the same seed and the same number of replications,
so replication i of every scenario sees the same random streams; the
difference in a headline is then taken replication by replication against the
first scenario, which is far more precise than the difference of two ranges.
Existing runs can be compared too; their differences are paired only when they
share a seed and a replication count.

Everything here works on plain data in memory: a run is its summary and its
rows of per-replication headlines (:mod:`sim.report` reads and writes the files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sim.runs.bands import band

#: headlines compared replication by replication
PAIRED = (
    "npv",
    "run_rate_savings_annual",
    "one_time_costs",
    "payback_month",
    "throughput_change",
    "cycle_time_change",
    "headcount_end",
)

Difference = dict[str, dict[str, float | None]]  # headline -> its band, as a dict


class ComparedRun(Protocol):
    """What a comparison needs of a run: its summary (seed, replications, headline
    bands) and one mapping of headlines a replication, in replication order."""

    @property
    def summary(self) -> Mapping[str, Any]: ...

    @property
    def replications(self) -> Sequence[Mapping[str, float | None]]: ...


RunT = TypeVar("RunT", bound=ComparedRun)


@dataclass(frozen=True)
class Comparison(Generic[RunT]):
    runs: tuple[RunT, ...]
    differences: tuple[Difference | None, ...]  # vs the first run

    def ranked_by_npv(self) -> list[RunT]:
        return sorted(self.runs, key=lambda r: -(r.summary["headline"]["npv"]["mean"] or 0.0))


def paired(first: ComparedRun, other: ComparedRun) -> bool:
    """Replication i of both ran on the same random numbers."""
    return bool(
        first.summary["seed"] == other.summary["seed"]
        and first.summary["replications"] == other.summary["replications"]
    )


def paired_differences(first: ComparedRun, other: ComparedRun) -> Difference | None:
    """P10/P50/P90/mean of other - first, replication by replication; None if unpaired."""
    if not paired(first, other):
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


def compare(runs: Sequence[RunT]) -> Comparison[RunT]:
    """The runs side by side, each differenced against the first."""
    return Comparison(tuple(runs), tuple(paired_differences(runs[0], run) for run in runs))
