"""Teams that shrink and levels that grow: the work flow against closed forms at the new size.

A team with fewer ICs has fewer servers at full speed (issue 13, item 3), so after
a cut its queue is M/M/c at the new c; a fractional team size is a mix of two
whole sizes. A level's reviewers each carry exactly a real manager's load
(item 4), however many managers the level gains and however unevenly its teams
split, so each reviewer is an M/M/1 queue at ``items reaching the level /
managers``. Tolerances follow test_engine_theory.py: 5% on a queueing result,
with the run long enough that three standard errors (batch means over whole
years after a warm-up) fall below it; each test asserts that too.
"""

from __future__ import annotations

import engine_cases as cases
import numpy as np
import pytest

from sim.model.calendar import Calendar
from sim.model.replication import UnitTrajectory, run_replication
from sim.scenario.load import parse_scenario
from sim.scenario.schema import Scenario

WARMUP_MONTHS = 6
TOLERANCE = 0.05
IC_ITEMS_PER_WEEK = 5.0  # exponential(6) hours of effort at 30 hours a week
REVIEWS_PER_WEEK = 20.0  # exponential(1) hour reviews at 40 hours x review share 0.5


def teams_cut_at_the_start(
    managers: int, ics: int, cut: int, arrivals_per_ic: float, horizon_months: int, mode: str
) -> Scenario:
    """``managers`` teams sharing ``ics`` ICs, ``cut`` of them cut on the first day, no
    sign-offs: each team's IC pool is an M/M/c queue at its size after the cut."""
    return parse_scenario(
        f"""
meta: {{name: shrinking team, start: 2026-01, horizon_months: {horizon_months},
        fidelity_items: full}}
org:
  attrition_annual: 0
  backfill: {{share: 0}}
  units:
    - name: Team
      layers:
        - {{name: Manager, headcount: {managers}, cost_per_head_annual: 150000}}
        - {{name: IC, headcount: {ics}, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: {arrivals_per_ic}
    mode: {mode}
    effort_hours: exponential(6)
    ic_hours_per_week: 30
    signoff_shares: []
    handoff_delay_days: 0
restructuring:
  waves:
    - date: 2026-01-01
      cuts: [{{unit: Team, layer: IC, count: {cut}}}]
"""
    )


def yearly_waits(runs: list[UnitTrajectory]) -> cases.Estimate:
    return cases.batch_means(
        [
            year
            for unit in runs
            for year in cases.yearly_item_means(unit.done, unit.wait_mean_weeks, WARMUP_MONTHS)
        ]
    )


# --- item 3: teams that shrink, not slow ------------------------------------------------

#: M/M/3 at rho = 0.65 after five ICs are cut to three: as test_engine_theory's M/M/3,
#: 40 runs of 19 years give about 400k items (SE about 1.4%).
LONG_HORIZON = WARMUP_MONTHS + 19 * cases.MONTHS_PER_BATCH
CUT_RUNS = 40
RHO_AFTER = 0.65


@pytest.mark.slow
def test_a_team_cut_from_five_to_three_waits_as_erlang_c_says_for_three() -> None:
    arrivals = RHO_AFTER * IC_ITEMS_PER_WEEK * 3  # 9.75 a week, set by the 5 starting ICs
    scenario = teams_cut_at_the_start(1, 5, 2, arrivals / 5, LONG_HORIZON, "demand")
    runs = [run_replication(scenario, seed).scenario.units[0] for seed in range(CUT_RUNS)]
    wait = yearly_waits(runs)
    theory = cases.mmc_wait_weeks(arrivals, IC_ITEMS_PER_WEEK, 3)
    slowed = cases.mmc_wait_weeks(arrivals, IC_ITEMS_PER_WEEK * 3 / 5, 5)  # the old engine
    error, se = wait.relative_to(theory)
    # measured: 0.0794 weeks against Erlang C's 0.0802 (-1.1%, SE 1.4%); five servers at
    # 3/5 speed (the engine before) would wait 0.0576 weeks (-28%)
    assert abs(slowed / theory - 1) > 4 * TOLERANCE
    assert 3 * se < TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= TOLERANCE, (
        f"mean wait {wait.mean:.4f} weeks vs Erlang C at c=3 {theory:.4f} ({error:+.1%})"
    )


#: the mix's relative variance per item is higher than M/M/3's: 20 runs measured an SE
#: of 1.81%, so 3 SE < 5% needs 20 x (1.81 / 1.667)^2 = 24 runs; 26 give about 1.6%
MIX_RUNS = 26


@pytest.mark.slow
def test_teams_of_three_and_a_half_are_a_mix_of_three_and_four_at_full_speed() -> None:
    # two teams of five cut to seven ICs: one team of four, one of three, each with
    # half the arrivals; the mean wait is the mean of M/M/4's and M/M/3's
    per_team = RHO_AFTER * IC_ITEMS_PER_WEEK * 3
    scenario = teams_cut_at_the_start(2, 10, 3, 2 * per_team / 10, LONG_HORIZON, "demand")
    runs = [run_replication(scenario, seed).scenario.units[0] for seed in range(MIX_RUNS)]
    wait = yearly_waits(runs)
    theory = 0.5 * (
        cases.mmc_wait_weeks(per_team, IC_ITEMS_PER_WEEK, 4)
        + cases.mmc_wait_weeks(per_team, IC_ITEMS_PER_WEEK, 3)
    )
    error, se = wait.relative_to(theory)
    # measured: 0.0482 weeks against the mix's 0.0480 (+0.4%, SE 1.6%); five servers at
    # 7/10 speed (the engine before) would wait 0.0241 weeks
    assert 3 * se < TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= TOLERANCE, (
        f"mean wait {wait.mean:.4f} weeks vs the 3/4 mix {theory:.4f} ({error:+.1%})"
    )


def test_in_backlog_mode_a_cut_team_has_as_many_ics_working_as_are_left() -> None:
    # ten teams of five cut to 35 ICs (teams of four and three): each IC works all
    # the time, so work done is 35 x 30 h / 6 h a week, and the ICs' utilisation is
    # exactly 1: workers beyond the new size leave, none are left over
    scenario = teams_cut_at_the_start(10, 50, 15, 1.0, 24, "backlog")
    unit = run_replication(scenario, 1).scenario.units[0]
    weeks = Calendar(cases.START, 24).weeks_in_month
    per_week = unit.done[1:] / weeks[1:]
    expected = 35 * IC_ITEMS_PER_WEEK
    se = np.sqrt(unit.done[1:].sum()) / weeks[1:].sum()  # renewal counts: about Poisson
    assert abs(per_week.mean() - expected) < 3 * se + 1e-9, (per_week.mean(), expected)
    np.testing.assert_allclose(unit.utilisation[1:, 0], 1.0, atol=0.03)


# --- item 4: reviewers' load exact -------------------------------------------------------


def reviewed_unit(
    layers: str, signoff_shares: str, arrivals_per_ic: float, horizon_months: int, waves: str = ""
) -> Scenario:
    """ICs with no effort (their stage never queues): the wait is the reviewers' alone."""
    return parse_scenario(
        f"""
meta: {{name: reviewers, start: 2026-01, horizon_months: {horizon_months},
        fidelity_items: full}}
org:
  attrition_annual: 0
  backfill: {{share: 0}}
  units:
    - name: Desk
      layers:
{layers}
work:
  - arrivals_per_ic_per_week: {arrivals_per_ic}
    effort_hours: 0
    manager_hours_per_week: 40
    signoff_shares: {signoff_shares}
    review_hours: exponential(1)
    handoff_delay_days: 0
{waves}
"""
    )


#: four managers gain the two seniors moved down: six reviewers at 12 items a week each
GAIN_LAYERS = """\
        - {name: Director, headcount: 1, cost_per_head_annual: 300000, review_share: 0.5}
        - {name: Senior, headcount: 2, cost_per_head_annual: 220000, review_share: 0.5}
        - {name: Manager, headcount: 4, cost_per_head_annual: 180000, review_share: 0.5}
        - {name: IC, headcount: 40, cost_per_head_annual: 100000}"""
GAIN_WAVE = """\
restructuring:
  waves:
    - date: 2026-01-01
      remove_layers: [{unit: Desk, layer: Senior, moved_down_share: 1.0}]"""
GAIN_ARRIVALS_PER_IC = 6 * 0.6 * REVIEWS_PER_WEEK / 40  # rho = 0.6 at each of six managers


def test_a_level_that_gains_managers_gains_reviewers_each_at_a_managers_load() -> None:
    scenario = reviewed_unit(GAIN_LAYERS, "[1.0]", GAIN_ARRIVALS_PER_IC, 12, GAIN_WAVE)
    rep = run_replication(scenario, 2)
    unit = rep.scenario.units[0]
    assert unit.headcount_end[-1].tolist() == [1, 0, 6, 40]
    # per manager: 72 items a week / 6 managers x 1 hour / 20 review hours = 0.6; the
    # level's busy time over its six reviewers' time, about 10,000 reviews in the year
    utilisation = float((unit.utilisation[:, 1] * unit.done).sum() / unit.done.sum())
    se = 0.6 / np.sqrt(unit.done.sum())  # exponential reviews: CV 1
    assert abs(utilisation - 0.6) < 4 * se, utilisation


#: M/M/1 at rho = 0.6: six runs of eight years measured an SE of 1.19%
GAIN_HORIZON = WARMUP_MONTHS + 8 * cases.MONTHS_PER_BATCH
GAIN_RUNS = 6
#: M/M/1 at 0.7 behind the first line: six runs measured an SE of 1.88%, so 3 SE < 5%
#: needs 6 x (1.88 / 1.667)^2 = 7.6 runs; 9 give about 1.55%
UNEVEN_RUNS = 9


@pytest.mark.slow
def test_a_level_that_gains_managers_waits_as_m_m_1_at_a_managers_load() -> None:
    scenario = reviewed_unit(GAIN_LAYERS, "[1.0]", GAIN_ARRIVALS_PER_IC, GAIN_HORIZON, GAIN_WAVE)
    runs = [run_replication(scenario, seed).scenario.units[0] for seed in range(GAIN_RUNS)]
    wait = yearly_waits(runs)
    per_manager = GAIN_ARRIVALS_PER_IC * 40 / 6
    theory = cases.mmc_wait_weeks(per_manager, REVIEWS_PER_WEEK, 1)
    # measured: 0.0753 weeks against M/M/1's 0.0750 (+0.4%, SE 1.2%); the engine before
    # kept four reviewers 1.5 times as fast: 0.6 / (30 - 18) = 0.05 weeks (-33%)
    error, se = wait.relative_to(theory)
    assert 3 * se < TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= TOLERANCE, f"wait {wait.mean:.4f} vs M/M/1 {theory:.4f} ({error:+.1%})"


#: thirty teams under four senior managers: 7.5 teams each, so a split of whole teams
#: would be 8, 7, 8, 7 and load two of them 7% above a real senior manager
UNEVEN_LAYERS = """\
        - {name: Senior, headcount: 4, cost_per_head_annual: 220000, review_share: 0.5}
        - {name: Manager, headcount: 30, cost_per_head_annual: 180000, review_share: 0.5}
        - {name: IC, headcount: 300, cost_per_head_annual: 100000}"""
UNEVEN_ARRIVALS_PER_IC = 4 * 0.7 * REVIEWS_PER_WEEK / 300  # rho = 0.7 at each senior


@pytest.mark.slow
def test_teams_split_unevenly_among_managers_still_give_each_a_managers_load() -> None:
    scenario = reviewed_unit(UNEVEN_LAYERS, "[0.0, 1.0]", UNEVEN_ARRIVALS_PER_IC, GAIN_HORIZON)
    runs = [run_replication(scenario, seed).scenario.units[0] for seed in range(UNEVEN_RUNS)]
    wait = yearly_waits(runs)
    arrivals = UNEVEN_ARRIVALS_PER_IC * 300
    theory = cases.mmc_wait_weeks(arrivals / 30, REVIEWS_PER_WEEK, 1) + cases.mmc_wait_weeks(
        arrivals / 4, REVIEWS_PER_WEEK, 1
    )
    error, se = wait.relative_to(theory)
    # measured: 0.1217 weeks against 0.1218 (-0.1%, SE 1.5%)
    assert 3 * se < TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= TOLERANCE, f"wait {wait.mean:.4f} vs Jackson {theory:.4f} ({error:+.1%})"


def test_at_full_fidelity_there_are_no_background_reviews() -> None:
    scenario = reviewed_unit(UNEVEN_LAYERS, "[0.0, 1.0]", UNEVEN_ARRIVALS_PER_IC, 6)
    rep = run_replication(scenario, 1)
    for run in (rep.scenario, rep.baseline):
        assert run.units[0].background_reviews == 0
        assert run.units[0].done.sum() > 0


def managers_cut_from_an_overloaded_level(horizon_months: int) -> Scenario:
    """Six managers at 1.25 times their review time (a queue builds), five of them cut
    on 1 April with no notice: one manager is left to review."""
    return parse_scenario(
        f"""
meta: {{name: cut reviewers, start: 2026-01, horizon_months: {horizon_months},
        fidelity_items: full}}
org:
  attrition_annual: 0
  backfill: {{share: 0}}
  units:
    - name: Desk
      layers:
        - {{name: Manager, headcount: 6, cost_per_head_annual: 180000, review_share: 0.5}}
        - {{name: IC, headcount: 60, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: 2.5
    effort_hours: 0
    manager_hours_per_week: 40
    signoff_shares: [1.0]
    review_hours: 1
    handoff_delay_days: 0
restructuring:
  notice_weeks: 0
  waves:
    - date: 2026-04-01
      cuts: [{{unit: Desk, layer: Manager, count: 5}}]
"""
    )


def test_managers_cut_stop_reviewing_and_the_level_reviews_no_faster_than_those_left() -> None:
    # 150 items a week against six managers' 120 (1-hour reviews, 20 hours a week each):
    # by April each has weeks of reviews queued. A manager cut is gone, so from the cut
    # on the level reviews at most one manager's 20 an hour-week, whatever was queued.
    rep = run_replication(managers_cut_from_an_overloaded_level(8), 1)
    unit = rep.scenario.units[0]
    assert unit.headcount_end[2].tolist() == [6, 60] and unit.headcount_end[3].tolist() == [1, 60]
    # busy is counted in the month a review starts, so a desk's month can exceed its
    # time by one review started at the month's end: 1/20 week over at least 4 weeks
    bound = 1 + (1 / 20) / 4
    utilisation = unit.utilisation[:, 1]
    assert np.all(utilisation[np.isfinite(utilisation)] <= bound), np.round(utilisation, 2)
    # and the one left is never idle (the cut managers' queues are handed to them): an
    # overloaded single server is busy all the time and finishes 20 reviews a week. From
    # May: the week of the cut starts on 2 April, so April has a day of six managers
    after = slice(4, None)
    assert np.all(utilisation[after] >= 2 - bound), np.round(utilisation, 4)
    weeks = Calendar(cases.START, len(unit.done)).weeks_in_month[after]
    assert np.all(np.abs(unit.done[after] - 20 * weeks) <= 1), (unit.done[after], 20 * weeks)
    cases.assert_items_conserved(unit)  # nothing lost or counted twice in the hand-over


#: six managers at rho = 0.35, three of them cut on 1 February: M/M/1 at 0.7 at each of
#: the three left (exponential 1-hour reviews, 20 review hours a week)
CUT_LAYERS = """\
        - {name: Manager, headcount: 6, cost_per_head_annual: 180000, review_share: 0.5}
        - {name: IC, headcount: 60, cost_per_head_annual: 100000}"""
CUT_WAVE = """\
restructuring:
  notice_weeks: 0
  waves:
    - date: 2026-02-01
      cuts: [{unit: Desk, layer: Manager, count: 3}]"""
RHO_LEFT = 0.7
CUT_ARRIVALS_PER_IC = 3 * RHO_LEFT * REVIEWS_PER_WEEK / 60
#: M/M/1 at rho = 0.7 at three desks: twelve runs of eight years measured an SE of
#: 1.64% of the wait (3 SE 4.9%, too close to 5%); sixteen give about 1.4%
RUNS_LEFT = 16


@pytest.mark.slow
def test_after_a_cut_the_managers_left_wait_as_m_m_1_at_their_load() -> None:
    scenario = reviewed_unit(CUT_LAYERS, "[1.0]", CUT_ARRIVALS_PER_IC, GAIN_HORIZON, CUT_WAVE)
    runs = [run_replication(scenario, seed).scenario.units[0] for seed in range(RUNS_LEFT)]
    assert runs[0].headcount_end[-1].tolist() == [3, 60]
    wait = yearly_waits(runs)
    theory = cases.mmc_wait_weeks(CUT_ARRIVALS_PER_IC * 60 / 3, REVIEWS_PER_WEEK, 1)
    error, se = wait.relative_to(theory)
    # measured (twelve runs): 0.1163 weeks against M/M/1's 0.1167 (-0.3%, SE 1.6%)
    assert 3 * se < TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= TOLERANCE, f"wait {wait.mean:.4f} vs M/M/1 {theory:.4f} ({error:+.1%})"
    # each desk left is busy rho of its time: the level's utilisation over its 3 desks
    # (measured, twelve runs: 0.7039, SE 0.0021)
    busy = cases.yearly_means(runs, lambda unit: unit.utilisation[:, 1], WARMUP_MONTHS)
    assert abs(busy.mean - RHO_LEFT) <= 3 * busy.se + 1e-3, (busy.mean, busy.se)
    for unit in runs:
        cases.assert_items_conserved(unit)
