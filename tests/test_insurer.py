"""Issue 27's done-when: an insurer-like case of five units, with a contact centre whose
contacts AI answers end to end, runs without the symptoms the second user met."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOOD

from sim.cli import main
from sim.scenario.load import load_scenario

INSURER = GOOD / "insurer-contact-centre.yaml"


def test_the_insurer_case_validates_with_a_negative_low_end_of_ai_effect() -> None:
    scenario = load_scenario(INSURER)
    assert scenario.staffing_for("Contact centre").policy == "capacity"
    coding = next(p for p in scenario.ai.programs if p.name == "Coding assistant")
    assert coding.effects.ic_productivity_uplift.params[0] == -0.19  # type: ignore[union-attr]


@pytest.mark.slow  # 8,400 staff in five units, four replications
def test_the_insurer_case_runs_without_unflagged_overload_or_slower_automation(
    tmp_path: Path,
) -> None:
    out = tmp_path / "run"
    fast = ["-n", "4", "--workers", "1", "-q", "--no-charts"]
    result = CliRunner().invoke(main, ["run", str(INSURER), *fast, "-o", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    # every unit has the capacity it needs after the plan: nothing grows without bound
    assert summary["unbounded_queues"] == [] and summary["overloaded_units"] == []
    assert summary["unseated_programs"] == []
    assert "staffing: capacity in every unit" in result.output
    # automation answers contacts: the contact centre's agents and team leaders lose load,
    # so its contacts are not slower than in the status quo (before the fix each automated
    # contact queued for a full review)
    rows = [
        line.split(",")
        for line in (out / "timeseries.csv").read_text(encoding="utf-8").splitlines()
    ]
    header = rows[0]
    unit, metric, mean = header.index("unit"), header.index("metric"), header.index("mean")

    def series(name: str) -> list[float]:
        return [
            float(r[mean]) for r in rows[1:] if r[unit] == "Contact centre" and r[metric] == name
        ]

    plan, twin = series("cycle_time_mean")[-12:], series("baseline_cycle_time_mean")[-12:]
    assert sum(plan) < sum(twin), (plan, twin)
