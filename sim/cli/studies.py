"""The study commands: compare, sensitivity, sweep, solve, drivers and optimize."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

# the scenario, the engine and their libraries (pydantic, NumPy, ruamel) are imported by
# the commands that use them, so --help and a usage error start in a fraction of a second
if TYPE_CHECKING:
    from sim.runs.plan import RunPlan
    from sim.scenario.schema import Scenario
from sim.cli.group import UserError, main
from sim.cli.options import (
    Simulation,
    chart_drawer,
    chart_options,
    flow_options,
    force_option,
    load_or_exit,
    output_option,
    positive_finite,
    progress_bar,
    scenario_argument,
    simulation_options,
)


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
    scenarios = {p: load_or_exit(p) for p in files}
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
        flow,
    )

    def run_one(path: Path, into: Path) -> None:
        simulation.run(scenarios[path], path, into, charts=(), plan=plan, flow=flow)

    with atomic_folder(target, force) as folder:
        comparison = run_comparison(list(inputs), folder, run_one)
        write_comparison(comparison, folder, target, chart_drawer("draw_comparison", formats))
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

    scenario = load_or_exit(scenario_file)
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
    with progress_bar(count, simulation.quiet, "setting") as bar:
        result = tornado(
            scenario,
            plan,
            varied,
            uncertain,
            simulation.worker_count(),
            simulation.scheduler,
            on_progress=bar.update,
        )
    source = source_line(scenario, scenario_file, plan)
    write_tornado(result, source, target, force, chart_drawer("draw_sensitivity", formats))
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

    scenario = load_or_exit(scenario_file)
    try:
        parsed = parse_spec(spec, scenario)
    except ValueError as err:
        raise UserError(f"--set: {err}") from None
    target, plan = _study_start(scenario, output, "sweep", force, simulation)
    with progress_bar(len(parsed.values), simulation.quiet, "point") as bar:
        points = run_sweep(
            parsed,
            plan,
            simulation.worker_count(),
            simulation.scheduler,
            on_progress=bar.update,
        )
    source = source_line(scenario, scenario_file, plan)
    write_sweep(parsed, points, source, target, force, chart_drawer("draw_sweep", formats))
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
    callback=lambda ctx, param, value: positive_finite(param, value),
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

    scenario = load_or_exit(scenario_file)
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
    with progress_bar(10, simulation.quiet, "value") as bar:
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
    write_solve(solution, source, out, force, chart_drawer("draw_solve", formats))

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
    from sim.runs.orchestrator import run_monte_carlo
    from sim.scenario.fieldpaths import path_text, uncertain_parameters
    from sim.scenario.labels import label
    from sim.studies.drivers import worst_drivers
    from sim.studies.fidelity import needs_flow

    scenario = load_or_exit(scenario_file)
    inputs = [path_text(p) for p, _ in uncertain_parameters(scenario)]
    if not inputs:
        raise UserError(f"{scenario_file} has no uncertain input (no distribution) to study")
    out, plan = _study_start(scenario, output, "drivers", force, simulation)
    with progress_bar(plan.replications, simulation.quiet, "replication") as bar:
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
    write_drivers(result, source, out, force, chart_drawer("draw_drivers", formats))
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

    scenario = load_or_exit(scenario_file)
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
    with progress_bar(trials, simulation.quiet, "trial") as bar:
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
    draw = chart_drawer("draw_optimisation", formats)
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
