"""The board pack as a PowerPoint deck (python-pptx), 16:9, one font and one palette.

Every slide is on a layout of the slide master with a real title placeholder, so the
deck has an outline and takes another template. The slides, in order (``SLIDES``, a
list each maker adds its slides to, so a new chart joins by joining the board's
charts): the title (the plan's name and its takeaway); the executive summary (the
report's story, the same lines); the headline table; a run's fiscal years; a slide a
chart, titled with its takeaway (a native, editable chart where python-pptx draws
everything its caption describes, the drawn picture otherwise); the assumptions
that matter; the risks, caveats and method. Each slide's speaker notes give its
sources and caveats. Every box is measured before it is placed
(:mod:`sim.report.deck.layout`), so nothing overprints and nothing leaves the slide.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from sim.report.board import Board, ChartSlide
from sim.report.charts import style
from sim.report.deck.grid import grid, table_size
from sim.report.deck.layout import (
    CONTENT_BOTTOM,
    CONTENT_LAYOUT,
    GAP,
    HEIGHT,
    INK,
    MARGIN,
    MUTED,
    SOURCE_PT,
    SOURCE_TOP,
    TITLE_LAYOUT,
    TITLE_ONLY_LAYOUT,
    WIDTH,
    clipped,
    fill,
    fitting_size,
    new_slide,
    place_title,
    text_box,
    text_height,
    widen_layouts,
)
from sim.report.deck.native import native_chart
from sim.report.deck.tiles import answer_tiles
from sim.report.escape import xml_text

#: the share of a drawn slide above its legend (title, subtitle) and below its axes
#: (the source line), in figure fractions: see sim.report.charts.style
CROP_TOP = 1 - style.SUBTITLE_Y + 0.035
CROP_BOTTOM = 0.045
SUBTITLE_PT = 14
#: a bulleted body's sizes, largest first, until it fits; its paragraphs' spacing
BODY_SIZES = (20, 18, 16, 14, 13, 12)
#: the story's, beneath the answers' tiles: never louder than their details
STORY_SIZES = (16, 14, 13, 12)
NOTE_PT = 11
PARAGRAPH_SPACE = Pt(6)
#: the master's bullets indent a paragraph by this much
BULLET_INDENT = Inches(0.375)
#: rows of the assumptions slide's table at most (the report and workbook hold all)
MOST_ASSUMPTIONS = 12
#: a source cited at more length is cut at a word (the report quotes it whole)
SOURCE_CHARS = 160
TITLE_SLIDE_TOP = Inches(2.2)
#: the title slide's title (the plan's description) at the largest size that fits its room
TITLE_SLIDE_SIZES = (40, 32, 28, 24)
TITLE_SLIDE_ROOM = Inches(2.4)


def _subtitle(slide: object, text: str, top: int) -> int:
    if not text:
        return top
    return text_box(slide, text, top, SUBTITLE_PT, colour=MUTED)  # type: ignore[arg-type]


def _bullets_height(paragraphs: Sequence[str], size: int) -> int:
    measured = WIDTH - 2 * MARGIN - BULLET_INDENT
    return sum(text_height(p, size, measured) + PARAGRAPH_SPACE for p in paragraphs)


def _bullets(
    slide: Slide, paragraphs: Sequence[str], top: int, sizes: Sequence[int] = BODY_SIZES
) -> list[str]:
    """The layout's body placeholder holding ``paragraphs`` (a bullet each) at the
    largest size that fits between ``top`` and the source line; at the least size,
    as many as fit (one at least, cut short if it alone is too long). Returns the
    paragraphs left for another slide."""
    body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    room = CONTENT_BOTTOM - top
    size = next((s for s in sizes if _bullets_height(paragraphs, s) <= room), sizes[-1])
    count = len(paragraphs)
    while count > 1 and _bullets_height(paragraphs[:count], size) > room:
        count -= 1
    shown = list(paragraphs[:count])
    while _bullets_height(shown, size) > room:  # one paragraph longer than the slide
        shown[0] = clipped(shown[0], len(shown[0]) * 9 // 10)
    height = _bullets_height(shown, size)
    body.left, body.top = MARGIN, Emu(top)
    body.width, body.height = Emu(WIDTH - 2 * MARGIN), Emu(height)
    fill(body.text_frame, shown, size, False, INK)
    for paragraph in body.text_frame.paragraphs:
        paragraph.space_before = PARAGRAPH_SPACE
        paragraph.space_after = 0
        paragraph.line_spacing = 1.0
    return list(paragraphs[count:])


def _bullet_slides(
    deck: Deck, title: str, paragraphs: Sequence[str], notes: str, source: str
) -> None:
    """Slides of bullets under ``title``, as many as the paragraphs need at a
    readable size ('(continued)' after the first)."""
    left = list(paragraphs)
    heading = title
    while left:
        slide, below = new_slide(deck, CONTENT_LAYOUT, heading, notes, source)
        left = _bullets(slide, left, below + GAP)
        heading = f"{title} (continued)"


def _takeaway(board: Board) -> str:
    """The title slide's line under the plan's name: the answer (a run's), else the
    story's first takeaway, else the table's title."""
    if board.answer_title:
        return board.answer_title
    return board.story[0].title if board.story else board.table_title


def _title_slide(deck: Deck, board: Board) -> None:
    """The plan in words (its description, else its name) as the title, its takeaway
    beneath, then the scenario's name and the run's facts."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    width = WIDTH - 2 * MARGIN
    title = board.description or board.name
    size = fitting_size([title], width, TITLE_SLIDE_ROOM, TITLE_SLIDE_SIZES)
    named = f"{board.name}: {board.facts}" if board.description else board.facts
    lines = [text for text in (_takeaway(board), named) if text]
    heights = [text_height(t, 20 if k == 0 else 16, width) for k, t in enumerate(lines)]
    # the block's middle a little above the slide's: a short title sits where it did
    block = text_height(title, size, width, bold=True) + GAP + sum(heights)
    top = max(MARGIN, min(TITLE_SLIDE_TOP, (SOURCE_TOP - block) // 2))
    below = place_title(slide, title, top, size)
    subtitle = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    subtitle.left, subtitle.top = MARGIN, Emu(below + GAP)
    subtitle.width, subtitle.height = Emu(width), Emu(sum(heights))
    fill(subtitle.text_frame, lines, 20, False, INK)
    for k, paragraph in enumerate(subtitle.text_frame.paragraphs):
        paragraph.space_before = 0
        paragraph.line_spacing = 1.0
        if k:
            for run in paragraph.runs:
                run.font.size = Pt(16)
                run.font.color.rgb = MUTED
    text_box(slide, board.source, SOURCE_TOP, SOURCE_PT, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = xml_text(f"{board.method}\n\nSource: {board.source}")


def _summary_slide(deck: Deck, board: Board) -> None:
    """The answer first (a run's cost, payback, work and AI half, as tiles with their
    figures), then the report's story, the same lines: each chart's takeaway."""
    lines = [chart.title for chart in board.story]
    if not board.answers and not lines:
        return
    notes = (
        "The answers' figures are the headline table's (its Mean* column). The story: "
        "each line is a chart's takeaway, in the order of the slides that follow."
    )
    title = board.answer_title or "Executive summary"
    if not board.answers:
        _bullet_slides(deck, title, lines, notes, board.source)
        return
    slide, below = new_slide(deck, CONTENT_LAYOUT, title, notes, board.source)
    below = answer_tiles(slide, board.answers, below + GAP)
    below = text_box(slide, board.answers_note, below + GAP, NOTE_PT, colour=MUTED)
    left = _bullets(slide, lines, below + GAP, STORY_SIZES) if lines else []
    if left:
        _bullet_slides(deck, f"{title} (continued)", left, notes, board.source)


def _table_slide(deck: Deck, board: Board) -> None:
    notes = "\n".join([board.uncertainty, *board.caveats])
    title = board.table_title or board.table_heading
    slide, below = new_slide(deck, TITLE_ONLY_LAYOUT, title, notes, board.source)
    below = _subtitle(slide, board.facts, below)
    grid(slide, board.table, below + GAP, 1 if board.kind == "run" else None, board.table_notes)


def _fiscal_slide(deck: Deck, board: Board) -> None:
    """The fiscal-year table, and beneath it the same figures as clustered columns
    (none where every figure is 0: the title says so)."""
    if not board.fiscal_years:
        return
    subtitle = "Net savings, one-time costs and net cash by fiscal year: the mean cash flow"
    chart = board.fiscal_chart
    notes = board.fiscal_note + (f"\n{chart.notes}" if chart else "")
    slide, below = new_slide(deck, TITLE_ONLY_LAYOUT, board.fiscal_title, notes, board.source)
    below = _subtitle(slide, subtitle, below)
    if chart is None or chart.native is None:
        grid(slide, board.fiscal_years, below + GAP, None, (board.fiscal_note,))
        return
    # the table takes what it needs of the upper half, the columns the rest
    half = below + (CONTENT_BOTTOM - below) // 2
    end = grid(slide, board.fiscal_years, below + GAP, None, (board.fiscal_note,), half)
    native_chart(slide, chart.native, end + GAP, CONTENT_BOTTOM - end - GAP)


def _chart_slide(deck: Deck, board: Board, chart: ChartSlide) -> None:
    notes = f"{chart.notes}\nCaveats: " + " ".join(board.caveats)
    slide, below = new_slide(deck, TITLE_ONLY_LAYOUT, chart.title, notes, board.source)
    top = _subtitle(slide, chart.subtitle, below) + GAP
    height = CONTENT_BOTTOM - top
    if chart.native is not None:
        native_chart(slide, chart.native, top, height)
        return
    # the drawing is a whole slide: its own title, subtitle and source are cut off
    # (ours stand above and below it), the rest scaled into the space between
    kept = 1 - CROP_TOP - CROP_BOTTOM
    aspect = style.PIXELS[0] / (style.PIXELS[1] * kept)
    width = min(int(height * aspect), WIDTH - 2 * MARGIN)
    height = int(width / aspect)
    left = int((WIDTH - width) / 2)
    picture = slide.shapes.add_picture(
        io.BytesIO(chart.png), Emu(left), Emu(top), Emu(width), Emu(height)
    )
    picture.crop_top, picture.crop_bottom = CROP_TOP, CROP_BOTTOM
    picture.name = chart.stem


def _chart_slides(deck: Deck, board: Board) -> None:
    for chart in board.charts:
        _chart_slide(deck, board, chart)


def _assumptions_slide(deck: Deck, board: Board) -> None:
    """The assumptions that matter, with their sources, as many as the slide holds at
    a readable size (the report and the workbook hold them all); no slide without any
    (why there are none is said on the risks slide)."""
    rows = board.assumptions.rows
    if not rows:
        return
    title = "The assumptions that matter, and where they come from"
    notes = board.assumptions.note or "Every assumption is listed in the report."
    slide, below = new_slide(deck, TITLE_ONLY_LAYOUT, title, notes, board.source)
    remarks = [board.assumptions.note] if board.assumptions.note else []
    header = ("Assumption", "Value", "Source")
    for count in range(min(len(rows), MOST_ASSUMPTIONS), 0, -1):
        table = [
            header,
            *((a.label, a.value, clipped(a.source, SOURCE_CHARS)) for a in rows[:count]),
        ]
        shown = remarks + (
            [f"The first {count} of {len(rows)}; the report lists them all."]
            if count < len(rows)
            else []
        )
        if table_size(table, below + GAP, shown) is not None:
            break
    grid(slide, table, below + GAP, None, shown, text_columns=3)


def _risks_slide(deck: Deck, board: Board) -> None:
    """The range, the caveats and the method, on the slide (not only in the notes)."""
    title = "Risks, caveats and how the figures were made"
    notes = f"{board.method}\n\nSource: {board.source}"
    lines = [board.uncertainty, *board.caveats, f"Method: {board.method}"]
    if not board.assumptions.rows and board.assumptions.note:
        lines.insert(1, board.assumptions.note)  # there is no assumptions slide to say it
    _bullet_slides(deck, title, lines, notes, board.source)


#: the deck's slides in order: each maker adds its slides (none, one or several)
SLIDES: tuple[Callable[[Deck, Board], None], ...] = (
    _title_slide,
    _summary_slide,
    _table_slide,
    _fiscal_slide,
    _chart_slides,
    _assumptions_slide,
    _risks_slide,
)


def write_deck(board: Board, path: Path) -> None:
    """The deck of ``board`` at ``path``."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    widen_layouts(deck)
    deck.core_properties.title = board.name
    deck.core_properties.author = "restructure"
    for make in SLIDES:
        make(deck, board)
    deck.save(str(path))


__all__ = ["SLIDES", "write_deck"]
