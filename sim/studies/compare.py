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

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import ValidationError

from sim.runs.bands import Band, band
from sim.runs.headlines import NPV, PAIRED
from sim.runs.summary import RunSummary
from sim.scenario import months
from sim.scenario.schema import Scenario
from sim.scenario.timeline import last_month, valuation_date

Difference = Mapping[str, Band]  # headline name -> the band of its paired differences


class ComparedRun(Protocol):
    """What a comparison needs of a run: its summary (seed, replications, headline
    bands) and one mapping of headlines a replication, in replication order."""

    @property
    def summary(self) -> RunSummary: ...

    @property
    def replications(self) -> Sequence[Mapping[str, float | None]]: ...


RunT = TypeVar("RunT", bound=ComparedRun)


@dataclass(frozen=True)
class Comparison(Generic[RunT]):
    runs: tuple[RunT, ...]
    differences: tuple[Difference | None, ...]  # vs the first run

    def ranked_by_npv(self) -> list[RunT]:
        return sorted(self.runs, key=lambda r: -(r.summary.headline[NPV.name].mean or 0.0))


def paired(first: ComparedRun, other: ComparedRun) -> bool:
    """Replication i of both ran on the same random numbers."""
    return bool(
        first.summary.seed == other.summary.seed
        and first.summary.replications == other.summary.replications
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
        out[name] = band(values)
    return out


@dataclass(frozen=True)
class Frame:
    """One valuation date and one window for every scenario of a comparison."""

    date: dt.date
    basis: str  # why this date: given, or the earliest of the scenarios'
    horizon_months: int  # from the date's month to the latest end among them
    last_month: str  # 'YYYY-MM'


def common_frame(
    scenarios: Sequence[Scenario], names: Sequence[str], date: dt.date | None = None
) -> tuple[Frame, list[Scenario]]:
    """Every scenario valued at one date over one window: ``date`` if given, else the
    earliest of their valuation dates, to the latest of their last months.

    Values side by side at different dates would differ by the months, not the plans
    (a variant valued a month later gets a month more of savings). Raises ValueError,
    naming the scenario, when one cannot be valued there (it starts after the date).
    """
    dates = [valuation_date(s)[0] for s in scenarios]
    common = date if date is not None else min(dates)
    basis = "given" if date is not None else "the earliest valuation date of the scenarios"
    end = max(months.parse(last_month(s)) for s in scenarios)
    horizon = end - months.of_date(common) + 1
    if horizon < 1:
        raise ValueError(f"the valuation date {common} is after every scenario's last month")
    framed = []
    for scenario, name in zip(scenarios, names, strict=True):
        if common < scenario.meta.start:
            raise ValueError(
                f"{name} starts in {scenario.meta.start:%Y-%m}, after the common valuation "
                f"date {common}: give --valuation-date on or after it, or start {name} earlier"
            )
        data = scenario.model_dump(mode="json")
        data["finance"]["valuation_date"] = common.isoformat()
        data["meta"]["horizon_months"] = horizon
        try:
            framed.append(Scenario.model_validate(data))
        except ValidationError as err:
            first = err.errors(include_url=False)[0]
            raise ValueError(
                f"{name} cannot be valued at {common} over {horizon} months: {first['msg']}"
            ) from None
    return Frame(common, basis, horizon, months.label(end)), framed


def compare(runs: Sequence[RunT]) -> Comparison[RunT]:
    """The runs side by side, each differenced against the first."""
    return Comparison(tuple(runs), tuple(paired_differences(runs[0], run) for run in runs))
