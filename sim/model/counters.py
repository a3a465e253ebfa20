"""The model's counters, named: what each column of a unit (a manager layer, or the
ICs or one of their roles) did each week, and the money it booked each month; and what
a unit's work flow counted (:class:`FlowCounts`).

Arrays of one unit are (weeks, columns) and (months, columns); in a batch of units run
in lockstep, the weekly ones are (rows, weeks, width), and a unit's are a view of its
row (:meth:`WeeklyCounts.row`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np


@dataclass
class WeeklyCounts:
    """People by week and column."""

    headcount: np.ndarray  # active staff after the week's events
    hires: np.ndarray  # started this week, hired from outside
    leavers: np.ndarray  # left by attrition
    cut: np.ndarray  # notified by a wave
    moved_in: np.ndarray  # moved down into the column when the layer above went
    hiring_cost: np.ndarray  # money paid this week for the hires
    exists: np.ndarray  # 1 while the layer is part of the organisation
    needed: np.ndarray  # the planners' need (capacity staffing)
    redeployed: np.ndarray  # joined from another's notice (redeployment)
    reskilled: np.ndarray  # moved in by a reskilling programme

    @classmethod
    def zeros(cls, shape: tuple[int, ...]) -> WeeklyCounts:
        return cls(**{f.name: np.zeros(shape) for f in fields(cls)})

    def row(self, row: int, columns: slice) -> WeeklyCounts:
        """One unit's counts in a batch: views of its row and columns."""
        return WeeklyCounts(
            **{f.name: getattr(self, f.name)[row, :, columns] for f in fields(self)}
        )

    def contiguous(self) -> WeeklyCounts:
        """The same counts in arrays of their own, laid out as one unit's run has them."""
        return WeeklyCounts(
            **{f.name: np.ascontiguousarray(getattr(self, f.name)) for f in fields(self)}
        )


@dataclass
class MonthlyMoney:
    """Money and days by month and column."""

    pay_adjustment: np.ndarray  # working pay the weekly headcount misses or over-counts
    paid_years_adjustment: np.ndarray  # the same in person-years, at the column's own cost
    notice_pay: np.ndarray
    notice_days: np.ndarray  # people x days on notice
    cut: np.ndarray  # people notified, in the month of the wave's date
    moved_in: np.ndarray  # people moved down, likewise
    retraining: np.ndarray  # the redeployed's retraining, where they join
    reskilling: np.ndarray  # the reskilling programmes' cost, in the column trained for

    @classmethod
    def zeros(cls, shape: tuple[int, ...]) -> MonthlyMoney:
        return cls(**{f.name: np.zeros(shape) for f in fields(cls)})

    def row(self, row: int, columns: slice) -> MonthlyMoney:
        """One unit's money in a batch (rows, months, width): views of its row and columns."""
        return MonthlyMoney(
            **{f.name: getattr(self, f.name)[row, :, columns] for f in fields(self)}
        )

    def contiguous(self) -> MonthlyMoney:
        """The same money in arrays of their own, laid out as one unit's run has them."""
        return MonthlyMoney(
            **{f.name: np.ascontiguousarray(getattr(self, f.name)) for f in fields(self)}
        )


@dataclass
class FlowCounts:
    """What one unit's work flow counted, in simulated items (times in weeks).

    Items are counted by when things happened to them, not live: an item's reviews
    are worked out when it reaches a manager (sim.model.station.Desk), so it may be
    known to be done weeks before the clock gets there. The monthly figures follow
    from these times (:func:`~sim.model.flowresult.unit_flow`).
    """

    months: int
    levels: int
    #: when each item entered the flow (arrived; backlog mode: left its IC), in order
    entered: list[float] = field(default_factory=list)
    #: for each item done within the horizon: when, its time in the flow, of it queued
    done_at: list[float] = field(default_factory=list)
    cycle_weeks: list[float] = field(default_factory=list)
    wait_weeks: list[float] = field(default_factory=list)
    #: (months, levels + 1) weeks of work begun in each month: the ICs, then each level
    busy: list[list[float]] = field(init=False)
    waiting: list[int] = field(init=False)  # items queued for an IC at each month end
    visits: int = 0  # requests for an IC or a reviewer: the engine's unit of work
    tracked_items: int = 0  # items of the sampled teams drawn
    background_items: int = 0  # reviews for the teams not simulated
    #: items whose next step (a review, or being done) comes after the horizon
    beyond: int = 0

    def __post_init__(self) -> None:
        self.busy = [[0.0] * (self.levels + 1) for _ in range(self.months)]
        self.waiting = [0] * self.months
