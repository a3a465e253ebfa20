"""workbook.xlsx is audited in a spreadsheet, not in Python.

Its NPV, payback and one-time costs are live formulas over the monthly cash-flow
cells, saved with the values they compute (DESIGN.md). So: the saved values
agree with summary.json; the cells really are formulas, in functions every
spreadsheet evaluates alike; and a real spreadsheet engine (LibreOffice,
headless), made to recalculate every formula from cells whose saved results
were wiped, gets the figures summary.json reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import GOOD, csv_titles
from openpyxl.utils.datetime import to_excel

from sim.finance import metrics
from sim.report.run import run_scenario
from sim.report.summaryfile import read_summary
from sim.report.workbook.cells import CELLS, NO_RATE, NOT_MEANINGFUL, NOT_MEANINGFUL_REASONS
from sim.scenario.load import parse_scenario

DATA = GOOD
#: payback in month 5 of the valuation frame; nothing to pay back; not within the horizon;
#: small-delayering valued past its horizon, with pay growth and April fiscal years; and
#: its wave so late that notice runs past the horizon, with an uncertain severance
CASES = {
    "small-delayering": 4,
    "no-change": 2,
    "never-pays-back": 2,
    "small-terminal": 3,
    "small-late-wave": 3,
    "small-drawn-cost": 2,
    "small-roles": 2,
    "small-redeploy": 2,
}
DERIVED = {
    # managers cut, a share of them redeployed from notice into open roles: less notice
    # pay and no severance for those (the cuts sheet holds the replications' mean)
    "small-redeploy": (
        "small-delayering",
        {
            "      one_time_costs: 500000\n": (
                "      one_time_costs: 500000\n"
                "      cuts:\n"
                "        - {unit: Operations, layer: Manager, count: 30}\n"
                "      redeployment: {share: 0.5, scope: any, retraining_cost_per_person: 5000,"
                " ramp_months: 2, ramp_productivity: 0.7}\n"
            )
        },
    ),
    # the ICs in two roles, one at its own cost: their payroll sums the roles' pay
    "small-roles": (
        "small-delayering",
        {
            "        - {name: IC, headcount: 840, cost_per_head_annual: 130000}\n": (
                "        - {name: IC, headcount: 840, cost_per_head_annual: 130000}\n"
                "      roles:\n"
                "        - {name: Claims, share: 0.6}\n"
                "        - {name: Analysis, share: 0.4, cost_per_head_annual: 150000}\n"
            )
        },
    ),
    # the ICs' cost per head drawn in each replication: their payroll is the mean
    "small-drawn-cost": (
        "small-delayering",
        {"cost_per_head_annual: 130000": "cost_per_head_annual: 'pert(120000, 130000, 150000)'"},
    ),
    "small-terminal": (
        "small-delayering",
        {
            "value_per_item: 500": "value_per_item: 500\n"
            "  terminal_value: {years: perpetuity, growth_annual: 0.02}\n"
            "  fiscal_year_start_month: 4",
            "hiring_freezes: []": "hiring_freezes: []\n  pay_growth_annual: 0.03",
        },
    ),
    "small-late-wave": (
        "small-delayering",
        {
            "date: 2026-03-01": "date: 2028-03-10",  # the horizon ends in March 2028
            "average_tenure_years: 4": "average_tenure_years: 'pert(2, 4, 7)'",
            "hiring_freezes: []": "hiring_freezes: []\n  pay_growth_annual: 0.03",
        },
    ),
}
NOT_WITHIN = "not within horizon"
SHEETS = [
    "Summary",
    "Monthly cash flows",
    "Fiscal years",
    "Cuts and removals",
    "Notice pay by month",
    "Payroll drivers",
    "Paid people by month",
    "Assumptions",
    "Replications",
]
#: the sheets whose every formula LibreOffice must recompute to the value saved with it
FORMULA_SHEETS = (
    "Monthly cash flows",
    "Cuts and removals",
    "Notice pay by month",
    "Payroll drivers",
)
#: the Summary's figures LibreOffice must recompute to summary.json's mean_cash_flow
MONEY = ("npv", "run_rate_savings_annual", "one_time_costs")
#: what the wiped cached results of formulas are replaced with: no figure of these runs,
#: and still a date (in 9998): the cuts sheets' dates are formulas too
POISON = 2_958_000


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("workbooks")
    return {name: _run(_text(name), base / name, count) for name, count in CASES.items()}


def _text(case: str, edits: dict[str, str] | None = None) -> str:
    """A case's scenario text (a derived case: its source's, edited), edited further."""
    source, derived = DERIVED.get(case, (case, {}))
    text = (DATA / f"{source}.yaml").read_text(encoding="utf-8")
    for old, new in {**derived, **(edits or {})}.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _run(text: str, target: Path, replications: int) -> Path:
    path = target.with_suffix(".yaml")
    path.write_text(text, encoding="utf-8")
    run_scenario(
        parse_scenario(text, path.name),
        path,
        target,
        replications=replications,
        workers=1,
        quiet=True,
        charts=False,
    )
    return target


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _expected(folder: Path) -> dict:
    """summary.json's mean cash flow, as the workbook should show it."""
    mean = _summary(folder)["mean_cash_flow"]

    def shown(value: object) -> object:
        return NOT_WITHIN if value is None else value

    return {
        **{name: mean[name] for name in MONEY},
        "payback_month": shown(mean["payback_month"]),
        "payback_date": shown(mean["payback_date"]),
        "discounted_payback_month": shown(mean["discounted_payback_month"]),
        "irr_annual": mean["irr_annual"],
        "irr_note": mean["irr_note"],
        "roi": mean["roi"],
        "terminal_value": mean["terminal_value"],
        "npv_with_terminal_value": mean["npv_with_terminal_value"],
    }


def _assert_summary_cells(sheet, folder: Path) -> None:
    """Every headline of summary.json's mean cash flow, in its Summary cell."""
    expected = _expected(folder)
    for name in MONEY:
        assert sheet[CELLS[name]].value == pytest.approx(expected[name], rel=1e-9, abs=1e-6), name
    for name in ("payback_month", "payback_date", "discounted_payback_month"):
        assert sheet[CELLS[name]].value == expected[name], name
    # the IRR where it reads as a rate; else what the tool says instead, one answer in
    # every output (a first-year payback's 1,400% a year is no figure)
    irr = sheet[CELLS["irr_annual"]].value
    if expected["irr_annual"] is not None:
        assert irr == pytest.approx(expected["irr_annual"], rel=1e-6)
    elif expected["irr_note"] in NOT_MEANINGFUL_REASONS:
        assert irr == NOT_MEANINGFUL
    else:
        assert irr == NO_RATE
    roi = sheet[CELLS["roi"]].value
    assert roi == ("none" if expected["roi"] is None else pytest.approx(expected["roi"], rel=1e-9))
    for name in ("terminal_value", "npv_with_terminal_value"):
        if expected[name] is None:
            assert sheet[CELLS[name]].value == "none", name
        else:
            assert sheet[CELLS[name]].value == pytest.approx(expected[name], rel=1e-9), name


# --- what XlsxWriter saved -----------------------------------------------------------


def test_the_workbook_opens_with_its_nine_sheets(runs: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(runs["small-delayering"] / "workbook.xlsx")
    assert book.sheetnames == SHEETS


@pytest.mark.parametrize("case", CASES)
def test_the_saved_values_agree_with_the_summary(runs: dict[str, Path], case: str) -> None:
    folder = runs[case]
    sheet = openpyxl.load_workbook(folder / "workbook.xlsx", data_only=True)["Summary"]
    _assert_summary_cells(sheet, folder)
    rate = _summary(folder)["mean_cash_flow"]["discount_rate_annual"]
    assert sheet[CELLS["annual_rate"]].value == rate
    assert sheet[CELLS["monthly_rate"]].value == pytest.approx(metrics.monthly_rate(rate))
    one_time = _expected(folder)["one_time_costs"]
    assert sheet[CELLS["one_time_costs"]].value == pytest.approx(one_time, rel=1e-9, abs=1e-6)


def test_each_case_shows_its_kind_of_payback(runs: dict[str, Path]) -> None:
    def payback(case: str) -> object:
        book = openpyxl.load_workbook(runs[case] / "workbook.xlsx", data_only=True)
        return book["Summary"][CELLS["payback_month"]].value

    assert payback("small-delayering") == 5  # July 2026, from the March wave
    assert payback("no-change") == 0
    assert payback("never-pays-back") == NOT_WITHIN


def test_the_headline_cells_are_formulas_in_plain_spreadsheet_functions(
    runs: dict[str, Path],
) -> None:
    sheet = openpyxl.load_workbook(runs["small-delayering"] / "workbook.xlsx")["Summary"]
    computed = (
        "monthly_rate",
        "npv",
        "payback_month",
        "payback_date",
        "discounted_payback_month",
        "run_rate_savings_annual",
        "one_time_costs",
        "irr_annual",
    )
    formulas = {name: sheet[CELLS[name]].value for name in computed}
    for name, formula in formulas.items():
        assert isinstance(formula, str) and formula.startswith("="), (name, formula)
    assert CELLS["annual_rate"] in formulas["monthly_rate"]
    assert formulas["npv"].startswith(f"=NPV({CELLS['monthly_rate']},")
    assert "IRR(" in formulas["irr_annual"] and "AVERAGE(" in formulas["run_rate_savings_annual"]
    for name in ("payback_month", "discounted_payback_month"):
        for function in ("COUNTIF(", "INDEX(", "MATCH("):
            assert function in formulas[name], (name, function)
    assert "SUM(" in formulas["one_time_costs"]
    every = " ".join(formulas.values())
    assert "{" not in every  # no array formulas


def test_the_cash_flow_sheet_holds_cashflows_csv_with_formula_totals(runs: dict[str, Path]) -> None:
    folder = runs["small-delayering"]
    with (folder / "cashflows.csv").open(newline="", encoding="utf-8") as handle:
        header, *rows = csv.reader(handle)
    book = openpyxl.load_workbook(folder / "workbook.xlsx")
    values = openpyxl.load_workbook(folder / "workbook.xlsx", data_only=True)
    sheet, cached = book["Monthly cash flows"], values["Monthly cash flows"]
    headings, titles = [cell.value for cell in sheet[1]], csv_titles(sheet)
    assert titles[:4] == ["Month", "Month number", "Period from the valuation date", "Fiscal year"]
    lines = header[1:-1]
    assert titles[4 : 4 + len(lines)] == lines  # cashflows.csv's names, on hover
    # headed in words with their unit: the raw names showed ('scenario: payroll ...')
    for heading in headings[4 : 4 + len(lines)]:
        assert heading.endswith(" (USD)") and not heading.startswith(("scenario:", "baseline:"))
    assert headings[4] == "Plan: Operations / Director payroll (USD)"
    net_column = headings.index("Net cash flow (USD)") + 1
    # the scenario's notice pay and severance: sums over the cuts sheets by month number
    by_month = {titles.index(f"scenario: {line}") + 1 for line in ("notice pay", "severance")}
    assert sheet.max_row == 1 + len(rows)
    for r, row in enumerate(rows, start=2):
        assert sheet.cell(r, 1).value == row[0]
        assert sheet.cell(r, 2).value == r - 1
        for j, value in enumerate(row[1:-1], start=5):
            saved = sheet.cell(r, j).value
            if j in by_month:
                assert saved.startswith("=-SUMIF(") and f",B{r}," in saved, saved
                saved = cached.cell(r, j).value
            elif "payroll " in titles[j - 1]:  # people x cost per head x growth
                assert "'Paid people by month'!" in saved and f"^((C{r}-1)/12)" in saved, saved
                saved = cached.cell(r, j).value
            # XlsxWriter writes 16 significant digits: the 17th may round away
            assert saved == pytest.approx(float(value), rel=1e-15, abs=1e-9)
        assert sheet.cell(r, net_column).value.startswith("=SUM(")
        net = cached.cell(r, net_column).value
        assert net == pytest.approx(float(row[-1]), rel=1e-9, abs=1e-6)


def test_a_wave_whose_notice_outlasts_the_horizon_is_provided_for_in_its_month(
    runs: dict[str, Path],
) -> None:
    book = openpyxl.load_workbook(runs["small-late-wave"] / "workbook.xlsx", data_only=True)
    notice = list(book["Notice pay by month"].values)
    titles = notice[0]
    booked = [dict(zip(titles, row, strict=True)) for row in notice[1:]]
    assert [(x["Days in"], x["Booked in"]) for x in booked] == [
        ("2028-03", "2028-03"),
        ("2028-04", "2028-03"),
        ("2028-05", "2028-03"),
    ]
    assert "after the horizon" in booked[-1]["How the money is computed"]
    cut = dict(zip(*list(book["Cuts and removals"].values)[:2], strict=True))
    assert cut["Severance booked in"] == "2028-03"
    # people (what attrition left of the layer) and tenure both vary: a mean of amounts
    assert cut["How the money is computed"].startswith("severance: mean of replications")


def test_the_replications_sheet_has_a_row_a_replication(runs: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(runs["small-delayering"] / "workbook.xlsx", data_only=True)
    sheet = book["Replications"]
    assert sheet.max_row == 1 + CASES["small-delayering"]
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == [0, 1, 2, 3]


# --- what a spreadsheet engine computes -----------------------------------------------


def _wipe_cached_results(source: Path, target: Path) -> None:
    """A copy whose every formula's saved result is POISON: only a recalculation
    can bring the right figures back."""
    formula_cell = re.compile(r"<c ([^>]*)><f>([^<]*)</f><v>[^<]*</v></c>")

    def poison(match: re.Match) -> str:
        attributes = match[1].replace(' t="str"', "")  # a number now, not a text result
        return f"<c {attributes}><f>{match[2]}</f><v>{POISON}</v></c>"

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text, count = formula_cell.subn(poison, data.decode("utf-8"))
                assert count > 0 or "<f>" not in text
                data = text.encode("utf-8")
            new.writestr(item, data)


#: LibreOffice's own setting "recalculation on file load" for Excel files and
#: for ODF: 0 = always. By default it trusts the saved results and recalculates
#: nothing, so this is written into a fresh user profile for the conversion.
RECALCULATE_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _libreoffice_recalculated(sources: dict[str, Path], base: Path) -> dict[str, openpyxl.Workbook]:
    """Each workbook opened, recalculated and saved again by LibreOffice (headless)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not on PATH: install libreoffice-calc-nogui to check "
            "the workbook's formulas in a real spreadsheet"
        )
    profile = base / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ALWAYS)
    out = base / "out"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *(str(path) for path in sources.values()),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    books = {}
    for case, source in sources.items():
        path = out / source.name
        assert path.exists(), f"LibreOffice did not convert {case}: {done.stdout}{done.stderr}"
        books[case] = openpyxl.load_workbook(path, data_only=True)
    return books


@pytest.fixture(scope="module")
def recalculated(
    runs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, openpyxl.Workbook]:
    """Each workbook, wiped of saved results, opened and saved again by LibreOffice."""
    base = tmp_path_factory.mktemp("libreoffice")
    wiped = base / "wiped"
    wiped.mkdir()
    for case, folder in runs.items():
        _wipe_cached_results(folder / "workbook.xlsx", wiped / f"{case}.xlsx")
    return _libreoffice_recalculated({case: wiped / f"{case}.xlsx" for case in runs}, base)


@pytest.mark.slow
def test_wiped_results_really_are_gone_before_recalculation(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    wiped = tmp_path / "wiped.xlsx"
    _wipe_cached_results(runs["small-delayering"] / "workbook.xlsx", wiped)
    book = openpyxl.load_workbook(wiped, data_only=True)
    for name in ("monthly_rate", "npv", "payback_month", "one_time_costs"):
        assert book["Summary"][CELLS[name]].value == POISON, name
    # the cuts' money and the cash flows' lines that sum it
    titles = csv_titles(book["Monthly cash flows"])
    severance = titles.index("scenario: severance") + 1
    assert book["Monthly cash flows"].cell(2, severance).value == POISON
    cuts = book["Cuts and removals"]
    titles = [cell.value for cell in cuts[1]]
    notice_pay = titles.index("Notice pay (by month: 'Notice pay by month')") + 1
    assert cuts.cell(2, notice_pay).value == POISON


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_libreoffice_recalculates_the_summarys_npv_and_payback(
    runs: dict[str, Path], recalculated: dict[str, openpyxl.Workbook], case: str
) -> None:
    sheet = recalculated[case]["Summary"]
    rate = _summary(runs[case])["mean_cash_flow"]["discount_rate_annual"]
    assert sheet[CELLS["monthly_rate"]].value == pytest.approx(metrics.monthly_rate(rate))
    _assert_summary_cells(sheet, runs[case])


def _number(value: object) -> object:
    """A date cell's value as its date serial (LibreOffice and XlsxWriter save dates as
    serials; openpyxl reads those in a date format back as datetimes)."""
    return to_excel(value) if isinstance(value, dt.datetime) else value


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", FORMULA_SHEETS)
def test_libreoffice_recalculates_every_formula_of_the_cash_flow_and_cuts_sheets(
    runs: dict[str, Path], recalculated: dict[str, openpyxl.Workbook], case: str, name: str
) -> None:
    """The monthly columns, the cuts' notice pay and severance and the cash flows' lines
    that sum them: each cell LibreOffice recomputes holds the value saved with it."""
    path = runs[case] / "workbook.xlsx"
    formulas = openpyxl.load_workbook(path)[name]
    saved = openpyxl.load_workbook(path, data_only=True)[name]
    sheet = recalculated[case][name]
    titles = [cell.value for cell in formulas[1]]
    checked = 0
    for row in formulas.iter_rows(min_row=2):
        for cell in row:
            if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                continue
            where = (cell.coordinate, titles[cell.column - 1], cell.value)
            value = _number(sheet[cell.coordinate].value)
            assert value != POISON, where
            expected = _number(saved[cell.coordinate].value)
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-6), where
            checked += 1
    every_run = ("Monthly cash flows", "Payroll drivers")
    # no-change cuts no one; small-redeploy redeploys some of every line's people from
    # notice, so no line's notice is people x cost x days (each is the replications' mean)
    no_formulas = {"no-change": FORMULA_SHEETS, "small-redeploy": ("Notice pay by month",)}
    assert (
        checked > 0 if name in every_run or name not in no_formulas.get(case, ()) else checked == 0
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", ["small-delayering", "never-pays-back"])
def test_libreoffice_recalculates_the_one_time_costs(
    runs: dict[str, Path], recalculated: dict[str, openpyxl.Workbook], case: str
) -> None:
    value = recalculated[case]["Summary"][CELLS["one_time_costs"]].value
    assert value == pytest.approx(_expected(runs[case])["one_time_costs"], rel=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["small-delayering", "small-terminal"])
def test_libreoffice_recalculates_the_fiscal_years(
    runs: dict[str, Path], recalculated: dict[str, openpyxl.Workbook], case: str
) -> None:
    sheet = recalculated[case]["Fiscal years"]
    rows = _summary(runs[case])["fiscal_years"]
    assert len(rows) >= 2
    for r, row in enumerate(rows, start=2):
        assert sheet.cell(r, 1).value == row["fiscal_year"]
        assert sheet.cell(r, 4).value == row["months"]
        for c, name in enumerate(("net_savings", "one_time_costs", "net_cash"), start=5):
            assert sheet.cell(r, c).value == pytest.approx(row[name], rel=1e-9, abs=1e-6), name


def test_april_fiscal_years_split_the_run_where_the_summary_says(runs: dict[str, Path]) -> None:
    rows = _summary(runs["small-terminal"])["fiscal_years"]
    assert [(r["fiscal_year"], r["months"]) for r in rows] == [
        ("FY2026", 3),
        ("FY2027", 12),
        ("FY2028", 11),
    ]


# --- one number everywhere -------------------------------------------------------------


def test_payback_and_npv_are_the_same_numbers_in_table_chart_workbook_and_json(
    runs: dict[str, Path],
) -> None:
    """The mean cash flow's payback and NPV (the workbook's) and the replications'
    median payback and NPV (the chart's), each labelled, each the same everywhere."""
    from sim.report.charts import CHARTS
    from sim.report.charts.data import Run
    from sim.report.charts.style import chart_style
    from sim.report.text import calendar_month, headline_table, money, month_and_date

    folder = runs["small-terminal"]
    summary = _summary(folder)
    mean, heads, dates = summary["mean_cash_flow"], summary["headline"], summary["headline_dates"]
    # the printed table: the mean cash flow's figures and the replications' P50
    table = headline_table(read_summary(summary))
    payback_row = next(line for line in table.splitlines() if line.startswith("Payback"))
    assert month_and_date(mean["payback_month"], mean["payback_date"]) in payback_row
    assert f"month {heads['payback_month']['p50']:.0f}" in payback_row
    npv_row = next(line for line in table.splitlines() if line.startswith("NPV to"))
    assert money(mean["npv"]) in npv_row and money(heads["npv"]["p50"]) in npv_row
    assert "Mean*" in table and "the 3 replications' mean cash flow's" in table
    # the workbook: the mean cash flow's figures, to the cent
    sheet = openpyxl.load_workbook(folder / "workbook.xlsx", data_only=True)["Summary"]
    _assert_summary_cells(sheet, folder)
    # the chart: the replications' median, labelled as such, with its calendar month
    with chart_style():
        figure = CHARTS["4-payback"](Run.load(folder))
    texts = {t.get_gid(): t.get_text() for t in figure.texts}
    p50, when = heads["payback_month"]["p50"], dates["payback_month"]["p50"]
    assert texts["title"].startswith(f"Median payback month {p50:.0f} ({calendar_month(when)})")
    assert f"median NPV {money(heads['npv']['p50'])}" in texts["subtitle"]


def test_the_assumptions_read_as_a_finance_reader_writes_them(runs: dict[str, Path]) -> None:
    """The audit: rows named by field path, '0.5' under '% a year', the seed as '2,025',
    no frozen panes, A4 paper for a dollar model."""
    book = openpyxl.load_workbook(runs["small-delayering"] / "workbook.xlsx")
    sheet = book["Assumptions"]
    assert [c.value for c in sheet[1]] == [
        "Assumption",
        "Meaning",
        "Value",
        "Mean (of a distribution)",
        "Field",
    ]
    rows = {row[4].value: row for row in sheet.iter_rows(min_row=2)}
    rate = rows["meta.discount_rate_annual"]
    assert rate[0].value == "Discount rate (% a year)"
    assert "%" in rate[2].number_format
    assert rows["meta.seed"][2].number_format == "0"
    cost = rows["org.units[0].layers[0].cost_per_head_annual"]
    assert "$" in cost[2].number_format and cost[0].value.endswith("Cost per head (per year)")
    assert sheet.freeze_panes == "B2" and book["Replications"].freeze_panes == "B2"
    assert {int(s.page_setup.paperSize) for s in book.worksheets} == {1}  # US letter: USD


#: a reader's own inputs typed into the workbook (sheet, the row's field or Summary cell,
#: value), and the scenario edits of a rerun that asks the same: a higher discount
#: rate; a valuation date three months later over a horizon three months shorter (the
#: same months simulated, so the same cash flows); dearer ICs, managers and senior
#: managers (the managers take in the senior managers moved down when their layer goes,
#: and the rest are cut: notice pay and severance at their cost)
READER_INPUTS = {
    "rate": (
        "small-delayering",
        [("Summary", "annual_rate", 0.15)],
        {"discount_rate_annual: 0.08": "discount_rate_annual: 0.15"},
    ),
    "date": (
        "small-delayering",
        [("Summary", "valuation_date", dt.datetime(2026, 6, 1))],
        {
            "horizon_months: 24": "horizon_months: 21",
            "value_per_item: 500": "value_per_item: 500\n  valuation_date: 2026-06-01",
        },
    ),
    "cost": (
        "small-delayering",
        [
            ("Assumptions", "org.units[0].layers[3].cost_per_head_annual", 150_000),
            ("Assumptions", "org.units[0].layers[2].cost_per_head_annual", 200_000),
            ("Assumptions", "org.units[0].layers[1].cost_per_head_annual", 260_000),
        ],
        {
            "headcount: 840, cost_per_head_annual: 130000": (
                "headcount: 840, cost_per_head_annual: 150000"
            ),
            "headcount: 118, cost_per_head_annual: 180000": (
                "headcount: 118, cost_per_head_annual: 200000"
            ),
            "headcount: 30, cost_per_head_annual: 240000": (
                "headcount: 30, cost_per_head_annual: 260000"
            ),
        },
    ),
    # the ICs' roles: one at the IC layer's cost, one at its own
    "roles": (
        "small-roles",
        [
            ("Assumptions", "org.units[0].layers[3].cost_per_head_annual", 120_000),
            ("Assumptions", "org.units[0].roles[1].cost_per_head_annual", 175_000),
        ],
        {
            "headcount: 840, cost_per_head_annual: 130000": (
                "headcount: 840, cost_per_head_annual: 120000"
            ),
            "share: 0.4, cost_per_head_annual: 150000": "share: 0.4, cost_per_head_annual: 175000",
        },
    ),
}


def _type_in(book: openpyxl.Workbook, sheet: str, where: str, value: object) -> None:
    """A reader's edit: a Summary cell by its name, an assumption by its field's row."""
    if sheet == "Summary":
        book[sheet][CELLS[where]].value = value
        return
    rows = [row for row in book[sheet].iter_rows(min_row=2) if row[4].value == where]
    assert len(rows) == 1, where
    rows[0][2].value = value


@pytest.mark.slow
def test_a_reader_who_types_a_new_rate_date_or_cost_gets_the_reruns_figures(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    """The yellow inputs drive every formula: typed in and recalculated, they give the
    NPV, paybacks and run rate that rerunning the scenario with them gives."""
    edited, reruns = {}, {}
    for case, (base, cells, edits) in READER_INPUTS.items():
        book = openpyxl.load_workbook(runs[base] / "workbook.xlsx")
        for sheet, where, value in cells:
            _type_in(book, sheet, where, value)
        edited[case] = tmp_path / f"{case}.xlsx"
        book.save(edited[case])
        reruns[case] = _run(_text(base, edits), tmp_path / f"rerun-{case}", CASES[base])
    books = _libreoffice_recalculated(edited, tmp_path / "libreoffice")
    for case, book in books.items():
        before = _summary(runs[READER_INPUTS[case][0]])["mean_cash_flow"]["npv"]
        _assert_summary_cells(book["Summary"], reruns[case])
        assert book["Summary"][CELLS["npv"]].value != pytest.approx(before, rel=1e-3), case


def test_a_layers_payroll_is_people_times_cost_times_growth_where_that_is_exact(
    runs: dict[str, Path],
) -> None:
    """Each payroll column is a formula of its drivers (an IC layer of roles: a term a
    role), or the replications' mean with the reason on the Payroll drivers sheet."""
    cases = (("small-terminal", set(), {}), ("small-drawn-cost", {"IC"}, {}))
    cases += (("small-roles", set(), {"IC": ["IC: Claims", "IC: Analysis"]}),)
    for case, drawn, roles in cases:
        book = openpyxl.load_workbook(runs[case] / "workbook.xlsx")
        drivers: dict[str, list[tuple]] = {}
        for row in book["Payroll drivers"].iter_rows(min_row=2, values_only=True):
            drivers.setdefault(row[0], []).append(row)
        flows = book["Monthly cash flows"]
        titles = [cell.value for cell in flows[1]]
        names = dict(zip(titles, csv_titles(flows), strict=True))  # heading -> csv name
        payroll = [t for t in titles if t and " payroll " in f" {names[t]}"]
        assert payroll and set(payroll) <= set(drivers), case
        for title in payroll:
            rows = drivers[title]
            layer = names[title].rsplit(" / ", 1)[1]
            assert [r[2] for r in rows] == roles.get(layer, [layer]), (case, title)
            cell = flows.cell(5, titles.index(title) + 1).value
            if layer in drawn:
                assert all("drawn" in r[5] for r in rows), (case, title)
                assert isinstance(cell, int | float), (case, title)
                continue
            for _, _, _, cost, growth, how in rows:
                assert how.startswith("formula"), (case, title, how)
                assert cost.startswith("=Assumptions!") and growth.startswith("=Assumptions!")
            assert cell.count("'Paid people by month'!") == len(rows), cell
            assert cell.count("*'Payroll drivers'!") == len(rows), cell


@pytest.mark.parametrize("case", CASES)
def test_the_fiscal_years_add_up_to_the_headlines_one_time_costs(
    runs: dict[str, Path], case: str
) -> None:
    """One set of one-time lines everywhere: a plan's retraining of the redeployed
    counted in the headline's one-time costs but in no fiscal year's."""
    summary = _summary(runs[case])
    years = summary["fiscal_years"]
    one_time = summary["mean_cash_flow"]["one_time_costs"]
    assert sum(y["one_time_costs"] for y in years) == pytest.approx(one_time, rel=1e-12)
