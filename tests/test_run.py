"""``restructure run``: one command, a headline table, one output folder, whole or not at all.

The contract with the user (DESIGN.md): the command works on every shipped
scenario, prints a short table of headlines and writes one folder; bad input
is one clear line and exit status 2 with nothing written; an existing folder is
replaced only with ``--force``; an interrupted run never leaves a half report.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHIPPED, SMALL

from sim.cli import main
from sim.report.files import MARKER
from sim.scenario.load import load_scenario

OUTPUT_FILES = {
    MARKER,
    "summary.json",
    "timeseries.csv",
    "cashflows.csv",
    "replications.csv",
    "fiscal_years.csv",
    "workbook.xlsx",
}
#: replications enough to keep the small scenario busy for well over 5 s
MANY_REPLICATIONS = "200"


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, as click 8.2 and later always do."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click 8.1
    except TypeError:
        return CliRunner()


def _invoke(*args: str | Path):
    return _runner().invoke(main, ["run", *(str(a) for a in args)])


def _stray_temp_folders(target: Path) -> list[str]:
    """Hidden staging folders (.NAME.*) that a run left beside its target."""
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- the command in process ----------------------------------------------------


def test_a_run_prints_a_headline_table_and_writes_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "run"
    result = _invoke(SMALL, "-o", target, "-n", "2", "--workers", "1", "-q", "--no-charts")
    assert result.exit_code == 0, result.output
    for heading in ("Payback", "Discounted payback", "NPV", "IRR", "One-time costs"):
        assert heading in result.stdout
    assert "P10" in result.stdout and "P90" in result.stdout
    assert f"wrote {target}" in result.stdout
    assert {p.name for p in target.iterdir()} == OUTPUT_FILES
    summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    assert summary["replications"] == 2
    assert _stray_temp_folders(target) == []


def test_without_an_output_option_the_folder_is_runs_slash_the_scenario_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke(SMALL, "-n", "1", "-q", "--no-charts")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "runs" / "small-delayering"
    assert {p.name for p in folder.iterdir()} == OUTPUT_FILES


def test_an_existing_folder_without_force_is_exit_2_and_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "run"
    target.mkdir()
    (target / "notes.txt").write_text("an analyst's notes, not ours to delete\n")
    before = _listing(target)
    result = _invoke(SMALL, "-o", target, "-n", "1", "-q", "--no-charts")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "exists" in line]
    assert len(errors) == 1
    assert str(target) in errors[0] and "--force" in errors[0]
    assert result.stdout == ""
    assert _listing(target) == before
    assert _stray_temp_folders(target) == []


def test_the_message_for_an_existing_folder_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "run"
    target.mkdir()
    result = _invoke(SMALL, "-o", target, "-n", "1", "-q", "--no-charts")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_force_replaces_an_earlier_run_folder_whole(tmp_path: Path) -> None:
    target = tmp_path / "run"
    assert _invoke(SMALL, "-o", target, "-n", "1", "-q", "--no-charts").exit_code == 0
    (target / "stale.txt").write_text("from an earlier run\n")
    result = _invoke(SMALL, "-o", target, "-n", "1", "-q", "--no-charts", "--force")
    assert result.exit_code == 0, result.output
    assert {p.name for p in target.iterdir()} == OUTPUT_FILES
    assert _stray_temp_folders(target) == []


def test_a_bad_scenario_is_exit_2_with_file_and_line_and_no_folder(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("ceiling: 0.7", "ceiling: 1.5")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "ceiling: 1.5" in row)
    target = tmp_path / "run"
    result = _invoke(bad, "-o", target, "-n", "1", "-q", "--no-charts")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert re.match(rf"\S*bad\.yaml:{line}:\d+: ai\.programs\[0\]\.adoption\.ceiling", message)
    assert "1.5" in message
    assert not target.exists()
    assert _stray_temp_folders(target) == []


# --- the command as a real process, on every shipped scenario -------------------


@pytest.fixture(scope="module")
def shipped_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Every shipped scenario run at once (each takes seconds; together they overlap)."""
    cwd = tmp_path_factory.mktemp("shipped")
    runs: dict[str, tuple] = {}
    for path in SHIPPED:
        target = cwd / path.stem
        args = ["run", str(path), "-o", str(target), "-n", "2", "--no-charts", "--workers", "1"]
        process = subprocess.Popen(
            [sys.executable, "-m", "sim", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs[path.name] = (process, target)
    yield runs
    for process, _ in runs.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_runs_as_a_real_command(
    scenario: Path, shipped_runs: dict[str, tuple]
) -> None:
    process, target = shipped_runs[scenario.name]
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "Payback" in stdout and "NPV" in stdout
    assert {p.name for p in target.iterdir()} == OUTPUT_FILES
    summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["name"] == load_scenario(scenario).meta.name
    assert summary["replications"] == 2
    assert _stray_temp_folders(target) == []


# --- interrupted runs -------------------------------------------------------------


class Run:
    """``restructure run`` in its own session, its stderr on a terminal, so the
    progress bar shows when replications are under way."""

    def __init__(self, target: Path, workers: int) -> None:
        master, terminal = pty.openpty()
        # a terminal of no width gets no progress bar at all
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        args = ["run", str(SMALL), "-o", str(target), "-n", MANY_REPLICATIONS, "--no-charts"]
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sim", *args, "--workers", str(workers)],
            cwd=target.parent,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            start_new_session=True,
        )
        os.close(terminal)
        self.master = master
        self.stderr = b""

    def _read(self, timeout: float) -> bool:
        """Read what is there; False once the process has closed its terminal."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: the other end is closed
            return False
        self.stderr += chunk
        return bool(chunk)

    def wait_until_simulating(self, at_least_seconds: float = 2.0) -> None:
        """Until a replication has finished and ``at_least_seconds`` have passed."""
        deadline = self.started + 60
        while not re.search(rb"\b[1-9]\d*/" + MANY_REPLICATIONS.encode(), self.stderr):
            assert time.monotonic() < deadline, f"no progress: {self.stderr[-500:]!r}"
            assert self._read(0.2), f"ended early: {self.stderr[-500:]!r}"
        while time.monotonic() < self.started + at_least_seconds:
            self._read(0.1)
        assert self.process.poll() is None, "finished before it could be interrupted"

    def finish(self) -> str:
        deadline = time.monotonic() + 60
        while self._read(0.5) and time.monotonic() < deadline:
            pass
        self.process.wait(timeout=60)
        return self.stderr.decode("utf-8", "replace")

    def kill(self) -> None:
        """Whatever of the run's session is left (pool workers outlive a killed parent)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


@pytest.mark.parametrize(
    "workers, to_group",
    [(1, False), (2, True)],
    ids=["one process", "a process pool, Ctrl-C to the whole group"],
)
@pytest.mark.slow
def test_an_interrupted_run_leaves_no_folder_and_no_temp_folder(
    tmp_path: Path, workers: int, to_group: bool
) -> None:
    target = tmp_path / "run"
    run = Run(target, workers)
    try:
        run.wait_until_simulating()
        if to_group:
            os.killpg(run.process.pid, signal.SIGINT)
        else:
            run.process.send_signal(signal.SIGINT)
        stderr = run.finish()
    finally:
        run.kill()
    assert run.process.returncode != 0
    assert "Traceback" not in stderr
    assert not target.exists()
    assert _stray_temp_folders(target) == []


@pytest.mark.slow
def test_a_killed_run_never_leaves_the_target_folder(tmp_path: Path) -> None:
    target = tmp_path / "run"
    run = Run(target, workers=1)
    try:
        run.wait_until_simulating()
        run.process.send_signal(signal.SIGKILL)
        run.finish()
    finally:
        run.kill()
    assert run.process.returncode == -signal.SIGKILL
    # a hidden staging folder may remain after SIGKILL, but never a half report
    assert not target.exists()
