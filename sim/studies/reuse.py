"""What a study need not simulate again: an input that only the finance reads.

The engine never reads the discount rate or the terminal value's terms; only the
summary of a replication does (sim.runs.summarise). So the settings of a study
that differ in one of them have the same replications, and only their summaries
differ: such a study simulates the scenario's replications once and, for each
value, summarises them again with the value set. The figures are a run of the
setting's, to the bit (a test checks), in the time of the finance alone.

An input in a correlation group is not reused: fixing it takes it out of its
group, which moves the draws of the inputs correlated with it.
"""

from __future__ import annotations

from dataclasses import replace

from sim.runs.montecarlo import Results, replications
from sim.runs.plan import RunPlan
from sim.runs.summarise import summarise
from sim.scenario.drawn import drawn_scenario
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import FieldPath, fix, path_text
from sim.scenario.schema import Scenario

#: the inputs (and groups of inputs, by prefix) that only the finance reads
FINANCE_ONLY: tuple[FieldPath, ...] = (
    ("meta", "discount_rate_annual"),
    ("finance", "terminal_value"),
)


def finance_only(scenario: Scenario, path: FieldPath) -> bool:
    """Whether settings of ``path`` can reuse the scenario's replications."""
    if not any(path[: len(prefix)] == prefix for prefix in FINANCE_ONLY):
        return False
    text = path_text(path)
    return not any(text in group.inputs for group in scenario.correlations)


class FinanceReruns:
    """A scenario's replications, simulated once, summarised again for each setting."""

    def __init__(self, scenario: Scenario, plan: RunPlan, workers: int = 1, flow: bool = True):
        self.scenario, self.plan, self.flow = scenario, plan, flow
        self.replications = replications(scenario, plan.seed, plan.replications, workers, flow)

    def results(self, path: FieldPath, value: float) -> Results:
        """The results a run of the scenario with ``path`` set to ``value`` would give."""
        setting = with_value(self.scenario, path, value)  # validated as a rerun's would be
        results = Results(scenario=setting, seed=self.plan.seed, flow=self.flow)
        key = path_text(path)
        for replication in self.replications:
            drawn_inputs = {k: v for k, v in replication.parameters.items() if k != key}
            results.add(
                summarise(
                    replace(
                        replication,
                        inputs=drawn_scenario(fix(replication.inputs, {path: value})),
                        parameters=drawn_inputs,
                    )
                )
            )
        return results
