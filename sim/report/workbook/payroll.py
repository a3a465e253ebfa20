"""The Payroll drivers and Paid people by month sheets: each layer's payroll, the biggest
part of the savings, as people x cost per head x pay growth.

A layer's working payroll in a month is the person-years paid in it (heads by the day,
a share of their year: sim.model.workforce's ``paid_years``) at the layer's cost per
head, grown from the valuation month at the unit's pay growth, plus the pay protection
of people moved down into it; an IC layer of roles is the sum over its roles, each at
its own cost. Wherever that arithmetic holds for the replications' mean (the costs per
head and the pay growth are numbers, not drawn) the cash-flow cell is that formula over
the Assumptions sheet's cells, so a reader who changes a cost per head there gets what
a rerun gives; else the line is the replications' mean, and the Payroll drivers sheet
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
from sim.report.workbook.cells import (
    INDENT_WIDTH,
    LINE_POINTS,
    cash_heading,
    cash_line_name,
    column_name,
    header_height,
    print_setup,
    sheet_head,
    text_lines,
)
from sim.scenario.distributions import Distribution

if TYPE_CHECKING:
    from sim.runs.montecarlo import Results

DRIVERS_SHEET = "Payroll drivers"
PEOPLE_SHEET = "Paid people by month"
#: the width of a column of people paid (or of pay protection) on that sheet
PEOPLE_WIDTH = 16
#: how a line is computed (the Payroll drivers sheet's last column)
AS_FORMULA = "formula: paid people x cost per head x pay growth"
#: a protection below this share of a line's payroll is float noise, not pay
PROTECTION_FLOOR = 1e-9
DRIVER_COLUMNS = (  # (key, title, width), as sheet_head reads them
    # its heading on the cash-flow sheet: "Plan: Devices and Services / Senior manager
    # payroll (USD)"
    ("line", "Cash-flow column", 66),
    ("unit", "Unit", 24),
    ("layer", "Layer", 30),  # a role's name: 'IC: Programme management
    ("cost", "Cost per head ({currency} a year)", 18),
    ("growth", "Pay growth (% a year)", 14),
    ("how", "Computed as", 84),  # one line for "... + pay protection (amounts)"
)


@dataclass(frozen=True)
class PayPart:
    """People paid at one cost within a payroll line: a layer, or one of the ICs' roles."""

    name: str  # the layer, or "IC: <role>"
    cost: float  # a year, at valuation-month prices (the scenario's mean if drawn)
    cost_field: str  # its field path in the Assumptions sheet
    paid_years: np.ndarray  # (months,) the replications' mean person-years paid


@dataclass(frozen=True)
class PayrollLine:
    """One payroll column of the cash-flow sheet, scenario or twin, and its drivers."""

    title: str  # the cash-flow sheet's column title
    side: str  # SCENARIO_COLUMN or BASELINE_COLUMN
    unit: str
    layer: str
    parts: tuple[PayPart, ...]  # one, or a part a role (an IC layer of roles)
    growth: float  # a year (the mean if drawn)
    growth_field: str  # the unit's own pay growth, else the organisation's
    protection: np.ndarray  # (months,) pay protection at valuation-month prices
    why_not: str | None  # None: a live formula; else why the line is the mean


def payroll_lines(results: Results) -> list[PayrollLine]:
    """Every payroll column of the cash flows with its drivers, scenario then twin."""
    scenario = results.scenario
    flows = results.mean_cash_flows()
    months = len(results.months)
    offset = valuation(scenario).offset
    lines = []
    for side, money, paid in (
        (SCENARIO_COLUMN, flows.scenario, flows.scenario_paid_years),
        (BASELINE_COLUMN, flows.baseline, flows.baseline_paid_years),
    ):
        for u, unit in enumerate(scenario.org.units):
            own = unit.pay_growth_annual is not None
            growth = unit.pay_growth_annual if own else scenario.org.pay_growth_annual
            growth_field = f"org.units[{u}].pay_growth_annual" if own else "org.pay_growth_annual"
            layers = unit.resolved_layers
            for j, layer in enumerate(layers):
                name = payroll_line(unit.name, layer.name)
                if name not in paid:
                    continue
                field = f"org.units[{u}].layers[{j}].cost_per_head_annual"
                roles = unit.roles if unit.roles and j == len(layers) - 1 else ()
                costs = [(layer.name, layer.cost_per_head_annual, field)]
                if roles:  # the ICs by role, each at its own cost (default: the IC layer's)
                    costs = [
                        (f"{layer.name}: {role.name}", layer.cost_per_head_annual, field)
                        if role.cost_per_head_annual is None
                        else (
                            f"{layer.name}: {role.name}",
                            role.cost_per_head_annual,
                            f"org.units[{u}].roles[{k}].cost_per_head_annual",
                        )
                        for k, role in enumerate(roles)
                    ]
                years = paid[name].reshape(months, -1)
                parts = tuple(
                    PayPart(label, _mean(cost), path, years[:, k])
                    for k, (label, cost, path) in enumerate(costs)
                )
                why_not = _why_not([cost for _, cost, _ in costs], growth)
                lines.append(
                    PayrollLine(
                        title=f"{side}{name}",
                        side=side,
                        unit=unit.name,
                        layer=layer.name,
                        parts=parts,
                        growth=_mean(growth),
                        growth_field=growth_field,
                        protection=_protection(money[name], parts, growth, months, offset)
                        if why_not is None
                        else np.zeros(months),
                        why_not=why_not,
                    )
                )
    return lines


def _protection(
    money: np.ndarray, parts: tuple[PayPart, ...], growth: Any, months: int, offset: int
) -> np.ndarray:
    """What a line's working pay holds beyond its people at their costs, at
    valuation-month prices: the protected pay of people moved down into the layer."""
    factors = growth_factors(months, offset, _mean(growth))
    protection = money / factors - sum(part.paid_years * part.cost for part in parts)
    noise = PROTECTION_FLOOR * max(float(np.abs(money).max()), 1.0)
    if np.abs(protection).max() <= noise:
        return np.zeros(months)  # float noise, not pay
    # a month with none is $0, not float noise that prints as '-$0'
    return np.where(np.abs(protection) <= noise, 0.0, protection)


def _mean(value: Any) -> float:
    return float(value.mean if isinstance(value, Distribution) else value)


def _why_not(costs: list[Any], growth: Any) -> str | None:
    """Why a line's payroll is not people x cost x growth for the replications' mean."""
    if any(isinstance(cost, Distribution) for cost in costs):
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
    currency: str,
) -> dict[str, str]:
    """Both sheets; the cash-flow formula of each live line, by its column title (a
    template of the cash-flow row's ``{row}`` and period cell ``{period}``)."""
    columns = tuple((key, title.format(currency=currency), w) for key, title, w in DRIVER_COLUMNS)
    sheet_head(drivers, columns, 1, styles)
    print_setup(drivers, landscape=True)

    people.write_row(0, 0, ["Month"], styles["head"])
    people.set_column(0, 0, 10)
    people.freeze_panes(1, 1)
    print_setup(people, landscape=True, wide=True)
    people.repeat_rows(0)
    people.repeat_columns(0, 0)
    for i, month in enumerate(months, start=1):
        people.write(i, 0, month)

    formulas = {}
    col, row = 1, 1
    people_titles: list[str] = []
    for line in lines:
        sources = {} if line.why_not else assumption_rows  # a drawn input: its mean
        how = line.why_not or AS_FORMULA
        if line.protection.any():
            how += " + pay protection (amounts)"
        terms, growth = [], ""
        heading = cash_heading(line.title, currency)
        for part in line.parts:  # a row a part: the layer, or each of its roles
            drivers.write(row, 0, heading, styles["wrap_clear"])
            drivers.write(row, 1, line.unit)
            drivers.write(row, 2, part.name)
            cost = _input_cell(
                drivers, row, 3, part.cost, part.cost_field, sources, styles["money"]
            )
            growth_cell = _input_cell(
                drivers, row, 4, line.growth, line.growth_field, sources, styles["percent"]
            )
            growth = growth or growth_cell  # the formula reads the line's first
            # kept clear of the growth rate beside it; its row tall enough for the longer
            # of the heading and the note where they wrap
            drivers.write(row, 5, how, styles["wrap_clear"])
            wrapped = max(
                text_lines(heading, DRIVER_COLUMNS[0][2] - INDENT_WIDTH),
                text_lines(how, DRIVER_COLUMNS[5][2] - INDENT_WIDTH),
            )
            drivers.set_row(row, LINE_POINTS * wrapped)
            row += 1
            name = cash_line_name(line.title)
            title = name if len(line.parts) == 1 else f"{name} ({part.name})"
            people_titles.append(f"{title}: person-years paid")
            _people_column(people, col, people_titles[-1], part.paid_years, styles)
            terms.append(f"'{PEOPLE_SHEET}'!${column_name(col)}{{row}}*{cost}")
            col += 1
        if line.protection.any():
            name = cash_line_name(line.title)
            head = f"{name}: pay protection ({currency}, valuation-date prices)"
            people_titles.append(head)
            _people_column(people, col, head, line.protection, styles, money=True)
            terms.append(f"'{PEOPLE_SHEET}'!${column_name(col)}{{row}}")
            col += 1
        if line.why_not is None:
            sign = "-" if line.side == SCENARIO_COLUMN else ""
            formulas[line.title] = f"={sign}({'+'.join(terms)})*(1+{growth})^(({{period}}-1)/12)"
    people.set_row(0, header_height((title, PEOPLE_WIDTH) for title in people_titles))
    return formulas


def _people_column(
    sheet: Any, col: int, head: str, values: np.ndarray, styles: dict, money: bool = False
) -> None:
    sheet.write(0, col, head, styles["head"])
    sheet.set_column(col, col, PEOPLE_WIDTH)
    style = styles["money" if money else "people_years"]
    for i, value in enumerate(values, start=1):
        sheet.write_number(i, col, float(value), style)


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
