"""Workforce runs on one calendar, stepped week by week in lockstep: every unit of every
run a row of the same arrays, so a week's hires, leavers and requisitions are a few NumPy
operations for the whole batch. Each unit keeps views of its row (sim.model.unitstate),
so its waves (sim.model.waves) act on the batch in place.
"""

from __future__ import annotations

import functools

import numpy as np

from sim.model.calendar import Calendar
from sim.model.counters import MonthlyMoney, WeeklyCounts
from sim.model.protection import ProtectionTable
from sim.model.redeploy import RedeploymentPool
from sim.model.roles import columns
from sim.model.severance import Ledger, book, weeks_of
from sim.model.shareddraws import Draw, LayerDraws
from sim.model.staffing import (
    stacked_ics_need,
    stacked_requisitions,
    stacked_targets,
    weekly_hazard,
)
from sim.model.unitstart import SeedCache, rounding_stream, start_unit
from sim.model.unitstate import BatchPlace, UnitState
from sim.model.waves import apply_wave, in_date_order, wave_one_time_costs
from sim.model.workforceresult import Workforce, unit_workforce
from sim.model.workforcerun import DriverHook, MonthHook, WorkforceRun
from sim.scenario.drawn import DrawnScenario, DrawnWave


class Lockstep:
    """Workforce runs on one calendar, their units rows of shared arrays, columns
    right-aligned (the IC columns last; a unit with fewer columns than the widest has
    non-existent columns on the left, always empty)."""

    def __init__(self, runs: list[WorkforceRun], calendar: Calendar):
        self.runs = runs
        self.calendar = calendar
        self.states: list[list[UnitState]] = []
        self.streams: list[tuple[object, ...]] = []  # each row's seed, as a key
        shared = SeedCache()
        for run in runs:
            seed = run.seed
            key = (seed.entropy, tuple(seed.spawn_key), seed.pool_size, seed.n_children_spawned)
            unit_seeds = seed.spawn(len(run.scenario.org.units))
            states = []
            for u, (unit, unit_seed) in enumerate(
                zip(run.scenario.org.units, unit_seeds, strict=True)
            ):
                self.streams.append((*key, u))
                layer_seeds = unit_seed.spawn(columns(unit))
                rngs = [np.random.default_rng(s) for s in layer_seeds]
                # a stream of its own, spawned after the columns', so no attrition draw moves
                rounding = functools.partial(rounding_stream, unit_seed)
                here = shared.at(self.streams[-1])
                plan = run.plan
                start = start_unit(
                    run.scenario, unit, calendar, plan.freezes, plan.redeploy, rounding, here
                )
                state = UnitState(start, calendar, rngs)
                states.append(state)
            waves = run.scenario.restructuring.waves if run.plan.any_wave else ()
            if run.plan.redeploy and any(w.redeployment is not None for w in waves):
                pool = RedeploymentPool()  # one a run: scope "any" crosses its units
                for state in states:
                    state.pool = pool
            ledger = Ledger()  # one a run: a placement may take back another unit's cut
            for state in states:
                state.ledger = ledger
            self.states.append(states)
        self.rows = [state for states in self.states for state in states]
        self._stack()

    def _stack(self) -> None:
        """Move every unit's weekly state into rows of the batch's arrays; each unit
        keeps views of its row, so its waves and records act on the batch in place."""
        rows, calendar = self.rows, self.calendar
        weeks, n = calendar.weeks, len(rows)
        width = max(s.count.size for s in rows)
        depth = weeks + max(s.lag_weeks for s in rows) + 1
        self.count = np.zeros((n, width), dtype=np.int64)
        self.exists = np.zeros((n, width), dtype=bool)
        self.pipeline = np.zeros((n, depth, width), dtype=np.int64)
        self.attrition = np.zeros((n, width))
        self.attrition_multiplier = np.ones((n, weeks))
        self.recognised = np.ones((n, weeks, width))
        # the roles' drivers (sim.model.roles), batched only where a unit has some
        self.driving = any(s.groups.per_program is not None for s in rows)
        self.driven = np.zeros((n, weeks, width) if self.driving else (0, weeks, width))
        self.out = WeeklyCounts.zeros((n, weeks, width))
        self.money = MonthlyMoney.zeros((n, calendar.months, width))
        self.protected = ProtectionTable(calendar)
        self.lag = np.array([s.lag_weeks for s in rows])
        self.lags = np.unique(self.lag).tolist()  # the hiring lags there are
        self.cost_per_hire = np.array([s.terms.cost_per_hire for s in rows])
        self.frozen = np.zeros((n, weeks), dtype=bool)
        draws: list[Draw] = []  # row, column, binomial
        runs = [run for run, states in zip(self.runs, self.states, strict=True) for _ in states]
        for row, (run, state) in enumerate(zip(runs, rows, strict=True)):
            first = width - state.count.size
            columns = slice(first, width)
            self.count[row, columns] = state.count
            self.exists[row, columns] = state.exists
            self.pipeline[row, : state.pipeline.shape[0], columns] = state.pipeline
            self.attrition[row, columns] = state.columns.attrition
            state.count = self.count[row, columns]
            state.exists = self.exists[row, columns]
            state.pipeline = self.pipeline[row, : state.pipeline.shape[0], columns]
            state.attrition_multiplier = self.attrition_multiplier[row]
            ics = slice(width - state.groups.size, width)
            seen = state.seen
            self.recognised[row, :, ics] = seen.recognised
            seen.recognised = self.recognised[row, :, ics]
            if self.driving:
                self.driven[row, :, ics] = seen.driven
                seen.driven = self.driven[row, :, ics]
            state.out = self.out.row(row, columns)
            state.money = self.money.row(row, columns)
            state.place = BatchPlace(self.protected, row, first)
            if run.plan.freezes:
                self.frozen[row] = frozen_weeks(run.scenario, calendar, state.unit)
            draws += [(row, first + i, rng.binomial) for i, rng in enumerate(state.rngs)]
        self.draws = LayerDraws(draws, self._leaders(draws, width))
        self.planned = np.array([i for i, s in enumerate(rows) if s.planner is not None], int)
        self.backfilled = [
            i for i, s in enumerate(rows) if s.planner is None and s.terms.backfill_share > 0
        ]
        # internal moves: reskilling programmes, and redeployment pools to fill from
        self.reskilled = [i for i, s in enumerate(rows) if s.planner is None and s.reskilling]
        # the planned rows (their index among them) with reskilling, and the rows with a pool
        self.reskilling_planned = [k for k, r in enumerate(self.planned) if rows[r].reskilling]
        self.pooled = np.array([s.pool is not None for s in rows], dtype=bool)
        self.pooling = bool(self.pooled.any())
        planners = self.planned.size
        self.ratio_before = np.zeros((planners, width))
        self.ratio_after = np.zeros((planners, width))
        self.planner_exists = np.zeros((planners, width), dtype=bool)
        self.is_ic = np.zeros((planners, width), dtype=bool)
        self.ic_weights = np.zeros((planners, width))
        self.offsets = np.full((planners, width), 0.5)  # the base stock's rounding
        self.wave_week = np.full(planners, -1)
        self.creep, self.realisation = np.zeros(planners), np.zeros(planners)
        self.effort, self.ic_hours = np.ones(planners), np.ones(planners)
        self.utilisation = np.ones(planners)
        self.demand = np.zeros((planners, depth))
        self._plan_rows(self.planned)

    def _plan_rows(self, rows: np.ndarray) -> None:
        """The planners of these rows, as arrays (again after a wave moves their targets)."""
        width = self.count.shape[1]
        where = {row: k for k, row in enumerate(self.planned)}
        for row in rows:
            k, state = where[int(row)], self.rows[int(row)]
            planner = state.planner
            assert planner is not None  # planned rows have planners
            first = width - state.count.size
            columns = slice(first, width)
            self.ratio_before[k, columns] = planner.ratio_before
            self.ratio_after[k, columns] = planner.ratio_after
            self.planner_exists[k] = False
            self.planner_exists[k, columns] = planner.exists
            self.is_ic[k, first + planner.managers :] = True
            self.ic_weights[k, first + planner.managers :] = planner.ic_weights
            self.offsets[k, columns] = planner.offsets
            self.wave_week[k] = -1 if planner.wave_week is None else planner.wave_week
            self.creep[k], self.realisation[k] = planner.creep, planner.realisation
            work = planner.work
            self.effort[k], self.ic_hours[k] = work.effort_hours, work.ic_hours_per_week
            self.utilisation[k] = work.target_utilisation
            self.demand[k, : work.demand_per_week.size] = work.demand_per_week

    def run(self) -> list[Workforce]:
        calendar = self.calendar
        waves, one_time = [], []
        for run in self.runs:
            planned = run.scenario.restructuring.waves if run.plan.any_wave else ()
            by_week: dict[int, list[tuple[int, DrawnWave]]] = {}
            for index, wave in in_date_order(planned):
                by_week.setdefault(calendar.week_from(wave.date), []).append((index, wave))
            waves.append(by_week)
            one_time.append(wave_one_time_costs(planned, calendar))
        month_of_week = calendar.month_of_week
        for week in range(calendar.weeks):
            month = int(month_of_week[week])
            new_month = week == 0 or month != month_of_week[week - 1]
            for r, (run, states) in enumerate(zip(self.runs, self.states, strict=True)):
                if run.month_hook is not None and new_month:
                    ask_hook(run.month_hook, month, states, calendar, run.driver_hook)
                if week in waves[r]:
                    self._waves(run, states, waves[r][week], week)
            self._step(week)
        return [
            self._workforce(run, states, cost)
            for run, states, cost in zip(self.runs, self.states, one_time, strict=True)
        ]

    def _workforce(
        self, run: WorkforceRun, states: list[UnitState], one_time: np.ndarray
    ) -> Workforce:
        """A run's workforce, its severance booked from its cuts at its waves' terms."""
        entries = tuple(states[0].ledger.entries)
        shapes = {s.unit: (len(s.layers), s.count.size) for s in states}
        restructuring = run.scenario.restructuring
        severance = book(entries, weeks_of(restructuring), self.calendar.months, shapes)
        units = run.scenario.org.units
        return Workforce(
            units=tuple(
                unit_workforce(s, u, severance) for s, u in zip(states, units, strict=True)
            ),
            wave_one_time_cost=one_time,
            changes=tuple(change for state in states for change in state.booked(severance)),
            severance=entries,
        )

    def _waves(
        self,
        run: WorkforceRun,
        states: list[UnitState],
        waves: list[tuple[int, DrawnWave]],
        week: int,
    ) -> None:
        scenario, calendar = run.scenario, self.calendar
        names = [u.name for u in scenario.org.units]
        for index, wave in waves:
            apply_wave(scenario, index, wave, week, states, names, calendar, run.plan)
        ids = {id(s) for s in states}
        self._plan_rows(np.array([r for r in self.planned if id(self.rows[r]) in ids], int))

    def _step(self, week: int) -> None:
        """Every unit's week: hires arrive, people leave, the planners open requisitions."""
        count, out = self.count, self.out
        hires = self.pipeline[:, week] * self.exists
        count += hires
        out.hires[:, week] = hires
        out.hiring_cost[:, week] = hires * self.cost_per_hire[:, None]
        # survivors: the annual rate is raised, then turned into a weekly hazard
        hazard = weekly_hazard(self.attrition * self.attrition_multiplier[:, week, None])
        leavers = self.draws.binomial(count, hazard)
        if self.protected:  # before the leavers are counted off
            self.protected.leave_and_pay(week, count, leavers, self.money.pay_adjustment)
        count -= leavers
        out.leavers[:, week] = leavers
        if self.planned.size:
            self._requisitions(week, hazard)
        for row in self.reskilled:  # replace_leavers units: from all of a role
            self.rows[row].reskill(week, None)
        self._backfill(week, leavers)
        out.headcount[:, week] = count
        out.exists[:, week] = self.exists

    def _leaders(self, draws: list[Draw], width: int) -> np.ndarray:
        """The draw each layer's follows (-1: none): runs of one seed draw each layer
        from copies of the same stream, so a layer takes the first such run's draws
        while its people and hazard are the same (sim.model.shareddraws). A layer whose
        stream moves elsewhere (replace_leavers backfill draws from it) draws for itself."""
        leader = np.full(len(draws), -1)
        first: dict[tuple[object, ...], int] = {}
        for k, (row, column, _) in enumerate(draws):
            state = self.rows[row]
            if state.planner is None and state.terms.backfill_share > 0:
                continue
            local = column - (width - state.count.size)
            root = first.setdefault((*self.streams[row], local), k)
            if root != k:
                leader[k] = root
        return leader

    def _requisitions(self, week: int, hazard: np.ndarray) -> None:
        rows = self.planned
        lag = self.lag[rows]
        since = np.where(self.wave_week >= 0, week + lag - self.wave_week, -1)
        ics = stacked_ics_need(
            self.demand[np.arange(rows.size), week + lag][:, None],
            self.effort[:, None],
            self.ic_hours[:, None],
            self.utilisation[:, None],
            self.realisation[:, None],
            self.recognised[rows, week],
            self.ic_weights,
        )
        if self.driving:
            ics = ics + self.driven[rows, week]
        need = stacked_targets(
            self.ratio_before,
            self.ratio_after,
            since,
            self.creep,
            self.planner_exists,
            self.is_ic,
            ics,
        )
        self.out.needed[rows, week] = need
        # reskilling moves people before the planners count their position
        for k in self.reskilling_planned:
            state = self.rows[int(rows[k])]
            state.reskill(week, need[k, need.shape[1] - state.count.size :])
        hiring = ~self.frozen[rows, week]
        exists, offsets = self.planner_exists, self.offsets
        if not hiring.all():
            if not hiring.any():
                return
            rows, lag, need = rows[hiring], lag[hiring], need[hiring]
            exists, offsets = exists[hiring], offsets[hiring]
        in_flight = np.zeros((rows.size, self.count.shape[1]), dtype=np.int64)
        for weeks in self.lags:
            same = lag == weeks
            in_flight[same] = self.pipeline[rows[same], week + 1 : week + weeks + 1].sum(axis=1)
        opened = stacked_requisitions(
            need, self.count[rows] + in_flight, hazard[rows], lag[:, None], exists, offsets
        )
        if self.pooling:  # requisitions filled from notice first
            for k in np.flatnonzero(self.pooled[rows]).tolist():
                state = self.rows[int(rows[k])]
                pool = state.pool
                if pool is not None and pool.open_in(week):
                    first = opened.shape[1] - state.count.size
                    opened[k, first:] = pool.fill(state, week, opened[k, first:])
        self.pipeline[rows, week + lag] += opened

    def _backfill(self, week: int, leavers: np.ndarray) -> None:
        """Replace-leavers units outside a freeze: a share of the week's leavers, hired
        after the lag, each layer's draw from its stream after its leavers'."""
        for row in self.backfilled:
            if self.frozen[row, week]:
                continue
            state = self.rows[row]
            share, row_leavers = state.terms.backfill_share, leavers[row, -state.count.size :]
            replaced = np.array(
                [rng.binomial(n, share) for rng, n in zip(state.rngs, row_leavers, strict=True)],
                dtype=np.int64,
            )
            if state.pool is not None:  # filled from notice first
                replaced = state.pool.fill(state, week, replaced * state.exists)
            state.pipeline[week + state.lag_weeks] += replaced * state.exists


def ask_hook(
    hook: MonthHook,
    month: int,
    states: list[UnitState],
    calendar: Calendar,
    driver_hook: DriverHook | None = None,
) -> None:
    payroll = np.array([s.payroll(month - 1) if month > 0 else 0.0 for s in states])
    people = np.array([float(s.count.sum()) for s in states])
    factors = hook(month, people, payroll)
    driven = driver_hook(month) if driver_hook is not None else [None] * len(states)
    for state, factor, extra in zip(states, factors, driven, strict=True):
        factor = np.atleast_1d(np.asarray(factor, dtype=float))
        drives = extra is not None and state.groups.per_program is not None
        state.recognise(month, factor, calendar, extra if drives else None)


def frozen_weeks(scenario: DrawnScenario, calendar: Calendar, unit: str) -> np.ndarray:
    """Per week: is the unit's hiring frozen?"""
    weeks = np.arange(calendar.weeks)
    frozen = np.zeros(calendar.weeks, dtype=bool)
    for freeze in scenario.org.hiring_freezes:
        if freeze.units is not None and unit not in freeze.units:
            continue
        frozen |= (calendar.week_of(freeze.start) <= weeks) & (
            weeks <= calendar.week_of(freeze.end)
        )
    return frozen
