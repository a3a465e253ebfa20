"""Chart 3: the cost bridge from the status quo's annual run rate to the plan's,
and the one-time costs paid to get there.

A run rate is a year at the pace of the last quarter (the last 3 months x 4), of
mean recurring costs from cashflows.csv (one-time costs are the right-hand
panel), so the steps add up exactly and the gap is the headline run-rate
savings. The steps are summary.json's run-rate bridge, the lines the printout and the
report list: the payroll saved by cause (roles cut, layers removed, leavers not
replaced, hires avoided by AI, the new roles' payroll), then hiring and AI
running costs; lines under 1% of the largest are one step of smaller items.
The value axis starts near the smaller of the two totals, not at zero, so that
steps of a few percent show; the axis says so.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.finance.cashflows import (
    AI_ONE_TIME,
    NOTICE_PAY,
    RESKILLING,
    RETRAINING,
    SEVERANCE,
    WAVE_ONE_TIME,
)
from sim.report.charts import style
from sim.report.charts.data import BASELINE, SCENARIO, Run
from sim.report.text import money

#: characters a tick label's line holds among many bars
NARROW_CHARS = 7
BAR_WIDTH = 0.62  # of the gap between bars: room for the connecting lines
#: a step smaller than this share of the status quo's run rate is labelled as about nothing
TINY_SHARE = 0.001

ONE_TIME_LABELS = {
    NOTICE_PAY: "Notice pay",
    SEVERANCE: "Severance",
    WAVE_ONE_TIME: "Wave one-time",
    AI_ONE_TIME: "AI one-time",
    RETRAINING: "Retraining",
    RESKILLING: "Reskilling",
}
ONE_TIME_COLOURS = {
    NOTICE_PAY: style.PURPLE,
    SEVERANCE: style.ORANGE,
    WAVE_ONE_TIME: style.SKY,
    AI_ONE_TIME: style.YELLOW,
    RETRAINING: style.GREEN,
    RESKILLING: style.BLUE,
}


@dataclass(frozen=True)
class Step:
    label: str
    change: float  # + costs more a year, - costs less


def steps(run: Run) -> tuple[float, list[Step], float]:
    """Status quo run rate, the steps from it, and the plan's run rate: the run-rate
    bridge's lines (summary.json's, as the printout and the report list them), each a
    saving drawn as a step down."""
    base_total = run.run_rate(run.recurring_cost(BASELINE))
    plan_total = run.run_rate(run.recurring_cost(SCENARIO))
    bridge = run.summary.run_rate_bridge
    if bridge is None:  # a folder written before the bridge existed: one step
        return base_total, [Step("Savings", plan_total - base_total)], plan_total
    return base_total, [Step(line.short_label, -line.annual) for line in bridge.shown()], plan_total


#: more bars than this: their tick labels wrap narrower and their figures stagger, so
#: that neighbours do not run into each other
CROWDED = 8


def _label(
    ax: Axes, x: float, y: float, text: str, colour: str = style.INK, raised: bool = False
) -> None:
    ax.annotate(
        text,
        (x, y),
        xytext=(0, 26 if raised else 8),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=style.NOTE_PT - 1,
        fontweight="bold",
        color=colour,
    )


def _waterfall(ax: Axes, run: Run) -> tuple[float, float]:
    base_total, moves, plan_total = steps(run)
    currency = run.currency
    labels = ["Status quo"]
    ax.bar(0, base_total, color=style.GREY, width=BAR_WIDTH)
    _label(ax, 0, base_total, money(base_total, currency))
    level = base_total
    for i, step in enumerate(moves, start=1):
        bottom, top = sorted((level, level + step.change))
        colour = style.GREEN if step.change <= 0 else style.VERMILLION
        ax.bar(i, top - bottom, bottom=bottom, color=colour, width=BAR_WIDTH)
        ax.plot(
            [i - 1 + BAR_WIDTH / 2, i - BAR_WIDTH / 2],
            [level, level],
            color=style.MUTED,
            linewidth=1.2,
        )
        sign = "+" if step.change > 0 else ""
        # every bar says its figure as the printout's bridge writes it: a step too thin to
        # see read "\u2248 0" here beside "Redeployed and reskilled $52.1M" there
        shown = f"{sign}{money(step.change, currency)}"
        crowded = len(moves) + 2 > CROWDED
        _label(ax, i, top, shown, colour, raised=crowded and i % 2 == 0)
        labels.append(step.label)
        level += step.change
    last = len(moves) + 1
    ax.plot(
        [last - 1 + BAR_WIDTH / 2, last - BAR_WIDTH / 2],
        [level, level],
        color=style.MUTED,
        linewidth=1.2,
    )
    ax.bar(last, plan_total, color=style.BLUE, width=BAR_WIDTH)
    _label(ax, last, plan_total, money(plan_total, currency), style.BLUE)
    labels.append("Plan")
    ticks = [_wrap(label, narrow=len(labels) > CROWDED) for label in labels]
    ax.set_xticks(range(len(labels)), ticks, fontsize=style.TICK_PT - 1)
    ax.set_xlim(-0.6, last + 0.6)
    levels = np.cumsum([base_total, *(s.change for s in moves)])
    low, high = float(min(levels.min(), plan_total)), float(max(levels.max(), plan_total))
    span = max(high - low, 0.02 * max(abs(high), 1.0))
    floor = max(0.0, low - 1.5 * span)  # the totals' bars are cut here: steps stay visible
    ax.set_ylim(floor, high + 0.2 * span if floor > 0 else max(high, 1.0) * 1.14)
    style.money_axis(ax.yaxis, currency)
    axis_note = f", axis from {money(floor, currency)}" if floor > 0 else ""
    ax.set_ylabel(f"Annual run rate ({currency} a year{axis_note})")
    ax.set_title("Annual cost at the end of the horizon")
    ax.grid(False, axis="x")
    return base_total, plan_total


def _wrap(label: str, narrow: bool = False) -> str:
    """Two lines for a long tick label: 'Layers removed' -> 'Layers\\nremoved'; among
    many bars, as many as it takes ('AI:\\nfewer\\nhires')."""
    if narrow:
        return "\n".join(textwrap.wrap(label, NARROW_CHARS)) or label
    words = label.split()
    if len(label) <= 7 or len(words) < 2:
        return label
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])


def _one_time(ax: Axes, run: Run) -> float:
    currency = run.currency
    bottom = 0.0
    parts = []
    for line in run.one_time_lines:  # every one the headline's one-time costs count
        colour = ONE_TIME_COLOURS[line]
        amount = float(np.sum(run.cash_line(line, SCENARIO) - run.cash_line(line, BASELINE)))
        if amount > 0:
            ax.bar(0, amount, bottom=bottom, color=colour, width=0.5)
            parts.append((ONE_TIME_LABELS[line], bottom + amount / 2, amount, colour))
            bottom += amount
    total = bottom
    ax.set_xlim(-0.4, 0.4)
    ax.set_xticks([0], ["Whole\nhorizon"])
    ax.grid(False, axis="x")
    ax.set_title("One-time costs")
    style.money_axis(ax.yaxis, currency)
    if total <= 0:
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.text(
            0.5,
            0.5,
            "None",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=style.LABEL_PT + 4,
            color=style.MUTED,
        )
        return 0.0
    band = run.headline("one_time_costs")
    top = max(total, band.p90 or 0.0)
    ax.set_ylim(0, top * 1.18)
    if run.replications > 1 and band.p10 is not None and band.p90 is not None:
        ax.errorbar(
            0,
            total,
            yerr=[[max(total - band.p10, 0)], [max(band.p90 - total, 0)]],
            color=style.INK,
            capsize=8,
            linewidth=2,
        )
    _label(ax, 0, top, money(total, currency))  # as the headline table writes money
    _part_labels(ax, parts, top * 1.18, currency)
    return total


def _part_labels(ax: Axes, parts: list, y_max: float, currency: str) -> None:
    """Name each slice to the right of the bar, nudged apart so none overlap."""
    gap = 0.13 * y_max
    ys = style.spread([middle for _, middle, _, _ in parts], gap, gap / 2, y_max - gap / 2)
    for (label, middle, amount, colour), y in zip(parts, ys, strict=True):
        ax.annotate(
            f"{label}\n{money(amount, currency)}",
            (0.27, middle),
            xytext=(1.12, y),
            textcoords=("axes fraction", "data"),
            va="center",
            ha="left",
            fontsize=style.NOTE_PT - 1,
            color=style.INK,
            arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 2, "relpos": (0, 0.5)},
        )


def _title(run: Run, base_total: float, plan_total: float, one_time: float) -> str:
    """The takeaway in the headline table's own figures (P50 run-rate savings and
    one-time costs), so the slide and the table say the same number; the bars are
    means, which add up."""
    saved = run.headline("run_rate_savings_annual").p50
    spent = run.headline("one_time_costs").p50
    change = plan_total - base_total if saved is None else -saved
    one_time = one_time if spent is None else spent
    currency = run.currency
    # the headline figures as the table writes them; the bars' means in the short form
    change_text = money(abs(change), currency) if saved is None else money(saved, currency)
    spent_text = money(one_time, currency) if spent is None else money(spent, currency)
    cost = f" for {spent_text} one-time" if one_time > 0 else ""
    if abs(change) < TINY_SHARE * abs(base_total) or base_total == 0:
        if one_time > 0:
            return f"Annual run-rate cost unchanged after {spent_text} one-time"
        return "Annual run-rate cost unchanged, and no one-time costs"
    share = abs(change) / base_total * 100
    verb = "falls" if change < 0 else "rises"
    what = (
        "Median annual run-rate cost"
        if saved is not None and run.replications > 1
        else ("Annual run-rate cost")
    )
    return f"{what} {verb} {change_text.lstrip('-')} ({share:.0f}%){cost}"


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.05
    bridge = figure.add_axes((0.1, style.AXES_BOTTOM, 0.58, height))
    one_time = figure.add_axes((0.77, style.AXES_BOTTOM, 0.085, height))
    base_total, plan_total = _waterfall(bridge, run)
    total = _one_time(one_time, run)
    subtitle = (
        "Run rate = recurring costs of the last 3 months x 4; title: P50, bars: means (they add up)"
    )
    if run.replications > 1 and total > 0:
        subtitle += "; whisker: P10-P90"
    style.frame(figure, _title(run, base_total, plan_total, total), subtitle, run.source_line())
    return figure
