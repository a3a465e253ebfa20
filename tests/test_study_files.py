"""Each study's JSON has one writer and one reader, and they round-trip: a study
written, read back and written again gives the same values and the same bytes, so
the board pack built from the file shows what the study found (issue 22)."""

from __future__ import annotations

import json

from conftest import GOOD

from sim.report.files import json_text
from sim.report.optimizefile import optimisation_of, stored_optimisation
from sim.report.studies import (
    drivers_json,
    drivers_of,
    solution_of,
    solve_json,
    sweep_json,
    sweep_of,
    tornado_json,
    tornado_of,
)
from sim.report.studysource import StudySource
from sim.runs.bands import Band
from sim.runs.plan import RunPlan
from sim.scenario.fieldpaths import parse_path
from sim.scenario.labels import unit_of
from sim.scenario.load import load_scenario
from sim.studies.decisions import parse_constraint, parse_decision, parse_objective
from sim.studies.drivers import Driver, Drivers
from sim.studies.optimize import optimize
from sim.studies.sensitivity import Outcome, Swing, Tornado
from sim.studies.solve import Evaluation, Solution, parse_target
from sim.studies.sweep import SweepPoint, SweepSpec

SOURCE = StudySource("plan", "scenarios/plan.yaml", "ab" * 32, 7, 3, "1.2.3", "EUR")
COSTS = "restructuring.waves[0].one_time_costs"
RATE = "meta.discount_rate_annual"


def _through_the_file(data: dict) -> dict:
    """The JSON as a study folder holds it, read back."""
    return json.loads(json_text(data))


def test_a_tornado_read_back_is_the_tornado_written() -> None:
    swings = (
        Swing(COSTS, "Wave: One-time costs", unit_of(COSTS), "fixed", "", 1.5e6, "-50%",
              "+50%", 0.75e6, 2.25e6, Outcome(3.1e7, 5.0), Outcome(2.9e7, None)),
        Swing(RATE, "Discount rate (% a year)", unit_of(RATE), "uncertain", "uniform(0.06, 0.1)",
              0.08, "P10", "P90", 0.064, 0.096, Outcome(3.2e7, 4.0), Outcome(2.8e7, 6.0)),
    )  # fmt: skip
    result = Tornado(Outcome(3.0e7, 5.0), swings)
    data = _through_the_file(tornado_json(result, SOURCE))
    assert tornado_of(data) == result
    assert StudySource.in_study(data) == SOURCE
    assert json_text(tornado_json(tornado_of(data), SOURCE)) == json_text(data)


def test_a_sweep_read_back_is_the_sweep_written() -> None:
    values = (0.0, 1e6, 2e6)
    spec = SweepSpec(parse_path(COSTS), COSTS, values, (), "Wave: One-time costs", unit_of(COSTS))
    points = [
        SweepPoint(v, {"npv": Band(1e7 - v, 2e7 - v, 3e7 - v, 2e7 - v),
                       "payback_month": Band(4.0, 5.0, None, None)})
        for v in values
    ]  # fmt: skip
    data = _through_the_file(sweep_json(spec, points, SOURCE))
    assert sweep_of(data) == (spec, points)
    assert StudySource.in_study(data) == SOURCE


def test_a_goal_seek_read_back_is_the_solution_written_less_each_replications_figures() -> None:
    evaluations = (Evaluation(0.0, 2.0e7, ()), Evaluation(4e7, -1.0e7, ()))
    solution = Solution(
        COSTS,
        "Wave: One-time costs",
        parse_target("npv.p50=0"),
        unit_of(COSTS),
        (*evaluations, Evaluation(2.6e7, 1.2e5, ())),
        answer=2.61e7,
        bracket=(2.6e7, 2.62e7),
        interval=(2.4e7, None),
        statistic_at_answer=1.2e5,
    )
    data = _through_the_file(solve_json(solution, SOURCE))
    assert solution_of(data) == solution
    assert StudySource.in_study(data) == SOURCE


def test_the_drivers_read_back_are_the_drivers_written() -> None:
    driver = Driver(RATE, "Discount rate (% a year)", unit_of(RATE), 0.08, 0.094, 0.081,
                    0.093, 1.2, -0.61, 0.83)  # fmt: skip
    result = Drivers("npv", 0.1, 40, 4, -2.5e6, (driver,))
    data = _through_the_file(drivers_json(result, SOURCE))
    assert drivers_of(data) == result
    assert StudySource.in_study(data) == SOURCE


def test_an_optimisation_read_back_is_what_its_file_holds_of_the_search() -> None:
    scenario = load_scenario(GOOD / "cut-against-payback.yaml")
    share = "restructuring.waves[0].cuts[0].share"
    result = optimize(
        scenario,
        [parse_decision(f"{share}=0.05:0.5:0.05", scenario)],
        [parse_objective("min:roles_cut.mean")],
        [parse_constraint("payback_month.p50<=12")],
        RunPlan(1, 3),
        trials=5,
    )
    stored = stored_optimisation(result, SOURCE)
    text = json_text(stored.json())
    read = optimisation_of(json.loads(text))
    assert read == stored
    assert json_text(read.json()) == text
    assert read.source == SOURCE and read.trials == 5
    assert read.chosen is None or read.chosen.trial == result.best.number  # type: ignore[union-attr]
