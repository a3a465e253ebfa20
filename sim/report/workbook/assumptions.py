"""The Assumptions sheet: every input of the scenario, named as a reader would, in its unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

from sim.report.workbook.cells import LINE_POINTS, TOP_STYLES, print_setup, text_lines
from sim.scenario.distributions import Distribution
from sim.scenario.labels import Measure, unit_of
from sim.scenario.labels import label as field_label
from sim.scenario.schema import Scenario

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


def assumption_rows(scenario: Scenario) -> dict[str, int]:
    """Each field path's row on the Assumptions sheet (0-based), for formulas to read."""
    return {field: i for i, (field, _, _) in enumerate(_leaves(scenario, "", ""), start=1)}


def write_assumptions_sheet(
    sheet: Any, scenario: Scenario, styles: dict, live: Collection[str] = ()
) -> None:
    """Every input in a row; those a formula reads (``live``) in yellow input cells."""
    widths = (44, 56, 18, 18, 44)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    print_setup(sheet, landscape=True)
    sheet.repeat_rows(0)
    sheet.freeze_panes(1, 1)
    sheet.write_row(0, 0, ASSUMPTION_HEADER, styles["head"])
    # its rows wrap: every cell at the top of its row
    styles = {**styles, **{name: styles[f"{name}_top"] for name in TOP_STYLES}}
    for i, (field, meaning, value) in enumerate(_leaves(scenario, "", ""), start=1):
        name = field_label(scenario, field)
        sheet.write(i, 0, name, styles["wrap"])
        sheet.write(i, 1, meaning, styles["wrap"])
        style = _value_style(field, styles, field in live)
        _assumption_value(sheet, i, value, styles, style)
        sheet.write(i, 4, field, styles["note"])
        # tall enough for its wrapped cells: they overprinted the next row in print
        text = str(value) if not isinstance(value, int | float) else ""
        lines = max(
            text_lines(name, widths[0]),
            text_lines(meaning, widths[1]),
            text_lines(text, widths[2]),
        )
        if lines > 1:
            sheet.set_row(i, LINE_POINTS * lines)


def _value_style(field: str, styles: dict, live: bool = False) -> Any:
    """A number in its unit: a rate or a share as a percentage, money in the currency,
    an identifier (the seed) without a thousands separator; a yellow input cell where a
    formula reads it."""
    unit = unit_of(field)
    name = field.rsplit(".", 1)[-1]
    if name in _PLAIN_FIELDS:
        kind = "plain"
    elif unit.measure is Measure.MONEY:
        kind = "money"
    elif unit.measure is Measure.PERCENT or name.endswith(("_share", "_rate_annual")):
        kind = "percent"
    else:
        kind = "number"
    return styles[f"input_{kind}" if live and kind != "plain" else kind]


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
