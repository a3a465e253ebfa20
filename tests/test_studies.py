"""The studies, through the command line: ``compare``, ``sensitivity`` and ``sweep``.

Each runs its settings on common random numbers, so the tests can ask for exact
answers: a scenario compared with itself differs by exactly zero, a value the
model ignores sweeps to an exactly flat line, and an input built to dominate
tops the tornado. Scenarios are small (12 months, the lowest fidelity, two
replications, one worker) and every command runs with warnings as errors, so a
chart that warns fails its test.
"""

from __future__ import annotations

import json
import re
import textwrap
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FAST, SMALL, check_pngs, csv_rows

from sim.cli import main
from sim.report.charts import adoption
from sim.report.charts.data import Run
from sim.report.charts.style import chart_style
from sim.report.run import run_scenario
from sim.report.summaryfile import read_summary
from sim.scenario.load import load_scenario

#: one unit; the manager cut is the only wide distribution (0 to 2,000 managers at
#: $400k each), every other input is narrow; every number is illustrative
DOMINANT = """
meta:
  name: one-dominant-input
  start: 2026-01
  horizon_months: 12
  seed: 11
  replications: 2
  fidelity_items: 1000

org:
  attrition_annual: pert(0.115, 0.12, 0.125)
  backfill: {share: 0.9, lag_weeks: 10, cost_per_hire: 15000}
  units:
    - name: Operations
      layers:
        - {name: Director, headcount: 40, cost_per_head_annual: 320000, review_share: 0.2}
        - {name: Manager, headcount: 2500, cost_per_head_annual: 400000, review_share: 0.35}
        # review_share is ignored for ICs: sweeping it must change nothing
        - {name: IC, headcount: 20000, cost_per_head_annual: 130000, review_share: 0.25}

work:
  - arrivals_per_ic_per_week: 3.0
    effort_hours: lognormal(8, 5)
    signoff_shares: [0.1]

restructuring:
  waves:
    - name: Manager cut
      date: 2026-02-01
      one_time_costs: 1000000
      cuts:
        - unit: Operations
          layer: Manager
          count: uniform(0, 2000)
  survivor_effects:
    productivity_dip: pert(0.045, 0.05, 0.055)
    dip_months: 3

ai:
  programs:
    - name: Assistant
      start: 2026-03
      one_time_cost: 100000
      running_cost: {per_seat_per_month: 30}
      adoption: {ceiling: 0.6, midpoint_months: 3}
      effects:
        ic_productivity_uplift: pert(0.14, 0.15, 0.16)
"""

#: two AI programmes for everyone: 0.7 + 0.6 seats per head, more than one a person
OVERLAPPING_PROGRAMMES = """
meta: {name: overlapping-programmes, start: 2026-01, horizon_months: 12, seed: 3,
       fidelity_items: 1000}

org:
  attrition_annual: 0.12
  units:
    - name: Operations
      layers:
        - {name: Manager, headcount: 30, cost_per_head_annual: 180000}
        - {name: IC, headcount: 200, cost_per_head_annual: 130000}

work:
  - arrivals_per_ic_per_week: 3.0
    effort_hours: lognormal(8, 5)
    signoff_shares: [0.5]

ai:
  programs:
    - name: Assistant
      start: 2026-01
      running_cost: {per_seat_per_month: 30}
      adoption: {ceiling: 0.7, midpoint_months: 2}
    - name: Agents
      start: 2026-01
      running_cost: {per_seat_per_month: 50}
      adoption: {ceiling: 0.6, midpoint_months: 2}
"""

CUT_COUNT = "restructuring.waves[0].cuts[0].count"
IC_REVIEW_SHARE = "org.units[0].layers[2].review_share"
ONE_TIME_COSTS = "restructuring.waves[0].one_time_costs"
#: the options every simulating command takes, the fast way
STATS = ("p10", "p50", "p90", "mean")
COMPARE_CHARTS = (
    "compare-1-cumulative-net-cash",
    "compare-2-headcount",
    "compare-3-throughput",
    "compare-4-npv",
    "compare-5-npv-curve",
)


def _invoke(*args: str | Path) -> Result:
    """The command, in process, with any warning an error (a chart that warns fails)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return CliRunner().invoke(main, [str(a) for a in args])


def _ok(result: Result) -> None:
    assert result.exit_code == 0, (result.stderr, result.exception)


_check_pngs = check_pngs
_rows = csv_rows


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenarios") / "one-dominant-input.yaml"
    path.write_text(textwrap.dedent(DOMINANT), encoding="utf-8")
    return path


# ------------------------------------------------------------------ compare


@pytest.fixture(scope="module")
def self_comparison(scenario_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "itself"
    _ok(_invoke("compare", scenario_file, scenario_file, "-o", out, "--format", "png,svg", *FAST))
    return out


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(self_comparison: Path) -> None:
    data = json.loads((self_comparison / "comparison.json").read_text(encoding="utf-8"))
    first, second = data["scenarios"]
    assert first["headline"] == second["headline"]
    assert second["difference_vs_first"]["npv"] == dict.fromkeys(STATS, 0.0)
    for name, band in second["difference_vs_first"].items():
        assert all(v in (0.0, None) for v in band.values()), name
    rows = _rows(self_comparison / "comparison.csv")
    assert len(rows) == 2
    assert [rows[1][f"npv_difference_vs_first_{s}"] for s in STATS] == ["0.0"] * 4


def test_the_work_done_title_names_the_scenario_the_table_puts_on_top(
    self_comparison: Path,
) -> None:
    """The audit: the title named ecommerce-ai-attrition as doing the most work (by the
    horizon's average month) while the line labels put ecommerce-2026 on top, and the
    table's "Work done vs status quo" said a third thing. The title now quotes the table."""
    import dataclasses

    from sim.report.charts.compare import Compared, _work_titles, comparison_figures
    from sim.report.studies import compare_runs
    from sim.report.text import comparison_rows
    from sim.runs.bands import Band

    comparison = compare_runs(sorted((self_comparison / "runs").iterdir()))
    first, second = comparison.runs
    more = {**second.summary.headline, "throughput_change": Band(0.01, 0.02, 0.03, 0.021)}
    summary = dataclasses.replace(second.summary, headline=more)
    runs = [first, dataclasses.replace(second, summary=summary)]
    changed = dataclasses.replace(comparison, runs=runs)
    compared = Compared.of(changed)
    title = _work_titles(compared)[0]
    top = compared.lines[1].label
    row = next(r for r in comparison_rows(changed) if r[0].startswith("Work done"))
    assert title.startswith(f"{top} does the most work: mean +2.1% against its status quo")
    assert row[2].startswith("+2.1%")
    # two lines: their bands are shaded, and the legend's swatch is a band's colour
    figure = comparison_figures(compared)["compare-3-throughput"]
    assert "P10-P90 shaded" in figure.texts[1].get_text()
    # issue 26: a --no-flow comparison read "About the same work done in every
    # scenario" over an empty chart; the title says what is true: nothing was simulated
    unsimulated = {**second.summary.headline, "throughput_change": Band(None, None, None, None)}
    blank = [dataclasses.replace(r.summary, headline=unsimulated) for r in comparison.runs]
    runs = [dataclasses.replace(r, summary=s) for r, s in zip(comparison.runs, blank, strict=True)]
    none = Compared.of(dataclasses.replace(comparison, runs=runs))
    assert _work_titles(none) == [
        "Work done not simulated: these runs are money and headcount only"
    ]
    one = Compared.of(dataclasses.replace(changed, runs=[runs[0], changed.runs[1]]))
    assert _work_titles(one)[0] == (
        f"Only {top} simulated the work flow: mean +2.1% work done against its status quo"
    )


def test_the_comparisons_uncertainty_note_is_each_scenarios_own(self_comparison: Path) -> None:
    """The audit: a note true of the first scenario ("paid back in 3 of 3 replications",
    its standard error) read as if it held for all."""
    import dataclasses

    from sim.report.board import comparison_board
    from sim.report.studies import compare_runs

    comparison = compare_runs(sorted((self_comparison / "runs").iterdir()))
    first, second = comparison.runs
    never = dataclasses.replace(
        second.summary,
        scenario=dataclasses.replace(second.summary.scenario, name="later"),
        paid_back_within_horizon={**second.summary.paid_back_within_horizon, "payback_month": 0},
    )
    runs = [first, dataclasses.replace(second, summary=never)]
    board = comparison_board(dataclasses.replace(comparison, runs=runs))
    count = first.summary.replications
    paid = first.summary.paid_back_within_horizon["payback_month"]
    assert f"{first.name} {paid} of {count}; later 0 of {count}" in board.uncertainty


def test_a_comparison_draws_four_slides_in_each_format(self_comparison: Path) -> None:
    charts = self_comparison / "charts"
    assert sorted(p.name for p in charts.iterdir()) == sorted(
        f"{stem}.{fmt}" for stem in COMPARE_CHARTS for fmt in ("png", "svg")
    )
    _check_pngs(sorted(charts.glob("*.png")))


def test_compare_takes_existing_run_folders_and_pairs_only_those_on_the_same_seed(
    scenario_file: Path, self_comparison: Path, tmp_path: Path
) -> None:
    earlier = self_comparison / "runs" / "1-one-dominant-input"
    other_seed = tmp_path / "other-seed"
    _ok(_invoke("run", scenario_file, "-o", other_seed, "--seed", "99", "--no-charts", *FAST))
    out = tmp_path / "mixed"
    result = _invoke("compare", earlier, scenario_file, other_seed, "-o", out, "--format", "png")
    _ok(result)
    data = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    folder, rerun, unpaired = data["scenarios"]
    assert folder["folder"] == str(earlier)
    assert rerun["difference_vs_first"]["npv"] == dict.fromkeys(STATS, 0.0)
    assert unpaired["seed"] == 99
    assert unpaired["difference_vs_first"] is None
    assert "not paired" in result.stdout
    _check_pngs([out / "charts" / f"{stem}.png" for stem in COMPARE_CHARTS])


def test_the_comparison_reads_each_headline_as_the_runs_own_table_does(
    self_comparison: Path,
) -> None:
    """Each cell starts with the run's own table's first column (the mean cash flow's
    figure); an IRR the run gives as a reason is a reason here too, never '>999%'
    beside a pack that says 'not meaningful'. The NPV difference is the mean, as the
    comparison chart draws it."""
    from sim.report.studies import compare_runs
    from sim.report.text import cfo_rows, comparison_rows, money

    folders = sorted((self_comparison / "runs").iterdir())
    comparison = compare_runs(folders)
    rows = {row[0].strip(): row[1:] for row in comparison_rows(comparison)}
    for i, folder in enumerate(folders):
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        for own in cfo_rows(read_summary(summary))[1:]:
            cell = rows[own[0].strip()][i]
            if len(own) == 2:  # a reading instead of figures: the IRR's reason and ROI
                reason, _, roi = own[1].partition("; ")
                assert cell == reason.split(":")[0] + (f"; {roi}" if roi else "")
                assert not roi or roi.startswith("ROI ")
            else:
                assert cell.startswith(own[1]), (own[0], cell)
    difference = comparison.differences[1]["npv"].mean
    assert rows[f"NPV vs {comparison.runs[0].name}"][1].startswith(money(difference))


def test_the_comparison_names_run_folders_that_exist(self_comparison: Path) -> None:
    data = json.loads((self_comparison / "comparison.json").read_text(encoding="utf-8"))
    for scenario in data["scenarios"]:
        assert Path(scenario["folder"]).is_dir(), scenario["folder"]


def test_scenarios_on_different_calendars_share_one_axis_of_months(
    scenario_file: Path, tmp_path: Path
) -> None:
    # three months earlier: one scenario starts first, the other ends last
    earlier = tmp_path / "earlier.yaml"
    text = scenario_file.read_text(encoding="utf-8")
    earlier.write_text(text.replace("start: 2026-01", "start: 2025-10"), encoding="utf-8")
    out = tmp_path / "calendars"
    _ok(_invoke("compare", scenario_file, earlier, "-o", out, "--format", "png", *FAST))
    _check_pngs([out / "charts" / f"{stem}.png" for stem in COMPARE_CHARTS])


# ------------------------------------------------------------------ sensitivity


@pytest.fixture(scope="module")
def tornado(scenario_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sensitivity") / "tornado"
    _ok(_invoke("sensitivity", scenario_file, "-o", out, "--format", "png", "--seed", "5", *FAST))
    return out


def test_the_input_built_to_dominate_tops_the_tornado(tornado: Path) -> None:
    rows = _rows(tornado / "sensitivity.csv")
    assert rows[0]["path"] == CUT_COUNT
    assert rows[0]["input"] == "Manager cut / Operations Manager: Cut (people)"
    swings = [float(row["npv_swing"]) for row in rows]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > 10 * swings[1]
    # more managers cut, more saved
    assert float(rows[0]["npv_high"]) > float(rows[0]["npv_low"])
    assert (rows[0]["low_at"], rows[0]["high_at"], rows[0]["kind"]) == ("P10", "P90", "uncertain")


def test_the_tornado_names_its_seed_and_replications_and_draws_two_slides(tornado: Path) -> None:
    data = json.loads((tornado / "sensitivity.json").read_text(encoding="utf-8"))
    assert (data["source"]["seed"], data["source"]["replications"]) == (5, 2)
    charts = sorted(p.name for p in (tornado / "charts").iterdir())
    assert charts == ["spider.png", "tornado.png"]
    _check_pngs([tornado / "charts" / name for name in charts])


# ------------------------------------------------------------------ sweep


def _sweep(scenario_file: Path, out: Path, spec: str, *options: str) -> list[dict[str, str]]:
    _ok(_invoke("sweep", scenario_file, "--set", spec, "-o", out, "--format", "png", *options))
    _check_pngs([out / "charts" / "sweep.png"])
    return _rows(out / "sweep.csv")


def test_sweeping_a_value_the_model_ignores_draws_an_exactly_flat_line(
    scenario_file: Path, tmp_path: Path
) -> None:
    rows = _sweep(scenario_file, tmp_path / "flat", f"{IC_REVIEW_SHARE}=0.1:0.9:3", *FAST)
    assert [float(row["value"]) for row in rows] == [0.1, 0.5, 0.9]
    assert {row["path"] for row in rows} == {IC_REVIEW_SHARE}
    results = [{k: v for k, v in row.items() if k != "value"} for row in rows]
    assert results[0] == results[1] == results[2]


def test_sweeping_the_one_time_costs_lowers_the_npv_step_by_step(
    scenario_file: Path, tmp_path: Path
) -> None:
    # $2B is more than a year of the savings: the last point never pays back
    rows = _sweep(scenario_file, tmp_path / "costs", f"{ONE_TIME_COSTS}=0:2e9:3", *FAST)
    npv = [float(row["npv_mean"]) for row in rows]
    assert npv[0] > npv[1] > npv[2]
    assert rows[0]["payback_month_p50"] != ""
    assert rows[-1]["payback_month_p50"] == ""  # not within the horizon


def test_the_sweep_runs_on_the_seed_it_is_given(scenario_file: Path, tmp_path: Path) -> None:
    spec = f"{ONE_TIME_COSTS}=0:1e6:2"
    seeded = [_sweep(scenario_file, tmp_path / seed, spec, "--seed", seed, *FAST) for seed in "12"]
    assert seeded[0] != seeded[1]


# ------------------------------------------------------------------ bad --set


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # a typo: the nearest valid path is offered
        ("org.untis[0].layers[2].review_share=0:1:3", "nearby: org.units[0].layers"),
        # an index beyond the list
        ("org.units[5].layers[2].review_share=0:1:3", "nearby: org.units[0].layers"),
        # a field that is not a number
        ("org.units[0].name=0:1:3", "is not a quantity a study can vary in this scenario"),
        ("org.attrition_annual=0.1-0.2", "expected PATH=START:STOP:STEPS"),
        ("org.attrition_annual=a:b:3", "START and STOP must be numbers"),
        ("org.attrition_annual=0.1:0.2:1", "STEPS must be at least 2, got 1"),
        ("ai.programs[0].adoption.ceiling=0.5:1.5:3", "ceiling=1.5: must be <= 1, got 1.5"),
    ],
)
def test_a_bad_sweep_is_exit_2_with_one_clear_error(
    scenario_file: Path, tmp_path: Path, spec: str, expected: str
) -> None:
    out = tmp_path / "out"
    result = _invoke("sweep", scenario_file, "--set", spec, "-o", out)
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert expected in errors[0]
    assert not out.exists()


def test_a_bad_sweep_path_is_one_line_on_stderr(scenario_file: Path, tmp_path: Path) -> None:
    result = _invoke("sweep", scenario_file, "--set", "org.untis[0].name=0:1:3", "-o", tmp_path)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_infinite_sweep_bound_is_named_in_the_error(scenario_file: Path, tmp_path: Path) -> None:
    result = _invoke("sweep", scenario_file, "--set", "org.attrition_annual=0.1:inf:2")
    assert result.exit_code == 2
    assert "inf" in result.stderr


# ------------------------------------------------------------------ shared options


@pytest.mark.parametrize(
    "command",
    [
        ("compare", "{f}", "{f}"),
        ("sensitivity", "{f}"),
        ("sweep", "{f}", "--set", f"{ONE_TIME_COSTS}=0:1:2"),
    ],
    ids=lambda c: c[0],
)
def test_every_study_takes_the_simulation_options(
    command: tuple[str, ...], scenario_file: Path, tmp_path: Path
) -> None:
    help_text = _invoke(command[0], "--help").output
    for option in ("--replications", "-n", "--seed", "--workers", "--scheduler", "--quiet"):
        assert option in help_text
    # the scheduler reaches the simulation: a malformed address is one line, exit 2
    args = [a.format(f=scenario_file) for a in command]
    out = tmp_path / "out"
    result = _invoke(*args, "-o", out, "--scheduler", "http://localhost:8786", *FAST)
    assert result.exit_code == 2
    assert "not a Dask scheduler address" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()


# ------------------------------------------------------------------ AI adoption labels


def test_overlapping_ai_programmes_are_counted_in_seats_per_head_not_as_a_share_of_staff(
    tmp_path: Path,
) -> None:
    path = tmp_path / "overlapping.yaml"
    path.write_text(textwrap.dedent(OVERLAPPING_PROGRAMMES), encoding="utf-8")
    folder = tmp_path / "run"
    run_scenario(
        load_scenario(path), path, folder, replications=1, workers=1, quiet=True, charts=False
    )
    with warnings.catch_warnings(), chart_style():
        warnings.simplefilter("error")
        figure = adoption.draw(Run.load(folder))
        figure.canvas.draw()
    title = next(t.get_text() for t in figure.texts if t.get_gid() == "title")
    panel = figure.axes[0]
    legend = [t.get_text() for t in panel.get_legend().get_texts()]
    ticks = [t.get_text() for t in panel.get_yticklabels()]
    assert "% of staff" not in title
    assert legend[0].startswith("All programmes:") and "per head" in legend[0]
    assert "Share" not in panel.get_ylabel()
    assert not any("%" in tick for tick in ticks)
    # more than one seat per head: no share of people could be this high
    per_head = float(legend[0].split(", ")[-1].split(" per head")[0])
    assert per_head > 1


# ------------------------------------------------------------------ tornado on fixed inputs

#: a path in words, never as the machine writes it: dots between names, indices, underscores
FIELD_PATH = re.compile(r"[A-Za-z]\.[a-z]|\[\d+\]|[a-z]_[a-z]")


@pytest.fixture(scope="module")
def fixed_file(scenario_file: Path) -> Path:
    """The dominant scenario with every input written as a number: its base is itself."""
    text = scenario_file.read_text(encoding="utf-8")
    text = re.sub(r"pert\(([\d.]+), ([\d.]+), ([\d.]+)\)", r"\2", text)
    text = text.replace("uniform(0, 2000)", "1000")
    path = scenario_file.parent / "all-fixed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fixed_tornado(fixed_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("fixed") / "tornado"
    result = _invoke(
        "sensitivity",
        fixed_file,
        "--vary",
        f"{CUT_COUNT}=-20%:+20%",
        "--vary",
        "meta.discount_rate_annual=0.06:0.10",
        "-o",
        out,
        "--format",
        "png",
        *FAST,
    )
    _ok(result)
    return out, result.stdout


def test_a_fixed_inputs_swing_equals_running_the_scenario_at_its_low_and_high_values(
    fixed_file: Path, fixed_tornado: tuple[Path, str], tmp_path: Path
) -> None:
    data = json.loads((fixed_tornado[0] / "sensitivity.json").read_text(encoding="utf-8"))
    cut = next(i for i in data["inputs"] if i["path"] == CUT_COUNT)
    assert (cut["kind"], cut["low"]["value"], cut["high"]["value"]) == ("fixed", 800, 1200)
    assert (cut["low"]["at"], cut["high"]["at"]) == ("-20%", "+20%")
    text = fixed_file.read_text(encoding="utf-8")
    for end, count in (("low", 800), ("high", 1200)):
        edited = tmp_path / f"{end}.yaml"
        edited.write_text(text.replace("count: 1000", f"count: {count}"), encoding="utf-8")
        # a full run, work flow and all: the tornado skipped the flow, the money is the same
        _ok(_invoke("run", edited, "-o", tmp_path / end, "--no-charts", *FAST))
        summary = json.loads((tmp_path / end / "summary.json").read_text(encoding="utf-8"))
        assert cut[end]["npv"] == summary["headline"]["npv"]["mean"]
        assert cut[end]["payback_month"] == summary["headline"]["payback_month"]["p50"]
    assert cut["npv_swing"] == abs(cut["high"]["npv"] - cut["low"]["npv"])
    assert cut["high"]["npv"] > cut["low"]["npv"]  # more managers cut, more saved
    rate = next(i for i in data["inputs"] if i["path"] == "meta.discount_rate_annual")
    assert rate["low"]["npv"] > rate["high"]["npv"]  # a higher rate discounts the savings more


def test_a_scenario_without_distributions_gets_a_tornado_of_the_inputs_named(
    fixed_tornado: tuple[Path, str],
) -> None:
    rows = _rows(fixed_tornado[0] / "sensitivity.csv")
    assert [row["kind"] for row in rows] == ["fixed", "fixed"]
    _check_pngs(sorted((fixed_tornado[0] / "charts").glob("*.png")))


def test_the_tornado_and_sweep_show_labels_never_field_paths(
    tornado: Path, fixed_tornado: tuple[Path, str], scenario_file: Path, tmp_path: Path
) -> None:
    from matplotlib.text import Text

    from sim.report.charts import spider, sweep
    from sim.report.charts import tornado as tornado_chart
    from sim.report.studies import sweep_of, tornado_of
    from sim.report.studysource import StudySource

    out = tmp_path / "sweep"
    result = _invoke("sweep", scenario_file, "--set", f"{ONE_TIME_COSTS}=0:2e6:3", "-o", out, *FAST)
    _ok(result)
    printed = [fixed_tornado[1], result.stdout]
    for folder, name in ((tornado, "sensitivity.json"), (fixed_tornado[0], "sensitivity.json")):
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        assert all(not FIELD_PATH.search(i["input"]) for i in data["inputs"])
        assert all(FIELD_PATH.search(i["path"]) for i in data["inputs"])  # kept, as data
        figures = [
            tornado_chart.draw(tornado_of(data), StudySource.in_study(data)),
            spider.draw(tornado_of(data), StudySource.in_study(data)),
        ]
    data = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    assert data["input"] == "Manager cut: One-time costs" and data["path"] == ONE_TIME_COSTS
    figures.append(sweep.draw(*sweep_of(data), StudySource.in_study(data)))
    rows = _rows(out / "sweep.csv")
    assert {row["input"] for row in rows} == {"Manager cut: One-time costs"}
    with chart_style():
        for figure in figures:
            texts = [t.get_text() for t in figure.findobj(Text)]
            shown = [t for t in texts if not t.startswith("Source:")]
            assert not [t for t in shown if FIELD_PATH.search(t)], shown
    for text in printed:
        assert not [line for line in text.splitlines()[:-1] if FIELD_PATH.search(line)], text


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (f"{CUT_COUNT}=-20%", "expected PATH=LOW:HIGH"),
        (f"{CUT_COUNT}=a:+20%", "is neither a number nor a change"),
        (f"{CUT_COUNT}=5:5", "LOW and HIGH must differ"),
        ("org.untis[0].attrition_annual=0.1:0.2", "nearby:"),
        ("ai.programs[0].adoption.ceiling=0.5:1.5", "must be <= 1"),
    ],
)
def test_a_bad_vary_is_exit_2_with_one_clear_error(
    scenario_file: Path, tmp_path: Path, spec: str, expected: str
) -> None:
    out = tmp_path / "out"
    result = _invoke("sensitivity", scenario_file, "--vary", spec, "-o", out)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr
    assert not out.exists()


def test_the_sensitivity_help_shows_how_to_vary_a_fixed_input() -> None:
    text = _invoke("sensitivity", "--help").output
    assert "--vary" in text and "-20%:+20%" in text and "0.06:0.10" in text


def test_a_charts_title_names_the_input_with_its_context_but_not_its_unit() -> None:
    from sim.report.charts.study import title_tails
    from sim.scenario.labels import Unit

    money, rate, people, share = (Unit.of(w) for w in ("money", "a year", "people", "share"))
    assert title_tails("Delayering: One-time costs", money)[0] == "Delayering: One-time costs"
    assert title_tails("Discount rate (% a year)", rate) == ["Discount rate"]
    assert title_tails("Manager cut / Operations Manager: Cut (people)", people) == [
        "Manager cut / Operations Manager: Cut",
        "Operations Manager: Cut",
        "Cut",
    ]
    # a bracket of the name, not its unit, stays: the label is not parsed for its unit
    assert title_tails("Leavers replaced (status quo)", share) == ["Leavers replaced (status quo)"]


def test_a_study_uses_the_scenarios_own_replications_and_says_how_many(
    scenario_file: Path, tmp_path: Path
) -> None:
    spec = f"{ONE_TIME_COSTS}=0:1000000:2"
    result = _invoke(
        "sweep",
        scenario_file,
        "--set",
        spec,
        "-o",
        tmp_path / "s",
        "--no-charts",
        "--workers",
        "1",
        "--quiet",
    )
    _ok(result)
    assert "2 replications for each point (the scenario's meta.replications), seed" in (
        result.output
    )
    told = _invoke(
        "sweep", scenario_file, "--set", spec, "-o", tmp_path / "t", "--no-charts", *FAST
    )
    _ok(told)
    assert "2 replications for each point (-n), seed" in told.output


# --- compare values every scenario at one date over one window (issue 27) ------------


def test_compare_values_variants_of_different_dates_at_the_earliest_over_one_window(
    tmp_path: Path,
) -> None:
    text = SMALL.read_text(encoding="utf-8")
    # the wave moved to September: valued at 2026-04 (its AI spend) instead of 2026-03
    later = text.replace("date: 2026-03-01", "date: 2026-09-01", 1)
    # (the first values at its wave, 2026-03, to 2028-02; the second to 2028-03)
    a, b = tmp_path / "march.yaml", tmp_path / "september.yaml"
    a.write_text(text, encoding="utf-8")
    b.write_text(later, encoding="utf-8")
    out = tmp_path / "cmp"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(a),
            str(b),
            "-n",
            "2",
            "--workers",
            "1",
            "-q",
            "--no-charts",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "valued at one date: 2026-03-01 (the earliest valuation date of the scenarios), "
        "over 25 months to 2028-03"
    ) in result.output
    summaries = [json.loads(p.read_text()) for p in sorted(out.glob("runs/*/summary.json"))]
    assert len(summaries) == 2
    assert {s["valuation"]["date"] for s in summaries} == {"2026-03-01"}
    assert {s["last_month"] for s in summaries} == {"2028-03"}


def test_compare_refuses_a_date_before_a_scenario_starts_and_says_why(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(text, encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["compare", str(a), str(b), "--valuation-date", "2025-06-01", "-n", "2"]
    )
    assert result.exit_code == 2
    assert "a.yaml starts in 2026-01, after the common valuation date 2025-06-01" in (result.output)


def test_compare_refuses_run_folders_valued_at_different_dates_and_says_each(
    tmp_path: Path,
) -> None:
    # a run folder's figures are fixed at its own valuation date: they cannot be moved
    text = SMALL.read_text(encoding="utf-8")
    later = tmp_path / "september.yaml"
    later.write_text(text.replace("date: 2026-03-01", "date: 2026-09-01", 1), encoding="utf-8")
    fast = ["-n", "1", "--workers", "1", "-q", "--no-charts", "--no-flow"]
    for scenario, out in ((SMALL, "march"), (later, "september")):
        result = CliRunner().invoke(main, ["run", str(scenario), *fast, "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        main, ["compare", str(tmp_path / "march"), str(tmp_path / "september"), "-q"]
    )
    assert result.exit_code == 2
    assert "compare: the run folders are valued at different dates or windows (" in result.output
    assert "march: 2026-03-01 to 2028-02" in result.output
    assert "september: 2026-04-01 to 2028-03" in result.output
    assert "compare their scenario files instead" in result.output
