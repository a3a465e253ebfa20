"""The mix shift: which roles shrink and which grow, in the chart, the workbook and the pack.

A run with roles gets an eighth slide whose title names the role furthest below the
status quo and the one furthest above it, as the run's own timeseries.csv has them;
a run without roles keeps its seven.
"""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pptx import Presentation

from sim.cli import main
from sim.report.charts import CHARTS, charts_for
from sim.report.charts.data import Run
from sim.report.charts.mixshift import NOT_REPLACEMENT, shifts, titles
from tests.test_roles import PROGRAM, TWO_ROLES
from tests.test_staffing import BASE, unit

#: a run with its charts and board pack: seconds
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = copy.deepcopy(BASE)
    roles = [TWO_ROLES[0], {**TWO_ROLES[1], "driver": {"per_program": 150}}]
    doc["org"]["units"] = [unit(ics=10_000, roles=roles)]
    doc["ai"] = {"programs": [PROGRAM]}
    folder = tmp_path_factory.mktemp("mix")
    path = folder / "mix.yaml"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    out = folder / "out"
    args = ["run", str(path), "-n", "2", "-o", str(out), "--format", "png", "--report", "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def _at_horizon(folder: Path) -> dict[str, float]:
    """Each role's P50 at the horizon minus the status quo's, read from the CSV itself."""
    rows = list(csv.DictReader((folder / "timeseries.csv").read_text().splitlines()))
    last = rows[-1]["month"]
    value = {
        r["metric"]: float(r["p50"])
        for r in rows
        if r["month"] == last and r["unit"] == "all" and r["metric"].startswith(ROLES)
    }
    return {
        m.removeprefix("headcount_role:"): value[m] - value[f"baseline_{m}"]
        for m in value
        if m.startswith("headcount_role:")
    }


ROLES = ("headcount_role:", "baseline_headcount_role:")


def test_the_mix_shift_title_names_the_roles_that_shrink_and_grow_most(run_folder: Path) -> None:
    gaps = _at_horizon(run_folder)
    shrinks, grows = min(gaps, key=gaps.get), max(gaps, key=gaps.get)
    assert gaps[shrinks] < 0 < gaps[grows]  # data processing is exposed, engineering driven
    run = Run.load(run_folder)
    assert {s.name: s.against_status_quo for s in shifts(run)} == pytest.approx(gaps)
    title = titles(shifts(run))[0]
    assert title.startswith(f"{shrinks} ends ") and f"{grows} " in title and "above" in title
    assert (run_folder / "charts" / "8-mix-shift.png").stat().st_size > 10_000


def test_the_workbook_and_the_pack_show_the_mix_shift(run_folder: Path) -> None:
    book = openpyxl.load_workbook(run_folder / "workbook.xlsx", read_only=True)
    sheet = book["Headcount by role"]
    header = next(sheet.iter_rows(max_row=1, values_only=True))
    assert "Data processing, all units: plan (P50)" in header
    book.close()
    html = (run_folder / "report.html").read_text(encoding="utf-8")
    # the chart's own figure (the story links only the first takeaways since the deck's
    # executive summary)
    assert '<figure id="8-mix-shift"' in html and "which is not replacement" in html
    deck = Presentation(str(run_folder / "deck.pptx"))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert any(NOT_REPLACEMENT in n for n in notes)


def test_only_a_run_with_roles_has_the_mix_shift_in_its_slide_order(run_folder: Path) -> None:
    stems = list(charts_for(Run.load(run_folder)))
    assert sorted(stems, key=lambda s: int(s.split("-")[0])) == stems
    assert set(stems) == {*CHARTS, "8-mix-shift"} and "8-mix-shift" not in CHARTS
