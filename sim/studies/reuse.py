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
  (sim.studies.fidelity), so an input that only the work flow reads (review and
  sign-off, hand-offs, managers' hours, the dip in IC productivity after a wave or
  while the redeployed ramp up, AI's fall in review time; effort and IC hours where no
  unit they cover staffs to capacity, whose planners read them) moves nothing it
  reports: its settings are not simulated, and the study says so
  (:data:`FLOW_ONLY_NOTE`), rather than show a swing of zero as if measured.

An input in a correlation group is not reused as finance only: fixing it takes it out
of its group, which moves the draws of the inputs correlated with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sim.model.replication import Replication, refinanced
from sim.runs.heldpool import HeldPool
from sim.runs.montecarlo import Results
from sim.runs.plan import Pool, RunPlan
from sim.runs.summarise import ReplicationResult, headline_figures, summarise
from sim.scenario.drawn import drawn_scenario
from sim.scenario.edit import with_value
from sim.scenario.fieldpaths import FieldPath, fix, path_text
from sim.scenario.labels import label
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


#: the inputs only the work flow reads (sim.model.replication._flow_input and the
#: engine's flow measures): no headcount, payroll, AI budget or cash flow reads them
FLOW_ONLY: tuple[tuple[str | int | None, ...], ...] = (
    ("work", None, "review_hours"),
    ("work", None, "handoff_delay_days"),
    ("work", None, "automated_review_share"),
    ("work", None, "manager_hours_per_week"),
    ("work", None, "signoff_shares"),
    ("restructuring", "survivor_effects", "productivity_dip"),
    ("restructuring", "survivor_effects", "dip_months"),
    ("restructuring", "waves", None, "redeployment", "ramp_months"),
    ("restructuring", "waves", None, "redeployment", "ramp_productivity"),
    ("ai", "programs", None, "effects", "review_time_reduction"),
)
#: read by the work flow and by the planners of a unit staffed to capacity (they staff
#: for the expected effort at the IC hours: sim.model.staffing.workload): flow only
#: where no unit the work profile covers is
PLANNED: tuple[tuple[str | int | None, ...], ...] = (
    ("work", None, "effort_hours"),
    ("work", None, "ic_hours_per_week"),
)
#: what a study says of an input it did not simulate
FLOW_ONLY_NOTE = "moves only the work flow: not simulated for money statistics"


def _matches(path: FieldPath, prefix: tuple[str | int | None, ...]) -> bool:
    if len(path) < len(prefix):
        return False
    return all(want is None or part == want for part, want in zip(path, prefix, strict=False))


def finance_only(scenario: Scenario, path: FieldPath) -> bool:
    """Whether settings of ``path`` can reuse the scenario's replications."""
    if not any(_matches(path, prefix) for prefix in FINANCE_ONLY):
        return False
    return not _correlated(scenario, path)


def flow_only(scenario: Scenario, path: FieldPath) -> bool:
    """Whether only the work flow reads ``path``: a study of money statistics (one that
    skips the work flow, sim.studies.fidelity) need not simulate its settings."""
    if _correlated(scenario, path):
        return False  # fixing it would move the draws of the inputs correlated with it
    if any(_matches(path, prefix) for prefix in FLOW_ONLY):
        return True
    if not any(_matches(path, prefix) for prefix in PLANNED):
        return False
    profile = scenario.work[path[1]]  # type: ignore[index]  # PLANNED paths index work
    covered = [u.name for u in scenario.org.units if scenario.work_for(u.name) is profile]
    return all(scenario.staffing_for(name).policy != "capacity" for name in covered)


@dataclass(frozen=True)
class Unsimulated:
    """An input a study did not simulate, and why."""

    path: str
    label: str
    why: str = FLOW_ONLY_NOTE


class FlowOnly(ValueError):
    """A study of one input that only the work flow reads, for money statistics: no
    value of it can move them, so none is simulated."""

    def __init__(self, scenario: Scenario, path: FieldPath, statistics: str) -> None:
        super().__init__(
            f"{path_text(path)} ({label(scenario, path)}) {FLOW_ONLY_NOTE} ({statistics}): "
            "no value of it moves them"
        )


def _correlated(scenario: Scenario, path: FieldPath) -> bool:
    text = path_text(path)
    return any(text in group.inputs for group in scenario.correlations)


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
