"""org: spans and layers of an HR roster, and a scenario written from it."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from sim.cli.group import EXIT_INVALID, UserError, echo_problems, main


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
        echo_problems(str(err))
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

    if text is None:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise UserError(f"--start {text!r}: expected YYYY-MM, e.g. 2026-01") from None
