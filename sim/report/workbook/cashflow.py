"""The Monthly cash flows sheet: the mean cost lines, and net, cumulative, present-value and
payback-helper columns as formulas over them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from xlsxwriter.utility import xl_rowcol_to_cell

from sim.finance import metrics
from sim.finance.cashflows import (
    BASELINE_COLUMN,
    SCENARIO_COLUMN,
    one_time_lines,
)
from sim.finance.valuation import fiscal_year, valuation
from sim.report.tables import cashflow_table
from sim.runs.summary import annual_rate

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.montecarlo import Results
    from sim.runs.summary import RunSummary
from sim.report.workbook.cells import (
    CASH_SHEET,
    cash_heading,
    cash_range,
    column_name,
    csv_comment,
    header_height,
    print_setup,
)


def write_cash_flow_sheet(
    sheet: Any, results: Results, summary: RunSummary, styles: dict, formulas: dict[str, str]
) -> dict:
    """Month, month number, period, fiscal year, the cost lines, then formula columns.

    A cost line named in ``formulas`` is a formula in every month (a template of the
    row's month-number cell ``{month}``, period cell ``{period}`` and row ``{row}``):
    notice pay and severance, sums over the cuts sheets; a layer's payroll, its drivers."""
    header, rows = cashflow_table(results)
    lines = header[1:-1]  # without month and the net, which becomes a formula here
    months = len(rows)
    first = 1  # data rows (0-based), row 0 is the header
    line_col = 4
    net_col = line_col + len(lines)
    one_time_col, cum_col, disc_col = net_col + 1, net_col + 2, net_col + 3
    cum_disc_col, stay_col, disc_stay_col = net_col + 4, net_col + 5, net_col + 6
    currency = summary.currency
    columns = [
        "Month",
        "Month number",
        "Period from the valuation date",
        "Fiscal year",
        # in words and their unit, cashflows.csv's name on hover (the raw names showed)
        *(cash_heading(line, currency) for line in lines),
        f"Net cash flow ({currency})",
        f"One-time costs ({currency})",
        f"Cumulative net cash ({currency})",
        f"Present value at the valuation date ({currency})",
        f"Cumulative present value ({currency})",
        "Paid back from here (1/0)",
        "Discounted paid back from here (1/0)",
    ]
    sheet.write_row(0, 0, columns, styles["head"])
    for j, line in enumerate(lines):
        csv_comment(sheet, line_col + j, "cashflows.csv", line)
    widths = [10, 10, 11, 11] + [15] * (len(columns) - line_col)
    sheet.set_row(0, header_height(zip(columns, widths, strict=True)))
    sheet.set_column(0, 1, 10)
    sheet.set_column(2, 3, 11)
    sheet.set_column(line_col, len(columns), 15)
    sheet.freeze_panes(1, 2)
    print_setup(sheet, landscape=True, wide=True)
    sheet.repeat_rows(0)
    sheet.repeat_columns(0, 1)

    flows = results.mean_cash_flows()
    net = flows.net
    frame = valuation(results.scenario)
    rate = annual_rate(results)
    periods = metrics.periods(months, frame.offset)
    discounted = metrics.present_values(net, rate, frame.offset)
    cumulative, cumulative_disc = np.cumsum(net), np.cumsum(discounted)
    stays, disc_stays = _stays(cumulative), _stays(cumulative_disc)
    one_time = flows.one_time
    one_time_cols = [
        line_col + lines.index(f"{side}{name}")
        for name in one_time_lines(flows.scenario)
        for side in (SCENARIO_COLUMN, BASELINE_COLUMN)
    ]
    start_month = summary.fiscal_year_start_month
    for i, row in enumerate(rows):
        r = first + i
        sheet.write(r, 0, row[0])
        sheet.write_number(r, 1, i + 1)
        sheet.write_formula(
            r, 2, f"={xl_rowcol_to_cell(r, 1)}-ValuationMonth+1", None, int(periods[i])
        )
        sheet.write(r, 3, fiscal_year(row[0], start_month), styles["centre"])
        for j, value in enumerate(row[1:-1]):
            number = float(value) if value else 0.0
            template = formulas.get(lines[j])
            if template:  # a sum over the cuts sheets, or a payroll's drivers
                formula = template.format(
                    month=xl_rowcol_to_cell(r, 1), period=xl_rowcol_to_cell(r, 2), row=r + 1
                )
                sheet.write_formula(r, line_col + j, formula, styles["money"], number)
            else:
                sheet.write_number(r, line_col + j, number, styles["money"])
        line_range = f"{xl_rowcol_to_cell(r, line_col)}:{xl_rowcol_to_cell(r, net_col - 1)}"
        sheet.write_formula(r, net_col, f"=SUM({line_range})", styles["money"], net[i])
        # scenario columns hold -cost and baseline columns +cost: the plan's one-time
        # costs (scenario minus baseline) are minus their sum
        terms = "+".join(xl_rowcol_to_cell(r, c) for c in one_time_cols)
        sheet.write_formula(r, one_time_col, f"=-({terms})", styles["money"], one_time[i])
        net_range = f"{column_name(net_col)}${first + 1}:{column_name(net_col)}{r + 1}"
        sheet.write_formula(r, cum_col, f"=SUM({net_range})", styles["money"], cumulative[i])
        sheet.write_formula(
            r,
            disc_col,
            f"={xl_rowcol_to_cell(r, net_col)}/(1+MonthlyRate)^{xl_rowcol_to_cell(r, 2)}",
            styles["money"],
            discounted[i],
        )
        disc_range = f"{column_name(disc_col)}${first + 1}:{column_name(disc_col)}{r + 1}"
        sheet.write_formula(
            r, cum_disc_col, f"=SUM({disc_range})", styles["money"], cumulative_disc[i]
        )
        for col, source, values in (
            (stay_col, cum_col, stays),
            (disc_stay_col, cum_disc_col, disc_stays),
        ):
            here = xl_rowcol_to_cell(r, source)
            if i == months - 1:
                formula = f"=IF({here}>=0,1,0)"
            else:
                formula = f"=IF(AND({here}>=0,{xl_rowcol_to_cell(r + 1, col)}=1),1,0)"
            sheet.write_formula(r, col, formula, None, values[i])

    span = (first + 1, first + months)  # 1-based rows for A1 ranges
    return {
        "months": months,
        "offset": frame.offset,
        "net": cash_range(net_col, span),
        "discounted": cash_range(disc_col, span),
        "last_period": f"'{CASH_SHEET}'!${column_name(2)}${span[1]}",
        "cum": cash_range(cum_col, span),
        "cum_disc": cash_range(cum_disc_col, span),
        "stay": cash_range(stay_col, span),
        "disc_stay": cash_range(disc_stay_col, span),
        "period": cash_range(2, span),
        "month": cash_range(0, span),
        "fiscal_year": cash_range(3, span),
        "one_time": cash_range(one_time_col, span),
    }


def _stays(cumulative: np.ndarray) -> np.ndarray:
    """1 where the cumulative is >= 0 from this month to the end, else 0."""
    ok = cumulative >= 0
    return np.flip(np.logical_and.accumulate(np.flip(ok))).astype(int)
