"""report.html as it prints: headless Chromium's PDF read page by page with PyMuPDF.

What a reader of the printout circles: a heading (or a table's header row) at the foot of
a page with what it heads on the next, a chart cut across two pages, and a page that
holds nothing but a note (a run's uncertainty note printed alone on page 3). The charts
are SVG drawn by matplotlib: each prints as a 16:9 white background rectangle with the
chart on it, which is how a figure is found on a page.

Test modules import ``print_pdf`` and ``print_problems``; the problems are listed, so a
failing test names every page at once.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CHROMIUM, program

pymupdf = pytest.importorskip("pymupdf", reason="PyMuPDF reads the printed pages")

#: the report's @page margin, 12 mm, in points
MARGIN_PT = 12 / 25.4 * 72
#: a chart's aspect (a 16:9 slide) and the least width of one on a page, in points
CHART_ASPECT, CHART_MIN_WIDTH_PT = 16 / 9, 200
#: the notes' colour (the template's --muted)
MUTED = 0x555555
#: what rounding leaves over, in points
SLACK_PT = 2
BOLD = 16  # PyMuPDF's span flag for a bold font


def print_pdf(html: Path, out: Path) -> Path:
    """report.html printed to PDF as a reader's browser prints it, without the browser's
    own header and footer (the date and the file's address)."""
    pdf = out / f"{html.stem}.pdf"
    command = [program(*CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu"]
    command += ["--disable-background-networking", "--no-pdf-header-footer"]
    command += [f"--print-to-pdf={pdf}", html.resolve().as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return pdf


@dataclass(frozen=True)
class Span:
    text: str
    top: float
    bottom: float
    bold: bool
    muted: bool


@dataclass(frozen=True)
class Page:
    number: int
    height: float
    spans: tuple[Span, ...]
    charts: tuple[tuple[float, float], ...]  # (top, bottom) of each chart on the page

    def last_line(self) -> list[Span]:
        """The spans of the lowest line of text, if no chart lies below it."""
        if not self.spans:
            return []
        bottom = max(s.bottom for s in self.spans)
        if any(chart_bottom > bottom for _, chart_bottom in self.charts):
            return []
        return [s for s in self.spans if s.bottom >= bottom - SLACK_PT]


def _is_chart(rect: pymupdf.Rect) -> bool:
    if rect.width < CHART_MIN_WIDTH_PT or rect.height <= 0:
        return False
    return abs(rect.width / rect.height - CHART_ASPECT) < 0.01


def read_pages(pdf: Path) -> list[Page]:
    pages = []
    with pymupdf.open(pdf) as document:
        for index, page in enumerate(document):
            spans = tuple(
                Span(
                    span["text"].strip(),
                    span["bbox"][1],
                    span["bbox"][3],
                    bool(span["flags"] & BOLD),
                    span["color"] == MUTED,
                )
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
                for span in line["spans"]
                if span["text"].strip()
            )
            found = [d["rect"] for d in page.get_drawings() if _is_chart(d["rect"])]
            # an axes inside a chart may be 16:9 too: only the outermost is the chart
            outer = [r for r in found if not any(o != r and o.contains(r) for o in found)]
            charts = tuple((r.y0, r.y1) for r in outer)
            pages.append(Page(index + 1, page.rect.height, spans, charts))
    return pages


def print_problems(pdf: Path, charts: int) -> list[str]:
    """What is wrong with the printed pages; ``charts``: how many the report holds (each
    must print whole on one page)."""
    pages = read_pages(pdf)
    problems = []
    for page in pages:
        if not page.spans and not page.charts:
            problems.append(f"page {page.number} is blank")
        elif not page.charts and all(s.muted for s in page.spans):
            problems.append(f"page {page.number} holds only a note: {page.spans[0].text!r}")
        last = page.last_line()
        if page is not pages[-1] and last and all(s.bold for s in last):
            problems.append(f"page {page.number} ends with a heading: {last[0].text!r}")
        for top, bottom in page.charts:
            if top < MARGIN_PT - SLACK_PT or bottom > page.height - MARGIN_PT + SLACK_PT:
                problems.append(f"page {page.number} cuts a chart ({top:.0f} to {bottom:.0f} pt)")
    printed = sum(len(page.charts) for page in pages)
    if printed != charts:
        problems.append(f"{charts} charts in the report, {printed} chart pieces printed")
    return problems


def page_of(pages: list[Page], text: str) -> list[int]:
    """The pages on which ``text`` is printed (across its lines, where it wraps: spaces
    are left out, as a line broken after a hyphen has none)."""
    wanted = "".join(text.split())
    return [p.number for p in pages if wanted in "".join("".join(s.text for s in p.spans).split())]
