"""How the command line stops on a signal: a leaf every part of it may import."""

from __future__ import annotations

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


class InterruptedAfterWriting(KeyboardInterrupt):
    """Ctrl-C or SIGTERM that arrived while the new output was being swapped in: the
    swap was finished first, so ``target`` holds the new output, whole."""

    def __init__(self, target: Path, signum: int):
        super().__init__(str(target))
        self.target = target
        self.signum = signum
