"""Cash flows of a replication, line by line, and its headline figures.

Costs are money out per month. The net benefit of a month is the baseline
twin's costs minus the scenario's (plus the value of the extra work done, when
the scenario prices a work item); the headline metrics come from it
(:mod:`sim.finance.metrics`). This module knows nothing of SimPy or files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.scenario.schema import drawn

if TYPE_CHECKING:  # plain data in; the finance needs nothing of the engine's SimPy
    from sim.model.replication import Replication, Trajectory


# The cost lines of a run, by name: the tables, the workbook and the charts use
# these constants, never the text of a column.
NOTICE_PAY = "notice pay"
SEVERANCE = "severance"
WAVE_ONE_TIME = "wave one-time costs"
HIRING = "hiring costs"
AI_ONE_TIME = "AI one-time costs"
AI_RUNNING = "AI running costs"
NEW_ROLES_PAYROLL = "new roles payroll"
NEW_ROLES_HIRING = "new roles hiring costs"
#: the lines that are one-time restructuring and build costs
ONE_TIME_LINES = (NOTICE_PAY, SEVERANCE, WAVE_ONE_TIME, AI_ONE_TIME)
#: the scenario's and the baseline's columns in cashflows.csv
SCENARIO_COLUMN = "scenario: "
BASELINE_COLUMN = "baseline: "
VALUE_OF_WORK_COLUMN = "value of extra work done"
NET_COLUMN = "net cash flow"


def payroll_line(unit: str, layer: str) -> str:
    """The cost line of one unit's layer (people working, notice pay apart)."""
    return f"payroll {unit} / {layer}"


@dataclass(frozen=True)
class CashFlows:
    """Monthly costs by line item, for the scenario and its baseline twin."""

    months: tuple[str, ...]
    scenario: dict[str, np.ndarray]  # line item -> cost per month (money out)
    baseline: dict[str, np.ndarray]
    throughput_value: np.ndarray  # value of extra items done vs the baseline

    @property
    def net(self) -> np.ndarray:
        """Net benefit per month: baseline cost - scenario cost + throughput value."""
        return (
            sum(self.baseline.values(), np.zeros(len(self.months)))
            - sum(self.scenario.values(), np.zeros(len(self.months)))
            + self.throughput_value
        )

    @property
    def one_time_costs(self) -> float:
        """Restructuring and build costs: notice pay, severance, wave and AI one-time costs,
        net of any the baseline also bears (it bears none)."""
        return float(
            sum(self.scenario[k].sum() - self.baseline[k].sum() for k in ONE_TIME_LINES)
        )


def cost_lines(trajectory: Trajectory) -> dict[str, np.ndarray]:
    """Every cost of one run by line item, per month; the lines of every run are the same."""
    months = len(trajectory.months)
    lines: dict[str, np.ndarray] = {}
    for unit in trajectory.units:
        working = unit.payroll - unit.notice_pay
        for i, layer in enumerate(unit.layers):
            lines[payroll_line(unit.name, layer)] = working[:, i]
    lines[NOTICE_PAY] = sum(
        (u.notice_pay.sum(axis=1) for u in trajectory.units), np.zeros(months)
    )
    lines[SEVERANCE] = sum((u.severance.sum(axis=1) for u in trajectory.units), np.zeros(months))
    lines[WAVE_ONE_TIME] = trajectory.wave_one_time_cost
    lines[HIRING] = sum((u.hiring_cost for u in trajectory.units), np.zeros(months))
    lines[AI_ONE_TIME] = sum(
        (p.one_time_cost for p in trajectory.programs), np.zeros(months)
    )
    lines[AI_RUNNING] = sum((p.running_cost for p in trajectory.programs), np.zeros(months))
    lines[NEW_ROLES_PAYROLL] = sum((r.payroll for r in trajectory.roles), np.zeros(months))
    lines[NEW_ROLES_HIRING] = sum(
        (r.hiring_cost for r in trajectory.roles), np.zeros(months)
    )
    return lines


def cash_flows(replication: Replication) -> CashFlows:
    """Scenario and baseline costs by line, and the value of the change in work done."""
    value = replication.inputs.finance.value_per_item
    extra = replication.scenario.done - replication.baseline.done
    throughput_value = extra * drawn(value) if value is not None else np.zeros(len(extra))
    return CashFlows(
        months=replication.scenario.months,
        scenario=cost_lines(replication.scenario),
        baseline=cost_lines(replication.baseline),
        throughput_value=throughput_value,
    )
