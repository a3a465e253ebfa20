"""A pool held open for a study: its local processes started once, or one Dask client,
for every batch of replications the study sends.

A goal seek tries one value after another, each a batch of replications on the same
seeds; opening a pool (or connecting to a cluster and checking its workers) for each
value cost more than a money-only value's replications. A :class:`HeldPool` opens
what its :class:`~sim.runs.plan.Pool` names the first time work arrives and closes it
when the study ends. Where the work runs changes no figure: the seeds are chunked as
a run of them chunks them (sim.runs.chunks) and every chunk gives what it gives alone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.model.replication import Replication, run_replications
from sim.runs.chunks import chunk_size, chunks, known, seeds
from sim.runs.montecarlo import completed_in_pool, process_pool, stop_processes
from sim.runs.plan import Pool
from sim.runs.summarise import replicate_chunk
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from dask.distributed import Client

    from sim.runs.twins import TwinCache


class HeldPool:
    """Where a study's replications run, held open across its batches: use it as a
    context manager, which closes the processes or the client at the end (at once on
    an error or Ctrl-C)."""

    def __init__(self, pool: Pool | None = None) -> None:
        self.pool = pool or Pool()
        self._processes: ProcessPoolExecutor | None = None
        self._client: Client | None = None

    def __enter__(self) -> HeldPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close(stopped=kind is not None)

    def completed(
        self,
        work: Any,
        seed_list: Sequence[np.random.SeedSequence],
        flow: bool = True,
        job: Callable[..., list[Any]] = replicate_chunk,
        fidelity_items: int | str | None = None,
        twins: TwinCache | None = None,
    ) -> Generator[tuple[int, Any]]:
        """``(index, result)`` of each seed as its chunk comes back, ``job(work, chunk,
        fidelity_items, flow, twins)`` a chunk, handed the twins already simulated on its
        seeds (sim.runs.montecarlo's contract)."""
        scheduler, workers = self.pool.scheduler, self.pool.worker_count
        if scheduler is not None:
            from sim.runs.distributed import completed_on_cluster, open_client

            if self._client is None:
                self._client = open_client(scheduler)
            yield from completed_on_cluster(
                work,
                seed_list,
                scheduler,
                fidelity_items,
                flow=flow,
                twins=twins,
                job=job,
                client=self._client,
            )
        elif workers <= 1 or len(seed_list) == 1:
            for first, chunk in chunks(seed_list, chunk_size(len(seed_list), 1, flow)):
                handed = known(twins, chunk)
                for k, result in enumerate(job(work, chunk, fidelity_items, flow, handed)):
                    yield first + k, result
        else:
            if self._processes is None:
                self._processes = process_pool(workers)
            yield from completed_in_pool(
                work, seed_list, workers, fidelity_items, flow, twins, job, self._processes
            )

    def replications(
        self, scenario: Scenario, seed: int, count: int, flow: bool = True, bridge: bool = True
    ) -> list[Replication]:
        """The first ``count`` replications of a run on ``seed``, whole (not summarised), in
        order: for a study that summarises them again under other finance settings
        (``bridge=False``: without the savings bridge's steps, for headlines only)."""
        job = functools.partial(run_replications, bridge=bridge)
        found = dict(self.completed(scenario, seeds(seed, count), flow, job))
        return [found[i] for i in range(count)]

    def close(self, stopped: bool = False) -> None:
        """Close what was opened; ``stopped`` (an error, Ctrl-C): without waiting."""
        processes, self._processes = self._processes, None
        if processes is not None:
            if stopped:
                stop_processes(processes)
            else:
                processes.shutdown(wait=True)
        client, self._client = self._client, None
        if client is not None:
            client.close()
