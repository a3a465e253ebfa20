"""Chart 4: cumulative net cash against the status quo, and when it pays back.

Payback months count from the valuation month (summary.json's ``valuation``),
so the marks stand at that many months past it on the run's axis; the title
says which statistic it shows (the median payback of the replications).
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import annual_rate, calendar_month, money, month_and_date
from sim.runs.headlines import NPV, PAYBACK


def _offset(run: Run) -> int:
    """Months of the run before the valuation month (0 for a folder written before it)."""
    return run.summary.valuation.months_before


def _at(run: Run, month: float | None) -> float | None:
    """Where a payback month (counted from the valuation month) stands on the run's axis."""
    return None if month is None else month + _offset(run)


def _month_text(run: Run, month: float, stat: str) -> str:
    """'month 8 (Nov 2026)', as the headline table writes a payback percentile."""
    date = run.summary.date_of(PAYBACK, stat)
    if date is None:  # a folder from before the dates: the month counted on the axis
        date = run.months[_offset(run) + int(month) - 1]
    return month_and_date(month, date)


def _run_month_text(run: Run, index: int) -> str:
    """'Nov 2026' for a month of the run (1-based on the chart's axis)."""
    return calendar_month(run.months[int(index) - 1])


def _range_text(run: Run, low: float | None, high: float | None) -> str:
    """'P10-P90: month 11-19', or '... month 11 to beyond 36'."""
    last = len(run.months) - _offset(run)  # the horizon's last month, counted from valuation
    if low is None or low == 0:
        low_text = "at once" if low == 0 else f"beyond {last}"
    else:
        low_text = f"{low:.0f}"
    if high is None:
        return f"P10-P90: month {low_text} to beyond {last}"
    if low == high:
        return ""
    return f"P10-P90: month {low_text}-{high:.0f}"


def _title(run: Run, cumulative: np.ndarray) -> str:
    band = run.headline(PAYBACK.name)
    p50 = band.p50
    if p50 is None:
        share = _share_paid_back(run)
        end = money(cumulative[-1], run.currency)
        title = f"Does not pay back by {calendar_month(run.months[-1])}: {end} by then"
        return title + (f" ({share})" if share else "")
    if p50 == 0:
        if np.allclose(cumulative, 0.0, atol=1.0):
            return "No net cash effect: nothing invested, nothing saved"
        return "Nothing to pay back: cash ahead of the status quo from the start"
    spread = _range_text(run, band.p10, band.p90) if run.replications > 1 else ""
    what = "Median payback" if run.replications > 1 else "Payback"
    return f"{what} {_month_text(run, p50, 'p50')}" + (f"; {spread}" if spread else "")


def _share_paid_back(run: Run) -> str:
    """'pays back in 3 of 20 runs', from summary.json's counts; '' if none does."""
    paid = run.summary.paid_back_within_horizon.get(PAYBACK.name)
    if not paid:
        return ""
    return f"pays back in {paid} of {run.replications} runs"


def _payback_marks(ax, run: Run) -> list[tuple]:
    band = run.headline(PAYBACK.name)
    p10, p50, p90 = band.p10, band.p50, band.p90
    horizon = len(run.months)
    handles: list[tuple[Artist, str]] = []
    if p50 is None and (p10 is None or p10 == 0):
        return handles
    if p10 is not None and p10 > 0 and run.replications > 1 and p10 != p90:
        right = horizon + 0.4 if p90 is None else _at(run, p90)
        ax.axvspan(_at(run, p10), right, color=style.GREEN, alpha=0.14, linewidth=0)
        handles.append((Patch(color=style.GREEN, alpha=0.25), "Payback P10-P90"))
    if p50 is not None and p50 > 0:
        ax.axvline(_at(run, p50), color=style.GREEN, linewidth=3, linestyle=(0, (5, 2)))
        handles.append(
            (Line2D([], [], color=style.GREEN, linewidth=3, linestyle=(0, (5, 2))), "Payback P50")
        )
    if _offset(run) > 0:
        ax.axvline(_offset(run) + 0.5, color=style.MUTED, linewidth=1.2, linestyle=":")
        handles.append(
            (Line2D([], [], color=style.MUTED, linewidth=1.2, linestyle=":"), "Valuation date")
        )
    return handles


def _annotate(ax, run: Run, cumulative: np.ndarray) -> None:
    """The trough (the most cash the plan needs) and where it ends up."""
    currency = run.currency
    x = run.x
    end = cumulative[-1]
    ax.annotate(
        money(end, currency),
        (x[-1], end),
        xytext=(-10, 14 if end >= 0 else -14),
        textcoords="offset points",
        ha="right",
        va="bottom" if end >= 0 else "top",
        fontsize=style.NOTE_PT + 2,
        fontweight="bold",
        color=style.BLUE,
    )
    trough_index = int(np.nanargmin(cumulative))
    if cumulative[trough_index] < 0 and trough_index < len(x) - 1:
        _trough(ax, run, x[trough_index], cumulative[trough_index])


def _trough(ax, run: Run, month: int, trough: float) -> None:
    """Mark the most cash the plan needs, the text clear of the payback marks."""
    low, high = ax.get_ylim()
    text_y = trough - 0.04 * (high - low)
    band = run.headline(PAYBACK.name)
    marks = [m + _offset(run) for m in (band.p10, band.p50, band.p90) if m]
    if month / len(run.x) > 0.3:  # room on the left
        text_x, align = month - 0.5, "right"
    else:  # on the right, past the payback marks
        text_x, align = max([month, *(m for m in marks if m < len(run.x) / 2)]) + 0.6, "left"
    ax.annotate(
        f"Most cash out: {money(trough, run.currency)}\nin {_run_month_text(run, month)}",
        (month, trough),
        xytext=(text_x, text_y),
        textcoords="data",
        ha=align,
        va="top",
        fontsize=style.NOTE_PT,
        color=style.INK,
        arrowprops={"arrowstyle": "-", "color": style.MUTED, "linewidth": 1, "relpos": (0, 1)},
    )
    ax.plot([month], [trough], "o", color=style.BLUE, markersize=8)


def _limits(ax, cumulative, middle: np.ndarray) -> None:
    """Room around the data for the labels: below the trough, above the end."""
    low = float(np.nanmin(np.concatenate([cumulative.p10, middle, [0.0]])))
    high = float(np.nanmax(np.concatenate([cumulative.p90, middle, [0.0]])))
    style.value_limits(ax, low, high, 0.22 if low < 0 else 0.06, 0.12)


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.87, style.AXES_TOP - style.AXES_BOTTOM))
    x = run.x
    cumulative = run.get("cumulative_net_cash")
    middle = np.nan_to_num(cumulative.p50)
    ax.axhline(0, color=style.MUTED, linewidth=1.5)
    handles = _payback_marks(ax, run)
    style.band(ax, x, cumulative.p10, cumulative.p90, style.BLUE)
    ax.plot(x, middle, color=style.BLUE, linewidth=3.5)

    style.money_axis(ax.yaxis, run.currency)
    _limits(ax, cumulative, middle)
    _annotate(ax, run, middle)
    style.month_axis(ax, run.months)
    ax.set_ylabel(f"Cumulative net cash ({run.currency})")

    line = (Line2D([], [], color=style.BLUE, linewidth=3.5), "Cumulative net cash, P50")
    legend: list[tuple[Artist, str]] = [line]
    if run.replications > 1:
        legend.append((Patch(color=style.BLUE, alpha=style.BAND_ALPHA), "P10-P90"))
    legend += handles
    style.legend_row(figure, [h for h, _ in legend], [label for _, label in legend])

    npv = run.headline(NPV.name)
    mean = run.summary.mean_cash_flow
    rate = mean.discount_rate_annual if mean is not None else None
    rate_text = f" at {annual_rate(rate)}" if isinstance(rate, int | float) else ""
    valued = run.summary.valuation.month
    if valued:
        rate_text += f", valued at {calendar_month(valued)}"
    subtitle = "Savings minus costs against the status quo, added up month by month"
    if npv.p50 is not None:
        what = "median NPV" if run.replications > 1 else "NPV"
        subtitle += f"; {what} {money(npv.p50, run.currency)}{rate_text}"
        low, high = money(npv.p10, run.currency), money(npv.p90, run.currency)
        if run.replications > 1 and low != high:
            subtitle += f" (P10-P90 {low} to {high})"
    style.frame(figure, _title(run, middle), subtitle, run.source_line())
    return figure
