"""A run from scenario to output folder: what ``restructure run`` does, as a function."""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

from sim.montecarlo import default_workers, run_monte_carlo
from sim.outputs import write_run
from sim.schema import Scenario


def progress_bar(total: int, quiet: bool) -> tqdm:
    """Replications done of total, elapsed and ETA, on stderr when it is a terminal."""
    return tqdm(
        total=total,
        unit="replication",
        file=sys.stderr,
        leave=False,
        disable=quiet or not sys.stderr.isatty(),
        dynamic_ncols=True,
    )


def run_scenario(
    scenario: Scenario,
    scenario_path: Path,
    target: Path,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
    charts: bool = True,
    force: bool = False,
) -> dict:
    """Simulate and write the output folder whole; return the summary."""
    n = replications or scenario.meta.replications
    root_seed = scenario.meta.seed if seed is None else seed
    with progress_bar(n, quiet) as bar:
        results = run_monte_carlo(
            scenario, n, root_seed, workers or default_workers(), scheduler, on_done=bar.update
        )
    extra = None
    if charts:
        from sim.charts import draw_charts

        def extra(folder: Path, summary: dict) -> None:
            draw_charts(folder, summary, folder / "charts")

    return write_run(results, scenario_path, target, force, extra)
