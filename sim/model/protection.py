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
        self.size = 0
        self._capacity = 0
        self.row = np.zeros(0, dtype=np.int64)
        self.column = np.zeros(0, dtype=np.int64)
        self.uplift_annual = np.zeros(0)  # old cost minus the column's, per head
        self.end_day = np.zeros(0)  # paid up to this day (inf: while they stay)
        self.heads = np.zeros(0)  # still in the column: falls with its leavers and cuts
        self.from_day = np.zeros(0)  # paid from this day
        self._groups: dict[tuple[int, int], list[int]] = {}  # (row, column): the groups there

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
        if self.size == self._capacity:
            self._grow(max(64, 2 * self._capacity))
        k = self.size
        self.row[k], self.column[k] = row, column
        self.uplift_annual[k], self.end_day[k] = uplift_annual, end_day
        self.heads[k], self.from_day[k] = heads, from_day
        self._groups.setdefault((row, column), []).append(k)
        self.size += 1

    def _grow(self, capacity: int) -> None:
        for name in ("row", "column", "uplift_annual", "end_day", "heads", "from_day"):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)
        self._capacity = capacity

    def __bool__(self) -> bool:
        return self.size > 0

    def scale(self, row: int, column: int, kept: float) -> None:
        """A cut leaves ``kept`` of a column: its protected groups keep the same share."""
        there = self._groups.get((row, column))
        if there:
            self.heads[there] *= kept

    def leave_and_pay(
        self, week: int, count: np.ndarray, leavers: np.ndarray, pay_adjustment: np.ndarray
    ) -> None:
        """The protected leave in proportion to their column's leavers this week
        (``count`` before the leavers are counted off: rows, columns), then are paid their
        uplift for the week into ``pay_adjustment`` (rows, months, columns)."""
        size = self.size
        if not size:
            return
        row, column, heads = self.row[:size], self.column[:size], self.heads[:size]
        people = count[row, column]
        kept = np.zeros(people.shape)
        np.divide(people - leavers[row, column], people, out=kept, where=people > 0)
        heads *= kept
        first = week * DAYS_PER_WEEK
        lo = np.maximum(first, self.from_day[:size])
        paid = np.flatnonzero((heads > 0) & (lo < self.end_day[:size]))
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
        money = (heads[paid] * self.uplift_annual[paid])[:, None] * pay
        at = (row[paid, None], months[None, :], column[paid, None])
        np.add.at(pay_adjustment, at, money)
