"""Workforce dynamics, week by week, and what they do to payroll and the work flow.

Each test builds a small scenario whose numbers can be followed by hand: most
switch attrition and backfill off so that headcounts move only by the
mechanism under test. The statistical tests use a large unit and a tolerance
of four binomial standard errors.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest

from sim.model.calendar import WEEKS_PER_MONTH, Calendar
from sim.model.replication import Replication, run_replication
from sim.model.workforce import (
    STATUS_QUO,
    WHOLE_PLAN,
    UnitWorkforce,
    Workforce,
    simulate_workforce,
)
from sim.scenario.drawn import drawn_scenario
from sim.scenario.schema import Scenario
from sim.scenario.timeline import run_months
from tests.conftest import merge, merged_scenario

#: 365.25 days a year, 7 days a week: the divisor that turns annual pay into weekly pay
WEEKS_A_YEAR = 365.25 / 7

DIRECTOR, MANAGER, IC = 0, 1, 2
DIRECTOR_COST, MANAGER_COST, IC_COST = 300_000.0, 200_000.0, 100_000.0

START = dt.date(2026, 1, 1)
#: mid-month, so the week and the month it is reported in agree
WAVE_DATE = "2026-03-15"
WAVE_DAY = 73  # days from 2026-01-01
WAVE_WEEK = 11  # a wave acts in the weekly steps from the next week start: ceil(73 / 7)
JAN, FEB, MARCH, APRIL, MAY, JUNE, JULY = 0, 1, 2, 3, 4, 5, 6
DAYS_2026 = 365  # pay accrues by the day, at the annual cost over the days of the year


def ops_unit(
    directors: int = 2, managers: int = 10, ics: int = 100, name: str = "Ops", **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "layers": [
            {"name": "Director", "headcount": directors, "cost_per_head_annual": DIRECTOR_COST},
            {"name": "Manager", "headcount": managers, "cost_per_head_annual": MANAGER_COST},
            {"name": "IC", "headcount": ics, "cost_per_head_annual": IC_COST},
        ],
        **extra,
    }


BASE: dict[str, Any] = {
    "meta": {"name": "test", "start": "2026-01", "horizon_months": 12, "fidelity_items": "full"},
    "org": {
        "attrition_annual": 0.0,
        "backfill": {"share": 0.0, "lag_weeks": 4, "cost_per_hire": 10_000},
        "units": [ops_unit()],
    },
    "work": [{"arrivals_per_ic_per_week": 0.2, "effort_hours": 2}],
    "restructuring": {"notice_weeks": 6, "severance": {"weeks_of_pay": 10}},
    # valued from the start, so the run is exactly the twelve months of 2026 whatever
    # the waves' dates (the horizon counts from the valuation month)
    "finance": {"valuation_date": "2026-01"},
}


def scenario(changes: dict[str, Any] | None = None) -> Scenario:
    """The base scenario with ``changes`` merged in (lists are replaced whole)."""
    return merged_scenario(BASE, changes)


def with_waves(*waves: dict[str, Any], **changes: Any) -> Scenario:
    doc: dict[str, Any] = {"restructuring": {"waves": list(waves)}}
    merge(doc, changes)
    return scenario(doc)


def workforce(s: Scenario, with_changes: bool = True, seed: int = 7) -> Workforce:
    calendar = Calendar(s.meta.start, run_months(s))
    plan = WHOLE_PLAN if with_changes else STATUS_QUO
    return simulate_workforce(drawn_scenario(s), calendar, np.random.SeedSequence(seed), plan)


def ops(s: Scenario, with_changes: bool = True, seed: int = 7) -> UnitWorkforce:
    return workforce(s, with_changes, seed).units[0]


def weekly_hazard(annual: float) -> float:
    return 1 - (1 - annual) ** (1 / WEEKS_A_YEAR)


# --- cuts ------------------------------------------------------------------------


def test_the_wave_date_falls_in_the_week_the_tests_assume() -> None:
    assert Calendar(START, 12).week_from(dt.date.fromisoformat(WAVE_DATE)) == WAVE_WEEK


def test_a_cut_by_count_removes_exactly_that_many_people_on_the_waves_week() -> None:
    s = with_waves({"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "Manager", "count": 3}]})
    unit = ops(s)
    expected_cut = np.zeros_like(unit.cut)
    expected_cut[WAVE_WEEK, MANAGER] = 3
    np.testing.assert_array_equal(unit.cut, expected_cut)
    assert (unit.headcount[:WAVE_WEEK, MANAGER] == 10).all()
    assert (unit.headcount[WAVE_WEEK:, MANAGER] == 7).all()
    assert (unit.headcount[:, DIRECTOR] == 2).all()
    assert (unit.headcount[:, IC] == 100).all()


@pytest.mark.parametrize(
    ("ics", "share", "expected"),
    [(47, 0.3, 14), (47, 0.33, 16), (100, 0.127, 13), (100, 1.0, 100)],
    ids=["14.1->14", "15.51->16", "12.7->13", "all"],
)
def test_a_cut_by_share_rounds_share_times_headcount(ics: int, share: float, expected: int) -> None:
    s = with_waves(
        {"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "IC", "share": share}]},
        org={"units": [ops_unit(ics=ics)]},
    )
    unit = ops(s)
    assert unit.cut[WAVE_WEEK, IC] == expected
    assert unit.headcount[WAVE_WEEK, IC] == ics - expected


def test_a_share_is_of_the_people_left_when_the_wave_comes() -> None:
    first = {"date": "2026-02-15", "cuts": [{"unit": "Ops", "layer": "IC", "count": 40}]}
    second = {"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "IC", "share": 0.5}]}
    unit = ops(with_waves(first, second))
    assert unit.cut[WAVE_WEEK, IC] == 30  # half of the 60 left, not of the 100 at the start
    assert unit.headcount[-1, IC] == 30


def test_cuts_beyond_what_is_left_are_capped_at_the_people_left() -> None:
    # managers leave, so by July fewer are left than the 100 the wave asks to cut
    unit_spec = ops_unit(managers=100)
    unit_spec["layers"][MANAGER]["attrition_annual"] = 0.5
    s = with_waves(
        {"date": "2026-07-15", "cuts": [{"unit": "Ops", "layer": "Manager", "count": 100}]},
        org={"units": [unit_spec]},
    )
    unit = ops(s)
    week = Calendar(START, 12).week_from(dt.date(2026, 7, 15))
    left = unit.headcount[week - 1, MANAGER]
    assert 0 < left < 100, "the scenario must leave fewer managers than the cut asks for"
    assert unit.cut[week, MANAGER] == left
    assert unit.cut_in_month[JULY, MANAGER] == left
    assert (unit.headcount[week:, MANAGER] == 0).all()
    assert unit.severance.sum() == pytest.approx(left * 10 * MANAGER_COST / WEEKS_A_YEAR)


# --- notice and severance -----------------------------------------------------------


def test_people_cut_stay_on_notice_for_the_notice_weeks_to_the_day() -> None:
    s = with_waves({"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "Manager", "count": 3}]})
    days = Calendar(START, 12).days_in_month
    person_days = ops(s).on_notice[:, MANAGER] * days  # mean people x days = people-days
    expected = np.zeros(12)
    expected[MARCH] = 3 * 17  # 15 to 31 March
    expected[APRIL] = 3 * 25  # 1 to 25 April: 42 days in all
    np.testing.assert_allclose(person_days, expected)


def test_a_waves_own_notice_period_overrides_the_default() -> None:
    s = with_waves(
        {
            "date": WAVE_DATE,
            "notice_weeks": 13,
            "cuts": [{"unit": "Ops", "layer": "Manager", "count": 3}],
        }
    )
    unit = ops(s)
    days = Calendar(START, 12).days_in_month
    assert (unit.on_notice[:, MANAGER] * days).sum() == pytest.approx(3 * 91)
    # 91 days from 15 March: notice ends on 14 June
    assert unit.severance[JUNE, MANAGER] > 0


def test_severance_is_weeks_of_pay_paid_in_the_month_notice_ends() -> None:
    s = with_waves({"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "Manager", "count": 3}]})
    cash = ops(s).severance
    expected = np.zeros_like(cash)
    expected[APRIL, MANAGER] = 3 * 10 * MANAGER_COST / WEEKS_A_YEAR
    np.testing.assert_allclose(cash, expected)


@pytest.mark.parametrize(
    ("tenure_years", "cap_weeks", "expected_weeks"),
    [(4.0, 26.0, 2 + 1.5 * 4), (30.0, 26.0, 26.0), (4.0, 5.0, 5.0)],
    ids=["base+per_year*tenure", "capped-by-default-26", "capped-by-own-cap"],
)
def test_severance_by_tenure_is_base_plus_weeks_per_year_capped(
    tenure_years: float, cap_weeks: float, expected_weeks: float
) -> None:
    severance = {
        "base_weeks": 2,
        "weeks_per_year": 1.5,
        "average_tenure_years": tenure_years,
        "cap_weeks": cap_weeks,
    }
    s = with_waves(
        {
            "date": WAVE_DATE,
            "severance": severance,
            "cuts": [{"unit": "Ops", "layer": "IC", "count": 20}],
        }
    )
    cash = ops(s).severance
    assert cash[APRIL, IC] == pytest.approx(20 * expected_weeks * IC_COST / WEEKS_A_YEAR)
    assert cash.sum() == pytest.approx(cash[APRIL, IC])


def test_a_waves_one_time_costs_are_paid_in_the_month_of_its_date() -> None:
    s = with_waves(
        {
            "date": WAVE_DATE,
            "one_time_costs": 250_000,
            "cuts": [{"unit": "Ops", "layer": "IC", "count": 1}],
        }
    )
    cost = workforce(s).wave_one_time_cost
    expected = np.zeros_like(cost)
    expected[MARCH] = 250_000
    np.testing.assert_array_equal(cost, expected)


# --- removing a layer -------------------------------------------------------------


def remove_managers(moved_down_share: float, **wave: Any) -> dict[str, Any]:
    removal = {"unit": "Ops", "layer": "Manager", "moved_down_share": moved_down_share}
    return {"date": WAVE_DATE, "remove_layers": [removal], **wave}


def test_removing_a_layer_ends_it_on_the_waves_week() -> None:
    unit = ops(with_waves(remove_managers(0.0)))
    assert unit.exists[:WAVE_WEEK].all()
    assert not unit.exists[WAVE_WEEK:, MANAGER].any()
    assert unit.exists[:, [DIRECTOR, IC]].all()
    assert (unit.headcount[WAVE_WEEK:, MANAGER] == 0).all()


def test_removing_a_layer_moves_a_share_down_and_cuts_the_rest() -> None:
    unit = ops(with_waves(remove_managers(0.3)))
    assert unit.moved_in[WAVE_WEEK, IC] == 3
    assert unit.moved_in.sum() == 3
    assert unit.cut[WAVE_WEEK, MANAGER] == 7
    assert unit.cut.sum() == 7
    assert (unit.headcount[WAVE_WEEK:, IC] == 103).all()
    assert unit.moved_in_month[MARCH, IC] == 3
    assert unit.cut_in_month[MARCH, MANAGER] == 7
    days = Calendar(START, 12).days_in_month
    assert (unit.on_notice[:, MANAGER] * days).sum() == pytest.approx(7 * 42)
    assert unit.severance[APRIL, MANAGER] == pytest.approx(7 * 10 * MANAGER_COST / WEEKS_A_YEAR)


def test_people_moved_down_skip_a_layer_already_removed() -> None:
    managers_go = remove_managers(0.0, date="2026-02-15")
    directors_go = {
        "date": WAVE_DATE,
        "remove_layers": [{"unit": "Ops", "layer": "Director", "moved_down_share": 0.5}],
    }
    unit = ops(with_waves(managers_go, directors_go))
    assert unit.moved_in[WAVE_WEEK, IC] == 1  # half of the 2 directors, past the managers
    assert unit.moved_in[WAVE_WEEK, MANAGER] == 0
    assert unit.headcount[-1].tolist() == [0, 0, 101]
    assert not unit.exists[-1, :IC].any()


def test_removing_a_layer_cancels_its_pending_hires() -> None:
    unit_spec = ops_unit(managers=200)
    unit_spec["layers"][MANAGER]["attrition_annual"] = 0.4
    s = with_waves(
        remove_managers(0.0),
        org={"units": [unit_spec], "backfill": {"share": 1.0, "lag_weeks": 8}},
    )
    unit = ops(s)
    pending = unit.leavers[WAVE_WEEK - 8 : WAVE_WEEK, MANAGER].sum()
    assert pending > 0, "managers must leave within a lag of the removal"
    assert (unit.hires[: WAVE_WEEK + 1, MANAGER] > 0).any()
    assert (unit.hires[WAVE_WEEK:, MANAGER] == 0).all()
    assert (unit.hiring_cost[WAVE_WEEK:, MANAGER] == 0).all()
    assert (unit.headcount[WAVE_WEEK:, MANAGER] == 0).all()


# --- backfill and hiring freezes ----------------------------------------------------


def leaky(share: float = 1.0, lag_weeks: int = 5, **org: Any) -> Scenario:
    return scenario(
        {
            "org": {
                "attrition_annual": 0.2,
                "backfill": {"share": share, "lag_weeks": lag_weeks, "cost_per_hire": 12_000},
                "units": [ops_unit(managers=300, ics=3000)],
                **org,
            }
        }
    )


def test_full_backfill_hires_in_week_w_the_leavers_of_week_w_minus_the_lag() -> None:
    s = leaky(share=1.0, lag_weeks=5)
    unit = ops(s)
    assert unit.leavers.sum() > 0
    # the first five weeks' hires were asked for before the start: the steady state's,
    # whole people whose running total stays within one of N h per week (a small layer's
    # fractions carried, not rounded away week by week)
    start = np.array([float(layer.headcount) for layer in s.org.units[0].resolved_layers])
    expected = np.outer(np.arange(1, 6), start * weekly_hazard(0.2))
    assert (np.abs(unit.hires[:5].cumsum(axis=0) - expected) < 1).all()
    np.testing.assert_array_equal(unit.hires[5:], unit.leavers[:-5])
    np.testing.assert_array_equal(unit.hiring_cost, unit.hires * 12_000)


def test_backfill_replaces_about_its_share_of_leavers() -> None:
    s = scenario(
        {
            "org": {
                "attrition_annual": 0.2,
                "backfill": {"share": 0.6, "lag_weeks": 3},
                "units": [ops_unit(ics=100_000)],
            }
        }
    )
    unit = ops(s)
    # leavers of the last three weeks would be hired after the horizon; the first
    # three weeks' hires replace leavers from before the start
    leavers, hires = unit.leavers[:-3, IC].sum(), unit.hires[3:, IC].sum()
    se = math.sqrt(leavers * 0.6 * 0.4)
    assert abs(hires - 0.6 * leavers) < 4 * se


def test_a_zero_hiring_lag_still_replaces_leavers() -> None:
    unit = ops(leaky(share=1.0, lag_weeks=0))
    assert unit.leavers.sum() > 0
    assert unit.hires.sum() > 0


def test_a_hiring_freeze_stops_requisitions_from_leavers_during_it() -> None:
    freeze = {"start": "2026-03-01", "end": "2026-04-30"}
    unit = ops(leaky(hiring_freezes=[freeze]))
    calendar = Calendar(START, 12)
    first, last = calendar.week_of(dt.date(2026, 3, 1)), calendar.week_of(dt.date(2026, 4, 30))
    assert unit.leavers[first : last + 1].sum() > 0
    assert (unit.hires[first + 5 : last + 6] == 0).all()
    # leavers before and after the freeze are still replaced a lag later
    np.testing.assert_array_equal(unit.hires[5 : first + 5], unit.leavers[:first])
    np.testing.assert_array_equal(unit.hires[last + 6 :], unit.leavers[last + 1 : -5])


def test_a_hiring_freeze_of_other_units_leaves_this_one_hiring() -> None:
    freeze = {"start": "2026-03-01", "end": "2026-04-30", "units": ["Other"]}
    s = scenario(
        {
            "org": {
                "attrition_annual": 0.2,
                "backfill": {"share": 1.0, "lag_weeks": 5},
                "units": [ops_unit(managers=300, ics=3000), ops_unit(name="Other")],
                "hiring_freezes": [freeze],
            }
        }
    )
    unit = ops(s)
    np.testing.assert_array_equal(unit.hires[5:], unit.leavers[:-5])


def test_a_cohort_loses_its_annual_attrition_rate_in_a_year() -> None:
    s = scenario({"org": {"attrition_annual": 0.12, "units": [ops_unit(ics=200_000)]}})
    ics = ops(s).headcount[:, IC]
    weeks = len(ics)
    expected_left = 200_000 * (1 - weekly_hazard(0.12)) ** weeks
    p_left = expected_left / 200_000
    se = math.sqrt(200_000 * p_left * (1 - p_left))
    assert abs(ics[-1] - expected_left) < 4 * se
    # over exactly one year the share gone would be the annual rate
    assert 1 - (1 - weekly_hazard(0.12)) ** WEEKS_A_YEAR == pytest.approx(0.12)


# --- survivors ----------------------------------------------------------------------


def shaken(multiplier: float, attrition_annual: float, **effects: Any) -> Scenario:
    survivor_effects = {"attrition_multiplier": multiplier, "attrition_months": 6, **effects}
    return with_waves(
        {"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "Manager", "count": 1}]},
        org={"attrition_annual": attrition_annual, "units": [ops_unit(ics=200_000)]},
        restructuring={"survivor_effects": survivor_effects},
    )


def window_weeks(months: float) -> int:
    return round(months * WEEKS_PER_MONTH)


def expected_leavers(unit: UnitWorkforce, weeks: range, hazard: float) -> tuple[float, float]:
    """Mean and SD of IC leavers over ``weeks`` given the ICs at each week's start."""
    at_start = np.array([unit.headcount[w - 1, IC] - unit.cut[w, IC] for w in weeks])
    return float(at_start.sum() * hazard), math.sqrt(at_start.sum() * hazard * (1 - hazard))


def test_survivors_leave_at_the_multiplied_annual_rate_for_the_window() -> None:
    unit = ops(shaken(2.0, 0.12))
    window = range(WAVE_WEEK, WAVE_WEEK + window_weeks(6))
    mean, sd = expected_leavers(unit, window, weekly_hazard(0.24))
    observed = unit.leavers[window.start : window.stop, IC].sum()
    assert abs(observed - mean) < 4 * sd


def test_attrition_returns_to_normal_when_the_window_ends() -> None:
    unit = ops(shaken(2.0, 0.12))
    after = range(WAVE_WEEK + window_weeks(6), len(unit.leavers))
    mean, sd = expected_leavers(unit, after, weekly_hazard(0.12))
    assert abs(unit.leavers[after.start :, IC].sum() - mean) < 4 * sd
    before = range(1, WAVE_WEEK)
    mean, sd = expected_leavers(unit, before, weekly_hazard(0.12))
    assert abs(unit.leavers[1:WAVE_WEEK, IC].sum() - mean) < 4 * sd


def test_survivors_in_the_window_leave_about_multiplier_times_the_baselines_leavers() -> None:
    # at a low annual rate the weekly hazard ratio is close to the multiplier itself
    multiplier, annual = 2.0, 0.03
    expected_ratio = weekly_hazard(annual * multiplier) / weekly_hazard(annual)
    assert expected_ratio == pytest.approx(multiplier, rel=0.02)
    s = shaken(multiplier, annual)
    window = slice(WAVE_WEEK, WAVE_WEEK + window_weeks(6))
    shaken_leavers = ops(s).leavers[window, IC].sum()
    twin_leavers = ops(s, with_changes=False).leavers[window, IC].sum()
    ratio = shaken_leavers / twin_leavers
    se = ratio * math.sqrt(1 / shaken_leavers + 1 / twin_leavers)
    assert abs(ratio - expected_ratio) < 4 * se


def test_survivors_productivity_dips_then_fades_linearly_to_zero() -> None:
    s = shaken(1.0, 0.0, productivity_dip=0.1, dip_months=3)
    dip = ops(s).productivity_dip
    dip_weeks = 3 * (365.25 / 7) / 12  # 13.04 weeks
    weeks_since = np.arange(len(dip)) - WAVE_WEEK
    expected = np.where(weeks_since >= 0, 0.1 * np.clip(1 - weeks_since / dip_weeks, 0, 1), 0.0)
    np.testing.assert_allclose(dip, expected, atol=1e-12)
    assert dip[WAVE_WEEK] == pytest.approx(0.1)
    assert dip[WAVE_WEEK + 7] == pytest.approx(0.1 * (1 - 7 / dip_weeks))
    assert (dip[WAVE_WEEK + 14 :] == 0).all()


def test_units_untouched_by_a_wave_are_exactly_as_in_the_baseline_twin() -> None:
    s = with_waves(
        {"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "IC", "count": 10}]},
        org={
            "attrition_annual": 0.15,
            "backfill": {"share": 0.8, "lag_weeks": 6},
            "units": [ops_unit(), ops_unit(name="Cloud", ics=5000)],
        },
        restructuring={
            "survivor_effects": {
                "attrition_multiplier": 3.0,
                "attrition_months": 12,
                "productivity_dip": 0.2,
                "dip_months": 6,
            }
        },
    )
    cloud = workforce(s, with_changes=True).units[1]
    twin = workforce(s, with_changes=False).units[1]
    assert not cloud.productivity_dip.any()
    for field in ("headcount", "leavers", "hires", "cut", "on_notice", "severance", "working_pay"):
        np.testing.assert_array_equal(getattr(cloud, field), getattr(twin, field), err_msg=field)
    assert ops(s).productivity_dip[WAVE_WEEK] == pytest.approx(0.2)


def test_the_baseline_twin_has_no_cuts_no_notice_no_severance_and_no_dip() -> None:
    s = with_waves(
        remove_managers(0.5, one_time_costs=1e6),
        {"date": "2026-06-15", "cuts": [{"unit": "Ops", "layer": "IC", "share": 0.2}]},
        restructuring={"survivor_effects": {"productivity_dip": 0.1, "dip_months": 4}},
    )
    twin = workforce(s, with_changes=False)
    unit = twin.units[0]
    for field in ("cut", "moved_in", "on_notice", "severance", "notice_pay", "productivity_dip"):
        assert not getattr(unit, field).any(), field
    assert unit.exists.all()
    assert (unit.headcount == [2, 10, 100]).all()
    assert not twin.wave_one_time_cost.any()


# --- what the engine makes of it: payroll ---------------------------------------------


def replication(s: Scenario, seed: int = 3) -> Replication:
    return run_replication(s, seed)


def payroll(rep: Replication, twin: bool = False) -> np.ndarray:
    trajectory = rep.baseline if twin else rep.scenario
    return trajectory.units[0].payroll.sum(axis=1)


def test_payroll_falls_by_people_times_a_months_days_of_pay_once_notice_ends() -> None:
    s = with_waves({"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "IC", "count": 20}]})
    rep = replication(s)
    saving = payroll(rep, twin=True) - payroll(rep)
    days = Calendar(START, len(saving)).days_in_month  # 2026, then the lead-in's months
    np.testing.assert_allclose(saving[:MARCH], 0.0, atol=1e-6)
    np.testing.assert_allclose(saving[MAY:], 20 * IC_COST * days[MAY:] / DAYS_2026)
    # paid to 25 April: 5 days of April saved
    assert saving[APRIL] == pytest.approx(20 * IC_COST * 5 / DAYS_2026)


def test_people_on_notice_are_paid_at_their_layers_cost_for_the_days_of_notice() -> None:
    s = with_waves({"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "IC", "count": 20}]})
    rep = replication(s)
    ops_month = rep.scenario.units[0]
    # in March the cut people are all still paid: payroll is the baseline's
    assert payroll(rep)[MARCH] == pytest.approx(payroll(rep, twin=True)[MARCH])
    assert ops_month.notice_pay[MARCH, IC] == pytest.approx(20 * IC_COST * 17 / DAYS_2026)
    assert ops_month.notice_pay[APRIL, IC] == pytest.approx(20 * IC_COST * 25 / DAYS_2026)
    assert ops_month.notice_pay[:, IC].sum() == pytest.approx(20 * IC_COST * 42 / DAYS_2026)
    assert ops_month.on_notice[MARCH, IC] == pytest.approx(20 * 17 / 31)
    assert ops_month.severance[APRIL, IC] == pytest.approx(20 * 10 * IC_COST / WEEKS_A_YEAR)


def test_payroll_falls_by_about_people_times_cost_over_twelve_despite_attrition() -> None:
    s = with_waves(
        {"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "IC", "count": 2000}]},
        org={
            "attrition_annual": 0.12,
            "backfill": {"share": 0.9, "lag_weeks": 10},
            "units": [ops_unit(ics=10_000)],
        },
        work=[{"arrivals_per_ic_per_week": 0.01, "effort_hours": 2}],
    )
    rep = replication(s)
    saving = payroll(rep, twin=True) - payroll(rep)
    days = Calendar(START, len(saving)).days_in_month
    np.testing.assert_allclose(saving[MAY:], 2000 * IC_COST * days[MAY:] / DAYS_2026, rtol=0.05)


@pytest.mark.parametrize(
    "month",
    range(2, 13),
)
def test_a_wave_on_the_first_of_a_month_is_reported_in_that_month(month: int) -> None:
    date = dt.date(2026, month, 1)
    s = with_waves(
        {"date": date.isoformat(), "cuts": [{"unit": "Ops", "layer": "IC", "count": 5}]},
        work=[{"arrivals_per_ic_per_week": 0.01, "effort_hours": 2}],
    )
    cut = replication(s).scenario.units[0].cut[:, IC]
    assert cut[month - 1] == 5, f"cut reported in month {np.flatnonzero(cut)} not {month - 1}"


# --- what the engine makes of it: the work flow ---------------------------------------


def delayering(signoffs_go: str) -> Scenario:
    """Every item needs sign-off two layers up, and that second layer is the bottleneck."""
    units = [
        {
            "name": "Ops",
            "layers": [
                {"name": "Director", "headcount": 1, "cost_per_head_annual": DIRECTOR_COST},
                {
                    "name": "Senior",
                    "headcount": 2,
                    "cost_per_head_annual": MANAGER_COST,
                    "review_share": 0.2,
                },
                {"name": "Manager", "headcount": 10, "cost_per_head_annual": MANAGER_COST},
                {"name": "IC", "headcount": 50, "cost_per_head_annual": IC_COST},
            ],
        }
    ]
    removal = {"unit": "Ops", "layer": "Senior", "signoffs_go": signoffs_go}
    return with_waves(
        {"date": WAVE_DATE, "remove_layers": [removal]},
        org={"units": units},
        work=[
            {
                "arrivals_per_ic_per_week": 0.5,
                "effort_hours": 2,
                "signoff_shares": [0.0, 1.0],
                "review_hours": 0.5,
            }
        ],
    )


AFTER = slice(MAY, None)


def test_removing_the_bottleneck_layer_with_signoffs_going_down_shortens_cycle_time() -> None:
    rep = replication(delayering("down"))
    after = np.mean(rep.scenario.units[0].cycle_time_mean_weeks[AFTER])
    twin = rep.baseline.units[0].cycle_time_mean_weeks
    # until the wave the twins are the same run
    np.testing.assert_allclose(rep.scenario.units[0].cycle_time_mean_weeks[:MARCH], twin[:MARCH])
    # by hand, in weeks: IC effort, hand-off, first-line review (lightly loaded)
    one_hop = 2 / 30 + 1 / 7 + 0.5 / (40 * 0.3)
    # ... then hand-off, queue and review at a Senior: each is an M/D/1 server
    # with 12.5 items a week of 0.5 h at 40 h x 20%: load 0.78
    service = 0.5 / (40 * 0.2)
    load = 12.5 * service
    two_hops = one_hop + 1 / 7 + service + load * service / (2 * (1 - load))
    assert np.mean(twin[AFTER]) == pytest.approx(two_hops, rel=0.1)
    assert after == pytest.approx(one_hop, rel=0.05)


def test_signoffs_sent_up_after_a_removal_take_longer_than_sent_down() -> None:
    down = np.mean(replication(delayering("down")).scenario.units[0].cycle_time_mean_weeks[AFTER])
    up = np.mean(replication(delayering("up")).scenario.units[0].cycle_time_mean_weeks[AFTER])
    assert down < up


def test_cutting_first_line_managers_raises_the_remaining_ones_utilisation() -> None:
    s = with_waves(
        {"date": WAVE_DATE, "cuts": [{"unit": "Ops", "layer": "Manager", "share": 0.5}]},
        work=[
            {
                "arrivals_per_ic_per_week": 0.5,
                "effort_hours": 2,
                "signoff_shares": [1.0],
                "review_hours": 0.5,
            }
        ],
    )
    rep = replication(s)
    first_line = rep.scenario.units[0].utilisation[:, 1]
    twin = rep.baseline.units[0].utilisation[:, 1]
    # 50 items a week x 0.5 h over 10 (then 5) managers x 40 h x 30% on reviews
    assert np.mean(twin[AFTER]) == pytest.approx(50 * 0.5 / (10 * 40 * 0.3), rel=0.1)
    assert np.mean(first_line[AFTER]) == pytest.approx(50 * 0.5 / (5 * 40 * 0.3), rel=0.1)
    assert np.mean(first_line[AFTER]) / np.mean(twin[AFTER]) == pytest.approx(2.0, rel=0.1)


def test_a_replication_seeded_twice_with_one_seed_sequence_gives_the_same_result() -> None:
    """A SeedSequence passed in is read, not consumed: spawning from it would move it on."""
    leaving = scenario({"org": {"attrition_annual": 0.3}})
    seed = np.random.SeedSequence(11)
    first, second = run_replication(leaving, seed), run_replication(leaving, seed)
    np.testing.assert_array_equal(first.scenario.units[0].leavers, second.scenario.units[0].leavers)
    np.testing.assert_array_equal(first.scenario.units[0].done, second.scenario.units[0].done)
