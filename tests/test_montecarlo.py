"""Many replications give the same answer wherever they run.

Replication ``i`` is seeded from ``SeedSequence(seed).spawn(n)[i]`` and folded in
replication order, so a run in process, on a local pool and on a Dask cluster
writes byte-identical tables. A run stops promptly and cleanly on Ctrl-C, the
progress bar stays out of pipes and logs, and the reported standard errors
shrink as 1/sqrt(n).
"""

from __future__ import annotations

import gc
import io
import math
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil
import pytest
from click.testing import CliRunner
from dask.distributed import Client, LocalCluster

from sim.cli import EXIT_INTERRUPTED, main
from sim.report.run import progress_bar, run_scenario
from sim.runs import distributed, montecarlo
from sim.runs import summary as summary_module
from sim.runs.chunks import seeds
from sim.runs.distributed import ClusterError, completed_on_cluster
from sim.runs.montecarlo import Results
from sim.runs.orchestrator import run_monte_carlo
from sim.runs.summarise import ReplicationResult, replicate_one
from sim.runs.summary import convergence
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

#: one unit of 1,000 staff over 12 months, two parameters drawn per replication;
#: a replication takes well under a second
SMALL_SCENARIO = """\
meta:
  name: small-monte-carlo
  description: One unit of 1,000 staff removes a layer; a fast Monte Carlo fixture.
  start: 2026-01
  horizon_months: 12
  currency: USD
  discount_rate_annual: 0.08
  seed: 5
  replications: 6
  fidelity_items: {fidelity_items}

org:
  attrition_annual: pert(0.09, 0.12, 0.16)
  backfill: {{share: 0.9, lag_weeks: 10, cost_per_hire: 15000}}
  hiring_freezes: []
  units:
    - name: Operations
      layers:
        - {{name: Director, headcount: 12, cost_per_head_annual: 320000, review_share: 0.2}}
        - {{name: Senior manager, headcount: 30, cost_per_head_annual: 240000, review_share: 0.3}}
        - {{name: Manager, headcount: 118, cost_per_head_annual: 180000, review_share: 0.35}}
        - {{name: IC, headcount: 840, cost_per_head_annual: 130000}}

work:
  - units: [Operations]
    arrivals_per_ic_per_week: 3.0
    demand_growth_annual: 0.04
    effort_hours: lognormal(8, 5)
    ic_hours_per_week: 30
    signoff_shares: [0.5, 0.2, 0.05]
    review_hours: exponential(0.5)
    handoff_delay_days: exponential(1)

restructuring:
  notice_weeks: 8.6
  severance:
    base_weeks: 2
    weeks_per_year: 1
    average_tenure_years: pert(3, 5, 9)
    cap_weeks: 26
  waves:
    - name: Delayering
      date: 2026-03-01
      remove_layers:
        - {{unit: Operations, layer: Senior manager, moved_down_share: 0.3}}
      one_time_costs: 500000

finance:
  value_per_item: 500
"""
SEED = 5
#: the tables that must not depend on where the replications ran
TABLES = ("summary.json", "replications.csv", "timeseries.csv", "cashflows.csv")
#: a run interrupted after this long is well under way (workers busy)
INTERRUPT_AFTER_S = 3.0
#: replications of a run to interrupt: it must outlast INTERRUPT_AFTER_S on an idle
#: machine (50 took 2.7 s on two workers once the work flow got cheaper, and finished
#: first), and stay under the slow-run notice (200 are estimated at about 34 s)
RUN_REPLICATIONS = "200"
#: an interrupted run must be gone within this long
STOP_WITHIN_S = 10.0
#: a dashboard on any free port
FREE_PORT = ":0"


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "small.yaml"
    path.write_text(SMALL_SCENARIO.format(fidelity_items=5000), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cheap_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same scenario at the lowest fidelity: about 0.1 s a replication."""
    path = tmp_path_factory.mktemp("scenario") / "cheap.yaml"
    path.write_text(SMALL_SCENARIO.format(fidelity_items=1000), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scenario(scenario_file: Path) -> Scenario:
    return load_scenario(scenario_file)


@pytest.fixture(scope="module")
def cheap(cheap_file: Path) -> Scenario:
    return load_scenario(cheap_file)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    # ":0", not None: with None the scheduler still serves HTTP on 8787, which another
    # cluster on the machine may hold
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=FREE_PORT
    )
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def one_by_one(cheap: Scenario) -> list[ReplicationResult]:
    """Six replications of the cheap scenario, each run alone, in order."""
    return [replicate_one(cheap, seed) for seed in seeds(SEED, 6)]


@pytest.fixture(scope="module")
def pool_run(cheap: Scenario) -> tuple[Results, list[int]]:
    """32 replications on a local pool of two, and the progress calls they made."""
    calls: list[int] = []
    return run_monte_carlo(cheap, 32, SEED, workers=2, on_done=calls.append), calls


def assert_same_results(a: Results, b: Results) -> None:
    assert a.headlines == b.headlines
    assert a.parameters == b.parameters
    assert a.irr_reasons == b.irr_reasons
    assert a.series.keys() == b.series.keys()
    for key in a.series:
        assert np.array_equal(a.stacked(key), b.stacked(key), equal_nan=True)
    flows_a, flows_b = a.mean_cash_flows(), b.mean_cash_flows()
    assert np.array_equal(flows_a.net, flows_b.net)


def folded(scenario: Scenario, replications: list[ReplicationResult]) -> Results:
    results = Results(scenario=scenario, seed=SEED)
    for result in replications:
        results.add(result)
    return results


def test_a_scenario_and_its_seeds_survive_pickling(cheap: Scenario) -> None:
    """What a worker process or a Dask worker receives is the same scenario."""
    assert pickle.loads(pickle.dumps(cheap)) == cheap
    seed = seeds(SEED, 4)[3]
    copy = pickle.loads(pickle.dumps(seed))
    assert (copy.entropy, copy.spawn_key) == (seed.entropy, seed.spawn_key)


@pytest.mark.slow
def test_same_seed_writes_identical_tables_in_process_on_a_pool_and_on_dask(
    scenario: Scenario, scenario_file: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    ways = {
        "in process": {"workers": 1},
        "pool of two": {"workers": 2},
        "dask": {"scheduler": cluster.scheduler_address},
    }
    for name, where in ways.items():
        run_scenario(
            scenario, scenario_file, tmp_path / name, seed=SEED, quiet=True, charts=False, **where
        )
    for table in TABLES:
        written = {name: (tmp_path / name / table).read_bytes() for name in ways}
        assert written["pool of two"] == written["in process"], table
        assert written["dask"] == written["in process"], table


@pytest.mark.slow
def test_money_only_replications_chunked_on_dask_are_those_run_in_process(
    cheap: Scenario, cluster: LocalCluster
) -> None:
    here = run_monte_carlo(cheap, 7, SEED, workers=1, flow=False)
    there = run_monte_carlo(cheap, 7, SEED, scheduler=cluster.scheduler_address, flow=False)
    assert repr(here.headlines) == repr(there.headlines)  # repr: a NaN equals itself
    for key in here.series:
        np.testing.assert_array_equal(here.stacked(key), there.stacked(key))


def test_replication_i_is_seeded_from_the_ith_spawned_seed(
    cheap: Scenario, pool_run: tuple[Results, list[int]]
) -> None:
    results, _ = pool_run
    alone = replicate_one(cheap, np.random.SeedSequence(SEED).spawn(32)[3])
    assert results.headlines[3] == alone.headline
    assert results.parameters[3] == alone.parameters
    assert results.headlines[3] != results.headlines[2]


def test_progress_is_reported_once_per_replication(pool_run: tuple[Results, list[int]]) -> None:
    results, calls = pool_run
    assert results.count == 32
    assert calls == [1] * 32


def test_results_fold_in_replication_order_whatever_order_they_complete_in(
    cheap: Scenario, one_by_one: list[ReplicationResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    arrival = [4, 1, 5, 0, 3, 2]

    def out_of_order(*_: object) -> Iterator[tuple[int, ReplicationResult]]:
        for index in arrival:
            yield index, one_by_one[index]

    monkeypatch.setattr(montecarlo, "_completed", out_of_order)
    calls: list[int] = []
    results = run_monte_carlo(cheap, 6, SEED, workers=2, on_done=calls.append)
    assert calls == [1] * 6
    assert_same_results(results, folded(cheap, one_by_one))


def test_in_process_run_matches_replications_run_alone(
    cheap: Scenario, one_by_one: list[ReplicationResult]
) -> None:
    assert_same_results(run_monte_carlo(cheap, 6, SEED, workers=1), folded(cheap, one_by_one))


@pytest.mark.slow
def test_the_cluster_holds_at_most_two_replications_per_worker_thread(
    cheap: Scenario, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients: list[Client] = []

    def recording_connect(address: str, timeout_s: float) -> Client:
        clients.append(distributed.Client(address, timeout=timeout_s, set_as_default=False))
        return clients[-1]

    monkeypatch.setattr(distributed, "connect", recording_connect)
    held, unfinished, indexes = [], [], []
    for index, _ in completed_on_cluster(cheap, seeds(SEED, 12), cluster.scheduler_address):
        indexes.append(index)
        ours = [f for k, f in clients[0].futures.items() if str(k).startswith("replicate-")]
        held.append(len(ours))
        unfinished.append(sum(f.status == "pending" for f in ours))
    window = distributed.IN_FLIGHT_PER_THREAD * 2
    assert max(unfinished) <= window
    assert max(held) <= window + 1  # a released future leaves the client a moment later
    assert sorted(indexes) == list(range(12))
    assert clients[0].status == "closed"


@pytest.mark.slow
def test_the_cluster_is_sent_the_scenario_once_however_many_chunks(
    cheap: Scenario, cluster: LocalCluster
) -> None:
    """Sent with each chunk, the scheduler (in this process, as in a LocalCluster) kept a
    copy of the scenario a chunk in its log of messages to the workers: the coordinator's
    memory grew with the replication count."""
    gc.collect()
    before = _scenarios_alive()
    results = run_monte_carlo(cheap, 40, SEED, scheduler=cluster.scheduler_address, flow=False)
    gc.collect()
    assert results.count == 40  # four chunks of ten
    assert _scenarios_alive() == before
    with Client(cluster, set_as_default=False) as client:
        assert not client.run_on_scheduler(_data_on_scheduler)  # the scenario, released


def _scenarios_alive() -> int:
    return sum(type(o) is Scenario for o in gc.get_objects())


def _data_on_scheduler(dask_scheduler: object) -> int:
    return len(dask_scheduler.tasks)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_stopping_early_cancels_the_replications_on_the_cluster(
    cheap: Scenario, cluster: LocalCluster
) -> None:
    completed = completed_on_cluster(cheap, seeds(SEED, 50), cluster.scheduler_address)
    next(completed)
    completed.close()
    assert _cluster_is_idle(cluster)


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_clear_error(cheap: Scenario) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    with pytest.raises(ClusterError) as caught:
        list(completed_on_cluster(cheap, seeds(SEED, 2), address, connect_timeout_s=1))
    message = str(caught.value)
    assert message.startswith(f"cannot reach the Dask scheduler at {address}")
    assert "\n" not in message
    assert time.monotonic() - start < 5


@pytest.mark.slow
def test_a_scheduler_without_workers_is_one_clear_error(cheap: Scenario) -> None:
    with LocalCluster(n_workers=0, dashboard_address=FREE_PORT) as empty:
        address = empty.scheduler_address
        with pytest.raises(ClusterError, match=f"the Dask scheduler at {address} has no workers"):
            list(completed_on_cluster(cheap, seeds(SEED, 2), address, connect_timeout_s=1))


@pytest.mark.parametrize("address", ["http://localhost:8786", "tcp://localhost"])
def test_a_malformed_scheduler_address_is_exit_2_with_one_line(
    cheap_file: Path, tmp_path: Path, address: str
) -> None:
    args = ["run", str(cheap_file), "--scheduler", address, "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "not a Dask scheduler address" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "out").exists()


def test_the_progress_bar_stays_out_of_pipes_and_quiet_runs(
    cheap_file: Path, tmp_path: Path
) -> None:
    for name, quiet in (("default", []), ("quiet", ["-q"])):
        args = ["run", str(cheap_file), "-n", "3", "--workers", "1", "--no-charts"]
        result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / name), *quiet])
        assert result.exit_code == 0, result.output
        for bar_text in ("replication/s", "it/s", "%|"):
            assert bar_text not in result.stderr, (name, result.stderr)


def test_the_progress_bar_shows_on_a_terminal_unless_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    with progress_bar(3, quiet=False) as bar:
        assert not bar.disable
    with progress_bar(3, quiet=True) as bar:
        assert bar.disable


def test_the_npv_standard_errors_shrink_as_one_over_root_n(
    cheap: Scenario, pool_run: tuple[Results, list[int]]
) -> None:
    """From 8 to 32 replications the standard errors should halve (sqrt(32 / 8) = 2).

    Eight replications' error is itself noisy (and this low-fidelity NPV has a long
    tail), so the eights are the run's four disjoint blocks, their errors averaged:
    one block alone passes or fails by where the tail's draws happen to fall.
    """
    results, _ = pool_run
    blocks = [
        convergence(Results(scenario=cheap, seed=SEED, headlines=results.headlines[b : b + 8]))
        for b in range(0, 32, 8)
    ]
    large = convergence(results)
    npv = np.array([h["npv"] for h in results.headlines])
    assert large.npv_mean_se == pytest.approx(npv.std(ddof=1) / math.sqrt(32))
    assert (blocks[0].replications, large.replications) == (8, 32)
    small = float(np.mean([block.npv_mean_se for block in blocks]))
    assert 1.4 < small / large.npv_mean_se < 3.0  # measured 1.77
    # The median's bootstrap error at eight replications of this long-tailed NPV reads
    # about three times the error at 32 (3.05 here, 3.04 on the engine before issue 13's
    # fidelity changes), not two: the eights' medians are crude. It must still shrink;
    # its 1 / sqrt(n) law is tested on normal samples below.
    small = float(np.mean([block.npv_p50_se for block in blocks]))
    assert small / large.npv_p50_se > 1.4
    assert convergence(results) == large  # the bootstrap is seeded: the summary is stable


def test_the_standard_errors_halve_on_average_over_many_samples(cheap: Scenario) -> None:
    """The estimators themselves, on normal samples: mean SE and bootstrap median SE
    each fall by sqrt(32 / 8) = 2, averaged over 200 samples."""
    rng = np.random.default_rng(1)
    small, large = [], []
    for _ in range(200):
        npv = rng.normal(1e6, 3e5, 32)
        small.append(convergence(_results(cheap, npv[:8])))
        large.append(convergence(_results(cheap, npv)))
    for name in ("npv_mean_se", "npv_p50_se"):
        ratio = np.mean([getattr(c, name) for c in small]) / np.mean(
            [getattr(c, name) for c in large]
        )
        assert 1.7 < ratio < 2.3, (name, ratio)


@pytest.mark.slow
@pytest.mark.parametrize("who", ["process group", "parent only"])
def test_ctrl_c_stops_a_pool_run_promptly_and_leaves_nothing(
    scenario_file: Path, tmp_path: Path, who: str
) -> None:
    """A terminal's Ctrl-C signals the whole process group; `kill -INT` the parent only."""
    target = tmp_path / "out"
    proc = _start_run(scenario_file, target, "--workers", "2")
    workers = _wait_for_workers(proc, 2)
    if who == "process group":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    stderr = _stopped(proc)
    assert "Traceback" not in stderr, stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # nor a half-written staging folder
    assert not [w.pid for w in workers if _alive(w)]


@pytest.mark.slow
def test_ctrl_c_stops_a_dask_run_and_cancels_its_replications(
    scenario_file: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    proc = _start_run(scenario_file, target, "--scheduler", cluster.scheduler_address)
    time.sleep(INTERRUPT_AFTER_S)
    os.killpg(proc.pid, signal.SIGINT)
    stderr = _stopped(proc)
    assert "Traceback" not in stderr, stderr
    assert not target.exists()
    assert _cluster_is_idle(cluster)


def _results(scenario: Scenario, npv: np.ndarray) -> Results:
    return Results(scenario=scenario, seed=SEED, headlines=[{"npv": float(x)} for x in npv])


def _start_run(scenario_file: Path, target: Path, *where: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "sim", "run", str(scenario_file), *where]
    return subprocess.Popen(
        [*command, "-n", RUN_REPLICATIONS, "--no-charts", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )


def _wait_for_workers(proc: subprocess.Popen[str], count: int) -> list[psutil.Process]:
    """The run's worker processes, once they are busy (and at least a few seconds in)."""
    start = time.monotonic()
    parent = psutil.Process(proc.pid)
    while time.monotonic() - start < 30 and proc.poll() is None:
        workers = parent.children(recursive=True)
        if len(workers) >= count and time.monotonic() - start >= INTERRUPT_AFTER_S:
            return workers
        time.sleep(0.1)
    pytest.fail(f"the run started no {count} workers: {proc.communicate()[1]}")


def _stopped(proc: subprocess.Popen[str]) -> str:
    """stderr of a run told to stop; fails unless it stops soon, with one line and 130."""
    try:
        _, stderr = proc.communicate(timeout=STOP_WITHIN_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"still running {STOP_WITHIN_S:g} s after Ctrl-C")
    assert proc.returncode == EXIT_INTERRUPTED, stderr
    assert stderr.strip().splitlines() == ["interrupted: no output written"], stderr
    return stderr


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _cluster_is_idle(cluster: LocalCluster, within_s: float = 5.0) -> bool:
    """No replication left on the scheduler (cancelled ones go within a moment)."""
    with Client(cluster, set_as_default=False) as client:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if not client.run_on_scheduler(_replications_on_scheduler):
                return True
            time.sleep(0.1)
    return False


def _replications_on_scheduler(dask_scheduler: object) -> int:
    return sum(str(key).startswith("replicate-") for key in dask_scheduler.tasks)  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("block", [1, 7, 64, 2**18])
def test_the_median_bootstrap_drawn_in_blocks_is_the_bootstrap_drawn_whole(
    cheap: Scenario, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The bootstrap draws its resamples a block at a time (drawn whole they held 8 KB a
    replication while a run folder was written): the same medians, to the bit, as one
    ``choice`` of every resample, whatever the block (odd ones split a 64-bit draw)."""
    npv = np.random.default_rng(3).lognormal(13, 1, 301)
    whole = np.median(
        np.random.default_rng(0).choice(npv, size=(summary_module.BOOTSTRAP_RESAMPLES, 301)),
        axis=1,
    )
    monkeypatch.setattr(summary_module, "BOOTSTRAP_BLOCK", block)
    found = convergence(_results(cheap, npv))
    assert found.npv_p50_se == float(whole.std(ddof=1))
