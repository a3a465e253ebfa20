"""report.html as it prints (issue 26): printed to PDF in headless Chromium and read page
by page (tests/printlayout.py). The e-commerce run's uncertainty note printed alone on
page 3 (its headline table and six notes ran past page 2, and the fiscal years' drawing
and table, kept together, went to page 4); the story's five lines took a page of their
own. No heading may end a page, no chart may be cut, no page may hold only a note, and
the headline table prints whole, its notes with it.
"""

from __future__ import annotations

import html as markup
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHIPPED
from printlayout import page_of, print_pdf, print_problems, read_pages

from sim.cli import main

SCENARIOS = {p.stem: p for p in SHIPPED}
#: money and headcount only, three replications: the printout's pages do not change with
#: more (the e-commerce case has the most notes: roles, redeployment, reinvested AI)
QUICK = ("-n", "3", "--no-flow", "--no-charts", "--workers", "1", "--quiet")
COMPARED = ("ecommerce-2026", "cuts-only", "ecommerce-ai-attrition", "status-quo")

pytestmark = pytest.mark.slow


def _run(name: str, out: Path, report: bool = False) -> Path:
    folder = out / name
    args = ["run", str(SCENARIOS[name]), "-o", str(folder), *QUICK]
    result = CliRunner().invoke(main, [*args, "--report"] if report else args)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The e-commerce run's pack and a four-scenario comparison's, as a user writes them."""
    out = tmp_path_factory.mktemp("print")
    runs = [_run(name, out, report=name == COMPARED[0]) for name in COMPARED]
    comparison = out / "comparison"
    result = CliRunner().invoke(main, ["compare", *map(str, runs), "-o", str(comparison), "-q"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", str(comparison)])
    assert result.exit_code == 0, result.output
    return {"run": runs[0], "comparison": comparison}


def _charts(page: str) -> int:
    return len(re.findall(r"<figure\b", page))


@pytest.mark.parametrize("kind", ["run", "comparison"])
def test_the_printed_report_keeps_headings_charts_and_notes_with_what_they_belong_to(
    packs: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    html = packs[kind] / "report.html"
    pdf = print_pdf(html, tmp_path)
    assert print_problems(pdf, _charts(html.read_text(encoding="utf-8"))) == []


def _cells(page: str, table: str) -> list[str]:
    """The first cell of each body row of the report's table of class ``table``."""
    body = re.search(rf'<table class="{table}">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body is not None, table
    rows = re.findall(r"<tr><td[^>]*>(.*?)</td>", body.group(1))
    return [markup.unescape(cell).strip() for cell in rows]


@pytest.mark.parametrize("kind", ["run", "comparison"])
def test_the_headline_table_prints_on_one_page_with_its_notes(
    packs: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    html = packs[kind] / "report.html"
    page = html.read_text(encoding="utf-8")
    pages = read_pages(print_pdf(html, tmp_path))
    rows = _cells(page, "headlines")
    first, last = page_of(pages, rows[0]), page_of(pages, rows[-1])
    notes = re.search(r'<section id="headlines">.*?</section>', page, re.S)
    assert notes is not None
    texts = [markup.unescape(n) for n in re.findall(r'<p class="note">(.*?)</p>', notes.group(0))]
    on = {page_of(pages, text[:40])[0] for text in texts}
    assert len(first) == 1 and first == last, (rows[0], first, rows[-1], last)
    assert on == set(first), (texts, on, first)


def test_the_checks_catch_a_lone_note_and_a_heading_left_at_a_page_foot(
    tmp_path: Path,
) -> None:
    """What the audit saw, made on purpose: a heading whose table went to the next page,
    and a note printed alone."""
    filler = "".join(f"<p>Line {i} of the text.</p>" for i in range(24))
    page = (
        "<html><head><style>@page { size: A4 landscape; margin: 12mm; } body { margin: 0 }"
        " p { margin: 0 0 4px } .note { color: #555555 } table { break-inside: avoid }"
        "</style></head><body>"
        f"{filler}<h2>Headlines</h2><table>{'<tr><td>row</td></tr>' * 20}</table>"
        '<p class="note" style="break-before: page">A note alone.</p>'
        '<p style="break-before: page">The method.</p></body></html>'
    )
    html = tmp_path / "made.html"
    html.write_text(page, encoding="utf-8")
    problems = print_problems(print_pdf(html, tmp_path), charts=1)
    assert problems == [
        "page 1 ends with a heading: 'Headlines'",
        "page 3 holds only a note: 'A note alone.'",
        "1 charts in the report, 0 chart pieces printed",
    ]
