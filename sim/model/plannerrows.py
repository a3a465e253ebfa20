"""The planners of a batch's capacity-staffed units as arrays, one row a planner, so a
week's need of every planned unit is a few NumPy operations (sim.model.staffing's
stacked functions): what each planner's :class:`~sim.model.staffing.Planner` holds,
laid out in the batch's right-aligned columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.staffing import Planner, stacked_ics_need, stacked_targets


@dataclass
class PlannerRows:
    """One row per planned unit of a batch (``rows``: its row in the batch)."""

    rows: np.ndarray  # (planners,) batch rows
    ratio_before: np.ndarray  # (planners, width) managers per need below, before a wave
    ratio_after: np.ndarray  # (planners, width) and after it
    exists: np.ndarray  # (planners, width) bool: the column is part of the organisation
    is_ic: np.ndarray  # (planners, width) bool
    ic_weights: np.ndarray  # (planners, width) each IC column's part of the ICs' need
    offsets: np.ndarray  # (planners, width) the base stock's rounding
    wave_week: np.ndarray  # (planners,) the last wave's week (-1: none)
    creep: np.ndarray  # (planners,) spans' drift back, a year
    realisation: np.ndarray  # (planners,) share of AI's freed capacity planners count
    effort: np.ndarray  # (planners,) effort hours an item
    ic_hours: np.ndarray  # (planners,) IC hours a week
    utilisation: np.ndarray  # (planners,) target utilisation
    demand: np.ndarray  # (planners, depth) expected items a week

    @classmethod
    def empty(cls, rows: np.ndarray, width: int, depth: int) -> PlannerRows:
        n = rows.size
        return cls(
            rows,
            np.zeros((n, width)),
            np.zeros((n, width)),
            np.zeros((n, width), dtype=bool),
            np.zeros((n, width), dtype=bool),
            np.zeros((n, width)),
            np.full((n, width), 0.5),
            np.full(n, -1),
            np.zeros(n),
            np.zeros(n),
            np.ones(n),
            np.ones(n),
            np.ones(n),
            np.zeros((n, depth)),
        )

    def set(self, k: int, planner: Planner, first: int) -> None:
        """Row ``k`` from its planner, whose columns start at ``first`` (again after a
        wave moves its targets)."""
        width = self.exists.shape[1]
        columns = slice(first, width)
        self.ratio_before[k, columns] = planner.ratio_before
        self.ratio_after[k, columns] = planner.ratio_after
        self.exists[k] = False
        self.exists[k, columns] = planner.exists
        self.is_ic[k, first + planner.managers :] = True
        self.ic_weights[k, first + planner.managers :] = planner.ic_weights
        self.offsets[k, columns] = planner.offsets
        self.wave_week[k] = -1 if planner.wave_week is None else planner.wave_week
        self.creep[k], self.realisation[k] = planner.creep, planner.realisation
        work = planner.work
        self.effort[k], self.ic_hours[k] = work.effort_hours, work.ic_hours_per_week
        self.utilisation[k] = work.target_utilisation
        self.demand[k, : work.demand_per_week.size] = work.demand_per_week

    def need(
        self, week: int, lag: np.ndarray, recognised: np.ndarray, driven: np.ndarray | None
    ) -> np.ndarray:
        """(planners, width) the people each planner staffs for, a lag ahead: the ICs the
        expected work needs at the AI factor they see (and the drivers' people), the
        managers at their target ratios."""
        since = np.where(self.wave_week >= 0, week + lag - self.wave_week, -1)
        ics = stacked_ics_need(
            self.demand[np.arange(self.rows.size), week + lag][:, None],
            self.effort[:, None],
            self.ic_hours[:, None],
            self.utilisation[:, None],
            self.realisation[:, None],
            recognised,
            self.ic_weights,
        )
        if driven is not None:
            ics = ics + driven
        return stacked_targets(
            self.ratio_before,
            self.ratio_after,
            since,
            self.creep,
            self.exists,
            self.is_ic,
            ics,
        )
