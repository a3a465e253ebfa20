"""The commands about a scenario file itself: validate, schema and new."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sim.cli.group import EXIT_INVALID, UserError, echo_problems, main
from sim.cli.options import echo_warnings


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario files; list each problem with its file, line and field (up to 25 a file)."""
    from sim.model.cost import RunCostError, check_size, estimate
    from sim.scenario.load import ScenarioError, load_with_warnings

    invalid = 0
    for path in files:
        try:
            scenario, warnings = load_with_warnings(path)
            check_size(estimate(scenario))  # what run refuses before it starts
        except ScenarioError as err:
            invalid += 1
            echo_problems(str(err))
            continue
        except RunCostError as err:
            invalid += 1
            echo_problems(f"{path}: {err}")
            continue
        echo_warnings(warnings)
        click.echo(f"ok: {path} ({scenario.meta.name})")
    if invalid:
        click.echo(f"{invalid} of {len(files)} file(s) invalid", err=True)
        sys.exit(EXIT_INVALID)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editor completion)."""
    from sim.scenario.schema import Scenario

    click.echo(json.dumps(Scenario.model_json_schema(), indent=2))


#: a NAME that ends so is the file to write, not a name to add ".yaml" to
YAML_SUFFIXES = (".yaml", ".yml")


@main.command()
@click.argument("name")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: NAME.yaml; a NAME ending .yaml is the file).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(name: str, output: Path | None, force: bool) -> None:
    """Write a fully commented starter scenario that validates."""
    from sim.report.files import refuse_existing, write_atomic
    from sim.scenario.load import ScenarioError, parse_scenario
    from sim.scenario.starter import starter_scenario

    given = Path(name)
    if given.suffix.lower() in YAML_SUFFIXES:  # `new plan.yaml`: that file, a plan named "plan"
        path, name = output or given, given.stem
    else:
        path = output or Path(f"{name}.yaml")
    refuse_existing(path, force)
    text = starter_scenario(name)
    try:
        parse_scenario(text, path.name)
    except ScenarioError as err:
        raise UserError(f"NAME {name!r}: {err.problems[0].message}") from None
    write_atomic(path, text.encode("utf-8"))
    click.echo(f"wrote {path}; edit it, then: restructure validate {path}")
