"""What the test modules share: where things are, the shipped scenarios, the small
scenario most tests run, and a few checks of outputs.

Test modules import these names (``from conftest import SMALL``): pytest puts this
folder on the import path; fixtures here are found without an import.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import matplotlib.image

from sim.report.charts.style import PIXELS
from sim.scenario.load import parse_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
#: the scenarios the package ships, each a path
SHIPPED = sorted(SCENARIO_DIR.glob("*.yaml"))
#: valid scenarios written for the tests
GOOD = Path(__file__).resolve().parent / "data" / "good"
#: a small organisation with a wave, an AI programme, new roles and priced items
SMALL = GOOD / "small-delayering.yaml"
#: the options that keep a simulating command quick in a test
FAST = ("-n", "2", "--workers", "1", "--quiet")


def csv_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file as one dict a row, keyed by its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def check_pngs(paths: list[Path]) -> None:
    """Every PNG written is a 16:9 slide of the deck's size."""
    pngs = [p for p in paths if p.suffix == ".png"]
    assert pngs
    for path in pngs:
        height, width = matplotlib.image.imread(path).shape[:2]
        assert (width, height) == PIXELS, path.name


def merge(into: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value


def merged_scenario(base: dict[str, Any], changes: dict[str, Any] | None = None) -> Scenario:
    """A base scenario document with ``changes`` merged in (lists replaced whole), validated."""
    doc = copy.deepcopy(base)
    merge(doc, changes or {})
    return parse_scenario(json.dumps(doc))
