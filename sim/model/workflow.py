"""The work flow: a SimPy model of items moving through teams and up sign-off chains.

Work arrives at each unit (Poisson, a rate per starting IC per week, with
growth and seasonality: demand does not shrink when people are cut). An item
waits for an IC of its team and takes IC effort; then, if it needs sign-off,
it climbs the management layers one hop at a time: a coordination delay, a wait
for that manager's review time, the review. Managers review the work of their
own subtree, so each manager is one server; a team's ICs share their queue.

**Sampling.** Simulating every item of a 350,000-person organisation is not
possible in seconds, so each unit runs through ``teams`` representative teams,
each carrying ``1 / first_line_managers`` of the unit's demand and IC capacity.
Above the first line, a sampled manager serves the sampled teams assigned to
them, and *background* items (reviews only) bring their load up to a real
manager's: ``demand reaching the layer / managers in the layer``. Utilisation
and service times per manager are therefore exact, and throughput scales back
by ``first_line_managers / teams``. With ``fidelity_items: full`` every team
and manager is simulated and there is no background.
"""

from __future__ import annotations

import copy
import math
from bisect import bisect_left
from collections.abc import Callable, Generator
from dataclasses import dataclass

import numpy as np
import simpy
from simpy.events import NORMAL

from sim.model.calendar import DAYS_PER_WEEK, Calendar
from sim.model.counters import FlowCounts
from sim.model.reviewers import (
    background_rates,
    light_reviews,
    reaching_by_level,
    signoff_routes,
    station_count,
    team_loads,
    team_stations,
)
from sim.model.sampling import Sample, autocorrelations, standard_error, team_sizes
from sim.model.station import AFTER_HORIZON, UNDER_WAY, Desk, Queued, Station
from sim.scenario.distributions import Distribution

#: backlog mode: most of an IC's items that AI may take end to end (at 1 the IC
#: would pull automated items for ever without the clock moving)
MAX_BACKLOG_AUTOMATION = 0.99
#: backlog mode: items drawn at once for a unit's ICs
BACKLOG_BATCH = 256


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
class UnitFlow:
    """Monthly flow measures of one unit, scaled to the whole unit."""

    arrived: np.ndarray
    done: np.ndarray
    in_progress: np.ndarray  # at month end
    backlog: np.ndarray  # items waiting for an IC at month end (nan in backlog mode)
    cycle_time_mean_weeks: np.ndarray  # nan where nothing was done
    cycle_time_p90_weeks: np.ndarray
    cycle_time_se_weeks: np.ndarray  # sampling error of the mean
    wait_mean_weeks: np.ndarray  # of that, time queued for ICs and reviewers
    done_se: np.ndarray  # sampling error of ``done``
    utilisation: np.ndarray  # (months, levels + 1): ICs first, then each level
    scale: float  # real items per simulated item
    teams: int  # sampled teams
    simulated_items: int  # tracked + background items simulated
    background_items: int  # reviews for the teams not simulated
    station_visits: int  # IC and review services requested
    #: items still in the flow at the horizon, counted where they are (queued for an
    #: IC or in its hands, on their way to a reviewer, or with a review ending after
    #: the horizon), scaled: not from the counts of entered and done
    left_at_horizon: float


def _draw(
    value: float | Distribution, rng: np.random.Generator, size: tuple[int, ...]
) -> np.ndarray:
    if isinstance(value, Distribution):
        return np.maximum(np.asarray(value.sample(rng, size), dtype=float), 0.0)
    return np.full(size, float(value))


class _Split:
    """A team whose items a level's reviewers share: the desk of each item is drawn
    by the load each desk takes of the team's."""

    __slots__ = ("bounds", "desks")

    def __init__(self, bounds: list[float], desks: list[Desk[_Item]]):
        self.bounds = bounds  # cumulative shares, the last 1
        self.desks = desks

    def pick(self, u: float) -> Desk[_Item]:
        for bound, desk in zip(self.bounds, self.desks, strict=True):
            if u < bound:
                return desk
        return self.desks[-1]


class _Item(simpy.Event):
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
        self.callbacks: list[Callable[[_Item], None]] = []
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
        self.route = _NO_ROUTE  # an automated item's: fixed when it arrives
        self.light = 1.0  # a review's share of its drawn time


class _Worker(simpy.Event):
    """Backlog mode: one IC of a sampled team, and the end of the item in hand (its one
    event: the IC pulls the next item when it comes)."""

    _ok = True
    _value = None

    def __init__(self, team: int):
        self.callbacks: list[Callable[[_Worker], None]] = []
        self.team = team
        self.item: _Item | None = None


_NO_ROUTE: list[int] = []


@dataclass(frozen=True)
class _Weeks:
    """What the driver sets each week and an item's later steps read ahead, by week:
    the item knows at a desk when its review will start and end, so it reads the levels
    there, the review speed and the routes of the week it starts or ends in."""

    exists: list[list[bool]]  # [week][level - 1]
    review_factor: list[list[float]]  # [week][level]: weeks per review hour (0 unused)
    routes: list[list[list[int]]]  # [week][target][level] -> next level, 0 = done
    lowest: list[int]  # the lowest existing level (0: none)

    @classmethod
    def of(cls, spec: UnitFlowInput) -> _Weeks:
        exists = spec.level_exists.astype(bool).tolist()
        per_review_hour = [
            1 / (spec.manager_hours_per_week * share) if share > 0 else math.inf
            for share in spec.review_share.tolist()
        ]
        factors = [
            [0.0] + [review * f for f in per_review_hour]
            for review in spec.review_multiplier.tolist()
        ]
        tables: dict[tuple[bool, ...], list[list[int]]] = {}  # one per set of levels
        go_down = spec.signoffs_go_down.tolist()
        for e in exists:
            if tuple(e) not in tables:
                tables[tuple(e)] = signoff_routes(e, go_down)
        routes = [tables[tuple(e)] for e in exists]
        lowest = [next((k for k, there in enumerate(e, start=1) if there), 0) for e in exists]
        return cls(exists, factors, routes, lowest)


class UnitModel:
    """One unit's work flow inside a SimPy environment.

    A weekly driver sets the teams' sizes, the reviewers and the time factors,
    draws the week's arrivals and schedules each item's arrival as its own event;
    an item then moves by callbacks (:class:`_Item`), never as a process.

    **Teams** have as many IC servers as the unit has ICs per team that week
    (a mix of two whole sizes: :func:`~sim.model.sampling.team_sizes`), each at
    full speed. **Reviewers**: each week, a level's real managers ``M`` and the
    items reaching it ``R`` give the load per manager, ``L = R / M``. The sampled
    teams' items reaching the level are laid end to end and cut into desks of
    exactly ``L`` each (a team whose load straddles two desks sends each its
    share, item by item); the last, partly filled desk is topped up to ``L``
    with background reviews, drawn as a Poisson stream at the rate left and folded
    into the desk's queue by arrival time, with no event of their own. So every
    simulated manager carries exactly a real manager's load at a real manager's
    speed, however the level grows or shrinks and however unevenly teams split
    among managers; at full fidelity the desks are the managers and there is no
    background.
    """

    def __init__(
        self,
        env: simpy.Environment,
        spec: UnitFlowInput,
        sample: Sample,
        calendar: Calendar,
        item_rng: np.random.Generator,
        background_rng: np.random.Generator,
    ):
        self.env = env
        self.spec = spec
        self.sample = sample
        self.calendar = calendar
        self.item_rng = item_rng
        self.background_rng = background_rng
        self.levels = levels = len(spec.review_share)
        self.backlog_mode = spec.mode == "backlog"
        self.ahead = _Weeks.of(spec)
        self.until = horizon_end(calendar)
        self.month_ends = calendar.month_ends_in_weeks.tolist()
        self.last_week = calendar.weeks - 1
        self.counts = FlowCounts(calendar.months, levels)
        self.pools: list[Station[_Item]] = [Station(0) for _ in range(sample.teams)]
        self.size_offset = float(background_rng.random())  # the team-size mix, per replication
        self.sizes = [0] * sample.teams
        self.crew = [0] * sample.teams  # backlog mode: ICs at work per team
        # desks[level - 1]: the managers simulated at that level (grown as needed)
        self.desks: list[list[Desk[_Item]]] = [[] for _ in range(levels)]
        # reviewers[level][team]: the Desk (or _Split) reviewing that team's items;
        # index 0 unused (the ICs)
        self.reviewers: list[list[Desk[_Item] | _Split]] = [[] for _ in range(levels + 1)]
        self.background_rates: list[list[float]] = [[] for _ in range(levels)]
        #: records of counts.done_at undone: items done at a desk whose manager went
        #: before their review started, and reviewed again elsewhere
        self.voided: list[int] = []
        #: each level's share of its review time this week that goes on light reviews
        #: (automated items'), which its background reviews take in the same share
        self.light_shares = [0.0] * levels
        weeks = calendar.weeks
        self.ic_servers = np.zeros(weeks)  # IC servers simulated, by week
        self.reviewer_stations = np.zeros((weeks, levels))  # desks in use, by week
        # this week's, set by the driver
        self.route: list[list[int]] = self.ahead.routes[0]
        self.light_route = [0] * (levels + 1)
        self.month = 0
        self.effort_factor = 0.0  # weeks of IC time per effort hour
        self.automation = 0.0
        self.batch: list[tuple[float, int, list[float], list[float], float]] = []
        shares = spec.signoff_shares
        none_share = max(0.0, 1.0 - shares.sum())
        #: probability that an item needs sign-off up to each level (0: none)
        self.target_p = np.concatenate([[none_share], shares]) / (none_share + shares.sum())
        # an event's next step, one list each, shared: SimPy reads a processed event's
        # callbacks and never changes them, and nothing else waits on an item
        self._then_arrive: list[Callable[[_Item], None]] = [self._arrive]
        self._then_worked: list[Callable[[_Item], None]] = [self._worked]
        self._then_reached: list[Callable[[_Item], None]] = [self._reached]
        self._then_pulled: list[Callable[[_Worker], None]] = [self._pulled]

    # -- the story of one item ------------------------------------------------

    def _arrive(self, item: _Item) -> None:
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
            self._work_on(item, now)

    def _work_on(self, item: _Item, now: float) -> None:
        """An IC of its team takes the item: its effort at this week's speed."""
        item.waited += now - item.born
        duration = item.effort_h * self.effort_factor
        self.counts.busy[self.month][0] += duration
        item.callbacks = self._then_worked
        self.env.schedule(item, NORMAL, duration)

    def _worked(self, item: _Item) -> None:
        """The IC is done with it: the IC takes the next in line, the item climbs."""
        now = self.env.now
        following = self.pools[item.team].release()
        if following is not None:
            self._work_on(following, now)
        self._climb(item, self.route[item.target], now)

    def _automated(self, item: _Item, now: float) -> None:
        """AI did the work: an item that needed sign-off gets one light review by the
        first manager up, handed over at once; one that needed none is done."""
        light = self.spec.automated_review_share
        if self.route[item.target][0] and light > 0:
            item.light = light
            self._climb(item, self.light_route, now)
        else:
            self._finish(item, now)

    def _climb(self, item: _Item, route: list[int], t: float) -> None:
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

    def _reached(self, item: _Item) -> None:
        self._review(item, self.env.now)

    def _review(self, item: _Item, at: float) -> None:
        """The item reaches its reviewer at ``at`` (now): its review starts when the
        reviews before it end, and the item goes on from where the review ends."""
        level = item.level
        reviewer = self.reviewers[level][item.team]  # this week's, replaced weekly
        desk = reviewer if isinstance(reviewer, Desk) else reviewer.pick(item.pick)
        self.counts.visits += 1
        if desk.background:
            self._fold(desk, level, at)
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
            self._climb(item, route, end)
            return
        # queued: handed to another manager if this one goes before it starts
        counts = self.counts
        done, beyond = len(counts.done_at), counts.beyond
        self._climb(item, route, end)
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

    def _fold(self, desk: Desk[_Item], level: int, t: float) -> None:
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

    def _hand_on(self, level: int, kept: int, now: float) -> None:
        """The level's desks from ``kept`` on have gone (their managers cut, or left):
        the reviews queued there and not yet started go to the desks that remain, as
        arrivals now, in the order they arrived (the review in hand is finished). An
        item's review is undone (its busy time, what followed it) and done again at
        its team's desk; a background review goes to the remaining desks in turn."""
        handed: list[Queued[_Item]] = []
        for desk in self.desks[level - 1][kept:]:
            if desk.background:
                self._fold(desk, level, now)
            desk.started_by(now)
            if desk.queued:
                handed += desk.queued
                desk.free_at = desk.queued[0].start  # the review in hand ends then
                desk.queued.clear()
        if not handed:
            return
        counts = self.counts
        remaining = self.desks[level - 1][:kept]
        for desk in remaining:
            if desk.background:
                self._fold(desk, level, now)
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
            self._review(again, now)

    def _finish(self, item: _Item, t: float) -> None:
        """The item is done at ``t``: counted if that is within the horizon."""
        if t <= self.until:
            counts = self.counts
            counts.done_at.append(t)
            counts.cycle_weeks.append(t - item.born)
            counts.wait_weeks.append(item.waited)
        else:  # its last review ends after the horizon
            self.counts.beyond += 1

    def _week(self, t: float) -> int:
        """The week holding time ``t`` (the last one after it)."""
        last = self.last_week
        return int(t) if t < last else last

    def _month(self, t: float) -> int:
        """The calendar month holding time ``t`` (a month end is its month's)."""
        return min(bisect_left(self.month_ends, t), self.calendar.months - 1)

    # -- backlog mode: ICs pulling the next item -------------------------------

    def _work(self, worker: _Worker) -> None:
        """One IC of a team, free now, pulls the next item; when the team has shrunk
        below its ICs at work, the IC leaves instead."""
        env, rng, team = self.env, self.item_rng, worker.team
        now = env.now
        while self.crew[team] <= self.sizes[team]:
            effort, target, reviews, handoffs, pick = self._next_item()
            # automated items take no IC time; capped so that the IC still works
            if rng.random() < min(self.automation, MAX_BACKLOG_AUTOMATION):
                self._enter(_Item(team, 0.0, target, True, reviews, handoffs, pick, now), now)
                continue
            duration = effort * self.effort_factor
            self.counts.busy[self.month][0] += duration
            worker.item = _Item(team, effort, target, False, reviews, handoffs, pick, now)
            worker.callbacks = self._then_pulled
            env.schedule(worker, NORMAL, duration)
            return
        self.crew[team] -= 1

    def _pulled(self, worker: _Worker) -> None:
        """The IC finished the item in hand: it enters the flow, and the IC pulls on."""
        item = worker.item
        assert item is not None
        self._enter(item, self.env.now)
        self._work(worker)

    def _enter(self, item: _Item, now: float) -> None:
        """Backlog mode: an item leaves its IC (or AI) and goes for sign-off."""
        self.counts.entered.append(now)
        if item.automated:
            self._automated(item, now)
        else:
            self._climb(item, self.route[item.target], now)

    def _next_item(self) -> tuple[float, int, list[float], list[float], float]:
        """A backlog item's effort, sign-off target, reviews, hand-offs and reviewer draws
        (drawn in batches)."""
        if not self.batch:
            self.batch = self._draw_items(BACKLOG_BATCH)
            self.counts.tracked_items += BACKLOG_BATCH
        return self.batch.pop()

    def _draw_items(self, n: int) -> list[tuple[float, int, list[float], list[float], float]]:
        spec, rng = self.spec, self.item_rng
        efforts = _draw(spec.effort_hours, rng, (n,)).tolist()
        targets = rng.choice(self.levels + 1, size=n, p=self.target_p).tolist()
        reviews = _draw(spec.review_hours, rng, (n, self.levels)).tolist()
        handoffs = (_draw(spec.handoff_delay_days, rng, (n, self.levels)) / DAYS_PER_WEEK).tolist()
        picks = rng.random(n).tolist()
        return list(zip(efforts, targets, reviews, handoffs, picks, strict=True))

    # -- the week-by-week driver -----------------------------------------------

    def run(self) -> Generator[simpy.Event, None, None]:
        """Each week: set capacities, then schedule the week's arrivals."""
        env = self.env
        for week in range(self.calendar.weeks):
            self._set_week(week)
            if not self.backlog_mode:
                self._schedule_arrivals(week)
            self._background_arrivals(week)
            yield env.timeout(week + 1 - env.now)

    def _set_week(self, week: int) -> None:
        spec, ahead = self.spec, self.ahead
        self.effort_factor = float(spec.effort_multiplier[week] / spec.ic_hours_per_week)
        self.automation = float(spec.automation_share[week])
        self.route = ahead.routes[week]
        self.light_route = [ahead.lowest[week]] + [0] * self.levels
        taken = self._set_teams(week)
        reaching = self._demand_by_level(week)
        lowest = ahead.lowest[week]
        light = self._light_load(week) if lowest else 0.0
        for k in range(1, self.levels + 1):
            self._set_reviewers(week, k, reaching[k - 1], light if k == lowest else 0.0)
        now = self.env.now
        for item in taken:  # items the grown teams' new ICs take at once
            self._work_on(item, now)
        if self.backlog_mode:  # each IC is a worker; the surplus leave on their own
            for team, size in enumerate(self.sizes):
                while self.crew[team] < size:
                    self.crew[team] += 1
                    self._work(_Worker(team))

    def _set_teams(self, week: int) -> list[_Item]:
        """Each sampled team has its share of the unit's ICs this week, at full speed:
        the queued items that grown teams take at once."""
        sizes = team_sizes(float(self.spec.ics[week]), self.sample, self.size_offset)
        self.sizes[:] = sizes
        self.ic_servers[week] = sum(sizes)
        taken: list[_Item] = []
        if not self.backlog_mode:
            for pool, size in zip(self.pools, sizes, strict=True):
                if pool.servers != size:
                    taken += pool.resize(size)
        return taken

    def _set_reviewers(self, week: int, level: int, reaching: float, light: float) -> None:
        """Cut the sampled teams' load at a level into desks of one manager's load each
        (``light``: of ``reaching``, the full reviews that light reviews equal in time)."""
        desks, teams = self.desks[level - 1], self.sample.teams
        self.light_shares[level - 1] = min(light / reaching, 1.0) if reaching > 0 else 0.0
        managers = float(self.spec.managers[week, level - 1])
        exists = self.ahead.exists[week][level - 1]
        now = self.env.now
        for desk in desks:
            desk.started_by(now)
        if not exists or managers <= 0:
            # a level left without managers still signs (it exists): one overloaded desk
            self.reviewers[level] = [self._desk(desks, 0)] * teams
            self.background_rates[level - 1] = []
            self.reviewer_stations[week, level - 1] = 1.0 if exists else 0.0
            if exists:
                self._hand_on(level, 1, now)
            return
        first_line = self.sample.first_line
        ics = float(self.spec.ics[week]) if self.backlog_mode else None
        loads = team_loads(reaching, teams, first_line, ics, self.sizes)
        per_manager = reaching / managers
        tracked = sum(loads)
        count = station_count(tracked, per_manager, managers, teams, first_line)
        for s in range(count):
            self._desk(desks, s)
        self.reviewer_stations[week, level - 1] = count
        self.reviewers[level] = [
            desks[a] if len(bounds) == 1 else _Split(bounds, desks[a : a + len(bounds)])
            for a, bounds in team_stations(loads, per_manager, count)
        ]
        self.background_rates[level - 1] = background_rates(tracked, per_manager, count)
        if len(desks) > count:
            self._hand_on(level, count, now)

    @staticmethod
    def _desk(desks: list[Desk[_Item]], index: int) -> Desk[_Item]:
        while len(desks) <= index:
            desks.append(Desk())
        return desks[index]

    def _demand_by_level(self, week: int) -> np.ndarray:
        """Items a week reaching each level's reviews, for the whole unit."""
        spec = self.spec
        return reaching_by_level(
            spec.demand_per_week[week],
            spec.automation_share[week],
            spec.signoff_shares,
            self.route,
            self.ahead.lowest[week],
            spec.automated_review_share,
            self.levels,
        )

    def _light_load(self, week: int) -> float:
        """The automated items' light reviews a week at the lowest level, for the whole
        unit, as the full reviews they equal in time."""
        spec = self.spec
        automated = spec.automation_share[week]
        light = light_reviews(
            spec.demand_per_week[week], automated, spec.signoff_shares, self.route
        )
        return light * spec.automated_review_share

    def _schedule_arrivals(self, week: int) -> None:
        """The week's arrivals of the sampled teams, each scheduled as its own event."""
        spec, sample, rng, env = self.spec, self.sample, self.item_rng, self.env
        rate = spec.demand_per_week[week] * sample.teams / sample.first_line
        n = int(rng.poisson(rate))
        times = (week + np.sort(rng.random(n))).tolist()
        teams = rng.integers(0, sample.teams, n).tolist()
        efforts = _draw(spec.effort_hours, rng, (n,)).tolist()
        targets = rng.choice(self.levels + 1, size=n, p=self.target_p).tolist()
        automated = (rng.random(n) < spec.automation_share[week]).tolist()
        reviews = _draw(spec.review_hours, rng, (n, self.levels)).tolist()
        handoffs = (_draw(spec.handoff_delay_days, rng, (n, self.levels)) / DAYS_PER_WEEK).tolist()
        picks = rng.random(n).tolist()
        self.counts.tracked_items += n
        now, arrive, schedule = env.now, self._then_arrive, env.schedule
        for i in range(n):
            item = _Item(
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

    def _background_arrivals(self, week: int) -> None:
        """The week's background reviews at each desk: a Poisson stream at the rate its
        sampled teams leave, queued at the desk by arrival time. Where automated items
        take light reviews, the background is full and light reviews in the level's own
        mix: the same load, and the same spread of review times (drawn as full reviews
        only, it had the mean but too long a queue)."""
        now, share = self.env.now, self.spec.automated_review_share
        for k, rates in enumerate(self.background_rates, start=1):
            for desk in self.desks[k - 1]:  # last week's, accepted: the queues stay short
                if desk.background:
                    self._fold(desk, k, now)
            light = self.light_shares[k - 1]
            for desk, rate in zip(self.desks[k - 1], rates, strict=False):
                if light > 0:  # full reviews of the rate's rest, light ones of its share
                    reviews = self._reviews(week, rate * (1 - light), 1.0)
                    reviews += self._reviews(week, rate * light / share, share)
                else:
                    reviews = self._reviews(week, rate, 1.0)
                if reviews:
                    desk.background.extend(sorted(reviews))
                    self.counts.background_items += len(reviews)

    def _reviews(self, week: int, rate: float, share: float) -> list[tuple[float, float]]:
        """A week's Poisson stream of background reviews at ``rate`` a week, each of
        ``share`` of a drawn review: (arrival, review hours)."""
        rng = self.background_rng
        n = int(rng.poisson(rate)) if rate > 0 else 0
        if n == 0:
            return []
        arrivals = (week + rng.random(n)).tolist()
        reviews = _draw(self.spec.review_hours, rng, (n,))
        if share != 1.0:
            reviews = reviews * share
        return list(zip(arrivals, reviews.tolist(), strict=True))

    def monitor(self) -> Generator[simpy.Event, None, None]:
        """At each calendar month's end: record the items waiting for an IC and turn the
        month."""
        for month, end in enumerate(self.month_ends):
            yield self.env.timeout(end - self.env.now)
            self.counts.waiting[month] = sum(len(pool.queue) for pool in self.pools)
            self.month = min(month + 1, self.calendar.months - 1)

    def result(self) -> UnitFlow:
        for level, desks in enumerate(self.desks, start=1):  # the background left over
            for desk in desks:
                self._fold(desk, level, self.until)
        calendar, counts = self.calendar, self.counts
        months = calendar.months
        scale = self.sample.scale
        ends = np.asarray(self.month_ends)
        entered = np.sort(np.asarray(counts.entered))
        done_at, cycle_weeks, wait_weeks = (
            np.delete(np.asarray(values, dtype=float), self.voided)
            for values in (counts.done_at, counts.cycle_weeks, counts.wait_weeks)
        )
        order = np.argsort(done_at, kind="stable")  # completion order
        done_at, cycle_weeks, wait_weeks = done_at[order], cycle_weeks[order], wait_weeks[order]
        cycle_months = np.minimum(np.searchsorted(ends, done_at, side="left"), months - 1)
        arrived_months = np.minimum(np.searchsorted(ends, entered, side="left"), months - 1)
        # in progress at each month end: entered by then and not yet done
        in_progress = np.searchsorted(entered, ends, side="right") - np.searchsorted(
            done_at, ends, side="right"
        )
        mean, p90, se, wait = (np.full(months, np.nan) for _ in range(4))
        rho = autocorrelations(cycle_weeks)  # items in completion order, whole run
        for m in range(months):
            in_month = cycle_months == m
            values = cycle_weeks[in_month]
            if values.size:
                wait[m] = wait_weeks[in_month].mean()
                mean[m] = values.mean()
                p90[m] = np.percentile(values, 90)
                se[m] = standard_error(values, rho)
        # server-weeks of each calendar month: the servers of each week, by its days
        server_weeks = calendar.week_days / DAYS_PER_WEEK
        capacity = np.zeros((months, self.levels + 1))
        capacity[:, 0] = server_weeks @ self.ic_servers
        capacity[:, 1:] = server_weeks @ self.reviewer_stations
        with np.errstate(invalid="ignore", divide="ignore"):
            utilisation = np.where(capacity > 0, np.asarray(counts.busy) / capacity, np.nan)
        done = np.bincount(cycle_months, minlength=months).astype(float)
        return UnitFlow(
            arrived=np.bincount(arrived_months, minlength=months).astype(float) * scale,
            done=done * scale,
            in_progress=in_progress.astype(float) * scale,
            backlog=(
                np.full(months, np.nan)
                if self.backlog_mode
                else np.asarray(counts.waiting, dtype=float) * scale
            ),
            cycle_time_mean_weeks=mean,
            cycle_time_p90_weeks=p90,
            cycle_time_se_weeks=se,
            wait_mean_weeks=wait,
            done_se=np.sqrt(done) * scale,
            utilisation=utilisation,
            scale=scale,
            teams=self.sample.teams,
            simulated_items=counts.tracked_items + counts.background_items,
            background_items=counts.background_items,
            station_visits=counts.visits,
            left_at_horizon=self._left() * scale,
        )

    def _left(self) -> int:
        """Items in the flow at the horizon, where they are: waiting for an IC of their
        team, in an IC's hands or on their way to a reviewer (their next event not yet
        happened), or reviewed past the horizon. Items yet to arrive are not counted."""
        live = (self._then_worked, self._then_reached)
        under_way = sum(
            1
            for *_, event in self.env._queue
            if isinstance(event, _Item) and any(event.callbacks is step for step in live)
        )
        return sum(len(pool.queue) for pool in self.pools) + under_way + self.counts.beyond


def horizon_end(calendar: Calendar) -> float:
    """When the work flow stops: just past the horizon, so that the last month end's
    record is taken and an item done at the horizon counts."""
    return calendar.horizon_weeks + 1e-9


def simulate_flow(
    specs: list[UnitFlowInput],
    samples: list[Sample],
    calendar: Calendar,
    item_seeds: list[np.random.SeedSequence],
    background_seeds: list[np.random.SeedSequence],
) -> list[UnitFlow]:
    """Run every unit's work flow over the horizon in one SimPy environment."""
    env = simpy.Environment()
    models = []
    for spec, sample, item_seed, bg_seed in zip(
        specs, samples, item_seeds, background_seeds, strict=True
    ):
        model = UnitModel(
            env,
            spec,
            sample,
            calendar,
            np.random.default_rng(item_seed),
            np.random.default_rng(bg_seed),
        )
        env.process(model.run())
        env.process(model.monitor())
        models.append(model)
    env.run(until=horizon_end(calendar))
    return [m.result() for m in models]
