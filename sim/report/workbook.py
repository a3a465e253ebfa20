"""workbook.xlsx: the run as a spreadsheet an analyst can audit.

The cash-flow sheet holds the mean cost lines of the replications; its net,
cumulative and discounted columns, and the Summary's NPV, payback and one-time
costs, are live formulas over those cells (saved with their computed values,
so a viewer that does not recalculate still shows them). The formulas use
functions every spreadsheet evaluates alike: SUM, NPV, COUNTIF, INDEX, MATCH.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from sim.finance import metrics
from sim.finance.cashflows import BASELINE_COLUMN, ONE_TIME_LINES, SCENARIO_COLUMN
from sim.report.tables import annual_rate, cashflow_table, replication_table
from sim.runs.bands import HEADLINES, STATS
from sim.scenario.schema import Scenario

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.montecarlo import Results

NOT_WITHIN = "not within horizon"


def _flatten(scenario: Scenario) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        else:
            rows.append((path, "" if node is None else str(node)))

    walk(scenario.model_dump(mode="json"), "")
    return rows


#: the creation date stamped in every workbook: the ZIP format's epoch, as XlsxWriter
#: gives its members, so identical runs give identical files
REPRODUCIBLE_CREATED = dt.datetime(1980, 1, 1)


def write_workbook(path: Path, results: Results, summary: dict) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    # the file's bytes depend on the run alone: no creation time (XlsxWriter stamps now)
    book.set_properties({"created": REPRODUCIBLE_CREATED})
    styles = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "money": book.add_format({"num_format": "#,##0"}),
        "rate": book.add_format({"num_format": "0.000%"}),
        "head": book.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
    }
    summary_sheet = book.add_worksheet("Summary")
    flows_sheet = book.add_worksheet("Monthly cash flows")
    cells = _cash_flow_sheet(flows_sheet, results, styles)
    _summary_sheet(summary_sheet, summary, cells, styles)
    _assumptions_sheet(book.add_worksheet("Assumptions"), results.scenario, styles)
    _replications_sheet(book.add_worksheet("Replications"), results, styles)
    book.close()


def _cash_flow_sheet(sheet, results: Results, styles: dict) -> dict:
    """Month, month number, the cost lines, then formula columns; returns their cells."""
    header, rows = cashflow_table(results)
    lines = header[1:-1]  # without month and the net, which becomes a formula here
    months = len(rows)
    first, last = 1, months  # data rows (0-based), row 0 is the header
    columns = [
        "Month",
        "Month number",
        *lines,
        "Net cash flow",
        "Cumulative net cash",
        "Discounted net cash flow",
        "Cumulative discounted",
        "Paid back from here (1/0)",
        "Discounted paid back from here (1/0)",
    ]
    sheet.write_row(0, 0, columns, styles["head"])
    sheet.set_row(0, 60)
    sheet.set_column(0, 1, 10)
    sheet.set_column(2, len(columns), 16)
    sheet.freeze_panes(1, 2)
    net_col = 2 + len(lines)
    cum_col, disc_col, cum_disc_col = net_col + 1, net_col + 2, net_col + 3
    stay_col, disc_stay_col = net_col + 4, net_col + 5
    flows = results.mean_cash_flows()
    net = flows.net
    discounted = metrics.present_values(net, annual_rate(results))
    cumulative, cumulative_disc = np.cumsum(net), np.cumsum(discounted)
    stays, disc_stays = _stays(cumulative), _stays(cumulative_disc)
    rate_cell = "Summary!$B$6"  # the monthly rate, written by _summary_sheet
    for i, row in enumerate(rows):
        r = first + i
        sheet.write(r, 0, row[0])
        sheet.write_number(r, 1, i + 1)
        for j, value in enumerate(row[1:-1]):
            sheet.write_number(r, 2 + j, float(value) if value else 0.0, styles["money"])
        line_range = f"{xl_rowcol_to_cell(r, 2)}:{xl_rowcol_to_cell(r, net_col - 1)}"
        sheet.write_formula(r, net_col, f"=SUM({line_range})", styles["money"], net[i])
        net_range = f"{_col(net_col)}${first + 1}:{_col(net_col)}{r + 1}"
        sheet.write_formula(r, cum_col, f"=SUM({net_range})", styles["money"], cumulative[i])
        sheet.write_formula(
            r,
            disc_col,
            f"={xl_rowcol_to_cell(r, net_col)}/(1+{rate_cell})^{xl_rowcol_to_cell(r, 1)}",
            styles["money"],
            discounted[i],
        )
        disc_range = f"{_col(disc_col)}${first + 1}:{_col(disc_col)}{r + 1}"
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
    span = (first + 1, last + 1)  # 1-based rows for A1 ranges
    cells = {
        "net": _range(net_col, span),
        "cum": _range(cum_col, span),
        "cum_disc": _range(cum_disc_col, span),
        "stay": _range(stay_col, span),
        "disc_stay": _range(disc_stay_col, span),
        "month_number": _range(1, span),
        # scenario columns hold -cost and baseline columns +cost, so the one-time
        # costs (scenario minus baseline) are minus the sum of both
        "one_time": [
            _range(2 + lines.index(f"{side}{name}"), span)
            for name in ONE_TIME_LINES
            for side in (SCENARIO_COLUMN, BASELINE_COLUMN)
        ],
    }
    return cells


def _stays(cumulative: np.ndarray) -> np.ndarray:
    """1 where the cumulative is >= 0 from this month to the end, else 0."""
    ok = cumulative >= 0
    return np.flip(np.logical_and.accumulate(np.flip(ok))).astype(int)


def _col(col: int) -> str:
    return xl_col_to_name(col)


def _range(col: int, span: tuple[int, int]) -> str:
    return f"'Monthly cash flows'!${_col(col)}${span[0]}:${_col(col)}${span[1]}"


def _payback_formula(cumulative: str, stays: str, month_number: str) -> str:
    return (
        f'=IF(COUNTIF({cumulative},"<0")=0,0,'
        f'IFERROR(INDEX({month_number},MATCH(1,{stays},0)),"{NOT_WITHIN}"))'
    )


def _summary_sheet(sheet, summary: dict, cells: dict, styles: dict) -> None:
    scenario = summary["scenario"]
    mean_flow = summary["mean_cash_flow"]
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 5, 18)
    sheet.write(0, 0, f"{scenario['name']}: restructuring simulation", styles["title"])
    sheet.write(
        1,
        0,
        f"scenario {scenario['path']} (sha256 {scenario['sha256'][:12]}), seed "
        f"{summary['seed']}, {summary['replications']} replications, "
        f"restructure {summary['version']}, currency {summary['currency']}",
    )
    sheet.write(3, 0, "Mean cash flow of the replications (live formulas)", styles["bold"])
    sheet.write(4, 0, "Annual discount rate")
    sheet.write_number(4, 1, mean_flow["discount_rate_annual"], styles["rate"])
    sheet.write(5, 0, "Monthly rate (compounds to the annual rate)")
    sheet.write_formula(
        5,
        1,
        "=(1+B5)^(1/12)-1",
        styles["rate"],
        metrics.monthly_rate(mean_flow["discount_rate_annual"]),
    )
    sheet.write(6, 0, "NPV (month-end cash flows)")
    sheet.write_formula(6, 1, f"=NPV(B6,{cells['net']})", styles["money"], mean_flow["npv"])
    sheet.write(7, 0, "Payback month")
    payback = mean_flow["payback_month"]
    sheet.write_formula(
        7,
        1,
        _payback_formula(cells["cum"], cells["stay"], cells["month_number"]),
        None,
        NOT_WITHIN if payback is None else payback,
    )
    sheet.write(8, 0, "Discounted payback month")
    disc = mean_flow["discounted_payback_month"]
    sheet.write_formula(
        8,
        1,
        _payback_formula(cells["cum_disc"], cells["disc_stay"], cells["month_number"]),
        None,
        NOT_WITHIN if disc is None else disc,
    )
    sheet.write(9, 0, "One-time costs (notice, severance, wave, AI build)")
    terms = "+".join(f"SUM({rng})" for rng in cells["one_time"])
    sheet.write_formula(9, 1, f"=-({terms})", styles["money"], mean_flow["one_time_costs"])
    sheet.write(11, 0, "Headlines over the replications", styles["bold"])
    sheet.write_row(12, 0, ["metric", "P10", "P50", "P90", "mean"], styles["head"])
    for i, name in enumerate(HEADLINES, start=13):
        values = summary["headline"][name]
        sheet.write(i, 0, name)
        for j, key in enumerate(STATS, start=1):
            value = values[key]
            if value is None:
                sheet.write(i, j, "n/a")
            else:
                sheet.write_number(i, j, value, styles["money"] if abs(value) >= 1000 else None)
    row = 13 + len(HEADLINES) + 1
    for name, note in summary["notes"].items():
        sheet.write(row, 0, f"{name}: {note}")
        row += 1


def _assumptions_sheet(sheet, scenario: Scenario, styles: dict) -> None:
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 1, 40)
    sheet.write_row(0, 0, ["field", "value as written"], styles["head"])
    for i, (field, value) in enumerate(_flatten(scenario), start=1):
        sheet.write_string(i, 0, field)
        sheet.write_string(i, 1, value)


def _replications_sheet(sheet, results: Results, styles: dict) -> None:
    header, rows = replication_table(results)
    sheet.write_row(0, 0, header, styles["head"])
    sheet.set_row(0, 45)
    sheet.set_column(0, len(header), 16)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value == "":
                continue
            sheet.write_number(i, j, float(value))
