"""Workforce dynamics: headcount by unit and layer, week by week.

People are counted, never simulated one by one: each week, per layer, leavers
are a binomial draw at the weekly hazard of the annual attrition rate, a
binomial share of them is backfilled after the hiring lag (unless a hiring
freeze is on when they leave), and layoff waves cut counts or shares of layers,
or remove a layer outright (a share of its managers moves down a layer, the
rest are cut, and the reports re-parent to the layer above). People cut are paid
through their notice period, then get severance. After a wave, survivors leave
faster and work slower for a while.

Each layer draws from its own random stream, so the scenario and its baseline
twin see the same draws wherever their headcounts agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.calendar import WEEKS_PER_YEAR, Calendar
from sim.scenario.schema import Scenario, Severance, Unit, Wave


@dataclass(frozen=True)
class UnitWorkforce:
    """One unit's people, week by week; arrays are (weeks, layers), layers top to bottom."""

    name: str
    layers: tuple[str, ...]
    cost_per_head_annual: np.ndarray  # (layers,)
    review_share: np.ndarray  # (layers,)
    headcount: np.ndarray  # active staff after the week's events
    exists: np.ndarray  # bool: the layer is still part of the organisation
    on_notice: np.ndarray  # cut, paid through notice, not working
    hires: np.ndarray
    leavers: np.ndarray
    cut: np.ndarray
    moved_in: np.ndarray  # moved down into this layer when the layer above was removed
    severance_cash: np.ndarray  # money paid this week
    hiring_cost: np.ndarray  # money paid this week (per layer)
    productivity_dip: np.ndarray  # (weeks,): survivors' productivity loss, 0..1


@dataclass(frozen=True)
class Workforce:
    units: tuple[UnitWorkforce, ...]
    wave_one_time_cost: np.ndarray  # (weeks,) money paid per week


def _severance_weeks(severance: Severance) -> float:
    return severance.nominal_weeks


def _rate(value: object) -> float:
    return float(value)  # a concrete scenario: every quantity is a number


class _UnitState:
    """Mutable week-by-week state of one unit while the workforce is simulated."""

    def __init__(
        self,
        scenario: Scenario,
        unit: Unit,
        calendar: Calendar,
        rngs: list[np.random.Generator],
        with_changes: bool,
    ):
        layers = unit.resolved_layers
        self.layers = layers
        self.rngs = rngs
        self.weeks = calendar.weeks
        n_layers = len(layers)
        self.count = np.array([round(_rate(x.headcount)) for x in layers], dtype=np.int64)
        self.cost = np.array([_rate(x.cost_per_head_annual) for x in layers])
        self.exists = np.ones(n_layers, dtype=bool)
        default = (
            unit.attrition_annual
            if unit.attrition_annual is not None
            else (scenario.org.attrition_annual)
        )
        self.attrition = np.array(
            [
                _rate(x.attrition_annual if x.attrition_annual is not None else default)
                for x in layers
            ]
        )
        backfill = scenario.org.backfill
        planned = scenario.restructuring.backfill_share
        self.backfill_share = _rate(
            planned if with_changes and planned is not None else backfill.share
        )
        # a hire starts the week after the requisition at the soonest
        self.lag_weeks = max(1, round(_rate(backfill.lag_weeks)))
        self.cost_per_hire = _rate(backfill.cost_per_hire)
        shape = (self.weeks, n_layers)
        self.pipeline = np.zeros((self.weeks + self.lag_weeks + 1, n_layers), dtype=np.int64)
        self.out = {
            k: np.zeros(shape)
            for k in (
                "headcount",
                "on_notice",
                "hires",
                "leavers",
                "cut",
                "moved_in",
                "severance_cash",
                "hiring_cost",
                "exists",
            )
        }
        self.attrition_multiplier = np.ones(self.weeks)
        self.dip = np.zeros(self.weeks)

    def cut_people(
        self, week: int, layer: int, people: int, notice_weeks: int, severance_weeks: float
    ) -> None:
        people = int(min(people, self.count[layer]))
        if people <= 0:
            return
        self.count[layer] -= people
        self.out["cut"][week, layer] += people
        self.out["on_notice"][week : week + notice_weeks, layer] += people
        paid_at = week + notice_weeks
        if paid_at < self.weeks:
            self.out["severance_cash"][paid_at, layer] += (
                people * severance_weeks * self.cost[layer] / WEEKS_PER_YEAR
            )

    def remove_layer(
        self,
        week: int,
        layer: int,
        moved_down_share: float,
        notice_weeks: int,
        severance_weeks: float,
    ) -> None:
        below = next(i for i in range(layer + 1, len(self.layers)) if self.exists[i])
        moved = round(self.count[layer] * moved_down_share)
        self.count[layer] -= moved
        self.count[below] += moved
        self.out["moved_in"][week, below] += moved
        self.cut_people(week, layer, int(self.count[layer]), notice_weeks, severance_weeks)
        self.exists[layer] = False
        self.pipeline[:, layer] = 0

    def survivors_shaken(self, week: int, scenario: Scenario, calendar: Calendar) -> None:
        effects = scenario.restructuring.survivor_effects
        span = round(calendar.weeks_of(_rate(effects.attrition_months)))
        window = slice(week, min(self.weeks, week + span))
        self.attrition_multiplier[window] = np.maximum(
            self.attrition_multiplier[window], _rate(effects.attrition_multiplier)
        )
        dip_weeks = calendar.weeks_of(_rate(effects.dip_months))
        if dip_weeks > 0:
            ahead = np.arange(self.weeks - week)
            fade = np.clip(1 - ahead / dip_weeks, 0, 1) * _rate(effects.productivity_dip)
            self.dip[week:] = np.maximum(self.dip[week:], fade)

    def step(self, week: int, frozen: bool) -> None:
        """Hires arrive, people leave, leavers are (maybe) backfilled."""
        hires = self.pipeline[week] * self.exists
        self.count += hires
        self.out["hires"][week] = hires
        self.out["hiring_cost"][week] = hires * self.cost_per_hire
        # survivors: the annual rate is raised, then turned into a weekly hazard
        annual = np.minimum(self.attrition * self.attrition_multiplier[week], 1.0)
        hazard = 1 - (1 - annual) ** (1 / WEEKS_PER_YEAR)
        leavers = np.array(
            [rng.binomial(n, p) for rng, n, p in zip(self.rngs, self.count, hazard, strict=True)],
            dtype=np.int64,
        )
        self.count -= leavers
        self.out["leavers"][week] = leavers
        if not frozen and self.backfill_share > 0:
            replaced = np.array(
                [
                    rng.binomial(n, self.backfill_share)
                    for rng, n in zip(self.rngs, leavers, strict=True)
                ],
                dtype=np.int64,
            )
            self.pipeline[week + self.lag_weeks] += replaced * self.exists
        self.out["headcount"][week] = self.count
        self.out["exists"][week] = self.exists

    def result(self, unit: Unit) -> UnitWorkforce:
        out = self.out
        return UnitWorkforce(
            name=unit.name,
            layers=tuple(x.name for x in self.layers),
            cost_per_head_annual=self.cost,
            review_share=np.array([_rate(x.review_share) for x in self.layers]),
            headcount=out["headcount"],
            exists=out["exists"].astype(bool),
            on_notice=out["on_notice"],
            hires=out["hires"],
            leavers=out["leavers"],
            cut=out["cut"],
            moved_in=out["moved_in"],
            severance_cash=out["severance_cash"],
            hiring_cost=out["hiring_cost"],
            productivity_dip=self.dip,
        )


def simulate_workforce(
    scenario: Scenario, calendar: Calendar, seed: np.random.SeedSequence, with_changes: bool
) -> Workforce:
    """Headcount of every unit and layer, week by week.

    ``with_changes=False`` gives the baseline twin: the same organisation on the
    same random streams, without the waves.
    """
    unit_seeds = seed.spawn(len(scenario.org.units))
    states = []
    for unit, unit_seed in zip(scenario.org.units, unit_seeds, strict=True):
        rngs = [np.random.default_rng(s) for s in unit_seed.spawn(len(unit.resolved_layers))]
        states.append(_UnitState(scenario, unit, calendar, rngs, with_changes))
    waves = scenario.restructuring.waves if with_changes else ()
    by_week: dict[int, list[Wave]] = {}
    for wave in sorted(waves, key=lambda w: w.date):
        by_week.setdefault(calendar.week_from(wave.date), []).append(wave)
    one_time = np.zeros(calendar.weeks)
    names = [u.name for u in scenario.org.units]
    for week in range(calendar.weeks):
        for wave in by_week.get(week, []):
            one_time[week] += _rate(wave.one_time_costs)
            _apply_wave(scenario, wave, week, states, names, calendar)
        for unit, state in zip(scenario.org.units, states, strict=True):
            state.step(week, with_changes and _frozen(scenario, calendar, unit.name, week))
    return Workforce(
        units=tuple(s.result(u) for s, u in zip(states, scenario.org.units, strict=True)),
        wave_one_time_cost=one_time,
    )


def _apply_wave(
    scenario: Scenario,
    wave: Wave,
    week: int,
    states: list[_UnitState],
    names: list[str],
    calendar: Calendar,
) -> None:
    restructuring = scenario.restructuring
    notice = round(
        _rate(wave.notice_weeks if wave.notice_weeks is not None else restructuring.notice_weeks)
    )
    severance = _severance_weeks(wave.severance or restructuring.severance)
    touched = set()
    for cut in wave.cuts:
        state = states[names.index(cut.unit)]
        layer = [x.name for x in state.layers].index(cut.layer)
        if cut.count is not None:
            people = round(_rate(cut.count))
        else:
            people = round(_rate(cut.share) * state.count[layer])
        state.cut_people(week, layer, people, notice, severance)
        touched.add(cut.unit)
    for removal in wave.remove_layers:
        state = states[names.index(removal.unit)]
        layer = [x.name for x in state.layers].index(removal.layer)
        state.remove_layer(week, layer, _rate(removal.moved_down_share), notice, severance)
        touched.add(removal.unit)
    for name in touched:
        states[names.index(name)].survivors_shaken(week, scenario, calendar)


def _frozen(scenario: Scenario, calendar: Calendar, unit: str, week: int) -> bool:
    for freeze in scenario.org.hiring_freezes:
        if freeze.units is not None and unit not in freeze.units:
            continue
        if calendar.week_of(freeze.start) <= week <= calendar.week_of(freeze.end):
            return True
    return False
