"""A sweep's board: NPV and payback month at each value of one input."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sim.report.answers import Answer
from sim.report.board import Board
from sim.report.charts import sweep as sweep_chart
from sim.report.charts.study import input_text
from sim.report.studyboard.common import Pack, Rows, replications_note, study_pack
from sim.report.studysource import StudySource
from sim.report.text import money, month
from sim.runs.bands import Band
from sim.runs.headlines import NPV, PAYBACK, Headline
from sim.studies.sweep import SweepPoint, SweepSpec

Shown = Callable[[float | None], str]


def _band(point: SweepPoint, headline: Headline) -> Band:
    """A headline's band at a swept value (a sweep's points hold them by name)."""
    return point.headline[headline.name]


def band_text(headline: Headline, point: SweepPoint, shown: Shown) -> str:
    """A point's P50 with its P10 to P90 range: '$12M ($9M to $15M)'; the P50 alone
    where the range is none."""
    b = _band(point, headline)
    if b.p10 is None or b.p90 is None or b.p10 == b.p90:
        return shown(b.p50)
    return f"{shown(b.p50)} ({shown(b.p10)} to {shown(b.p90)})"


def sweep_table(spec: SweepSpec, points: Sequence[SweepPoint], currency: str) -> Rows:
    """A row a value swept: its NPV and payback month, each P50 with its range."""

    def in_money(v: float | None) -> str:
        return money(v, currency)

    header = (spec.label, *(f"{h.statistic_label('p50')} (P10 to P90)" for h in (NPV, PAYBACK)))
    rows = [
        (
            input_text(p.value, spec.unit, currency),
            band_text(NPV, p, in_money),
            band_text(PAYBACK, p, month),
        )
        for p in points
    ]
    return (header, *rows)


def sweep_board(source: StudySource, swept: tuple[SweepSpec, Sequence[SweepPoint]]) -> Board:
    spec, points = swept
    currency = source.currency
    pack = Pack(
        "sweep",
        "Sweep",
        sweep_table(spec, points, currency),
        {"sweep": lambda: sweep_chart.draw(spec, list(points), source)},
        f"NPV and payback month across {len(points)} values of {spec.label}.",
        f"A sweep: the scenario run at {len(points)} values of {spec.label}, every other "
        "input as written, each value on the same replications and random numbers. "
        "NPV and payback month are P50 with their P10-P90 range over the replications.",
        replications_note(source),
        (),
        _answers(spec, points, currency),
    )
    return study_pack(source, pack)


def _answers(spec: SweepSpec, points: Sequence[SweepPoint], currency: str) -> tuple[Answer, ...]:
    """The value of the input with the highest median NPV, the lowest, and the payback
    at the best (none where no value has an NPV)."""
    scored = [(_band(p, NPV).p50, p) for p in points]
    known = [(npv, p) for npv, p in scored if npv is not None]
    if not known:
        return ()
    best = max(known, key=lambda item: item[0])[1]
    worst = min(known, key=lambda item: item[0])[1]

    def npv(point: SweepPoint) -> str:
        return "NPV " + band_text(NPV, point, lambda v: money(v, currency))

    def at(point: SweepPoint) -> str:
        return input_text(point.value, spec.unit, currency)

    return (
        Answer("Best for NPV", at(best), f"{spec.label}: {npv(best)}", statistic="median"),
        Answer("Worst for NPV", at(worst), f"{spec.label}: {npv(worst)}", statistic="median"),
        Answer(
            "Payback at the best",
            month(_band(best, PAYBACK).p50),
            "P10 to P90: " + band_text(PAYBACK, best, month),
            statistic="median",
        ),
    )
