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
from array import array
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
        #: where each key's blocks were written: their offsets in the file, and each
        #: block's (shape, dtype), one object for the blocks alike (a few bytes a block
        #: a key, where a dict of tuples a block grew by a hundred)
        self._offsets: dict[Key, array[int]] = {}
        self._forms: dict[Key, list[tuple[tuple[int, ...], str]]] = {}
        self._form: dict[tuple[tuple[int, ...], str], tuple[tuple[int, ...], str]] = {}
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
        self._file.seek(0, 2)
        for key, rows in self._buffer.items():
            block = np.ascontiguousarray(np.vstack(rows))
            form = (block.shape, block.dtype.str)
            self._offsets.setdefault(key, array("q")).append(self._file.tell())
            self._forms.setdefault(key, []).append(self._form.setdefault(form, form))
            self._file.write(block.tobytes())
        self._buffer = {}
        self._buffered = 0

    def __getitem__(self, key: Key) -> np.ndarray:
        if key not in self._keys:
            raise KeyError(key)
        parts: list[np.ndarray] = []
        for offset, (shape, dtype) in zip(
            self._offsets.get(key, ()), self._forms.get(key, ()), strict=True
        ):
            assert self._file is not None
            size = int(np.prod(shape)) * np.dtype(dtype).itemsize
            self._file.seek(offset)
            parts.append(np.frombuffer(self._file.read(size), dtype).reshape(shape))
        parts.extend(self._buffer.get(key, ()))
        return np.vstack(parts)

    @property
    def in_memory(self) -> int:
        """Replications whose series the store holds in memory (at most its block)."""
        return self._buffered

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


#: how a cell of a row holds its value: a float, a whole number (a month), None
_FLOAT, _INT, _NONE = 0, 1, 2
#: the ints a float64 holds exactly
_EXACT_INT = 2**53


class NestedRows(Sequence[dict[str, Any]]):
    """Nested dicts of numbers (``unit -> layer -> count``, a replication's headlines by
    name), one a replication, held as the rows of one float array under the first one's
    layout of keys, each cell marked a float, an int or None: every dict comes back as
    it went in, to the bit and to the type. A dict of another layout, or holding another
    kind of value, turns the whole into a list of dicts: nothing is ever lost.

    Held as dicts, a replication's headlines, drawn inputs and savings bridge are some
    40 small objects (about 3 KiB, spread over the allocator's pages by the arrays that
    come and go between them); as rows, a few hundred bytes of one array."""

    def __init__(self) -> None:
        self._layout: tuple[tuple[str, ...], ...] | None = None
        self._data = np.empty((0, 0))
        self._kinds = np.empty((0, 0), np.uint8)
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

    @property
    def as_rows(self) -> bool:
        """Whether the dicts are held as rows (False: as a list of dicts)."""
        return self._dicts is None

    def append(self, nested: dict[str, Any]) -> None:
        if self._dicts is not None:
            self._dicts.append(nested)
            return
        flat = list(_flatten(nested, ()))
        layout = tuple(path for path, _ in flat)
        kinds = [_kind(value) for _, value in flat]
        if self._layout is None:
            self._layout = layout
            self._data = np.empty((8, len(layout)))
            self._kinds = np.empty((8, len(layout)), np.uint8)
        if layout != self._layout or None in kinds:
            self._dicts = [*self, nested]
            self._data = np.empty((0, 0))
            self._kinds = np.empty((0, 0), np.uint8)
            return
        if self._count == len(self._data):  # room for as many again
            more = max(self._count, 8)
            self._data = np.concatenate([self._data, np.empty((more, len(layout)))])
            self._kinds = np.concatenate([self._kinds, np.empty((more, len(layout)), np.uint8)])
        self._data[self._count] = [np.nan if value is None else value for _, value in flat]
        self._kinds[self._count] = [kind or _FLOAT for kind in kinds]  # none is None here
        self._count += 1

    def column(self, *path: str) -> list[Any]:
        """The value at ``path`` of every row, in order."""
        if self._dicts is not None:
            return [_at(one, path) for one in self._dicts]
        if self._layout is None or self._count == 0:
            return []
        at = self._layout.index(path)
        return _typed(self._data[: self._count, at].tolist(), self._kinds[: self._count, at])

    def __len__(self) -> int:
        return len(self._dicts) if self._dicts is not None else self._count

    def __getitem__(self, i: int | slice) -> Any:
        if self._dicts is not None:
            return self._dicts[i]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._count))]
        if not -self._count <= i < self._count:
            raise IndexError(i)
        i %= self._count
        assert self._layout is not None
        values = _typed(self._data[i].tolist(), self._kinds[i])
        nested: dict[str, Any] = {}
        for path, value in zip(self._layout, values, strict=True):
            where = nested
            for part in path[:-1]:
                where = where.setdefault(part, {})
            where[path[-1]] = value
        return nested

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(list(self))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a copy, a study's cache) with its rows only, not their spare room."""
        state = dict(self.__dict__)
        state["_data"] = self._data[: self._count].copy()
        state["_kinds"] = self._kinds[: self._count].copy()
        return state


def column(rows: Sequence[Mapping[str, Any]], *path: str) -> list[Any]:
    """The value at ``path`` of every row: read from the rows they are held as, if so
    (a replication's dicts are not built to read one figure of each)."""
    if isinstance(rows, NestedRows):
        return rows.column(*path)
    return [_at(one, path) for one in rows]


def _kind(value: Any) -> int | None:
    """How a cell holds ``value``; None: it cannot (then the rows turn into dicts)."""
    if type(value) is float:
        return _FLOAT
    if type(value) is int and -_EXACT_INT <= value <= _EXACT_INT:
        return _INT
    return _NONE if value is None else None


def _typed(floats: list[float], kinds: np.ndarray) -> list[Any]:
    """A row's (or a column's) values as they went in: its ints and Nones restored."""
    values: list[Any] = floats
    for j in np.flatnonzero(kinds).tolist():
        values[j] = int(values[j]) if kinds[j] == _INT else None
    return values


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
