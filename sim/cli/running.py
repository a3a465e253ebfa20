"""run, and report and plot over a run folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

# the scenario, the engine and their libraries (pydantic, NumPy, ruamel) are imported by
# the commands that use them, so --help and a usage error start in a fraction of a second
if TYPE_CHECKING:
    from sim.scenario.schema import Scenario
from sim.cli.group import UserError, main
from sim.cli.options import (
    Simulation,
    chart_options,
    flow_options,
    force_option,
    formats_option,
    load_or_exit,
    output_option,
    scenario_argument,
    simulation_options,
)


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

    scenario = load_or_exit(scenario_file, warn=True)
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
    if reason := stopping.get("reason"):
        return (
            f"{stopping['rule']}: NOT settled, stopped after {stopping['replications']}: {reason}"
        )
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
