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
from sim.scenario import ScenarioError, load_scenario
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
    path.write_text(starter_scenario(name), encoding="utf-8")
    click.echo(f"wrote {path}; edit it, then: restructure validate {path}")
