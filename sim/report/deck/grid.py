"""A native table styled for reading: no template bands, a rule under the header and a
hairline under each row, figures right-aligned, the column the title reads in bold,
and every row as high as its wrapped text, so the table and its notes end where the
layout says (never under the source line)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from sim.report.deck.layout import (
    CONTENT_BOTTOM,
    FONT,
    GAP,
    INK,
    LINE_EM,
    MARGIN,
    MUTED,
    WIDTH,
    line_count,
    text_box,
    text_height,
)
from sim.report.escape import xml_text

#: PowerPoint's built-in "No Style, No Grid": the table's look is all set here
PLAIN_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
RULE = "BFBFBF"
CELL_INSET_X, CELL_INSET_Y = Inches(0.08), Pt(3)
#: font sizes tried, largest first, until the table and its notes fit (10 pt the least
#: a reader is given)
SIZES = (14, 13, 12, 11, 10)
NOTE_PT = 11
#: the first column's share of the width: at least, at most
FIRST_LEAST, FIRST_MOST = 0.22, 0.4


def _column_widths(rows: Sequence[Sequence[str]], size: int) -> list[int]:
    """The first column as wide as its longest label (within bounds), the others equal."""
    width = WIDTH - 2 * MARGIN
    columns = len(rows[0])
    longest = max(len(row[0]) for row in rows)
    wanted = Pt(longest * size * 0.53) + 2 * CELL_INSET_X + Inches(0.1)
    first = int(min(FIRST_MOST * width, max(FIRST_LEAST * width, wanted)))
    if columns == 1:
        return [width]
    rest = int((width - first) / (columns - 1))
    return [first] + [rest] * (columns - 1)


def _cells(rows: Sequence[Sequence[str]], widths: Sequence[int]) -> list[list[tuple[str, int]]]:
    """Each row's cells with their widths, a short row's last cell spanning the rest."""
    out = []
    for row in rows:
        cells = [(value, widths[j]) for j, value in enumerate(row)]
        if len(row) < len(widths):
            cells[-1] = (row[-1], sum(widths[len(row) - 1 :]))
        out.append(cells)
    return out


def row_heights(rows: Sequence[Sequence[str]], widths: Sequence[int], size: int) -> list[int]:
    """Each row as high as its tallest cell's wrapped text (the header's in bold)."""
    heights = []
    for i, cells in enumerate(_cells(rows, widths)):
        lines = max(
            line_count(value, size, width - 2 * CELL_INSET_X + 2 * Inches(0.1), bold=i == 0)
            for value, width in cells
        )
        heights.append(int(Pt(lines * size * LINE_EM) + 2 * CELL_INSET_Y))
    return heights


def _notes_height(notes: Sequence[str]) -> int:
    return sum(text_height(note, NOTE_PT, WIDTH - 2 * MARGIN) for note in notes)


def table_size(
    rows: Sequence[Sequence[str]], top: int, notes: Sequence[str] = (), bottom: int = CONTENT_BOTTOM
) -> int | None:
    """The largest of SIZES at which the table and its notes fit between ``top`` and
    ``bottom``; None if they fit at none."""
    room = bottom - top - _notes_height(notes) - GAP
    for size in SIZES:
        if sum(row_heights(rows, _column_widths(rows, size), size)) <= room:
            return size
    return None


def grid(
    slide: Slide,
    rows: Sequence[Sequence[str]],
    top: int,
    bold: int | None,
    notes: Sequence[str] = (),
    bottom: int = CONTENT_BOTTOM,
    text_columns: int = 1,
) -> int:
    """A native table at ``top``, header row first, its notes beneath it, all above
    ``bottom`` at the largest size that fits; returns where the notes end. A row
    shorter than the header spans its last cell over the rest (a reading, not a
    figure); column ``bold`` (0-based) is the one the slide's title reads. The first
    ``text_columns`` columns are words, aligned left; the rest figures, aligned right."""
    size = table_size(rows, top, notes, bottom) or SIZES[-1]
    widths = _column_widths(rows, size)
    heights = row_heights(rows, widths, size)
    shape = slide.shapes.add_table(
        len(rows), len(widths), MARGIN, Emu(top), Emu(sum(widths)), Emu(sum(heights))
    )
    table = shape.table
    _plain(shape)
    for j, width in enumerate(widths):
        table.columns[j].width = Emu(width)
    for i, row in enumerate(rows):
        table.rows[i].height = Emu(heights[i])
        if len(row) < len(widths):
            table.cell(i, len(row) - 1).merge(table.cell(i, len(widths) - 1))
        for j, value in enumerate(row):
            spans = j == len(row) - 1 and len(row) < len(widths)
            strong = i == 0 or (j == bold and not spans)
            muted = value.startswith(" ") and j == 0  # a row read under the one above
            cell = table.cell(i, j)
            _cell(cell, value, size, j < text_columns or spans, strong, MUTED if muted else INK)
            _rule(cell, str(INK) if i == 0 else RULE, 1.0 if i == 0 else 0.5)
    below = top + sum(heights) + GAP
    for note in notes:
        below = text_box(slide, note, below, NOTE_PT, colour=MUTED)
    return int(below)


def _plain(shape: Any) -> None:
    """No banding, no template fill: the built-in plain style."""
    tbl = shape._element.graphic.graphicData.tbl
    properties = tbl.tblPr
    properties.set("bandRow", "0")
    properties.set("firstRow", "1")
    style_id = properties.find(qn("a:tableStyleId"))
    if style_id is None:
        style_id = OxmlElement("a:tableStyleId")
        properties.append(style_id)
    style_id.text = PLAIN_TABLE


def _cell(cell: Any, value: str, size: int, left: bool, bold: bool, colour: RGBColor) -> None:
    cell.text = xml_text(value)
    cell.margin_left = cell.margin_right = CELL_INSET_X
    cell.margin_top = cell.margin_bottom = CELL_INSET_Y
    paragraph = cell.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT if left else PP_ALIGN.RIGHT
    for run in paragraph.runs:
        run.font.name = FONT
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour


def _rule(cell: Any, colour: str, width_pt: float) -> None:
    """A line under the cell (the cell's bottom border)."""
    properties = cell._tc.get_or_add_tcPr()
    line = OxmlElement("a:lnB")
    line.set("w", str(int(Pt(width_pt))))
    solid = OxmlElement("a:solidFill")
    rgb = OxmlElement("a:srgbClr")
    rgb.set("val", colour)
    solid.append(rgb)
    line.append(solid)
    properties.insert(0, line)  # borders come before the cell's fill in the schema


__all__ = ["grid", "row_heights", "table_size"]
