"""A work item, and an IC pulling items in backlog mode, each the one SimPy event it
waits for at a time (sim.model.itemflow moves them)."""

from __future__ import annotations

from collections.abc import Callable

import simpy


class Item(simpy.Event):
    """A work item on its way through a unit, and the one event it waits for at a time:
    its arrival, the end of its IC work, its arrival at a manager's desk.

    The item is scheduled again for each (``env.schedule``, its ``callbacks`` the next
    step), so an item costs one object and an event a step, not a process with its
    own start, resumptions and end. Its reviews cost one event each, at the desk;
    its queueing costs none.
    """

    _ok = True  # what SimPy reads of a processed event
    _value = None

    def __init__(
        self,
        team: int,
        effort_h: float,
        target: int,
        automated: bool,
        reviews_h: list[float],
        handoffs_w: list[float],
        pick: float,
        born: float,
    ):
        self.callbacks: list[Callable[[Item], None]] = []
        self.team = team
        self.effort_h = effort_h
        self.target = target  # the level it needs sign-off up to (0: none)
        self.automated = automated
        self.reviews_h = reviews_h  # drawn for each review it may have
        self.handoffs_w = handoffs_w  # likewise, each hand-off's delay
        self.pick = pick  # uniform: which of the reviewers sharing its team's items
        self.born = born
        self.waited = 0.0  # weeks queued for an IC and for its reviewers
        self.level = 0  # where it is: 0 the ICs, k the k-th level of managers
        self.hop = 0  # reviews done
        self.route = NO_ROUTE  # an automated item's: fixed when it arrives
        self.light = 1.0  # a review's share of its drawn time


class Worker(simpy.Event):
    """Backlog mode: one IC of a sampled team, and the end of the item in hand (its one
    event: the IC pulls the next item when it comes)."""

    _ok = True
    _value = None

    def __init__(self, team: int):
        self.callbacks: list[Callable[[Worker], None]] = []
        self.team = team
        self.item: Item | None = None


NO_ROUTE: list[int] = []
