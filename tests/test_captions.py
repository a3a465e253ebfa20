"""Only what is drawn is described (issue 26): a slide drawn as a picture has a caption
(its chart's subtitle) that names lines, bands, whiskers, bars and colours; each is
checked against what the chart really draws, as tests/test_boardpack.py checks the
native charts. The audit found captions ("dashed: the status quo; grey: P10-P90",
"whiskers: P10-P90") over charts that drew neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot
import pytest
from click.testing import CliRunner
from conftest import SMALL
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from pptx import Presentation

from sim.cli import main
from sim.report.charts import figures
from sim.report.charts.compare import Compared, comparison_figures
from sim.report.studies import compare_runs

RUN = ("-n", "3", "--workers", "1", "--quiet", "--no-charts")


def _lines(figure: Figure) -> list[Line2D]:
    return [line for ax in figure.axes for line in ax.get_lines() if len(line.get_xdata()) > 1]


def _dashed(figure: Figure) -> bool:
    return any(line.get_linestyle() in ("--", "-.", ":") for line in _lines(figure))


def _solid_lines(figure: Figure) -> bool:
    return any(line.get_linestyle() == "-" for line in _lines(figure))


def _bands(figure: Figure, colour: str | None = None) -> bool:
    """A shaded band (fill_between) with an area, of ``colour`` where given."""
    for ax in figure.axes:
        for band in ax.collections:
            if not isinstance(band, PolyCollection) or not band.get_paths():
                continue
            if colour is None or _is(band.get_facecolor()[0], colour):
                return True
    return False


def _is(rgba: tuple[float, ...], colour: str) -> bool:
    r, g, b = rgba[:3]
    if colour == "grey":
        return abs(r - g) < 0.05 and abs(g - b) < 0.05 and r < 0.95
    if colour == "blue":
        return b > r + 0.2 and b > g
    return to_rgba(colour)[:3] == (r, g, b)


def _whiskers(figure: Figure) -> bool:
    for ax in figure.axes:
        for container in ax.containers:
            if isinstance(container, ErrorbarContainer):
                segments = [s for c in container.lines[2] for s in c.get_segments()]
                if any(abs(s[0] - s[-1]).max() > 0 for s in segments):
                    return True
    return False


def _bars(figure: Figure, colour: str | None = None) -> bool:
    bars = [
        patch
        for ax in figure.axes
        for patch in ax.patches
        if isinstance(patch, Rectangle) and patch.get_width() and patch.get_height()
    ]
    if colour is not None:
        bars = [bar for bar in bars if _is(bar.get_facecolor(), colour)]
    return len(bars) >= 1


def _log_scale(figure: Figure) -> bool:
    return any("log" in (ax.get_xscale(), ax.get_yscale()) for ax in figure.axes)


#: what a caption may say (a pattern) and what the chart must then draw
SAID: tuple[tuple[str, Callable[[Figure], bool]], ...] = (
    (r"\bdashed\b", _dashed),
    (r"\blines?\b", _solid_lines),
    (r"\bgrey: P10-P90\b", lambda f: _bands(f, "grey")),
    (r"\bshaded\b", _bands),
    (r"\bwhiskers?\b", _whiskers),
    (r"\bbars\b", _bars),
    (r"\bgrey [A-Z][a-z]{2} \d{4}", lambda f: _bars(f, "grey")),
    (r"\bblue [A-Z][a-z]{2} \d{4}", lambda f: _bars(f, "blue")),
    (r"\blog scale\b", _log_scale),
)


def _subtitle(figure: Figure) -> str:
    return next(t.get_text() for t in figure.texts if t.get_gid() == "subtitle")


def _undrawn(figure: Figure) -> list[str]:
    caption = _subtitle(figure)
    return [said for said, drawn in SAID if re.search(said, caption) and not drawn(figure)]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A small run with its deck, a variant of it, and their comparison's pack."""
    out = tmp_path_factory.mktemp("captions")
    variant = out / "small-variant.yaml"
    variant.write_text(
        SMALL.read_text(encoding="utf-8")
        .replace("name: small-delayering", "name: small-variant")
        .replace("ceiling: 0.7", "ceiling: 0.3"),
        encoding="utf-8",
    )
    for scenario, target in ((SMALL, out / "run"), (variant, out / "variant")):
        result = CliRunner().invoke(main, ["run", str(scenario), "-o", str(target), *RUN])
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", str(out / "run")])
    assert result.exit_code == 0, result.output
    comparison = out / "comparison"
    result = CliRunner().invoke(
        main, ["compare", str(out / "run"), str(out / "variant"), "-o", str(comparison)]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", str(comparison)])
    assert result.exit_code == 0, result.output
    return out / "run", out / "variant", comparison


def _pictures(deck: Path) -> dict[str, str]:
    """Each picture slide's chart (the picture's name, its stem) and its caption."""
    found = {}
    for slide in Presentation(str(deck)).slides:
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        texts = [
            shape.text_frame.text
            for shape in slide.shapes
            if shape.has_text_frame and shape != slide.shapes.title
        ]
        if pictures:  # beside the caption, the source line
            found[pictures[0].name] = next(t for t in texts if not t.startswith("Source: "))
    return found


def test_a_run_decks_picture_captions_name_only_what_their_charts_draw(
    folders: tuple[Path, Path, Path],
) -> None:
    run = folders[0]
    drawn = figures(run)
    pictures = _pictures(run / "deck.pptx")
    assert len(pictures) >= 8
    for stem, caption in pictures.items():
        figure = drawn[stem]
        assert caption == _subtitle(figure), stem
        assert not _undrawn(figure), (stem, caption, _undrawn(figure))
        matplotlib.pyplot.close(figure)


def test_a_comparison_decks_picture_captions_name_only_what_their_charts_draw(
    folders: tuple[Path, Path, Path],
) -> None:
    run, variant, comparison = folders
    drawn = comparison_figures(Compared.of(compare_runs([run, variant])))
    pictures = _pictures(comparison / "deck.pptx")
    assert set(pictures) == set(drawn)
    for stem, caption in pictures.items():
        assert caption == _subtitle(drawn[stem]), stem
        assert not _undrawn(drawn[stem]), (stem, caption, _undrawn(drawn[stem]))


def test_the_checks_catch_a_caption_that_names_what_is_not_drawn() -> None:
    """The audit's case: a caption of a dashed status quo and grey bands over a chart
    of two solid lines."""
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot([0, 1, 2], [1, 2, 3], color="blue")
    figure.text(0, 0, "P50; dashed: the status quo; grey: P10-P90; whiskers", gid="subtitle")
    assert _undrawn(figure) == [r"\bdashed\b", r"\bgrey: P10-P90\b", r"\bwhiskers?\b"]
    ax.plot([0, 1, 2], [2, 2, 2], linestyle=(0, (4, 2)))
    ax.fill_between([0, 1, 2], [0, 1, 2], [2, 3, 4], color="#999999")
    ax.errorbar([1], [2], yerr=[[0.5], [0.5]])
    assert _undrawn(figure) == []
