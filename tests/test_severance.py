"""Severance is booked from the cuts a replication kept (sim.model.severance), so a study
that swings a severance term simulates the replications once and books the severance
again for each value: the figures of a rerun of that value, to the bit, for both forms
of the terms and for a wave's own terms; a tornado or a goal seek on one simulates once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from sim.model.replication import refinanced, run_replication
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.plan import RunPlan
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import FieldPath, parse_path
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario
from sim.studies.reuse import FinanceReruns, finance_only
from sim.studies.sensitivity import Outcome, Vary, tornado
from sim.studies.solve import parse_target, solve
from tests.conftest import counting_simulations, merged_scenario
from tests.test_batched_workforce import _same
from tests.test_redeployment import scenario_doc

ROOT = Path(__file__).resolve().parent.parent
CUTS = ROOT / "scenarios" / "cuts-only.yaml"  # tenure terms, the tenure uncertain
TENURE = "restructuring.severance.average_tenure_years"
PLAN = RunPlan(2, 3)


def _cuts() -> Scenario:
    return load_scenario(CUTS)


def _two_waves() -> Scenario:
    """Flat terms (10 weeks), people redeployed during notice (their severance taken back
    and counted as avoided where they join), and a second wave on terms of its own."""
    doc = scenario_doc(0.5)
    doc["restructuring"]["waves"].append(
        {
            "date": "2026-07-01",
            "cuts": [{"unit": "Ops", "layer": "IC", "role": "B", "share": 0.1}],
            "severance": {"base_weeks": 1, "weeks_per_year": 2, "average_tenure_years": 3},
        }
    )
    return merged_scenario(doc)


CASES = [
    pytest.param(_cuts, TENURE, (1.0, 30.0), id="tenure terms, the cap reached"),
    pytest.param(_two_waves, "restructuring.severance.weeks_of_pay", (2.0, 26.0), id="flat"),
    pytest.param(
        _two_waves, "restructuring.waves[1].severance.average_tenure_years", (0.0, 12.0), id="wave"
    ),
]


@pytest.mark.parametrize(("make", "path", "values"), CASES)
def test_severance_booked_again_gives_the_figures_of_a_rerun(
    make: Callable[[], Scenario], path: str, values: tuple[float, float]
) -> None:
    scenario, field = make(), parse_path(path)
    assert finance_only(scenario, field)
    reruns = FinanceReruns(scenario, PLAN, flow=False)
    one_time = []
    for value in values:
        reused = reruns.results(field, value)
        rerun = run_monte_carlo(with_value(scenario, field, value), 2, 3, flow=False)
        _same(reused, rerun)
        assert reused.parameters == rerun.parameters
        assert reused.cut_lines() == rerun.cut_lines()  # severance weeks and money by cut
        one_time.append(reused.headline["one_time_costs"].mean)
        _same_severance(scenario, field, value)
    assert one_time[0] != one_time[1]  # the terms moved the severance booked


def _same_severance(scenario: Scenario, field: FieldPath, value: float) -> None:
    """A replication's severance booked again at ``value`` is a rerun's, line by line:
    each unit's severance and severance avoided, each cut's severance and its weeks."""
    setting = with_value(scenario, field, value)
    rerun = run_replication(setting, 3)
    again = refinanced(run_replication(scenario, 3), rerun.inputs).scenario
    avoided = 0.0
    for mine, theirs in zip(again.units, rerun.scenario.units, strict=True):
        np.testing.assert_array_equal(mine.severance, theirs.severance)
        if theirs.severance_avoided is not None:
            np.testing.assert_array_equal(mine.severance_avoided, theirs.severance_avoided)
            avoided += theirs.severance_avoided.sum()
    redeploys = any(w.redeployment is not None for w in scenario.restructuring.waves)
    assert (avoided > 0) == redeploys  # people placed took theirs back
    changes = rerun.scenario.layer_changes
    assert len(again.layer_changes) == len(changes) > 0
    for mine_, theirs_ in zip(again.layer_changes, changes, strict=True):
        np.testing.assert_array_equal(mine_.severance, theirs_.severance)
        assert (mine_.severance_weeks, mine_.redeployed) == (
            theirs_.severance_weeks,
            theirs_.redeployed,
        )


def test_a_tornado_on_a_severance_term_simulates_the_replications_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = _cuts()
    vary = Vary(parse_path(TENURE), 1.0, 12.0, "1", "12")
    simulated = counting_simulations(monkeypatch)
    swing = tornado(scenario, PLAN, [vary], uncertain=False).swings[0]
    assert simulated == [PLAN.replications]  # the base setting's; both ends booked again
    monkeypatch.undo()
    alone = tornado(scenario, PLAN, [vary], uncertain=False, reuse=False).swings[0]
    assert (swing.low, swing.high) == (alone.low, alone.high)
    assert swing.low != swing.high
    assert isinstance(swing.low, Outcome)


def test_a_goal_seek_on_a_severance_term_simulates_the_replications_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario, path = _two_waves(), "restructuring.severance.weeks_of_pay"
    field = parse_path(path)
    reruns = FinanceReruns(scenario, PLAN, flow=False)
    ends = [reruns.results(field, v).headline["npv"].mean for v in (0.0, 26.0)]
    target = parse_target(f"npv.mean={sum(ends) / 2:.0f}")  # met inside the bracket
    simulated = counting_simulations(monkeypatch)
    found = solve(scenario, field, 0.0, 26.0, target, PLAN, path)
    assert len(found.evaluations) > 2  # a search of several values ...
    assert simulated == [PLAN.replications]  # ... on replications simulated once
    monkeypatch.undo()
    assert found == solve(scenario, field, 0.0, 26.0, target, PLAN, path, reuse=False)
