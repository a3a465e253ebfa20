"""Correlated inputs: a Gaussian copula keeps every marginal, hits the rank correlations,
keeps each input's own stream, and a matrix that cannot be is refused with its line."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import SMALL
from scipy import stats

from sim.model.draws import draw
from sim.scenario.correlation import matrix_problem, nearest_correlation, smallest_eigenvalue
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import parse_path, path_text, uncertain_parameters
from sim.scenario.load import ScenarioError, parse_scenario

INPUTS = (
    "org.attrition_annual",
    "restructuring.survivor_effects.productivity_dip",
    "ai.programs[0].effects.ic_productivity_uplift",
)
TARGET = np.array([[1, 0.6, -0.4], [0.6, 1, 0.3], [-0.4, 0.3, 1]])


def correlated(matrix: np.ndarray = TARGET, inputs: tuple[str, ...] = INPUTS) -> str:
    rows = "\n".join(f"      - [{', '.join(f'{v:g}' for v in row)}]" for row in matrix)
    names = "\n".join(f"      - {name}" for name in inputs)
    text = SMALL.read_text(encoding="utf-8")
    return f"{text}\ncorrelations:\n  - inputs:\n{names}\n    matrix:\n{rows}\n"


def draws(text: str, count: int, seed: int = 5) -> list[dict[str, float]]:
    scenario = parse_scenario(text, "plan.yaml")
    return [draw(scenario, s)[1] for s in np.random.SeedSequence(seed).spawn(count)]


@pytest.fixture(scope="module")
def sample() -> np.ndarray:
    rows = draws(correlated(), 1000)
    return np.array([[row[name] for name in INPUTS] for row in rows])


def test_copula_keeps_each_input_s_own_distribution(sample: np.ndarray) -> None:
    scenario = parse_scenario(correlated())
    dists = {path_text(p): d for p, d in uncertain_parameters(scenario)}
    for i, name in enumerate(INPUTS):
        cdf = dists[name]._frozen().cdf
        assert stats.kstest(sample[:, i], cdf).pvalue > 0.01, name


def test_rank_correlations_match_the_matrix_within_sampling_error(sample: np.ndarray) -> None:
    achieved = stats.spearmanr(sample).statistic
    n = len(sample)
    # Fisher z of a Spearman correlation has sd about sqrt(1.06 / (n - 3))
    limit = 3.5 * math.sqrt(1.06 / (n - 3))
    for i in range(3):
        for j in range(i + 1, 3):
            assert abs(math.atanh(achieved[i, j]) - math.atanh(TARGET[i, j])) < limit, (i, j)


def test_an_input_outside_the_group_draws_what_it_drew_without_the_group() -> None:
    alone = draws(SMALL.read_text(encoding="utf-8"), 20)
    grouped = draws(correlated(TARGET[:2, :2], INPUTS[:2]), 20)
    outside = INPUTS[2]
    assert [r[outside] for r in alone] == [r[outside] for r in grouped]
    assert [r[INPUTS[0]] for r in alone] != [r[INPUTS[0]] for r in grouped]


def test_adding_an_uncorrelated_input_changes_no_correlated_draw() -> None:
    text = correlated(TARGET[:2, :2], INPUTS[:2])
    more = text.replace("automation_share: 0.05", "automation_share: pert(0.02, 0.05, 0.1)")
    before, after = draws(text, 20), draws(more, 20)
    for name in INPUTS[:2]:
        assert [r[name] for r in before] == [r[name] for r in after]


def test_fixing_a_correlated_input_takes_it_out_of_its_group() -> None:
    scenario = parse_scenario(correlated())
    fixed = with_value(scenario, parse_path(INPUTS[0]), 0.1)
    assert fixed.correlations[0].inputs == INPUTS[1:]
    assert fixed.org.attrition_annual == 0.1
    assert set(draw(fixed, 3)[1]) >= set(INPUTS[1:])


@pytest.mark.parametrize(
    ("matrix", "where", "words"),
    [
        ([[1, 0.6, -0.9], [0.6, 1, 0.3], [-0.9, 0.3, 1]], "correlations[0].matrix:", "Higham"),
        ([[1, 0.6, -0.4], [0.5, 1, 0.3], [-0.4, 0.3, 1]], "correlations[0].matrix[1][0]:", "symm"),
        ([[1, 0.6, -0.4], [0.6, 0.9, 0.3], [-0.4, 0.3, 1]], "matrix[1][1]:", "diagonal"),
        ([[1, 0.6, -0.4], [0.6, 1, 1.3], [-0.4, 0.3, 1]], "matrix[1][2]:", "<= 1"),
    ],
)
def test_an_invalid_matrix_is_one_line_with_file_and_line(
    matrix: list[list[float]], where: str, words: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(correlated(np.array(matrix)), "plan.yaml")
    lines = str(caught.value).splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("plan.yaml:") and lines[0].split(":")[1].isdigit()
    assert where in lines[0] and words in lines[0]


def test_a_fixed_number_or_a_typo_cannot_be_correlated() -> None:
    fixed = correlated(TARGET[:2, :2], ("org.attrition_annual", "org.backfill.share"))
    with pytest.raises(ScenarioError, match=r"inputs\[1\]: org.backfill.share is a fixed number"):
        parse_scenario(fixed, "plan.yaml")
    typo = correlated(TARGET[:2, :2], ("org.attrition", INPUTS[1]))
    with pytest.raises(ScenarioError, match=r"did you mean 'org\.attrition_annual'"):
        parse_scenario(typo, "plan.yaml")


def test_higham_gives_the_nearest_valid_correlation_matrix() -> None:
    bad = np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    near = nearest_correlation(bad)
    assert smallest_eigenvalue(near) > -1e-8
    assert np.allclose(np.diag(near), 1)
    assert matrix_problem(near) is None
    # no valid matrix is nearer: nudging toward the bad one breaks validity
    assert smallest_eigenvalue(near + 0.01 * (bad - near)) < 0


def test_a_tornado_on_correlated_inputs_swings_a_fixed_input_with_or_without_them(
    tmp_path,
) -> None:
    # issue 27: '--vary: meta.discount_rate_annual=0.07: correlations[0].inputs[0]: ... is
    # a fixed number': the tornado fixed the uncertain inputs at their medians but kept
    # their correlation group
    from click.testing import CliRunner

    from sim.cli import main

    path = tmp_path / "correlated.yaml"
    path.write_text(correlated(), encoding="utf-8")
    fast = ["-n", "2", "--workers", "1", "-q", "--no-charts"]
    for uncertain in ("--no-uncertain", "--uncertain"):
        out = tmp_path / uncertain
        result = CliRunner().invoke(
            main,
            [
                "sensitivity",
                str(path),
                "--vary",
                "meta.discount_rate_annual=0.06:0.10",
                uncertain,
                "-o",
                str(out),
                *fast,
            ],
        )
        assert result.exit_code == 0, result.output
        study = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
        assert "meta.discount_rate_annual" in json.dumps(study)
