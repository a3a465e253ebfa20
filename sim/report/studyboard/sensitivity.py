"""A sensitivity's board: the tornado and the spider, each input's ends and the NPV there."""

from __future__ import annotations

from sim.report.answers import Answer
from sim.report.board import Board
from sim.report.charts import optimize as optimize_chart
from sim.report.charts import spider
from sim.report.charts import tornado as tornado_chart
from sim.report.studyboard.common import Pack, Rows, replications_note, study_pack
from sim.report.studysource import StudySource
from sim.report.text import money, month
from sim.runs.headlines import NPV, PAYBACK
from sim.studies.sensitivity import Swing, Tornado


def sensitivity_table(result: Tornado, currency: str) -> Rows:
    """A row an input: its ends, the NPV at each, the swing and the paybacks."""
    # the tornado's NPV is the settings' mean, its payback their median month
    npv, payback = NPV.statistic_label("mean"), PAYBACK.statistic_label("p50")
    header = (
        "Input",
        "Low end",
        "High end",
        f"{npv} at low",
        f"{npv} at high",
        f"Swing of {optimize_chart.in_sentence(npv)}",
        f"{payback}, low / high",
    )
    rows = [
        (
            s.label,
            tornado_chart.end_label(s, False, currency),
            tornado_chart.end_label(s, True, currency),
            money(s.low.npv, currency),
            money(s.high.npv, currency),
            money(s.npv_swing, currency),
            f"{month(s.low.payback_month)} / {month(s.high.payback_month)}",
        )
        for s in result.swings
    ]
    return (header, *rows)


def sensitivity_board(source: StudySource, result: Tornado) -> Board:
    currency = source.currency
    base = f"NPV {money(result.base.npv, currency)}, payback {month(result.base.payback_month)}"
    pack = Pack(
        "sensitivity",
        "Sensitivity",
        sensitivity_table(result, currency),
        {
            "tornado": lambda: tornado_chart.draw(result, source),
            "spider": lambda: spider.draw(result, source),
        },
        "Each input at its low and high end in turn, the others at their medians or as written.",
        "A tornado: each uncertain input is moved to its P10 and then its P90, and each input "
        "named for the study to the low and high values given, while every other input sits "
        "at its median (uncertain) or as written (fixed). Each setting runs the scenario's "
        f"replications; NPV is their mean, payback their median month. The base ({base}) "
        "has every input at its median or as written.",
        replications_note(source),
        (
            "A swing moves one input at a time: inputs that move together (correlated) can "
            "swing further together than any one alone.",
            *(f"{u.label} {u.why}." for u in result.not_simulated),
        ),
        _answers(result, currency),
    )
    return study_pack(source, pack)


def _swing_answer(question: str, swing: Swing, currency: str) -> Answer:
    low, high = (tornado_chart.end_label(swing, end, currency) for end in (False, True))
    detail = (
        f"{swing.label}: NPV {money(swing.low.npv, currency)} at {low}, "
        f"{money(swing.high.npv, currency)} at {high}"
    )
    return Answer(question, f"{money(swing.npv_swing, currency)} swing", detail, statistic="mean")


def _answers(result: Tornado, currency: str) -> tuple[Answer, ...]:
    """What moves the NPV most, what next, and the base it moves from."""
    found = [
        Answer(
            "The base case",
            f"NPV {money(result.base.npv, currency)}",
            f"median payback {month(result.base.payback_month)}; every input at its "
            "median or as written",
            statistic="mean",
        )
    ]
    for question, swing in zip(("What moves NPV most", "Next"), result.swings, strict=False):
        found.insert(len(found) - 1, _swing_answer(question, swing, currency))
    return tuple(found)
