from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL

from sim import __version__, load_scenario
from sim.cli import main
from sim.report.charts import CHARTS


def test_version_is_printed() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_sim_runs_the_same_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert "restructure" in proc.stdout or "Usage" in proc.stdout


def _one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("run") / "small"
    result = CliRunner().invoke(
        main,
        ["run", str(SMALL), "-n", "1", "--workers", "1", "-q", "--no-charts", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    return target


def test_plot_redraws_the_charts_of_a_run_folder(small_run: Path) -> None:
    result = CliRunner().invoke(main, ["plot", str(small_run), "--format", "png"])
    assert result.exit_code == 0, result.output
    assert len(list((small_run / "charts").glob("*.png"))) == len(CHARTS)
    assert not list((small_run / "charts").glob("*.svg"))


def test_plot_refuses_an_unknown_format_in_one_line(small_run: Path) -> None:
    line = _one_line_error(CliRunner().invoke(main, ["plot", str(small_run), "--format", "gif"]))
    assert "expected png, svg or pdf" in line


def test_plot_refuses_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    line = _one_line_error(CliRunner().invoke(main, ["plot", str(tmp_path)]))
    assert "not a run output folder" in line


def test_new_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "plan.yaml"
    line = _one_line_error(CliRunner().invoke(main, ["new", "plan", "-o", str(target)]))
    assert "No such file or directory" in line


def test_run_into_a_path_under_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        main,
        [
            "run",
            str(SMALL),
            "-n",
            "1",
            "--workers",
            "1",
            "-q",
            "--no-charts",
            "-o",
            str(blocker / "out"),
        ],
    )
    assert "cannot write or read" in _one_line_error(result)


def test_compare_checks_run_folders_before_simulating(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["compare", str(SMALL), str(tmp_path), "-n", "1", "-q", "-o", str(tmp_path / "out")]
    )
    assert "not a run output folder" in _one_line_error(result)
    assert not (tmp_path / "out").exists()


def test_a_sweep_of_absurdly_many_steps_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["sweep", str(SMALL), "--set", "org.attrition_annual=0:1:10000000000", "-q"]
    )
    assert "STEPS must be at most" in _one_line_error(result)


def test_compare_pairs_new_runs_with_a_run_folder_given_first(
    small_run: Path, tmp_path: Path
) -> None:
    """The folder's seed and replications are used for the scenario files, so the
    differences against it are paired replication by replication."""
    out = tmp_path / "cmp"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(small_run),
            str(SMALL),
            "--workers",
            "1",
            "-q",
            "--no-charts",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    rerun = data["scenarios"][1]
    assert rerun["replications"] == 1
    assert rerun["difference_vs_first"]["npv"]["mean"] == 0.0


def test_the_starter_staffs_for_the_work_and_its_run_says_so(tmp_path: Path) -> None:
    # as the shipped cases do: under replace_leavers at 0.9 its status quo shrank and AI
    # could not pay through hires avoided (issue 27)
    target = tmp_path / "plan.yaml"
    assert CliRunner().invoke(main, ["new", "plan", "-o", str(target)]).exit_code == 0
    assert load_scenario(target).staffing_for("Operations").policy == "capacity"
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main,
        ["run", str(target), "-n", "2", "--workers", "1", "-q", "--no-charts", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert (
        "staffing: capacity in its one unit (planners hire what the expected work needs)"
        in result.output
    )
