"""The executive summary answers first: what the plan costs, when it pays back, what
happens to the work and whether the AI half earns its keep, each figure summary.json's
own (the headline table's Mean* column and the run-rate bridge), on the deck's second
slide and nowhere contradicted."""

from __future__ import annotations

import dataclasses
import html as markup
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FAST, SMALL
from pptx import Presentation

from sim.cli import main
from sim.report.answers import AI_LINES, answer_title, answers
from sim.report.board import run_board
from sim.report.runfolder import load_run
from sim.report.summaryfile import read_summary
from sim.runs.numbers import money, month_and_date
from sim.runs.summary import BridgeLine, RunRateBridge


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("answers") / "run"
    result = CliRunner().invoke(
        main, ["run", str(SMALL), "-o", str(target), "--report", "--no-charts", *FAST]
    )
    assert result.exit_code == 0, result.output
    return target


def _summary(folder: Path):
    return read_summary(json.loads((folder / "summary.json").read_text(encoding="utf-8")))


def _with_ai(summary, saved: float, roles: float, running: float):
    """The summary with its run-rate bridge's AI lines set (a year each, + saves)."""
    amounts = dict(zip(AI_LINES, (saved, roles, running), strict=True))
    lines = [line for line in summary.run_rate_bridge.lines if line.name not in amounts]
    lines += [BridgeLine(name, name, name, value) for name, value in amounts.items()]
    bridge = RunRateBridge(tuple(lines), sum(line.annual for line in lines))
    return dataclasses.replace(summary, run_rate_bridge=bridge)


def test_the_answers_are_the_headline_tables_figures(packed: Path) -> None:
    summary = _summary(packed)
    mean, currency = summary.mean, summary.currency
    cost, payback, work, *_ = answers(summary, 0.0)
    assert cost.figure == f"{money(mean.one_time_costs, currency)} one-time"
    assert money(mean.run_rate_savings_annual, currency) in cost.detail
    assert payback.figure == month_and_date(mean.payback_month, mean.payback_date)
    assert f"NPV {money(mean.npv, currency)}" in payback.detail
    assert work.figure.endswith("work done")


def test_the_deck_opens_with_the_answers_under_a_title_that_gives_them(packed: Path) -> None:
    board = run_board(load_run(packed))
    slide = Presentation(str(packed / "deck.pptx")).slides[1]
    assert slide.shapes.title.text == board.answer_title
    assert board.answer_title == answer_title(_summary(packed), board.answers)
    tiles = [s.text_frame.text for s in slide.shapes if s.name.startswith("Answer ")]
    assert tiles == [f"{a.heading}\n{a.figure}\n{a.detail}" for a in board.answers]
    assert len(tiles) == 4  # the small scenario has an AI programme


def test_the_report_opens_with_the_same_answers(packed: Path) -> None:
    board = run_board(load_run(packed))
    html = markup.unescape((packed / "report.html").read_text(encoding="utf-8"))
    answer = html.index('<section id="answer">')
    assert answer < html.index('<section id="headlines">')
    assert board.answer_title in html[answer:]
    for found in board.answers:
        tile = f'<p class="figure">{found.figure}</p><p>{found.detail}</p>'
        assert f'<p class="question">{found.heading}</p>{tile}' in html


def test_the_ai_half_earns_its_keep_when_its_hires_avoided_outweigh_its_costs(
    packed: Path,
) -> None:
    summary = _with_ai(_summary(packed), saved=300e6, roles=-100e6, running=-50e6)
    ai = answers(summary, 80e6)[-1]
    assert ai.question == "The AI half earns its keep"
    assert ai.figure == f"{money(150e6, summary.currency)} a year, net"
    assert money(80e6, summary.currency) in ai.detail
    assert answer_title(summary, answers(summary, 80e6)).endswith("the AI half earns its keep")


def test_an_ai_half_that_costs_more_than_it_saves_is_said_to(packed: Path) -> None:
    summary = _with_ai(_summary(packed), saved=100e6, roles=-100e6, running=-50e6)
    ai = answers(summary, 80e6)[-1]
    assert ai.question == "The AI half does not earn its keep"
    assert ai.figure.startswith("-")
    assert answer_title(summary, answers(summary, 80e6)).endswith("does not earn its keep")


def test_a_plan_that_costs_more_a_year_says_so_in_its_title(packed: Path) -> None:
    summary = _summary(packed)
    mean = dataclasses.replace(summary.mean, run_rate_savings_annual=-2e6)
    title = answer_title(dataclasses.replace(summary, mean_cash_flow=mean), ())
    assert f"costing {money(2e6, summary.currency)} a year more" in title


def test_a_plan_without_ai_has_no_ai_answer(packed: Path) -> None:
    summary = _with_ai(_summary(packed), saved=0.0, roles=0.0, running=0.0)
    found = answers(summary, 0.0)
    assert [a.question for a in found] == [
        "What it costs",
        "When it pays back",
        "What happens to the work",
    ]
    assert "AI" not in answer_title(summary, found)
