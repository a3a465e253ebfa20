"""workbook.xlsx as it prints (issue 26): nothing runs into the cell beside it.

Every page of the e-commerce workbook was printed through LibreOffice and looked at.
Headers that filled their column ran into the next ("roles hiring costsredeployment"),
a long cash-flow name ran over its unit and a role's name was cut off ("IC: Programme
manageme"), a list of units ran back over its meaning, a distribution's mean ran into
its field ("12.167%org.attrition_annual"), the Assumptions header's "Mean (of a
distribution)" overprinted the first row and a description wrapped into a column 20
lines tall, "pert(0.1, 0.12, 0.15)" stood for a range, float noise in pay protection
printed as "-$0", and the Headcount by role sheet printed as 13 portrait pages with no
page footer and no months repeated. These tests read the saved workbook for each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import SHIPPED
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sim.cli import main
from sim.report.text import uncertain_quantity
from sim.report.workbook.cells import LINE_POINTS, NOTE_GAP_POINTS, text_lines
from sim.report.workbook.replications import ROLES_SHEET
from sim.scenario.labels import unit_of
from sim.scenario.load import load_scenario

ECOMMERCE = next(p for p in SHIPPED if p.name == "ecommerce-2026.yaml")
#: characters of ordinary text a column holds per unit of width (a unit is a digit's
#: width; the average letter of the sheets' font is narrower: 1.1 is text_lines' own)
CHARS_PER_WIDTH = 1.15
#: a spreadsheet's default column width
DEFAULT_WIDTH = 8.43


@pytest.fixture(scope="module")
def book_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The e-commerce case's workbook: long unit, layer and role names, roles, pay
    protection, distributions and lists among its inputs (money only: the work flow
    does not reach the workbook's print)."""
    out = tmp_path_factory.mktemp("print") / "run"
    result = CliRunner().invoke(
        main,
        ["run", str(ECOMMERCE), "-o", str(out), "-n", "2", "--no-flow", "--no-charts", "-q"],
    )
    assert result.exit_code == 0, result.output
    return out / "workbook.xlsx"


@pytest.fixture(scope="module")
def book(book_file: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(book_file)


def _widths(sheet: Worksheet) -> dict[int, float]:
    widths: dict[int, float] = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width:
            for col in range(dimension.min or 1, (dimension.max or dimension.min or 1) + 1):
                widths[col] = dimension.width
    return widths


def _merged(sheet: Worksheet) -> set[tuple[int, int]]:
    return {
        (row, col)
        for span in sheet.merged_cells.ranges
        for row in range(span.min_row, span.max_row + 1)
        for col in range(span.min_col, span.max_col + 1)
    }


def _spills_into(cell: Cell) -> int:
    """The column a text overflowing ``cell`` runs into: right of a left-aligned text,
    left of a right-aligned one."""
    return cell.column - 1 if cell.alignment.horizontal == "right" else cell.column + 1


def overruns(sheet: Worksheet) -> list[str]:
    """Each text cell (not wrapped, not merged) longer than its column where the cell it
    would run into holds something: it overprints it, or a spreadsheet cuts it off."""
    widths, merged = _widths(sheet), _merged(sheet)
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            text = cell.value
            if not isinstance(text, str) or text.startswith("=") or cell.alignment.wrap_text:
                continue
            if (cell.row, cell.column) in merged:
                continue
            room = widths.get(cell.column, DEFAULT_WIDTH) * CHARS_PER_WIDTH
            if len(text) <= room:
                continue
            neighbour = _spills_into(cell)
            if neighbour >= 1 and sheet.cell(cell.row, neighbour).value not in (None, ""):
                found.append(
                    f"{cell.coordinate} {text!r} ({len(text)} characters, room {room:.0f})"
                )
    return found


def test_no_text_runs_into_the_cell_beside_it(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        assert overruns(sheet) == [], sheet.title


def test_the_check_finds_a_text_that_runs_over_its_neighbour() -> None:
    """The rule catches what the print showed: a role's name cut off by the next column."""
    sheet = openpyxl.Workbook().active
    sheet.column_dimensions["A"].width = 20
    sheet["A1"], sheet["B1"] = "IC: Programme management and delivery", 185_000
    assert overruns(sheet) == [
        "A1 'IC: Programme management and delivery' (37 characters, room 23)"
    ]
    sheet["A2"] = "IC: Data"
    sheet["A3"], sheet["B3"] = "IC: Programme management and delivery", None  # room to spill
    assert len(overruns(sheet)) == 1


def test_every_header_is_indented_from_the_column_before(book: openpyxl.Workbook) -> None:
    """A header that fills its column ran into the next one's: each is set in from its
    column's left edge, as left-aligned text (an indent without it is ignored)."""
    for sheet in book.worksheets:
        if sheet.title == "Summary":  # a form, not a table: its heads are its own
            continue
        for cell in sheet[1]:
            if isinstance(cell.value, str) and cell.font.bold:
                assert cell.alignment.horizontal == "left", (sheet.title, cell.coordinate)
                assert cell.alignment.indent >= 1, (sheet.title, cell.coordinate)


#: columns of text beside a right-aligned figure ("2025-10-28Manager", "0.0%formula"),
#: by sheet and header: each text is set in from the figure before it
BESIDE_FIGURES = {
    "Cuts and removals": ("Moved to",),
    "Payroll drivers": ("Computed as",),
    "Assumptions": ("Field",),
}


def test_text_beside_a_figure_is_kept_clear_of_it(book: openpyxl.Workbook) -> None:
    for name, heads in BESIDE_FIGURES.items():
        sheet = book[name]
        titles = [c.value for c in sheet[1]]
        for head in heads:
            col = titles.index(head) + 1
            cells = [sheet.cell(r, col) for r in range(2, sheet.max_row + 1)]
            written = [c for c in cells if isinstance(c.value, str) and c.value]
            assert written, (name, head)
            assert all(c.alignment.indent >= 1 for c in written), (name, head)
    lines = [c for c in book["Cuts and removals"]["A"][1:] if isinstance(c.value, int)]
    assert lines and all(c.alignment.horizontal == "center" for c in lines)  # '1Retail'


def test_every_header_row_is_tall_enough_for_its_titles(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        if sheet.title == "Summary":
            continue
        widths = _widths(sheet)
        height = sheet.row_dimensions[1].height or LINE_POINTS
        for cell in sheet[1]:
            if isinstance(cell.value, str):
                lines = text_lines(cell.value, widths.get(cell.column, DEFAULT_WIDTH) - 2)
                assert height >= LINE_POINTS * lines, (sheet.title, cell.value, height)


def test_the_assumptions_write_a_distribution_in_words_and_wrap_long_text(
    book: openpyxl.Workbook,
) -> None:
    scenario = load_scenario(ECOMMERCE)
    sheet = book["Assumptions"]
    rows = {row[4].value: row for row in sheet.iter_rows(min_row=2)}
    attrition = scenario.org.attrition_annual
    value = rows["org.attrition_annual"][2].value
    assert value == uncertain_quantity(
        attrition.kind, attrition.params, unit_of("org.attrition_annual"), "USD"
    )
    assert "pert(" not in value and "most likely" in value
    assert rows["org.attrition_annual"][3].value == pytest.approx(attrition.mean)
    merged = {str(span) for span in sheet.merged_cells.ranges}
    description = rows["meta.description"][2]
    assert f"C{description.row}:D{description.row}" in merged
    lines = text_lines(str(description.value), 36)
    assert sheet.row_dimensions[description.row].height == LINE_POINTS * lines
    assert not any(str(v.value).startswith(("pert(", "triangular(")) for v in sheet["C"])


def test_pay_protection_is_zero_where_there_is_none_not_float_noise(
    book: openpyxl.Workbook,
) -> None:
    """The residual beside each protected line's people is $0 in a month without
    protection: it was 2e-7, printed as '-$0' in red."""
    sheet = book["Paid people by month"]
    columns = [c.column for c in sheet[1] if c.value and "pay protection" in c.value]
    assert columns  # the e-commerce case moves managers down with their pay protected
    for col in columns:
        values = [sheet.cell(r, col).value for r in range(2, sheet.max_row + 1)]
        noise = [v for v in values if isinstance(v, float) and 0 < abs(v) < 0.5]
        assert noise == [], get_column_letter(col)
        assert any(v == 0 for v in values) and any(abs(v or 0) >= 0.5 for v in values)


def test_the_headcount_by_role_sheet_prints_as_the_other_wide_sheets(
    book: openpyxl.Workbook,
) -> None:
    sheet = book[ROLES_SHEET]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$A"
    # one page tall, so that the note under the months does not spill onto a page alone
    setup = sheet.page_setup  # fit to one page tall (1, the default, is left unwritten)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth == 0 and setup.fitToHeight in (None, 1)
    assert "Page &P of &N" in sheet.oddFooter.right.text
    # its note wraps clear of the months column every page repeats: from it, the note
    # was cut at the first page's edge and its first words printed on every later page
    notes = [c for c in sheet["A"] if isinstance(c.value, str) and c.value.startswith("ICs")]
    assert notes == []
    note = next(c for row in sheet.iter_rows() for c in row if str(c.value).startswith("ICs by"))
    assert note.alignment.wrap_text and any(
        note.coordinate in span for span in sheet.merged_cells.ranges
    )


def test_people_print_whole(book: openpyxl.Workbook) -> None:
    """The audit read fractional people in the cuts sheet (a mean over replications,
    '982.375'): every count of people shows whole, whatever the mean it holds."""
    cuts = book["Cuts and removals"]
    titles = [c.value for c in cuts[1]]
    for head in ("People cut", "People moved down"):
        col = titles.index(head) + 1
        cells = [cuts.cell(r, col) for r in range(2, cuts.max_row + 1)]
        numbers = [c for c in cells if isinstance(c.value, int | float)]
        assert numbers and all(c.number_format == "#,##0" for c in numbers), head
        assert any(c.value != round(c.value) for c in numbers)  # means: shown whole
    roles = book[ROLES_SHEET]
    assert all(c.number_format == "#,##0" for c in roles[2][1:] if c.value is not None)


def test_the_replications_columns_are_named_in_words(book: openpyxl.Workbook) -> None:
    """The sheet was headed by field paths and headline names ('npv',
    'org.units[0].layers[3].cost_per_head_annual') over raw floats that ran into each
    other in print ('0.11949535397498 0.35292517760528'): each column reads in words,
    replications.csv's name in its comment, its figures in their unit."""
    sheet = book["Replications"]
    heads = [c for c in sheet[1] if c.value and c.column > 1]
    named = [c for c in heads if c.value != "Probability over the replications"]
    assert named
    for cell in named:
        assert not any(mark in cell.value for mark in ("[", "_", "org.", "ai.")), cell.value
        assert cell.comment is not None and cell.comment.text.startswith("replications.csv: ")
    by_name = {c.comment.text.split(": ", 1)[1].strip(): c for c in named}
    assert by_name["npv"].value == "NPV"
    for name, shown in (("npv", "$"), ("org.attrition_annual", "%"), ("roles_cut", "#,##0")):
        assert shown in sheet.cell(2, by_name[name].column).number_format, name
    figures = [c for row in sheet.iter_rows(min_row=2, max_col=len(named) + 1) for c in row]
    assert all(c.number_format != "General" for c in figures if isinstance(c.value, float))


def test_the_cash_flow_and_payroll_sheets_are_headed_in_words_with_units(
    book: openpyxl.Workbook,
) -> None:
    """The audit: 'scenario: payroll Retail corporate / SVP' headed a column of dollars;
    now 'Plan: Retail corporate / SVP payroll (USD)', with cashflows.csv's name on hover,
    and the Payroll drivers and Paid people sheets name each line the same way."""
    flows, drivers = book["Monthly cash flows"], book["Payroll drivers"]
    people = book["Paid people by month"]
    headings = [c.value for c in flows[1]]
    raw = ("scenario: ", "baseline: ")
    lines = [c for c in flows[1] if c.comment is not None]
    assert len(lines) > 80  # every cost line of both sides
    for cell in lines:
        name = cell.comment.text.removeprefix("cashflows.csv: ")
        assert name.startswith((*raw, "value of")), name
        assert cell.value.endswith(" (USD)") and not cell.value.startswith(raw), cell.value
    assert "Plan: Retail corporate / SVP payroll (USD)" in headings
    assert "Status quo: notice pay (USD)" in headings
    assert "Net cash flow (USD)" in headings and "Cumulative present value (USD)" in headings
    titles = [c.value for c in drivers[1]]
    assert "Cost per head (USD a year)" in titles and "Pay growth (% a year)" in titles
    shown = {row[0] for row in drivers.iter_rows(min_row=2, values_only=True) if row[0]}
    assert shown and shown <= set(headings)
    for cell in people[1][1:]:
        assert not cell.value.startswith(raw), cell.value
        assert cell.value.endswith(("person-years paid", "valuation-date prices)")), cell.value


def test_the_notice_pay_notes_stand_apart_row_from_row(book: openpyxl.Workbook) -> None:
    """The audit: each notice month's two-line note filled its row to the edge, so the
    column read as one run-on text; a wrapped note has room above it."""
    for name in ("Notice pay by month", "Cuts and removals"):
        sheet = book[name]
        titles = [c.value for c in sheet[1]]
        col = titles.index("How the money is computed") + 1
        width = _widths(sheet)[col] - 2  # its style's indent
        wrapped = 0
        for r in range(2, sheet.max_row + 1):
            note = sheet.cell(r, col).value
            if not isinstance(note, str) or text_lines(note, width) < 2:
                continue
            wrapped += 1
            height = sheet.row_dimensions[r].height
            assert height >= LINE_POINTS * text_lines(note, width) + NOTE_GAP_POINTS, (name, r)
        assert wrapped, name  # the e-commerce case's notes wrap


#: unset fields of the e-commerce case and the field whose value each inherits
INHERITED = {
    "org.units[0].attrition_annual": "org.attrition_annual",
    "org.units[0].layers[0].attrition_annual": "org.units[0].attrition_annual",
    "org.units[0].pay_growth_annual": "org.pay_growth_annual",
    "org.units[0].roles[0].work_share": "org.units[0].roles[0].share",
    "org.units[0].roles[0].attrition_annual": "org.units[0].layers[6].attrition_annual",
    "restructuring.waves[0].notice_weeks": "restructuring.notice_weeks",
    "restructuring.waves[0].remove_layers[0].pay_protection_months": (
        "restructuring.pay_protection_months"
    ),
    "ai.new_roles[1].cost_per_hire": "org.backfill.cost_per_hire",
}


def test_an_inherited_assumption_shows_the_value_it_takes_marked_inherited(
    book: openpyxl.Workbook, book_file: Path
) -> None:
    """The audit: a value the scenario inherits (a layer's attrition, its unit's, the
    organisation's; a wave's notice period, the plan's) printed blank. It shows the
    value it takes, a formula reading the row it inherits from, saved with its value,
    and says where it comes from."""
    scenario = load_scenario(ECOMMERCE)
    assert scenario.org.units[0].layers[0].attrition_annual is None  # unset, as tested
    assert scenario.restructuring.waves[0].notice_weeks is None
    values = openpyxl.load_workbook(book_file, data_only=True)["Assumptions"]
    rows = {row[4].value: row for row in book["Assumptions"].iter_rows(min_row=2)}
    saved = {row[4].value: row for row in values.iter_rows(min_row=2)}
    for field, parent in INHERITED.items():
        value, mean = rows[field][2].value, rows[field][3].value
        assert value == f"=C{rows[parent][2].row}", (field, value)
        assert rows[field][1].value.startswith("Not set here: inherits "), field
        assert saved[field][2].value == saved[parent][2].value not in (None, ""), field
        if mean is not None:  # a distribution: its mean too
            assert mean == f"=D{rows[parent][2].row}"
            assert saved[field][3].value == pytest.approx(saved[parent][3].value)
    notice = scenario.restructuring.notice_weeks
    assert saved["restructuring.waves[0].notice_weeks"][2].value == pytest.approx(notice)
    # a group of terms (a wave's severance: the plan's) and a default of the run
    assert rows["restructuring.waves[0].severance"][2].value == "as the plan's"
    assert rows["finance.valuation_date"][2].value == "=ValuationDate"
    assert saved["finance.valuation_date"][2].value == dt.datetime(2025, 10, 28)


def test_a_notice_months_note_names_only_what_moves_notice_pay(book: openpyxl.Workbook) -> None:
    """Red pen: every notice month of the e-commerce case read 'mean of replications
    (severance weeks, people redeployed from notice vary)': severance weeks move the
    severance, not the notice pay beside the note."""
    sheet = book["Notice pay by month"]
    titles = [c.value for c in sheet[1]]
    col = titles.index("How the money is computed") + 1
    notes = [sheet.cell(r, col).value for r in range(2, sheet.max_row + 1)]
    means = [n for n in notes if isinstance(n, str) and n.startswith("mean of replications")]
    assert means  # its redeployment varies: its notice months are means
    assert not [n for n in means if "severance" in n]
    assert all("people redeployed from notice" in n for n in means)
