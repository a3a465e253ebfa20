"""Replications on a Dask cluster, given its scheduler's address.

The cluster runs the same :func:`~sim.montecarlo.replicate_one` on the same
seeds as a local run, so it gives the same results; only where the work happens
changes. At most two replications per worker thread are in flight at a time, so
neither this process nor the scheduler holds more than a window of results.
The workers need this package (and the same NumPy) installed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import numpy as np
from dask.distributed import Client, Future, as_completed

from sim.finance import ReplicationResult
from sim.montecarlo import replicate_one
from sim.schema import Scenario

#: seconds to wait for the scheduler to answer, and for a first worker to join it
CONNECT_TIMEOUT_S = 10
#: replications in flight per worker thread: one running, one queued behind it
IN_FLIGHT_PER_THREAD = 2


class ClusterError(Exception):
    """The Dask cluster cannot run the replications (unreachable, no workers, or
    workers without this package)."""


def completed_on_cluster(
    scenario: Scenario,
    seed_list: list[np.random.SeedSequence],
    scheduler_address: str,
    fidelity_items: int | str | None = None,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
) -> Iterator[tuple[int, ReplicationResult]]:
    """Yield ``(index, result)`` for each replication as the cluster finishes it.

    Stopping early (Ctrl-C, an error, or closing the generator) cancels the
    replications still in flight and closes the connection.
    """
    client = connect(scheduler_address, connect_timeout_s)
    running: dict[Future, int] = {}
    try:
        window = IN_FLIGHT_PER_THREAD * _worker_threads(
            client, scheduler_address, connect_timeout_s
        )
        run_id = uuid.uuid4().hex[:12]
        queue = iter(enumerate(seed_list))

        def submit_next() -> Future | None:
            for index, seed in queue:
                future = client.submit(
                    replicate_one,
                    scenario,
                    seed,
                    fidelity_items,
                    pure=False,
                    key=f"replicate-{run_id}-{index}",
                )
                running[future] = index
                return future
            return None

        finished = as_completed(loop=client.loop)
        for _ in range(window):
            first = submit_next()
            if first is not None:
                finished.add(first)
        for future in finished:
            index = running.pop(future)
            result = _result(future, scheduler_address)
            future.release()
            following = submit_next()
            if following is not None:
                finished.add(following)
            yield index, result
    finally:
        if running:
            client.cancel(list(running), force=True)
        client.close()


def connect(scheduler_address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> Client:
    """A client of the scheduler, or a :class:`ClusterError` in one line."""
    try:
        return Client(scheduler_address, timeout=timeout_s, set_as_default=False)
    except (OSError, ValueError) as err:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {scheduler_address}: {err}"
        ) from None


def _worker_threads(client: Client, scheduler_address: str, timeout_s: float) -> int:
    """Worker threads in the cluster; waits a while for a first worker to join."""
    if not client.nthreads():
        try:
            client.wait_for_workers(1, timeout=timeout_s)
        except TimeoutError:
            raise ClusterError(
                f"the Dask scheduler at {scheduler_address} has no workers "
                f"(none joined within {timeout_s:g} s); start some with "
                f"`dask worker {scheduler_address}`"
            ) from None
    return max(sum(client.nthreads().values()), 1)


def _result(future: Future, scheduler_address: str) -> ReplicationResult:
    """The replication's result; a worker that cannot import this package is a
    cluster problem, said in one line."""
    try:
        return future.result()
    except ModuleNotFoundError as err:
        if err.name is None or err.name.partition(".")[0] != "sim":
            raise
        raise ClusterError(
            f"the workers of the Dask scheduler at {scheduler_address} cannot import "
            f"{err.name!r}: install this package (pip install restructure-sim) where they run"
        ) from None
