"""How many replications a worker simulates as one batch, and which seeds go together.

Money-only replications are batched (their workforces advance week by week
together: sim.model.workforce.simulate_workforces); with the work flow, a worker
takes one replication at a time, the flow being nearly all of its time. Batching
changes no figure (a replication is bit for bit what it is alone), only speed.
A local pool and a Dask cluster chunk alike.

The seeds themselves travel as :class:`Seeds`, a range of replication numbers under
one entropy (three integers), not as a list of ``SeedSequence`` objects (some 400
bytes each, kept by the coordinator for the whole run and, on a cluster, by the
scheduler in its log of recent tasks): replication ``i``'s seed is made where it runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

import numpy as np

if TYPE_CHECKING:
    from sim.model.replication import Twin
    from sim.runs.twins import TwinCache

#: money-only replications a worker simulates as one batch, at most: their workforces
#: advance week by week together (sim.model.workforce.simulate_workforces). Measured on
#: ecommerce-2026 (CPU a replication, batches of 5, 10, 25, 50, 100: 96, 98-109, 113,
#: 127, 138 ms): past ten, a batch's streams and arrays outgrow the cache and every
#: replication costs more; below five, the week's fixed work is shared by too few
MONEY_CHUNK = 10


@dataclass(frozen=True)
class Seeds(Sequence[np.random.SeedSequence]):
    """The seeds of replications ``start`` to ``stop - 1`` of a run seeded ``entropy``:
    ``seeds[k]`` is ``SeedSequence(entropy).spawn(stop)[start + k]``, to the bit (a
    spawned child is the sequence of its entropy with its index as the spawn key), made
    when it is asked for. A slice is a :class:`Seeds` again."""

    entropy: int
    start: int
    stop: int

    def __len__(self) -> int:
        return max(self.stop - self.start, 0)

    @overload
    def __getitem__(self, index: int) -> np.random.SeedSequence: ...

    @overload
    def __getitem__(self, index: slice) -> Seeds: ...

    def __getitem__(self, index: int | slice) -> np.random.SeedSequence | Seeds:
        if isinstance(index, slice):
            first, last, step = index.indices(len(self))
            if step != 1:
                raise ValueError("a range of seeds is sliced in steps of one")
            return Seeds(self.entropy, self.start + first, self.start + max(last, first))
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        number = self.start + index % len(self)
        return np.random.SeedSequence(self.entropy, spawn_key=(number,))


def seeds(seed: int, replications: int, first: int = 0) -> Seeds:
    """The seeds of replications ``first`` to ``first + replications - 1`` of a run of
    ``seed``: the same wherever they run."""
    return Seeds(seed, first, first + replications)


def known(
    twins: TwinCache | None, chunk: Sequence[np.random.SeedSequence]
) -> dict[str, Twin] | None:
    """The twins already simulated on a chunk's seeds, by key (a key names its seed)."""
    if twins is None:
        return None
    return {key: twin for seed in chunk for key, twin in twins.known(seed).items()}


def chunk_size(replications: int, workers: int, flow: bool) -> int:
    """Replications a worker simulates as one batch. Money only: up to
    :data:`MONEY_CHUNK`, on a pool small enough that every worker has two; with the work
    flow, one at a time (the flow, not the batched workforce, is nearly all its time)."""
    if flow:
        return 1
    if workers <= 1:
        return MONEY_CHUNK
    return max(1, min(MONEY_CHUNK, -(-replications // (2 * workers))))


def chunks(
    seed_list: Sequence[np.random.SeedSequence], size: int
) -> Iterator[tuple[int, Sequence[np.random.SeedSequence]]]:
    """(index of the first, seeds) of consecutive chunks of ``size`` seeds."""
    for first in range(0, len(seed_list), size):
        yield first, seed_list[first : first + size]
