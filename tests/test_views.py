"""The board's views of issue 26: the headcount bridge, NPV's histogram, a pyramid
that reads across a room, headcount and savings by unit and by layer, and spans and
layers before and after. Each is drawn from a real run's folder, and each title is
checked against the figures it states.
"""

from __future__ import annotations

import dataclasses
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from conftest import SMALL

from sim.report.charts import headcountbridge, npvhistogram, orgviews, pyramid, scurve, spanslayers
from sim.report.charts.data import (
    BASELINE,
    SCENARIO,
    LayerView,
    Run,
    Shape,
    layer_order,
    layer_views,
    shapes,
)
from sim.report.charts.scurve import npvs_of
from sim.report.charts.style import (
    TITLE_MIN_PT,
    chart_style,
    fitting_title,
    new_figure,
    renderer_of,
)
from sim.report.run import run_scenario
from sim.report.summaryfile import read_summary
from sim.report.text import money, probability
from sim.runs.bands import Band
from sim.runs.headcountbridge import (
    ALL,
    END,
    MOVES,
    REDEPLOYED,
    START,
    STEPS,
    HeadcountBridge,
    headcount_bridge,
    headcount_flows,
)
from sim.runs.numbers import significant
from sim.runs.orchestrator import run_monte_carlo
from sim.scenario.load import load_scenario
from tests.test_redeployment import replication

REPLICATIONS = 4


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    return run_monte_carlo(load_scenario(SMALL), REPLICATIONS, seed=7, workers=1, flow=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("views") / "run"
    run_scenario(
        load_scenario(SMALL),
        SMALL,
        out,
        replications=REPLICATIONS,
        workers=1,
        quiet=True,
        charts=False,
    )
    return out


def _title(figure) -> str:  # type: ignore[no-untyped-def]
    return next(t.get_text() for t in figure.texts if t.get_gid() == "title")


def _drawn(folder: Path, draw):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(), chart_style():
        warnings.simplefilter("error")
        return draw(Run.load(folder))


# ------------------------------------------------------------------ the headcount bridge


def test_each_replications_headcount_bridge_telescopes_exactly_to_its_end_headcount(
    results,  # type: ignore[no-untyped-def]
) -> None:
    assert len(results.headcount_flows) == REPLICATIONS
    for flows, headline in zip(results.headcount_flows, results.headlines, strict=True):
        for unit, steps in flows.items():
            moves = [steps[m] for m in MOVES if m in steps]
            assert steps[START] + sum(moves) == steps[END], unit  # whole people: exact
        whole = flows[ALL]
        assert whole[START] == headline["headcount_start"]
        assert whole[END] == headline["headcount_end"]
        assert -whole["cut"] == headline["roles_cut"]
        assert whole["cut"] < 0 and whole["attrition"] < 0 and whole["hires"] > 0
        assert whole["new_roles"] > 0  # the small scenario hires AI roles
        units = [u for u in flows if u != ALL]
        for step in (START, "cut", "attrition", "hires"):
            assert whole[step] == sum(flows[u][step] for u in units)


def test_the_bridges_means_telescope_and_survive_summary_json(folder: Path) -> None:
    summary = read_summary(json.loads((folder / "summary.json").read_text(encoding="utf-8")))
    bridge = summary.headcount_bridge
    assert bridge is not None
    means = {s: bridge.steps[s].mean for s in STEPS}
    assert means[START] + sum(means[m] for m in MOVES) == pytest.approx(means[END], abs=1e-9)
    assert means[END] == pytest.approx(summary.headline["headcount_end"].mean, abs=1e-9)
    assert means[START] == summary.headline["headcount_start"].mean
    for unit, steps in bridge.by_unit.items():
        moves = sum(steps[m].mean for m in MOVES if m in steps)
        assert steps[START].mean + moves == pytest.approx(steps[END].mean, abs=1e-9), unit


def test_the_people_cut_who_take_an_internal_role_are_a_step_of_the_bridge() -> None:
    placed = replication(1.0)
    flows = headcount_flows(placed)
    redeployed = float(placed.scenario.units[0].redeployed.sum())
    assert redeployed > 0
    for unit, steps in flows.items():
        assert steps[START] + sum(steps[m] for m in MOVES if m in steps) == steps[END], unit
    assert flows[ALL][REDEPLOYED] == redeployed
    assert headcount_flows(replication(0.0))[ALL][REDEPLOYED] == 0


def _bridge(
    start: float, cut: float, left: float, hires: float, roles: float, redeployed: float = 0
) -> HeadcountBridge:
    flows = {
        ALL: {
            START: start,
            "cut": -cut,
            REDEPLOYED: redeployed,
            "attrition": -left,
            "hires": hires,
            "new_roles": roles,
            END: start - cut + redeployed - left + hires + roles,
        }
    }
    made = headcount_bridge([flows], [])
    assert made is not None
    return made


def test_the_bridges_title_states_what_hires_did_against_cuts_and_leavers() -> None:
    short = _bridge(350_000, 30_000, 170_000, 150_000, 2_300)
    assert headcountbridge.titles(short)[0] == (
        "Mean headcount 350,000 → 302,000: hires replace 75% of the 30,000 cut and 170,000 leavers"
    )
    more = _bridge(350_000, 30_000, 160_000, 200_000, 0)
    assert headcountbridge.titles(more)[0] == (
        "Mean headcount 350,000 → 360,000: hires (200,000) outnumber the 30,000 cut and "
        "160,000 leavers"
    )
    moved = _bridge(350_000, 30_000, 160_000, 150_000, 0, redeployed=6_000)
    assert headcountbridge.titles(moved) == [
        "Mean headcount 350,000 → 316,000: hires and redeployment replace 82% of the 30,000 "
        "cut and 160,000 leavers",
        "Mean headcount 350,000 → 316,000: hires and redeployment replace 82% of cuts and leavers",
        "Mean headcount 350,000 → 316,000: 82% of cuts and leavers replaced",
    ]
    assert headcountbridge.titles(_bridge(1000, 0, 100, 0, 0), mean=False) == [
        "Headcount 1,000 → 900: 100 leavers, no one hired"
    ]


@pytest.mark.parametrize(
    "bridge",
    [
        _bridge(350_000, 30_044, 166_800, 201_900, 2_300, redeployed=6_010),  # ecommerce-2026
        _bridge(350_000, 30_044, 196_800, 151_900, 2_300, redeployed=6_010),
        _bridge(350_000, 0, 196_800, 151_900, 2_300),
    ],
)
def test_the_bridges_title_fits_the_slide_at_its_smallest_size(bridge: HeadcountBridge) -> None:
    with chart_style():
        figure = new_figure()
        chosen = fitting_title(figure, headcountbridge.titles(bridge))
        probe = figure.text(0, 0, chosen, fontsize=TITLE_MIN_PT, fontweight="bold")
        assert probe.get_window_extent(renderer_of(figure)).width <= 0.94 * figure.bbox.width
    assert chosen.startswith("Mean headcount 350,000 → ")


def test_the_bridge_chart_draws_the_runs_own_steps_under_a_true_title(folder: Path) -> None:
    figure = _drawn(folder, headcountbridge.draw)
    run = Run.load(folder)
    bridge = run.summary.headcount_bridge
    assert bridge is not None
    title = _title(figure)
    assert title in headcountbridge.titles(bridge)
    start, end = bridge.steps[START].mean, bridge.steps[END].mean
    assert title.startswith(f"Mean headcount {significant(start)} → {significant(end)}: ")
    # the table's figures: its Mean* column writes the end headcount the same way
    assert significant(run.headline("headcount_end").mean) in title
    hires, gone = (
        bridge.steps["hires"].mean + bridge.steps[REDEPLOYED].mean,
        -bridge.steps["cut"].mean - bridge.steps["attrition"].mean,
    )
    if hires < gone:
        assert f"replace {hires / gone:.0%}" in title
    labels = {t.get_text() for t in figure.axes[0].texts}
    for step in headcountbridge.bridge_steps(bridge):
        expected = (
            significant(step.value)
            if step.name in (START, END)
            else headcountbridge.signed(step.value)
        )
        assert expected in labels, step.name
    # the bars end where the steps say: the last one is the end headcount
    bars = figure.axes[0].patches
    assert bars[-1].get_height() == pytest.approx(end)


# ------------------------------------------------------------------ NPV's histogram


def test_the_npv_histogram_states_the_replications_own_statistics(folder: Path) -> None:
    run = Run.load(folder)
    npvs = npvs_of(run.replication_rows)
    figure = _drawn(folder, npvhistogram.draw)
    stats = npvhistogram.NpvStatistics.of(npvs)
    assert stats.count == REPLICATIONS
    assert stats.std == pytest.approx(float(np.std(npvs, ddof=1)))
    texts = "\n".join(t.get_text() for t in figure.texts)
    currency = run.currency
    assert f"P(NPV < 0)  {probability(float(np.mean(npvs < 0)))}" in texts
    assert f"Minimum  {money(float(npvs.min()), currency)}" in texts
    assert f"Maximum  {money(float(npvs.max()), currency)}" in texts
    band = run.headline("npv")
    marks = {t.get_text() for t in figure.axes[0].texts}
    for stat, name, _ in npvhistogram.MARKERS:
        assert f"{name} {money(getattr(band, stat), currency)}" in marks
    counts = [p.get_height() for p in figure.axes[0].patches]
    assert sum(counts) == REPLICATIONS  # every replication in one bin
    assert _title(figure) in npvhistogram.titles(band, stats, currency)
    assert f"Median NPV {money(band.p50, currency)}" in _title(figure)


def test_the_histograms_title_gives_the_chance_of_a_loss_only_when_there_is_one() -> None:
    band = Band(-1e6, 2e6, 5e6, 2e6)
    some = npvhistogram.NpvStatistics.of(np.array([-2e6, -1e6, 1e6, 2e6, 3e6, 4e6, 5e6, 6e6]))
    assert some.below_zero == 0.25
    assert npvhistogram.titles(band, some, "USD")[0] == (
        "Median NPV $2M, P10 -$1M to P90 $5M; 25% of replications lose money"
    )
    flat = npvhistogram.NpvStatistics.of(np.zeros(20))
    assert npvhistogram.titles(Band(0.0, 0.0, 0.0, 0.0), flat, "USD") == [
        "No spread: every replication's NPV is $0"
    ]
    status_quo = scurve.Curve("status-quo", "#000000", np.zeros(20))
    assert scurve._titles([status_quo], "USD") == ["No spread: every replication's NPV is $0"]
    none = npvhistogram.NpvStatistics.of(np.array([1e6, 2e6]))
    assert npvhistogram.titles(band, none, "USD")[-1].endswith("no replication loses money")
    assert math.isnan(npvhistogram.NpvStatistics.of(np.array([1e6])).std)


def _curve(label: str, npvs: list[float]) -> scurve.Curve:
    return scurve.Curve(label, "#000000", np.array(npvs))


def test_a_comparisons_s_curve_title_says_when_scenarios_tie() -> None:
    """Issue 26: three scenarios paid in every replication and the status quo in none,
    and the title read "cuts-only is the likeliest to pay: 100% against 100%, 100%,
    0%". Scenarios whose P(NPV > 0) reads the same tie, each named, and the others
    are named with their shares."""
    curves = [
        _curve("ecommerce-2026", [4e9, 5e9, 6e9]),
        _curve("ai-only", [1e9, 2e9, 3e9]),
        _curve("cuts-only", [7e9, 8e9, 9e9]),
        _curve("status-quo", [0.0, 0.0, 0.0]),
    ]
    titles = scurve._titles(curves, "USD")
    assert titles[0] == (
        "ecommerce-2026, ai-only and cuts-only tie as the likeliest to pay: P(NPV > 0) 100% "
        "each, against 0% for status-quo; cuts-only has the highest median NPV, $8B"
    )
    assert all("tie" in title for title in titles)  # every shorter candidate says it too
    assert not any("against 100%" in title for title in titles)


def test_a_comparisons_s_curve_title_names_the_one_likeliest_and_the_others() -> None:
    curves = [
        _curve("a", [-1e6, 1e6, 2e6, 3e6]),
        _curve("b", [-1e6, -2e6, 1e6, 2e6]),
        _curve("c", [1e6, 2e6, 3e6, 4e6]),
    ]
    assert scurve._titles(curves, "USD")[0] == (
        "c is the likeliest to pay: P(NPV > 0) 100% against 75% for a and 50% for b"
    )
    same = [_curve("a", [1e6, 2e6]), _curve("b", [3e6, 4e6])]
    assert scurve._titles(same, "USD")[0] == (
        "P(NPV > 0) is 100% for every scenario; b has the highest median NPV, $3.5M"
    )


# ------------------------------------------------------------------ the pyramid


def test_every_level_of_the_pyramid_has_a_bar_a_room_can_see(folder: Path) -> None:
    """A level of a dozen directors beside 840 ICs is a tenth of the panel, not a pixel:
    each level with people gets a bar at least 5% of its half's width, and the slide
    holds one name a level (no table of labels)."""
    figure = _drawn(folder, pyramid.draw)
    renderer = renderer_of(figure)
    run = Run.load(folder)
    for half in figure.axes:
        assert half.get_xscale() == "log"
        width = half.get_window_extent(renderer).width
        visible = [p.get_window_extent(renderer).width for p in half.patches if p.get_width() > 0]
        assert visible and min(visible) >= 0.05 * width
    levels = run.level_count
    names = [
        t
        for t in figure.texts
        if t.get_text().split("\n")[0] in {run.level_short_label(k) for k in range(levels)}
    ]
    assert len(names) == levels
    assert "removed" in " ".join(t.get_text() for t in names)  # the small plan removes a layer
    assert "layer removed" in _title(figure)


# ------------------------------------------------------------------ by unit and by layer


def test_the_layer_views_add_up_to_the_payroll_saved_and_the_bridges_units(folder: Path) -> None:
    run = Run.load(folder)
    views = layer_views(run)
    bridge = run.summary.headcount_bridge
    assert bridge is not None and views
    saved = run.run_rate(run.payroll(BASELINE) - run.payroll(SCENARIO))
    assert sum(v.payroll_saved_annual for v in views) == pytest.approx(saved, rel=1e-12)
    for unit, steps in bridge.by_unit.items():
        own = [v for v in views if v.unit == unit]
        assert sum(v.start for v in own) == steps[START].mean
        assert sum(v.end for v in own) == pytest.approx(steps[END].mean, rel=1e-12)
        assert [v.ic for v in own] == [False] * (len(own) - 1) + [True]
    status_quo = run.headline("status_quo_headcount_end").mean
    assert sum(v.status_quo_end for v in views) == pytest.approx(status_quo, rel=1e-12)


def _view(
    unit: str, layer: str, ic: bool, end: float, status_quo: float, saved: float
) -> LayerView:
    return LayerView(unit, layer, ic, status_quo, end, status_quo, saved)


def test_layers_named_alike_across_units_line_up_top_to_bottom() -> None:
    views = [
        _view("Retail", name, name == "IC", 1, 1, 0) for name in ("SVP", "VP", "Director", "IC")
    ] + [
        _view("Ops", name, name == "IC", 1, 1, 0)
        for name in ("SVP", "VP", "Senior director", "Director", "Team manager", "IC")
    ]
    assert layer_order(views) == ["SVP", "VP", "Senior director", "Director", "Team manager", "IC"]


def test_the_unit_and_layer_titles_name_what_saves_most_with_its_true_share() -> None:
    views = [
        _view("Retail", "Manager", False, 80, 100, 30e6),
        _view("Retail", "IC", True, 900, 900, 10e6),
        _view("Cloud", "Manager", False, 45, 50, 15e6),
        _view("Cloud", "IC", True, 460, 450, -5e6),
    ]
    units = orgviews.unit_rows(views)
    assert orgviews.unit_titles(units, "USD") == [
        "Retail saves the most: $40M a year, 80% of the payroll saved, with 20 fewer people",
        "Retail saves the most: $40M a year (80%), with 20 fewer people",
        "Retail saves the most: $40M a year, 80% of the payroll saved",
    ]
    (cloud,) = orgviews.unit_rows([v for v in views if v.unit == "Cloud"])
    assert orgviews.unit_titles([cloud], "USD") == [
        "Cloud saves $10M a year, with 5 more people",
        "Cloud saves $10M a year",
    ]  # one unit: no 'the most'; 5 fewer managers and 10 more ICs
    assert orgviews.unit_titles([orgviews.unit_rows(views[:2])[0]], "USD")[0] == (
        "Retail saves $40M a year, with 20 fewer people"
    )
    same = orgviews.unit_rows([_view("Ops", "IC", True, 100, 100.3, 1e6)])
    assert orgviews.unit_titles(same, "USD")[0] == (
        "Ops saves $1M a year, with as many people as the status quo"
    )
    # managers: 150 of 1,500 people in the status quo, $45M of the $50M saved
    assert orgviews.layer_titles(views, "USD")[0] == (
        "Managers are 10% of the people but 90% of the payroll saved; the Managers save "
        "most, $45M a year"
    )
    rows = orgviews.layer_rows(views)
    assert [r.name for r in rows] == ["Manager", "IC"]
    assert rows[0].people[orgviews.MANAGERS] == -25 and rows[1].people[orgviews.ICS] == 10


def test_the_unit_and_layer_charts_carry_their_titles_and_every_rows_total(folder: Path) -> None:
    run = Run.load(folder)
    views = layer_views(run)
    for draw, rows, titles in (
        (orgviews.draw_units, orgviews.unit_rows(views), orgviews.unit_titles),
        (orgviews.draw_layers, orgviews.layer_rows(views), None),
    ):
        figure = _drawn(folder, draw)
        expected = (
            titles(rows, run.currency) if titles else orgviews.layer_titles(views, run.currency)
        )
        assert _title(figure) in expected
        people, money_ax = figure.axes
        assert [t.get_text() for t in people.get_yticklabels()] == [r.name for r in rows]
        written = {t.get_text() for t in money_ax.texts}
        for row in rows:
            assert money(row.saved_total, run.currency) in written


# ------------------------------------------------------------------ spans and layers


def test_spans_and_layers_are_counted_from_the_layers_people(folder: Path) -> None:
    run = Run.load(folder)
    views = layer_views(run)
    whole, *units = shapes(run)
    assert [u.name for u in units] == list(dict.fromkeys(v.unit for v in views))
    (operations,) = units  # the small scenario has one unit of four layers; a wave removes one
    assert (operations.layers_before, operations.layers_after) == (4, 3)
    ends = [v.end for v in views if v.end >= 0.5]
    managers = sum(v.end for v in views if not v.ic and v.end >= 0.5)
    assert operations.span_after == pytest.approx((sum(ends) - ends[0]) / managers)
    assert whole.span_after == pytest.approx(operations.span_after)
    figure = _drawn(folder, spanslayers.draw)
    assert _title(figure) in spanslayers.titles([whole, *units])
    assert _title(figure).startswith("Spans widen ")
    assert f"{whole.span_before:.1f}" in _title(figure)
    assert f"{whole.span_after:.1f} direct reports per manager" in _title(figure) or (
        f"{whole.span_after:.1f} reports per manager" in _title(figure)
    )


def test_the_spans_title_counts_the_units_that_lose_a_layer() -> None:
    whole = Shape("Whole organisation", 8, 7, 6.0, 7.5)
    units = [Shape("A", 7, 6, 6.0, 7.0), Shape("B", 8, 7, 6.0, 8.0), Shape("C", 6, 6, 6.0, 6.0)]
    assert spanslayers.titles([whole, *units]) == [
        "Spans widen from 6.0 to 7.5 direct reports per manager; 2 of 3 units lose a layer",
        "Spans widen 6.0 → 7.5 reports per manager; 2 of 3 units lose a layer",
        "Spans widen from 6.0 to 7.5 direct reports per manager",
    ]
    same = Shape("Whole organisation", 6, 6, 6.0, 6.02)
    assert spanslayers.titles([same, units[2]])[0] == (
        "Spans stay at 6.0 direct reports per manager; no unit changes its layers"
    )


# ------------------------------------------------------------------ labels as a deck reads them


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [(999.6e6, "USD", "$1B"), (999.4e6, "USD", "$999M"), (-999.97e9, "USD", "-$1T")],
)
def test_money_that_rounds_up_to_the_next_scale_is_written_in_it(
    value: float, currency: str, shown: str
) -> None:
    assert money(value, currency) == shown  # the by-unit chart wrote '$1000M'


def test_a_layer_that_changes_by_less_than_half_a_person_reads_0_not_minus_0() -> None:
    assert orgviews.label_of(-0.3, "people", "USD") == "0"
    assert orgviews.label_of(-3.0, "people", "USD") == "-3"
    assert orgviews.label_of(2_300.0, "people", "USD") == "+2,300"


@pytest.mark.parametrize(
    "draw",
    [
        headcountbridge.draw,
        npvhistogram.draw,
        pyramid.draw,
        orgviews.draw_units,
        orgviews.draw_layers,
        spanslayers.draw,
    ],
)
def test_every_views_title_subtitle_and_source_stay_on_the_slide(folder: Path, draw) -> None:  # type: ignore[no-untyped-def]
    figure = _drawn(folder, draw)
    renderer = renderer_of(figure)
    for text in figure.texts:
        if text.get_gid() in ("title", "subtitle") or text.get_text().startswith("Source:"):
            box = text.get_window_extent(renderer)
            assert box.x0 >= 0 and box.x1 <= figure.bbox.width, text.get_text()


def test_summary_json_holds_the_layers_and_spans_the_charts_draw(folder: Path) -> None:
    """Issue 26: the by-unit, by-layer and spans-and-layers charts drew figures that
    summary.json did not hold. It now holds them (``layers``, ``shapes``); the charts
    draw them, and they are what the bridge and cashflows.csv give (a folder from
    before them is drawn that way)."""
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    run = Run.load(folder)
    assert [dataclasses.asdict(v) for v in layer_views(run)] == data["layers"]
    assert [dataclasses.asdict(s) for s in shapes(run)] == data["shapes"]
    assert data["shapes"][0]["name"] == "Whole organisation"
    older = dataclasses.replace(run, summary=dataclasses.replace(run.summary, layers=(), shapes=()))
    for kept, derived in zip(layer_views(run), layer_views(older), strict=True):
        assert (kept.unit, kept.layer, kept.start, kept.end) == (
            derived.unit,
            derived.layer,
            derived.start,
            derived.end,
        )
        assert kept.payroll_saved_annual == pytest.approx(derived.payroll_saved_annual, abs=1.0)
    for kept, derived in zip(shapes(run), shapes(older), strict=True):
        assert (kept.name, kept.layers_before, kept.layers_after) == (
            derived.name,
            derived.layers_before,
            derived.layers_after,
        )
        assert kept.span_after == pytest.approx(derived.span_after)
    rows = orgviews.unit_rows(list(run.summary.layers))
    with chart_style():
        drawn = orgviews.draw_units(run)
    assert _title(drawn) in orgviews.unit_titles(rows, run.currency)
