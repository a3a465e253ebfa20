"""The work flow only where it is asked: money for every replication, the flow for a sample.

A run computes money and headcount for every replication and the work flow
for the first N only (given, or chosen by precision), each replication on its
own streams: its money is the same whether it simulated its flow or not, its
flow the same whichever others did, and the sample is decided by the seed
alone, whatever the workers and chunking.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SMALL, unpriced

from sim.cli import main
from sim.report.run import run_scenario
from sim.report.summaryfile import read_summary, summary_data
from sim.report.tables import summary
from sim.runs import chunks
from sim.runs.flowsample import FlowSample
from sim.runs.headlines import FLOW_HEADLINES, REGISTRY
from sim.runs.orchestrator import run_monte_carlo, simulate
from sim.runs.plan import Pool, RunPlan
from sim.runs.precision import interval
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return unpriced(load_scenario(SMALL))


@pytest.fixture(scope="module")
def unpriced_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    lines = [
        line.split("value_per_item:")[0] + "value_per_item: null"
        if "value_per_item:" in line
        else line
        for line in text.splitlines()
    ]
    path = tmp_path_factory.mktemp("flow") / "unpriced.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_first_n_replications_simulate_the_work_flow_and_every_one_has_its_money(
    scenario: Scenario,
) -> None:
    full = run_monte_carlo(scenario, 5, seed=3)
    sampled = simulate(scenario, RunPlan(5, 3, flow=FlowSample(count=2)), Pool(1))
    assert sampled.flow_replications == 2
    for i, (ours, theirs) in enumerate(zip(sampled.headlines, full.headlines, strict=True)):
        for name, value in theirs.items():
            if name in FLOW_HEADLINES and i >= 2:
                assert ours[name] is None, (i, name)  # not simulated: no figure
            else:
                assert ours[name] == value, (i, name)  # its own streams: the same figure
    assert sampled.bridges == full.bridges


def test_a_sample_chosen_by_precision_stops_at_the_first_batch_that_settles(
    scenario: Scenario,
) -> None:
    sample = FlowSample(half_width=0.05, batch=2)
    results = simulate(scenario, RunPlan(12, 5, flow=sample), Pool(1))
    n = results.flow_replications
    assert n % 2 == 0 and 2 <= n <= 12

    def widest(count: int) -> float:
        rows = results.headlines[:count]
        widths = []
        for name, stat in (("throughput_change", "mean"), ("cycle_time_change", "p50")):
            found = interval([r[name] for r in rows], stat, 0.95).half_width
            widths.append(float("inf") if found is None else found)
        return max(widths)

    if n < 12:
        assert widest(n) <= 0.05
    assert all(widest(k) > 0.05 for k in range(2, n, 2))  # no earlier batch settled
    assert results.flow_sample is not None and results.flow_sample["replications"] == n


def test_priced_work_done_makes_every_replication_simulate_the_work_flow() -> None:
    priced = load_scenario(SMALL)
    assert priced.finance.value_per_item is not None
    results = simulate(priced, RunPlan(3, 1, flow=FlowSample(count=1)), Pool(1))
    assert results.flow_replications == 3
    assert results.flow_sample is not None and "priced" in results.flow_sample["rule"]


def test_summary_says_how_many_replications_each_headline_rests_on(scenario: Scenario) -> None:
    results = simulate(scenario, RunPlan(4, 2, flow=FlowSample(count=1)), Pool(1))
    found = summary(results, SMALL)
    assert found.flow_replications == 1 and found.replications == 4
    for headline in REGISTRY:
        assert found.rests_on(headline) == (1 if headline.needs_flow else 4), headline.name
    assert read_summary(json.loads(json.dumps(summary_data(found)))) == found


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        name: (folder / name).read_bytes()
        for name in ("summary.json", "timeseries.csv", "replications.csv", "cashflows.csv")
    }


@pytest.mark.slow
def test_the_same_seed_gives_the_same_files_whatever_the_workers_and_chunking(
    unpriced_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario(unpriced_file)
    sample = FlowSample(half_width=0.2, batch=3)
    common = dict(replications=9, seed=8, quiet=True, charts=False, flow=sample)
    run_scenario(scenario, unpriced_file, tmp_path / "one", workers=1, **common)  # type: ignore[arg-type]
    monkeypatch.setattr(chunks, "MONEY_CHUNK", 2)
    run_scenario(scenario, unpriced_file, tmp_path / "two", workers=2, **common)  # type: ignore[arg-type]
    one, two = _folder_bytes(tmp_path / "one"), _folder_bytes(tmp_path / "two")
    assert one == two
    data = json.loads(one["summary.json"])
    assert 3 <= data["flow_replications"] < 9  # a sample, not every replication


def test_no_flow_and_a_flow_count_together_are_refused_in_one_line(tmp_path: Path) -> None:
    found = CliRunner().invoke(
        main,
        ["run", str(SMALL), "-o", str(tmp_path / "x"), "--no-flow", "--flow-replications", "2"],
    )
    assert found.exit_code == 2
    assert "--no-flow and --flow-replications" in found.output
    assert not (tmp_path / "x").exists()


def test_a_run_with_a_flow_count_says_what_the_work_flow_rests_on(
    unpriced_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "run"
    found = CliRunner().invoke(
        main,
        [
            "run",
            str(unpriced_file),
            "-o",
            str(target),
            "-n",
            "3",
            "--flow-replications",
            "1",
            "--workers",
            "1",
            "-q",
            "--no-charts",
        ],
    )
    assert found.exit_code == 0, found.output
    assert "over the first 1 of the 3 replications" in found.output
    data = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    assert data["flow_replications"] == 1
    assert data["headline_replications"]["throughput_change"] == 1
    assert data["headline_replications"]["npv"] == 3
    assert data["flow_sample"]["rule"] == "given: --flow-replications 1"


def test_a_money_only_run_writes_its_folder_and_says_the_flow_was_not_simulated(
    unpriced_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "money"
    found = CliRunner().invoke(
        main,
        ["run", str(unpriced_file), "-o", str(target), "-n", "2", "--no-flow", "-q"],
    )
    assert found.exit_code == 0, found.output
    assert "not simulated (money and headcount only)" in found.output
    data = json.loads((target / "summary.json").read_text(encoding="utf-8"))
    assert data["flow_replications"] == 0
    assert data["headline"]["throughput_change"]["p50"] is None


@pytest.mark.parametrize(
    ("flag", "asked"),
    [(["--no-flow"], "--no-flow"), (["--flow-replications", "1"], "--flow-replications 1")],
)
def test_asking_for_less_flow_than_priced_work_needs_says_every_replication_simulates_it(
    flag: list[str], asked: str, tmp_path: Path
) -> None:
    """SMALL prices work done: its money reads the work flow, so --no-flow cannot hold;
    the run says so in one line instead of simulating the flow silently."""
    target = tmp_path / "priced"
    found = CliRunner().invoke(
        main, ["run", str(SMALL), "-o", str(target), "-n", "2", "-q", "--no-charts", *flag]
    )
    assert found.exit_code == 0, found.output
    (note,) = [line for line in found.stderr.splitlines() if line.startswith("note:")]
    assert note.startswith(f"note: {asked}: ") and "prices work done" in note
    assert "every replication simulates it" in note
    assert (
        json.loads((target / "summary.json").read_text(encoding="utf-8"))["flow_replications"] == 2
    )


def test_a_sample_an_unpriced_scenario_allows_gets_no_note(
    unpriced_file: Path, tmp_path: Path
) -> None:
    found = CliRunner().invoke(
        main,
        [
            "run",
            str(unpriced_file),
            "-o",
            str(tmp_path / "x"),
            "-n",
            "2",
            "-q",
            "--no-charts",
            "--no-flow",
        ],
    )
    assert found.exit_code == 0, found.output
    assert "note:" not in found.stderr
