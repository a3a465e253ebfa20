"""Replications batched: their workforces advance week by week together, and each is
the replication it would be alone, to the bit, whatever the batch, chunk or workers.

The batch is how a money-only run goes fast (sim.model.workforce.simulate_workforces);
it must change nothing else. A year of attrition alone is checked against its closed
form over a batch of replications: survivors of a cohort are binomial.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.model.calendar import Calendar
from sim.model.draws import at_quantiles
from sim.model.lockstep import Lockstep
from sim.model.replication import Replication, _Start, run_replication, run_replications
from sim.model.workforce import (
    STATUS_QUO,
    WHOLE_PLAN,
    Workforce,
    simulate_workforces,
)
from sim.runs import chunks, montecarlo
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.plan import RunPlan
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import parse_path
from sim.scenario.load import load_scenario
from sim.studies.reuse import FinanceReruns, finance_only
from sim.studies.sensitivity import Outcome, Vary, tornado
from tests.conftest import merged_scenario

ROOT = Path(__file__).resolve().parent.parent
#: waves that cut and remove a layer, AI funded from savings, capacity staffing,
#: uncertain inputs: every part of the batched workforce is exercised
MIDSIZE = ROOT / "scenarios" / "midsize-delayering.yaml"

WEEKS_A_YEAR = 365.25 / 7
ATTRITION = 0.2
COHORT = {"Director": 40, "Manager": 400, "IC": 4000}
#: replications of the attrition test: tolerances are four standard errors at this count
COHORT_REPLICATIONS = 300

ONE_YEAR: dict[str, Any] = {
    "meta": {"name": "cohort", "start": "2026-01", "horizon_months": 12},
    "org": {
        "attrition_annual": ATTRITION,
        "backfill": {"share": 0.0, "lag_weeks": 4, "cost_per_hire": 0},
        "units": [
            {
                "name": "Ops",
                "layers": [
                    {"name": name, "headcount": n, "cost_per_head_annual": 100_000}
                    for name, n in COHORT.items()
                ],
            }
        ],
    },
    "work": [{"arrivals_per_ic_per_week": 0.2, "effort_hours": 2}],
    "finance": {"valuation_date": "2026-01"},
}


def _arrays(replication: Replication) -> list[np.ndarray]:
    out = [replication.scenario.headcount, replication.baseline.headcount]
    for trajectory in (replication.scenario, replication.baseline):
        for unit in trajectory.units:
            out += [unit.headcount, unit.hires, unit.leavers, unit.payroll, unit.severance]
    return out + list(replication.payroll_steps.values())


@pytest.mark.parametrize("name", ["midsize-delayering", "ecommerce-2026"])
def test_a_batched_replication_is_the_replication_run_alone_to_the_bit(name: str) -> None:
    """ecommerce-2026 redeploys people cut across units and protects the pay of the
    managers moved down and of the redeployed: one table for the whole batch."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    seeds = np.random.SeedSequence(5).spawn(3)
    batched = run_replications(scenario, seeds, flow=False)
    for seed, together in zip(seeds, batched, strict=True):
        alone = run_replication(scenario, seed, flow=False)
        assert together.parameters == alone.parameters
        for a, b in zip(_arrays(together), _arrays(alone), strict=True):
            np.testing.assert_array_equal(a, b)


def _same(one: montecarlo.Results, two: montecarlo.Results) -> None:
    assert repr(one.headlines) == repr(two.headlines)  # repr: a NaN equals itself
    for key in one.series:
        np.testing.assert_array_equal(one.stacked(key), two.stacked(key))


@pytest.mark.parametrize("name", ["midsize-delayering", "ecommerce-2026"])
def test_money_only_results_are_the_same_whatever_the_chunks(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    whole = run_monte_carlo(scenario, 4, 11, workers=1, flow=False)  # one chunk of 4
    monkeypatch.setattr(chunks, "MONEY_CHUNK", 3)
    _same(whole, run_monte_carlo(scenario, 4, 11, workers=1, flow=False))  # 3 and 1


@pytest.mark.slow
@pytest.mark.parametrize("chunk", [1, 3])
def test_money_only_results_are_the_same_whatever_the_workers(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario(MIDSIZE)
    one = run_monte_carlo(scenario, 5, 11, workers=1, flow=False)
    monkeypatch.setattr(chunks, "MONEY_CHUNK", chunk)
    _same(one, run_monte_carlo(scenario, 5, 11, workers=2, flow=False))


@pytest.mark.slow
def test_a_year_of_attrition_leaves_binomial_survivors_in_every_layer() -> None:
    """Each week a layer loses Binomial(n, h) at the weekly hazard h of the annual rate,
    so after w weeks a cohort's survivors are Binomial(n0, (1 - h) ** w): mean and
    variance by layer over a batch of replications, within four standard errors."""
    scenario = merged_scenario(ONE_YEAR)
    replications = run_replications(scenario, list(range(COHORT_REPLICATIONS)), flow=False)
    hazard = 1 - (1 - ATTRITION) ** (1 / WEEKS_A_YEAR)
    end = np.array([r.baseline.units[0].headcount_end[-1] for r in replications])
    weeks = int(Calendar(scenario.meta.start, 12).month_end_weeks[-1]) + 1  # to the year's end
    for layer, n in enumerate(COHORT.values()):
        kept = (1 - hazard) ** weeks
        mean, variance = n * kept, n * kept * (1 - kept)
        se_mean = math.sqrt(variance / COHORT_REPLICATIONS)
        se_variance = variance * math.sqrt(2 / (COHORT_REPLICATIONS - 1))
        assert abs(end[:, layer].mean() - mean) < 4 * se_mean
        assert abs(end[:, layer].var(ddof=1) - variance) < 4 * se_variance


def test_a_finance_only_input_reuses_the_replications_with_the_figures_of_a_rerun() -> None:
    """The discount rate is read by the finance alone: a study's settings of it are the
    scenario's replications summarised again, the very figures of a run of each."""
    scenario = load_scenario(MIDSIZE)
    path = parse_path("meta.discount_rate_annual")
    assert finance_only(scenario, path)
    assert not finance_only(scenario, parse_path("restructuring.notice_weeks"))
    plan = RunPlan(replications=3, seed=4)
    reruns = FinanceReruns(scenario, plan, flow=False)
    for rate in (0.03, 0.15):
        reused = reruns.results(path, rate)
        setting = with_value(scenario, path, rate)
        rerun = run_monte_carlo(setting, plan.replications, plan.seed, flow=False)
        _same(reused, rerun)
        assert reused.parameters == rerun.parameters


def test_a_tornado_swings_a_finance_only_input_with_the_figures_of_a_rerun() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "cuts-only.yaml")
    path = parse_path("meta.discount_rate_annual")
    plan = RunPlan(replications=2, seed=3)
    vary = Vary(path, 0.04, 0.12, "0.04", "0.12")
    swing = tornado(scenario, plan, [vary], uncertain=False).swings[0]
    medians = at_quantiles(scenario, {})
    for value, outcome in ((0.04, swing.low), (0.12, swing.high)):
        rerun = run_monte_carlo(with_value(medians, path, value), 2, 3, flow=False)
        assert outcome == Outcome.of(rerun.headline)


def _people(workforce: Workforce) -> list[np.ndarray]:
    out = [workforce.wave_one_time_cost]
    for unit in workforce.units:
        out += [unit.headcount, unit.hires, unit.leavers, unit.cut, unit.working_pay]
        out += [unit.paid_years, unit.notice_pay, unit.severance, unit.on_notice]
        out += [
            x for x in (unit.redeployed, unit.severance_avoided, unit.retraining) if x is not None
        ]
    for change in workforce.changes:
        out += [change.notice_pay, change.severance, np.array([change.redeployed, change.people])]
    return out


def test_the_runs_of_a_seed_draw_together_what_each_draws_alone() -> None:
    """A replication's status quo and its savings bridge's steps share their streams: a
    layer follows the first run's draws while its people and hazard agree, and parts
    ways with the stream where it stood. Each run is still what it is simulated alone
    (a batch of one follows nothing), cuts, redeployment and pay protection included."""
    scenario = load_scenario(ROOT / "scenarios" / "ecommerce-2026.yaml")
    start = _Start.of(scenario, 3, None, False, None)
    runs = [start.workforce(STATUS_QUO)] + [start.workforce(plan) for _, plan in start.bridge]
    together = simulate_workforces(runs)
    batch = Lockstep([start.workforce(STATUS_QUO), start.workforce(WHOLE_PLAN)], start.calendar)
    assert batch.draws.following.size  # the second run follows the first: the test is not empty
    for run, batched in zip(runs, together, strict=True):
        alone = simulate_workforces([dataclasses.replace(run, seed=start.workforce(run.plan).seed)])
        for a, b in zip(_people(batched), _people(alone[0]), strict=True):
            np.testing.assert_array_equal(a, b)
