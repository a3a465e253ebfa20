"""Stop when settled: intervals that cover, and a stop that the seed alone decides."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL

from sim.runs.montecarlo import run_monte_carlo
from sim.runs.precision import interval, parse_precision, run_until_settled
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


def _settle(workers: int):
    scenario = load_scenario(SMALL)
    rule = parse_precision("npv.mean=15%")
    return run_until_settled(scenario, rule, seed=4, batch=2, max_replications=8, workers=workers)


def test_the_stop_is_reproducible_and_equals_a_plain_run_of_that_many() -> None:
    results, settling = _settle(workers=1)
    assert settling.settled and results.count % 2 == 0 and results.count < 8
    assert [n for n, _ in settling.batches] == list(range(2, results.count + 1, 2))
    width = settling.final.half_width
    assert width is not None and width <= 0.15 * abs(settling.final.estimate or 0)
    plain = run_monte_carlo(load_scenario(SMALL), results.count, 4)
    assert plain.headlines == results.headlines


@pytest.mark.slow
def test_the_stop_is_the_same_whatever_the_workers() -> None:
    one, _ = _settle(workers=1)
    two, _ = _settle(workers=2)
    assert one.count == two.count and one.headlines == two.headlines
