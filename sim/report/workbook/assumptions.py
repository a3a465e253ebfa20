"""The Assumptions sheet: every input of the scenario, named as a reader would, in its unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

from sim.report.text import uncertain_quantity
from sim.report.workbook.cells import (
    LINE_POINTS,
    TOP_STYLES,
    header_height,
    print_setup,
    text_lines,
)
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
    # tall enough for its longest title: "Mean (of a distribution)" overprinted row 2
    sheet.set_row(0, header_height(zip(ASSUMPTION_HEADER, widths, strict=True)))
    # its rows wrap: every cell at the top of its row
    styles = {**styles, **{name: styles[f"{name}_top"] for name in TOP_STYLES}}
    currency = scenario.meta.currency
    for i, (field, meaning, value) in enumerate(_leaves(scenario, "", ""), start=1):
        name = field_label(scenario, field)
        sheet.write(i, 0, name, styles["wrap"])
        sheet.write(i, 1, meaning, styles["wrap"])
        style = _value_style(field, styles, field in live)
        value_lines = _assumption_value(sheet, i, field, value, styles, style, currency, widths)
        # kept clear of the mean beside it ('12.167%org.attrition_annual' ran together)
        sheet.write(i, 4, field, styles["note_clear"])
        # tall enough for its wrapped cells: they overprinted the next row in print
        lines = max(text_lines(name, widths[0]), text_lines(meaning, widths[1]), value_lines)
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


def _assumption_value(
    sheet: Any,
    row: int,
    field: str,
    value: Any,
    styles: dict,
    number: Any,
    currency: str,
    widths: tuple[float, ...],
) -> int:
    """The value (and a distribution's mean) in its row; the lines it wraps to."""
    if isinstance(value, Distribution):  # in words, as the report writes it: not 'pert(...)'
        text = uncertain_quantity(value.kind, value.params, unit_of(field), currency)
        sheet.write(row, 2, text, styles["wrap"])
        sheet.write_number(row, 3, value.mean, number)
        return text_lines(text, widths[2])
    if isinstance(value, bool) or value is None:
        sheet.write(row, 2, "" if value is None else str(value).lower(), styles["right"])
    elif isinstance(value, int | float):
        sheet.write_number(row, 2, float(value), number)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, 2, dt.datetime.combine(value, dt.time()), styles["date"])
    else:
        numbers = isinstance(value, tuple) and all(isinstance(v, int | float) for v in value)
        text = (
            ", ".join(f"{v:g}" if numbers else str(v) for v in value)
            if isinstance(value, tuple)
            else str(value)
        )
        if not _is_long_text(text):
            sheet.write(row, 2, text, styles["right"])
            return 1
        # a description, a list of units: wrapped across Value and Mean, which a text
        # has none of (in Value alone it ran over the Meaning beside it, or wrapped
        # into a column 20 lines tall)
        sheet.merge_range(row, 2, row, 3, text, styles["wrap"])
        return text_lines(text, widths[2] + widths[3])
    return 1


def _is_long_text(text: str) -> bool:
    """A text too long for the Value column on one line."""
    return len(text) > VALUE_CHARS
