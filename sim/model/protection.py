"""Pay protection: people who keep a higher cost than the layer (or role) they are in.

Two kinds of people keep their old pay for a while: managers moved down a layer when
theirs was removed (until the wave's ``pay_protection_months`` end), and the people a
wave cut who were redeployed into an internal role (while they stay). Each group is
paid its uplift (old cost minus the column's) by the day, and leaves with its
column's leavers and cuts, in proportion.

Every group of every unit of a batch of workforce runs (sim.model.workforce) is a row
of one table, so a week's leaving and pay are a few NumPy operations for the whole
batch, not a loop over the groups of each unit. A group's figures are the ones it
would have alone: each is scaled and paid elementwise, and the pay is added to its
unit's money in the order the groups were made (``np.add.at`` adds repeated indices
one after the other), so a unit's money is the same, to the bit, whatever it is
batched with.
"""

from __future__ import annotations

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK, Calendar


class ProtectionTable:
    """The protected groups of a batch's rows: where they are, their uplift and how many
    are left. Columns are the batch's (a unit's columns are right-aligned in it)."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._new: list[tuple[int, int, float, float, float, float]] = []
        self.row = np.zeros(0, dtype=np.int64)
        self.column = np.zeros(0, dtype=np.int64)
        self.uplift_annual = np.zeros(0)  # old cost minus the column's, per head
        self.end_day = np.zeros(0)  # paid up to this day (inf: while they stay)
        self.heads = np.zeros(0)  # still in the column: falls with its leavers and cuts
        self.from_day = np.zeros(0)  # paid from this day

    def add(
        self,
        row: int,
        column: int,
        uplift_annual: float,
        end_day: float,
        heads: float,
        from_day: float = 0.0,
    ) -> None:
        """A group that keeps ``uplift_annual`` over its column's cost until ``end_day``."""
        self._new.append((row, column, uplift_annual, end_day, heads, from_day))

    def __bool__(self) -> bool:
        return bool(self._new) or self.heads.size > 0

    def _gather(self) -> None:
        """The groups added since the last look, appended to the table's arrays."""
        if not self._new:
            return
        rows, columns, uplifts, ends, heads, froms = zip(*self._new, strict=True)
        self._new = []
        self.row = np.append(self.row, np.array(rows, dtype=np.int64))
        self.column = np.append(self.column, np.array(columns, dtype=np.int64))
        self.uplift_annual = np.append(self.uplift_annual, uplifts)
        self.end_day = np.append(self.end_day, ends)
        self.heads = np.append(self.heads, heads)
        self.from_day = np.append(self.from_day, froms)

    def scale(self, row: int, column: int, kept: float) -> None:
        """A cut leaves ``kept`` of a column: its protected groups keep the same share."""
        self._gather()
        there = (self.row == row) & (self.column == column)
        self.heads[there] *= kept

    def leave_and_pay(
        self, week: int, count: np.ndarray, leavers: np.ndarray, pay_adjustment: np.ndarray
    ) -> None:
        """The protected leave in proportion to their column's leavers this week
        (``count`` before the leavers are counted off: rows, columns), then are paid their
        uplift for the week into ``pay_adjustment`` (rows, months, columns)."""
        self._gather()
        if not self.heads.size:
            return
        people = count[self.row, self.column]
        kept = np.zeros(people.shape)
        np.divide(people - leavers[self.row, self.column], people, out=kept, where=people > 0)
        self.heads *= kept
        first = week * DAYS_PER_WEEK
        lo = np.maximum(first, self.from_day)
        paid = np.flatnonzero((self.heads > 0) & (lo < self.end_day))
        if not paid.size:
            return
        lo, hi = lo[paid], np.minimum(first + DAYS_PER_WEEK, self.end_day[paid])
        # a week's pay falls in the months its days do (one or two): the rest is zero
        whole_week = self.calendar.pay_between(first, first + DAYS_PER_WEEK)
        months = np.flatnonzero(whole_week)
        if not months.size:
            return
        pay = np.tile(whole_week[months], (paid.size, 1))  # (groups, months of the week)
        part = np.flatnonzero((lo != first) | (hi != first + DAYS_PER_WEEK))
        if part.size:  # paid for part of the week: from a later day, or to an earlier one
            pay[part] = self.calendar.pay_between(lo[part], hi[part])[:, months]
        money = (self.heads[paid] * self.uplift_annual[paid])[:, None] * pay
        at = (self.row[paid, None], months[None, :], self.column[paid, None])
        np.add.at(pay_adjustment, at, money)
