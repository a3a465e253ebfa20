"""The draws of a unit's work: each item's effort, the level it needs sign-off up to,
its review and hand-off times and which of its reviewers it goes to; a week's arrivals
of the sampled teams; the background reviews of the teams not simulated.

Pure functions of a ``numpy.random.Generator``: the order of the draws is the
streams' contract (a run's items are the same whatever else changes), so each
function draws in one fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK
from sim.model.flowinput import UnitFlowInput
from sim.model.sampling import Sample
from sim.scenario.distributions import Distribution

#: a backlog item: effort hours, sign-off target, review hours and hand-off weeks per
#: level, the uniform that picks among the reviewers sharing its team's items
BacklogItem = tuple[float, int, list[float], list[float], float]


def draw_values(
    value: float | Distribution, rng: np.random.Generator, size: tuple[int, ...]
) -> np.ndarray:
    """``size`` draws of a value that may be uncertain (never negative); a number, as is."""
    if isinstance(value, Distribution):
        return np.maximum(np.asarray(value.sample(rng, size), dtype=float), 0.0)
    return np.full(size, float(value))


@dataclass(frozen=True)
class Arrivals:
    """A week's arrivals of the sampled teams, item by item (plain lists: each becomes
    an event)."""

    times: list[float]  # in weeks, in order
    teams: list[int]
    efforts: list[float]  # IC hours
    targets: list[int]  # the level it needs sign-off up to (0: none)
    automated: list[bool]  # AI does its IC work
    reviews: list[list[float]]  # review hours, one for each level it may visit
    handoffs: list[list[float]]  # hand-off delays in weeks, likewise
    picks: list[float]  # uniform: which of the reviewers sharing its team's items

    def __len__(self) -> int:
        return len(self.times)


def week_arrivals(
    spec: UnitFlowInput,
    sample: Sample,
    rng: np.random.Generator,
    week: int,
    target_p: np.ndarray,
) -> Arrivals:
    """Demand mode: the week's Poisson arrivals at the sampled teams, at their share of
    the unit's demand, each with its draws."""
    levels = len(spec.review_share)
    rate = spec.demand_per_week[week] * sample.teams / sample.first_line
    n = int(rng.poisson(rate))
    times = (week + np.sort(rng.random(n))).tolist()
    teams = rng.integers(0, sample.teams, n).tolist()
    efforts = draw_values(spec.effort_hours, rng, (n,)).tolist()
    targets = rng.choice(levels + 1, size=n, p=target_p).tolist()
    automated = (rng.random(n) < spec.automation_share[week]).tolist()
    reviews = draw_values(spec.review_hours, rng, (n, levels)).tolist()
    handoffs = (draw_values(spec.handoff_delay_days, rng, (n, levels)) / DAYS_PER_WEEK).tolist()
    picks = rng.random(n).tolist()
    return Arrivals(times, teams, efforts, targets, automated, reviews, handoffs, picks)


def backlog_items(
    spec: UnitFlowInput, rng: np.random.Generator, target_p: np.ndarray, n: int
) -> list[BacklogItem]:
    """Backlog mode: ``n`` items' draws at once, for the ICs to pull in turn (from the
    end)."""
    levels = len(spec.review_share)
    efforts = draw_values(spec.effort_hours, rng, (n,)).tolist()
    targets = rng.choice(levels + 1, size=n, p=target_p).tolist()
    reviews = draw_values(spec.review_hours, rng, (n, levels)).tolist()
    handoffs = (draw_values(spec.handoff_delay_days, rng, (n, levels)) / DAYS_PER_WEEK).tolist()
    picks = rng.random(n).tolist()
    return list(zip(efforts, targets, reviews, handoffs, picks, strict=True))


def background_reviews(
    rng: np.random.Generator,
    week: int,
    rate: float,
    share: float,
    review_hours: float | Distribution,
) -> list[tuple[float, float]]:
    """A week's Poisson stream of background reviews at ``rate`` a week, each of
    ``share`` of a drawn review: ``(arrival, review hours)``, not yet in order."""
    n = int(rng.poisson(rate)) if rate > 0 else 0
    if n == 0:
        return []
    arrivals = (week + rng.random(n)).tolist()
    reviews = draw_values(review_hours, rng, (n,))
    if share != 1.0:
        reviews = reviews * share
    return list(zip(arrivals, reviews.tolist(), strict=True))
