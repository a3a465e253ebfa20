"""The weekly set-up of a unit's work flow, apart from the items' events: each week the
sampled teams get their share of the unit's ICs, each level's reviewers are cut to one
real manager's load each (topped up with background reviews), the IC speed, automation
and sign-off routes are set, and the week's arrivals are drawn and scheduled; at each
month end the items waiting for an IC are counted and the month turns.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.model.arrivals import background_reviews, week_arrivals
from sim.model.calendar import Calendar
from sim.model.desks import Reviews, Split
from sim.model.flowinput import UnitFlowInput, WeekTables
from sim.model.flowresult import Servers
from sim.model.itemflow import BacklogFlow, ItemFlow
from sim.model.items import Item
from sim.model.reviewers import (
    background_mix,
    background_rates,
    light_load,
    light_share,
    reaching_by_level,
    station_count,
    team_loads,
    team_stations,
)
from sim.model.sampling import Sample, team_sizes


class ReviewerSetup:
    """Each week, each level's desks: as many as the sampled teams' load fills at one
    real manager's load each, the teams' items shared among them, and the background
    reviews that top them up, drawn at the rate left in the level's mix of full and light
    reviews."""

    def __init__(
        self,
        env: simpy.Environment,
        spec: UnitFlowInput,
        sample: Sample,
        reviews: Reviews,
        background_rng: np.random.Generator,
        stations: np.ndarray,
    ):
        self.env = env
        self.spec = spec
        self.sample = sample
        self.reviews = reviews
        self.background_rng = background_rng
        self.stations = stations  # (weeks, levels): desks in use, by week
        levels = len(spec.review_share)
        self.rates: list[list[float]] = [[] for _ in range(levels)]  # each desk's background
        #: each level's share of its review time this week that goes on light reviews
        #: (automated items'), which its background reviews take in the same share
        self.light_shares = [0.0] * levels

    def set_week(self, week: int, route: list[list[int]], lowest: int, sizes: list[int]) -> None:
        """Every level's desks this week, for the unit's demand on ``route``."""
        spec = self.spec
        levels = len(self.rates)
        demand, automated = spec.demand_per_week[week], spec.automation_share[week]
        reaching = reaching_by_level(
            demand,
            automated,
            spec.signoff_shares,
            route,
            lowest,
            spec.automated_review_share,
            levels,
        )
        light = (
            light_load(demand, automated, spec.signoff_shares, route, spec.automated_review_share)
            if lowest
            else 0.0
        )
        for k in range(1, levels + 1):
            self._set_level(week, k, reaching[k - 1], light if k == lowest else 0.0, sizes)

    def _set_level(
        self, week: int, level: int, reaching: float, light: float, sizes: list[int]
    ) -> None:
        """Cut the sampled teams' load at a level into desks of one manager's load each
        (``light``: of ``reaching``, the full reviews that light reviews equal in time)."""
        reviews, teams = self.reviews, self.sample.teams
        desks = reviews.desks[level - 1]
        self.light_shares[level - 1] = light_share(light, reaching)
        managers = float(self.spec.managers[week, level - 1])
        exists = reviews.ahead.exists[week][level - 1]
        now = self.env.now
        for desk in desks:
            desk.started_by(now)
        if not exists or managers <= 0:
            # a level left without managers still signs (it exists): one overloaded desk
            reviews.reviewers[level] = [reviews.desk(level, 0)] * teams
            self.rates[level - 1] = []
            self.stations[week, level - 1] = 1.0 if exists else 0.0
            if exists:
                reviews.hand_on(level, 1, now)
            return
        first_line = self.sample.first_line
        ics = float(self.spec.ics[week]) if self.spec.mode == "backlog" else None
        loads = team_loads(reaching, teams, first_line, ics, sizes)
        per_manager = reaching / managers
        tracked = sum(loads)
        count = station_count(tracked, per_manager, managers, teams, first_line)
        for s in range(count):
            reviews.desk(level, s)
        self.stations[week, level - 1] = count
        reviews.reviewers[level] = [
            desks[a] if len(bounds) == 1 else Split(bounds, desks[a : a + len(bounds)])
            for a, bounds in team_stations(loads, per_manager, count)
        ]
        self.rates[level - 1] = background_rates(tracked, per_manager, count)
        if len(desks) > count:
            reviews.hand_on(level, count, now)

    def background_arrivals(self, week: int) -> int:
        """The week's background reviews at each desk, queued there by arrival time
        (last week's folded in first: the queues stay short); how many."""
        reviews, now = self.reviews, self.env.now
        rng, hours = self.background_rng, self.spec.review_hours
        share = self.spec.automated_review_share
        added = 0
        for k, rates in enumerate(self.rates, start=1):
            desks = reviews.desks[k - 1]
            for desk in desks:
                if desk.background:
                    reviews.fold(desk, k, now)
            light = self.light_shares[k - 1]
            for desk, rate in zip(desks, rates, strict=False):
                drawn: list[tuple[float, float]] = []
                for part, part_share in background_mix(rate, light, share):
                    drawn += background_reviews(rng, week, part, part_share, hours)
                if drawn:
                    desk.background.extend(sorted(drawn))
                    added += len(drawn)
        return added


class WeeklySetup:
    """A unit's weekly driver: teams, reviewers and speeds for the week, then its
    arrivals; and its monitor at each month end."""

    def __init__(
        self,
        env: simpy.Environment,
        spec: UnitFlowInput,
        sample: Sample,
        calendar: Calendar,
        flow: ItemFlow,
        reviewers: ReviewerSetup,
        item_rng: np.random.Generator,
        size_offset: float,
        target_p: np.ndarray,
    ):
        self.env = env
        self.spec = spec
        self.sample = sample
        self.calendar = calendar
        self.flow = flow
        self.reviewers = reviewers
        self.item_rng = item_rng
        self.size_offset = size_offset  # the team-size mix, per replication
        self.target_p = target_p
        self.sizes = flow.sizes if isinstance(flow, BacklogFlow) else [0] * sample.teams
        self.ic_servers = np.zeros(calendar.weeks)  # IC servers simulated, by week

    def servers(self) -> Servers:
        return Servers(self.ic_servers, self.reviewers.stations)

    def run(self) -> Generator[simpy.Event, None, None]:
        """Each week: set capacities, then schedule the week's arrivals."""
        env, flow = self.env, self.flow
        backlog_mode = isinstance(flow, BacklogFlow)
        for week in range(self.calendar.weeks):
            self._set_week(week)
            if not backlog_mode:
                arrivals = week_arrivals(self.spec, self.sample, self.item_rng, week, self.target_p)
                flow.counts.tracked_items += len(arrivals)
                flow.schedule(arrivals)
            flow.counts.background_items += self.reviewers.background_arrivals(week)
            yield env.timeout(week + 1 - env.now)

    def _set_week(self, week: int) -> None:
        spec, flow = self.spec, self.flow
        ahead: WeekTables = flow.reviews.ahead
        flow.effort_factor = float(spec.effort_multiplier[week] / spec.ic_hours_per_week)
        flow.automation = float(spec.automation_share[week])
        flow.route = ahead.routes[week]
        lowest = ahead.lowest[week]
        flow.light_route = [lowest] + [0] * len(spec.review_share)
        taken = self._set_teams(week)
        self.reviewers.set_week(week, flow.route, lowest, self.sizes)
        now = self.env.now
        for item in taken:  # items the grown teams' new ICs take at once
            flow.work_on(item, now)
        if isinstance(flow, BacklogFlow):  # each IC is a worker; the surplus leave on their own
            flow.staff()

    def _set_teams(self, week: int) -> list[Item]:
        """Each sampled team has its share of the unit's ICs this week, at full speed:
        the queued items that grown teams take at once."""
        sizes = team_sizes(float(self.spec.ics[week]), self.sample, self.size_offset)
        self.sizes[:] = sizes
        self.ic_servers[week] = sum(sizes)
        taken: list[Item] = []
        if not isinstance(self.flow, BacklogFlow):
            for pool, size in zip(self.flow.pools, sizes, strict=True):
                if pool.servers != size:
                    taken += pool.resize(size)
        return taken

    def monitor(self) -> Generator[simpy.Event, None, None]:
        """At each calendar month's end: record the items waiting for an IC and turn the
        month."""
        counts, flow, last = self.flow.counts, self.flow, self.calendar.months - 1
        for month, end in enumerate(self.calendar.month_ends_in_weeks.tolist()):
            yield self.env.timeout(end - self.env.now)
            counts.waiting[month] = flow.waiting()
            flow.month = min(month + 1, last)
