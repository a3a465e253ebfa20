"""Stop when settled: intervals that cover, and a stop that the seed alone decides."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import ROOT, SMALL

from sim.cli import main
from sim.runs.orchestrator import run_monte_carlo, simulate
from sim.runs.plan import Pool, RunPlan
from sim.runs.precision import Stop, interval, is_settled, parse_precision
from sim.scenario.load import load_scenario


def test_percentile_interval_covers_the_true_median_at_its_confidence() -> None:
    rng = np.random.default_rng(3)
    trials = 400
    covered = 0
    for _ in range(trials):
        found = interval(list(rng.normal(10, 2, 60)), "p50", 0.95)
        assert found.low is not None and found.high is not None
        covered += found.low <= 10 <= found.high
    assert 0.92 <= covered / trials <= 0.995


def test_mean_interval_is_students_t() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    found = interval(values, "mean", 0.95)
    assert found.estimate == 2.5
    assert found.half_width == pytest.approx(3.182446 * np.std(values, ddof=1) / 2, rel=1e-5)


def test_a_precision_is_written_as_headline_stat_and_width() -> None:
    rule = parse_precision("npv.p50=1%")
    assert (rule.headline, rule.statistic, rule.half_width, rule.relative) == (
        "npv",
        "p50",
        0.01,
        True,
    )
    assert parse_precision("npv.mean=50e6").half_width == 50e6
    with pytest.raises(ValueError, match="no headline 'npx'"):
        parse_precision("npx.p50=1%")
    with pytest.raises(ValueError, match=r"HEADLINE\.STAT=WIDTH"):
        parse_precision("npv_p50<1%")


RULE = parse_precision("npv.mean=15%")


def _settle(workers: int):
    scenario = load_scenario(SMALL)
    plan = RunPlan(8, seed=4, until=Stop(RULE, batch=2, max_replications=8))
    return simulate(scenario, plan, Pool(workers))


def test_the_stop_is_reproducible_and_equals_a_plain_run_of_that_many() -> None:
    results = _settle(workers=1)
    stopping = results.stopping
    assert stopping is not None and stopping["settled"]
    assert results.count % 2 == 0 and results.count < 8
    assert stopping["replications"] == results.count
    width = stopping["half_width"]
    assert width is not None and width <= 0.15 * abs(stopping["estimate"])
    npvs = [h["npv"] for h in results.headlines]
    for earlier in range(2, results.count, 2):  # it stopped at the first batch that settled
        assert not is_settled(RULE, interval(npvs[:earlier], "mean", RULE.confidence))
    plain = run_monte_carlo(load_scenario(SMALL), results.count, 4)
    assert plain.headlines == results.headlines


@pytest.mark.slow
def test_the_stop_is_the_same_whatever_the_workers() -> None:
    one = _settle(workers=1)
    two = _settle(workers=2)
    assert one.count == two.count and one.headlines == two.headlines


def test_a_statistic_no_replication_gives_stops_at_the_first_batch_and_says_why(
    tmp_path: Path,
) -> None:
    """The status quo has no IRR (its cash flows never change sign): --precision on it ran
    to its 2,000-replication ceiling; it stops after the first batch, in one line."""
    args = ["run", str(ROOT / "scenarios" / "status-quo.yaml"), "--no-flow", "--no-charts"]
    args += ["--precision", "irr_annual.p50=1%", "-n", "3", "--workers", "1", "-q"]
    found = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "run")])
    assert found.exit_code == 0, found.output
    line = found.output.splitlines()[0]
    assert line.startswith("irr_annual.p50=1%: NOT settled, stopped after 3: none of the first 3")
    assert "IRR (annual)" in line and "most often: " in line and "settle another" in line
    stopping = json.loads((tmp_path / "run" / "summary.json").read_text())["stopping"]
    assert stopping["replications"] == 3 and not stopping["settled"] and stopping["reason"]
