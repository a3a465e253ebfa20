"""The run-time estimate against the measured time: every shipped scenario, and a comparison.

Run: python bench/bench_estimate.py [SCENARIO ...] [-n N] [--workers W] [--compare-n N]
[--repeat R]

For each scenario (default: every shipped one), ``restructure run`` as a user runs
it (its own replications unless ``-n``, charts on, ``--workers`` processes, default
2) is timed whole, and printed beside what the run says it will take before it
starts (sim.report.run.run_time: its flow sample as expected, its files and
charts), with their ratio. Then a four-scenario ``restructure compare`` (the
e-commerce case, cuts only, AI and attrition, the status quo; ``--compare-n``
replications, default 20) likewise (sim.report.run.comparison_seconds). The target
is a ratio between 1/1.5 and 1.5 (each measured time the median of ``--repeat``
runs). The load average is printed on each line:
on a shared machine the measured times grow with it, the estimate does not.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.report.run import comparison_seconds
from sim.runs.flowsample import FlowSample
from sim.runs.orchestrator import run_time
from sim.runs.plan import Pool, RunPlan
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
COMPARED = ("ecommerce-2026", "cuts-only", "ecommerce-ai-attrition", "status-quo")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f} on {os.cpu_count()} CPUs"


def timed(*args: str) -> float:
    """Wall seconds of one ``restructure`` command, its output in a temporary folder."""
    with tempfile.TemporaryDirectory() as temp:
        command = [sys.executable, "-m", "sim", *args, "-q", "-o", str(Path(temp) / "out")]
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        return time.perf_counter() - began


def median_timed(repeat: int, *args: str) -> float:
    """The median wall seconds of ``repeat`` runs of one command."""
    return statistics.median(timed(*args) for _ in range(repeat))


def line(name: str, estimated: float, measured: float) -> str:
    ratio = measured / estimated
    verdict = "within 1.5x" if 1 / 1.5 <= ratio <= 1.5 else "OUTSIDE 1.5x"
    one, _, _ = os.getloadavg()
    return (
        f"{name:34s} estimate {estimated:7.1f} s  measured {measured:7.1f} s  "
        f"measured/estimate {ratio:4.2f}  {verdict}  (load {one:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("-n", "--replications", type=int)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--compare-n", type=int, default=20)
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument("--no-flow", action="store_true", help="money-only runs (--no-flow)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the median")
    args = parser.parse_args()
    paths = args.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    print(f"{len(paths)} run(s) and a comparison on {args.workers} workers; {load()}")
    workers = ("--workers", str(args.workers))
    flow = FlowSample(count=0) if args.no_flow else FlowSample()  # as the command line has it
    options = ("--no-flow",) if args.no_flow else ()
    for path in paths:
        scenario = load_scenario(path)
        n = args.replications or scenario.meta.replications
        plan = RunPlan(n, scenario.meta.seed, flow=flow)
        estimate = run_time(scenario, plan, Pool(args.workers)).seconds
        measured = median_timed(args.repeat, "run", str(path), "-n", str(n), *workers, *options)
        name = f"run {path.stem} -n {n}{' --no-flow' if args.no_flow else ''}"
        print(line(name, estimate, measured), flush=True)
    if not args.no_compare:
        files = [ROOT / "scenarios" / f"{name}.yaml" for name in COMPARED]
        scenarios = [load_scenario(p) for p in files]
        n = args.compare_n
        estimate = comparison_seconds(scenarios, n, args.workers, FlowSample())
        measured = median_timed(args.repeat, "compare", *map(str, files), "-n", str(n), *workers)
        print(line(f"compare of {len(files)} -n {n}", estimate, measured), flush=True)
    print(load())


if __name__ == "__main__":
    main()
