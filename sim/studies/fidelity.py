"""Whether a study needs the work flow at all: not when it asks only for money.

Headcount and cost never depend on the sampled work flow (planners use
expected values, and the work flow draws from its own streams), so when a
study's statistics are financial and no value is put on work done, every
setting skips the work flow (sim.model.noflow): the figures the study reads
are exactly those of a full run on the same seed, and a setting of the
e-commerce scenario runs in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Iterable

from sim.runs.headlines import FLOW_HEADLINES
from sim.scenario.schema import Scenario


def needs_flow(scenario: Scenario, headlines: Iterable[str]) -> bool:
    """Whether a study reading ``headlines`` must simulate the work flow."""
    if scenario.finance.value_per_item is not None:
        return True  # work done is priced: money depends on the work flow
    return any(name in FLOW_HEADLINES for name in headlines)
