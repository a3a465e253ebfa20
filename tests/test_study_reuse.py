"""Studies that reuse what did not change write the very files of running every setting
alone: finance-only inputs summarised again, twins shared by key, every setting of a
tornado or a sweep at once over one pool, a setting asked for twice run once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.model.draws import at_quantiles
from sim.report.studysource import StudySource
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.plan import Pool, RunPlan
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import parse_path
from sim.scenario.load import load_scenario
from sim.studies.batch import Setting, StudyRuns, setting
from sim.studies.reuse import finance_only
from sim.studies.sensitivity import Vary, tornado
from sim.studies.solve import parse_target, solve
from sim.studies.sweep import parse_spec, sweep

ROOT = Path(__file__).resolve().parent.parent
CUTS = ROOT / "scenarios" / "cuts-only.yaml"
ONE_TIME = "restructuring.waves[0].one_time_costs"
RATE = "meta.discount_rate_annual"
TENURE = "restructuring.severance.average_tenure_years"  # severance: booked again
SOURCE = StudySource("cuts-only", str(CUTS), "", 3, 2, "0", "USD")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _tornado_files(tmp_path: Path, reuse: bool, workers: int, uncertain: bool) -> dict:
    from sim.report.studies import write_tornado

    scenario = load_scenario(CUTS)
    varied = [
        Vary(parse_path(RATE), 0.04, 0.12, "0.04", "0.12"),
        Vary(parse_path(ONE_TIME), 0.0, 4e8, "0", "4e8"),
        Vary(parse_path("restructuring.notice_weeks"), 4.0, 13.0, "4", "13"),
        Vary(parse_path(TENURE), 1.0, 12.0, "1", "12"),
    ]
    result = tornado(scenario, RunPlan(2, 3), varied, uncertain, Pool(workers), reuse=reuse)
    folder = tmp_path / f"tornado-{reuse}-{workers}"
    write_tornado(result, SOURCE, folder, force=False)
    return _files(folder)


def test_a_tornados_files_are_byte_identical_with_and_without_the_reuse(tmp_path: Path) -> None:
    """Finance-only inputs (the rate, a wave's one-time costs, a severance term) and a
    plan-only one."""
    reused = _tornado_files(tmp_path, reuse=True, workers=1, uncertain=False)
    assert reused == _tornado_files(tmp_path, reuse=False, workers=1, uncertain=False)
    assert {"sensitivity.csv", "sensitivity.json"} <= set(reused)


@pytest.mark.slow
def test_every_uncertain_inputs_swing_is_byte_identical_with_the_reuse_on_a_pool(
    tmp_path: Path,
) -> None:
    reused = _tornado_files(tmp_path, reuse=True, workers=2, uncertain=True)
    assert reused == _tornado_files(tmp_path, reuse=False, workers=1, uncertain=True)


@pytest.mark.parametrize("spec", [f"{ONE_TIME}=0:3e8:3", "restructuring.notice_weeks=4:12:3"])
def test_a_sweeps_files_are_byte_identical_with_and_without_the_reuse(
    spec: str, tmp_path: Path
) -> None:
    from sim.report.studies import write_sweep

    scenario = load_scenario(CUTS)
    parsed = parse_spec(spec, scenario)
    found = []
    for reuse in (True, False):
        folder = tmp_path / f"sweep-{reuse}"
        write_sweep(parsed, sweep(parsed, RunPlan(2, 3), reuse=reuse), SOURCE, folder, False)
        found.append(_files(folder))
    assert found[0] == found[1]


def test_a_goal_seek_on_a_waves_one_time_costs_finds_what_running_each_value_finds() -> None:
    scenario = load_scenario(CUTS)
    path = parse_path(ONE_TIME)
    assert finance_only(scenario, path)
    target = parse_target("npv.mean=0")
    plan = RunPlan(2, 3)
    kept = solve(scenario, path, 0.0, 5e10, target, plan, ONE_TIME, reuse=True)
    alone = solve(scenario, path, 0.0, 5e10, target, plan, ONE_TIME, reuse=False)
    assert kept == alone


def test_a_setting_asked_for_twice_in_a_study_runs_once_with_a_runs_figures() -> None:
    scenario = at_quantiles(load_scenario(CUTS), {})
    path = parse_path(ONE_TIME)
    cheaper = with_value(scenario, path, 1e7)
    runs = StudyRuns(RunPlan(2, 3))
    first = runs.results([Setting(scenario), setting(scenario, cheaper, path)])
    again = runs.results([Setting(scenario), setting(scenario, cheaper, path)])
    assert (runs.simulated, runs.summarised, runs.repeated) == (1, 1, 2)
    assert [r.headlines for r in first] == [r.headlines for r in again]
    alone = run_monte_carlo(cheaper, 2, 3, flow=False)
    assert first[1].headlines == alone.headlines
    assert first[1].parameters == alone.parameters


def test_a_finance_only_values_headline_alone_is_the_one_its_whole_summary_gives() -> None:
    """A goal seek reads one headline of each value tried, not whole summaries."""
    from sim.runs.headlines import IRR, NPV, PAYBACK
    from sim.studies.reuse import FinanceReruns

    reruns = FinanceReruns(load_scenario(CUTS), RunPlan(2, 3), flow=False)
    path = parse_path(RATE)
    for value in (0.03, 0.2):
        whole = reruns.results(path, value)
        for name in (NPV.name, PAYBACK.name, IRR.name):
            assert reruns.figures(path, value, name) == tuple(h[name] for h in whole.headlines)
    with pytest.raises(ValueError):
        reruns.figures(path, -5.0, NPV.name)  # refused as a rerun's scenario would be
