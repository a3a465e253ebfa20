"""The workbook's Cuts and removals sheet, checked by hand as an auditor would.

A plan without randomness (no attrition, no backfill, valued from January 2026
and run to its end, pay growing 3% a year from January): 20 ICs cut on 15 March 2026 with 60 days'
notice and 10 weeks' severance; the manager layer removed on 1 December, half
of its ten managers moved down with three months' pay protection, the other
five cut, their notice running 29 days past the horizon. Every expected figure
is people x cost per head x days / 365 (2026 and 2027 have 365 days) or x weeks
x 7 / 365.25, times the month's pay level ``1.03^(k / 12)``. That LibreOffice
recomputes every formula of these sheets to the values saved with them is
checked in test_workbook.py.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import GOOD, SMALL, csv_titles, merge
from test_cut_lines import TWO_WAVES
from test_workforce import BASE, IC_COST, MANAGER_COST

from sim.report.run import run_scenario
from sim.scenario.load import parse_scenario

MARCH, APRIL, MAY, DEC = 2, 3, 4, 11  # month indices from January 2026
VALUATION = 0  # January: the base scenario's valuation date
CUTS, NOTICE, FLOWS = "Cuts and removals", "Notice pay by month", "Monthly cash flows"
PLAN = {
    "meta": {"replications": 2},
    "org": {"pay_growth_annual": 0.03},
    "restructuring": {
        "pay_protection_months": 3,
        "waves": copy.deepcopy(list(TWO_WAVES)),
    },
}


def level(month: int) -> float:
    """The pay level of a month against the valuation month's."""
    return 1.03 ** ((month - VALUATION) / 12)


def run(base: Path, name: str, text: str, replications: int) -> Path:
    path = base / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    target = base / name
    scenario = parse_scenario(text, path.name)
    run_scenario(
        scenario, path, target, replications=replications, workers=1, quiet=True, charts=False
    )
    return target


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = copy.deepcopy(BASE)
    merge(doc, PLAN)
    return run(tmp_path_factory.mktemp("cuts"), "two-waves", json.dumps(doc), 2)


def rows(folder: Path, sheet: str, data_only: bool = True) -> list[dict[str, object]]:
    """A sheet's rows as dicts keyed by its header (a cash-flow column by its name in
    cashflows.csv), up to its first empty row."""
    book = openpyxl.load_workbook(folder / "workbook.xlsx", data_only=data_only)
    values = list(book[sheet].values)
    titles = csv_titles(book[sheet])
    out = []
    for row in values[1:]:
        if row[0] is None:
            break
        out.append(dict(zip(titles, row, strict=True)))
    return out


def test_each_cut_and_move_is_a_line_with_its_people_cost_and_terms(folder: Path) -> None:
    ics, cut, moved, total = rows(folder, CUTS)
    assert [
        (x["Line"], x["Unit"], x["Layer"], x["Change"], x["Wave"]) for x in (ics, cut, moved)
    ] == [
        (1, "Ops", "IC", "cut", "March"),
        (2, "Ops", "Manager", "layer removed: cut", "December"),
        (3, "Ops", "Manager", "layer removed: moved down", "December"),
    ]
    assert ics["Notice given"] == dt.datetime(2026, 3, 15)
    assert (ics["People cut"], cut["People cut"], moved["People moved down"]) == (20, 5, 5)
    assert ics["Cost per head a year (valuation-date prices)"] == IC_COST
    assert cut["Cost per head a year (valuation-date prices)"] == MANAGER_COST
    assert ics["Notice (weeks)"] == pytest.approx(60 / 7, rel=1e-15)
    # 60 days' notice from 15 March: paid to 13 May, severance on 14 May
    assert ics["Notice ends (given + weeks x 7 days)"] == dt.datetime(2026, 5, 14)
    assert ics["Severance (weeks of pay)"] == 10
    assert moved["Moved to"] == "IC" and moved["Pay protection (months)"] == 3
    assert moved["People cut"] is None and moved["Severance booked in"] is None
    assert total["Line"] == "Total"
    assert (total["People cut"], total["People moved down"]) == (25, 5)


def test_severance_is_people_x_cost_x_weeks_at_the_pay_level_of_the_month_notice_ends(
    folder: Path,
) -> None:
    ics, cut, _, total = rows(folder, CUTS)
    formulas = rows(folder, CUTS, data_only=False)
    severance = "Severance = people x cost x weeks x 7 / 365.25 x pay growth"
    assert formulas[0][severance] == "=H2*J2*N2*7/365.25*Q2"
    assert (ics["Severance booked in"], ics["Month number (cash flows)"]) == ("2026-05", MAY + 1)
    assert ics["Pay growth factor of that month"] == pytest.approx(level(MAY), rel=1e-15)
    assert ics[severance] == pytest.approx(20 * IC_COST * 10 * 7 / 365.25 * level(MAY), rel=1e-12)
    # December's notice ends after the horizon: its severance is provided for in December
    assert (cut["Severance booked in"], cut["Month number (cash flows)"]) == ("2026-12", DEC + 1)
    expected = 5 * MANAGER_COST * 10 * 7 / 365.25 * level(DEC)
    assert cut[severance] == pytest.approx(expected, rel=1e-12)
    assert total[severance] == pytest.approx(ics[severance] + cut[severance], rel=1e-12)
    assert "formulas" in ics["How the money is computed"]


def test_notice_pay_is_each_months_days_over_the_years_days_at_its_pay_level(
    folder: Path,
) -> None:
    notice = rows(folder, NOTICE)
    pieces = [
        (
            x["Line in 'Cuts and removals'"],
            x["Days in"],
            x["Booked in"],
            x["Month number (cash flows)"],
            x["Days on notice"],
            x["Days in that year"],
        )
        for x in notice
    ]
    assert pieces == [
        (1, "2026-03", "2026-03", MARCH + 1, 17, 365),
        (1, "2026-04", "2026-04", APRIL + 1, 30, 365),
        (1, "2026-05", "2026-05", MAY + 1, 13, 365),
        (2, "2026-12", "2026-12", DEC + 1, 31, 365),
        (2, "2027-01", "2026-12", DEC + 1, 29, 365),  # after the horizon: a provision
    ]
    pay = "Notice pay = people x cost x days / days in the year x pay growth"
    for x, people, cost in zip(
        notice, [20] * 3 + [5] * 2, [IC_COST] * 3 + [MANAGER_COST] * 2, strict=True
    ):
        month = x["Month number (cash flows)"] - 1
        assert x["Pay growth factor of the booked month"] == pytest.approx(level(month))
        expected = people * cost * x["Days on notice"] / 365 * level(month)
        assert x[pay] == pytest.approx(expected, rel=1e-12)
    assert "after the horizon" in notice[-1]["How the money is computed"]
    formulas = rows(folder, NOTICE, data_only=False)
    assert formulas[0]["From"] == "=MAX('Cuts and removals'!$F$2,DATE(2026,3,1))"
    assert formulas[0]["To (not included)"] == "=MIN('Cuts and removals'!$L$2,DATE(2026,4,1))"
    assert formulas[0][pay] == "='Cuts and removals'!$H$2*'Cuts and removals'!$J$2*I2/J2*K2"
    cuts = rows(folder, CUTS)
    total = "Notice pay (by month: 'Notice pay by month')"
    assert cuts[0][total] == pytest.approx(sum(x[pay] for x in notice[:3]), rel=1e-12)
    assert cuts[1][total] == pytest.approx(sum(x[pay] for x in notice[3:]), rel=1e-12)


def test_the_cash_flows_notice_pay_and_severance_are_the_sheets_sums_by_month(
    folder: Path,
) -> None:
    with (folder / "cashflows.csv").open(newline="", encoding="utf-8") as handle:
        csv_rows = list(csv.DictReader(handle))
    notice = rows(folder, NOTICE)
    cuts = rows(folder, CUTS)[:-1]
    flows = rows(folder, FLOWS)
    formulas = rows(folder, FLOWS, data_only=False)
    pay = "Notice pay = people x cost x days / days in the year x pay growth"
    severance = "Severance = people x cost x weeks x 7 / 365.25 x pay growth"
    for month, (row, formula, written) in enumerate(zip(flows, formulas, csv_rows, strict=True)):
        number = month + 1
        by_hand = {
            "notice pay": sum(x[pay] for x in notice if x["Month number (cash flows)"] == number),
            "severance": sum(
                x[severance] or 0 for x in cuts if x["Month number (cash flows)"] == number
            ),
        }
        for line, amount in by_hand.items():
            column = f"scenario: {line}"
            assert formula[column].startswith("=-SUMIF("), formula[column]
            assert row[column] == pytest.approx(-amount, rel=1e-12, abs=1e-9), (month, line)
            assert row[column] == pytest.approx(float(written[column]), rel=1e-12, abs=1e-9)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["headline"]["roles_cut"]["mean"] == 25


def test_a_plan_that_cuts_nobody_says_so_and_keeps_its_lines_as_numbers(
    tmp_path: Path,
) -> None:
    folder = run(tmp_path, "no-change", (GOOD / "no-change.yaml").read_text("utf-8"), 1)
    book = openpyxl.load_workbook(folder / "workbook.xlsx")
    assert book[CUTS]["A3"].value == "No wave cuts anyone or removes a layer."
    assert book[NOTICE].max_row == 1
    titles = csv_titles(book[FLOWS])
    column = titles.index("scenario: notice pay") + 1
    assert book[FLOWS].cell(2, column).value == 0


def test_a_severance_whose_people_and_weeks_both_vary_is_the_mean_of_the_amounts(
    tmp_path: Path,
) -> None:
    text = SMALL.read_text("utf-8").replace(
        "average_tenure_years: 4", "average_tenure_years: 'pert(2, 4, 7)'", 1
    )
    folder = run(tmp_path, "uncertain-tenure", text, 3)
    cut = rows(folder, CUTS)[0]
    formulas = rows(folder, CUTS, data_only=False)[0]
    severance = "Severance = people x cost x weeks x 7 / 365.25 x pay growth"
    assert isinstance(formulas[severance], float)  # a number: the mean of the amounts
    assert formulas["Pay growth factor of that month"] is None
    assert cut["How the money is computed"] == (
        "severance: mean of replications (people, severance weeks vary)"
    )
    # the notice pay is still exact: only the people vary in it
    assert rows(folder, NOTICE, data_only=False)[0][
        "Notice pay = people x cost x days / days in the year x pay growth"
    ].startswith("=")
