"""How the command line stops on a signal: a leaf every part of it may import.

What the tool says when it stops is what it did: the outputs finished before the
signal came are remembered here (:data:`written`, by the writers in
``report/files``), and the line printed names them, or says none was written.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: exit status after Ctrl-C, as shells report SIGINT
EXIT_INTERRUPTED = 130
#: exit status after SIGTERM (kill, timeout, job schedulers), as shells report it
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so that it stops and cleans up the same way."""


#: the signals that arrived, in order (what click's "Abort" was, when it swallowed one)
received: list[int] = []


def raise_terminated(signum: int, frame: object) -> None:
    received.append(signum)
    raise Terminated()


def raise_interrupted(signum: int, frame: object) -> None:
    """Ctrl-C as Python's own handler answers it, with the signal remembered."""
    received.append(signum)
    raise KeyboardInterrupt()


@contextmanager
def interrupts_unwrapped() -> Iterator[None]:
    """An error raised in here because a signal came is raised as that signal's interrupt.

    A library that runs Python code of ours while it works (pydantic-core building a
    validator at import) catches the KeyboardInterrupt raised in it and re-raises it
    wrapped in its own error, which would end in that error's traceback; pydantic-core
    running a regex turned one into a validation error, which exited 2 ("the text 'USD'
    is not allowed here"). An error exit after a signal came is that signal's too."""
    try:
        yield
    except SystemExit as err:
        if not received or err.code in (None, 0, EXIT_INTERRUPTED, EXIT_TERMINATED):
            raise
        raise (Terminated() if received[-1] == signal.SIGTERM else KeyboardInterrupt()) from err
    except Exception as err:
        if not received:
            raise
        raise (Terminated() if received[-1] == signal.SIGTERM else KeyboardInterrupt()) from err


def raise_received() -> None:
    """Raise the interrupt of a signal that came and was swallowed: a library that ran
    our handler inside its own machinery (importlib's module-lock callback, a regex
    pydantic-core runs) reports the KeyboardInterrupt as "ignored", or as its own
    error, and goes on; here it stops the command after all."""
    if received:
        raise Terminated() if received[-1] == signal.SIGTERM else KeyboardInterrupt()


def quiet_unraisable(unraisable: Any) -> None:
    """``sys.unraisablehook``: an interrupt a library could not raise is not printed
    as a traceback (:func:`raise_received` raises it once the library returns), nor is
    an error in a finaliser once a signal came: the interrupt, raised inside a library's
    constructor, leaves its object half made, and its finaliser then fails on the missing
    part (CI, 1 moment in 20: multiprocessing's ``Finalize`` stopped before it set its
    ``_key`` printed "AttributeError: 'Finalize' object has no attribute '_key'" under
    "terminated"). Anything else, with no signal come, is reported as Python would."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) or received:
        return
    sys.__unraisablehook__(unraisable)


#: the outputs this command finished, in order: a folder swapped in, a file renamed
#: into place (never a file inside a folder still being written)
written: list[Path] = []


def stopped_line(signum: int) -> str:
    """What the tool says when a signal stopped it: the outputs it wrote, or none."""
    how = "terminated" if signum == signal.SIGTERM else "interrupted"
    if not written:
        return f"{how}: no output written"
    if len(written) == 1:
        return f"{how} after {written[0]} was written: it holds the new output, whole"
    names = ", ".join(str(path) for path in written)
    return f"{how} after writing {names}, each whole; nothing else was written"


@contextmanager
def deferred() -> Iterator[None]:
    """Ctrl-C or SIGTERM in here waits until the block is done, then takes its course
    (the handler there was before runs): renames that swap an old output for a new one,
    and the note of what was written, are never left half done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in caught[:1]:
            signal.raise_signal(signum)
