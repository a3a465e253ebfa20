"""Drivers of the worst decile: how far each input's median in the worst 10% of NPV
sits from its median overall, in standard deviations, largest first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report.charts import style
from sim.report.charts.study import input_text, label_tails, study_source
from sim.report.text import money

if TYPE_CHECKING:  # plain data; the chart runs nothing of the study
    from sim.report.studysource import StudySource
    from sim.studies.drivers import Drivers

HIGHER = style.ORANGE
LOWER = style.BLUE
MAX_ROWS = 8


def chance_shift(tail_count: int) -> float:
    """The shift (in standard deviations) that chance alone gives a tail's median: two
    standard errors of the median of ``tail_count`` draws of a normal input."""
    return 2.5 / max(tail_count, 1) ** 0.5


def _titles(result: Drivers) -> list[str]:
    """The takeaway, longest first: the shorter forms name the input more briefly, then
    drop the figures, so one fits the slide."""
    if not result.drivers:
        return ["No uncertain input varies: nothing drives the worst outcomes"]
    top = result.drivers[0]
    way = "higher" if top.shift_sd > 0 else "lower"
    share = f"{result.tail_share:.0%}"
    shift = f"{abs(top.shift_sd):.1f} sd {way} there"
    names = label_tails(top.label, top.unit)
    if abs(top.shift_sd) < chance_shift(result.tail_count):  # a title true of the data
        lead = f"No input stands out in the worst {share} of NPV"
        chance = f"within what chance gives a tail of {result.tail_count}"
        return [
            *(f"{lead}: {name} shifts most, {shift}, {chance}" for name in names),
            *(f"{lead}: {name} shifts most, {shift}" for name in names),
            *(f"{lead}: {name} shifts most" for name in names),
            f"{lead}, {chance}",
            lead,
        ]
    return [
        *(f"{name} drives the worst {share} of NPV: {shift}" for name in names),
        *(f"{name} drives the worst {share} of NPV" for name in names),
    ]


def draw(result: Drivers, source: StudySource) -> Figure:
    currency = source.currency
    rows = list(result.drivers[:MAX_ROWS])[::-1]
    figure = style.new_figure()
    ax = figure.add_axes((0.33, style.AXES_BOTTOM, 0.4, style.AXES_TOP - style.AXES_BOTTOM))
    ys = range(len(rows))
    shifts = [d.shift_sd for d in rows]
    ax.barh(list(ys), shifts, color=[HIGHER if s > 0 else LOWER for s in shifts], height=0.6)
    ax.axvline(0, color=style.BLACK, linewidth=1.2)
    ax.set_yticks(list(ys), [d.label for d in rows])
    reach = max([abs(s) for s in shifts] + [0.5])
    ax.set_xlim(-reach * 1.25, reach * 1.25)
    for y, d in zip(ys, rows, strict=True):
        tail, overall = (input_text(v, d.unit, currency) for v in (d.median_tail, d.median_all))
        note = f"{tail} vs {overall}\nrank correlation {d.rank_correlation:+.2f}"
        ax.annotate(
            note,
            (reach * 1.27, y),
            xycoords="data",
            va="center",
            ha="left",
            fontsize=style.NOTE_PT - 1,
            color=style.MUTED,
            annotation_clip=False,
        )
    ax.set_xlabel("Median in the worst tail minus median overall (standard deviations)")
    handles = [Patch(color=HIGHER), Patch(color=LOWER)]
    labels = ["Higher in the worst tail", "Lower in the worst tail"]
    style.legend_row(figure, handles, labels)
    subtitle = (
        f"Worst {result.tail_count} of {result.replications} replications "
        f"(NPV at or below {money(result.threshold, currency)}); right: the input's median "
        "in the tail vs overall, and its rank correlation with NPV"
    )
    title = style.fitting_title(figure, _titles(result))
    style.frame(figure, title, subtitle, study_source(source))
    return figure


def draw_drivers(
    result: Drivers, source: StudySource, out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """The drivers slide into ``out_dir``; return the files written."""
    with style.chart_style():
        return style.save(draw(result, source), Path(out_dir), "drivers", formats)
