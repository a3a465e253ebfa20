"""Cash flows of a replication, line by line, and its headline figures.

Costs are money out per month. The net benefit of a month is the baseline
twin's costs minus the scenario's (plus the value of the extra work done, when
the scenario prices a work item); the headline metrics come from it
(:mod:`sim.finance.metrics`). This module knows nothing of SimPy or files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.model.prices import PriceLevels as PriceLevels  # the engine's price levels

if TYPE_CHECKING:  # plain data in; the finance needs nothing of the engine's SimPy
    from sim.model.replication import Replication, Trajectory
    from sim.model.workforce import LayerChange


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
#: a plan whose waves redeploy people: what retraining them costs (a one-time cost)
RETRAINING = "redeployment retraining"
#: a plan with reskilling programmes: what they cost (a one-time cost)
RESKILLING = "reskilling programmes"
#: the lines only some plans have, with the twin at zero beside them
PLAN_ONLY_LINES = (RETRAINING, RESKILLING)
#: the lines that are one-time restructuring and build costs
ONE_TIME_LINES = (NOTICE_PAY, SEVERANCE, WAVE_ONE_TIME, AI_ONE_TIME)
#: the scenario's and the baseline's columns in cashflows.csv
SCENARIO_COLUMN = "scenario: "
BASELINE_COLUMN = "baseline: "
VALUE_OF_WORK_COLUMN = "value of extra work done"
NET_COLUMN = "net cash flow"


def one_time_lines(lines: Iterable[str]) -> tuple[str, ...]:
    """The one-time cost lines among ``lines``, in order: notice pay, severance, wave and
    AI build costs, and the plan's own retraining and reskilling where it has them. What
    the one-time costs, the run rate (which leaves them out) and each fiscal year count."""
    present = set(lines)
    return (*ONE_TIME_LINES, *(k for k in PLAN_ONLY_LINES if k in present))


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
    #: each payroll line's person-years paid per month (its payroll at the layer's cost,
    #: before pay growth and pay protection), (months, parts): one part, or for an IC
    #: layer of roles a part a role (each at its own cost); what the workbook multiplies out
    scenario_paid_years: dict[str, np.ndarray] = field(default_factory=dict)
    baseline_paid_years: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def net(self) -> np.ndarray:
        """Net benefit per month: baseline cost - scenario cost + throughput value."""
        return (
            sum(self.baseline.values(), np.zeros(len(self.months)))
            - sum(self.scenario.values(), np.zeros(len(self.months)))
            + self.throughput_value
        )

    @property
    def one_time(self) -> np.ndarray:
        """Each month's restructuring and build costs: notice pay, severance, wave and
        AI one-time costs, net of any the baseline also bears (it bears none)."""
        return sum(
            (self.scenario[k] - self.baseline[k] for k in one_time_lines(self.scenario)),
            np.zeros(len(self.months)),
        )

    @property
    def one_time_costs(self) -> float:
        """The one-time costs of the whole run."""
        return float(self.one_time.sum())


def cost_lines(trajectory: Trajectory, prices: PriceLevels | None = None) -> dict[str, np.ndarray]:
    """Every cost of one run by line item, per month; the lines of every run are the same.

    Pay-based lines (payroll, notice pay, severance, new roles' payroll) grow
    with ``prices``' pay factors and AI running costs with the seat price's;
    hiring, wave and AI one-time costs are amounts as written.
    """
    prices = prices or PriceLevels()
    months = len(trajectory.months)
    lines: dict[str, np.ndarray] = {}
    for unit in trajectory.units:
        working = (unit.payroll - unit.notice_pay) * _column(prices.pay(unit.name))
        for i, layer in enumerate(unit.layers):
            lines[payroll_line(unit.name, layer)] = working[:, i]
    lines[NOTICE_PAY] = sum(
        (u.notice_pay.sum(axis=1) * prices.pay(u.name) for u in trajectory.units),
        np.zeros(months),
    )
    lines[SEVERANCE] = sum(
        (u.severance.sum(axis=1) * prices.pay(u.name) for u in trajectory.units),
        np.zeros(months),
    )
    lines[WAVE_ONE_TIME] = trajectory.wave_one_time_cost
    lines[HIRING] = sum((u.hiring_cost for u in trajectory.units), np.zeros(months))
    lines[AI_ONE_TIME] = sum((p.one_time_cost for p in trajectory.programs), np.zeros(months))
    lines[AI_RUNNING] = sum(
        (p.running_cost * prices.seat_price(p.name) for p in trajectory.programs),
        np.zeros(months),
    )
    role_pay = 1.0 if prices.new_roles_pay is None else prices.new_roles_pay
    lines[NEW_ROLES_PAYROLL] = sum(
        (r.payroll * role_pay for r in trajectory.roles), np.zeros(months)
    )
    lines[NEW_ROLES_HIRING] = sum((r.hiring_cost for r in trajectory.roles), np.zeros(months))
    retraining = [u.retraining for u in trajectory.units if u.retraining is not None]
    if retraining:  # only a plan that redeploys has the line
        lines[RETRAINING] = sum(retraining, np.zeros(months))
    reskilling = [u.reskilling for u in trajectory.units if u.reskilling is not None]
    if reskilling:  # only a plan with reskilling programmes has the line
        lines[RESKILLING] = sum(reskilling, np.zeros(months))
    return lines


def paid_years(trajectory: Trajectory) -> dict[str, np.ndarray]:
    """Each payroll line's person-years paid per month, (months, parts): a part a role
    in an IC layer of roles, else one (see :func:`cost_lines`)."""
    lines = {}
    for unit in trajectory.units:
        for i, layer in enumerate(unit.layers):
            by_role = unit.role_paid_years if i == len(unit.layers) - 1 else None
            lines[payroll_line(unit.name, layer)] = (
                by_role if by_role is not None else unit.paid_years[:, i : i + 1]
            )
    return lines


@dataclass(frozen=True)
class LayerChangeCost:
    """What a wave did to a layer, with its notice pay and severance at each month's
    pay level: what the notice pay and severance lines book for it."""

    change: LayerChange
    pay_growth: np.ndarray  # (months,) the unit's pay level against the valuation month's
    notice_pay: np.ndarray  # (months,) money
    severance: np.ndarray  # (months,) money


def layer_change_costs(
    trajectory: Trajectory, prices: PriceLevels | None = None
) -> tuple[LayerChangeCost, ...]:
    """Each wave's change to each layer, priced as :func:`cost_lines` prices the notice
    pay and severance lines (they are these, summed)."""
    prices = prices or PriceLevels()
    months = len(trajectory.months)
    costs = []
    for change in trajectory.layer_changes:
        growth = np.broadcast_to(np.asarray(prices.pay(change.unit), dtype=float), (months,))
        costs.append(
            LayerChangeCost(
                change, growth.copy(), change.notice_pay * growth, change.severance * growth
            )
        )
    return tuple(costs)


def _column(factors: np.ndarray | float) -> np.ndarray | float:
    """Monthly factors shaped to multiply a (months, layers) array."""
    return factors[:, None] if isinstance(factors, np.ndarray) else factors


def cash_flows(replication: Replication) -> CashFlows:
    """Scenario and baseline costs by line, and the value of the change in work done."""
    value = replication.inputs.finance.value_per_item
    extra = replication.scenario.done - replication.baseline.done
    throughput_value = extra * value if value is not None else np.zeros(len(extra))
    prices = replication.prices  # the levels the engine funded seats at: one set of factors
    scenario = cost_lines(replication.scenario, prices)
    baseline = cost_lines(replication.baseline, prices)
    for line in PLAN_ONLY_LINES:  # the twin moves no one: the same lines, at zero
        if line in scenario:
            baseline[line] = np.zeros(len(replication.baseline.months))
    return CashFlows(
        months=replication.scenario.months,
        scenario=scenario,
        baseline=baseline,
        throughput_value=throughput_value,
        scenario_paid_years=paid_years(replication.scenario),
        baseline_paid_years=paid_years(replication.baseline),
    )
