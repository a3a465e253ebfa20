"""The Summary sheet: the assumptions a reader may change (yellow, named cells) and the
headlines as live formulas over the Monthly cash flows sheet.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sim.finance import metrics
from sim.finance.metrics import (
    FIRST_YEAR_MONTHS,
    IRR_MEANINGFUL_MAX_ANNUAL,
)
from sim.runs.bands import STATS
from sim.runs.headlines import BY_NAME, HEADLINES, NPV, PAYBACK
from sim.scenario.months import year_and_month

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.summary import RunSummary
from sim.report.workbook.cells import (
    CASH_SHEET,
    CELLS,
    KIND_STYLES,
    NO_RATE,
    NOT_MEANINGFUL,
    NOT_MEANINGFUL_REASONS,
    NOT_WITHIN,
    last_months,
    print_setup,
    write_formula_row,
    write_input_row,
    write_note,
)


def _payback_formula(cumulative: str, stays: str, period: str) -> str:
    """The period of the first month from which the running total stays >= 0
    (0 when it never goes negative or was paid back before the valuation month)."""
    return (
        f'=IF(COUNTIF({cumulative},"<0")=0,0,'
        f'IFERROR(MAX(0,INDEX({period},MATCH(1,{stays},0))),"{NOT_WITHIN}"))'
    )


def write_summary_sheet(sheet: Any, summary: RunSummary, cells: dict, styles: dict) -> None:
    scenario = summary.scenario
    mean = summary.mean
    frame = summary.valuation
    terms = summary.terminal_value
    sheet.set_column(0, 0, 58)
    sheet.set_column(1, 4, 17)
    sheet.set_column(5, 5, 13)  # "replications": the default width cut it into "mean"
    print_setup(sheet)
    sheet.fit_to_pages(1, 1)  # the Summary prints on one page
    sheet.write(0, 0, f"{scenario.name}: restructuring simulation", styles["title"])
    write_note(
        sheet,
        1,
        f"scenario {scenario.path} (sha256 {scenario.sha256[:12]}), seed "
        f"{summary.seed}, {summary.replications} replications, "
        f"restructure {summary.version}, currency {summary.currency}",
        styles["wrap"],
    )
    write_note(
        sheet,
        2,
        "Figures below are those of the replications' mean cash flow, recomputed from the "
        f"'{CASH_SHEET}' sheet; yellow cells are assumptions",
        styles["note_wrap"],
    )

    sheet.write(4, 0, "Assumptions", styles["bold"])
    rate = mean.discount_rate_annual
    write_input_row(sheet, "annual_rate", "Annual discount rate", rate, styles["input"])
    write_formula_row(
        sheet,
        "monthly_rate",
        "Monthly rate (compounds to the annual rate)",
        f"=(1+{CELLS['annual_rate']})^(1/12)-1",
        metrics.monthly_rate(rate),
        styles["rate_fine"],
    )
    date = dt.date.fromisoformat(frame.date)
    write_input_row(
        sheet, "valuation_date", f"Valuation date ({frame.basis})", date, styles["input_date"]
    )
    # the valuation date drives the valuation month, and the month every figure's periods
    first_year, first_month = year_and_month(summary.first_month)
    write_formula_row(
        sheet,
        "valuation_month",
        f"Valuation month: its month number in '{CASH_SHEET}' ({frame.month})",
        f"=(YEAR(ValuationDate)-{first_year})*12+MONTH(ValuationDate)-{first_month}+1",
        cells["offset"] + 1,
        styles["right"],
    )
    write_input_row(
        sheet,
        "run_rate_months",
        "Months averaged for the run rate",
        metrics.RUN_RATE_MONTHS,
        styles["input_plain"],
    )
    if terms is None:
        write_input_row(
            sheet,
            "terminal_years",
            "Terminal value: years after the horizon",
            "none",
            styles["right"],
        )
        write_input_row(
            sheet, "terminal_growth", "Terminal value: growth a year", "none", styles["right"]
        )
    else:
        write_input_row(
            sheet,
            "terminal_years",
            "Terminal value: years after the horizon",
            terms["years"],
            styles["input_plain"],
        )
        write_input_row(
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
    write_formula_row(
        sheet,
        NPV.name,
        f"NPV at the valuation date, cash flows to {summary.last_month}",
        npv_formula,
        mean.npv,
        styles["money_bold"],
    )
    write_formula_row(
        sheet,
        PAYBACK.name,
        "Payback month (1 = the valuation month)",
        _payback_formula(cells["cum"], cells["stay"], cells["period"]),
        NOT_WITHIN if mean.payback_month is None else mean.payback_month,
        styles["right"],
    )
    write_formula_row(
        sheet,
        "payback_date",
        "Payback month, calendar",
        f"=IF(ISNUMBER({c['payback_month']}),INDEX({cells['month']},"
        f'{c["valuation_month"]}+MAX({c[PAYBACK.name]},1)-1),"{NOT_WITHIN}")',
        mean.payback_date or NOT_WITHIN,
        styles["right"],
    )
    write_formula_row(
        sheet,
        "discounted_payback_month",
        "Discounted payback month",
        _payback_formula(cells["cum_disc"], cells["disc_stay"], cells["period"]),
        NOT_WITHIN if mean.discounted_payback_month is None else mean.discounted_payback_month,
        styles["right"],
    )
    write_formula_row(
        sheet,
        "run_rate_savings_annual",
        "Run-rate savings a year (before one-time costs)",
        f"=(AVERAGE({last_months(cells['net'])})+AVERAGE({last_months(cells['one_time'])}))*12",
        mean.run_rate_savings_annual,
        styles["money"],
    )
    write_formula_row(
        sheet,
        "one_time_costs",
        "One-time costs (notice, severance, wave, AI build)",
        f"=SUM({cells['one_time']})",
        mean.one_time_costs,
        styles["money"],
    )
    write_formula_row(
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
    write_formula_row(
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
        write_input_row(sheet, "terminal_value", label, "none", styles["right"])
        write_input_row(
            sheet, "npv_with_terminal_value", "NPV with terminal value", "none", styles["right"]
        )
        return
    # growing monthly flows discounted at m are level flows discounted at i
    effective = f"((1+{c['monthly_rate']})/(1+{c['terminal_growth']})^(1/12)-1)"
    monthly = f"{c['run_rate_savings_annual']}/12"
    if terms["years"] == "perpetuity":
        at_end = f"{monthly}/{effective}"
    else:
        at_end = f"PV({effective},{c['terminal_years']}*12,-{monthly})"
    write_formula_row(
        sheet,
        "terminal_value",
        label,
        f"={at_end}/(1+{c['monthly_rate']})^{cells['last_period']}",
        mean.terminal_value,
        styles["money"],
    )
    write_formula_row(
        sheet,
        "npv_with_terminal_value",
        "NPV with terminal value (beside, not in, the NPV)",
        f"={c['npv']}+{c['terminal_value']}",
        mean.npv_with_terminal_value,
        styles["money_bold"],
    )


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
        write_note(sheet, row, f"{BY_NAME[name].label}: {note}", styles["note_wrap"])
        row += 1
