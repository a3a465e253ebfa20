"""Calendar months, the one arithmetic of them: a month is ``YYYY-MM`` in files and
tables, a count of months since year 0 in sums, an index from a scenario's start
month (0 = the start month) in the model.
"""

from __future__ import annotations

import datetime as dt

MONTHS_PER_YEAR = 12
#: the months' short names, January first (fixed, not the locale's: outputs are the same
#: on every machine)
ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_number(year: int, month: int) -> int:
    """Months since January of year 0: consecutive months differ by one."""
    return year * MONTHS_PER_YEAR + month - 1


def of_date(date: dt.date) -> int:
    """The month number of a date's month."""
    return month_number(date.year, date.month)


def parse(label: str) -> int:
    """'2026-03' -> its month number."""
    year, month = label.split("-")
    return month_number(int(year), int(month))


def label(number: int) -> str:
    """A month number -> 'YYYY-MM'."""
    return f"{number // MONTHS_PER_YEAR:04d}-{number % MONTHS_PER_YEAR + 1:02d}"


def year_and_month(label_text: str) -> tuple[int, int]:
    """'2026-03' -> (2026, 3)."""
    number = parse(label_text)
    return number // MONTHS_PER_YEAR, number % MONTHS_PER_YEAR + 1


def index_from(start: dt.date, date: dt.date) -> int:
    """Months from ``start``'s month to ``date``'s month (0 = the same month)."""
    return of_date(date) - of_date(start)


def label_from(start: dt.date, index: int) -> str:
    """'YYYY-MM' of the month ``index`` months after ``start``'s month."""
    return label(of_date(start) + index)
