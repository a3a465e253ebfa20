"""Roles: the job families among a unit's ICs, laid out as groups beside its layers.

The workforce keeps a unit's people in *columns*: one per management layer, top
to bottom, then the ICs, as one column or, where the unit has roles, one column
per role. A role column is a layer column in every respect (its own count,
cost per head, attrition, random stream, hires in flight and planners' need),
so whatever runs per layer runs per role unchanged; the layer arrays the rest
of the model reads sum the role columns back into the IC layer. A unit without
roles is one IC column, exactly as before roles existed.

A role's AI exposure scales the programmes' IC effects (uplift, automation)
on its work: given, or from its SOC code's AI applicability score
(``exposure: soc``) as ``min(score / reference_score, max_exposure)``
(``ai.soc_exposure``). Applicability is not replacement (Tomlinson et al. 2025):
the score only says how far the programmes' effects reach the role's work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario.drawn import DrawnRole, DrawnScenario, DrawnUnit
from sim.scenario.occupations import occupation


@dataclass(frozen=True)
class RoleGroups:
    """A unit's IC columns: one per role (or one, unnamed, for a unit without roles)."""

    names: tuple[str, ...]  # () for a unit without roles
    counts: np.ndarray  # (roles,) ICs at the start: the layer's, split by share
    work_shares: np.ndarray  # (roles,) share of the unit's IC effort hours, sums to 1
    exposures: np.ndarray  # (roles,) multiplier on the programmes' IC effects
    #: (roles,) people needed per AI programme running in the unit, per 1,000 seats, and
    #: per 1,000 items a week that automation handles
    per_program: np.ndarray | None = None
    per_1000_seats: np.ndarray | None = None
    per_1000_automated: np.ndarray | None = None

    def driven(self, programs: float, seats: float, automated_items: float) -> np.ndarray:
        """People the roles' drivers ask for, on top of their work (zeros: none), for
        ``programs`` running, ``seats`` and ``automated_items`` a week."""
        if self.per_program is None or self.per_1000_seats is None:
            return np.zeros(self.size)
        driven = self.per_program * programs + self.per_1000_seats * seats / 1000
        if self.per_1000_automated is not None:
            driven = driven + self.per_1000_automated * automated_items / 1000
        return driven

    @property
    def automation_driven(self) -> bool:
        return self.per_1000_automated is not None

    @property
    def size(self) -> int:
        return self.counts.size

    def unit_factor(self, factors: np.ndarray) -> float:
        """The unit's IC workload factor from its roles': weighted by their work."""
        if not self.names:
            return float(factors[0])
        return float(self.work_shares @ factors)


def split_by_share(total: int, shares: np.ndarray) -> np.ndarray:
    """Whole people per share of ``total`` (largest remainder: the parts add up exactly)."""
    exact = total * shares
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    if short > 0:
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def role_groups(scenario: DrawnScenario, unit: DrawnUnit) -> RoleGroups:
    """A unit's IC columns and what sets each apart."""
    ics = round(unit.resolved_layers[-1].headcount)
    if unit.roles is None:
        return RoleGroups((), np.array([ics], dtype=np.int64), np.ones(1), np.ones(1))
    shares = np.array([float(r.share) for r in unit.roles])
    work = np.array(
        [float(r.work_share if r.work_share is not None else r.share) for r in unit.roles]
    )
    exposures = np.array([exposure(scenario, r) for r in unit.roles])
    drivers = [r.driver for r in unit.roles]
    per_program = per_seats = per_automated = None
    if any(d is not None for d in drivers):
        per_program = np.array([d.per_program if d else 0.0 for d in drivers])
        per_seats = np.array([d.per_1000_seats if d else 0.0 for d in drivers])
        automated = [d.per_1000_automated_items_per_week if d else 0.0 for d in drivers]
        per_automated = np.array(automated) if any(automated) else None
    return RoleGroups(
        tuple(r.name for r in unit.roles),
        split_by_share(ics, shares),
        work,
        exposures,
        per_program,
        per_seats,
        per_automated,
    )


def exposure(scenario: DrawnScenario, role: DrawnRole) -> float:
    """How far the programmes' IC effects reach a role: given, or from its SOC score."""
    if role.exposure != "soc":
        return role.exposure
    mapping = scenario.ai.soc_exposure
    scored = occupation(role.soc or "")
    score = scored.applicability if scored is not None else 0.0  # validation: known codes
    return min(score / float(mapping.reference_score), float(mapping.max_exposure))


def role_costs(unit: DrawnUnit) -> list[float]:
    """Cost per head of each IC column: the role's, else the IC layer's."""
    ic_cost = unit.resolved_layers[-1].cost_per_head_annual
    if unit.roles is None:
        return [ic_cost]
    return [
        r.cost_per_head_annual if r.cost_per_head_annual is not None else ic_cost
        for r in unit.roles
    ]


def role_attrition(unit: DrawnUnit, ic_default: float) -> list[float]:
    """Annual attrition of each IC column: the role's, else the IC layer's."""
    if unit.roles is None:
        return [ic_default]
    return [
        r.attrition_annual if r.attrition_annual is not None else ic_default for r in unit.roles
    ]


def columns(unit: DrawnUnit) -> int:
    """Columns a unit's people are kept in: its manager layers, then its IC groups."""
    return len(unit.resolved_layers) - 1 + (len(unit.roles) if unit.roles else 1)
