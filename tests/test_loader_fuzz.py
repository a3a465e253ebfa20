"""The loader answers every file with a scenario or a ScenarioError, never anything else.

A property test mutates the shipped scenarios the way editors, pastes and broken
disks do and checks the contract of issue 15: one line per problem,
``file:line:col: ...``, nothing unprintable, nothing on stderr. Then one test per
class of input that once gave a traceback, a hang or a poor message, each a
sentence. bench/fuzz_scenarios.py runs the same contract over thousands of
mutants, outside the suite.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario.load import ScenarioError, load_scenario, parse_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = {
    p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "scenarios").glob("*.yaml"))
}
MIDSIZE = SHIPPED["midsize-delayering.yaml"]
#: a problem names its file (the scenario, or a roster it reads), line and column
PROBLEM = re.compile(r"^[^:\n]+:\d+:\d+: \S")

#: what people and machines put into files, in the places they put it
SNIPPETS = [
    "%YAML 1.1\n",
    "%TAG ! tag:example.com,2000:\n",
    "---\n",
    "...\n",
    "!!bool maybe",
    "!!set {a}",
    "? [a, b]: 1\n",
    "\t",
    "\u2028",
    "\x07",
    "\x1b[31m",
    "\ufeff",
    "1e308",
    "-1e308",
    "1e-300",
    "9999-12",
    "normal(0.5, 1e308)",
    "'normal(1e308, 1e308)'",
    "[" * 400,
    "{a: " * 200,
    "&a [*a]",
    "\x85",
    "9" * 400,
    ".nan",
    "\r",
    ": :",
]


def assert_clean(text: str, name: str = "fuzzed.yaml") -> None:
    """The contract: a Scenario, or a ScenarioError whose every line is file:line:col."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a scipy or numpy warning would reach stderr
        try:
            assert isinstance(parse_scenario(text, name), Scenario)
        except ScenarioError as err:
            for line in str(err).split("\n"):
                assert PROBLEM.match(line), line
                assert line.isprintable(), line


@st.composite
def mutants(draw: st.DrawFn) -> str:
    text = SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))]
    at = draw(st.integers(0, len(text)))
    cut = draw(st.integers(0, 3))
    inserted = draw(
        st.one_of(
            st.sampled_from(SNIPPETS),
            st.text(max_size=8),
            st.characters().map(str),
        )
    )
    return text[:at] + inserted + text[at + cut :]


@settings(
    max_examples=150,
    deadline=dt.timedelta(seconds=5),
    derandomize=True,  # the same examples on every machine: CI is never red by chance
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutants())
def test_the_loader_raises_nothing_but_a_scenario_error_on_any_mutant(text: str) -> None:
    assert_clean(text)


@settings(max_examples=60, deadline=dt.timedelta(seconds=5), derandomize=True, database=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_a_scenario_or_one_line_each(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "bytes.yaml"
    path.write_bytes(data)
    try:
        load_scenario(path)
    except ScenarioError as err:
        for line in str(err).split("\n"):
            assert PROBLEM.match(line) and line.isprintable(), line


def problems(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    message = str(caught.value)
    assert all(PROBLEM.match(line) for line in message.split("\n")), message
    return message


def test_a_yaml_directive_is_named_with_its_line() -> None:
    assert "s.yaml:1:1: YAML directives" in problems("%YAML 1.1\n---\n" + MIDSIZE)
    assert "directives" in problems("%TAG ! tag:example.com,2000:\n---\n" + MIDSIZE)


def test_a_control_character_is_named_by_its_code_point_line_and_column() -> None:
    text = MIDSIZE.replace("name: midsize", "name: mid\x07size", 1)
    line = text[: text.index("\x07")].count("\n") + 1
    assert re.search(rf"s\.yaml:{line}:\d+: U\+0007 \(BELL\)", problems(text))


def test_a_tag_is_refused_where_it_stands() -> None:
    assert "!!bool" in problems(MIDSIZE.replace("seed: 7", "seed: !!bool maybe", 1))
    assert "!!set" in problems(MIDSIZE.replace("  seed:", "  !!set seed:", 1))
    assert "plain text" in problems(MIDSIZE.replace("  seed:", "  ? [a, b]: 1\n  seed:", 1))


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    for depth in (60, 5_000):
        nested = "[" * depth + "]" * depth
        assert "nested" in problems(MIDSIZE.replace("seed: 7", f"seed: {nested}", 1))


def test_a_byte_that_is_not_utf8_has_a_line_and_a_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MIDSIZE.replace("name: midsize", "name: midsiz\xe9", 1).encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"^latin1\.yaml:\d+:\d+: file is not UTF-8"):
        load_scenario(path)


def test_a_tab_is_called_a_tab() -> None:
    assert "tab" in problems(MIDSIZE.replace("  seed:", "\tseed:", 1))


def test_a_line_separator_is_escaped_not_echoed() -> None:
    message = problems(MIDSIZE.replace("name: midsize", "name: mid\u2028size", 1))
    assert "\\u2028" in message and "\u2028" not in message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("start: 2026-01 ", "start: 9999-01 ", "meta.start: must be 9969-12 or earlier"),
        ("cost_per_head_annual: 92000", "cost_per_head_annual: 1e308", "<= 1e+12"),
        ("cost_per_head_annual: 92000", "cost_per_head_annual: 'normal(0.5, 1e308)'", "+/-1e+12"),
        ("replications: 50", "replications: 50\n  fidelity_items: 1000000000", "<= 10,000,000"),
        ("arrivals_per_ic_per_week: 2.8", "arrivals_per_ic_per_week: 1000000", "Poisson"),
        ("headcount: 2888", "headcount: 1e15", "most people"),
    ],
    ids=["year 9999", "cost 1e308", "sd 1e308", "fidelity 1e9", "arrivals 1e6", "1e15 people"],
)
def test_a_number_the_model_cannot_compute_is_refused_saying_why(
    old: str, new: str, expected: str
) -> None:
    assert old in MIDSIZE
    assert expected in problems(MIDSIZE.replace(old, new, 1))


def test_a_pyramid_whose_top_cost_overflows_is_one_line() -> None:
    text = (ROOT / "tests" / "data" / "good" / "small-delayering.yaml").read_text("utf-8")
    unit = (
        "    - name: Derived\n      pyramid: {headcount: 1000, span: 5, layers: 15, "
        "ic_cost_per_head_annual: 90000, cost_multiplier_per_layer: 100}\n"
    )
    text = text.replace("  units:\n", "  units:\n" + unit, 1)
    assert "org.units[0].pyramid: the top layer would cost 9e+32" in problems(text)


def test_extreme_quantiles_print_no_scipy_warning() -> None:
    text = MIDSIZE.replace(
        "attrition_annual: pert(0.09, 0.12, 0.16)",
        "attrition_annual: 'lognormal(1e-300, 1e-299)'",
        1,
    )
    assert_clean(text)
