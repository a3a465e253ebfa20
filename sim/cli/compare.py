"""The compare command: scenarios (or run folders) on common random numbers, valued
at one date over one window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

# the scenario, the engine and their libraries (pydantic, NumPy, ruamel) are imported by
# the command when it runs, so --help and a usage error start in a fraction of a second
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
    simulation_options,
)
from sim.cli.study import plan_line


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
    click.echo(plan_line(plan, "each scenario file", simulation, "the first input's"))
    click.echo(frame_text)
    click.echo(comparison_table(comparison))
    click.echo(f"wrote {target}/")


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
