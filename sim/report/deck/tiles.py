"""The executive summary's answers as tiles across the slide: each question small, its
figure large (as large as fits the tile on one line), a line of detail beneath; every
tile as high as the tallest, measured before it is placed."""

from __future__ import annotations

from collections.abc import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from sim.report.answers import Answer
from sim.report.charts import style
from sim.report.deck.layout import (
    GAP,
    INK,
    INSET_X,
    INSET_Y,
    MARGIN,
    MUTED,
    WIDTH,
    fill,
    line_count,
    text_height,
)

#: the figure's sizes, largest first, until it fits its tile on one line
FIGURE_SIZES = (28, 26, 24, 22, 20, 18)
QUESTION_PT, DETAIL_PT = 13, 13
#: a tile's background and the rule along its top in the palette's blue
TILE_FILL = RGBColor.from_string("F2F2F2")
RULE = RGBColor.from_string(style.BLUE.lstrip("#"))
RULE_HEIGHT = Pt(3)
#: a tile's insets, all round (its text measured within them)
TILE_INSET = Inches(0.12)
#: the space between a tile's paragraphs
PARAGRAPH_SPACE = Pt(4)


def _figure_size(figures: Sequence[str], width: int) -> int:
    """One size for every tile's figure: the largest at which each stays on one line."""
    for size in FIGURE_SIZES:
        inner = width - 2 * (TILE_INSET - INSET_X)
        if all(line_count(text, size, inner, bold=True) == 1 for text in figures):
            return size
    return FIGURE_SIZES[-1]


def _height(answer: Answer, width: int, size: int) -> int:
    width = width - 2 * (TILE_INSET - INSET_X)  # text_height allows for INSET_X
    parts = (
        text_height(answer.heading, QUESTION_PT, width, bold=True),
        text_height(answer.figure, size, width, bold=True),
        text_height(answer.detail, DETAIL_PT, width),
    )
    # one frame's insets (the tile's), not three; the paragraphs' spaces between
    return int(sum(parts) - 6 * INSET_Y + 2 * TILE_INSET + 2 * PARAGRAPH_SPACE)


def tile_height(answers: Sequence[Answer]) -> int:
    """The tiles' height, as answer_tiles places them."""
    width = _tile_width(len(answers))
    size = _figure_size([a.figure for a in answers], width)
    return max(_height(answer, width, size) for answer in answers) + RULE_HEIGHT


def _tile_width(count: int) -> int:
    return int((WIDTH - 2 * MARGIN - (count - 1) * GAP) / count)


def answer_tiles(slide: Slide, answers: Sequence[Answer], top: int) -> int:
    """The answers as tiles across the slide at ``top``; returns their bottom."""
    width = _tile_width(len(answers))
    size = _figure_size([a.figure for a in answers], width)
    height = tile_height(answers) - RULE_HEIGHT
    for k, answer in enumerate(answers):
        left = MARGIN + k * (width + GAP)
        rule = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(RULE_HEIGHT)
        )
        rule.fill.solid()
        rule.fill.fore_color.rgb = RULE
        rule.line.fill.background()
        rule.name = f"Tile rule {k + 1}"
        box = slide.shapes.add_textbox(Emu(left), Emu(top + RULE_HEIGHT), Emu(width), Emu(height))
        box.name = f"Answer {k + 1}"
        box.fill.solid()
        box.fill.fore_color.rgb = TILE_FILL
        frame = box.text_frame
        fill(frame, [answer.heading, answer.figure, answer.detail], DETAIL_PT, False, INK)
        frame.margin_left = frame.margin_right = TILE_INSET
        frame.margin_top = frame.margin_bottom = TILE_INSET
        question, figure, detail = frame.paragraphs
        for paragraph, pt, bold, colour in (
            (question, QUESTION_PT, True, MUTED),
            (figure, size, True, INK),
            (detail, DETAIL_PT, False, INK),
        ):
            paragraph.line_spacing = 1.0
            paragraph.space_before = PARAGRAPH_SPACE if paragraph is not question else 0
            for run in paragraph.runs:
                run.font.size, run.font.bold = Pt(pt), bold
                run.font.color.rgb = colour
    return int(top + height + RULE_HEIGHT)


__all__ = ["answer_tiles", "tile_height"]
