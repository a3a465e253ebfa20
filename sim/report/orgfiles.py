"""``restructure org``: a roster in; spans and layers printed, the chart drawn, and
optionally a scenario written whose organisation is derived from the roster.

Everything is computed before anything is written, and each file is written to a
temporary name beside it and renamed into place: a bad roster writes nothing, and
an interrupted command leaves no half file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sim._version import __version__
from sim.report.escape import terminal_text
from sim.report.files import refuse_existing, write_atomic
from sim.report.orgtext import org_report
from sim.scenario.fromroster import scenario_from_roster
from sim.scenario.load import parse_scenario
from sim.scenario.orgshape import OrgShape, check_modelable, org_shape
from sim.scenario.roster import RosterOptions, read_roster
from sim.scenario.schema import Targets


@dataclass(frozen=True)
class OrgRequest:
    """What ``restructure org`` was asked to do."""

    roster: Path
    options: RosterOptions
    targets: Targets
    scenario: Path | None = None
    chart: Path | None = None
    start: dt.date | None = None
    currency: str = "USD"
    force: bool = False


@dataclass(frozen=True)
class OrgResult:
    shape: OrgShape
    report: str
    written: tuple[Path, ...]


def next_month(today: dt.date) -> dt.date:
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


def describe_org(request: OrgRequest) -> OrgResult:
    """Read the roster, derive its shape, write the chart and the scenario; raises
    :class:`~sim.scenario.roster.RosterError` or
    :class:`~sim.report.files.OutputExistsError`."""
    for path in (request.scenario, request.chart):
        if path is not None:
            refuse_existing(path, request.force)
    raw = request.roster.read_bytes() if request.roster.is_file() else b""
    digest = hashlib.sha256(raw).hexdigest()
    roster = read_roster(request.roster, request.options)
    shape = org_shape(roster, request.targets)
    contents: list[tuple[Path, bytes]] = []
    if request.scenario is not None:
        check_modelable(shape, roster)
        text = scenario_from_roster(
            shape,
            name=_scenario_name(request.scenario),
            roster_name=request.roster.name,
            roster_sha256=digest,
            start=request.start or next_month(dt.date.today()),
            currency=request.currency,
        )
        parse_scenario(text, request.scenario.name)  # what we write must validate
        contents.append((request.scenario, text.encode("utf-8")))
    if request.chart is not None:
        contents.append((request.chart, _chart_bytes(shape, request, digest)))
    written = tuple(write_atomic(path, data) for path, data in contents)
    return OrgResult(shape, org_report(shape, request.roster.name, request.currency), written)


def _scenario_name(path: Path) -> str:
    """A meta.name from the file's name: letters, digits, spaces, '.', '_' and '-' only."""
    name = "".join(c if c.isalnum() or c in " ._-" else "-" for c in path.stem).strip(" .-")
    return name[:80] or "from-roster"


def source_line(roster_name: str, digest: str, people: int) -> str:
    shown = terminal_text(roster_name)  # a chart cannot draw a control character
    return (
        f"Source: restructure {__version__}, roster {shown} (sha256 {digest[:12]}), "
        f"{people:,} people; counts only, no names or ids"
    )


def _chart_bytes(shape: OrgShape, request: OrgRequest, digest: str) -> bytes:
    import io

    from sim.report.charts.spans import draw_spans
    from sim.report.charts.style import DPI, chart_style

    assert request.chart is not None
    fmt = request.chart.suffix.lower().lstrip(".") or "png"
    with chart_style():
        figure = draw_spans(shape, source_line(request.roster.name, digest, shape.whole.headcount))
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt in ("svg", "pdf") else {"Software": None}
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()
