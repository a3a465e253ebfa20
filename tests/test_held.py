"""What the coordinator holds at bounded memory: the series written out block by block
read back to the bit, the small figures as rows, and a run folder that does not change."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import numpy as np
import pytest
from conftest import SMALL

from sim.report.run import run_scenario
from sim.runs import held
from sim.runs.flowsample import FlowSample
from sim.runs.held import NestedRows, SeriesStore
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
