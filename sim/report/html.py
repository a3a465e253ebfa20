"""The board pack as one HTML file: charts inline as SVG, no script, no request to
anywhere, laid out to print on landscape pages (a chart a page)."""

from __future__ import annotations

import jinja2

from sim.report.board import Board

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("sim.report", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def report_html(board: Board) -> str:
    """The whole report as text."""
    return _ENVIRONMENT.get_template("report.html.j2").render(board=board)
