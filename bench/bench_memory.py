"""The coordinator's memory against the replication count: flat, or growing?

Run:
  python bench/bench_memory.py [-n 1000 10000] [--workers 2] [--on pool cluster] [SCENARIO]

For each place (a local process pool; a Dask LocalCluster of ``--workers`` worker
processes of one thread on loopback, its scheduler in the coordinating process as
a LocalCluster's is) and each count N (default 1,000 and 10,000), runs N money-only
replications (a flow sample of none, as ``run --no-flow``: no work flow; default
scenario example-roster, 0.06 CPU-s a replication, 369 monthly series; a scenario
that prices work done simulates the flow in every replication) in a fresh process,
folding them as they arrive, then writes the run folder's tables and workbook
(no charts) as ``restructure run`` does. Prints the coordinator's resident memory
at the start and once the replications are folded, its peak (getrusage, the run
folder's writing included), its growth per replication from the first quarter
of the run to its end, and, over the counts, the growth per replication between
the smallest and the largest run: flat means a few hundred bytes (the
replication's headline figures and drawn inputs, as rows of arrays) or less.
Load averages are printed with each run: the machine is shared.

Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from sim.report.runfolder import write_run
from sim.runs.flowsample import FlowSample
from sim.runs.orchestrator import simulate
from sim.runs.plan import Pool, RunPlan
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
PLACES = ("pool", "cluster")


def resident_mib() -> float:
    return psutil.Process().memory_info().rss / MIB


def one(scenario_path: Path, replications: int, workers: int, place: str) -> dict[str, float]:
    """One run in this process: its memory figures."""
    scenario = load_scenario(scenario_path)
    plan = RunPlan(replications, scenario.meta.seed, flow=FlowSample(count=0))
    quarter = max(replications // 4, 1)
    marks: dict[int, float] = {}
    done = 0

    def on_done(count: int) -> None:
        nonlocal done
        done += count
        if done % quarter == 0 or done == replications:
            marks[done] = resident_mib()

    def run(pool: Pool) -> dict[str, float]:
        start = resident_mib()
        load = psutil.getloadavg()[0]
        began, cpu = time.perf_counter(), time.process_time()
        results = simulate(scenario, plan, pool, on_done=on_done)
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        folded = resident_mib()
        with tempfile.TemporaryDirectory() as scratch:
            write_run(results, scenario_path, Path(scratch) / "run", force=False)
        first = min(marks)
        return {
            "start": start,
            "folded": folded,
            "written": resident_mib(),
            "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "growth_kib": (marks[replications] - marks[first]) * 1024 / (replications - first)
            if replications > first
            else float("nan"),
            "wall": wall,
            "cpu": cpu,
            "load_before": load,
            "load_after": psutil.getloadavg()[0],
        }

    if place == "pool":
        return run(Pool(workers=workers))
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        return run(Pool(scheduler=local.scheduler_address))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=ROOT / "scenarios/example-roster.yaml")
    parser.add_argument("-n", "--replications", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--on", nargs="+", choices=PLACES, default=list(PLACES))
    parser.add_argument("--one", choices=PLACES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    scenario = Path(args.scenario)
    if args.one:  # a child: one run, its figures as JSON
        print(json.dumps(one(scenario, args.replications[0], args.workers, args.one)))
        return
    print(
        f"{scenario.name}: money-only replications (as run --no-flow), {args.workers} worker "
        f"process(es); the coordinator's memory, each run in a fresh process"
    )
    counts = sorted(args.replications)
    for place in args.on:
        where = (
            f"local pool of {args.workers}"
            if place == "pool"
            else f"Dask LocalCluster of {args.workers} on loopback (scheduler in the coordinator)"
        )
        print(f"\n{where}:")
        found: dict[int, dict[str, float]] = {}
        for count in counts:
            command = [sys.executable, __file__, str(scenario), "-n", str(count)]
            command += ["--workers", str(args.workers), "--one", place]
            out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
            f = found[count] = json.loads(out.strip().splitlines()[-1])
            print(
                f"  {count:6d} replications, {f['wall']:5.0f} s wall, {f['cpu']:5.0f} CPU-s "
                f"here: resident {f['start']:.0f} MiB at the start, {f['folded']:.0f} folded, "
                f"{f['written']:.0f} written; peak {f['peak']:.0f} MiB; grew "
                f"{f['growth_kib']:.2f} KiB a replication over the run (load average "
                f"{f['load_before']:.1f} -> {f['load_after']:.1f})",
                flush=True,
            )
        if len(counts) > 1:
            small, large = found[counts[0]], found[counts[-1]]
            span = counts[-1] - counts[0]
            for figure in ("folded", "peak"):
                per = (large[figure] - small[figure]) * MIB / span
                print(
                    f"  {figure} from {counts[0]} to {counts[-1]}: {small[figure]:.0f} -> "
                    f"{large[figure]:.0f} MiB, {per:.0f} bytes a replication"
                )
    print(f"\nload average at the end (1, 5, 15 min): {psutil.getloadavg()}")


if __name__ == "__main__":
    main()
