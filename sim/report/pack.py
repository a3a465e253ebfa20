"""Writing the board pack into a run's, a comparison's or a study's folder: report.html
and deck.pptx, each whole or not at all.

Both are made in a temporary folder beside them and renamed into place only once
both are complete, so an interrupted or failed report leaves the folder as it
was (an older report and deck included).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sim.report.board import Board, comparison_board, run_board
from sim.report.deck import write_deck
from sim.report.files import replace_into
from sim.report.html import report_html
from sim.report.runfolder import RunFolderError, load_run
from sim.report.studies import compare_runs, compared_folders
from sim.report.studyboard import study_board, study_kind

REPORT = "report.html"
DECK = "deck.pptx"


def board_of(folder: Path) -> Board:
    """The pack's content for a run folder or a comparison folder."""
    folder = Path(folder)
    if (folder / "comparison.json").is_file():
        return comparison_board(compare_runs(compared_folders(folder)))
    if study_kind(folder) is not None:
        return study_board(folder)
    run = load_run(folder)
    try:
        return run_board(run)
    except KeyError as err:  # a summary.json from before the CFO's table (issue 14)
        raise RunFolderError(
            f"{folder}: summary.json has no {err} (written by an older version): run it again"
        ) from None


def write_pack(folder: Path) -> tuple[Path, Path]:
    """report.html and deck.pptx into ``folder``; return their paths."""
    folder = Path(folder)
    board = board_of(folder)
    staging = Path(tempfile.mkdtemp(prefix=".report.", dir=folder))
    try:
        (staging / REPORT).write_text(report_html(board), encoding="utf-8")
        write_deck(board, staging / DECK)
        replace_into([(staging / name, folder / name) for name in (REPORT, DECK)])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder / REPORT, folder / DECK
