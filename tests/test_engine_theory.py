"""The engine against theory: queueing formulas, Little's law, attrition, conservation.

Every statistical test states where its tolerance comes from. The tolerance is
the issue's (5% for queueing results, 3% for Little's law, 2% for headcount);
the run length is then chosen so that three standard errors of the estimate
fall below it, and each test asserts that as well as the estimate, so that a
run too short to decide cannot pass by luck. Standard errors come from batch
means: whole years after a six-month warm-up, pooled over independent
replications. A year is far longer than any queue here takes to forget its
state (the slowest, M/M/1 at rho = 0.72, relaxes in about
1 / (mu (1 - sqrt(rho))^2) = 2.5 weeks), so years are close to independent.

Figures measured when the file was written are quoted in comments; seeds are
fixed, so the runs are reproducible.
"""

from __future__ import annotations

import math

import engine_cases as cases
import numpy as np
import pytest

from sim.model.calendar import WEEKS_PER_YEAR, Calendar
from sim.model.replication import Replication, UnitTrajectory, run_replication

#: long runs against closed forms: seconds each
pytestmark = pytest.mark.slow

WARMUP_MONTHS = 6
LONG_HORIZON = WARMUP_MONTHS + 19 * cases.MONTHS_PER_BATCH  # 234 months: 19 whole years
IC_ITEMS_PER_WEEK = 5.0  # exponential(6) hours of effort at 30 hours a week

# ------------------------------------------------------------------------- M/M/c

#: M/M/3 at rho = 0.65. The relative variance of the mean wait per simulated item
#: was measured at about 76-85 (yearly batches, 20 and 36 runs), so 3 SE < 5% needs
#: 85 / (0.05 / 3)^2 = 310k items; 40 runs of 9,900 items give 400k (SE about 1.4%).
#: c = 5 at rho = 0.8 would need about 900k items (variance per item about 250):
#: more than this file's whole time budget.
MMC_SERVERS = 3
MMC_RHO = 0.65
MMC_RUNS = 40
MMC_TOLERANCE = 0.05


@pytest.fixture(scope="module")
def single_team_runs() -> list[UnitTrajectory]:
    scenario = cases.single_team(MMC_SERVERS, MMC_RHO * IC_ITEMS_PER_WEEK, LONG_HORIZON)
    return [run_replication(scenario, seed).scenario.units[0] for seed in range(MMC_RUNS)]


def test_a_team_without_signoffs_waits_as_long_as_erlang_c_says(single_team_runs):
    arrivals_per_week = MMC_RHO * IC_ITEMS_PER_WEEK * MMC_SERVERS
    theory = cases.mmc_wait_weeks(arrivals_per_week, IC_ITEMS_PER_WEEK, MMC_SERVERS)
    wait = cases.batch_means(
        [
            year
            for unit in single_team_runs
            for year in cases.yearly_item_means(unit.done, unit.wait_mean_weeks, WARMUP_MONTHS)
        ]
    )
    error, se = wait.relative_to(theory)
    # measured: 0.0785 weeks against Erlang C's 0.0802 (-2.1%), SE 1.4%
    assert 3 * se < MMC_TOLERANCE, f"run too short: 3 SE = {3 * se:.1%} of the mean wait"
    assert abs(error) <= MMC_TOLERANCE, (
        f"mean wait {wait.mean:.4f} weeks vs Erlang C {theory:.4f} ({error:+.1%}, SE {se:.1%})"
    )


@pytest.mark.parametrize("weeks_in_month", [4, 5])
def test_the_ic_pool_is_busy_for_the_offered_share_of_its_time(single_team_runs, weeks_in_month):
    # Utilisation is a reported headline, held to the same 5% as the waits, in
    # months of four and of five whole weeks alike: capacity measured in whole
    # weeks but busy time in calendar months would put them 9% high and 13% low.
    # Busy time has a small variance (hundreds of services a month), so the same
    # runs decide it with a wide margin.
    weeks = np.bincount(Calendar(cases.START, LONG_HORIZON).month_of_week)
    utilisation = cases.batch_means(
        [
            float(unit.utilisation[s, 0][weeks[s] == weeks_in_month].mean())
            for unit in single_team_runs
            for s in cases.year_slices(LONG_HORIZON, WARMUP_MONTHS)
        ]
    )
    error, se = utilisation.relative_to(MMC_RHO)
    # measured: 0.6491 (4-week months) and 0.6500 (5-week months), SE 0.2%
    assert 3 * se < MMC_TOLERANCE
    assert abs(error) <= MMC_TOLERANCE, f"IC utilisation {utilisation.mean:.4f} vs {MMC_RHO}"


#: how close the reported standard error of a month's mean cycle time must be to the truth
SE_ACCURACY = 0.10


def test_the_reported_cycle_time_error_matches_the_spread_of_monthly_means(single_team_runs):
    # In steady state every month's mean cycle time is a draw from the same
    # sampling distribution, so the spread of the monthly means across months and
    # runs is the true standard error that cycle_time_se_weeks reports. Its ratio
    # to the reported error should be 1; the per-run ratios give its SE. (This is
    # no tolerance of the issue's: the claim tested is that the reported error is
    # the error, within 3 SE of the ratio.)
    ratios = []
    for unit in single_team_runs:
        months = slice(WARMUP_MONTHS, None)
        spread = unit.cycle_time_mean_weeks[months].std(ddof=1)
        reported = math.sqrt(np.mean(unit.cycle_time_se_weeks[months] ** 2))
        ratios.append(spread / reported)
    ratio = cases.batch_means(ratios)
    # measured: 1.048, SE 0.007 (std / sqrt(n) alone gave 3.01). The reported error
    # sums the run's autocorrelations over Geyer's initial positive sequence, which
    # drops the small positive tail and so reads a few percent low: the claim tested
    # is that the reported error is the error to within 10%.
    assert 3 * ratio.se < SE_ACCURACY
    assert abs(ratio.mean - 1) <= SE_ACCURACY, (
        f"monthly means spread {ratio.mean:.2f} x the reported standard error"
    )


# ---------------------------------------------------------------- Jackson network

#: ICs M/M/4 at 0.65, one Manager M/M/1 at 0.65, one Director M/M/1 at 0.72.
#: Relative variance of the mean cycle time per item measured at 8-12, so
#: 3 SE < 5% needs 12 / (0.05 / 3)^2 = 43k items: 5 runs of 13k give 66k (SE 1.35%).
CHAIN_ICS = 4
CHAIN_RHO_IC = 0.65
CHAIN_REVIEW_HOURS = 1.0
MANAGER_HOURS_PER_WEEK = 40.0  # as cases.signoff_chain writes it
CHAIN_REVIEW_SHARES = {"Manager": 0.5, "Director": 0.45}
CHAIN_RUNS = 5
JACKSON_TOLERANCE = 0.05


def test_a_chain_of_signoffs_takes_the_jackson_network_cycle_time():
    scenario = cases.signoff_chain(
        CHAIN_ICS,
        CHAIN_RHO_IC * IC_ITEMS_PER_WEEK,
        CHAIN_REVIEW_HOURS,
        CHAIN_REVIEW_SHARES["Manager"],
        CHAIN_REVIEW_SHARES["Director"],
        LONG_HORIZON,
    )
    arrivals_per_week = CHAIN_RHO_IC * IC_ITEMS_PER_WEEK * CHAIN_ICS
    # a review takes review_hours of the manager's manager_hours x review_share a week
    stations = [cases.Station(1.0, CHAIN_ICS, IC_ITEMS_PER_WEEK)] + [
        cases.Station(1.0, 1, MANAGER_HOURS_PER_WEEK * share / CHAIN_REVIEW_HOURS)
        for share in CHAIN_REVIEW_SHARES.values()  # signoff_shares [0, 1]: all visit both
    ]
    assert all(0.6 <= s.utilisation(arrivals_per_week) <= 0.8 for s in stations)
    theory = cases.jackson_cycle_time_weeks(arrivals_per_week, stations)

    units = [run_replication(scenario, seed).scenario.units[0] for seed in range(CHAIN_RUNS)]
    cycle = cases.batch_means(
        [
            year
            for u in units
            for year in cases.yearly_item_means(u.done, u.cycle_time_mean_weeks, WARMUP_MONTHS)
        ]
    )
    error, se = cycle.relative_to(theory)
    # measured: 0.5955 weeks against 0.5935 (+0.3%), SE 1.35%
    assert 3 * se < JACKSON_TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= JACKSON_TOLERANCE, (
        f"mean cycle time {cycle.mean:.4f} weeks vs Jackson {theory:.4f} ({error:+.1%})"
    )


# ---------------------------------------------------------------- automation

#: Every item automated: an item needing sign-off (60%) goes straight to the Manager
#: for a light review of a quarter of exponential(4) hours, at 20 review hours a week
#: (mu = 20 a week); the rest are done on arrival. So the Manager is an M/M/1 queue
#: fed at 0.6 x 20 = 12 a week (rho = 0.6) and the mean cycle time is
#: 0.6 / (mu - 12) = 0.075 weeks. (Before the fix every automated item took a full
#: review: rho = 4, a queue without bound.) 12 reviews a week over 19 years, 5 runs.
AUTOMATED_SIGNOFF = 0.6
AUTOMATED_REVIEW_HOURS = 4.0
LIGHT_REVIEW = 0.25
AUTOMATED_RUNS = 5


def test_automated_items_take_one_light_review_as_an_mm1_queue():
    ics, per_ic = 10, 2.0
    scenario = cases.automated_desk(
        ics, per_ic, AUTOMATED_SIGNOFF, AUTOMATED_REVIEW_HOURS, 1.0, LIGHT_REVIEW, LONG_HORIZON
    )
    arrivals = ics * per_ic
    mu = MANAGER_HOURS_PER_WEEK * 0.5 / (LIGHT_REVIEW * AUTOMATED_REVIEW_HOURS)
    reviews = arrivals * AUTOMATED_SIGNOFF
    theory = AUTOMATED_SIGNOFF * cases.mmc_sojourn_weeks(reviews, mu, 1)
    units = [run_replication(scenario, seed).scenario.units[0] for seed in range(AUTOMATED_RUNS)]
    cycle = cases.batch_means(
        [
            year
            for u in units
            for year in cases.yearly_item_means(u.done, u.cycle_time_mean_weeks, WARMUP_MONTHS)
        ]
    )
    error, se = cycle.relative_to(theory)
    # measured: 0.0745 weeks against 0.075 (-0.6%), SE 1.6%
    assert 3 * se < JACKSON_TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= JACKSON_TOLERANCE, (
        f"mean cycle time {cycle.mean:.4f} weeks vs M/M/1 {theory:.4f} ({error:+.1%})"
    )
    # the Manager is busy for the light reviews' share of their review time
    utilisation = cases.batch_means(
        [
            float(u.utilisation[s, 1].mean())
            for u in units
            for s in cases.year_slices(LONG_HORIZON, WARMUP_MONTHS)
        ]
    )
    error, se = utilisation.relative_to(reviews / mu)
    # measured: 0.601 against 0.6 (+0.2%), SE 0.6%
    assert 3 * se < JACKSON_TOLERANCE
    assert abs(error) <= JACKSON_TOLERANCE, f"Manager utilisation {utilisation.mean:.4f}"


#: Background reviews at sampled fidelity where AI-done items take light reviews: a
#: senior at rho = 0.6, 90% of items automated with a light review of a tenth. The
#: background used to be full reviews only, of the same load: the right mean and
#: utilisation but too wide a spread, so the wait read +37% (SE 5%) against M/G/1's.
#: The band is 10%, which the old draw misses by far; twenty runs of three years (60
#: yearly batches) measured an SE of about 3% for the fix, so 3 SE fall inside it.
LIGHT_RHO = 0.6
LIGHT_AUTOMATION = 0.9
LIGHT_SHARE = 0.1
LIGHT_HORIZON = WARMUP_MONTHS + 3 * cases.MONTHS_PER_BATCH
LIGHT_RUNS = 20
LIGHT_TOLERANCE = 0.10


def test_sampled_background_reviews_are_full_and_light_in_the_levels_mix():
    scenario = cases.sampled_light_reviews(LIGHT_RHO, LIGHT_AUTOMATION, LIGHT_SHARE, LIGHT_HORIZON)
    units = [run_replication(scenario, seed).scenario.units[0] for seed in range(LIGHT_RUNS)]
    assert units[0].background_reviews > 0  # the seniors' desks are topped up
    full = 1 / 20  # weeks: an exponential(1)-hour review at 20 review hours a week
    p_full = 1 - LIGHT_AUTOMATION
    mean = p_full * full + LIGHT_AUTOMATION * LIGHT_SHARE * full
    second = 2 * (p_full * full**2 + LIGHT_AUTOMATION * (LIGHT_SHARE * full) ** 2)
    theory = cases.mg1_wait_weeks(LIGHT_RHO / mean, mean, second)
    wait = cases.yearly_means(units, lambda u: u.wait_mean_weeks, WARMUP_MONTHS)
    error, se = wait.relative_to(theory)
    assert 3 * se < LIGHT_TOLERANCE, f"run too short: 3 SE = {3 * se:.1%}"
    assert abs(error) <= LIGHT_TOLERANCE, (
        f"wait {wait.mean:.4f} weeks vs M/G/1 {theory:.4f} ({error:+.1%}, SE {se:.1%})"
    )
    # the mean load was right before and is still: each senior (level 2; the managers
    # removed) busy rho of the time
    busy = cases.yearly_means(units, lambda u: u.utilisation[:, 2], WARMUP_MONTHS)
    assert abs(busy.mean - LIGHT_RHO) <= 3 * busy.se + 1e-3, (busy.mean, busy.se)


# ------------------------------------------------------------------- Little's law

#: A desk of 10 ICs with mixed sign-offs and two-week hand-offs: about 90 items in
#: progress. The Little ratio of one year varied with sd 0.9-2.5% (seeds 0-3), so
#: 19 years give SE at most 0.6% and 3 SE < 1.8%, inside 3%.
LITTLE_TOLERANCE = 0.03


def test_work_in_progress_is_throughput_times_cycle_time():
    unit = run_replication(cases.desk_with_handoffs(LONG_HORIZON), seed=3).scenario.units[0]
    ratios = []
    for s in cases.year_slices(LONG_HORIZON, WARMUP_MONTHS):
        wip = unit.in_progress[s].mean()  # month-end counts sample the time average
        throughput = cases.throughput_per_week(unit.done[s])
        cycle = (unit.done[s] * unit.cycle_time_mean_weeks[s]).sum() / unit.done[s].sum()
        ratios.append(wip / (throughput * cycle) - 1)
    little = cases.batch_means(ratios)
    # measured: about 92 items in progress; ratio - 1 = +0.09%, SE 0.2%
    assert 3 * little.se < LITTLE_TOLERANCE, f"run too short: 3 SE = {3 * little.se:.1%}"
    assert abs(little.mean) <= LITTLE_TOLERANCE, (
        f"WIP / (throughput x cycle time) - 1 = {little.mean:+.2%} (SE {little.se:.2%})"
    )


# ---------------------------------------------------------------------- attrition

ORG_SIZE = 200_000
ATTRITION = 0.12
ATTRITION_MONTHS = 36
HEADCOUNT_TOLERANCE = 0.02


@pytest.fixture(scope="module")
def shrinking_org() -> Replication:
    scenario = cases.large_org_without_backfill(ORG_SIZE, ATTRITION, ATTRITION_MONTHS)
    return run_replication(scenario, seed=4)


def _month_end_weeks(scenario_months: int) -> np.ndarray:
    """Whole weeks simulated by the end of each month (the month holding the week's midpoint)."""
    month_of_week = Calendar(cases.START, scenario_months).month_of_week
    return np.array([np.flatnonzero(month_of_week == m)[-1] + 1 for m in range(scenario_months)])


def test_headcount_decays_at_the_attrition_rate_without_backfill(shrinking_org):
    # Each person leaves independently, so headcount at t is Binomial(N, s) with
    # s = (1 - a)^(t / 12): SE = sqrt(N s (1 - s)), at most 0.11% of N s here, so
    # 3 SE is far below the 2% tolerance. A month ends on a whole week, within half
    # a week of t, which moves s by at most 0.13%: inside the tolerance too.
    months = np.arange(1, ATTRITION_MONTHS + 1)
    survival = (1 - ATTRITION) ** (months / 12)
    expected = ORG_SIZE * survival
    se = np.sqrt(ORG_SIZE * survival * (1 - survival))
    assert np.all(3 * se < HEADCOUNT_TOLERANCE * expected)
    for run in (shrinking_org.scenario, shrinking_org.baseline):
        headcount = sum(u.headcount_end.sum(axis=1) for u in run.units)
        error = headcount / expected - 1
        worst = int(np.argmax(np.abs(error)))
        assert np.all(np.abs(error) <= HEADCOUNT_TOLERANCE), (
            f"month {worst + 1}: {headcount[worst]:,.0f} vs {expected[worst]:,.0f}"
        )


def test_attrition_compounds_weekly_to_the_annual_rate(shrinking_org):
    # Tighter than the 2%: with the exact number of weeks w simulated by
    # each month end, headcount is Binomial(N, (1 - a)^(w / weeks a year)), so it
    # must sit within 4 binomial SE every month (a band a correct engine leaves in
    # under 1 run in 500 over 36 months). This catches a hazard converted wrongly
    # (e.g. a / 52 a week) that the 2% band would let through for a year or more.
    survival = (1 - ATTRITION) ** (_month_end_weeks(ATTRITION_MONTHS) / WEEKS_PER_YEAR)
    expected = ORG_SIZE * survival
    se = np.sqrt(ORG_SIZE * survival * (1 - survival))
    headcount = sum(u.headcount_end.sum(axis=1) for u in shrinking_org.scenario.units)
    z = (headcount - expected) / se
    # measured: largest |z| over the 36 months 1.4
    assert np.all(np.abs(z) <= 4), f"largest |z| = {np.abs(z).max():.1f}"


# ------------------------------------------------------------------- conservation


@pytest.fixture(scope="module")
def restructuring_run() -> Replication:
    return run_replication(cases.restructuring(horizon_months=24), seed=5)


def test_every_item_that_arrived_is_done_or_still_in_progress(restructuring_run):
    scenario, baseline = restructuring_run.scenario, restructuring_run.baseline
    # not a vacuous check: people are cut, AI automates, teams are sampled
    assert sum(u.cut.sum() for u in scenario.units) > 0
    assert max(u.ai_automation_share.max() for u in scenario.units) > 0
    assert all(u.sampled_teams < u.headcount[0, -2] for u in scenario.units)
    for run in (scenario, baseline):
        for unit in run.units:
            assert unit.left_at_horizon > 0, unit.name  # items are under way at the end
            cases.assert_items_conserved(unit)


def test_the_conservation_check_finds_an_item_the_engine_loses(monkeypatch):
    # an engine that forgets one item done (records nothing of it) must fail the check
    from sim.model.itemflow import ItemFlow

    finish = ItemFlow._finish
    lost: set[int] = set()  # the models (scenario and twin) that lost their item

    def forgets_one(self, item, t):
        if id(self) not in lost and t > 4:
            lost.add(id(self))
            return
        finish(self, item, t)

    monkeypatch.setattr(ItemFlow, "_finish", forgets_one)
    replication = run_replication(cases.status_quo(horizon_months=3), seed=6)
    assert lost
    for run in (replication.scenario, replication.baseline):
        with pytest.raises(AssertionError):
            cases.assert_items_conserved(run.units[0])


# -------------------------------------------------------------------- the twin


def test_a_scenario_without_waves_or_ai_is_its_own_baseline_twin():
    replication = run_replication(cases.status_quo(horizon_months=12), seed=6)
    assert cases.differences(replication.scenario, replication.baseline, "trajectory") == []


# --------------------------------------------------------------------- sampling

#: 2,000 staff, 18 months: full fidelity simulates about 70k items a run, the
#: sampled run about 20k through about 60 of the 220 teams. With the cycle-time
#: error reported honestly (items in a queue are correlated), 12 months and 10k
#: sampled items gave 3 SE of 5.3% of the mean: too coarse to tell a 5% difference.
FIDELITY_MONTHS = 18
SAMPLED_ITEMS = 20_000
SAMPLING_TOLERANCE = 0.05  # the sampled run must be able to tell a 5% difference


def _over_horizon(unit: UnitTrajectory) -> tuple[float, float, float, float]:
    """Items done after the warm-up and their mean cycle time, each with its reported SE.

    Months are independent samples, so their variances add: the total's SE is the
    root sum of done_se^2, the mean's the root sum of (w_m se_m)^2 with w_m the
    month's share of the items.
    """
    months = slice(WARMUP_MONTHS, None)
    done = unit.done[months]
    weights = done / done.sum()
    return (
        float(done.sum()),
        math.sqrt(float((unit.done_se[months] ** 2).sum())),
        float((weights * unit.cycle_time_mean_weeks[months]).sum()),
        math.sqrt(float(((weights * unit.cycle_time_se_weeks[months]) ** 2).sum())),
    )


def test_sampled_teams_agree_with_full_fidelity_within_the_reported_error():
    scenario = cases.two_thousand_staff(FIDELITY_MONTHS, "full")
    full = run_replication(scenario, seed=1).scenario.units[0]
    sampled = run_replication(scenario, seed=1, fidelity_items=SAMPLED_ITEMS).scenario.units[0]
    first_line = full.sampled_teams  # full fidelity: every first-line manager's team
    assert sampled.sampled_teams < first_line, "no sampling happened"

    done_f, done_se_f, cycle_f, cycle_se_f = _over_horizon(full)
    done_s, done_se_s, cycle_s, cycle_se_s = _over_horizon(sampled)
    done_se = math.hypot(done_se_f, done_se_s)  # independent runs: variances add
    cycle_se = math.hypot(cycle_se_f, cycle_se_s)
    assert 3 * done_se < SAMPLING_TOLERANCE * done_f
    assert 3 * cycle_se < SAMPLING_TOLERANCE * cycle_f
    # measured: done 22,205 vs 22,066 (z 0.4); cycle time 1.957 vs 1.918 weeks (z 2.45)
    assert abs(done_f - done_s) <= 3 * done_se, f"done {done_f:,.0f} vs {done_s:,.0f}"
    assert abs(cycle_f - cycle_s) <= 3 * cycle_se, (
        f"cycle time {cycle_f:.4f} vs {cycle_s:.4f} weeks (SE {cycle_se:.4f})"
    )


# ------------------------------------------------------------------ reproducible


def test_the_same_seed_gives_the_same_trajectory(restructuring_run):
    again = run_replication(cases.restructuring(horizon_months=24), seed=5)
    found = cases.differences(restructuring_run, again, "replication")
    # what simulating the twin took is a clock's reading, not a figure of the run
    assert [path for path in found if path != "replication.twin.seconds"] == []


def test_different_seeds_give_different_trajectories(restructuring_run):
    other = run_replication(cases.restructuring(horizon_months=24), seed=7)
    assert restructuring_run.parameters != other.parameters
    for mine, theirs in zip(restructuring_run.scenario.units, other.scenario.units, strict=True):
        assert not np.array_equal(mine.done, theirs.done)
        assert not np.array_equal(mine.headcount, theirs.headcount)
