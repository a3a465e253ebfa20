"""`run -n 1000` with the work flow only where it is asked, beside the run before it, in one run.

Run: python bench/bench_flow.py [SCENARIO] [-n N] [--workers W] [--before K]

Prints, on one machine in one process (default: ecommerce-2026, 1,000 replications,
2 workers):

- wall seconds of ``restructure run -n N`` as it now runs: money for every
  replication, the work flow for the flow sample chosen by precision (how many,
  and the half-widths reached, from summary.json);
- the run as it was before the flow sample, every replication simulating its work
  flow: ``restructure run -n K --flow-replications K`` measured (default K = 40)
  and scaled to N. A replication with its work flow takes the same time whatever
  the run's size (each runs alone on a worker), so the scaling is linear; pass
  ``--before N`` to measure it whole instead (about half an hour on two cores).

The two commands run back to back, charts off, into temporary folders; the load
average is printed before and after. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def timed_run(scenario: Path, replications: int, workers: int, *extra: str) -> tuple[float, dict]:
    """Wall seconds of one ``restructure run`` and its summary.json."""
    with tempfile.TemporaryDirectory() as temp:
        target = Path(temp) / "run"
        command = [
            *(sys.executable, "-m", "sim", "run", str(scenario)),
            *("-n", str(replications), "--workers", str(workers), "-q", "--no-charts"),
            *("-o", str(target), *extra),
        ]
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - began
        return seconds, json.loads((target / "summary.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=ROOT / "scenarios/ecommerce-2026.yaml")
    parser.add_argument("-n", "--replications", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--before", type=int, default=40, help="replications measured before")
    args = parser.parse_args()
    scenario, n = Path(args.scenario), args.replications
    print(f"{scenario.name}, {n} replications on {args.workers} workers; {load()}")

    now, data = timed_run(scenario, n, args.workers)
    sample = data.get("flow_sample") or {}
    widths = ", ".join(
        f"{name} {width:.4f}" if width is not None else f"{name} n/a"
        for name, width in (sample.get("half_width") or {}).items()
    )
    print(
        f"now:    run -n {n}: {now:.1f} s wall; the work flow in the first "
        f"{data['flow_replications']} ({sample.get('rule', 'every replication')}); "
        f"half-widths reached: {widths or 'n/a'}"
    )

    k = min(args.before, n)
    before, _ = timed_run(scenario, k, args.workers, "--flow-replications", str(k))
    projected = before * n / k
    how = "measured" if k == n else f"measured on {k} ({before:.1f} s) and scaled to {n}"
    print(f"before: run -n {n}, the work flow in every replication: {projected:.0f} s wall ({how})")
    print(f"speed-up: {projected / now:.1f}x; {load()}")


if __name__ == "__main__":
    main()
