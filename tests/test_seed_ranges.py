"""Replication seeds as a range: the same streams as the list spawned from the run's
seed, to the bit, at a few bytes whatever the run's size."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from sim.runs.chunks import Seeds, chunks, seeds


def _state(seed: np.random.SeedSequence) -> list[int]:
    return seed.generate_state(8).tolist()


def test_each_seed_is_the_spawned_child_of_the_run_seed() -> None:
    spawned = np.random.SeedSequence(2025).spawn(40)
    ranged = seeds(2025, 40)
    assert len(ranged) == 40
    assert [_state(s) for s in ranged] == [_state(s) for s in spawned]
    # and its children (the streams a replication spawns) likewise
    assert _state(ranged[7].spawn(3)[2]) == _state(spawned[7].spawn(3)[2])


def test_a_later_batch_has_the_seeds_it_has_in_one_run() -> None:
    whole = seeds(7, 30)
    later = seeds(7, 10, first=20)
    assert [_state(s) for s in later] == [_state(s) for s in whole[20:]]
    assert whole[20:] == later
    assert _state(whole[-1]) == _state(later[9])


def test_chunks_are_ranges_and_cover_every_seed_once() -> None:
    parts = list(chunks(seeds(3, 23), 10))
    assert [first for first, _ in parts] == [0, 10, 20]
    assert [len(chunk) for _, chunk in parts] == [10, 10, 3]
    assert all(isinstance(chunk, Seeds) for _, chunk in parts)
    flat = [_state(s) for _, chunk in parts for s in chunk]
    assert flat == [_state(s) for s in np.random.SeedSequence(3).spawn(23)]


def test_a_chunk_travels_in_a_few_bytes_whatever_its_size() -> None:
    small, large = pickle.dumps(seeds(1, 10)), pickle.dumps(seeds(1, 10_000))
    assert max(len(small), len(large)) < 200
    assert len(pickle.dumps(np.random.SeedSequence(1).spawn(10))) > 10 * len(small)


def test_outside_the_range_is_an_index_error() -> None:
    ranged = seeds(1, 3)
    with pytest.raises(IndexError):
        ranged[3]
    assert list(ranged[5:9]) == []
