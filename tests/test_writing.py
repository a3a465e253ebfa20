"""Every file the tool writes is whole or absent, one writer of an output at a time, and
what the tool says after an interrupt is what it did.

A full disk while ``new`` writes its starter or ``org`` its scenario leaves no part
of a file; a second run to the same ``-o`` while the first is simulating is refused
at once (it used to finish and silently replace the first's output); Ctrl-C while
``--force`` swaps the new folder in lets the swap finish and then says so.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FAST, SCENARIO_DIR, SMALL

from sim.cli import main
from sim.report import files

EXIT_INVALID, EXIT_INTERRUPTED = 2, 130


class _FullDisk:
    """A file handle on a disk that fills after a few bytes."""

    def __init__(self, handle):
        self.handle = handle

    def write(self, data: bytes) -> int:
        self.handle.write(data[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def _fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen

    def fdopen(fd: int, mode: str = "r"):
        return _FullDisk(real(fd, mode)) if "w" in mode else real(fd, mode)

    monkeypatch.setattr(files.os, "fdopen", fdopen)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_the_disk(monkeypatch)


def _nothing_but(folder: Path, *names: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_a_full_disk_while_new_writes_leaves_no_part_of_the_starter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_disk: None
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "ops"])
    assert result.exit_code == EXIT_INVALID
    assert "No space left on device" in result.output
    assert len(result.output.strip().splitlines()) == 1
    _nothing_but(tmp_path)


def test_a_full_disk_while_org_writes_leaves_no_part_of_the_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_disk: None
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = SCENARIO_DIR / "example-roster.csv"
    result = CliRunner().invoke(main, ["org", str(roster), "--no-chart", "-o", "s.yaml"])
    assert result.exit_code == EXIT_INVALID
    assert "No space left on device" in result.output
    _nothing_but(tmp_path)


def test_a_file_written_whole_replaces_the_old_one_or_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.yaml"
    files.write_atomic(path, b"old")
    _fill_the_disk(monkeypatch)
    with pytest.raises(OSError):
        files.write_atomic(path, b"new " * 100)
    assert path.read_bytes() == b"old"
    _nothing_but(tmp_path, "s.yaml")


def test_ctrl_c_during_the_force_swap_says_the_new_output_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    first = CliRunner().invoke(main, ["run", str(SMALL), "-o", str(target), "--no-charts", *FAST])
    assert first.exit_code == 0, first.output
    real_swap = files._swap_in

    def interrupted_swap(staging: Path, into: Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # arrives between the two renames
        time.sleep(0.05)
        real_swap(staging, into)

    monkeypatch.setattr(files, "_swap_in", interrupted_swap)
    args = ["run", str(SMALL), "-o", str(target), "--no-charts", "--force", "--seed", "7", *FAST]
    second = CliRunner().invoke(main, args)
    assert second.exit_code == EXIT_INTERRUPTED
    said = second.output.strip().splitlines()[-1]
    assert said == f"interrupted after {target} was written: it holds the new output, whole"
    assert json.loads((target / "summary.json").read_text())["seed"] == 7  # what it said
    _nothing_but(tmp_path, "out")


@pytest.mark.slow
def test_a_second_run_to_the_same_folder_is_refused_while_the_first_simulates(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out"
    command = [sys.executable, "-m", "sim", "run", str(SMALL), "-o", str(target), "--no-charts"]
    first = subprocess.Popen(
        [*command, "-n", "12", "--workers", "1", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = tmp_path / ".out.lock"
    deadline = time.monotonic() + 120
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lock.exists(), "the first run never took the lock"
    second = subprocess.run(
        [*command, "--force", *FAST], capture_output=True, text=True, timeout=120
    )
    _, errors = first.communicate(timeout=300)
    assert first.returncode == 0, errors
    assert second.returncode == EXIT_INVALID
    assert second.stderr.strip().splitlines() == [
        f"Error: {target} is being written by another run right now; wait for it to finish "
        "or choose another -o"
    ]
    summary = json.loads((target / "summary.json").read_text())
    assert summary["replications"] == 12  # the first run's output, not replaced
    _nothing_but(tmp_path, "out")


def test_ctrl_c_while_the_table_is_printed_says_the_output_is_in_place(tmp_path: Path) -> None:
    """The run had written its folder and was printing its table: it said "interrupted:
    no output written" beside a folder holding the new output."""
    import sim.report.text

    target = tmp_path / "out"
    real = sim.report.text.headline_table

    def interrupted_table(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        return real(*args, **kwargs)

    args = ["run", str(SMALL), "-o", str(target), "--no-charts", *FAST]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sim.report.text, "headline_table", interrupted_table)
        result = CliRunner().invoke(main, args)
    assert result.exit_code == EXIT_INTERRUPTED
    said = result.output.strip().splitlines()[-1]
    assert said == f"interrupted after {target} was written: it holds the new output, whole"
    assert (target / "summary.json").is_file()
    _nothing_but(tmp_path, "out")


def _signal_at(signum: signal.Signals, where: str, *args: str, cwd: Path):
    helper = Path(__file__).with_name("signal_at.py")
    return subprocess.run(
        [sys.executable, str(helper), signum.name, where, "--", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
@pytest.mark.parametrize(
    "where",
    ["sim.report.files:_swap_in", "sim.report.text:headline_table"],
    ids=["during_the_force_swap", "while_the_table_is_printed"],
)
def test_a_signal_once_the_output_is_swapped_in_says_so_as_the_real_command(
    where: str, signum: signal.Signals, status: int, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    first = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(SMALL), "-o", str(target), "--no-charts", *FAST],
        capture_output=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    args = ["run", str(SMALL), "-o", str(target), "--no-charts", "--force", "--seed", "7", *FAST]
    done = _signal_at(signum, where, *args, cwd=tmp_path)
    assert done.returncode == status, done.stderr
    stopped = "interrupted" if signum == signal.SIGINT else "terminated"
    assert done.stderr.splitlines() == [
        f"{stopped} after {target} was written: it holds the new output, whole"
    ]
    assert json.loads((target / "summary.json").read_text())["seed"] == 7  # what it said
    _nothing_but(tmp_path, "out")


@pytest.mark.slow
def test_a_signal_between_the_report_and_the_deck_waits_for_both(tmp_path: Path) -> None:
    """report renamed report.html into place, then deck.pptx: Ctrl-C between the two
    left a new report beside an old deck, and said "no output written"."""
    target = tmp_path / "out"
    args = ["run", str(SMALL), "-o", str(target), "--no-charts", "--report", *FAST]
    assert subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True).returncode == 0
    old = {name: (target / name).stat().st_mtime_ns for name in ("report.html", "deck.pptx")}
    done = _signal_at(
        signal.SIGINT, "sim.report.files:_finished", "report", str(target), cwd=tmp_path
    )
    assert done.returncode == EXIT_INTERRUPTED, done.stderr
    assert done.stderr.splitlines() == [
        f"interrupted after writing {target / 'report.html'}, {target / 'deck.pptx'}, each "
        "whole; nothing else was written"
    ]
    for name, mtime in old.items():
        assert (target / name).stat().st_mtime_ns > mtime, name  # both new
    assert [p.name for p in target.iterdir() if p.name.startswith(".")] == [files.MARKER]
