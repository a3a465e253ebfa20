"""The reviewer arithmetic: a sampled team's sign-offs cut into stations of one real
manager's load, the background topping each up to it, and what reaches each level."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.reviewers import (
    background_rates,
    reaching_by_level,
    signoff_routes,
    station_count,
    team_loads,
    team_stations,
)

loads_lists = st.lists(st.floats(0.01, 50.0), min_size=1, max_size=8)


@given(loads=loads_lists, per_manager=st.floats(0.1, 100.0))
def test_every_station_carries_one_real_managers_load_with_its_background(
    loads: list[float], per_manager: float
) -> None:
    tracked = sum(loads)
    count = station_count(tracked, per_manager, 10.0, len(loads), 10.0)
    assert count == max(1, math.ceil(tracked / per_manager - 1e-9))
    background = background_rates(tracked, per_manager, count)
    assert len(background) == count and min(background) >= 0
    # tracked load + background = a manager's load at every station (beyond the
    # sampled load, when it overflows the last station, nothing is added)
    assert tracked + sum(background) == pytest.approx(max(count * per_manager, tracked))


@given(loads=loads_lists, per_manager=st.floats(0.1, 100.0))
def test_each_team_passes_its_load_to_consecutive_stations_in_order(
    loads: list[float], per_manager: float
) -> None:
    count = station_count(sum(loads), per_manager, 10.0, len(loads), 10.0)
    spans = team_stations(loads, per_manager, count)
    assert len(spans) == len(loads)
    previous_last = 0
    for first, bounds in spans:
        assert bounds[-1] == 1.0 and bounds == sorted(bounds)
        assert first >= previous_last  # laid end to end: never back to an earlier station
        previous_last = first + len(bounds) - 1
        assert previous_last < count


def test_a_team_of_two_managers_loads_is_split_half_and_half() -> None:
    assert team_stations([4.0], 2.0, 2) == [(0, [0.5, 1.0])]
    assert team_stations([1.0, 1.0, 2.0], 2.0, 2) == [(0, [1.0]), (0, [1.0]), (1, [1.0])]


def test_with_nothing_reaching_a_level_its_managers_stand_in_the_samples_proportion() -> None:
    # 40 managers over 20 first-line teams, 3 sampled: 6 stations, no background
    assert station_count(0.0, 0.0, 40.0, 3, 20.0) == 6
    assert background_rates(0.0, 0.0, 6) == []
    assert team_stations([0.0, 0.0, 0.0], 0.0, 6) == [(0, [1.0]), (2, [1.0]), (4, [1.0])]


def test_teams_share_demand_equally_or_by_their_ics_in_backlog_mode() -> None:
    assert team_loads(30.0, 3, 10.0, None, [5, 5, 5]) == [3.0, 3.0, 3.0]
    assert team_loads(30.0, 2, 10.0, 100.0, [4, 6]) == pytest.approx([1.2, 1.8])
    assert team_loads(30.0, 2, 10.0, 0.0, [4, 6]) == [0.0, 0.0]


def test_items_reach_every_level_up_to_their_sign_off_and_automated_ones_the_lowest() -> None:
    # two levels; half the items need level 1, a fifth need level 2 (through level 1)
    route = [[0, 0, 0], [1, 0, 0], [1, 2, 0]]
    reaching = reaching_by_level(100.0, 0.0, [0.5, 0.2], route, 1, 0.25, 2)
    np.testing.assert_allclose(reaching, [70.0, 20.0])
    # 10% automated: the rest as before, the automated signed share (0.7) lightly at level 1
    reaching = reaching_by_level(100.0, 0.1, [0.5, 0.2], route, 1, 0.25, 2)
    np.testing.assert_allclose(reaching, [90 * 0.7 + 10 * 0.7 * 0.25, 90 * 0.2])


def test_a_removed_levels_signoffs_go_down_or_up_and_the_route_skips_it() -> None:
    # three levels, the middle one removed
    exists = [True, False, True]
    down = signoff_routes(exists, [True, True, True])
    up = signoff_routes(exists, [False, False, False])
    assert down[2] == [1, 0, 0, 0]  # meant for level 2: level 1 signs, then done
    assert up[2] == [1, 3, 3, 0]  # level 3 signs instead, level 2 skipped
    assert down[3] == up[3] == [1, 3, 3, 0]
    assert down[0] == [0, 0, 0, 0]  # no sign-off: done after the ICs
    # with no level left the ICs decide
    assert signoff_routes([False], [False]) == [[0, 0], [0, 0]]
