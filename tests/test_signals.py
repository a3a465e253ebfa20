"""Ctrl-C and SIGTERM stop ``run`` with one line and 130 or 143, whenever they come.

The finding: Ctrl-C in the first half second of ``run`` (while the command line's
modules load) ended in a KeyboardInterrupt traceback or death by the signal, and
SIGTERM there killed the process by the signal. Each case here is the real
console command, signalled as a terminal and a job scheduler do it (Ctrl-C to the
whole process group, SIGTERM to the process), at moments through its start-up and
into its replications, with one worker and with two.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SMALL

from sim._signals import Terminated

EXPECTED = {
    signal.SIGINT: (130, "interrupted: no output written"),
    signal.SIGTERM: (143, "terminated: no output written"),
}
#: seconds from start to the signal: during the imports, the loading, the replications.
#: Not before about 0.1 s: the interpreter's own start-up (importing site, 50-80 ms on
#: a loaded machine) comes before any line of the tool runs, and is Python's to answer
MOMENTS = (0.15, 0.25, 0.4, 0.6, 1.5)
#: a bare interpreter's start on an idle machine, which the moments above already allow
BARE_START = 0.05


def _interpreter_start() -> float:
    """How long a bare interpreter takes to start and exit now (the median of three): on
    a loaded machine it is longer than the 0.1 s the moments allow, so each moment is
    counted from when the tool's own first line can run."""
    times = []
    for _ in range(3):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.monotonic() - started)
    return sorted(times)[1]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("restructure")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sim"]


def _signalled(signum: int, after: float, workers: int, folder: Path) -> tuple[int, str]:
    target = folder / "out"
    # enough replications to outlast the latest moment on an idle machine (40 did not),
    # and under a minute, so no slow-run notice
    options = ["-n", "200", "--workers", str(workers), "-q", "--no-charts"]
    delay = after + max(0.0, _interpreter_start() - BARE_START)  # measured before it starts
    process = subprocess.Popen(
        [*_command(), "run", str(SMALL), "-o", str(target), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    time.sleep(delay)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C reaches every process of the job
    else:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    assert not target.exists(), "a stopped run left its output"
    return process.returncode, stderr


def _check(signum: int, after: float, workers: int, folder: Path) -> None:
    status, stderr = _signalled(signum, after, workers, folder)
    expected_status, expected_line = EXPECTED[signum]
    assert "Traceback" not in stderr, stderr
    assert status == expected_status, (after, stderr)
    assert stderr.strip().splitlines() == [expected_line], stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_start_up_is_one_line_and_its_exit_status(
    signum: int, tmp_path: Path
) -> None:
    _check(signum, 0.3, 1, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_moment_is_one_line_and_its_exit_status_every_time(
    signum: int, workers: int, tmp_path: Path
) -> None:
    for n, after in enumerate(MOMENTS):
        _check(signum, after, workers, tmp_path / str(n))


def test_an_interrupt_a_library_wrapped_in_its_own_error_is_still_the_interrupt() -> None:
    """pydantic-core, building a validator at import when Ctrl-C came, raised its
    SchemaError around the KeyboardInterrupt: CI saw its traceback at 1 moment in 120."""
    from sim import _signals

    class LibraryError(Exception):
        pass

    # no signal came: the error is the error
    with pytest.raises(LibraryError), _signals.interrupts_unwrapped():
        raise LibraryError("a real failure")
    for signum, expected in [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)]:
        _signals.received.append(signum)
        try:
            with pytest.raises(expected) as caught, _signals.interrupts_unwrapped():
                raise LibraryError("SchemaError: Error building validator: KeyboardInterrupt")
        finally:
            _signals.received.clear()
        assert isinstance(caught.value.__cause__, LibraryError)
        assert (caught.type is Terminated) == (signum == signal.SIGTERM)


def _signal_at(signum: int, where: str, *args: str, swallow: bool = False, cwd: Path):
    """The real command, sent ``signum`` by itself just before ``where`` runs (signal_at)."""
    helper = Path(__file__).with_name("signal_at.py")
    how = ["swallow"] if swallow else []
    return subprocess.run(
        [sys.executable, str(helper), signum.name, where, *how, "--", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


@pytest.mark.parametrize(
    "where",
    ["sim.scenario.load:load_with_warnings", "sim.runs.orchestrator:simulate"],
    ids=["while_loading", "as_the_replications_start"],
)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_a_library_swallowed_still_stops_the_run_in_one_line(
    signum: signal.Signals, where: str, tmp_path: Path
) -> None:
    """The finding, 2 runs in 150 at start-up: importlib's module-lock callback ran the
    handler and reported its KeyboardInterrupt as "ignored" (a traceback, then the run
    went on to exit 0), and pydantic-core's regex turned one into "the text 'USD' is not
    allowed here" (exit 2), and later ones let the whole run finish first. Here the
    interrupt is lost the same way, while loading or as the replications start."""
    target = tmp_path / "out"
    args = ["run", str(SMALL), "-o", str(target), "-n", "6", "--workers", "1", "-q"]
    done = _signal_at(signum, where, *args, swallow=True, cwd=tmp_path)
    expected_status, expected_line = EXPECTED[signum]
    assert done.returncode == expected_status, done.stderr
    assert done.stderr.splitlines() == [expected_line]
    assert not target.exists()


def test_a_finaliser_a_signal_left_half_made_is_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI, 1 moment in 20: SIGTERM raised inside multiprocessing's ``Finalize`` before it
    set its ``_key``; its weak reference's callback later printed "Exception ignored in:
    <Finalize object, dead>" and an AttributeError's traceback under "terminated". Here
    the same: an object whose constructor a signal stopped, collected after."""
    import gc

    from sim import _signals

    class HalfMade:
        def __init__(self, interrupted: bool) -> None:
            if interrupted:
                raise _signals.Terminated()
            self.key = 1

        def __del__(self) -> None:
            del self.key  # what Finalize.__call__ does with its missing _key

    monkeypatch.setattr(sys, "unraisablehook", _signals.quiet_unraisable)

    def collect_one() -> str:
        with contextlib.suppress(_signals.Terminated):
            HalfMade(interrupted=True)
        gc.collect()
        return capsys.readouterr().err

    assert "AttributeError" in collect_one()  # no signal came: Python's report, as ever
    _signals.received.append(signal.SIGTERM)
    try:
        assert collect_one() == ""
    finally:
        _signals.received.clear()


def test_an_error_exit_after_a_signal_came_is_the_signal() -> None:
    """An exit 2 a library's error led to, once Ctrl-C came, is the interrupt; a clean
    exit and the interrupt's own are what they are."""
    from sim import _signals

    with pytest.raises(SystemExit), _signals.interrupts_unwrapped():
        sys.exit(2)  # no signal came: the exit is the exit
    _signals.received.append(signal.SIGINT)
    try:
        with pytest.raises(KeyboardInterrupt), _signals.interrupts_unwrapped():
            sys.exit(2)
        for status in (0, 130):
            with pytest.raises(SystemExit), _signals.interrupts_unwrapped():
                sys.exit(status)
        with pytest.raises(KeyboardInterrupt):
            _signals.raise_received()
    finally:
        _signals.received.clear()
    _signals.raise_received()  # none came: nothing raised


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_a_library_turned_into_a_problem_of_the_file_is_the_signal(
    command: str, signum: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load, SIGTERM during start-up printed "meta.currency: the text 'USD' is not
    allowed here" above "terminated": pydantic-core, running the currency's pattern when
    the signal came, reported it as a problem of the file. A problem found after a signal
    came is the signal: its line only, and its exit status."""
    from click.testing import CliRunner

    from sim import _signals
    from sim.cli import main
    from sim.scenario import load

    def interrupted(*args: object, **kwargs: object) -> object:
        _signals.received.append(signum)  # the handler ran; the library swallowed it
        raise load.ScenarioError([load.Problem("s.yaml", 11, 13, "meta.currency", "not allowed")])

    monkeypatch.setattr(load, "load_with_warnings", interrupted)
    monkeypatch.setattr(_signals, "received", [])
    result = CliRunner().invoke(main, [command, str(SMALL)])
    status, line = EXPECTED[signum]
    assert (result.exit_code, result.output.strip().splitlines()) == (status, [line])
