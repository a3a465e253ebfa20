"""A chart the deck draws itself, editable in PowerPoint: stacked areas, lines,
bars or columns from plain series, months on a date axis a label a quarter (or
half-year, or year) so that they never crowd."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Emu, Pt

from sim.report.board import NativeChart
from sim.report.chartdata import TextChartData
from sim.report.deck.layout import FONT, MARGIN, WIDTH
from sim.report.escape import xml_text
from sim.report.text import SYMBOLS
from sim.scenario.months import year_and_month

#: the most month labels an axis holds; the step between them is the least of
#: STEPS that keeps to it ('Mar 2026' at 11 pt: about 0.9 inch each, with room)
MOST_MONTH_LABELS = 10
STEPS = (3, 6, 12)
#: a month on a chart's date axis, as the drawn charts write it ('Mar 2026')
MONTH_FORMAT = "mmm yyyy"
#: python-pptx chart types by the board's kinds
CHART_TYPES = {
    "area": XL_CHART_TYPE.AREA_STACKED,
    "line": XL_CHART_TYPE.LINE,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
}
#: the gap between clusters of columns, in % of a column's width (PowerPoint's most: 500)
COLUMN_GAP, MOST_COLUMN_GAP = 60, 500
#: fewer clusters of columns than this are drawn as wide as this many
FEWEST_CLUSTERS = 3
#: a money axis in billions from the first billion (as text.money writes it), else millions
MONEY_SCALES = ((1e9, ',,,"B"', "0"), (1e6, ',,"M"', "0"), (0.0, ',"k"', "0"))


def native_chart(slide: Slide, chart: NativeChart, top: int, height: int) -> None:
    data = TextChartData()
    if chart.months:
        data.categories = [date(*year_and_month(m), 1) for m in chart.months]
        data.categories.number_format = MONTH_FORMAT
    else:
        data.categories = [xml_text(str(c)) for c in chart.categories]
    for name, values, _colour in chart.series:
        data.add_series(xml_text(name), list(values))
    frame = slide.shapes.add_chart(
        CHART_TYPES[chart.kind],
        MARGIN,
        Emu(top),
        Emu(WIDTH - 2 * MARGIN),
        Emu(height),
        data,  # type: ignore[arg-type]
    )
    drawn = frame.chart  # type: ignore[attr-defined]  # a GraphicFrame holding the chart
    drawn.font.name = FONT
    drawn.font.size = Pt(12)
    drawn.has_title = False  # the slide's title says it (LibreOffice titles a lone series)
    drawn.has_legend = len(chart.series) > 1
    if drawn.has_legend:
        # columns beneath a table: the legend above them keeps their width
        across = chart.kind == "column"
        drawn.legend.position = XL_LEGEND_POSITION.TOP if across else XL_LEGEND_POSITION.RIGHT
        drawn.legend.include_in_layout = False
    if chart.months:
        _month_ticks(drawn.category_axis, len(chart.months))
    elif chart.kind == "column":  # the years' names below the plot, not among losses
        drawn.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    value_axis = drawn.value_axis
    value_axis.tick_labels.number_format = _money_format(chart) if chart.money else '#,##0,"k"'
    if chart.money:  # ticks a whole number of the format's scale apart
        value_axis.major_unit = money_step(chart)
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = xml_text(chart.axis_title)
    for plot in drawn.plots:
        for series, (_name, _values, colour) in zip(plot.series, chart.series, strict=True):
            fill = RGBColor.from_string(colour.lstrip("#"))
            if chart.kind == "line":
                series.format.line.color.rgb = fill
                series.format.line.width = Pt(3 if series.index == 0 else 1.5)
                series.smooth = False
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = fill
                series.invert_if_negative = False  # cash out keeps its colour
    if chart.kind == "column":
        drawn.plots[0].gap_width = _column_gap(len(chart.categories), len(chart.series))
    if chart.point_labels:
        _point_labels(drawn.plots[0], chart)


def _column_gap(clusters: int, columns: int) -> int:
    """The gap between clusters of columns, in % of a column: COLUMN_GAP, wider where
    fewer than FEWEST_CLUSTERS share the plot, so that a lone year's columns are no
    wider than among three (up to PowerPoint's most)."""
    plot = FEWEST_CLUSTERS * (columns + COLUMN_GAP / 100)  # its width, in columns
    gap = 100 * (plot / max(clusters, 1) - columns)
    return round(min(MOST_COLUMN_GAP, max(COLUMN_GAP, gap)))


#: the value axis' ticks a native chart aims at, and the steps between them it takes
TICKS = 7
NICE_STEPS = (1.0, 2.0, 5.0)


def money_step(chart: NativeChart) -> float:
    """The step between the value axis' ticks: 1, 2 or 5 times a power of ten, about
    TICKS of them over the values and zero."""
    values = [v for _name, vals, _colour in chart.series for v in vals if math.isfinite(v)]
    span = max([*values, 0.0]) - min([*values, 0.0])
    if span <= 0:
        return 1.0
    wanted = span / TICKS
    power = 10.0 ** math.floor(math.log10(wanted))
    return next((n * power for n in (*NICE_STEPS, 10.0) if n * power >= wanted), 10 * power)


def _money_format(chart: NativeChart) -> str:
    """The value axis in the chart's currency, in the largest scale its ticks are
    whole numbers of ('$2B', '$500M', '-€300M'), as every output writes money: never
    '$12.0B' beside '$12B' (the ticks are set apart by money_step)."""
    step = money_step(chart)
    largest = max((abs(v) for _name, values, _colour in chart.series for v in values), default=0)
    scale = next(
        (s for least, s, _digits in MONEY_SCALES if largest >= least and step >= least),
        MONEY_SCALES[-1][1],
    )
    symbol = SYMBOLS.get(chart.currency, f"{chart.currency} ")
    figure = f'"{symbol}"#,##0{scale}'
    return f'{figure};-{figure};"{symbol}"0'


def _point_labels(plot: Any, chart: NativeChart) -> None:
    """The last series' points labelled with the table's own text, above a bar
    (below one that goes negative), bold in the series' colour."""
    series = list(plot.series)[-1]
    colour = RGBColor.from_string(chart.series[-1][2].lstrip("#"))
    for point, text in zip(series.points, chart.point_labels, strict=True):
        label = point.data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        label.text_frame.text = xml_text(text)
        for run in label.text_frame.paragraphs[0].runs:
            run.font.size = Pt(12)
            run.font.bold = True
            run.font.color.rgb = colour


def month_step(months: int) -> int:
    """Months between labels: a quarter, a half-year or a year, the least that keeps
    the axis to MOST_MONTH_LABELS labels."""
    return next((s for s in STEPS if months / s <= MOST_MONTH_LABELS), STEPS[-1])


def _month_ticks(axis: Any, months: int) -> None:
    """A month label every quarter (or year), below the plot even where values go
    negative. The axis is a date axis counted in months, whose major unit both
    PowerPoint and LibreOffice honour (LibreOffice ignores a category axis's
    tickLblSkip and labels every month)."""
    axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    axis.tick_labels.font.size = Pt(11)
    step = month_step(months)
    # python-pptx has no setters for these; the schema wants them in this order
    previous = axis._element.find(qn("c:baseTimeUnit"))
    previous.set("val", "months")
    for name, value in (("c:majorUnit", str(step)), ("c:majorTimeUnit", "months")):
        child = OxmlElement(name)
        child.set("val", value)
        previous.addnext(child)
        previous = child


__all__ = ["month_step", "native_chart"]
