"""A goal seek's board: the value of one input that meets a target, and the search."""

from __future__ import annotations

from collections.abc import Callable

from sim.report.answers import Answer
from sim.report.board import Board
from sim.report.charts import optimize as optimize_chart
from sim.report.charts import solve as solve_chart
from sim.report.charts.study import input_text
from sim.report.studyboard.common import RELATIONS, Pack, Rows, statistic_words, study_pack
from sim.report.studysource import StudySource
from sim.studies.solve import Solution

Shown = Callable[[float | None], str]


def _shown(solution: Solution, currency: str) -> tuple[Shown, Shown]:
    """How the input's values and the statistic's figures read."""
    target = solution.target

    def value(v: float | None) -> str:
        return input_text(v, solution.unit, currency)

    def figure(v: float | None) -> str:
        return solve_chart.value_shown(v, target.headline, currency)

    return value, figure


def _goal(solution: Solution, currency: str) -> str:
    """The target in words: 'P50 NPV = $0', 'P50 payback month ≤ 12'."""
    target = solution.target
    statistic = f"{target.headline}.{target.statistic}"
    bound = optimize_chart.threshold_text(statistic, target.value, currency)
    return f"{solve_chart.statistic_name(solution)} {RELATIONS[target.relation]} {bound}"


def solve_table(solution: Solution, currency: str) -> Rows:
    """A row a value tried, in search order: the statistic there and, for a bound,
    whether it met it (an equality is met only at the answer: no column of blanks)."""
    target = solution.target
    value, figure = _shown(solution, currency)
    bound = target.relation != "="
    header = ("Step", solution.label, solve_chart.statistic_name(solution))
    rows = [
        (str(k + 1), value(e.value), figure(e.statistic))
        + (("yes" if target.gap(e.statistic) <= 0 else "no",) if bound else ())
        for k, e in enumerate(solution.evaluations)
    ]
    return (header + (("Meets the target",) if bound else ()), *rows)


def solve_board(source: StudySource, solution: Solution) -> Board:
    currency = source.currency
    value, _ = _shown(solution, currency)
    low, high = solution.interval
    interval = (
        f"Its 95% interval over resampled replications is {value(low)} to {value(high)}."
        if low is not None and high is not None
        else "Resampled replications move the answer out of the values tried too often to "
        "give it an interval."
    )
    goal = _goal(solution, currency)
    # the range searched: the values tried (it read the final bracket, "between $8M and $8M")
    tried = [e.value for e in solution.evaluations]
    pack = Pack(
        "solve",
        "Goal seek",
        solve_table(solution, currency),
        {"solve": lambda: solve_chart.draw(solution, source)},
        f"The search for the {solution.label} at which {goal}.",
        f"A goal seek: the value of {solution.label} at which {goal}, searched between "
        f"{value(min(tried))} and {value(max(tried))} by halving the bracket (an equality "
        "by regula falsi), every value on the same replications and random numbers. The "
        f"answer is {value(solution.answer)}.",
        interval,
        (),
        solve_answers(solution, currency),
    )
    return study_pack(source, pack)


def solve_answers(solution: Solution, currency: str) -> tuple[Answer, ...]:
    """The value of the input that meets the target, how sure it is, and what the
    statistic is at the nearest value the search ran."""
    target = solution.target
    value, figure = _shown(solution, currency)
    goal = _goal(solution, currency)
    statistic = statistic_words(target.statistic)
    low, high = solution.interval
    sure = (
        f"95% interval over resampled replications {value(low)} to {value(high)}"
        if low is not None and high is not None
        else "no interval: resampled replications move it out of the values tried"
    )
    nearest = min(solution.evaluations, key=lambda e: abs(e.value - solution.answer))
    tried = len(solution.evaluations)
    return (
        Answer(
            "What meets the target",
            value(solution.answer),
            f"{solution.label} of {value(solution.answer)} gives {goal}; {sure}",
            statistic=statistic,
        ),
        Answer(
            "At the nearest value run",
            figure(solution.statistic_at_answer),
            f"{solution.label} {value(nearest.value)} against the target "
            f"{figure(target.value)}; {tried} value{'s' * (tried != 1)} run",
            statistic=statistic,
        ),
    )
