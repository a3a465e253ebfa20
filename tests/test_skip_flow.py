"""Money-only studies skip the work flow: the money is the same to the last cent.

Headcount and cost never depend on the sampled work flow (planners staff from
expected demand; the flow draws from its own streams), so a run with
``flow=False`` gives exactly the money and headcount of a full run on the same
seed, and says plainly that it has no work-flow figures rather than zeros.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import SMALL, unpriced

from sim.model.replication import run_replication
from sim.report.runfolder import write_run
from sim.runs.orchestrator import run_monte_carlo
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario
from sim.studies.fidelity import needs_flow

FLOW_HEADLINES = ("throughput_change", "cycle_time_change")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return unpriced(load_scenario(SMALL))


def test_a_run_without_the_work_flow_has_the_money_of_a_full_run_on_the_same_seed(
    scenario: Scenario,
) -> None:
    full = run_monte_carlo(scenario, 3, seed=7)
    money = run_monte_carlo(scenario, 3, seed=7, flow=False)
    for ours, theirs in zip(money.headlines, full.headlines, strict=True):
        for name, value in theirs.items():
            if name in FLOW_HEADLINES:
                assert ours[name] is None, name  # not simulated: no figure, never a zero
            else:
                assert ours[name] == value, name
    assert money.bridges == full.bridges
    for key in (("all", "payroll"), ("all", "headcount"), ("all", "net_cash_flow")):
        assert np.array_equal(money.stacked(key), full.stacked(key)), key


def test_a_replication_without_the_work_flow_keeps_its_shapes_filled_with_nan(
    scenario: Scenario,
) -> None:
    full = run_replication(scenario, 3)
    money = run_replication(scenario, 3, flow=False)
    for ours, theirs in zip(money.scenario.units, full.scenario.units, strict=True):
        assert ours.done.shape == theirs.done.shape
        assert ours.utilisation.shape == theirs.utilisation.shape
        assert np.isnan(ours.done).all() and np.isnan(ours.cycle_time_mean_weeks).all()
        assert ours.sampled_teams == 0 and math.isnan(ours.items_per_simulated_item)
        assert np.array_equal(ours.payroll, theirs.payroll)
        assert np.array_equal(ours.headcount, theirs.headcount)
    assert money.scenario.simulated_items == 0 < full.scenario.simulated_items


def test_a_run_folder_refuses_a_run_without_the_work_flow(scenario: Scenario, tmp_path) -> None:
    money = run_monte_carlo(scenario, 1, seed=7, flow=False)
    with pytest.raises(ValueError, match="skipped"):
        write_run(money, SMALL, tmp_path / "run", force=False)
    assert not (tmp_path / "run").exists()


def test_a_study_needs_the_work_flow_only_for_flow_figures_or_priced_work(
    scenario: Scenario,
) -> None:
    assert not needs_flow(scenario, ("npv", "payback_month"))
    assert needs_flow(scenario, ("npv", "throughput_change"))
    assert needs_flow(load_scenario(SMALL), ("npv",))  # its work items are priced
