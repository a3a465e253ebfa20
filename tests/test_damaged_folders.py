"""A damaged run folder is one line naming the file and what is wrong, exit 2, and
nothing written: ``report`` and ``plot`` read it through the one reader, which checks
its shape first (the marker, summary.json, each CSV's header and row lengths).

The corpus: what a full disk, an editor, a sync tool or a hand leaves of a run
folder. Each damage is done to a fresh copy of one small run.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL

from sim.cli import main
from sim.report.files import MARKER
from sim.report.runfolder import write_run
from sim.runs.orchestrator import run as run_monte_carlo
from sim.scenario.load import load_scenario

EXIT_INVALID = 2


def _cut_mid_row(name: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        data = path.read_bytes()
        lines = data.split(b"\n")
        path.write_bytes(b"\n".join(lines[: len(lines) // 2]) + b"\n" + lines[len(lines) // 2][:7])

    return damage


def _summary(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / "summary.json"
        path.write_text(json.dumps(change(json.loads(path.read_text()))), encoding="utf-8")

    return damage


def _replace(name: str, text: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")

    return damage


def _edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return damage


def _headline_null(data: dict) -> dict:
    data["headline"] = None
    return data


def _band_text(data: dict) -> dict:
    data["headline"]["npv"] = "a lot"
    return data


def _band_nan(data: dict) -> dict:
    data["headline"]["npv"]["p50"] = math.nan  # json.dumps writes NaN, the tool never does
    return data


def _no_version(data: dict) -> dict:
    del data["version"]
    return data


def _a_folder(name: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return damage


def _a_fifo(name: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / name).unlink()
        os.mkfifo(folder / name)

    return damage


def _no_marker(folder: Path) -> None:
    (folder / MARKER).unlink()
    _summary(_no_version)(folder)


#: damage -> (the file named, what the line says)
DAMAGES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "timeseries_cut_mid_row": (_cut_mid_row("timeseries.csv"), "timeseries.csv", "cut short"),
    "cashflows_cut_mid_row": (_cut_mid_row("cashflows.csv"), "cashflows.csv", "cut short"),
    "summary_a_list": (_summary(lambda d: [d]), "summary.json", "expected a mapping, got list"),
    "summary_headline_null": (_summary(_headline_null), "summary.json", "headline: expected"),
    "summary_band_text": (_summary(_band_text), "summary.json", "headline.npv: expected"),
    "summary_nan_in_a_band": (_summary(_band_nan), "summary.json", "NaN is not a number"),
    "summary_not_json": (_replace("summary.json", '{"seed": 1,'), "summary.json", "not JSON"),
    "summary_no_version": (_summary(_no_version), "summary.json", "has no version"),
    "replications_empty": (_replace("replications.csv", ""), "replications.csv", "empty"),
    "replications_header_only": (
        _replace("replications.csv", "replication,npv\n"),
        "replications.csv",
        "no rows",
    ),
    "timeseries_header_changed": (
        _edit("timeseries.csv", "month,unit,metric", "month,team,metric"),
        "timeseries.csv",
        "header is",
    ),
    "cashflows_text_for_a_number": (
        _edit("cashflows.csv", "\n2026-01,-", "\n2026-01,lots"),
        "cashflows.csv",
        "is not a number",
    ),
    "timeseries_escape_code_in_a_unit": (
        _edit("timeseries.csv", ",Operations,", ",Oper\x1b[2Jations,"),
        "timeseries.csv",
        "U+001B (ESCAPE)",
    ),
    "summary_a_folder": (_a_folder("summary.json"), "summary.json", "it is a folder"),
    "timeseries_a_fifo": (_a_fifo("timeseries.csv"), "timeseries.csv", "a pipe (FIFO)"),
    "no_marker_and_no_version": (_no_marker, MARKER, "not a run output folder"),
}


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run") / "run"
    write_run(run_monte_carlo(load_scenario(SMALL), 2, 11, workers=1), SMALL, folder, False)
    return folder


def _contents(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
        if not p.is_fifo()
    }


@pytest.mark.parametrize("command", ["report", "plot"])
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_run_folder_is_one_line_naming_the_file_and_nothing_is_written(
    damage: str, command: str, run_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "run"
    shutil.copytree(run_folder, folder)
    do, file, words = DAMAGES[damage]
    do(folder)
    before = _contents(folder)
    result = CliRunner().invoke(main, [command, str(folder)])
    assert result.exit_code == EXIT_INVALID, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert file in lines[0] and words in lines[0], lines[0]
    assert lines[0].isprintable()
    assert _contents(folder) == before  # nothing written, nothing half written


def test_the_undamaged_folder_reports(run_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(run_folder, folder)
    result = CliRunner().invoke(main, ["report", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "report.html").is_file() and (folder / "deck.pptx").is_file()


def _restructure(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=120
    )


def _refused_as_the_real_command(damage: str, command: str, run_folder: Path, tmp: Path) -> None:
    folder = tmp / "run"
    shutil.copytree(run_folder, folder)
    do, file, words = DAMAGES[damage]
    do(folder)
    before = _contents(folder)
    done = _restructure(command, str(folder))
    assert done.returncode == EXIT_INVALID, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert file in line and words in line and line.isprintable(), line
    assert _contents(folder) == before


def test_an_empty_replications_csv_is_refused_by_the_real_report(
    run_folder: Path, tmp_path: Path
) -> None:
    """The finding: report accepted an empty replications.csv with exit 0."""
    _refused_as_the_real_command("replications_empty", "report", run_folder, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["report", "plot"])
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_run_folder_is_refused_by_the_real_command(
    damage: str, command: str, run_folder: Path, tmp_path: Path
) -> None:
    _refused_as_the_real_command(damage, command, run_folder, tmp_path)
