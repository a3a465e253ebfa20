"""The study packs as a CFO reads them (issue 26): every statistic named with its
statistic and unit from the headline registry, a constraint's threshold in its unit,
no empty column, and no chart title or subtitle running off its slide. Each study
here is built as its file reads back (typed values), so no simulation runs."""

from __future__ import annotations

from dataclasses import replace

import pytest
from matplotlib.figure import Figure

from sim.report.charts import drivers as drivers_chart
from sim.report.charts import optimize as optimize_chart
from sim.report.charts import solve as solve_chart
from sim.report.charts import spider, style
from sim.report.charts import tornado as tornado_chart
from sim.report.optimizefile import (
    Binding,
    StoredCandidate,
    StoredDecision,
    StoredObjective,
    StoredOptimisation,
    TwinFigures,
)
from sim.report.studyboard.optimize import constraint_text, optimize_answers, optimize_table
from sim.report.studyboard.sensitivity import sensitivity_table
from sim.report.studyboard.solve import solve_answers, solve_table
from sim.report.studyboard.sweep import sweep_table
from sim.report.studysource import StudySource
from sim.runs import headlines
from sim.runs.bands import Band
from sim.scenario.fieldpaths import parse_path
from sim.scenario.labels import unit_of
from sim.studies.drivers import Driver, Drivers
from sim.studies.sensitivity import Outcome, Swing, Tornado
from sim.studies.solve import Evaluation, Solution, parse_target
from sim.studies.sweep import SweepPoint, SweepSpec

SOURCE = StudySource("cuts-only", "scenarios/cuts-only.yaml", "ab" * 32, 2025, 3, "0", "USD")
CUT = "restructuring.waves[0].cuts[1].count"
COSTS = "restructuring.waves[0].one_time_costs"
TENURE = "restructuring.severance.average_tenure_years"
PAYBACK_P50 = "payback_month.p50"


def test_a_statistic_is_named_with_its_unit_from_the_headline_registry() -> None:
    # 'P50 payback' said which statistic but not that it is a month
    assert headlines.PAYBACK.statistic_label("p50") == "P50 payback month"
    assert headlines.NPV.statistic_label("mean") == "Mean NPV"
    assert headlines.ROLES_CUT.statistic_label("p80") == "P80 roles cut"
    assert optimize_chart.statistic_label(PAYBACK_P50) == "P50 payback month"
    assert optimize_chart.statistic_label("npv.mean") == "Mean NPV"
    assert optimize_chart.statistic_label("P(npv>0)") == "P(NPV > 0)"


def test_a_constraint_reads_its_threshold_in_its_unit() -> None:
    # it read 'Mean NPV ≥ 1e9' and 'P50 payback ≤ 12'
    assert constraint_text("npv.mean>=1e9") == "Mean NPV ≥ $1B"
    assert constraint_text("payback_month.p50<=12") == "P50 payback month ≤ 12"
    assert constraint_text("P(npv>0)>=0.9") == "P(NPV > 0) ≥ 90%"


def _candidate(trial: int, count: float, npv: float, payback: float) -> StoredCandidate:
    return StoredCandidate(
        trial,
        {CUT: count},
        {CUT: f"{count:.0f}"},
        {"npv.mean": npv, PAYBACK_P50: payback},
        (payback <= 12,),
        payback <= 12,
        "",
    )


def _optimisation(objective: str, maximise: bool) -> StoredOptimisation:
    candidates = tuple(
        _candidate(n, c, v, p)
        for n, (c, v, p) in enumerate([(500, 8.0e9, 8), (4000, 9.7e9, 7), (2500, 8.5e9, 14)])
    )
    return StoredOptimisation(
        source=SOURCE,
        sampler="TPE",
        trials=3,
        decisions=(
            StoredDecision(CUT, "October 2025 / Manager: Cut", "int", 500, 4000, 500, (), ""),
        ),
        objectives=(StoredObjective(objective, maximise, objective),),
        constraints=("payback_month.p50<=12",),
        statistics=("npv.mean", PAYBACK_P50),
        today=_candidate(-1, 2500, 8.8e9, 8),
        candidates=candidates,
        best=1,
        front=(1,),
        best_by_trial=(8.0e9 if maximise else 8.0, 9.7e9 if maximise else 7.0, None),
        binding=Binding("payback_month.p50<=12", 2),
        work_flow_simulated=False,
        twin_cache=TwinFigures(3, 6, 1.0, 0.1),
        seconds=1.0,
    )


def test_an_optimisations_tiles_name_the_objectives_statistic_and_unit() -> None:
    study = _optimisation(PAYBACK_P50, maximise=False)
    chosen, as_written = optimize_answers(study, "USD")
    assert chosen.heading.endswith("(P50 payback month)"), chosen.heading
    assert (chosen.figure, as_written.figure) == ("month 7", "month 8")
    money_study = _optimisation("npv.mean", maximise=True)
    chosen, _ = optimize_answers(money_study, "USD")
    assert chosen.heading.endswith("(mean NPV)") and chosen.figure == "$9.7B"
    assert "than as written" in chosen.detail and "P50 payback month ≤ 12" not in chosen.detail


def test_an_optimisations_table_heads_each_statistic_with_its_unit() -> None:
    header, *_rows = optimize_table(_optimisation("npv.mean", maximise=True), "USD")
    assert "Mean NPV" in header and "P50 payback month" in header, header


def test_an_optimisations_month_axis_ticks_whole_months_and_names_its_unit() -> None:
    study = _optimisation(PAYBACK_P50, maximise=False)
    frontier = replace(
        study,
        objectives=(StoredObjective("npv.mean", True, ""), StoredObjective(PAYBACK_P50, False, "")),
    )
    with style.chart_style():
        figure = optimize_chart.draw_frontier_figure(frontier)
        figure.canvas.draw()
        ax = figure.axes[0]
        assert ax.get_ylabel() == "P50 payback month"
        ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
        convergence = optimize_chart.draw_convergence_figure(study)
        subtitle = next(t for t in convergence.texts if t.get_gid() == "subtitle").get_text()
        assert "minimising P50 payback month" in subtitle, subtitle


def test_a_goal_seek_on_a_mean_names_it_mean_not_in_capitals() -> None:
    solution = Solution(
        COSTS,
        "Wave: One-time costs",
        parse_target("npv.mean>=1e9"),
        unit_of(COSTS),
        (Evaluation(0.0, 2e9, ()), Evaluation(8e7, 0.5e9, ()), Evaluation(4e7, 1.0e9, ())),
        answer=4e7,
        bracket=(3.9e7, 4.1e7),
        interval=(3.5e7, 4.5e7),
        statistic_at_answer=1.0e9,
    )
    assert solve_chart.statistic_name(solution) == "Mean NPV"  # it read 'MEAN NPV'
    header, *_ = solve_table(solution, "USD")
    assert header[2] == "Mean NPV"
    found, _ = solve_answers(solution, "USD")
    assert "MEAN" not in found.detail and "Mean NPV ≥ $1B" in found.detail, found.detail


def test_a_goal_seek_of_an_equality_has_no_empty_column() -> None:
    solution = Solution(
        COSTS,
        "Wave: One-time costs",
        parse_target("npv.p50=0"),
        unit_of(COSTS),
        (Evaluation(0.0, 5e7, ()), Evaluation(8e7, -3e7, ()), Evaluation(5.1e7, 0.0, ())),
        answer=5.1e7,
        bracket=(5.0e7, 5.2e7),
        interval=(5.0e7, 5.3e7),
        statistic_at_answer=0.0,
    )
    header, *rows = solve_table(solution, "USD")
    columns = list(zip(header, *rows, strict=True))
    assert all(any(cell for cell in column[1:]) for column in columns), columns


def _sweep() -> tuple[SweepSpec, list[SweepPoint]]:
    values = (0.0, 2e6)
    spec = SweepSpec(parse_path(COSTS), COSTS, values, (), "Wave: One-time costs", unit_of(COSTS))
    points = [
        SweepPoint(v, {"npv": Band(5e7 - v, 5.1e7 - v, 5.2e7 - v, 5.1e7 - v),
                       "payback_month": Band(4.0, 5.0, 6.0, 5.0)})
        for v in values
    ]  # fmt: skip
    return spec, points


def test_a_sweeps_table_heads_its_statistics_from_the_registry() -> None:
    header, *_ = sweep_table(*_sweep(), "USD")
    assert header[1:] == ("P50 NPV (P10 to P90)", "P50 payback month (P10 to P90)")


def _tornado(count: int = 9) -> Tornado:
    def swing(k: int) -> Swing:
        uncertain = k % 2 == 0
        path = TENURE if uncertain else COSTS
        return Swing(
            path,
            f"Input number {k} with a long label: Notified who redeploy",
            unit_of(path),
            "uncertain" if uncertain else "fixed",
            "pert(2, 4, 7)" if uncertain else "",
            4.0 if uncertain else 1e8,
            "P10" if uncertain else "-50%",
            "P90" if uncertain else "+50%",
            3.0 if uncertain else 5e7,
            5.5 if uncertain else 1.5e8,
            Outcome(9.0e9 + 1e7 * (count - k), 5.0),
            Outcome(8.8e9 - 1e7 * (count - k), 8.0),
        )

    return Tornado(Outcome(8.9e9, 5.0), tuple(swing(k) for k in range(count)))


def test_a_tornados_table_names_each_columns_statistic() -> None:
    header, *_ = sensitivity_table(_tornado(), "USD")
    assert header[3:] == (
        "Mean NPV at low",
        "Mean NPV at high",
        "Swing of mean NPV",
        "P50 payback month, low / high",
    )


def _texts_inside(figure: Figure) -> list[str]:
    """The title and subtitle of a slide that run past its right edge."""
    figure.canvas.draw()
    width = figure.bbox.width
    return [
        t.get_text()
        for t in figure.texts
        if t.get_gid() in ("title", "subtitle") and t.get_window_extent().x1 > width
    ]


@pytest.mark.parametrize("chart", ["tornado", "spider", "drivers"])
def test_no_study_chart_title_or_subtitle_runs_off_its_slide(chart: str) -> None:
    # the tornado's and spider's subtitles ended '...the 8 larges' and '...of 9 inpu';
    # the drivers' within-chance title lost its last half
    long = "Data academy / Retail corporate: Reskilled who move on to a new role"
    driver = Driver(TENURE, long, unit_of(TENURE), 4.5, 4.2, 4.5, 4.2, -0.9, 0.01, 0.0)
    drivers = Drivers("npv", 0.1, 40, 4, 8.8e9, (driver,))
    with style.chart_style():
        figure = {
            "tornado": lambda: tornado_chart.draw(_tornado(), SOURCE),
            "spider": lambda: spider.draw(_tornado(), SOURCE),
            "drivers": lambda: drivers_chart.draw(drivers, SOURCE),
        }[chart]()
        assert _texts_inside(figure) == []
