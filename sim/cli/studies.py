"""The study commands: sensitivity, sweep, solve, drivers and optimize, each a call of
the skeleton they share (sim.cli.study) with its own options, study, files and answer."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

# the scenario, the engine and their libraries (pydantic, NumPy, ruamel) are imported by
# the commands that use them, so --help and a usage error start in a fraction of a second
if TYPE_CHECKING:
    from sim.report.studysource import StudySource
    from sim.runs.plan import Pool, RunPlan
    from sim.scenario.schema import Scenario
    from sim.studies.drivers import Drivers
    from sim.studies.solve import Solution, Target
from sim.cli.group import UserError, main
from sim.cli.options import (
    Simulation,
    chart_options,
    force_option,
    output_option,
    positive_finite,
    scenario_argument,
    simulation_options,
)
from sim.cli.study import Study, parsed


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
    from sim.report.studies import write_tornado
    from sim.report.text import tornado_table
    from sim.studies.reuse import FLOW_ONLY_NOTE
    from sim.studies.sensitivity import parse_vary, settings_count, tornado

    study = Study.of(scenario_file, "sensitivity", output, force, simulation, formats)
    scenario = study.scenario
    varied = parsed("--vary", varies, lambda spec: parse_vary(spec, scenario))
    count = settings_count(scenario, varied, uncertain)
    if count == 1 and (varied or settings_count(scenario, uncertain=uncertain, flow=True) > 1):
        raise UserError(
            f"{scenario_file}: every input to swing {FLOW_ONLY_NOTE} (a tornado reads NPV "
            "and payback): name inputs the money reads with --vary PATH=LOW:HIGH"
        )
    if count == 1:
        raise UserError(
            f"{scenario_file} has no uncertain input (no distribution) to vary: "
            "name inputs to swing with --vary PATH=LOW:HIGH"
        )
    study.run(
        count,
        "setting",
        lambda plan, pool, done: tornado(scenario, plan, varied, uncertain, pool, done),
        write_tornado,
        "draw_sensitivity",
        lambda result, plan: "\n".join(
            [study.plan_line(plan, "each setting"), tornado_table(result, scenario.meta.currency)]
        ),
    )


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
    from sim.report.studies import write_sweep
    from sim.report.text import sweep_table
    from sim.studies.sweep import parse_spec
    from sim.studies.sweep import sweep as run_sweep

    study = Study.of(scenario_file, "sweep", output, force, simulation, formats)
    (parsed_spec,) = parsed("--set", [spec], lambda text: parse_spec(text, study.scenario))
    currency = study.scenario.meta.currency
    study.run(
        len(parsed_spec.values),
        "point",
        lambda plan, pool, done: run_sweep(parsed_spec, plan, pool, done),
        lambda points, *where: write_sweep(parsed_spec, points, *where),
        "draw_sweep",
        lambda points, plan: "\n".join(
            [study.plan_line(plan, "each point"), sweep_table(parsed_spec, points, currency)]
        ),
    )


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
    from sim.report.studies import write_solve
    from sim.scenario.labels import label
    from sim.studies.solve import NoAnswer, parse_target
    from sim.studies.solve import solve as run_solve
    from sim.studies.sweep import parse_bracket

    study = Study.of(scenario_file, "solve", output, force, simulation, formats)
    scenario = study.scenario
    ((path, low, high),) = parsed("--vary", [vary], lambda text: parse_bracket(text, scenario))
    (target,) = parsed("--target", [target_text], parse_target)
    name = label(scenario, path)

    def compute(plan: RunPlan, pool: Pool, done: Callable[[float], None]) -> Any:
        return run_solve(
            scenario, path, low, high, target, plan, name, pool, tol, lambda _: done(1)
        )

    study.run(
        10,
        "value",
        compute,
        write_solve,
        "draw_solve",
        lambda solution, plan: _solution_text(solution, name, target, plan, scenario),
        errors={NoAnswer: "", ValueError: "--vary: "},
    )


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
    from sim.report.studies import write_drivers
    from sim.scenario.fieldpaths import path_text, uncertain_parameters
    from sim.scenario.labels import label

    study = Study.of(scenario_file, "drivers", output, force, simulation, formats)
    scenario = study.scenario
    inputs = [path_text(p) for p, _ in uncertain_parameters(scenario)]
    if not inputs:
        raise UserError(f"{scenario_file} has no uncertain input (no distribution) to study")
    labels = {name: label(scenario, name) for name in inputs}
    study.run(
        study.plan.replications,
        "replication",
        lambda plan, pool, done: _worst_drivers(scenario, plan, pool, labels, done),
        write_drivers,
        "draw_drivers",
        lambda result, plan: _drivers_text(result, study.plan_line(plan, "the study")),
    )


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
    from sim.studies.decisions import parse_constraint, parse_decision, parse_objective
    from sim.studies.optimize import StudyMismatch
    from sim.studies.optimize import optimize as run_optimize

    study = Study.of(scenario_file, "optimize", output, force, simulation, formats)
    scenario = study.scenario
    decisions = parsed("--decide", decide, lambda d: parse_decision(d, scenario))
    if len({d.text for d in decisions}) != len(decisions):
        raise UserError("--decide: a path is decided twice")
    objectives = parsed("--objective", objective, parse_objective)
    if len(objectives) > 2:
        raise UserError(f"--objective: give one or two (a Pareto front), got {len(objectives)}")
    constraints = parsed("--constraint", constraint, parse_constraint)
    storage = study_storage(study.target, resume, force)  # the study's own folder check
    journal = journal_beside(study.target)

    def compute(plan: RunPlan, pool: Pool, done: Callable[[float], None]) -> Any:
        return run_optimize(
            scenario,
            decisions,
            objectives,
            constraints,
            plan,
            trials,
            storage,
            pool,
            on_trial=lambda _: done(1),
        )

    def write(result: Any, source: StudySource, target: Path, _: bool, draw: Any) -> None:
        write_optimisation(result, source, scenario_file, target, journal, force or resume, draw)

    result = study.run(
        trials,
        "trial",
        compute,
        write,
        "draw_optimisation",
        lambda result, _: _optimisation_text(result, scenario.meta.currency),
        errors={StudyMismatch: "--resume: "},
        refuse=False,
        interrupted=f"the study so far is in {journal}; --resume continues it",
    )
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


def _solution_text(
    solution: Solution, name: str, target: Target, plan: RunPlan, scenario: Scenario
) -> str:
    """A goal seek's answer: the value, its interval, the bracket searched and the plan."""
    from sim.report.charts.study import input_text

    def shown(value: float | None) -> str:
        return input_text(value, solution.unit, scenario.meta.currency)

    low_ci, high_ci = solution.interval
    spread = (
        f"95% interval {shown(low_ci)} to {shown(high_ci)} over resampled replications"
        if low_ci is not None and high_ci is not None
        else "interval unknown: resampled answers leave the values tried"
    )
    lo, hi = solution.bracket
    return (
        f"{name} = {shown(solution.answer)} for {target.text} "
        f"({spread}; search bracket {shown(lo)} to {shown(hi)}, "
        f"{len(solution.evaluations)} values on {plan.replications} replications, seed {plan.seed})"
    )


def _worst_drivers(
    scenario: Scenario,
    plan: RunPlan,
    pool: Pool,
    labels: dict[str, str],
    done: Callable[[float], None],
) -> Drivers:
    """The plan's replications (the work flow only if NPV reads it) and the inputs that
    sit apart in their worst NPVs."""
    from dataclasses import replace

    from sim.runs.headlines import NPV
    from sim.runs.orchestrator import simulate
    from sim.scenario.fieldpaths import parse_path
    from sim.studies.drivers import worst_drivers
    from sim.studies.fidelity import needs_flow
    from sim.studies.reuse import flow_only

    flow = needs_flow(scenario, (NPV.name,))
    planned = replace(plan, flow=flow)
    results = simulate(scenario, planned, pool, on_done=done)
    figures = [h[NPV.name] for h in results.headlines]
    skipped = [] if flow else [p for p in labels if flow_only(scenario, parse_path(p))]
    return worst_drivers(results.parameters, figures, labels, skipped=skipped)


def _drivers_text(result: Drivers, plan_line: str) -> str:
    """The plan, then the eight inputs that sit furthest apart in the worst tail."""
    lines = [plan_line]
    for d in result.drivers[:8]:
        lines.append(
            f"{d.label:<60} {d.shift_sd:+6.2f} sd in the worst {result.tail_count}, "
            f"rank corr {d.rank_correlation:+.2f}, {d.variance_share:.0%} of variance"
        )
    lines += [f"{u.label} {u.why}" for u in result.not_simulated]
    return "\n".join(lines)


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
