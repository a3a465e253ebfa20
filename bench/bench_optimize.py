"""An optimisation's speed: three decisions, 60 trials, 20 replications on ecommerce-2026.

Run:
  python bench/bench_optimize.py [--trials 60] [-n 20] [--workers 2] [SCENARIO]

The decisions: the second wave's month (2026-01 to 2026-07), the share of the
savings the first AI programme reinvests (10% to 60% by 5%), and the first wave's
cut of Retail ICs (1,000 to 6,000 by 500); the objective the mean NPV, under
P80 payback within 18 months and P(NPV > 0) at least 90%. Every statistic asked is
money, so the work flow is skipped (sim.studies.fidelity), and the status quo is
simulated once per replication seed (sim.runs.twins).

Prints the wall time, the load average before and after (the machine is shared:
another job can slow a figure by a factor), the twin cache's hits and the share of
the time it saved, and the best plan found. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from sim.runs.plan import Pool, RunPlan
from sim.scenario.load import load_scenario
from sim.studies.decisions import parse_constraint, parse_decision, parse_objective
from sim.studies.optimize import optimize

ROOT = Path(__file__).resolve().parent.parent
DECISIONS = (
    "restructuring.waves[1].date=2026-01:2026-07",
    "ai.programs[0].funding.reinvest_share=0.1:0.6:0.05",
    "restructuring.waves[0].cuts[2].count=1000:6000:500",
)
OBJECTIVE = "npv.mean"
CONSTRAINTS = ("payback_month.p80<=18", "P(npv>0)>=0.9")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenario", nargs="?", type=Path, default=ROOT / "scenarios" / "ecommerce-2026.yaml"
    )
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("-n", "--replications", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    decisions = [parse_decision(d, scenario) for d in DECISIONS]
    plan = RunPlan(args.replications, scenario.meta.seed)
    before = os.getloadavg()
    start = time.perf_counter()
    done = 0

    def progress(_: object) -> None:
        nonlocal done
        done += 1
        if done % 10 == 0:
            print(f"  {done} trials, {time.perf_counter() - start:.0f} s", flush=True)

    result = optimize(
        scenario,
        decisions,
        [parse_objective(OBJECTIVE)],
        [parse_constraint(c) for c in CONSTRAINTS],
        plan,
        args.trials,
        pool=Pool(args.workers),
        on_trial=progress,
    )
    wall = time.perf_counter() - start
    after = os.getloadavg()
    print(
        f"{args.scenario.name}: {len(decisions)} decisions, {args.trials} trials, "
        f"{args.replications} replications, {args.workers} workers: {wall:.0f} s "
        f"({wall / 60:.1f} min; {wall / args.trials:.1f} s a trial)"
    )
    print(f"load average (1, 5, 15 min) before {before}, after {after}; {os.cpu_count()} CPUs")
    simulated = len({tuple(sorted(c.values.items())) for c in result.candidates})
    print(f"distinct candidates simulated: {simulated} of {len(result.candidates)}")
    print(
        f"twin cache: simulated {result.twins_simulated}, reused {result.twins_reused}; "
        f"saved {result.twin_seconds_saved:.0f} s of twin simulation in worker time, "
        f"{result.twin_share_saved:.0%} of the time without the cache "
        f"(work flow {'simulated' if result.flow else 'skipped'})"
    )
    best = result.best
    if best is None:
        binding = result.binding()
        print(f"no feasible candidate; binding: {binding[0].text if binding else '-'}")
        return
    chosen = ", ".join(f"{d.text} = {d.shown(best.values[d.text])}" for d in decisions)
    print(f"best (trial {best.number}): {chosen}")
    print(f"  {', '.join(f'{k} {v}' for k, v in best.statistics.items())}")
    print(f"as written: {', '.join(f'{k} {v}' for k, v in result.today.statistics.items())}")


if __name__ == "__main__":
    main()
