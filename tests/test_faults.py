"""Runs and output folders under faults: never a traceback, never a hang, never lost data.

The quick tests drive the folder logic in process. The ``slow`` ones run the real
command as a process and do to it what users and machines do: SIGTERM, SIGKILL
of the parent, two runs at one folder, a Dask scheduler that dies mid-run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.report import files
from sim.report.files import MARKER, OutputExistsError, atomic_folder
from sim.report.runfolder import write_run
from sim.runs.orchestrator import run_monte_carlo
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "good" / "small-delayering.yaml"
MIDSIZE = ROOT / "scenarios" / "midsize-delayering.yaml"
EXIT_TERMINATED = 143


def _leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


@pytest.fixture(scope="module")
def results():
    return run_monte_carlo(load_scenario(SMALL), 1, 11)


# --- --force and the folder swap, in process ------------------------------------------


def test_force_never_replaces_a_folder_the_tool_did_not_write(tmp_path: Path, results) -> None:
    precious = tmp_path / "scenarios"
    precious.mkdir()
    (precious / "plan.yaml").write_text("a user's only copy\n")
    with pytest.raises(OutputExistsError, match="not an output folder this tool wrote"):
        write_run(results, SMALL, precious, force=True)
    assert [p.name for p in precious.iterdir()] == ["plan.yaml"]
    assert _leftovers(precious) == []


def test_the_api_writes_a_run_folder_from_string_paths_as_the_readme_does(
    tmp_path: Path, results
) -> None:
    # issue 27: "'str' object has no attribute 'exists'"
    import sim

    summary = sim.write_run(results, str(SMALL), str(tmp_path / "run"), force=False)
    assert summary.scenario.path == str(SMALL)
    assert sim.load_run(str(tmp_path / "run")).summary == summary


def test_force_replaces_a_folder_the_tool_wrote(tmp_path: Path, results) -> None:
    target = tmp_path / "run"
    write_run(results, SMALL, target, force=False)
    assert (target / MARKER).is_file()
    write_run(results, SMALL, target, force=True)
    assert (target / "summary.json").is_file()
    assert _leftovers(target) == []


def test_a_swap_that_fails_halfway_puts_the_old_folder_back(
    tmp_path: Path, results, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "run"
    write_run(results, SMALL, target, force=False)
    before = (target / "summary.json").read_bytes()
    real_rename = Path.rename

    def rename(self: Path, to: Path):
        if Path(to) == target and self.name.startswith(".run."):  # the new folder moving in
            raise KeyboardInterrupt
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        write_run(results, SMALL, target, force=True)
    assert (target / "summary.json").read_bytes() == before
    assert _leftovers(target) == []


def test_ctrl_c_during_the_swap_waits_until_the_swap_is_done(tmp_path: Path, results) -> None:
    target = tmp_path / "run"
    write_run(results, SMALL, target, force=False)
    real_swap = files._swap_in

    def interrupted_swap(staging: Path, into: Path) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # arrives between the two renames
        time.sleep(0.05)
        real_swap(staging, into)

    files._swap_in = interrupted_swap
    try:
        with pytest.raises(KeyboardInterrupt):
            write_run(results, SMALL, target, force=True)
    finally:
        files._swap_in = real_swap
    assert (target / "summary.json").is_file()  # the new folder is whole, in place
    assert _leftovers(target) == []


def _killed_between_the_renames(target: Path) -> Path:
    """What SIGKILL between the swap's two renames leaves: the old output renamed
    aside, the new one still in its temporary folder, nothing at ``target``."""
    aside = target.parent / f".{target.name}.old.k1ll3d00"
    aside.mkdir()
    target.rename(aside / target.name)
    tmp = target.parent / f".{target.name}.n3wst4ge"
    tmp.mkdir()
    (tmp / MARKER).write_text("half written\n")
    return aside


def test_the_next_run_puts_back_an_output_a_killed_run_had_renamed_aside(
    tmp_path: Path, results
) -> None:
    target = tmp_path / "run"
    write_run(results, SMALL, target, force=False)
    before = (target / "summary.json").read_bytes()
    _killed_between_the_renames(target)
    assert not target.exists()
    # the next run finds the old output back in place, so without --force it is refused
    with pytest.raises(OutputExistsError, match="exists; pass --force"):
        write_run(results, SMALL, target, force=False)
    assert (target / "summary.json").read_bytes() == before
    assert _leftovers(target) == []


def test_a_run_is_refused_before_it_simulates_when_its_output_was_set_aside(
    tmp_path: Path, results
) -> None:
    target = tmp_path / "run"
    write_run(results, SMALL, target, force=False)
    _killed_between_the_renames(target)
    with pytest.raises(OutputExistsError, match="set aside by a run killed"):
        files.refuse_existing(target, force=False)
    files.refuse_existing(target, force=True)  # --force may replace it


def test_the_next_forced_run_replaces_it_and_leaves_nothing_beside_it(
    tmp_path: Path, results
) -> None:
    target = tmp_path / "run"
    write_run(results, SMALL, target, force=False)
    _killed_between_the_renames(target)
    (tmp_path / ".run.v2.abcdefgh").mkdir()  # someone else's: another output's name
    write_run(results, SMALL, target, force=True)
    assert (target / "summary.json").is_file()
    assert _leftovers(target) == [".run.v2.abcdefgh"]


def test_a_second_writer_of_the_same_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "run"
    with atomic_folder(target, force=False) as folder:
        (folder / "summary.json").write_text("{}")
        with (
            pytest.raises(OutputExistsError, match="being written by another run"),
            atomic_folder(target, force=True),
        ):
            pass
    assert target.is_dir()
    assert _leftovers(target) == []


def test_the_workbook_is_byte_identical_between_identical_runs(tmp_path: Path, results) -> None:
    write_run(results, SMALL, tmp_path / "a", force=False)
    time.sleep(1.1)  # a creation time in seconds would differ now
    write_run(results, SMALL, tmp_path / "b", force=False)
    for name in ("workbook.xlsx", "summary.json", MARKER):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_run_too_large_to_compute_is_refused_before_it_starts(tmp_path: Path) -> None:
    text = MIDSIZE.read_text(encoding="utf-8").replace("headcount: 2888", "headcount: 10000000")
    scenario = tmp_path / "huge.yaml"
    scenario.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["run", str(scenario), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert len(errors) == 1 and "work items a replication" in errors[0], result.stderr
    assert time.monotonic() - started < 10
    assert not (tmp_path / "out").exists()


# --- the real command as a process ------------------------------------------------------


def test_an_extreme_valid_run_says_it_will_be_slow_before_it_starts_even_when_quiet(
    tmp_path: Path,
) -> None:
    """The finding: an extreme but valid scenario took 63 s of CPU (the starter 5.6 s) and
    said nothing first; under -q the run-time notice was never printed at all."""
    text = SMALL.read_text(encoding="utf-8")
    scenario = tmp_path / "busy.yaml"
    scenario.write_text(
        text.replace("arrivals_per_ic_per_week: 3.0", "arrivals_per_ic_per_week: 1000")
    )
    # six replications of about 22 s each (3.7 million items): over two minutes
    run = _start_run(tmp_path / "run", "-n", "6", "--workers", "1", scenario=scenario)
    try:
        first = run.stderr.readline()  # type: ignore[union-attr]
        assert first.startswith("simulating 6 replications, the work flow in every one: "), first
        assert " min in all on 1 worker(s)" in first
        assert run.poll() is None  # said before the replications, not after
        os.killpg(run.pid, signal.SIGINT)
        _, rest = run.communicate(timeout=60)
        assert rest.strip().splitlines() == ["interrupted: no output written"]
    finally:
        _reap(run)


def _start_run(target: Path, *extra: str, scenario: Path = SMALL) -> subprocess.Popen:
    args = ["run", str(scenario), "-o", str(target), "--no-charts", "-q", *extra]
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=target.parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _workers(process: subprocess.Popen, count: int, timeout_s: float = 60) -> list[psutil.Process]:
    """The pool's worker processes once ``count`` of them are busy."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        children = [
            c
            for c in psutil.Process(process.pid).children()
            if "resource_tracker" not in " ".join(c.cmdline())
        ]
        if len(children) >= count and all(c.cpu_times().user > 0.5 for c in children[:count]):
            return children
        time.sleep(0.2)
    raise AssertionError("the pool's workers never got busy")


def _reap(run: subprocess.Popen) -> None:
    """Whatever of the run's session is left, and its pipes closed."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(run.pid, signal.SIGKILL)
    run.communicate()


def _gone(processes: list[psutil.Process], timeout_s: float) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=timeout_s)
    return not alive


@pytest.mark.slow
def test_sigterm_stops_a_pooled_run_cleans_up_and_exits_143(tmp_path: Path) -> None:
    target = tmp_path / "run"
    run = _start_run(target, "-n", "400", "--workers", "2")
    try:
        workers = _workers(run, 2)
        run.send_signal(signal.SIGTERM)
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == EXIT_TERMINATED, stderr
        assert "Traceback" not in stderr
        assert stderr.strip().splitlines() == ["terminated: no output written"]
        assert _gone(workers, 10)
        assert not target.exists() and _leftovers(target) == []
    finally:
        _reap(run)


@pytest.mark.slow
def test_sigterm_to_the_whole_group_is_also_exit_143(tmp_path: Path) -> None:
    target = tmp_path / "run"
    run = _start_run(target, "-n", "400", "--workers", "2")
    try:
        workers = _workers(run, 2)
        os.killpg(run.pid, signal.SIGTERM)
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == EXIT_TERMINATED, stderr
        assert "Traceback" not in stderr
        assert _gone(workers, 10)
        assert not target.exists() and _leftovers(target) == []
    finally:
        _reap(run)


@pytest.mark.slow
def test_pool_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    run = _start_run(tmp_path / "run", "-n", "400", "--workers", "2")
    try:
        workers = _workers(run, 2)
        run.kill()  # SIGKILL: no handler runs, as under the out-of-memory killer
        run.wait(timeout=10)
        assert _gone(workers, 10), "pool workers outlived their parent"
    finally:
        _reap(run)


@pytest.mark.slow
def test_two_runs_at_one_folder_do_not_both_succeed(tmp_path: Path) -> None:
    target = tmp_path / "run"
    runs = [_start_run(target, "-n", "4", "--workers", "1") for _ in range(2)]
    outcomes = [(r.wait(timeout=300), r.communicate()[1]) for r in runs]
    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, 2], outcomes
    refused = next(stderr for code, stderr in outcomes if code == 2)
    assert "Traceback" not in refused and len(refused.strip().splitlines()) == 1
    assert (target / "summary.json").is_file() and _leftovers(target) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User CPU of a process and everything under it."""
    process = psutil.Process(pid)
    tree = [process, *process.children(recursive=True)]
    return sum(p.cpu_times().user for p in tree if p.is_running())


@pytest.mark.slow
def test_a_dask_scheduler_dying_mid_run_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.skip("the dask command is not installed beside this Python")
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [str(dask), "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], **quiet
    )
    worker = subprocess.Popen(
        [str(dask), "worker", address, "--nthreads", "1", "--no-dashboard"], **quiet
    )
    target = tmp_path / "run"
    try:
        run = _start_run(target, "-n", "5000", "--scheduler", address)
        deadline = time.monotonic() + 60
        while _cpu_seconds(worker.pid) < 3 and time.monotonic() < deadline:
            time.sleep(0.5)  # until the worker (under its nanny) has run some replications
        assert run.poll() is None, "the run ended before the scheduler could be killed"
        scheduler.kill()
        _, stderr = run.communicate(timeout=120)
        assert run.returncode != 0
        assert "Traceback" not in stderr
        # one line for the failure, after the slow-run notice a long run gives under -q
        lines = stderr.strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith("simulating 5000 replications"), stderr
        assert "Dask" in lines[1] and "no output written" in lines[1]
        assert not target.exists() and _leftovers(target) == []
    finally:
        for process in (scheduler, worker):
            process.kill()
            process.wait()
