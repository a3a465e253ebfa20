"""Read an HR roster: one row per person, an employee id and a manager id.

Every org-design tool starts from this export (Orgvue needs only "ID and Parent
ID"). The reader turns it into arrays, row order kept: who reports to whom (as
row indices), the unit, the fully loaded annual cost, and optionally a layer or
grade label. Names and ids stay inside :class:`Roster`; what leaves this stage
is counts and costs (see :mod:`sim.scenario.orgshape`).

A problem is one :class:`RosterError` naming the file, the line and the column
(the field's position in the row: column 3 is the third field, C in a
spreadsheet), and what was expected::

    roster.csv:17:2: manager_id 'E1093' matches no employee_id in the file

CSV is read with the standard library (exact line numbers, even with quoted
line breaks); XLSX with openpyxl.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.scenario.inputfile import InputFileError, read_limited
from sim.scenario.names import name_problem, printable

#: the fields a roster may have, and what each means; the first four are required
#: (``salary`` may stand in for ``annual_cost`` with an on-cost multiplier)
FIELDS: dict[str, str] = {
    "employee_id": "the person's id, unique in the file",
    "manager_id": "the id of the person they report to; empty for the top",
    "unit": "business unit",
    "annual_cost": "fully loaded annual cost (salary, benefits, taxes, space)",
    "salary": "annual salary, turned into a fully loaded cost by an on-cost multiplier",
    "layer": "a layer or grade label (used to name the derived layers)",
    "role": "a role or job family (the ICs are counted by unit and role)",
    "soc": "an occupation code (SOC 2018) for the role's AI applicability prior",
}
REQUIRED = ("employee_id", "manager_id", "unit")
#: other names the same columns often have in HR exports, tried after the field's own
ALIASES: dict[str, tuple[str, ...]] = {
    "layer": ("grade", "level"),
    "role": ("job_family", "job family", "family"),
    "soc": ("soc_code", "soc code", "occupation_code"),
}
#: delimiters a roster may use; a header read as one field that contains one of
#: these means the file uses it
DELIMITERS = (",", ";", "\t", "|")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
#: a roster of 1.5 million people in seven columns is about 85 MB as CSV
MAX_ROSTER_BYTES = 100_000_000


class RosterError(Exception):
    """A roster that cannot be used: the file, 1-based line and column, and why."""

    def __init__(self, file: str, line: int, column: int, message: str):
        #: the person's row (0-based, blank lines left out), where the error is about one
        self.row: int | None = None
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        super().__init__(printable(f"{file}:{line}:{column}: {message}"))


class RosterUnreadable(RosterError):
    """A roster file that cannot be opened at all: the fault is in whoever named it."""

    def __init__(self, file: str, reason: str):
        self.reason = reason
        super().__init__(file, 1, 1, f"cannot read the roster: {reason}")


@dataclass(frozen=True)
class Roster:
    """The people of an HR export as arrays, in file order.

    ``manager`` holds the row of each person's manager (-1 for none); ids are kept
    only to name them in an error (a cycle, a duplicate), never in an output.
    """

    file: str
    ids: np.ndarray
    manager: np.ndarray
    unit: np.ndarray
    unit_names: tuple[str, ...]
    annual_cost: np.ndarray
    layer_label: np.ndarray | None
    layer_labels: tuple[str, ...]
    columns: Mapping[str, int]
    line_of: Callable[[int], int]
    #: each person's role (a code into ``role_labels``) and SOC code, where the roster
    #: has the columns; a label, never a name, reaches an output
    role_label: np.ndarray | None = None
    role_labels: tuple[str, ...] = ()
    soc: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.manager)

    def error(self, row: int, field: str, message: str) -> RosterError:
        """An error at a person's row, in the column of ``field``."""
        return RosterError(self.file, self.line_of(row), self.columns.get(field, 1), message)


@dataclass(frozen=True)
class RosterOptions:
    """How to read a roster whose export differs from the default layout."""

    #: field -> the file's header for it, where it is not the field's own name
    columns: Mapping[str, str] | None = None
    #: fully loaded cost / salary, when the file has salaries rather than costs
    on_cost_multiplier: float | None = None
    delimiter: str = ","
    #: for XLSX: the sheet to read (default: the first)
    sheet: str | None = None


def read_roster(
    path: Path, options: RosterOptions = RosterOptions(), display_name: str | None = None
) -> Roster:
    """Read and check a roster file (CSV or XLSX); raise :class:`RosterError`."""
    name = display_name or path.name
    try:
        raw = read_limited(path, MAX_ROSTER_BYTES, "a roster")
    except InputFileError as err:
        raise RosterUnreadable(name, err.reason) from None
    table: _Table
    if path.suffix.lower() in XLSX_SUFFIXES:
        table = _xlsx_table(raw, name, options)
    else:
        table = _CsvTable(raw, name, options)
    return _parse(table, name, options)


class _Table:
    """A roster file's header and the columns of its people, blank lines dropped."""

    name: str
    header: list[str]
    header_line: int
    columns: dict[str, int]

    def values(self, field: str) -> np.ndarray:
        """The text of a field, one item per person."""
        raise NotImplementedError

    def line_of(self, row: int) -> int:
        """The line a person's row starts on."""
        raise NotImplementedError

    def check_widths(self, before_row: int | None = None) -> None:
        """Raise for the first row (up to ``before_row``) whose field count is not the
        header's: an unquoted comma, or a field missing, explains most other errors."""


# ------------------------------------------------------------------------ CSV


class _CsvTable(_Table):
    """CSV through pandas' C parser (a 350,000-row roster in well under a second);
    the standard library's reader places errors exactly, on the error path only."""

    def __init__(self, raw: bytes, name: str, options: RosterOptions):
        self.name, self.delimiter = name, options.delimiter
        self.raw = raw
        self.text = _decode(raw, name, options.delimiter)
        self.quoted = '"' in self.text
        self.header, self.header_line = self._header()
        self.columns = _find_columns(self.header, name, self.header_line, options)
        self.frame = self._read()
        used = [self.frame[c - 1].to_numpy() for c in self.columns.values()]
        blank = np.logical_and.reduce([u == "" for u in used])
        self.kept = np.flatnonzero(~blank)
        self._lines: list[int] | None = None

    def _reader(self):
        return csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter, strict=True)

    def _header(self) -> tuple[list[str], int]:
        reader = self._reader()
        try:
            for record in reader:
                if any(field.strip() for field in record):
                    return record, reader.line_num
        except csv.Error as err:
            raise RosterError(self.name, reader.line_num, 1, f"not valid CSV: {err}") from None
        raise RosterError(
            self.name, 1, 1, "the roster is empty; expected a header and one row per person"
        )

    def _read(self):
        import pandas as pd

        try:
            return pd.read_csv(
                io.BytesIO(self.raw),  # bytes parse faster than text; the text was checked
                encoding="utf-8-sig",
                sep=self.delimiter,
                header=None,
                names=list(range(len(self.header))),
                index_col=False,
                skiprows=self.header_line,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                skipinitialspace=True,
                engine="c",
            )
        except (pd.errors.ParserError, ValueError):
            self.check_widths()
            self._refuse_bad_quoting()
            raise  # pragma: no cover - the scans above find what pandas refused

    def _refuse_bad_quoting(self) -> None:
        reader = self._reader()
        try:
            for _ in reader:
                pass
        except csv.Error as err:
            raise RosterError(self.name, reader.line_num, 1, f"not valid CSV: {err}") from None

    def values(self, field: str) -> np.ndarray:
        return self.frame[self.columns[field] - 1].to_numpy()[self.kept]

    def line_of(self, row: int) -> int:
        position = int(self.kept[row])
        if not self.quoted:  # one record per line
            return self.header_line + 1 + position
        if self._lines is None:
            self._lines = _record_lines(self._reader())[self._header_records() :]
        return self._lines[position]

    def _header_records(self) -> int:
        reader, count = self._reader(), 0
        for _ in reader:
            count += 1
            if reader.line_num >= self.header_line:
                return count
        return count

    def check_widths(self, before_row: int | None = None) -> None:
        last = None if before_row is None else self.line_of(before_row)
        reader, width, previous = self._reader(), len(self.header), 0
        try:
            for record in reader:
                start, previous = previous + 1, reader.line_num
                if last is not None and start > last:
                    return
                if start > self.header_line and any(record) and len(record) != width:
                    raise _width_error(record, width, self.name, start, self.delimiter)
        except csv.Error as err:
            raise RosterError(self.name, reader.line_num, 1, f"not valid CSV: {err}") from None


def _decode(raw: bytes, name: str, delimiter: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RosterError(name, 1, 1, "the roster is UTF-16 text; save it as CSV UTF-8")
    if raw.startswith(b"PK\x03\x04"):
        raise RosterError(name, 1, 1, "the roster is a zip file (XLSX?); name it .xlsx")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise RosterError(name, line, 1, "the roster is binary, not CSV text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = raw.rfind(b"\n", 0, err.start) + 1
        line = raw[: err.start].count(b"\n") + 1
        column = raw[start : err.start].count(delimiter.encode()) + 1
        raise RosterError(
            name,
            line,
            column,
            f"the roster is not UTF-8 text (byte 0x{raw[err.start]:02x}); "
            "save it as 'CSV UTF-8' from the spreadsheet",
        ) from None


def _record_lines(reader) -> list[int]:
    """The line each record starts on (quoted fields may hold line breaks)."""
    lines, previous = [], 0
    for _ in reader:
        lines.append(previous + 1)
        previous = reader.line_num
    return lines


# ----------------------------------------------------------------------- XLSX


class _XlsxTable(_Table):
    def __init__(self, records: list[list[str]], name: str, options: RosterOptions):
        self.name, self.delimiter = name, options.delimiter
        rows = [i for i, record in enumerate(records) if any(f.strip() for f in record)]
        if not rows:
            raise RosterError(
                name, 1, 1, "the roster is empty; expected a header and one row per person"
            )
        self.header = records[rows[0]]
        self.header_line = rows[0] + 1
        self.columns = _find_columns(self.header, name, self.header_line, options)
        self.rows = rows[1:]
        self.records = records

    def values(self, field: str) -> np.ndarray:
        column = self.columns[field] - 1
        texts = [
            self.records[i][column] if column < len(self.records[i]) else "" for i in self.rows
        ]
        return np.array([t.strip() for t in texts], dtype=object)

    def line_of(self, row: int) -> int:
        return self.rows[row] + 1


def _xlsx_table(raw: bytes, name: str, options: RosterOptions) -> _XlsxTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # zipfile.BadZipFile, InvalidFileException, KeyError: not XLSX
        raise RosterError(
            name, 1, 1, f"not a readable XLSX workbook ({type(err).__name__})"
        ) from None
    try:
        sheet = options.sheet
        if sheet is not None and sheet not in book.sheetnames:
            raise RosterError(
                name, 1, 1, f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
            )
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        records = [[_cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _XlsxTable(records, name, options)


def _cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold: 1001.0 -> '1001'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ------------------------------------------------------------------- the rows


def _parse(table: _Table, name: str, options: RosterOptions) -> Roster:
    if not len(table.values("employee_id")):
        raise RosterError(name, table.header_line, 1, "the roster has a header but no people")
    try:
        ids = table.values("employee_id")
        manager = _managers(ids, table.values("manager_id"), table)
        unit, unit_names = _units(table.values("unit"), table)
        cost = _costs(table, options.on_cost_multiplier)
    except RosterError as err:
        table.check_widths(before_row=err.row)  # a row cut short or split explains it better
        raise
    layer_label: np.ndarray | None = None
    layer_labels: tuple[str, ...] = ()
    if "layer" in table.columns:
        layer_label, layer_labels = _codes(table.values("layer"))
        _check_names(layer_label, layer_labels, table, "layer")
    role_label: np.ndarray | None = None
    role_labels: tuple[str, ...] = ()
    if "role" in table.columns:
        role_label, role_labels = _codes(table.values("role"))
        _check_names(role_label, role_labels, table, "role")
    soc = table.values("soc") if "soc" in table.columns else None
    return Roster(
        file=name,
        ids=ids,
        manager=manager,
        unit=unit,
        unit_names=unit_names,
        annual_cost=cost,
        layer_label=layer_label,
        layer_labels=layer_labels,
        columns=table.columns,
        line_of=table.line_of,
        role_label=role_label,
        role_labels=role_labels,
        soc=soc,
    )


def _find_columns(
    header: list[str], name: str, line: int, options: RosterOptions
) -> dict[str, int]:
    """Field -> 1-based column, from the header and the user's mapping."""
    seen: dict[str, int] = {}
    for column, text in enumerate(header, start=1):
        key = text.strip().casefold()
        if key and key in seen:
            raise RosterError(name, line, column, f"column {text.strip()!r} appears twice")
        seen.setdefault(key, column)
    mapping = dict(options.columns or {})
    unknown = [f for f in mapping if f not in FIELDS]
    if unknown:
        raise RosterError(
            name, line, 1, f"no roster field {unknown[0]!r}; fields: {', '.join(FIELDS)}"
        )
    found: dict[str, int] = {}
    absent: dict[str, str] = {}  # field -> the column looked for, all said at once
    for field in FIELDS:
        names = (mapping[field],) if field in mapping else (field, *ALIASES.get(field, ()))
        matched = next(
            (seen[n.strip().casefold()] for n in names if n.strip().casefold() in seen), None
        )
        if matched is not None:
            found[field] = matched
        elif field in mapping:
            absent[field] = mapping[field]
    for field in REQUIRED:
        if field not in found:
            absent.setdefault(field, field)
    if "annual_cost" not in found and "salary" not in found:
        absent.setdefault("annual_cost", "annual_cost")
    if absent:
        raise _missing(absent, header, name, line, options.delimiter)
    if "annual_cost" in found:
        found.pop("salary", None)  # a fully loaded cost wins over a salary
    elif options.on_cost_multiplier is None:
        raise RosterError(
            name,
            line,
            found["salary"],
            "the roster has salary but no annual_cost: give an on-cost multiplier (fully "
            "loaded cost / salary, often 1.25 to 1.4) to turn salaries into costs: "
            "--on-cost 1.3, or org.roster.on_cost_multiplier",
        )
    return found


def _missing(
    absent: dict[str, str], header: list[str], name: str, line: int, delimiter: str
) -> RosterError:
    """Every column the roster lacks, in one message (``absent``: field -> the header
    looked for), or the delimiter it seems to use instead."""
    if len(header) == 1:
        used = next((d for d in DELIMITERS if d != delimiter and d in header[0]), None)
        if used is not None:
            shown = "tab" if used == "\t" else repr(used)
            return RosterError(
                name,
                line,
                1,
                f"the header is one column; the file seems to use {shown} between fields, "
                f"not {delimiter!r}: give the delimiter (--delimiter, or org.roster.delimiter)",
            )
    columns = ", ".join(repr(h.strip()) for h in header if h.strip()) or "none"
    wanted = "; ".join(
        f"{column!r} ({FIELDS[field]}"
        + (", or 'salary' with --on-cost" if field == "annual_cost" else "")
        + ")"
        for field, column in absent.items()
    )
    flags = " ".join(f"--column {field}=NAME" for field in absent)
    return RosterError(
        name,
        line,
        1,
        f"no column {wanted}; the columns are {columns}: map yours with {flags}, or "
        "org.roster.columns",
    )


def _width_error(
    record: list[str], width: int, name: str, line: int, delimiter: str
) -> RosterError:
    column = min(len(record), width) + 1 if len(record) > width else len(record)
    hint = ""
    if len(record) > width and delimiter == ",":
        hint = " (a number written with a thousands comma, such as 85,000, must be 85000)"
    return RosterError(
        name, line, max(column, 1), f"this row has {len(record)} fields, the header {width}{hint}"
    )


def _row_error(table: _Table, row: int, field: str, message: str) -> RosterError:
    error = RosterError(table.name, table.line_of(row), table.columns[field], message)
    error.row = row
    return error


def _managers(ids: np.ndarray, managers: np.ndarray, table: _Table) -> np.ndarray:
    """Each person's manager as a row (-1 for none), ids checked on the way."""
    import pandas as pd

    people = len(ids)
    codes, _ = pd.factorize(np.concatenate([ids, managers]))
    id_codes, manager_codes = codes[:people], codes[people:]
    empty = np.flatnonzero(ids == "")
    if empty.size:
        raise _row_error(table, int(empty[0]), "employee_id", "employee_id is empty")
    row_of = np.full(len(codes) and int(codes.max()) + 1, -1, dtype=np.int64)
    row_of[id_codes[::-1]] = np.arange(people - 1, -1, -1)  # the first row of each id
    twice = np.flatnonzero(row_of[id_codes] != np.arange(people))
    if twice.size:
        row = int(twice[0])
        first = table.line_of(int(row_of[id_codes[row]]))
        raise _row_error(
            table,
            row,
            "employee_id",
            f"employee_id {ids[row]!r} appears twice (first on line {first})",
        )
    manager = row_of[manager_codes]
    manager[managers == ""] = -1
    unknown = np.flatnonzero((manager < 0) & (managers != ""))
    if unknown.size:
        row = int(unknown[0])
        raise _row_error(
            table,
            row,
            "manager_id",
            f"manager_id {managers[row]!r} matches no employee_id in the file",
        )
    return manager


def _codes(values: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    import pandas as pd

    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), tuple(str(u) for u in uniques)


#: the longest unit name the scenario format takes
MAX_NAME = 80


def _units(units: np.ndarray, table: _Table) -> tuple[np.ndarray, tuple[str, ...]]:
    codes, names = _codes(units)
    for code, unit in enumerate(names):
        if not unit or len(unit) > MAX_NAME:
            row = int(np.argmax(codes == code))
            problem = "unit is empty" if not unit else f"unit name is over {MAX_NAME} characters"
            raise _row_error(table, row, "unit", problem)
    _check_names(codes, names, table, "unit")
    return codes, names


def _check_names(codes: np.ndarray, names: tuple[str, ...], table: _Table, field: str) -> None:
    """Refuse a unit, layer or role label holding a character that would act in an output."""
    for code, name in enumerate(names):
        if problem := name_problem(name):
            row = int(np.argmax(codes == code))
            raise _row_error(table, row, field, f"{field} {name!r}: {problem}")


def _costs(table: _Table, multiplier: float | None) -> np.ndarray:
    import pandas as pd

    field = "annual_cost" if "annual_cost" in table.columns else "salary"
    texts = table.values(field)
    cost = pd.to_numeric(pd.Series(texts), errors="coerce").to_numpy(dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(cost) | (cost < 0))
    if bad.size:
        row = int(bad[0])
        raise _row_error(table, row, field, f"{field} {_cost_problem(str(texts[row]))}")
    if field == "salary":
        cost = cost * (multiplier or 1.0)
    return cost


def _cost_problem(text: str) -> str:
    if not text:
        return "is empty; expected a number such as 85000"
    try:
        value = float(text)
    except ValueError:
        hint = ""
        if "," in text or any(c in text for c in "$€£¥"):
            hint = " (write plain digits: 85000, no currency sign or thousands separator)"
        return f"{text!r} is not a number{hint}"
    if not math.isfinite(value):
        return f"{text!r} is not a number"
    return f"is negative ({text}); expected a cost of 0 or more"
