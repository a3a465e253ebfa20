"""The reviewer arithmetic: a sampled team's sign-offs cut into stations of one real
manager's load, the background topping each up to it, and what reaches each level."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model.reviewers import (
    background_mix,
    background_rates,
    light_load,
    light_share,
    lowest_level,
    reaching_by_level,
    review_factors,
    signoff_routes,
    station_count,
    target_probabilities,
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


@given(shares=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6))
def test_an_items_sign_off_target_is_a_probability_over_none_and_each_level(
    shares: list[float],
) -> None:
    p = target_probabilities(np.array(shares))
    assert p.shape == (len(shares) + 1,) and p.min() >= 0
    assert p.sum() == pytest.approx(1.0)
    if sum(shares) <= 1:  # as given, and the rest needs none
        np.testing.assert_allclose(p, [1 - sum(shares), *shares], atol=1e-12)
    else:  # more than all of them: in proportion, and none needs no sign-off
        assert p[0] == 0
        np.testing.assert_allclose(p[1:], np.array(shares) / sum(shares))


def test_a_review_hour_takes_the_managers_share_of_a_week_on_reviews() -> None:
    # 40 hours a week, a quarter of it on reviews: an hour is 1/10 of a week, at AI's 0.5
    factors = review_factors(40.0, [0.25, 0.0], [1.0, 0.5])
    assert factors[0] == [0.0, pytest.approx(0.1), math.inf]
    assert factors[1] == [0.0, pytest.approx(0.05), math.inf]


def test_the_lowest_level_is_the_first_that_exists() -> None:
    assert lowest_level([True, True]) == 1
    assert lowest_level([False, False, True]) == 3
    assert lowest_level([False]) == 0


def test_automated_items_that_still_need_sign_off_bring_light_reviews_to_the_lowest_level() -> None:
    # a fifth automated, 70% need sign-off; a light review is a quarter of a full one
    route = [[0, 0, 0], [1, 0, 0], [1, 2, 0]]
    assert light_load(100.0, 0.2, [0.5, 0.2], route, 0.25) == pytest.approx(100 * 0.2 * 0.7 * 0.25)
    # once both levels go, nobody signs: no light reviews
    gone = signoff_routes([False, False], [True, True])
    assert light_load(100.0, 0.2, [0.5, 0.2], gone, 0.25) == 0.0


def test_a_levels_light_share_is_its_light_reviews_time_of_all_it_reviews() -> None:
    assert light_share(5.0, 20.0) == 0.25
    assert light_share(30.0, 20.0) == 1.0  # at most all of it
    assert light_share(5.0, 0.0) == 0.0  # nothing reaches the level


@given(rate=st.floats(0.0, 500.0), light=st.floats(0.0, 1.0), share=st.floats(0.01, 1.0))
def test_the_background_keeps_its_load_in_time_and_its_levels_share_of_light_reviews(
    rate: float, light: float, share: float
) -> None:
    mix = background_mix(rate, light, share)
    assert all(r >= 0 and 0 < s <= 1 for r, s in mix)
    # full reviews' worth a week: the rate, however it is mixed
    assert sum(r * s for r, s in mix) == pytest.approx(rate)
    if light == 0:
        assert mix == [(rate, 1.0)]
    else:  # full reviews for the rest of the time, light ones for its light share
        (_full, one), (light_rate, light_part) = mix
        assert one == 1.0 and light_part == share
        assert light_rate * share == pytest.approx(rate * light)
