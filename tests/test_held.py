"""What the coordinator holds at bounded memory: the series written out block by block
read back to the bit, the small figures as rows, and a run folder that does not change."""

from __future__ import annotations

import copy
import gc
import pickle
from pathlib import Path

import numpy as np
import pytest
from conftest import SMALL

from sim.report.run import run_scenario
from sim.runs import chunks, held
from sim.runs.flowsample import FlowSample
from sim.runs.held import NestedRows, SeriesStore
from sim.runs.montecarlo import Results, run_more
from sim.runs.summarise import ReplicationResult
from sim.scenario.load import load_scenario


def _rows(rng: np.random.Generator, n: int) -> list[dict[tuple[str, str], np.ndarray]]:
    """Replications' series: floats with NaN, counts as integers, a key only some have."""
    out = []
    for i in range(n):
        one = {("all", "payroll"): rng.normal(size=7), ("Ops", "cut"): rng.integers(0, 9, 7)}
        one[("Ops", "payroll")] = np.where(rng.random(7) < 0.3, np.nan, rng.normal(size=7))
        if i % 3 == 0:
            one[("Ops", "backlog")] = rng.normal(size=7)
        out.append(one)
    return out


@pytest.mark.parametrize("block", [1, 2, 5, 100])
def test_a_series_read_back_is_the_rows_stacked_to_the_bit(block: int) -> None:
    rows = _rows(np.random.default_rng(1), 11)
    store = SeriesStore(block)
    for one in rows:
        store.add(one)
    assert list(store) == [
        ("all", "payroll"),
        ("Ops", "cut"),
        ("Ops", "payroll"),
        ("Ops", "backlog"),
    ]
    for key in store:
        expected = np.vstack([one[key] for one in rows if key in one])
        found = store[key]
        assert found.dtype == expected.dtype and found.shape == expected.shape
        assert found.tobytes() == expected.tobytes()
    with pytest.raises(KeyError):
        store["all", "nothing"]
    for again in (pickle.loads(pickle.dumps(store)), copy.deepcopy(store)):
        assert all(again[k].tobytes() == store[k].tobytes() for k in store)


def test_a_store_of_one_block_or_fewer_writes_no_file() -> None:
    store = SeriesStore(4)
    for one in _rows(np.random.default_rng(2), 4 - 1):
        store.add(one)
    assert store._file is None
    store.add(_rows(np.random.default_rng(3), 1)[0])
    assert store._file is not None


def test_nested_rows_give_back_their_dicts_and_columns() -> None:
    first = {"Ops": {"IC": {"start": 10.0, "end": 8.0}}, "all": {"start": 10.0}}
    second = {"Ops": {"IC": {"start": 11.0, "end": 7.5}}, "all": {"start": 11.0}}
    rows = NestedRows.of([first, second])
    assert list(rows) == [first, second] and rows[-1] == second
    assert rows.column("Ops", "IC", "end") == [8.0, 7.5]
    odd = {"Ops": {"IC": {"start": 3.0}}, "all": {"start": 3.0}}  # another layout
    rows.append(odd)
    assert list(rows) == [first, second, odd] and rows.column("all", "start") == [10.0, 11.0, 3.0]


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def test_a_run_whose_series_are_written_out_writes_the_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario(SMALL)
    common = {"replications": 5, "seed": 3, "workers": 1, "quiet": True, "charts": False}
    flow = FlowSample(count=2)
    run_scenario(scenario, SMALL, tmp_path / "held", flow=flow, **common)  # type: ignore[arg-type]
    monkeypatch.setattr(held, "BLOCK", 2)
    run_scenario(scenario, SMALL, tmp_path / "spilled", flow=flow, **common)  # type: ignore[arg-type]
    kept, spilled = _folder(tmp_path / "held"), _folder(tmp_path / "spilled")
    kept.pop("summary.json"), spilled.pop("summary.json")  # names the run's folder
    assert kept == spilled and "timeseries.csv" in kept


def test_nested_rows_give_back_whole_numbers_and_nones_as_they_went_in() -> None:
    heads = [
        {"payback_month": 7, "npv": 1.5, "irr_annual": None, "roles_cut": 3.0},
        {"payback_month": None, "npv": float("nan"), "irr_annual": 0.25, "roles_cut": 0.0},
    ]
    rows = NestedRows.of(heads)
    assert rows.as_rows
    back = list(rows)
    assert repr(back) == repr(heads)
    assert [type(v) for v in back[0].values()] == [int, float, type(None), float]
    assert rows.column("payback_month") == [7, None] and rows[:1] == heads[:1]
    assert repr(pickle.loads(pickle.dumps(rows))) == repr(heads)
    rows.append({"payback_month": np.int64(2), "npv": 0.0, "irr_annual": None, "roles_cut": 1.0})
    assert not rows.as_rows and type(rows[2]["payback_month"]) is np.int64  # kept as given


def test_the_coordinator_holds_a_bounded_number_of_replications_however_many_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The series of one block in memory, one chunk's results in flight, and each
    replication's headlines, drawn inputs and bridge as rows of arrays, not dicts: at 9
    blocks the coordinator holds no more replications whole than at 3."""
    monkeypatch.setattr(held, "BLOCK", 4)
    monkeypatch.setattr(chunks, "MONEY_CHUNK", 4)
    scenario = load_scenario(SMALL)
    most: dict[int, tuple[int, int]] = {}
    for count in (3 * 4, 9 * 4):
        results = Results(scenario=scenario, seed=3, flow=False)
        found: list[tuple[int, int]] = []
        before = _whole_replications()

        def on_done(
            _: int, results: Results = results, found: list = found, before: int = before
        ) -> None:
            found.append((results.series.in_memory, _whole_replications() - before))

        run_more(results, count, workers=1, on_done=on_done, flow=False)
        assert results.count == count
        assert all(r.as_rows for r in (results.headlines, results.parameters, results.bridges))
        most[count] = (max(f[0] for f in found), max(f[1] for f in found))
    assert most[36] == most[12]
    series_in_memory, whole = most[36]
    assert series_in_memory <= 4 and whole <= 4


def _whole_replications() -> int:
    """Replications' results alive in this process."""
    return sum(type(o) is ReplicationResult for o in gc.get_objects())
