"""Issue 27's done-when: an insurer-like case of six units (one from a roster), with a
contact centre whose contacts AI answers end to end, runs and compares without the
symptoms the second user met."""

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


def test_the_roster_built_unit_sits_beside_the_typed_in_ones_by_its_grades() -> None:
    scenario = load_scenario(INSURER)
    assert [u.name for u in scenario.org.units][-2:] == ["Corporate functions", "Broker services"]
    # 4 senior managers with 4 managers each, and 3 team managers under the director: by
    # grade all 19 are managers, so removing the senior layer cuts none of them
    layers = scenario.unit("Broker services").layers or ()
    assert [(x.name, x.headcount) for x in layers] == [
        ("Director", 1),
        ("Senior manager", 4),
        ("Manager", 19),
        ("Broker", 228),
    ]
    assert [p.name for p in scenario.ai.pool_members("AI fund")] == [
        "Contact agent",
        "Claims assistant",
    ]


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
    assert "Contact agent may spend, with Claims assistant from the pool AI fund" in (result.output)
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


@pytest.mark.slow  # money only: two variants and the status quo, two replications each
def test_the_insurer_variants_compare_at_one_date_over_one_window(tmp_path: Path) -> None:
    text = INSURER.read_text(encoding="utf-8")
    # the wave in April 2027 and the coding assistant from January: valued at January 2027
    later = (
        text.replace("name: insurer-contact-centre", "name: later-cuts")
        .replace("date: 2026-10-01", "date: 2027-04-01")
        .replace("start: 2026-10", "start: 2027-01")
    )
    quo = text.split("restructuring:")[0].replace("name: insurer-contact-centre", "name: quo")
    for name, body in (("plan", text), ("later", later), ("quo", quo)):
        (tmp_path / f"{name}.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "insurer-brokers.csv").write_bytes((GOOD / "insurer-brokers.csv").read_bytes())
    files = [str(tmp_path / f"{n}.yaml") for n in ("quo", "plan", "later")]
    out = tmp_path / "cmp"
    options = ["-n", "2", "--workers", "1", "-q", "--no-charts", "--no-flow", "-o", str(out)]
    result = CliRunner().invoke(main, ["compare", *files, *options])
    assert result.exit_code == 0, result.output
    # alone valued at Oct 2026 and Jan 2027, the status quo at its start: all at the
    # earliest, Jan 2026, to the latest last month, Dec 2029 (36 months from Jan 2027)
    assert (
        "valued at one date: 2026-01-01 (the earliest valuation date of the scenarios), "
        "over 48 months to 2029-12"
    ) in result.output
    summaries = [json.loads(p.read_text()) for p in sorted(out.glob("runs/*/summary.json"))]
    assert {s["valuation"]["date"] for s in summaries} == {"2026-01-01"}
    assert {s["last_month"] for s in summaries} == {"2029-12"}
