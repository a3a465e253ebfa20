"""The names of a run's series: the one place that builds a key and reads it back.

A run's series are keyed ``(unit, metric)``. Most metrics are plain names
("payroll", "cycle_time_mean"); a *family* holds one series per item, a layer,
a role, a programme, named ``family:item`` ("headcount_role:Data and AI"). The
status quo's twin of a metric is the same name after ``baseline_``. The names
are what series.csv's columns hold, so they stay as they are; what reads them
asks this module for a family's items instead of splitting strings itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

#: what the status quo's twin of a metric is named after
BASELINE = "baseline_"
#: between a family's name and its item
SEPARATOR = ":"


class Family(StrEnum):
    """Metrics that hold one series per item."""

    LAYER_HEADCOUNT = "headcount"  # a unit's layer, by name
    LEVEL_HEADCOUNT = "headcount_level"  # a level across units, 0 = ICs
    ROLE_HEADCOUNT = "headcount_role"  # an IC role
    ROLE_NEEDED = "ics_needed_role"  # the ICs a role needs
    AI_SEATS = "ai_seats"  # a programme's seats
    AI_ADOPTION = "ai_adoption"  # a programme's adoption
    AI_BUDGET = "ai_budget"  # a programme's budget a month


def baseline(metric: str) -> str:
    """The status quo's twin of a metric: 'payroll' -> 'baseline_payroll'."""
    return BASELINE + metric


def metric(family: Family, item: object, twin: bool = False) -> str:
    """One item's metric: ``metric(Family.AI_SEATS, "Assistant")`` -> 'ai_seats:Assistant';
    with ``twin``, the status quo's."""
    name = f"{family}{SEPARATOR}{item}"
    return baseline(name) if twin else name


def items(metrics: Iterable[str], family: Family, twin: bool = False) -> list[str]:
    """The items of a family among metric names, in their order, each once."""
    start = metric(family, "", twin)
    return list(dict.fromkeys(m.removeprefix(start) for m in metrics if m.startswith(start)))


def item_of(name: str, family: Family, twin: bool = False) -> str | None:
    """The item a metric names in a family; None if it is not of the family."""
    start = metric(family, "", twin)
    return name.removeprefix(start) if name.startswith(start) else None
