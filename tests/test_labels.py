"""Human labels: every number a study can vary reads as words, never as a field path."""

from __future__ import annotations

import re

import pytest

from sim.scenario.fieldpaths import numeric_paths, path_text
from sim.scenario.labels import LABELS, Measure, Unit, label, unit_of
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario
from tests.conftest import SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_number_of_a_shipped_scenario_has_a_human_label(path) -> None:
    scenario = load_scenario(path)
    for field in numeric_paths(scenario):
        text = label(scenario, field)
        assert text != path_text(field), f"no label for {path_text(field)}"
        assert "[" not in text and "_" not in text, text


def test_a_label_names_the_list_item_it_belongs_to() -> None:
    scenario: Scenario = load_scenario(SHIPPED[0].parent / "ecommerce-2026.yaml")
    assert label(scenario, "ai.programs[0].effects.ic_productivity_uplift") == (
        "Engineering and knowledge assistant: IC productivity uplift"
    )
    assert label(scenario, "restructuring.severance.average_tenure_years") == (
        "Tenure of people cut (years)"
    )
    assert label(scenario, "org.units[1].layers[0].cost_per_head_annual") == (
        "Cloud / SVP: Cost per head (per year)"
    )
    assert label(scenario, "meta.discount_rate_annual") == "Discount rate (% a year)"
    assert label(scenario, "org.staffing.span_creep_annual") == "Manager creep (% a year)"
    arrivals = label(scenario, "work[0].arrivals_per_ic_per_week")
    assert arrivals.endswith("Work items per IC (per week)")
    assert label(scenario, "org.backfill.share") == "Leavers replaced (status quo)"


def test_an_unknown_path_reads_as_words_never_as_a_path() -> None:
    scenario = load_scenario(SHIPPED[0].parent / "ecommerce-2026.yaml")
    assert "meta.horizon_months" not in LABELS
    assert label(scenario, "meta.horizon_months") == "Horizon months"
    assert label(scenario, "org.units[0].layers[1].made_up_field") == (
        f"{scenario.org.units[0].name} / {scenario.org.units[0].layers[1].name}: Made up field"
    )


def test_no_label_of_any_number_a_study_can_set_contains_a_field_path() -> None:
    for path in SHIPPED:
        scenario = load_scenario(path)
        for field in numeric_paths(scenario):
            text = label(scenario, field)
            assert not re.search(r"[\[\]_]|\w\.\w", text), (path_text(field), text)


@pytest.mark.parametrize(
    ("path", "measure", "shown"),
    [
        ("org.backfill.cost_per_hire", Measure.MONEY, ""),
        ("org.units[0].layers[1].cost_per_head_annual", Measure.MONEY, "per year"),
        ("ai.programs[0].running_cost.per_seat_per_month", Measure.MONEY, "per month"),
        ("meta.discount_rate_annual", Measure.PERCENT, "% a year"),
        ("org.staffing.span_creep_annual", Measure.PERCENT, "% a year"),
        ("org.backfill.share", Measure.PERCENT, ""),
        ("restructuring.notice_weeks", Measure.COUNT, "weeks"),
        ("org.units[0].pyramid.span", Measure.COUNT, "reports"),
        ("work[0].arrivals_per_ic_per_week", Measure.NUMBER, "per week"),
        ("restructuring.survivor_effects.attrition_multiplier", Measure.NUMBER, "x"),
        ("meta.no_such_field", Measure.NUMBER, ""),
    ],
)
def test_a_number_has_one_measure_which_decides_how_it_is_written(path, measure, shown) -> None:
    unit = unit_of(path)
    assert unit.measure is measure
    assert unit.shown == shown
    assert Unit.of(str(unit)) == unit  # a study's JSON stores the words and reads them back


def test_every_unit_the_label_table_names_reads_as_a_measure() -> None:
    """No unit word is left to a reader's prefix test: each of the table's units has
    its measure, and only money and rates are written as money and percentages."""
    for _, words in LABELS.values():
        unit = Unit.of(words)
        assert (unit.measure is Measure.MONEY) == words.startswith("money")
        assert (unit.measure is Measure.PERCENT) == (words in ("share", "a year", "share a year"))
