"""A unit's monthly flow measures from what its flow counted: items arrived, done and
in progress by month, scaled from the sampled teams to the whole unit, and each level's
utilisation as the work begun over the server-weeks there were."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.model.calendar import Calendar
from sim.model.counters import FlowCounts
from sim.model.flowresult import Servers, unit_flow
from sim.model.sampling import Sample

CALENDAR = Calendar(dt.date(2026, 1, 1), 3)
SAMPLE = Sample(teams=2, first_line=10)  # each simulated item stands for 5


def counted() -> FlowCounts:
    counts = FlowCounts(CALENDAR.months, 1)
    ends = CALENDAR.month_ends_in_weeks
    # four items enter in month 0, one in month 1; two are done in month 0, one in month 2
    counts.entered += [0.5, 1.0, 2.0, 3.0, ends[0] + 1]
    counts.done_at += [1.5, 3.5, ends[1] + 0.5]
    counts.cycle_weeks += [1.0, 2.5, ends[1] - 1.5]
    counts.wait_weeks += [0.0, 1.0, 2.0]
    counts.busy[0] = [2.0, 1.0]
    counts.waiting[:] = [1, 0, 0]
    return counts


def servers(ics: float, reviewers: float) -> Servers:
    return Servers(np.full(CALENDAR.weeks, ics), np.full((CALENDAR.weeks, 1), reviewers))


def test_items_are_counted_by_month_and_scaled_to_the_whole_unit() -> None:
    flow = unit_flow(counted(), [], CALENDAR, SAMPLE, servers(2, 1), False, left=2)
    np.testing.assert_array_equal(flow.arrived, [20, 5, 0])
    np.testing.assert_array_equal(flow.done, [10, 0, 5])
    # arrived = done + in progress, month by month (5 a simulated item)
    np.testing.assert_array_equal(flow.in_progress, np.cumsum(flow.arrived - flow.done))
    np.testing.assert_array_equal(flow.backlog, [5, 0, 0])
    assert flow.cycle_time_mean_weeks[0] == pytest.approx(1.75)
    assert np.isnan(flow.cycle_time_mean_weeks[1])  # nothing done in month 1
    assert flow.wait_mean_weeks[0] == pytest.approx(0.5)
    assert flow.left_at_horizon == 10 and flow.scale == 5 and flow.teams == 2


def test_an_item_reviewed_again_elsewhere_is_counted_done_once() -> None:
    flow = unit_flow(counted(), [1], CALENDAR, SAMPLE, servers(2, 1), False, left=2)
    np.testing.assert_array_equal(flow.done, [5, 0, 5])
    assert flow.cycle_time_mean_weeks[0] == pytest.approx(1.0)


def test_utilisation_is_the_work_begun_over_the_server_weeks_of_the_month() -> None:
    flow = unit_flow(counted(), [], CALENDAR, SAMPLE, servers(2, 0), True, left=0)
    weeks = CALENDAR.weeks_in_month[0]
    assert flow.utilisation[0, 0] == pytest.approx(2.0 / (2 * weeks))
    assert np.isnan(flow.utilisation[0, 1])  # no desk served: no utilisation, not infinite
    assert np.isnan(flow.backlog).all()  # backlog mode: no queue of arrivals
