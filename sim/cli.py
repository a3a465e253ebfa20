"""The ``restructure`` command line: parses arguments, calls one function, prints.

A user's mistake (a bad scenario, a bad option) is one line on stderr and exit
status 2; never a traceback. Ctrl-C stops at once and leaves no output folder.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sim import _signals
from sim._signals import (
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    interrupts_unwrapped,
)
from sim._signals import raise_terminated as _raise_terminated
from sim._version import __version__

# the scenario, the engine and their libraries (pydantic, NumPy, ruamel) are imported by
# the commands that use them, so --help and a usage error start in a fraction of a second
if TYPE_CHECKING:
    from sim.runs.plan import RunPlan
    from sim.runs.summary import RunSummary
    from sim.scenario.schema import Scenario

#: exit status for input the user must fix (click uses 2 for usage errors too)
EXIT_INVALID = 2


class UserError(click.ClickException):
    """A mistake the user must fix: one line on stderr, exit status 2."""

    exit_code = EXIT_INVALID


#: runs of text between the characters a terminal may act on: line ends and tabs
_PASSED = re.compile("[^\n\r\t]+")


class _Printable:
    """A text stream that shows what a terminal would act on, escaped (an escape code in
    a file name, a BEL): what the tool prints is what is there. Line ends, tabs and the
    progress bar's carriage returns pass."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # what click probes a stream with: a text stream
            raise TypeError("a text stream")
        from sim.scenario.names import printable

        self._stream.write(_PASSED.sub(lambda m: printable(m.group()), text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # bytes written past the escaping: none
            raise AttributeError(name)
        return getattr(self._stream, name)


class _Group(click.Group):
    """Turns Ctrl-C into one line and exit 130, SIGTERM into exit 143 (the output
    folder was never renamed in), a worker killed under it into one line, and a file
    problem into one line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        signal.signal(signal.SIGTERM, _raise_terminated)
        # kept after the command too: click prints a UserError once invoke has raised it
        if not isinstance(sys.stdout, _Printable):
            sys.stdout = _Printable(sys.stdout)
        if not isinstance(sys.stderr, _Printable):
            sys.stderr = _Printable(sys.stderr)
        _signals.written.clear()  # what this command writes, named if a signal stops it
        try:
            with interrupts_unwrapped():
                _signals.raise_received()  # one a library swallowed while we started
                done = self._invoke(ctx)
                _signals.raise_received()  # one swallowed while the command ran
                return done
        except Terminated:
            click.echo(_signals.stopped_line(signal.SIGTERM), err=True)
            sys.exit(EXIT_TERMINATED)
        except KeyboardInterrupt:
            click.echo(_signals.stopped_line(signal.SIGINT), err=True)
            sys.exit(EXIT_INTERRUPTED)

    def _invoke(self, ctx: click.Context) -> Any:
        """The command, its errors each one line (an interrupt in these imports too)."""
        try:
            return super().invoke(ctx)
        except OSError as err:  # a folder that is a file, a missing directory, a full disk
            where = f" {err.filename}" if err.filename else ""
            raise UserError(f"cannot write or read{where}: {err.strerror or err}") from None
        except Exception as err:
            if isinstance(err, _loaded(_WORKER_DIED)):
                click.echo(
                    "a worker process died (killed, or out of memory?): no output written",
                    err=True,
                )
                sys.exit(1)
            if isinstance(err, _loaded(_USER_ERRORS)):
                raise UserError(str(err)) from None
            raise


#: (module, class) of the errors a command's user must fix: a run that cannot be computed
#: here, an output folder that exists, a folder that is not a run
_USER_ERRORS = (
    ("sim.model.cost", "RunCostError"),
    ("sim.report.files", "OutputExistsError"),
    ("sim.report.runfolder", "RunFolderError"),
)
_WORKER_DIED = (("concurrent.futures.process", "BrokenProcessPool"),)


def _loaded(names: tuple[tuple[str, str], ...]) -> tuple[type[BaseException], ...]:
    """Those of the named error classes whose modules are loaded: an error can only be
    of a class whose module was imported, and importing the others (NumPy, the engine)
    would slow every command's start."""
    found = []
    for module, name in names:
        if module in sys.modules:
            found.append(getattr(sys.modules[module], name))
    return tuple(found)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="restructure")
def main() -> None:
    """Simulate cutting management layers and reinvesting the savings in AI."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario files; list every problem with its file, line and field."""
    from sim.model.cost import RunCostError, check_size, estimate
    from sim.scenario.load import ScenarioError, load_with_warnings

    invalid = 0
    for path in files:
        try:
            scenario, warnings = load_with_warnings(path)
            check_size(estimate(scenario))  # what run refuses before it starts
        except ScenarioError as err:
            invalid += 1
            click.echo(str(err), err=True)
            continue
        except RunCostError as err:
            invalid += 1
            click.echo(f"{path}: {err}", err=True)
            continue
        _echo_warnings(warnings)
        click.echo(f"ok: {path} ({scenario.meta.name})")
    if invalid:
        click.echo(f"{invalid} of {len(files)} file(s) invalid", err=True)
        sys.exit(EXIT_INVALID)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editor completion)."""
    from sim.scenario.schema import Scenario

    click.echo(json.dumps(Scenario.model_json_schema(), indent=2))


@main.command()
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: NAME.yaml).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(name: str, output: Path | None, force: bool) -> None:
    """Write a fully commented starter scenario that validates."""
    from sim.report.files import refuse_existing, write_atomic
    from sim.scenario.load import ScenarioError, parse_scenario
    from sim.scenario.starter import starter_scenario

    path = output or Path(f"{name}.yaml")
    refuse_existing(path, force)
    text = starter_scenario(name)
    try:
        parse_scenario(text, path.name)
    except ScenarioError as err:
        raise UserError(f"NAME {name!r}: {err.problems[0].message}") from None
    write_atomic(path, text.encode("utf-8"))
    click.echo(f"wrote {path}; edit it, then: restructure validate {path}")


# ------------------------------------------------------------------ simulating


@dataclass(frozen=True)
class Simulation:
    """How to run the replications: the options every simulating command shares."""

    replications: int | None
    seed: int | None
    workers: int | None
    scheduler: str | None
    quiet: bool

    def plan(self, scenario: Scenario) -> RunPlan:
        """Replications and seed for this scenario: the options, else its meta."""
        from sim.runs.plan import RunPlan

        return RunPlan.of(scenario, self.replications, self.seed)

    def worker_count(self) -> int:
        from sim.runs.montecarlo import default_workers

        return self.workers or default_workers()

    def run(
        self,
        scenario: Scenario,
        path: Path,
        target: Path,
        charts: tuple[str, ...],
        force: bool = False,
        plan: RunPlan | None = None,
        report: bool = False,
        until: Any = None,
        flow: Any = None,
    ) -> RunSummary:
        """Run one scenario into ``target``; ``plan``, when given, overrides the scenario's
        own, so that compared scenarios share their random numbers."""
        from sim.report.run import run_scenario

        plan = plan or self.plan(scenario)
        return run_scenario(
            scenario,
            path,
            target,
            replications=plan.replications,
            seed=plan.seed,
            workers=self.worker_count(),
            scheduler=self.scheduler,
            quiet=self.quiet,
            charts=charts,
            force=force,
            report=report,
            until=until,
            flow=flow,
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


def _load_or_exit(path: Path, warn: bool = False) -> Scenario:
    """The scenario, or its problems on stderr and exit 2; with ``warn``, its
    plausibility warnings printed too (``validate`` and ``run`` show them)."""
    from sim.scenario.load import ScenarioError, load_with_warnings

    try:
        scenario, warnings = load_with_warnings(path)
    except ScenarioError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_INVALID)
    _signals.raise_received()  # Ctrl-C while loading, lost in the libraries: stop here
    if warn:
        _echo_warnings(warnings)
    return scenario


def _echo_warnings(warnings: list) -> None:
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


@main.command()
@scenario_argument
@output_option
@simulation_options
@flow_options
@chart_options
@force_option
@click.option("--report", is_flag=True, help="Also write report.html and deck.pptx.")
@click.option(
    "--precision",
    metavar="HEADLINE.STAT=WIDTH",
    help="Run batches until the statistic's confidence interval is this tight, e.g. "
    "npv.p50=1% (within 1% either side) or npv.mean=50e6; -n is then the batch size.",
)
@click.option(
    "--max-replications",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="With --precision: stop here even if not settled.",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0.5, 0.999),
    default=0.95,
    show_default=True,
    help="With --precision: the interval's confidence.",
)
def run(
    scenario_file: Path,
    output: Path | None,
    simulation: Simulation,
    flow: Any,
    formats: tuple[str, ...],
    force: bool,
    report: bool,
    precision: str | None,
    max_replications: int,
    confidence: float,
) -> None:
    """Simulate a scenario and write its output folder (default: runs/<name>/)."""
    from sim.report.files import refuse_existing
    from sim.report.text import (
        bridge_table,
        frame_line,
        headline_table,
        internal_moves_line,
        sampling_line,
        staffing_line,
        warning_lines,
    )

    scenario = _load_or_exit(scenario_file, warn=True)
    until = _stop_rule(precision, confidence, simulation.replications, max_replications, scenario)
    target = output or Path("runs") / scenario.meta.name
    refuse_existing(target, force)
    summary = simulation.run(
        scenario, scenario_file, target, formats, force, until=until, report=report, flow=flow
    )
    if until is not None:
        click.echo(_stopping_line(summary.stopping or {}))
    click.echo(
        f"{scenario.meta.name}: {summary.replications} replications, "
        f"seed {summary.seed}, {summary.months_simulated} months simulated from "
        f"{summary.first_month}"
    )
    click.echo(frame_line(summary))
    if staffing := staffing_line(summary):
        click.echo(staffing)
    click.echo(headline_table(summary))
    click.echo(bridge_table(summary))
    if moves := internal_moves_line(summary):
        click.echo(moves)
    if warnings := warning_lines(summary):
        click.echo(warnings)
    click.echo(sampling_line(summary))
    click.echo(f"wrote {target}/")


def _stop_rule(
    precision: str | None,
    confidence: float,
    batch: int | None,
    max_replications: int,
    scenario: Scenario,
) -> Any:
    """--precision as a stopping rule (None without it); -n is the batch size."""
    if precision is None:
        return None
    from sim.runs.precision import DEFAULT_BATCH, Stop, check_settleable, parse_precision

    try:
        rule = parse_precision(precision, confidence)
        check_settleable(rule, scenario)
    except ValueError as err:
        raise UserError(f"--precision: {err}") from None
    return Stop(rule, batch or DEFAULT_BATCH, max_replications)


def _stopping_line(stopping: Mapping[str, Any]) -> str:
    low, high = stopping["interval"]
    width, wanted = stopping["half_width"], stopping["target_half_width"]
    where = (
        f"{stopping['confidence']:.0%} interval {low:,.6g} to {high:,.6g} (half-width {width:,.4g}"
        if width is not None
        else "no interval yet (too few replications"
    )
    wanted_text = f"{wanted:,.4g}" if wanted is not None else "n/a"
    estimate = stopping["estimate"]
    estimate_text = f"{estimate:,.6g}" if estimate is not None else "none (no replication gave one)"
    verdict = "settled" if stopping["settled"] else "NOT settled: the maximum was reached"
    return (
        f"{stopping['rule']}: {verdict} after {stopping['replications']} replications; "
        f"estimate {estimate_text}, {where}, asked {wanted_text})"
    )


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@formats_option
def plot(folder: Path, formats: tuple[str, ...]) -> None:
    """Redraw the charts of an existing output folder, without simulating again."""
    from sim.report.charts import redraw
    from sim.report.runfolder import load_run

    load_run(folder)  # a folder that is not a complete run is one line, not a traceback
    paths = redraw(folder, formats)
    click.echo(f"wrote {len(paths)} charts to {folder / 'charts'}/")


@main.command()
@click.argument(
    "folder", metavar="DIR", type=click.Path(file_okay=False, exists=True, path_type=Path)
)
def report(folder: Path) -> None:
    """Write the board pack of a run, comparison, sensitivity, sweep, solve or drivers
    folder into it: report.html and deck.pptx."""
    from sim.report.pack import write_pack

    html, deck = write_pack(folder)
    click.echo(f"wrote {html} and {deck}")


# -------------------------------------------------------------------- studies


@main.command()
@click.argument(
    "inputs",
    nargs=-1,
    required=True,
    metavar="SCENARIO.yaml|RUN_DIR...",
    type=click.Path(exists=True, path_type=Path),
)
@click.option(
    "--valuation-date",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m"]),
    default=None,
    help="Value every scenario at this date (default: the earliest of their valuation "
    "dates), each over the same window, to the latest of their last months.",
)
@output_option
@simulation_options
@flow_options
@chart_options
@force_option
def compare(
    inputs: tuple[Path, ...],
    valuation_date: Any,
    output: Path | None,
    simulation: Simulation,
    flow: Any,
    formats: tuple[str, ...],
    force: bool,
) -> None:
    """Compare scenarios (or existing run folders) on common random numbers, all valued
    at one date over one window."""
    from sim.report.files import atomic_folder, refuse_existing
    from sim.report.run import say_comparison_cost
    from sim.report.runfolder import load_run
    from sim.report.studies import run_comparison, write_comparison
    from sim.report.text import comparison_table

    if len(inputs) < 2:
        raise UserError("compare needs at least two scenarios or run folders")
    for folder in (p for p in inputs if p.is_dir()):
        load_run(folder)  # before any simulation: a bad folder is found at once
    files = [p for p in inputs if not p.is_dir()]
    scenarios = {p: _load_or_exit(p) for p in files}
    scenarios, frame_text = _in_one_frame(
        scenarios, [p for p in inputs if p.is_dir()], valuation_date
    )
    plan = _comparison_plan(inputs[0], scenarios, simulation)
    target = output or Path("runs") / "comparison"
    refuse_existing(target, force)
    say_comparison_cost(
        list(scenarios.values()),
        plan.replications,
        simulation.worker_count(),
        simulation.quiet,
        flow,
    )

    def run_one(path: Path, into: Path) -> None:
        simulation.run(scenarios[path], path, into, charts=(), plan=plan, flow=flow)

    with atomic_folder(target, force) as folder:
        comparison = run_comparison(list(inputs), folder, run_one)
        write_comparison(comparison, folder, target, _chart_drawer("draw_comparison", formats))
    click.echo(_plan_line(plan, "each scenario file", simulation, "the first input's"))
    click.echo(frame_text)
    click.echo(comparison_table(comparison))
    click.echo(f"wrote {target}/")


@main.command()
@scenario_argument
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="PATH=LOW:HIGH",
    help="Also swing this input between two values, or two changes from its value as "
    "written, e.g. meta.discount_rate_annual=0.06:0.10 or "
    "restructuring.waves[0].cuts[0].count=-20%:+20%; repeat for more inputs. An uncertain "
    "input named here swings between these values instead of its P10 and P90.",
)
@click.option(
    "--uncertain/--no-uncertain",
    default=True,
    show_default=True,
    help="Swing every uncertain input (distribution) between its P10 and P90.",
)
@output_option
@simulation_options
@chart_options
@force_option
def sensitivity(
    scenario_file: Path,
    varies: tuple[str, ...],
    uncertain: bool,
    output: Path | None,
    simulation: Simulation,
    formats: tuple[str, ...],
    force: bool,
) -> None:
    """Tornado and spider chart: each input at its low and high end in turn, the others
    at their medians (uncertain inputs) or as written (fixed ones).

    Uncertain inputs swing between their P10 and P90; any other number of the scenario
    swings between the values given with --vary. Every setting runs the same
    replications on the same random numbers, so a swing is the input's alone.
    Writes sensitivity.csv, sensitivity.json and the tornado and spider charts.
    """
    from sim.report.run import source_line
    from sim.report.studies import write_tornado
    from sim.report.text import tornado_table
    from sim.studies.sensitivity import parse_vary, settings_count, tornado

    scenario = _load_or_exit(scenario_file)
    varied = []
    for spec in varies:
        try:
            varied.append(parse_vary(spec, scenario))
        except ValueError as err:
            raise UserError(f"--vary: {err}") from None
    count = settings_count(scenario, varied, uncertain)
    if count == 1:
        raise UserError(
            f"{scenario_file} has no uncertain input (no distribution) to vary: "
            "name inputs to swing with --vary PATH=LOW:HIGH"
        )
    target, plan = _study_start(scenario, output, "sensitivity", force, simulation)
    with _progress(count, simulation.quiet, "setting") as bar:
        result = tornado(
            scenario,
            plan,
            varied,
            uncertain,
            simulation.worker_count(),
            simulation.scheduler,
            on_setting=lambda _: bar.update(1),
        )
    source = source_line(scenario, scenario_file, plan)
    write_tornado(result, source, target, force, _chart_drawer("draw_sensitivity", formats))
    click.echo(_plan_line(plan, "each setting", simulation))
    click.echo(tornado_table(result, scenario.meta.currency))
    click.echo(f"wrote {target}/")


@main.command()
@scenario_argument
@click.option(
    "--set",
    "spec",
    required=True,
    metavar="PATH=START:STOP:STEPS",
    help="The number to sweep, e.g. ai.programs[0].adoption.ceiling=0.2:0.9:8",
)
@output_option
@simulation_options
@chart_options
@force_option
def sweep(
    scenario_file: Path,
    spec: str,
    output: Path | None,
    simulation: Simulation,
    formats: tuple[str, ...],
    force: bool,
) -> None:
    """Run a scenario across a range of one value: NPV and payback against it."""
    from sim.report.run import source_line
    from sim.report.studies import write_sweep
    from sim.report.text import sweep_table
    from sim.studies.sweep import parse_spec
    from sim.studies.sweep import sweep as run_sweep

    scenario = _load_or_exit(scenario_file)
    try:
        parsed = parse_spec(spec, scenario)
    except ValueError as err:
        raise UserError(f"--set: {err}") from None
    target, plan = _study_start(scenario, output, "sweep", force, simulation)
    with _progress(len(parsed.values), simulation.quiet, "point") as bar:
        points = run_sweep(
            parsed,
            plan,
            simulation.worker_count(),
            simulation.scheduler,
            on_point=lambda _: bar.update(1),
        )
    source = source_line(scenario, scenario_file, plan)
    write_sweep(parsed, points, source, target, force, _chart_drawer("draw_sweep", formats))
    click.echo(_plan_line(plan, "each point", simulation))
    click.echo(sweep_table(parsed, points, scenario.meta.currency))
    click.echo(f"wrote {target}/")


@main.command()
@scenario_argument
@click.option(
    "--vary",
    required=True,
    metavar="PATH=LOW:HIGH",
    help="The input to solve for and the bracket to search, e.g. "
    "restructuring.waves[0].cuts[0].share=0.02:0.14",
)
@click.option(
    "--target",
    "target_text",
    required=True,
    metavar="HEADLINE.STAT<=VALUE",
    help="The statistic and its target: payback_month.p50<=12, npv.p50=0, npv.mean>=1e9.",
)
@click.option(
    "--tol",
    type=float,
    callback=lambda ctx, param, value: _positive_finite(param, value),
    help="Search to this width of the input (default: bracket/256).",
)
@output_option
@simulation_options
@chart_options
@force_option
def solve(
    scenario_file: Path,
    vary: str,
    target_text: str,
    tol: float | None,
    output: Path | None,
    simulation: Simulation,
    formats: tuple[str, ...],
    force: bool,
) -> None:
    """Goal seek: the value of one input at which a statistic reaches a target."""
    from sim.report.charts.study import input_text
    from sim.report.run import source_line
    from sim.report.studies import write_solve
    from sim.scenario.labels import label
    from sim.studies.solve import NoAnswer, parse_target
    from sim.studies.solve import solve as run_solve
    from sim.studies.sweep import parse_bracket

    scenario = _load_or_exit(scenario_file)
    try:
        path, low, high = parse_bracket(vary, scenario)
    except ValueError as err:
        raise UserError(f"--vary: {err}") from None
    try:
        target = parse_target(target_text)
    except ValueError as err:
        raise UserError(f"--target: {err}") from None
    name = label(scenario, path)
    out, plan = _study_start(scenario, output, "solve", force, simulation)
    with _progress(10, simulation.quiet, "value") as bar:
        try:
            solution = run_solve(
                scenario,
                path,
                low,
                high,
                target,
                plan,
                name,
                simulation.worker_count(),
                simulation.scheduler,
                tol,
                on_evaluation=lambda _: bar.update(1),
            )
        except NoAnswer as err:
            raise UserError(str(err)) from None
        except ValueError as err:
            raise UserError(f"--vary: {err}") from None
    source = source_line(scenario, scenario_file, plan)
    write_solve(solution, source, out, force, _chart_drawer("draw_solve", formats))

    def shown(value: float | None) -> str:
        return input_text(value, solution.unit, scenario.meta.currency)

    low_ci, high_ci = solution.interval
    spread = (
        f"95% interval {shown(low_ci)} to {shown(high_ci)} over resampled replications"
        if low_ci is not None and high_ci is not None
        else "interval unknown: resampled answers leave the values tried"
    )
    lo, hi = solution.bracket
    click.echo(
        f"{name} = {shown(solution.answer)} for {target.text} "
        f"({spread}; search bracket {shown(lo)} to {shown(hi)}, "
        f"{len(solution.evaluations)} values on {plan.replications} replications, seed {plan.seed})"
    )
    click.echo(f"wrote {out}/")


@main.command()
@scenario_argument
@output_option
@simulation_options
@chart_options
@force_option
def drivers(
    scenario_file: Path,
    output: Path | None,
    simulation: Simulation,
    formats: tuple[str, ...],
    force: bool,
) -> None:
    """Which uncertain inputs drive the worst 10% of NPV (use a few hundred replications)."""
    from sim.report.run import source_line
    from sim.report.studies import write_drivers
    from sim.runs.headlines import NPV
    from sim.runs.montecarlo import run_monte_carlo
    from sim.scenario.fieldpaths import path_text, uncertain_parameters
    from sim.scenario.labels import label
    from sim.studies.drivers import worst_drivers
    from sim.studies.fidelity import needs_flow

    scenario = _load_or_exit(scenario_file)
    inputs = [path_text(p) for p, _ in uncertain_parameters(scenario)]
    if not inputs:
        raise UserError(f"{scenario_file} has no uncertain input (no distribution) to study")
    out, plan = _study_start(scenario, output, "drivers", force, simulation)
    with _progress(plan.replications, simulation.quiet, "replication") as bar:
        results = run_monte_carlo(
            scenario,
            plan.replications,
            plan.seed,
            simulation.worker_count(),
            simulation.scheduler,
            on_done=bar.update,
            flow=needs_flow(scenario, (NPV.name,)),
        )
    labels = {name: label(scenario, name) for name in inputs}
    result = worst_drivers(results.parameters, [h[NPV.name] for h in results.headlines], labels)
    source = source_line(scenario, scenario_file, plan)
    write_drivers(result, source, out, force, _chart_drawer("draw_drivers", formats))
    click.echo(_plan_line(plan, "the study", simulation))
    for d in result.drivers[:8]:
        click.echo(
            f"{d.label:<60} {d.shift_sd:+6.2f} sd in the worst {result.tail_count}, "
            f"rank corr {d.rank_correlation:+.2f}, {d.variance_share:.0%} of variance"
        )
    click.echo(f"wrote {out}/")


@main.command()
@scenario_argument
@click.option(
    "--decide",
    "decide",
    multiple=True,
    required=True,
    metavar="PATH=LOW:HIGH[:STEP] | 'PATH in {A, B}'",
    help="A decision the search makes: a number in a range (a whole STEP: an integer; "
    "YYYY-MM ends: a month), or one of a set ({on, off} at a list item keeps or drops it). "
    "Repeat for more.",
)
@click.option(
    "--objective",
    "objective",
    multiple=True,
    required=True,
    metavar="[max:|min:]STATISTIC",
    help="What to optimise: npv.mean, max:npv.p10, min:payback_month.p80, P(npv>0). "
    "Twice for a Pareto front of two.",
)
@click.option(
    "--constraint",
    "constraint",
    multiple=True,
    metavar="STATISTIC<=VALUE",
    help="What every chosen plan must meet: payback_month.p80<=18, P(npv>0)>=0.9. Repeat for more.",
)
@click.option(
    "--trials",
    type=click.IntRange(min=1, max=100_000),
    default=60,
    show_default=True,
    help="Candidate plans the study holds when it stops (a resumed one runs the rest).",
)
@click.option("--resume", is_flag=True, help="Continue the study in the output folder.")
@output_option
@simulation_options
@chart_options
@force_option
def optimize(
    scenario_file: Path,
    decide: tuple[str, ...],
    objective: tuple[str, ...],
    constraint: tuple[str, ...],
    trials: int,
    resume: bool,
    output: Path | None,
    simulation: Simulation,
    formats: tuple[str, ...],
    force: bool,
) -> None:
    """Choose the plan: the decisions with the best statistic that meet every constraint."""
    from sim.report.optimize import journal_beside, study_storage, write_optimisation
    from sim.report.run import source_line
    from sim.studies.decisions import parse_constraint, parse_decision, parse_objective
    from sim.studies.optimize import StudyMismatch
    from sim.studies.optimize import optimize as run_optimize

    scenario = _load_or_exit(scenario_file)
    decisions = _parsed("--decide", decide, lambda d: parse_decision(d, scenario))
    if len({d.text for d in decisions}) != len(decisions):
        raise UserError("--decide: a path is decided twice")
    objectives = _parsed("--objective", objective, parse_objective)
    if len(objectives) > 2:
        raise UserError(f"--objective: give one or two (a Pareto front), got {len(objectives)}")
    constraints = _parsed("--constraint", constraint, parse_constraint)
    target = output or Path("runs") / f"{scenario.meta.name}-optimize"
    plan = simulation.plan(scenario)
    storage = study_storage(target, resume, force)
    journal = journal_beside(target)
    with _progress(trials, simulation.quiet, "trial") as bar:
        try:
            result = run_optimize(
                scenario,
                decisions,
                objectives,
                constraints,
                plan,
                trials,
                storage,
                simulation.worker_count(),
                simulation.scheduler,
                on_trial=lambda _: bar.update(1),
            )
        except StudyMismatch as err:
            raise UserError(f"--resume: {err}") from None
        except KeyboardInterrupt:
            click.echo(f"the study so far is in {journal}; --resume continues it", err=True)
            raise
    source = source_line(scenario, scenario_file, plan)
    draw = _chart_drawer("draw_optimisation", formats)
    write_optimisation(result, source, scenario_file, target, journal, force or resume, draw)
    click.echo(_optimisation_text(result, scenario.meta.currency))
    click.echo(f"wrote {target}/")
    if result.best is None:
        binding = result.binding()
        why = (
            f"; {binding[0].text} binds most (met by {binding[1]} of {len(result.candidates)})"
            if binding is not None
            else ""
        )
        click.echo(
            f"no feasible candidate: none of the {len(result.candidates)} tried meets every "
            f"constraint{why}; no best.yaml written",
            err=True,
        )
        sys.exit(1)


def _parsed(option: str, texts: tuple[str, ...], parse: Callable[[str], Any]) -> list[Any]:
    """Each text parsed, or the first problem as one line naming the option."""
    found = []
    for text in texts:
        try:
            found.append(parse(text))
        except ValueError as err:
            raise UserError(f"{option}: {err}") from None
    return found


def _optimisation_text(result: Any, currency: str) -> str:
    """What an optimisation prints: the plan as written, the chosen one, the twin cache."""
    from sim.report.charts.optimize import value_text

    def figures(c: Any) -> str:
        shown = [f"{s} {value_text(s, c.statistics.get(s), currency)}" for s in result.statistics]
        met = "meets every constraint" if c.feasible else "misses a constraint"
        return f"{', '.join(shown[:5])}; {met}"

    lines = [
        f"{len(result.candidates)} candidates ({result.sampler}), {result.plan.replications} "
        f"replication{'s' * (result.plan.replications != 1)} each on seed {result.plan.seed}; "
        "the twin simulated "
        f"{result.twins_simulated} times and reused {result.twins_reused} "
        f"({result.twin_share_saved:.0%} of the time saved)"
        + ("" if result.flow else "; work flow skipped (money and headcount only)"),
        f"as written: {figures(result.today)}",
    ]
    best = result.best
    if best is not None:
        chosen = ", ".join(f"{d.text} = {d.shown(best.values[d.text])}" for d in result.decisions)
        lines.append(f"chosen (trial {best.number}): {chosen}")
        lines.append(f"  {figures(best)}")
    if len(result.objectives) > 1:
        lines.append(f"Pareto front: {len(result.front)} candidates (trials.csv: on_front)")
    return "\n".join(lines)


def _in_one_frame(
    scenarios: dict[Path, Scenario], folders: list[Path], date: Any
) -> tuple[dict[Path, Scenario], str]:
    """The scenarios valued at one date over one window, and a line saying which; run
    folders must already share theirs (and the files are framed to it), else refused."""
    from sim.report.runfolder import load_run
    from sim.studies.compare import common_frame

    frames = {}
    for folder in folders:
        summary = load_run(folder).summary
        frames[folder] = (summary.valuation.date, summary.last_month)
    given = date.date() if date is not None else None
    if frames:
        distinct = sorted(set(frames.values()))
        if len(distinct) > 1 or (given is not None and distinct[0][0] != given.isoformat()):
            shown = "; ".join(f"{f}: {d} to {m}" for f, (d, m) in frames.items())
            raise UserError(
                f"compare: the run folders are valued at different dates or windows ({shown}); "
                "compare their scenario files instead, which are valued at one date"
            )
        given = dt.date.fromisoformat(distinct[0][0])
    if not scenarios:
        date_text, end = next(iter(frames.values()))
        return scenarios, f"valued at one date: {date_text}, to {end}"
    try:
        frame, framed = common_frame(list(scenarios.values()), [p.name for p in scenarios], given)
    except ValueError as err:
        raise UserError(f"compare: {err}") from None
    if frames and frame.last_month != next(iter(frames.values()))[1]:
        raise UserError(
            f"compare: the scenario files run to {frame.last_month} and the run folders to "
            f"{next(iter(frames.values()))[1]}; compare the scenario files instead"
        )
    line = (
        f"valued at one date: {frame.date} ({frame.basis}), over {frame.horizon_months} "
        f"months to {frame.last_month}"
    )
    return dict(zip(scenarios, framed, strict=True)), line


def _comparison_plan(
    first: Path, scenarios: dict[Path, Scenario], simulation: Simulation
) -> RunPlan:
    """The plan every compared scenario runs with: the options if given, else the first
    input's (a run folder's, or a scenario's), so differences are paired."""
    from sim.report.runfolder import load_run
    from sim.runs.plan import RunPlan

    if first.is_dir():
        summary = load_run(first).summary
        basis = RunPlan(summary.replications, summary.seed)
    else:
        basis = RunPlan.of(scenarios[first])
    return basis.overridden(simulation.replications, simulation.seed)


def _study_start(
    scenario: Scenario, output: Path | None, kind: str, force: bool, simulation: Simulation
) -> tuple[Path, RunPlan]:
    """A study's output folder (refused now if it exists without --force, before any
    work) and the replications and seed it runs with."""
    from sim.report.files import refuse_existing

    target = output or Path("runs") / f"{scenario.meta.name}-{kind}"
    refuse_existing(target, force)
    return target, simulation.plan(scenario)


def _plan_line(
    plan: RunPlan,
    each: str,
    simulation: Simulation,
    default: str = "the scenario's meta.replications",
) -> str:
    """How many replications a study ran, and whose count that was: a study's NPV is
    comparable with a run's only at the same count and seed."""
    whose = "-n" if simulation.replications else default
    return f"{plan.replications} replications for {each} ({whose}), seed {plan.seed}"


def _progress(total: int, quiet: bool, unit: str) -> Any:
    from sim.report.run import progress_bar

    return progress_bar(total, quiet, unit)


def _chart_drawer(name: str, formats: tuple[str, ...]) -> Callable[..., object] | None:
    """The study's chart function from sim.report.charts, bound to the chosen formats."""
    if not formats:
        return None
    from sim.report import charts

    draw = getattr(charts, name)
    return functools.partial(draw, formats=formats)


# ---------------------------------------------------------------- the roster


def _positive_finite(param: click.Parameter, value: float | None) -> float | None:
    """A width or tolerance: a number above 0 (click's FloatRange lets nan and inf by)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"expected a positive number, got {value}", param=param)
    return value


def _span_target(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple | None:
    if value is None:
        return None
    low, sep, high = value.partition(":")
    try:
        return int(low), int(high) if sep else int(low)
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected MIN:MAX, e.g. 8:12") from None


def _column_map(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict:
    mapping = {}
    for item in value:
        field, sep, header = item.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise click.BadParameter(f"{item!r}: expected FIELD=HEADER, e.g. manager_id='Mgr ID'")
        mapping[field.strip()] = header.strip()
    return mapping


DELIMITER_NAMES = {",": ",", ";": ";", "|": "|", "tab": "\t"}


@main.command()
@click.argument("roster", metavar="ROSTER", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a scenario (YAML) whose org is derived from the roster.",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The spans-and-layers chart, .png, .svg or .pdf (default: ROSTER-spans.png here).",
)
@click.option("--no-chart", is_flag=True, help="Print the tables only.")
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    callback=_column_map,
    help="The roster's header for a field (employee_id, manager_id, unit, annual_cost, "
    "salary, layer); repeat for each.",
)
@click.option(
    "--on-cost",
    type=click.FloatRange(1, 3),
    help="Fully loaded cost / salary, when the roster has salaries (often 1.25-1.4).",
)
@click.option(
    "--delimiter",
    type=click.Choice(list(DELIMITER_NAMES)),
    default=",",
    show_default=True,
    help="CSV field delimiter: , ; | or tab.",
)
@click.option("--sheet", help="XLSX sheet to read (default: the first).")
@click.option(
    "--span-target", callback=_span_target, metavar="MIN:MAX", help="Target span (default 8:12)."
)
@click.option("--max-layers", type=click.IntRange(2, 30), help="Target layers (default 8).")
@click.option("--start", metavar="YYYY-MM", help="The written scenario's first month.")
@click.option("--currency", default="USD", show_default=True, help="ISO 4217 code of the costs.")
@click.option("--force", is_flag=True, help="Replace the scenario or chart if it exists.")
def org(
    roster: Path,
    output: Path | None,
    chart: Path | None,
    no_chart: bool,
    columns: dict,
    on_cost: float | None,
    delimiter: str,
    sheet: str | None,
    span_target: tuple[int, int] | None,
    max_layers: int | None,
    start: str | None,
    currency: str,
    force: bool,
) -> None:
    """Spans and layers of an HR roster (employee and manager ids), per unit and in all;
    draw the chart; with -o, write a scenario whose org is derived from it."""
    from sim.report.files import OutputExistsError
    from sim.report.orgfiles import OrgRequest, describe_org
    from sim.scenario.load import ScenarioError
    from sim.scenario.roster import RosterError, RosterOptions
    from sim.scenario.schema import Targets

    if chart is not None and chart.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UserError(f"--chart {chart}: expected a .png, .svg or .pdf file")
    targets = _targets(Targets, span_target, max_layers)
    request = OrgRequest(
        roster=roster,
        options=RosterOptions(columns, on_cost, DELIMITER_NAMES[delimiter], sheet),
        targets=targets,
        scenario=output,
        chart=None if no_chart else chart or Path(f"{roster.stem}-spans.png"),
        start=_month(start),
        currency=currency,
        force=force,
    )
    try:
        result = describe_org(request)
    except RosterError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_INVALID)
    except ScenarioError as err:  # pragma: no cover - the written scenario always validates
        raise UserError(str(err)) from None
    except OutputExistsError as err:
        raise UserError(str(err)) from None
    click.echo(result.report)
    for path in result.written:
        click.echo(f"wrote {path}")


def _targets(model: Any, span: tuple[int, int] | None, max_layers: int | None) -> Any:
    from pydantic import ValidationError

    given: dict[str, int] = {}
    if span is not None:
        given["span_min"], given["span_max"] = span
    if max_layers is not None:
        given["max_layers"] = max_layers
    try:
        return model(**given)
    except ValidationError as err:
        message = err.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
        raise UserError(f"--span-target: {message}") from None


def _month(text: str | None) -> Any:
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise UserError(f"--start {text!r}: expected YYYY-MM, e.g. 2026-01") from None
