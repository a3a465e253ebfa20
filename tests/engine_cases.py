"""Scenarios for the engine's theory tests, and the closed forms they are checked against.

Each builder returns a validated :class:`~sim.scenario.schema.Scenario` written as YAML, so a
reader sees exactly what the engine was given. Queueing results are in weeks,
the engine's clock; rates are per week.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import numpy as np

from sim.model.calendar import WEEKS_PER_MONTH
from sim.model.replication import UnitTrajectory
from sim.scenario.load import parse_scenario
from sim.scenario.schema import Scenario

START = dt.date(2026, 1, 1)  # every scenario here starts in 2026-01
MONTHS_PER_BATCH = 12  # a year: far longer than any queue in these cases takes to forget

# ------------------------------------------------------------------ queueing theory


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival to an M/M/c queue waits (Erlang's C formula).

    ``offered_load`` is a = lambda / mu; the queue is stable for a < servers.
    """
    rho = offered_load / servers
    below = sum(offered_load**k / math.factorial(k) for k in range(servers))
    at_or_above = offered_load**servers / math.factorial(servers) / (1 - rho)
    return at_or_above / (below + at_or_above)


def mmc_wait_weeks(arrivals_per_week: float, service_per_week: float, servers: int) -> float:
    """Mean time queued before service in M/M/c: C(c, a) / (c mu - lambda)."""
    offered = arrivals_per_week / service_per_week
    return erlang_c(servers, offered) / (servers * service_per_week - arrivals_per_week)


def mmc_sojourn_weeks(arrivals_per_week: float, service_per_week: float, servers: int) -> float:
    """Mean time in an M/M/c station: queueing plus one mean service time."""
    return mmc_wait_weeks(arrivals_per_week, service_per_week, servers) + 1 / service_per_week


@dataclass(frozen=True)
class Station:
    """A station of an open Jackson network: who visits it, how many serve, how fast."""

    visit_share: float  # share of external arrivals that visit it
    servers: int
    service_per_week: float  # per server

    def utilisation(self, arrivals_per_week: float) -> float:
        return arrivals_per_week * self.visit_share / (self.servers * self.service_per_week)


def jackson_cycle_time_weeks(arrivals_per_week: float, stations: list[Station]) -> float:
    """Mean time from arrival to exit in a feed-forward Jackson network.

    By Jackson's theorem each station behaves as an independent M/M/c queue fed at
    its own rate, so the mean cycle time is the visit-weighted sum of sojourns.
    """
    return sum(
        s.visit_share
        * mmc_sojourn_weeks(arrivals_per_week * s.visit_share, s.service_per_week, s.servers)
        for s in stations
    )


# ------------------------------------------------------------------- output analysis


@dataclass(frozen=True)
class Estimate:
    """A simulation estimate with its standard error (batch means)."""

    mean: float
    se: float
    batches: int

    def relative_to(self, truth: float) -> tuple[float, float]:
        """(relative error, relative standard error) against a known value."""
        return self.mean / truth - 1, self.se / abs(truth)


def batch_means(batches: list[float] | np.ndarray) -> Estimate:
    """Mean of (near) independent batch estimates and its standard error sd / sqrt(n)."""
    values = np.asarray(batches, dtype=float)
    return Estimate(
        float(values.mean()), float(values.std(ddof=1) / math.sqrt(values.size)), values.size
    )


def year_slices(months: int, warmup_months: int) -> list[slice]:
    """Whole years after the warm-up (a trailing part-year is dropped)."""
    years = (months - warmup_months) // MONTHS_PER_BATCH
    return [
        slice(warmup_months + y * MONTHS_PER_BATCH, warmup_months + (y + 1) * MONTHS_PER_BATCH)
        for y in range(years)
    ]


def yearly_item_means(
    done: np.ndarray, monthly_mean: np.ndarray, warmup_months: int
) -> list[float]:
    """Per year after the warm-up: the mean over the items done in it (months weighted by done)."""
    return [
        float((done[s] * monthly_mean[s]).sum() / done[s].sum())
        for s in year_slices(len(done), warmup_months)
    ]


def assert_items_conserved(unit: UnitTrajectory) -> None:
    """Every item that arrived by the horizon is done, or found still in the flow.

    ``in_progress`` is entered minus done, so it cannot tell a lost item; the items
    left are counted where they are (``left_at_horizon``: queued for or with an IC,
    on their way to a reviewer, reviewed past the horizon), so a lost item breaks it.
    """
    arrived = unit.arrived.sum()
    # sampled counts are scaled by the same factor: equal up to rounding
    np.testing.assert_allclose(
        unit.done.sum() + unit.left_at_horizon, arrived, rtol=1e-9, atol=0, err_msg=unit.name
    )
    np.testing.assert_allclose(
        unit.in_progress[-1], unit.left_at_horizon, rtol=1e-9, atol=1e-9, err_msg=unit.name
    )
    accounted = np.cumsum(unit.done) + unit.in_progress  # at every month end
    np.testing.assert_allclose(accounted, np.cumsum(unit.arrived), rtol=1e-9, err_msg=unit.name)


def yearly_means(
    units: list[UnitTrajectory], series: Callable[[UnitTrajectory], np.ndarray], warmup: int
) -> Estimate:
    """Batch means over the runs' years after the warm-up of a monthly mean per item
    (``series`` of a unit: its wait, its cycle time, a level's utilisation)."""
    return batch_means(
        [year for u in units for year in yearly_item_means(u.done, series(u), warmup)]
    )


def throughput_per_week(done: np.ndarray) -> float:
    """Items done per week over a run of whole months."""
    return float(done.sum() / (done.size * WEEKS_PER_MONTH))


# ------------------------------------------------------------------------ comparing


def differences(a: Any, b: Any, path: str) -> list[str]:
    """Paths at which two results differ, walking dataclasses, tuples and dicts."""
    if type(a) is not type(b):
        return [f"{path} ({type(a).__name__} vs {type(b).__name__})"]
    if is_dataclass(a):
        return [
            d
            for f in fields(a)
            for d in differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
        ]
    if isinstance(a, np.ndarray):
        same = a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
        return [] if same else [path]
    if isinstance(a, tuple | list):
        if len(a) != len(b):
            return [f"{path} (length {len(a)} vs {len(b)})"]
        pairs = enumerate(zip(a, b, strict=True))
        return [d for i, (x, y) in pairs for d in differences(x, y, f"{path}[{i}]")]
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return [f"{path} (keys)"]
        return [d for k in a for d in differences(a[k], b[k], f"{path}[{k!r}]")]
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return []
    return [] if a == b else [path]


# ------------------------------------------------------------------------ scenarios

_FLAT_ORG = """
org:
  attrition_annual: 0          # headcount, hence capacity, stays fixed
  backfill: {share: 0}
"""


def single_team(ics: int, arrivals_per_ic_per_week: float, horizon_months: int) -> Scenario:
    """One manager and ``ics`` ICs, no sign-offs: the IC pool alone is an M/M/c queue.

    Effort is exponential with mean 6 h at 30 h a week: mu = 5 items a week per IC.
    """
    return parse_scenario(
        f"""
meta: {{name: single team, start: 2026-01, horizon_months: {horizon_months}, fidelity_items: full}}
{_FLAT_ORG}
  units:
    - name: Team
      layers:
        - {{name: Manager, headcount: 1, cost_per_head_annual: 150000}}
        - {{name: IC, headcount: {ics}, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: {arrivals_per_ic_per_week}
    effort_hours: exponential(6)
    ic_hours_per_week: 30
    signoff_shares: []
    handoff_delay_days: 0
"""
    )


def signoff_chain(
    ics: int,
    arrivals_per_ic_per_week: float,
    review_hours: float,
    manager_review_share: float,
    director_review_share: float,
    horizon_months: int,
) -> Scenario:
    """ICs, one Manager and one Director; every item is signed off by both, no hand-off delay.

    A review takes exponential(review_hours) hours at manager_hours_per_week x
    review_share hours a week: a single-server station with exponential service.
    """
    return parse_scenario(
        f"""
meta:
  name: signoff chain
  start: 2026-01
  horizon_months: {horizon_months}
  fidelity_items: full
{_FLAT_ORG}
  units:
    - name: Chain
      layers:
        - name: Director
          headcount: 1
          cost_per_head_annual: 250000
          review_share: {director_review_share}
        - name: Manager
          headcount: 1
          cost_per_head_annual: 180000
          review_share: {manager_review_share}
        - {{name: IC, headcount: {ics}, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: {arrivals_per_ic_per_week}
    effort_hours: exponential(6)
    ic_hours_per_week: 30
    manager_hours_per_week: 40
    signoff_shares: [0, 1]
    review_hours: exponential({review_hours})
    handoff_delay_days: 0
"""
    )


def desk_with_handoffs(horizon_months: int) -> Scenario:
    """Ten ICs, two Managers and a Director; half the items need one sign-off, 30% two,
    and each hand-off takes two weeks on average, so plenty of work is in progress."""
    return parse_scenario(
        f"""
meta: {{name: desk, start: 2026-01, horizon_months: {horizon_months}, fidelity_items: full}}
{_FLAT_ORG}
  units:
    - name: Desk
      layers:
        - {{name: Director, headcount: 1, cost_per_head_annual: 250000, review_share: 0.5}}
        - {{name: Manager, headcount: 2, cost_per_head_annual: 180000, review_share: 0.5}}
        - {{name: IC, headcount: 10, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: 3.5
    effort_hours: exponential(6)
    ic_hours_per_week: 30
    manager_hours_per_week: 40
    signoff_shares: [0.5, 0.3]
    review_hours: exponential(1)
    handoff_delay_days: exponential(14)
"""
    )


def large_org_without_backfill(
    headcount: int, attrition_annual: float, horizon_months: int
) -> Scenario:
    """A derived five-layer pyramid that only loses people: attrition, no backfill, no waves."""
    return parse_scenario(
        f"""
meta: {{name: shrinking, start: 2026-01, horizon_months: {horizon_months}, fidelity_items: 1000}}
org:
  attrition_annual: {attrition_annual}
  backfill: {{share: 0}}
  units:
    - name: Corporate
      pyramid: {{headcount: {headcount}, span: 8, layers: 5, ic_cost_per_head_annual: 120000}}
work:
  - arrivals_per_ic_per_week: 1.0
    effort_hours: lognormal(8, 5)
    signoff_shares: [0.5, 0.2, 0.05]
"""
    )


_OPERATIONS = """
    - name: Operations
      layers:
        - {name: Director, headcount: 12, cost_per_head_annual: 320000, review_share: 0.2}
        - {name: Senior manager, headcount: 30, cost_per_head_annual: 240000, review_share: 0.3}
        - {name: Manager, headcount: 118, cost_per_head_annual: 180000, review_share: 0.35}
        - {name: IC, headcount: 840, cost_per_head_annual: 130000}
"""

_WORK = """
work:
  - arrivals_per_ic_per_week: 2.0
    demand_growth_annual: 0.04
    seasonality: [0.95, 0.95, 1.0, 1.0, 1.0, 1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.05]
    effort_hours: lognormal(8, 5)
    signoff_shares: [0.5, 0.2, 0.05]
    review_hours: exponential(0.5)
    handoff_delay_days: exponential(1)
"""


def restructuring(horizon_months: int) -> Scenario:
    """Two units, sampled; a wave that cuts people and removes a layer, a second wave,
    an AI programme that automates items and a new role; uncertain inputs drawn per run."""
    return parse_scenario(
        f"""
meta:
  name: restructuring
  start: 2026-01
  horizon_months: {horizon_months}
  fidelity_items: 20000
org:
  attrition_annual: pert(0.08, 0.12, 0.16)
  backfill: {{share: 0.9, lag_weeks: 10}}
  units:
{_OPERATIONS}
    - name: Engineering
      pyramid: {{headcount: 1500, span: 7, layers: 4, ic_cost_per_head_annual: 150000}}
{_WORK}
restructuring:
  waves:
    - name: Delayering
      date: 2026-04-01
      remove_layers:
        - {{unit: Operations, layer: Senior manager, moved_down_share: 0.3}}
      cuts:
        - {{unit: Engineering, layer: M1, share: 0.2}}
      one_time_costs: 500000
    - name: Second wave
      date: 2026-09-15
      cuts:
        - {{unit: Engineering, layer: IC, count: 100}}
        - {{unit: Operations, layer: IC, share: 0.05}}
  survivor_effects:
    productivity_dip: pert(0.0, 0.05, 0.15)
    dip_months: 6
    attrition_multiplier: 1.3
    attrition_months: 12
ai:
  programs:
    - name: Assistant
      start: 2026-05
      one_time_cost: 400000
      running_cost: {{per_seat_per_month: 40}}
      adoption: {{ceiling: 0.7, midpoint_months: 4, steepness: 0.8}}
      effects:
        ic_productivity_uplift: pert(0.0, 0.15, 0.35)
        automation_share: 0.1
        review_time_reduction: 0.2
  new_roles:
    - name: AI engineering
      count: 5
      cost_per_head_annual: 250000
      start: 2026-04
      ramp_months: 6
"""
    )


def status_quo(horizon_months: int) -> Scenario:
    """The Operations unit as it is, sampled: attrition and backfill, no waves, no AI."""
    return parse_scenario(
        f"""
meta: {{name: status quo, start: 2026-01, horizon_months: {horizon_months}, fidelity_items: 5000}}
org:
  attrition_annual: pert(0.08, 0.12, 0.16)
  backfill: {{share: 0.9, lag_weeks: 10}}
  units:
{_OPERATIONS}
{_WORK}
"""
    )


def two_thousand_staff(horizon_months: int, fidelity_items: int | str) -> Scenario:
    """One unit of 2,000 in a five-layer pyramid, with sign-offs up to the top and hand-offs.

    Loads at the start: ICs 0.67 (0.5 items a week of 40 h at 30 h a week); reviews of
    exponential(1) h at 40 h x review_share: Managers 0.25, Senior managers 0.47,
    Directors and VPs 0.66.
    """
    return parse_scenario(
        f"""
meta:
  name: two thousand
  start: 2026-01
  horizon_months: {horizon_months}
  fidelity_items: {fidelity_items}
org:
  attrition_annual: 0.12
  backfill: {{share: 0.9, lag_weeks: 10}}
  units:
    - name: Operations
      layers:
        - {{name: VP, headcount: 4, cost_per_head_annual: 400000, review_share: 0.4}}
        - {{name: Director, headcount: 16, cost_per_head_annual: 300000, review_share: 0.3}}
        - {{name: Senior manager, headcount: 60, cost_per_head_annual: 230000, review_share: 0.3}}
        - {{name: Manager, headcount: 220, cost_per_head_annual: 180000, review_share: 0.35}}
        - {{name: IC, headcount: 1700, cost_per_head_annual: 130000}}
work:
  - arrivals_per_ic_per_week: 0.5
    effort_hours: lognormal(40, 24)
    ic_hours_per_week: 30
    signoff_shares: [0.5, 0.25, 0.1, 0.05]
    review_hours: exponential(1)
    handoff_delay_days: exponential(1)
"""
    )


def sampled_light_reviews(
    rho: float, automation_share: float, light: float, horizon_months: int
) -> Scenario:
    """Twenty senior managers over 200 managers and 2,000 ICs, sampled; the managers'
    layer removed on the first day (its sign-offs go down), so every item is signed by
    a senior: ``automation_share`` of them done by AI with a light review of ``light``
    of an exponential(1)-hour review, at 20 review hours a week. Each senior is busy
    ``rho`` of the time: an M/G/1 queue of a mix of full and light reviews. The seniors
    are above the sampled teams' first line, so their desks are topped up with
    background reviews (a first-line desk is one sampled team and has none).
    """
    mean = (1 - automation_share + automation_share * light) / 20  # weeks a review
    per_ic = rho / mean * 20 / 2000
    return parse_scenario(
        f"""
meta: {{name: light reviews, start: 2026-01, horizon_months: {horizon_months},
        fidelity_items: 3000}}
{_FLAT_ORG}
  units:
    - name: Desk
      layers:
        - {{name: Senior, headcount: 20, cost_per_head_annual: 220000, review_share: 0.5}}
        - {{name: Manager, headcount: 200, cost_per_head_annual: 180000, review_share: 0.5}}
        - {{name: IC, headcount: 2000, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: {per_ic}
    effort_hours: 0
    manager_hours_per_week: 40
    signoff_shares: [0, 1.0]
    review_hours: exponential(1)
    handoff_delay_days: 0
    automated_review_share: {light}
restructuring:
  notice_weeks: 0
  waves:
    - date: 2026-01-01
      remove_layers: [{{unit: Desk, layer: Manager, signoffs_go: down}}]
ai:
  programs:
    - name: Agent
      start: 2026-01
      running_cost: {{fixed_per_month: 0}}
      adoption: {{ceiling: 1, midpoint_months: 0, steepness: 60}}
      effects: {{automation_share: {automation_share}}}
"""
    )


def mg1_wait_weeks(arrivals_per_week: float, mean: float, second_moment: float) -> float:
    """Mean time queued in M/G/1 (Pollaczek-Khinchine): lambda E[S^2] / (2 (1 - rho))."""
    return arrivals_per_week * second_moment / (2 * (1 - arrivals_per_week * mean))


def automated_desk(
    ics: int,
    arrivals_per_ic_per_week: float,
    signoff_share: float,
    review_hours: float,
    automation_share: float,
    automated_review_share: float,
    horizon_months: int,
    handoff_delay_days: float = 0.0,
    effort_hours: float = 6.0,
) -> Scenario:
    """ICs and one Manager (half their 40 hours on reviews); an AI programme, in use by
    everyone from the first month, takes ``automation_share`` of the items end to end.

    A share ``signoff_share`` of items needs the Manager's sign-off; an automated one
    that does gets a light review of ``automated_review_share`` of exponential(review_hours).
    """
    return parse_scenario(
        f"""
meta:
  name: automated desk
  start: 2026-01
  horizon_months: {horizon_months}
  fidelity_items: full
{_FLAT_ORG}
  units:
    - name: Desk
      layers:
        - {{name: Manager, headcount: 1, cost_per_head_annual: 180000, review_share: 0.5}}
        - {{name: IC, headcount: {ics}, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: {arrivals_per_ic_per_week}
    effort_hours: exponential({effort_hours})
    ic_hours_per_week: 30
    manager_hours_per_week: 40
    signoff_shares: [{signoff_share}]
    review_hours: exponential({review_hours})
    handoff_delay_days: {handoff_delay_days}
    automated_review_share: {automated_review_share}
ai:
  programs:
    - name: Agent
      start: 2026-01
      running_cost: {{fixed_per_month: 0}}
      adoption: {{ceiling: 1, midpoint_months: 0, steepness: 60}}
      effects: {{automation_share: {automation_share}}}
"""
    )
