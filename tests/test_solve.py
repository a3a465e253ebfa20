"""Goal seek: a known root found to its tolerance, on a synthetic response and a real scenario."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import SMALL, check_pngs, csv_rows

from sim.cli import main
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.plan import RunPlan
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import parse_path
from sim.scenario.load import load_scenario
from sim.studies.solve import Evaluation, NoAnswer, parse_target, search, solve, statistic_of

NOISE = np.random.default_rng(1).normal(0, 0.1, 40)  # each replication's own offset: CRN


def synthetic(target_text: str):
    target = parse_target(target_text)

    def evaluate(x: float) -> Evaluation:
        figures = tuple(float(x**3 - 2 + e) for e in NOISE)
        return Evaluation(x, statistic_of(figures, target), figures)

    return target, evaluate


def test_equality_target_finds_the_known_root_of_a_monotone_response() -> None:
    target, evaluate = synthetic("npv.p50=0")
    found = search(evaluate, 0.0, 3.0, target, "x", "x", seed=1, tolerance=1e-6)
    root = (2 - float(np.median(NOISE))) ** (1 / 3)
    assert found.answer == pytest.approx(root, abs=1e-6)
    assert len(found.evaluations) < 15  # regula falsi, not 22 halvings
    low, high = found.interval
    assert low is not None and high is not None and low < root < high


def test_inequality_target_gives_the_edge_that_meets_it() -> None:
    target, evaluate = synthetic("npv.mean<=5")
    found = search(evaluate, 0.0, 3.0, target, "x", "x", seed=1, tolerance=1e-4)
    edge = (7 - float(NOISE.mean())) ** (1 / 3)
    assert found.answer <= edge < found.answer + 1e-4  # the met side, within the tolerance
    assert statistic_of(evaluate(found.answer).figures, target) <= 5


def test_a_bracket_without_an_answer_says_the_statistic_at_both_ends() -> None:
    target, evaluate = synthetic("npv.p50=100")
    ends = r"P50 npv is -1\.99.* at x = 0 and P50 npv is 25\.0.* at x = 3.*are below"
    with pytest.raises(NoAnswer, match=ends):
        search(evaluate, 0.0, 3.0, target, "x", "x", seed=1)


def test_a_payback_that_never_comes_is_later_than_any_target() -> None:
    target = parse_target("payback_month.p50<=12")
    assert target.gap(None) == math.inf
    assert statistic_of([None, None, 3.0], target) is None


def test_goal_seek_on_a_scenario_meets_its_target_when_run_as_a_normal_scenario() -> None:
    scenario = load_scenario(SMALL)
    path = parse_path("restructuring.waves[0].one_time_costs")
    plan = RunPlan(2, 11)
    found = solve(scenario, path, 0.0, 20e6, parse_target("npv.p50=0"), plan, "One-time costs")
    rerun = run_monte_carlo(with_value(scenario, path, found.answer), 2, 11)
    # NPV moves 1:1 (discounted) with a one-time cost: the tolerance is a few thousand dollars
    assert abs(rerun.headline["npv"].p50 or 0) < 20e6 / 256


def test_solve_command_prints_the_answer_and_writes_its_table_and_chart(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "solve",
            str(SMALL),
            "--vary",
            "restructuring.waves[0].one_time_costs=0:20e6",
            "--target",
            "npv.p50=0",
            "-n",
            "3",
            "--workers",
            "1",
            "-q",
            "--format",
            "png",
            "-o",
            str(tmp_path / "solve"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Delayering: One-time costs = $" in result.output and "95% interval" in result.output
    rows = csv_rows(tmp_path / "solve" / "solve.csv")
    assert rows[0]["input"] == "Delayering: One-time costs"
    check_pngs([tmp_path / "solve" / "charts" / "solve.png"])


def test_solve_command_with_no_answer_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "solve",
            str(SMALL),
            "--vary",
            "restructuring.waves[0].one_time_costs=0:1e6",
            "--target",
            "npv.p50<=-1e9",
            "-n",
            "2",
            "--workers",
            "1",
            "-q",
            "-o",
            str(tmp_path / "none"),
        ],
    )
    assert result.exit_code == 2
    assert "no answer between 0 and 1e+06" in result.output
    assert not (tmp_path / "none").exists()
