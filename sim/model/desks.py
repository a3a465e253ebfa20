"""A unit's reviewers as its items meet them: each level's desks (one simulated manager
each), the desk reviewing each team's items this week, and what happens at a desk: a
review starts when the ones before it end (the background reviews due by then folded
in first), takes its level's review time in the week it starts, and, when a manager
goes, the reviews not yet started are handed on to the desks that remain.

The desks' arithmetic is Lindley's recursion (sim.model.station); how many desks a
level has and what background tops them up is the weekly set-up's
(sim.model.flowweek), from the pure functions of sim.model.reviewers.
"""

from __future__ import annotations

import copy
from bisect import bisect_left
from collections.abc import Callable

from sim.model.calendar import Calendar
from sim.model.counters import FlowCounts
from sim.model.flowinput import WeekTables
from sim.model.items import Item
from sim.model.station import AFTER_HORIZON, UNDER_WAY, Desk, Queued


class Split:
    """A team whose items a level's reviewers share: the desk of each item is drawn
    by the load each desk takes of the team's."""

    __slots__ = ("bounds", "desks")

    def __init__(self, bounds: list[float], desks: list[Desk[Item]]):
        self.bounds = bounds  # cumulative shares, the last 1
        self.desks = desks

    def pick(self, u: float) -> Desk[Item]:
        for bound, desk in zip(self.bounds, self.desks, strict=True):
            if u < bound:
                return desk
        return self.desks[-1]


#: an item's step after a review: (item, the route it follows, when the review ends)
Climb = Callable[[Item, list[int], float], None]


class Reviews:
    """Every level's desks of one unit, and an item's review at one of them."""

    def __init__(
        self,
        levels: int,
        ahead: WeekTables,
        calendar: Calendar,
        until: float,
        counts: FlowCounts,
        climb: Climb,
    ):
        self.ahead = ahead
        self.until = until
        self.counts = counts
        self.climb = climb  # the item's next step once a review ends
        self.month_ends = calendar.month_ends_in_weeks.tolist()
        self.last_week = calendar.weeks - 1
        self.last_month = calendar.months - 1
        # desks[level - 1]: the managers simulated at that level (grown as needed)
        self.desks: list[list[Desk[Item]]] = [[] for _ in range(levels)]
        # reviewers[level][team]: the Desk (or Split) reviewing that team's items;
        # index 0 unused (the ICs)
        self.reviewers: list[list[Desk[Item] | Split]] = [[] for _ in range(levels + 1)]
        #: records of counts.done_at undone: items done at a desk whose manager went
        #: before their review started, and reviewed again elsewhere
        self.voided: list[int] = []

    def desk(self, level: int, index: int) -> Desk[Item]:
        """The level's ``index``-th desk, made if the level has had fewer."""
        desks = self.desks[level - 1]
        while len(desks) <= index:
            desks.append(Desk())
        return desks[index]

    def review(self, item: Item, at: float) -> None:
        """The item reaches its reviewer at ``at`` (now): its review starts when the
        reviews before it end, and the item goes on from where the review ends."""
        level = item.level
        reviewer = self.reviewers[level][item.team]  # this week's, replaced weekly
        desk = reviewer if isinstance(reviewer, Desk) else reviewer.pick(item.pick)
        self.counts.visits += 1
        if desk.background:
            self.fold(desk, level, at)
        start = at if at > desk.free_at else desk.free_at
        hours = item.reviews_h[item.hop] * item.light
        weeks = self._review_time(level, start, hours)
        end = start + weeks
        desk.free_at = end
        item.waited += start - at
        item.hop += 1
        # an item not automated reads its route again: a layer may have gone meanwhile
        ahead = self.ahead.routes[self._week(end)][item.target]
        route = item.route if item.automated else ahead
        if start == at:  # reviewed at once: the manager's, whatever happens next
            self.climb(item, route, end)
            return
        # queued: handed to another manager if this one goes before it starts
        counts = self.counts
        done, beyond = len(counts.done_at), counts.beyond
        self.climb(item, route, end)
        if len(counts.done_at) > done:
            then = done
        else:
            then = AFTER_HORIZON if counts.beyond > beyond else UNDER_WAY
        desk.queued.append(Queued(start, at, item, hours, weeks, then))

    def _review_time(self, level: int, start: float, hours: float) -> float:
        """Weeks of a review of ``hours`` starting at ``start`` (none where the level was
        removed meanwhile: nobody signs), counted busy in its month."""
        week = self._week(start)
        if not self.ahead.exists[week][level - 1]:
            return 0.0
        duration = hours * self.ahead.review_factor[week][level]
        if start <= self.until:
            self.counts.busy[self._month(start)][level] += duration
        return duration

    def fold(self, desk: Desk[Item], level: int, t: float) -> None:
        """Accept the desk's background reviews that arrived by ``t``, in order."""
        background, free_at = desk.background, desk.free_at
        while background and background[0][0] <= t:
            arrival, hours = background.popleft()
            start = arrival if arrival > free_at else free_at
            weeks = self._review_time(level, start, hours)
            free_at = start + weeks
            self.counts.visits += 1
            if start > arrival:
                desk.queued.append(Queued(start, arrival, None, hours, weeks, UNDER_WAY))
        desk.free_at = free_at

    def fold_all(self, t: float) -> None:
        """Accept every desk's background reviews that arrived by ``t``."""
        for level, desks in enumerate(self.desks, start=1):
            for desk in desks:
                self.fold(desk, level, t)

    def hand_on(self, level: int, kept: int, now: float) -> None:
        """The level's desks from ``kept`` on have gone (their managers cut, or left):
        the reviews queued there and not yet started go to the desks that remain, as
        arrivals now, in the order they arrived (the review in hand is finished). An
        item's review is undone (its busy time, what followed it) and done again at
        its team's desk; a background review goes to the remaining desks in turn."""
        handed = self._leave(level, kept, now)
        if not handed:
            return
        counts = self.counts
        remaining = self.desks[level - 1][:kept]
        for desk in remaining:
            if desk.background:
                self.fold(desk, level, now)
        handed.sort(key=lambda queued: queued.arrival)
        turn = 0
        for start, _arrival, item, hours, weeks, then in handed:
            if start <= self.until:
                counts.busy[self._month(start)][level] -= weeks
            if item is None:
                remaining[turn % kept].background.append((now, hours))
                turn += 1
                continue
            if then >= 0:
                self.voided.append(then)
            elif then == AFTER_HORIZON:
                counts.beyond -= 1
            item.callbacks = []  # an event of its scheduled onward is void
            again = copy.copy(item)
            again.callbacks = []
            again.level = level
            again.hop -= 1
            again.waited += now - start  # it waited from its arrival until now
            self.review(again, now)

    def _leave(self, level: int, kept: int, now: float) -> list[Queued[Item]]:
        """The desks from ``kept`` on finish the review in hand: the reviews queued there
        not yet started, taken off them."""
        handed: list[Queued[Item]] = []
        for desk in self.desks[level - 1][kept:]:
            if desk.background:
                self.fold(desk, level, now)
            desk.started_by(now)
            if desk.queued:
                handed += desk.queued
                desk.free_at = desk.queued[0].start  # the review in hand ends then
                desk.queued.clear()
        return handed

    def _week(self, t: float) -> int:
        """The week holding time ``t`` (the last one after it)."""
        last = self.last_week
        return int(t) if t < last else last

    def _month(self, t: float) -> int:
        """The calendar month holding time ``t`` (a month end is its month's)."""
        return min(bisect_left(self.month_ends, t), self.last_month)
