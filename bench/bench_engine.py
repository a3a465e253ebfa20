"""Engine speed and memory: one replication of the e-commerce scenario with its twin,
and the engine's cost per work item against bare SimPy doing the same work.

Run: python bench/bench_engine.py [SCENARIO] [--repeats N]
Prints figures, asserts nothing: the machine is shared and noisy, so the ratio
is measured in one process, back to back, in CPU seconds of this process on both
sides (wall time moves with the other processes on the machine), and medians are
reported with the load average before and after. The engine's side is a whole
replication with its twin (the money part included); the bare side only moves
the same items through the same number of station visits. The SimPy events the
engine schedules per item are counted in one more replication, untimed.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import simpy

from sim.model.replication import run_replication
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def bare_simpy_tandem(
    items: int, visits: int, seed: int = 1, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Seconds (of ``clock``: wall by default) for bare SimPy to move ``items`` Poisson
    arrivals through single-server queues in tandem, ``visits`` services in all (each
    item visits the first one or more stations; exponential service, utilisation 0.7):
    the engine's work, bare."""
    rng = np.random.default_rng(seed)
    per_item = visits / items
    stations = math.ceil(per_item)
    extra = rng.random(items) < per_item - math.floor(per_item)
    hops = (math.floor(per_item) + extra).tolist()
    gaps = rng.exponential(1.0, items).tolist()
    service = rng.exponential(0.7, (items, stations)).tolist()
    env = simpy.Environment()
    servers = [simpy.Resource(env, capacity=1) for _ in range(stations)]

    def item(i: int):
        for k in range(hops[i]):
            with servers[k].request() as request:
                yield request
                yield env.timeout(service[i][k])

    def source():
        for i in range(items):
            yield env.timeout(gaps[i])
            env.process(item(i))

    start = clock()
    env.process(source())
    env.run()
    return clock() - start


def events_per_item(scenario, seed: int) -> float:  # type: ignore[no-untyped-def]
    """SimPy events scheduled per simulated item in one replication with its twin."""
    schedule = simpy.Environment.schedule
    count = 0

    def counting(self, event, priority=simpy.events.NORMAL, delay=0):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        schedule(self, event, priority, delay)

    simpy.Environment.schedule = counting  # type: ignore[method-assign]
    try:
        replication = run_replication(scenario, seed)
    finally:
        simpy.Environment.schedule = schedule  # type: ignore[method-assign]
    return count / sum(t.simulated_items for t in (replication.scenario, replication.baseline))


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/ecommerce-2026.yaml"))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)

    print(f"{Path(args.scenario).name}; before: {load()}")
    walls, cpus, bares, ratios = [], [], [], []
    for repeat in range(args.repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        replication = run_replication(scenario, repeat + 1)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        runs = (replication.scenario, replication.baseline)
        items = sum(t.simulated_items for t in runs)
        visits = sum(t.station_visits for t in runs)
        bare = bare_simpy_tandem(items, visits, seed=repeat, clock=time.process_time)
        walls.append(wall)
        cpus.append(cpu)
        bares.append(bare)
        ratios.append(cpu / bare)
        print(
            f"run {repeat + 1}: {cpu:.2f} s CPU ({wall:.2f} s wall), {items:,} items, "
            f"{visits / items:.2f} services/item; bare SimPy tandem, same items and "
            f"services: {bare:.2f} s CPU; ratio {ratios[-1]:.2f}"
        )
    events = events_per_item(scenario, 1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{Path(args.scenario).name}: one replication with its twin")
    print(
        f"  CPU time, median of {args.repeats}: {statistics.median(cpus):.2f} s "
        f"(min {min(cpus):.2f}, max {max(cpus):.2f}); wall {statistics.median(walls):.2f} s"
    )
    print(
        f"  engine cost per item: {statistics.median(cpus) / items * 1e6:.1f} us CPU; "
        f"bare SimPy: {statistics.median(bares) / items * 1e6:.1f} us"
    )
    print(f"  SimPy events per item: {events:.2f}")
    print(f"  ratio engine / bare SimPy per item, median: {statistics.median(ratios):.2f}")
    print(f"  peak resident memory of this process: {peak_mb:.0f} MB")
    print(f"after: {load()}")


if __name__ == "__main__":
    main()
