"""A 350,000-row roster through ``restructure org``: time and peak memory of the whole
process (start-up, imports, reading, deriving, the chart and the written scenario).

Run: python bench/bench_roster.py [--people N] [--repeats N]
The issue's targets: at most 5 s and 500 MB on the 2-core machine. Prints figures,
asserts nothing: the machine is shared, so the median of a few runs is reported
with the load average at the time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import rostergen  # noqa: E402  (the tests' generator of made-up rosters)


def one_run(roster: Path, folder: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of one ``restructure org`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "org",
            str(roster),
            "-o",
            str(folder / "plan.yaml"),
            "--chart",
            str(folder / "spans.png"),
            "--force",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=folder,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest child so far: each run is measured
    # alone only when it is the largest; the first run (no earlier child) is exact
    return seconds, max(peak_kb, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=350_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        roster = folder / "roster.csv"
        rostergen.generate(args.people, seed=1).write_csv(roster)
        size_mb = roster.stat().st_size / 1e6
        runs = [one_run(roster, folder) for _ in range(args.repeats)]
    seconds = [s for s, _ in runs]
    peak = max(m for _, m in runs)
    load = os.getloadavg()[0]
    print(f"roster: {args.people:,} rows, {size_mb:.1f} MB, {os.cpu_count()} CPUs, load {load:.1f}")
    print(
        f"restructure org (whole process, chart and scenario written): median "
        f"{statistics.median(seconds):.2f} s (runs: {', '.join(f'{s:.2f}' for s in seconds)}); "
        f"peak memory {peak:.0f} MB"
    )
    print("targets: <= 5 s, <= 500 MB")


if __name__ == "__main__":
    main()
