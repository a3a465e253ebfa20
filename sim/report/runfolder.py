"""Read back an output folder written by ``restructure run``."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

STATS = ("p10", "p50", "p90", "mean")
#: what restructure run writes and the charts and comparisons read back
RUN_FILES = ("summary.json", "timeseries.csv", "cashflows.csv", "replications.csv")


class RunFolderError(Exception):
    """A folder that is not a complete run output."""


@dataclass(frozen=True)
class RunFolder:
    path: Path
    summary: dict
    months: tuple[str, ...]
    series: dict[tuple[str, str], dict[str, np.ndarray]]  # (unit, metric) -> stat -> values
    replications: list[dict[str, float | None]]

    @property
    def name(self) -> str:
        return self.summary["scenario"]["name"]

    def monthly(self, metric: str, unit: str = "all") -> dict[str, np.ndarray]:
        return self.series[unit, metric]


def _number(text: str) -> float | None:
    return float(text) if text != "" else None


def load_run(folder: Path) -> RunFolder:
    """summary.json, timeseries.csv and replications.csv of a run folder."""
    missing = [name for name in RUN_FILES if not (folder / name).is_file()]
    if missing:
        raise RunFolderError(f"{folder}: not a run output folder (no {', '.join(missing)})")
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        with (folder / "timeseries.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with (folder / "replications.csv").open(encoding="utf-8", newline="") as handle:
            replications = [
                {k: _number(v) for k, v in row.items()} for row in csv.DictReader(handle)
            ]
    except (OSError, ValueError, KeyError) as err:
        raise RunFolderError(f"{folder}: not a run output folder ({err})") from None
    months = tuple(dict.fromkeys(row["month"] for row in rows))
    index = {m: i for i, m in enumerate(months)}
    series: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    for row in rows:
        key = (row["unit"], row["metric"])
        if key not in series:
            series[key] = {s: np.full(len(months), np.nan) for s in STATS}
        for stat in STATS:
            value = _number(row[stat])
            if value is not None:
                series[key][stat][index[row["month"]]] = value
    return RunFolder(folder, summary, months, series, replications)
