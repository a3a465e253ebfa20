"""The baseline twin simulated once per replication seed, for studies that try many plans.

Every plan a study tries on the same replication seed is measured against the same
status quo (its twin reads the organisation, the work and the calendar, never the
plan: sim.model.replication.Twin). A :class:`TwinCache` keeps each seed's twins by
their key; a replication is handed the twins of its seed and reuses the one whose
key matches its own, or simulates it and sends it back to be kept. A plan that
moves the calendar (the valuation month follows its first wave) or an input the
twin reads has another key: the cache misses, and the figures are never wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.model.replication import Twin
from sim.runs.summarise import ReplicationResult

SeedId = tuple[str, tuple[int, ...]]


def _seed_id(seed: np.random.SeedSequence) -> SeedId:
    return str(seed.entropy), tuple(int(k) for k in seed.spawn_key)


@dataclass
class TwinCache:
    """Each replication seed's twins, by key, and what reusing them saved."""

    twins: dict[SeedId, dict[str, Twin]] = field(default_factory=dict, repr=False)
    simulated: int = 0  # twins simulated (misses)
    reused: int = 0  # twins reused (hits)
    simulated_s: float = 0.0  # seconds spent simulating twins
    saved_s: float = 0.0  # seconds the reused twins took to simulate: the time saved
    replications_s: float = 0.0  # seconds the replications took where they ran

    @property
    def share_saved(self) -> float:
        """The share of the simulation time the cache saved: the reused twins' time over
        that plus what the replications took."""
        total = self.replications_s + self.saved_s
        return self.saved_s / total if total > 0 else 0.0

    def known(self, seed: np.random.SeedSequence) -> dict[str, Twin]:
        """The twins already simulated on ``seed`` (what a replication is handed)."""
        return self.twins.setdefault(_seed_id(seed), {})

    def record(self, seed: np.random.SeedSequence, result: ReplicationResult) -> None:
        """Keep the twin a replication simulated, or count the one it reused."""
        kept = self.known(seed)
        self.replications_s += result.seconds
        if result.twin is not None:
            kept[result.twin.key] = result.twin
            self.simulated += 1
            self.simulated_s += result.twin.seconds
        elif result.twin_key in kept:
            self.reused += 1
            self.saved_s += kept[result.twin_key].seconds
