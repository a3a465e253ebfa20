"""`restructure optimize`: a closed-form optimum found, seeded runs identical, resumed
studies, the twin cache's figures identical to simulating the twin, and bad input and
infeasible studies as a user types them."""

from __future__ import annotations

import calendar
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOOD, SMALL, check_pngs, csv_rows

from sim.cli import main
from sim.report.optimize import JOURNAL, journal_beside
from sim.report.studyboard import study_board
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.plan import Pool, RunPlan
from sim.runs.twins import TwinCache
from sim.scenario.load import load_scenario
from sim.studies.decisions import (
    CHOICE,
    INT,
    MONTH,
    apply,
    parse_constraint,
    parse_decision,
    parse_objective,
    parse_statistic,
)
from sim.studies.optimize import Candidate, Optimisation, optimize

CUT = GOOD / "cut-against-payback.yaml"
SHARE = "restructuring.waves[0].cuts[0].share"
#: the fixture's closed form (its header): k >= 27.5 of 100 ICs, so 30% on a 5% grid
ANSWER = 0.30
STEP = 0.05
CUT_STUDY = (
    "optimize",
    str(CUT),
    "--decide",
    f"{SHARE}=0.05:0.5:{STEP}",
    "--objective",
    "min:roles_cut.mean",
    "--constraint",
    "payback_month.p50<=12",
    "--workers",
    "1",
    "--quiet",
)


def _payback(k: int) -> float | None:
    """The first month of 2026 by whose end k ICs' pay saved covers $3.3M (None: not in 24)."""
    days = 0
    for m in range(24):
        days += calendar.monthrange(2026 + m // 12, m % 12 + 1)[1]
        if k * 120_000 * days / 365 >= 3_300_000:
            return float(m + 1)
    return None


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_smallest_cut_that_pays_back_within_a_year_is_the_closed_form_share() -> None:
    scenario = load_scenario(CUT)
    result = optimize(
        scenario,
        [parse_decision(f"{SHARE}=0.05:0.5:{STEP}", scenario)],
        [parse_objective("min:roles_cut.mean")],
        [parse_constraint("payback_month.p50<=12")],
        RunPlan(1, 3),
        trials=20,
    )
    assert result.best is not None
    assert result.best.values[SHARE] == pytest.approx(ANSWER, abs=1e-12)
    # every candidate's payback is the closed form's (the fixture's header)
    by_share = {round(c.values[SHARE], 2): c for c in result.candidates}
    for share, c in by_share.items():
        k = round(share * 100)
        assert c.statistics["payback_month.p50"] == _payback(k)
        assert c.feasible == (k >= 27.5)
    assert result.twins_simulated == 1  # one replication seed: one twin for every candidate
    assert result.twins_reused >= 1


def test_optimize_command_writes_its_folder_and_a_best_yaml_the_loader_accepts(
    tmp_path: Path,
) -> None:
    out = tmp_path / "study"
    result = _invoke(*CUT_STUDY, "--trials", "12", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "chosen (trial" in result.output and f"{SHARE} = 0.3" in result.output
    rows = csv_rows(out / "trials.csv")
    assert rows[0]["trial"] == "as written" and len(rows) == 13
    assert [r["chosen"] for r in rows].count("true") == 1
    best = load_scenario(out / "best.yaml")
    assert best.restructuring.waves[0].cuts[0].share == pytest.approx(ANSWER)
    assert best.meta.name == "cut-against-payback-best"
    text = (out / "best.yaml").read_text(encoding="utf-8")
    assert "optimize chose from cut-against-payback.yaml" in text and "0.05:0.5:0.05" in text
    assert (out / JOURNAL).is_file() and not journal_beside(out).exists()
    check_pngs([out / "charts" / "convergence.png"])
    data = json.loads((out / "optimize.json").read_text(encoding="utf-8"))
    assert data["twin_cache"]["simulated"] == 1 and data["work_flow_simulated"] is False
    # issue 26: the pack opens with the answer, the chosen plan against the one as written
    chosen, as_written = study_board(out).answers
    best = next(c for c in data["candidates"] if c["trial"] == data["best"])
    roles = best["statistics"]["roles_cut.mean"]
    # issue 26: the tile names the objective's statistic; its figure is the reading
    assert chosen.heading == f"The plan chosen: trial {data['best']} of 12 (mean roles cut)"
    assert chosen.figure == f"{roles:,.4g}"
    label = data["decisions"][0]["label"]  # the decision in words and its unit, not '0.3'
    assert f"{label} 30%; meets every constraint" in chosen.detail
    board = study_board(out)  # no field path in what it says of the search
    assert SHARE not in board.method and "from 5% to 50% in steps of 5%" in board.method
    assert "subject to P50 payback month ≤ 12" in board.method
    more = roles - data["today"]["statistics"]["roles_cut.mean"]  # the smallest cut that pays
    assert more > 0 and chosen.detail.endswith(f"{more:,.3g} more than as written")
    assert as_written.heading == "The plan as written (mean roles cut)"


def test_seeded_optimisations_are_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = _invoke(*CUT_STUDY, "--trials", "8", "--no-charts", "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    for name in ("trials.csv", "best.yaml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_resumed_study_keeps_its_trials_and_runs_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "study"
    assert _invoke(*CUT_STUDY, "--trials", "4", "--no-charts", "-o", str(out)).exit_code == 0
    first = csv_rows(out / "trials.csv")
    result = _invoke(*CUT_STUDY, "--trials", "7", "--no-charts", "--resume", "-o", str(out))
    assert result.exit_code == 0, result.output
    again = csv_rows(out / "trials.csv")
    assert len(again) == 8 and again[:5] == [
        {**row, "chosen": again[i]["chosen"], "on_front": again[i]["on_front"]}
        for i, row in enumerate(first)
    ]
    other = _invoke(
        *CUT_STUDY[:-4], "payback_month.p50<=13", "--trials", "9", "--resume", "-o", str(out)
    )
    assert other.exit_code == 2 and "other decisions, objectives, constraints" in other.output


def test_an_interrupted_study_is_kept_beside_the_folder_for_resume(tmp_path: Path) -> None:
    out = tmp_path / "study"
    journal_beside(out).write_text("", encoding="utf-8")  # what a killed run leaves
    refused = _invoke(*CUT_STUDY, "--trials", "3", "-o", str(out))
    assert refused.exit_code == 2 and "--resume" in refused.output and not out.exists()
    resumed = _invoke(*CUT_STUDY, "--trials", "3", "--no-charts", "--resume", "-o", str(out))
    assert resumed.exit_code == 0, resumed.output
    assert len(csv_rows(out / "trials.csv")) == 4 and not journal_beside(out).exists()


def test_no_feasible_candidate_names_the_binding_constraint_and_writes_no_best(
    tmp_path: Path,
) -> None:
    out = tmp_path / "study"
    result = _invoke(
        *CUT_STUDY[:-5],
        "--constraint",
        "payback_month.p50<=3",  # the largest cut pays back in month 7
        "--constraint",
        "P(npv>0)>=0.5",
        "--workers",
        "1",
        "--quiet",
        "--trials",
        "6",
        "--no-charts",
        "-o",
        str(out),
    )
    assert result.exit_code == 1
    assert "no feasible candidate" in result.output
    assert "payback_month.p50<=3 binds most (met by 0 of 6)" in result.output
    assert (out / "trials.csv").is_file() and not (out / "best.yaml").exists()
    none, as_written = study_board(out).answers  # issue 26: the pack says so first
    assert none.question == "No plan meets every constraint" and none.figure == "none of 6 tried"
    assert none.detail == "P50 payback month ≤ 3 binds most: met by 0 of 6"
    assert as_written.detail.startswith("misses P50 payback month ≤ 3")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--decide",
            "restructuring.waves[0].cuts[0].shares=0.1:0.3",
            "restructuring.waves[0].cuts[0].shares is not a quantity a study can vary in this "
            "scenario; nearby: restructuring.waves[0].cuts[0].share",
        ),
        ("--decide", f"{SHARE}=0.3:0.1", "the range is empty: LOW (0.3) must be below HIGH"),
        ("--decide", f"{SHARE}=0.1:0.3:0", "STEP must be above 0"),
        ("--decide", f"{SHARE}=0.1:1.3", "must be <= 1"),
        ("--decide", "restructuring.waves[0].cuts[0].layer in {IC, Director}", "Director"),
        ("--decide", "restructuring.waves[0].cuts[0] in {on, maybe}", "maybe is neither"),
        ("--objective", "npv.p101", "a percentile is p1 to p99"),
        ("--objective", "headcount_end.mean", "say whether to maximise or minimise it"),
        ("--constraint", "payback_month.p80 less than 18", "expected STATISTIC<=VALUE"),
        ("--constraint", "P(npvv>0)>=0.9", "no headline 'npvv'; did you mean npv"),
        ("--constraint", "P(npv>0)>=90", "a probability is between 0 and 1"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    args = {
        "--decide": f"{SHARE}=0.05:0.5:0.05",
        "--objective": "min:roles_cut.mean",
        "--constraint": "payback_month.p50<=12",
    }
    args[option] = value
    out = tmp_path / "study"
    result = _invoke(
        "optimize", str(CUT), *(x for kv in args.items() for x in kv), "-q", "-o", str(out)
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.startswith(f"Error: {option}: ") and result.output.count("\n") == 1
    assert not out.exists() and not journal_beside(out).exists()


def test_decisions_of_every_kind_set_the_scenario() -> None:
    scenario = load_scenario(SMALL)
    month = parse_decision("restructuring.waves[0].date=2026-02:2026-08:2", scenario)
    toggle = parse_decision("ai.programs[0] in {on, off}", scenario)
    layer = parse_decision(
        "restructuring.waves[0].remove_layers[0].layer in {Senior manager, Manager}", scenario
    )
    count = parse_decision("ai.new_roles[0].count=0:20:5", scenario)
    assert (month.kind, toggle.kind, layer.kind, count.kind) == (MONTH, CHOICE, CHOICE, INT)
    values = {month.text: month.high, toggle.text: "off", layer.text: "Manager", count.text: 10.0}
    setting = apply(scenario, values, [month, toggle, layer, count])
    assert str(setting.restructuring.waves[0].date) == "2026-08-01"
    assert setting.ai.programs == ()
    assert setting.restructuring.waves[0].remove_layers[0].layer == "Manager"
    assert setting.ai.new_roles[0].count == 10


def test_statistics_read_percentiles_and_probabilities_as_the_bands_do() -> None:
    headlines = [{"npv": float(v), "payback_month": None if v > 7 else float(v)} for v in range(10)]
    assert parse_statistic("npv.mean").of(headlines) == 4.5
    assert parse_statistic("P(npv>0)").of(headlines) == 0.9
    assert parse_statistic("P(payback_month<=5)").of(headlines) == 0.6  # never is not <= 5
    assert parse_statistic("payback_month.p90").of(headlines) is None  # never ranks last
    assert parse_statistic("payback_month.p50").of(headlines) == 4.0


def test_a_reused_twin_gives_the_figures_of_a_simulated_one() -> None:
    """Cuts and wave dates (the valuation month follows the wave): cached = simulated."""
    scenario = load_scenario(CUT)
    cache = TwinCache()
    share = parse_decision(f"{SHARE}=0.05:0.5", scenario)
    date = parse_decision("restructuring.waves[0].date=2026-01:2026-04", scenario)
    for values in ((0.3, date.low), (0.1, date.low), (0.3, date.high)):
        setting = apply(
            scenario, dict(zip((share.text, date.text), values, strict=True)), [share, date]
        )
        cached = run_monte_carlo(setting, 2, 5, twins=cache, flow=False)
        assert cached.headlines == run_monte_carlo(setting, 2, 5, flow=False).headlines
    assert (cache.simulated, cache.reused) == (4, 2)  # the later wave moves the calendar


@pytest.mark.slow
def test_the_twin_cache_gives_the_figures_of_simulating_the_twin() -> None:
    """Plans that move the cut, the wave's date (and so the valuation month), the AI
    programme and the work flow's inputs: each run with the cache equals a run without."""
    scenario = load_scenario(SMALL)
    cache = TwinCache()
    decisions = [
        parse_decision("restructuring.waves[0].date=2026-02:2026-05", scenario),
        parse_decision("ai.programs[0].adoption.ceiling=0.2:0.9", scenario),
    ]
    settings = [
        scenario,
        apply(scenario, {decisions[0].text: 24315.0, decisions[1].text: 0.2}, decisions),
        apply(scenario, {decisions[0].text: 24314.0, decisions[1].text: 0.9}, decisions),
    ]
    for setting in settings:
        cached = run_monte_carlo(setting, 2, 5, twins=cache)
        plain = run_monte_carlo(setting, 2, 5)
        assert cached.headlines == plain.headlines
        assert cached.series.keys() == plain.series.keys()
    assert cache.reused >= 2 and cache.simulated >= 2


@pytest.mark.slow
def test_two_objectives_give_a_pareto_front_and_a_board_pack(tmp_path: Path) -> None:
    out = tmp_path / "front"
    result = _invoke(
        "optimize",
        str(SMALL),
        "--decide",
        "restructuring.waves[0].one_time_costs=0:4000000:500000",
        "--decide",
        "ai.programs[0].adoption.ceiling=0.2:0.9:0.1",
        "--objective",
        "npv.mean",
        "--objective",
        "max:npv.p10",
        "--trials",
        "16",
        "-n",
        "2",
        "--workers",
        "1",
        "-q",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    rows = [r for r in csv_rows(out / "trials.csv") if r["on_front"] == "true"]
    assert rows
    for a in rows:  # no point of the front is beaten on both objectives by another
        assert not any(
            float(b["npv.mean"]) >= float(a["npv.mean"])
            and float(b["npv.p10"]) >= float(a["npv.p10"])
            and (b["npv.mean"], b["npv.p10"]) != (a["npv.mean"], a["npv.p10"])
            for b in rows
        )
    check_pngs([out / "charts" / "frontier.png", out / "charts" / "convergence.png"])
    report = _invoke("report", str(out))
    assert report.exit_code == 0, report.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Optimisation" in html and "As written" in html and (out / "deck.pptx").is_file()
    front = study_board(out).answers[-1]
    assert front.question == "The frontier" and front.figure.startswith(f"{len(rows)} plan")
    assert front.figure in html and "mean NPV and P10 NPV" in front.detail


def test_the_frontiers_title_is_true_of_a_front_of_one() -> None:
    """A front of one plan is no trade-off ("1 plans trade ... none beats another")."""
    from sim.report.charts.optimize import frontier_titles

    names = ("Mean NPV", "P10 NPV")
    assert frontier_titles(1, names)[0] == "One plan is best on both mean NPV and P10 NPV"
    assert frontier_titles(3, names)[0].startswith("3 plans trade mean NPV against P10 NPV")
    assert frontier_titles(0, names) == ["No candidate meets every constraint: no frontier"]


HEADCOUNT = "org.units[0].layers[1].headcount"


def test_a_count_decided_without_a_step_is_searched_on_whole_numbers(tmp_path: Path) -> None:
    """A headcount is a whole number: LOW:HIGH without a step tries whole values (every
    trial failed with 'must be a whole number' when the search tried fractions)."""
    out = tmp_path / "study"
    result = _invoke(
        "optimize", str(CUT), "--decide", f"{HEADCOUNT}=90:110", "--objective", "npv.mean",
        "--trials", "5", "-n", "1", "--workers", "1", "--quiet", "--no-charts", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = csv_rows(out / "trials.csv")[1:]
    assert len(rows) == 5 and not any(r.get("error") for r in rows)
    values = [float(r[HEADCOUNT]) for r in rows]
    assert all(v.is_integer() and 90 <= v <= 110 for v in values)


def test_a_count_decided_on_fractions_is_refused_in_one_line(tmp_path: Path) -> None:
    result = _invoke(
        "optimize", str(CUT), "--decide", f"{HEADCOUNT}=90.5:110", "--objective", "npv.mean",
        "-o", str(tmp_path / "study"),
    )  # fmt: skip
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "is a whole number (a count)" in lines[0]
    assert f"{HEADCOUNT}=91:110:1" in lines[0]
    assert not (tmp_path / "study").exists()


def _opened(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """Every object ``module.name`` makes from now on."""
    made: list[object] = []
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(module, name, counted)
    return made


def _cut_search(pool: Pool, trials: int = 6) -> Optimisation:
    scenario = load_scenario(CUT)
    return optimize(
        scenario,
        [parse_decision(f"{SHARE}=0.05:0.5:{STEP}", scenario)],
        [parse_objective("min:roles_cut.mean")],
        [parse_constraint("payback_month.p50<=12")],
        RunPlan(4, 3),
        trials=trials,
        pool=pool,
    )


@pytest.mark.slow
def test_an_optimisation_starts_one_process_pool_for_its_whole_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sim.runs import heldpool, montecarlo

    held = _opened(monkeypatch, heldpool, "process_pool")
    own = _opened(monkeypatch, montecarlo, "process_pool")  # a run's pool of its own
    pooled = _cut_search(Pool(2))
    started = held + own
    assert len({_key(c) for c in pooled.candidates}) > 2  # several plans simulated ...
    assert len(started) == 1  # ... on one pool, closed when the search ended
    assert started[0]._processes is None or not any(  # type: ignore[attr-defined]
        p.is_alive()
        for p in started[0]._processes.values()  # type: ignore[attr-defined]
    )
    monkeypatch.undo()
    alone = _cut_search(Pool(1))
    assert [c.statistics for c in pooled.candidates] == [c.statistics for c in alone.candidates]


def _key(candidate: Candidate) -> tuple[object, ...]:
    return tuple(sorted(candidate.values.items()))


@pytest.mark.slow
def test_an_optimisation_on_a_cluster_connects_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from dask.distributed import LocalCluster

    from sim.runs import distributed

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster:
        clients = _opened(monkeypatch, distributed, "open_client")
        there = _cut_search(Pool(scheduler=cluster.scheduler_address), trials=4)
    assert len(clients) == 1
    assert clients[0].status == "closed"  # type: ignore[attr-defined]
    monkeypatch.undo()
    assert there.candidates == _cut_search(Pool(1), trials=4).candidates
