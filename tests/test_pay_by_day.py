"""Calendar months and pay by the day, checked by hand as a finance reader would.

Pay accrues each day at the annual cost over the days of that day's year
(2026 and 2027 have 365), so every expected figure here is a count of calendar
days times a cost over 365. Attrition and backfill are off (the helpers'
base scenario), so headcounts move only by the wave under test.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from test_workforce import (
    IC,
    IC_COST,
    MANAGER_COST,
    START,
    WEEKS_A_YEAR,
    ops,
    ops_unit,
    scenario,
    with_waves,
    workforce,
)

from sim.model.calendar import Calendar, add_months
from sim.model.replication import run_replication
from sim.model.workforce import UnitWorkforce
from sim.runs.summarise import summarise

DAYS = 365  # days in 2026 and in 2027
JAN, FEB, MARCH, APRIL, MAY, JUNE, OCT, NOV, DEC = 0, 1, 2, 3, 4, 5, 9, 10, 11
CALENDAR = Calendar(START, 12)
DAYS_IN_MONTH = CALENDAR.days_in_month


def day(date: str) -> int:
    return (dt.date.fromisoformat(date) - START).days


def pay(unit: UnitWorkforce) -> np.ndarray:
    """Payroll per month and layer: people working and on notice."""
    return unit.working_pay + unit.notice_pay


def cut_ics(date: str, count: int = 20, notice_weeks: float = 6.0) -> dict:
    return {
        "date": date,
        "notice_weeks": notice_weeks,
        "cuts": [{"unit": "Ops", "layer": "IC", "count": count}],
    }


# --- 1. calendar months -------------------------------------------------------------


def test_a_months_payroll_is_its_days_pay_and_a_year_costs_the_annual_cost() -> None:
    unit = ops(scenario())
    expected = np.outer(DAYS_IN_MONTH / DAYS, [2 * 300_000.0, 10 * MANAGER_COST, 100 * IC_COST])
    np.testing.assert_allclose(pay(unit), expected, rtol=1e-12)
    assert pay(unit)[JAN].sum() > pay(unit)[FEB].sum()  # 31 days cost more than 28
    assert pay(unit).sum() == pytest.approx(600_000 + 10 * MANAGER_COST + 100 * IC_COST)


@pytest.mark.parametrize("date", ["2026-10-28", "2026-10-30", "2026-10-31"])
def test_a_wave_dated_late_in_a_month_is_reported_in_that_month(date: str) -> None:
    # a wave acts in the weekly steps from the next week start (in November for the 30th
    # and 31st); what it cuts and costs is still October's
    s = with_waves({**cut_ics(date), "one_time_costs": 1e6})
    people = workforce(s)
    unit = people.units[0]
    assert unit.cut_in_month[OCT, IC] == 20
    assert unit.cut_in_month.sum() == 20
    assert people.wave_one_time_cost[OCT] == 1e6
    days_left_in_october = 31 - dt.date.fromisoformat(date).day + 1
    assert unit.notice_pay[OCT, IC] == pytest.approx(20 * IC_COST * days_left_in_october / DAYS)


def test_people_cut_are_paid_to_the_day_of_the_wave_then_exactly_their_notice() -> None:
    date = "2026-10-30"  # a Friday; the weekly step acts on 4 November
    s = with_waves(cut_ics(date, notice_weeks=2))
    saving = pay(ops(s, with_changes=False)) - pay(ops(s))
    # paid to 12 November (14 days from 30 October), saved from 13 November on
    expected = np.zeros(12)
    expected[NOV] = 20 * IC_COST * 18 / DAYS
    expected[DEC] = 20 * IC_COST * 31 / DAYS
    np.testing.assert_allclose(saving.sum(axis=1), expected, atol=1e-6)
    assert ops(s).severance[NOV, IC] == pytest.approx(20 * 10 * IC_COST / WEEKS_A_YEAR)


# --- 2. notice and severance arithmetic ---------------------------------------------


def test_sixty_days_notice_is_sixty_days_pay_not_nine_weeks() -> None:
    s = with_waves(cut_ics("2026-03-15", notice_weeks=60 / 7))
    unit = ops(s)
    assert unit.notice_pay[:, IC].sum() == pytest.approx(20 * IC_COST * 60 / DAYS, rel=1e-12)
    # 17 days of March, 30 of April, 13 of May
    np.testing.assert_allclose(
        unit.notice_pay[[MARCH, APRIL, MAY], IC], 20 * IC_COST * np.array([17, 30, 13]) / DAYS
    )
    saving = pay(ops(s, with_changes=False)) - pay(unit)
    # paid to 13 May inclusive; the rest of the year is saved: 232 days
    assert saving.sum() == pytest.approx(20 * IC_COST * (DAYS - day("2026-05-14")) / DAYS)


@pytest.mark.parametrize(
    ("notice_days", "month"), [(16, MARCH), (17, APRIL)], ids=["ends-31-march", "ends-1-april"]
)
def test_severance_falls_in_the_month_its_date_falls_in(notice_days: int, month: int) -> None:
    # the weekly step holding 31 March starts on 26 March and runs into April
    s = with_waves(cut_ics("2026-03-15", notice_weeks=notice_days / 7))
    severance = ops(s).severance[:, IC]
    assert severance[month] == pytest.approx(20 * 10 * IC_COST / WEEKS_A_YEAR)
    assert severance.sum() == pytest.approx(severance[month])


def test_notice_and_severance_owed_after_the_horizon_are_provided_for_when_notice_is_given() -> (
    None
):
    # notice from 1 December for 60 days: 31 days inside the horizon, 29 after it
    s = with_waves(cut_ics("2026-12-01", notice_weeks=60 / 7))
    unit = ops(s)
    assert unit.notice_pay[DEC, IC] == pytest.approx(20 * IC_COST * 60 / DAYS)
    assert unit.notice_pay.sum() == pytest.approx(unit.notice_pay[DEC, IC])
    assert unit.severance[DEC, IC] == pytest.approx(20 * 10 * IC_COST / WEEKS_A_YEAR)
    assert unit.on_notice[DEC, IC] == pytest.approx(20)  # on notice all December


# --- issue 14: pay protection ---------------------------------------------------------


def remove_managers(protection: float | None = None, default: float | None = None):
    removal = {"unit": "Ops", "layer": "Manager", "moved_down_share": 1.0}
    if protection is not None:
        removal["pay_protection_months"] = protection
    changes: dict = {}
    if default is not None:
        changes["restructuring"] = {"pay_protection_months": default}
    return with_waves({"date": "2026-03-15", "remove_layers": [removal]}, **changes)


@pytest.mark.parametrize(
    ("protection", "default"), [(3, None), (None, 3), (3, 12)], ids=["own", "default", "override"]
)
def test_managers_moved_down_keep_their_old_cost_for_the_protection_months(
    protection: float | None, default: float | None
) -> None:
    s = remove_managers(protection, default)
    saving = (pay(ops(s, with_changes=False)) - pay(ops(s))).sum(axis=1)
    assert add_months(dt.date(2026, 3, 15), 3) == dt.date(2026, 6, 15)
    # ten managers cost an IC's pay from 15 June: 16 days of June, then whole months
    per_day = 10 * (MANAGER_COST - IC_COST) / DAYS
    expected = np.zeros(12)
    expected[JUNE] = 16 * per_day
    expected[JUNE + 1 :] = DAYS_IN_MONTH[JUNE + 1 :] * per_day
    np.testing.assert_allclose(saving, expected, atol=1e-6)


def test_without_pay_protection_managers_moved_down_cost_the_new_layer_from_the_date() -> None:
    saving = pay(ops(remove_managers(), with_changes=False)) - pay(ops(remove_managers()))
    per_day = 10 * (MANAGER_COST - IC_COST) / DAYS
    assert saving.sum(axis=1)[MARCH] == pytest.approx(17 * per_day)
    assert saving.sum() == pytest.approx((DAYS - day("2026-03-15")) * per_day)


def test_protected_managers_leave_with_their_layers_leavers_in_proportion() -> None:
    # ICs leave (managers moved down among them too): the protected share of the layer
    # shrinks as the layer's survivors do, week by week, and their extra cost with it
    unit_spec = ops_unit(managers=1000, ics=9000)
    unit_spec["layers"][IC]["attrition_annual"] = 0.3

    def moved_down(**protection: float) -> dict:
        removal = {"unit": "Ops", "layer": "Manager", "moved_down_share": 1.0, **protection}
        return {"date": "2026-03-15", "remove_layers": [removal]}

    protected = ops(with_waves(moved_down(pay_protection_months=12), org={"units": [unit_spec]}))
    unprotected = ops(with_waves(moved_down(), org={"units": [unit_spec]}))  # same streams
    weekly = protected.headcount[:, IC]
    week0 = CALENDAR.week_from(dt.date(2026, 3, 15))
    kept = weekly[week0:] / (weekly[week0:] + protected.leavers[week0:, IC])
    heads = np.zeros(weekly.size)
    heads[week0:] = 1000 * np.cumprod(kept)
    uplift = MANAGER_COST - IC_COST
    expected = uplift * CALENDAR.monthly_pay(heads)
    expected += 1000 * uplift * CALENDAR.pay_between(day("2026-03-15"), 7 * week0)
    extra = pay(protected)[:, IC] - pay(unprotected)[:, IC]
    np.testing.assert_allclose(extra, expected, rtol=1e-9)
    assert heads[-1] < 800  # it shrank with the leavers


# --- the series the audit had to dig out ---------------------------------------------


def test_timeseries_reports_people_on_notice_and_the_queueing_part_of_cycle_time() -> None:
    s = with_waves(cut_ics("2026-03-15", notice_weeks=60 / 7))
    result = summarise(run_replication(s, 1))
    on_notice = result.series["Ops", "on_notice"]
    # 20 people for 17 of March's 31 days, all April, 13 of May's 31
    np.testing.assert_allclose(on_notice[[MARCH, APRIL, MAY]], 20 * np.array([17 / 31, 1, 13 / 31]))
    np.testing.assert_array_equal(result.series["all", "on_notice"], on_notice)
    assert not result.series["all", "baseline_on_notice"].any()
    queueing = result.series["Ops", "cycle_time_queueing"]
    cycle = result.series["Ops", "cycle_time_mean"]
    assert ((queueing >= 0) & (queueing <= cycle)).all()
    for name in ("cut", "leavers", "hires"):
        assert ("all", name) in result.series
    assert result.series["Ops", "cut"][MARCH] == 20


def test_the_pay_of_many_stretches_at_once_is_each_stretchs_own() -> None:
    """Pay protection asks for a batch's stretches in one call (sim.model.protection):
    each row is the stretch asked for alone, to the bit, a correction (end first)
    negative; what the calendar remembers of a stretch cannot be changed by a caller."""
    calendar = Calendar(dt.date(2025, 7, 1), 36)
    first = np.array([0.0, 10.5, 30.0, 400.25, 1090.0, 60.0])
    end = np.array([7.0, 45.0, 29.0, 1200.0, 1100.0, 60.0])
    together = calendar.pay_between(first, end)
    assert together.shape == (6, calendar.months)
    for row, (a, b) in zip(together, zip(first.tolist(), end.tolist(), strict=True), strict=True):
        np.testing.assert_array_equal(row, calendar.pay_between(a, b))
    assert together[2].sum() == -calendar.pay_between(29.0, 30.0).sum() < 0
    remembered = calendar.pay_between(10.5, 45.0)
    with pytest.raises(ValueError, match="read-only"):
        remembered[0] = 1.0
