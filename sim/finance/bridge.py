"""The savings bridge: payroll saved against the status quo, reconciled to its causes.

A replication runs the workforce once per step of the plan, on the same random
streams: the status quo, then with the waves' cuts, then with their layer
removals, then with the hiring freezes (and the plan's own backfill share),
then with the planners counting what AI frees, which is the whole plan. Each
cause is the payroll its step takes off the step before, knock-on effects
included (rehiring after a cut, a surplus left to attrition), so the causes
telescope: they add up to the payroll saved exactly, and with the new roles'
payroll (a cost) to the net payroll saving. Each step is kept per unit and
grown by that unit's own pay factors before it is summed, as the cash flows
grow each unit's payroll, so the bridge reconciles with the payroll saved they
show whatever the units' pay growth.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from sim.finance.metrics import RUN_RATE_MONTHS, run_rate_annual
from sim.model.workforce import BRIDGE_STEPS, REDEPLOYMENT

STATUS_QUO = "status_quo"
#: the causes, in the order the plan's steps add them
CAUSES = tuple(name for name, _ in BRIDGE_STEPS)
NEW_ROLES = "new_roles"
#: the payroll of the hires AI's freed capacity made unneeded (capacity staffing)
HIRES_AVOIDED_BY_AI = "hires_avoided_by_ai"
#: what a reader sees for each part of the bridge
LABELS = {
    "roles_cut": "Roles cut",
    REDEPLOYMENT: "Redeployed and reskilled",
    "layers_removed": "Layers removed",
    "leavers_not_replaced": "Leavers not replaced (freezes)",
    HIRES_AVOIDED_BY_AI: "Hires avoided by AI",
    NEW_ROLES: "New AI roles",
}
#: the same, short enough for a chart's axis
SHORT_LABELS = {
    "roles_cut": "Roles cut",
    REDEPLOYMENT: "Moved inside",
    "layers_removed": "Layers removed",
    "leavers_not_replaced": "Freezes",
    HIRES_AVOIDED_BY_AI: "AI: fewer hires",
    NEW_ROLES: "New AI roles",
}


@dataclass(frozen=True)
class SavingsBridge:
    """Payroll saved by cause, per month; ``parts`` sum to ``total`` month by month."""

    parts: dict[str, np.ndarray]  # cause -> money saved per month (new roles negative)

    @property
    def total(self) -> np.ndarray:
        return sum(self.parts.values(), np.zeros(self._months))

    @property
    def _months(self) -> int:
        return len(next(iter(self.parts.values())))

    def over_horizon(self) -> dict[str, float]:
        return {name: float(values.sum()) for name, values in self.parts.items()}

    def run_rate_annual(self) -> dict[str, float]:
        months = min(RUN_RATE_MONTHS, self._months)
        return {name: run_rate_annual(values, months) for name, values in self.parts.items()}


def savings_bridge(
    payroll_steps: dict[str, np.ndarray],
    new_roles_payroll: np.ndarray,
    pay: np.ndarray | None = None,
) -> SavingsBridge:
    """Each cause's payroll saving: its step's payroll subtracted from the step before.

    ``payroll_steps`` holds the status quo's payroll, then each step's, in the
    order of :data:`CAUSES`; the last step is the whole plan. A plan without
    redeployment has no redeployment step (it would equal the step before). Each is per month
    (months,) or per unit and month (units, months); per unit, each unit's row
    is grown by its row of ``pay`` (units, months; none: flat) and the units
    summed. ``new_roles_payroll`` is as the cash flows show it.
    """
    order = [STATUS_QUO, *(c for c in CAUSES if c != REDEPLOYMENT or c in payroll_steps)]
    missing = [name for name in order if name not in payroll_steps]
    if missing:
        raise ValueError(f"payroll steps missing: {', '.join(missing)}")
    totals = {name: _at_pay(payroll_steps[name], pay) for name in order}
    parts = {cause: totals[before] - totals[cause] for before, cause in pairwise(order)}
    parts[NEW_ROLES] = -np.asarray(new_roles_payroll, dtype=float)
    return SavingsBridge(parts)


def _at_pay(payroll: np.ndarray, pay: np.ndarray | None) -> np.ndarray:
    """Whole-organisation payroll per month: each unit's at its own pay, then summed."""
    payroll = np.asarray(payroll, dtype=float)
    if payroll.ndim == 1:
        return payroll
    grown = payroll if pay is None else payroll * pay
    return grown.sum(axis=0)
