"""The board pack as a person receives it: report.html and deck.pptx written by the
command line from a small run, holding the same figures as summary.json.

The quick tests read the files with Python (the HTML as text, the deck with
python-pptx); the slow ones render them as a reader would (headless Chromium,
LibreOffice Impress) and are skipped where those programs are missing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FAST, SHIPPED, SMALL
from pptx import Presentation
from pptx.util import Emu

from sim.cli import main
from sim.report.charts import CHARTS
from sim.report.text import headline_cell, headline_rows


@pytest.fixture(scope="module")
def packed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small run written with --report, as a user would ask for it."""
    target = tmp_path_factory.mktemp("pack") / "run"
    result = CliRunner().invoke(
        main, ["run", str(SMALL), "-o", str(target), "--report", "--no-charts", *FAST]
    )
    assert result.exit_code == 0, result.output
    return target


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_run_with_report_writes_the_html_and_the_deck(packed_run: Path) -> None:
    assert (packed_run / "report.html").is_file()
    assert (packed_run / "deck.pptx").is_file()
    assert not [p for p in packed_run.iterdir() if p.name.startswith(".report.")]


def test_report_html_needs_no_network_and_no_script(packed_run: Path) -> None:
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html
    urls = set(re.findall(r"https?://[^\s\"')<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls  # SVG's namespace, never fetched
    assert html.count("<svg") == len(CHARTS)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids repeat across the inline charts"


def test_report_html_has_the_table_the_story_and_the_source(packed_run: Path) -> None:
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    summary = _summary(packed_run)
    for label, *cells in headline_rows(summary):
        row = re.search(rf"<td>{re.escape(label)}</td>(.*?)</tr>", html, re.S)
        assert row, label
        assert re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1)) == [
            c.replace(">", "&gt;") for c in cells
        ]
    for needle in ("Assumptions that matter", "Method", "P10", summary["scenario"]["sha256"][:8]):
        assert needle in html
    assert f"seed {summary['seed']}" in html and summary["version"] in html


def test_deck_has_title_table_and_a_slide_a_chart_with_notes(packed_run: Path) -> None:
    deck = Presentation(str(packed_run / "deck.pptx"))
    assert (deck.slide_width, deck.slide_height) == (Emu(12191695), Emu(6858000))
    slides = list(deck.slides)
    assert len(slides) == 2 + len(CHARTS)
    assert _summary(packed_run)["scenario"]["name"] in _slide_texts(slides[0])
    for slide in slides[1:]:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    native = sum(1 for s in slides for shape in s.shapes if shape.has_chart)
    pictures = sum(1 for s in slides for shape in s.shapes if shape.shape_type == 13)
    assert native >= 2 and native + pictures == len(CHARTS)


def test_deck_table_cells_equal_the_summary_figures(packed_run: Path) -> None:
    deck = Presentation(str(packed_run / "deck.pptx"))
    tables = [shape.table for shape in deck.slides[1].shapes if shape.has_table]
    assert len(tables) == 1
    table = tables[0]
    cells = [[table.cell(i, j).text for j in range(4)] for i in range(len(table.rows))]
    assert cells[0] == ["", "P10", "P50", "P90"]
    assert [tuple(row) for row in cells[1:]] == headline_rows(_summary(packed_run))


def test_one_number_everywhere(packed_run: Path) -> None:
    """The P50 NPV and payback read the same in the table, a chart's title or
    subtitle, the HTML and the deck."""
    summary = _summary(packed_run)
    html = (packed_run / "report.html").read_text(encoding="utf-8")
    deck = Presentation(str(packed_run / "deck.pptx"))
    deck_text = "\n".join(t for s in deck.slides for t in _slide_texts(s))
    titles = [t for s in list(deck.slides)[2:] for t in _slide_texts(s)]
    for name in ("npv", "payback_month", "run_rate_savings_annual", "headcount_end"):
        figure = headline_cell(summary, name)
        assert figure in html and figure in deck_text, name
        assert any(figure in title for title in titles), (name, figure, titles)


def test_report_command_rewrites_the_pack_of_a_run_folder(packed_run: Path) -> None:
    before = (packed_run / "deck.pptx").stat().st_mtime_ns
    result = CliRunner().invoke(main, ["report", str(packed_run)])
    assert result.exit_code == 0, result.output
    assert (packed_run / "deck.pptx").stat().st_mtime_ns >= before
    assert "report.html" in result.output


def test_report_of_a_folder_that_is_not_a_run_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a run output folder" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir()), "nothing half-written"


def test_a_comparison_gets_its_pack_from_its_folder(packed_run: Path, tmp_path: Path) -> None:
    target = tmp_path / "comparison"
    result = CliRunner().invoke(
        main, ["compare", str(packed_run), str(packed_run), "-o", str(target), "--no-charts"]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", str(target)])
    assert result.exit_code == 0, result.output
    html = (target / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and html.count("<svg") == 4
    deck = Presentation(str(target / "deck.pptx"))
    assert len(deck.slides) == 2 + 4
    npv = headline_cell(_summary(packed_run), "npv")
    assert npv in html


# ------------------------------------------------------------------ rendered


def _program(*names: str) -> str:
    for name in names:
        if found := shutil.which(name):
            return found
    pytest.skip(f"{' or '.join(names)} is not installed")


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_gets_a_pack(scenario: Path, tmp_path: Path) -> None:
    target = tmp_path / scenario.stem
    result = CliRunner().invoke(
        main, ["run", str(scenario), "-o", str(target), "--report", "--no-charts", *FAST]
    )
    assert result.exit_code == 0, result.output
    summary = _summary(target)
    html = (target / "report.html").read_text(encoding="utf-8")
    assert headline_cell(summary, "npv") in html and "<script" not in html
    assert len(Presentation(str(target / "deck.pptx")).slides) == 2 + len(CHARTS)


@pytest.mark.slow
def test_chromium_renders_the_report_and_prints_it(packed_run: Path, tmp_path: Path) -> None:
    chromium = _program("chromium", "chromium-browser", "google-chrome")
    common = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
    ]
    url = (packed_run / "report.html").resolve().as_uri()
    png, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    subprocess.run(
        [*common, f"--screenshot={png}", "--window-size=1400,4000", url],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [*common, f"--print-to-pdf={pdf}", url], check=True, capture_output=True, timeout=120
    )
    import matplotlib.image

    pixels = matplotlib.image.imread(png)
    assert pixels.shape[:2] == (4000, 1400)
    assert pixels[..., :3].std() > 0.05, "the page rendered blank"
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert headline_cell(_summary(packed_run), "npv") in text


@pytest.mark.slow
def test_libreoffice_opens_the_deck_one_page_a_slide(packed_run: Path, tmp_path: Path) -> None:
    soffice = _program("soffice", "libreoffice")
    deck = tmp_path / "deck.pptx"
    shutil.copy(packed_run / "deck.pptx", deck)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True,
        capture_output=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = tmp_path / "deck.pdf"
    if not pdf.is_file():
        pytest.skip("LibreOffice has no Impress filter here (libreoffice-impress not installed)")
    pdfinfo = _program("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert pages == 2 + len(CHARTS)
