"""What a study need not simulate again: the stage a swung input first touches.

- **finance only**: the engine never reads the discount rate or the terminal value's
  terms, reads a wave's one-time costs (legal, outplacement) only to put them in the
  month of the wave (sim.model.workforce.wave_one_time_costs), and books severance
  (weeks of pay, or base weeks and weeks per year of tenure within the cap; the
  restructuring's or a wave's own) from the cuts it kept, after the weeks are
  simulated, reading it nowhere else (sim.model.severance). Settings of a study
  that differ in one of them have the same replications, and only their summaries
  differ: such a study simulates the replications once and, for each value,
  summarises them again with the value set (sim.model.replication.refinanced). The
  figures are a run of the setting's, to the bit (a test checks), in the time of the
  finance alone.
- **plan only**: an input the status quo never reads (the waves, the AI programmes,
  survivors' effects: sim.model.replication.PLAN_PARTS) leaves every replication's
  twin as it is; the settings of a study share their twins by key (sim.runs.twins),
  so the status quo is simulated once a seed, not once a setting.
- **flow only**: a study of money never simulates the work flow at all
  (sim.studies.fidelity), so an input that only the work flow reads (effort, review
  time) moves nothing it reports.

An input in a correlation group is not reused as finance only: fixing it takes it out
of its group, which moves the draws of the inputs correlated with it.
"""

from __future__ import annotations

from dataclasses import replace

from sim.model.replication import Replication, refinanced
from sim.runs.heldpool import HeldPool
from sim.runs.montecarlo import Results
from sim.runs.plan import Pool, RunPlan
from sim.runs.summarise import ReplicationResult, headline_figures, summarise
from sim.scenario.drawn import drawn_scenario
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import FieldPath, fix, path_text
from sim.scenario.schema import Scenario

#: the inputs (and groups of inputs, by prefix; None: any list index) that only the
#: finance reads, or that the engine only books in a month
FINANCE_ONLY: tuple[tuple[str | int | None, ...], ...] = (
    ("meta", "discount_rate_annual"),
    ("finance", "terminal_value"),
    ("restructuring", "waves", None, "one_time_costs"),
    ("restructuring", "severance"),
    ("restructuring", "waves", None, "severance"),
)


def _matches(path: FieldPath, prefix: tuple[str | int | None, ...]) -> bool:
    if len(path) < len(prefix):
        return False
    return all(want is None or part == want for part, want in zip(path, prefix, strict=False))


def finance_only(scenario: Scenario, path: FieldPath) -> bool:
    """Whether settings of ``path`` can reuse the scenario's replications."""
    if not any(_matches(path, prefix) for prefix in FINANCE_ONLY):
        return False
    text = path_text(path)
    return not any(text in group.inputs for group in scenario.correlations)


def summarised_with(replication: Replication, path: FieldPath, value: float) -> ReplicationResult:
    """A replication's summary had it been simulated with ``path`` (finance only) set to
    ``value``: the input is fixed, so it is no longer among the drawn inputs."""
    return summarise(_with(replication, path, value))


def _with(replication: Replication, path: FieldPath, value: float) -> Replication:
    """The replication had it been simulated with ``path`` (finance only) at ``value``."""
    key = path_text(path)
    inputs = drawn_scenario(fix(replication.inputs, {path: value}))
    drawn = {k: v for k, v in replication.parameters.items() if k != key}
    return replace(refinanced(replication, inputs), parameters=drawn)


class FinanceReruns:
    """A scenario's replications, simulated once, summarised again for each setting."""

    def __init__(
        self,
        scenario: Scenario,
        plan: RunPlan,
        pool: Pool | HeldPool | None = None,
        flow: bool = True,
    ):
        self.scenario, self.plan, self.flow = scenario, plan, flow
        # headlines only: the savings bridge's steps are not simulated
        count, seed = plan.replications, plan.seed
        if isinstance(pool, HeldPool):  # the study's, open for its other runs
            self.replications = pool.replications(scenario, seed, count, flow, bridge=False)
        else:
            with HeldPool(pool) as held:
                self.replications = held.replications(scenario, seed, count, flow, bridge=False)

    def results(self, path: FieldPath, value: float) -> Results:
        """The results a run of the scenario with ``path`` set to ``value`` would give
        (its headlines, drawn inputs and cash flows; no savings bridge)."""
        setting = with_value(self.scenario, path, value)  # validated as a rerun's would be
        results = Results(scenario=setting, seed=self.plan.seed, flow=self.flow)
        for replication in self.replications:
            results.add(summarised_with(replication, path, value))
            results.flow_replications += self.flow
        return results

    def figures(self, path: FieldPath, value: float, headline: str) -> tuple[float | None, ...]:
        """Each replication's ``headline`` in :meth:`results` (the same figures), without
        the rest of their summaries: what a goal seek reads of a value tried."""
        with_value(self.scenario, path, value)  # validated as a rerun's would be
        return tuple(headline_figures(_with(r, path, value))[headline] for r in self.replications)
