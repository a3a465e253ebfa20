"""The run's results as tables: headline bands, monthly percentiles, cash-flow lines.

Pure functions from :class:`Results` to rows; :mod:`sim.report.runfolder` writes them
to files and :mod:`sim.report.workbook` to a spreadsheet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sim.finance.cashflows import (
    BASELINE_COLUMN,
    NET_COLUMN,
    SCENARIO_COLUMN,
    VALUE_OF_WORK_COLUMN,
)
from sim.report.files import cell, file_sha256
from sim.runs.bands import monthly_bands
from sim.runs.headlines import HEADLINES
from sim.runs.summary import RunSummary, ScenarioFile, fiscal_year_rows, run_summary

if TYPE_CHECKING:  # the tables read plain results; they need nothing of the engine
    from sim.runs.montecarlo import Results


def fiscal_year_table(results: Results) -> tuple[list[str], list[list[str]]]:
    """fiscal_years.csv: a fiscal year a row, the mean cash flow's money."""
    years = fiscal_year_rows(
        results.mean_cash_flows(), results.scenario.finance.fiscal_year_start_month
    )
    rows = [dataclasses.asdict(year) for year in years]
    header = list(rows[0]) if rows else []
    return header, [[_cell_text(value) for value in row.values()] for row in rows]


def summary(results: Results, scenario_path: Path) -> RunSummary:
    """The run's summary, naming the scenario file it read (its path and SHA-256)."""
    meta = results.scenario.meta
    source = ScenarioFile(
        str(scenario_path), meta.name, file_sha256(scenario_path), meta.description.strip()
    )
    return run_summary(results, source)


def _cell_text(value: str | int | float) -> str:
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) else cell(value)


def series_rows(results: Results) -> Iterator[list[str]]:
    keys = sorted(results.series, key=lambda k: (k[0] != "all", k[0]))
    stats = {key: tuple(monthly_bands(results.stacked(key)).values()) for key in keys}
    for m, month in enumerate(results.months):
        for unit, metric in keys:
            yield [month, unit, metric, *(cell(values[m]) for values in stats[unit, metric])]


def cashflow_table(results: Results) -> tuple[list[str], list[list[str]]]:
    flows = results.mean_cash_flows()
    columns = {f"{SCENARIO_COLUMN}{k}": 0.0 - v for k, v in flows.scenario.items()}
    columns.update({f"{BASELINE_COLUMN}{k}": v for k, v in flows.baseline.items()})
    columns[VALUE_OF_WORK_COLUMN] = flows.throughput_value
    columns[NET_COLUMN] = flows.net
    header = ["month", *columns]
    rows = [
        [month, *(cell(values[m]) for values in columns.values())]
        for m, month in enumerate(results.months)
    ]
    return header, rows


def replication_table(results: Results) -> tuple[list[str], Iterator[list[str]]]:
    """replications.csv's header and its rows, a replication a row, made as they are
    written (a list of them held some 2 KB a replication while the folder was written)."""
    parameter_names = list(results.parameters[0]) if results.parameters else []
    header = ["replication", *parameter_names, *HEADLINES]

    def rows() -> Iterator[list[str]]:
        pairs = zip(results.parameters, results.headlines, strict=True)
        for i, (params, heads) in enumerate(pairs):
            yield [
                str(i),
                *(cell(params[p]) for p in parameter_names),
                *(cell(heads[h]) for h in HEADLINES),
            ]

    return header, rows()
