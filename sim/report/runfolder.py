"""The output folder of a run, written whole and read back: the one writer and the
one reader of summary.json, timeseries.csv, cashflows.csv, replications.csv,
fiscal_years.csv and workbook.xlsx (the charts in it are drawn by :mod:`sim.report.charts`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.report.escape import read_spreadsheet_text
from sim.report.files import atomic_folder, write_csv, write_json
from sim.report.foldercheck import TIMESERIES_HEADER, FolderShapeError, check_run_folder
from sim.report.summaryfile import read_summary, summary_data
from sim.runs import notebook
from sim.runs.bands import STATS

if TYPE_CHECKING:  # the reader needs nothing of the engine; only the writer takes Results
    from sim.runs.montecarlo import Results
    from sim.runs.summary import RunSummary

#: what restructure run writes and the charts and comparisons read back
RUN_FILES = ("summary.json", "timeseries.csv", "cashflows.csv", "replications.csv")


class RunFolderError(Exception):
    """A folder that is not a complete run output."""


# ------------------------------------------------------------------ writing


def write_tables(results: Results, scenario_path: Path, folder: Path) -> RunSummary:
    """Write the tables and the workbook into ``folder``; return the summary."""
    # imported here: whoever only reads run folders (the charts) loads no table or
    # workbook writer
    from sim.report.tables import (
        cashflow_table,
        fiscal_year_table,
        replication_table,
        series_rows,
        summary,
    )
    from sim.report.workbook import write_workbook

    data = summary(results, scenario_path)
    write_json(folder / "summary.json", summary_data(data))
    write_csv(folder / "timeseries.csv", TIMESERIES_HEADER, series_rows(results))
    write_csv(folder / "cashflows.csv", *cashflow_table(results))
    write_csv(folder / "replications.csv", *replication_table(results))
    write_csv(folder / "fiscal_years.csv", *fiscal_year_table(results))
    write_workbook(folder / "workbook.xlsx", results, data)
    return data


def write_run(
    results: Results,
    scenario_path: str | Path,
    target: str | Path,
    force: bool = False,
    extra: Callable[[Path], None] | None = None,
) -> RunSummary:
    """Write the whole output folder atomically; ``extra(folder)`` adds to it (e.g. charts)
    once the tables are in it. Return the summary. Paths may be strings (a notebook's).

    A study's run that skipped the work flow (money only, ``flow=False``) is refused: a
    run folder shows work done and cycle time, and NaN there would read as a result. A
    run whose flow sample is chosen (sim.runs.flowsample, none included) says so itself."""
    if not results.flow and results.flow_sample is None:
        raise ValueError("a run folder needs the work flow; this run skipped it (flow=False)")
    with atomic_folder(Path(target), force) as folder:
        data = write_tables(results, Path(scenario_path), folder)
        if extra is not None:
            extra(folder)
    return data


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Series:
    """A monthly series across replications: P10, P50, P90 and mean (NaN = no value)."""

    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    mean: np.ndarray

    @classmethod
    def empty(cls, months: int) -> Series:
        return cls(*(np.full(months, np.nan) for _ in STATS))

    def shifted(self, offset: int, months: int) -> Series:
        """This series on a longer calendar of ``months``, starting at ``offset``."""
        out = Series.empty(months)
        for stat in STATS:
            own = getattr(self, stat)
            getattr(out, stat)[offset : offset + len(own)] = own
        return out


@dataclass(frozen=True, repr=False)  # one line in a notebook (its series: 364 KB of text)
class RunFolder:
    """A run's output folder as plain data: what the charts and the studies read.

    In a notebook it shows as one line and its headline table; :meth:`to_frame`
    gives its replications or its monthly series as a DataFrame."""

    path: Path
    summary: RunSummary
    months: tuple[str, ...]
    series: dict[tuple[str, str], Series]  # (unit or "all", metric) -> its monthly bands
    replications: list[dict[str, float | None]]  # one row a replication: inputs, headlines
    cash: dict[str, np.ndarray]  # cashflows.csv's columns (but the month), in file order

    @property
    def name(self) -> str:
        return self.summary.name

    def __repr__(self) -> str:
        s = self.summary
        return notebook.short_repr("RunFolder", str(self.path), s.facts(), s.headline, s.currency)

    def _repr_html_(self) -> str:
        return self.summary._repr_html_()

    def to_frame(self, kind: notebook.FrameKind = "replications", stat: str = "mean") -> Any:
        """A pandas DataFrame: ``"replications"``, replications.csv (one row a
        replication); ``"series"``, one row a month and a column a (unit, metric), the
        statistic ``stat`` of timeseries.csv."""
        notebook.check_kind(kind)
        if kind == "replications":
            return notebook.replications_frame(self.replications)
        bands = {k: {s: getattr(v, s) for s in STATS} for k, v in self.series.items()}
        return notebook.series_frame(self.months, bands, stat)


def _number(text: str) -> float | None:
    return float(text) if text != "" else None


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _series(rows: list[dict[str, str]]) -> tuple[tuple[str, ...], dict[tuple[str, str], Series]]:
    months = tuple(dict.fromkeys(row["month"] for row in rows))
    index = {m: i for i, m in enumerate(months)}
    series: dict[tuple[str, str], Series] = {}
    for row in rows:
        key = (read_spreadsheet_text(row["unit"]), row["metric"])
        if key not in series:
            series[key] = Series.empty(len(months))
        for stat in STATS:
            value = _number(row[stat])
            if value is not None:
                getattr(series[key], stat)[index[row["month"]]] = value
    return months, series


def _cash(path: Path) -> dict[str, np.ndarray]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    return {
        name: np.array([np.nan if row[i] == "" else float(row[i]) for row in rows], dtype=float)
        for i, name in enumerate(header)
        if i > 0
    }


def load_run(folder: Path) -> RunFolder:
    """Every table of a run folder; :class:`RunFolderError` if it is not a complete one."""
    folder = Path(folder)
    missing = [name for name in RUN_FILES if not (folder / name).exists()]
    if missing:
        raise RunFolderError(f"{folder}: not a run output folder (no {', '.join(missing)})")
    try:
        check_run_folder(folder, RUN_FILES)
    except FolderShapeError as err:
        raise RunFolderError(str(err)) from None
    try:
        summary = read_summary(json.loads((folder / "summary.json").read_text(encoding="utf-8")))
        months, series = _series(_read_rows(folder / "timeseries.csv"))
        replications = [
            {k: _number(v) for k, v in row.items()}
            for row in _read_rows(folder / "replications.csv")
        ]
        cash = _cash(folder / "cashflows.csv")
    except (OSError, ValueError, KeyError, TypeError, StopIteration) as err:
        raise RunFolderError(f"{folder}: not a run output folder ({err})") from None
    return RunFolder(folder, summary, months, series, replications, cash)
