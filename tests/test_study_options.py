"""A study's option values are checked before any work: a tolerance that is not a
positive number, a precision target on a headline the scenario cannot give."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FAST, SMALL

from sim.cli import main
from sim.cli.running import _stopping_line

EXIT_INVALID = 2
SOLVE = ["--vary", "restructuring.waves[0].one_time_costs=0:1e6", "--target", "npv.p50=0"]


@pytest.mark.parametrize("tol", ["nan", "inf", "-inf", "0", "-1"])
def test_solve_refuses_a_tolerance_that_is_not_a_positive_number(tol: str, tmp_path: Path) -> None:
    out = tmp_path / "solve"
    result = CliRunner().invoke(main, ["solve", str(SMALL), *SOLVE, "--tol", tol, "-o", str(out)])
    assert result.exit_code == EXIT_INVALID
    assert "Invalid value for '--tol': expected a positive number" in result.output
    assert not out.exists()


def test_a_precision_target_on_a_headline_the_scenario_cannot_give_is_one_line(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    args = ["run", str(SMALL), "-o", str(out), "--precision", "terminal_value.mean=1%", *FAST]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == EXIT_INVALID
    lines = result.output.strip().splitlines()
    assert lines == [
        "Error: --precision: 'terminal_value.mean=1%': this scenario has no terminal_value "
        "(finance.terminal_value is not set), so there is nothing to settle; set it, or "
        "settle another headline"
    ]
    assert not out.exists()


def test_a_precision_run_that_never_got_an_estimate_says_so() -> None:
    """A headline that no replication gave a value (an IRR without a sign change)."""
    line = _stopping_line(
        {
            "rule": "irr_annual.mean=1%",
            "settled": False,
            "replications": 40,
            "estimate": None,
            "interval": [None, None],
            "half_width": None,
            "target_half_width": None,
            "confidence": 0.95,
        }
    )
    assert "estimate none (no replication gave one)" in line
    assert "NOT settled" in line
