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
from typing import TYPE_CHECKING, Any

import numpy as np
import xlsxwriter
from pydantic import BaseModel
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from sim.finance import metrics
from sim.finance.cashflows import (
    BASELINE_COLUMN,
    NOTICE_PAY,
    ONE_TIME_LINES,
    SCENARIO_COLUMN,
    SEVERANCE,
)
from sim.finance.metrics import (
    FIRST_YEAR_MONTHS,
    IRR_MEANINGFUL_MAX_ANNUAL,
    NOT_MEANINGFUL_FIRST_YEAR,
    NOT_MEANINGFUL_HIGH,
    NOT_MEANINGFUL_NEVER,
)
from sim.finance.valuation import fiscal_year, valuation
from sim.model.calendar import DAYS_PER_WEEK, DAYS_PER_YEAR
from sim.model.workforce import MOVED_DOWN
from sim.report.escape import spreadsheet_text
from sim.report.tables import cashflow_table, replication_table
from sim.report.text import SYMBOLS
from sim.runs.bands import STATS
from sim.runs.headlines import BY_NAME, HEADLINES, NPV, PAYBACK, Kind
from sim.runs.summary import annual_rate
from sim.scenario.distributions import Distribution
from sim.scenario.labels import label as field_label
from sim.scenario.labels import unit_of
from sim.scenario.months import year_and_month
from sim.scenario.schema import Scenario

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.cuts import CutLine, NoticePiece
    from sim.runs.montecarlo import Results
    from sim.runs.summary import RunSummary

NOT_WITHIN = "not within horizon"
NO_RATE = "no rate of return"
CASH_SHEET = "Monthly cash flows"
CUTS_SHEET = "Cuts and removals"
NOTICE_SHEET = "Notice pay by month"
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


#: the creation date stamped in every workbook: the ZIP format's epoch, as XlsxWriter
#: gives its members, so identical runs give identical files
REPRODUCIBLE_CREATED = dt.datetime(1980, 1, 1)


def write_workbook(path: Path, results: Results, summary: RunSummary) -> None:
    # a text cell is text: never read as a number or a formula (formulas are written
    # with write_formula), and shown, not run, when a user edits it (_sheet)
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
    )
    # the file's bytes depend on the run alone: no creation time (XlsxWriter stamps now)
    book.set_properties({"created": REPRODUCIBLE_CREATED})
    styles = _styles(book, summary.currency)
    summary_sheet = _sheet(book, "Summary")
    flows_sheet = _sheet(book, CASH_SHEET)
    fiscal_sheet = _sheet(book, "Fiscal years")
    cuts = _cut_sheets(_sheet(book, CUTS_SHEET), _sheet(book, NOTICE_SHEET), results, styles)
    cells = _cash_flow_sheet(flows_sheet, results, summary, styles, cuts)
    _summary_sheet(summary_sheet, summary, cells, styles)
    _fiscal_sheet(fiscal_sheet, summary, cells, styles)
    _assumptions_sheet(_sheet(book, "Assumptions"), results.scenario, styles)
    _replications_sheet(_sheet(book, "Replications"), results, styles, summary)
    roles = [m for (u, m) in results.series if u == "all" and m.startswith(ROLE_SERIES)]
    if roles:  # a run with roles: its people by role, month by month
        _roles_sheet(_sheet(book, ROLES_SHEET), results, roles, styles)
    for sheet in book.worksheets():
        sheet.set_paper(paper_size(summary.currency))
    for name, cell in NAMES.items():
        book.define_name(name, f"=Summary!{_absolute(CELLS[cell])}")
    book.close()


def _sheet(book: Any, name: str) -> Any:
    """A worksheet whose text cells a spreadsheet shows rather than runs (a unit named
    ``=cmd|' /C calc'!A0`` is text, also once a user edits the cell)."""
    sheet = book.add_worksheet(name)
    sheet.add_write_handler(str, _write_text)
    return sheet


def _write_text(sheet: Any, row: int, col: int, text: str, *rest: Any) -> Any:
    return sheet.write_string(row, col, spreadsheet_text(text), *rest)


#: the sheet of a run with roles, and the series it reads (sim.runs.summarise)
ROLES_SHEET = "Headcount by role"
ROLE_SERIES = "headcount_role:"


def _roles_sheet(sheet: Any, results: Results, roles: list[str], styles: dict) -> None:
    """People in each role (all units) a month, plan and status quo (P50), then by unit."""
    keys = [("all", m) for m in roles]
    keys += sorted((u, m) for (u, m) in results.series if u != "all" and m.startswith(ROLE_SERIES))
    header = ["Month"]
    columns = []
    for unit, metric in keys:
        where = "all units" if unit == "all" else unit
        role = metric.removeprefix(ROLE_SERIES)
        for prefix, side in (("", "plan"), ("baseline_", "status quo")):
            if (unit, prefix + metric) in results.series:
                header.append(f"{role}, {where}: {side} (P50)")
                columns.append(
                    np.nanpercentile(results.stacked((unit, prefix + metric)), 50, axis=0)
                )
    sheet.write_row(0, 0, header, styles["head"])
    sheet.set_row(0, 60)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, len(header), 16)
    sheet.freeze_panes(1, 1)
    sheet.repeat_rows(0)
    for i, month in enumerate(results.months, start=1):
        sheet.write_string(i, 0, month)
        for j, values in enumerate(columns, start=1):
            sheet.write_number(i, j, float(values[i - 1]), styles["count"])
    _note(
        sheet,
        len(results.months) + 2,
        "ICs by role (P50 of the replications). Where a role's AI exposure comes from its SOC "
        "code, the score is an AI applicability score (Tomlinson et al. 2025): where AI is "
        "applicable to the work, not a measure of replacement.",
        styles["note"],
    )


#: the Assumptions sheet's styles: its rows wrap, so every cell sits at the top of its row
_TOP_STYLES = ("note", "money", "number", "date", "right", "plain", "percent", "wrap")


def _styles(book: Any, currency: str) -> dict:
    symbol = SYMBOLS.get(currency, "")
    unit = f'"{symbol}"' if symbol else ""
    money = f"{unit}#,##0;[Red]-{unit}#,##0"
    properties = _style_properties(money)
    styles = {name: book.add_format(props) for name, props in properties.items()}
    for name in _TOP_STYLES:
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
        "head": ({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
        "wrap": ({"text_wrap": True, "valign": "top"}),
        # a wrapped note beside numbers: its last line level with them
        "wrap_bottom": ({"text_wrap": True, "indent": 1}),
        "note_wrap": (
            {"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"}
        ),
        "head_right": ({"bold": True, "bottom": 1, "align": "right", "valign": "top"}),
    }


# --- the monthly cash flows ------------------------------------------------------------


def _cash_flow_sheet(
    sheet: Any, results: Results, summary: RunSummary, styles: dict, cuts: dict[str, str] | None
) -> dict:
    """Month, month number, period, fiscal year, the cost lines (notice pay and severance:
    sums over the cuts sheets, when there are cuts), then formula columns."""
    header, rows = cashflow_table(results)
    lines = header[1:-1]  # without month and the net, which becomes a formula here
    months = len(rows)
    first = 1  # data rows (0-based), row 0 is the header
    line_col = 4
    net_col = line_col + len(lines)
    one_time_col, cum_col, disc_col = net_col + 1, net_col + 2, net_col + 3
    cum_disc_col, stay_col, disc_stay_col = net_col + 4, net_col + 5, net_col + 6
    columns = [
        "Month",
        "Month number",
        "Period from the valuation date",
        "Fiscal year",
        *lines,
        "Net cash flow",
        "One-time costs",
        "Cumulative net cash",
        "Present value at the valuation date",
        "Cumulative present value",
        "Paid back from here (1/0)",
        "Discounted paid back from here (1/0)",
    ]
    sheet.write_row(0, 0, columns, styles["head"])
    sheet.set_row(0, 75)
    sheet.set_column(0, 1, 10)
    sheet.set_column(2, 3, 11)
    sheet.set_column(line_col, len(columns), 15)
    sheet.freeze_panes(1, 2)
    _print_setup(sheet, landscape=True, wide=True)
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
        for name in ONE_TIME_LINES
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
            by_month = cuts and cuts.get(lines[j])
            if by_month:  # a scenario column: minus the month's sum of costs
                month = xl_rowcol_to_cell(r, 1)
                sheet.write_formula(
                    r, line_col + j, by_month.format(month=month), styles["money"], number
                )
            else:
                sheet.write_number(r, line_col + j, number, styles["money"])
        line_range = f"{xl_rowcol_to_cell(r, line_col)}:{xl_rowcol_to_cell(r, net_col - 1)}"
        sheet.write_formula(r, net_col, f"=SUM({line_range})", styles["money"], net[i])
        # scenario columns hold -cost and baseline columns +cost: the plan's one-time
        # costs (scenario minus baseline) are minus their sum
        terms = "+".join(xl_rowcol_to_cell(r, c) for c in one_time_cols)
        sheet.write_formula(r, one_time_col, f"=-({terms})", styles["money"], one_time[i])
        net_range = f"{_col(net_col)}${first + 1}:{_col(net_col)}{r + 1}"
        sheet.write_formula(r, cum_col, f"=SUM({net_range})", styles["money"], cumulative[i])
        sheet.write_formula(
            r,
            disc_col,
            f"={xl_rowcol_to_cell(r, net_col)}/(1+MonthlyRate)^{xl_rowcol_to_cell(r, 2)}",
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

    span = (first + 1, first + months)  # 1-based rows for A1 ranges
    return {
        "months": months,
        "offset": frame.offset,
        "net": _range(net_col, span),
        "discounted": _range(disc_col, span),
        "last_period": f"'{CASH_SHEET}'!${_col(2)}${span[1]}",
        "cum": _range(cum_col, span),
        "cum_disc": _range(cum_disc_col, span),
        "stay": _range(stay_col, span),
        "disc_stay": _range(disc_stay_col, span),
        "period": _range(2, span),
        "month": _range(0, span),
        "fiscal_year": _range(3, span),
        "one_time": _range(one_time_col, span),
    }


def _stays(cumulative: np.ndarray) -> np.ndarray:
    """1 where the cumulative is >= 0 from this month to the end, else 0."""
    ok = cumulative >= 0
    return np.flip(np.logical_and.accumulate(np.flip(ok))).astype(int)


def _col(col: int) -> str:
    return xl_col_to_name(col)


def _last_months(column: str) -> str:
    """The last RunRateMonths cells of a column's range, as a range a formula reads."""
    return f"INDEX({column},ROWS({column})-RunRateMonths+1):INDEX({column},ROWS({column}))"


def _absolute(cell: str) -> str:
    """'B6' -> '$B$6'."""
    return f"${cell[0]}${cell[1:]}"


def _range(col: int, span: tuple[int, int]) -> str:
    return f"'{CASH_SHEET}'!${_col(col)}${span[0]}:${_col(col)}${span[1]}"


#: the currencies whose readers print on US letter (XlsxWriter's paper 1); else A4 (9)
LETTER_CURRENCIES = frozenset({"USD", "CAD", "MXN"})


def paper_size(currency: str) -> int:
    """The paper a workbook prints on: US letter for a dollar model, else A4."""
    return 1 if currency in LETTER_CURRENCIES else 9


def _print_setup(sheet: Any, landscape: bool = False, wide: bool = False) -> None:
    """Fit the width to one page (a ``wide`` sheet instead prints across pages at a
    readable scale, its titles repeated), name the sheet and page in the footer."""
    if landscape:
        sheet.set_landscape()
    if wide:
        sheet.set_print_scale(WIDE_PRINT_SCALE)
    else:
        sheet.fit_to_pages(1, 0)
    sheet.set_footer("&L&A&RPage &P of &N")


# --- the summary ----------------------------------------------------------------------


def _payback_formula(cumulative: str, stays: str, period: str) -> str:
    """The period of the first month from which the running total stays >= 0
    (0 when it never goes negative or was paid back before the valuation month)."""
    return (
        f'=IF(COUNTIF({cumulative},"<0")=0,0,'
        f'IFERROR(MAX(0,INDEX({period},MATCH(1,{stays},0))),"{NOT_WITHIN}"))'
    )


def _summary_sheet(sheet: Any, summary: RunSummary, cells: dict, styles: dict) -> None:
    scenario = summary.scenario
    mean = summary.mean
    frame = summary.valuation
    terms = summary.terminal_value
    sheet.set_column(0, 0, 58)
    sheet.set_column(1, 4, 17)
    _print_setup(sheet)
    sheet.fit_to_pages(1, 1)  # the Summary prints on one page
    sheet.write(0, 0, f"{scenario.name}: restructuring simulation", styles["title"])
    _note(
        sheet,
        1,
        f"scenario {scenario.path} (sha256 {scenario.sha256[:12]}), seed "
        f"{summary.seed}, {summary.replications} replications, "
        f"restructure {summary.version}, currency {summary.currency}",
        styles["wrap"],
    )
    _note(
        sheet,
        2,
        "Figures below are those of the replications' mean cash flow, recomputed from the "
        f"'{CASH_SHEET}' sheet; yellow cells are assumptions",
        styles["note_wrap"],
    )

    sheet.write(4, 0, "Assumptions", styles["bold"])
    rate = mean.discount_rate_annual
    _row(sheet, "annual_rate", "Annual discount rate", rate, styles["input"])
    _formula(
        sheet,
        "monthly_rate",
        "Monthly rate (compounds to the annual rate)",
        f"=(1+{CELLS['annual_rate']})^(1/12)-1",
        metrics.monthly_rate(rate),
        styles["rate_fine"],
    )
    date = dt.date.fromisoformat(frame.date)
    _row(sheet, "valuation_date", f"Valuation date ({frame.basis})", date, styles["input_date"])
    # the valuation date drives the valuation month, and the month every figure's periods
    first_year, first_month = year_and_month(summary.first_month)
    _formula(
        sheet,
        "valuation_month",
        f"Valuation month: its month number in '{CASH_SHEET}' ({frame.month})",
        f"=(YEAR(ValuationDate)-{first_year})*12+MONTH(ValuationDate)-{first_month}+1",
        cells["offset"] + 1,
        styles["right"],
    )
    _row(
        sheet,
        "run_rate_months",
        "Months averaged for the run rate",
        metrics.RUN_RATE_MONTHS,
        styles["input_plain"],
    )
    if terms is None:
        _row(
            sheet,
            "terminal_years",
            "Terminal value: years after the horizon",
            "none",
            styles["right"],
        )
        _row(sheet, "terminal_growth", "Terminal value: growth a year", "none", styles["right"])
    else:
        _row(
            sheet,
            "terminal_years",
            "Terminal value: years after the horizon",
            terms["years"],
            styles["input_plain"],
        )
        _row(
            sheet,
            "terminal_growth",
            "Terminal value: growth a year",
            terms["growth_annual"],
            styles["input"],
        )

    sheet.write(13, 0, "Results (live formulas)", styles["bold"])
    c = CELLS
    # the spreadsheet's NPV from the valuation month on, and the months before it
    # compounded forward: both move with the valuation date and the rate
    net, valued = cells["net"], c["valuation_month"]
    npv_formula = (
        f"=NPV({c['monthly_rate']},INDEX({net},{valued}):INDEX({net},ROWS({net})))"
        f'+SUMIF({cells["period"]},"<=0",{cells["discounted"]})'
    )
    _formula(
        sheet,
        NPV.name,
        f"NPV at the valuation date, cash flows to {summary.last_month}",
        npv_formula,
        mean.npv,
        styles["money_bold"],
    )
    _formula(
        sheet,
        PAYBACK.name,
        "Payback month (1 = the valuation month)",
        _payback_formula(cells["cum"], cells["stay"], cells["period"]),
        NOT_WITHIN if mean.payback_month is None else mean.payback_month,
        styles["right"],
    )
    _formula(
        sheet,
        "payback_date",
        "Payback month, calendar",
        f"=IF(ISNUMBER({c['payback_month']}),INDEX({cells['month']},"
        f'{c["valuation_month"]}+MAX({c[PAYBACK.name]},1)-1),"{NOT_WITHIN}")',
        mean.payback_date or NOT_WITHIN,
        styles["right"],
    )
    _formula(
        sheet,
        "discounted_payback_month",
        "Discounted payback month",
        _payback_formula(cells["cum_disc"], cells["disc_stay"], cells["period"]),
        NOT_WITHIN if mean.discounted_payback_month is None else mean.discounted_payback_month,
        styles["right"],
    )
    _formula(
        sheet,
        "run_rate_savings_annual",
        "Run-rate savings a year (before one-time costs)",
        f"=(AVERAGE({_last_months(cells['net'])})+AVERAGE({_last_months(cells['one_time'])}))*12",
        mean.run_rate_savings_annual,
        styles["money"],
    )
    _formula(
        sheet,
        "one_time_costs",
        "One-time costs (notice, severance, wave, AI build)",
        f"=SUM({cells['one_time']})",
        mean.one_time_costs,
        styles["money"],
    )
    _formula(
        sheet,
        "irr_annual",
        "IRR, annual ((1 + monthly IRR)^12 - 1)",
        _irr_formula(cells["net"]),
        _irr_shown(mean.irr_annual, mean.irr_note),
        styles["rate"],
    )
    row = int(CELLS["irr_note"][1:]) - 1
    sheet.write(row, 0, "IRR: how to read it")
    sheet.merge_range(row, 1, row, 4, mean.irr_note or "a rate of return", styles["wrap"])
    _terminal_cells(sheet, summary, cells, styles)
    _formula(
        sheet,
        "roi",
        "ROI (net benefit after one-time costs / one-time costs)",
        f'=IF(SUM({cells["one_time"]})=0,"none",SUM({cells["net"]})/SUM({cells["one_time"]}))',
        "none" if mean.roi is None else mean.roi,
        styles["ratio"],
    )

    _headline_table(sheet, summary, styles, first_row=26)


def _irr_formula(net: str) -> str:
    """The IRR where it reads as a rate, as the tool decides it (finance.metrics.irr_shown):
    "no rate of return" when the flows never change sign or no rate solves; "not
    meaningful" when less came back than went out by the horizon, when paid back within
    the first year, or above the meaningful maximum."""
    rate = f"((1+IRR({net}))^12-1)"
    payback = CELLS[PAYBACK.name]
    paid = f"ISNUMBER({payback})"
    never = f'"{NOT_MEANINGFUL}"'
    return (
        f'=IF(OR(COUNTIF({net},"<0")=0,COUNTIF({net},">0")=0),"{NO_RATE}",'
        f"IF(AND(NOT({paid}),SUM({net})<0),{never},"
        f"IFERROR(IF(AND({paid},{payback}<={FIRST_YEAR_MONTHS}),{never},"
        f"IF({rate}>{IRR_MEANINGFUL_MAX_ANNUAL},{never},"
        f'IF(AND(NOT({paid}),{rate}<0),{never},{rate}))),"{NO_RATE}")))'
    )


def _irr_shown(rate: float | None, note: str | None) -> float | str:
    """The IRR cell's value: the rate, or why there is none (as _irr_formula gives it)."""
    if rate is not None:
        return rate
    return NOT_MEANINGFUL if note in NOT_MEANINGFUL_REASONS else NO_RATE


def _terminal_cells(sheet: Any, summary: RunSummary, cells: dict, styles: dict) -> None:
    mean, terms, c = summary.mean, summary.terminal_value, CELLS
    label = "Terminal value at the valuation date"
    if terms is None:
        _row(sheet, "terminal_value", label, "none", styles["right"])
        _row(sheet, "npv_with_terminal_value", "NPV with terminal value", "none", styles["right"])
        return
    # growing monthly flows discounted at m are level flows discounted at i
    effective = f"((1+{c['monthly_rate']})/(1+{c['terminal_growth']})^(1/12)-1)"
    monthly = f"{c['run_rate_savings_annual']}/12"
    if terms["years"] == "perpetuity":
        at_end = f"{monthly}/{effective}"
    else:
        at_end = f"PV({effective},{c['terminal_years']}*12,-{monthly})"
    _formula(
        sheet,
        "terminal_value",
        label,
        f"={at_end}/(1+{c['monthly_rate']})^{cells['last_period']}",
        mean.terminal_value,
        styles["money"],
    )
    _formula(
        sheet,
        "npv_with_terminal_value",
        "NPV with terminal value (beside, not in, the NPV)",
        f"={c['npv']}+{c['terminal_value']}",
        mean.npv_with_terminal_value,
        styles["money_bold"],
    )


def _row(sheet: Any, name: str, label: str, value: Any, style: Any) -> None:
    row = int(CELLS[name][1:]) - 1
    sheet.write(row, 0, label)
    if isinstance(value, dt.date):
        sheet.write_datetime(row, 1, dt.datetime.combine(value, dt.time()), style)
    else:
        sheet.write(row, 1, value, style)


def _formula(sheet: Any, name: str, label: str, formula: str, value: Any, style: Any) -> None:
    row = int(CELLS[name][1:]) - 1
    sheet.write(row, 0, label)
    sheet.write_formula(row, 1, formula, style, value)


def _headline_table(sheet: Any, summary: RunSummary, styles: dict, first_row: int) -> None:
    sheet.write(
        first_row,
        0,
        f"Over the {summary.replications} replications: each one's own figure"
        + (
            f" (the work flow's over the first {summary.flow_replications}: see the last column)"
            if summary.flow_replications < summary.replications
            else ""
        ),
        styles["bold"],
    )
    sheet.write(first_row + 1, 0, "", styles["head"])
    sheet.write_row(
        first_row + 1, 1, ["P10", "P50", "P90", "mean", "replications"], styles["head_right"]
    )
    row = first_row + 2
    for name in HEADLINES:
        values = summary.headline[name]
        if all(getattr(values, k) is None for k in STATS):
            continue
        headline = BY_NAME[name]
        sheet.write(row, 0, headline.label)
        style = styles[KIND_STYLES.get(headline.kind, "number")]
        for j, key in enumerate(STATS, start=1):
            value = getattr(values, key)
            if value is None:
                sheet.write(row, j, "n/a", styles["right"])
            else:
                sheet.write_number(row, j, value, style)
        sheet.write_number(row, len(STATS) + 1, summary.rests_on(headline), styles["number"])
        row += 1
    row += 1
    for name, note in summary.notes.items():
        _note(sheet, row, f"{BY_NAME[name].label}: {note}", styles["note_wrap"])
        row += 1


def _note(sheet: Any, row: int, text: str, style: Any) -> None:
    """A line of text across the Summary's five columns, wrapped, so it never widens
    the printed page."""
    sheet.merge_range(row, 0, row, 4, text, style)
    lines = 1 + len(text) // NOTE_CHARS_PER_LINE
    sheet.set_row(row, 15 * lines)


# --- fiscal years ---------------------------------------------------------------------


def _fiscal_sheet(sheet: Any, summary: RunSummary, cells: dict, styles: dict) -> None:
    header = [
        "Fiscal year",
        "First month",
        "Last month",
        "Months in the run",
        "Net savings (before one-time costs)",
        "One-time costs",
        "Net cash",
    ]
    sheet.write_row(0, 0, header, styles["head"])
    sheet.set_row(0, 45)
    sheet.set_column(0, 3, 12)
    sheet.set_column(4, 6, 20)
    _print_setup(sheet)
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


# --- cuts and layer removals -----------------------------------------------------------

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
    ("basis", "How the money is computed", 34),
)
_N = {key: i for i, (key, _, _) in enumerate(NOTICE_COLUMNS)}
#: characters a wrapped line holds per unit of column width (a unit is one digit's width)
_CHARS_PER_WIDTH = 1.1
#: points a line of text takes in a row's height
_LINE_POINTS = 15


def _cut_sheets(
    cuts_sheet: Any, notice_sheet: Any, results: Results, styles: dict
) -> dict[str, str] | None:
    """The Cuts and removals sheet and its Notice pay by month sheet; the formulas
    (with ``{month}`` for the month-number cell) the cash flows' scenario notice pay
    and severance lines become, or None when no wave cuts or moves anyone."""
    lines = results.cut_lines()
    _sheet_head(cuts_sheet, CUT_COLUMNS, _CUT_TITLE_COLUMNS + 1, styles)
    _sheet_head(notice_sheet, NOTICE_COLUMNS, _N["layer"] + 1, styles)
    _print_setup(cuts_sheet, landscape=True)
    cuts_sheet.fit_to_pages(CUT_PAGES_WIDE, 0)
    cuts_sheet.repeat_columns(0, _CUT_TITLE_COLUMNS)
    _print_setup(notice_sheet, landscape=True)
    if not lines:
        cuts_sheet.write(2, 0, "No wave cuts anyone or removes a layer.", styles["note"])
        return None
    row_of: dict[int, int] = {}  # line number -> its row on the Cuts and removals sheet
    row = 1
    for number, line in enumerate(lines, start=1):
        row_of[number] = row
        row += _cut_rows(cuts_sheet, row, number, line, results.months, styles)
    cut_span = (2, row)  # 1-based rows of the lines, the total row after them
    r = 1
    for number, line in enumerate(lines, start=1):
        for piece in line.notice:
            _notice_row(notice_sheet, r, number, line, piece, row_of[number], results, styles)
            r += 1
    notice_span = (2, max(r, 2))
    notice_pay = _sheet_range(NOTICE_SHEET, _N["notice_pay"], notice_span)
    of_line = _sheet_range(NOTICE_SHEET, _N["line"], notice_span)
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
    notice_month = _sheet_range(NOTICE_SHEET, _N["booked_month"], notice_span)
    severance = _sheet_range(CUTS_SHEET, _C["severance"], cut_span)
    severance_month = _sheet_range(CUTS_SHEET, _C["severance_month"], cut_span)
    return {
        f"{SCENARIO_COLUMN}{NOTICE_PAY}": f"=-SUMIF({notice_month},{{month}},{notice_pay})",
        f"{SCENARIO_COLUMN}{SEVERANCE}": f"=-SUMIF({severance_month},{{month}},{severance})",
    }


def _sheet_range(sheet_name: str, col: int, span: tuple[int, int]) -> str:
    return f"'{sheet_name}'!${_col(col)}${span[0]}:${_col(col)}${span[1]}"


def _sheet_head(
    sheet: Any, columns: tuple[tuple[str, str, float], ...], frozen: int, styles: dict
) -> None:
    """Titles in a header row tall enough for the longest, the widths; the header and
    the first ``frozen`` columns stay in view."""
    sheet.write_row(0, 0, [title for _, title, _ in columns], styles["head"])
    lines = max(_text_lines(title, width) for _, title, width in columns)
    sheet.set_row(0, _LINE_POINTS * lines)
    for col, (_, _, width) in enumerate(columns):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, frozen)
    sheet.repeat_rows(0)


def _text_lines(text: str, width: float) -> int:
    """Lines a text wraps to in a column ``width`` wide, word by word."""
    room = max(1, int(width * _CHARS_PER_WIDTH) - 1)
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > room:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _wrapped(sheet: Any, row: int, col: int, text: str, width: float, style: Any) -> None:
    """A wrapped text cell, its row tall enough for it (spreadsheets do not grow a row
    for a wrapped cell they did not lay out themselves)."""
    sheet.write(row, col, text, style)
    sheet.set_row(row, _LINE_POINTS * _text_lines(text, width))


def _serial(date: dt.date) -> int:
    """A date as a spreadsheet's date serial (days since SERIAL_EPOCH)."""
    return (date - SERIAL_EPOCH).days


def _cut_rows(
    sheet: Any, row: int, number: int, line: CutLine, months: tuple[str, ...], styles: dict
) -> int:
    """A line's row (and a row for each further month its severance is booked in, when
    the replications book it in several); the rows written."""
    c = _C
    cell = {key: xl_rowcol_to_cell(row, col) for key, col in c.items()}
    _cut_title(sheet, row, number, line, line.change)
    sheet.write_datetime(row, c["given"], dt.datetime.combine(line.date, dt.time()), styles["date"])
    sheet.write_number(row, c["cost"], line.cost_per_head_annual, styles["money"])
    basis_width = CUT_COLUMNS[c["basis"]][2]
    if line.change == MOVED_DOWN:
        sheet.write(row, c["moved_to"], line.moved_to or "")
        sheet.write_number(row, c["moved"], line.people, styles["count"])
        sheet.write_number(row, c["protection"], line.protection_months, styles["number"])
        _wrapped(sheet, row, c["basis"], _moved_basis(line), basis_width, styles["wrap_bottom"])
        return 1
    sheet.write_number(row, c["people"], line.people, styles["count"])
    sheet.write_number(row, c["notice_weeks"], line.notice_weeks, styles["weeks"])
    ends = _serial(line.date) + line.notice_weeks * DAYS_PER_WEEK
    sheet.write_formula(
        row,
        c["ends"],
        f"={cell['given']}+{cell['notice_weeks']}*{DAYS_PER_WEEK:g}",
        styles["date"],
        ends,
    )
    sheet.write_number(row, c["severance_weeks"], line.severance_weeks, styles["weeks"])
    _wrapped(sheet, row, c["basis"], _cut_basis(line), basis_width, styles["wrap_bottom"])
    for k, payment in enumerate(line.severance):
        r = row + k
        if k:  # a further month of the same people's severance
            _cut_title(sheet, r, number, line, f"{line.change}: severance continued")
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


def _cut_title(sheet: Any, row: int, number: int, line: CutLine, change: str) -> None:
    sheet.write_number(row, _C["line"], number)
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
    basis_width = NOTICE_COLUMNS[n["basis"]][2]
    sheet.write_number(row, n["line"], number)
    sheet.write(row, n["unit"], line.unit)
    sheet.write(row, n["layer"], line.layer)
    sheet.write(row, n["booked_in"], months[piece.booked], styles["right"])
    sheet.write_number(row, n["booked_month"], piece.booked + 1)
    days = piece.days
    if days is None or piece.pay_growth is None:
        sheet.write(row, n["days_in"], months[piece.booked], styles["right"])
        sheet.write_number(row, n["notice_pay"], piece.notice_pay, styles["money"])
        text = f"{MEAN_OF_REPLICATIONS} ({', '.join(line.varying)} vary)"
        _wrapped(sheet, row, n["basis"], text, basis_width, styles["wrap_bottom"])
        return
    first = start + dt.timedelta(days=days.period_start)
    end = start + dt.timedelta(days=days.period_end)
    sheet.write(row, n["days_in"], f"{first:%Y-%m}", styles["right"])

    def cut_cell(key: str) -> str:
        return f"'{CUTS_SHEET}'!" + xl_rowcol_to_cell(cut_row, _C[key], True, True)

    origin = _serial(start)
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
        _wrapped(sheet, row, n["basis"], text, basis_width, styles["wrap_bottom"])


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
        column = f"{_col(_C[key])}2:{_col(_C[key])}{row}"
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
        sheet.set_row(row + k, _LINE_POINTS * _text_lines(text, width))


# --- assumptions and replications -----------------------------------------------------


#: fields the Assumptions sheet lists only where a scenario gives them (issue 23's
#: internal moves and drivers), so a workbook of a plan without them is as it was
SHOWN_WHEN_GIVEN = frozenset({"redeployment", "reskilling", "driver"})


def _leaves(node: Any, path: str, label: str) -> list[tuple[str, str, Any]]:
    """(field path, label, value) of every leaf of the scenario, in order."""
    if isinstance(node, BaseModel):
        rows = []
        for name, field in type(node).model_fields.items():
            child = f"{path}.{name}" if path else name
            value = getattr(node, name)
            if name in SHOWN_WHEN_GIVEN and value in (None, ()):
                continue
            rows += _leaves(value, child, field.description or name)
        return rows
    if isinstance(node, tuple) and any(isinstance(v, BaseModel) for v in node):
        rows = []
        for i, value in enumerate(node):
            rows += _leaves(value, f"{path}[{i}]", label)
        return rows
    return [(path, label, node)]


#: the Assumptions sheet's columns: a reader's name first, the scenario's field last
ASSUMPTION_HEADER = ["Assumption", "Meaning", "Value", "Mean (of a distribution)", "Field"]
#: characters of a text value the Assumptions sheet's Value column shows unwrapped
VALUE_CHARS = 18
#: fields whose number is a name, not a quantity: no thousands separator ("2,025")
_PLAIN_FIELDS = ("seed", "fiscal_year_start_month", "soc")


def _assumptions_sheet(sheet: Any, scenario: Scenario, styles: dict) -> None:
    widths = (44, 56, 18, 18, 44)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    _print_setup(sheet, landscape=True)
    sheet.repeat_rows(0)
    sheet.freeze_panes(1, 1)
    sheet.write_row(0, 0, ASSUMPTION_HEADER, styles["head"])
    # its rows wrap: every cell at the top of its row
    styles = {**styles, **{name: styles[f"{name}_top"] for name in _TOP_STYLES}}
    for i, (field, meaning, value) in enumerate(_leaves(scenario, "", ""), start=1):
        name = field_label(scenario, field)
        sheet.write(i, 0, name, styles["wrap"])
        sheet.write(i, 1, meaning, styles["wrap"])
        _assumption_value(sheet, i, value, styles, _value_style(field, styles))
        sheet.write(i, 4, field, styles["note"])
        # tall enough for its wrapped cells: they overprinted the next row in print
        text = str(value) if not isinstance(value, int | float) else ""
        lines = max(
            _text_lines(name, widths[0]),
            _text_lines(meaning, widths[1]),
            _text_lines(text, widths[2]),
        )
        if lines > 1:
            sheet.set_row(i, _LINE_POINTS * lines)


def _value_style(field: str, styles: dict) -> Any:
    """A number in its unit: a rate or a share as a percentage, money in the currency,
    an identifier (the seed) without a thousands separator."""
    unit = unit_of(field)
    name = field.rsplit(".", 1)[-1]
    if name in _PLAIN_FIELDS:
        return styles["plain"]
    if unit.startswith("money"):
        return styles["money"]
    if unit in ("share", "a year", "share a year") or name.endswith(("_share", "_rate_annual")):
        return styles["percent"]
    return styles["number"]


def _assumption_value(sheet: Any, row: int, value: Any, styles: dict, number: Any) -> None:
    if isinstance(value, Distribution):
        sheet.write(row, 2, str(value), styles["right"])
        sheet.write_number(row, 3, value.mean, number)
    elif isinstance(value, bool) or value is None:
        sheet.write(row, 2, "" if value is None else str(value).lower(), styles["right"])
    elif isinstance(value, int | float):
        sheet.write_number(row, 2, float(value), number)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, 2, dt.datetime.combine(value, dt.time()), styles["date"])
    elif isinstance(value, tuple):
        numbers = all(isinstance(v, int | float) for v in value)
        text = ", ".join(f"{v:g}" if numbers else str(v) for v in value)
        sheet.write(row, 2, text, styles["right"])
    else:  # a long text (a description) wraps in its column instead of overprinting
        text = str(value)
        sheet.write(row, 2, text, styles["wrap"] if len(text) > VALUE_CHARS else styles["right"])


def _replications_sheet(sheet: Any, results: Results, styles: dict, summary: RunSummary) -> None:
    header, rows = replication_table(results)
    sheet.write_row(0, 0, header, styles["head"])
    sheet.set_row(0, 45)
    sheet.set_column(0, len(header), 16)
    _print_setup(sheet, landscape=True, wide=True)
    sheet.repeat_rows(0)
    sheet.freeze_panes(1, 1)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value == "":
                continue
            sheet.write_number(i, j, float(value))
    _probability_cells(sheet, header, len(rows), styles, summary)


def _probability_cells(
    sheet: Any, header: list[str], count: int, styles: dict, summary: RunSummary
) -> None:
    """Beside the replications, the probability of a target as live formulas over them:
    P(NPV > 0), and P(payback within the target, a cell the reader may change)."""
    found = summary.probabilities
    col = len(header) + 1

    def column(name: str) -> str:  # the replications' cells of one headline, rows 2 on
        letter = _col(header.index(name))
        return f"${letter}$2:${letter}${count + 1}"

    npv, payback = column("npv"), column("payback_month")
    sheet.set_column(col, col, 30)
    sheet.write(0, col, "Probability over the replications", styles["head"])
    sheet.write(1, col, "P(NPV > 0)")
    sheet.write_formula(
        1,
        col + 1,
        f'=COUNTIF({npv},">0")/ROWS({npv})',
        styles["rate"],
        found.npv_above_zero if found else None,
    )
    target = found.payback_target_months if found else None
    sheet.write(2, col, "Payback target (months)")
    if target is None:
        sheet.write(2, col + 1, "none", styles["right"])
    else:
        sheet.write_number(2, col + 1, target, styles["input"])
    sheet.write(3, col, "P(payback within the target)")
    target_cell = f"${_col(col + 1)}$3"
    sheet.write_formula(
        3,
        col + 1,
        f'=IF(ISNUMBER({target_cell}),COUNTIF({payback},"<="&{target_cell})'
        f'/ROWS({payback}),"no target")',
        styles["rate"],
        found.payback_within_target if found and target is not None else "no target",
    )
    sheet.write(
        4,
        col,
        "Shares of the replications; a payback not within the horizon is a blank cell, never "
        "within the target",
        styles["note_wrap"],
    )
