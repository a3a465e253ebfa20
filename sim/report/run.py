"""A run from scenario to output folder: what ``restructure run`` does, as a function;
and what a run or a comparison will take, said before it starts."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from sim import _signals
from sim.model import cost
from sim.report.files import output_lock
from sim.report.runfolder import write_run
from sim.runs.flowsample import FlowSample
from sim.runs.orchestrator import run_time, simulate
from sim.runs.plan import Pool, RunPlan
from sim.runs.precision import Stop
from sim.runs.summary import RunSummary
from sim.scenario.schema import Scenario

#: what ``run_scenario`` draws unless told otherwise
DEFAULT_FORMATS = ("png", "svg")


class _Progress(tqdm):
    """A progress bar whose every step is a moment to stop: Ctrl-C that a library
    swallowed while the run started (importlib, pydantic-core) stops it at the next
    replication done, not after the whole run."""

    def update(self, n: float | None = 1) -> bool | None:
        _signals.raise_received()
        return super().update(n)


def progress_bar(total: int, quiet: bool, unit: str = "replication") -> tqdm:
    """Done of total, elapsed and ETA, on stderr; silent when stderr is not a terminal."""
    return _Progress(
        total=total,
        unit=unit,
        file=sys.stderr,
        leave=False,
        disable=quiet or not sys.stderr.isatty(),
        dynamic_ncols=True,
    )


#: a run estimated to take longer than this says so before it starts
LONG_RUN_S = 60


def say_cost(scenario: Scenario, plan: RunPlan, pool: Pool, charts: bool = True) -> None:
    """On stderr, before a long run starts: the replications that simulate the work flow,
    the items each simulates, and the time the run takes (a --precision run's statistic,
    its replications a ceiling). Also under ``--quiet``, which hides the progress bar: a
    run that will be slow says so before it starts."""
    estimated = run_time(scenario, plan, pool, charts)
    cost.check_size(estimated.flow)  # a run too large is refused before any notice
    if estimated.seconds > LONG_RUN_S:
        until = f"--precision {plan.until.precision.text}" if plan.until is not None else None
        print(cost.describe_run(estimated, until), file=sys.stderr)


def say_comparison_cost(
    scenarios: list[Scenario], replications: int, workers: int, flow: FlowSample
) -> None:
    """On stderr, before a long comparison starts: the time it takes in all (also under
    ``--quiet``, as :func:`say_cost`)."""
    seconds = comparison_seconds(scenarios, replications, workers, flow)
    if seconds > LONG_RUN_S:
        each = f"{replications} replications each, the work flow as each run needs it"
        print(
            f"comparing {len(scenarios)} scenarios ({each}): about {cost.duration(seconds)} in "
            f"all on {workers} worker(s)",
            file=sys.stderr,
        )


def comparison_seconds(
    scenarios: list[Scenario], replications: int, workers: int, flow: FlowSample
) -> float:
    """The estimated wall time of a comparison: each scenario's run (no charts of its own),
    then the comparison's charts."""
    pool = Pool(workers)
    runs = sum(
        run_time(s, RunPlan(replications, s.meta.seed, flow=flow), pool, charts=False).seconds
        for s in scenarios
    )
    return runs + cost.CHARTS_SECONDS


def run_scenario(
    scenario: Scenario,
    scenario_path: Path,
    target: Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
    charts: tuple[str, ...] | bool = DEFAULT_FORMATS,
    force: bool = False,
    report: bool = False,
    until: Stop | None = None,
    flow: FlowSample | None = None,
) -> RunSummary:
    """:func:`write_planned_run` with the plan and the pool given piece by piece (a
    notebook's, a test's): the scenario's replications and seed unless given, ``until``
    runs batches until a statistic is settled instead of a fixed count, ``flow`` says
    which replications simulate the work flow (default: a sample chosen by precision,
    sim.runs.flowsample)."""
    plan = replace(RunPlan.of(scenario, replications, seed), until=until, flow=flow or FlowSample())
    return write_planned_run(
        scenario,
        scenario_path,
        target,
        plan,
        Pool(workers, scheduler),
        quiet=quiet,
        charts=charts,
        force=force,
        report=report,
    )


def write_planned_run(
    scenario: Scenario,
    scenario_path: Path,
    target: Path,
    plan: RunPlan,
    pool: Pool,
    *,
    quiet: bool = False,
    charts: tuple[str, ...] | bool = DEFAULT_FORMATS,
    force: bool = False,
    report: bool = False,
) -> RunSummary:
    """Simulate ``plan`` on ``pool`` (sim.runs.orchestrator) and write the output folder
    whole; return the summary. What ``restructure run`` does, as a function.

    ``charts`` names the chart formats to draw (empty or False: none); ``report`` adds
    the board pack (report.html and deck.pptx), inside the same whole folder."""
    with output_lock(target):  # a second run to the same folder is refused now, not later
        formats = DEFAULT_FORMATS if charts is True else tuple(charts or ())
        say_cost(scenario, plan, pool, bool(formats))
        with progress_bar(plan.most, quiet) as bar:
            results = simulate(scenario, plan, pool, on_done=bar.update)

        def extra(folder: Path) -> None:
            if formats:
                from sim.report.charts import draw_charts

                draw_charts(folder, folder / "charts", formats)
            if report:
                from sim.report.pack import write_pack

                write_pack(folder)

        return write_run(results, scenario_path, target, force, extra)
