"""Chart 9: the headcount bridge, from the starting headcount to the end's.

A waterfall of the replications' means (summary.json's ``headcount_bridge``): the
start, the people cut in the waves, those of them redeployed during notice,
attrition, hires and rehires, the new AI roles, and the end, which the steps reach
exactly. The status quo's end is drawn across it, so a reader sees both why
"30,000 roles cut" ends near the start and what the plan saved against doing nothing.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.report.charts import style
from sim.report.charts.data import Run
from sim.runs.headcountbridge import END, LABELS, MOVES, START, HeadcountBridge
from sim.runs.headlines import STATUS_QUO_HEADCOUNT_END
from sim.runs.numbers import significant

COLOURS = {
    START: style.GREY,
    "cut": style.VERMILLION,
    "redeployed": style.SKY,
    "attrition": style.ORANGE,
    "hires": style.GREEN,
    "new_roles": style.PURPLE,
    END: style.BLUE,
}
#: a step of no more people than this is left off the chart (a plan with no new roles)
NEGLIGIBLE = 0.0


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: its name, its change (or level, for start and end)."""

    name: str
    label: str
    value: float


def bridge_steps(bridge: HeadcountBridge) -> list[Step]:
    """The bridge's mean steps in order; a move no replication made is left out."""
    steps = [Step(START, LABELS[START], _mean(bridge, START))]
    steps += [
        Step(name, LABELS[name], _mean(bridge, name))
        for name in MOVES
        if abs(_mean(bridge, name)) > NEGLIGIBLE
    ]
    steps.append(Step(END, LABELS[END], _mean(bridge, END)))
    return steps


def _mean(bridge: HeadcountBridge, step: str) -> float:
    found = bridge.steps.get(step)
    return float(found.mean) if found is not None and found.mean is not None else 0.0


def signed(value: float) -> str:
    """'+196,000', '-30,000', '+2,300': as the headline table writes people."""
    return significant(value, signed=True)


def titles(bridge: HeadcountBridge, mean: bool = True) -> list[str]:
    """Candidates for the takeaway, true of the means (said so where there are many
    replications), the most said first: the change in headcount and what the hires (and
    the redeployed) did against the cuts and leavers. People as the headline table
    writes them, to three figures."""
    start, end = _mean(bridge, START), _mean(bridge, END)
    cut, left = -_mean(bridge, "cut"), -_mean(bridge, "attrition")
    hires, redeployed = _mean(bridge, "hires"), _mean(bridge, "redeployed")
    change = (
        f"{'Mean headcount' if mean else 'Headcount'} {significant(start)} → {significant(end)}"
    )
    if cut <= 0 and left <= 0:
        return [f"{change}: no one cut or lost"]
    gone = (
        f"the {significant(cut)} cut and {significant(left)} leavers"
        if cut > 0
        else f"the {significant(left)} leavers"
    )
    short = "cuts and leavers" if cut > 0 else "leavers"
    back = hires + redeployed
    if back <= 0:
        return [f"{change}: {gone[4:]}, no one hired"]
    who = "hires and redeployment" if redeployed > 0 else "hires"
    share = back / (cut + left)
    if share >= 1:
        found = [
            f"{change}: {who} ({significant(back)}) outnumber {gone}",
            f"{change}: {who} outnumber {gone}",
            f"{change}: {who} outnumber {short}",
        ]
        if hires >= cut + left:  # true of the hires alone
            found.append(f"{change}: hires outnumber {short}")
        lost = f"{significant(cut)} cut" if cut > 0 else f"{significant(left)} left"
        return [*found, f"{change}: {significant(hires)} hired, {lost}"]
    return [
        f"{change}: {who} replace {share:.0%} of {gone}",
        f"{change}: {who} replace {share:.0%} of {short}",
        f"{change}: {share:.0%} of {short} replaced",
    ]


def _tick(label: str) -> str:
    """A step's label on two lines at most, so seven bars' labels never touch."""
    return "\n".join(textwrap.wrap(label, width=13, max_lines=2, placeholder="…"))


def draw(run: Run) -> Figure:
    figure = style.new_figure()
    bridge = run.summary.headcount_bridge
    ax = figure.add_axes((0.1, style.AXES_BOTTOM, 0.86, style.AXES_TOP - style.AXES_BOTTOM - 0.06))
    if bridge is None:  # a folder from before the bridge was counted
        ax.set_axis_off()
        style.frame(figure, "No headcount bridge in this run folder", "", run.source_line())
        return figure
    steps = bridge_steps(bridge)
    level, top = 0.0, 0.0
    for i, step in enumerate(steps):
        if step.name in (START, END):
            bottom, height, level = 0.0, step.value, step.value
            text = significant(step.value)
        else:
            bottom, height = (
                (level + step.value, -step.value) if step.value < 0 else (level, step.value)
            )
            level += step.value
            text = signed(step.value)
        ax.bar(i, height, bottom=bottom, width=0.62, color=COLOURS[step.name])
        top = max(top, bottom + height)
        ax.annotate(
            text,
            (i, bottom + height),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=style.LABEL_PT + 1,
            fontweight="bold",
            color=style.INK,
            zorder=4,  # over the status quo's line, on a clear patch
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
        if i + 1 < len(steps):  # the level carried to the next bar
            ax.plot([i + 0.31, i + 0.69], [level, level], color=style.MUTED, linewidth=1.2)
    handles, labels = [], []
    status_quo = run.headline(STATUS_QUO_HEADCOUNT_END.name).mean
    if status_quo is not None:
        ax.axhline(status_quo, color=style.BLACK, linestyle=(0, (4, 2)), linewidth=2.5, zorder=3)
        handles.append(Line2D([], [], color=style.BLACK, linestyle=(0, (4, 2)), linewidth=2.5))
        # the headline table's figure where the folder has it (a mean of differences)
        change_vs_status_quo = run.headline("headcount_change_vs_status_quo").mean
        gap = (
            _mean(bridge, END) - status_quo
            if change_vs_status_quo is None
            else change_vs_status_quo
        )
        against = f"{significant(abs(gap))} {'below' if gap < 0 else 'above'} it"
        labels.append(f"Status quo at the end: {significant(status_quo)} (the plan ends {against})")
        top = max(top, status_quo)
    ax.set_xticks(range(len(steps)))
    ax.set_xticklabels([_tick(s.label) for s in steps], fontsize=style.LABEL_PT)
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.6, len(steps) - 0.4)
    ax.set_ylim(0, top * 1.14 if top > 0 else 1.0)
    style.count_axis(ax.yaxis)
    ax.set_ylabel("People")
    if handles:
        style.legend_row(figure, handles, labels)
    subtitle = (
        f"People at the start, what moved them and the people at the end, {run.mean_of} "
        "(the steps add up to the end)"
    )
    style.frame(
        figure,
        style.fitting_title(figure, titles(bridge, run.replications > 1)),
        subtitle,
        run.source_line(),
    )
    return figure
