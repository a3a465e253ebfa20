"""The spans-and-layers slide: in each management layer, how many direct reports
its managers have, in buckets (1-2, 3-5, 6-9, 10-15, 16+), with the managers of a
single report called out. Drawn from an :class:`OrgShape` (counts only), so no
name or id can reach it.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.scenario.orgshape import SPAN_BUCKETS, OrgShape

#: narrow spans warm, wide spans cool (Okabe-Ito, colour-blind safe)
BUCKET_COLOURS = (style.VERMILLION, style.ORANGE, style.SKY, style.BLUE, style.PURPLE)
#: segments dark enough for white labels
DARK = (style.VERMILLION, style.BLUE, style.PURPLE)
#: a segment narrower than this share of its bar gets no label inside it
LABEL_MIN_SHARE = 0.06
#: below this share of managers under the target span, the title speaks of the rest
FEW_BELOW = 0.15
BAR_HEIGHT = 0.66


def _title(shape: OrgShape) -> list[str]:
    """Candidates, most said first: what a reader should take away, true of the data."""
    whole, targets = shape.whole, shape.targets
    managers = whole.managers
    below = whole.total("below_target") / managers
    single = whole.total("single_report")
    ones = f"; {single:,} manage just one person" if single else ""
    if below >= FEW_BELOW:
        head = f"{below:.0%} of managers have fewer than {targets.span_min} direct reports"
        return [head + ones, head]
    within = 1 - below - whole.total("above_target") / managers
    head = f"{within:.0%} of managers have {targets.span_min} to {targets.span_max} direct reports"
    return [head + ones, head]


def _layer_label(k: int, count: int) -> str:
    name = "Layer 1 (unit heads)" if k == 0 else f"Layer {k + 1}"
    return f"{name}\n{count:,} managers"


def draw_spans(shape: OrgShape, source: str) -> Figure:
    """The slide; ``source`` names the roster (never its contents)."""
    figure = style.new_figure()
    ax = figure.add_axes((0.2, style.AXES_BOTTOM, 0.6, style.AXES_TOP - style.AXES_BOTTOM - 0.04))
    layers = shape.whole.management_layers
    for k, layer in enumerate(layers):
        left = 0.0
        for b, (count, colour) in enumerate(zip(layer.span_buckets, BUCKET_COLOURS, strict=True)):
            share = count / layer.managers if layer.managers else 0.0
            ax.barh(k, share, left=left, height=BAR_HEIGHT, color=colour, edgecolor="white")
            if b == 0 and layer.single_report:
                one = layer.single_report / layer.managers
                ax.barh(
                    k,
                    one,
                    left=0,
                    height=BAR_HEIGHT,
                    color="none",
                    edgecolor=style.INK,
                    hatch="//",
                    linewidth=0,
                )
            # the label sits in the plain part of the segment, clear of the hatching
            hatched = layer.single_report / layer.managers if b == 0 and layer.managers else 0.0
            if share - hatched >= LABEL_MIN_SHARE:
                ax.text(
                    left + (hatched + share) / 2,
                    k,
                    f"{share:.0%}",
                    ha="center",
                    va="center",
                    fontsize=style.NOTE_PT,
                    fontweight="bold",
                    color="white" if colour in DARK else style.INK,
                )
            left += share
        if layer.single_report:
            ax.annotate(
                f"{layer.single_report:,} with one report",
                (1.0, k),
                xytext=(10, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=style.NOTE_PT,
                color=style.VERMILLION,
                fontweight="bold",
            )
    ax.set_ylim(len(layers) - 0.4, -0.6)  # layer 1 at the top
    ax.set_xlim(0, 1)
    ax.set_yticks(range(len(layers)))
    ax.set_yticklabels([_layer_label(k, layer.managers) for k, layer in enumerate(layers)])
    style.percent_axis(ax.xaxis)
    ax.set_xlabel("Share of the layer's managers")
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)

    handles = [Patch(color=c) for c in BUCKET_COLOURS]
    labels = [f"{label} reports" for _, _, label in SPAN_BUCKETS]
    handles.append(Patch(facecolor="white", edgecolor=style.INK, hatch="//"))
    labels.append("one report")
    style.legend_row(figure, handles, labels)

    whole, targets = shape.whole, shape.targets
    subtitle = (
        f"Managers by layer and number of direct reports: {whole.headcount:,} people in "
        f"{len(shape.units)} units, {whole.ics:,} who manage no one not shown; "
        f"target span {targets.span_min} to {targets.span_max}"
    )
    style.frame(figure, style.fitting_title(figure, _title(shape)), subtitle, source)
    return figure
