"""How fast the command line starts: the median of several starts of each command.

Run: python bench/bench_start.py [--repeats N]

Prints the median wall seconds (and the fastest) of ``restructure --help``,
``restructure validate`` on the e-commerce scenario and, for scale, a bare
``python -c pass`` and ``python -c "import click"``: what a start cannot go
below. Each is a whole new process, as a user's shell starts it; the repeats
are interleaved, so a change of the machine's load moves every command alike.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands() -> dict[str, list[str]]:
    console = shutil.which("restructure") or ""
    command = [console] if console else [sys.executable, "-m", "sim"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "restructure --help": [*command, "--help"],
        "restructure validate ecommerce-2026.yaml": [
            *command,
            "validate",
            str(ROOT / "scenarios" / "ecommerce-2026.yaml"),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    one, five, _ = os.getloadavg()
    print(
        f"load average {one:.2f}, {five:.2f} on {os.cpu_count()} CPUs; {args.repeats} starts each"
    )
    timings: dict[str, list[float]] = {name: [] for name in commands()}
    for _ in range(args.repeats):
        for name, command in commands().items():
            began = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            timings[name].append(time.perf_counter() - began)
    for name, values in timings.items():
        print(f"{name:42s} median {statistics.median(values):.3f} s, fastest {min(values):.3f} s")


if __name__ == "__main__":
    main()
