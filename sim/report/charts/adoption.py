"""Chart 6: AI adoption and the seats funded, against the payroll savings that
pay for them."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import money, significant
from sim.runs.series import Family

PROGRAM_COLOURS = (style.SKY, style.PURPLE, style.GREEN, style.VERMILLION, style.YELLOW)
DASHED = (0, (5, 2))
#: longest programme name drawn in full in the legend, and where its label wraps
NAME_CHARS = 60
WRAP_CHARS = 34


def programs(run: Run) -> list[str]:
    return run.items(Family.AI_SEATS)


def has_ai(run: Run) -> bool:
    seats = run.get("ai_seats").p90
    return bool(np.isfinite(seats).any() and np.nanmax(seats) > 0)


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def overlapping(run: Run) -> bool:
    """Several programmes: their seats add up, and one person may hold a seat in each, so
    seats over staff is seats per head, not the share of people with a seat."""
    return len(programs(run)) > 1


def _per_head_axis(ax: Axes, top: float) -> None:
    """Ticks every 0.2 seats per head, up to the top of the data."""
    ticks = np.arange(0.0, max(1.0, top) + 0.01, 0.2).tolist()
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}"))


def _adoption_panel(ax: Axes, run: Run) -> None:
    x = run.x
    per_head = overlapping(run)
    ax.set_ylim(0, 1.08)
    style.percent_axis(ax.yaxis)
    style.month_axis(ax, run.months, max_ticks=7)
    ax.set_ylabel("AI seats per head of staff" if per_head else "Share of staff with an AI seat")
    ax.set_title("Adoption: seats funded")
    if not has_ai(run):
        ax.text(
            0.5,
            0.5,
            "No AI programme\nin this scenario",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=style.LABEL_PT + 4,
            color=style.MUTED,
        )
        return
    labels, handles, names = [], [], programs(run)
    total = run.get("ai_adoption")
    style.band(ax, x, total.p10, total.p90, style.BLUE)
    ax.plot(x, total.p50, color=style.BLUE, linewidth=3.5)
    seats = significant(run.get("ai_seats").p50[-1])
    end = total.p50[-1]
    if per_head:
        # a person may hold a seat in each programme: a total over staff is no share
        legend_text = f"All programmes: {seats} seats, {end:.2f} per head"
        labels.append((total.p50, f"{end:.2f} per head", style.BLUE))
    else:
        legend_text = f"All staff: {seats} seats"
        labels.append((total.p50, f"{end:.0%}", style.BLUE))
    handles.append((Line2D([], [], color=style.BLUE, linewidth=3.5), legend_text))
    if per_head:
        for name, colour in zip(names, PROGRAM_COLOURS * 3, strict=False):
            share = run.item(Family.AI_ADOPTION, name).p50
            ax.plot(x, share, color=colour, linewidth=2.5, linestyle=DASHED)
            label = textwrap.fill(f"{_short(name)} (per head of its staff)", WRAP_CHARS)
            handles.append((Line2D([], [], color=colour, linewidth=2.5, linestyle=DASHED), label))
            labels.append((share, f"{share[-1]:.2f}", colour))
    legend = ax.legend(
        *zip(*handles, strict=True),
        loc="upper left",
        fontsize=style.NOTE_PT - 1,
        handlelength=1.8,
        borderaxespad=0.3,
        labelspacing=0.6,
    )
    shares = (run.item(Family.AI_ADOPTION, n).p50 for n in names)
    highest = [total.p90, *shares, np.array([0.05])]
    top = float(np.nanmax(np.concatenate(highest)))
    style.headroom(ax, legend, top)
    if per_head:
        _per_head_axis(ax, top)
    else:
        ax.yaxis.set_major_locator(FixedLocator([0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    style.end_labels(ax, x[-1], labels)


def _budget(run: Run) -> np.ndarray | None:
    """Money available for seats a month, where funding is constrained."""
    total = np.zeros(len(run.months))
    found = False
    for name in programs(run):
        budget = run.item(Family.AI_BUDGET, name).p50
        if np.isfinite(budget).any():
            total += np.nan_to_num(budget)
            found = True
    return total if found else None


def _money_panel(ax: Axes, run: Run) -> None:
    x = run.x
    currency = run.currency
    savings = run.get("payroll_savings")
    cost = run.get("ai_running_cost")
    lines = [(savings, style.GREEN, "Payroll saved")]
    budget = _budget(run) if has_ai(run) else None
    if has_ai(run):
        lines.append((cost, style.ORANGE, "AI running cost"))
    values = [np.concatenate([band.p10, band.p90, band.p50]) for band, _, _ in lines]
    values += [np.zeros(1)] + ([budget] if budget is not None else [])
    low, high = float(np.nanmin(np.concatenate(values))), float(np.nanmax(np.concatenate(values)))
    style.money_axis(ax.yaxis, currency)
    style.value_limits(ax, low, high, 0.12, 0.12)
    ax.axhline(0, color=style.MUTED, linewidth=1.2)

    labels = []
    for band, colour, name in lines:
        style.band(ax, x, band.p10, band.p90, colour)
        ax.plot(x, band.p50, color=colour, linewidth=3.5)
        labels.append((band.p50, f"{name}: {money(band.p50[-1], currency)}", colour))
    if budget is not None:
        ax.plot(x, budget, color=style.PURPLE, linewidth=2.5, linestyle=DASHED)
        ceiling = f"AI budget ceiling: {money(budget[-1], currency)}"
        labels.append((budget, ceiling, style.PURPLE))
    style.end_labels(ax, x[-1], labels)
    style.month_axis(ax, run.months, max_ticks=7)
    ax.set_ylabel(f"{currency} a month")
    ax.set_title("Payroll saved and what AI costs")


def _title(run: Run) -> str:
    savings = run.run_rate(np.nan_to_num(run.get("payroll_savings").p50)) / 12
    currency = run.currency
    if not has_ai(run):
        if savings > 0:
            return f"No AI in this plan: {money(savings, currency)} a month saved on payroll"
        return "No AI in this plan, and no payroll saved"
    share = run.get("ai_adoption").p50[-1]
    cost = run.run_rate(np.nan_to_num(run.get("ai_running_cost").p50)) / 12
    if overlapping(run):
        seats = significant(run.get("ai_seats").p50[-1])
        what = f"{seats} AI seats ({share:.2f} per head of staff)"
    else:
        what = f"AI seats for {share:.0%} of staff"
    if savings > 0:
        return f"{what} cost {cost / savings:.0%} of the payroll saved"
    return f"{what} cost {money(cost, currency)} a month"


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.04
    left = figure.add_axes((0.09, style.AXES_BOTTOM, 0.38, height))
    right = figure.add_axes((0.59, style.AXES_BOTTOM, 0.38, height))
    _adoption_panel(left, run)
    _money_panel(right, run)
    seats = "Seats per head of staff" if overlapping(run) else "Seats as a share of staff"
    subtitle = f"{seats}; monthly payroll savings against the AI bill; P50 lines"
    if run.replications > 1:
        subtitle += ", P10-P90 shaded"
    if has_ai(run) and _budget(run) is not None:
        subtitle += "; dashed: the most AI may spend (unspent, it stays saved)"
    style.frame(figure, _title(run), subtitle, run.source_line())
    return figure
