"""What every study's board shares: its slides drawn from its charts, its table cut to
a slide, the scenario's assumptions, the note under its answers and the source line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from sim.report.answers import Answer
from sim.report.assumptions import read_assumptions
from sim.report.board import Board, ChartSlide, chart_slide
from sim.report.charts import style
from sim.report.charts.study import study_source
from sim.report.studysource import StudySource

#: the most rows a slide's table holds; the rest are in the study's CSV
MAX_TABLE_ROWS = 12
Rows = tuple[tuple[str, ...], ...]

#: what a study's answers' figures are, beneath them
STUDY_NOTE = (
    "Each figure is over the study's replications, every setting on the same random "
    "numbers; the statistic beside each question says which."
)

#: a relation as a reader writes it
RELATIONS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "="}
#: a statistic of the replications as a tile names it
STATISTIC_WORDS = {"p50": "median", "mean": "mean"}


def statistic_words(statistic: str) -> str:
    """'p50' -> 'median', 'p80' -> 'P80 of the replications'."""
    return STATISTIC_WORDS.get(statistic, f"{statistic.upper()} of the replications")


@dataclass(frozen=True)
class Pack:
    """What a study kind says on its board, besides what every study's board says."""

    kind: str  # the study's kind ("sensitivity", ...)
    what: str  # its name for a reader ("Sensitivity")
    table: Rows  # its header, then its rows
    figures: dict[str, Callable[[], Figure]]  # its charts, by file stem
    notes: str  # each chart slide's speaker note, before the source line
    method: str
    uncertainty: str
    caveats: tuple[str, ...] = ()
    answers: tuple[Answer, ...] = ()


def replications_note(source: StudySource) -> str:
    """Why settings' differences are the input's alone."""
    return (
        f"Each setting's figures are over the same {source.replications} replications, so "
        "differences between settings are the input's alone; another set of replications "
        "would move every setting together more than apart."
    )


def study_pack(source: StudySource, pack: Pack) -> Board:
    """The board of a study of ``source``: its charts drawn, its table cut to a slide."""
    line = study_source(source)
    slides: list[ChartSlide] = []
    with style.chart_style():
        for stem, draw in pack.figures.items():
            slides.append(chart_slide(stem, draw(), None, f"{pack.notes} {line}."))
    assumptions = read_assumptions(source.path, source.sha256)
    header, *rows = pack.table
    shown = (header, *rows[:MAX_TABLE_ROWS])
    caveats = pack.caveats
    if len(rows) > MAX_TABLE_ROWS:
        caveats = (
            *caveats,
            f"The table shows {MAX_TABLE_ROWS} of {len(rows)} rows; the study's CSV has them all.",
        )
    count = source.replications
    title = slides[0].title if slides else pack.what
    return Board(
        pack.kind,
        f"{pack.what}: {source.name}",
        f"{count} replication{'s' * (count != 1)} a setting, on common random numbers; "
        f"seed {source.seed}",
        shown,
        tuple(slides),
        assumptions,
        pack.method,
        pack.uncertainty,
        (*caveats, "Figures marked illustrative in the scenario are assumptions."),
        line,
        table_title=title,
        table_heading=pack.what,
        answers=pack.answers,
        answer_title=title if pack.answers else "",
        answers_note=STUDY_NOTE if pack.answers else "",
    )
