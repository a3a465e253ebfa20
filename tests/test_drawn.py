"""A drawn scenario holds numbers only, and a rule between numbers holds for every draw.

The model reads :class:`DrawnScenario` (sim.scenario.drawn), whose quantities are
numbers; a cross-field rule is checked over everything a replication can draw,
so an uncertain input never passes validation and then breaks a replication.
"""

from __future__ import annotations

import functools
import json
import math
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import sim.scenario.schema as schema
from sim.cli import main
from sim.finance.metrics import terminal_value
from sim.model.draws import draw
from sim.scenario.crosscheck import GROWTH, RATE, cross_check
from sim.scenario.distributions import Distribution
from sim.scenario.drawn import DRAWN, DrawnScenario, drawn_scenario, nominal_scenario
from sim.scenario.fieldpaths import fix
from sim.scenario.load import ScenarioError, parse_scenario
from sim.scenario.quantities import PerItem
from sim.scenario.schema import Scenario
from tests.conftest import FAST, ROOT, SMALL

PERPETUITY = "  terminal_value: {years: perpetuity, growth_annual: 0.03}\n"


def small_text(rate: str = "0.08", growth: str = "0.03") -> str:
    """small-delayering.yaml with the discount rate given and a growing perpetuity."""
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("discount_rate_annual: 0.08", f"discount_rate_annual: {rate}", 1)
    return text + PERPETUITY.replace("0.03", growth)


def write(tmp_path: Path, rate: str, growth: str = "0.03") -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(small_text(rate, growth), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


# --- the uncertain discount rate beside a growing perpetuity, as a user meets it -------


def test_an_uncertain_rate_that_can_fall_to_the_perpetuitys_growth_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "uniform(0.01, 0.15)")
    rate_line = line_of(path, "discount_rate_annual")
    for command in (["validate"], ["run", "-o", str(tmp_path / "out"), *FAST]):
        result = CliRunner().invoke(main, [*command, str(path)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        problem = result.stderr.splitlines()[0]
        assert problem.startswith(f"{path.name}:{rate_line}:")
        assert ": meta.discount_rate_annual: a perpetuity must grow more slowly than every " in (
            problem
        )
        assert "uniform(0.01, 0.15) can be as low as 0.01, the growth is 0.03" in problem
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]  # nothing written


def test_an_open_tailed_rate_reaches_any_growth_at_or_above_zero_and_is_refused(
    tmp_path: Path,
) -> None:
    # a normal rate is clipped at 0: a replication can draw it below any growth >= 0,
    # and the mean terminal value of a rate with density at the growth is infinite
    path = write(tmp_path, "normal(0.08, 0.01)")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "normal(0.08, 0.01) can be as low as 0 (an open tail reaches the field's bound)" in (
        result.stderr
    )
    # shrinking growth cannot help an open tail, but a negative growth is below every rate
    below = write(tmp_path, "normal(0.08, 0.01)", "-0.01")
    assert CliRunner().invoke(main, ["validate", str(below)]).exit_code == 0


def test_an_uncertain_growth_that_can_reach_the_rate_is_refused_at_the_growth(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "0.08", "'pert(0, 0.02, 0.1)'")  # quoted in {...}
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    problem = result.stderr.splitlines()[0]
    assert problem.startswith(f"{path.name}:{line_of(path, 'terminal_value')}:")
    assert "finance.terminal_value.growth_annual:" in problem
    assert "the rate is 0.08, the growth pert(0, 0.02, 0.1) can be as high as 0.1" in problem


def test_a_fixed_rate_and_growth_keep_their_message() -> None:
    with pytest.raises(
        ScenarioError,
        match=r"growth_annual: a perpetuity must grow more slowly "
        r"than the discount rate \(0\.08\), got 0\.09",
    ):
        parse_scenario(small_text("0.08", "0.09"), "plan.yaml")


@functools.cache
def perpetuity_scenario() -> Scenario:
    return parse_scenario(small_text(), "plan.yaml")


@settings(max_examples=40, deadline=None)
@given(
    low=st.floats(0.0, 0.5),
    width=st.floats(1e-3, 0.5),
    growth=st.floats(-0.5, 0.5),
)
def test_a_perpetuity_validation_accepts_is_finite_on_every_draw(
    low: float, width: float, growth: float
) -> None:
    base = perpetuity_scenario()
    rate = Distribution("uniform", (low, min(low + width, 1.0)))
    scenario = fix(base, {RATE: rate, GROWTH: growth})
    refused = [loc for loc, _ in cross_check(scenario) if loc in (RATE, GROWTH)]
    assert bool(refused) == (low <= growth)  # refused exactly when some draw reaches it
    if refused:
        return
    for seed in range(10):
        drawn, _ = draw(scenario, seed)
        terms = drawn.finance.terminal_value
        assert terms is not None
        value = terminal_value(1e6, drawn.meta.discount_rate_annual, 12, None, terms.growth_annual)
        assert math.isfinite(value) and value > 0


@pytest.mark.slow
def test_a_rate_whose_draws_stay_above_the_growth_runs_and_says_the_npvs_differ(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    path = write(tmp_path, "uniform(0.04, 0.15)")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(path), "-o", str(out), "--no-charts", *FAST],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    terminal = summary["headline"]["terminal_value"]
    assert all(math.isfinite(terminal[k]) and terminal[k] > 0 for k in ("p10", "p90"))
    # each replication discounts at its own draw, the mean cash flow at the mean rate
    assert summary["mean_cash_flow"]["discount_rate_annual"] == pytest.approx(0.095)
    npv, mean_npv = summary["mean_cash_flow"]["npv"], summary["headline"]["npv"]["mean"]
    assert npv != pytest.approx(mean_npv, rel=1e-6)
    note = summary["conventions"]["statistics"]
    assert "NPV does not" in note and "the mean of NPVs is the NPV of the mean" not in note


def test_sign_off_shares_that_can_sum_past_one_are_refused_at_validation() -> None:
    text = small_text().replace(
        "signoff_shares: [0.5, 0.2, 0.05]", "signoff_shares: ['pert(0.4, 0.5, 0.8)', 0.2, 0.05]"
    )
    with pytest.raises(
        ScenarioError,
        match=r"work\[0\]\.signoff_shares: shares of items needing sign-off can sum to 1\.05 "
        r"\(each at the top of what it can draw\)",
    ):
        parse_scenario(text, "plan.yaml")


def test_an_uncertain_seat_price_growth_on_a_fixed_running_cost_is_refused() -> None:
    # its mean is 0, but a replication draws a growth the fixed cost has no seat price for
    text = small_text().replace(
        "{per_seat_per_month: 40}",
        "{fixed_per_month: 30000, price_growth_annual: 'uniform(-0.1, 0.1)'}",
    )
    with pytest.raises(
        ScenarioError, match=r"running_cost\.price_growth_annual: seat price growth needs"
    ):
        parse_scenario(text, "plan.yaml")


# --- the type ---------------------------------------------------------------------------


def _parts(annotation: object) -> set[type[BaseModel]]:
    """The parts of the format an annotation holds (in tuples, unions, Annotated)."""
    found: set[type[BaseModel]] = set()
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            found.add(item)
        stack.extend(typing.get_args(item))
    return found


def _uncertain(annotation: object) -> bool:
    return any(a is Distribution for a in _flat(annotation))


def _flat(annotation: object) -> list[object]:
    out, stack = [], [annotation]
    while stack:
        item = stack.pop()
        out.append(item)
        stack.extend(typing.get_args(item))
    return out


def test_every_quantity_and_part_of_the_format_is_narrowed_in_its_drawn_form() -> None:
    """A field added to the format without its drawn form would reach the model as
    ``float | Distribution``: every quantity must be a number in the drawn part (or a
    per-item distribution), and every nested part its drawn part."""
    parts = [
        cls
        for cls in vars(schema).values()
        if isinstance(cls, type) and issubclass(cls, schema.Model) and cls is not schema.Model
    ]
    for part in parts:
        fields = part.model_fields
        holds = any(
            _uncertain(f.annotation) or _parts(f.annotation) & set(DRAWN) for f in fields.values()
        )
        if not holds:
            continue
        assert part in DRAWN, f"{part.__name__} holds quantities but has no drawn form"
        drawn = DRAWN[part].model_fields
        for name, field in fields.items():
            narrowed = drawn[name].annotation
            # a number, or a per-item distribution (PerItem, which the engine draws)
            assert not _uncertain(narrowed), f"{part.__name__}.{name}"
            for inner in _parts(field.annotation) & set(DRAWN):
                assert DRAWN[inner] in _parts(narrowed), f"{part.__name__}.{name}"


def test_a_draw_is_a_drawn_scenario_and_an_undrawn_distribution_is_refused() -> None:
    scenario = parse_scenario(SMALL.read_text(encoding="utf-8"), "small.yaml")
    drawn, _ = draw(scenario, 1)
    assert isinstance(drawn, DrawnScenario)
    assert isinstance(drawn.org.attrition_annual, float)
    assert isinstance(drawn.work[0].effort_hours, PerItem)  # drawn per item, by the engine
    assert all(isinstance(x.headcount, float) for x in drawn.unit("Operations").resolved_layers)
    with pytest.raises(TypeError, match=r"org\.attrition_annual is pert\(0\.09, 0\.12, 0\.16\)"):
        drawn_scenario(scenario)
    mean = (0.09 + 4 * 0.12 + 0.16) / 6  # pert
    assert nominal_scenario(scenario).org.attrition_annual == pytest.approx(mean)


@pytest.mark.slow
def test_mypy_refuses_an_uncertain_scenario_where_the_model_reads_numbers(
    tmp_path: Path,
) -> None:
    code = tmp_path / "wrong.py"
    code.write_text(
        "from sim.model.prices import PriceLevels\n"
        "from sim.scenario.load import load_scenario\n"
        "PriceLevels.of(load_scenario('plan.yaml'), 12)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "setup.cfg"), str(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert 'incompatible type "Scenario"; expected "DrawnScenario"' in done.stdout
