"""The ``restructure`` command line: parses arguments, calls one function, prints.

A user's mistake (a bad scenario, a bad option) is one line on stderr and exit
status 2; never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sim import __version__
from sim.scenario import ScenarioError, load_scenario, parse_scenario
from sim.starter import starter_scenario

#: exit status for input the user must fix (click uses 2 for usage errors too)
EXIT_INVALID = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="restructure")
def main() -> None:
    """Simulate cutting management layers and reinvesting the savings in AI."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario files; list every problem with its file, line and field."""
    invalid = 0
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as err:
            invalid += 1
            click.echo(str(err), err=True)
            continue
        click.echo(f"ok: {path} ({scenario.meta.name})")
    if invalid:
        click.echo(f"{invalid} of {len(files)} file(s) invalid", err=True)
        sys.exit(EXIT_INVALID)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editor completion)."""
    from sim.schema import Scenario

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
    path = output or Path(f"{name}.yaml")
    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; pass --force to replace it")
    text = starter_scenario(name)
    try:
        parse_scenario(text, path.name)
    except ScenarioError as err:
        message = err.problems[0].message
        raise click.BadParameter(f"{name!r}: {message}", param_hint="NAME") from None
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}; edit it, then: restructure validate {path}")


def _load_or_exit(path: Path):
    try:
        return load_scenario(path)
    except ScenarioError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_INVALID)


def simulation_options(command):
    """The options every command that runs simulations takes."""
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
            help="Run the replications on a Dask cluster instead.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@click.argument(
    "scenario_file", metavar="SCENARIO.yaml", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: runs/<scenario name>/).",
)
@simulation_options
@click.option("--no-charts", is_flag=True, help="Write the tables only.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
def run(
    scenario_file: Path,
    output: Path | None,
    replications: int | None,
    seed: int | None,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
    no_charts: bool,
    force: bool,
) -> None:
    """Simulate a scenario and write its output folder."""
    from sim.outputs import OutputExistsError
    from sim.runner import run_scenario

    scenario = _load_or_exit(scenario_file)
    target = output or Path("runs") / scenario.meta.name
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists; pass --force to replace it")
    try:
        summary = run_scenario(
            scenario,
            scenario_file,
            target,
            replications=replications,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            quiet=quiet,
            charts=not no_charts,
            force=force,
        )
    except OutputExistsError as err:
        raise click.UsageError(str(err)) from None
    from sim.report import headline_table

    click.echo(
        f"{scenario.meta.name}: {summary['replications']} replications, "
        f"seed {summary['seed']}, {summary['horizon_months']} months from "
        f"{summary['first_month']}"
    )
    click.echo(headline_table(summary))
    click.echo(f"wrote {target}/")
