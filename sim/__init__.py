"""Restructuring cost-savings simulator.

A discrete-event model (SimPy) of a company that removes management layers and
reinvests the savings in AI: it projects headcount, throughput and payback,
with uncertainty ranges, from a YAML scenario file.

In a notebook::

    from sim import load_scenario, run
    results = run(load_scenario("scenarios/ecommerce-2026.yaml"), replications=20)
    results.headline["npv"].p50

The names below are loaded on first use (PEP 562), so ``import sim`` and the
command line stay fast; docs/architecture.md lists them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sim._version import __version__

#: public name -> the module that defines it
_EXPORTS = {
    "load_scenario": "sim.scenario.load",
    "parse_scenario": "sim.scenario.load",
    "ScenarioError": "sim.scenario.load",
    "Scenario": "sim.scenario.schema",
    "run_replication": "sim.model.replication",
    "run": "sim.runs.orchestrator",
    "Results": "sim.runs.montecarlo",
    "RunPlan": "sim.runs.plan",
    "Band": "sim.runs.bands",
    "write_run": "sim.report.runfolder",
    "load_run": "sim.report.runfolder",
    "draw_charts": "sim.report.charts",
    "figures": "sim.report.charts",
}

__all__ = [
    "Band",
    "Results",
    "RunPlan",
    "Scenario",
    "ScenarioError",
    "__version__",
    "draw_charts",
    "figures",
    "load_run",
    "load_scenario",
    "parse_scenario",
    "run",
    "run_replication",
    "write_run",
]

if TYPE_CHECKING:
    from sim.model.replication import run_replication
    from sim.report.charts import draw_charts, figures
    from sim.report.runfolder import load_run, write_run
    from sim.runs.bands import Band
    from sim.runs.montecarlo import Results
    from sim.runs.orchestrator import run
    from sim.runs.plan import RunPlan
    from sim.scenario.load import ScenarioError, load_scenario, parse_scenario
    from sim.scenario.schema import Scenario


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain one
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
