"""Redeployment during notice: the notified fill open requisitions of roles that are hiring.

They fill what is open and never more, keep their pay, are neither severed nor
hired from outside, and the savings bridge still adds up to the payroll saved.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.finance.cashflows import RETRAINING, SEVERANCE, cash_flows
from sim.model.calendar import WEEKS_PER_YEAR
from sim.model.replication import Replication, run_replication, run_replications
from sim.model.workforce import WHOLE_PLAN, UnitWorkforce, simulate_workforce
from sim.report.summaryfile import read_summary, summary_data
from sim.runs.summarise import summarise
from sim.scenario.drawn import drawn_scenario
from tests.conftest import merged_scenario
from tests.test_roles import PROGRAM
from tests.test_staffing import BASE, IC_COST, calendar_of, unit

EXIT_INVALID = 2
SEVERANCE_WEEKS = 10
NOTICE_DAYS = 90  # the e-commerce case: 90 days on full pay to find an internal role
WAVE_WEEK = 11  # 2026-03-15: the first week starting on or after day 73
CUT = 600  # 10% of role A's 6,000


def scenario_doc(share: float, **terms: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    roles = [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]
    doc["org"]["units"] = [unit(ics=10_000, roles=roles)]
    doc["restructuring"] = {
        "notice_weeks": NOTICE_DAYS / 7,
        "severance": {"weeks_of_pay": SEVERANCE_WEEKS},
        "waves": [
            {
                "date": "2026-03-15",
                "cuts": [{"unit": "Ops", "layer": "IC", "role": "A", "share": 0.1}],
                "redeployment": {
                    "share": share,
                    "retraining_cost_per_person": 5_000,
                    "ramp_months": 3,
                    **terms,
                },
            }
        ],
    }
    return doc


def replication(share: float, seed: int = 4, **terms: Any) -> Replication:
    return run_replication(merged_scenario(scenario_doc(share, **terms)), seed)


def weekly(share: float, seed: int) -> UnitWorkforce:
    s = merged_scenario(scenario_doc(share))
    return simulate_workforce(
        drawn_scenario(s), calendar_of(s), np.random.SeedSequence(seed), WHOLE_PLAN
    ).units[0]


def test_severance_avoided_is_the_redeployed_times_the_severance_each_would_have_had() -> None:
    none, some = replication(0.0), replication(1.0)
    placed = float(some.scenario.units[0].redeployed.sum())
    assert 0 < placed < CUT  # openings, not the people looking, are the limit here
    each = IC_COST * SEVERANCE_WEEKS / WEEKS_PER_YEAR
    severance = [cash_flows(r).scenario[SEVERANCE].sum() for r in (none, some)]
    assert severance[0] - severance[1] == pytest.approx(placed * each, rel=1e-12)
    lines = summarise(some).bridge["redeployment"]
    assert lines["severance_avoided"] == pytest.approx(placed * each, rel=1e-12)
    assert lines["people_redeployed"] == placed == lines["external_hires_avoided"]
    assert lines["retraining_cost"] == pytest.approx(placed * 5_000)
    assert cash_flows(some).scenario[RETRAINING].sum() == pytest.approx(placed * 5_000)


def test_redeployment_fills_every_opening_of_the_notice_and_never_more() -> None:
    # Role B hires to replace its leavers; the 600 notified from A can fill B's hires in
    # flight at the wave and every requisition B opens during the 90 days. While people
    # are left to place, no B hire from outside lands for a requisition opened then.
    lag = 10
    for seed in (4, 5):
        ops, plain = weekly(1.0, seed), weekly(0.0, seed)
        notice_end = WAVE_WEEK + int(np.ceil(NOTICE_DAYS / 7))
        window = slice(WAVE_WEEK + 1, notice_end + lag)
        assert ops.role_hires[window, 1].sum() == 0, "an opening went outside"
        assert plain.role_hires[window, 1].sum() > 0
        placed = ops.redeployed.sum()
        assert placed < CUT
        # B's openings in the window, had nobody been redeployed, bound the placed from
        # above (placing people earlier than hires land adds leavers, so a few more open)
        assert placed <= plain.role_hires[window, 1].sum() * 1.1
        # and nobody takes a role of their own: A, cut below its need, rehires from outside
        assert ops.role_hires[window, 0].sum() > 0


def test_a_small_share_is_placed_in_full_and_keeps_its_pay() -> None:
    # B pays 120,000 a head; the 30 who join it from A keep A's 100,000, so B's payroll
    # in April is its heads at 120,000 less 30 x 20,000 for the month (their leavers
    # aside: 12% a year, about 1% of them a month)
    doc = scenario_doc(0.05, into_roles=["B"])
    doc["org"]["units"][0]["roles"][1]["cost_per_head_annual"] = 120_000
    s = merged_scenario(doc)
    seed = np.random.SeedSequence(4)
    ops = simulate_workforce(drawn_scenario(s), calendar_of(s), seed, WHOLE_PLAN).units[0]
    placed = round(0.05 * CUT)
    assert ops.redeployed.sum() == placed
    calendar = calendar_of(s)
    at_role_cost = calendar.monthly_pay(ops.role_headcount * [IC_COST, 120_000]).sum(axis=1)
    april = 3
    kept = ops.working_pay[april, -1] - at_role_cost[april]
    expected = -placed * 20_000 * 30 / 365.25
    assert expected * 1.03 < kept < expected * 0.97


def test_the_bridge_still_telescopes_to_the_payroll_saved() -> None:
    r = replication(1.0)
    result = summarise(r)
    parts = result.bridge["horizon"]
    assert "redeployment" in parts
    saved = r.payroll_steps["status_quo"].sum() - r.payroll_steps["hires_avoided_by_ai"].sum()
    causes = sum(v for k, v in parts.items() if k != "new_roles")
    assert causes == pytest.approx(saved, rel=1e-9, abs=1e-9 * abs(saved))


def test_a_plan_without_redeployment_has_no_redeployment_step() -> None:
    doc = scenario_doc(0.0)
    del doc["restructuring"]["waves"][0]["redeployment"]
    r = run_replication(merged_scenario(doc), 4)
    assert "redeployment" not in r.payroll_steps
    assert "redeployment" not in summarise(r).bridge
    assert r.scenario.units[0].redeployed is None


def test_a_target_role_that_does_not_exist_is_one_line_naming_the_field(tmp_path: Path) -> None:
    doc = scenario_doc(0.5, into_roles=["Data and AI"])
    path = tmp_path / "redeploy.yaml"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "-n", "1", "-o", str(out)])
    assert result.exit_code == EXIT_INVALID, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and re.match(r"redeploy.yaml:\d+:\d+: ", lines[0]), result.output
    field = "restructuring.waves[0].redeployment.into_roles[0]"
    assert field in lines[0] and "no role in the units this wave cuts" in lines[0], lines[0]
    assert not out.exists()


def test_reskilling_moves_its_successful_share_at_a_cost_for_everyone_trained() -> None:
    # 120 people a month from A to B from March to the end of 2026, half of them
    # succeeding; under replace_leavers nothing limits the cohorts but A's people
    doc = scenario_doc(0.0)
    doc["org"]["staffing"] = {"policy": "replace_leavers"}
    doc["restructuring"]["waves"] = []
    doc["restructuring"]["reskilling"] = [
        {
            "unit": "Ops",
            "from_role": "A",
            "to_role": "B",
            "start": "2026-03-01",
            "people_per_month": 120,
            "cost_per_person": 8_000,
            "success_share": 0.5,
        }
    ]
    s = merged_scenario(doc)
    calendar = calendar_of(s)
    r = run_replication(s, 4)
    lines = summarise(r).bridge["redeployment"]
    weeks = calendar.weeks - calendar.week_from(s.restructuring.reskilling[0].start)
    per_week = 120 * 12 / WEEKS_PER_YEAR
    trained = np.floor(weeks * per_week + 1e-9)  # the weekly quota's fractions carried over
    assert lines["reskilling_cost"] == pytest.approx(8_000 * trained)
    # each week's cohort of 27 or 28 moves half of itself, rounded: within half a person
    assert abs(lines["people_reskilled"] - 0.5 * trained) <= weeks / 2
    assert lines["people_reskilled"] == r.scenario.units[0].reskilled.sum() > 0
    assert "redeployment" in r.payroll_steps  # the internal moves' own bridge step


def test_a_reskilling_role_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    doc = scenario_doc(0.0)
    doc["restructuring"]["reskilling"] = [
        {
            "unit": "Ops",
            "from_role": "A",
            "to_role": "Data",
            "start": "2026-03-01",
            "people_per_month": 10,
        }
    ]
    path = tmp_path / "reskill.yaml"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == EXIT_INVALID, result.output
    assert "restructuring.reskilling[0].to_role" in result.output
    assert "no role in unit 'Ops' named 'Data'" in result.output


def _internal_moves_doc() -> dict[str, Any]:
    """Two units with roles under capacity staffing: a growing role with every driver, a
    wave whose notified may take a role in any unit, and reskilling; uncertain inputs."""
    doc = scenario_doc(0.0)
    driver = {"per_program": 40, "per_1000_seats": 3, "per_1000_automated_items_per_week": 20}
    build_roles = [
        {"name": "Testing", "share": 0.5, "exposure": 1.2},
        {"name": "Data", "share": 0.5, "exposure": 0, "driver": driver},
    ]
    doc["org"]["units"] = [
        unit(ics=3_000, roles=[{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]),
        unit("Build", ics=2_000, roles=build_roles),
    ]
    doc["org"]["attrition_annual"] = "pert(0.08, 0.12, 0.16)"
    wave = doc["restructuring"]["waves"][0]
    # more looking than the hires in flight at the wave: placements go on through notice
    wave["cuts"][0]["share"] = 0.4
    wave["redeployment"] = {
        "share": "triangular(0.1, 0.3, 0.5)",
        "scope": "any",
        "retraining_cost_per_person": 5_000,
        "ramp_months": 2,
    }
    doc["restructuring"]["reskilling"] = [
        {
            "unit": "Ops",
            "from_role": "A",
            "to_role": "B",
            "start": "2026-04-01",
            "people_per_month": 20,
            "cost_per_person": "pert(4000, 6000, 9000)",
            "success_share": 0.6,
        }
    ]
    # the roles' tests' assistant, adopted over months: the drivers move week by week
    slower = {"ceiling": 0.8, "midpoint_months": 3, "steepness": 1.5}
    doc["ai"] = {"programs": [{**PROGRAM, "adoption": slower}]}
    return doc


def _moves_arrays(r: Replication) -> list[Any]:
    out: list[Any] = list(r.payroll_steps.values())
    for trajectory in (r.scenario, r.baseline):
        for u in trajectory.units:
            out += [u.headcount, u.hires, u.payroll, u.severance, u.notice_pay, u.needed]
            out += [u.role_headcount, u.role_needed, u.redeployed, u.severance_avoided]
            out += [u.retraining, u.reskilled, u.reskilling]
    return out + [c.redeployed for c in r.scenario.layer_changes]


def test_internal_moves_batched_are_the_replication_run_alone_to_the_bit() -> None:
    # the batch steps redeployment, reskilling and the drivers in its own week, each run
    # with its own pool: whatever it is batched with, a replication is the one run alone
    s = merged_scenario(_internal_moves_doc())
    seeds = np.random.SeedSequence(8).spawn(3)
    batched = run_replications(s, seeds, flow=False)
    moved = 0.0
    for seed, together in zip(seeds, batched, strict=True):
        alone = run_replication(s, seed, flow=False)
        assert together.parameters == alone.parameters
        for a, b in zip(_moves_arrays(together), _moves_arrays(alone), strict=True):
            np.testing.assert_array_equal(a, b)
        units = together.scenario.units
        moved += sum(float(u.redeployed.sum()) for u in units if u.redeployed is not None)
        assert units[0].reskilled is not None and units[0].reskilled.sum() > 0
    assert moved > 0  # the test exercises placements, across units too
    build = batched[0].scenario.units[1]
    assert build.redeployed is not None and build.redeployed.sum() > 0


def test_the_run_summary_carries_the_internal_moves_and_the_roles_and_reads_back(
    tmp_path: Path,
) -> None:
    # a real run through the command line: summary.json's internal moves are the bands of
    # the replications' own figures, and read back into the same typed summary
    path = tmp_path / "moves.yaml"
    path.write_text(json.dumps(scenario_doc(1.0), indent=1), encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(path), "-n", "2", "-o", str(out), "--no-charts", "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Moved inside over the horizon (mean): " in result.output
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary = read_summary(data)
    assert json.loads(json.dumps(summary_data(summary))) == data
    moves = summary.internal_moves
    assert moves is not None and moves.people_reskilled is None  # no reskilling here
    placed = [
        float(summarise(replication(1.0, seed)).bridge["redeployment"]["people_redeployed"])
        for seed in np.random.SeedSequence(data["seed"]).spawn(2)
    ]
    assert moves.people_redeployed.mean == pytest.approx(np.mean(placed))
    each = IC_COST * SEVERANCE_WEEKS / WEEKS_PER_YEAR
    assert moves.severance_avoided.mean == pytest.approx(np.mean(placed) * each, rel=1e-9)
    assert f"{np.mean(placed):,.0f} redeployed during notice" in result.output
    roles = {r.role: r for r in summary.headcount_by_role}
    assert set(roles) == {"A", "B"}
    a = roles["A"]
    assert a.start.p50 == pytest.approx(6_000, rel=0.01)  # 60% of the 10,000
    assert a.against_status_quo.mean == pytest.approx(a.plan_end.mean - a.status_quo_end.mean)


def test_a_run_without_internal_moves_or_roles_has_neither_in_its_summary(tmp_path: Path) -> None:
    doc = scenario_doc(0.0)
    doc["org"]["units"] = [unit(ics=10_000)]
    doc["restructuring"]["waves"][0]["cuts"][0].pop("role")
    del doc["restructuring"]["waves"][0]["redeployment"]
    path = tmp_path / "plain.yaml"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(path), "-n", "1", "-o", str(out), "--no-charts", "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert not {"internal_moves", "headcount_by_role", "roles_note"} & set(data)
    assert "redeployment" not in data["savings_bridge"]["labels"]
    summary = read_summary(data)
    assert summary.internal_moves is None and summary.headcount_by_role == ()
    assert "Moved inside" not in result.output
