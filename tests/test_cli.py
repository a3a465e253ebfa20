from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from sim import __version__
from sim.cli import main


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
