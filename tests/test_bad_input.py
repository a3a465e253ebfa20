"""Bad scenario files are refused the way DESIGN.md promises the user.

Every file in ``tests/data/bad/`` holds the kind of mistake a real person makes
(most are the starter scenario with one thing wrong, said in a comment at the
top). ``restructure validate`` must refuse each one with exit status 2, name the
file and the line, name the field and what was expected, print no traceback,
and answer within a second.

Mistakes that the loader gets wrong today are listed in ``KNOWN_BUGS`` and run
as strict xfails, so fixing one turns its test red until the entry is removed.

``binary_garbage.yaml`` was written once, from a fixed seed::

    rng = random.Random(20260101)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.scenario.starter import starter_scenario
from sim.scenario.yamlfile import MAX_FILE_BYTES

BAD = Path(__file__).parent / "data" / "bad"
FILES = sorted(path.name for path in BAD.iterdir() if path.is_file())
EXIT_INVALID = 2
#: a refusal slower than this is a hang (an alias bomb expanded, a runaway parse), not a
#: slow machine; how fast refusals are is measured by bench/bench_validate.py, not here
HANG_SECONDS = 20.0

#: file -> text that must appear in what ``validate`` prints: the field path and
#: what was expected, and ``file:line:`` where the line is worth pinning down
EXPECTED: dict[str, tuple[str, ...]] = {
    "alias_bomb.yaml": ("alias bomb",),
    "bad_indentation.yaml": ("bad_indentation.yaml:17:", "YAML syntax error"),
    "binary_garbage.yaml": ("binary",),
    "bom_lowercase_currency.yaml": ("bom_lowercase_currency.yaml:8:", "meta.currency", "'usd'"),
    "boolean_for_number.yaml": (
        "restructuring.waves[0].one_time_costs",
        "expected a number, got true",
    ),
    "colon_in_unquoted_text.yaml": ("colon_in_unquoted_text.yaml:5:", "YAML syntax error"),
    "cut_beyond_headcount.yaml": ("restructuring.waves[0].cuts[0].count", "which has 12"),
    "cut_count_and_share.yaml": ("restructuring.waves[0].cuts[0]", "either count or share"),
    "cut_share_above_one.yaml": ("restructuring.waves[0].cuts[0].share", "must be <= 1, got 1.5"),
    "bell_in_wave_name.yaml": (
        "bell_in_wave_name.yaml:50:13:",
        "restructuring.waves[0].name",
        "U+0007 (BELL) at character 11",
    ),
    "bidi_override_in_programme_name.yaml": (
        "ai.programs[0].name",
        "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 1",
    ),
    "date_april_31.yaml": (
        "date_april_31.yaml:44:",
        "restructuring.waves[0].date",
        "not a calendar date",
    ),
    "date_day_first.yaml": ("restructuring.waves[0].date", "YYYY-MM", "'26/10/2026'"),
    "date_in_words.yaml": ("date_in_words.yaml:6:", "meta.start", "'October 2025'"),
    "date_month_13.yaml": ("meta.start", "not a calendar date"),
    "deeply_nested_brackets.yaml": ("deeply_nested_brackets.yaml:17:", "nested more than 50"),
    "distribution_mapping_two_kinds.yaml": (
        "ai.programs[0].effects.review_time_reduction",
        "exactly one key",
    ),
    "distribution_outside_fraction.yaml": (
        "ai.programs[0].effects.automation_share",
        "uniform(0.5, 1.5) reaches outside the allowed range",
    ),
    "distribution_wrong_arg_count.yaml": (
        "ai.programs[0].effects.ic_productivity_uplift",
        "pert takes 3 numbers",
    ),
    "duplicate_keys.yaml": ("duplicate_keys.yaml:19:", "duplicate key 'attrition_annual'"),
    "duplicate_unit_names.yaml": ("org.units[1].name", "named twice"),
    "escape_code_in_unit_name.yaml": (
        "escape_code_in_unit_name.yaml:28:13:",
        "org.units[0].name",
        "U+001B (ESCAPE) at character 11",
    ),
    "empty.yaml": ("empty.yaml:1:", "file is empty"),
    "fidelity_too_low.yaml": ("fidelity_too_low.yaml:12:", "meta.fidelity_items", ">= 1000"),
    "fractional_headcount.yaml": ("org.units[0].layers[2].headcount", "whole number, got 117.5"),
    "freeze_ends_before_start.yaml": ("org.hiring_freezes[0].end", "before it starts"),
    "horizon_zero.yaml": ("meta.horizon_months", "got 0"),
    "huge_integer.yaml": ("huge_integer.yaml:58:", "ai.programs[0].one_time_cost"),
    "latin1.yaml": ("latin1.yaml:5", "not UTF-8"),
    "layer_name_typo_in_cut.yaml": (
        "restructuring.waves[0].cuts[0].layer",
        "did you mean 'Manager'?",
    ),
    "layer_removed_then_cut.yaml": (
        "layer_removed_then_cut.yaml:51:",
        "restructuring.waves[1].cuts[0].layer",
        "was removed in wave 'Delayering'",
    ),
    "layers_and_pyramid.yaml": ("org.units[0]", "not both"),
    "line_break_in_layer_name.yaml": (
        "org.units[0].layers[2].name",
        "U+2028 (LINE SEPARATOR) at character 5",
    ),
    "list_for_mapping.yaml": ("org.backfill", "expected a mapping, got a list"),
    "lognormal_count_absurd_sd.yaml": ("restructuring.waves[0].cuts[0].count",),
    "lowercase_currency.yaml": ("meta.currency", "'usd'"),
    "mapping_for_list.yaml": ("work: expected a list, got a mapping",),
    "missing_meta.yaml": ("meta: required field is missing",),
    "money_with_dollar_sign.yaml": ("ai.programs[0].one_time_cost", "'$400000'"),
    "money_with_thousands_comma.yaml": ("org.backfill.cost_per_hire", "'15,000'"),
    "negative_headcount.yaml": ("org.units[0].layers[1].headcount", "must be >= 0, got -30"),
    "only_comments.yaml": ("only_comments.yaml:1:", "file is empty"),
    "percent_sign.yaml": ("work[0].demand_growth_annual", "'4%'"),
    "pert_low_above_high.yaml": (
        "restructuring.survivor_effects.productivity_dip",
        "low <= mode <= high",
    ),
    "program_before_start.yaml": ("ai.programs[0].start", "outside the run"),
    "pyramid_names_mismatch.yaml": ("org.units[0].pyramid", "names lists 3 layers but layers is 4"),
    "pyramid_smaller_than_its_layers.yaml": ("org.units[0].pyramid", "layers"),
    "rate_as_percent.yaml": (
        "rate_as_percent.yaml:14:21:",
        "org.attrition_annual",
        "did you mean 0.12?",
    ),
    "recursive_alias.yaml": ("recursive_alias.yaml:70:", "refers to itself"),
    "remove_ic_layer.yaml": ("restructuring.waves[0].remove_layers[0].layer", "IC layer"),
    "replications_quoted.yaml": ("meta.replications", "whole number"),
    "running_cost_both_forms.yaml": (
        "ai.programs[0].running_cost",
        "either per_seat_per_month or fixed_per_month",
    ),
    "seasonality_eleven_values.yaml": ("work[0].seasonality", "at least 12 items, got 11"),
    "second_wave_overcuts.yaml": (
        "second_wave_overcuts.yaml:54:",
        "restructuring.waves[1].cuts[0].count",
        "which has 27",
    ),
    "severance_half_tenure_form.yaml": ("restructuring.severance", "average_tenure_years"),
    "signoff_shares_above_one.yaml": ("work[0].signoff_shares", "sum to 1.2"),
    "single_layer_unit.yaml": ("org.units[0].layers", "at least 2 items, got 1"),
    "tab_indentation.yaml": ("tab_indentation.yaml:18:", "'\\t'"),
    "text_for_number.yaml": ("org.units[0].layers[0].headcount", "'twelve'"),
    "three_mistakes.yaml": (
        "org.attrition_annual",
        "work[0].ic_hours_per_week",
        "ai.programs[0].adoption.ceiling",
    ),
    "top_level_list.yaml": ("top_level_list.yaml:1:", "got a list"),
    "typo_adoptoin.yaml": ("ai.programs[0].adoptoin", "did you mean 'adoption'?"),
    "typo_lag_wekks.yaml": (
        "typo_lag_wekks.yaml:17:",
        "org.backfill.lag_wekks",
        "did you mean 'lag_weeks'?",
    ),
    # the [ is opened on line 32; YAML only notices on line 33
    "unclosed_bracket.yaml": ("unclosed_bracket.yaml:", "YAML syntax error", "line 32"),
    "unit_in_two_work_profiles.yaml": ("work[1].units", "already covered by work[0]"),
    "unit_name_typo_in_wave.yaml": (
        "restructuring.waves[0].remove_layers[0].unit",
        "did you mean 'Operations'?",
    ),
    "unit_without_work_profile.yaml": ("work: unit 'Finance' has no work profile",),
    "unknown_distribution_gamma.yaml": ("work[0].effort_hours", "unknown distribution 'gamma'"),
    "unquoted_pert_in_flow_list.yaml": ("work[0].signoff_shares[0]", "quote the distribution"),
    "unquoted_pert_in_flow_mapping.yaml": (
        "ai.programs[0].adoption.ceiling",
        "quote the distribution",
    ),
    "wave_after_horizon.yaml": ("restructuring.waves[0].date", "outside the run"),
}

#: file -> text that must NOT appear: echoes that send the user after a second,
#: imaginary mistake
NOT_EXPECTED: dict[str, tuple[str, ...]] = {
    "duplicate_unit_names.yaml": ("remove_layers",),
    "unquoted_pert_in_flow_list.yaml": ("'0.6)'",),
    "unquoted_pert_in_flow_mapping.yaml": ("unknown key",),
}

_NO_LINE = (
    "sim/yamlfile.py raises whole-file problems without a line; give line 1 (binary: the "
    "line of the first NUL byte; alias budget: the line of the value being expanded)"
)
_RECURSIVE = (
    "ruamel's round-trip loader turns a recursive alias into null, so the walker's "
    "recursion guard in sim/yamlfile.py never fires and the file validates; check for "
    "cycles on yaml.compose()'s node graph and report the alias's line"
)
_APRIL_31 = (
    "ruamel builds YYYY-MM-DD as a timestamp; an impossible day raises ValueError, reported "
    "as a 'YAML syntax error' with no line or field; keep timestamps as strings in "
    "sim/yamlfile.py so sim/quantities.py's _parse_date reports it"
)
_TINY_PYRAMID = (
    "Pyramid.derive() in sim/scenario/schema/org.py gives every layer >= 1 head, so the ICs "
    "go negative and Layer() raises ValidationError inside cross_check: a traceback; check "
    "headcount >= layers in Pyramid's validator"
)
_HUGE_INT = (
    "float(int) raises OverflowError in sim/quantities.py's validator, which pydantic does "
    "not turn into an error: a traceback; catch OverflowError as 'too large'"
)
_ABSURD_SD = (
    "_largest() in sim/crosscheck.py calls quantile(); _lognormal_log_params overflows "
    "on (sd/mean)**2: a traceback; compute it as 2*log(sd/mean) or bound sd/mean"
)
#: (check, file) -> why it fails today; empty when the loader gets every file right
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def cases(
    check: str, names: list[str] = FILES, bugs: dict[tuple[str, str], str] = KNOWN_BUGS
) -> list:
    """The files to run ``check`` on, known bugs marked as strict xfails."""
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=bugs[check, name], strict=True))
        if (check, name) in bugs
        else name
        for name in names
    ]


@dataclass(frozen=True)
class Outcome:
    """What ``restructure validate FILE`` did."""

    exit_code: int
    stderr: str
    exception: BaseException | None
    seconds: float


def run_validate(path: Path) -> Outcome:
    """Run ``restructure validate PATH`` in-process and time it."""
    start = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", str(path)])
    seconds = time.perf_counter() - start
    exception = None if isinstance(result.exception, SystemExit) else result.exception
    return Outcome(result.exit_code, result.stderr, exception, seconds)


@functools.cache
def validate(name: str) -> Outcome:
    """``restructure validate`` on one bad file, once per session."""
    return run_validate(BAD / name)


def problem_lines(name: str, stderr: str) -> list[str]:
    """The lines that report a problem (not the 'N of M file(s) invalid' summary)."""
    return [line for line in stderr.splitlines() if not re.match(r"^\d+ of \d+ file", line)]


def test_the_corpus_holds_at_least_35_mistakes() -> None:
    assert len(FILES) >= 35


def test_every_bad_file_has_its_expectations_written_down() -> None:
    assert set(FILES) == set(EXPECTED)


def test_every_bad_file_says_what_is_wrong_with_it() -> None:
    undocumented = [
        name
        for name in FILES
        if name not in ("empty.yaml", "binary_garbage.yaml", "latin1.yaml")
        and not (BAD / name).read_text("utf-8-sig").startswith("# BAD:")
    ]
    assert undocumented == []


@pytest.mark.parametrize("name", cases("exit"))
def test_a_bad_file_exits_with_status_2(name: str) -> None:
    assert validate(name).exit_code == EXIT_INVALID


@pytest.mark.parametrize("name", cases("traceback"))
def test_a_bad_file_never_gives_a_traceback(name: str) -> None:
    outcome = validate(name)
    assert outcome.exception is None, f"uncaught {outcome.exception!r}"
    assert "Traceback" not in outcome.stderr


@pytest.mark.parametrize("name", cases("line"))
def test_every_problem_names_the_file_and_a_line(name: str) -> None:
    lines = problem_lines(name, validate(name).stderr)
    assert lines, "no problem reported"
    for line in lines:
        assert re.match(rf"^{re.escape(name)}:\d+", line), line


@pytest.mark.parametrize("name", cases("expected"))
def test_a_problem_names_the_field_and_what_was_expected(name: str) -> None:
    stderr = validate(name).stderr
    for text in EXPECTED[name]:
        assert text in stderr


@pytest.mark.parametrize("name", cases("not_expected", sorted(NOT_EXPECTED)))
def test_a_mistake_is_reported_once_not_echoed(name: str) -> None:
    stderr = validate(name).stderr
    for text in NOT_EXPECTED[name]:
        assert text not in stderr


@pytest.mark.parametrize("name", cases("fast"))
def test_a_bad_file_is_refused_without_hanging(name: str) -> None:
    assert validate(name).seconds < HANG_SECONDS


def test_every_mistake_of_a_file_is_listed() -> None:
    lines = problem_lines("three_mistakes.yaml", validate("three_mistakes.yaml").stderr)
    assert len(lines) == 3
    assert "org.attrition_annual: must be <= 1, got 12" in lines[0]
    assert "work[0].ic_hours_per_week: must be <= 80, got 100" in lines[1]
    assert "ai.programs[0].adoption.ceiling: must be <= 1, got 1.5" in lines[2]


def test_good_and_bad_files_together_report_only_the_bad(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(starter_scenario("Good"), encoding="utf-8")
    files = [str(BAD / "rate_as_percent.yaml"), str(good), str(BAD / "typo_lag_wekks.yaml")]
    result = CliRunner().invoke(main, ["validate", *files])
    assert result.exit_code == EXIT_INVALID
    assert f"ok: {good}" in result.stdout
    assert "rate_as_percent.yaml:14:21:" in result.stderr
    assert "typo_lag_wekks.yaml:17:" in result.stderr
    assert "2 of 3 file(s) invalid" in result.stderr


# ------------------------------------------------------- the real command, as a user runs it

SUBPROCESS_FILES = [
    "binary_garbage.yaml",
    "alias_bomb.yaml",
    "three_mistakes.yaml",
]
SUBPROCESS_BUGS: dict[tuple[str, str], str] = {}


def subprocess_cases(check: str) -> list:
    return cases(check, SUBPROCESS_FILES, SUBPROCESS_BUGS)


@pytest.fixture(scope="module")
def real_runs() -> dict[str, subprocess.CompletedProcess]:
    """``python -m sim validate FILE`` for each file, run side by side to save time."""
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "sim", "validate", str(BAD / name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in SUBPROCESS_FILES
    }
    runs = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=60)
        runs[name] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    return runs


@pytest.mark.parametrize("name", subprocess_cases("refused"))
def test_the_real_command_refuses_a_bad_file_cleanly(
    name: str, real_runs: dict[str, subprocess.CompletedProcess]
) -> None:
    run = real_runs[name]
    assert run.returncode == EXIT_INVALID
    assert "Traceback" not in run.stderr
    for text in EXPECTED[name]:
        assert text in run.stderr


@pytest.mark.parametrize("name", subprocess_cases("line"))
def test_the_real_command_names_the_file_and_a_line(
    name: str, real_runs: dict[str, subprocess.CompletedProcess]
) -> None:
    assert re.search(rf"{re.escape(name)}:\d+", real_runs[name].stderr)


# ------------------------------------------------------------------------ files too big


@pytest.fixture(scope="module")
def oversized_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Outcome]:
    """A scenario with a log pasted under it, past the size limit."""
    path = tmp_path_factory.mktemp("big") / "with_pasted_log.yaml"
    padding = "# 2026-01-01T00:00:00 INFO pasted log line that should not be here\n"
    text = starter_scenario("Too big")
    copies = (MAX_FILE_BYTES - len(text)) // len(padding) + 100
    path.write_text(text + padding * copies, encoding="utf-8")
    assert path.stat().st_size > MAX_FILE_BYTES
    return path.name, run_validate(path)


def test_a_file_past_the_size_limit_is_refused_quickly(oversized_run: tuple[str, Outcome]) -> None:
    name, outcome = oversized_run
    assert outcome.exit_code == EXIT_INVALID
    assert outcome.exception is None
    assert "Traceback" not in outcome.stderr
    assert outcome.stderr.startswith(f"{name}:")
    assert f"at most {MAX_FILE_BYTES:,} bytes" in outcome.stderr
    assert outcome.seconds < HANG_SECONDS


def test_a_file_past_the_size_limit_is_named_with_a_line(
    oversized_run: tuple[str, Outcome],
) -> None:
    name, outcome = oversized_run
    assert re.search(rf"{re.escape(name)}:\d+", outcome.stderr)


def _pasted_series(tmp_path_factory: pytest.TempPathFactory, name: str, values: int) -> Path:
    """``values`` demand factors pasted where 12 monthly ones go."""
    factors = ", ".join(f"{0.8 + 0.4 * (i * 7919 % 1000) / 1000:.3f}" for i in range(values))
    monthly = "[0.95, 0.95, 1.0, 1.0, 1.0, 1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.05]"
    text = starter_scenario(name).replace(monthly, f"[{factors}]")
    path = tmp_path_factory.mktemp("big") / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hourly_series_run(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """Four years of hourly demand factors (~250 KB): past the size limit."""
    path = _pasted_series(tmp_path_factory, "hourly_seasonality", 24 * 365 * 4)
    assert path.stat().st_size > MAX_FILE_BYTES
    return run_validate(path)


def test_a_long_pasted_series_is_refused_with_its_length(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Three years of daily factors fit the size limit and are refused by their count."""
    path = _pasted_series(tmp_path_factory, "daily_seasonality", 365 * 3)
    assert path.stat().st_size < MAX_FILE_BYTES
    outcome = run_validate(path)
    assert outcome.exit_code == EXIT_INVALID
    assert "daily_seasonality.yaml:41:18: work[0].seasonality" in outcome.stderr
    assert "at most 12 items, got 1095" in outcome.stderr
    assert outcome.seconds < HANG_SECONDS


def test_a_long_pasted_series_is_refused_without_hanging(hourly_series_run: Outcome) -> None:
    assert hourly_series_run.exit_code == EXIT_INVALID
    assert f"at most {MAX_FILE_BYTES:,} bytes" in hourly_series_run.stderr
    assert hourly_series_run.seconds < HANG_SECONDS
