"""Deck-ready charts of a run, drawn from its output folder alone.

Slides (the mix shift only in a run with roles), each a 16:9 PNG and SVG with a title that
states the takeaway:

1. headcount over time, stacked by level, against the status quo;
2. the organisation pyramid by level before and after, on a log scale;
3. the cost bridge from the status quo's run rate to the plan's, and the one-time costs;
4. cumulative net cash and the payback month;
5. work done and cycle time against the status quo;
6. AI adoption and the seats funded, against the payroll savings;
7. NPV's cumulative probability (the S-curve), with P(NPV > 0);
8. where the run has roles: the mix shift, which roles shrink and which grow;
9. the headcount bridge: start, cuts, attrition, hires, new roles, end;
10. NPV's histogram, with P10/P50/P90, P(NPV < 0), minimum, maximum and spread;
11. people against the status quo and payroll saved a year, by unit;
12. the same by layer, each layer name across the units that have it;
13. spans and layers: each unit's layers and direct reports per manager, start against end;
14. convergence: the running mean NPV with its 95% band and the running P10/P50/P90.

They read the run folder alone (:func:`sim.report.runfolder.load_run`), so ``restructure plot
DIR`` can redraw any output folder without running the simulation again.

The studies have their own slides: :func:`draw_comparison` (scenarios side by
side), :func:`draw_tornado` (which input matters most), :func:`draw_spider` (NPV
through each input's range; both: :func:`draw_sensitivity`), :func:`draw_sweep` (the
headlines across a range of one value), :func:`draw_solve`, :func:`draw_drivers` and
:func:`draw_optimisation` (an optimisation's convergence and frontier).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from sim.report.charts import (
    adoption,
    bridge,
    convergence,
    headcount,
    headcountbridge,
    mixshift,
    npvhistogram,
    orgviews,
    payback,
    pyramid,
    scurve,
    spanslayers,
    throughput,
)
from sim.report.charts.compare import draw_comparison
from sim.report.charts.data import Run
from sim.report.charts.drivers import draw_drivers
from sim.report.charts.optimize import draw_optimisation
from sim.report.charts.solve import draw_solve
from sim.report.charts.spider import draw_spider
from sim.report.charts.style import FORMATS, chart_style, save
from sim.report.charts.sweep import draw_sweep
from sim.report.charts.tornado import draw_tornado

if TYPE_CHECKING:
    from sim.report.studysource import StudySource
    from sim.studies.sensitivity import Tornado

__all__ = [
    "CHARTS",
    "FORMATS",
    "charts_for",
    "draw_charts",
    "draw_comparison",
    "draw_drivers",
    "draw_optimisation",
    "draw_sensitivity",
    "draw_solve",
    "draw_spider",
    "draw_sweep",
    "draw_tornado",
    "figures",
    "redraw",
]

#: file stem -> the function drawing it, in slide order
CHARTS: dict[str, Callable[[Run], Figure]] = {
    "1-headcount": headcount.draw,
    "2-pyramid": pyramid.draw,
    "3-cost-bridge": bridge.draw,
    "4-payback": payback.draw,
    "5-throughput": throughput.draw,
    "6-ai-adoption": adoption.draw,
    "7-npv-curve": scurve.draw,
    "9-headcount-bridge": headcountbridge.draw,
    "10-npv-histogram": npvhistogram.draw,
    "11-by-unit": orgviews.draw_units,
    "12-by-layer": orgviews.draw_layers,
    "13-spans-layers": spanslayers.draw,
    "14-convergence": convergence.draw,
}


def charts_for(run: Run) -> dict[str, Callable[[Run], Figure]]:
    """The run's slides in their order: the mix shift among them where the run has roles."""
    if not mixshift.has_roles(run):
        return CHARTS
    found = {**CHARTS, "8-mix-shift": mixshift.draw}
    return dict(sorted(found.items(), key=lambda item: int(item[0].split("-")[0])))


def figures(folder: str | Path) -> dict[str, Figure]:
    """Every chart of the run in ``folder`` as a matplotlib Figure, by file stem: a
    notebook shows one as it is, and ``figure.savefig`` saves it anywhere."""
    with chart_style():
        run = Run.load(Path(folder))
        return {stem: draw(run) for stem, draw in charts_for(run).items()}


def draw_charts(folder: Path, out_dir: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Draw every chart of the run in ``folder`` into ``out_dir``; return the files."""
    paths: list[Path] = []
    with chart_style():
        for stem, figure in figures(folder).items():
            paths.extend(save(figure, Path(out_dir), stem, formats))
    return paths


def draw_sensitivity(
    result: Tornado, source: StudySource, out_dir: Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """The tornado and the spider slides into ``out_dir``; return the files written."""
    return draw_tornado(result, source, out_dir, formats) + draw_spider(
        result, source, out_dir, formats
    )


def redraw(folder: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Draw the charts of an existing output folder again, into ``folder/charts``."""
    folder = Path(folder)
    return draw_charts(folder, folder / "charts", formats)
