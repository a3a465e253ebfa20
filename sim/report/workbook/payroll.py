"""The Payroll drivers and Paid people by month sheets: each layer's payroll, the biggest
part of the savings, as people x cost per head x pay growth.

A layer's working payroll in a month is the person-years paid in it (heads by the day,
a share of their year: sim.model.workforce's ``paid_years``) at the layer's cost per
head, grown from the valuation month at the unit's pay growth, plus the pay protection
of people moved down into it. Wherever that arithmetic holds for the replications'
mean (the cost per head and the pay growth are numbers, not drawn, and the layer has
one cost: no roles of differing pay) the cash-flow cell is that formula over the
Assumptions sheet's cell, so a reader who changes a cost per head there gets what a
rerun gives; else the line is the replications' mean, and the Payroll drivers sheet
says why, line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from xlsxwriter.utility import xl_rowcol_to_cell

from sim.finance.cashflows import BASELINE_COLUMN, SCENARIO_COLUMN, payroll_line
from sim.finance.valuation import valuation
from sim.model.prices import growth_factors
from sim.report.workbook.cells import column_name, print_setup
from sim.scenario.distributions import Distribution

if TYPE_CHECKING:
    from sim.runs.montecarlo import Results

DRIVERS_SHEET = "Payroll drivers"
PEOPLE_SHEET = "Paid people by month"
#: how a line is computed (the Payroll drivers sheet's last column)
AS_FORMULA = "formula: paid people x cost per head x pay growth"
#: a protection below this share of a line's payroll is float noise, not pay
PROTECTION_FLOOR = 1e-9
DRIVER_COLUMNS = (
    ("Cash-flow column", 44),
    ("Unit", 24),
    ("Layer", 20),
    ("Cost per head (a year)", 18),
    ("Pay growth (a year)", 14),
    ("Computed as", 70),
)


@dataclass(frozen=True)
class PayrollLine:
    """One payroll column of the cash-flow sheet, scenario or twin, and its drivers."""

    title: str  # the cash-flow sheet's column title
    side: str  # SCENARIO_COLUMN or BASELINE_COLUMN
    unit: str
    layer: str
    cost: float  # a year, at valuation-month prices (the scenario's mean if drawn)
    cost_field: str  # its field path in the Assumptions sheet
    growth: float  # a year (the mean if drawn)
    growth_field: str | None  # None: not an input (the organisation's default)
    paid_years: np.ndarray  # (months,) the replications' mean person-years paid
    protection: np.ndarray  # (months,) pay protection at valuation-month prices
    why_not: str | None  # None: a live formula; else why the line is the mean


def payroll_lines(results: Results) -> list[PayrollLine]:
    """Every payroll column of the cash flows with its drivers, scenario then twin."""
    scenario = results.scenario
    flows = results.mean_cash_flows()
    months = len(results.months)
    offset = valuation(scenario).offset
    org_growth = scenario.org.pay_growth_annual
    lines = []
    for side, money, paid in (
        (SCENARIO_COLUMN, flows.scenario, flows.scenario_paid_years),
        (BASELINE_COLUMN, flows.baseline, flows.baseline_paid_years),
    ):
        for u, unit in enumerate(scenario.org.units):
            own = unit.pay_growth_annual is not None
            growth = unit.pay_growth_annual if own else org_growth
            growth_field = f"org.units[{u}].pay_growth_annual" if own else "org.pay_growth_annual"
            layers = unit.resolved_layers
            for j, layer in enumerate(layers):
                name = payroll_line(unit.name, layer.name)
                if name not in paid:
                    continue
                cost = layer.cost_per_head_annual
                why_not = _why_not(cost, growth, bool(unit.roles) and j == len(layers) - 1)
                cost_mean, growth_mean = _mean(cost), _mean(growth)
                factors = growth_factors(months, offset, growth_mean)
                # what working pay holds beyond people x cost: the moved-down's protection
                protection = np.zeros(months)
                if why_not is None:
                    protection = money[name] / factors - paid[name] * cost_mean
                    scale = max(float(np.abs(money[name]).max()), 1.0)
                    if np.abs(protection).max() <= PROTECTION_FLOOR * scale:
                        protection = np.zeros(months)
                lines.append(
                    PayrollLine(
                        title=f"{side}{name}",
                        side=side,
                        unit=unit.name,
                        layer=layer.name,
                        cost=cost_mean,
                        cost_field=f"org.units[{u}].layers[{j}].cost_per_head_annual",
                        growth=growth_mean,
                        growth_field=growth_field,
                        paid_years=paid[name],
                        protection=protection,
                        why_not=why_not,
                    )
                )
    return lines


def _mean(value: Any) -> float:
    return float(value.mean if isinstance(value, Distribution) else value)


def _why_not(cost: Any, growth: Any, has_roles: bool) -> str | None:
    """Why a line's payroll is not people x cost x growth for the replications' mean."""
    if has_roles:
        return "the mean of the replications: its roles' costs differ (Headcount by role)"
    if isinstance(cost, Distribution):
        return "the mean of the replications: the cost per head is drawn in each"
    if isinstance(growth, Distribution):
        return "the mean of the replications: the pay growth is drawn in each"
    return None


def write_payroll_sheets(
    drivers: Any,
    people: Any,
    lines: list[PayrollLine],
    months: tuple[str, ...],
    assumption_rows: dict[str, int],
    styles: dict,
) -> dict[str, str]:
    """Both sheets; the cash-flow formula of each live line, by its column title (a
    template of the cash-flow row's ``{row}`` and period cell ``{period}``)."""
    drivers.write_row(0, 0, [title for title, _ in DRIVER_COLUMNS], styles["head"])
    drivers.set_row(0, 30)
    for col, (_, width) in enumerate(DRIVER_COLUMNS):
        drivers.set_column(col, col, width)
    drivers.freeze_panes(1, 1)
    print_setup(drivers, landscape=True)
    drivers.repeat_rows(0)

    people.write_row(0, 0, ["Month"], styles["head"])
    people.set_row(0, 105)
    people.set_column(0, 0, 10)
    people.freeze_panes(1, 1)
    print_setup(people, landscape=True, wide=True)
    people.repeat_rows(0)
    people.repeat_columns(0, 0)
    for i, month in enumerate(months, start=1):
        people.write(i, 0, month)

    formulas = {}
    col = 1
    for row, line in enumerate(lines, start=1):
        drivers.write(row, 0, line.title)
        drivers.write(row, 1, line.unit)
        drivers.write(row, 2, line.layer)
        sources = {} if line.why_not else assumption_rows  # a drawn input: its mean
        cost = _input_cell(drivers, row, 3, line.cost, line.cost_field, sources, styles["money"])
        growth = _input_cell(
            drivers, row, 4, line.growth, line.growth_field, sources, styles["percent"]
        )
        paid_col = col
        people.write(0, col, f"{line.title}: person-years paid", styles["head"])
        people.set_column(col, col, 16)
        for i, value in enumerate(line.paid_years, start=1):
            people.write_number(i, col, float(value), styles["people_years"])
        col += 1
        protection_col = None
        if line.protection.any():
            protection_col = col
            people.write(
                0, col, f"{line.title}: pay protection (valuation-date prices)", styles["head"]
            )
            people.set_column(col, col, 16)
            for i, value in enumerate(line.protection, start=1):
                people.write_number(i, col, float(value), styles["money"])
            col += 1
        how = line.why_not or AS_FORMULA + (" + pay protection (amounts)" if protection_col else "")
        drivers.write(row, 5, how, styles["wrap"])
        if line.why_not is not None:
            continue
        paid = f"'{PEOPLE_SHEET}'!${column_name(paid_col)}{{row}}"
        pay = f"{paid}*{cost}"
        if protection_col is not None:
            pay += f"+'{PEOPLE_SHEET}'!${column_name(protection_col)}{{row}}"
        sign = "-" if line.side == SCENARIO_COLUMN else ""
        formulas[line.title] = f"={sign}({pay})*(1+{growth})^(({{period}}-1)/12)"
    return formulas


def _input_cell(
    sheet: Any,
    row: int,
    col: int,
    value: float,
    field: str | None,
    assumption_rows: dict[str, int],
    style: Any,
) -> str:
    """The driver's cell: a formula reading its Assumptions cell where the scenario gives
    the input, else the number; its absolute address on this sheet, for formulas."""
    source = assumption_rows.get(field) if field else None
    if source is None:
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_formula(row, col, f"=Assumptions!$C${source + 1}", style, value)
    return f"'{DRIVERS_SHEET}'!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"
