"""The output folder of a run: summary.json, timeseries.csv, cashflows.csv,
replications.csv and workbook.xlsx (and charts, drawn by :mod:`sim.report.charts`).

A folder is written whole or not at all: everything goes into a temporary
folder beside the target, which is renamed into place at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.report.csvfile import write_csv
from sim.report.tables import cashflow_table, json_text, replication_table, series_rows, summary
from sim.report.workbook import write_workbook
from sim.runs.montecarlo import Results


class OutputExistsError(Exception):
    """The output folder exists and ``--force`` was not given."""


def write_tables(results: Results, scenario_path: Path, folder: Path) -> dict:
    """Write the tables and the workbook into ``folder``; return the summary."""
    data = summary(results, scenario_path)
    (folder / "summary.json").write_text(json_text(data), encoding="utf-8")
    write_csv(
        folder / "timeseries.csv",
        ["month", "unit", "metric", "p10", "p50", "p90", "mean"],
        series_rows(results),
    )
    write_csv(folder / "cashflows.csv", *cashflow_table(results))
    write_csv(folder / "replications.csv", *replication_table(results))
    write_workbook(folder / "workbook.xlsx", results, data)
    return data


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_folder(target: Path, force: bool) -> Iterator[Path]:
    """A temporary folder that becomes ``target`` only if the block completes."""
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; the report is for colleagues too
    try:
        yield staging
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.rename(old / target.name)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_run(
    results: Results,
    scenario_path: Path,
    target: Path,
    force: bool,
    extra: Callable[[Path, dict], None] | None = None,
) -> dict:
    """Write the whole output folder atomically; ``extra`` adds to it (e.g. charts)."""
    with atomic_folder(target, force) as folder:
        data = write_tables(results, scenario_path, folder)
        if extra is not None:
            extra(folder, data)
    return data
