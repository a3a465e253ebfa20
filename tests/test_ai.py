"""AI programmes and new roles, month by month, checked against hand-worked numbers.

``simulate_ai`` is driven directly with made-up staff and savings so that each
mechanism (the S-curve, funding, running costs, effects, new roles) can be
followed on paper; one test runs a whole replication to see the uplift reach
the work flow.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from sim.model.ai import AIResult, no_ai, simulate_ai
from sim.model.calendar import Calendar
from sim.model.prices import PriceLevels
from sim.model.replication import run_replication
from sim.scenario.drawn import drawn_scenario
from sim.scenario.load import parse_scenario
from sim.scenario.schema import Scenario

MONTHS = 12
START = dt.date(2026, 1, 1)
MARCH = 2  # month index of the programmes' start, 2026-03


def unit(name: str, ics: int = 100) -> dict[str, Any]:
    return {
        "name": name,
        "layers": [
            {"name": "Manager", "headcount": 10, "cost_per_head_annual": 200_000},
            {"name": "IC", "headcount": ics, "cost_per_head_annual": 100_000},
        ],
    }


BASE: dict[str, Any] = {
    "meta": {"name": "ai", "start": "2026-01", "horizon_months": MONTHS, "fidelity_items": "full"},
    "org": {
        "attrition_annual": 0.0,
        "backfill": {"share": 0.0, "cost_per_hire": 15_000},
        "units": [unit("Ops"), unit("Cloud")],
    },
    "work": [{"arrivals_per_ic_per_week": 0.2, "effort_hours": 2}],
}


def program(**fields: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": "Assistant",
        "start": "2026-03",
        "running_cost": {"per_seat_per_month": 40},
        "adoption": {"ceiling": 0.8, "midpoint_months": 4, "steepness": 0.7},
    }
    spec.update(fields)
    return spec


def scenario(
    programs: Sequence[dict[str, Any]] = (),
    roles: Sequence[dict[str, Any]] = (),
    pools: Sequence[dict[str, Any]] = (),
) -> Scenario:
    doc = copy.deepcopy(BASE)
    doc["ai"] = {"programs": list(programs), "new_roles": list(roles)}
    if pools:
        doc["ai"]["funding_pools"] = list(pools)
    return parse_scenario(json.dumps(doc))


def run(
    s: Scenario,
    staff: tuple[float, float] = (1000.0, 1000.0),
    savings: np.ndarray | None = None,
    prices: PriceLevels | None = None,
) -> AIResult:
    calendar = Calendar(START, MONTHS)
    staff_by_month = np.repeat(np.array(staff, dtype=float)[:, None], MONTHS, axis=1)
    if savings is None:
        savings = np.zeros(MONTHS)
    return simulate_ai(drawn_scenario(s), calendar, staff_by_month, savings, prices)


def s_curve(ceiling: float, midpoint: float, steepness: float, start: int) -> np.ndarray:
    """The adoption the S-curve asks for, by hand: from mid-month, zero before the start."""
    return np.array(
        [
            ceiling / (1 + math.exp(-steepness * (m - start + 0.5 - midpoint))) if m >= start else 0
            for m in range(MONTHS)
        ]
    )


# --- adoption ----------------------------------------------------------------------


def test_adoption_follows_the_s_curve_from_the_start_month() -> None:
    path = run(scenario([program()])).programs[0]
    np.testing.assert_allclose(path.target_share, s_curve(0.8, 4, 0.7, MARCH))
    assert path.target_share[MARCH] == pytest.approx(0.8 / (1 + math.exp(0.7 * 3.5)))
    assert path.target_share[MARCH + 4] == pytest.approx(0.8 / (1 + math.exp(-0.7 * 0.5)))
    assert (path.target_share[:MARCH] == 0).all()


def test_unfunded_programmes_buy_every_seat_the_s_curve_asks_for() -> None:
    path = run(scenario([program()])).programs[0]
    np.testing.assert_allclose(path.seats, s_curve(0.8, 4, 0.7, MARCH) * 2000)
    np.testing.assert_allclose(path.adoption, path.target_share)
    np.testing.assert_allclose(path.running_cost, path.seats * 40)


def test_a_programme_counts_only_the_staff_of_the_units_it_covers() -> None:
    path = run(scenario([program(units=["Cloud"])]), staff=(1000.0, 300.0)).programs[0]
    np.testing.assert_allclose(path.seats, s_curve(0.8, 4, 0.7, MARCH) * 300)


def test_the_one_time_cost_is_paid_in_the_start_month() -> None:
    path = run(scenario([program(one_time_cost=400_000)])).programs[0]
    expected = np.zeros(MONTHS)
    expected[MARCH] = 400_000
    np.testing.assert_array_equal(path.one_time_cost, expected)


# --- funding and running costs ------------------------------------------------------


def test_a_per_seat_budget_caps_seats_at_budget_over_seat_cost() -> None:
    funded = program(funding={"budget_per_month": 20_000})
    path = run(scenario([funded])).programs[0]
    wanted = s_curve(0.8, 4, 0.7, MARCH) * 2000
    cap = 20_000 / 40
    np.testing.assert_allclose(path.seats, np.minimum(wanted, cap))
    assert wanted[MARCH] < cap < wanted[-1], "the budget must bind only in later months"
    assert path.seats[-1] == pytest.approx(500)
    assert path.adoption[-1] == pytest.approx(500 / 2000)
    np.testing.assert_allclose(path.running_cost, path.seats * 40)
    assert path.running_cost.max() == pytest.approx(20_000)


def test_reinvested_funding_spends_a_share_of_last_months_positive_savings() -> None:
    savings = np.array([1000, -500, 3000, 3000, 0, 8000, 8000, 8000, 8000, 8000, 8000, 8000.0])
    funded = program(funding={"reinvest_share": 0.5}, running_cost={"per_seat_per_month": 10})
    path = run(scenario([funded]), savings=savings).programs[0]
    # savings are realised at month end: month m spends 0.5 x max(savings[m - 1], 0)
    budget = np.array([0, 500, 0, 1500, 1500, 0, 4000, 4000, 4000, 4000, 4000, 4000.0])
    np.testing.assert_allclose(path.budget, budget)
    wanted = s_curve(0.8, 4, 0.7, MARCH) * 2000
    np.testing.assert_allclose(path.seats, np.minimum(wanted, budget / 10))
    assert path.seats[MARCH] == 0  # no savings in February: nothing to spend in March
    np.testing.assert_allclose(path.running_cost, path.seats * 10)


def test_a_budget_buys_fewer_seats_as_the_seat_price_grows() -> None:
    """A fixed budget of 20,000 a month, seats at 40 in the valuation month (March, the
    programme's start) growing 10% a year: once the budget binds, seats are the budget
    over the month's price, 500 x 1.1^(-k/12) k months after March, so each month's
    seats are the last's over 1.1^(1/12); at the month's price the running cost is the
    budget exactly, and never more."""
    g = 0.1
    funded = program(
        funding={"budget_per_month": 20_000},
        running_cost={"per_seat_per_month": 40, "price_growth_annual": g},
    )
    s = scenario([funded])
    prices = PriceLevels.of(drawn_scenario(s), MONTHS)
    path = run(s, prices=prices).programs[0]
    k = np.arange(MONTHS) - MARCH
    price = 40 * (1 + g) ** (k / 12)
    wanted = s_curve(0.8, 4, 0.7, MARCH) * 2000
    np.testing.assert_allclose(path.seats, np.minimum(wanted, 20_000 / price), rtol=1e-12)
    binding = wanted > 20_000 / price
    assert binding[-4:].all() and not binding[MARCH], "the budget must bind only later"
    seats = path.seats[binding]
    np.testing.assert_allclose(seats, 500 * (1 + g) ** (-k[binding] / 12), rtol=1e-12)
    np.testing.assert_allclose(seats[1:] / seats[:-1], (1 + g) ** (-1 / 12), rtol=1e-12)
    # running costs stay at the price as written; the finance grows them by the same factors
    spent = path.running_cost * prices.seat_price("Assistant")
    np.testing.assert_allclose(spent[binding], 20_000, rtol=1e-12)
    assert (spent <= 20_000 * (1 + 1e-12)).all()


def test_a_fixed_running_cost_scales_with_the_funded_fraction() -> None:
    funded = program(running_cost={"fixed_per_month": 1000}, funding={"budget_per_month": 400})
    path = run(scenario([funded])).programs[0]
    expected_cost = np.where(np.arange(MONTHS) >= MARCH, 400.0, 0.0)
    np.testing.assert_allclose(path.running_cost, expected_cost)
    np.testing.assert_allclose(path.seats, 0.4 * s_curve(0.8, 4, 0.7, MARCH) * 2000)


def test_an_unfunded_fixed_running_cost_is_paid_in_full_from_the_start() -> None:
    path = run(scenario([program(running_cost={"fixed_per_month": 1000})])).programs[0]
    np.testing.assert_allclose(path.running_cost, np.where(np.arange(MONTHS) >= MARCH, 1000, 0))
    np.testing.assert_allclose(path.adoption, path.target_share)


# --- programmes sharing one pool (issue 27) -------------------------------------------

SAVINGS = np.array([0, 2000, 2000, 4000, 4000, 6000, 6000, 8000, 8000, 8000, 8000, 8000.0])


def pooled(name: str, ceiling: float, price: float, **fields: Any) -> dict[str, Any]:
    return program(
        name=name,
        running_cost={"per_seat_per_month": price},
        adoption={"ceiling": ceiling, "midpoint_months": 4, "steepness": 0.7},
        funding={"pool": "AI fund"},
        **fields,
    )


def test_programmes_sharing_a_pool_split_its_money_by_the_seats_each_asks_for() -> None:
    """Half of last month's savings for both: while it falls short of the seats both ask
    for, each buys the same share of its own asked seats, and together they spend the
    pool exactly; one programme alone would have had it all."""
    pool = {"name": "AI fund", "reinvest_share": 0.5}
    first, second = pooled("Assistant", 0.8, 10), pooled("Agents", 0.4, 25, units=["Cloud"])
    result = run(scenario([first, second], pools=[pool]), savings=SAVINGS)
    money = 0.5 * np.concatenate([[0.0], SAVINGS[:-1]])  # month m spends month m - 1's
    asked = [s_curve(0.8, 4, 0.7, MARCH) * 2000 * 10, s_curve(0.4, 4, 0.7, MARCH) * 1000 * 25]
    total = asked[0] + asked[1]
    funded = np.divide(np.minimum(money, total), total, out=np.zeros(MONTHS), where=total > 0)
    a, b = result.programs
    np.testing.assert_allclose(a.seats, funded * asked[0] / 10)
    np.testing.assert_allclose(b.seats, funded * asked[1] / 25)
    live = slice(MARCH, None)
    np.testing.assert_allclose(
        a.adoption[live] / a.target_share[live], b.adoption[live] / b.target_share[live]
    )
    spent = a.running_cost + b.running_cost
    short = money < total
    assert short[MARCH:].all(), "the pool must bind in every month of the test"
    np.testing.assert_allclose(spent[MARCH:], money[MARCH:])
    # each on its own reinvest_share of 0.5 would spend up to the whole half each
    alone = dict(first, funding={"reinvest_share": 0.5})
    apart = run(scenario([alone, dict(second, funding={"reinvest_share": 0.5})]), savings=SAVINGS)
    assert (apart.programs[0].running_cost + apart.programs[1].running_cost)[-1] > spent[-1]


def test_a_pool_with_a_budget_buys_every_seat_while_it_lasts() -> None:
    pool = {"name": "AI fund", "budget_per_month": 1e9}
    first, second = pooled("Assistant", 0.8, 10), pooled("Agents", 0.4, 25)
    result = run(scenario([first, second], pools=[pool]))
    for path in result.programs:
        np.testing.assert_allclose(path.adoption, path.target_share)


def test_a_pool_named_wrong_or_never_drawn_on_is_refused_with_a_hint() -> None:
    from sim.scenario.load import ScenarioError

    first = pooled("Assistant", 0.8, 10)
    with pytest.raises(
        ScenarioError, match=r"no funding pool named 'AI fund' \(did you mean 'AI fnd'"
    ):
        scenario([first], pools=[{"name": "AI fnd", "reinvest_share": 0.5}])
    with pytest.raises(ScenarioError, match="no programme draws on funding pool 'Spare'"):
        scenario(
            [first],
            pools=[
                {"name": "AI fund", "reinvest_share": 0.5},
                {"name": "Spare", "budget_per_month": 10},
            ],
        )
    with pytest.raises(ScenarioError, match="give one of budget_per_month, reinvest_share or pool"):
        scenario([dict(first, funding={"pool": "AI fund", "reinvest_share": 0.2})])


# --- effects ------------------------------------------------------------------------


def everyone_at_once(**fields: Any) -> dict[str, Any]:
    """A free programme whose S-curve is (almost) at its ceiling from the start month."""
    return program(
        running_cost={"per_seat_per_month": 0},
        adoption={"ceiling": fields.pop("ceiling", 1.0), "midpoint_months": 0, "steepness": 30},
        **fields,
    )


def test_effects_scale_with_adoption() -> None:
    effects = {"ic_productivity_uplift": 0.3, "automation_share": 0.1, "review_time_reduction": 0.2}
    result = run(scenario([everyone_at_once(ceiling=0.5, effects=effects)]))
    adoption = result.programs[0].adoption
    ops = result.effects[0]
    np.testing.assert_allclose(ops.effort_multiplier, 1 - 0.3 * adoption)
    np.testing.assert_allclose(ops.automation_share, 0.1 * adoption)
    np.testing.assert_allclose(ops.review_multiplier, 1 - 0.2 * adoption)
    assert ops.effort_multiplier[-1] == pytest.approx(1 - 0.3 * 0.5)
    assert (ops.effort_multiplier[:MARCH] == 1).all()


def test_effects_of_programmes_multiply() -> None:
    first = everyone_at_once(
        name="Assistant",
        effects={
            "ic_productivity_uplift": 0.2,
            "automation_share": 0.1,
            "review_time_reduction": 0.5,
        },
    )
    second = everyone_at_once(
        name="Agents",
        start="2026-06",
        ceiling=0.5,
        effects={
            "ic_productivity_uplift": 0.1,
            "automation_share": 0.3,
            "review_time_reduction": 0.2,
        },
    )
    result = run(scenario([first, second]))
    a1, a2 = (p.adoption for p in result.programs)
    ops = result.effects[0]
    np.testing.assert_allclose(ops.effort_multiplier, (1 - 0.2 * a1) * (1 - 0.1 * a2))
    np.testing.assert_allclose(ops.automation_share, 1 - (1 - 0.1 * a1) * (1 - 0.3 * a2))
    np.testing.assert_allclose(ops.review_multiplier, (1 - 0.5 * a1) * (1 - 0.2 * a2))
    assert ops.effort_multiplier[-1] == pytest.approx(0.8 * 0.95)
    assert ops.automation_share[-1] == pytest.approx(1 - 0.9 * 0.85)


def test_effects_apply_only_to_the_units_a_programme_covers() -> None:
    effects = {"ic_productivity_uplift": 0.3, "automation_share": 0.1, "review_time_reduction": 0.2}
    result = run(scenario([everyone_at_once(units=["Cloud"], effects=effects)]))
    ops, cloud = result.effects
    assert (ops.effort_multiplier == 1).all()
    assert (ops.automation_share == 0).all()
    assert (ops.review_multiplier == 1).all()
    assert cloud.effort_multiplier[-1] == pytest.approx(0.7)


def test_the_baseline_twin_has_no_programmes_roles_or_effects() -> None:
    s = scenario(
        [everyone_at_once(effects={"ic_productivity_uplift": 0.3})],
        [{"name": "AI eng", "count": 4, "cost_per_head_annual": 1, "start": "2026-02"}],
    )
    twin = no_ai(drawn_scenario(s), Calendar(START, MONTHS))
    assert twin.programs == () and twin.roles == ()
    for effects in twin.effects:
        assert (effects.effort_multiplier == 1).all()
        assert (effects.automation_share == 0).all()
        assert (effects.review_multiplier == 1).all()


# --- new roles ------------------------------------------------------------------------


def test_new_roles_ramp_linearly_to_their_count_and_are_costed() -> None:
    role = {
        "name": "AI engineering",
        "count": 6,
        "cost_per_head_annual": 120_000,
        "start": "2026-03",
        "ramp_months": 3,
        "cost_per_hire": 20_000,
    }
    path = run(scenario(roles=[role])).roles[0]
    headcount = np.array([0, 0, 2, 4, 6, 6, 6, 6, 6, 6, 6, 6.0])
    np.testing.assert_array_equal(path.headcount, headcount)
    np.testing.assert_array_equal(path.hires, [0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0])
    # pay accrues by the day: each month's days over the 365 of 2026
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    np.testing.assert_allclose(path.payroll, headcount * 120_000 * days / 365)
    np.testing.assert_allclose(path.hiring_cost, path.hires * 20_000)


def test_new_roles_cost_per_hire_defaults_to_the_backfill_cost() -> None:
    role = {"name": "AI governance", "count": 2, "cost_per_head_annual": 90_000, "start": "2026-01"}
    path = run(scenario(roles=[role])).roles[0]
    # the default ramp is 6 months: one hire every three months
    np.testing.assert_array_equal(path.headcount[:7], [0, 1, 1, 1, 2, 2, 2])
    assert path.hiring_cost.sum() == pytest.approx(2 * 15_000)


def test_new_roles_with_no_ramp_are_all_hired_in_the_start_month() -> None:
    role = {
        "name": "AI eng",
        "count": 5,
        "cost_per_head_annual": 1,
        "start": "2026-04",
        "ramp_months": 0,
    }
    path = run(scenario(roles=[role])).roles[0]
    np.testing.assert_array_equal(path.hires, [0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0])


# --- through the whole engine ------------------------------------------------------------


def test_an_ai_uplift_lowers_ic_utilisation() -> None:
    uplift = everyone_at_once(start="2026-01", effects={"ic_productivity_uplift": 0.3})
    doc = copy.deepcopy(BASE)
    doc["org"]["units"] = [unit("Ops", ics=50)]
    doc["work"] = [{"arrivals_per_ic_per_week": 1.0, "effort_hours": 10}]
    doc["ai"] = {"programs": [uplift]}
    rep = run_replication(parse_scenario(json.dumps(doc)), 5)
    with_ai = rep.scenario.units[0].utilisation[:, 0]
    twin = rep.baseline.units[0].utilisation[:, 0]
    later = slice(2, None)
    # 50 items a week x 10 h over 50 ICs x 30 h; 30% less effort with AI
    assert np.mean(twin[later]) == pytest.approx(50 * 10 / (50 * 30), rel=0.05)
    assert np.mean(with_ai[later]) == pytest.approx(0.7 * 50 * 10 / (50 * 30), rel=0.05)
    np.testing.assert_allclose(rep.scenario.units[0].ai_effort_multiplier[later], 0.7)


# --- funding from savings that never come (issue 27) --------------------------------

#: An AI-only plan funded by reinvesting savings: nothing else saves, and planners count
#: none of AI's freed capacity (realisation 0), so there is never a saving to reinvest.
UNSAVED = """
meta: {name: nothing to reinvest, start: 2026-01, horizon_months: 12, fidelity_items: 1000}
org:
  attrition_annual: 0.1
  staffing: {policy: capacity, realisation_share: 0}
  units:
    - name: Ops
      layers:
        - {name: Manager, headcount: 20, cost_per_head_annual: 150000}
        - {name: IC, headcount: 200, cost_per_head_annual: 90000}
work:
  - {arrivals_per_ic_per_week: 1.0, effort_hours: 6}
ai:
  programs:
    - name: Agents
      start: 2026-02
      one_time_cost: 2000000
      running_cost: {per_seat_per_month: 50}
      adoption: {ceiling: 0.6}
      effects: {ic_productivity_uplift: 0.2}
      funding: {reinvest_share: 0.5}
"""


def test_a_programme_funded_from_savings_that_never_come_is_flagged(tmp_path) -> None:
    from click.testing import CliRunner

    from sim.cli import main

    path = tmp_path / "unsaved.yaml"
    path.write_text(UNSAVED)
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main, ["run", str(path), "-n", "2", "--workers", "1", "-q", "--no-charts", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning: AI programme Agents never got a seat in 2 of 2 replications (the plan "
        "saved too little to reinvest), while its one-time cost of $2M was spent"
    ) in result.output
    assert (
        "may spend up to 50% of last month's savings on seats (a ceiling, not a spend; what "
        "it does not spend stays saved)"
    ) in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["unseated_programs"] == [
        {
            "program": "Agents",
            "replications": 2,
            "of": 2,
            "funded_by": "reinvest_share",
            "one_time_cost": 2_000_000.0,
        }
    ]


def test_a_savings_funded_programme_is_read_against_the_ceilings_its_replications_drew(
    tmp_path,
) -> None:
    """The printout said "it reached 71% adoption of its 69% ceiling": the ceiling was the
    scenario's mean, the adoption the replications' own draws. Now both are the draws'."""
    from click.testing import CliRunner

    from sim.cli import main

    saving = (
        UNSAVED.replace("meta: {name: nothing to reinvest", "meta: {name: reinvested")
        .replace(
            "adoption: {ceiling: 0.6}",
            "adoption: {ceiling: 'uniform(0.4, 0.9)', midpoint_months: 2}",
        )
        .replace("realisation_share: 0}", "realisation_share: 1}")
    )
    path = tmp_path / "saving.yaml"
    path.write_text(saving)
    out = tmp_path / "run"
    options = ["-n", "4", "--workers", "1", "-q", "--no-charts", "-o", str(out)]
    result = CliRunner().invoke(main, ["run", str(path), *options])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    (program,) = summary["reinvested_programs"]
    with (out / "replications.csv").open() as f:
        drawn = [float(row["ai.programs[0].adoption.ceiling"]) for row in csv.DictReader(f)]
    assert program["ceiling"] == pytest.approx(sum(drawn) / len(drawn), rel=1e-12)
    assert 0 < program["adoption_end"] <= program["ceiling"] + 1e-12
    assert f"of the {program['ceiling']:.0%} ceiling its replications drew" in result.output


def test_programmes_sharing_a_pool_are_said_to_share_its_ceiling(tmp_path) -> None:
    from click.testing import CliRunner

    from sim.cli import main

    pooled_plan = (
        UNSAVED.replace("meta: {name: nothing to reinvest", "meta: {name: pooled")
        .replace("realisation_share: 0}", "realisation_share: 1}")
        .replace("funding: {reinvest_share: 0.5}", "funding: {pool: AI fund}")
        .replace(
            "ai:\n  programs:\n",
            "restructuring:\n  waves:\n    - {name: Cut, date: 2026-02-01, cuts: [{unit: Ops, "
            "layer: Manager, count: 4}]}\n"
            "ai:\n  funding_pools:\n    - {name: AI fund, reinvest_share: 0.5}\n  programs:\n",
        )
    )
    second = pooled_plan.split("    - name: Agents\n")[1].replace(
        "ic_productivity_uplift", "automation_share"
    )
    path = tmp_path / "pooled.yaml"
    path.write_text(pooled_plan + "    - name: Desk bot\n" + second)
    out = tmp_path / "run"
    options = ["-n", "2", "--workers", "1", "-q", "--no-charts", "-o", str(out)]
    result = CliRunner().invoke(main, ["run", str(path), *options])
    assert result.exit_code == 0, result.output
    assert (
        "AI funding: Agents may spend, with Desk bot from the pool AI fund, up to 50% of last "
        "month's savings on seats (a ceiling, not a spend"
    ) in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert [(p["program"], p["pool"]) for p in summary["reinvested_programs"]] == [
        ("Agents", "AI fund"),
        ("Desk bot", "AI fund"),
    ]
    assert summary["unseated_programs"] == []
