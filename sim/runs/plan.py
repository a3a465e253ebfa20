"""The run plan: how many replications, on which root seed.

One definition for every caller (the command line, a notebook, the studies):
a value given by the caller wins, else the scenario's ``meta`` (or, for a run
that must pair with an existing one, that run's own plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class RunPlan:
    """The replications to run and the root seed they are spawned from."""

    replications: int
    seed: int

    @classmethod
    def of(
        cls, scenario: Scenario, replications: int | None = None, seed: int | None = None
    ) -> RunPlan:
        """The caller's replications and seed where given, else the scenario's own."""
        return cls(scenario.meta.replications, scenario.meta.seed).overridden(replications, seed)

    def overridden(self, replications: int | None = None, seed: int | None = None) -> RunPlan:
        """This plan with the caller's replications and seed where given."""
        return RunPlan(replications or self.replications, self.seed if seed is None else seed)
