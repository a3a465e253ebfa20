"""Inputs that only the work flow reads move no money, so a study of money statistics
does not simulate their settings and says so (sim.studies.reuse.flow_only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.runs.montecarlo import Results
from sim.runs.orchestrator import run_monte_carlo
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import parse_path
from sim.scenario.labels import label
from sim.scenario.schema import Scenario
from sim.studies.reuse import FLOW_ONLY_NOTE, flow_only
from tests.conftest import counting_simulations, merged_scenario
from tests.test_redeployment import scenario_doc
from tests.test_roles import PROGRAM

EXIT_INVALID = 2
#: every flow-only input, at a value other than its own
FLOW_INPUTS = {
    "work[0].review_hours": 3.0,
    "work[0].handoff_delay_days": 4.0,
    "work[0].automated_review_share": 0.9,
    "work[0].manager_hours_per_week": 20.0,
    "work[0].signoff_shares[0]": 0.1,
    "restructuring.survivor_effects.productivity_dip": 0.3,
    "restructuring.survivor_effects.dip_months": 12.0,
    "restructuring.waves[0].redeployment.ramp_months": 9.0,
    "restructuring.waves[0].redeployment.ramp_productivity": 0.1,
    "ai.programs[0].effects.review_time_reduction": 0.6,
}
#: read by the planners of a unit staffed to capacity too
PLANNED_INPUTS = {"work[0].effort_hours": 9.0, "work[0].ic_hours_per_week": 20.0}


def _doc(policy: str) -> dict[str, Any]:
    """A wave that redeploys, survivors who work slower after it, an AI programme that
    cuts review time, sign-offs: every part of the plan a flow-only input acts on."""
    doc = scenario_doc(0.5)
    # planners staff to a utilisation given, so they read the effort and the IC hours
    doc["org"]["staffing"] = {"policy": policy, "target_utilisation": 0.8}
    # 4 items of 6 hours a week an IC at 30 hours and 0.8: the ICs as written are the need
    work = {"arrivals_per_ic_per_week": 4.0, "effort_hours": 6, "signoff_shares": [0.5]}
    doc["work"] = [work]
    doc["restructuring"]["survivor_effects"] = {"productivity_dip": 0.1, "dip_months": 6}
    effects = {**PROGRAM["effects"], "review_time_reduction": 0.2}
    doc["ai"] = {"programs": [{**PROGRAM, "effects": effects}]}
    return doc


def _scenario(policy: str = "capacity") -> Scenario:
    return merged_scenario(_doc(policy))


@pytest.mark.parametrize("policy", ["capacity", "replace_leavers"])
def test_an_input_only_the_work_flow_reads_moves_no_money(policy: str) -> None:
    """The classification is true of the engine: each such input set otherwise gives the
    headlines and cash flows of the scenario as written, to the bit (its capacity series
    move: they are the work flow's, and no study of money reads them)."""
    scenario = _scenario(policy)
    inputs = FLOW_INPUTS | (PLANNED_INPUTS if policy == "replace_leavers" else {})
    written = run_monte_carlo(scenario, 2, 3, flow=False)
    for text, value in inputs.items():
        path = parse_path(text)
        assert flow_only(scenario, path), text
        _same_money(run_monte_carlo(with_value(scenario, path, value), 2, 3, flow=False), written)


def _same_money(one: Results, two: Results) -> None:
    assert repr(one.headlines) == repr(two.headlines)  # repr: a NaN equals itself
    flows, theirs = one.mean_cash_flows(), two.mean_cash_flows()
    for mine, other in ((flows.scenario, theirs.scenario), (flows.baseline, theirs.baseline)):
        assert mine.keys() == other.keys()
        for line in mine:
            np.testing.assert_array_equal(mine[line], other[line])


def test_effort_and_ic_hours_are_not_flow_only_where_planners_staff_to_capacity() -> None:
    scenario = _scenario("capacity")
    written = run_monte_carlo(scenario, 2, 3, flow=False).headline["npv"].mean
    for text, value in PLANNED_INPUTS.items():
        path = parse_path(text)
        assert not flow_only(scenario, path)
        moved = run_monte_carlo(with_value(scenario, path, value), 2, 3, flow=False)
        assert moved.headline["npv"].mean != written  # the planners hire for it
    assert not flow_only(scenario, parse_path("restructuring.notice_weeks"))
    assert not flow_only(scenario, parse_path("meta.discount_rate_annual"))


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(_doc("capacity")))
    return path


def test_a_tornado_of_money_does_not_simulate_an_input_of_the_work_flow_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "tornado"
    review = "work[0].review_hours"
    args = ["sensitivity", str(_file(tmp_path)), "--no-uncertain", "-n", "2", "--seed", "3"]
    args += ["--vary", f"{review}=0.2:2", "--vary", "restructuring.notice_weeks=4:13"]
    args += ["--workers", "1", "--no-charts", "-o", str(out)]
    simulated = counting_simulations(monkeypatch)
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    # the base and the notice's two ends: review time's two ends were not simulated
    assert simulated == [2, 2, 2]
    name = label(_scenario(), parse_path(review))
    assert f"{name} {FLOW_ONLY_NOTE}" in done.output
    data = json.loads((out / "sensitivity.json").read_text())
    assert [i["path"] for i in data["inputs"]] == ["restructuring.notice_weeks"]
    assert data["not_simulated"] == [{"input": name, "path": review, "why": FLOW_ONLY_NOTE}]
    assert review not in (out / "sensitivity.csv").read_text()  # no swing of zero


@pytest.mark.parametrize(
    "command",
    [
        ["solve", "--vary", "work[0].review_hours=0.2:2", "--target", "npv.mean>=0"],
        ["sweep", "--set", "work[0].review_hours=0.2:2:5"],
    ],
    ids=["goal seek", "sweep"],
)
def test_a_study_of_one_input_of_the_work_flow_for_money_is_refused_unsimulated(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "study"
    args = [command[0], str(_file(tmp_path)), *command[1:], "-n", "2", "--workers", "1"]
    simulated = counting_simulations(monkeypatch)
    done = CliRunner().invoke(main, [*args, "--no-charts", "-o", str(out)])
    assert done.exit_code == EXIT_INVALID, done.output
    assert FLOW_ONLY_NOTE in done.output
    assert "Traceback" not in done.output
    assert len(done.output.strip().splitlines()) == 1
    assert simulated == []
    assert not out.exists()
