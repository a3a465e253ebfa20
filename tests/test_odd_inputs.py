"""Odd files and legal-but-unusual YAML meet the commands as a user would give them.

A FIFO with no writer, a device, a folder or a file far too big is refused in one
line before anything is read (no hang, no MemoryError); what YAML allows and other
parsers accept (a ``%YAML 1.2`` directive, a tab after a value) is accepted; what
``validate`` accepts, ``run`` does not refuse for its size; a name that would act
on a terminal or a spreadsheet is refused where it is read, with its place.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL

from sim.cli import main
from sim.scenario.starter import starter_scenario

EXIT_INVALID = 2
#: a refusal of an odd file is a look at its metadata: well under this, even shared
REFUSAL_SECONDS = 10.0
ROSTER_HEADER = "employee_id,manager_id,unit,annual_cost,grade\n"


def restructure(*args: str, cwd: Path, timeout: float = 60.0) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


def refused_in_one_line(done: subprocess.CompletedProcess, *texts: str) -> None:
    assert done.returncode == EXIT_INVALID, done.stderr
    assert "Traceback" not in done.stderr
    problem = done.stderr.splitlines()[0]
    for text in texts:
        assert text in problem, problem


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", ["validate", pytest.param("org", marks=pytest.mark.slow)])
def test_a_fifo_with_no_writer_is_refused_at_once_not_waited_on(
    command: str, fifo: Path, tmp_path: Path
) -> None:
    start = time.monotonic()
    done = restructure(command, str(fifo), "--no-chart" * (command == "org"), cwd=tmp_path)
    assert time.monotonic() - start < REFUSAL_SECONDS
    refused_in_one_line(done, "scenario.yaml:1:1:", "a pipe (FIFO)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.yaml"]


@pytest.mark.parametrize("command", ["validate", pytest.param("org", marks=pytest.mark.slow)])
def test_a_device_is_refused_before_a_byte_is_read(command: str, tmp_path: Path) -> None:
    done = restructure(command, "/dev/zero", cwd=tmp_path)
    refused_in_one_line(done, "zero:1:1:", "a device")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["validate", "org"])
def test_a_folder_is_refused_in_one_line(command: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [command, str(tmp_path)])
    assert result.exit_code == EXIT_INVALID
    assert "is a directory" in result.output


@pytest.mark.parametrize(("command", "name"), [("validate", "big.yaml"), ("org", "big.csv")])
def test_a_200_mb_file_is_refused_from_its_size_not_read(
    command: str, name: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:  # sparse: 200 MB that cost no disk
        handle.truncate(200_000_000)
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code == EXIT_INVALID
    assert result.output.startswith(f"{name}:1:1: ")
    assert "200,000,000 bytes" in result.output and "at most" in result.output


def test_a_scenario_a_roster_names_as_a_fifo_is_refused_with_its_field(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "people.csv")
    scenario = tmp_path / "s.yaml"
    text = starter_scenario("ops")
    start, end = text.index("  units:\n"), text.index("\nwork:")
    scenario.write_text(text[:start] + "  roster: {path: people.csv}\n" + text[end:])
    result = CliRunner().invoke(main, ["validate", str(scenario)])
    assert result.exit_code == EXIT_INVALID
    assert "s.yaml:" in result.output and "org.roster.path" in result.output
    assert "a pipe (FIFO)" in result.output


def test_a_yaml_1_2_directive_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "directive.yaml"
    path.write_text("%YAML 1.2\n---\n" + SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output


def test_a_yaml_1_1_directive_is_still_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text("%YAML 1.1\n---\n" + SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == EXIT_INVALID
    assert "old.yaml:1:1: YAML directives other than %YAML 1.2" in result.output


def test_a_tab_after_a_value_is_accepted_and_read_as_the_value(tmp_path: Path) -> None:
    lines = SMALL.read_text(encoding="utf-8").split("\n")
    tabbed = [line + "\t" if ": " in line and "#" not in line else line for line in lines]
    assert tabbed != lines
    path = tmp_path / "tabs.yaml"
    path.write_text("\n".join(tabbed), encoding="utf-8")
    plain = CliRunner().invoke(main, ["validate", str(SMALL)])
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.split("(")[-1] == plain.output.split("(")[-1]


def test_deeply_nested_brackets_are_refused_in_well_under_a_second() -> None:
    from sim.scenario.load import ScenarioError, parse_scenario

    text = starter_scenario("ops").replace("  seed: 1", "  seed: " + "[" * 3000 + "]" * 3000)
    start = time.process_time()
    with pytest.raises(ScenarioError, match="nested more than 50 levels"):
        parse_scenario(text, "nest.yaml")
    assert time.process_time() - start < 0.5


def test_brackets_inside_quotes_and_comments_are_not_counted_as_nesting() -> None:
    from sim.scenario.load import parse_scenario

    text = starter_scenario("ops").replace("  seed: 1", "  seed: 1  # " + "[" * 60, 1)
    text = text.replace("  description:", '  description: "' + "{" * 60 + '"\n  x:', 1)
    text = text.replace("\n  x:", "\n  #", 1)
    scenario = parse_scenario(text)
    assert scenario.meta.seed == 1 and scenario.meta.description == "{" * 60


def test_what_validate_accepts_run_does_not_refuse_for_its_size(tmp_path: Path) -> None:
    """fidelity_items: full on the e-commerce case: both refuse, with the same words."""
    from conftest import SCENARIO_DIR

    text = (SCENARIO_DIR / "ecommerce-2026.yaml").read_text(encoding="utf-8")
    path = tmp_path / "full.yaml"
    path.write_text(text.replace("fidelity_items: 50000", "fidelity_items: full"), "utf-8")
    validated = CliRunner().invoke(main, ["validate", str(path)])
    ran = CliRunner().invoke(main, ["run", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert validated.exit_code == ran.exit_code == EXIT_INVALID
    reason = "give meta.fidelity_items a number instead of 'full'"
    assert reason in validated.output and reason in ran.output
    assert validated.output.splitlines()[0].endswith(ran.output.strip().removeprefix("Error: "))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("unit", "Retail\x1b[2J", "U+001B (ESCAPE) at character 7"),
        ("grade", "G1\x07", "U+0007 (BELL) at character 3"),
        ("unit", "\u202eliateR", "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 1"),
    ],
)
def test_a_control_character_in_a_roster_name_is_refused_with_its_row(
    field: str, value: str, expected: str, tmp_path: Path
) -> None:
    people = [
        ("E1", "", "Retail", "300000", "G3"),
        ("E2", "E1", "Retail", "150000", "G1"),
        ("E3", "E1", "Retail", "150000", "G1"),
    ]
    column = {"unit": 2, "grade": 4}[field]
    row = list(people[2])
    row[column] = value
    rows = [*people[:2], tuple(row)]
    path = tmp_path / "people.csv"
    path.write_text(ROSTER_HEADER + "".join(",".join(r) + "\n" for r in rows), "utf-8")
    result = CliRunner().invoke(main, ["org", str(path), "--no-chart", "-o", "s.yaml"])
    assert result.exit_code == EXIT_INVALID
    line = result.output.strip()
    assert line.startswith(f"people.csv:4:{column + 1}: "), line
    assert expected in line and line.isprintable()
    assert not (tmp_path / "s.yaml").exists()


if sys.platform == "win32":  # pragma: no cover - FIFOs and /dev/zero are POSIX
    pytestmark = pytest.mark.skip("POSIX files")
