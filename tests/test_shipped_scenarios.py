"""The shipped scenarios are valid, tell the story they claim, and are documented.

Each file in scenarios/ must load, must match the JSON Schema an editor sees,
and the motivating e-commerce case must keep its public totals. The format's
reference, docs/scenario-format.md, must name every field the schema has, so
the documentation cannot fall behind the code.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCENARIO_DIR, SHIPPED
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from sim.scenario import yamlfile
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario, nominal

SCENARIOS = SHIPPED
FORMAT_DOC = ROOT / "docs" / "scenario-format.md"

#: the e-commerce company's corporate staff: about 350,000 (public)
ECOMMERCE_HEADCOUNT = (340_000, 360_000)
#: roles cut in its two waves: about 30,000 in all (public)
ECOMMERCE_CUT = (28_000, 32_000)
#: each wave's public size, with some room for an illustrative split
ECOMMERCE_WAVES = ((13_000, 15_000), (15_000, 17_000))


def _ids(path: Path) -> str:
    return path.name


def _scenario(name: str) -> Scenario:
    return load_scenario(SCENARIO_DIR / name)


def start_headcount(scenario: Scenario) -> float:
    """Everyone in every layer of every unit at the start."""
    return sum(
        nominal(layer.headcount) for unit in scenario.org.units for layer in unit.resolved_layers
    )


def people_cut_per_wave(scenario: Scenario) -> list[float]:
    """People each wave cuts, replaying the waves in date order on start headcounts.

    Counts are taken as they are, shares of what is left in the layer by then;
    a removed layer loses everyone not moved down, and those moved down join
    the layer below (cuts in a wave come before its removals, as in validation).
    """
    headcounts = {
        unit.name: {layer.name: nominal(layer.headcount) for layer in unit.resolved_layers}
        for unit in scenario.org.units
    }
    cut_per_wave = []
    for wave in sorted(scenario.restructuring.waves, key=lambda w: w.date):
        cut = 0.0
        for c in wave.cuts:
            layers = headcounts[c.unit]
            people = (
                nominal(c.count) if c.count is not None else nominal(c.share) * layers[c.layer]  # type: ignore[arg-type]
            )
            layers[c.layer] -= people
            cut += people
        for removal in wave.remove_layers:
            layers = headcounts[removal.unit]
            names = list(layers)
            below = names[names.index(removal.layer) + 1]
            removed = layers.pop(removal.layer)
            moved = removed * nominal(removal.moved_down_share)
            layers[below] += moved
            cut += removed - moved
        cut_per_wave.append(cut)
    return cut_per_wave


# ------------------------------------------------------------------ every file


def test_the_five_scenarios_are_shipped() -> None:
    assert {p.name for p in SCENARIOS} >= {
        "ecommerce-2026.yaml",
        "midsize-delayering.yaml",
        "ai-only.yaml",
        "cuts-only.yaml",
        "status-quo.yaml",
    }


@pytest.mark.parametrize("path", SCENARIOS, ids=_ids)
def test_shipped_scenario_validates(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.meta.name == path.stem


@pytest.mark.parametrize("path", SCENARIOS, ids=_ids)
def test_shipped_scenario_matches_the_json_schema(path: Path) -> None:
    schema = Scenario.model_json_schema()
    Draft202012Validator.check_schema(schema)
    data = yamlfile.load(path.read_text(encoding="utf-8")).data
    errors = [
        f"{'.'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in Draft202012Validator(schema).iter_errors(data)
    ]
    assert not errors, "\n".join(errors)


# ------------------------------------------------------------- e-commerce case


def test_ecommerce_starts_with_about_350_000_corporate_staff() -> None:
    low, high = ECOMMERCE_HEADCOUNT
    assert low <= start_headcount(_scenario("ecommerce-2026.yaml")) <= high


def test_ecommerce_waves_cut_about_30_000_roles() -> None:
    cuts = people_cut_per_wave(_scenario("ecommerce-2026.yaml"))
    low, high = ECOMMERCE_CUT
    assert low <= sum(cuts) <= high
    assert len(cuts) == len(ECOMMERCE_WAVES)
    for cut, (low, high) in zip(cuts, ECOMMERCE_WAVES, strict=True):
        assert low <= cut <= high


def test_ecommerce_removes_a_management_layer_in_at_least_two_units() -> None:
    scenario = _scenario("ecommerce-2026.yaml")
    units = {
        removal.unit
        for wave in scenario.restructuring.waves
        for removal in wave.remove_layers
        if nominal(removal.moved_down_share) > 0
    }
    assert len(units) >= 2


def test_ecommerce_reinvests_savings_and_runs_one_programme_on_a_budget() -> None:
    funding = [p.funding for p in _scenario("ecommerce-2026.yaml").ai.programs]
    assert any(f is not None and f.reinvest_share is not None for f in funding)
    assert any(f is not None and f.budget_per_month is not None for f in funding)


def test_cuts_only_is_the_ecommerce_case_without_ai() -> None:
    ecommerce, cuts_only = _scenario("ecommerce-2026.yaml"), _scenario("cuts-only.yaml")
    assert cuts_only.org == ecommerce.org
    assert cuts_only.work == ecommerce.work
    assert cuts_only.restructuring == ecommerce.restructuring
    assert not cuts_only.ai.programs and not cuts_only.ai.new_roles


def test_status_quo_is_the_ecommerce_organisation_left_alone() -> None:
    ecommerce, status_quo = _scenario("ecommerce-2026.yaml"), _scenario("status-quo.yaml")
    assert status_quo.org.units == ecommerce.org.units
    assert status_quo.org.attrition_annual == ecommerce.org.attrition_annual
    assert status_quo.org.backfill == ecommerce.org.backfill
    assert status_quo.work == ecommerce.work
    assert not status_quo.org.hiring_freezes
    assert not status_quo.restructuring.waves
    assert not status_quo.ai.programs and not status_quo.ai.new_roles


def test_ai_only_cuts_nobody_and_replaces_no_leaver() -> None:
    scenario = _scenario("ai-only.yaml")
    assert not scenario.restructuring.waves
    assert nominal(scenario.restructuring.backfill_share) == 0  # the plan: no leaver replaced
    assert nominal(scenario.org.backfill.share) > 0  # the baseline backfills as usual
    assert scenario.ai.programs
    assert all(p.funding is not None and p.funding.budget_per_month for p in scenario.ai.programs)


def test_midsize_company_removes_one_of_six_layers() -> None:
    scenario = _scenario("midsize-delayering.yaml")
    assert 4_500 <= start_headcount(scenario) <= 5_500
    assert all(len(unit.resolved_layers) == 6 for unit in scenario.org.units)
    removed = {r.layer for w in scenario.restructuring.waves for r in w.remove_layers}
    assert len(removed) == 1


# --------------------------------------------------------------- the reference


def _models_inside(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models inside ``X | None``, ``tuple[X, ...]``, ``Annotated[X, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    if typing.get_origin(annotation) is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _models_inside(arg)


def _all_models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> None:
    if model.__name__ in seen:
        return
    seen[model.__name__] = model
    for field in model.model_fields.values():
        for inner in _models_inside(field.annotation):
            _all_models(inner, seen)


def test_format_reference_names_every_field_of_every_model() -> None:
    models: dict[str, type[BaseModel]] = {}
    _all_models(Scenario, models)
    assert len(models) > 10  # the walk found the nested models, not only the top
    text = FORMAT_DOC.read_text(encoding="utf-8")
    missing = [
        f"{name}.{field}"
        for name, model in models.items()
        for field in model.model_fields
        if f"`{field}`" not in text
    ]
    assert not missing, f"docs/scenario-format.md does not mention: {', '.join(missing)}"
