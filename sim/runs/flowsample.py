"""The flow sample: which replications of a run simulate the work flow.

Money and headcount never depend on the sampled work flow (planners staff from
expected demand, and the flow draws from its own streams: sim.model.noflow), so a
run computes money for every replication and the work flow only for the first
``N``. Replication ``i`` keeps its own streams either way: its money is the same
with or without its flow, and its flow is the same whichever other replications
simulated theirs.

``N`` is given (``--flow-replications N``; 0 for money only, ``--no-flow``) or,
by default, chosen by precision: the flow runs in batches of :data:`BATCH` from the
first replication until the statistic each flow headline is read by is known to
:data:`HALF_WIDTH` either side at :data:`CONFIDENCE` (the mean of work done vs the
status quo, Student's t; the median of cycle time vs the status quo, heavy-tailed,
distribution-free: sim.runs.precision), or every replication has it. The twin
pairing makes those differences precise, so the sample is small. The decision
reads the results folded in replication order only, so the same seed gives the
same sample whatever the workers and chunking.

When work done is priced (``finance.value_per_item``) the money reads the flow,
and every replication simulates it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.runs.headlines import BY_NAME, REGISTRY
from sim.runs.precision import interval
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.runs.montecarlo import Results

#: flow replications a batch when the sample is chosen by precision, and the fewest
BATCH = 10
#: batches a sample chosen by precision is expected to take, for a run's time estimate:
#: of the shipped scenarios that choose by precision, four settle after the first batch
#: and one (ecommerce-ai-attrition) after the second (measured idle, 2026-12-03, at
#: their own replications and at 1,000); three batches put the estimate at 1.6x the
#: measured time on example-roster (bench/bench_estimate.py)
EXPECTED_BATCHES = 1.5
#: the flow headlines' precision: their statistic within 1 percentage point either side
HALF_WIDTH = 0.01
CONFIDENCE = 0.95
#: the flow headlines, each with the statistic its tables lead with
FLOW_STATISTICS = tuple(
    (h.name, "p50" if h.heavy_tailed else "mean") for h in REGISTRY if h.needs_flow
)


#: the rule when work done is priced: the money reads the flow
PRICED = "every replication: work done is priced (finance.value_per_item), so the money reads it"


@dataclass(frozen=True)
class FlowSample:
    """How many replications simulate the work flow: ``count`` of them (None: chosen by
    precision); ``count=0`` is money only."""

    count: int | None = None
    half_width: float = HALF_WIDTH
    confidence: float = CONFIDENCE
    batch: int = BATCH
    #: every replication simulates the work flow (what the API's run does)
    every: bool = False

    @property
    def rule(self) -> str:
        if self.every:
            return "every replication"
        if self.count is None:
            stats = " and ".join(
                f"the {'median' if stat == 'p50' else 'mean'} {BY_NAME[name].in_words}"
                for name, stat in FLOW_STATISTICS
            )
            return (
                f"chosen by precision: {stats} within {100 * self.half_width:g} percentage "
                f"point(s) either side at {self.confidence:.0%} confidence, in batches of "
                f"{self.batch}"
            )
        if self.count == 0:
            return "none: money only (--no-flow)"
        return f"given: --flow-replications {self.count}"

    def overruled(self, scenario: Scenario) -> str | None:
        """Why this scenario's money needs the work flow in every replication, when the
        sample asked for fewer (--no-flow, --flow-replications N); None otherwise."""
        if self.every or self.count is None or scenario.finance.value_per_item is None:
            return None
        asked = "--no-flow" if self.count == 0 else f"--flow-replications {self.count}"
        return (
            f"{asked}: {scenario.meta.name} prices work done (finance.value_per_item), so "
            "its money reads the work flow and every replication simulates it"
        )

    def expected(self, scenario: Scenario, replications: int) -> int:
        """How many of ``replications`` should simulate the work flow, before any has:
        for a run's time estimate (a sample chosen by precision is a guess)."""
        if self.every or scenario.finance.value_per_item is not None:
            return replications
        if self.count is not None:
            return min(self.count, replications)
        return min(math.ceil(EXPECTED_BATCHES * self.batch), replications)

    def more(self, results: Results) -> float:
        """How many more replications, after those in ``results``, should simulate the
        work flow now (0: no more; the rest are money only)."""
        done = results.flow_replications
        if done < results.count:
            return 0  # the sample is the first N: once one went without, all do
        if self.every or results.scenario.finance.value_per_item is not None:
            return math.inf  # every replication (priced work done: the money reads it)
        if self.count is not None:
            return max(self.count - done, 0)
        if done < self.batch or not self.settled(results):
            return self.batch
        return 0

    def settled(self, results: Results) -> bool:
        """Whether every flow headline's statistic is within the half-width (a headline
        no flow replication gives a value has nothing to settle)."""
        return all(
            width is None or width <= self.half_width for width in self.widths(results).values()
        )

    def widths(self, results: Results) -> dict[str, float | None]:
        """Each flow headline's interval half-width over the flow replications so far
        (None: no replication gave it a value; inf: too few to bracket it)."""
        flowed = results.headlines[: results.flow_replications]
        out: dict[str, float | None] = {}
        for name, stat in FLOW_STATISTICS:
            values = [h[name] for h in flowed]
            if all(v is None for v in values):
                out[name] = None
                continue
            found = interval(values, stat, self.confidence).half_width
            out[name] = math.inf if found is None else found
        return out

    def report(self, results: Results) -> dict[str, Any]:
        """How the sample was chosen, for summary.json: the rule, the count, and the
        flow headlines' half-widths over it."""
        widths = self.widths(results) if results.flow_replications else {}
        priced = results.scenario.finance.value_per_item is not None
        return {
            "rule": PRICED if priced and not self.every else self.rule,
            "replications": results.flow_replications,
            "of": results.count,
            "half_width": {
                k: (v if v is None or math.isfinite(v) else None) for k, v in widths.items()
            },
            "target_half_width": self.half_width if self.count is None else None,
        }
