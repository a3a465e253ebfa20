"""Where a replication's time goes, and a thousand money-only replications, in one run.

Run: python bench/bench_money.py [SCENARIO] [--repeats N] [-n N] [--workers W]

Prints, on one machine in one process (default: ecommerce-2026):

- CPU seconds of one replication with its twin (work flow included), and of
  bare SimPy moving the same items through the same number of station visits:
  their ratio is the engine's cost per station visit against bare SimPy;
- CPU seconds of the money part of a replication alone (the workforce runs, AI,
  cash flows and summary, no work flow), and its share of a whole replication;
- CPU seconds a replication of a worker's batch of money-only replications
  (sim.runs.chunks.MONEY_CHUNK of them simulated together, then summarised);
- wall seconds of ``-n`` money-only replications (default 1,000) on ``--workers``
  local processes (default 2), as ``run --no-flow`` would compute them, and the CPU
  seconds of the coordinator and of the workers, each a replication: issue 24's
  target is 60 s wall for 1,000 on two idle cores, so about 0.12 s of CPU a
  replication, all included.

``--repeats 0`` skips the replications with their work flow.

The repeats are interleaved (full, bare, money; full, bare, money; ...) and
medians reported, so a machine whose load changes mid-run moves all three
alike; the load average is printed before and after. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

import numpy as np
from bench_engine import bare_simpy_tandem

from sim.model.replication import run_replication, run_replications
from sim.runs.chunks import MONEY_CHUNK
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.summarise import summarise
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def own_cpu() -> float:
    """CPU seconds of this process."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    return mine.ru_utime + mine.ru_stime


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the pool's workers)."""
    theirs = resource.getrusage(resource.RUSAGE_CHILDREN)
    return theirs.ru_utime + theirs.ru_stime


def cpu(function, *args):  # type: ignore[no-untyped-def]
    """CPU seconds of ``function(*args)``, and its value."""
    start = time.process_time()
    value = function(*args)
    return time.process_time() - start, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/ecommerce-2026.yaml"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("-n", type=int, default=1000, help="money-only replications (0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    print(f"{Path(args.scenario).name}; before: {load()}")
    summarise(run_replication(scenario, 0, flow=False))  # imports and caches warmed

    fulls, bares, moneys, visits_per_item = [], [], [], []
    for repeat in range(args.repeats):
        seed = repeat + 1
        full, replication = cpu(summarise_full, scenario, seed)
        runs = (replication.scenario, replication.baseline)
        items = sum(t.simulated_items for t in runs)
        visits = sum(t.station_visits for t in runs)
        bare = bare_simpy_tandem(items, visits, seed=repeat, clock=time.process_time)
        money, _ = cpu(money_part, scenario, seed)
        fulls.append(full)
        bares.append(bare)
        moneys.append(money)
        visits_per_item.append(visits / items)
        print(
            f"  repeat {seed}: replication {full:.2f} s CPU ({items:,} items, "
            f"{visits / items:.2f} visits an item); bare SimPy {bare:.2f} s; "
            f"ratio {full / bare:.2f}; money part {money * 1000:.0f} ms"
        )
    if fulls:
        report(args.repeats, fulls, bares, moneys)
    seeds = np.random.SeedSequence(scenario.meta.seed).spawn(3 * MONEY_CHUNK)
    batches = [
        cpu(money_batch, scenario, seeds[k : k + MONEY_CHUNK])[0] / MONEY_CHUNK
        for k in range(0, len(seeds), MONEY_CHUNK)
    ]
    print(
        f"  a worker's batch of {MONEY_CHUNK} money-only replications: "
        f"{statistics.median(batches) * 1000:.0f} ms CPU a replication (median of 3 batches)"
    )
    if args.n:
        start, mine, theirs = time.perf_counter(), own_cpu(), children_cpu()
        results = run_monte_carlo(scenario, args.n, scenario.meta.seed, args.workers, flow=False)
        wall = time.perf_counter() - start
        mine, theirs = own_cpu() - mine, children_cpu() - theirs
        count = results.count
        print(
            f"  {count:,} money-only replications on {args.workers} workers: {wall:.1f} s wall "
            f"({wall / count * 1000:.1f} ms a replication); CPU {mine + theirs:.1f} s, "
            f"{(mine + theirs) / count * 1000:.1f} ms a replication (coordinator "
            f"{mine / count * 1000:.1f} ms, workers {theirs / count * 1000:.1f} ms); on "
            f"{args.workers} idle cores that CPU is {(mine + theirs) / args.workers:.1f} s wall "
            "at best (target: 60 s for 1,000)"
        )
    print(f"after: {load()}")


def report(repeats: int, fulls: list[float], bares: list[float], moneys: list[float]) -> None:
    """The medians of the interleaved repeats."""
    full, bare, money = (statistics.median(x) for x in (fulls, bares, moneys))
    ratios = [f / b for f, b in zip(fulls, bares, strict=True)]
    print(f"medians of {repeats}:")
    print(f"  one replication with its twin: {full:.2f} s CPU")
    print(f"  bare SimPy, same items and visits: {bare:.2f} s CPU")
    print(f"  ratio per station visit, engine / bare SimPy: {statistics.median(ratios):.2f}")
    print(
        f"  money part (workforce runs, AI, cash flows, summary): {money * 1000:.0f} ms CPU, "
        f"{money / full:.1%} of a replication"
    )


def summarise_full(scenario, seed):  # type: ignore[no-untyped-def]
    """A whole replication (work flow included), summarised as a worker does."""
    replication = run_replication(scenario, seed)
    summarise(replication)
    return replication


def money_batch(scenario, seeds):  # type: ignore[no-untyped-def]
    """Money-only replications simulated together and summarised, as a worker does."""
    return [summarise(r) for r in run_replications(scenario, seeds, flow=False)]


def money_part(scenario, seed):  # type: ignore[no-untyped-def]
    """A replication without its work flow, summarised."""
    return summarise(run_replication(scenario, seed, flow=False))


if __name__ == "__main__":
    main()
