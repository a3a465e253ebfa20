"""Roles within a unit: job families with their own people, cost, work and AI exposure.

A unit without roles is one kind of IC; a unit with one role is that unit exactly;
each role's need under capacity staffing is its part of the ICs' need at its own
AI workload factor, which the closed forms below write down by hand.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.model.replication import run_replication
from sim.model.roles import split_by_share
from sim.scenario.fromroster import scenario_from_roster
from sim.scenario.load import parse_scenario
from sim.scenario.occupations import occupation
from sim.scenario.orgshape import org_shape
from sim.scenario.roster import read_roster
from tests.conftest import merged_scenario
from tests.test_staffing import BASE, IC, IC_COST, Z, calendar_of, unit, weekly_hazard

EXIT_INVALID = 2
PROGRAM = {
    "name": "Assistant",
    "start": "2026-01",
    "running_cost": {"per_seat_per_month": 30},
    # a steep S-curve from the first month: adoption 1 - 1e-13
    "adoption": {"ceiling": 1, "midpoint_months": 0, "steepness": 60},
    "effects": {"ic_productivity_uplift": 0.3, "automation_share": 0.1},
}
FULL_VIEW = {"realisation_share": 1, "recognition_lag_months": 0}
TWO_ROLES = [
    {"name": "Data processing", "share": 0.6, "soc": "43-9021", "exposure": 1.5},
    {"name": "Engineering", "share": 0.4, "cost_per_head_annual": 160_000, "exposure": 0},
]


def with_roles(roles: list[dict[str, Any]] | None, **changes: Any) -> Any:
    doc = copy.deepcopy(BASE)
    doc["org"]["units"] = [unit(ics=10_000, **({"roles": roles} if roles else {}))]
    doc["ai"] = {"programs": [PROGRAM]}
    doc["org"]["staffing"].update(FULL_VIEW)
    doc["restructuring"]["waves"] = [
        {"date": "2026-03-15", "cuts": [{"unit": "Ops", "layer": "IC", "share": 0.05}]}
    ]
    return merged_scenario(doc, changes)


def test_largest_remainder_splits_whole_people_that_add_up() -> None:
    counts = split_by_share(10_001, np.array([0.6, 0.3, 0.1]))
    assert counts.sum() == 10_001 and list(counts) == [6_001, 3_000, 1_000]


def test_a_one_role_unit_is_the_unit_without_roles_exactly() -> None:
    plain = run_replication(with_roles(None), 3)
    one = run_replication(with_roles([{"name": "Everyone", "share": 1}]), 3)
    for a, b in ((plain.scenario, one.scenario), (plain.baseline, one.baseline)):
        for x, y in zip(a.units, b.units, strict=True):
            for field in ("headcount", "payroll", "hires", "cut", "needed", "done", "severance"):
                np.testing.assert_array_equal(getattr(x, field), getattr(y, field), field)
            np.testing.assert_array_equal(x.ai_effort_multiplier, y.ai_effort_multiplier)
        np.testing.assert_array_equal(a.headcount, b.headcount)
    for name, steps in plain.payroll_steps.items():
        np.testing.assert_array_equal(steps, one.payroll_steps[name], name)
    np.testing.assert_array_equal(
        one.scenario.units[0].role_headcount[:, 0], one.scenario.units[0].headcount[:, IC]
    )


def test_each_roles_need_is_its_share_of_the_ics_at_its_own_ai_factor() -> None:
    # Full adoption, planners who see all of it at once: role r's workload factor is
    # (1 - uplift e_r)(1 - automation e_r); at the starting utilisation each role is
    # staffed at its own, so its need is its starting ICs times that factor.
    s = with_roles(TWO_ROLES)
    ops = run_replication(s, 5).scenario.units[0]
    uplift, automation = 0.3, 0.1
    for r, role in enumerate(TWO_ROLES):
        e = role["exposure"]
        factor = (1 - uplift * e) * (1 - automation * e)
        np.testing.assert_allclose(
            ops.role_needed[:, r], 10_000 * role["share"] * factor, rtol=1e-9
        )
    # the unit's factor is the roles' weighted by their work (here: their share)
    blend = 0.6 * (1 - 0.45) * (1 - 0.15) + 0.4 * 1.0
    np.testing.assert_allclose(ops.ai_workload_factor, blend, rtol=1e-9)
    np.testing.assert_allclose(ops.needed[:, IC], ops.role_needed.sum(axis=1), rtol=1e-12)


def test_at_a_set_utilisation_a_roles_need_follows_its_work_share() -> None:
    # need_r = items a week x effort hours x work share x factor / (hours a week x utilisation)
    roles = [{**TWO_ROLES[0], "work_share": 0.7}, {**TWO_ROLES[1], "work_share": 0.3}]
    s = with_roles(roles, org={"staffing": {"target_utilisation": 0.8}})
    ops = run_replication(s, 5).scenario.units[0]
    hours, effort, items = 40.0, 6.0, 10_000 * 1.0  # the base work profile's defaults
    hours = float(s.work[0].ic_hours_per_week)
    for r, (role, e) in enumerate(((roles[0], 1.5), (roles[1], 0.0))):
        factor = (1 - 0.3 * e) * (1 - 0.1 * e)
        need = items * effort * role["work_share"] * factor / (hours * 0.8)
        np.testing.assert_allclose(ops.role_needed[:, r], need, rtol=1e-9)


def test_the_exposed_role_shrinks_by_attrition_and_the_unexposed_one_holds() -> None:
    # Data processing leaves at 30% a year: 6,000 x 0.95 (the wave) x 0.7^2 meets its need,
    # 6,000 x (1 - 0.45)(1 - 0.15) = 2,805, within two years, and stays at it; Engineering
    # (exposure 0) is rehired to its need, 4,000. Tolerance: four sd of the base stock's
    # noise, sqrt(need x h x lag) (tests/test_staffing.py's notation).
    roles = [{**TWO_ROLES[0], "attrition_annual": 0.3}, TWO_ROLES[1]]
    ops = run_replication(with_roles(roles, meta={"horizon_months": 36}), 2).scenario.units[0]
    end = ops.role_headcount[-1]
    for need, annual, people in ((2_805, 0.3, end[0]), (4_000, 0.12, end[1])):
        h = weekly_hazard(annual)
        assert abs(people - need) < Z * np.sqrt(need * h * 10), (need, people)
    # each role costs its own: the IC payroll is the roles' heads at their costs
    month = ops.payroll[-1, IC]
    assert month == pytest.approx(ops.role_headcount[-1] @ [IC_COST, 160_000] / 12, rel=0.02)


def test_a_growing_role_is_staffed_for_its_driver_on_top_of_its_work() -> None:
    # Engineering (exposure 0) needs its 4,000 for the work, plus 100 per programme
    # running, 2 per 1,000 seats and 10 per 1,000 items a week automation handles (of
    # the 10,000 a week planners staff for); planners see it at once (recognition lag 0)
    driver = {"per_program": 100, "per_1000_seats": 2, "per_1000_automated_items_per_week": 10}
    roles = [TWO_ROLES[0], {**TWO_ROLES[1], "driver": driver}]
    run = run_replication(with_roles(roles), 5).scenario
    seats = run.programs[0].seats
    automated = 10_000 * run.units[0].ai_automation_share  # items a week, month by month
    # Data processing's 60% of the items, 15% of them automated at full adoption: 900 a week
    assert automated[-1] == pytest.approx(900, rel=1e-9)
    # each week sees its month's seats; a month's mean weighs the weeks by their days in it
    calendar = calendar_of(with_roles(roles))
    month = calendar.month_of_week
    weekly = 4_000 + 100 + 2 * seats[month] / 1000 + 10 * automated[month] / 1000
    np.testing.assert_allclose(run.units[0].role_needed[:, 1], calendar.monthly_mean(weekly))
    assert seats[-1] > 9_000  # nearly every one of the ~10,000 holds a seat


def test_exposure_soc_reads_the_score_through_the_stated_mapping() -> None:
    roles = [{"name": "Keying", "share": 1, "soc": "43-9021", "exposure": "soc"}]
    s = with_roles(roles, ai={"soc_exposure": {"reference_score": 0.2, "max_exposure": 5}})
    ops = run_replication(s, 5).scenario.units[0]
    e = occupation("43-9021").applicability / 0.2
    np.testing.assert_allclose(ops.ai_workload_factor, (1 - 0.3 * e) * (1 - 0.1 * e), rtol=1e-9)


def write_scenario(folder: Path, roles: list[dict[str, Any]]) -> Path:
    """The base scenario with these roles, as a file (JSON is YAML: lines and all)."""
    doc = copy.deepcopy(BASE)
    doc["org"]["units"] = [unit(ics=10_000, roles=roles)]
    path = folder / "roles.yaml"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("roles", "field", "words"),
    [
        (
            [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.3}],
            "org.units[0].roles[1].share",
            "sum to 0.9; they must sum to 1",
        ),
        (
            [{"name": "A", "share": 1, "soc": "43-9199"}],
            "org.units[0].roles[0].soc",
            "nearest: 43-9",
        ),
        (
            [{"name": "A", "share": 1, "exposure": "soc"}],
            "org.units[0].roles[0].exposure",
            "give 'soc'",
        ),
    ],
)
def test_bad_roles_are_one_line_naming_file_line_and_field(tmp_path, roles, field, words) -> None:
    path = write_scenario(tmp_path, roles)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "-n", "1", "-o", str(out)])
    assert result.exit_code == EXIT_INVALID, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert re.match(r"roles.yaml:\d+:\d+: ", lines[0]), lines[0]
    assert field in lines[0] and words in lines[0], lines[0]
    assert "Traceback" not in result.output and not out.exists()


def test_a_roster_with_a_role_column_derives_the_units_roles(tmp_path: Path) -> None:
    # one unit: a head, two managers, six ICs: four in Data (two with a SOC code),
    # two in Engineering; names and ids must not reach the scenario
    rows = ["employee_id,manager_id,unit,annual_cost,job_family,soc_code"]
    rows += ["Ada,,Ops,300000,Leadership,", "Bo,Ada,Ops,200000,Leadership,"]
    rows += ["Cy,Ada,Ops,200000,Leadership,"]
    ics = [("Di", "Bo", "Data", 100_000, "43-9021"), ("Ed", "Bo", "Data", 110_000, "43-9021")]
    ics += [("Fa", "Bo", "Data", 120_000, ""), ("Gu", "Cy", "Data", 130_000, "")]
    ics += [("Hu", "Cy", "Engineering", 200_000, ""), ("Io", "Cy", "Engineering", 220_000, "")]
    rows += [f"{e},{m},Ops,{c},{r},{s}" for e, m, r, c, s in ics]
    roster = tmp_path / "people.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shape = org_shape(read_roster(roster))
    (ops,) = shape.scenario_units()
    roles = {r["name"]: r for r in ops["roles"]}
    assert list(roles) == ["Data", "Engineering"]
    assert roles["Data"]["share"] == pytest.approx(4 / 6)
    assert roles["Data"]["share"] + roles["Engineering"]["share"] == 1
    assert roles["Data"]["cost_per_head_annual"] == 115_000
    assert roles["Data"]["soc"] == "43-9021" and "soc" not in roles["Engineering"]
    text = json.dumps(ops)
    assert not any(name in text for name in ("Ada", "Bo", "Di", "Io"))
    # and the scenario `restructure org -o` writes carries them, valid
    written = scenario_from_roster(shape, "ops", "people.csv", "0" * 64, dt.date(2026, 1, 1))
    (unit_spec,) = parse_scenario(written).org.units
    assert [r.name for r in unit_spec.roles] == ["Data", "Engineering"]
    assert unit_spec.roles[0].soc == "43-9021"
