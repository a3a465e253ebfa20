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

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from functools import partial
from operator import itemgetter

import numpy as np
import simpy

from sim.model.calendar import DAYS_PER_WEEK, Calendar
from sim.model.reviewers import (
    background_rates,
    reaching_by_level,
    station_count,
    team_loads,
    team_stations,
)
from sim.model.sampling import Sample, autocorrelations, standard_error, team_sizes
from sim.model.station import Station
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


def _draw(
    value: float | Distribution, rng: np.random.Generator, size: tuple[int, ...]
) -> np.ndarray:
    if isinstance(value, Distribution):
        return np.maximum(np.asarray(value.sample(rng, size), dtype=float), 0.0)
    return np.full(size, float(value))


class _Split:
    """A team whose items a level's reviewers share: the station of each item is drawn
    by the load each station takes of the team's."""

    __slots__ = ("bounds", "stations")

    def __init__(self, bounds: list[float], stations: list[Station]):
        self.bounds = bounds  # cumulative shares, the last 1
        self.stations = stations

    def pick(self, u: float) -> Station:
        for bound, station in zip(self.bounds, self.stations, strict=True):
            if u < bound:
                return station
        return self.stations[-1]


class UnitModel:
    """One unit's work flow inside a SimPy environment.

    The hot path (an item's life) reads only plain Python values that the weekly
    driver refreshes: routing, team sizes, reviewers and time factors change at
    week boundaries.

    **Teams** have as many IC servers as the unit has ICs per team that week
    (a mix of two whole sizes: :func:`~sim.model.sampling.team_sizes`), each at
    full speed. **Reviewers**: each week, a level's real managers ``M`` and the
    items reaching it ``R`` give the load per manager, ``L = R / M``. The sampled
    teams' items reaching the level are laid end to end and cut into stations of
    exactly ``L`` each (a team whose load straddles two stations sends each its
    share, item by item); the last, partly filled station is topped up to ``L``
    with background reviews. So every simulated manager carries exactly a real
    manager's load at a real manager's speed, however the level grows or
    shrinks and however unevenly teams split among managers; at full fidelity
    the stations are the managers and there is no background.
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
        self.pools = [Station(env, 0) for _ in range(sample.teams)]
        self.size_offset = float(background_rng.random())  # the team-size mix, per replication
        self.sizes = [0] * sample.teams
        self.crew = [0] * sample.teams  # backlog mode: worker processes alive per team
        # stations[level - 1]: the managers simulated at that level (grown as needed)
        self.stations: list[list[Station]] = [[] for _ in range(levels)]
        # reviewers[level][team]: the Station (or _Split) reviewing that team's items;
        # index 0 unused (the ICs)
        self.reviewers: list[list[Station | _Split]] = [[] for _ in range(levels + 1)]
        self.background_rates: list[list[float]] = [[] for _ in range(levels)]
        weeks = calendar.weeks
        self.ic_servers = np.zeros(weeks)  # IC servers simulated, by week
        self.reviewer_stations = np.zeros((weeks, levels))  # stations in use, by week
        self.exists = [True] * levels  # refreshed weekly from spec.level_exists
        self.route: list[list[int]] = []  # route[target][level] -> next level, 0 = done
        self.lowest = 1
        #: an automated item that needed sign-off: one light review at the lowest level
        self.light_route = [0] * (levels + 1)
        self.week = 0
        self.month = 0
        self.effort_factor = 0.0  # weeks of IC time per effort hour
        self.review_factor = [0.0] * (levels + 1)  # weeks per review hour, per level
        months = calendar.months
        self.arrived = [0] * months
        self.done = [0] * months
        self.in_progress = [0] * months
        self.busy = [[0.0] * (levels + 1) for _ in range(months)]
        self.wip = 0
        self.cycle_months: list[int] = []
        self.cycle_weeks: list[float] = []
        self.wait_weeks: list[float] = []
        self.background_items = 0
        self.tracked_items = 0
        self.automation = 0.0
        self.batch: list[tuple[float, int, list[float], list[float], float]] = []
        shares = spec.signoff_shares
        none_share = max(0.0, 1.0 - shares.sum())
        #: probability that an item needs sign-off up to each level (0: none)
        self.target_p = np.concatenate([[none_share], shares]) / (none_share + shares.sum())
        self.waiting = [0] * months  # items queued for an IC at month end
        self.visits = 0  # requests for an IC or a reviewer: the engine's unit of work

    # -- the story of one item ------------------------------------------------

    def item(
        self,
        team: int,
        effort_h: float,
        target: int,
        automated: bool,
        reviews_h: list[float],
        handoffs_w: list[float],
        pick: float,
        pulled_at: float | None = None,
    ):
        """An item's life; ``pulled_at``: an IC already did its work (backlog mode).

        ``pick`` (uniform) chooses among the reviewers that share its team's items at
        a level: the same draw at every level, each level's split drawn by it afresh.
        """
        # The hot path: one generator per item, no sub-generators, locals over attributes.
        env = self.env
        born = env.now if pulled_at is None else pulled_at
        waited = 0.0
        self.wip += 1
        self.arrived[self.month] += 1
        light = 1.0  # a review's share of its drawn time
        if automated:
            # AI did the work: an item that needed sign-off gets one light review by the
            # first manager up, handed over at once; one that needed none is done
            light = self.spec.automated_review_share
            route = self.light_route if self.route[target][0] and light > 0 else self.route[0]
        elif pulled_at is None:
            pool = self.pools[team]
            self.visits += 1
            turn = pool.acquire()
            if turn is not None:
                yield turn
                waited += env.now - born
            duration = effort_h * self.effort_factor
            self.busy[self.month][0] += duration
            yield env.timeout(duration)
            pool.release()
        reviewers = self.reviewers  # each level's list is replaced weekly, in place
        if not automated:
            route = self.route[target]
        level, hop = route[0], 0
        while level:
            if handoffs_w[hop] > 0 and not automated:
                yield env.timeout(handoffs_w[hop])
            reviewer = reviewers[level][team]
            station = reviewer if isinstance(reviewer, Station) else reviewer.pick(pick)
            self.visits += 1
            turn = station.acquire()
            if turn is not None:
                queued = env.now
                yield turn
                waited += env.now - queued
            if self.exists[level - 1]:  # else removed while the item waited: nobody signs
                duration = reviews_h[hop] * self.review_factor[level] * light
                self.busy[self.month][level] += duration
                yield env.timeout(duration)
            station.release()
            hop += 1
            if not automated:  # a layer may have gone while the item was reviewed
                route = self.route[target]
            level = route[level]
        self.wip -= 1
        month = self.month
        self.done[month] += 1
        self.cycle_months.append(month)
        self.cycle_weeks.append(env.now - born)
        self.wait_weeks.append(waited)

    def worker(self, team: int):
        """Backlog mode: one IC of a team, pulling the next item whenever free; when the
        team has shrunk below its workers, the IC leaves after the item in hand."""
        env, rng = self.env, self.item_rng
        crew, sizes = self.crew, self.sizes
        while crew[team] <= sizes[team]:
            effort, target, reviews, handoffs, pick = self._next_item()
            # automated items take no IC time; capped so that the IC still works
            if rng.random() < min(self.automation, MAX_BACKLOG_AUTOMATION):
                env.process(self.item(team, 0.0, target, True, reviews, handoffs, pick, env.now))
                continue
            started = env.now
            duration = effort * self.effort_factor
            self.busy[self.month][0] += duration
            yield env.timeout(duration)
            env.process(self.item(team, effort, target, False, reviews, handoffs, pick, started))
        crew[team] -= 1

    def _next_item(self) -> tuple[float, int, list[float], list[float], float]:
        """A backlog item's effort, sign-off target, reviews, hand-offs and reviewer draws
        (drawn in batches)."""
        if not self.batch:
            self.batch = self._draw_items(BACKLOG_BATCH)
            self.tracked_items += BACKLOG_BATCH
        return self.batch.pop()

    def _draw_items(self, n: int) -> list[tuple[float, int, list[float], list[float], float]]:
        spec, rng = self.spec, self.item_rng
        efforts = _draw(spec.effort_hours, rng, (n,)).tolist()
        targets = rng.choice(self.levels + 1, size=n, p=self.target_p).tolist()
        reviews = _draw(spec.review_hours, rng, (n, self.levels)).tolist()
        handoffs = (_draw(spec.handoff_delay_days, rng, (n, self.levels)) / DAYS_PER_WEEK).tolist()
        picks = rng.random(n).tolist()
        return list(zip(efforts, targets, reviews, handoffs, picks, strict=True))

    def background_review(self, station: Station, level: int, review_h: float):
        """A review for the unsampled teams: it only loads the manager."""
        self.visits += 1
        turn = station.acquire()
        if turn is not None:
            yield turn
        if self.exists[level - 1]:
            duration = review_h * self.review_factor[level]
            self.busy[self.month][level] += duration
            yield self.env.timeout(duration)
        station.release()

    # -- routing -----------------------------------------------------------------

    def _routes(self, exists: np.ndarray) -> list[list[int]]:
        """For each target level, the next level to visit after each level (0: done)."""
        routes = []
        for target in range(self.levels + 1):
            effective = self._effective_target(target, exists)
            after = []
            for level in range(self.levels + 1):
                after.append(next((k for k in range(level + 1, effective + 1) if exists[k - 1]), 0))
            routes.append(after)
        return routes

    def _effective_target(self, target: int, exists: np.ndarray) -> int:
        """Who signs for an item meant for level ``target``, once layers are removed.

        A removed level's sign-offs move down to the nearest level below that still
        exists (none: the IC decides), or up to the nearest above (none: the top).
        """
        if target <= 0 or exists[target - 1]:
            return target
        below = next((k for k in range(target - 1, 0, -1) if exists[k - 1]), 0)
        if self.spec.signoffs_go_down[target - 1]:
            return below
        above = next((k for k in range(target + 1, self.levels + 1) if exists[k - 1]), 0)
        return above or below

    # -- the week-by-week driver -----------------------------------------------

    def run(self):
        """Each week: set capacities, then start the week's items at their arrival times."""
        env = self.env
        for week in range(self.calendar.weeks):
            self.week = week
            self._set_week(week)
            tracked = [] if self.backlog_mode else self._tracked_arrivals(week)
            arrivals = tracked + self._background_arrivals(week)
            arrivals.sort(key=itemgetter(0))
            for arrival, story in arrivals:
                if arrival > env.now:
                    yield env.timeout(arrival - env.now)
                env.process(story())
            yield env.timeout(week + 1 - env.now)

    def _set_week(self, week: int) -> None:
        spec = self.spec
        self._set_teams(week)
        self.effort_factor = float(spec.effort_multiplier[week] / spec.ic_hours_per_week)
        self.automation = float(spec.automation_share[week])
        review = float(spec.review_multiplier[week])
        self.review_factor = [0.0] + [
            review / (spec.manager_hours_per_week * share) if share > 0 else math.inf
            for share in spec.review_share
        ]
        exists = spec.level_exists[week]
        if week == 0 or exists.tolist() != self.exists:
            self.route = self._routes(exists)
            self.lowest = next((k for k in range(1, self.levels + 1) if exists[k - 1]), 0)
            self.light_route = [self.lowest] + [0] * self.levels
        self.exists = exists.tolist()
        reaching = self._demand_by_level(week)
        for k in range(1, self.levels + 1):
            self._set_reviewers(week, k, reaching[k - 1])

    def _set_teams(self, week: int) -> None:
        """Each sampled team has its share of the unit's ICs this week, at full speed."""
        sizes = team_sizes(float(self.spec.ics[week]), self.sample, self.size_offset)
        self.sizes[:] = sizes
        self.ic_servers[week] = sum(sizes)
        if self.backlog_mode:  # each IC is a worker process; the surplus leave on their own
            for team, size in enumerate(sizes):
                while self.crew[team] < size:
                    self.crew[team] += 1
                    self.env.process(self.worker(team))
        else:
            for pool, size in zip(self.pools, sizes, strict=True):
                if pool.servers != size:
                    pool.resize(size)

    def _set_reviewers(self, week: int, level: int, reaching: float) -> None:
        """Cut the sampled teams' load at a level into stations of one manager's load each."""
        stations, teams = self.stations[level - 1], self.sample.teams
        managers = float(self.spec.managers[week, level - 1])
        if not self.exists[level - 1] or managers <= 0:
            # a level left without managers still signs (it exists): one overloaded desk
            self.reviewers[level] = [self._station(stations, 0)] * teams
            self.background_rates[level - 1] = []
            self.reviewer_stations[week, level - 1] = 1.0 if self.exists[level - 1] else 0.0
            return
        first_line = self.sample.first_line
        ics = float(self.spec.ics[week]) if self.backlog_mode else None
        loads = team_loads(reaching, teams, first_line, ics, self.sizes)
        per_manager = reaching / managers
        tracked = sum(loads)
        count = station_count(tracked, per_manager, managers, teams, first_line)
        for s in range(count):
            self._station(stations, s)
        self.reviewer_stations[week, level - 1] = count
        self.reviewers[level] = [
            stations[a] if len(bounds) == 1 else _Split(bounds, stations[a : a + len(bounds)])
            for a, bounds in team_stations(loads, per_manager, count)
        ]
        self.background_rates[level - 1] = background_rates(tracked, per_manager, count)

    def _station(self, stations: list[Station], index: int) -> Station:
        while len(stations) <= index:
            stations.append(Station(self.env, 1))
        return stations[index]

    def _demand_by_level(self, week: int) -> np.ndarray:
        """Items a week reaching each level's reviews, for the whole unit."""
        spec = self.spec
        return reaching_by_level(
            spec.demand_per_week[week],
            spec.automation_share[week],
            spec.signoff_shares,
            self.route,
            self.lowest,
            spec.automated_review_share,
            self.levels,
        )

    def _tracked_arrivals(self, week: int) -> list[tuple[float, Callable[[], Generator]]]:
        spec, sample, rng = self.spec, self.sample, self.item_rng
        rate = spec.demand_per_week[week] * sample.teams / sample.first_line
        n = int(rng.poisson(rate))
        times = week + np.sort(rng.random(n))
        teams = rng.integers(0, sample.teams, n).tolist()
        efforts = _draw(spec.effort_hours, rng, (n,)).tolist()
        targets = rng.choice(self.levels + 1, size=n, p=self.target_p).tolist()
        automated = (rng.random(n) < spec.automation_share[week]).tolist()
        reviews = _draw(spec.review_hours, rng, (n, self.levels)).tolist()
        handoffs = (_draw(spec.handoff_delay_days, rng, (n, self.levels)) / DAYS_PER_WEEK).tolist()
        picks = rng.random(n).tolist()
        self.tracked_items += n
        item = self.item
        arrivals = times.tolist()
        return [
            (
                arrivals[i],
                partial(
                    item,
                    teams[i],
                    efforts[i],
                    targets[i],
                    automated[i],
                    reviews[i],
                    handoffs[i],
                    picks[i],
                ),
            )
            for i in range(n)
        ]

    def _background_arrivals(self, week: int) -> list[tuple[float, Callable[[], Generator]]]:
        rng = self.background_rng
        starts: list[tuple[float, Callable[[], Generator]]] = []
        for k, rates in enumerate(self.background_rates, start=1):
            for station, rate in zip(self.stations[k - 1], rates, strict=False):
                n = int(rng.poisson(rate)) if rate > 0 else 0
                if n == 0:
                    continue
                arrivals = (week + rng.random(n)).tolist()
                reviews = _draw(self.spec.review_hours, rng, (n,)).tolist()
                starts.extend(
                    (t, partial(self.background_review, station, k, r))
                    for t, r in zip(arrivals, reviews, strict=True)
                )
                self.background_items += n
        return starts

    def monitor(self):
        """At each calendar month's end: record work in progress (counted live) and turn
        the month."""
        month_ends = self.calendar.month_ends_in_weeks.tolist()
        for month, end in enumerate(month_ends):
            yield self.env.timeout(end - self.env.now)
            self.in_progress[month] = self.wip
            self.waiting[month] = sum(len(pool.queue) for pool in self.pools)
            self.month = min(month + 1, self.calendar.months - 1)

    def result(self) -> UnitFlow:
        calendar = self.calendar
        months = calendar.months
        scale = self.sample.scale
        cycle_months = np.asarray(self.cycle_months, dtype=int)
        cycle_weeks = np.asarray(self.cycle_weeks)
        wait_weeks = np.asarray(self.wait_weeks)
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
            utilisation = np.where(capacity > 0, np.asarray(self.busy) / capacity, np.nan)
        done = np.asarray(self.done, dtype=float)
        return UnitFlow(
            arrived=np.asarray(self.arrived, dtype=float) * scale,
            done=done * scale,
            in_progress=np.asarray(self.in_progress, dtype=float) * scale,
            backlog=(
                np.full(months, np.nan)
                if self.backlog_mode
                else np.asarray(self.waiting, dtype=float) * scale
            ),
            cycle_time_mean_weeks=mean,
            cycle_time_p90_weeks=p90,
            cycle_time_se_weeks=se,
            wait_mean_weeks=wait,
            done_se=np.sqrt(done) * scale,
            utilisation=utilisation,
            scale=scale,
            teams=self.sample.teams,
            simulated_items=self.tracked_items + self.background_items,
            background_items=self.background_items,
            station_visits=self.visits,
        )


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
    # just past the horizon, so that the last month-end record is taken
    env.run(until=calendar.horizon_weeks + 1e-9)
    return [m.result() for m in models]
