"""Goal seek: the value of one input at which a statistic reaches a target.

"What cut gives a P50 payback within 12 months?", "at what adoption ceiling is
the P50 NPV zero?". Every value tried runs the same replications on the same
random numbers (common random numbers), so the statistic moves with the input
alone and the search sees a smooth (or, for a month, a stepped) response, not
noise. The search brackets the answer between the two ends given, then halves
the bracket (an equality target uses the Illinois variant of regula falsi,
which converges faster on a smooth response) until it is within the tolerance.

The answer's uncertainty has two parts: the search's (the final bracket) and
the replications' (another set of replications would put the answer
elsewhere). The second is estimated by resampling the replications: every
value tried keeps each replication's figure, so a resample gives a new
response curve through the same points and a new crossing; the 2.5% and 97.5%
of those crossings are the answer's 95% interval.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.runs.bands import PERCENTILES, parse_statistic, spec_number
from sim.runs.headlines import NEVER
from sim.runs.plan import Pool, RunPlan
from sim.runs.twins import TwinCache
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import FieldPath, path_text
from sim.scenario.labels import Unit, unit_of
from sim.scenario.schema import Scenario
from sim.studies.batch import IN_PROCESS, Setting, StudyRuns
from sim.studies.fidelity import needs_flow
from sim.studies.reuse import FinanceReruns, FlowOnly, finance_only, flow_only

_TARGET = re.compile(r"^\s*([a-z_]+)\.(p10|p50|p90|mean)\s*(<=|>=|=)\s*([-+0-9.eE_]+)\s*$")
#: the default tolerance: the bracket's width over this (8 halvings)
DEFAULT_DIVISIONS = 256
MAX_EVALUATIONS = 40
BOOTSTRAP_RESAMPLES = 400
#: an equality target is met when the gap is this share of the gap at the bracket's ends
SETTLED_GAP = 1e-6


@dataclass(frozen=True)
class Target:
    """A statistic of a headline, a relation and a number: ``payback_month.p50<=12``."""

    headline: str
    statistic: str  # p10, p50, p90, mean
    relation: str  # <=, >=, =
    value: float

    @property
    def text(self) -> str:
        return f"{self.headline}.{self.statistic}{self.relation}{self.value:g}"

    def gap(self, statistic: float | None) -> float:
        """Signed distance from the target, <= 0 where the target is met (for '=', the
        side below it): a payback that never comes is infinitely late."""
        if statistic is None:
            statistic = math.inf if self.headline in NEVER else math.nan
        gap = statistic - self.value
        return -gap if self.relation == ">=" else gap


def parse_target(text: str) -> Target:
    """``payback_month.p50<=12`` or ``npv.p50=0`` -> a Target; ValueError says what is wrong."""
    headline, statistic, relation, number = parse_statistic(
        text,
        _TARGET,
        "HEADLINE.STAT<=VALUE, >=VALUE or =VALUE, e.g. payback_month.p50<=12 or npv.p50=0",
    )
    return Target(headline, statistic, relation, spec_number(text, number))


def statistic_of(values: Sequence[float | None], target: Target) -> float | None:
    """The target's statistic over the replications' figures (None: never, or no value)."""
    never = target.headline in NEVER
    data = np.array([math.inf if v is None else v for v in values], dtype=float)
    if not never:
        data = data[np.isfinite(data)]
    if data.size == 0:
        return None
    if target.statistic == "mean":
        result = float(data.mean())
    elif never:
        q = PERCENTILES[target.statistic]
        result = float(np.percentile(data, q, method="inverted_cdf"))
    else:
        result = float(np.percentile(data, PERCENTILES[target.statistic]))
    return result if math.isfinite(result) else None


@dataclass(frozen=True)
class Evaluation:
    """One value tried: the statistic there and each replication's figure."""

    value: float
    statistic: float | None
    figures: tuple[float | None, ...]


class NoAnswer(ValueError):
    """The bracket holds no answer; the message gives the statistic at both ends."""


@dataclass(frozen=True)
class Solution:
    path: str
    label: str
    target: Target
    unit: Unit  # of the input, as sim.scenario.labels names it
    evaluations: tuple[Evaluation, ...]  # in the order they ran
    answer: float
    bracket: tuple[float, float]  # the final bracket: the answer is inside
    interval: tuple[float | None, float | None]  # 95% over resampled replications
    statistic_at_answer: float | None


def solve(
    scenario: Scenario,
    path: FieldPath,
    low: float,
    high: float,
    target: Target,
    plan: RunPlan,
    label: str,
    pool: Pool | None = None,
    tolerance: float | None = None,
    on_evaluation: Callable[[Evaluation], None] | None = None,
    reuse: bool = True,
) -> Solution:
    """The value of ``path`` in [low, high] at which the target is met (its edge for an
    inequality, the crossing for '='); raises NoAnswer, or ValueError for a bad value.

    An input only the finance reads is simulated once and summarised again for each
    value (sim.studies.reuse); any other runs each value on the study's runs, a value
    tried twice run once, the status quos of a plan-only input simulated once a seed
    (sim.studies.batch). Every value runs on one ``pool`` (default: this process) or
    one client of its cluster, held open for the whole search.
    ``reuse=False``: each value alone, the same figures. An input that moves only the
    work flow, for a money target, raises FlowOnly before anything is simulated."""
    flow = needs_flow(scenario, (target.headline,))
    if not flow and flow_only(scenario, path):
        raise FlowOnly(scenario, path, target.text)
    # every value's status quos are the first's when the input is plan only: kept
    with StudyRuns(plan, pool or IN_PROCESS, flow, reuse, twins=TwinCache()) as runs:
        # an input only the finance reads: the replications are simulated once, here
        reruns = (
            FinanceReruns(scenario, plan, runs.held, flow)
            if reuse and finance_only(scenario, path)
            else None
        )
        evaluate = _evaluator(scenario, path, target, runs, reruns, on_evaluation)
        return search(evaluate, low, high, target, path_text(path), label, plan.seed, tolerance)


def _evaluator(
    scenario: Scenario,
    path: FieldPath,
    target: Target,
    runs: StudyRuns,
    reruns: FinanceReruns | None,
    on_evaluation: Callable[[Evaluation], None] | None,
) -> Callable[[float], Evaluation]:
    """What the search calls for one value: its replications' figures and statistic."""

    def evaluate(value: float) -> Evaluation:
        if reruns is not None:  # the headline alone, not whole summaries
            figures = reruns.figures(path, value, target.headline)
        else:
            (results,) = runs.results([Setting(with_value(scenario, path, value))])
            figures = tuple(h[target.headline] for h in results.headlines)
        found = Evaluation(value, statistic_of(figures, target), figures)
        if on_evaluation is not None:
            on_evaluation(found)
        return found

    return evaluate


def search(
    evaluate: Callable[[float], Evaluation],
    low: float,
    high: float,
    target: Target,
    path: str,
    label: str,
    seed: int,
    tolerance: float | None = None,
) -> Solution:
    """The search itself, on any response: ``evaluate(value)`` runs one value."""
    tolerance = tolerance if tolerance is not None else abs(high - low) / DEFAULT_DIVISIONS
    evaluations: list[Evaluation] = []

    def tried(value: float) -> Evaluation:
        evaluations.append(evaluate(value))
        return evaluations[-1]

    a, b = tried(low), tried(high)
    _check_bracket(a, b, target, label)
    a_gap, b_gap = target.gap(a.statistic), target.gap(b.statistic)
    smooth = target.relation == "="
    close_enough = SETTLED_GAP * max(abs(a_gap), abs(b_gap)) if smooth else -math.inf
    answer: float | None = None
    side = 0  # Illinois: which end moved last; an end left in place twice has its gap halved
    while abs(b.value - a.value) > tolerance and len(evaluations) < MAX_EVALUATIONS:
        middle = tried(_next_value(a.value, b.value, a_gap, b_gap, smooth))
        gap = target.gap(middle.statistic)
        if abs(gap) <= close_enough:
            answer = middle.value
            break
        if (gap <= 0) == (b_gap <= 0):
            b, b_gap = middle, gap
            a_gap = a_gap / 2 if side == -1 else a_gap
            side = -1
        else:
            a, a_gap = middle, gap
            b_gap = b_gap / 2 if side == 1 else b_gap
            side = 1
    bracket = (min(a.value, b.value), max(a.value, b.value))
    if answer is None:
        answer = _answer(a, b, target)
    else:
        bracket = (answer, answer)
    return Solution(
        path=path,
        label=label,
        target=target,
        unit=unit_of(path),
        evaluations=tuple(evaluations),
        answer=answer,
        bracket=bracket,
        interval=_resampled_interval(evaluations, target, answer, seed),
        statistic_at_answer=_nearest(evaluations, answer).statistic,
    )


def _check_bracket(a: Evaluation, b: Evaluation, target: Target, label: str) -> None:
    gaps = (target.gap(a.statistic), target.gap(b.statistic))
    if any(math.isnan(g) for g in gaps):
        raise NoAnswer(f"{target.headline} has no value at an end of the bracket")
    if (gaps[0] <= 0) != (gaps[1] <= 0):
        return
    stat = f"{target.statistic.upper()} {target.headline}"

    def shown(e: Evaluation) -> str:
        value = "never (not within the horizon)" if e.statistic is None else f"{e.statistic:,.6g}"
        return f"{stat} is {value} at {label} = {e.value:g}"

    if target.relation == "=":
        met = "are below" if gaps[0] <= 0 else "are above"
    else:
        met = "meet" if gaps[0] <= 0 else "miss"
    raise NoAnswer(
        f"no answer between {a.value:g} and {b.value:g}: {shown(a)} and {shown(b)}; "
        f"both ends {met} {target.text}, so widen the bracket or change the target"
    )


def _next_value(a: float, b: float, a_gap: float, b_gap: float, smooth: bool) -> float:
    """Regula falsi (Illinois) on a smooth target, else the bracket's middle."""
    if smooth and math.isfinite(a_gap) and math.isfinite(b_gap) and a_gap != b_gap:
        x = a - a_gap * (b - a) / (b_gap - a_gap)
        if min(a, b) < x < max(a, b):
            return x
    return (a + b) / 2


def _answer(a: Evaluation, b: Evaluation, target: Target) -> float:
    """An inequality's answer is the end that meets it; an equality's the crossing."""
    a_gap, b_gap = target.gap(a.statistic), target.gap(b.statistic)
    if target.relation != "=":
        return a.value if a_gap <= 0 else b.value
    return _crossing(a.value, b.value, a_gap, b_gap)


def _crossing(x0: float, x1: float, g0: float, g1: float) -> float:
    if math.isfinite(g0) and math.isfinite(g1) and g0 != g1:
        return x0 - g0 * (x1 - x0) / (g1 - g0)
    return (x0 + x1) / 2


def _nearest(evaluations: Sequence[Evaluation], value: float) -> Evaluation:
    return min(evaluations, key=lambda e: abs(e.value - value))


def _resampled_interval(
    evaluations: Sequence[Evaluation], target: Target, answer: float, seed: int
) -> tuple[float | None, float | None]:
    """The answer's 95% interval over resamples of the replications (see the module doc)."""
    points = sorted(evaluations, key=lambda e: e.value)
    xs = np.array([e.value for e in points])
    n = len(points[0].figures)
    rng = np.random.default_rng(seed)  # fixed by the plan: the same study, the same interval
    found = []
    for _ in range(BOOTSTRAP_RESAMPLES):
        pick = rng.integers(0, n, n)
        gaps = [target.gap(statistic_of([e.figures[i] for i in pick], target)) for e in points]
        crossing = _crossing_near(xs, np.array(gaps), answer)
        if crossing is not None:
            found.append(crossing)
    if len(found) < BOOTSTRAP_RESAMPLES / 2:
        return None, None  # the answer moves out of the values tried too often to say
    low, high = np.percentile(found, [2.5, 97.5])
    return float(low), float(high)


def _crossing_near(xs: np.ndarray, gaps: np.ndarray, answer: float) -> float | None:
    met = gaps <= 0
    changes = [k for k in range(len(xs) - 1) if met[k] != met[k + 1]]
    if not changes:
        return None
    k = min(changes, key=lambda k: abs((xs[k] + xs[k + 1]) / 2 - answer))
    return _crossing(xs[k], xs[k + 1], gaps[k], gaps[k + 1])
