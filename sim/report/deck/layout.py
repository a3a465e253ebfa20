"""Where things go on a slide: the slide master's layouts (each slide has a real title
placeholder, so the deck has an outline and takes another template), text measured
before it is placed, so a wrapped title pushes what is below it down instead of
overprinting it.

Text is measured with Arial's average character widths, a little generously: a box
sized by it holds its text in PowerPoint and in LibreOffice (whose Liberation Sans
has Arial's metrics), which the layout test checks with the font's real metrics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from sim.report.charts import style
from sim.report.escape import xml_text

FONT = "Arial"  # on every machine PowerPoint and LibreOffice run on (or its metric twin)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
#: the default template's slides are 10 inches wide: its layouts are widened to ours
TEMPLATE_WIDTH = Inches(10)
MARGIN = Inches(0.5)
INK = RGBColor.from_string(style.INK.lstrip("#"))
MUTED = RGBColor.from_string(style.MUTED.lstrip("#"))
#: the default template's layouts by what they hold
TITLE_LAYOUT, CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5
TITLE_PT, TITLE_MIN_PT = 26, 18
#: Arial's average advance a character, in ems (bold a little wider), rounded up
EM_REGULAR, EM_BOLD = 0.53, 0.58
#: a line's height, in ems (PowerPoint's single spacing)
LINE_EM = 1.2
#: a text box's insets (python-pptx's and PowerPoint's defaults)
INSET_X, INSET_Y = Inches(0.1), Inches(0.05)
TITLE_TOP = Inches(0.3)
GAP = Inches(0.12)
SOURCE_PT = 9
SOURCE_TOP = HEIGHT - Inches(0.42)
#: the lowest a slide's content may reach: above the source line
CONTENT_BOTTOM = SOURCE_TOP - Inches(0.05)


def line_count(text: str, size_pt: float, width: int, bold: bool = False) -> int:
    """The lines ``text`` takes at ``size_pt`` in a box ``width`` wide (EMU), wrapped
    at spaces as PowerPoint wraps it; each newline starts a line."""
    per_char = size_pt * (EM_BOLD if bold else EM_REGULAR)
    room = max((width - 2 * INSET_X) / Pt(1), per_char)
    lines = 0
    for paragraph in text.split("\n"):
        used, lines = 0.0, lines + 1
        for word in paragraph.split(" "):
            advance = per_char * len(word)
            if used and used + per_char + advance > room:
                lines += 1
                used = advance
            else:
                used += (per_char if used else 0) + advance
            while used > room:  # a word longer than the line breaks inside it
                lines += 1
                used -= room
    return lines


def text_height(text: str, size_pt: float, width: int, bold: bool = False) -> int:
    """The height a box needs for ``text``, insets included."""
    lines = line_count(text, size_pt, width, bold)
    return int(Pt(lines * size_pt * LINE_EM) + 2 * INSET_Y)


def widen_layouts(deck: Deck) -> None:
    """The master's and its layouts' shapes stretched from the template's 4:3 to our
    16:9, so a placeholder a slide does not move sits where the slide shows it."""
    ratio = WIDTH / TEMPLATE_WIDTH
    parts = [deck.slide_master, *deck.slide_layouts]
    for part in parts:
        for shape in part.shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = (
                    Emu(int(shape.left * ratio)),
                    Emu(int(shape.width * ratio)),
                )


def _style(font: Any, size: float, bold: bool, colour: RGBColor) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour


def fill(frame: Any, paragraphs: Sequence[str], size: float, bold: bool, colour: RGBColor) -> None:
    """``frame``'s text: a paragraph each, at one size, wrapped, never shrunk or grown
    (the box was measured for it), from the top."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = INSET_X
    frame.margin_top = frame.margin_bottom = INSET_Y
    for k, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        run = paragraph.add_run()
        run.text = xml_text(text)
        _style(run.font, size, bold, colour)


def text_box(slide: Slide, text: str, top: int, size: float, **font: object) -> int:
    """A text box across the slide at ``top``, as high as its text; returns its bottom."""
    bold = bool(font.get("bold", False))
    colour = font.get("colour", INK)
    assert isinstance(colour, RGBColor)
    width = WIDTH - 2 * MARGIN
    height = text_height(text, size, width, bold)
    box = slide.shapes.add_textbox(MARGIN, Emu(top), Emu(width), Emu(height))
    fill(box.text_frame, text.split("\n"), size, bold, colour)
    return int(top + height)


def title_size(title: str, width: int = WIDTH - 2 * MARGIN) -> int:
    """The title's size: 26 pt, smaller for a long takeaway so that it stays on one
    line; a takeaway too long for one line at 18 pt wraps at 18 pt."""
    for size in range(TITLE_PT, TITLE_MIN_PT - 1, -1):
        if line_count(title, size, width, bold=True) == 1:
            return size
    return TITLE_MIN_PT


def place_title(slide: Slide, title: str, top: int = TITLE_TOP, size: int = 0) -> int:
    """The slide's title placeholder holding ``title``, as high as its lines, at
    ``top``; returns its bottom."""
    width = WIDTH - 2 * MARGIN
    size = size or title_size(title, width)
    height = text_height(title, size, width, bold=True)
    placeholder = slide.shapes.title
    assert placeholder is not None, "every layout the deck uses has a title"
    placeholder.left, placeholder.top = MARGIN, Emu(top)
    placeholder.width, placeholder.height = Emu(width), Emu(height)
    fill(placeholder.text_frame, [title], size, True, INK)
    return int(top + height)


def new_slide(deck: Deck, layout: int, title: str, notes: str, source: str) -> tuple[Slide, int]:
    """A slide on ``layout`` with its title, notes and source line; returns it and
    where its content may start."""
    slide = deck.slides.add_slide(deck.slide_layouts[layout])
    below = place_title(slide, title)
    if source:
        text_box(slide, source, SOURCE_TOP, SOURCE_PT, colour=MUTED)
    slide.notes_slide.notes_text_frame.text = xml_text(notes)
    return slide, below


def clipped(text: str, chars: int) -> str:
    """``text`` cut at the last word that keeps it to ``chars``, with an ellipsis."""
    if len(text) <= chars:
        return text
    return text[: chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"


def fitting_size(paragraphs: Sequence[str], width: int, height: int, sizes: Sequence[int]) -> int:
    """The largest of ``sizes`` (largest first) at which the paragraphs fit ``height``;
    the smallest if none does."""
    for size in sizes:
        if text_height("\n".join(paragraphs), size, width) <= height:
            return size
    return sizes[-1]


__all__ = [
    "CONTENT_BOTTOM",
    "CONTENT_LAYOUT",
    "FONT",
    "GAP",
    "HEIGHT",
    "INK",
    "MARGIN",
    "MUTED",
    "TITLE_LAYOUT",
    "TITLE_ONLY_LAYOUT",
    "WIDTH",
    "clipped",
    "fill",
    "fitting_size",
    "line_count",
    "new_slide",
    "place_title",
    "text_box",
    "text_height",
    "widen_layouts",
]
