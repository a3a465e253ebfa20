"""Workforce runs on one calendar, stepped week by week in lockstep: every unit of every
run a row of the same arrays, so a week's hires, leavers and requisitions are a few NumPy
operations for the whole batch. Each unit keeps views of its row (sim.model.unitstate),
so its waves (sim.model.waves) act on the batch in place.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sim.model.calendar import Calendar
from sim.model.counters import MonthlyMoney, WeeklyCounts
from sim.model.plannerrows import PlannerRows
from sim.model.protection import ProtectionTable
from sim.model.redeploy import RedeploymentPool
from sim.model.roles import columns
from sim.model.severance import Ledger, book, weeks_of
from sim.model.shareddraws import Draw, LayerDraws
from sim.model.staffing import stacked_requisitions, weekly_hazard
from sim.model.unitstart import SeedCache, rounding_stream, start_unit
from sim.model.unitstate import BatchPlace, UnitState
from sim.model.waves import apply_wave, in_date_order, wave_one_time_costs
from sim.model.workforceresult import Workforce, unit_workforce
from sim.model.workforcerun import DriverHook, MonthHook, WorkforceRun
from sim.scenario.drawn import DrawnScenario, DrawnWave


@dataclass
class Batch:
    """The batch's arrays, one row a unit of a run, columns right-aligned: what each
    unit's state holds views of."""

    count: np.ndarray  # (rows, width) active people
    exists: np.ndarray  # (rows, width) bool
    pipeline: np.ndarray  # (rows, depth, width) hires arriving each week
    attrition: np.ndarray  # (rows, width) annual rates
    attrition_multiplier: np.ndarray  # (rows, weeks) survivors'
    recognised: np.ndarray  # (rows, weeks, width) the AI factor planners act on
    driven: np.ndarray  # (rows, weeks, width) the drivers' people (no rows: none drive)
    out: WeeklyCounts  # (rows, weeks, width)
    money: MonthlyMoney  # (rows, months, width)
    frozen: np.ndarray  # (rows, weeks) bool: hiring frozen
    lag: np.ndarray  # (rows,) hiring lag in weeks
    cost_per_hire: np.ndarray  # (rows,)


@dataclass(frozen=True)
class RowKinds:
    """Which rows take which weekly steps besides everyone's."""

    backfilled: list[int]  # replace_leavers rows that replace any leavers
    reskilled: list[int]  # replace_leavers rows with reskilling programmes
    reskilling_planned: list[int]  # of the planned rows (their index among them), reskilling
    pooled: np.ndarray  # (rows,) bool: redeploys from a pool
    pooling: bool  # any row does


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
        # the roles' drivers (sim.model.roles), batched only where a unit has some
        self.driving = any(s.groups.per_program is not None for s in rows)
        b = self.batch = Batch(
            count=np.zeros((n, width), dtype=np.int64),
            exists=np.zeros((n, width), dtype=bool),
            pipeline=np.zeros((n, depth, width), dtype=np.int64),
            attrition=np.zeros((n, width)),
            attrition_multiplier=np.ones((n, weeks)),
            recognised=np.ones((n, weeks, width)),
            driven=np.zeros((n, weeks, width) if self.driving else (0, weeks, width)),
            out=WeeklyCounts.zeros((n, weeks, width)),
            money=MonthlyMoney.zeros((n, calendar.months, width)),
            frozen=np.zeros((n, weeks), dtype=bool),
            lag=np.array([s.lag_weeks for s in rows]),
            cost_per_hire=np.array([s.terms.cost_per_hire for s in rows]),
        )
        self.protected = ProtectionTable(calendar)
        self.lags = np.unique(b.lag).tolist()  # the hiring lags there are
        draws: list[Draw] = []  # row, column, binomial
        runs = [run for run, states in zip(self.runs, self.states, strict=True) for _ in states]
        for row, (run, state) in enumerate(zip(runs, rows, strict=True)):
            first = width - state.count.size
            columns = slice(first, width)
            b.count[row, columns] = state.count
            b.exists[row, columns] = state.exists
            b.pipeline[row, : state.pipeline.shape[0], columns] = state.pipeline
            b.attrition[row, columns] = state.columns.attrition
            state.count = b.count[row, columns]
            state.exists = b.exists[row, columns]
            state.pipeline = b.pipeline[row, : state.pipeline.shape[0], columns]
            state.attrition_multiplier = b.attrition_multiplier[row]
            ics = slice(width - state.groups.size, width)
            seen = state.seen
            b.recognised[row, :, ics] = seen.recognised
            seen.recognised = b.recognised[row, :, ics]
            if self.driving:
                b.driven[row, :, ics] = seen.driven
                seen.driven = b.driven[row, :, ics]
            state.out = b.out.row(row, columns)
            state.money = b.money.row(row, columns)
            state.place = BatchPlace(self.protected, row, first)
            if run.plan.freezes:
                b.frozen[row] = frozen_weeks(run.scenario, calendar, state.unit)
            draws += [(row, first + i, rng.binomial) for i, rng in enumerate(state.rngs)]
        self.draws = LayerDraws(draws, self._leaders(draws, width))
        planned = np.array([i for i, s in enumerate(rows) if s.planner is not None], int)
        pooled = np.array([s.pool is not None for s in rows], dtype=bool)
        self.kinds = RowKinds(
            backfilled=[
                i for i, s in enumerate(rows) if s.planner is None and s.terms.backfill_share > 0
            ],
            reskilled=[i for i, s in enumerate(rows) if s.planner is None and s.reskilling],
            reskilling_planned=[k for k, r in enumerate(planned) if rows[r].reskilling],
            pooled=pooled,
            pooling=bool(pooled.any()),
        )
        self.planners = PlannerRows.empty(planned, width, depth)
        self._plan_rows(planned)

    def _plan_rows(self, rows: np.ndarray) -> None:
        """The planners of these rows, as arrays (again after a wave moves their targets)."""
        width = self.batch.count.shape[1]
        where = {row: k for k, row in enumerate(self.planners.rows)}
        for row in rows:
            k, state = where[int(row)], self.rows[int(row)]
            planner = state.planner
            assert planner is not None  # planned rows have planners
            self.planners.set(k, planner, width - state.count.size)

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
        planned = self.planners.rows
        self._plan_rows(np.array([r for r in planned if id(self.rows[r]) in ids], int))

    def _step(self, week: int) -> None:
        """Every unit's week: hires arrive, people leave, the planners open requisitions."""
        b = self.batch
        count, out = b.count, b.out
        hires = b.pipeline[:, week] * b.exists
        count += hires
        out.hires[:, week] = hires
        out.hiring_cost[:, week] = hires * b.cost_per_hire[:, None]
        # survivors: the annual rate is raised, then turned into a weekly hazard
        hazard = weekly_hazard(b.attrition * b.attrition_multiplier[:, week, None])
        leavers = self.draws.binomial(count, hazard)
        if self.protected:  # before the leavers are counted off
            self.protected.leave_and_pay(week, count, leavers, b.money.pay_adjustment)
        count -= leavers
        out.leavers[:, week] = leavers
        if self.planners.rows.size:
            self._requisitions(week, hazard)
        for row in self.kinds.reskilled:  # replace_leavers units: from all of a role
            self.rows[row].reskill(week, None)
        self._backfill(week, leavers)
        out.headcount[:, week] = count
        out.exists[:, week] = b.exists

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
        """The planned units' need this week, and the requisitions they open for it."""
        b, planners, kinds = self.batch, self.planners, self.kinds
        rows = planners.rows
        lag = b.lag[rows]
        driven = b.driven[rows, week] if self.driving else None
        need = planners.need(week, lag, b.recognised[rows, week], driven)
        b.out.needed[rows, week] = need
        # reskilling moves people before the planners count their position
        for k in kinds.reskilling_planned:
            state = self.rows[int(rows[k])]
            state.reskill(week, need[k, need.shape[1] - state.count.size :])
        hiring = ~b.frozen[rows, week]
        exists, offsets = planners.exists, planners.offsets
        if not hiring.all():
            if not hiring.any():
                return
            rows, lag, need = rows[hiring], lag[hiring], need[hiring]
            exists, offsets = exists[hiring], offsets[hiring]
        in_flight = np.zeros((rows.size, b.count.shape[1]), dtype=np.int64)
        for weeks in self.lags:
            same = lag == weeks
            in_flight[same] = b.pipeline[rows[same], week + 1 : week + weeks + 1].sum(axis=1)
        opened = stacked_requisitions(
            need, b.count[rows] + in_flight, hazard[rows], lag[:, None], exists, offsets
        )
        if kinds.pooling:  # requisitions filled from notice first
            for k in np.flatnonzero(kinds.pooled[rows]).tolist():
                state = self.rows[int(rows[k])]
                pool = state.pool
                if pool is not None and pool.open_in(week):
                    first = opened.shape[1] - state.count.size
                    opened[k, first:] = pool.fill(state, week, opened[k, first:])
        b.pipeline[rows, week + lag] += opened

    def _backfill(self, week: int, leavers: np.ndarray) -> None:
        """Replace-leavers units outside a freeze: a share of the week's leavers, hired
        after the lag, each layer's draw from its stream after its leavers'."""
        for row in self.kinds.backfilled:
            if self.batch.frozen[row, week]:
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
