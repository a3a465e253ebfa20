"""One place that runs a scenario: a plan (what to run) on a pool (where).

Every run goes through :func:`simulate`: the API's :func:`run`, the command line's
run and compare (sim.report.run), and the studies. A :class:`~sim.runs.plan.RunPlan`
says how many replications on which seed, whether they stop once a statistic is
settled (sim.runs.precision) and which of them simulate the work flow
(sim.runs.flowsample); a :class:`~sim.runs.plan.Pool` says where they run (local
processes, or a Dask cluster). The replications themselves are folded in order by
sim.runs.montecarlo, so a plan gives the same results on any pool. :func:`run_time`
is what the plan will take on the pool, before it starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.model import cost
from sim.runs import notebook
from sim.runs.flowsample import FlowSample
from sim.runs.headlines import NEVER
from sim.runs.held import column
from sim.runs.heldpool import HeldPool
from sim.runs.montecarlo import Results, run_more
from sim.runs.plan import Pool, RunPlan
from sim.runs.precision import (
    Interval,
    Settling,
    Stop,
    interval,
    is_settled,
    nothing_to_settle,
)
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.runs.twins import TwinCache


def simulate(
    scenario: Scenario,
    plan: RunPlan,
    pool: Pool | HeldPool | None = None,
    *,
    on_done: Callable[[int], None] | None = None,
    twins: TwinCache | None = None,
) -> Results:
    """Run ``plan``'s replications of ``scenario`` on ``pool`` (default: every local CPU;
    a study's :class:`~sim.runs.heldpool.HeldPool`: its processes or client, held open
    across the study's runs) and fold their summaries in order. ``on_done(1)`` after each
    replication; ``twins`` reuses the status quos a study already simulated on these
    seeds (sim.runs.twins).

    A run whose work flow the model cannot compute here (see :mod:`sim.model.cost`) is
    refused with a :class:`~sim.model.cost.RunCostError` before any replication starts;
    what it sizes is the work flow, so a money-only run is never refused."""
    pool = pool or Pool()
    where = pool.pool if isinstance(pool, HeldPool) else pool
    if simulates_flow(scenario, plan.flow):
        cost.check(cost.estimate(scenario, plan.fidelity_items), where.local_processes)
    results = Results(scenario=scenario, seed=plan.seed, flow=plan.flow is not False)
    if plan.until is None:
        _extend(results, plan.replications, plan, pool, on_done, twins)
    else:
        settling = _until_settled(results, plan.until, plan, pool, on_done, twins)
        results.stopping = settling.as_dict()
    return results


def _extend(
    results: Results,
    replications: int,
    plan: RunPlan,
    pool: Pool | HeldPool,
    on_done: Callable[[int], None] | None,
    twins: TwinCache | None,
) -> None:
    """Fold the next ``replications`` replications into ``results``; with a flow sample,
    the work flow for the first of them as the sample asks, the rest money only."""

    held = pool if isinstance(pool, HeldPool) else None
    where = pool.pool if isinstance(pool, HeldPool) else pool

    def more(count: int, flow: bool) -> None:
        run_more(
            results,
            count,
            where.worker_count,
            where.scheduler,
            on_done,
            plan.fidelity_items,
            twins,
            flow=flow,
            held=held,
        )

    sample = plan.flow
    if not isinstance(sample, FlowSample):
        more(replications, sample)
        return
    target = results.count + replications
    while results.count < target:
        wanted = sample.more(results)
        flowing = wanted > 0
        count = int(min(wanted, target - results.count)) if flowing else target - results.count
        more(count, flowing)
    results.flow_sample = sample.report(results)


def _until_settled(
    results: Results,
    stop: Stop,
    plan: RunPlan,
    pool: Pool | HeldPool,
    on_done: Callable[[int], None] | None,
    twins: TwinCache | None,
) -> Settling:
    """Replications in batches until the statistic is settled or the ceiling is reached.
    The stop reads the results folded in replication order only, so the same seed stops
    after the same number whatever the pool."""
    precision = stop.precision
    history: list[tuple[int, Interval]] = []
    settled = False
    reason = None
    while results.count < stop.max_replications and not settled and reason is None:
        count = min(stop.batch, stop.max_replications - results.count)
        _extend(results, count, plan, pool, on_done, twins)
        values = column(results.headlines, precision.headline)
        never = precision.headline in NEVER
        current = interval(values, precision.statistic, precision.confidence, never)
        history.append((results.count, current))
        settled = is_settled(precision, current)
        reason = nothing_to_settle(precision, values, results.irr_reasons)
    return Settling(precision, tuple(history), settled, reason)


def simulates_flow(scenario: Scenario, flow: bool | FlowSample) -> bool:
    """Whether any replication of a run with this flow choice simulates the work flow
    (and so whether the run's cost must be checked before it starts)."""
    if isinstance(flow, FlowSample):
        return flow.every or flow.count != 0 or scenario.finance.value_per_item is not None
    return flow


def flow_replications(scenario: Scenario, plan: RunPlan) -> int:
    """How many of the plan's replications should simulate the work flow, before any has
    (a sample chosen by precision is a guess): for the run's time estimate."""
    if isinstance(plan.flow, FlowSample):
        return plan.flow.expected(scenario, plan.most)
    return plan.most if plan.flow else 0


def run_time(
    scenario: Scenario, plan: RunPlan, pool: Pool | None = None, charts: bool = True
) -> cost.RunTime:
    """The estimated wall time of ``plan`` on ``pool``, its flow sample as expected, with
    its files (and charts); a plan that stops once settled, at its ceiling."""
    pool = pool or Pool()
    flowed = flow_replications(scenario, plan)
    return cost.run_time(
        scenario, plan.most, pool.worker_count, flowed, charts, plan.fidelity_items
    )


def run(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[int], None] | None = None,
    progress: bool | None = None,
) -> Results:
    """Run a scenario's replications (by default its ``meta.replications`` on its
    ``meta.seed``) on ``workers`` local processes (default: every CPU) or on the Dask
    cluster at ``scheduler``; the results carry every headline's band.

    ``progress`` shows a progress bar (a notebook's widget, or text on a terminal);
    by default, in a notebook only: a cell silent for minutes read as hung."""
    plan = RunPlan.of(scenario, replications, seed)
    shown = notebook.in_notebook() if progress is None else progress
    with notebook.progress(plan.replications, scenario.meta.name, shown, on_done) as done:
        return simulate(scenario, plan, Pool(workers, scheduler), on_done=done)


def run_monte_carlo(
    scenario: Scenario,
    replications: int,
    seed: int,
    workers: int = 1,
    scheduler: str | None = None,
    on_done: Callable[[int], None] | None = None,
    fidelity_items: int | str | None = None,
    flow: bool = True,
    twins: TwinCache | None = None,
) -> Results:
    """:func:`simulate` with the plan and pool given piece by piece (``workers`` default
    1), as the studies call it: ``flow=False`` skips the work flow (money and headcount
    only: sim.model.noflow)."""
    plan = RunPlan(replications, seed, flow=flow, fidelity_items=fidelity_items)
    return simulate(scenario, plan, Pool(workers, scheduler), on_done=on_done, twins=twins)
