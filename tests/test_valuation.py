"""The finance frame: money valued at the valuation date, months counted from it,
and the plan valued past the horizon beside (never inside) the horizon NPV.

Closed forms and numpy-financial are the reference; the model's start month
must not move any figure (months before the valuation month are zeros or are
compounded forward to it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest

from sim.finance.cashflows import AI_RUNNING, HIRING, NOTICE_PAY, SEVERANCE, payroll_line
from sim.finance.metrics import (
    NEVER_POSITIVE,
    NO_REAL_RATE,
    NOT_MEANINGFUL_FIRST_YEAR,
    NOT_MEANINGFUL_HIGH,
    NOT_MEANINGFUL_NEVER,
    NOTHING_TO_PAY_BACK,
    IRRResult,
    TerminalValueTerms,
    discounted_payback_month,
    headlines,
    irr_annual,
    irr_shown,
    monthly_rate,
    npv,
    payback_month,
    present_values,
    terminal_value,
)
from sim.finance.valuation import fiscal_year, valuation
from sim.model.prices import growth_factors
from sim.model.replication import run_replication
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.summarise import summarise
from sim.runs.summary import fiscal_year_rows, mean_cash_flow_figures
from sim.scenario.load import ScenarioError, load_scenario, parse_scenario
from sim.scenario.timeline import (
    FIRST_AI_SPEND,
    FIRST_WAVE,
    GIVEN,
    NO_CHANGE,
    last_month,
    lead_in_months,
    run_months,
)

DATA = Path(__file__).resolve().parent / "data" / "good"
SMALL = DATA / "small-delayering.yaml"
ROOT = Path(__file__).resolve().parent.parent

RATE = 0.08
M = monthly_rate(RATE)


def plan(rng: np.random.Generator) -> np.ndarray:
    """Costs for a few months, then noisy savings: a restructuring's shape."""
    costs = -rng.uniform(50.0, 150.0, int(rng.integers(1, 6)))
    savings = rng.uniform(5.0, 40.0) + rng.normal(0.0, 3.0, int(rng.integers(12, 40)))
    return np.concatenate((costs, savings))


# --- the valuation date --------------------------------------------------------------


def test_months_before_the_plan_starts_move_no_figure_when_valued_at_its_first_month() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        net = plan(rng)
        lead = int(rng.integers(1, 13))
        earlier = np.concatenate((np.zeros(lead), net))  # the model started `lead` months earlier
        assert npv(earlier, RATE, lead) == pytest.approx(npv(net, RATE), rel=1e-12)
        assert payback_month(earlier, lead) == payback_month(net)
        assert discounted_payback_month(earlier, RATE, lead) == discounted_payback_month(net, RATE)
        assert irr_annual(earlier).value == pytest.approx(irr_annual(net).value, rel=1e-9)


def test_npv_from_the_valuation_month_is_the_spreadsheet_npv_of_those_months() -> None:
    net = np.array([0.0, 0.0, -100.0, 30.0, 40.0, 50.0])
    assert npv(net, RATE, 2) == pytest.approx(float(npf.npv(M, [0.0, -100.0, 30.0, 40.0, 50.0])))
    by_hand = -100 / (1 + M) + 30 / (1 + M) ** 2 + 40 / (1 + M) ** 3 + 50 / (1 + M) ** 4
    assert npv(net, RATE, 2) == pytest.approx(by_hand, rel=1e-12)


def test_a_month_before_the_valuation_month_is_compounded_forward_to_it() -> None:
    # paid at the end of the month before: already at the valuation point; two months
    # before: one month of interest; three: two months
    net = np.array([-100.0, -100.0, -100.0, 0.0])
    expected = -100 * (1 + M) ** 2 - 100 * (1 + M) - 100
    assert npv(net, RATE, 3) == pytest.approx(expected, rel=1e-12)
    grown = [-100 * (1 + M) ** 2, -100 * (1 + M), -100]
    assert present_values(net, RATE, 3)[:3] == pytest.approx(grown)


def test_the_npv_is_the_sum_of_the_present_values_wherever_the_valuation_month_falls() -> None:
    rng = np.random.default_rng(5)
    for _ in range(100):
        net = plan(rng)
        offset = int(rng.integers(0, len(net)))
        assert npv(net, RATE, offset) == pytest.approx(
            float(np.sum(present_values(net, RATE, offset))), rel=1e-10, abs=1e-9
        )


def test_moving_the_valuation_month_scales_the_npv_by_one_month_of_interest_per_month() -> None:
    net = np.array([-100.0, 20.0, 30.0, 40.0, 50.0])
    assert npv(net, RATE, 3) == pytest.approx(npv(net, RATE, 0) * (1 + M) ** 3, rel=1e-12)


def test_payback_is_counted_from_the_valuation_month() -> None:
    net = np.array([0.0, 0.0, -100.0, 60.0, 60.0])  # turns in run month 5
    assert payback_month(net) == 5
    assert payback_month(net, 2) == 3  # the valuation month (run month 3) is month 1


def test_a_plan_paid_back_before_the_valuation_month_has_nothing_left_to_pay_back() -> None:
    net = np.array([-100.0, 150.0, 10.0, 10.0])
    assert payback_month(net, 3) == NOTHING_TO_PAY_BACK
    under_water_again = np.array([-100.0, 150.0, -80.0, -50.0])
    assert payback_month(under_water_again, 1) is None


# --- terminal value -------------------------------------------------------------------


def test_terminal_value_for_n_years_is_the_run_rate_annuity_discounted_to_valuation() -> None:
    run_rate, years, months_left = 1_200_000.0, 5, 30
    annuity = float(npf.pv(M, years * 12, -run_rate / 12))  # at the horizon's end
    expected = annuity / (1 + M) ** months_left
    assert terminal_value(run_rate, RATE, months_left, years) == pytest.approx(expected, rel=1e-12)
    by_hand = sum(100_000 / (1 + M) ** (months_left + k) for k in range(1, 61))
    assert terminal_value(run_rate, RATE, months_left, years) == pytest.approx(by_hand, rel=1e-12)


def test_a_growing_perpetuity_is_gordons_formula_in_months() -> None:
    run_rate, growth, months_left = 1_200_000.0, 0.03, 24
    g = (1 + growth) ** (1 / 12) - 1
    gordon = 100_000 * (1 + g) / (M - g)
    expected = gordon / (1 + M) ** months_left
    value = terminal_value(run_rate, RATE, months_left, None, growth)
    assert value == pytest.approx(expected, rel=1e-12)
    # and a long enough growing annuity converges on it from below
    long_run = terminal_value(run_rate, RATE, months_left, 400, growth)
    assert long_run < value and long_run == pytest.approx(value, rel=1e-5)


def test_growing_flows_for_n_years_match_a_month_by_month_sum() -> None:
    g = (1.02) ** (1 / 12) - 1
    by_hand = sum(100.0 * (1 + g) ** k / (1 + M) ** (12 + k) for k in range(1, 37))
    assert terminal_value(1200.0, RATE, 12, 3, 0.02) == pytest.approx(by_hand, rel=1e-12)


def test_a_perpetuity_growing_as_fast_as_the_discount_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="growth below the discount rate"):
        terminal_value(1200.0, RATE, 12, None, RATE)


def test_the_terminal_value_sits_beside_the_horizon_npv_never_inside_it() -> None:
    net = np.array([-500.0, 10.0, 20.0, 30.0, 30.0, 30.0])
    build = np.array([500.0, 0, 0, 0, 0, 0])
    plain = headlines(net, RATE, build)
    valued = headlines(net, RATE, build, terminal=TerminalValueTerms(years=5, growth_annual=0.0))
    assert valued.npv == plain.npv
    assert plain.terminal_value is None and plain.npv_with_terminal_value is None
    assert valued.terminal_value == pytest.approx(terminal_value(360.0, RATE, 6, 5))
    assert valued.npv_with_terminal_value == pytest.approx(valued.npv + valued.terminal_value)
    # a large build and lasting savings: negative over the horizon, positive with its future
    assert valued.npv < 0 < valued.npv_with_terminal_value


# --- IRR shown meaningfully ----------------------------------------------------------


def test_an_irr_is_read_as_a_rate_only_when_it_means_one() -> None:
    assert irr_shown(IRRResult(0.25, None), payback=20) is None
    assert irr_shown(IRRResult(0.25, None), payback=None) is None
    assert irr_shown(IRRResult(141.4, None), payback=8) == NOT_MEANINGFUL_FIRST_YEAR
    assert irr_shown(IRRResult(3.0, None), payback=14) == NOT_MEANINGFUL_HIGH
    assert irr_shown(IRRResult(None, "why not"), payback=3) == "why not"
    assert irr_shown(IRRResult(-0.9999, None), payback=None) == NOT_MEANINGFUL_NEVER
    # less back than spent by the horizon: not meaningful, whether or not a rate solves
    # (a spreadsheet's IRR finds no root near -100% a year)
    no_root = IRRResult(None, NO_REAL_RATE)
    assert irr_shown(no_root, payback=None, total_net=-5.0) == NOT_MEANINGFUL_NEVER
    assert irr_shown(no_root, payback=None, total_net=5.0) == NO_REAL_RATE
    # flows that never change sign have no rate at all, paid back or not
    never = IRRResult(None, NEVER_POSITIVE)
    assert irr_shown(never, payback=None, total_net=-5.0) == NEVER_POSITIVE
    # less back than spent by the horizon: not meaningful, whether or not a rate solves
    # (a spreadsheet's IRR finds no root near -100% a year)
    no_root = IRRResult(None, NO_REAL_RATE)
    assert irr_shown(no_root, payback=None, total_net=-5.0) == NOT_MEANINGFUL_NEVER
    assert irr_shown(no_root, payback=None, total_net=5.0) == NO_REAL_RATE
    # flows that never change sign have no rate at all, paid back or not
    never = IRRResult(None, NEVER_POSITIVE)
    assert irr_shown(never, payback=None, total_net=-5.0) == NEVER_POSITIVE


# --- the valuation date of a scenario --------------------------------------------------


def _small(**replace: str) -> str:
    """small-delayering.yaml's text with lines replaced (first occurrence of each key)."""
    text = SMALL.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_the_valuation_date_is_the_first_wave_or_first_ai_spend_whichever_is_earlier() -> None:
    small = load_scenario(SMALL)  # wave 2026-03-01, AI from 2026-04
    assert valuation(small) == type(valuation(small))(dt.date(2026, 3, 1), FIRST_WAVE, 2)
    ai_first = parse_scenario(_small(**{"start: 2026-04\n": "start: 2026-02\n"}), "x.yaml")
    assert valuation(ai_first).basis == FIRST_AI_SPEND
    assert valuation(ai_first).offset == 1
    given = parse_scenario(
        _small(**{"value_per_item: 500": "value_per_item: 500\n  valuation_date: 2026-06-15"}),
        "x.yaml",
    )
    assert (valuation(given).date, valuation(given).basis) == (dt.date(2026, 6, 15), GIVEN)
    assert valuation(given).offset == 5
    shipped = (ROOT / "scenarios" / "status-quo.yaml").read_text(encoding="utf-8")
    # the shipped file values itself at ecommerce-2026's first wave; without that line
    # nothing changes, and the start is the valuation date
    lines = [line for line in shipped.splitlines() if "valuation_date:" not in line]
    status_quo = parse_scenario("\n".join(lines), "status-quo.yaml")
    assert valuation(status_quo).basis == NO_CHANGE and valuation(status_quo).offset == 0


def test_a_valuation_date_before_the_start_is_refused_at_its_line() -> None:
    text = _small(**{"value_per_item: 500": "value_per_item: 500\n  valuation_date: 2025-11"})
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "plan.yaml")
    message = str(caught.value)
    assert "plan.yaml:" in message and "finance.valuation_date" in message
    assert "before meta.start" in message


def test_the_horizon_counts_from_the_valuation_month() -> None:
    """The run simulates the lead-in (start to valuation month), then the horizon."""
    later = _small(**{"value_per_item: 500": "value_per_item: 500\n  valuation_date: 2029-01"})
    scenario = parse_scenario(later, "plan.yaml")
    assert (lead_in_months(scenario), run_months(scenario)) == (36, 36 + 24)
    assert last_month(scenario) == "2030-12"
    shipped = load_scenario(SMALL)  # first wave 2026-03: two months of lead-in
    assert (lead_in_months(shipped), run_months(shipped), last_month(shipped)) == (2, 26, "2028-02")


def test_a_lead_in_of_more_than_ten_years_is_refused() -> None:
    text = _small(**{"value_per_item: 500": "value_per_item: 500\n  valuation_date: 2036-02"})
    with pytest.raises(ScenarioError, match=r"finance\.valuation_date: .* more than 120 months"):
        parse_scenario(text, "plan.yaml")


def test_a_perpetuity_growing_faster_than_the_discount_rate_is_refused_at_its_line() -> None:
    text = _small(
        **{
            "value_per_item: 500": "value_per_item: 500\n"
            "  terminal_value: {years: perpetuity, growth_annual: 0.09}"
        }
    )
    expected = (
        r"plan\.yaml:\d+:\d+: finance\.terminal_value\.growth_annual: "
        r"a perpetuity must grow more slowly"
    )
    with pytest.raises(ScenarioError, match=expected):
        parse_scenario(text, "plan.yaml")


def test_seat_price_growth_on_a_fixed_running_cost_is_refused() -> None:
    seat = "{per_seat_per_month: 40}"
    text = _small(**{seat: "{fixed_per_month: 30000, price_growth_annual: 0.1}"})
    with pytest.raises(ScenarioError, match=r"running_cost\.price_growth_annual: seat price"):
        parse_scenario(text, "plan.yaml")


def test_seat_price_growth_on_a_budgeted_programme_is_accepted() -> None:
    seat = "per_seat_per_month: 40"
    text = _small(**{f"{seat}}}": f"{seat}, price_growth_annual: 0.1}}"})
    program = parse_scenario(text, "plan.yaml").ai.programs[0]
    assert program.funding is not None and program.running_cost.price_growth_annual == 0.1


# --- start-shift invariance -----------------------------------------------------------


def _figures(text: str, replications: int) -> tuple[dict, np.ndarray]:
    scenario = parse_scenario(text, "plan.yaml")
    results = run_monte_carlo(scenario, replications, scenario.meta.seed)
    figures = dataclasses.asdict(mean_cash_flow_figures(results))  # by name, as summary.json
    return figures, np.array([h["npv"] for h in results.headlines])


SHIFT_REPLICATIONS = 6


@pytest.fixture(scope="module")
def as_shipped() -> tuple[dict, np.ndarray]:
    return _figures(SMALL.read_text(encoding="utf-8"), SHIFT_REPLICATIONS)


EARLIER = {"start: 2026-01": "start: 2025-10"}
UNPRICED = {"  value_per_item: 500": "  value_per_item: null"}


def test_starting_the_model_three_months_earlier_moves_neither_payback_nor_npv() -> None:
    """The same plan over the same calendar, the model started three quiet months
    earlier. Without attrition (and work items unpriced) nothing is random in the
    money, and every figure is the same to rounding: the frame does not move."""
    fixed = {**UNPRICED, "attrition_annual: pert(0.09, 0.12, 0.16)": "attrition_annual: 0"}
    base, _ = _figures(_small(**fixed), 2)
    early, _ = _figures(_small(**fixed, **EARLIER), 2)
    assert base["payback_month"] is not None
    for name in ("payback_month", "payback_date", "discounted_payback_month"):
        assert early[name] == base[name], name
    for name in ("npv", "run_rate_savings_annual", "one_time_costs"):
        assert early[name] == pytest.approx(base[name], rel=1e-9), name


def test_with_attrition_an_earlier_start_moves_the_figures_by_noise_alone() -> None:
    """With attrition drawn week by week, runs on shifted calendars share no random
    numbers: NPV agrees within its standard error, payback within a month (the
    cumulative crosses zero near a month's end)."""
    replications = SHIFT_REPLICATIONS
    base, base_npvs = _figures(_small(**UNPRICED), replications)
    early, early_npvs = _figures(_small(**UNPRICED, **EARLIER), replications)
    assert abs(early["payback_month"] - base["payback_month"]) <= 1
    noise = np.hypot(base_npvs.std(ddof=1), early_npvs.std(ddof=1)) / np.sqrt(replications)
    assert abs(early["npv"] - base["npv"]) < 3 * noise
    assert early["npv"] == pytest.approx(base["npv"], rel=0.05)


def test_an_earlier_start_adds_lead_in_months_and_keeps_the_end(
    as_shipped: tuple[dict, np.ndarray],
) -> None:
    """meta.horizon_months counts from the valuation month: starting three months
    earlier simulates three more months before the plan, and the run ends in the same
    month, so the payback month and date are the same (docs/model.md)."""
    base, _ = as_shipped
    shipped = load_scenario(SMALL)
    earlier = parse_scenario(_small(**EARLIER), "plan.yaml")
    assert run_months(earlier) == run_months(shipped) + 3
    assert last_month(earlier) == last_month(shipped)
    early, _ = _figures(_small(**EARLIER), SHIFT_REPLICATIONS)
    assert (early["payback_month"], early["payback_date"]) == (5, "2026-07")
    assert early["payback_month"] == base["payback_month"]


# --- pay growth -----------------------------------------------------------------------


def test_pay_grows_from_the_valuation_month_on_plan_and_twin_alike() -> None:
    flat = run_replication(load_scenario(SMALL), 4)
    text = _small(**{"hiring_freezes: []": "hiring_freezes: []\n  pay_growth_annual: 0.04"})
    grown = run_replication(parse_scenario(text, "x.yaml"), 4)
    factors = growth_factors(26, 2, 0.04)
    assert factors[2] == 1.0 and factors[14] == pytest.approx(1.04)
    assert factors[1] == pytest.approx(1.04 ** (-1 / 12))
    flat_flows, grown_flows = summarise(flat).cash_flows, summarise(grown).cash_flows
    for side in ("scenario", "baseline"):
        before, after = getattr(flat_flows, side), getattr(grown_flows, side)
        for line in (payroll_line("Operations", "IC"), NOTICE_PAY, SEVERANCE):
            np.testing.assert_allclose(after[line], before[line] * factors, rtol=1e-12)
        np.testing.assert_array_equal(after[HIRING], before[HIRING])  # money as written


def test_a_units_own_pay_growth_overrides_the_organisations() -> None:
    text = _small(
        **{
            "hiring_freezes: []": "hiring_freezes: []\n  pay_growth_annual: 0.04",
            "- name: Operations": "- name: Operations\n      pay_growth_annual: 0.10",
        }
    )
    flat = summarise(run_replication(load_scenario(SMALL), 4)).cash_flows
    grown = summarise(run_replication(parse_scenario(text, "x.yaml"), 4)).cash_flows
    line = payroll_line("Operations", "Manager")
    np.testing.assert_allclose(
        grown.scenario[line], flat.scenario[line] * growth_factors(26, 2, 0.10), rtol=1e-12
    )


def test_seat_prices_grow_at_their_own_rate() -> None:
    text = _small(
        **{
            "per_seat_per_month: 40}": "per_seat_per_month: 40, price_growth_annual: -0.2}",
            "      funding: {reinvest_share: 0.3}\n": "",
        }
    )
    unfunded = _small(**{"      funding: {reinvest_share: 0.3}\n": ""})
    flat = summarise(run_replication(parse_scenario(unfunded, "x.yaml"), 4)).cash_flows
    cheaper = summarise(run_replication(parse_scenario(text, "x.yaml"), 4)).cash_flows
    np.testing.assert_allclose(
        cheaper.scenario["AI running costs"],
        flat.scenario["AI running costs"] * growth_factors(26, 2, -0.2),
        rtol=1e-12,
    )


def test_a_budget_spends_no_more_than_itself_as_the_seat_price_grows() -> None:
    """20,000 a month buys 500 seats at 40 in the valuation month (March); at 10% a year
    the AI running cost line (at the month's price) is the budget exactly once it binds
    and never more, and the seats fall as 1.1^(-k/12)."""
    text = _small(
        **{
            "per_seat_per_month: 40}": "per_seat_per_month: 40, price_growth_annual: 0.1}",
            "funding: {reinvest_share: 0.3}": "funding: {budget_per_month: 20000}",
        }
    )
    rep = run_replication(parse_scenario(text, "x.yaml"), 4)
    spent = summarise(rep).cash_flows.scenario[AI_RUNNING]
    path = rep.scenario.programs[0]
    binding = path.adoption < path.target_share * (1 - 1e-9)
    assert binding[-6:].all()
    np.testing.assert_allclose(spent[binding], 20_000, rtol=1e-12)
    assert (spent <= 20_000 * (1 + 1e-12)).all()
    k = np.arange(len(spent))[binding] - 2
    np.testing.assert_allclose(path.seats[binding], 500 * 1.1 ** (-k / 12), rtol=1e-12)


# --- fiscal years ---------------------------------------------------------------------


def test_fiscal_years_are_named_by_the_year_they_end_in() -> None:
    assert fiscal_year("2026-03", 1) == "FY2026"
    assert fiscal_year("2026-03", 4) == "FY2026"
    assert fiscal_year("2026-04", 4) == "FY2027"
    assert fiscal_year("2025-12", 2) == "FY2026"


def test_fiscal_years_add_up_to_the_horizon() -> None:
    flows = summarise(run_replication(load_scenario(SMALL), 4)).cash_flows
    rows = fiscal_year_rows(flows, 4)
    assert [r.fiscal_year for r in rows] == ["FY2026", "FY2027", "FY2028"]
    assert [r.months for r in rows] == [3, 12, 11]
    assert sum(r.net_cash for r in rows) == pytest.approx(float(flows.net.sum()), rel=1e-12)
    assert sum(r.one_time_costs for r in rows) == pytest.approx(flows.one_time_costs)
    for row in rows:
        assert row.net_cash == pytest.approx(row.net_savings - row.one_time_costs)
