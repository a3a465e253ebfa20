"""What a unit's work flow is given: its weekly inputs as plain numbers and arrays
(:class:`UnitFlowInput`), and the tables an item's later steps read ahead by week
(:class:`WeekTables`): which levels exist, a review hour's length, the sign-off routes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.reviewers import lowest_level, review_factors, signoff_routes
from sim.scenario.distributions import Distribution


@dataclass(frozen=True)
class UnitFlowInput:
    """Everything the work flow of one unit needs, as plain numbers and arrays.

    Weekly arrays have one value per simulated week; levels count management
    layers upward from the ICs (level 1 = first-line managers).
    """

    demand_per_week: np.ndarray  # (weeks,) items arriving in the whole unit
    ics: np.ndarray  # (weeks,) active ICs
    managers: np.ndarray  # (weeks, levels) active managers per level
    level_exists: np.ndarray  # (weeks, levels) bool
    review_share: np.ndarray  # (levels,)
    effort_multiplier: np.ndarray  # (weeks,) AI uplift and survivors' dip together
    automation_share: np.ndarray  # (weeks,)
    review_multiplier: np.ndarray  # (weeks,)
    signoff_shares: np.ndarray  # (levels,) share needing sign-off up to each level
    signoffs_go_down: np.ndarray  # (levels,) bool: a removed level's sign-offs move down
    effort_hours: float | Distribution
    review_hours: float | Distribution
    handoff_delay_days: float | Distribution
    ic_hours_per_week: float
    manager_hours_per_week: float
    #: an automated item's light review, as a share of a normal review's time
    automated_review_share: float
    #: 'demand': items arrive at demand_per_week; 'backlog': each IC pulls the next
    #: item when free (demand_per_week is then the expected output, for the
    #: reviews of the teams not simulated)
    mode: str = "demand"


@dataclass(frozen=True)
class WeekTables:
    """What the driver sets each week and an item's later steps read ahead, by week:
    the item knows at a desk when its review will start and end, so it reads the levels
    there, the review speed and the routes of the week it starts or ends in."""

    exists: list[list[bool]]  # [week][level - 1]
    review_factor: list[list[float]]  # [week][level]: weeks per review hour (0 unused)
    routes: list[list[list[int]]]  # [week][target][level] -> next level, 0 = done
    lowest: list[int]  # the lowest existing level (0: none)

    @classmethod
    def of(cls, spec: UnitFlowInput) -> WeekTables:
        exists = spec.level_exists.astype(bool).tolist()
        factors = review_factors(
            spec.manager_hours_per_week, spec.review_share.tolist(), spec.review_multiplier.tolist()
        )
        tables: dict[tuple[bool, ...], list[list[int]]] = {}  # one per set of levels
        go_down = spec.signoffs_go_down.tolist()
        for e in exists:
            if tuple(e) not in tables:
                tables[tuple(e)] = signoff_routes(e, go_down)
        routes = [tables[tuple(e)] for e in exists]
        return cls(exists, factors, routes, [lowest_level(e) for e in exists])
