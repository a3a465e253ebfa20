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
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import GOOD

from sim.finance import metrics
from sim.report.run import run_scenario
from sim.scenario.load import load_scenario

DATA = GOOD
#: payback in month 7; nothing to pay back; not within the horizon
CASES = {
    "small-delayering": 4,
    "no-change": 2,
    "never-pays-back": 2,
}
NOT_WITHIN = "not within horizon"
SHEETS = ["Summary", "Monthly cash flows", "Assumptions", "Replications"]
#: Summary cells: the rate as written, the monthly rate, NPV, the paybacks, one-time costs
CELLS = {
    "annual_rate": "B5",
    "monthly_rate": "B6",
    "npv": "B7",
    "payback_month": "B8",
    "discounted_payback_month": "B9",
    "one_time_costs": "B10",
}
#: what the wiped cached results of formulas are replaced with
POISON = 987654321


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("workbooks")
    folders = {}
    for name, replications in CASES.items():
        path = DATA / f"{name}.yaml"
        target = base / name
        run_scenario(
            load_scenario(path),
            path,
            target,
            replications=replications,
            workers=1,
            quiet=True,
            charts=False,
        )
        folders[name] = target
    return folders


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _expected(folder: Path) -> dict:
    """summary.json's mean cash flow, as the workbook should show it."""
    mean = _summary(folder)["mean_cash_flow"]
    return {
        "npv": mean["npv"],
        "payback_month": NOT_WITHIN if mean["payback_month"] is None else mean["payback_month"],
        "discounted_payback_month": (
            NOT_WITHIN
            if mean["discounted_payback_month"] is None
            else mean["discounted_payback_month"]
        ),
        "one_time_costs": mean["one_time_costs"],
    }


def _assert_summary_cells(sheet, folder: Path) -> None:
    expected = _expected(folder)
    assert sheet[CELLS["npv"]].value == pytest.approx(expected["npv"], rel=1e-9, abs=1e-6)
    assert sheet[CELLS["payback_month"]].value == expected["payback_month"]
    assert sheet[CELLS["discounted_payback_month"]].value == expected["discounted_payback_month"]


# --- what XlsxWriter saved -----------------------------------------------------------


def test_the_workbook_opens_with_its_four_sheets(runs: dict[str, Path]) -> None:
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

    assert payback("small-delayering") == 7
    assert payback("no-change") == 0
    assert payback("never-pays-back") == NOT_WITHIN


def test_the_headline_cells_are_formulas_in_plain_spreadsheet_functions(
    runs: dict[str, Path],
) -> None:
    sheet = openpyxl.load_workbook(runs["small-delayering"] / "workbook.xlsx")["Summary"]
    formulas = {name: sheet[cell].value for name, cell in CELLS.items() if name != "annual_rate"}
    for name, formula in formulas.items():
        assert isinstance(formula, str) and formula.startswith("="), (name, formula)
    assert "B5" in formulas["monthly_rate"]
    assert formulas["npv"].startswith("=NPV(B6,")
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
    titles = [cell.value for cell in sheet[1]]
    assert titles[:2] == ["Month", "Month number"]
    lines = header[1:-1]
    assert titles[2 : 2 + len(lines)] == lines
    net_column = titles.index("Net cash flow") + 1
    assert sheet.max_row == 1 + len(rows)
    for r, row in enumerate(rows, start=2):
        assert sheet.cell(r, 1).value == row[0]
        assert sheet.cell(r, 2).value == r - 1
        for j, value in enumerate(row[1:-1], start=3):
            # XlsxWriter writes 16 significant digits: the 17th may round away
            assert sheet.cell(r, j).value == pytest.approx(float(value), rel=1e-15, abs=1e-9)
        assert sheet.cell(r, net_column).value.startswith("=SUM(")
        net = cached.cell(r, net_column).value
        assert net == pytest.approx(float(row[-1]), rel=1e-9, abs=1e-6)


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


@pytest.fixture(scope="module")
def recalculated(
    runs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, openpyxl.Workbook]:
    """Each workbook, wiped of saved results, opened and saved again by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not on PATH: install libreoffice-calc-nogui to check "
            "the workbook's formulas in a real spreadsheet"
        )
    base = tmp_path_factory.mktemp("libreoffice")
    profile = base / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ALWAYS)
    wiped = base / "wiped"
    wiped.mkdir()
    for case, folder in runs.items():
        _wipe_cached_results(folder / "workbook.xlsx", wiped / f"{case}.xlsx")
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
        *(str(wiped / f"{case}.xlsx") for case in runs),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    books = {}
    for case in runs:
        path = out / f"{case}.xlsx"
        assert path.exists(), f"LibreOffice did not convert {case}: {done.stdout}{done.stderr}"
        books[case] = openpyxl.load_workbook(path, data_only=True)
    return books


@pytest.mark.slow
def test_wiped_results_really_are_gone_before_recalculation(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    wiped = tmp_path / "wiped.xlsx"
    _wipe_cached_results(runs["small-delayering"] / "workbook.xlsx", wiped)
    sheet = openpyxl.load_workbook(wiped, data_only=True)["Summary"]
    for name in ("monthly_rate", "npv", "payback_month", "one_time_costs"):
        assert sheet[CELLS[name]].value == POISON, name


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_libreoffice_recalculates_the_summarys_npv_and_payback(
    runs: dict[str, Path], recalculated: dict[str, openpyxl.Workbook], case: str
) -> None:
    sheet = recalculated[case]["Summary"]
    rate = _summary(runs[case])["mean_cash_flow"]["discount_rate_annual"]
    assert sheet[CELLS["monthly_rate"]].value == pytest.approx(metrics.monthly_rate(rate))
    _assert_summary_cells(sheet, runs[case])


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_libreoffice_recalculates_the_monthly_columns(
    runs: dict[str, Path], recalculated: dict[str, openpyxl.Workbook], case: str
) -> None:
    sheet = recalculated[case]["Monthly cash flows"]
    saved = openpyxl.load_workbook(runs[case] / "workbook.xlsx", data_only=True)
    original = saved["Monthly cash flows"]
    titles = [cell.value for cell in original[1]]
    first_formula = titles.index("Net cash flow") + 1
    for r in range(2, original.max_row + 1):
        for c in range(first_formula, len(titles) + 1):
            value = sheet.cell(r, c).value
            assert value != POISON, (r, titles[c - 1])
            assert value == pytest.approx(original.cell(r, c).value, rel=1e-9, abs=1e-6), (
                r,
                titles[c - 1],
            )


@pytest.mark.slow
@pytest.mark.parametrize("case", ["small-delayering", "never-pays-back"])
def test_libreoffice_recalculates_the_one_time_costs(
    runs: dict[str, Path], recalculated: dict[str, openpyxl.Workbook], case: str
) -> None:
    value = recalculated[case]["Summary"][CELLS["one_time_costs"]].value
    assert value == pytest.approx(_expected(runs[case])["one_time_costs"], rel=1e-9)
