"""The answer first: what a board asks of a plan before it reads a chart (what it
costs, when it pays back, what happens to the work, and whether the AI half earns its
keep), each in one figure with a line of detail. The figures are the headline table's
own (its Mean* column, summary.json's mean cash flow, and the run-rate bridge), so
the executive summary and the table never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.finance.bridge import HIRES_AVOIDED_BY_AI, NEW_ROLES
from sim.report.text import probability
from sim.runs import headlines
from sim.runs.numbers import annual_rate, figure, money, month, month_and_date
from sim.runs.summary import AI_RUNNING_LINE

if TYPE_CHECKING:
    from sim.runs.summary import RunSummary
    from sim.studies.compare import Comparison

#: the run-rate bridge's lines that are AI's: the hires it avoids (a saving), the new
#: roles' pay and the programmes' running costs (costs)
AI_LINES = (HIRES_AVOIDED_BY_AI, NEW_ROLES, AI_RUNNING_LINE)
#: the statistics the answers are, as each tile names it: the headline table's Mean*
MEAN_CASH_FLOW = "mean cash flow"
MEAN = "mean"
#: what the figures are, beneath the answers
NOTE = (
    "The headline table's Mean* column: money and paybacks are the mean cash flow's, "
    "work and people the replications' mean; ranges are P10 to P90 of the replications. "
    "The AI half: the run-rate bridge's hires avoided by AI less the new AI roles' pay "
    "and the AI running costs (means)."
)


@dataclass(frozen=True)
class Answer:
    """One question a board asks, answered: its figure large, a line of detail."""

    question: str  # 'What it costs'
    figure: str  # '$2.4B one-time'
    detail: str  # 'for $4.7B a year of run-rate savings (P10 $4.4B to P90 $4.9B)'
    #: the AI half's verdict ('earns its keep'); '' for the other answers
    ai_verdict: str = ""
    #: which statistic the figure is, said with the question ('mean cash flow', 'mean')
    statistic: str = ""

    @property
    def heading(self) -> str:
        """The question as a tile shows it, with its statistic: 'What it costs (mean
        cash flow)', so the tile never reads as the charts' medians."""
        return f"{self.question} ({self.statistic})" if self.statistic else self.question


def _range(summary: RunSummary, headline: headlines.Headline) -> str:
    band = summary.band(headline)
    if band is None or summary.replications < 2:
        return ""
    low, high = (
        figure(getattr(band, k), headline.format, summary.currency) for k in ("p10", "p90")
    )
    return f" (P10 {low} to P90 {high})"


def _cost(summary: RunSummary) -> Answer:
    mean, currency = summary.mean, summary.currency
    saving = money(mean.run_rate_savings_annual, currency)
    detail = f"for {saving} a year of run-rate savings{_range(summary, headlines.RUN_RATE)}"
    figure_text = f"{money(mean.one_time_costs, currency)} one-time"
    return Answer("What it costs", figure_text, detail, statistic=MEAN_CASH_FLOW)


def _payback(summary: RunSummary) -> Answer:
    mean, currency = summary.mean, summary.currency
    payback = month_and_date(mean.payback_month, mean.payback_date)
    detail = f"NPV {money(mean.npv, currency)} at {annual_rate(mean.discount_rate_annual)} a year"
    if summary.probabilities is not None and summary.replications > 1:
        detail += (
            f"; above zero in {probability(summary.probabilities.npv_above_zero)} of replications"
        )
    return Answer("When it pays back", payback, detail, statistic=MEAN_CASH_FLOW)


def _work(summary: RunSummary) -> Answer:
    work = summary.band(headlines.THROUGHPUT_CHANGE)
    people = summary.band(headlines.HEADCOUNT_CHANGE)
    count = headlines.HEADCOUNT_CHANGE.format
    staff = f"{figure(people.mean, count, summary.currency)} people" if people else ""
    staff += " against the status quo" if staff else ""
    if work is None or work.mean is None:
        return Answer(
            "What happens to the work", "not simulated", staff or "money only", statistic=MEAN
        )
    cycle = summary.band(headlines.CYCLE_TIME_CHANGE)
    currency = summary.currency
    cycle_kind = headlines.CYCLE_TIME_CHANGE.format
    cycle_mean = cycle.mean if cycle is not None else None
    detail = (
        f"cycle time {figure(cycle_mean, cycle_kind, currency)}" if cycle_mean is not None else ""
    )
    detail = "; ".join(part for part in (detail, staff) if part)
    done = figure(work.mean, headlines.THROUGHPUT_CHANGE.format, currency)
    return Answer("What happens to the work", f"{done} work done", detail, statistic=MEAN)


def _ai(summary: RunSummary, ai_one_time: float) -> Answer | None:
    """Whether the AI half earns its keep: what it saves a year against what it costs
    a year, and its one-time cost; None for a plan with no AI."""
    bridge = summary.run_rate_bridge
    lines = {line.name: line.annual for line in bridge.lines} if bridge else {}
    parts = [lines.get(name, 0.0) for name in AI_LINES]
    if not any(parts) and not ai_one_time:
        return None
    saved, roles, running = parts
    net, currency = sum(parts), summary.currency
    costs = money(-(roles + running), currency)
    detail = f"{money(saved, currency)} of hires avoided against {costs} of AI roles and running"
    if ai_one_time:
        detail += f"; {money(ai_one_time, currency)} one-time"
    verdict = "earns its keep" if net > 0 else "does not earn its keep"
    return Answer(
        f"The AI half {verdict}", f"{money(net, currency)} a year, net", detail, verdict, MEAN
    )


def answers(summary: RunSummary, ai_one_time: float) -> tuple[Answer, ...]:
    """A run's answers, in the order a board asks them; none for a folder written
    before the mean cash flow was reported. ``ai_one_time``: the AI programmes' one-time
    costs over the horizon (cashflows.csv's mean cash flow)."""
    if summary.mean_cash_flow is None:
        return ()
    found = [_cost(summary), _payback(summary), _work(summary), _ai(summary, ai_one_time)]
    return tuple(answer for answer in found if answer is not None)


def answer_title(summary: RunSummary, found: tuple[Answer, ...]) -> str:
    """The executive summary's title: the answer in one line."""
    if summary.mean_cash_flow is None:
        return "Executive summary"
    mean = summary.mean
    if mean.payback_month is None:
        head = "Does not pay back within the horizon"
    elif mean.payback_month == 0:
        head = "Nothing to pay back"
    else:
        head = f"Pays back in {month_and_date(mean.payback_month, mean.payback_date)}"
    saving = mean.run_rate_savings_annual
    amount = money(abs(saving), summary.currency)
    title = f"{head}, {'saving' if saving >= 0 else 'costing'} {amount} a year"
    title += " more" if saving < 0 else ""
    verdict = next((a.ai_verdict for a in found if a.ai_verdict), "")
    if verdict:
        title += f"; the AI half {verdict}"
    return title


# ------------------------------------------------------------------ a comparison

#: what a comparison's answers' figures are, beneath them
COMPARED_NOTE = (
    "Each scenario's headline table's Mean* figure (money and paybacks the mean cash "
    "flow's, work the replications' mean); a difference is against the first scenario, "
    "replication by replication on the same random numbers, with its P10 to P90."
)


def _paired(comparison: Comparison, run: Any, name: str, currency: str) -> str:
    """'$1.2B more than A (paired P10 $1.0B to P90 $1.4B)': a run against the first,
    replication by replication; '' for the first itself or a run not paired with it."""
    index = comparison.runs.index(run)
    difference = comparison.differences[index]
    spread = None if index == 0 or difference is None else difference.get(name)
    if spread is None or spread.mean is None:
        return ""
    kind = headlines.BY_NAME[name].format
    mean = spread.mean
    than = "more than" if mean >= 0 else "less than"
    shown = figure(abs(mean), kind, currency)
    low, high = figure(spread.p10, kind, currency), figure(spread.p90, kind, currency)
    range_text = f" (paired P10 {low} to P90 {high})" if low != high else ""
    return f"{shown} {than} {comparison.runs[0].name}{range_text}"


def _best(runs: Sequence[Any], key: Callable[[Any], float | None], low: bool = False) -> Any:
    scored = [(value, run) for run in runs if (value := key(run)) is not None]
    if not scored:
        return None
    return (min if low else max)(scored, key=lambda pair: pair[0])[1]


def _npv_answer(comparison: Comparison, currency: str) -> Answer:
    best = _best(comparison.runs, lambda r: r.summary.headline[headlines.NPV.name].mean)
    npv = best.summary.headline[headlines.NPV.name]
    detail = f"NPV {money(npv.mean, currency)}{_range(best.summary, headlines.NPV)}"
    if paired := _paired(comparison, best, headlines.NPV.name, currency):
        detail += f"; {paired}"
    return Answer("Highest NPV", best.name, detail, statistic=MEAN)


def _savings_answer(comparison: Comparison, currency: str) -> Answer | None:
    best = _best(
        comparison.runs,
        lambda r: r.summary.mean_cash_flow and r.summary.mean.run_rate_savings_annual,
    )
    if best is None:
        return None
    saving = money(best.summary.mean.run_rate_savings_annual, currency)
    detail = f"{saving} a year{_range(best.summary, headlines.RUN_RATE)}"
    if paired := _paired(comparison, best, headlines.RUN_RATE.name, currency):
        detail += f"; {paired}"
    return Answer("Most run-rate savings", best.name, detail, statistic=MEAN_CASH_FLOW)


def _payback_answer(comparison: Comparison) -> Answer | None:
    def payback(run: Any) -> float | None:
        mean = run.summary.mean_cash_flow
        return None if mean is None or not mean.payback_month else mean.payback_month

    best = _best(comparison.runs, payback, low=True)
    if best is None:
        return Answer("Soonest payback", "none", "no scenario pays back within its horizon")
    mean = best.summary.mean
    when = month_and_date(mean.payback_month, mean.payback_date)
    others = [
        f"{run.name} {month(run.summary.mean.payback_month)}"
        for run in comparison.runs
        if run is not best
    ]
    detail = f"{when}; " + "; ".join(others) if others else when
    return Answer("Soonest payback", best.name, detail, statistic=MEAN_CASH_FLOW)


def _work_answer(comparison: Comparison, currency: str) -> Answer | None:
    def work(run: Any) -> float | None:
        band = run.summary.band(headlines.THROUGHPUT_CHANGE)
        return None if band is None else band.mean

    best = _best(comparison.runs, work)
    if best is None:
        return None
    kind = headlines.THROUGHPUT_CHANGE.format
    done = figure(work(best), kind, currency)
    detail = f"{done} work done against its status quo"
    detail += _range(best.summary, headlines.THROUGHPUT_CHANGE)
    return Answer("Most work done", best.name, detail, statistic=MEAN)


def comparison_answers(comparison: Comparison) -> tuple[Answer, ...]:
    """Which plan wins on what, by how much, with its range: the highest NPV, the most
    run-rate savings, the soonest payback and the most work done; none for folders
    written before the mean cash flow was reported."""
    summaries = [run.summary for run in comparison.runs]
    if any(s.mean_cash_flow is None for s in summaries):
        return ()
    currency = summaries[0].currency
    found = [
        _npv_answer(comparison, currency),
        _savings_answer(comparison, currency),
        _payback_answer(comparison),
        _work_answer(comparison, currency),
    ]
    return tuple(answer for answer in found if answer is not None)


def comparison_answer_title(found: tuple[Answer, ...]) -> str:
    """The comparison's answer in one line: who has the highest NPV, and by how much."""
    if not found:
        return "Executive summary"
    npv = found[0]
    return f"{npv.figure} has the highest mean NPV: {npv.detail.removeprefix('NPV ')}"


__all__ = [
    "COMPARED_NOTE",
    "NOTE",
    "Answer",
    "answer_title",
    "answers",
    "comparison_answer_title",
    "comparison_answers",
]
