"""Simulated time: the clock runs in weeks, results are reported per calendar month.

Days are counted from the first day of the scenario's start month (day 0), weeks
too: week ``w`` covers days ``[7w, 7w + 7)``. Month ``m`` is the calendar month
``m`` months after the start month, with its real number of days.

* **Events** a week's step makes (hires joining, leavers leaving) are dated the
  week's first day, so they belong to the month holding it; an event with a
  date of its own (a wave, a severance payment) belongs to its date's month.
* **States** (headcount) hold for the whole week after its events.
* **Money that accrues by the day** (pay) accrues each day at the annual cost
  over the days of that day's year (Actual/Actual): a calendar year of one head
  costs exactly its annual cost, a 31-day month more than a 28-day one, and a
  week straddling two months is split between them by its days.

The weekly simulation steps are kept (hazards, hiring lags and the work flow's
weekly driver are all per week); only what is reported per month is re-cut by
days. The calendar's month arithmetic is :mod:`sim.scenario.months`.
"""

from __future__ import annotations

import bisect
import calendar as stdlib_calendar
import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sim.scenario import months
from sim.scenario.months import MONTHS_PER_YEAR

DAYS_PER_WEEK = 7.0
DAYS_PER_YEAR = 365.25  # the mean year: the engine's year for rates (attrition, growth)
WEEKS_PER_YEAR = DAYS_PER_YEAR / DAYS_PER_WEEK
WEEKS_PER_MONTH = WEEKS_PER_YEAR / MONTHS_PER_YEAR  # a mean month: for durations in months
#: days past the horizon over which pay is accrued day by day (later: at the mean year)
_PAY_MARGIN_DAYS = 3 * 366
#: stretches of days whose monthly pay a calendar remembers (the runs of a batch ask for
#: the same few again and again: this week's, a notice's rest); past it, it starts again
_MEMO_SIZE = 4096

__all__ = [
    "DAYS_PER_WEEK",
    "DAYS_PER_YEAR",
    "MONTHS_PER_YEAR",
    "WEEKS_PER_MONTH",
    "WEEKS_PER_YEAR",
    "AccrualPiece",
    "Calendar",
    "add_months",
]


def add_months(date: dt.date, count: float) -> dt.date:
    """``date`` plus ``count`` calendar months (the day clipped to the month's length);
    a fraction of a month is that share of the next month's days."""
    whole = math.floor(count)
    number = months.of_date(date) + whole
    year, month = divmod(number, MONTHS_PER_YEAR)
    length = stdlib_calendar.monthrange(year, month + 1)[1]
    moved = dt.date(year, month + 1, min(date.day, length))
    return moved + dt.timedelta(days=round((count - whole) * length))


@dataclass(frozen=True)
class AccrualPiece:
    """Part of a stretch of days that accrues pay at one daily rate, within one month.

    Days are counted from the calendar's start (fractions of a day accrue pro
    rata); the piece is ``[first_day, end_day)``, inside its rate's period
    ``[period_start, period_end)``: the month, or its part before or after the
    end of the day-by-day accrual table (after it: the mean year).
    """

    month: int  # month index from the start (``months`` or more: after the horizon)
    period_start: int
    period_end: int
    first_day: float
    end_day: float
    year_days: float  # a day accrues 1 / year_days of the annual cost

    @property
    def days(self) -> float:
        return self.end_day - self.first_day


@dataclass(frozen=True)
class Calendar:
    """The days, weeks and calendar months of a scenario's horizon."""

    start: dt.date  # the first day of the start month
    months: int

    # -- days and months ---------------------------------------------------------

    @cached_property
    def month_start_days(self) -> np.ndarray:
        """Day of each month's first day, and of the day after the horizon: (months + 1,)."""
        first = months.of_date(self.start)
        return np.array([(_first_day(first + m) - self.start).days for m in range(self.months + 1)])

    @property
    def horizon_days(self) -> int:
        return int(self.month_start_days[-1])

    @cached_property
    def days_in_month(self) -> np.ndarray:
        return np.diff(self.month_start_days).astype(float)

    def day_of(self, date: dt.date) -> int:
        """Days from the start to ``date`` (0 = the first day of the start month)."""
        return (date - self.start).days

    def month_of_day(self, day: float) -> int:
        """The month index holding a day (``months`` or more: after the horizon)."""
        return bisect.bisect_right(self._month_starts, day) - 1

    @cached_property
    def _month_starts(self) -> list[int]:
        return [int(day) for day in self.month_start_days]

    @cached_property
    def _memo(self) -> dict[tuple[str, float, float], np.ndarray]:
        """Monthly pay and days of stretches already asked for, read-only."""
        return {}

    def _remembered(self, kind: str, first_day: float, end_day: float) -> np.ndarray | None:
        return self._memo.get((kind, first_day, end_day))

    def _remember(self, kind: str, first_day: float, end_day: float, value: np.ndarray) -> None:
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        value.flags.writeable = False
        self._memo[kind, first_day, end_day] = value

    # -- weeks -------------------------------------------------------------------

    @property
    def weeks(self) -> int:
        """Weeks simulated: every day of the horizon, and a week beyond it, so that
        a wave dated in the horizon's last days still takes effect."""
        return math.ceil(self.horizon_days / DAYS_PER_WEEK) + 1

    @property
    def horizon_weeks(self) -> float:
        return self.horizon_days / DAYS_PER_WEEK

    @cached_property
    def month_of_week(self) -> np.ndarray:
        """The month holding each week's first day (weeks past the horizon: the last)."""
        first_days = np.arange(self.weeks) * DAYS_PER_WEEK
        month = np.searchsorted(self.month_start_days, first_days, side="right") - 1
        return np.minimum(month, self.months - 1).astype(int)

    @cached_property
    def month_end_weeks(self) -> np.ndarray:
        """The week holding each month's last day: where a month's closing state is read."""
        return ((self.month_start_days[1:] - 1) // DAYS_PER_WEEK).astype(int)

    @cached_property
    def month_ends_in_weeks(self) -> np.ndarray:
        """Each month's end on the weekly clock (the work flow's month-end records)."""
        return self.month_start_days[1:] / DAYS_PER_WEEK

    @cached_property
    def weeks_in_month(self) -> np.ndarray:
        return self.days_in_month / DAYS_PER_WEEK

    def week_of(self, date: dt.date) -> int:
        """The week a date falls in (0 = the first week)."""
        return int(self.day_of(date) // DAYS_PER_WEEK)

    def week_from(self, date: dt.date) -> int:
        """The first week starting on or after a date: when a dated event takes effect
        in the weekly steps (its money and its reporting keep the date itself)."""
        return math.ceil(self.day_of(date) / DAYS_PER_WEEK)

    def weeks_of(self, months: float) -> float:
        """A duration in (mean) months on the weekly clock."""
        return months * WEEKS_PER_MONTH

    def month_of(self, date: dt.date) -> int:
        """The month index a date falls in (0 = the start month)."""
        return months.index_from(self.start, date)

    # -- pay by the day ------------------------------------------------------------

    @cached_property
    def _accrued(self) -> np.ndarray:
        """Annual-cost fraction accrued from day 0 to the start of each day (Actual/Actual)."""
        days = self.horizon_days + _PAY_MARGIN_DAYS
        dates = [self.start + dt.timedelta(days=d) for d in range(days)]
        rates = np.array([1.0 / (366 if stdlib_calendar.isleap(d.year) else 365) for d in dates])
        return np.concatenate([[0.0], np.cumsum(rates)])

    @cached_property
    def _accrual_days(self) -> np.ndarray:
        """The days the accrual table is given at: 0, 1, 2, ..."""
        return np.arange(self._accrued.size)

    def accrued(self, day: np.ndarray | float) -> np.ndarray:
        """Annual-cost fraction one head accrues from day 0 to ``day`` (fractions of a day
        accrue pro rata)."""
        table = self._accrued
        last = table.size - 1
        day = np.asarray(day, dtype=float)
        inside = np.interp(np.minimum(day, last), self._accrual_days, table)
        return inside + np.maximum(day - last, 0.0) / DAYS_PER_YEAR

    def pay_between(self, first_day: np.ndarray | float, end_day: np.ndarray | float) -> np.ndarray:
        """(months,) annual-cost fraction one head accrues in each month over
        ``[first_day, end_day)``, the part inside the horizon; negative when ``end_day``
        comes first (a correction). Days given as arrays (stretches,): (stretches, months),
        each row what its stretch alone gives."""
        scalar = isinstance(first_day, float | int) and isinstance(end_day, float | int)
        if scalar:
            known = self._remembered("pay", first_day, end_day)  # type: ignore[arg-type]
            if known is not None:
                return known
        first = np.asarray(first_day, dtype=float)[..., None]
        end = np.asarray(end_day, dtype=float)[..., None]
        sign = np.where(end < first, -1.0, 1.0)
        bounds = self.month_start_days
        starts, ends = bounds[:-1], bounds[1:]
        # np.clip, without its wrappers: a stretch's days held to each month
        lo = np.minimum(np.maximum(np.minimum(first, end), starts), ends)
        hi = np.minimum(np.maximum(np.maximum(first, end), starts), ends)
        pay = sign * (self.accrued(hi) - self.accrued(lo))
        if scalar:
            self._remember("pay", first_day, end_day, pay)  # type: ignore[arg-type]
        return pay

    def pay_after_horizon(self, first_day: float, end_day: float) -> float:
        """Annual-cost fraction accrued in ``[first_day, end_day)`` after the horizon."""
        lo = max(first_day, self.horizon_days)
        return float(self.accrued(end_day) - self.accrued(lo)) if end_day > lo else 0.0

    def accrual_pieces(self, first_day: float, end_day: float) -> list[AccrualPiece]:
        """``[first_day, end_day)`` cut where pay's daily rate may change: at month starts
        (a month lies in one year) and where the day-by-day table ends. A head accrues
        ``sum(piece.days / piece.year_days)`` of its annual cost over the stretch, as
        :meth:`accrued` counts it; the spreadsheet shows each piece."""
        table_end = self._accrued.size - 1
        first_month = months.of_date(self.start)
        pieces = []
        day = first_day
        while day < end_day:
            month = months.of_date(self.start + dt.timedelta(days=math.floor(day))) - first_month
            opens = _first_day(first_month + month)
            lo = (opens - self.start).days
            hi = (_first_day(first_month + month + 1) - self.start).days
            if day < table_end:
                hi = min(hi, table_end)
                year_days = 366.0 if stdlib_calendar.isleap(opens.year) else 365.0
            else:
                lo = max(lo, table_end)
                year_days = DAYS_PER_YEAR
            stop = min(end_day, hi)
            pieces.append(AccrualPiece(month, lo, hi, day, stop, year_days))
            day = stop
        return pieces

    def days_between(self, first_day: float, end_day: float) -> np.ndarray:
        """(months,) days of ``[first_day, end_day)`` in each month of the horizon."""
        known = self._remembered("days", first_day, end_day)
        if known is not None:
            return known
        bounds = self.month_start_days
        lo = np.clip(first_day, bounds[:-1], bounds[1:])
        hi = np.clip(end_day, bounds[:-1], bounds[1:])
        days = np.maximum(hi - lo, 0.0)
        self._remember("days", first_day, end_day, days)
        return days

    @cached_property
    def week_pay(self) -> np.ndarray:
        """(months, weeks): annual-cost fraction one head accrues in month m during week w."""
        weeks = np.arange(self.weeks) * DAYS_PER_WEEK
        bounds = self.month_start_days
        lo = np.clip(weeks[None, :], bounds[:-1, None], bounds[1:, None])
        hi = np.clip(weeks[None, :] + DAYS_PER_WEEK, bounds[:-1, None], bounds[1:, None])
        return self.accrued(hi) - self.accrued(lo)

    @cached_property
    def week_days(self) -> np.ndarray:
        """(months, weeks): days of week w that fall in month m."""
        weeks = np.arange(self.weeks) * DAYS_PER_WEEK
        bounds = self.month_start_days
        lo = np.clip(weeks[None, :], bounds[:-1, None], bounds[1:, None])
        hi = np.clip(weeks[None, :] + DAYS_PER_WEEK, bounds[:-1, None], bounds[1:, None])
        return hi - lo

    @cached_property
    def month_pay(self) -> np.ndarray:
        """(months,) annual-cost fraction one head accrues in each whole month."""
        return np.diff(self.accrued(self.month_start_days.astype(float)))

    # -- weekly series to monthly ----------------------------------------------------

    def monthly_pay(self, weekly_heads: np.ndarray) -> np.ndarray:
        """Money per month of heads x annual cost held week by week (first axis weeks)."""
        return np.tensordot(self.week_pay, weekly_heads, axes=(1, 0))

    def monthly_mean(self, weekly: np.ndarray) -> np.ndarray:
        """Mean over the days of each month of a weekly state, along the first axis."""
        sums = np.tensordot(self.week_days, weekly, axes=(1, 0))
        return sums / self.days_in_month.reshape((-1,) + (1,) * (weekly.ndim - 1))

    def monthly_sum(self, weekly: np.ndarray) -> np.ndarray:
        """Sum of weekly events over the weeks starting in each month (first axis);
        weeks starting after the horizon are left out."""
        inside = np.arange(self.weeks) * DAYS_PER_WEEK < self.horizon_days
        out = np.zeros((self.months, *weekly.shape[1:]), dtype=float)
        np.add.at(out, self.month_of_week[inside], weekly[inside])
        return out


def _first_day(number: int) -> dt.date:
    year, month = divmod(number, MONTHS_PER_YEAR)
    return dt.date(year, month + 1, 1)
