"""The board pack as one HTML file: charts inline as SVG, no script, no request to
anywhere, laid out to print on landscape pages (a chart a page)."""

from __future__ import annotations

import re

import jinja2

from sim.report.board import Board

NBSP = "\u00a0"
#: where a figure's cell may break: before its bracketed range, after a semicolon
_BREAKS = re.compile(r"(?<=;) | (?=\()")


def kept_together(cell: str) -> str:
    """A figure's cell that wraps only between its parts: '$12.9B ($12.1B to $13.8B)'
    may break before the bracket, never inside '$12.1B to $13.8B' (it wrapped there)."""
    return " ".join(part.replace(" ", NBSP) for part in _BREAKS.split(cell))


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("sim.report", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
_ENVIRONMENT.filters["figure"] = kept_together


def report_html(board: Board) -> str:
    """The whole report as text."""
    return _ENVIRONMENT.get_template("report.html.j2").render(board=board)
