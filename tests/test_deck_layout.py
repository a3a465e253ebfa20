"""The deck's layout: nothing overprints, nothing leaves the slide, no text is cut
off or too small to read, for a run, a comparison and a board pushed to its limits
(long takeaways, many assumptions with long sources, many caveats). The text is
measured with the real font's metrics (decklayout), not the deck's own estimate."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FAST, SMALL
from decklayout import layout_problems
from pptx import Presentation

from sim.cli import main
from sim.report.assumptions import Assumption, Assumptions
from sim.report.board import run_board
from sim.report.deck import write_deck
from sim.report.runfolder import load_run


def _invoke(*args: str | Path) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, (result.output, result.exception)


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("layout") / "run"
    _invoke("run", SMALL, "-o", target, "--report", "--no-charts", *FAST)
    return target


def test_a_run_deck_has_nothing_overprinted_cut_off_or_too_small(run_folder: Path) -> None:
    assert layout_problems(run_folder / "deck.pptx") == []


def test_a_comparison_deck_of_three_has_nothing_overprinted(
    run_folder: Path, tmp_path: Path
) -> None:
    """The audit: the comparison's two-line title overprinted its subtitle and its
    table ran off the slide under its footnote."""
    target = tmp_path / "comparison"
    _invoke("compare", run_folder, run_folder, run_folder, "-o", target, "--no-charts")
    _invoke("report", target)
    assert layout_problems(target / "deck.pptx") == []


def _long(words: int, start: str = "A takeaway") -> str:
    return " ".join([start, *(["measured"] * words)])


def test_a_board_pushed_to_its_limits_still_fits(run_folder: Path, tmp_path: Path) -> None:
    """Takeaways that wrap, a caveat a paragraph long, two dozen assumptions citing
    their sources at length: each slide shrinks its text (never below 10 pt), wraps
    its titles and leaves out assumptions rather than let anything overprint."""
    board = run_board(load_run(run_folder))
    source = "Trevor & Nyberg 2008: " + _long(60, "downsizing predicts")
    many = tuple(
        Assumption(f"Assumption {k} of a long label", "pert(0.1, 0.2, 0.3)", source)
        for k in range(24)
    )
    charts = tuple(dataclasses.replace(c, title=_long(30)) for c in board.charts)
    pushed = dataclasses.replace(
        board,
        name=_long(20, "A plan whose name is long"),
        table_title=_long(25),
        charts=charts,
        assumptions=Assumptions(many, "13 more in the scenario file."),
        caveats=tuple(_long(40, f"Caveat {k}") for k in range(8)),
    )
    path = tmp_path / "deck.pptx"
    write_deck(pushed, path)
    assert layout_problems(path) == []
    texts = [s.shapes.title.text for s in Presentation(str(path)).slides if s.shapes.title]
    assert "The assumptions that matter, and where they come from" in texts
