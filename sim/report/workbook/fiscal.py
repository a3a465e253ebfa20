"""The Fiscal years sheet: each fiscal year's savings, one-time costs and net as SUMIF formulas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_rowcol_to_cell

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.summary import RunSummary
from sim.report.workbook.cells import header_height, print_setup


def write_fiscal_sheet(sheet: Any, summary: RunSummary, cells: dict, styles: dict) -> None:
    header = [
        "Fiscal year",
        "First month",
        "Last month",
        "Months in the run",
        "Net savings (before one-time costs)",
        "One-time costs",
        "Net cash",
    ]
    widths = (12, 12, 12, 12, 20, 20, 20)
    sheet.write_row(0, 0, header, styles["head"])
    sheet.set_row(0, header_height(zip(header, widths, strict=True)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    print_setup(sheet)
    for r, row in enumerate(summary.fiscal_years, start=1):
        here = xl_rowcol_to_cell(r, 0)
        sheet.write(r, 0, row.fiscal_year)
        sheet.write(r, 1, row.first_month)
        sheet.write(r, 2, row.last_month)
        sheet.write_formula(
            r, 3, f"=COUNTIF({cells['fiscal_year']},{here})", styles["right"], row.months
        )
        one_time = f"SUMIF({cells['fiscal_year']},{here},{cells['one_time']})"
        net = f"SUMIF({cells['fiscal_year']},{here},{cells['net']})"
        sheet.write_formula(r, 4, f"={net}+{one_time}", styles["money"], row.net_savings)
        sheet.write_formula(r, 5, f"={one_time}", styles["money"], row.one_time_costs)
        sheet.write_formula(r, 6, f"={net}", styles["money"], row.net_cash)
    note = len(summary.fiscal_years) + 2
    sheet.write(
        note,
        0,
        "Fiscal years are named by the calendar year they end in; the first and last may be "
        "part years (see months in the run)",
        styles["note"],
    )
