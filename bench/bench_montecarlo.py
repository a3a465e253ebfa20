"""Monte Carlo memory and speed: does memory stay flat as replications arrive, and
do two workers run about twice as fast as one?

Run:
  python bench/bench_montecarlo.py memory [-n 1000] [--workers 2] [SCENARIO]
  python bench/bench_montecarlo.py speed [-n 200] [--repeats 1] [SCENARIO]

memory: runs N replications (default 1,000 of midsize-delayering) on a local pool,
folding them as they arrive, then writes the tables (no charts) to a temporary
folder, as ``restructure run --no-charts`` does. Prints the peak resident memory
of this process and of the largest worker (getrusage RUSAGE_SELF / RUSAGE_CHILDREN),
and this process's resident memory at checkpoints, with its growth per
replication, so a run of N justifies a figure for more.

The coordinator's memory at 1,000 and 10,000 replications, on a pool and on a
Dask LocalCluster: bench/bench_memory.py.

speed: runs the same N replications (default 200 of ecommerce-2026) with one
worker and with two, back to back in one process (order alternating between
repeats), and prints wall times and the speed-up; medians if repeated.

Prints figures, asserts nothing: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from sim.report.runfolder import write_run
from sim.runs.montecarlo import Results
from sim.runs.orchestrator import run_monte_carlo
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
#: resident memory is sampled this many times over a run
CHECKPOINTS = 10


def peak_mib(who: int) -> float:
    """Peak resident memory (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(who).ru_maxrss / 1024


def memory(scenario_path: Path, replications: int, workers: int) -> None:
    scenario = load_scenario(scenario_path)
    me = psutil.Process()
    every = max(replications // CHECKPOINTS, 1)
    samples: list[tuple[int, float]] = [(0, me.memory_info().rss / MIB)]
    done = 0

    def on_done(count: int) -> None:
        nonlocal done
        done += count
        if done % every == 0 or done == replications:
            samples.append((done, me.memory_info().rss / MIB))
            elapsed = time.perf_counter() - start
            biggest = max((c.memory_info().rss for c in me.children()), default=0) / MIB
            print(
                f"  {done:5d} done, {elapsed:6.0f} s; resident: this process "
                f"{samples[-1][1]:6.1f} MiB, largest worker {biggest:6.1f} MiB"
            )

    print(f"{scenario_path.name}: {replications} replications on {workers} worker(s)")
    start = time.perf_counter()
    results = run_monte_carlo(scenario, replications, scenario.meta.seed, workers, on_done=on_done)
    simulate_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        write_run(results, scenario_path, Path(scratch) / "run", force=False)
        write_s = time.perf_counter() - start
    # peaks read before report_memory pickles the results to size them
    peaks = peak_mib(resource.RUSAGE_SELF), peak_mib(resource.RUSAGE_CHILDREN)
    report_memory(results, workers, samples, peaks, simulate_s, write_s)


def report_memory(
    results: Results,
    workers: int,
    samples: list[tuple[int, float]],
    peaks: tuple[float, float],
    simulate_s: float,
    write_s: float,
) -> None:
    n = results.count
    held_kib = len(pickle.dumps(results)) / 1024
    # growth from the first checkpoint on: start-up (imports, the pool) is not growth
    (n0, rss0), (n1, rss1) = samples[1], samples[-1]
    growth_kib = (rss1 - rss0) * 1024 / (n1 - n0) if n1 > n0 else float("nan")
    parent, child = peaks
    print(f"\n  simulate: {simulate_s:.0f} s wall ({simulate_s / n:.2f} s a replication)")
    print(f"  write tables and workbook: {write_s:.1f} s")
    print(f"  results held (pickled): {held_kib / 1024:.1f} MiB, {held_kib / n:.1f} KiB each")
    print(
        f"  this process grew {growth_kib:.1f} KiB a replication "
        f"({n0} -> {n1} replications: {rss0:.0f} -> {rss1:.0f} MiB resident)"
    )
    print(f"  peak resident, this process (RUSAGE_SELF): {parent:.0f} MiB")
    print(f"  peak resident, largest worker (RUSAGE_CHILDREN): {child:.0f} MiB")
    whole = parent + workers * child
    print(f"  peak of the whole run, at most: {whole:.0f} MiB (this process + {workers} workers)")
    for count in (1000, 10_000):
        if count > n:
            more = growth_kib * (count - n) / 1024
            print(f"  projected for {count} replications: at most {whole + more:.0f} MiB")


def cpu_s() -> float:
    """CPU seconds used so far by this process and its finished workers."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def speed(scenario_path: Path, replications: int, repeats: int) -> None:
    scenario = load_scenario(scenario_path)
    print(f"{scenario_path.name}: {replications} replications, 1 worker vs 2, {repeats} repeat(s)")
    walls: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    for repeat in range(repeats):
        order = (1, 2) if repeat % 2 == 0 else (2, 1)
        for workers in order:
            load = psutil.getloadavg()[0]
            start, start_cpu = time.perf_counter(), cpu_s()
            run_monte_carlo(scenario, replications, scenario.meta.seed, workers)
            walls[workers].append(time.perf_counter() - start)
            cpus[workers].append(cpu_s() - start_cpu)
            print(
                f"  repeat {repeat + 1}, {workers} worker(s): {walls[workers][-1]:.0f} s wall, "
                f"{cpus[workers][-1] / replications:.2f} CPU s a replication "
                f"(load average before: {load:.1f} on {psutil.cpu_count()} CPUs)"
            )
    one, two = statistics.median(walls[1]), statistics.median(walls[2])
    print(f"\n  median wall time, 1 worker: {one:.0f} s ({one / replications:.2f} s a replication)")
    print(f"  median wall time, 2 workers: {two:.0f} s ({two / 60:.1f} min; target under 5)")
    ratios = [a / b for a, b in zip(walls[1], walls[2], strict=True)]
    per_repeat = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"  speed-up 1 -> 2 workers: {one / two:.2f}x (per repeat: {per_repeat}; target >= 1.7)")
    # equal CPU per replication means the pool costs nothing: a speed-up short of 2
    # is then the machine's other load, not the code
    cpu_one, cpu_two = statistics.median(cpus[1]), statistics.median(cpus[2])
    print(f"  CPU per replication, 2 workers / 1 worker: {cpu_two / cpu_one:.2f}")
    print(f"  load average at the end (1, 5, 15 min): {psutil.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    mem = commands.add_parser("memory", help="peak memory over N replications")
    mem.add_argument("scenario", nargs="?", default=ROOT / "scenarios/midsize-delayering.yaml")
    mem.add_argument("-n", "--replications", type=int, default=1000)
    mem.add_argument("--workers", type=int, default=2)
    fast = commands.add_parser("speed", help="wall time with 1 and 2 workers")
    fast.add_argument("scenario", nargs="?", default=ROOT / "scenarios/ecommerce-2026.yaml")
    fast.add_argument("-n", "--replications", type=int, default=200)
    fast.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    if args.command == "memory":
        memory(Path(args.scenario), args.replications, args.workers)
    else:
        speed(Path(args.scenario), args.replications, args.repeats)


if __name__ == "__main__":
    main()
