"""Engine speed and memory: one replication of the e-commerce scenario with its twin,
and the engine's cost per work item against bare SimPy doing the same work.

Run: python bench/bench_engine.py [SCENARIO] [--repeats N]
Prints figures, asserts nothing: the machine is shared and noisy, so the ratio
is measured in one process, back to back, and medians are reported.
"""

from __future__ import annotations

import argparse
import math
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/ecommerce-2026.yaml"))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)

    walls, bares, ratios = [], [], []
    for repeat in range(args.repeats):
        start = time.perf_counter()
        replication = run_replication(scenario, repeat + 1)
        wall = time.perf_counter() - start
        runs = (replication.scenario, replication.baseline)
        items = sum(t.simulated_items for t in runs)
        visits = sum(t.station_visits for t in runs)
        bare = bare_simpy_tandem(items, visits, seed=repeat)
        walls.append(wall)
        bares.append(bare)
        ratios.append((wall / items) / (bare / items))
        print(
            f"run {repeat + 1}: {wall:.2f} s, {items:,} items, {visits / items:.2f} "
            f"services/item; bare SimPy tandem, same items and services: {bare:.2f} s; "
            f"ratio {ratios[-1]:.2f}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{Path(args.scenario).name}: one replication with its twin")
    print(
        f"  wall time, median of {args.repeats}: {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f})"
    )
    print(
        f"  engine cost per item: {statistics.median(walls) / items * 1e6:.1f} us; "
        f"bare SimPy: {statistics.median(bares) / items * 1e6:.1f} us"
    )
    print(f"  ratio engine / bare SimPy per item, median: {statistics.median(ratios):.2f}")
    print(f"  peak resident memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
