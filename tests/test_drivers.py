"""Drivers of the worst decile: a dominant input tops the table in a constructed case."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner
from conftest import SMALL, check_pngs, csv_rows

from sim.cli import main
from sim.studies.drivers import worst_drivers


def test_a_dominant_input_tops_the_worst_decile_table() -> None:
    rng = np.random.default_rng(2)
    n = 500
    uplift, dip, noise = rng.uniform(0, 0.35, n), rng.uniform(0, 0.15, n), rng.normal(0, 1, n)
    npv = 100 * uplift - 20 * dip + 0.5 * noise  # uplift dominates; dip matters a little
    parameters = [{"uplift": float(u), "dip": float(d)} for u, d in zip(uplift, dip, strict=True)]
    found = worst_drivers(parameters, list(npv), {"uplift": "AI uplift", "dip": "Dip"})
    top = found.drivers[0]
    assert top.label == "AI uplift" and top.shift_sd < -1  # far lower in the worst 10%
    assert top.rank_correlation > 0.8 and top.variance_share > 0.8
    assert found.tail_count == 50 and top.mean_tail < top.mean_all


def test_drivers_command_writes_its_table_and_chart_with_labels(tmp_path: Path) -> None:
    out = tmp_path / "drivers"
    args = ["drivers", str(SMALL), "-n", "6", "--workers", "1", "-q", "--format", "png"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = csv_rows(out / "drivers.csv")
    assert {r["input"] for r in rows} >= {"Attrition (% a year)", "Survivors' productivity dip"}
    check_pngs([out / "charts" / "drivers.png"])
