"""The headline registry: every figure a replication reports, described once.

Each headline has a name (the key in summary.json, replications.csv and every
study's files), one human label, the kind of unit it is counted in, whether a
comparison differences it replication by replication against the first run,
whether it needs the simulated work flow, and how a table prints it. Every list
of headlines elsewhere (bands, comparisons, the CFO's table, the workbook, the
charts, the studies) is read from here.

Adding a headline is one entry in :data:`REGISTRY` plus the line that computes it
(``sim/runs/summarise.py``, ``summarise``); its place in the registry is its
column in replications.csv and its key's place in summary.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """What a headline is counted in."""

    MONEY = "money"  # in the scenario's currency, at valuation-date prices
    MONTHS = "months"  # a month counted from the valuation month; None = not within horizon
    COUNT = "count"  # people
    FRACTION = "fraction"  # a rate or a change: 0.08 is 8%
    RATIO = "ratio"  # a plain number (net benefit per unit of one-time cost)


class Format(Enum):
    """How a table prints a headline (sim.report.text, one formatter a format)."""

    MONTH = "month"  # 'month 14', 'not within horizon'
    MONEY = "money"  # '$1.2B'
    RATE = "rate"  # an IRR: '12.0%', '>999%'
    HEADS = "heads"  # people to three significant figures: '348,000'
    CHANGE = "change"  # a signed head count: '+4,680'
    SHARE = "share"  # a signed change: '+3.4%'
    NUMBER = "number"  # a plain number: '1.8'


class Better(Enum):
    """Which way a headline is better (an optimisation's default direction)."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Headline:
    """One headline figure of a replication."""

    name: str
    label: str
    kind: Kind
    format: Format
    #: a comparison differences it replication by replication against the first run
    paired: bool = False
    #: it reads the simulated work flow (a money-only run cannot give it)
    needs_flow: bool = False
    #: a few replications can have a heavy tail (a queue that grows without bound), where
    #: the mean may say what no replication does: tables show the median, marked
    heavy_tailed: bool = False
    #: which way it is better; None: neither (a head count)
    better: Better | None = None

    @property
    def never_is_last(self) -> bool:
        """A month that never comes (None) ranks after every month in the percentiles."""
        return self.kind is Kind.MONTHS

    @property
    def in_words(self) -> str:
        """The label inside a sentence: 'payback', 'NPV', 'work done vs status quo'."""
        first, _, rest = self.label.partition(" ")
        word = first if first.isupper() else first.lower()
        return f"{word} {rest}" if rest else word

    @property
    def with_unit(self) -> str:
        """The label inside a sentence with the unit a bare number of it needs: 'payback
        month' (a payback is a month), 'NPV', 'roles cut' (money, people and shares
        show their unit in the figure)."""
        return f"{self.in_words} month" if self.kind is Kind.MONTHS else self.in_words

    def statistic_label(self, statistic: str) -> str:
        """A statistic of it over the replications, as every study's tiles, tables and
        axes name it: 'Mean NPV', 'P50 payback month', 'P80 roles cut'."""
        which = "Mean" if statistic == "mean" else statistic.upper()
        return f"{which} {self.with_unit}"


PAYBACK = Headline(
    "payback_month", "Payback", Kind.MONTHS, Format.MONTH, paired=True, better=Better.LOWER
)
DISCOUNTED_PAYBACK = Headline(
    "discounted_payback_month", "Discounted payback", Kind.MONTHS, Format.MONTH, better=Better.LOWER
)
NPV = Headline("npv", "NPV", Kind.MONEY, Format.MONEY, paired=True, better=Better.HIGHER)
TERMINAL_VALUE = Headline(
    "terminal_value", "Terminal value", Kind.MONEY, Format.MONEY, better=Better.HIGHER
)
NPV_WITH_TERMINAL_VALUE = Headline(
    "npv_with_terminal_value",
    "NPV with terminal value",
    Kind.MONEY,
    Format.MONEY,
    better=Better.HIGHER,
)
IRR = Headline("irr_annual", "IRR (annual)", Kind.FRACTION, Format.RATE, better=Better.HIGHER)
RUN_RATE = Headline(
    "run_rate_savings_annual",
    "Run-rate savings a year",
    Kind.MONEY,
    Format.MONEY,
    paired=True,
    better=Better.HIGHER,
)
ONE_TIME_COSTS = Headline(
    "one_time_costs", "One-time costs", Kind.MONEY, Format.MONEY, paired=True, better=Better.LOWER
)
ROI = Headline(
    "roi", "Net benefit per unit of one-time cost", Kind.RATIO, Format.NUMBER, better=Better.HIGHER
)
ROLES_CUT = Headline("roles_cut", "Roles cut", Kind.COUNT, Format.HEADS)
HEADCOUNT_START = Headline("headcount_start", "Headcount at start", Kind.COUNT, Format.HEADS)
HEADCOUNT_END = Headline("headcount_end", "Headcount at end", Kind.COUNT, Format.HEADS, paired=True)
STATUS_QUO_HEADCOUNT_END = Headline(
    "status_quo_headcount_end", "Status quo headcount at end", Kind.COUNT, Format.HEADS
)
HEADCOUNT_CHANGE = Headline(
    "headcount_change_vs_status_quo", "Headcount vs status quo at end", Kind.COUNT, Format.CHANGE
)
THROUGHPUT_CHANGE = Headline(
    "throughput_change",
    "Work done vs status quo",
    Kind.FRACTION,
    Format.SHARE,
    paired=True,
    needs_flow=True,
    better=Better.HIGHER,
)
CYCLE_TIME_CHANGE = Headline(
    "cycle_time_change",
    "Cycle time vs status quo",
    Kind.FRACTION,
    Format.SHARE,
    paired=True,
    needs_flow=True,
    heavy_tailed=True,
    better=Better.LOWER,
)

#: every headline, in the order tables show them (replications.csv's columns)
REGISTRY = (
    PAYBACK,
    DISCOUNTED_PAYBACK,
    NPV,
    TERMINAL_VALUE,
    NPV_WITH_TERMINAL_VALUE,
    IRR,
    RUN_RATE,
    ONE_TIME_COSTS,
    ROI,
    ROLES_CUT,
    HEADCOUNT_START,
    HEADCOUNT_END,
    STATUS_QUO_HEADCOUNT_END,
    HEADCOUNT_CHANGE,
    THROUGHPUT_CHANGE,
    CYCLE_TIME_CHANGE,
)
BY_NAME = {h.name: h for h in REGISTRY}
#: the names, in registry order
HEADLINES = tuple(h.name for h in REGISTRY)
#: paybacks: a month that never comes counts as later than any month in the percentiles
NEVER = tuple(h.name for h in REGISTRY if h.never_is_last)
#: headlines a comparison differences replication by replication
PAIRED = tuple(h.name for h in REGISTRY if h.paired)
#: headlines that read the work flow; every other headline is headcount and money
FLOW_HEADLINES = frozenset(h.name for h in REGISTRY if h.needs_flow)
#: headlines whose mean a heavy tail of replications may pull far from the median
HEAVY_TAILED = tuple(h.name for h in REGISTRY if h.heavy_tailed)
#: headlines a higher value of which is better, and those a lower value of which is
HIGHER_IS_BETTER = frozenset(h.name for h in REGISTRY if h.better is Better.HIGHER)
LOWER_IS_BETTER = frozenset(h.name for h in REGISTRY if h.better is Better.LOWER)


def of_kind(kind: Kind) -> frozenset[str]:
    """The names of the headlines counted in ``kind``."""
    return frozenset(h.name for h in REGISTRY if h.kind is kind)
