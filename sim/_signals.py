"""How the command line stops on a signal: a leaf every part of it may import."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
    wrapped in its own error, which would end in that error's traceback."""
    try:
        yield
    except Exception as err:
        if not received:
            raise
        raise (Terminated() if received[-1] == signal.SIGTERM else KeyboardInterrupt()) from err


class InterruptedAfterWriting(KeyboardInterrupt):
    """Ctrl-C or SIGTERM that arrived while the new output was being swapped in: the
    swap was finished first, so ``target`` holds the new output, whole."""

    def __init__(self, target: Path, signum: int):
        super().__init__(str(target))
        self.target = target
        self.signum = signum
