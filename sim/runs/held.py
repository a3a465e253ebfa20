"""What the coordinator holds of each replication, at bounded memory.

A run keeps every replication's monthly series (their bands are per-month
quantiles, exact only over all the values) and its small per-replication
figures (the headcount bridge's steps, people by layer). Held as Python objects
they cost about 180 KiB a replication, so 10,000 replications on a cluster
would need 1.8 GB in the process that folds them. Here:

- :class:`SeriesStore` keeps the series of the last :data:`BLOCK` replications in
  memory and writes earlier blocks to an anonymous temporary file (deleted by
  the operating system when the store goes, never a file of the run's output),
  reading a series back whole when it is asked for: the same array, to the bit,
  as a list of the rows would stack to, so every band is exact;
- :class:`NestedRows` keeps nested dicts of numbers as rows of one float array
  under one layout of keys.

A run of :data:`BLOCK` replications or fewer never writes the file.
"""

from __future__ import annotations

import tempfile
import weakref
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

import numpy as np

#: replications whose series a store holds in memory before it writes them out
BLOCK = 128

Key = tuple[str, str]


class SeriesStore(Mapping[Key, np.ndarray]):
    """(unit, metric) -> the (replications, months) values of every replication that
    had the series, in replication order (``store[key]``), at bounded memory."""

    def __init__(self, block: int | None = None) -> None:
        self.block = block or BLOCK
        self._keys: dict[Key, None] = {}  # in the order they first came, as a dict's
        self._buffer: dict[Key, list[np.ndarray]] = {}
        self._buffered = 0
        #: each block written out: key -> (offset, shape, dtype)
        self._blocks: list[dict[Key, tuple[int, tuple[int, ...], str]]] = []
        self._file: IO[bytes] | None = None

    def add(self, series: Mapping[Key, np.ndarray]) -> None:
        """One replication's series."""
        for key, values in series.items():
            self._keys.setdefault(key)
            self._buffer.setdefault(key, []).append(values)
        self._buffered += 1
        if self._buffered >= self.block:
            self._write_block()

    def _write_block(self) -> None:
        if self._file is None:
            # held for the store's life, closed when it goes (a with-block cannot span it)
            self._file = tempfile.TemporaryFile()  # noqa: SIM115
            weakref.finalize(self, self._file.close)
        index = {}
        self._file.seek(0, 2)
        for key, rows in self._buffer.items():
            block = np.ascontiguousarray(np.vstack(rows))
            index[key] = (self._file.tell(), block.shape, block.dtype.str)
            self._file.write(block.tobytes())
        self._blocks.append(index)
        self._buffer = {}
        self._buffered = 0

    def __getitem__(self, key: Key) -> np.ndarray:
        if key not in self._keys:
            raise KeyError(key)
        parts: list[np.ndarray] = []
        for index in self._blocks:
            if key in index:
                assert self._file is not None
                offset, shape, dtype = index[key]
                size = int(np.prod(shape)) * np.dtype(dtype).itemsize
                self._file.seek(offset)
                parts.append(np.frombuffer(self._file.read(size), dtype).reshape(shape))
        parts.extend(self._buffer.get(key, ()))
        return np.vstack(parts)

    def __iter__(self) -> Iterator[Key]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a copy, a study's cache) with its values, not its file."""
        return {"block": self.block, "series": {key: self[key] for key in self._keys}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["block"])  # type: ignore[misc]
        for key, stacked in state["series"].items():
            self._keys[key] = None
            self._buffer[key] = [stacked]


class NestedRows(Sequence[dict[str, Any]]):
    """Nested dicts of numbers (``unit -> layer -> count``), one a replication, held as
    the rows of one float array under the first one's layout of keys. A dict of
    another layout turns the whole into a list of dicts: nothing is ever lost."""

    def __init__(self) -> None:
        self._layout: tuple[tuple[str, ...], ...] | None = None
        self._data = np.empty((0, 0))
        self._count = 0
        self._dicts: list[dict[str, Any]] | None = None

    @classmethod
    def of(cls, nested: Sequence[dict[str, Any]]) -> NestedRows:
        if isinstance(nested, NestedRows):
            return nested
        rows = cls()
        for one in nested:
            rows.append(one)
        return rows

    def append(self, nested: dict[str, Any]) -> None:
        if self._dicts is not None:
            self._dicts.append(nested)
            return
        flat = list(_flatten(nested, ()))
        layout = tuple(path for path, _ in flat)
        if self._layout is None:
            self._layout = layout
            self._data = np.empty((8, len(layout)))
        if layout != self._layout or not all(type(v) is float for _, v in flat):
            self._dicts = [*self, nested]
            self._data = np.empty((0, 0))
            return
        if self._count == len(self._data):
            self._data = np.concatenate([self._data, np.empty_like(self._data)])
        self._data[self._count] = [v for _, v in flat]
        self._count += 1

    def column(self, *path: str) -> list[float]:
        """The value at ``path`` of every row, in order."""
        if self._dicts is not None:
            return [_at(one, path) for one in self._dicts]
        if self._layout is None or self._count == 0:
            return []
        column: list[float] = self._data[: self._count, self._layout.index(path)].tolist()
        return column

    def __len__(self) -> int:
        return len(self._dicts) if self._dicts is not None else self._count

    def __getitem__(self, i: int) -> dict[str, Any]:  # type: ignore[override]
        if self._dicts is not None:
            return self._dicts[i]
        if not -self._count <= i < self._count:
            raise IndexError(i)
        i %= self._count
        nested: dict[str, Any] = {}
        assert self._layout is not None
        for path, value in zip(self._layout, self._data[i].tolist(), strict=True):
            where = nested
            for part in path[:-1]:
                where = where.setdefault(part, {})
            where[path[-1]] = value
        return nested

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _flatten(
    nested: Mapping[str, Any], prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    for key, value in nested.items():
        if isinstance(value, Mapping):
            if not value:
                yield (*prefix, key), value  # an empty dict: kept as it is (no float row)
            else:
                yield from _flatten(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def _at(nested: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        nested = nested[part]
    return nested
