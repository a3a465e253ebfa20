"""Studies' speed: a goal seek and a ten-input tornado on the e-commerce scenario.

Run:
  python bench/bench_studies.py [-n 20] [--repeats 3] [--workers 2] [SCENARIO]

Both studies read money only (NPV, payback) and the scenario puts no value on
work done, so every setting skips the work flow (sim.studies.fidelity). Prints:

- one setting (N replications) with the work flow and without it, for scale;
- a goal seek: the wave-one one-time costs at which the P50 payback reaches a
  month between the paybacks at the bracket's ends (found once, untimed, so the
  target always has an answer), searched by halving to 1/256 of the bracket;
- a goal seek on the discount rate, which only the finance reads: the
  replications are simulated once and summarised again for each value;
- a goal seek on the tenure of the people cut (a severance term): the
  replications are simulated once and their severance booked again for each value;
- a tornado over ten inputs at their P10 and P90 (the scenario's first ten
  uncertain inputs; fewer if it has fewer): 21 settings.

Wall times are medians over the repeats. Prints figures, asserts nothing: the
machine is shared and noisy, so a figure can be off by a factor when other jobs run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sim.model.draws import at_quantiles
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.plan import Pool, RunPlan
from sim.scenario.fieldpaths import parse_path, uncertain_parameters
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario
from sim.studies.sensitivity import HIGH, LOW, Vary, tornado, value_at
from sim.studies.solve import parse_target, solve
from sim.studies.sweep import parse_spec, sweep

ROOT = Path(__file__).resolve().parent.parent
INPUTS = 10
SOLVED = "restructuring.waves[0].one_time_costs"
BRACKET = (0.0, 2e10)
HALF_YEAR = 6
#: a goal seek on an input only the finance reads (sim.studies.reuse): the rate at which
#: the mean NPV falls to $10B
RATE = "meta.discount_rate_annual"
RATES = (0.01, 0.5)
#: and on a severance term (sim.model.severance): the tenure at which the mean NPV is
#: halfway between those at no tenure and at 20 years
TENURE = "restructuring.severance.average_tenure_years"
TENURES = (0.0, 20.0)
#: a sweep of a plan-only input: the status quo is simulated once a seed
SWEPT_SPEC = "ai.programs[0].adoption.ceiling=0.5:0.9:9"


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (a study's pool
    is closed when the study ends, so its workers are counted)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(job: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall time of ``job`` over the repeats, and its last result; the median CPU
    seconds and the load average at the end are kept in LAST for the printout."""
    times, cpus, result = [], [], None
    for _ in range(repeats):
        start, cpu = time.perf_counter(), cpu_seconds()
        result = job()
        times.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    LAST["cpu"] = statistics.median(cpus)
    LAST["load"] = os.getloadavg()[0]
    return statistics.median(times), result


#: the CPU seconds and the 1-minute load average of the last timed study
LAST: dict[str, float] = {}


def cost() -> str:
    """The last timed study's CPU seconds and the load average it ran at."""
    return f"{LAST['cpu']:.1f} CPU-s, load {LAST['load']:.1f}"


def ten_inputs(scenario: Scenario) -> list[Vary]:
    """The first ten uncertain inputs at their own P10 and P90, as a tornado moves them."""
    found = []
    for path, _dist in uncertain_parameters(scenario)[:INPUTS]:
        low = value_at(at_quantiles(scenario, {path: LOW}), path)
        high = value_at(at_quantiles(scenario, {path: HIGH}), path)
        found.append(Vary(path, low, high, "P10", "P90"))
    return found


def goal(scenario: Scenario, plan: RunPlan, workers: int) -> str:
    """A payback target between the bracket's ends, so that the search has an answer."""
    from sim.scenario.edit import with_value

    months = []
    for cost in BRACKET:
        setting = with_value(scenario, parse_path(SOLVED), cost)
        results = run_monte_carlo(setting, plan.replications, plan.seed, workers, flow=False)
        months.append(results.headline["payback_month"].p50)
    first, last = months
    if first is None or (last is not None and last <= first):
        raise SystemExit(f"no payback target between the ends: P50 paybacks {months}")
    # half a year later than at no cost, or halfway to the costliest end's payback
    month = first + HALF_YEAR if last is None else min(first + HALF_YEAR, (first + last) / 2)
    return f"payback_month.p50<={month:.0f}"


def npv_goal(
    scenario: Scenario, plan: RunPlan, workers: int, path: str, ends: tuple[float, float]
) -> str:
    """A mean NPV between those at ``path``'s ends, so that the search has an answer."""
    from sim.scenario.edit import with_value

    npvs = []
    for value in ends:
        setting = with_value(scenario, parse_path(path), value)
        results = run_monte_carlo(setting, plan.replications, plan.seed, workers, flow=False)
        npvs.append(results.headline["npv"].mean)
    return f"npv.mean<={sum(npvs) / 2:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT / "scenarios/ecommerce-2026.yaml"
    parser.add_argument("scenario", nargs="?", type=Path, default=default)
    parser.add_argument("-n", "--replications", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--alone",
        action="store_true",
        help="also time each study with every setting run alone (no reuse, no batch)",
    )
    parser.add_argument(
        "--money-only",
        action="store_true",
        help="time one setting without the work flow only (with it: minutes on two cores)",
    )
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    plan = RunPlan.of(scenario, args.replications)
    n, workers, repeats = plan.replications, args.workers, args.repeats
    pool = Pool(workers)
    print(
        f"{args.scenario.name}: {n} replications a setting, {workers} workers, "
        f"median of {repeats}; {os.cpu_count()} CPUs, shared and noisy"
    )
    for flow in (False,) if args.money_only else (True, False):
        seconds, _ = timed(
            lambda flow=flow: run_monte_carlo(scenario, n, plan.seed, workers, flow=flow), repeats
        )
        kind = "with the work flow" if flow else "without it (money only)"
        print(f"one setting {kind}: {seconds:.1f} s ({cost()})")

    ways = (True, False) if args.alone else (True,)
    target = parse_target(goal(scenario, plan, workers))
    path = parse_path(SOLVED)
    rate = parse_path(RATE)
    rate_target = parse_target(npv_goal(scenario, plan, workers, RATE, RATES))
    tenure = parse_path(TENURE)
    tenure_target = parse_target(npv_goal(scenario, plan, workers, TENURE, TENURES))
    inputs = ten_inputs(scenario)
    spec = parse_spec(SWEPT_SPEC, scenario)
    for reuse in ways:
        how = "reusing what did not change" if reuse else "each setting alone"
        print(f"-- {how}")
        seconds, solution = timed(
            lambda reuse=reuse: solve(
                scenario, path, *BRACKET, target, plan, SOLVED, pool, reuse=reuse
            ),
            repeats,
        )
        tried = len(solution.evaluations)  # type: ignore[attr-defined]
        answer = solution.answer  # type: ignore[attr-defined]
        print(
            f"goal seek {target.text} on {SOLVED} (finance only): {seconds:.1f} s "
            f"({cost()}; {tried} values tried; answer {answer:,.0f})"
        )
        seconds, solution = timed(
            lambda reuse=reuse: solve(
                scenario, rate, *RATES, rate_target, plan, RATE, pool, reuse=reuse
            ),
            repeats,
        )
        tried = len(solution.evaluations)  # type: ignore[attr-defined]
        print(
            f"goal seek {rate_target.text} on {RATE} (finance only): {seconds:.1f} s "
            f"({cost()}; {tried} values tried)"
        )
        seconds, solution = timed(
            lambda reuse=reuse: solve(
                scenario, tenure, *TENURES, tenure_target, plan, TENURE, pool, reuse=reuse
            ),
            repeats,
        )
        tried = len(solution.evaluations)  # type: ignore[attr-defined]
        print(
            f"goal seek {tenure_target.text} on {TENURE} (severance, finance only): "
            f"{seconds:.1f} s ({cost()}; {tried} values tried)"
        )
        seconds, _ = timed(
            lambda reuse=reuse: tornado(
                scenario, plan, inputs, uncertain=False, pool=pool, reuse=reuse
            ),
            repeats,
        )
        settings = 1 + 2 * len(inputs)
        print(f"tornado over {len(inputs)} inputs: {seconds:.1f} s ({cost()}; {settings} settings)")
        seconds, _ = timed(lambda reuse=reuse: sweep(spec, plan, pool, reuse=reuse), repeats)
        print(f"sweep {SWEPT_SPEC}: {seconds:.1f} s ({cost()}; {len(spec.values)} points)")


if __name__ == "__main__":
    main()
