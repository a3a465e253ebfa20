"""The ``restructure`` console command's first lines: Ctrl-C and SIGTERM are handled
from the start, before the command line's heavy imports.

Importing the command line (click, pydantic, ruamel, NumPy) takes about half a
second; an interrupt in it used to end in a KeyboardInterrupt traceback, and a
SIGTERM in it killed the process by the signal. Here both are one line and the
exit status shells report for them (130, 143), whenever they come.
"""

from __future__ import annotations

import signal
import sys

from sim._signals import (
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    deferred,
    interrupts_unwrapped,
    quiet_unraisable,
    raise_interrupted,
    raise_terminated,
    received,
    stopped_line,
)


def main() -> None:
    """Run the command line; an interrupt before it takes over is one line too."""
    signal.signal(signal.SIGTERM, raise_terminated)
    signal.signal(signal.SIGINT, raise_interrupted)
    sys.unraisablehook = quiet_unraisable
    try:
        with interrupts_unwrapped():
            _run()
    except Terminated:
        _stopped(signal.SIGTERM, EXIT_TERMINATED)
    except KeyboardInterrupt:
        _stopped(signal.SIGINT, EXIT_INTERRUPTED)


def _run() -> None:
    # _decimal (which pydantic and ruamel import) runs Python code while it initialises:
    # an interrupt there leaves it half made, and importing it again prints CPython's
    # "mpd_setminalloc: ignoring request to set MPD_MINALLOC a second time" on stderr
    # above the tool's one line. Imported first, with signals held (about 1 ms).
    with deferred():
        import decimal  # noqa: F401

    import click

    from sim.cli import main as command

    try:
        status = command.main(standalone_mode=False)
    except click.exceptions.Abort:  # click's word for an interrupt while it parses
        raise (Terminated() if signal.SIGTERM in received else KeyboardInterrupt()) from None
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    sys.exit(status if isinstance(status, int) else 0)


def _stopped(signum: int, status: int) -> None:
    try:
        sys.stderr.write(stopped_line(signum) + "\n")
        sys.stderr.flush()
    finally:
        sys.exit(status)
