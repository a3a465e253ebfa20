"""The Cuts and removals and Notice pay by month sheets: a line per wave, unit, layer and
change, whose money is a formula over its people, cost and weeks wherever that is exact.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_rowcol_to_cell

from sim.finance.cashflows import (
    NOTICE_PAY,
    SCENARIO_COLUMN,
    SEVERANCE,
)
from sim.model.calendar import DAYS_PER_WEEK, DAYS_PER_YEAR
from sim.model.workforce import MOVED_DOWN
from sim.runs.cuts import SEVERANCE_WEEKS

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.cuts import CutLine, NoticePiece
    from sim.runs.montecarlo import Results
from sim.report.workbook.cells import (
    CASH_SHEET,
    CUTS_SHEET,
    INDENT_WIDTH,
    LINE_POINTS,
    NOTICE_SHEET,
    column_name,
    date_serial,
    print_setup,
    sheet_head,
    sheet_range,
    text_lines,
    write_wrapped,
)

#: the Cuts and removals sheet's columns: (key, title, width in characters)
CUT_COLUMNS = (
    ("line", "Line", 5),
    ("unit", "Unit", 20),
    ("layer", "Layer", 14),
    ("change", "Change", 24),
    ("wave", "Wave", 12),
    ("given", "Notice given", 10.5),
    ("moved_to", "Moved to", 12),
    ("people", "People cut", 8),
    ("moved", "People moved down", 8),
    ("cost", "Cost per head a year (valuation-date prices)", 11),
    ("notice_weeks", "Notice (weeks)", 7),
    ("ends", "Notice ends (given + weeks x 7 days)", 10.5),
    ("notice_pay", "Notice pay (by month: 'Notice pay by month')", 15),
    ("severance_weeks", "Severance (weeks of pay)", 10),
    ("severance_in", "Severance booked in", 10),
    ("severance_month", "Month number (cash flows)", 8),
    ("level", "Pay growth factor of that month", 10),
    ("severance", "Severance = people x cost x weeks x 7 / 365.25 x pay growth", 15),
    ("protection", "Pay protection (months)", 9),
    ("basis", "How the money is computed", 44),
)


_C = {key: i for i, (key, _, _) in enumerate(CUT_COLUMNS)}


#: the columns every printed page of the Cuts and removals sheet repeats: line to layer
_CUT_TITLE_COLUMNS = _C["layer"]


#: pages the Cuts and removals sheet prints across (about 7-point text), titles repeated
CUT_PAGES_WIDE = 2


#: the Notice pay by month sheet's columns
NOTICE_COLUMNS = (
    ("line", "Line in 'Cuts and removals'", 9),
    ("unit", "Unit", 20),
    ("layer", "Layer", 14),
    ("days_in", "Days in", 9),
    ("booked_in", "Booked in", 9),
    ("booked_month", "Month number (cash flows)", 8),
    ("from", "From", 11),
    ("to", "To (not included)", 11),
    ("days", "Days on notice", 8),
    ("year_days", "Days in that year", 8),
    ("level", "Pay growth factor of the booked month", 10),
    ("notice_pay", "Notice pay = people x cost x days / days in the year x pay growth", 14),
    ("basis", "How the money is computed", 46),  # its notes in two lines, not three
)


_N = {key: i for i, (key, _, _) in enumerate(NOTICE_COLUMNS)}


def write_cut_sheets(
    cuts_sheet: Any,
    notice_sheet: Any,
    results: Results,
    styles: dict,
    cost_cells: dict[tuple[str, str], str] | None = None,
) -> dict[str, str] | None:
    """The Cuts and removals sheet and its Notice pay by month sheet; the formulas
    (with ``{month}`` for the month-number cell) the cash flows' scenario notice pay
    and severance lines become, or None when no wave cuts or moves anyone.

    A line's cost per head reads its layer's cell in ``cost_cells`` (unit, layer ->
    the Assumptions cell) where there is one: a cost a reader changes there changes
    the notice pay and severance too."""
    lines = results.cut_lines()
    sheet_head(cuts_sheet, CUT_COLUMNS, _CUT_TITLE_COLUMNS + 1, styles)
    sheet_head(notice_sheet, NOTICE_COLUMNS, _N["layer"] + 1, styles)
    print_setup(cuts_sheet, landscape=True)
    cuts_sheet.fit_to_pages(CUT_PAGES_WIDE, 0)
    cuts_sheet.repeat_columns(0, _CUT_TITLE_COLUMNS)
    print_setup(notice_sheet, landscape=True)
    if not lines:
        cuts_sheet.write(2, 0, "No wave cuts anyone or removes a layer.", styles["note"])
        return None
    row_of: dict[int, int] = {}  # line number -> its row on the Cuts and removals sheet
    row = 1
    for number, line in enumerate(lines, start=1):
        row_of[number] = row
        cost = (cost_cells or {}).get((line.unit, line.layer))
        row += _cut_rows(cuts_sheet, row, number, line, results.months, styles, cost)
    cut_span = (2, row)  # 1-based rows of the lines, the total row after them
    r = 1
    for number, line in enumerate(lines, start=1):
        for piece in line.notice:
            _notice_row(notice_sheet, r, number, line, piece, row_of[number], results, styles)
            r += 1
    notice_span = (2, max(r, 2))
    notice_pay = sheet_range(NOTICE_SHEET, _N["notice_pay"], notice_span)
    of_line = sheet_range(NOTICE_SHEET, _N["line"], notice_span)
    for number, line in enumerate(lines, start=1):
        if line.change != MOVED_DOWN:
            here = row_of[number]
            cuts_sheet.write_formula(
                here,
                _C["notice_pay"],
                f"=SUMIF({of_line},{xl_rowcol_to_cell(here, _C['line'])},{notice_pay})",
                styles["money"],
                line.notice_pay,
            )
    _cut_totals(cuts_sheet, row, lines, styles)
    _cut_notes(cuts_sheet, row + 2, results, styles)
    notice_month = sheet_range(NOTICE_SHEET, _N["booked_month"], notice_span)
    severance = sheet_range(CUTS_SHEET, _C["severance"], cut_span)
    severance_month = sheet_range(CUTS_SHEET, _C["severance_month"], cut_span)
    return {
        f"{SCENARIO_COLUMN}{NOTICE_PAY}": f"=-SUMIF({notice_month},{{month}},{notice_pay})",
        f"{SCENARIO_COLUMN}{SEVERANCE}": f"=-SUMIF({severance_month},{{month}},{severance})",
    }


def _cut_rows(
    sheet: Any,
    row: int,
    number: int,
    line: CutLine,
    months: tuple[str, ...],
    styles: dict,
    cost_cell: str | None = None,
) -> int:
    """A line's row (and a row for each further month its severance is booked in, when
    the replications book it in several); the rows written. Its cost per head reads
    ``cost_cell`` when given (a layer's cost on the Assumptions sheet)."""
    c = _C
    cell = {key: xl_rowcol_to_cell(row, col) for key, col in c.items()}
    _cut_title(sheet, row, number, line, line.change, styles)
    sheet.write_datetime(row, c["given"], dt.datetime.combine(line.date, dt.time()), styles["date"])
    if cost_cell is None:
        sheet.write_number(row, c["cost"], line.cost_per_head_annual, styles["money"])
    else:
        sheet.write_formula(
            row, c["cost"], f"={cost_cell}", styles["money"], line.cost_per_head_annual
        )
    basis_width = CUT_COLUMNS[c["basis"]][2] - INDENT_WIDTH  # its style's indent
    if line.change == MOVED_DOWN:
        sheet.write(row, c["moved_to"], line.moved_to or "", styles["text_clear"])
        sheet.write_number(row, c["moved"], line.people, styles["count"])
        sheet.write_number(row, c["protection"], line.protection_months, styles["number"])
        write_wrapped(
            sheet, row, c["basis"], _moved_basis(line), basis_width, styles["wrap_bottom"], True
        )
        return 1
    sheet.write_number(row, c["people"], line.people, styles["count"])
    sheet.write_number(row, c["notice_weeks"], line.notice_weeks, styles["weeks"])
    ends = date_serial(line.date) + line.notice_weeks * DAYS_PER_WEEK
    sheet.write_formula(
        row,
        c["ends"],
        f"={cell['given']}+{cell['notice_weeks']}*{DAYS_PER_WEEK:g}",
        styles["date"],
        ends,
    )
    sheet.write_number(row, c["severance_weeks"], line.severance_weeks, styles["weeks"])
    write_wrapped(
        sheet, row, c["basis"], _cut_basis(line), basis_width, styles["wrap_bottom"], spaced=True
    )
    for k, payment in enumerate(line.severance):
        r = row + k
        if k:  # a further month of the same people's severance
            _cut_title(sheet, r, number, line, f"{line.change}: severance continued", styles)
        sheet.write(r, c["severance_in"], months[payment.booked], styles["right"])
        sheet.write_number(r, c["severance_month"], payment.booked + 1)
        if payment.pay_growth is None:
            sheet.write_number(r, c["severance"], payment.severance, styles["money"])
            continue
        sheet.write_number(r, c["level"], payment.pay_growth, styles["factor"])
        formula = (
            f"={cell['people']}*{cell['cost']}*{cell['severance_weeks']}"
            f"*{DAYS_PER_WEEK:g}/{DAYS_PER_YEAR:g}*{xl_rowcol_to_cell(r, c['level'])}"
        )
        sheet.write_formula(r, c["severance"], formula, styles["money"], payment.severance)
    return max(len(line.severance), 1)


def _cut_title(sheet: Any, row: int, number: int, line: CutLine, change: str, styles: dict) -> None:
    sheet.write_number(row, _C["line"], number, styles["centre_number"])
    sheet.write(row, _C["wave"], line.wave_name)
    sheet.write(row, _C["unit"], line.unit)
    sheet.write(row, _C["layer"], line.layer)
    sheet.write(row, _C["change"], change)


def _notice_row(
    sheet: Any,
    row: int,
    number: int,
    line: CutLine,
    piece: NoticePiece,
    cut_row: int,
    results: Results,
    styles: dict,
) -> None:
    """One month of a line's notice: its days, their rate and pay level, and the pay."""
    n = _N
    months, start = results.months, results.scenario.meta.start
    basis_width = NOTICE_COLUMNS[n["basis"]][2] - INDENT_WIDTH  # its style's indent
    sheet.write_number(row, n["line"], number, styles["centre_number"])
    sheet.write(row, n["unit"], line.unit)
    sheet.write(row, n["layer"], line.layer)
    sheet.write(row, n["booked_in"], months[piece.booked], styles["right"])
    sheet.write_number(row, n["booked_month"], piece.booked + 1)
    days = piece.days
    if days is None or piece.pay_growth is None:
        sheet.write(row, n["days_in"], months[piece.booked], styles["right"])
        sheet.write_number(row, n["notice_pay"], piece.notice_pay, styles["money"])
        # what moves notice pay: its severance weeks do not (they read as if they did)
        factors = [f for f in line.varying if f != SEVERANCE_WEEKS]
        text = f"{MEAN_OF_REPLICATIONS} ({', '.join(factors)} vary)"
        write_wrapped(sheet, row, n["basis"], text, basis_width, styles["wrap_bottom"], spaced=True)
        return
    first = start + dt.timedelta(days=days.period_start)
    end = start + dt.timedelta(days=days.period_end)
    sheet.write(row, n["days_in"], f"{first:%Y-%m}", styles["right"])

    def cut_cell(key: str) -> str:
        return f"'{CUTS_SHEET}'!" + xl_rowcol_to_cell(cut_row, _C[key], True, True)

    origin = date_serial(start)
    sheet.write_formula(
        row,
        n["from"],
        f"=MAX({cut_cell('given')},DATE({first.year},{first.month},{first.day}))",
        styles["date"],
        origin + days.first_day,
    )
    sheet.write_formula(
        row,
        n["to"],
        f"=MIN({cut_cell('ends')},DATE({end.year},{end.month},{end.day}))",
        styles["date"],
        origin + days.end_day,
    )
    here = {key: xl_rowcol_to_cell(row, col) for key, col in n.items()}
    sheet.write_formula(row, n["days"], f"={here['to']}-{here['from']}", styles["weeks"], days.days)
    sheet.write_number(row, n["year_days"], days.year_days, styles["number"])
    sheet.write_number(row, n["level"], piece.pay_growth, styles["factor"])
    sheet.write_formula(
        row,
        n["notice_pay"],
        f"={cut_cell('people')}*{cut_cell('cost')}*{here['days']}/{here['year_days']}"
        f"*{here['level']}",
        styles["money"],
        piece.notice_pay,
    )
    if piece.booked != days.month:
        text = "after the horizon: provided for when notice is given"
        write_wrapped(sheet, row, n["basis"], text, basis_width, styles["wrap_bottom"], spaced=True)


#: a cut line's money, exact: formulas over the cells shown
FORMULAS = "formulas"


#: ... where more than one factor differs between replications
MEAN_OF_REPLICATIONS = "mean of replications"


def _cut_basis(line: CutLine) -> str:
    """How a cut line's money is computed, in a few words (the notes below say more)."""
    if line.notice_exact and line.severance_exact:
        if not line.varying:
            return FORMULAS
        return f"{FORMULAS} (only {line.varying[0]} varies)"
    inexact = " and ".join(
        name
        for name, exact in (("notice pay", line.notice_exact), ("severance", line.severance_exact))
        if not exact
    )
    return f"{inexact}: {MEAN_OF_REPLICATIONS} ({', '.join(line.varying)} vary)"


def _moved_basis(line: CutLine) -> str:
    if line.protection_months:
        return f"no notice or severance; old pay kept {line.protection_months:g} months"
    return "no notice or severance; the new layer's pay"


def _cut_totals(sheet: Any, row: int, lines: list[CutLine], styles: dict) -> None:
    sheet.write(row, _C["line"], "Total", styles["bold_top"])
    for col in range(1, len(CUT_COLUMNS)):
        sheet.write_blank(row, col, None, styles["bold_top"])
    cut = [x for x in lines if x.change != MOVED_DOWN]
    totals = (
        ("people", styles["bold_count"], sum(x.people for x in cut)),
        ("moved", styles["bold_count"], sum(x.people for x in lines if x.change == MOVED_DOWN)),
        ("notice_pay", styles["bold_money"], sum(x.notice_pay for x in cut)),
        ("severance", styles["bold_money"], sum(x.severance_total for x in cut)),
    )
    for key, style, value in totals:
        column = f"{column_name(_C[key])}2:{column_name(_C[key])}{row}"
        sheet.write_formula(row, _C[key], f"=SUM({column})", style, value)


def _cut_notes(sheet: Any, row: int, results: Results, styles: dict) -> None:
    """What the sheet's figures are, below it, across the columns of its first page that
    no other page repeats."""
    notes = (
        f"People: the mean over the {results.count} replications (a share of a layer, or "
        "what is left of a removed one, depends on attrition before the wave). Costs per "
        "head are at valuation-date prices; the pay growth factor grows them to the month's.",
        "Notice pay accrues by the day from the day notice is given, each day at the annual "
        "cost over the days of its year ('Notice pay by month'); severance is paid the day "
        "notice ends. What is owed after the horizon is booked in full in the month notice "
        "is given (a provision).",
        f"How the money is computed: '{FORMULAS}' where notice pay and severance are formulas "
        "over the people, cost per head, weeks and pay growth factor shown (when only one of them "
        "varies between replications, the mean shown keeps the mean money exact). Where more "
        "vary, a mean of products is not the product of the means shown: that money is "
        f"the {MEAN_OF_REPLICATIONS}' amounts, as a number.",
        f"The '{CASH_SHEET}' sheet's notice pay and severance lines are these amounts summed "
        "by month number (SUMIF). Managers moved down cost payroll, not one-time costs.",
    )
    first, last = _CUT_TITLE_COLUMNS + 1, _C["ends"]
    width = sum(w for _, _, w in CUT_COLUMNS[first : last + 1])
    for k, text in enumerate(notes):
        sheet.merge_range(row + k, first, row + k, last, text, styles["note_wrap"])
        sheet.set_row(row + k, LINE_POINTS * text_lines(text, width))
