"""The arithmetic of a unit's weeks, checked directly against closed forms: the hires in
flight at the start, a wave's notice on the calendar, the survivors' fading dip, the
redeployed's ramp, a fractional weekly quota."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.model.calendar import Calendar
from sim.model.headcountweek import (
    dip_fading,
    notice_span,
    productivity_loss,
    quota,
    steady_hires,
    survivors_window,
)
from sim.model.staffing import weekly_hazard

CALENDAR = Calendar(dt.date(2026, 1, 1), 12)  # 2026: 365 days


def test_hires_in_flight_carry_the_weeks_fractions_instead_of_rounding_each_away() -> None:
    # a 200-person layer at 12% a year loses ~0.49 a week: over 10 weeks ~4.9 hires
    count, attrition = np.array([200]), np.array([0.12])
    per_week = float(200 * weekly_hazard(attrition)[0])
    assert 0.45 < per_week < 0.5
    for offset in (0.0, 0.5, 0.99):
        hires = steady_hires(count, attrition, 1.0, 10, np.array([offset]), None)
        assert hires.shape == (10, 1) and hires.min() >= 0
        assert hires.sum() == np.floor(10 * per_week + offset)  # not 0, as rounding gave
    # replacing half of the leavers: half as many in flight
    half = steady_hires(count, attrition, 0.5, 10, np.array([0.5]), None)
    assert half.sum() == np.floor(5 * per_week + 0.5)


def test_a_notice_is_paid_by_the_day_and_ends_its_days_later() -> None:
    day = CALENDAR.day_of(dt.date(2026, 3, 10))
    acts = 10 * 7  # the week the wave acts in starts on day 70 (March 12)
    span = notice_span(CALENDAR, day, acts, 60.0)
    assert span.month == 2 and span.ends == day + 60
    assert span.unworked.sum() == pytest.approx(2 / 365)  # counted working 2 days too many
    assert span.on_notice.sum() == pytest.approx(60 / 365)
    assert span.notice_days.sum() == pytest.approx(60)
    assert span.severance_month == CALENDAR.month_of_day(day + 60) == 4  # May 9
    assert span.after_horizon is None


def test_a_notice_past_the_horizon_is_provided_for_in_the_notice_month() -> None:
    day = CALENDAR.day_of(dt.date(2026, 12, 1))
    span = notice_span(CALENDAR, day, day, 90.0)
    assert span.severance_month == span.month == 11
    assert span.on_notice.sum() == pytest.approx(31 / 365)  # December, inside the horizon
    assert span.after_horizon == pytest.approx(59 / 365)  # January and February 2027


def test_survivors_leave_faster_for_their_window_and_their_dip_fades_linearly() -> None:
    assert survivors_window(10, 52, 26) == slice(10, 36)
    assert survivors_window(40, 52, 26) == slice(40, 52)  # cut at the last week
    fade = dip_fading(12, 4.0, 0.1)
    np.testing.assert_allclose(fade[:5], [0.1, 0.075, 0.05, 0.025, 0.0])
    assert not fade[4:].any()


def test_the_redeployed_ramping_up_deepen_the_survivors_dip_by_their_share_of_the_ics() -> None:
    dip = np.array([0.1, 0.0, 0.0])
    # 10 ICs of 100 at half speed lose 5 ICs' capacity: 5%; never more than all of it
    loss = productivity_loss(dip, np.array([5.0, 5.0, 500.0]), np.array([100.0, 100.0, 100.0]))
    np.testing.assert_allclose(loss, [1 - 0.9 * 0.95, 0.05, 1.0])
    assert productivity_loss(dip, np.zeros(3), np.ones(3)) is dip  # nobody ramping


def test_a_fractional_quota_trains_whole_people_and_carries_the_rest() -> None:
    carry, trained = 0.0, []
    for _ in range(8):
        whole, carry = quota(carry, 2.25)
        trained.append(whole)
    assert trained == [2, 2, 2, 3, 2, 2, 2, 3]
    assert sum(trained) == 18 and carry == pytest.approx(0.0)
