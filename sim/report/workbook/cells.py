"""The workbook's layout: its sheet names, the Summary's cells and defined names, cell styles,
print setup and the small helpers every sheet writes with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from sim.finance.cashflows import BASELINE_COLUMN, SCENARIO_COLUMN, VALUE_OF_WORK_COLUMN
from sim.finance.metrics import (
    NOT_MEANINGFUL_FIRST_YEAR,
    NOT_MEANINGFUL_HIGH,
    NOT_MEANINGFUL_NEVER,
)
from sim.report.escape import spreadsheet_text
from sim.report.text import SYMBOLS
from sim.runs.headlines import NPV, PAYBACK, Kind

NOT_WITHIN = "not within horizon"


NO_RATE = "no rate of return"


CASH_SHEET = "Monthly cash flows"


CUTS_SHEET = "Cuts and removals"


NOTICE_SHEET = "Notice pay by month"


#: the two sides of a cash-flow column (cashflows.csv's prefixes) as a reader names them
SIDES = ((SCENARIO_COLUMN, "Plan"), (BASELINE_COLUMN, "Status quo"))
#: cashflows.csv's name of a payroll line begins so (sim.finance.cashflows.payroll_line)
PAYROLL_WORD = "payroll "


def cash_line_name(column: str) -> str:
    """A cashflows.csv column as a reader names it: 'scenario: payroll Cloud / IC' ->
    'Plan: Cloud / IC payroll', 'baseline: notice pay' -> 'Status quo: notice pay'."""
    for prefix, side in SIDES:
        if column.startswith(prefix):
            line = column[len(prefix) :]
            if line.startswith(PAYROLL_WORD):
                line = f"{line[len(PAYROLL_WORD) :]} payroll"
            return f"{side}: {line}"
    return column[:1].upper() + column[1:]


def cash_heading(column: str, currency: str) -> str:
    """A cash-flow column's heading: its name and its unit ('Plan: Cloud / IC payroll
    (USD)'); every line, the value of extra work done among them, is money."""
    assert column.startswith((SCENARIO_COLUMN, BASELINE_COLUMN, VALUE_OF_WORK_COLUMN)), column
    return f"{cash_line_name(column)} ({currency})"


def csv_comment(sheet: Any, col: int, csv: str, name: str) -> None:
    """The raw column name a heading stands for, as the heading's comment: what a reader
    matching the sheet against the CSV file looks for."""
    sheet.write_comment(0, col, f"{csv}: {name}")


#: day 0 of spreadsheet date serials (1900 date system, as Excel and LibreOffice read xlsx)
SERIAL_EPOCH = dt.date(1899, 12, 30)


#: the Summary's cells the formulas read and the tests check (A1 addresses)
CELLS = {
    "annual_rate": "B6",
    "monthly_rate": "B7",
    "valuation_date": "B8",
    "valuation_month": "B9",
    "run_rate_months": "B10",
    "terminal_years": "B11",
    "terminal_growth": "B12",
    NPV.name: "B15",
    PAYBACK.name: "B16",
    "payback_date": "B17",
    "discounted_payback_month": "B18",
    "run_rate_savings_annual": "B19",
    "one_time_costs": "B20",
    "irr_annual": "B21",
    "irr_note": "B22",
    "terminal_value": "B23",
    "npv_with_terminal_value": "B24",
    "roi": "B25",
}


#: what the IRR cell shows when the rate is no rate to read (its reason is in irr_note)
NOT_MEANINGFUL = "not meaningful"


NOT_MEANINGFUL_REASONS = (NOT_MEANINGFUL_FIRST_YEAR, NOT_MEANINGFUL_HIGH, NOT_MEANINGFUL_NEVER)


#: the workbook's defined names for its key inputs (Formulas > Name Manager), and cells
NAMES = {
    "DiscountRate": "annual_rate",
    "MonthlyRate": "monthly_rate",
    "ValuationDate": "valuation_date",
    "ValuationMonth": "valuation_month",
    "RunRateMonths": "run_rate_months",
    "TerminalYears": "terminal_years",
    "TerminalGrowth": "terminal_growth",
}


#: the Summary sheet's cell style of each kind of headline (else "number")
KIND_STYLES = {Kind.MONEY: "money", Kind.FRACTION: "rate", Kind.COUNT: "count"}


#: percent a sheet too wide for one page prints at: about ten money columns a page
WIDE_PRINT_SCALE = 70


#: characters of a wrapped note a Summary line holds (columns A to E at their widths)
NOTE_CHARS_PER_LINE = 120


def add_sheet(book: Any, name: str) -> Any:
    """A worksheet whose text cells a spreadsheet shows rather than runs (a unit named
    ``=cmd|' /C calc'!A0`` is text, also once a user edits the cell)."""
    sheet = book.add_worksheet(name)
    sheet.add_write_handler(str, _write_text)
    return sheet


def _write_text(sheet: Any, row: int, col: int, text: str, *rest: Any) -> Any:
    return sheet.write_string(row, col, spreadsheet_text(text), *rest)


#: the Assumptions sheet's styles: its rows wrap, so every cell sits at the top of its row
TOP_STYLES = (
    "note",
    "note_clear",
    "money",
    "number",
    "date",
    "right",
    "plain",
    "percent",
    "wrap",
    "input_money",
    "input_percent",
    "input_number",
)


def make_styles(book: Any, currency: str) -> dict:
    symbol = SYMBOLS.get(currency, "")
    unit = f'"{symbol}"' if symbol else ""
    money = f"{unit}#,##0;[Red]-{unit}#,##0"
    properties = _style_properties(money)
    styles = {name: book.add_format(props) for name, props in properties.items()}
    for name in TOP_STYLES:
        styles[f"{name}_top"] = book.add_format({**properties[name], "valign": "top"})
    return styles


def _style_properties(money: str) -> dict[str, dict]:
    """Each style's XlsxWriter properties."""
    return {
        "title": ({"bold": True, "font_size": 14}),
        "bold": ({"bold": True}),
        "note": ({"italic": True, "font_color": "#555555"}),
        "money": ({"num_format": money}),
        "money_bold": ({"num_format": money, "bold": True}),
        "rate": ({"num_format": "0.00%"}),
        "rate_fine": ({"num_format": "0.0000%"}),
        "count": ({"num_format": "#,##0"}),
        "number": ({"num_format": "#,##0.###"}),
        "date": ({"num_format": "yyyy-mm-dd", "align": "right"}),
        "factor": ({"num_format": "0.000000"}),
        "people_years": ({"num_format": "#,##0.000"}),
        "plain": ({"num_format": "0"}),
        "percent": ({"num_format": "0.0##%"}),
        "ratio": ({"num_format": '0.0"x"', "align": "right"}),
        "weeks": ({"num_format": "#,##0.0##"}),
        # whole people: a mean over replications is a fraction, shown to the person
        "bold_count": ({"num_format": "#,##0", "bold": True, "top": 1}),
        "bold_money": ({"num_format": money, "bold": True, "top": 1}),
        "bold_top": ({"bold": True, "top": 1}),
        "right": ({"align": "right"}),
        "centre": ({"align": "center"}),
        "input": ({"bg_color": "#FFF2CC", "num_format": "0.00%"}),
        "input_plain": ({"bg_color": "#FFF2CC", "align": "right"}),
        "input_date": ({"bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"}),
        # an Assumptions value a formula reads (a layer's cost per head, its pay growth)
        "input_money": ({"bg_color": "#FFF2CC", "num_format": money}),
        "input_percent": ({"bg_color": "#FFF2CC", "num_format": "0.0##%"}),
        "input_number": ({"bg_color": "#FFF2CC", "num_format": "#,##0.###"}),
        # indented: a title that fills its column never runs into the one before's
        "head": (
            {
                "bold": True,
                "bottom": 1,
                "text_wrap": True,
                "valign": "top",
                "align": "left",
                "indent": 1,
            }
        ),
        # text beside a right-aligned figure (a date, a share) kept clear of it
        "text_clear": ({"indent": 1}),
        "note_clear": ({"italic": True, "font_color": "#555555", "align": "left", "indent": 1}),
        "wrap_clear": ({"text_wrap": True, "indent": 1}),  # level with its row's figures
        "centre_number": ({"align": "center"}),
        "wrap": ({"text_wrap": True, "valign": "top"}),
        # a wrapped note beside numbers: its last line level with them
        "wrap_bottom": ({"text_wrap": True, "indent": 1}),
        "note_wrap": (
            {"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"}
        ),
        "head_right": ({"bold": True, "bottom": 1, "align": "right", "valign": "top"}),
    }


def column_name(col: int) -> str:
    return xl_col_to_name(col)


def last_months(column: str) -> str:
    """The last RunRateMonths cells of a column's range, as a range a formula reads."""
    return f"INDEX({column},ROWS({column})-RunRateMonths+1):INDEX({column},ROWS({column}))"


def absolute_cell(cell: str) -> str:
    """'B6' -> '$B$6'."""
    return f"${cell[0]}${cell[1:]}"


def cash_range(col: int, span: tuple[int, int]) -> str:
    return f"'{CASH_SHEET}'!${column_name(col)}${span[0]}:${column_name(col)}${span[1]}"


#: the currencies whose readers print on US letter (XlsxWriter's paper 1); else A4 (9)
LETTER_CURRENCIES = frozenset({"USD", "CAD", "MXN"})


def paper_size(currency: str) -> int:
    """The paper a workbook prints on: US letter for a dollar model, else A4."""
    return 1 if currency in LETTER_CURRENCIES else 9


def print_setup(sheet: Any, landscape: bool = False, wide: bool = False) -> None:
    """Fit the width to one page (a ``wide`` sheet instead prints across pages at a
    readable scale, its titles repeated), name the sheet and page in the footer."""
    if landscape:
        sheet.set_landscape()
    if wide:
        sheet.set_print_scale(WIDE_PRINT_SCALE)
    else:
        sheet.fit_to_pages(1, 0)
    sheet.set_footer("&L&A&RPage &P of &N")


def write_input_row(sheet: Any, name: str, label: str, value: Any, style: Any) -> None:
    row = int(CELLS[name][1:]) - 1
    sheet.write(row, 0, label)
    if isinstance(value, dt.date):
        sheet.write_datetime(row, 1, dt.datetime.combine(value, dt.time()), style)
    else:
        sheet.write(row, 1, value, style)


def write_formula_row(
    sheet: Any, name: str, label: str, formula: str, value: Any, style: Any
) -> None:
    row = int(CELLS[name][1:]) - 1
    sheet.write(row, 0, label)
    sheet.write_formula(row, 1, formula, style, value)


def write_note(sheet: Any, row: int, text: str, style: Any) -> None:
    """A line of text across the Summary's five columns, wrapped, so it never widens
    the printed page."""
    sheet.merge_range(row, 0, row, 4, text, style)
    lines = 1 + len(text) // NOTE_CHARS_PER_LINE
    sheet.set_row(row, 15 * lines)


#: characters a wrapped line holds per unit of column width (a unit is one digit's width)
_CHARS_PER_WIDTH = 1.1


#: the width an indented cell's indent takes from its text (one indent step)
INDENT_WIDTH = 2


#: points a line of text takes in a row's height
LINE_POINTS = 15


def sheet_range(sheet_name: str, col: int, span: tuple[int, int]) -> str:
    return f"'{sheet_name}'!${column_name(col)}${span[0]}:${column_name(col)}${span[1]}"


def header_height(titles: Iterable[tuple[str, float]]) -> float:
    """Points a header row needs for its longest title, each (title, column width)
    wrapped in its column less the header's indent (fixed heights cut a sixth line off)."""
    return LINE_POINTS * max(
        (text_lines(title, width - INDENT_WIDTH) for title, width in titles), default=1
    )


def sheet_head(
    sheet: Any, columns: tuple[tuple[str, str, float], ...], frozen: int, styles: dict
) -> None:
    """Titles in a header row tall enough for the longest, the widths; the header and
    the first ``frozen`` columns stay in view."""
    sheet.write_row(0, 0, [title for _, title, _ in columns], styles["head"])
    sheet.set_row(0, header_height((title, width) for _, title, width in columns))
    for col, (_, _, width) in enumerate(columns):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, frozen)
    sheet.repeat_rows(0)


def text_lines(text: str, width: float) -> int:
    """Lines a text wraps to in a column ``width`` wide, word by word."""
    room = max(1, int(width * _CHARS_PER_WIDTH) - 1)
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


#: the space above a note that wraps, in a column of such notes a row each: without it
#: one row's last line touched the next row's first and the notes read as one text
NOTE_GAP_POINTS = LINE_POINTS / 2


def write_wrapped(
    sheet: Any, row: int, col: int, text: str, width: float, style: Any, spaced: bool = False
) -> None:
    """A wrapped text cell, its row tall enough for it (spreadsheets do not grow a row
    for a wrapped cell they did not lay out themselves); ``spaced``: a note of a column of
    notes, with room above it where it wraps (its style aligns it to the row's foot)."""
    sheet.write(row, col, text, style)
    lines = text_lines(text, width)
    gap = NOTE_GAP_POINTS if spaced and lines > 1 else 0.0
    sheet.set_row(row, LINE_POINTS * lines + gap)


def date_serial(date: dt.date) -> int:
    """A date as a spreadsheet's date serial (days since SERIAL_EPOCH)."""
    return (date - SERIAL_EPOCH).days
