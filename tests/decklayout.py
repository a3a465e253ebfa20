"""A deck's layout checked as a reader would find it: every shape on the slide, no two
shapes on one slide overlapping, no text taller than its box (measured with the real
metrics of Liberation Sans, the font LibreOffice shows Arial in, with PowerPoint's
line height), no empty placeholder, and no text below a readable size.

Test modules import ``layout_problems`` (``from decklayout import layout_problems``);
it lists what is wrong, so a failing test names every slide and shape at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from PIL import ImageFont
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

FONTS = Path("/usr/share/fonts/truetype/liberation")
#: the least size a reader is given: the source line's fine print, everything else
FINE_PRINT_PT, READABLE_PT = 9, 10
#: the band at the foot of a slide where the source line's fine print goes
FINE_PRINT_BAND = Inches(0.5)
#: PowerPoint's single line spacing, in ems (LibreOffice's for Liberation Sans is less)
LINE_EM = 1.2
#: what rounding may leave over: half a point
SLACK = Pt(0.5)
MEASURED_AT = 200  # the font's size when measured; widths scale with the size


@cache
def _font(bold: bool) -> ImageFont.FreeTypeFont:
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    candidates = [FONTS / name, FONTS.parent / "liberation2" / name]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        import pytest

        pytest.skip("Liberation Sans is not installed (fonts-liberation)")
    return ImageFont.truetype(str(path), MEASURED_AT)


def _width_pt(text: str, size_pt: float, bold: bool) -> float:
    return _font(bold).getlength(text) * size_pt / MEASURED_AT


def lines(text: str, size_pt: float, width_pt: float, bold: bool = False) -> int:
    """The lines a paragraph takes wrapped at spaces in ``width_pt`` (a word wider
    than the line breaks inside it, as PowerPoint breaks it)."""
    count, line = 1, ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if _width_pt(trial, size_pt, bold) <= width_pt:
            line = trial
            continue
        if line:
            count += 1
        line = word
        while _width_pt(line, size_pt, bold) > width_pt and len(line) > 1:
            cut = max(
                k
                for k in range(1, len(line) + 1)
                if _width_pt(line[:k], size_pt, bold) <= width_pt or k == 1
            )
            count, line = count + 1, line[cut:]
    return count


def _runs(frame: Any) -> Iterator[tuple[Any, Any]]:
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            yield paragraph, run


def _paragraphs_height(frame: Any, room_pt: float) -> int:
    """The height of the frame's paragraphs at their sizes, wrapped in ``room_pt``."""
    total = 0
    for paragraph in frame.paragraphs:
        runs = [run for run in paragraph.runs if run.font.size is not None]
        if not runs:
            continue
        size = max(run.font.size.pt for run in runs)
        bold = any(run.font.bold for run in runs)
        text = "".join(run.text for run in runs)
        space = paragraph.space_before.pt if paragraph.space_before is not None else 0
        total += Pt(space + lines(text, size, room_pt, bold) * size * LINE_EM)
    return int(total)


def _needed_height(frame: Any, width: int, indent: int) -> int:
    """The height the frame needs within ``width`` (EMU), insets included, each
    paragraph indented by ``indent``."""
    room = width - frame.margin_left - frame.margin_right - indent
    return _paragraphs_height(frame, room / Pt(1)) + frame.margin_top + frame.margin_bottom


def _bullet_indent(deck: Any) -> int:
    """The master's first-level body indent: a bullet's text starts there."""
    level = deck.slide_master.element.find(
        f"{qn('p:txStyles')}/{qn('p:bodyStyle')}/{qn('a:lvl1pPr')}"
    )
    return int(level.get("marL", 0)) if level is not None else 0


def _fonts(slide_number: int, name: str, frame: Any, fine_print: bool) -> list[str]:
    least = FINE_PRINT_PT if fine_print else READABLE_PT
    problems = []
    for _paragraph, run in _runs(frame):
        if not run.text.strip():
            continue
        if run.font.size is None:
            problems.append(
                f"slide {slide_number} {name}: text with no size set: {run.text[:40]!r}"
            )
        elif run.font.size.pt < least:
            problems.append(
                f"slide {slide_number} {name}: {run.font.size.pt} pt < {least}: {run.text[:40]!r}"
            )
    return problems


def _table_problems(slide_number: int, shape: Any) -> list[str]:
    problems = []
    table = shape.table
    widths = [column.width for column in table.columns]
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            if cell.is_spanned:
                continue
            span = cell.span_width if cell.is_merge_origin else 1
            width = sum(widths[j : j + span])
            frame = cell.text_frame
            problems += _fonts(slide_number, f"table cell ({i}, {j})", frame, False)
            inner = width - cell.margin_left - cell.margin_right
            text_height = _paragraphs_height(frame, inner / Pt(1))
            height = text_height + cell.margin_top + cell.margin_bottom
            if height > row.height + SLACK:
                where = f"slide {slide_number} table cell ({i}, {j})"
                problems.append(f"{where} overflows its row: {cell.text[:50]!r}")
    return problems


def _overlap(a: Any, b: Any) -> bool:
    return (
        a.left < b.left + b.width - SLACK
        and b.left < a.left + a.width - SLACK
        and a.top < b.top + b.height - SLACK
        and b.top < a.top + a.height - SLACK
    )


def layout_problems(path: Path) -> list[str]:
    """Everything about the deck at ``path`` a reader would find overprinted, cut off,
    left empty or too small to read."""
    deck = Presentation(str(path))
    width, height = deck.slide_width, deck.slide_height
    indent = _bullet_indent(deck)
    fine_print = height - FINE_PRINT_BAND
    problems: list[str] = []
    for number, slide in enumerate(deck.slides, 1):
        shapes = list(slide.shapes)
        for shape in shapes:
            name = f"{shape.name!r}"
            if (
                shape.left < 0
                or shape.top < 0
                or shape.left + shape.width > width
                or shape.top + shape.height > height
            ):
                problems.append(f"slide {number} {name} leaves the slide")
            if shape.is_placeholder and shape.has_text_frame and not shape.text_frame.text.strip():
                problems.append(f"slide {number} {name}: an empty placeholder")
            if shape.has_table:
                problems += _table_problems(number, shape)
            if shape.has_chart:
                font = shape.chart.font.size
                if font is None or font.pt < READABLE_PT:
                    problems.append(f"slide {number} {name}: the chart's text is {font}")
            if shape.has_text_frame and shape.text_frame.text.strip():
                bullets = shape.is_placeholder and shape.placeholder_format.idx == 1 and number > 1
                needed = _needed_height(shape.text_frame, shape.width, indent if bullets else 0)
                if needed > shape.height + SLACK:
                    inches = f"{Emu(needed).inches:.2f} in, has {Emu(shape.height).inches:.2f}"
                    problems.append(f"slide {number} {name}: its text needs {inches}")
                problems += _fonts(number, name, shape.text_frame, shape.top >= fine_print)
        for k, first in enumerate(shapes):
            for second in shapes[k + 1 :]:
                if _overlap(first, second):
                    problems.append(f"slide {number}: {first.name!r} and {second.name!r} overlap")
    return problems
