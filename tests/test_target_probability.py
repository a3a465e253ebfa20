"""The probability of a target: P(NPV > 0) and P(payback within finance.payback_target_months)
in summary.json, the printout, the comparison, the workbook (live formulas over the
Replications sheet) and the S-curve charts, each the share of the replications."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import GOOD, SMALL, check_pngs, csv_rows

from sim.cli import main
from sim.runs.bands import target_probabilities

TARGET = 4


@pytest.fixture(scope="module")
def target_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The small scenario with a payback target of 4 months, run on 6 replications."""
    folder = tmp_path_factory.mktemp("target")
    scenario = folder / "with-target.yaml"
    text = SMALL.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-2].startswith("finance:")  # finance is the last section
    scenario.write_text(f"{text.rstrip()}\n  payback_target_months: {TARGET}\n", encoding="utf-8")
    out = folder / "run"
    args = ["run", str(scenario), "-o", str(out), "-n", "6", "--workers", "1", "-q"]
    result = CliRunner().invoke(main, [*args, "--format", "png"])
    assert result.exit_code == 0, result.output
    return out, result.output


def _shares(rows: list[dict[str, str]]) -> tuple[float, float]:
    npv = [float(r["npv"]) for r in rows]
    paybacks = [float(r["payback_month"]) if r["payback_month"] else None for r in rows]
    within = sum(p is not None and p <= TARGET for p in paybacks) / len(rows)
    return sum(v > 0 for v in npv) / len(rows), within


def test_the_probabilities_are_the_shares_of_the_replications(target_run) -> None:
    out, printed = target_run
    above, within = _shares(csv_rows(out / "replications.csv"))
    found = json.loads((out / "summary.json").read_text(encoding="utf-8"))["probabilities"]
    assert found["npv_above_zero"] == above
    assert found["payback_within_target"] == within
    assert found["payback_target_months"] == TARGET
    assert 0 < within < 1  # the target splits the replications: the test can fail
    assert re.search(rf"P\(payback within {TARGET} months\)\s+{round(100 * within)}%", printed)
    assert re.search(rf"P\(NPV > 0\)\s+{round(100 * above)}%", printed)


def test_a_payback_that_never_comes_is_never_within_the_target() -> None:
    heads = [{"npv": -1.0, "payback_month": None}, {"npv": 2.0, "payback_month": 3.0}]
    assert target_probabilities(heads, 3) == {"npv_above_zero": 0.5, "payback_within_target": 0.5}
    assert target_probabilities(heads, None)["payback_within_target"] is None


def test_the_workbook_computes_them_with_live_formulas_over_its_replications(
    target_run,
) -> None:
    out, _ = target_run
    above, within = _shares(csv_rows(out / "replications.csv"))
    formulas = openpyxl.load_workbook(out / "workbook.xlsx")["Replications"]
    values = openpyxl.load_workbook(out / "workbook.xlsx", data_only=True)["Replications"]
    cells = {row[0].value: row[1].coordinate for row in formulas.iter_rows() if row[0].value}
    labels = {c.value: c for row in formulas.iter_rows() for c in row if isinstance(c.value, str)}
    npv_cell = formulas.cell(labels["P(NPV > 0)"].row, labels["P(NPV > 0)"].column + 1)
    within_label = labels["P(payback within the target)"]
    within_cell = formulas.cell(within_label.row, within_label.column + 1)
    assert str(npv_cell.value).startswith("=COUNTIF(") and "Replications" not in cells
    assert "COUNTIF(" in str(within_cell.value)
    # the saved values are the figures; evaluated here over the sheet's own cells too
    assert values[npv_cell.coordinate].value == pytest.approx(above)
    assert values[within_cell.coordinate].value == pytest.approx(within)
    column = re.search(r"\$([A-Z]+)\$2:", str(npv_cell.value)).group(1)  # type: ignore[union-attr]
    header = formulas[f"{column}1"].value
    assert header == "NPV"  # in words; replications.csv's name is its comment
    assert formulas[f"{column}1"].comment.text.startswith("replications.csv: npv")
    npvs = [c.value for c in formulas[column][1:] if isinstance(c.value, int | float)]
    assert sum(v > 0 for v in npvs) / len(npvs) == pytest.approx(above)


def test_the_run_draws_its_npv_s_curve(target_run) -> None:
    out, _ = target_run
    check_pngs([out / "charts" / "7-npv-curve.png"])


def test_compare_reports_each_probability_and_overlays_the_s_curves(tmp_path: Path) -> None:
    out = tmp_path / "compare"
    never = GOOD / "never-pays-back.yaml"
    args = ["compare", str(SMALL), str(never), "-o", str(out), "-n", "2", "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "-q", "--format", "png"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "P(NPV > 0)" in line)
    assert row.split()[-2:] == ["100%", "0%"]  # the one pays, the other never does
    assert "P(payback within" not in result.output  # neither names a target
    check_pngs([out / "charts" / "compare-5-npv-curve.png"])
