"""The frame money is valued in: the valuation date, pay growth from it, fiscal years.

The model's start month is a modelling choice (a few quiet months before the
plan help the twin settle), not a date a CFO values a plan at. So money is
valued at the *valuation date* (sim.scenario.timeline says which date and why;
the horizon counts from it too), and months are counted from the month holding
it. Pay grows from the same date: the costs a scenario gives are costs at the
valuation date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.finance.metrics import TerminalValueTerms
from sim.scenario import timeline
from sim.scenario.drawn import DrawnScenario
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Valuation:
    """Where the finance frame stands: a date and its month in the run.

    ``offset`` is the index of the valuation month among the run's months
    (0: the first month); money is valued at the start of that month.
    """

    date: dt.date
    basis: str
    offset: int

    def month_label(self, months: tuple[str, ...], month: float | None) -> str | None:
        """The calendar month (YYYY-MM) of a month counted from the valuation month
        (1 = the valuation month; 0 = by the valuation date); None stays None."""
        if month is None:
            return None
        return months[self.offset + max(int(month), 1) - 1]


def valuation(scenario: Scenario) -> Valuation:
    """The scenario's valuation date, why, and its month in the run."""
    date, basis = timeline.valuation_date(scenario)
    return Valuation(date=date, basis=basis, offset=timeline.lead_in_months(scenario))


def terminal_terms(scenario: DrawnScenario) -> TerminalValueTerms | None:
    """The scenario's terminal-value terms, or None when it asks for none."""
    terms = scenario.finance.terminal_value
    if terms is None:
        return None
    years = None if terms.years == "perpetuity" else int(terms.years)
    return TerminalValueTerms(years, terms.growth_annual)


# --- fiscal years ---------------------------------------------------------------------


def fiscal_year(month: str, start_month: int) -> str:
    """'FY2026' for a YYYY-MM month: fiscal years are named by the calendar year they
    end in (with ``start_month`` 4, April 2025 to March 2026 is FY2026)."""
    year, number = int(month[:4]), int(month[5:7])
    starts_in = year if number >= start_month else year - 1
    ends_in = starts_in if start_month == 1 else starts_in + 1
    return f"FY{ends_in}"


def fiscal_years(months: tuple[str, ...], start_month: int) -> list[tuple[str, list[int]]]:
    """The run's fiscal years in order, each with the indices of its months."""
    years: dict[str, list[int]] = {}
    for i, month in enumerate(months):
        years.setdefault(fiscal_year(month, start_month), []).append(i)
    return list(years.items())
