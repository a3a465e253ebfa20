"""How fast bad input is refused: `restructure validate` on every file of the bad-input
corpus (tests/data/bad), whole process, and in process after imports.

Run: python bench/bench_validate.py [--repeats N]
Prints figures, asserts nothing: the machine is shared and noisy, so each file's
time is the median of its repeats, and the in-process times (which leave out
Python's start-up and imports) are given beside the whole-process ones. The
promise the format makes is a refusal within a second.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
PROMISE_S = 1.0


def in_process(path: Path) -> float:
    start = time.perf_counter()
    CliRunner().invoke(main, ["validate", str(path)])
    return time.perf_counter() - start


def whole_process(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, check=False
    )
    return time.perf_counter() - start


def main_(repeats: int) -> None:
    files = sorted(p for p in BAD.iterdir() if p.is_file())
    inside = {p.name: statistics.median(in_process(p) for _ in range(repeats)) for p in files}
    slowest = sorted(inside, key=inside.__getitem__, reverse=True)[:5]
    whole = {
        name: statistics.median(whole_process(BAD / name) for _ in range(repeats))
        for name in slowest
    }
    print(f"{len(files)} bad files, median of {repeats} runs each")
    print(
        f"  in process: median {statistics.median(inside.values()) * 1e3:.0f} ms, "
        f"max {max(inside.values()) * 1e3:.0f} ms; over {PROMISE_S:.0f} s: "
        f"{sum(s > PROMISE_S for s in inside.values())}"
    )
    print("  the five slowest, whole process (python -m sim validate):")
    for name in slowest:
        print(f"    {name:45s} {whole[name]:.2f} s (in process {inside[name] * 1e3:.0f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    main_(parser.parse_args().repeats)
