"""The command line starts fast: ``--help`` and ``validate`` import only what they use.

Timing is left to ``bench/bench_start.py`` (a shared machine's load would make a
timed test flaky); what is tested is the cause of a slow start, the heavy
libraries, in a fresh interpreter whose ``sys.modules`` says what was imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SHIPPED

#: what the interpreter runs: the console command with these arguments, then the
#: top-level packages it imported, as JSON on stderr's last line
PROBE = """
import json, sys
sys.argv = ["restructure", *json.loads(sys.argv[1])]
from sim.console import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""
#: the libraries the simulation and the outputs need, never a help text
HEAVY = ("numpy", "simpy", "pandas", "matplotlib", "pydantic", "scipy", "dask", "ruamel")


def _imported(*args: str) -> set[str]:
    found = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(found.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("run", "--help"), ("--version",)])
def test_the_help_imports_no_numpy_simpy_pandas_or_matplotlib(args: tuple[str, ...]) -> None:
    imported = _imported(*args)
    assert "click" in imported  # the probe ran the command
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_validate_imports_the_scenario_reader_but_not_the_engine_or_the_outputs() -> None:
    imported = _imported("validate", str(SHIPPED[0]))
    assert "pydantic" in imported  # it reads the scenario
    assert not imported & {"simpy", "pandas", "matplotlib", "dask", "xlsxwriter", "scipy"}
