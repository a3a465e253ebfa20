"""The waves' cuts and removals, line by line, add up to the money the cash flows book.

Each wave's change to a layer is recorded by the engine with the notice pay and
severance it booked; over the replications a line shows means, and its money is
recomputed from them (a spreadsheet does, in the workbook) only where that is
exact: at most one of people, cost per head, weeks and pay growth differs
between replications, because a mean of products is the product of the means
only then.
"""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
from conftest import SMALL
from hypothesis import given, settings
from hypothesis import strategies as st
from test_workforce import IC, IC_COST, MANAGER, MANAGER_COST, with_waves, workforce

from sim.finance.cashflows import NOTICE_PAY, SEVERANCE
from sim.model.calendar import WEEKS_PER_YEAR, Calendar
from sim.model.workforce import CUT, MOVED_DOWN, REMOVED_CUT
from sim.runs.cuts import COST, PEOPLE, SEVERANCE_WEEKS
from sim.runs.montecarlo import Results
from sim.runs.orchestrator import run_monte_carlo
from sim.scenario.load import parse_scenario
from sim.scenario.schema import Scenario

DAYS = 365  # 2026 and 2027
MARCH, APRIL, MAY, DEC = 2, 3, 4, 11


#: 20 ICs cut on 15 March (60 days' notice); the manager layer removed on 1 December,
#: half moved down: its notice runs past the 12-month horizon (the workbook tests too)
TWO_WAVES = (
    {
        "name": "March",
        "date": "2026-03-15",
        "notice_weeks": 60 / 7,
        "cuts": [{"unit": "Ops", "layer": "IC", "count": 20}],
    },
    {
        "name": "December",
        "date": "2026-12-01",
        "notice_weeks": 60 / 7,
        "remove_layers": [{"unit": "Ops", "layer": "Manager", "moved_down_share": 0.5}],
    },
)


def two_waves(**changes: object) -> Scenario:
    """TWO_WAVES on the base scenario (10 weeks' severance)."""
    return with_waves(*copy.deepcopy(TWO_WAVES), **changes)


def booked(results: Results) -> tuple[np.ndarray, np.ndarray]:
    """The lines' notice pay and severance, summed by the month they are booked in."""
    months = len(results.months)
    notice, severance = np.zeros(months), np.zeros(months)
    for line in results.cut_lines():
        for piece in line.notice:
            notice[piece.booked] += piece.notice_pay
        for payment in line.severance:
            severance[payment.booked] += payment.severance
    return notice, severance


def assert_lines_add_up_to_the_cash_flows(results: Results) -> None:
    notice, severance = booked(results)
    flows = results.mean_cash_flows().scenario
    np.testing.assert_allclose(notice, flows[NOTICE_PAY], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(severance, flows[SEVERANCE], rtol=1e-9, atol=1e-6)
    cut = sum(line.people for line in results.cut_lines() if line.change != MOVED_DOWN)
    assert cut == pytest.approx(results.headline["roles_cut"].mean, rel=1e-12)


def small(*edits: tuple[str, str]) -> Scenario:
    text = SMALL.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    return parse_scenario(text, SMALL.name)


# --- the engine's record --------------------------------------------------------------


def test_each_change_books_exactly_what_its_unit_books_for_it() -> None:
    people = workforce(two_waves())
    unit = people.units[0]
    changes = {(c.wave, c.layer, c.change): c for c in people.changes}
    assert set(changes) == {
        (0, "IC", CUT),
        (1, "Manager", REMOVED_CUT),
        (1, "Manager", MOVED_DOWN),
    }
    ics, cut, moved = (
        changes[0, "IC", CUT],
        changes[1, "Manager", REMOVED_CUT],
        changes[1, "Manager", MOVED_DOWN],
    )
    assert (ics.people, cut.people, moved.people) == (20, 5, 5)
    assert moved.moved_to == "IC" and moved.cost_per_head_annual == MANAGER_COST
    np.testing.assert_array_equal(ics.notice_pay + cut.notice_pay, unit.notice_pay.sum(axis=1))
    np.testing.assert_array_equal(ics.severance + cut.severance, unit.severance.sum(axis=1))
    assert not moved.notice_pay.any() and not moved.severance.any()
    # by hand: 17 days of March, 30 of April, 13 of May; severance the day notice ends
    np.testing.assert_allclose(
        ics.notice_pay[[MARCH, APRIL, MAY]], 20 * IC_COST * np.array([17, 30, 13]) / DAYS
    )
    assert (ics.month, ics.severance_month) == (MARCH, MAY)
    assert ics.severance[MAY] == pytest.approx(20 * IC_COST * 10 / WEEKS_PER_YEAR)
    # the December notice runs 29 days past the horizon: all of it, and the
    # severance, are provided for in December
    assert (cut.month, cut.severance_month) == (DEC, DEC)
    assert cut.notice_pay[DEC] == pytest.approx(5 * MANAGER_COST * 60 / DAYS)
    assert cut.severance[DEC] == pytest.approx(5 * MANAGER_COST * 10 / WEEKS_PER_YEAR)
    assert unit.cut_in_month[MARCH, IC] == 20 and unit.cut_in_month[DEC, MANAGER] == 5


CALENDAR = Calendar(dt.date(2026, 11, 1), 18)  # runs over a leap year's February (2028)


@settings(max_examples=200, deadline=None)
@given(
    first=st.floats(min_value=0, max_value=CALENDAR.horizon_days),
    length=st.floats(min_value=0, max_value=2000),
)
def test_the_pieces_of_a_notice_accrue_what_the_calendar_accrues(
    first: float, length: float
) -> None:
    pieces = CALENDAR.accrual_pieces(first, first + length)
    inside = np.zeros(CALENDAR.months)
    after = 0.0
    for piece in pieces:
        assert piece.period_start <= piece.first_day < piece.end_day <= piece.period_end
        assert piece.year_days in (365.0, 366.0, 365.25)
        if piece.month < CALENDAR.months:
            inside[piece.month] += piece.days / piece.year_days
        else:
            after += piece.days / piece.year_days
    np.testing.assert_allclose(inside, CALENDAR.pay_between(first, first + length), atol=1e-12)
    assert after == pytest.approx(CALENDAR.pay_after_horizon(first, first + length), abs=1e-12)
    assert sum(p.days for p in pieces) == pytest.approx(length, abs=1e-9)


# --- over the replications --------------------------------------------------------------


def test_lines_of_a_plan_without_randomness_are_its_changes_with_their_money() -> None:
    results = run_monte_carlo(two_waves(org={"pay_growth_annual": 0.03}), 3, 5, flow=False)
    lines = results.cut_lines()
    assert [(x.wave_name, x.layer, x.change) for x in lines] == [
        ("March", "IC", CUT),
        ("December", "Manager", REMOVED_CUT),
        ("December", "Manager", MOVED_DOWN),
    ]
    assert all(x.notice_exact and x.severance_exact and not x.varying for x in lines)
    ics, managers, _ = lines
    # valued from January (the base scenario's valuation date): pay grows 3% a year from it
    growth = 1.03 ** (np.arange(12) / 12)
    assert [(p.booked, p.days.days, p.days.year_days) for p in ics.notice] == [
        (MARCH, 17, 365),
        (APRIL, 30, 365),
        (MAY, 13, 365),
    ]
    for piece in ics.notice:
        assert piece.pay_growth == pytest.approx(growth[piece.booked], rel=1e-15)
        expected = 20 * IC_COST * piece.days.days / DAYS * growth[piece.booked]
        assert piece.notice_pay == pytest.approx(expected, rel=1e-12)
    (payment,) = ics.severance
    assert payment.booked == MAY
    assert payment.severance == pytest.approx(20 * IC_COST * 10 * 7 / 365.25 * growth[MAY])
    # December's notice: 31 days inside the horizon, 29 after it, all booked in December
    assert [(p.booked, p.days.month, p.days.days) for p in managers.notice] == [
        (DEC, DEC, 31),
        (DEC, DEC + 1, 29),
    ]
    assert all(p.pay_growth == pytest.approx(growth[DEC]) for p in managers.notice)
    assert managers.notice_pay == pytest.approx(5 * MANAGER_COST * 60 / DAYS * growth[DEC])
    assert_lines_add_up_to_the_cash_flows(results)


def test_people_cut_by_a_share_vary_and_their_money_stays_exact() -> None:
    # attrition before the wave: a removed layer's people differ between replications,
    # nothing else does, so the mean people times the cost is the mean money
    results = run_monte_carlo(small(), 4, 11, flow=False)
    cut = next(x for x in results.cut_lines() if x.change == REMOVED_CUT)
    assert cut.varying == (PEOPLE,)
    # (cut.people is their mean; four replications' mean may fall on a whole number, as
    # it does on these streams, so the varying flag, not the fraction, says they differ)
    assert cut.notice_exact and cut.severance_exact
    assert_lines_add_up_to_the_cash_flows(results)


def test_a_second_factor_that_varies_leaves_the_mean_of_the_amounts() -> None:
    tenure = ("average_tenure_years: 4", "average_tenure_years: 'pert(2, 4, 7)'")
    results = run_monte_carlo(small(tenure), 4, 11, flow=False)
    cut = next(x for x in results.cut_lines() if x.change == REMOVED_CUT)
    assert cut.varying == (PEOPLE, SEVERANCE_WEEKS)
    assert cut.notice_exact and not cut.severance_exact
    assert all(p.pay_growth is None for p in cut.severance)
    assert_lines_add_up_to_the_cash_flows(results)


def test_a_count_cut_with_an_uncertain_cost_is_exact_at_the_mean_cost() -> None:
    s = two_waves(
        org={
            "units": [
                {
                    "name": "Ops",
                    "layers": [
                        {"name": "Director", "headcount": 2, "cost_per_head_annual": 300_000},
                        {"name": "Manager", "headcount": 10, "cost_per_head_annual": 200_000},
                        {
                            "name": "IC",
                            "headcount": 100,
                            "cost_per_head_annual": "uniform(80000, 120000)",
                        },
                    ],
                }
            ]
        }
    )
    results = run_monte_carlo(s, 5, 3, flow=False)
    ics = results.cut_lines()[0]
    assert ics.varying == (COST,) and ics.notice_exact and ics.severance_exact
    assert ics.people == 20 and 80_000 < ics.cost_per_head_annual < 120_000
    assert_lines_add_up_to_the_cash_flows(results)
