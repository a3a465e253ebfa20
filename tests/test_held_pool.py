"""A goal seek holds one pool open for its whole search: its local processes started
once, or one client of its Dask cluster, whatever the values it tries; and where the
values run changes no figure."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import GOOD

from sim.runs import distributed, heldpool
from sim.runs.chunks import seeds
from sim.runs.heldpool import HeldPool
from sim.runs.plan import Pool, RunPlan
from sim.runs.summarise import replicate_chunk
from sim.scenario.fieldpaths import parse_path
from sim.scenario.load import load_scenario
from sim.studies.reuse import finance_only
from sim.studies.solve import Solution, parse_target, solve

CUT = GOOD / "cut-against-payback.yaml"
SHARE = "restructuring.waves[0].cuts[0].share"
RATE = "meta.discount_rate_annual"
PLAN = RunPlan(2, 5)


def _solve(path: str, target: str, low: float, high: float, pool: Pool) -> Solution:
    scenario = load_scenario(CUT)
    return solve(scenario, parse_path(path), low, high, parse_target(target), PLAN, path, pool)


def _cut_share(pool: Pool) -> Solution:
    """A goal seek on the cut's share, which the workforce reads: every value simulated."""
    return _solve(SHARE, "payback_month.p50<=12", 0.05, 0.5, pool)


def _rate(pool: Pool) -> Solution:
    """A goal seek on the discount rate, which only the finance reads."""
    return _solve(RATE, "npv.mean>=-1.5e6", 0.01, 0.9, pool)


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    """Every object ``module.name`` makes from now on."""
    made: list[Any] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(module, name, counted)
    return made


def test_a_held_pool_in_this_process_gives_each_seed_what_a_chunk_of_it_alone_gives() -> None:
    scenario = load_scenario(CUT)
    seed_list = seeds(5, 3)
    with HeldPool(Pool(1)) as held:
        found = dict(held.completed(scenario, seed_list, flow=False))
        again = dict(held.completed(scenario, seed_list, flow=False))
    alone = replicate_chunk(scenario, seed_list, None, False)
    assert [found[i].headline for i in range(3)] == [r.headline for r in alone]
    assert [again[i].headline for i in range(3)] == [r.headline for r in alone]


@pytest.mark.slow
def test_a_goal_seek_starts_one_process_pool_for_its_whole_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[ProcessPoolExecutor] = _counting(monkeypatch, heldpool, "process_pool")
    pooled = _cut_share(Pool(2))
    assert len(pooled.evaluations) > 2  # a search of several values ...
    assert len(started) == 1  # ... on one pool
    assert started[0]._processes is None or not any(  # closed when the search ended
        p.is_alive() for p in started[0]._processes.values()
    )
    assert pooled == _cut_share(Pool(1))


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    yield cluster
    cluster.close()


@pytest.mark.slow
@pytest.mark.parametrize("study", [_cut_share, _rate], ids=["simulated", "finance only"])
def test_a_goal_seek_on_a_cluster_connects_once_and_finds_what_one_process_finds(
    study: Any, cluster: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert finance_only(load_scenario(CUT), parse_path(RATE))
    clients = _counting(monkeypatch, distributed, "open_client")
    there = study(Pool(scheduler=cluster.scheduler_address))
    assert len(clients) == 1
    assert clients[0].status == "closed"
    assert there == study(Pool(1))


def test_a_goal_seek_on_a_plan_only_input_simulates_each_seeds_status_quo_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cut's share is the plan's: every value tried has the first value's twins."""
    from sim.model import replication

    made: list[object] = []
    real = replication._Start.new_twin

    def counted(start: Any, *args: Any) -> Any:
        made.append(start.key)
        return real(start, *args)

    monkeypatch.setattr(replication._Start, "new_twin", counted)
    found = _cut_share(Pool(1))
    assert len(found.evaluations) > 2
    assert len(made) == PLAN.replications  # once a seed, not once a value and seed
    monkeypatch.undo()
    scenario = load_scenario(CUT)
    target = parse_target("payback_month.p50<=12")
    alone = solve(scenario, parse_path(SHARE), 0.05, 0.5, target, PLAN, SHARE, reuse=False)
    assert found == alone
