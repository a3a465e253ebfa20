"""The convergence chart (issue 26: the @RISK view a finance team expects): the running
mean NPV with its 95% band and the running P10/P50/P90 against the replications run,
titled with whether the mean had settled, drawn from summary.json's running figures,
shown in the report and the deck."""

from __future__ import annotations

import dataclasses
import html as markup
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import FIVE, SMALL
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from pptx import Presentation

from sim.cli import main
from sim.report.charts import CHARTS, convergence, style
from sim.report.charts.data import Run
from sim.report.summaryfile import read_summary
from sim.runs.running import MOST_POINTS, RunningNpv, counts_shown, running_npv
from sim.runs.summary import Convergence

STEM = "14-convergence"


@pytest.fixture(scope="module")
def summary_data(packed: tuple[Path, str]) -> dict:
    return json.loads((packed[0] / "summary.json").read_text(encoding="utf-8"))


def test_the_running_npv_ends_at_the_headline_figures(summary_data: dict) -> None:
    """The last point of each running line is the headline table's figure, exactly."""
    found = read_summary(summary_data).convergence
    assert found is not None and found.running is not None
    running, band = found.running, summary_data["headline"]["npv"]
    assert running.counts == tuple(range(1, summary_data["replications"] + 1))
    assert running.mean[-1] == band["mean"]
    assert (running.p10[-1], running.p50[-1], running.p90[-1]) == (
        band["p10"],
        band["p50"],
        band["p90"],
    )
    assert running.mean_se[0] is None
    assert running.mean_se[-1] == summary_data["convergence"]["npv_mean_se"]


def test_the_running_statistics_are_those_of_the_replications_so_far() -> None:
    npv = np.array([3.0, 1.0, 2.0, 10.0, -4.0])
    running = running_npv(npv)
    assert running is not None
    for i, count in enumerate(running.counts):
        head = npv[:count]
        assert running.mean[i] == pytest.approx(head.mean())
        assert running.p50[i] == pytest.approx(np.median(head))
        if count > 1:
            assert running.mean_se[i] == pytest.approx(head.std(ddof=1) / math.sqrt(count))


def test_a_long_run_keeps_a_bounded_number_of_points_ending_at_its_count() -> None:
    counts = counts_shown(10_000)
    assert len(counts) == MOST_POINTS
    assert counts[0] == 1 and counts[-1] == 10_000
    assert counts == sorted(set(counts))
    assert counts_shown(7) == [1, 2, 3, 4, 5, 6, 7]


def _with(run: Run, running: RunningNpv, stopping: dict | None = None) -> Run:
    found = Convergence(running.mean_se[-1], None, running.counts[-1], running)
    summary = dataclasses.replace(run.summary, convergence=found, stopping=stopping)
    return dataclasses.replace(run, summary=summary)


def _title(figure: Figure) -> str:
    return next(t.get_text() for t in figure.texts if t.get_gid() == "title")


def _drawn(run: Run) -> Figure:
    with style.chart_style():
        return convergence.draw(run)


def test_the_chart_draws_the_running_mean_its_band_and_the_percentiles(
    packed: tuple[Path, str],
) -> None:
    run = Run.load(packed[0])
    running = run.summary.convergence.running  # type: ignore[union-attr]
    figure = _drawn(run)
    ax = figure.axes[0]
    lines = {tuple(np.round(line.get_ydata(), 6)): line for line in ax.get_lines()}
    for values in (running.mean, running.p10, running.p50, running.p90):
        assert tuple(np.round(values, 6)) in lines
    assert lines[tuple(np.round(running.mean, 6))].get_linestyle() == "-"
    assert lines[tuple(np.round(running.p50, 6))].get_linestyle() == "--"
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    top = band.get_paths()[0].vertices[:, 1].max()
    width = convergence.Z95 * np.array([np.nan if s is None else s for s in running.mean_se])
    assert top == pytest.approx(np.nanmax(np.array(running.mean) + width))
    assert ax.get_xlabel() == "Replications run"
    assert ax.get_ylabel().startswith("NPV to ") and ax.get_ylabel().endswith("(USD)")


def _running(means: list[float], se: float) -> RunningNpv:
    n = len(means)
    return RunningNpv(
        tuple(range(1, n + 1)),
        tuple(means),
        (None, *[se] * (n - 1)),
        tuple(m - 5 for m in means),
        tuple(means),
        tuple(m + 5 for m in means),
    )


def test_the_title_says_a_steady_mean_is_steady_and_a_moving_one_moving(
    packed: tuple[Path, str],
) -> None:
    run = Run.load(packed[0])
    # the final band is 100 +- 1.96: the mean is inside it from replication 3 on
    steady = _running([90, 97, 99, 101, 100, 100.5, 99.5, 100, 100.2, 100], 1.0)
    assert convergence.settled_from(steady) == 3
    assert _title(_drawn(_with(run, steady))).endswith("steady from replication 3 on")
    # it left the band at replication 8 of 10: still moving
    moving = _running([100, 100, 100, 100, 100, 100, 100, 95, 99.5, 100], 1.0)
    assert convergence.settled_from(moving) == 9
    title = _title(_drawn(_with(run, moving)))
    assert "still moving" in title and "steady" not in title.replace("steady only", "")


def test_the_title_says_whether_the_precision_asked_was_met(packed: tuple[Path, str]) -> None:
    run = Run.load(packed[0])
    running = _running([100.0e6] * 10, 1.0e6)
    rule = {
        "rule": "npv.mean=2000000",
        "confidence": 0.95,
        "settled": True,
        "replications": 10,
        "estimate": 100.0e6,
        "half_width": 1.4e6,
        "target_half_width": 2.0e6,
    }
    title = _title(_drawn(_with(run, running, rule)))
    assert title == "Mean NPV settled at $100M ± $1.4M after 10 replications (asked ± $2M)"
    unsettled = {**rule, "settled": False, "half_width": 2.6e6}
    title = _title(_drawn(_with(run, running, unsettled)))
    assert title == "Mean NPV not settled to ± $2M after 10 replications: $100M ± $2.6M"
    # a rule on another headline states no NPV precision
    other = {**rule, "rule": "payback_month.p50=1"}
    assert "settled" not in _title(_drawn(_with(run, running, other)))


def test_one_replication_has_no_band_and_says_so(packed: tuple[Path, str]) -> None:
    run = Run.load(packed[0])
    title = _title(_drawn(_with(run, _running([5.0e6], 0.0))))
    assert title.startswith("One replication")


def test_the_report_and_the_deck_show_the_convergence_chart(packed: tuple[Path, str]) -> None:
    folder = packed[0]
    assert STEM in CHARTS
    with style.chart_style():
        figure = convergence.draw(Run.load(folder))
    title = _title(figure)
    page = markup.unescape((folder / "report.html").read_text(encoding="utf-8"))
    assert f'<figure id="{STEM}"' in page and title in page
    deck = Presentation(str(folder / "deck.pptx"))
    slides = [
        slide
        for slide in deck.slides
        if any(shape.shape_type == 13 and shape.name == STEM for shape in slide.shapes)
    ]
    assert len(slides) == 1
    assert slides[0].shapes.title.text_frame.text == title


def test_a_run_that_stops_when_settled_titles_its_convergence(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["run", str(SMALL), "-o", str(out), "--no-charts", "--no-flow"]
    args += [*FIVE, "--precision", "npv.mean=5%", "--max-replications", "15"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    run = Run.load(out)
    stopping = run.summary.stopping
    assert stopping is not None
    running = run.summary.convergence.running  # type: ignore[union-attr]
    assert running.counts[-1] == stopping["replications"] == run.replications
    title = _title(_drawn(run))
    assert title.startswith("Mean NPV settled" if stopping["settled"] else "Mean NPV not settled")
