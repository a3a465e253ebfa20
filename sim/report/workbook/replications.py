"""The Replications sheet (with the probability of a target as live formulas over it) and,
in a run with roles, the Headcount by role sheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.report.tables import replication_table
from sim.runs import series
from sim.runs.headlines import BY_NAME
from sim.runs.series import Family
from sim.scenario.labels import Measure, unit_of
from sim.scenario.labels import label as field_label

if TYPE_CHECKING:  # the workbook reads plain results; it needs nothing of the engine
    from sim.runs.montecarlo import Results
    from sim.runs.summary import RunSummary
from sim.report.workbook.cells import (
    KIND_STYLES,
    LINE_POINTS,
    column_name,
    header_height,
    print_setup,
    text_lines,
)

#: the sheet of a run with roles (its series: sim.runs.series.Family.ROLE_HEADCOUNT)
ROLES_SHEET = "Headcount by role"
#: the width of a role's column on that sheet, and of a replications column
ROLE_WIDTH = 16
REPLICATION_WIDTH = 16
#: the width of the probabilities' labels beside the replications
PROBABILITY_WIDTH = 36
#: the role columns the Headcount by role sheet's note spans (one printed page's)
NOTE_COLUMNS = 6


def write_roles_sheet(sheet: Any, results: Results, roles: list[str], styles: dict) -> None:
    """People in each role (all units) a month, plan and status quo (P50), then by unit."""
    by_unit = sorted(
        (u, role)
        for (u, m) in results.series
        if u != "all" and (role := series.item_of(m, Family.ROLE_HEADCOUNT)) is not None
    )
    header = ["Month"]
    columns = []
    for unit, role in [("all", r) for r in roles] + by_unit:
        where = "all units" if unit == "all" else unit
        for twin, side in ((False, "plan"), (True, "status quo")):
            key = (unit, series.metric(Family.ROLE_HEADCOUNT, role, twin))
            if key in results.series:
                header.append(f"{role}, {where}: {side} (P50)")
                columns.append(np.nanpercentile(results.stacked(key), 50, axis=0))
    sheet.write_row(0, 0, header, styles["head"])
    # tall enough for its longest title (four lines were cut to three in print)
    sheet.set_row(0, header_height((title, ROLE_WIDTH) for title in header))
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, len(header), ROLE_WIDTH)
    sheet.freeze_panes(1, 1)
    # as the other wide sheets print: landscape, across pages with the months repeated
    # and a footer (it printed as 13 portrait pages without either)
    print_setup(sheet, landscape=True, wide=True)
    sheet.fit_to_pages(0, 1)  # its months and note one page tall: the note spilled alone
    sheet.repeat_rows(0)
    sheet.repeat_columns(0, 0)
    for i, month in enumerate(results.months, start=1):
        sheet.write_string(i, 0, month)
        for j, values in enumerate(columns, start=1):
            sheet.write_number(i, j, float(values[i - 1]), styles["count"])
    note = (
        "ICs by role (P50 of the replications). Where a role's AI exposure comes from its SOC "
        "code, the score is an AI applicability score (Tomlinson et al. 2025): where AI is "
        "applicable to the work, not a measure of replacement."
    )
    # wrapped across the first page's figure columns, clear of the months column every
    # page repeats (from it, the note was cut at the page's edge and its first words
    # printed on every later page)
    row, last = len(results.months) + 2, min(NOTE_COLUMNS, len(header) - 1)
    if last > 1:
        sheet.merge_range(row, 1, row, last, note, styles["note_wrap"])
    else:
        sheet.write(row, 1, note, styles["note_wrap"])
    sheet.set_row(row, LINE_POINTS * text_lines(note, ROLE_WIDTH * max(last, 1)))


def write_replications_sheet(
    sheet: Any, results: Results, styles: dict, summary: RunSummary
) -> None:
    header, rows = replication_table(results)
    titles = [_replication_title(name, results) for name in header]
    sheet.write_row(0, 0, titles, styles["head"])
    for j, name in enumerate(header[1:], start=1):  # replications.csv's name, on hover
        sheet.write_comment(0, j, f"replications.csv: {name}")
    sheet.set_row(0, header_height((title, REPLICATION_WIDTH) for title in titles))
    sheet.set_column(0, len(header), REPLICATION_WIDTH)
    print_setup(sheet, landscape=True, wide=True)
    sheet.repeat_rows(0)
    sheet.freeze_panes(1, 1)
    # each column in its unit: the raw floats ran into each other in print
    formats = [styles["plain"], *(styles[_replication_style(name)] for name in header[1:])]
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value == "":
                continue
            sheet.write_number(i, j, float(value), formats[j])
    _probability_cells(sheet, header, len(results.headlines), styles, summary)


def _replication_title(name: str, results: Results) -> str:
    """A column's title in words (the sheet showed field paths and headline names:
    'npv', 'org.attrition_annual'); replications.csv's name is the title's comment."""
    if name == "replication":
        return "Replication"
    headline = BY_NAME.get(name)
    if headline is not None:
        return headline.label
    try:
        return field_label(results.scenario, name)
    except (KeyError, ValueError, IndexError, AttributeError):  # a draw with no field
        return name


#: the style of an input's column by the measure of its unit
MEASURE_STYLES = {Measure.MONEY: "money", Measure.PERCENT: "percent", Measure.COUNT: "count"}


def _replication_style(name: str) -> str:
    """The style a column's figures print in: a headline's by its kind, an input's by
    its unit (money in the currency, a share as a percentage)."""
    headline = BY_NAME.get(name)
    if headline is not None:
        return KIND_STYLES.get(headline.kind, "number")
    try:
        return MEASURE_STYLES.get(unit_of(name).measure, "number")
    except (KeyError, ValueError, IndexError):  # a draw with no field
        return "number"


def _probability_cells(
    sheet: Any, header: list[str], count: int, styles: dict, summary: RunSummary
) -> None:
    """Beside the replications, the probability of a target as live formulas over them:
    P(NPV > 0), and P(payback within the target, a cell the reader may change)."""
    found = summary.probabilities
    col = len(header) + 1

    def column(name: str) -> str:  # the replications' cells of one headline, rows 2 on
        letter = column_name(header.index(name))
        return f"${letter}$2:${letter}${count + 1}"

    npv, payback = column("npv"), column("payback_month")
    sheet.set_column(col, col, PROBABILITY_WIDTH)  # its title on the header row's one line
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
    target_cell = f"${column_name(col + 1)}$3"
    sheet.write_formula(
        3,
        col + 1,
        f'=IF(ISNUMBER({target_cell}),COUNTIF({payback},"<="&{target_cell})'
        f'/ROWS({payback}),"no target")',
        styles["rate"],
        found.payback_within_target if found and target is not None else "no target",
    )
    # across both columns, its row tall enough: in one cell its last line was cut off
    note = (
        "Shares of the replications; a payback not within the horizon is a blank cell, never "
        "within the target"
    )
    sheet.merge_range(4, col, 4, col + 1, note, styles["note_wrap"])
    sheet.set_row(4, LINE_POINTS * text_lines(note, PROBABILITY_WIDTH + REPLICATION_WIDTH))
