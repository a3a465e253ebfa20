"""Charts 11 and 12: headcount and payroll saved by unit and by layer, the Orgvue and
Visier view of a plan.

Two panels a slide, one row a unit (chart 11) or a layer name across units (chart
12): on the left the people at the end against the status quo, on the right the
payroll saved a year at the run rate. A unit's bar is split into its managers and
its ICs, drawn apart from zero (a plan may add ICs while it cuts managers). The
people are the headcount bridge's month-end means, the money the mean cash flows'
payroll lines, so the rows add up to the figures of the other charts and tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.data import (
    LayerView,
    Run,
    layer_order,
    layer_views,
    plural,
)
from sim.report.text import money
from sim.runs.numbers import significant

MANAGERS, ICS = "Managers", "ICs"
COLOURS = {MANAGERS: style.ORANGE, ICS: style.BLUE}
#: the panels' places, in figure fractions (names of the rows to the left of each)
PEOPLE_PANEL = (0.225, 0.32)
MONEY_PANEL = (0.63, 0.33)
BAR_HEIGHT = 0.62
#: room beyond the longest bar for its total ('-11,600'), a share of the axis's range
LABEL_ROOM = 0.45


@dataclass(frozen=True)
class Row:
    """One row of a view: a name and its managers' and ICs' figures."""

    name: str
    people: dict[str, float]  # end minus status quo end
    saved: dict[str, float]  # payroll saved a year at the run rate
    status_quo_end: float

    @property
    def people_total(self) -> float:
        return sum(self.people.values())

    @property
    def saved_total(self) -> float:
        return sum(self.saved.values())


def _row(name: str, views: Sequence[LayerView]) -> Row:
    people = {MANAGERS: 0.0, ICS: 0.0}
    saved = {MANAGERS: 0.0, ICS: 0.0}
    for view in views:
        kind = ICS if view.ic else MANAGERS
        people[kind] += view.change_vs_status_quo
        saved[kind] += view.payroll_saved_annual
    return Row(name, people, saved, sum(v.status_quo_end for v in views))


def unit_rows(views: Sequence[LayerView]) -> list[Row]:
    """A row a unit, in the scenario's order."""
    units = list(dict.fromkeys(v.unit for v in views))
    return [_row(unit, [v for v in views if v.unit == unit]) for unit in units]


def layer_rows(views: Sequence[LayerView]) -> list[Row]:
    """A row a layer name across units, top to bottom."""
    return [_row(name, [v for v in views if v.layer == name]) for name in layer_order(views)]


def _diverging(ax: Axes, rows: Sequence[Row], values: str, label: str) -> None:
    """Managers then ICs from zero, positive parts to the right and negative to the left,
    the row's total written at its end."""
    for k, row in enumerate(rows):
        parts = getattr(row, values)
        right = left = 0.0
        for kind in (MANAGERS, ICS):
            value = parts[kind]
            start = right if value >= 0 else left
            ax.barh(k, value, left=start, height=BAR_HEIGHT, color=COLOURS[kind])
            if value >= 0:
                right += value
            else:
                left += value
        total = sum(parts.values())
        end = right if total >= 0 else left
        ax.annotate(
            label_of(total, values, label),
            (end, k),
            xytext=(8 if total >= 0 else -8, 0),
            textcoords="offset points",
            ha="left" if total >= 0 else "right",
            va="center",
            fontsize=style.LABEL_PT,
            fontweight="bold",
            color=style.INK,
        )
    ax.axvline(0, color=style.MUTED, linewidth=1.2)
    ax.set_ylim(len(rows) - 0.4, -0.6)  # the first row at the top
    ax.set_yticks(range(len(rows)))
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    low = min(min(getattr(r, values)[MANAGERS], 0) + min(getattr(r, values)[ICS], 0) for r in rows)
    high = max(max(getattr(r, values)[MANAGERS], 0) + max(getattr(r, values)[ICS], 0) for r in rows)
    span = (high - low) or 1.0
    ax.set_xlim(
        low - LABEL_ROOM * span * (low < 0), high + LABEL_ROOM * span * (high > 0 or low == 0)
    )


def label_of(value: float, values: str, currency: str) -> str:
    if values == "people":
        return significant(value, signed=True)  # no '-0' for less than half a person
    return money(value, currency)


def _figure(rows: Sequence[Row], run: Run, heading: Sequence[str], what: str) -> Figure:
    figure = style.new_figure()
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.05
    people = figure.add_axes((PEOPLE_PANEL[0], style.AXES_BOTTOM, PEOPLE_PANEL[1], height))
    money_ax = figure.add_axes((MONEY_PANEL[0], style.AXES_BOTTOM, MONEY_PANEL[1], height))
    _diverging(people, rows, "people", run.currency)
    _diverging(money_ax, rows, "saved", run.currency)
    people.set_yticklabels([r.name for r in rows], fontsize=style.LABEL_PT)
    money_ax.set_yticklabels([])
    style.count_axis(people.xaxis)
    style.money_axis(money_ax.xaxis, run.currency)
    people.set_title("People vs the status quo")
    money_ax.set_title("Payroll saved a year, run rate")
    people.set_xlabel("People at the end, against the status quo")
    money_ax.set_xlabel(f"{run.currency} a year")
    handles = [Patch(color=COLOURS[k]) for k in (MANAGERS, ICS)]
    style.legend_row(figure, handles, [MANAGERS, ICS])
    subtitle = (
        f"{what}: month-end people and payroll saved, {run.mean_of}, against the status quo's"
    )
    style.frame(figure, style.fitting_title(figure, heading), subtitle, run.source_line())
    return figure


def unit_titles(rows: Sequence[Row], currency: str) -> list[str]:
    """The unit saving most, its share of the payroll saved and its people."""
    total = sum(r.saved_total for r in rows)
    if not rows or total <= 0:
        return ["The plan saves no payroll against the status quo"]
    best = max(rows, key=lambda r: r.saved_total)
    share = best.saved_total / total
    saved = money(best.saved_total, currency)
    people = significant(abs(best.people_total))
    if people == "0":
        with_people = "with as many people as the status quo"
    else:
        with_people = f"with {people} {'fewer' if best.people_total < 0 else 'more'} people"
    if len(rows) == 1:  # no 'the most' of one
        head = f"{best.name} saves {saved} a year"
        return [f"{head}, {with_people}", head]
    head = f"{best.name} saves the most: {saved} a year, {share:.0%} of the payroll saved"
    return [
        f"{head}, {with_people}",
        f"{best.name} saves the most: {saved} a year ({share:.0%}), {with_people}",
        head,
    ]


def layer_titles(views: Sequence[LayerView], currency: str) -> list[str]:
    """The managers' share of the payroll saved against their share of the people (in
    the status quo at the end), and the layer saving most."""
    rows = layer_rows(views)
    total = sum(r.saved_total for r in rows)
    people = sum(v.status_quo_end for v in views)
    if not rows or total <= 0 or people <= 0:
        return ["The plan saves no payroll against the status quo"]
    managers_saved = sum(v.payroll_saved_annual for v in views if not v.ic) / total
    managers_people = sum(v.status_quo_end for v in views if not v.ic) / people
    best = max(rows, key=lambda r: r.saved_total)
    saved = money(best.saved_total, currency)
    relation = "but" if managers_saved > managers_people else "and"
    head = (
        f"Managers are {managers_people:.0%} of the people {relation} {managers_saved:.0%} "
        "of the payroll saved"
    )
    return [f"{head}; the {plural(best.name)} save most, {saved} a year", head]


def draw_units(run: Run) -> Figure:
    """Chart 11: by unit."""
    rows = unit_rows(layer_views(run))
    if not rows:
        return _empty(run)
    return _figure(rows, run, unit_titles(rows, run.currency), "By unit")


def draw_layers(run: Run) -> Figure:
    """Chart 12: by layer, each name summed across the units that have it."""
    views = layer_views(run)
    if not views:
        return _empty(run)
    return _figure(
        layer_rows(views), run, layer_titles(views, run.currency), "By layer, across units"
    )


def _empty(run: Run) -> Figure:
    figure = style.new_figure()
    style.frame(figure, "No layers counted in this run folder", "", run.source_line())
    return figure
