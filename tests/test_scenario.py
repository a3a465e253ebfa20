"""The scenario loader on good input: what a user who writes a valid file gets back.

A validated scenario is immutable; a distribution may be written as a string or
a mapping and means the same; ``restructure new`` writes a file that validates;
``restructure schema`` is a JSON Schema that agrees with the loader; and the
distributions draw what they say they draw.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from sim.cli import main
from sim.scenario import yamlfile
from sim.scenario.distributions import Distribution, parse
from sim.scenario.load import ScenarioError, load_scenario, parse_scenario
from sim.scenario.quantities import PerItem
from sim.scenario.starter import starter_scenario

STARTER = starter_scenario("Operations delayering")


def edited(*pairs: tuple[str, str]) -> str:
    """The starter with each ``old`` replaced by ``new`` (each must occur once)."""
    text = STARTER
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "scenario.yaml")
    return [str(problem) for problem in caught.value.problems]


# -------------------------------------------------------------------------- the starter


def test_the_starter_scenario_validates(tmp_path: Path) -> None:
    path = tmp_path / "starter.yaml"
    path.write_text(STARTER, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.meta.name == "Operations delayering"
    assert scenario.meta.start == dt.date(2026, 1, 1)
    assert scenario.meta.horizon_months == 36
    unit = scenario.unit("Operations")
    assert [layer.name for layer in unit.resolved_layers] == [
        "Director",
        "Senior manager",
        "Manager",
        "IC",
    ]
    assert sum(layer.headcount for layer in unit.resolved_layers) == 1000
    assert scenario.work_for("Operations") is scenario.work[0]
    assert scenario.restructuring.waves[0].date == dt.date(2026, 4, 1)


def test_the_validate_command_accepts_the_starter(tmp_path: Path) -> None:
    path = tmp_path / "starter.yaml"
    path.write_text(STARTER, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: {path} (Operations delayering)\n"
    assert result.stderr == ""


def test_per_item_fields_are_drawn_per_item_and_the_rest_per_replication() -> None:
    scenario = parse_scenario(STARTER)
    work = scenario.work[0]
    assert isinstance(work.effort_hours, PerItem)
    assert isinstance(work.review_hours, PerItem)
    uplift = scenario.ai.programs[0].effects.ic_productivity_uplift
    assert isinstance(uplift, Distribution)
    assert not isinstance(uplift, PerItem)


# ------------------------------------------------------------------------- immutability


def test_a_validated_scenario_cannot_be_changed() -> None:
    scenario = parse_scenario(STARTER)
    with pytest.raises(ValidationError, match="frozen"):
        scenario.meta.horizon_months = 12
    with pytest.raises(ValidationError, match="frozen"):
        scenario.org.attrition_annual = 0.5
    with pytest.raises(ValidationError, match="frozen"):
        scenario.org.units[0].layers[0].headcount = 1
    with pytest.raises(TypeError):
        scenario.org.units[0] = scenario.org.units[0]
    with pytest.raises(AttributeError):
        scenario.restructuring.waves.append(scenario.restructuring.waves[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.work[0].effort_hours.params = (1.0, 1.0)


# ------------------------------------------------------------------------ distributions


def test_both_forms_of_a_distribution_are_the_same_distribution() -> None:
    written = Distribution("pert", (0.0, 0.15, 0.35))
    assert parse("pert(0, 0.15, 0.35)") == written
    assert parse({"pert": [0, 0.15, 0.35]}) == written
    assert parse(" PERT( 0 ,0.15, 0.35 ) ") == written
    assert parse("tri(1, 2, 3)") == parse({"triangular": [1, 2, 3]})


def test_a_scenario_reads_both_forms_of_a_distribution_alike() -> None:
    as_string = parse_scenario(STARTER)
    as_mapping = parse_scenario(
        edited(
            (
                "ic_productivity_uplift: pert(0.0, 0.15, 0.35)",
                "ic_productivity_uplift: {pert: [0, 0.15, 0.35]}",
            ),
            ("effort_hours: lognormal(8, 5)", "effort_hours: {lognormal: [8, 5]}"),
        )
    )
    assert as_mapping == as_string
    effects = as_mapping.ai.programs[0].effects
    assert effects.ic_productivity_uplift == Distribution("pert", (0.0, 0.15, 0.35))
    assert isinstance(as_mapping.work[0].effort_hours, PerItem)


def test_a_distribution_reaching_outside_a_fractions_range_is_an_error() -> None:
    problems = problems_of(
        edited(("adoption: {ceiling: 0.7,", "adoption: {ceiling: 'pert(0.5, 0.9, 1.2)',"))
    )
    assert len(problems) == 1
    assert "ai.programs[0].adoption.ceiling: pert(0.5, 0.9, 1.2) reaches outside" in problems[0]
    assert "(>= 0 and <= 1)" in problems[0]


def test_a_distribution_below_zero_for_a_fraction_is_an_error() -> None:
    problems = problems_of(
        edited(("automation_share: 0.05", "automation_share: uniform(-0.1, 0.2)"))
    )
    assert problems == [
        "scenario.yaml:72:27: ai.programs[0].effects.automation_share: "
        "uniform(-0.1, 0.2) reaches outside the allowed range (>= 0 and <= 1)"
    ]


def test_an_open_tailed_distribution_is_allowed_when_its_mean_is_in_range() -> None:
    # normal draws are clipped to the field when drawn, so only the mean is checked
    scenario = parse_scenario(
        edited(("automation_share: 0.05", "automation_share: normal(0.05, 0.03)"))
    )
    assert scenario.ai.programs[0].effects.automation_share == Distribution("normal", (0.05, 0.03))


# --------------------------------------------------------------------------- unknown keys


def test_an_unknown_key_is_an_error_with_a_did_you_mean_hint() -> None:
    problems = problems_of(edited(("  attrition_annual: 0.12", "  atrition_annual: 0.12")))
    assert problems == [
        "scenario.yaml:19:3: org.atrition_annual: unknown key 'atrition_annual' "
        "(did you mean 'attrition_annual'?)"
    ]


def test_a_misspelt_section_gets_a_hint_too() -> None:
    problems = problems_of(edited(("\nrestructuring:\n", "\nrestucturing:\n")))
    assert len(problems) == 1
    assert "restucturing: unknown key 'restucturing' (did you mean 'restructuring'?)" in problems[0]


def test_an_unknown_key_with_no_close_match_lists_the_keys_allowed() -> None:
    problems = problems_of(edited(("  currency: USD", "  currency: USD\n  owner: CFO office")))
    assert len(problems) == 1
    expected = "meta.owner: unknown key 'owner'; expected one of: name, description, start"
    assert expected in problems[0]


# ------------------------------------------------------------------------ restructure new


def test_new_writes_a_starter_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "Q3 plan"])
    assert result.exit_code == 0, result.output
    assert load_scenario(tmp_path / "Q3 plan.yaml").meta.name == "Q3 plan"


def test_new_refuses_to_overwrite_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    path = tmp_path / "plan.yaml"
    assert runner.invoke(main, ["new", "plan"]).exit_code == 0
    path.write_text("# my edits\n", encoding="utf-8")

    refused = runner.invoke(main, ["new", "plan"])
    assert refused.exit_code == 2
    assert "plan.yaml exists; pass --force to replace it" in refused.stderr
    assert "Traceback" not in refused.output
    assert path.read_text(encoding="utf-8") == "# my edits\n"

    forced = runner.invoke(main, ["new", "plan", "--force"])
    assert forced.exit_code == 0
    assert load_scenario(path).meta.name == "plan"


@pytest.mark.parametrize("given", ["starter.yaml", "Q3 plan.YML"])
def test_new_given_a_file_name_writes_that_file_not_a_yaml_yaml(
    given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", given])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == [given]
    assert load_scenario(tmp_path / given).meta.name == Path(given).stem
    assert f"restructure validate {given}" in result.output


def test_new_writes_where_output_says(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    result = CliRunner().invoke(main, ["new", "plan", "-o", str(target)])
    assert result.exit_code == 0
    assert load_scenario(target).meta.name == "plan"


@pytest.mark.parametrize("name", ["Réorganisation 2026", "ops-plan_v2.1", "Q3 big plan"])
def test_new_writes_a_file_that_validates_for_any_folder_safe_name(
    tmp_path: Path, name: str
) -> None:
    target = tmp_path / "scenario.yaml"
    result = CliRunner().invoke(main, ["new", name, "-o", str(target)])
    assert result.exit_code == 0
    assert load_scenario(target).meta.name == name


@pytest.mark.parametrize(
    "name",
    [
        'Q3 "big" plan: ops',
        "../escape",
        "it's # not a comment",
        "Q3 2026 Operations delayering and AI assistant rollout across EMEA and APAC regions",
    ],
)
def test_new_refuses_a_name_the_format_would_reject(tmp_path: Path, name: str) -> None:
    """The name becomes the output folder runs/<name>/: it must be safe as one."""
    target = tmp_path / "scenario.yaml"
    result = CliRunner().invoke(main, ["new", name, "-o", str(target)])
    assert result.exit_code == 2
    assert "NAME" in result.output or "name" in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


# --------------------------------------------------------------------- restructure schema


@pytest.fixture(scope="module")
def json_schema() -> dict:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_the_schema_command_prints_a_valid_json_schema(json_schema: dict) -> None:
    Draft202012Validator.check_schema(json_schema)
    assert set(json_schema["required"]) == {"meta", "org", "work"}


def test_the_starter_is_valid_against_the_json_schema(json_schema: dict) -> None:
    data = yamlfile.load(STARTER).data
    errors = [error.message for error in Draft202012Validator(json_schema).iter_errors(data)]
    assert errors == []


def test_a_rate_of_one_and_a_half_fails_the_json_schema_too(json_schema: dict) -> None:
    data = yamlfile.load(STARTER).data
    data["org"]["attrition_annual"] = 1.5
    errors = list(Draft202012Validator(json_schema).iter_errors(data))
    assert [list(error.absolute_path) for error in errors] == [["org", "attrition_annual"]]


def test_an_unknown_key_fails_the_json_schema_too(json_schema: dict) -> None:
    data = yamlfile.load(STARTER).data
    data["org"]["backfill"]["lag_wekks"] = 10
    assert not Draft202012Validator(json_schema).is_valid(data)


# ------------------------------------------------------------------ distribution sampling

DRAWS = 20_000
DISTRIBUTIONS = [
    Distribution("triangular", (1.0, 2.0, 6.0)),
    Distribution("pert", (0.0, 0.15, 0.35)),
    Distribution("normal", (10.0, 3.0)),
    Distribution("lognormal", (8.0, 5.0)),
    Distribution("uniform", (2.0, 5.0)),
    Distribution("exponential", (0.5,)),
]
SYMMETRIC = [
    Distribution("triangular", (1.0, 3.0, 5.0)),
    Distribution("pert", (0.0, 0.5, 1.0)),
    Distribution("normal", (10.0, 3.0)),
    Distribution("uniform", (2.0, 5.0)),
]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=str)
def test_sample_mean_is_within_four_standard_errors_of_the_mean(dist: Distribution) -> None:
    draws = dist.sample(np.random.default_rng(20260101), DRAWS)
    standard_error = draws.std(ddof=1) / math.sqrt(DRAWS)
    assert abs(draws.mean() - dist.mean) < 4 * standard_error


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=str)
def test_draws_fall_below_each_quantile_as_often_as_it_says(dist: Distribution) -> None:
    draws = dist.sample(np.random.default_rng(7), DRAWS)
    for q in (0.1, 0.5, 0.9):
        share_below = np.mean(draws <= dist.quantile(q))
        assert abs(share_below - q) < 4 * math.sqrt(q * (1 - q) / DRAWS)


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=str)
def test_draws_stay_inside_the_support(dist: Distribution) -> None:
    draws = dist.sample(np.random.default_rng(3), DRAWS)
    low, high = dist.support
    assert draws.min() >= low
    assert draws.max() <= high


def test_lognormal_is_written_by_the_mean_and_sd_of_the_value_not_its_log() -> None:
    draws = Distribution("lognormal", (8.0, 5.0)).sample(np.random.default_rng(11), DRAWS)
    assert draws.std(ddof=1) == pytest.approx(5.0, rel=0.05)


@pytest.mark.parametrize("dist", SYMMETRIC, ids=str)
def test_the_median_of_a_symmetric_distribution_is_its_mean(dist: Distribution) -> None:
    assert dist.quantile(0.5) == pytest.approx(dist.mean, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=str)
def test_the_same_seed_draws_the_same_numbers(dist: Distribution) -> None:
    first = dist.sample(np.random.default_rng(42), 100)
    again = dist.sample(np.random.default_rng(42), 100)
    assert np.array_equal(first, again)


def test_validate_gives_a_name_typo_with_the_other_problems_in_line_order() -> None:
    # issue 27: cross-field typos (unit and layer names) surfaced only on a second pass,
    # once the rest was fixed; and problems came out of line order
    problems = problems_of(
        edited(
            ("attrition_annual: 0.12", "attrition_annual: 12"),
            ("layer: Senior manager, moved_down_share", "layer: Senior manger, moved_down_share"),
        )
    )
    assert len(problems) == 2, problems
    assert "org.attrition_annual" in problems[0]
    assert "no layer in unit 'Operations' named 'Senior manger'" in problems[1]
    assert "did you mean 'Senior manager'?" in problems[1]
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)


def test_a_file_with_thousands_of_problems_lists_the_first_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """A pasted column of numbers where a list of mappings belongs: the reader gets the
    first problems with their lines and how many more there are, not 3,000 lines."""
    from sim.scenario.load import MOST_SHOWN

    path = tmp_path / "pasted.yaml"
    path.write_text("meta:\n  name: x\nwork:\n" + "  - 1\n" * 3000, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[-1] == "1 of 1 file(s) invalid"
    shown = [line for line in lines if "expected a mapping" in line]
    assert len(shown) < MOST_SHOWN  # the missing fields come first, then the first items
    assert shown[0].startswith("pasted.yaml:4:5: work[0]: expected a mapping")
    assert len(lines) == MOST_SHOWN + 2
    more = 3000 + 2 - MOST_SHOWN  # every item, and the two required fields missing
    assert lines[-2] == (
        f"pasted.yaml: and {more:,} more problems (the first 25 shown; fix these and "
        "validate again)"
    )
