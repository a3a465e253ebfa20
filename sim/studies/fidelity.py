"""How thinly a study may sample the work flow: not at all, when it asks only for money.

Headcount and cost never depend on the sampled work flow (planners use
expected values, and the work flow draws from its own streams), so when a
study's statistics are financial and no value is put on work done, the work
flow of every setting is sampled as thinly as the engine allows (one team a
unit): the figures the study reads are the same, and each setting runs in
about half the time on a large organisation.
"""

from __future__ import annotations

from collections.abc import Iterable

from sim.scenario.schema import Scenario

#: headlines that read the work flow; every other headline is headcount and money
FLOW_HEADLINES = frozenset({"throughput_change_pct", "cycle_time_change_pct"})
#: items a run may simulate when none of them matter: the engine keeps one team a unit
THINNEST = 1


def study_fidelity(scenario: Scenario, headlines: Iterable[str]) -> int | None:
    """The fidelity override for a study reading ``headlines`` (None: the scenario's own)."""
    if scenario.finance.value_per_item is not None:
        return None  # work done is priced: money depends on the work flow
    if any(name in FLOW_HEADLINES for name in headlines):
        return None
    return THINNEST
