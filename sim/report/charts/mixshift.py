"""Chart 8 (runs with roles only): the mix shift, which roles shrink and which grow.

For each role (all units together), the change in its people from the start to
the horizon under the plan, beside the same change in the status quo twin; the
gap between the two is what the plan does to the role. Drawn from the run
folder's role headcount series (sim.runs.series.Family.ROLE_HEADCOUNT, P50).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.report.text import calendar_month, significant
from sim.runs.series import Family

#: a role's gap to the status quo smaller than this share of its people reads as "holds"
HOLDS = 0.005
#: what every output that uses the SOC prior says (Tomlinson et al. 2025)
NOT_REPLACEMENT = (
    "Exposure by role may come from SOC AI applicability scores (Tomlinson et al. 2025), "
    "which measure where AI is applicable, not replacement"
)


@dataclass(frozen=True)
class RoleShift:
    name: str
    start: float
    plan_end: float
    status_quo_end: float

    @property
    def plan_change(self) -> float:
        return self.plan_end - self.start

    @property
    def status_quo_change(self) -> float:
        return self.status_quo_end - self.start

    @property
    def against_status_quo(self) -> float:
        return self.plan_end - self.status_quo_end


def has_roles(run: Run) -> bool:
    return bool(run.items(Family.ROLE_HEADCOUNT))


def shifts(run: Run) -> list[RoleShift]:
    """Each role across units, most shrunk against the status quo first."""
    found = []
    for role in run.items(Family.ROLE_HEADCOUNT):
        plan = run.item(Family.ROLE_HEADCOUNT, role).p50
        base = run.item(Family.ROLE_HEADCOUNT, role, twin=True).p50
        start = float(np.nan_to_num(plan[0]))
        found.append(
            RoleShift(
                role,
                start,
                float(np.nan_to_num(plan[-1])),
                float(np.nan_to_num(base[-1])),
            )
        )
    return sorted(found, key=lambda s: s.against_status_quo)


def _signed(value: float) -> str:
    return ("+" if value >= 0 else "-") + significant(abs(value))


def titles(roles: list[RoleShift]) -> list[str]:
    """The takeaway, most said first: which role ends furthest below the status quo and
    which furthest above it."""
    if not roles:
        return ["No roles in this run"]
    shrunk = [r for r in roles if r.against_status_quo < -HOLDS * max(r.status_quo_end, 1)]
    grown = [r for r in roles if r.against_status_quo > HOLDS * max(r.status_quo_end, 1)]
    if not shrunk and not grown:
        return ["Every role ends where the status quo would have it"]
    low, high = (shrunk[0] if shrunk else None), (grown[-1] if grown else None)
    below = f"{significant(-low.against_status_quo)} below" if low else ""
    above = f"{significant(high.against_status_quo)} above" if high else ""
    if low and high:
        return [
            f"{low.name} ends {below} the status quo, {high.name} {above}",
            f"{low.name} {_signed(low.against_status_quo)}, {high.name} "
            f"{_signed(high.against_status_quo)} against the status quo",
            f"{low.name} {_signed(low.against_status_quo)}, {high.name} "
            f"{_signed(high.against_status_quo)} vs status quo",
            f"{low.name} shrinks most, {high.name} grows most",
        ]
    if low:
        return [
            f"{low.name} ends {below} the status quo; no role ends above it",
            f"{low.name} shrinks most; no role grows against the status quo",
        ]
    return [f"{high.name} ends {above} the status quo; no role ends below it"]  # type: ignore[union-attr]


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    roles = shifts(run)
    height = style.AXES_TOP - style.AXES_BOTTOM - 0.07
    ax = figure.add_axes((0.24, style.AXES_BOTTOM, 0.72, height))
    y = np.arange(len(roles))
    bar = 0.38
    plan_colours = [style.ORANGE if r.against_status_quo < 0 else style.BLUE for r in roles]
    ax.barh(y + bar / 2, [r.status_quo_change for r in roles], bar, color=style.GREY)
    ax.barh(y - bar / 2, [r.plan_change for r in roles], bar, color=plan_colours)
    ax.axvline(0, color=style.BLACK, linewidth=1)
    ax.set_yticks(y, [r.name for r in roles])
    ax.invert_yaxis()  # the most shrunk at the top
    style.count_axis(ax.xaxis)
    ax.set_xlabel("Change in people from the start to the horizon (P50)")
    for i, r in enumerate(roles):
        ends = [r.plan_change, r.status_quo_change, 0.0]
        ax.text(
            max(ends),
            i - bar / 2,
            f"  {_signed(r.against_status_quo)} vs status quo",
            va="center",
            fontsize=style.NOTE_PT,
            color=style.INK,
        )
    low = min([0.0, *(min(r.plan_change, r.status_quo_change) for r in roles)])
    high = max([0.0, *(max(r.plan_change, r.status_quo_change) for r in roles)])
    span = (high - low) or 1.0
    ax.set_xlim(low - 0.05 * span, high + 0.35 * span)
    handles: list[Artist] = [
        Patch(color=style.ORANGE),
        Patch(color=style.BLUE),
        Patch(color=style.GREY),
    ]
    labels = ["Plan, below the status quo", "Plan, above the status quo", "Status quo"]
    style.legend_row(figure, handles, labels)
    when = f"{calendar_month(run.months[0])} to {calendar_month(run.months[-1])}"
    subtitle = (
        f"Change in each role's people, all units, {when} (P50); exposure may come from "
        "SOC AI applicability, which is not replacement"
    )
    said = titles(roles)
    if run.replications > 1:  # the P50s, said as such: the table's first column is the mean
        said = [f"{title} (medians)" for title in said]
    style.frame(figure, style.fitting_title(figure, said), subtitle, run.source_line())
    return figure
