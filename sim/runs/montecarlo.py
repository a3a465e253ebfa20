"""Many replications folded in order: in process, on a local process pool, or on a Dask cluster.

Replication ``i`` is seeded from ``SeedSequence(seed).spawn(n)[i]`` wherever it
runs, and results are folded in replication order (a reorder buffer holds the
ones that arrive early), so the same seed gives byte-identical results whatever
the number of workers. Only each replication's summary is kept, never its full
trajectory, and its monthly series and small figures at bounded memory (sim.runs.held).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.finance.cashflows import CashFlows
from sim.runs import notebook
from sim.runs.bands import Band, headline_bands, monthly_bands
from sim.runs.chunks import chunk_size, chunks, known, seeds
from sim.runs.cuts import CutLine, CutTally
from sim.runs.held import NestedRows, SeriesStore
from sim.runs.summarise import ReplicationResult, replicate_chunk
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.runs.heldpool import HeldPool
    from sim.runs.twins import TwinCache

#: seconds a stopped pool worker gets to exit before it is killed
STOP_GRACE_S = 5
#: seconds between a pool worker's checks that its parent is alive
PARENT_POLL_S = 0.5
#: a pool worker's exit status when it finds its parent gone
EXIT_ORPHANED = 70


@dataclass(repr=False)  # its series would print megabytes in a notebook: see __repr__
class Results:
    """The replications' summaries, folded in replication order.

    In a notebook it shows as one line and its headline table;
    :meth:`to_frame` gives its replications or its monthly series as a DataFrame."""

    scenario: Scenario
    seed: int
    months: tuple[str, ...] = ()
    #: each replication's headlines by name (rows of one array: sim.runs.held)
    headlines: NestedRows = field(default_factory=NestedRows)
    #: each replication's drawn inputs by field path
    parameters: NestedRows = field(default_factory=NestedRows)
    irr_reasons: list[str | None] = field(default_factory=list)
    #: each replication's savings bridge (sim.runs.summarise.ReplicationResult.bridge)
    bridges: NestedRows = field(default_factory=NestedRows)
    #: each replication's headcount bridge (sim.runs.headcountbridge)
    headcount_flows: NestedRows = field(default_factory=NestedRows)
    #: each replication's people by unit and layer (sim.runs.headcountbridge)
    layer_counts: NestedRows = field(default_factory=NestedRows)
    #: each replication's monthly series, at bounded memory (sim.runs.held)
    series: SeriesStore = field(default_factory=SeriesStore)
    _scenario_lines: dict[str, np.ndarray] = field(default_factory=dict)
    _baseline_lines: dict[str, np.ndarray] = field(default_factory=dict)
    _scenario_paid_years: dict[str, np.ndarray] = field(default_factory=dict)
    _baseline_paid_years: dict[str, np.ndarray] = field(default_factory=dict)
    _throughput_value: np.ndarray | None = None
    #: how a run that stops when settled stopped (sim.runs.precision); None: a fixed count
    stopping: dict[str, Any] | None = None
    #: False: the work flow was skipped (sim.model.noflow); money and headcount only
    flow: bool = True
    #: how many replications, the first ones, simulated the work flow (the rest: money
    #: and headcount only; sim.runs.flowsample)
    flow_replications: int = 0
    #: how the flow sample was chosen (sim.runs.flowsample); None: not sampled
    flow_sample: dict[str, Any] | None = None
    #: the waves' cuts and layer removals, line by line (see cut_lines)
    cuts: CutTally = field(default_factory=CutTally)

    def __post_init__(self) -> None:
        # given as lists of dicts (a test, a study's slice of another run): held as rows
        for name in ("headlines", "parameters", "bridges", "headcount_flows", "layer_counts"):
            setattr(self, name, NestedRows.of(getattr(self, name)))

    @property
    def count(self) -> int:
        return len(self.headlines)

    @property
    def headline(self) -> dict[str, Band]:
        """Each headline's band over the replications: ``results.headline["npv"].p50``."""
        return headline_bands(self.headlines)

    def add(self, result: ReplicationResult) -> None:
        flows = result.cash_flows
        if not self.months:
            self.months = flows.months
        self.headlines.append(result.headline)
        self.parameters.append(result.parameters)
        self.bridges.append(result.bridge)
        self.headcount_flows.append(result.headcount_flows)
        self.layer_counts.append(result.layer_counts)
        # one string for every replication that gives the same reason, not one each
        reason = result.irr_reason
        self.irr_reasons.append(None if reason is None else sys.intern(reason))
        self.series.add(result.series)
        self.cuts.add(result.layer_changes)
        _accumulate(self._scenario_lines, flows.scenario)
        _accumulate(self._baseline_lines, flows.baseline)
        _accumulate(self._scenario_paid_years, flows.scenario_paid_years)
        _accumulate(self._baseline_paid_years, flows.baseline_paid_years)
        self._throughput_value = (
            flows.throughput_value
            if self._throughput_value is None
            else self._throughput_value + flows.throughput_value
        )

    def mean_cash_flows(self) -> CashFlows:
        """Mean cost lines over the replications (their NPV is the mean NPV)."""
        n = max(self.count, 1)
        return CashFlows(
            months=self.months,
            scenario={k: v / n for k, v in self._scenario_lines.items()},
            baseline={k: v / n for k, v in self._baseline_lines.items()},
            throughput_value=(
                self._throughput_value
                if self._throughput_value is not None
                else np.zeros(len(self.months))
            )
            / n,
            scenario_paid_years={k: v / n for k, v in self._scenario_paid_years.items()},
            baseline_paid_years={k: v / n for k, v in self._baseline_paid_years.items()},
        )

    def cut_lines(self) -> list[CutLine]:
        """Each wave's cuts and moves by unit and layer, with their notice pay and severance
        (whose sums are the mean cash flows' notice pay and severance lines)."""
        return self.cuts.lines(self.scenario)

    def stacked(self, key: tuple[str, str]) -> np.ndarray:
        """(replications, months) values of one monthly series."""
        return self.series[key]

    # --- in a notebook (sim.runs.notebook)

    def _facts(self) -> str:
        months = f", {len(self.months)} months from {self.months[0]}" if self.months else ""
        return f"{self.count} replications, seed {self.seed}{months}"

    def __repr__(self) -> str:
        currency = self.scenario.meta.currency
        return notebook.short_repr(
            "Results", self.scenario.meta.name, self._facts(), self.headline, currency
        )

    def _repr_html_(self) -> str:
        currency = self.scenario.meta.currency
        title = f"{self.scenario.meta.name}: restructuring simulation"
        return notebook.headline_html(title, self._facts(), self.headline, currency)

    def to_frame(self, kind: notebook.FrameKind = "replications", stat: str = "mean") -> Any:
        """A pandas DataFrame: ``"replications"``, one row a replication (its drawn
        inputs, then its headlines); ``"series"``, one row a month and a column a
        (unit, metric), the statistic ``stat`` over the replications."""
        notebook.check_kind(kind)
        if kind == "replications":
            rows = [{**p, **h} for p, h in zip(self.parameters, self.headlines, strict=True)]
            return notebook.replications_frame(rows)
        bands = {key: monthly_bands(self.stacked(key)) for key in self.series}
        return notebook.series_frame(self.months, bands, stat)


def _accumulate(into: dict[str, np.ndarray], lines: dict[str, np.ndarray]) -> None:
    for key, values in lines.items():
        into[key] = into[key] + values if key in into else values.astype(float).copy()


def run_more(
    results: Results,
    replications: int,
    workers: int = 1,
    scheduler: str | None = None,
    on_done: Callable[[int], None] | None = None,
    fidelity_items: int | str | None = None,
    twins: TwinCache | None = None,
    flow: bool | None = None,
    held: HeldPool | None = None,
) -> None:
    """Fold the next ``replications`` replications into ``results``: replication i has
    the seed it has in any run of the same seed, so a run extended batch by batch
    equals one run of the total. ``flow`` (default: ``results.flow``) says whether they
    simulate the work flow. ``held``: a study's pool, held open across its runs (then
    ``workers`` and ``scheduler`` are its own), else a pool for these replications."""
    flow = results.flow if flow is None else flow
    first = results.count
    seed_list = seeds(results.seed, replications, first)
    scenario = results.scenario
    pending: dict[int, ReplicationResult] = {}
    completed = (
        held.completed(scenario, seed_list, flow, replicate_chunk, fidelity_items, twins)
        if held is not None
        else _completed(scenario, seed_list, workers, scheduler, fidelity_items, flow, twins)
    )
    # closing: an interruption here stops the workers now, not when the generator is collected
    with closing(completed):
        for index, result in completed:
            if twins is not None:
                twins.record(seed_list[index], result)
            pending[first + index] = result
            while results.count in pending:
                results.add(pending.pop(results.count))
                results.flow_replications += flow
            if on_done is not None:
                on_done(1)


def _completed(
    scenario: Scenario,
    seed_list: Sequence[np.random.SeedSequence],
    workers: int,
    scheduler: str | None,
    fidelity_items: int | str | None,
    flow: bool = True,
    twins: TwinCache | None = None,
) -> Generator[tuple[int, ReplicationResult]]:
    if scheduler is not None:
        from sim.runs.distributed import completed_on_cluster

        yield from completed_on_cluster(
            scenario, seed_list, scheduler, fidelity_items, flow=flow, twins=twins
        )
    elif workers <= 1 or len(seed_list) == 1:
        for first, chunk in chunks(seed_list, chunk_size(len(seed_list), 1, flow)):
            handed = known(twins, chunk)
            results = replicate_chunk(scenario, chunk, fidelity_items, flow, handed)
            for k, result in enumerate(results):
                yield first + k, result
    else:
        yield from completed_in_pool(scenario, seed_list, workers, fidelity_items, flow, twins)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Local worker processes that leave Ctrl-C and SIGTERM to this one and exit with it."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_parent)


def completed_in_pool(
    scenario: Any,
    seed_list: Sequence[np.random.SeedSequence],
    workers: int,
    fidelity_items: int | str | None,
    flow: bool = True,
    twins: TwinCache | None = None,
    job: Callable[..., list[Any]] = replicate_chunk,
    executor: ProcessPoolExecutor | None = None,
) -> Generator[tuple[int, Any]]:
    """``(index, result)`` of each seed as the pool's chunks come back: ``job(scenario,
    chunk, fidelity_items, flow, twins)`` a chunk (a study hands its own job and work:
    sim.studies.batch). At most two chunks a worker in flight, so memory stays flat.
    ``executor``: a pool held open by the caller (sim.runs.heldpool), left open after;
    by default one of its own, for these seeds only. An error or Ctrl-C stops either."""
    owned = executor is None
    pool = executor or process_pool(min(workers, len(seed_list)))
    try:
        queue = chunks(seed_list, chunk_size(len(seed_list), workers, flow))
        running: dict[Future, int] = {}

        def submit_next() -> None:
            for first, chunk in queue:
                handed = known(twins, chunk)
                task = pool.submit(job, scenario, chunk, fidelity_items, flow, handed)
                running[task] = first
                return

        for _ in range(2 * workers):
            submit_next()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                first = running.pop(future)
                results = future.result()
                submit_next()  # before yielding: the worker need not wait for the fold
                for k, result in enumerate(results):
                    yield first + k, result
    except BaseException:
        stop_processes(pool)
        raise
    if owned:
        pool.shutdown(wait=True)


def _leave_interrupts_to_parent() -> None:
    """In a pool worker: Ctrl-C and SIGTERM reach the whole process group, but only the
    parent acts on them (it stops the workers), so no worker prints a traceback. And a worker
    whose parent dies (SIGKILL, out of memory) exits instead of running on for good."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM too: sent to the whole group (timeout, a job scheduler) it would break the
    # pool under the parent before the parent could stop it cleanly
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _exit_with_parent()


def _exit_with_parent() -> None:
    """Poll for the parent from a daemon thread: a process whose parent has gone is
    adopted by another (its parent id changes), and this worker then exits at once.
    Polling works wherever the pool runs; Linux's PR_SET_PDEATHSIG would follow the
    thread that forked the worker, not the process."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != parent:
                os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def stop_processes(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now (Ctrl-C, or an error): no waiting for their replications."""
    # shutdown() forgets the workers and the results pipe: take them first
    processes = list((pool._processes or {}).values())
    results_pipe = pool._result_queue
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()  # workers ignore SIGTERM, and hold nothing to clean up
    for process in processes:
        process.join(STOP_GRACE_S)
        if process.is_alive():
            process.kill()
            process.join()
    # A worker stopped while sending a result leaves half a message in the pipe: the
    # pool's thread would wait for the rest for ever, and the interpreter, at exit, for
    # that thread. With the workers gone, closing this process's copy of the pipe's
    # writing end gives that thread an end of file instead, and it finishes.
    if results_pipe is not None:
        results_pipe._writer.close()  # type: ignore[attr-defined]  # private: see above
