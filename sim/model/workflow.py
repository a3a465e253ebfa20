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

import numpy as np
import simpy

from sim.model.calendar import Calendar
from sim.model.counters import FlowCounts
from sim.model.flowinput import UnitFlowInput, WeekTables
from sim.model.flowresult import UnitFlow, unit_flow
from sim.model.flowweek import ReviewerSetup, WeeklySetup
from sim.model.itemflow import BacklogFlow, ItemFlow
from sim.model.reviewers import target_probabilities
from sim.model.sampling import Sample


class UnitModel:
    """One unit's work flow inside a SimPy environment: its items' events
    (:class:`~sim.model.itemflow.ItemFlow`) and its weekly set-up
    (:class:`~sim.model.flowweek.WeeklySetup`), two processes, then its measures.

    A weekly driver sets the teams' sizes, the reviewers and the time factors,
    draws the week's arrivals and schedules each item's arrival as its own event;
    an item then moves by callbacks (:class:`~sim.model.items.Item`), never as a
    process.

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
        size_offset = float(background_rng.random())  # the team-size mix, per replication
        self.calendar = calendar
        self.sample = sample
        self.backlog_mode = spec.mode == "backlog"
        self.until = until = horizon_end(calendar)
        levels = len(spec.review_share)
        self.counts = counts = FlowCounts(calendar.months, levels)
        ahead = WeekTables.of(spec)
        #: probability that an item needs sign-off up to each level (0: none)
        target_p = target_probabilities(spec.signoff_shares)
        self.flow: ItemFlow = (
            BacklogFlow(
                env, spec, ahead, calendar, [0] * sample.teams, until, counts, item_rng, target_p
            )
            if self.backlog_mode
            else ItemFlow(env, spec, ahead, calendar, sample.teams, until, counts)
        )
        stations = np.zeros((calendar.weeks, levels))
        reviewers = ReviewerSetup(env, spec, sample, self.flow.reviews, background_rng, stations)
        self.week = WeeklySetup(
            env, spec, sample, calendar, self.flow, reviewers, item_rng, size_offset, target_p
        )

    def start(self, env: simpy.Environment) -> None:
        """The unit's two processes: its weekly set-up and its month ends."""
        env.process(self.week.run())
        env.process(self.week.monitor())

    def result(self) -> UnitFlow:
        """The unit's monthly measures, once the flow has run to the horizon."""
        reviews = self.flow.reviews
        reviews.fold_all(self.until)  # the background left over
        return unit_flow(
            self.counts,
            reviews.voided,
            self.calendar,
            self.sample,
            self.week.servers(),
            self.backlog_mode,
            self.flow.left(),
        )


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
        model.start(env)
        models.append(model)
    env.run(until=horizon_end(calendar))
    return [m.result() for m in models]
