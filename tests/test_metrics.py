from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from sim.finance.metrics import (
    ALL_ZERO,
    NEVER_NEGATIVE,
    NEVER_POSITIVE,
    NO_REAL_RATE,
    NOTHING_TO_PAY_BACK,
    Headlines,
    IRRResult,
    cumulative,
    discounted_payback_month,
    first_month_staying_non_negative,
    headlines,
    irr_annual,
    monthly_rate,
    npv,
    payback_month,
    present_values,
    roi,
    run_rate_annual,
)

ONE_PERCENT_A_MONTH = 1.01**12 - 1


def flows(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


def hand_discounted_sum(net: np.ndarray, annual_rate: float) -> float:
    m = (1 + annual_rate) ** (1 / 12) - 1
    return sum(net[t - 1] / (1 + m) ** t for t in range(1, len(net) + 1))


def conventional_plan(rng: np.random.Generator) -> np.ndarray:
    """Costs in the first months, savings after: one sign change."""
    horizon = int(rng.integers(2, 48))
    cost_months = int(rng.integers(1, horizon))
    costs = -rng.uniform(0.0, 100.0, cost_months)
    savings = rng.uniform(0.0, 100.0, horizon - cost_months)
    return np.concatenate((costs, savings))


def restructuring_plan(rng: np.random.Generator) -> np.ndarray:
    """A plausible plan: severance and build costs for a few months, then savings
    with month-to-month noise, over a two- to four-year horizon."""
    cost_months = int(rng.integers(1, 7))
    saving_months = int(rng.integers(18, 43))
    costs = -rng.uniform(50.0, 150.0, cost_months)
    savings = rng.uniform(5.0, 40.0) + rng.normal(0.0, 3.0, saving_months)
    return np.concatenate((costs, savings))


# --- rates and NPV ------------------------------------------------------------


def test_monthly_rate_compounds_back_to_the_annual_rate() -> None:
    assert (1 + monthly_rate(0.08)) ** 12 == pytest.approx(1.08)
    assert monthly_rate(ONE_PERCENT_A_MONTH) == pytest.approx(0.01)
    assert monthly_rate(0.0) == 0.0


def test_npv_of_investing_100_and_saving_30_for_four_months_at_one_percent_a_month() -> None:
    # By hand, month 1 discounted one month (cash at month ends):
    #   -100 / 1.01    = -99.009901
    #    30 / 1.01^2   =  29.408881
    #    30 / 1.01^3   =  29.117704
    #    30 / 1.01^4   =  28.829410
    #    30 / 1.01^5   =  28.543971
    #   total          =  16.890066
    net = flows(-100, 30, 30, 30, 30)
    assert npv(net, ONE_PERCENT_A_MONTH) == pytest.approx(16.890066, abs=1e-6)


def test_npv_matches_numpy_financial_with_a_leading_zero_and_a_hand_discount_sum() -> None:
    rng = np.random.default_rng(20251028)
    for _ in range(200):
        net = rng.normal(0.0, 50.0, int(rng.integers(1, 60)))
        rate = float(rng.uniform(0.0, 0.3))
        expected = npf.npv(monthly_rate(rate), np.concatenate(([0.0], net)))
        assert npv(net, rate) == pytest.approx(expected, rel=1e-12, abs=1e-9)
        assert npv(net, rate) == pytest.approx(hand_discounted_sum(net, rate), rel=1e-9, abs=1e-9)
        assert npv(net, rate) == pytest.approx(present_values(net, rate).sum(), abs=1e-9)


def test_npv_at_a_zero_rate_is_the_plain_total() -> None:
    net = flows(-100, 30, 30, 30, 30)
    assert npv(net, 0.0) == pytest.approx(20.0)


def test_npv_discounts_month_one_unlike_numpy_financial_without_a_leading_zero() -> None:
    net = flows(-100, 30, 30, 30, 30)
    assert npv(net, ONE_PERCENT_A_MONTH) == pytest.approx(npf.npv(0.01, net) / 1.01)
    assert npv(net, ONE_PERCENT_A_MONTH) != pytest.approx(npf.npv(0.01, net))


# --- payback ------------------------------------------------------------------


def test_cumulative_is_the_running_total_at_each_month_end() -> None:
    np.testing.assert_allclose(cumulative(flows(-100, 30, 30, 30, 30)), [-100, -70, -40, -10, 20])


def test_a_plan_that_invests_then_recovers_pays_back_in_the_month_the_total_turns() -> None:
    # cumulative -100, -70, -40, -10, 20, 50: non-negative from month 5
    assert payback_month(flows(-100, 30, 30, 30, 30, 30)) == 5


def test_breaking_exactly_even_counts_as_paid_back() -> None:
    # cumulative -100, -50, 0: non-negative (zero) in month 3
    assert payback_month(flows(-100, 50, 50)) == 3


def test_a_total_that_dips_negative_again_pays_back_only_at_its_last_crossing() -> None:
    # cumulative -100, -40, 20 (first crossing, month 3), -30 (a second wave's
    # severance), 10 (month 5), 70: it stays non-negative only from month 5
    net = flows(-100, 60, 60, -50, 40, 60)
    assert payback_month(net) == 5


def test_a_plan_still_under_water_at_the_horizon_does_not_pay_back() -> None:
    assert payback_month(flows(-100, 10, 10, 10)) is None
    # crossed once, but negative again in the last month: not paid back
    assert payback_month(flows(-100, 120, -50)) is None


def test_a_plan_that_never_goes_negative_has_nothing_to_pay_back() -> None:
    assert NOTHING_TO_PAY_BACK == 0
    assert payback_month(flows(10, 20, 30)) == NOTHING_TO_PAY_BACK
    assert payback_month(flows(0, 0, 0)) == NOTHING_TO_PAY_BACK
    # a cost month that the earlier savings already cover never takes the total below zero
    assert payback_month(flows(10, -10, 5)) == NOTHING_TO_PAY_BACK


def test_a_plan_that_starts_with_a_cost_pays_back_in_month_two_at_the_earliest() -> None:
    # a negative month 1 makes the total negative in month 1, so month 1 can never
    # be a payback month: the answers are 0 (nothing to pay back) or 2 and later
    assert payback_month(flows(-10, 20)) == 2


def test_the_stable_crossing_rule_reads_a_running_total() -> None:
    assert first_month_staying_non_negative(np.array([-5.0, 1.0, -1.0, 0.0, 3.0])) == 4
    assert first_month_staying_non_negative(np.array([1.0, 2.0])) == NOTHING_TO_PAY_BACK
    assert first_month_staying_non_negative(np.array([1.0, -2.0])) is None


def test_discounted_payback_at_a_zero_rate_is_plain_payback() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        net = rng.normal(0.0, 50.0, int(rng.integers(1, 48)))
        assert discounted_payback_month(net, 0.0) == payback_month(net)


def test_discounting_pushes_a_hand_worked_payback_later() -> None:
    # plain cumulative -100, -70, -40, -10, 20: month 5.
    # at 10% a month present values are -90.91, 24.79, 22.54, 20.49, 18.63, 16.93
    # whose running total is -90.91, -66.12, -43.58, -23.09, -4.46, 12.47: month 6.
    net = flows(-100, 30, 30, 30, 30, 30)
    assert payback_month(net) == 5
    assert discounted_payback_month(net, 1.1**12 - 1) == 6


def test_discounted_payback_is_never_earlier_than_plain_payback_for_a_positive_rate() -> None:
    rng = np.random.default_rng(20260128)
    for _ in range(2000):
        net = conventional_plan(rng)
        rate = float(rng.uniform(0.001, 1.0))
        plain = payback_month(net)
        discounted = discounted_payback_month(net, rate)
        if plain is None:
            assert discounted is None
        elif discounted is not None:
            assert discounted >= plain


def test_savings_before_costs_can_make_discounted_payback_earlier() -> None:
    # +100 now, -101 later: plain total ends at -1 (no payback), but at 10% a
    # month the later cost is worth only 83.47 today, so the discounted total
    # never goes negative. The rule is the same; the flows are not an investment.
    net = flows(100, -101)
    assert payback_month(net) is None
    assert discounted_payback_month(net, 1.1**12 - 1) == NOTHING_TO_PAY_BACK


# --- IRR ----------------------------------------------------------------------


def test_irr_agrees_with_numpy_financial_annualised_on_the_textbook_case() -> None:
    # numpy-financial's own example: invest 100, withdraw 39, 59, 55, 20
    net = flows(-100, 39, 59, 55, 20)
    monthly = npf.irr(net)
    assert monthly == pytest.approx(0.28095, abs=1e-5)
    result = irr_annual(net)
    assert result.reason is None
    assert result.value == pytest.approx((1 + monthly) ** 12 - 1)


def test_irr_of_100_returning_110_a_month_later_is_ten_percent_a_month() -> None:
    result = irr_annual(flows(-100, 110))
    assert result.value == pytest.approx(1.1**12 - 1)


def test_npv_at_the_annual_irr_is_zero() -> None:
    rng = np.random.default_rng(3)
    for _ in range(500):
        net = restructuring_plan(rng)
        result = irr_annual(net)
        assert result.value is not None
        scale = np.abs(present_values(net, result.value)).sum()
        assert npv(net, result.value) == pytest.approx(0.0, abs=1e-9 * scale)


def test_a_leading_zero_for_month_end_cash_does_not_move_the_irr() -> None:
    rng = np.random.default_rng(11)
    for _ in range(100):
        net = conventional_plan(rng)
        assert irr_annual(np.concatenate(([0.0], net))) == irr_annual(net)


def test_flows_that_never_turn_negative_have_no_irr_and_say_why() -> None:
    assert irr_annual(flows(0, 10, 20)) == IRRResult(value=None, reason=NEVER_NEGATIVE)
    assert "nothing invested" in NEVER_NEGATIVE


def test_flows_that_never_turn_positive_have_no_irr_and_say_why() -> None:
    assert irr_annual(flows(-10, -20, 0)) == IRRResult(value=None, reason=NEVER_POSITIVE)
    assert "never recovered" in NEVER_POSITIVE


def test_all_zero_flows_have_no_irr_and_say_why() -> None:
    assert irr_annual(np.zeros(36)) == IRRResult(value=None, reason=ALL_ZERO)


def test_flows_with_a_sign_change_but_no_real_rate_say_so() -> None:
    # 1 - 3x + 3x^2 = 0 (x = 1 / (1 + m)) has no real root: discriminant 9 - 12 < 0
    assert irr_annual(flows(1, -3, 3)) == IRRResult(value=None, reason=NO_REAL_RATE)


# --- run rate and ROI ---------------------------------------------------------


def test_run_rate_is_the_last_quarter_averaged_and_annualised() -> None:
    net = flows(-100, 5, 10, 20, 30)
    assert run_rate_annual(net) == pytest.approx((10 + 20 + 30) / 3 * 12)
    assert run_rate_annual(net, months=1) == pytest.approx(360.0)


def test_run_rate_over_more_months_than_the_horizon_is_refused() -> None:
    with pytest.raises(ValueError, match="run rate over 6 months"):
        run_rate_annual(flows(1, 2, 3), months=6)


def test_roi_is_net_benefit_per_unit_of_one_time_cost() -> None:
    assert roi(50.0, 200.0) == pytest.approx(0.25)
    assert roi(-20.0, 100.0) == pytest.approx(-0.2)


def test_roi_without_one_time_costs_is_undefined() -> None:
    assert roi(50.0, 0.0) is None


# --- headlines ----------------------------------------------------------------


def test_headlines_bundle_every_metric_of_a_plan() -> None:
    net = flows(-100, 30, 30, 30, 30, 30)
    result = headlines(net, ONE_PERCENT_A_MONTH, one_time=flows(100, 0, 0, 0, 0, 0))
    assert isinstance(result, Headlines)
    assert result.npv == pytest.approx(npv(net, ONE_PERCENT_A_MONTH))
    assert result.payback_month == 5
    assert result.discounted_payback_month == discounted_payback_month(net, ONE_PERCENT_A_MONTH)
    # 448% a year on a five-month payback is no rate to read: no figure, only its reason
    assert irr_annual(net).value == pytest.approx(4.4848, rel=1e-4)
    assert result.irr_annual is None
    assert result.irr_reason == "pays back within the first year: IRR not meaningful"
    assert result.run_rate_savings_annual == pytest.approx(360.0)
    assert result.total_net_benefit == pytest.approx(50.0)
    assert result.one_time_costs == 100.0
    assert result.roi == pytest.approx(0.5)


def test_a_rate_that_reads_as_one_is_the_headline_irr() -> None:
    # paid back in month 26, about 36% a year: a rate to read, numpy-financial's
    net = flows(-1000, *([40.0] * 47))
    result = headlines(net, ONE_PERCENT_A_MONTH, one_time=flows(1000, *([0.0] * 47)))
    assert result.payback_month is not None and result.payback_month > 12
    assert result.irr_reason is None
    assert result.irr_annual == pytest.approx((1 + npf.irr(net)) ** 12 - 1, rel=1e-12)


def test_headlines_of_a_plan_that_never_pays_back_say_so_without_failing() -> None:
    net = flows(-100, -10, 5, 5, 5)
    result = headlines(net, 0.08, one_time=flows(100, 0, 0, 0, 0))
    assert result.payback_month is None
    assert result.discounted_payback_month is None
    assert result.npv < 0
    assert result.roi == pytest.approx(-0.95)


def test_a_horizon_shorter_than_the_run_rate_window_uses_every_month_it_has() -> None:
    # the first month's -10 is all one-time cost: before it the months net 0 and 4
    heads = headlines(np.array([-10.0, 4.0]), 0.0, np.array([10.0, 0.0]))
    assert heads.run_rate_savings_annual == pytest.approx((0.0 + 4.0) / 2 * 12)


def test_one_time_costs_in_the_last_quarter_leave_the_run_rate_alone() -> None:
    """A second wave's severance paid in the last month: the plan's run rate is what
    recurs (30 a month), not the quarter's net of a one-off cost."""
    one_time = flows(100, 0, 0, 0, 0, 60)
    net = flows(-100, 30, 30, 30, 30, 30) - one_time + flows(100, 0, 0, 0, 0, 0)
    heads = headlines(net, 0.0, one_time)
    assert heads.run_rate_savings_annual == pytest.approx(360.0)
    assert heads.one_time_costs == pytest.approx(160.0)
    assert heads.total_net_benefit == pytest.approx(float(net.sum()))
