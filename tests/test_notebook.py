"""The notebook API as a notebook user meets it (issue 26).

The audit: displaying ``results`` in Jupyter printed 1.56 MB of text and a loaded
run 364 KB; there was no ``_repr_html_`` and no DataFrame; a ``run`` cell was
silent for minutes; the chart functions returned paths. Here: a one-line repr,
the headline table as HTML in the figures the printout writes, DataFrames that
hold what the run folder's CSVs hold, a progress bar, Figures; and the README's
example run in a real Jupyter kernel.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import SMALL
from matplotlib.figure import Figure

import sim
from sim.report.charts import CHARTS
from sim.report.text import cfo_rows
from sim.runs.notebook import headline_rows

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results() -> sim.Results:
    return sim.run(sim.load_scenario(SMALL), replications=3, workers=1, progress=False)


@pytest.fixture(scope="module")
def folder(results: sim.Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("notebook") / "run"
    sim.write_run(results, str(SMALL), str(target))
    return target


def test_results_read_as_one_line_and_a_headline_table(results: sim.Results, folder: Path) -> None:
    shown = repr(results)
    assert "\n" not in shown and len(shown) < 300, shown
    assert shown.startswith(f"<Results {results.scenario.meta.name}: 3 replications, seed ")
    html = results._repr_html_()
    assert "<table>" in html and len(html) < 10_000
    rows = headline_rows(results.headline, results.scenario.meta.currency)
    assert html.count("<tr>") == 1 + len(rows) and len(rows) >= 10
    # the P50 NPV as the printout's table writes it (the same formatter)
    summary = sim.load_run(folder).summary
    npv = next(row for row in cfo_rows(summary) if row[0].startswith("NPV to"))
    assert f">{npv[3]}<" in html


def test_a_loaded_run_and_its_summary_read_as_one_line(folder: Path) -> None:
    run = sim.load_run(folder)
    for shown in (repr(run), repr(run.summary)):
        assert "\n" not in shown and len(shown) < 300, shown
    assert repr(run).startswith(f"<RunFolder {folder}: 3 replications")
    assert "<table>" in run._repr_html_()


def test_to_frame_holds_what_replications_csv_holds(results: sim.Results, folder: Path) -> None:
    frame = results.to_frame()
    assert list(frame.index) == [0, 1, 2] and frame.index.name == "replication"
    with (folder / "replications.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for column in ("npv", "payback_month", "headcount_end"):
        written = [float(row[column]) if row[column] else np.nan for row in rows]
        assert frame[column].to_numpy() == pytest.approx(written, rel=1e-12, nan_ok=True)
    assert sim.load_run(folder).to_frame()["npv"].to_numpy() == pytest.approx(frame["npv"])


def test_to_frame_series_is_timeseries_csv_a_month_a_row(
    results: sim.Results, folder: Path
) -> None:
    frame = results.to_frame("series", stat="p50")
    assert list(frame.index) == list(results.months)
    headcount = frame[("all", "headcount")].to_numpy()
    loaded = sim.load_run(folder).to_frame("series", stat="p50")[("all", "headcount")]
    assert headcount == pytest.approx(loaded.to_numpy(), rel=1e-9)
    assert headcount == pytest.approx(np.median(results.stacked(("all", "headcount")), axis=0))
    with pytest.raises(ValueError, match="expected 'replications' or 'series'"):
        results.to_frame("months")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected one of p10, p50, p90, mean"):
        results.to_frame("series", stat="median")


def test_the_charts_come_back_as_figures(folder: Path) -> None:
    figures = sim.figures(str(folder))
    assert list(figures) == list(CHARTS)
    assert all(isinstance(f, Figure) for f in figures.values())


def test_a_run_shows_its_progress_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    counted: list[int] = []
    scenario = sim.load_scenario(SMALL)
    sim.run(scenario, replications=2, workers=1, progress=True, on_done=counted.append)
    assert counted == [1, 1]
    # tqdm's text bar, on stderr: its first frame always shows; a later one only after
    # tqdm's 0.1 s refresh interval, which two fast replications may beat (CI's stop)
    shown = capsys.readouterr().err
    assert "0/2" in shown and "replication" in shown, shown


def _readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```python\n(from sim import .*?)```", text, flags=re.DOTALL)
    assert match, "the README shows a notebook example"
    return match.group(1)


@pytest.mark.slow  # a Jupyter kernel's start, and the README's twenty replications
def test_the_readme_example_runs_in_a_real_jupyter_kernel() -> None:
    """The README's notebook example, as written, in a real kernel (the one run of it)."""
    import nbclient  # the test extra's: a missing kernel fails the test, never skips it
    import nbformat

    example = _readme_example()
    assert len([line for line in example.splitlines() if line.strip()]) <= 3  # a notebook's cell
    cells = [
        example,
        "results",
        "results.to_frame().shape",
        "import sim\nsim.figures is not None",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["kernelspec"] = kernel
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    example, shown, shape, _ = notebook.cells
    printed = "".join(o.get("text", "") for o in example.outputs if o.output_type == "stream")
    assert re.search(r"Band\(p10=-?[\d.e+]+, p50=", printed), printed
    (display,) = [o for o in shown.outputs if o.output_type == "execute_result"]
    assert "<table>" in display.data["text/html"]
    assert len(display.data["text/plain"]) < 300, display.data["text/plain"]
    (rows,) = [o for o in shape.outputs if o.output_type == "execute_result"]
    assert rows.data["text/plain"].startswith("(20, ")
