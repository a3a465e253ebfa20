"""The charts: every slide renders, without a warning, for every shipped scenario
and for the awkward cases (no AI, no waves, never paying back, one replication,
one unit, one layer above the ICs, a three-month horizon), at 2000 x 1125 pixels.

Runs are small (one or two replications at the lowest fidelity) and shared
between tests through module-scoped fixtures.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import textwrap
import warnings
from pathlib import Path

import matplotlib.image
import matplotlib.pyplot
import numpy as np
import pytest
from conftest import SCENARIO_DIR
from conftest import SHIPPED as SHIPPED_PATHS

from sim.report.charts import CHARTS, charts_for, draw_charts, figures, fiscal, redraw
from sim.report.charts.data import Run
from sim.report.charts.pyramid import spans
from sim.report.charts.style import PIXELS, chart_style, spread, tidy_number
from sim.report.run import run_scenario
from sim.report.runfolder import RUN_FILES, load_run
from sim.report.summaryfile import read_summary
from sim.report.text import money
from sim.scenario.load import load_scenario

SCENARIOS = SCENARIO_DIR
SHIPPED = [path.stem for path in SHIPPED_PATHS]
LOWEST_FIDELITY = 1000

ORG_AND_WORK = """
org:
  attrition_annual: 0.12
  backfill: {share: 0.9, lag_weeks: 10, cost_per_hire: 15000}
  units:
    - name: Operations
      layers:
        - {name: Manager, headcount: 30, cost_per_head_annual: 180000, review_share: 0.35}
        - {name: IC, headcount: 200, cost_per_head_annual: 130000}

work:
  - arrivals_per_ic_per_week: 3.0
    effort_hours: lognormal(8, 5)
    signoff_shares: [0.5]
"""

#: name -> (scenario YAML, replications); every number is illustrative
EDGE_CASES = {
    # one unit, one layer above the ICs, one replication, and a wave whose
    # one-time costs six months of savings never recover
    "never-pays-back": (
        """
meta: {name: never-pays-back, start: 2026-01, horizon_months: 6, seed: 5, fidelity_items: 1000}
"""
        + ORG_AND_WORK
        + """
restructuring:
  waves:
    - {name: Costly cut, date: 2026-02-01, one_time_costs: 50000000,
       cuts: [{unit: Operations, layer: Manager, count: 3}]}
""",
        1,
    ),
    # the status quo of one small unit: nothing changes, nothing to pay back
    "no-change": (
        "meta: {name: no-change, start: 2026-01, horizon_months: 12, seed: 3}\n" + ORG_AND_WORK,
        2,
    ),
    # the shortest horizon a run allows (its run rate averages three months)
    "three-months": (
        "meta: {name: three-months, start: 2026-01, horizon_months: 3, seed: 3}\n" + ORG_AND_WORK,
        2,
    ),
    # two units of different depths (one derived from a shape, so its layers are
    # named M1, M2, ...), a layer removed, AI on a fixed budget, priced work
    "mixed-units": (
        """
meta: {name: mixed-units, start: 2026-01, horizon_months: 18, seed: 11}

org:
  attrition_annual: 0.12
  units:
    - name: Operations
      layers:
        - {name: Director, headcount: 12, cost_per_head_annual: 320000}
        - {name: Senior manager, headcount: 30, cost_per_head_annual: 240000}
        - {name: Manager, headcount: 118, cost_per_head_annual: 180000}
        - {name: IC, headcount: 840, cost_per_head_annual: 130000}
    - name: Support
      pyramid: {headcount: 600, span: 8, layers: 3, ic_cost_per_head_annual: 90000}

work:
  - arrivals_per_ic_per_week: 3.0
    effort_hours: lognormal(8, 5)
    signoff_shares: [0.5, 0.2]

restructuring:
  waves:
    - name: Delayering
      date: 2026-03-01
      remove_layers: [{unit: Operations, layer: Senior manager, moved_down_share: 0.3}]
      one_time_costs: 500000

ai:
  programs:
    - name: A very long programme name that will not fit beside its line
      start: 2026-02
      one_time_cost: 400000
      running_cost: {per_seat_per_month: 40}
      adoption: {ceiling: 0.7, midpoint_months: 4}
      effects: {ic_productivity_uplift: 0.2}
      funding: {budget_per_month: 20000}
    - name: Agents
      start: 2026-06
      units: [Support]
      running_cost: {fixed_per_month: 5000}
      adoption: {ceiling: 0.4, midpoint_months: 3}
  new_roles:
    - {name: AI engineering, count: 5, cost_per_head_annual: 250000, start: 2026-04}

finance:
  value_per_item: 500
""",
        3,
    ),
}


def _run(name: str, path: Path, out: Path, replications: int) -> Path:
    scenario = load_scenario(path)
    # the charts, not the model, are under test: the fewest work items will do
    meta = scenario.meta.model_copy(update={"fidelity_items": LOWEST_FIDELITY})
    scenario = scenario.model_copy(update={"meta": meta})
    folder = out / name
    run_scenario(
        scenario, path, folder, replications=replications, workers=2, quiet=True, charts=False
    )
    return folder


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An output folder (tables only) for every shipped scenario and edge case."""
    out = tmp_path_factory.mktemp("runs")
    made = {name: _run(name, SCENARIOS / f"{name}.yaml", out, 2) for name in SHIPPED}
    yaml_dir = tmp_path_factory.mktemp("scenarios")
    for name, (text, replications) in EDGE_CASES.items():
        path = yaml_dir / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        made[name] = _run(name, path, out, replications)
    return made


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _draw_strictly(folder: Path, out: Path, formats: tuple[str, ...] = ("png",)) -> list[Path]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return draw_charts(folder, out, formats)


def _check_pngs(paths: list[Path], folder: Path | None = None) -> None:
    """The run's charts (the seven, and the mix shift where ``folder``'s run has roles)."""
    pngs = [p for p in paths if p.suffix == ".png"]
    stems = list(charts_for(Run.load(folder))) if folder is not None else list(CHARTS)
    assert [p.stem for p in pngs] == stems
    for path in pngs:
        height, width = matplotlib.image.imread(path).shape[:2]
        assert (width, height) == PIXELS, path.name


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_every_chart_renders_for_every_shipped_scenario(
    name: str, folders: dict[str, Path], tmp_path: Path
) -> None:
    paths = _draw_strictly(folders[name], tmp_path)
    assert all(p.stat().st_size > 10_000 for p in paths)
    _check_pngs(paths, folders[name])


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_every_chart_renders_for_the_edge_cases(
    name: str, folders: dict[str, Path], tmp_path: Path
) -> None:
    paths = _draw_strictly(folders[name], tmp_path)
    assert all(p.stat().st_size > 10_000 for p in paths)
    _check_pngs(paths)


def test_svg_is_written_beside_png_with_the_same_names(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    paths = _draw_strictly(folders["mixed-units"], tmp_path, ("png", "svg"))
    assert sorted(p.name for p in paths) == sorted(
        f"{stem}.{fmt}" for stem in CHARTS for fmt in ("png", "svg")
    )
    for svg in tmp_path.glob("*.svg"):
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_redraw_reads_the_summary_itself_and_writes_into_charts(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    for name in RUN_FILES:  # the tables alone: no workbook, no charts
        (folder / name).write_bytes((folders["never-pays-back"] / name).read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = redraw(folder, ("png",))
    assert {p.parent for p in paths} == {folder / "charts"}
    assert len(paths) == len(CHARTS)


def test_a_run_draws_its_charts_into_its_output_folder(tmp_path: Path) -> None:
    path = tmp_path / "never-pays-back.yaml"
    path.write_text(textwrap.dedent(EDGE_CASES["never-pays-back"][0]), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run_scenario(
            load_scenario(path), path, tmp_path / "run", replications=1, workers=1, quiet=True
        )
    drawn = sorted(p.name for p in (tmp_path / "run" / "charts").iterdir())
    assert drawn == sorted(f"{stem}.{fmt}" for stem in CHARTS for fmt in ("png", "svg"))


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_the_fiscal_years_chart_draws_summary_json_figures(
    name: str, folders: dict[str, Path], tmp_path: Path
) -> None:
    """The board pack's fiscal-year chart: its bars are summary.json's figures (one-time
    costs below zero), its title the fiscal-year table's takeaway."""
    with warnings.catch_warnings(), chart_style():
        warnings.simplefilter("error")
        run = Run.load(folders[name])
        figure = fiscal.draw(run)
        figure.savefig(tmp_path / "fiscal.png")
    years = run.summary.fiscal_years
    heights = [bar.get_height() for bar in figure.axes[0].patches]
    expected = [y.net_savings for y in years] + [-y.one_time_costs for y in years]
    assert heights == pytest.approx(expected + [y.net_cash for y in years])
    title = next(t.get_text() for t in figure.texts if t.get_gid() == "title")
    assert title == fiscal.title(years, run.currency)
    height, width = matplotlib.image.imread(tmp_path / "fiscal.png").shape[:2]
    assert (width, height) == PIXELS


# ------------------------------------------------------------------ titles tell the story


def _titles(folder: Path, summary: dict) -> dict[str, str]:
    run = Run.of(dataclasses.replace(load_run(folder), summary=read_summary(summary)))
    titles = {}
    with warnings.catch_warnings(), chart_style():
        warnings.simplefilter("error")
        for stem, draw in CHARTS.items():
            figure = draw(run)
            titles[stem] = next(t.get_text() for t in figure.texts if t.get_gid() == "title")
    return titles


def test_a_plan_that_never_pays_back_says_so(folders: dict[str, Path]) -> None:
    folder = folders["never-pays-back"]
    titles = _titles(folder, _summary(folder))
    assert titles["4-payback"].startswith("Does not pay back by Jul 2026")


def test_the_status_quo_has_nothing_to_pay_back(folders: dict[str, Path]) -> None:
    folder = folders["status-quo"]
    titles = _titles(folder, _summary(folder))
    assert "nothing invested" in titles["4-payback"]
    assert "unchanged" in titles["3-cost-bridge"]
    assert titles["6-ai-adoption"].startswith("No AI")


def test_the_payback_title_gives_the_month_and_its_range(folders: dict[str, Path]) -> None:
    folder = folders["ecommerce-2026"]
    summary = copy.deepcopy(_summary(folder))
    summary["headline"]["payback_month"] = {"p10": 11.0, "p50": 14.0, "p90": 19.0, "mean": 14.5}
    assert "month 14" in _titles(folder, summary)["4-payback"]
    assert "P10-P90: month 11-19" in _titles(folder, summary)["4-payback"]
    summary["headline"]["payback_month"]["p90"] = None  # some runs never pay back
    assert "to beyond" in _titles(folder, summary)["4-payback"]


@pytest.mark.parametrize("name", ["ecommerce-2026", "ecommerce-ai-attrition", "never-pays-back"])
def test_the_cost_bridge_spans_the_headline_run_rate(folders: dict[str, Path], name: str) -> None:
    """Status quo minus plan on the bridge is the mean cash flow's run-rate savings:
    recurring costs only, one-time costs beside them (no work item priced here)."""
    from sim.report.charts.bridge import steps
    from sim.report.charts.data import Run

    folder = folders[name]
    base_total, moves, plan_total = steps(Run.load(folder))
    run_rate = _summary(folder)["mean_cash_flow"]["run_rate_savings_annual"]
    assert base_total - plan_total == pytest.approx(run_rate, rel=1e-9, abs=1e-3)
    assert plan_total == pytest.approx(base_total + sum(m.change for m in moves), rel=1e-12)


def test_the_one_time_bar_adds_up_to_the_headlines_one_time_costs(
    folders: dict[str, Path],
) -> None:
    """The chart's one-time costs are the headline's: e-commerce's retraining of the
    redeployed and its reskilling too (the bar left them out)."""
    import matplotlib.pyplot as plt

    from sim.finance.cashflows import RESKILLING, RETRAINING
    from sim.report.charts.bridge import _one_time

    folder = folders["ecommerce-2026"]
    run = Run.load(folder)
    assert {RETRAINING, RESKILLING} <= set(run.one_time_lines)
    figure, ax = plt.subplots()
    try:
        total = _one_time(ax, run)
    finally:
        plt.close(figure)
    headline = _summary(folder)["mean_cash_flow"]["one_time_costs"]
    assert total == pytest.approx(headline, rel=1e-9)


@pytest.mark.parametrize("name", ["ecommerce-2026", "ecommerce-ai-attrition", "never-pays-back"])
def test_the_printout_and_the_chart_draw_one_bridge_that_adds_up_to_the_run_rate(
    folders: dict[str, Path], name: str
) -> None:
    """The audit's finding: the printout's bridge totalled $8.0B of payroll under a $7.9B
    run rate, its "Leavers not replaced -$137.1k" was the chart's "Hiring, other -$127M",
    and "AI running +$247M" was only in the chart. Now one set of lines, adding up."""
    from sim.report.charts.bridge import steps
    from sim.report.charts.data import Run
    from sim.report.text import bridge_table

    run = Run.load(folders[name])
    bridge = run.summary.run_rate_bridge
    assert bridge is not None
    assert sum(line.annual for line in bridge.lines) == pytest.approx(bridge.total, rel=1e-12)
    run_rate = _summary(folders[name])["mean_cash_flow"]["run_rate_savings_annual"]
    assert bridge.total == pytest.approx(run_rate, rel=1e-12)
    # every cost line beside payroll has a cause; nothing is left over unexplained
    assert "other" not in [line.name for line in bridge.lines]
    _, moves, _ = steps(run)
    shown = bridge.shown()
    assert [m.label for m in moves] == [line.short_label for line in shown]
    assert [-m.change for m in moves] == [line.annual for line in shown]
    table = bridge_table(run.summary)
    assert [line.label in table for line in shown] == [True] * len(shown)
    assert "Run-rate savings" in table
    # each bar says the printout's figure: a thin one read "\u2248 0" beside "$52.1M" there
    from matplotlib import pyplot

    from sim.report.charts import figures
    from sim.runs.numbers import money

    drawn = figures(folders[name])
    bars = {t.get_text() for ax in drawn["3-cost-bridge"].axes for t in ax.texts}
    for figure in drawn.values():
        pyplot.close(figure)
    for line in shown:
        figure_text = money(abs(line.annual), run.currency)
        assert figure_text in table
        assert any(text.lstrip("+-") == figure_text for text in bars), (figure_text, bars)


def test_fewer_managers_widen_the_span(folders: dict[str, Path]) -> None:
    folder = folders["ecommerce-2026"]
    assert "fewer managers" in _titles(folder, _summary(folder))["2-pyramid"]


# ------------------------------------------------------------------ helpers


def test_span_of_control_counts_the_reports_of_a_removed_layer_one_level_up() -> None:
    # one unit: ICs 800, managers 100, a removed layer (0), directors 10; another
    # unit: ICs 90, managers 10, senior managers 2
    units = [np.array([800.0, 100.0, 0.0, 10.0]), np.array([90.0, 10.0, 2.0])]
    assert spans(units, 4) == pytest.approx([None, 890 / 110, 5.0, 10.0])


def test_labels_are_spread_apart_and_kept_within_bounds() -> None:
    placed = spread([5.0, 5.1, 5.2], gap=1.0, low=0.0, high=6.0)
    assert placed == pytest.approx([4.0, 5.0, 6.0])
    assert spread([0.0], gap=1.0, low=0.5, high=2.0) == [0.5]


def test_money_reads_as_on_a_slide() -> None:
    assert money(65.6e9) == "$65.6B"
    assert money(-215.2e6) == "-$215M"
    assert money(58.0e9) == "$58B"
    assert tidy_number("$2.50B") == "$2.5B"
    assert tidy_number("100") == "100"


def _words_of(figure) -> list[str]:
    """Every text a chart writes but its axes' tick labels: titles, labels, legends."""
    figure.canvas.draw()  # the ticks' labels are made as the chart is drawn
    ticks = {
        id(label)
        for ax in figure.axes
        for axis in (ax.xaxis, ax.yaxis)
        for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]
        for label in (tick.label1, tick.label2)
    }
    return [
        t.get_text()
        for t in figure.findobj(lambda a: hasattr(a, "get_text"))
        if id(t) not in ticks and t.get_text()
    ]


#: a count written short ('350k', '-2.9k'); money ('$621k') is money's own style
SHORT_COUNT = re.compile(r"(?<![$€£¥\w.])[-+]?\d[\d.,]*k\b")


@pytest.mark.parametrize("name", ["ecommerce-2026", "cuts-only"])
def test_charts_write_people_as_the_headline_table_does(
    name: str, folders: dict[str, Path]
) -> None:
    """Issue 26: '350k' in some charts, '350,000' in others. Every count in a chart's
    words is written to three figures with separators, as the table writes it; only
    the axes' ticks are short."""
    for stem, figure in figures(folders[name]).items():
        short = [t for t in _words_of(figure) if SHORT_COUNT.search(t)]
        assert not short, (stem, short)
        matplotlib.pyplot.close(figure)


def test_a_sweeps_title_stays_on_the_slide_whatever_its_inputs_name() -> None:
    """plots/sweep.png's title ran off the slide ('... goes from 0% to'): every
    candidate named the input, and a long name never fitted."""
    from sim.report.charts import sweep as sweep_chart
    from sim.report.studysource import StudySource
    from sim.runs.bands import Band
    from sim.scenario.labels import Unit
    from sim.studies.sweep import SweepPoint, SweepSpec

    name = "Delayering / Client operations Senior manager: Moved down a layer"
    values = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    spec = SweepSpec(("x",), "x", values, (), label=name, unit=Unit.of("share"))
    points = [
        SweepPoint(
            v,
            {
                "npv": Band(70.7e6 - 41e6 * v, 70.7e6 - 41e6 * v, 71e6 - 41e6 * v, 70.7e6),
                "payback_month": Band(4.0, 5.0, 5.0, 5.0),
            },
        )
        for v in values
    ]
    with chart_style():
        figure = sweep_chart.draw(spec, points, StudySource("m", "m.yaml", "", 0, 1, "0", "USD"))
        figure.canvas.draw()
        title = next(t for t in figure.texts if t.get_gid() == "title")
        box = title.get_window_extent()
        assert box.x1 <= figure.bbox.width, title.get_text()
        assert title.get_text().startswith("Median NPV falls from $70.7M to $29.7M")
