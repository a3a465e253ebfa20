"""The Assumptions sheet: every input of the scenario, named as a reader would, in its unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

from sim.finance.valuation import valuation
from sim.report.text import uncertain_quantity
from sim.report.workbook.cells import (
    LINE_POINTS,
    TOP_STYLES,
    date_serial,
    header_height,
    print_setup,
    text_lines,
)
from sim.report.workbook.inherited import DEFAULTS, parent_of
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
    leaves = _leaves(scenario, "", "")
    rows = {field: (i, value) for i, (field, _, value) in enumerate(leaves, start=1)}
    for i, (field, meaning, value) in enumerate(leaves, start=1):
        name = field_label(scenario, field)
        sheet.write(i, 0, name, styles["wrap"])
        style = _value_style(field, styles, field in live)
        parent = parent_of(scenario, field, rows) if value is None else None
        if value is None and (parent is not None or field in DEFAULTS):
            # unset, it inherits: the value it takes, live, and where from (it was blank)
            meaning = f"{_inherited_words(scenario, field, parent)} {meaning}"
            value_lines = _inherited_value(sheet, i, field, parent, rows, styles, widths, scenario)
        else:
            value_lines = _assumption_value(sheet, i, field, value, styles, style, currency, widths)
        sheet.write(i, 1, meaning, styles["wrap"])
        # kept clear of the mean beside it ('12.167%org.attrition_annual' ran together)
        sheet.write(i, 4, field, styles["note_clear"])
        # tall enough for its wrapped cells: they overprinted the next row in print
        lines = max(text_lines(name, widths[0]), text_lines(meaning, widths[1]), value_lines)
        if lines > 1:
            sheet.set_row(i, LINE_POINTS * lines)


def _inherited_words(scenario: Scenario, field: str, parent: str | None) -> str:
    if parent is None:
        return f"Not set: by default {DEFAULTS[field]} (the Summary's valuation date)."
    return f"Not set here: inherits {field_label(scenario, parent)}."


def _resolved(field: str, rows: dict[str, tuple[int, Any]], scenario: Scenario) -> Any:
    """The value an unset field takes: its parent's, or its parent's parent's..."""
    value = rows[field][1]
    while value is None and (parent := parent_of(scenario, field, rows)) in rows:
        field, value = parent, rows[parent][1]
    return value


def _inherited_value(
    sheet: Any,
    row: int,
    field: str,
    parent: str | None,
    rows: dict[str, tuple[int, Any]],
    styles: dict,
    widths: tuple[float, ...],
    scenario: Scenario,
) -> int:
    """An unset field's Value (and Mean) as a formula reading its parent's cells, saved
    with the value they hold; a group of fields (the plan's severance terms) named; the
    valuation date read from the Summary. The lines it wraps to."""
    if parent is None:  # a default that is a figure of the run
        date = date_serial(valuation(scenario).date)  # saved with it: a viewer shows it
        sheet.write_formula(row, 2, "=ValuationDate", styles["date"], date)
        return 1
    if parent not in rows:  # a group of fields: the rows of its parts say it
        whose = "the organisation's" if parent.startswith("org.") else "the plan's"
        sheet.write(row, 2, f"as {whose}", styles["right"])
        return 1
    source = rows[parent][0] + 1  # its 1-based row
    value = _resolved(parent, rows, scenario)
    if isinstance(value, Distribution):
        text = uncertain_quantity(value.kind, value.params, unit_of(field), scenario.meta.currency)
        sheet.write_formula(row, 2, f"=C{source}", styles["wrap"], text)
        sheet.write_formula(row, 3, f"=D{source}", _value_style(field, styles), value.mean)
        return text_lines(text, widths[2])
    if isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_formula(row, 2, f"=C{source}", _value_style(field, styles), float(value))
        return 1
    sheet.write_formula(row, 2, f"=C{source}", styles["right"], str(value))
    return 1


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
