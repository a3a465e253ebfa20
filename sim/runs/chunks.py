"""How many replications a worker simulates as one batch, and which seeds go together.

Money-only replications are batched (their workforces advance week by week
together: sim.model.workforce.simulate_workforces); with the work flow, a worker
takes one replication at a time, the flow being nearly all of its time. Batching
changes no figure (a replication is bit for bit what it is alone), only speed.
A local pool and a Dask cluster chunk alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

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


def known(twins: TwinCache | None, chunk: list[np.random.SeedSequence]) -> dict[str, Twin] | None:
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
    seed_list: list[np.random.SeedSequence], size: int
) -> Iterator[tuple[int, list[np.random.SeedSequence]]]:
    """(index of the first, seeds) of consecutive chunks of ``size`` seeds."""
    for first in range(0, len(seed_list), size):
        yield first, seed_list[first : first + size]
