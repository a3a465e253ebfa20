"""Replications on a Dask cluster, given its scheduler's address.

The cluster runs the same :func:`~sim.runs.summarise.replicate_chunk` on the same
seeds, chunked as a local pool chunks them (sim.runs.chunks), so it gives the same
results; only where the work happens changes. At most two chunks per worker thread
are in flight at a time, so neither this process nor the scheduler holds more than
a window of results.
The workers need this package (and the same NumPy) installed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

import numpy as np
from dask.distributed import Client, Future, as_completed
from distributed.comm import get_address_host_port

from sim._version import __version__
from sim.runs.chunks import chunk_size, chunks, known
from sim.runs.summarise import replicate_chunk
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.runs.twins import TwinCache

#: seconds to wait for the scheduler to answer, and for a first worker to join it
CONNECT_TIMEOUT_S = 10
#: replications in flight per worker thread: one running, one queued behind it
IN_FLIGHT_PER_THREAD = 2
#: the name this package is installed under (setup.cfg), which the workers need too
DISTRIBUTION = "restructure-sim"


class ClusterError(Exception):
    """The Dask cluster cannot run the replications (unreachable, no workers, or
    workers without this package)."""


def completed_on_cluster(
    scenario: Scenario,
    seed_list: Sequence[np.random.SeedSequence],
    scheduler_address: str,
    fidelity_items: int | str | None = None,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
    flow: bool = True,
    twins: TwinCache | None = None,
    job: Callable[..., list[Any]] = replicate_chunk,
    client: Client | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, result)`` for each replication as the cluster finishes it.

    ``job(scenario, seeds, fidelity_items, flow, twins)`` is what a worker runs on a
    chunk of seeds (a study hands its own: sim.studies.batch), one result a seed.
    ``client``: a connection held open by the caller (:func:`open_client`), left open
    after; by default one of its own, for these seeds only. Stopping early (Ctrl-C, an
    error, or closing the generator) cancels the replications still in flight and
    closes a connection of its own.
    """
    with _quiet_client_logs():
        yield from _completed(
            scenario,
            seed_list,
            scheduler_address,
            fidelity_items,
            connect_timeout_s,
            flow,
            twins,
            job,
            client,
        )


#: packages through whose loggers distributed prints its own tracebacks when the
#: scheduler goes (reconnects, batched sends, comms); the run reports that failure
#: itself, in one line
_NOISY_PACKAGES = ("distributed", "tornado", "asyncio")


@contextmanager
def _quiet_client_logs() -> Iterator[None]:
    names = [
        name
        for name in [*_NOISY_PACKAGES, *logging.root.manager.loggerDict]
        if name.split(".")[0] in _NOISY_PACKAGES
    ]
    loggers = [logging.getLogger(name) for name in dict.fromkeys(names)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _completed(
    scenario: Scenario,
    seed_list: Sequence[np.random.SeedSequence],
    scheduler_address: str,
    fidelity_items: int | str | None,
    connect_timeout_s: float,
    flow: bool = True,
    twins: TwinCache | None = None,
    job: Callable[..., list[Any]] = replicate_chunk,
    held: Client | None = None,
) -> Iterator[tuple[int, Any]]:
    client = held or open_client(scheduler_address, connect_timeout_s)
    running: dict[Future, int] = {}
    shared: Future | None = None
    try:
        shared = _share(client, scenario, scheduler_address)
        threads = _worker_threads(client, scheduler_address, connect_timeout_s)
        window = IN_FLIGHT_PER_THREAD * threads
        run_id = uuid.uuid4().hex[:12]
        queue = chunks(seed_list, chunk_size(len(seed_list), threads, flow))

        def submit_next() -> Future | None:
            for first, chunk in queue:
                future = client.submit(
                    job,
                    shared,
                    chunk,
                    fidelity_items,
                    flow,
                    known(twins, chunk),
                    pure=False,
                    key=f"replicate-{run_id}-{first}",
                )
                running[future] = first
                return future
            return None

        finished = as_completed(loop=client.loop)
        for _ in range(window):
            first = submit_next()
            if first is not None:
                finished.add(first)
        for future in finished:
            start = running.pop(future)
            results = _result(future, scheduler_address)
            future.release()
            following = submit_next()
            if following is not None:
                finished.add(following)
            for k, result in enumerate(results):
                yield start + k, result
    finally:
        if running:
            client.cancel(list(running), force=True)
        if shared is not None:
            shared.release()
        if held is None:
            client.close()


def _share(client: Client, scenario: Scenario, scheduler_address: str) -> Future:
    """The scenario sent to the workers once, for every chunk to name. Sent with each
    chunk instead, the scheduler would unpickle a copy a chunk, and keep each copy in
    its log of recent messages to the workers (a thousand a worker): in a LocalCluster,
    that is the coordinator's memory growing by the scenario's size every chunk."""
    try:
        return client.scatter(scenario, broadcast=True, hash=False)
    except Exception as err:
        raise _failed(err, scheduler_address) from None


def _result(future: Future, scheduler_address: str) -> list[Any]:
    """A replication's result, or a :class:`ClusterError` in one line: the scheduler
    lost mid-run (its futures are cancelled), a worker's error, a broken connection."""
    try:
        return future.result()
    except Exception as err:
        raise _failed(err, scheduler_address) from None


def open_client(scheduler_address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> Client:
    """A client of a cluster whose workers can run these replications (they joined and
    have this package at this version), or a :class:`ClusterError` in one line."""
    with _quiet_client_logs():
        client = connect(scheduler_address, timeout_s)
        try:
            _worker_threads(client, scheduler_address, timeout_s)
            _check_workers(client, scheduler_address)
        except BaseException:
            client.close()
            raise
    return client


def _failed(err: Exception, scheduler_address: str) -> ClusterError:
    first = (str(err).splitlines() or [""])[0]
    return ClusterError(
        f"the Dask cluster at {scheduler_address} failed during the run "
        f"({type(err).__name__}: {first}); no output written"
    )


def connect(scheduler_address: str, timeout_s: float = CONNECT_TIMEOUT_S) -> Client:
    """A client of the scheduler, or a :class:`ClusterError` in one line."""
    try:
        # checked first: a Client refused for its address stays half open and hangs
        # the interpreter's exit
        get_address_host_port(scheduler_address)
    except ValueError as err:
        raise ClusterError(
            f"not a Dask scheduler address (tcp://HOST:PORT): {scheduler_address}: {err}"
        ) from None
    try:
        return Client(scheduler_address, timeout=timeout_s, set_as_default=False)
    except OSError as err:
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


def _check_workers(client: Client, scheduler_address: str) -> None:
    """Every worker has this package at this version: a worker without it could not
    even read a replication, and another version could give other results."""
    # functools.partial of a standard-library function: a worker can unpickle it
    # without this package
    found = client.run(partial(version, DISTRIBUTION), on_error="return")
    wrong = {worker: v for worker, v in found.items() if v != __version__}
    if not wrong:
        return
    worker, their = sorted(wrong.items())[0]
    has = "does not have it" if isinstance(their, BaseException) else f"has {their}"
    raise ClusterError(
        f"{len(wrong)} of {len(found)} workers of the Dask scheduler at {scheduler_address} "
        f"cannot run these replications: they need {DISTRIBUTION} {__version__} installed "
        f"(worker {worker} {has})"
    )
