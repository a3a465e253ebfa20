"""The board pack of a study folder: a sensitivity, a sweep, a goal seek, the drivers or
an optimisation.

The same :class:`~sim.report.board.Board` as a run's, so the same HTML report and
deck lay it out: the study's table in human labels and units, its charts drawn
again from its JSON (the one file its reader reads back, into the study's typed
values), the scenario's assumptions with their sources, the method, what the
figures' uncertainty is, and the source line. Nothing is computed here that the
study's files do not hold. A module a kind of study (``sensitivity``, ``sweep``,
``solve``, ``drivers``, ``optimize``); what they share is in ``common``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sim.report.board import Board
from sim.report.optimizefile import optimisation_of
from sim.report.runfolder import RunFolderError
from sim.report.studies import STUDY_FILES, drivers_of, solution_of, sweep_of, tornado_of
from sim.report.studyboard.drivers import drivers_board
from sim.report.studyboard.optimize import optimize_board
from sim.report.studyboard.sensitivity import sensitivity_board
from sim.report.studyboard.solve import solve_board
from sim.report.studyboard.sweep import sweep_board
from sim.report.studysource import StudySource

T = TypeVar("T")
#: a kind of study's board from its JSON
Builder = Callable[[dict[str, Any]], Board]


def _board(reader: Callable[[Any], T], board: Callable[[StudySource, T], Board]) -> Builder:
    """A study's board from its JSON: the file's one reader, then the kind's board."""
    return lambda data: board(StudySource.in_study(data), reader(data))


#: each kind of study's board from its JSON
BUILDERS: dict[str, Builder] = {
    "sensitivity": _board(tornado_of, sensitivity_board),
    "sweep": _board(sweep_of, sweep_board),
    "solve": _board(solution_of, solve_board),
    "drivers": _board(drivers_of, drivers_board),
    "optimize": _board(optimisation_of, optimize_board),
}


def study_kind(folder: Path) -> str | None:
    """The kind of study a folder holds ("sensitivity", "sweep", ...), None if none."""
    return next((kind for kind, name in STUDY_FILES.items() if (folder / name).is_file()), None)


def study_board(folder: Path) -> Board:
    """The board pack of the study in ``folder``."""
    kind = study_kind(folder)
    if kind is None:
        raise RunFolderError(f"{folder}: no study in it ({', '.join(STUDY_FILES.values())})")
    try:
        data = json.loads((folder / STUDY_FILES[kind]).read_text(encoding="utf-8"))
        return BUILDERS[kind](data)
    except (KeyError, TypeError, ValueError) as err:
        raise RunFolderError(
            f"{folder / STUDY_FILES[kind]}: not a study this version can read ({err})"
        ) from None
