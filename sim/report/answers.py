"""The answer first: what a board asks of a plan before it reads a chart (what it
costs, when it pays back, what happens to the work, and whether the AI half earns its
keep), each in one figure with a line of detail. The figures are the headline table's
own (its Mean* column, summary.json's mean cash flow, and the run-rate bridge), so
the executive summary and the table never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.finance.bridge import HIRES_AVOIDED_BY_AI, NEW_ROLES
from sim.report.text import probability
from sim.runs import headlines
from sim.runs.numbers import figure, money, month_and_date
from sim.runs.summary import AI_RUNNING_LINE

if TYPE_CHECKING:
    from sim.runs.summary import RunSummary

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
    detail = f"NPV {money(mean.npv, currency)} at {100 * mean.discount_rate_annual:.0f}% a year"
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


__all__ = ["NOTE", "Answer", "answer_title", "answers"]
