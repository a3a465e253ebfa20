"""workbook.xlsx: the run as a spreadsheet an analyst can audit.

The cash-flow sheet holds the mean cost lines of the replications; its net,
cumulative, present-value and fiscal-year columns, the Summary's NPV,
paybacks, run rate, IRR, terminal value and one-time costs, and the Fiscal
years sheet are live formulas over those cells and over the Summary's
assumption cells (saved with their computed values, so a viewer that does not
recalculate still shows them). Its notice pay and severance lines are sums,
month by month, over the Cuts and removals sheet (a line per wave, unit, layer
and change: people, cost per head, notice, severance) and the Notice pay by
month sheet (a line's notice, day by day, in each month), whose money cells are
formulas over the people, cost and weeks shown wherever that arithmetic is
exact (sim.runs.cuts). The formulas use functions every spreadsheet evaluates
alike: SUM, SUMIF, COUNTIF, AVERAGE, NPV, PV, IRR, INDEX, MATCH, MIN, MAX.
LibreOffice, recalculating every formula, gets summary.json's figures (a test
checks it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from sim.report.workbook.assumptions import assumption_rows, write_assumptions_sheet
from sim.report.workbook.cashflow import write_cash_flow_sheet
from sim.report.workbook.cells import (
    CASH_SHEET,
    CELLS,
    CUTS_SHEET,
    NAMES,
    NOTICE_SHEET,
    absolute_cell,
    add_sheet,
    make_styles,
    paper_size,
)
from sim.report.workbook.cuts import write_cut_sheets
from sim.report.workbook.fiscal import write_fiscal_sheet
from sim.report.workbook.payroll import (
    DRIVERS_SHEET,
    PEOPLE_SHEET,
    payroll_lines,
    write_payroll_sheets,
)
from sim.report.workbook.replications import (
    ROLES_SHEET,
    write_replications_sheet,
    write_roles_sheet,
)
from sim.report.workbook.summary import write_summary_sheet
from sim.runs import series
from sim.runs.series import Family

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.montecarlo import Results
    from sim.runs.summary import RunSummary

#: the creation date stamped in every workbook: the ZIP format's epoch, as XlsxWriter
#: gives its members, so identical runs give identical files
REPRODUCIBLE_CREATED = dt.datetime(1980, 1, 1)


def write_workbook(path: Path, results: Results, summary: RunSummary) -> None:
    # a text cell is text: never read as a number or a formula (formulas are written
    # with write_formula), and shown, not run, when a user edits it (add_sheet)
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    # the file's bytes depend on the run alone: no creation time (XlsxWriter stamps now)
    book.set_properties({"created": REPRODUCIBLE_CREATED})
    styles = make_styles(book, summary.currency)
    summary_sheet = add_sheet(book, "Summary")
    flows_sheet = add_sheet(book, CASH_SHEET)
    fiscal_sheet = add_sheet(book, "Fiscal years")
    payroll = payroll_lines(results)
    rows = assumption_rows(results.scenario)
    live_lines = [line for line in payroll if line.why_not is None]
    cost_cells = {  # a layer's cost per head the cuts read where its payroll does
        (line.unit, line.layer): f"Assumptions!$C${rows[part.cost_field] + 1}"
        for line in live_lines
        for part in line.parts
        if part.name == line.layer and part.cost_field in rows  # not a role's
    }
    cuts = write_cut_sheets(
        add_sheet(book, CUTS_SHEET), add_sheet(book, NOTICE_SHEET), results, styles, cost_cells
    )
    drivers = write_payroll_sheets(
        add_sheet(book, DRIVERS_SHEET),
        add_sheet(book, PEOPLE_SHEET),
        payroll,
        results.months,
        rows,
        styles,
        summary.currency,
    )
    formulas = {**(cuts or {}), **drivers}
    cells = write_cash_flow_sheet(flows_sheet, results, summary, styles, formulas)
    write_summary_sheet(summary_sheet, summary, cells, styles)
    write_fiscal_sheet(fiscal_sheet, summary, cells, styles)
    # the inputs a formula reads are yellow, as on the Summary
    live = {part.cost_field for line in live_lines for part in line.parts}
    live |= {line.growth_field for line in live_lines}
    write_assumptions_sheet(add_sheet(book, "Assumptions"), results.scenario, styles, live)
    write_replications_sheet(add_sheet(book, "Replications"), results, styles, summary)
    roles = series.items((m for (u, m) in results.series if u == "all"), Family.ROLE_HEADCOUNT)
    if roles:  # a run with roles: its people by role, month by month
        write_roles_sheet(add_sheet(book, ROLES_SHEET), results, roles, styles)
    for sheet in book.worksheets():
        sheet.set_paper(paper_size(summary.currency))
    for name, cell in NAMES.items():
        book.define_name(name, f"=Summary!{absolute_cell(CELLS[cell])}")
    book.close()
