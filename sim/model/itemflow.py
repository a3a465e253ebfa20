"""The story of one item, as SimPy callbacks: it arrives, waits for an IC of its team
(unless AI did its work), is worked on, and climbs its sign-off route one hop at a time
(a hand-off, a review at a desk: sim.model.desks) until it is done. In backlog mode
(:class:`BacklogFlow`) each IC pulls the next item when free instead.

What a week sets (the IC speed, the automation share, the routes) is written here by
the weekly set-up (sim.model.flowweek) and read by the callbacks as attributes, so
these hot paths look nothing up beyond their own object.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import simpy
from simpy.events import NORMAL

from sim.model.arrivals import Arrivals, BacklogItem, backlog_items
from sim.model.calendar import Calendar
from sim.model.counters import FlowCounts
from sim.model.desks import Reviews
from sim.model.flowinput import UnitFlowInput, WeekTables
from sim.model.items import Item, Worker
from sim.model.station import Station

#: backlog mode: most of an IC's items that AI may take end to end (at 1 the IC
#: would pull automated items for ever without the clock moving)
MAX_BACKLOG_AUTOMATION = 0.99
#: backlog mode: items drawn at once for a unit's ICs
BACKLOG_BATCH = 256


class ItemFlow:
    """One unit's items moving through its teams and up their sign-off chains."""

    def __init__(
        self,
        env: simpy.Environment,
        spec: UnitFlowInput,
        ahead: WeekTables,
        calendar: Calendar,
        teams: int,
        until: float,
        counts: FlowCounts,
    ):
        self.env = env
        self.counts = counts
        self.until = until
        self.pools: list[Station[Item]] = [Station(0) for _ in range(teams)]
        self.reviews = Reviews(len(spec.review_share), ahead, calendar, until, counts, self._climb)
        self._review = self.reviews.review
        self.light = spec.automated_review_share  # an automated item's review, of a full one
        # this week's, set by the weekly set-up (and the month by its monitor)
        self.route: list[list[int]] = ahead.routes[0]
        self.light_route = [0] * (len(spec.review_share) + 1)
        self.month = 0
        self.effort_factor = 0.0  # weeks of IC time per effort hour
        self.automation = 0.0
        # an event's next step, one list each, shared: SimPy reads a processed event's
        # callbacks and never changes them, and nothing else waits on an item
        self._then_arrive: list[Callable[[Item], None]] = [self._arrive]
        self._then_worked: list[Callable[[Item], None]] = [self._worked]
        self._then_reached: list[Callable[[Item], None]] = [self._reached]

    def schedule(self, arrivals: Arrivals) -> None:
        """Demand mode: each of a week's arrivals scheduled as its own event."""
        times, teams, efforts, targets = (
            arrivals.times,
            arrivals.teams,
            arrivals.efforts,
            arrivals.targets,
        )
        automated, reviews, handoffs, picks = (
            arrivals.automated,
            arrivals.reviews,
            arrivals.handoffs,
            arrivals.picks,
        )
        env = self.env
        now, arrive, schedule = env.now, self._then_arrive, env.schedule
        for i in range(len(times)):
            item = Item(
                teams[i],
                efforts[i],
                targets[i],
                automated[i],
                reviews[i],
                handoffs[i],
                picks[i],
                times[i],
            )
            item.callbacks = arrive
            schedule(item, NORMAL, times[i] - now)

    def _arrive(self, item: Item) -> None:
        """An item arrives (demand mode): it waits for an IC of its team, unless AI did
        its work."""
        now = self.env.now
        item.born = now
        self.counts.entered.append(now)
        if item.automated:
            self._automated(item, now)
            return
        self.counts.visits += 1
        if self.pools[item.team].take(item):
            self.work_on(item, now)

    def work_on(self, item: Item, now: float) -> None:
        """An IC of its team takes the item: its effort at this week's speed."""
        item.waited += now - item.born
        duration = item.effort_h * self.effort_factor
        self.counts.busy[self.month][0] += duration
        item.callbacks = self._then_worked
        self.env.schedule(item, NORMAL, duration)

    def _worked(self, item: Item) -> None:
        """The IC is done with it: the IC takes the next in line, the item climbs."""
        now = self.env.now
        following = self.pools[item.team].release()
        if following is not None:
            self.work_on(following, now)
        self._climb(item, self.route[item.target], now)

    def _automated(self, item: Item, now: float) -> None:
        """AI did the work: an item that needed sign-off gets one light review by the
        first manager up, handed over at once; one that needed none is done."""
        light = self.light
        if self.route[item.target][0] and light > 0:
            item.light = light
            self._climb(item, self.light_route, now)
        else:
            self._finish(item, now)

    def _climb(self, item: Item, route: list[int], t: float) -> None:
        """The item's step at ``item.level`` ends at ``t``: on to the next level of
        ``route`` after its hand-off, or done."""
        level = route[item.level]
        if not level:
            self._finish(item, t)
            return
        at = t if item.automated else t + item.handoffs_w[item.hop]
        item.level = level
        item.route = route
        now = self.env.now
        if at == now:
            self._review(item, at)
        elif at <= self.until:
            item.callbacks = self._then_reached
            self.env.schedule(item, NORMAL, at - now)
        else:  # still on its way when the horizon comes
            self.counts.beyond += 1

    def _reached(self, item: Item) -> None:
        self._review(item, self.env.now)

    def _finish(self, item: Item, t: float) -> None:
        """The item is done at ``t``: counted if that is within the horizon."""
        if t <= self.until:
            counts = self.counts
            counts.done_at.append(t)
            counts.cycle_weeks.append(t - item.born)
            counts.wait_weeks.append(item.waited)
        else:  # its last review ends after the horizon
            self.counts.beyond += 1

    def waiting(self) -> int:
        """Items queued for an IC of their team now."""
        return sum(len(pool.queue) for pool in self.pools)

    def left(self) -> int:
        """Items in the flow at the horizon, where they are: waiting for an IC of their
        team, in an IC's hands or on their way to a reviewer (their next event not yet
        happened), or reviewed past the horizon. Items yet to arrive are not counted."""
        live = (self._then_worked, self._then_reached)
        under_way = sum(
            1
            for *_, event in self.env._queue
            if isinstance(event, Item) and any(event.callbacks is step for step in live)
        )
        return self.waiting() + under_way + self.counts.beyond


class BacklogFlow(ItemFlow):
    """Backlog mode: there is always more to do, so each IC of a sampled team pulls the
    next item when free (an item AI takes end to end goes straight to sign-off)."""

    def __init__(
        self,
        env: simpy.Environment,
        spec: UnitFlowInput,
        ahead: WeekTables,
        calendar: Calendar,
        sizes: list[int],
        until: float,
        counts: FlowCounts,
        item_rng: np.random.Generator,
        target_p: np.ndarray,
    ):
        super().__init__(env, spec, ahead, calendar, len(sizes), until, counts)
        self.item_rng = item_rng
        self.draw_items: Callable[[int], list[BacklogItem]] = functools.partial(
            backlog_items, spec, item_rng, target_p
        )
        self.sizes = sizes  # this week's ICs per team (the weekly set-up's list)
        self.crew = [0] * len(sizes)  # ICs at work per team
        self.batch: list[BacklogItem] = []
        self._then_pulled: list[Callable[[Worker], None]] = [self._pulled]

    def staff(self) -> None:
        """Each IC a team has gained this week starts pulling; the surplus leave on their
        own."""
        for team, size in enumerate(self.sizes):
            while self.crew[team] < size:
                self.crew[team] += 1
                self._work(Worker(team))

    def _work(self, worker: Worker) -> None:
        """One IC of a team, free now, pulls the next item; when the team has shrunk
        below its ICs at work, the IC leaves instead."""
        env, rng, team = self.env, self.item_rng, worker.team
        now = env.now
        while self.crew[team] <= self.sizes[team]:
            effort, target, reviews, handoffs, pick = self._next_item()
            # automated items take no IC time; capped so that the IC still works
            if rng.random() < min(self.automation, MAX_BACKLOG_AUTOMATION):
                self._enter(Item(team, 0.0, target, True, reviews, handoffs, pick, now), now)
                continue
            duration = effort * self.effort_factor
            self.counts.busy[self.month][0] += duration
            worker.item = Item(team, effort, target, False, reviews, handoffs, pick, now)
            worker.callbacks = self._then_pulled
            env.schedule(worker, NORMAL, duration)
            return
        self.crew[team] -= 1

    def _pulled(self, worker: Worker) -> None:
        """The IC finished the item in hand: it enters the flow, and the IC pulls on."""
        item = worker.item
        assert item is not None
        self._enter(item, self.env.now)
        self._work(worker)

    def _enter(self, item: Item, now: float) -> None:
        """An item leaves its IC (or AI) and goes for sign-off."""
        self.counts.entered.append(now)
        if item.automated:
            self._automated(item, now)
        else:
            self._climb(item, self.route[item.target], now)

    def _next_item(self) -> BacklogItem:
        """An item's effort, sign-off target, reviews, hand-offs and reviewer draws
        (drawn in batches)."""
        if not self.batch:
            self.batch = self.draw_items(BACKLOG_BATCH)
            self.counts.tracked_items += BACKLOG_BATCH
        return self.batch.pop()
