"""The board pack's cash by fiscal year: net savings, one-time costs and net cash.

The figures are summary.json's ``fiscal_years`` (the replications' mean cash
flow, undiscounted), the same the fiscal-year table writes; one-time costs
stand below zero, as cash out, so that each year's net cash is the savings bar
less the costs bar. The takeaway says whether and when net cash turns positive
and stays so. The pack draws it beside the table (the deck natively, the report
as this drawing); it is not one of the six charts written into ``charts/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import fiscal_year_label, money

if TYPE_CHECKING:
    from sim.runs.summary import FiscalYear

#: money below this (half a dollar, euro, ...) is written as 0
HALF_A_UNIT = 0.5
#: a bar's width, in fiscal years; three bars a year, a gap between years
BAR_WIDTH = 0.27
#: the x axis is this many years wide at the least, however few the horizon holds
FEWEST_YEARS_WIDE = 3
NET_SAVINGS = "Net savings (before one-time costs)"
ONE_TIME_COSTS = "One-time costs (cash out)"
NET_CASH = "Net cash"


def title(years: Sequence[FiscalYear], currency: str) -> str:
    """What the fiscal years say: whether and when the net cash turns positive and
    stays so (the mean cash flow's, as the table shows it)."""
    net = [year.net_cash for year in years]
    names = [year.fiscal_year for year in years]
    total = money(sum(net), currency)
    if all(abs(value) < HALF_A_UNIT for value in net):  # all written as 0
        return "No net cash effect in any fiscal year"
    negative = [i for i, value in enumerate(net) if value < 0]
    if not negative:
        if all(value > 0 for value in net):
            return f"Net cash positive in every fiscal year: {total} in all"
        return f"Net cash never negative in a fiscal year: {total} in all"
    last = negative[-1]
    if last == len(years) - 1:
        return f"Net cash still negative in {names[last]}: {money(net[last], currency)}"
    before = money(sum(net[: last + 1]), currency)
    spanned = names[0] + (f"-{names[last]}" if last else "")
    after = "positive" if all(value > 0 for value in net[last + 1 :]) else "not negative"
    return f"Net cash {after} from {names[last + 1]} on, after a net {before} in {spanned}"


def has_figures(years: Sequence[FiscalYear]) -> bool:
    """Whether any figure of the years is written as more than 0: a chart of
    nothing but zeros says no more than the title does."""
    return any(
        abs(value) >= HALF_A_UNIT
        for year in years
        for value in (year.net_savings, year.one_time_costs, year.net_cash)
    )


def series(years: Sequence[FiscalYear]) -> list[tuple[str, tuple[float, ...], str]]:
    """The bars of each fiscal year as (name, values, colour): net savings, the
    one-time costs as cash out (below zero), and net cash, their sum."""
    return [
        (NET_SAVINGS, tuple(float(y.net_savings) for y in years), style.GREEN),
        (ONE_TIME_COSTS, tuple(-float(y.one_time_costs) for y in years), style.VERMILLION),
        (NET_CASH, tuple(float(y.net_cash) for y in years), style.BLUE),
    ]


def axis_title(currency: str) -> str:
    return f"Cash in the fiscal year ({currency})"


def _bars(ax: Axes, years: Sequence[FiscalYear], currency: str) -> None:
    x = np.arange(len(years))
    drawn = series(years)
    for k, (_name, values, colour) in enumerate(drawn):
        ax.bar(x + (k - 1) * BAR_WIDTH, values, width=BAR_WIDTH * 0.94, color=colour)
    net = drawn[-1][1]
    for i, value in enumerate(net):
        # a loss is labelled beneath the year's lowest bar, clear of the costs' bar
        at = value if value >= 0 else min(bars[i] for _, bars, _ in drawn)
        ax.annotate(
            money(value, currency),  # as the table writes it
            (i + BAR_WIDTH, at),
            xytext=(0, 6 if value >= 0 else -6),
            textcoords="offset points",
            ha="center",
            va="bottom" if value >= 0 else "top",
            fontsize=style.NOTE_PT,
            fontweight="bold",
            color=style.BLUE,
        )
    labels = [fiscal_year_label(year).replace(" (part)", "\n(part)") for year in years]
    ax.set_xticks(x, labels)
    # a year or two keep the bars of three: no slab of a bar across the slide
    middle, half = (len(years) - 1) / 2, max(len(years), FEWEST_YEARS_WIDE) / 2 + 0.1
    ax.set_xlim(middle - half, middle + half)
    ax.grid(False, axis="x")
    ax.axhline(0, color=style.MUTED, linewidth=1.5)
    every = np.concatenate([np.asarray(v) for _, v, _ in drawn] + [np.zeros(1)])
    low, high = float(every.min()), float(every.max())
    style.value_limits(ax, low, high, 0.14 if low < 0 else 0.0, 0.14)
    style.money_axis(ax.yaxis, currency)
    ax.set_ylabel(axis_title(currency))


def draw(run: Run) -> Figure:
    """The fiscal years of the run as grouped bars, a group a year."""
    years = run.summary.fiscal_years
    currency = run.currency
    figure = style.new_figure()
    top = style.AXES_TOP - 0.03
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.87, top - style.AXES_BOTTOM))
    _bars(ax, years, currency)
    handles = [Patch(color=colour) for _, _, colour in series(years)]
    style.legend_row(figure, handles, [name for name, _, _ in series(years)])
    subtitle = (
        "Each fiscal year's net savings less its one-time costs: the replications' "
        "mean cash flow, undiscounted"
    )
    style.frame(figure, title(years, currency), subtitle, run.source_line())
    return figure
