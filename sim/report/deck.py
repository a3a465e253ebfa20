"""The board pack as a PowerPoint deck (python-pptx), 16:9, one font and one palette.

A title slide; the headline table as a native table (and a run's fiscal years
as another); then one slide a chart, titled with its takeaway: a native,
editable chart where python-pptx draws the type (stacked areas, lines, bars),
the drawn picture otherwise (the waterfall, the pyramids, two-panel charts).
Each slide's speaker notes give its sources and caveats.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from sim.report.board import Board, ChartSlide, NativeChart
from sim.report.chartdata import TextChartData
from sim.report.charts import style
from sim.report.escape import xml_text
from sim.report.text import SYMBOLS
from sim.scenario.months import year_and_month

FONT = "Arial"  # on every machine PowerPoint and LibreOffice run on (or its metric twin)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TITLE_PT, TITLE_MIN_PT = 26, 18
BOLD_EM = 0.58
BLANK_LAYOUT = 6
INK = RGBColor.from_string(style.INK.lstrip("#"))
MUTED = RGBColor.from_string(style.MUTED.lstrip("#"))
#: the share of a drawn slide above its legend (title, subtitle) and below its axes
#: (the source line), in figure fractions: see sim.report.charts.style
CROP_TOP = 1 - style.SUBTITLE_Y + 0.035
CROP_BOTTOM = 0.045
#: the longest figure a table's cell holds on one line at 14 pt
WRAPS_AT_14PT = 22
#: the longest monthly axis labelled a quarter at a time (16 labels fit); longer: a year
#: (a 36-month horizon after a lead-in of a few months still reads by the quarter)
QUARTERLY_UP_TO = 48
#: a month on a chart's date axis, as the drawn charts write it ('Mar 2026')
MONTH_FORMAT = "mmm yyyy"
#: python-pptx chart types by the board's kinds
CHART_TYPES = {
    "area": XL_CHART_TYPE.AREA_STACKED,
    "line": XL_CHART_TYPE.LINE,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
}
#: a table's rows where a chart shares its slide: room for both, 14 pt still one line
ROW_WITH_CHART = Inches(0.36)
#: the gap between clusters of columns, in % of a column's width (PowerPoint's most: 500)
COLUMN_GAP, MOST_COLUMN_GAP = 60, 500
#: fewer clusters of columns than this are drawn as wide as this many
FEWEST_CLUSTERS = 3
#: a money axis in billions from the first billion (as text.money writes it), else millions
MONEY_SCALES = ((1e9, ',,,"B"', "0.0"), (1e6, ',,"M"', "0"), (0.0, ',"k"', "0"))


def _text(slide: Slide, text: str, top: int, height: int, size: int, **font: object) -> None:
    box = slide.shapes.add_textbox(MARGIN, Emu(top), Emu(WIDTH - 2 * MARGIN), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = xml_text(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bool(font.get("bold", False))
    colour = font.get("colour", INK)
    assert isinstance(colour, RGBColor)
    run.font.color.rgb = colour


def _slide(deck: Deck, title: str, subtitle: str, source: str, notes: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    _text(slide, title, Inches(0.3), Inches(0.8), _title_pt(title), bold=True)
    if subtitle:
        _text(slide, subtitle, Inches(1.05), Inches(0.5), 14, colour=MUTED)
    _text(slide, source, HEIGHT - Inches(0.45), Inches(0.35), 9, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = xml_text(notes)
    return slide


def _title_pt(title: str) -> int:
    """The title's size: 26 pt, smaller for a long takeaway, so it stays on one line
    above the subtitle (Arial bold averages about 0.58 em a character)."""
    width_pt = (WIDTH - 2 * MARGIN) / Pt(1)
    return max(TITLE_MIN_PT, min(TITLE_PT, int(width_pt / (BOLD_EM * max(len(title), 1)))))


def _title_slide(deck: Deck, board: Board) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    _text(slide, board.name, Inches(2.4), Inches(1.2), 40, bold=True)
    _text(slide, board.facts, Inches(3.6), Inches(0.6), 20, colour=MUTED)
    _text(slide, board.source, HEIGHT - Inches(0.6), Inches(0.45), 10, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = xml_text(f"{board.method}\n\nSource: {board.source}")


def _table_slide(deck: Deck, board: Board) -> None:
    notes = "\n".join([board.uncertainty, *board.caveats])
    slide = _slide(deck, _table_title(board), board.facts, board.source, notes)
    bold = 1 if board.kind == "run" else None
    _grid(slide, board.table, bold, board.table_notes)


def _fiscal_slide(deck: Deck, board: Board) -> None:
    """The fiscal-year table, and beneath it the same figures as clustered columns
    (none where every figure is 0: the title says so)."""
    subtitle = "Net savings, one-time costs and net cash by fiscal year: the mean cash flow"
    chart = board.fiscal_chart
    notes = board.fiscal_note + (f"\n{chart.notes}" if chart else "")
    slide = _slide(deck, board.fiscal_title, subtitle, board.source, notes)
    if chart is None or chart.native is None:
        _grid(slide, board.fiscal_years, None, (board.fiscal_note,))
        return
    below = _grid(slide, board.fiscal_years, None, (board.fiscal_note,), ROW_WITH_CHART)
    top = below + Inches(0.05)
    _native(slide, chart.native, top, HEIGHT - top - Inches(0.5))


def _grid(
    slide: Slide,
    rows: Sequence[Sequence[str]],
    bold: int | None,
    notes: Sequence[str],
    most_row_height: int = Inches(0.42),
) -> int:
    """A native table, header row first, its notes beneath it; returns where the
    notes end. A row shorter than the header spans its last cell over the rest (a
    reading, not a figure); column ``bold`` (0-based) is the one the slide's title
    reads."""
    count, columns = len(rows), len(rows[0])
    top = Inches(1.75)
    notes_height = Inches(0.3) * len(notes)
    room = HEIGHT - top - Inches(0.6) - notes_height
    row_height = min(most_row_height, int(room / count))
    width = Emu(WIDTH - 2 * MARGIN)
    shape = slide.shapes.add_table(count, columns, MARGIN, top, width, Emu(row_height * count))
    table = shape.table
    # the CFO's five columns have long labels; a comparison's many, long ranges
    first = Inches(3.6 if columns <= 4 else 4.0 if columns == 5 else 2.8)
    table.columns[0].width = first
    for j in range(1, columns):
        table.columns[j].width = Emu(int((WIDTH - 2 * MARGIN - first) / (columns - 1)))
    size = 14 if columns <= 4 else 12 if columns == 5 else 11
    if max(len(cell) for row in rows[1:] for cell in row[1:]) > WRAPS_AT_14PT:
        size = min(size, 12)  # a comparison's ranges: one line a cell
    for i, row in enumerate(rows):
        table.rows[i].height = Emu(row_height)
        if len(row) < columns:
            table.cell(i, len(row) - 1).merge(table.cell(i, columns - 1))
        for j, value in enumerate(row):
            spans = j == len(row) - 1 and len(row) < columns
            strong = i == 0 or (j == bold and not spans)
            _cell(table.cell(i, j), value, size, j == 0 or spans, strong)
    below = top + row_height * count + Inches(0.1)
    for k, note in enumerate(notes):
        _text(slide, note, below + Inches(0.3) * k, Inches(0.3), 11, colour=MUTED)
    return int(below + notes_height)


def _cell(cell: Any, value: str, size: int, left: bool, bold: bool) -> None:
    cell.text = xml_text(value)
    cell.margin_top = cell.margin_bottom = Pt(2)
    paragraph = cell.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT if left else PP_ALIGN.RIGHT
    for run in paragraph.runs:
        run.font.name = FONT
        run.font.size = Pt(size)
        run.font.bold = bold


def _table_title(board: Board) -> str:
    """The takeaway of the table, as the board words it."""
    return board.table_title or "The headlines side by side: P50 (P10 to P90)"


def _native(slide: Slide, chart: NativeChart, top: int, height: int) -> None:
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


def _money_format(chart: NativeChart) -> str:
    """The value axis in the chart's currency, in billions or millions as the
    largest value reads ('$2.5B', '-€300M')."""
    largest = max((abs(v) for _name, values, _colour in chart.series for v in values), default=0)
    scale, digits = next((s, d) for least, s, d in MONEY_SCALES if largest >= least)
    symbol = SYMBOLS.get(chart.currency, f"{chart.currency} ")
    figure = f'"{symbol}"#,##{digits}{scale}'
    return f'{figure};-{figure};"{symbol}"0'  # zero as '$0', not '$0.0B'


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


def _month_ticks(axis: Any, months: int) -> None:
    """A month label every quarter (or year), below the plot even where values go
    negative. The axis is a date axis counted in months, whose major unit both
    PowerPoint and LibreOffice honour (LibreOffice ignores a category axis's
    tickLblSkip and labels every month)."""
    axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    axis.tick_labels.font.size = Pt(11)
    step = 3 if months <= QUARTERLY_UP_TO else 12
    # python-pptx has no setters for these; the schema wants them in this order
    previous = axis._element.find(qn("c:baseTimeUnit"))
    previous.set("val", "months")
    for name, value in (("c:majorUnit", str(step)), ("c:majorTimeUnit", "months")):
        child = OxmlElement(name)
        child.set("val", value)
        previous.addnext(child)
        previous = child


def _chart_slide(deck: Deck, board: Board, chart: ChartSlide) -> None:
    notes = f"{chart.notes}\nCaveats: " + " ".join(board.caveats)
    slide = _slide(deck, chart.title, chart.subtitle, board.source, notes)
    top = Inches(1.6)
    height = HEIGHT - top - Inches(0.55)
    if chart.native is not None:
        _native(slide, chart.native, top, height)
        return
    # the drawing is a whole slide: its own title, subtitle and source are cut off
    # (ours stand above and below it), the rest scaled to the space between
    kept = 1 - CROP_TOP - CROP_BOTTOM
    top = Inches(1.55)
    picture_height = HEIGHT - top - Inches(0.5)
    picture_width = int(picture_height * style.PIXELS[0] / (style.PIXELS[1] * kept))
    left = int((WIDTH - picture_width) / 2)
    picture = slide.shapes.add_picture(
        io.BytesIO(chart.png), Emu(left), top, Emu(picture_width), Emu(picture_height)
    )
    picture.crop_top, picture.crop_bottom = CROP_TOP, CROP_BOTTOM
    picture.name = chart.stem


def write_deck(board: Board, path: Path) -> None:
    """The deck of ``board`` at ``path``."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = board.name
    deck.core_properties.author = "restructure"
    _title_slide(deck, board)
    _table_slide(deck, board)
    if board.fiscal_years:
        _fiscal_slide(deck, board)
    for chart in board.charts:
        _chart_slide(deck, board, chart)
    deck.save(str(path))
