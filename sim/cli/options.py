"""What the simulating commands share: the replications, seed, workers and cluster
(Simulation), the scenario argument, the output, chart and flow options, and loading a
scenario or exiting with its problems.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sim import _signals

# the scenario, the engine and their libraries (pydantic, NumPy, ruamel) are imported by
# the commands that use them, so --help and a usage error start in a fraction of a second
if TYPE_CHECKING:
    from sim.runs.flowsample import FlowSample
    from sim.runs.plan import Pool, RunPlan
    from sim.runs.precision import Stop
    from sim.runs.summary import RunSummary
    from sim.scenario.schema import Scenario
from sim.cli.group import EXIT_INVALID, UserError, echo_problems


@dataclass(frozen=True)
class Simulation:
    """How to run the replications: the options every simulating command shares."""

    replications: int | None
    seed: int | None
    workers: int | None
    scheduler: str | None
    quiet: bool

    def plan(self, scenario: Scenario, until: Stop | None = None, flow: Any = True) -> RunPlan:
        """Replications and seed for this scenario (the options, else its meta), with the
        stopping rule and the flow choice a command adds."""
        from sim.runs.plan import RunPlan

        plan = RunPlan.of(scenario, self.replications, self.seed)
        return replace(plan, until=until, flow=flow)

    def pool(self) -> Pool:
        """Where the replications run: --workers local processes, or --scheduler's cluster."""
        from sim.runs.plan import Pool

        return Pool(self.workers, self.scheduler)

    def worker_count(self) -> int:
        return self.pool().worker_count

    def run(
        self,
        scenario: Scenario,
        path: Path,
        target: Path,
        charts: tuple[str, ...],
        force: bool = False,
        plan: RunPlan | None = None,
        report: bool = False,
        until: Stop | None = None,
        flow: FlowSample | None = None,
    ) -> RunSummary:
        """Run one scenario into ``target``; ``plan``, when given, overrides the scenario's
        own replications and seed, so that compared scenarios share their random numbers;
        ``flow`` (a FlowSample, from --flow-replications and --no-flow) says which
        replications simulate the work flow."""
        from sim.report.run import write_planned_run
        from sim.runs.flowsample import FlowSample

        flow = flow or FlowSample()
        planned = replace(plan or self.plan(scenario), until=until, flow=flow)
        overruled = flow.overruled(scenario)
        if overruled:  # the user asked for less work flow than the money needs: say so
            click.echo(f"note: {overruled}", err=True)
        return write_planned_run(
            scenario,
            path,
            target,
            planned,
            self.pool(),
            quiet=self.quiet,
            charts=charts,
            force=force,
            report=report,
        )


def simulation_options(command: Callable) -> Callable:
    """-n, --seed, --workers, --scheduler, --quiet, handed over as one ``simulation``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        replications: int | None,
        seed: int | None,
        workers: int | None,
        scheduler: str | None,
        quiet: bool,
        **kwargs: Any,
    ) -> Any:
        simulation = Simulation(replications, seed, workers, scheduler, quiet)
        try:
            return command(*args, simulation=simulation, **kwargs)
        except _cluster_error() as err:
            raise UserError(str(err)) from None

    options = [
        click.option(
            "-n",
            "--replications",
            type=click.IntRange(min=1),
            help="Monte Carlo replications (default: the scenario's meta.replications).",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            help="Root seed (default: the scenario's meta.seed).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            help="Local worker processes (default: the machine's CPU count).",
        ),
        click.option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="Run the replications on this Dask cluster instead.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _cluster_error() -> type[Exception]:
    try:
        from sim.runs.distributed import ClusterError
    except ImportError:  # pragma: no cover - distributed is a dependency
        return RuntimeError
    return ClusterError


def load_or_exit(path: Path, warn: bool = False) -> Scenario:
    """The scenario, or its problems on stderr and exit 2; with ``warn``, its
    plausibility warnings printed too (``validate`` and ``run`` show them)."""
    from sim.scenario.load import ScenarioError, load_with_warnings

    try:
        scenario, warnings = load_with_warnings(path)
    except ScenarioError as err:
        echo_problems(str(err))
        sys.exit(EXIT_INVALID)
    _signals.raise_received()  # Ctrl-C while loading, lost in the libraries: stop here
    if warn:
        echo_warnings(warnings)
    return scenario


def echo_warnings(warnings: list) -> None:
    """Plausibility warnings (a span of 1.2, an upside-down unit): printed, never fatal."""
    for warning in warnings:
        click.echo(str(warning), err=True)


scenario_argument = click.argument(
    "scenario_file", metavar="SCENARIO.yaml", type=click.Path(dir_okay=False, path_type=Path)
)


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: under runs/).",
)


force_option = click.option("--force", is_flag=True, help="Replace the output folder if it exists.")


def _formats_callback(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    return _formats(value)


formats_option = click.option(
    "--format",
    "formats",
    default="png,svg",
    show_default=True,
    callback=_formats_callback,
    help="Chart formats, comma-separated: png, svg, pdf.",
)


def flow_options(command: Callable) -> Callable:
    """--flow-replications N and --no-flow, handed over as one ``flow`` (a FlowSample):
    which replications simulate the work flow (default: a sample chosen by precision)."""

    @functools.wraps(command)
    def wrapper(*args: Any, flow_replications: int | None, no_flow: bool, **kwargs: Any) -> Any:
        from sim.runs.flowsample import FlowSample

        if no_flow and flow_replications:
            raise UserError("--no-flow and --flow-replications: give one of them")
        count = 0 if no_flow else flow_replications
        return command(*args, flow=FlowSample(count=count), **kwargs)

    wrapper = click.option(
        "--no-flow",
        is_flag=True,
        help="Money and headcount only: no replication simulates the work flow.",
    )(wrapper)
    return click.option(
        "--flow-replications",
        type=click.IntRange(min=0),
        metavar="N",
        help="Simulate the work flow for the first N replications (default: as many as "
        "settle work done and cycle time to 1 percentage point; money: every one).",
    )(wrapper)


def chart_options(command: Callable) -> Callable:
    """--format and --no-charts, handed over as ``formats`` (empty: no charts)."""

    @functools.wraps(command)
    def wrapper(*args: Any, formats: tuple[str, ...], no_charts: bool, **kwargs: Any) -> Any:
        return command(*args, formats=() if no_charts else formats, **kwargs)

    wrapper = click.option("--no-charts", is_flag=True, help="Write the tables only.")(wrapper)
    return formats_option(wrapper)


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("png", "svg", "pdf")]
    if unknown or not formats:
        raise UserError(f"--format {text!r}: expected png, svg or pdf, comma-separated")
    return formats


def progress_bar(total: int, quiet: bool, unit: str) -> Any:
    from sim.report.run import progress_bar

    return progress_bar(total, quiet, unit)


def chart_drawer(name: str, formats: tuple[str, ...]) -> Callable[..., object] | None:
    """The study's chart function from sim.report.charts, bound to the chosen formats."""
    if not formats:
        return None
    from sim.report import charts

    draw = getattr(charts, name)
    return functools.partial(draw, formats=formats)


def positive_finite(param: click.Parameter, value: float | None) -> float | None:
    """A width or tolerance: a number above 0 (click's FloatRange lets nan and inf by)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"expected a positive number, got {value}", param=param)
    return value
