"""The ``restructure`` command group: one line for a user's mistake (exit 2), for Ctrl-C
(130) and SIGTERM (143), and printing that shows what a terminal would act on.
"""

from __future__ import annotations

import re
import signal
import sys
from typing import Any

import click

from sim import _signals
from sim._signals import (
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    interrupts_unwrapped,
)
from sim._signals import raise_terminated as _raise_terminated
from sim._version import __version__

#: exit status for input the user must fix (click uses 2 for usage errors too)
EXIT_INVALID = 2


class UserError(click.ClickException):
    """A mistake the user must fix: one line on stderr, exit status 2."""

    exit_code = EXIT_INVALID


def echo_problems(text: str) -> None:
    """A user's problems on stderr, unless a signal came while they were found: a library
    that swallowed the interrupt can report it as a problem of the file (pydantic-core
    running a pattern answered SIGTERM with "the text 'USD' is not allowed here"), and
    then the signal's own line is the only one printed."""
    _signals.raise_received()
    click.echo(text, err=True)


#: runs of text between the characters a terminal may act on: line ends and tabs
_PASSED = re.compile("[^\n\r\t]+")


class _Printable:
    """A text stream that shows what a terminal would act on, escaped (an escape code in
    a file name, a BEL): what the tool prints is what is there. Line ends, tabs and the
    progress bar's carriage returns pass."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # what click probes a stream with: a text stream
            raise TypeError("a text stream")
        from sim.scenario.names import printable

        self._stream.write(_PASSED.sub(lambda m: printable(m.group()), text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # bytes written past the escaping: none
            raise AttributeError(name)
        return getattr(self._stream, name)


class _Group(click.Group):
    """Turns Ctrl-C into one line and exit 130, SIGTERM into exit 143 (the output
    folder was never renamed in), a worker killed under it into one line, and a file
    problem into one line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        signal.signal(signal.SIGTERM, _raise_terminated)
        # kept after the command too: click prints a UserError once invoke has raised it
        if not isinstance(sys.stdout, _Printable):
            sys.stdout = _Printable(sys.stdout)
        if not isinstance(sys.stderr, _Printable):
            sys.stderr = _Printable(sys.stderr)
        _signals.written.clear()  # what this command writes, named if a signal stops it
        try:
            with interrupts_unwrapped():
                _signals.raise_received()  # one a library swallowed while we started
                done = self._invoke(ctx)
                _signals.raise_received()  # one swallowed while the command ran
                return done
        except Terminated:
            click.echo(_signals.stopped_line(signal.SIGTERM), err=True)
            sys.exit(EXIT_TERMINATED)
        except KeyboardInterrupt:
            click.echo(_signals.stopped_line(signal.SIGINT), err=True)
            sys.exit(EXIT_INTERRUPTED)

    def _invoke(self, ctx: click.Context) -> Any:
        """The command, its errors each one line (an interrupt in these imports too)."""
        try:
            return super().invoke(ctx)
        except OSError as err:  # a folder that is a file, a missing directory, a full disk
            where = f" {err.filename}" if err.filename else ""
            raise UserError(f"cannot write or read{where}: {err.strerror or err}") from None
        except Exception as err:
            if isinstance(err, _loaded(_WORKER_DIED)):
                click.echo(
                    "a worker process died (killed, or out of memory?): no output written",
                    err=True,
                )
                sys.exit(1)
            if isinstance(err, _loaded(_USER_ERRORS)):
                raise UserError(str(err)) from None
            raise


#: (module, class) of the errors a command's user must fix: a run that cannot be computed
#: here, an output folder that exists, a folder that is not a run
_USER_ERRORS = (
    ("sim.model.cost", "RunCostError"),
    ("sim.report.files", "OutputExistsError"),
    ("sim.report.runfolder", "RunFolderError"),
)


_WORKER_DIED = (("concurrent.futures.process", "BrokenProcessPool"),)


def _loaded(names: tuple[tuple[str, str], ...]) -> tuple[type[BaseException], ...]:
    """Those of the named error classes whose modules are loaded: an error can only be
    of a class whose module was imported, and importing the others (NumPy, the engine)
    would slow every command's start."""
    found = []
    for module, name in names:
        if module in sys.modules:
            found.append(getattr(sys.modules[module], name))
    return tuple(found)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="restructure")
def main() -> None:
    """Simulate cutting management layers and reinvesting the savings in AI."""
