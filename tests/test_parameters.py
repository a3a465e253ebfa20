"""Uncertain inputs: which numbers a replication draws, in what order, and how.

A replication draws every per-replication distribution of its scenario once,
each from its own stream keyed by its field path, listed in the order of the
format's fields; per-item distributions are left for the engine. Sensitivity
analysis instead puts each input at a quantile.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model.draws import at_quantiles, draw, input_stream
from sim.scenario.distributions import Distribution
from sim.scenario.fieldpaths import parse_path, path_text, uncertain_parameters
from sim.scenario.load import parse_scenario
from sim.scenario.quantities import PerItem
from sim.scenario.schema import Scenario

#: every section holds an uncertain number; keys are written in the schema's order
UNCERTAIN = """
meta:
  name: uncertain
  start: 2026-01
  horizon_months: 12
  discount_rate_annual: normal(0.08, 0.5)
org:
  units:
    - name: Ops
      layers:
        - {name: Manager, headcount: 10, cost_per_head_annual: 200000}
        - {name: IC, headcount: 'triangular(90, 100, 130)', cost_per_head_annual: 100000}
  attrition_annual: pert(0.08, 0.12, 0.2)
work:
  - arrivals_per_ic_per_week: uniform(2, 4)
    effort_hours: lognormal(8, 5)
    signoff_shares: ['pert(0.3, 0.5, 0.6)', 0.2]
    review_hours: exponential(0.5)
    handoff_delay_days: exponential(1)
restructuring:
  waves:
    - date: 2026-04-15
      cuts: [{unit: Ops, layer: IC, share: 'uniform(0.1, 0.2)'}]
  survivor_effects:
    productivity_dip: pert(0, 0.05, 0.15)
    dip_months: 6
ai:
  programs:
    - name: Assistant
      start: 2026-05
      running_cost: {per_seat_per_month: 40}
      adoption: {ceiling: 'pert(0.5, 0.7, 0.9)'}
      effects: {ic_productivity_uplift: 'pert(0, 0.15, 0.35)'}
"""

IN_FILE_ORDER = [
    ("meta.discount_rate_annual", Distribution("normal", (0.08, 0.5))),
    ("org.units[0].layers[1].headcount", Distribution("triangular", (90, 100, 130))),
    ("org.attrition_annual", Distribution("pert", (0.08, 0.12, 0.2))),
    ("work[0].arrivals_per_ic_per_week", Distribution("uniform", (2, 4))),
    ("work[0].signoff_shares[0]", Distribution("pert", (0.3, 0.5, 0.6))),
    ("restructuring.waves[0].cuts[0].share", Distribution("uniform", (0.1, 0.2))),
    ("restructuring.survivor_effects.productivity_dip", Distribution("pert", (0, 0.05, 0.15))),
    ("ai.programs[0].adoption.ceiling", Distribution("pert", (0.5, 0.7, 0.9))),
    ("ai.programs[0].effects.ic_productivity_uplift", Distribution("pert", (0, 0.15, 0.35))),
]


@pytest.fixture(scope="module")
def uncertain() -> Scenario:
    return parse_scenario(UNCERTAIN)


def paths(scenario: Scenario) -> list[str]:
    return [path_text(p) for p, _ in uncertain_parameters(scenario)]


def with_one(field_yaml: str, **sections: str) -> Scenario:
    """A small scenario with one line of ``org`` replaced (e.g. an uncertain attrition)."""
    text = f"""
meta: {{name: one, start: 2026-01, horizon_months: 12}}
org:
  {field_yaml}
  units:
    - name: Ops
      layers:
        - {{name: Manager, headcount: 10, cost_per_head_annual: 200000}}
        - {{name: IC, headcount: 100, cost_per_head_annual: 100000}}
work:
  - arrivals_per_ic_per_week: 1
    effort_hours: 2
    {sections.get("work", "")}
{sections.get("rest", "")}
"""
    return parse_scenario(text)


# --- what is uncertain ------------------------------------------------------------


def test_uncertain_parameters_lists_every_per_replication_distribution_in_file_order(
    uncertain: Scenario,
) -> None:
    found = [(path_text(p), d) for p, d in uncertain_parameters(uncertain)]
    assert found == IN_FILE_ORDER


def test_per_item_distributions_are_not_parameters_and_survive_a_draw(
    uncertain: Scenario,
) -> None:
    assert not any(
        name.endswith(("effort_hours", "review_hours", "handoff_delay_days"))
        for name in paths(uncertain)
    )
    drawn, _ = draw(uncertain, 1)
    work = drawn.work[0]
    assert work.effort_hours == PerItem("lognormal", (8, 5))
    assert work.review_hours == PerItem("exponential", (0.5,))
    assert work.handoff_delay_days == PerItem("exponential", (1,))


def test_a_scenario_of_plain_numbers_has_nothing_uncertain() -> None:
    assert uncertain_parameters(with_one("attrition_annual: 0.1")) == []


def test_reordering_the_keys_of_a_file_does_not_change_its_draws() -> None:
    """Draws follow the format's field order, so moving keys around in a file is safe."""
    work = """
work:
  - {arrivals_per_ic_per_week: 1, effort_hours: 2}
"""
    ordered = (
        """
meta: {name: reordered, start: 2026-01}
org:
  units:
    - name: Ops
      layers:
        - {name: Manager, headcount: 'uniform(9, 11)', cost_per_head_annual: 'uniform(1, 2)'}
        - {name: IC, headcount: 100, cost_per_head_annual: 100000}
  attrition_annual: pert(0.08, 0.12, 0.2)
"""
        + work
    )
    reordered = (
        """
meta: {name: reordered, start: 2026-01}
org:
  attrition_annual: pert(0.08, 0.12, 0.2)
  units:
    - name: Ops
      layers:
        - {name: Manager, cost_per_head_annual: 'uniform(1, 2)', headcount: 'uniform(9, 11)'}
        - {name: IC, headcount: 100, cost_per_head_annual: 100000}
"""
        + work
    )
    expected = [
        "org.units[0].layers[0].headcount",
        "org.units[0].layers[0].cost_per_head_annual",
        "org.attrition_annual",
    ]
    assert paths(parse_scenario(ordered)) == expected
    assert paths(parse_scenario(reordered)) == expected
    first = draw(parse_scenario(ordered), 3)[1]
    second = draw(parse_scenario(reordered), 3)[1]
    assert first == second


# --- drawing ------------------------------------------------------------------------


def test_draws_with_the_same_seed_give_the_same_values(uncertain: Scenario) -> None:
    first, values = draw(uncertain, 42)
    again, values_again = draw(uncertain, 42)
    assert values == values_again
    assert first == again
    _, other = draw(uncertain, 43)
    assert other != values


def test_each_input_is_drawn_from_its_own_stream_keyed_by_its_path(uncertain: Scenario) -> None:
    _, values = draw(uncertain, 9)
    assert list(values) == [name for name, _ in IN_FILE_ORDER]
    root = np.random.SeedSequence(9)
    by_hand = [
        float(dist.sample(input_stream(root, parse_path(name)))) for name, dist in IN_FILE_ORDER
    ]
    # discount rate: normal(0.08, 0.5) is clipped into [0, 1]; the rest stay inside
    by_hand[0] = min(max(by_hand[0], 0.0), 1.0)
    assert list(values.values()) == pytest.approx(by_hand)


def test_a_draw_puts_the_numbers_into_the_scenario(uncertain: Scenario) -> None:
    drawn, values = draw(uncertain, 3)
    assert uncertain_parameters(drawn) == []
    assert drawn.org.attrition_annual == values["org.attrition_annual"]
    assert drawn.org.units[0].layers[1].headcount == values["org.units[0].layers[1].headcount"]
    assert drawn.work[0].signoff_shares == (values["work[0].signoff_shares[0]"], 0.2)
    share = values["restructuring.waves[0].cuts[0].share"]
    assert drawn.restructuring.waves[0].cuts[0].share == share
    assert 0.1 <= share <= 0.2
    # what was not uncertain is untouched
    assert dict(drawn.org.units[0].layers[0]) == dict(uncertain.org.units[0].layers[0])
    assert dict(drawn.meta) == {
        **dict(uncertain.meta),
        "discount_rate_annual": values["meta.discount_rate_annual"],
    }


def test_draws_of_a_normal_on_a_fraction_field_are_clipped_into_0_1() -> None:
    scenario = with_one("attrition_annual: normal(0.5, 2)")
    drawn = [draw(scenario, seed)[1] for seed in range(200)]
    rates = np.array([d["org.attrition_annual"] for d in drawn])
    assert rates.min() == 0.0 and rates.max() == 1.0
    assert ((rates > 0) & (rates < 1)).any()


def test_draws_of_a_normal_on_a_fraction_in_a_list_are_clipped_into_0_1() -> None:
    scenario = with_one("attrition_annual: 0.1", work="signoff_shares: ['normal(0.5, 2)']")
    drawn = [draw(scenario, seed)[1] for seed in range(50)]
    shares = np.array([d["work[0].signoff_shares[0]"] for d in drawn])
    assert shares.min() >= 0.0 and shares.max() <= 1.0


def test_draws_on_a_field_that_must_be_positive_stay_above_zero() -> None:
    program = """
ai:
  programs:
    - name: Assistant
      start: 2026-02
      running_cost: {fixed_per_month: 1}
      adoption: {ceiling: 0.5, steepness: 'normal(0.6, 1)'}
"""
    scenario = with_one("attrition_annual: 0.1", rest=program)
    drawn = [draw(scenario, seed)[1] for seed in range(50)]
    assert min(d["ai.programs[0].adoption.steepness"] for d in drawn) > 0


# --- fixing at quantiles --------------------------------------------------------------


def test_at_quantiles_puts_every_input_at_its_median_by_default(uncertain: Scenario) -> None:
    fixed = at_quantiles(uncertain, {})
    assert uncertain_parameters(fixed) == []
    # triangular(90, 100, 130): the mode is in the lower half, so the median is
    # high - sqrt((high - low)(high - mode) / 2)
    assert fixed.org.units[0].layers[1].headcount == pytest.approx(130 - math.sqrt(40 * 30 / 2))
    assert fixed.work[0].arrivals_per_ic_per_week == pytest.approx(3.0)
    assert fixed.meta.discount_rate_annual == pytest.approx(0.08)
    assert fixed.restructuring.waves[0].cuts[0].share == pytest.approx(0.15)
    pert = Distribution("pert", (0.08, 0.12, 0.2))
    assert fixed.org.attrition_annual == pytest.approx(pert.quantile(0.5))


def test_at_quantiles_puts_a_named_input_at_the_requested_quantile(uncertain: Scenario) -> None:
    arrivals = ("work", 0, "arrivals_per_ic_per_week")
    rate = ("meta", "discount_rate_annual")
    fixed = at_quantiles(uncertain, {arrivals: 0.9, rate: 0.975})
    assert fixed.work[0].arrivals_per_ic_per_week == pytest.approx(2 + 0.9 * 2)
    # normal(0.08, 0.5) at P97.5 is 0.08 + 1.96 x 0.5 = 1.06: clipped to a rate of 1
    assert fixed.meta.discount_rate_annual == 1.0
    assert fixed.restructuring.waves[0].cuts[0].share == pytest.approx(0.15)  # median


def test_at_quantiles_clips_a_low_quantile_into_the_fields_range(uncertain: Scenario) -> None:
    fixed = at_quantiles(uncertain, {("meta", "discount_rate_annual"): 0.05})
    assert fixed.meta.discount_rate_annual == 0.0  # 0.08 - 1.645 x 0.5 < 0


def test_at_quantiles_can_move_the_default_quantile(uncertain: Scenario) -> None:
    fixed = at_quantiles(uncertain, {}, default=0.1)
    assert fixed.work[0].arrivals_per_ic_per_week == pytest.approx(2.2)
    assert fixed.restructuring.waves[0].cuts[0].share == pytest.approx(0.11)


# --- streams keyed by field path ----------------------------------------------------


def test_making_an_earlier_input_uncertain_leaves_every_other_draw_unchanged(
    uncertain: Scenario,
) -> None:
    fixed_rate = parse_scenario(UNCERTAIN.replace("normal(0.08, 0.5)", "0.08"))
    _, with_rate = draw(uncertain, 11)
    _, without_rate = draw(fixed_rate, 11)
    assert "meta.discount_rate_annual" in with_rate
    del with_rate["meta.discount_rate_annual"]
    assert with_rate == without_rate


def test_the_baseline_twin_is_identical_when_another_input_becomes_uncertain() -> None:
    from sim.model.replication import run_replication

    base = UNCERTAIN.replace("normal(0.08, 0.5)", "0.08")
    other = base.replace("discount_rate_annual: 0.08", "discount_rate_annual: uniform(0.05, 0.1)")
    first = run_replication(parse_scenario(base), 5, fidelity_items=2000)
    second = run_replication(parse_scenario(other), 5, fidelity_items=2000)
    for a, b in zip(first.baseline.units, second.baseline.units, strict=True):
        np.testing.assert_array_equal(a.headcount, b.headcount)
        np.testing.assert_array_equal(a.done, b.done)
    np.testing.assert_array_equal(first.scenario.headcount, second.scenario.headcount)
