"""The shape of a run folder, checked before it is read: ``report``, ``plot`` and the
studies that read runs back get one line naming the file and what is wrong (a CSV cut
mid-row, a summary.json that is a list or has no headline), never a traceback.

What is checked: the folder's marker (a folder this tool wrote), each table a
regular file under a size limit, summary.json a mapping with a version and its
headline bands, each CSV's header and every row's length, the number cells numbers,
and at least one replication. What the numbers mean is the reader's business.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from sim.report.escape import read_spreadsheet_text
from sim.report.files import MARKER, written_by_us
from sim.runs.bands import STATS
from sim.runs.headlines import HEADLINES
from sim.scenario.inputfile import InputFileError, read_limited
from sim.scenario.names import name_problem

#: a table of a run is at most this big (a 350,000-person run's timeseries is a few MB)
MAX_TABLE_BYTES = 500_000_000
TIMESERIES_HEADER = ["month", "unit", "metric", *STATS]


class FolderShapeError(ValueError):
    """A run folder's file that is not what this tool writes: ``file`` and why."""

    def __init__(self, file: Path, reason: str):
        super().__init__(f"{file}: {reason}")


def check_run_folder(folder: Path, files: tuple[str, ...]) -> None:
    """Raise :class:`FolderShapeError` for the first thing wrong with the run folder."""
    if not written_by_us(folder):
        raise FolderShapeError(folder, f"not a run output folder (no {MARKER} in it)")
    _summary(folder / "summary.json")
    for name in files:
        if name.endswith(".csv"):
            _table(folder / name)


def _read(path: Path) -> bytes:
    try:
        return read_limited(path, MAX_TABLE_BYTES, "a run's table")
    except InputFileError as err:
        raise FolderShapeError(path, f"cannot read it: {err.reason}") from None


def _not_written(constant: str) -> None:
    """``json.loads``'s reading of NaN and Infinity, which summary.json never holds."""
    raise ValueError(f"{constant} is not a number this tool writes")


def _summary(path: Path) -> None:
    try:
        data = json.loads(_read(path).decode("utf-8"), parse_constant=_not_written)
    except (UnicodeDecodeError, ValueError) as err:
        raise FolderShapeError(path, f"not JSON ({err}); run the scenario again") from None
    if not isinstance(data, dict):
        raise FolderShapeError(path, f"expected a mapping, got {type(data).__name__}")
    if not isinstance(data.get("version"), str):
        raise FolderShapeError(path, "has no version: not a summary this tool wrote")
    scenario = data.get("scenario")
    if not isinstance(scenario, dict) or not isinstance(scenario.get("name"), str):
        raise FolderShapeError(path, "has no scenario name")
    headline = data.get("headline")
    if not isinstance(headline, dict):
        raise FolderShapeError(path, f"headline: expected a mapping, got {_kind(headline)}")
    for name in HEADLINES:
        band = headline.get(name)
        if not isinstance(band, dict) or not all(_number_or_none(band.get(s)) for s in STATS):
            raise FolderShapeError(
                path, f"headline.{name}: expected its p10, p50, p90 and mean, got {_kind(band)}"
            )


def _number_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _table(path: Path) -> None:
    try:
        text = _read(path).decode("utf-8")
    except UnicodeDecodeError:
        raise FolderShapeError(path, "not UTF-8 text") from None
    if text and not text.endswith("\n"):
        raise FolderShapeError(path, "cut short: its last line has no line end")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise FolderShapeError(path, "empty: expected a header and rows")
    if path.name == "timeseries.csv" and header != TIMESERIES_HEADER:
        raise FolderShapeError(path, f"header is {header}, expected {TIMESERIES_HEADER}")
    text_columns = {0, 1, 2} if path.name == "timeseries.csv" else {0}
    rows = 0
    try:
        for row in reader:
            rows += 1
            _row(path, reader.line_num, row, header, text_columns)
    except csv.Error as err:
        raise FolderShapeError(path, f"line {reader.line_num}: not valid CSV ({err})") from None
    if rows == 0:
        raise FolderShapeError(path, "has a header but no rows")


def _row(path: Path, line: int, row: list[str], header: list[str], text: set[int]) -> None:
    if len(row) != len(header):
        raise FolderShapeError(
            path, f"line {line}: {len(row)} fields, the header has {len(header)} (cut short?)"
        )
    for column, cell in enumerate(row):
        if column in text:
            if problem := name_problem(read_spreadsheet_text(cell)):
                raise FolderShapeError(path, f"line {line}, column {column + 1}: {problem}")
        elif cell != "" and not _is_number(cell):
            raise FolderShapeError(
                path,
                f"line {line}, column {column + 1} ({header[column]}): {cell!r} is not a number",
            )


def _is_number(cell: str) -> bool:
    try:
        value = float(cell)
    except ValueError:
        return False
    return not math.isnan(value) or cell.lower() == "nan"
