"""The run-cost estimate against what the engine then simulates.

The estimate sizes a run before it starts (refuse what cannot be computed, say how
long the rest take) from nominal values; here it is checked against the items a
replication actually simulates, scenario and twin, in both work modes. The
tolerance is the estimate's own: it ignores AI, attrition and cuts, which move
the items simulated by a few tens of percent, never by a factor.
"""

from __future__ import annotations

import math

import pytest
from conftest import ROOT, merged_scenario

from sim.model.cost import estimate
from sim.model.replication import run_replication

BASE = {
    "meta": {"name": "cost", "start": "2026-01", "horizon_months": 6, "fidelity_items": 20_000},
    "org": {
        "attrition_annual": 0.0,
        "backfill": {"share": 1.0, "lag_weeks": 4},
        "units": [
            {
                "name": "Ops",
                "layers": [
                    {"name": "Director", "headcount": 4, "cost_per_head_annual": 300_000},
                    {"name": "Manager", "headcount": 40, "cost_per_head_annual": 200_000},
                    {"name": "IC", "headcount": 400, "cost_per_head_annual": 120_000},
                ],
            }
        ],
    },
    # ICs at 40% utilisation: backlog mode works through 2.5 times the demand
    "work": [{"arrivals_per_ic_per_week": 2.0, "effort_hours": 6, "ic_hours_per_week": 30}],
}


@pytest.mark.parametrize(("mode", "ratio"), [("demand", 1.0), ("backlog", 2.5)])
def test_the_estimate_counts_the_items_the_engine_simulates(mode: str, ratio: float) -> None:
    scenario = merged_scenario(BASE, {"work": [{**BASE["work"][0], "mode": mode}]})
    cost = estimate(scenario)
    replication = run_replication(scenario, 3)
    simulated = replication.scenario.simulated_items + replication.baseline.simulated_items
    assert cost.items == pytest.approx(simulated, rel=0.15)
    demand_only = estimate(merged_scenario(BASE, None))
    assert cost.items / demand_only.items == pytest.approx(ratio, rel=0.15)


def test_the_items_figure_says_what_it_counts_beside_fidelity_items() -> None:
    # issue 27: "300,327 items a replication" against fidelity_items: 50000, unexplained
    from sim.model.cost import describe
    from sim.scenario.load import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "ecommerce-2026.yaml")
    cost = estimate(scenario)
    line = describe(cost, 20, 2)
    assert 0 < cost.tracked < cost.items
    # the sampled teams' items are about fidelity_items twice (scenario and twin)
    assert 1.5 * scenario.meta.fidelity_items < cost.tracked < 3 * scenario.meta.fidelity_items
    assert "items of the sampled teams, about meta.fidelity_items in the scenario" in line
    assert "background reviews" in line


def test_a_long_run_says_which_replications_simulate_the_work_flow_and_how_long_in_all(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from sim.report.run import say_cost
    from sim.runs.flowsample import FlowSample
    from sim.runs.orchestrator import run_time
    from sim.runs.plan import Pool, RunPlan
    from sim.scenario.load import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "ecommerce-2026.yaml")

    def plan(flow: FlowSample, replications: int = 1000) -> RunPlan:
        return RunPlan(replications, 1, flow=flow)

    # a thousand now take under the minute that makes a run say its length: two thousand
    say_cost(scenario, plan(FlowSample(), 2000), Pool(2))
    said = capsys.readouterr().err
    assert "2000 replications, the work flow in the first 15" in said
    money_only = run_time(scenario, plan(FlowSample(count=0)), Pool(2))
    sampled = run_time(scenario, plan(FlowSample()), Pool(2))
    every = run_time(scenario, plan(FlowSample(every=True)), Pool(2))
    # the sample adds its 15 replications' work flow to money only, 8 a worker (the
    # odd one's worker takes its money part beside it), and the
    # work flow is most of a replication's time: the sampled run is a fraction of every
    added = (
        math.ceil(15 / 2) * (sampled.flow.seconds + sampled.money_seconds)
        - 15 / 2 * sampled.money_seconds
    )
    assert sampled.seconds - money_only.seconds == pytest.approx(added, rel=1e-9)
    assert money_only.seconds < sampled.seconds < every.seconds / 5
    # a thousand money-only replications take about a minute: five thousand say so
    say_cost(scenario, plan(FlowSample(count=0), 5000), Pool(2))
    assert "money and headcount only for 5000 replications" in capsys.readouterr().err


def test_a_precision_run_announces_a_ceiling_not_its_maximum_as_its_length(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # issue 27: --precision announced 1.7 h (the run at --max-replications) and took 6.5 min
    from sim.report.run import say_cost
    from sim.runs.flowsample import FlowSample
    from sim.runs.plan import Pool, RunPlan
    from sim.runs.precision import Stop, parse_precision
    from sim.scenario.load import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "ecommerce-2026.yaml")
    until = Stop(parse_precision("npv.mean=1%"), 20, 2000)
    say_cost(scenario, RunPlan(20, 1, until=until, flow=FlowSample()), Pool(2))
    said = capsys.readouterr().err
    assert said.startswith(
        "simulating until --precision npv.mean=1% is met, at most 2000 replications "
        "(--max-replications), the work flow in the first 15"
    )
    assert "; at most about " in said and "less if it is met sooner" in said
