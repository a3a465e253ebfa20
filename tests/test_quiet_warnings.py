"""No warning reaches the user: where numpy or a library would warn, the arithmetic
is done so that it does not (a rate of 0, a unit with no one in it), and a file name
a chart cannot draw is drawn escaped. The suite turns warnings into errors, so each
case run in process fails on a warning; one runs as the real command, its stderr read.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from conftest import FAST, SCENARIO_DIR, SMALL

from sim.cli import main
from sim.finance import metrics
from sim.runs.summary import mean_present


def _variant(tmp_path: Path, name: str, change) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(change(SMALL.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def test_a_discount_rate_of_0_runs_without_a_warning_to_the_user(tmp_path: Path) -> None:
    rate_0 = "discount_rate_annual: 0\n"
    path = _variant(tmp_path, "rate0", lambda t: t.replace("discount_rate_annual: 0.08\n", rate_0))
    assert rate_0 in path.read_text(encoding="utf-8")
    out = str(tmp_path / "out")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(path), "-o", out, "--no-charts", *FAST],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_npv_at_a_rate_of_0_is_the_sum_of_the_flows_before_and_after() -> None:
    net = np.array([-5.0, 1.0, 2.0, 3.0, 4.0])
    assert metrics.npv(net, 0.0, offset=2) == net.sum()


def test_a_scenario_with_no_one_in_it_runs_without_a_warning(tmp_path: Path) -> None:
    path = _variant(tmp_path, "empty", lambda t: re.sub(r"headcount: \d+", "headcount: 0", t))
    result = CliRunner().invoke(main, ["run", str(path), "-o", str(tmp_path / "out"), *FAST])
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output


def test_the_mean_of_no_values_is_nan_without_a_warning() -> None:
    values = np.array([[np.nan, 1.0], [np.nan, 3.0]])
    assert np.isnan(mean_present(values, axis=0)[0])
    assert mean_present(values, axis=0)[1] == 2.0
    assert np.isnan(mean_present(np.array([np.nan, np.nan])))


def test_a_roster_file_name_with_a_control_character_draws_its_chart_quietly(
    tmp_path: Path,
) -> None:
    roster = tmp_path / "r\x1b[2J.csv"
    roster.write_bytes((SCENARIO_DIR / "example-roster.csv").read_bytes())
    chart = tmp_path / "spans.png"
    result = CliRunner().invoke(main, ["org", str(roster), "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    assert chart.is_file()
    assert "\x1b" not in result.output
