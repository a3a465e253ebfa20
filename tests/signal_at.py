"""The real ``restructure`` command, with a signal sent to itself at a chosen moment.

    python tests/signal_at.py SIGNAL MODULE:FUNCTION [swallow] -- ARGS...

Before ``MODULE.FUNCTION`` is first called, the process sends itself SIGNAL (SIGINT as
Ctrl-C, SIGTERM); the function then runs as usual. The moments a test needs (between
the renames of a swap, while the table is printed) last microseconds, too short to hit
from outside. With ``swallow``, the signal's interrupt is raised where a library would
swallow it (in a finaliser: Python reports it as "ignored" and goes on), as importlib
and pydantic-core did. Everything else is the console command as a user starts it.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
import time


def _signalled(signum: int, swallow: bool, real):
    sent = []

    class _Finaliser:
        def __del__(self) -> None:
            os.kill(os.getpid(), signum)
            time.sleep(0.05)  # the handler runs here, inside the finaliser

    @functools.wraps(real)
    def call(*args, **kwargs):
        if not sent:
            sent.append(signum)
            if swallow:
                _Finaliser()  # dropped at once: its __del__ runs and its interrupt is lost
            else:
                os.kill(os.getpid(), signum)
                time.sleep(0.05)  # the signal arrives before the call goes on
        return real(*args, **kwargs)

    return call


def main() -> None:
    name, target, *rest = sys.argv[1:]
    split = rest.index("--")
    swallow = "swallow" in rest[:split]
    module_name, function = target.split(":")
    module = importlib.import_module(module_name)
    signum = getattr(signal, name)
    setattr(module, function, _signalled(signum, swallow, getattr(module, function)))
    sys.argv = ["restructure", *rest[split + 1 :]]
    from sim.console import main as console

    console()


if __name__ == "__main__":
    main()
