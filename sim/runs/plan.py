"""What to run and where: the run plan and the pool.

One definition for every caller (the command line, a notebook, the studies):
a value given by the caller wins, else the scenario's ``meta`` (or, for a run
that must pair with an existing one, that run's own plan). The orchestrator
(sim.runs.orchestrator) runs a plan on a pool.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.runs.flowsample import FlowSample
    from sim.runs.precision import Stop
    from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class RunPlan:
    """The replications to run, the root seed they are spawned from, and how.

    ``until``: run batches until a statistic is settled (sim.runs.precision), its own
    batch size and ceiling in place of ``replications``. ``flow``: which replications
    simulate the work flow: True every one (the API's run, a study's), False none
    (money and headcount only, a study's), or a :class:`~sim.runs.flowsample.FlowSample`
    (the command line's run and compare). ``fidelity_items``: the work flow's sample
    size in place of the scenario's ``meta.fidelity_items``."""

    replications: int
    seed: int
    until: Stop | None = None
    flow: bool | FlowSample = True
    fidelity_items: int | str | None = None

    @classmethod
    def of(
        cls, scenario: Scenario, replications: int | None = None, seed: int | None = None
    ) -> RunPlan:
        """The caller's replications and seed where given, else the scenario's own."""
        return cls(scenario.meta.replications, scenario.meta.seed).overridden(replications, seed)

    def overridden(self, replications: int | None = None, seed: int | None = None) -> RunPlan:
        """This plan with the caller's replications and seed where given."""
        return replace(
            self,
            replications=replications or self.replications,
            seed=self.seed if seed is None else seed,
        )

    @property
    def most(self) -> int:
        """The replications this plan may run: its ceiling when it stops once settled."""
        return self.until.max_replications if self.until is not None else self.replications


def default_workers() -> int:
    """Local worker processes unless told: every CPU."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Pool:
    """Where the replications run: ``workers`` local processes (None: every CPU), or
    the Dask cluster whose scheduler is at ``scheduler``."""

    workers: int | None = None
    scheduler: str | None = None

    @property
    def worker_count(self) -> int:
        return self.workers or default_workers()

    @property
    def local_processes(self) -> int:
        """The processes that simulate on this machine (its memory is checked for them):
        one on a cluster, whose replications run elsewhere."""
        return 1 if self.scheduler else self.worker_count
