"""Human labels: every number a study can vary reads as words, never as a field path."""

from __future__ import annotations

import re

import pytest

from sim.scenario.fieldpaths import numeric_paths, path_text
from sim.scenario.labels import LABELS, label
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
