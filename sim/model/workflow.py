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
from sim.model.sampling import Sample, autocorrelations, standard_error
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
    station_visits: int  # IC and review services requested


def _draw(
    value: float | Distribution, rng: np.random.Generator, size: tuple[int, ...]
) -> np.ndarray:
    if isinstance(value, Distribution):
        return np.maximum(np.asarray(value.sample(rng, size), dtype=float), 0.0)
    return np.full(size, float(value))


class UnitModel:
    """One unit's work flow inside a SimPy environment.

    The hot path (an item's life) reads only plain Python values that the weekly
    driver refreshes: routing, speeds and time factors change at week boundaries.
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
        self.pools = [Station(env, sample.ic_servers) for _ in range(sample.teams)]
        self.stations = [[Station(env, 1) for _ in range(n)] for n in sample.stations]
        # chain[team][level]: the manager who reviews that team's items at that level
        # (level 0 is the team's own ICs, never a sign-off)
        self.chain = [
            [
                self.pools[t],
                *(self.stations[k - 1][sample.station_of(t, k)] for k in range(1, levels + 1)),
            ]
            for t in range(sample.teams)
        ]
        self.exists = [True] * levels  # refreshed weekly from spec.level_exists
        # teams_of[level - 1][station]: how many sampled teams that manager serves
        self.teams_of = [
            [sum(1 for t in range(sample.teams) if sample.station_of(t, k) == s) for s in range(n)]
            for k, n in enumerate(sample.stations, start=1)
        ]
        self.route: list[list[int]] = []  # route[target][level] -> next level, 0 = done
        self.lowest = 1
        self.week = 0
        self.month = 0
        self.effort_factor = 0.0  # weeks of IC time per effort hour at speed 1
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
        self.batch: list[tuple[float, int, list[float], list[float]]] = []
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
        pulled_at: float | None = None,
    ):
        """An item's life; ``pulled_at``: an IC already did its work (backlog mode)."""
        # The hot path: one generator per item, no sub-generators, locals over attributes.
        env = self.env
        born = env.now if pulled_at is None else pulled_at
        waited = 0.0
        self.wip += 1
        self.arrived[self.month] += 1
        if automated:
            target = self.lowest  # a light review by the first manager up
        elif pulled_at is None:
            pool = self.pools[team]
            self.visits += 1
            turn = pool.acquire()
            if turn is not None:
                yield turn
                waited += env.now - born
            duration = effort_h * self.effort_factor / pool.speed
            self.busy[self.month][0] += duration
            yield env.timeout(duration)
            pool.release()
        chain = self.chain[team]
        route = self.route[target]
        level, hop = route[0], 0
        while level:
            if handoffs_w[hop] > 0:
                yield env.timeout(handoffs_w[hop])
            station = chain[level]
            self.visits += 1
            turn = station.acquire()
            if turn is not None:
                queued = env.now
                yield turn
                waited += env.now - queued
            if self.exists[level - 1]:  # else removed while the item waited: nobody signs
                duration = reviews_h[hop] * self.review_factor[level] / station.speed
                self.busy[self.month][level] += duration
                yield env.timeout(duration)
            station.release()
            hop += 1
            route = self.route[target]  # a layer may have gone while the item was reviewed
            level = route[level]
        self.wip -= 1
        month = self.month
        self.done[month] += 1
        self.cycle_months.append(month)
        self.cycle_weeks.append(env.now - born)
        self.wait_weeks.append(waited)

    def worker(self, team: int):
        """Backlog mode: one IC of a team, pulling the next item whenever free."""
        env, pool, rng = self.env, self.pools[team], self.item_rng
        while True:
            effort, target, reviews, handoffs = self._next_item()
            # automated items take no IC time; capped so that the IC still works
            if rng.random() < min(self.automation, MAX_BACKLOG_AUTOMATION):
                env.process(self.item(team, 0.0, target, True, reviews, handoffs, env.now))
                continue
            started = env.now
            duration = effort * self.effort_factor / pool.speed
            self.busy[self.month][0] += duration
            yield env.timeout(duration)
            env.process(self.item(team, effort, target, False, reviews, handoffs, started))

    def _next_item(self) -> tuple[float, int, list[float], list[float]]:
        """A backlog item's effort, sign-off target, reviews and hand-offs (drawn in batches)."""
        if not self.batch:
            self.batch = self._draw_items(BACKLOG_BATCH)
            self.tracked_items += BACKLOG_BATCH
        return self.batch.pop()

    def _draw_items(self, n: int) -> list[tuple[float, int, list[float], list[float]]]:
        spec, rng = self.spec, self.item_rng
        efforts = _draw(spec.effort_hours, rng, (n,)).tolist()
        targets = rng.choice(self.levels + 1, size=n, p=self.target_p).tolist()
        reviews = _draw(spec.review_hours, rng, (n, self.levels)).tolist()
        handoffs = (_draw(spec.handoff_delay_days, rng, (n, self.levels)) / DAYS_PER_WEEK).tolist()
        return list(zip(efforts, targets, reviews, handoffs, strict=True))

    def background_review(self, station: Station, level: int, review_h: float):
        """A review for the unsampled teams: it only loads the manager."""
        self.visits += 1
        turn = station.acquire()
        if turn is not None:
            yield turn
        if self.exists[level - 1]:
            duration = review_h * self.review_factor[level] / station.speed
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
        backlog = self.spec.mode == "backlog"
        for week in range(self.calendar.weeks):
            self.week = week
            self._set_week(week)
            if backlog and week == 0:
                for team, pool in enumerate(self.pools):
                    for _ in range(pool.free):
                        env.process(self.worker(team))
                    pool.free = 0  # the workers hold the ICs for good
            tracked = [] if backlog else self._tracked_arrivals(week)
            arrivals = tracked + self._background_arrivals(week)
            arrivals.sort(key=itemgetter(0))
            for arrival, story in arrivals:
                if arrival > env.now:
                    yield env.timeout(arrival - env.now)
                env.process(story())
            yield env.timeout(week + 1 - env.now)

    def _set_week(self, week: int) -> None:
        spec, sample = self.spec, self.sample
        ic_capacity = spec.ics[week] / sample.first_line  # IC-equivalents per team
        for pool in self.pools:
            pool.speed = max(ic_capacity / sample.ic_servers, 1e-9)
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
        self.exists = exists.tolist()
        reaching = self._demand_by_level(week)
        self.background_rates = []
        for k in range(1, self.levels + 1):
            managers = spec.managers[week, k - 1]
            per_manager = reaching[k - 1] / managers if managers > 0 else 0.0
            rates = []
            for station, teams in zip(self.stations[k - 1], self.teams_of[k - 1], strict=True):
                tracked = teams * reaching[k - 1] / sample.first_line
                station.speed = max(1.0, tracked / per_manager) if per_manager > 0 else 1.0
                rates.append(max(0.0, per_manager - tracked))
            self.background_rates.append(rates)

    def _demand_by_level(self, week: int) -> np.ndarray:
        """Items a week reaching each level's reviews, for the whole unit."""
        spec = self.spec
        demand = spec.demand_per_week[week]
        automated = spec.automation_share[week]
        reaching = np.zeros(self.levels)
        for target, share in enumerate(spec.signoff_shares, start=1):
            level = 0
            while level := self.route[target][level]:
                reaching[level - 1] += demand * (1 - automated) * share
        if self.lowest:
            reaching[self.lowest - 1] += demand * automated
        return reaching

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
        self.tracked_items += n
        item = self.item
        arrivals = times.tolist()
        return [
            (
                arrivals[i],
                partial(
                    item, teams[i], efforts[i], targets[i], automated[i], reviews[i], handoffs[i]
                ),
            )
            for i in range(n)
        ]

    def _background_arrivals(self, week: int) -> list[tuple[float, Callable[[], Generator]]]:
        rng = self.background_rng
        starts: list[tuple[float, Callable[[], Generator]]] = []
        for k, rates in enumerate(self.background_rates, start=1):
            for station, rate in zip(self.stations[k - 1], rates, strict=True):
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
        for month, end in enumerate(self.calendar.month_ends_in_weeks.tolist()):
            yield self.env.timeout(end - self.env.now)
            self.in_progress[month] = self.wip
            self.waiting[month] = sum(len(pool.queue) for pool in self.pools)
            self.month = min(month + 1, self.calendar.months - 1)

    def result(self) -> UnitFlow:
        months = self.calendar.months
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
        # busy time is booked to the calendar month the monitor is in
        weeks = self.calendar.weeks_in_month
        capacity = np.zeros((months, self.levels + 1))
        capacity[:, 0] = self.sample.teams * self.sample.ic_servers * weeks
        for k, stations in enumerate(self.stations, start=1):
            capacity[:, k] = len(stations) * weeks
        # a removed layer has no capacity
        capacity[:, 1:] *= self.spec.level_exists[self.calendar.month_end_weeks]
        with np.errstate(invalid="ignore", divide="ignore"):
            utilisation = np.where(capacity > 0, np.asarray(self.busy) / capacity, np.nan)
        done = np.asarray(self.done, dtype=float)
        return UnitFlow(
            arrived=np.asarray(self.arrived, dtype=float) * scale,
            done=done * scale,
            in_progress=np.asarray(self.in_progress, dtype=float) * scale,
            backlog=(
                np.full(months, np.nan)
                if self.spec.mode == "backlog"
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
