"""What the test modules share: where things are, the shipped scenarios, the small
scenario most tests run, and a few checks of outputs.

Test modules import these names (``from conftest import SMALL``): pytest puts this
folder on the import path; fixtures here are found without an import.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import matplotlib.image
import pytest

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
#: five replications: enough that a mean and a median differ, still quick
FIVE = ("-n", "5", "--workers", "1", "--quiet")


def csv_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file as one dict a row, keyed by its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_titles(sheet: Any) -> list[Any]:
    """A workbook sheet's header row with each column named as its CSV file names it: the
    raw name a heading stands for is the heading's comment ('cashflows.csv: scenario:
    notice pay' over 'Plan: notice pay (USD)'); a heading without one is itself."""
    return [c.comment.text.split(": ", 1)[1] if c.comment else c.value for c in sheet[1]]


def unpriced(scenario: Scenario) -> Scenario:
    """The scenario with no value on work done: its money reads no work flow."""
    finance = scenario.finance.model_copy(update={"value_per_item": None})
    return scenario.model_copy(update={"finance": finance})


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


def counting_simulations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The replications each simulation of a study runs from now on, in this process: a
    study's batches (sim.studies.batch) and its replications kept whole (sim.runs.heldpool)."""
    from sim.runs import heldpool
    from sim.studies import batch

    counts: list[int] = []
    for module in (batch, heldpool):
        real = module.run_replications

        def counted(scenario: Any, seeds: Any, *args: Any, real: Any = real, **kw: Any) -> Any:
            counts.append(len(seeds))
            return real(scenario, seeds, *args, **kw)

        monkeypatch.setattr(module, "run_replications", counted)
    return counts


def program(*names: str) -> str:
    """The first of these programs installed, or the test is skipped saying which."""
    for name in names:
        if found := shutil.which(name):
            return found
    pytest.skip(f"{' or '.join(names)} is not installed")


CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def render_html(html: Path, out: Path, height: int = 4000) -> tuple[Path, Path]:
    """report.html as a reader sees it: a headless Chromium screenshot (checked not
    blank) and its print to PDF."""
    common = [program(*CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu"]
    common.append("--disable-background-networking")
    url = html.resolve().as_uri()
    png, pdf = out / "report.png", out / "report.pdf"
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run([*common, f"--screenshot={png}", f"--window-size=1400,{height}", url], **run)
    subprocess.run([*common, f"--print-to-pdf={pdf}", url], **run)
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[:2] == (height, 1400)
    assert pixels[..., :3].std() > 0.05, "the page rendered blank"
    return png, pdf


def deck_pages(deck: Path, out: Path) -> int:
    """Pages of the deck as LibreOffice Impress converts it to PDF (one a slide)."""
    soffice = program("soffice", "libreoffice")
    copy_of = out / "deck.pptx"
    shutil.copy(deck, copy_of)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(copy_of)],
        check=True,
        capture_output=True,
        timeout=300,
        env={"HOME": str(out), "PATH": "/usr/bin:/bin"},
    )
    pdf = out / "deck.pdf"
    if not pdf.is_file():
        pytest.skip("LibreOffice has no Impress filter here (libreoffice-impress not installed)")
    info = subprocess.run([program("pdfinfo"), str(pdf)], capture_output=True, text=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def packed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A five-replication run of SMALL with its pack, and what its command printed (one
    run for every module that reads it: the statistic and the number-form checks)."""
    from click.testing import CliRunner

    from sim.cli import main

    target = tmp_path_factory.mktemp("packed") / "run"
    result = CliRunner().invoke(
        main, ["run", str(SMALL), "-o", str(target), "--no-charts", "--report", *FIVE]
    )
    assert result.exit_code == 0, result.output
    return target, result.output
