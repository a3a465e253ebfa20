"""The reviewer arithmetic of a unit's work flow: the sampled teams' sign-offs cut into
stations of one real manager's load each, and the background that tops them up.

A sampled manager serves the sampled teams assigned to them and carries a real
manager's load: ``items reaching the level / managers in it`` a week. So the teams'
loads are laid end to end and cut into stations of that load, and what a station's
teams do not fill, background reviews do (sim.model.workflow's docstring). These
are pure functions on numbers, run once a week per level (or once a run: the review
speed, the sign-off targets' odds): the SimPy model only builds the stations they
count and moves items through them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def team_loads(
    reaching: float, teams: int, first_line: float, ics: float | None, sizes: Sequence[int]
) -> list[float]:
    """Items a week each sampled team sends to a level that ``reaching`` reach in all.

    In demand mode (``ics`` None) arrivals are shared equally by the first-line teams;
    in backlog mode a team's output follows its ICs. (Plain lists: a unit samples a
    handful of teams, and this runs every week.)
    """
    if ics is None:
        return [reaching / first_line] * teams
    per_ic = reaching / ics if ics > 0 else 0.0
    return [size * per_ic for size in sizes]


def station_count(
    tracked: float, per_manager: float, managers: float, teams: int, first_line: float
) -> int:
    """Stations a level needs: the sampled teams' load in managers' loads, at least one;
    where nothing reaches the level, its managers in the sample's proportion."""
    if per_manager > 0:
        return max(1, math.ceil(tracked / per_manager - 1e-9))
    return max(1, math.ceil(managers * teams / first_line - 1e-9))


def background_rates(tracked: float, per_manager: float, count: int) -> list[float]:
    """Items a week of background reviews at each station: what the sampled teams'
    load, laid end to end, leaves of a manager's load (none where nothing reaches)."""
    if per_manager <= 0:
        return []
    rates = []
    for s in range(count):
        filled = min(max(tracked - s * per_manager, 0.0), per_manager)
        gap = per_manager - filled
        rates.append(gap if gap > 1e-9 * per_manager else 0.0)
    return rates


def team_stations(
    loads: Sequence[float], per_manager: float, count: int
) -> list[tuple[int, list[float]]]:
    """Each team's reviewers: the first station its load falls in, and the cumulative
    shares of its load at which it passes to the next ones (``[1.0]``: one station).

    The teams' loads are laid end to end from 0; station ``s`` takes
    ``[s L, (s + 1) L)`` of it, ``L`` a manager's load.
    """
    teams = len(loads)
    if per_manager <= 0:
        return [(t * count // teams, [1.0]) for t in range(teams)]
    spans: list[tuple[int, list[float]]] = []
    start, last = 0.0, count - 1
    for load in loads:
        end = start + load
        a = min(int(start / per_manager), last)
        b = min(max(math.ceil(end / per_manager - 1e-9) - 1, a), last)
        cuts = [(min((s + 1) * per_manager, end) - start) / load for s in range(a, b)]
        spans.append((a, [*cuts, 1.0]))
        start = end
    return spans


def reaching_by_level(
    demand: float,
    automated: float,
    signoff_shares: Sequence[float] | np.ndarray,
    route: Sequence[Sequence[int]],
    lowest: int,
    automated_review_share: float,
    levels: int,
) -> np.ndarray:
    """Items a week reaching each level's reviews, for the whole unit.

    ``route[target][level]`` is the next level up from ``level`` for an item that needs
    sign-off up to ``target`` (0: done); automated items get a light review at
    ``lowest``, counted as the full reviews it equals in time."""
    reaching = np.zeros(levels)
    for target, share in enumerate(signoff_shares, start=1):
        level = 0
        while level := route[target][level]:
            reaching[level - 1] += demand * (1 - automated) * share
    if lowest:
        reaching[lowest - 1] += light_reviews(demand, automated, signoff_shares, route) * (
            automated_review_share
        )
    return reaching


def light_reviews(
    demand: float,
    automated: float,
    signoff_shares: Sequence[float] | np.ndarray,
    route: Sequence[Sequence[int]],
) -> float:
    """Light reviews a week of the automated items that still need sign-off once layers
    are removed, for the whole unit (at the lowest level; each a share of a review)."""
    signed = sum(share for target, share in enumerate(signoff_shares, start=1) if route[target][0])
    return demand * automated * signed


def signoff_routes(exists: Sequence[bool], signoffs_go_down: Sequence[bool]) -> list[list[int]]:
    """``routes[target][level]``: the next level an item meant for sign-off up to
    ``target`` visits after ``level`` (0: the ICs), or 0 when it is done, while the
    levels that ``exists`` says are there."""
    levels = len(exists)
    routes = []
    for target in range(levels + 1):
        effective = effective_target(target, exists, signoffs_go_down)
        routes.append(
            [
                next((k for k in range(level + 1, effective + 1) if exists[k - 1]), 0)
                for level in range(levels + 1)
            ]
        )
    return routes


def effective_target(target: int, exists: Sequence[bool], signoffs_go_down: Sequence[bool]) -> int:
    """Who signs for an item meant for level ``target``, once layers are removed.

    A removed level's sign-offs move down to the nearest level below that still
    exists (none: the IC decides), or up to the nearest above (none: the top).
    """
    if target <= 0 or exists[target - 1]:
        return target
    below = next((k for k in range(target - 1, 0, -1) if exists[k - 1]), 0)
    if signoffs_go_down[target - 1]:
        return below
    above = next((k for k in range(target + 1, len(exists) + 1) if exists[k - 1]), 0)
    return above or below


def lowest_level(exists: Sequence[bool]) -> int:
    """The lowest level of managers that exists (1: the first line), or 0 if none does:
    where an automated item's light review goes."""
    return next((k for k, there in enumerate(exists, start=1) if there), 0)


def review_factors(
    manager_hours_per_week: float,
    review_share: Sequence[float],
    review_multiplier: Sequence[float],
) -> list[list[float]]:
    """``[week][level]``: weeks of a manager's time a review hour takes (index 0, the ICs,
    unused): ``multiplier / (hours a week x the level's share on reviews)``, infinite at a
    level that spends no time on reviews."""
    per_review_hour = [
        1 / (manager_hours_per_week * share) if share > 0 else math.inf for share in review_share
    ]
    return [[0.0] + [review * f for f in per_review_hour] for review in review_multiplier]


def target_probabilities(signoff_shares: np.ndarray) -> np.ndarray:
    """The chance that an item needs sign-off up to each level, index 0 none: the shares
    given, and what they leave for none (normalised where they sum past 1)."""
    none_share = max(0.0, 1.0 - signoff_shares.sum())
    return np.concatenate([[none_share], signoff_shares]) / (none_share + signoff_shares.sum())


def light_load(
    demand: float,
    automated: float,
    signoff_shares: Sequence[float] | np.ndarray,
    route: Sequence[Sequence[int]],
    automated_review_share: float,
) -> float:
    """The automated items' light reviews a week at the lowest level, for the whole unit,
    as the full reviews they equal in time."""
    return light_reviews(demand, automated, signoff_shares, route) * automated_review_share


def light_share(light: float, reaching: float) -> float:
    """Of a level's review time, the share that goes on light reviews: ``light`` full
    reviews' worth of ``reaching`` (at most all of it; none where nothing reaches)."""
    return min(light / reaching, 1.0) if reaching > 0 else 0.0


def background_mix(
    rate: float, light: float, automated_review_share: float
) -> list[tuple[float, float]]:
    """A station's background, ``rate`` full reviews' worth a week, in its level's mix:
    ``(reviews a week, each's share of a drawn review)``, full reviews for the rest of the
    time and light ones for the ``light`` share of it. The time is the same either way;
    drawn as full reviews only, the background had the mean load but too long a queue."""
    if light > 0:
        light_rate = rate * light / automated_review_share
        return [(rate * (1 - light), 1.0), (light_rate, automated_review_share)]
    return [(rate, 1.0)]
