"""A run's numbers, from one replication's cash flows to the files a reviewer opens.

Finance first: one replication's cost lines add up to its net benefit, a plan
that changes nothing has nothing to pay back, and one that costs far more than
it saves says "not within the horizon" instead of failing. Then the output
folder: summary.json names what produced it and reproduces byte for byte;
timeseries.csv, cashflows.csv and replications.csv agree with it and with a
recomputation from first principles (month-end discounting, DESIGN.md).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import GOOD

import sim
from sim.cli import main
from sim.finance import metrics
from sim.finance.cashflows import cash_flows
from sim.model.replication import Replication, Trajectory, run_replication
from sim.report.files import MARKER, MARKER_TEXT, OutputExistsError
from sim.report.run import run_scenario
from sim.report.runfolder import RunFolderError, load_run, write_run
from sim.runs.bands import Band
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.summarise import summarise
from sim.scenario.load import load_scenario, parse_scenario
from sim.scenario.timeline import run_months

DATA = GOOD
SMALL = DATA / "small-delayering.yaml"  # a wave, an AI programme, new roles, priced items
NO_CHANGE = DATA / "no-change.yaml"  # no waves, no AI
NEVER = DATA / "never-pays-back.yaml"  # $50M of one-time costs over six months

HEADLINE_FIGURES = (
    "payback_month",
    "discounted_payback_month",
    "npv",
    "irr_annual",
    "run_rate_savings_annual",
    "one_time_costs",
    "headcount_start",
    "headcount_end",
    "throughput_change",
    "cycle_time_change",
)
BAND = {"p10", "p50", "p90", "mean"}
ONE_TIME_LINES = ("notice pay", "severance", "wave one-time costs", "AI one-time costs")


def _replication(path: Path, seed: int = 1) -> Replication:
    return run_replication(load_scenario(path), seed)


def _total_cost(run: Trajectory) -> np.ndarray:
    """Everything a run spends a month, added up from the trajectory itself."""
    months = len(run.months)
    people = sum(
        (u.payroll.sum(axis=1) + u.severance.sum(axis=1) + u.hiring_cost for u in run.units),
        np.zeros(months),
    )
    ai = sum((p.one_time_cost + p.running_cost for p in run.programs), np.zeros(months))
    roles = sum((r.payroll + r.hiring_cost for r in run.roles), np.zeros(months))
    return people + ai + roles + run.wave_one_time_cost


def _npv_month_end(net: np.ndarray, annual_rate: float, months_before: int = 0) -> float:
    """Month t after the valuation point divided by (1 + m)^t, m the monthly rate that
    compounds to the annual; months before the valuation month have t <= 0."""
    monthly = (1.0 + annual_rate) ** (1.0 / 12.0) - 1.0
    return float(
        sum(value / (1.0 + monthly) ** (t - months_before) for t, value in enumerate(net, start=1))
    )


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = csv.reader(handle)
    return header, rows


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def _stray_temp_folders(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


# --- finance: one replication ------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> Replication:
    return _replication(SMALL)


def test_the_cash_flow_lines_of_one_replication_sum_to_its_net_every_month(
    small: Replication,
) -> None:
    flows = cash_flows(small)
    assert set(flows.scenario) == set(flows.baseline)
    months = len(flows.months)
    columns = [-flows.scenario[k] for k in flows.scenario]  # money out, as in cashflows.csv
    columns += [flows.baseline[k] for k in flows.baseline]
    columns.append(flows.throughput_value)
    total = sum(columns, np.zeros(months))
    scale = sum((np.abs(c) for c in columns), np.zeros(months))
    np.testing.assert_allclose(flows.net, total, rtol=0, atol=1e-12 * scale.max())
    assert months == run_months(load_scenario(SMALL))


def test_baseline_minus_scenario_cost_is_the_net_benefit_before_valuing_work(
    small: Replication,
) -> None:
    flows = cash_flows(small)
    saving = _total_cost(small.baseline) - _total_cost(small.scenario)
    np.testing.assert_allclose(flows.net - flows.throughput_value, saving, rtol=1e-12, atol=1e-6)
    # notice pay is part of payroll: counted once, not twice
    payroll = sum(u.payroll.sum(axis=1) for u in small.scenario.units)
    lines = sum(v for k, v in flows.scenario.items() if k.startswith("payroll "))
    np.testing.assert_allclose(lines + flows.scenario["notice pay"], payroll, rtol=1e-12)


def test_the_plan_spends_first_and_saves_later(small: Replication) -> None:
    flows = cash_flows(small)
    assert flows.net[:6].min() < 0  # notice pay, severance, the wave's and AI's one-time costs
    assert flows.net[-3:].mean() > 0  # a layer and its payroll gone
    # 500k for the wave and 400k for the AI build, plus notice pay and severance
    assert flows.one_time_costs > 900_000
    one_time = sum(flows.scenario[k].sum() for k in ONE_TIME_LINES)
    assert flows.one_time_costs == pytest.approx(one_time, rel=1e-12)


def test_a_scenario_without_waves_or_ai_has_nothing_to_pay_back() -> None:
    result = summarise(_replication(NO_CHANGE))
    assert np.all(result.cash_flows.net == 0)
    assert result.headline["payback_month"] == metrics.NOTHING_TO_PAY_BACK == 0
    assert result.headline["discounted_payback_month"] == 0
    assert result.headline["npv"] == 0
    assert result.headline["one_time_costs"] == 0
    assert result.headline["run_rate_savings_annual"] == 0
    assert result.headline["irr_annual"] is None
    assert result.irr_reason == metrics.ALL_ZERO


def test_costs_that_dwarf_the_savings_do_not_pay_back_within_the_horizon() -> None:
    result = summarise(_replication(NEVER))
    assert result.cash_flows.one_time_costs >= 50_000_000
    assert np.cumsum(result.cash_flows.net)[-1] < 0
    assert result.headline["payback_month"] is None
    assert result.headline["discounted_payback_month"] is None
    assert result.headline["npv"] < 0


def test_a_plan_that_never_pays_back_still_writes_its_report(tmp_path: Path) -> None:
    target = tmp_path / "run"
    data = run_scenario(load_scenario(NEVER), NEVER, target, workers=1, quiet=True, charts=False)
    assert data.mean.payback_month is None
    assert data.mean.discounted_payback_month is None
    assert data.headline["payback_month"] == Band(None, None, None, None)
    assert "0 of 2" in data.notes["payback_month"]
    written = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    assert written["headline"]["payback_month"]["p50"] is None


def test_value_per_item_prices_the_change_in_work_done(small: Replication) -> None:
    flows = cash_flows(small)
    extra_items = small.scenario.done - small.baseline.done
    assert np.any(extra_items != 0)
    np.testing.assert_array_equal(flows.throughput_value, extra_items * 500.0)
    # the same replication with work unpriced: the net differs by exactly that value
    text = SMALL.read_text(encoding="utf-8").replace("value_per_item: 500", "value_per_item: null")
    unpriced = cash_flows(run_replication(parse_scenario(text, "unpriced.yaml"), 1))
    assert np.all(unpriced.throughput_value == 0)
    np.testing.assert_allclose(flows.net - unpriced.net, extra_items * 500.0, atol=1e-6)


# --- the output folder ---------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small scenario, four replications."""
    target = tmp_path_factory.mktemp("outputs") / "run"
    run_scenario(
        load_scenario(SMALL), SMALL, target, replications=4, workers=1, quiet=True, charts=False
    )
    return target


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small scenario, one replication: percentiles and mean are that replication."""
    target = tmp_path_factory.mktemp("outputs") / "single"
    run_scenario(
        load_scenario(SMALL), SMALL, target, replications=1, workers=1, quiet=True, charts=False
    )
    return target


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _series(folder: Path) -> dict[tuple[str, str], dict[str, list[float | None]]]:
    """timeseries.csv as (unit, metric) -> column -> monthly values."""
    header, rows = _read_csv(folder / "timeseries.csv")
    out: dict[tuple[str, str], dict[str, list[float | None]]] = {}
    for row in rows:
        values = dict(zip(header, row, strict=True))
        series = out.setdefault((values["unit"], values["metric"]), {k: [] for k in BAND})
        for k in BAND:
            series[k].append(_number(values[k]))
    return out


# --- summary.json


def test_summary_names_the_scenario_file_its_hash_the_seed_and_the_version(folder: Path) -> None:
    data = _summary(folder)
    assert data["scenario"] == {
        "path": str(SMALL),
        "name": "small-delayering",
        "sha256": hashlib.sha256(SMALL.read_bytes()).hexdigest(),
        "description": load_scenario(SMALL).meta.description,
    }
    assert data["seed"] == load_scenario(SMALL).meta.seed == 11
    assert data["replications"] == 4
    assert data["version"] == sim.__version__
    # the horizon counts from the valuation month (the first wave, 2026-03)
    assert (data["horizon_months"], data["months_simulated"]) == (24, 26)
    assert (data["first_month"], data["last_month"]) == ("2026-01", "2028-02")


def test_summary_gives_every_headline_as_p10_p50_p90_and_mean(folder: Path) -> None:
    headline = _summary(folder)["headline"]
    for name in HEADLINE_FIGURES:
        assert set(headline[name]) == BAND, name
        values = headline[name]
        if None not in values.values():
            assert values["p10"] <= values["p50"] <= values["p90"], name
    assert headline["headcount_start"]["p50"] == 1000
    assert headline["headcount_end"]["p50"] < 1000
    assert headline["one_time_costs"]["p10"] > 0


def test_the_npv_of_the_mean_cash_flow_is_the_mean_npv(folder: Path) -> None:
    data = _summary(folder)
    assert data["mean_cash_flow"]["npv"] == pytest.approx(data["headline"]["npv"]["mean"], rel=1e-9)
    assert data["mean_cash_flow"]["one_time_costs"] == pytest.approx(
        data["headline"]["one_time_costs"]["mean"], rel=1e-9
    )


def test_the_seed_option_overrides_the_scenarios_seed(tmp_path: Path, folder: Path) -> None:
    target = tmp_path / "other-seed"
    run_scenario(
        load_scenario(SMALL),
        SMALL,
        target,
        replications=4,
        seed=12,
        workers=1,
        quiet=True,
        charts=False,
    )
    data = _summary(target)
    assert data["seed"] == 12
    assert data["headline"]["npv"]["mean"] != _summary(folder)["headline"]["npv"]["mean"]


def test_same_scenario_and_seed_give_a_byte_identical_summary_whatever_the_workers(
    tmp_path: Path,
) -> None:
    written = {}
    for workers in ("1", "2"):
        target = tmp_path / f"workers-{workers}"
        args = ["run", str(SMALL), "-o", str(target), "-n", "4", "--seed", "5", "-q"]
        result = CliRunner().invoke(main, [*args, "--no-charts", "--workers", workers])
        assert result.exit_code == 0, result.output
        written[workers] = target
    summary = {w: (t / "summary.json").read_bytes() for w, t in written.items()}
    assert summary["1"] == summary["2"]
    for name in ("timeseries.csv", "cashflows.csv", "replications.csv"):
        assert (written["1"] / name).read_bytes() == (written["2"] / name).read_bytes(), name


def test_the_irr_note_names_the_first_of_equally_common_reasons_whatever_the_hash_seed() -> None:
    """Two replications, two reasons: the note names the first replication's. (It took
    the first of a set, whose order changes with PYTHONHASHSEED: the ai-only scenario's
    summary.json differed between two runs of the same seed.)"""
    from types import SimpleNamespace

    from sim.runs.headlines import NEVER
    from sim.runs.summary import _notes

    first, second = "no real rate of return", "nothing invested"
    for order in ((first, second), (second, first)):
        results = SimpleNamespace(
            count=2, headlines=[dict.fromkeys(NEVER)] * 2, irr_reasons=list(order)
        )
        assert f"most often: {order[0]})" in _notes(results)["irr_annual"]  # type: ignore[arg-type]


# --- timeseries.csv


def test_timeseries_is_tidy_one_row_per_month_unit_and_metric(folder: Path) -> None:
    header, rows = _read_csv(folder / "timeseries.csv")
    assert header == ["month", "unit", "metric", "p10", "p50", "p90", "mean"]
    keys = [tuple(row[:3]) for row in rows]
    assert len(keys) == len(set(keys))
    months = list(dict.fromkeys(row[0] for row in rows))
    assert len(months) == 26 and months[0] == "2026-01" and months[-1] == "2028-02"
    for _, series in _series(folder).items():
        assert len(series["mean"]) == 26
        for p10, p50, p90 in zip(series["p10"], series["p50"], series["p90"], strict=True):
            if None not in (p10, p50, p90):
                assert p10 <= p50 <= p90


def test_timeseries_has_headcount_per_layer_money_work_and_ai(folder: Path) -> None:
    series = _series(folder)
    for metric in (
        "headcount",
        "payroll",
        "net_cash_flow",
        "cumulative_net_cash",
        "throughput",
        "cycle_time_mean",
        "work_in_progress",
        "ai_adoption",
    ):
        assert ("all", metric) in series, metric
    for layer in ("Director", "Senior manager", "Manager", "IC"):
        assert ("all", f"headcount:{layer}") in series
        assert ("Operations", f"headcount:{layer}") in series
    for metric in ("headcount", "payroll", "throughput", "cycle_time_mean", "work_in_progress"):
        assert ("Operations", metric) in series, metric
    # the removed layer is empty at the end; adoption is a share of staff
    assert series["all", "headcount:Senior manager"]["mean"][-1] == 0
    adoption = series["all", "ai_adoption"]["mean"]
    assert adoption[0] == 0 and 0 < adoption[-1] <= 1


def test_the_npv_recomputed_from_the_monthly_net_cash_flow_is_the_summarys(single: Path) -> None:
    data = _summary(single)
    series = _series(single)
    net = np.array(series["all", "net_cash_flow"]["mean"], dtype=float)
    rate = load_scenario(SMALL).meta.discount_rate_annual
    before = data["valuation"]["months_before"]
    assert before == 2  # the first wave is in March, the run starts in January
    npv = _npv_month_end(net, float(rate), before)
    for key in BAND:
        assert data["headline"]["npv"][key] == pytest.approx(npv, rel=1e-9)
    np.testing.assert_allclose(
        series["all", "cumulative_net_cash"]["mean"], np.cumsum(net), rtol=1e-12, atol=1e-6
    )
    # and payback read off the cumulative column by hand, counted from the valuation month
    cumulative = np.cumsum(net)
    negative = np.flatnonzero(cumulative < 0)
    assert data["headline"]["payback_month"]["p50"] == negative[-1] + 2 - before


# --- cashflows.csv


def test_cashflows_has_one_row_a_month_whose_columns_sum_to_the_net(folder: Path) -> None:
    header, rows = _read_csv(folder / "cashflows.csv")
    assert header[0] == "month" and header[-1] == "net cash flow"
    assert "value of extra work done" in header
    assert [row[0] for row in rows] == list(dict.fromkeys(r[0] for r in rows))
    assert len(rows) == _summary(folder)["months_simulated"]
    for row in rows:
        lines = [float(x) for x in row[1:-1]]
        net = float(row[-1])
        scale = sum(abs(x) for x in lines)
        assert math.fsum(lines) == pytest.approx(net, abs=1e-12 * scale), row[0]


def test_cashflows_agree_with_the_summarys_mean_cash_flow(folder: Path) -> None:
    header, rows = _read_csv(folder / "cashflows.csv")
    data = _summary(folder)["mean_cash_flow"]
    net = np.array([float(row[-1]) for row in rows])
    before = _summary(folder)["valuation"]["months_before"]
    npv = _npv_month_end(net, data["discount_rate_annual"], before)
    assert npv == pytest.approx(data["npv"], rel=1e-9)
    assert metrics.payback_month(net, before) == data["payback_month"]
    columns = {name: np.array([float(r[i]) for r in rows]) for i, name in enumerate(header) if i}
    one_time = -sum(columns[f"scenario: {k}"].sum() for k in ONE_TIME_LINES)
    one_time -= sum(columns[f"baseline: {k}"].sum() for k in ONE_TIME_LINES)
    assert one_time == pytest.approx(data["one_time_costs"], rel=1e-9)
    # the mean of the replications' net, month by month, as timeseries.csv has it
    mean_net = _series(folder)["all", "net_cash_flow"]["mean"]
    np.testing.assert_allclose(net, mean_net, rtol=1e-9, atol=1e-3)


# --- replications.csv


def test_replications_has_a_row_a_replication_with_its_draws_and_headlines(folder: Path) -> None:
    header, rows = _read_csv(folder / "replications.csv")
    assert header[0] == "replication"
    assert [row[0] for row in rows] == ["0", "1", "2", "3"]
    drawn = {
        "org.attrition_annual": (0.09, 0.16),
        "restructuring.survivor_effects.productivity_dip": (0.0, 0.15),
        "ai.programs[0].effects.ic_productivity_uplift": (0.0, 0.35),
    }
    for name in (*drawn, *HEADLINE_FIGURES):
        assert name in header, name
    table = {name: [_number(r[i]) for r in rows] for i, name in enumerate(header)}
    for name, (low, high) in drawn.items():
        assert all(low <= v <= high for v in table[name]), name
    assert len(set(table["org.attrition_annual"])) == 4  # drawn afresh for each replication
    headline = _summary(folder)["headline"]
    for name in ("npv", "one_time_costs", "run_rate_savings_annual", "headcount_end"):
        assert np.mean(table[name]) == pytest.approx(headline[name]["mean"], rel=1e-12), name


# --- written whole or not at all


@pytest.fixture(scope="module")
def results():
    return run_monte_carlo(load_scenario(SMALL), 1, 11)


def test_an_existing_folder_is_refused_without_force(tmp_path: Path, results) -> None:
    target = tmp_path / "run"
    target.mkdir()
    with pytest.raises(OutputExistsError, match="--force"):
        write_run(results, SMALL, target, force=False)
    assert list(target.iterdir()) == []


def test_a_run_interrupted_while_writing_leaves_nothing_behind(tmp_path: Path, results) -> None:
    target = tmp_path / "run"

    def interrupt(staging: Path) -> None:
        assert (staging / "summary.json").exists()  # half written when Ctrl-C comes
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_run(results, SMALL, target, force=False, extra=interrupt)
    assert not target.exists()
    assert _stray_temp_folders(target) == []


def test_an_interrupted_forced_run_keeps_the_old_folder(tmp_path: Path, results) -> None:
    target = tmp_path / "run"
    target.mkdir()
    (target / MARKER).write_text(MARKER_TEXT)  # an earlier run's folder
    (target / "summary.json").write_text("the earlier run\n")

    def interrupt(staging: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_run(results, SMALL, target, force=True, extra=interrupt)
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "summary.json"]
    assert (target / "summary.json").read_text() == "the earlier run\n"
    assert _stray_temp_folders(target) == []


def test_the_output_folder_has_the_permissions_of_any_new_folder(tmp_path: Path, results) -> None:
    target = tmp_path / "run"
    ordinary = tmp_path / "ordinary"
    umask = os.umask(0o022)  # the usual one; under 077 every new folder is private anyway
    try:
        write_run(results, SMALL, target, force=False)
        ordinary.mkdir()
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == ordinary.stat().st_mode & 0o777


def test_summary_reports_the_sampling_error_of_the_work_flow(results) -> None:
    """A sampled run says how much of its throughput and cycle time is sampling noise."""
    from sim.runs.summary import sampling_error

    error = sampling_error(results)
    assert error.throughput_relative_se is not None and error.cycle_time_relative_se is not None
    assert 0 < error.throughput_relative_se < 0.5
    assert 0 < error.cycle_time_relative_se < 0.5


def test_summary_json_reads_back_as_the_summary_it_was_written_from(folder: Path) -> None:
    """One writer, one reader: the file read back is the same RunSummary, and writing
    that again gives the file byte for byte."""
    from sim.report.files import json_text
    from sim.report.summaryfile import read_summary, summary_data

    text = (folder / "summary.json").read_text(encoding="utf-8")
    summary = read_summary(json.loads(text))
    assert json_text(summary_data(summary)) == text
    assert load_run(folder).summary == summary
    assert summary.headline["npv"].mean == json.loads(text)["headline"]["npv"]["mean"]


def test_a_summary_json_with_a_field_it_does_not_know_is_no_run_folder(
    folder: Path, tmp_path: Path
) -> None:
    shutil.copytree(folder, tmp_path / "run")
    path = tmp_path / "run" / "summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["valuation"]["surprise"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RunFolderError, match="not a run output folder"):
        load_run(tmp_path / "run")
