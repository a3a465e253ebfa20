"""When the plan is valued from and how many months a run simulates.

``meta.start`` is a modelling choice: a few quiet months before the plan let
the twin settle. A CFO values a plan from its first action, not from that
date. So the *valuation date* (``finance.valuation_date``; by default the
plan's first action: its first wave or first AI spend, whichever is earlier)
anchors the money, and ``meta.horizon_months`` counts from the valuation
month: the run simulates the lead-in months from the start to it, then the
horizon. Moving the start earlier adds lead-in months and moves neither the
valuation date nor the end, so payback and NPV stay as they were.
"""

from __future__ import annotations

import datetime as dt

from sim.scenario import months
from sim.scenario.schema import Scenario

#: why the valuation date is what it is (summary.json and the tables say it)
GIVEN = "finance.valuation_date"
FIRST_WAVE = "the first wave"
FIRST_AI_SPEND = "the first AI spend"
FIRST_FREEZE = "the first hiring freeze"
BACKFILL_FROM_START = "the start (the plan's backfill share applies from it)"
NO_CHANGE = "the start (the plan changes nothing)"


def valuation_date(scenario: Scenario) -> tuple[dt.date, str]:
    """The scenario's valuation date and why it is that date."""
    given = scenario.finance.valuation_date
    if given is not None:
        return given, GIVEN
    candidates = [(wave.date, FIRST_WAVE) for wave in scenario.restructuring.waves]
    candidates += [(program.start, FIRST_AI_SPEND) for program in scenario.ai.programs]
    candidates += [(role.start, FIRST_AI_SPEND) for role in scenario.ai.new_roles]
    if candidates:
        # a tie goes to the wave: it is listed first and min() keeps the first
        return min(candidates, key=lambda c: c[0])
    freezes = [(f.start, FIRST_FREEZE) for f in scenario.org.hiring_freezes]
    if scenario.restructuring.backfill_share is not None:
        freezes.append((scenario.meta.start, BACKFILL_FROM_START))
    if freezes:
        return min(freezes, key=lambda c: c[0])
    return scenario.meta.start, NO_CHANGE


def lead_in_months(scenario: Scenario) -> int:
    """Months simulated before the valuation month (0: it is the start month).

    A valuation date before the start is a validation error; here it counts as 0
    so that the other checks still see a run of ``horizon_months``."""
    return max(0, scenario.meta.month_index(valuation_date(scenario)[0]))


def run_months(scenario: Scenario) -> int:
    """Months one run simulates: the lead-in, then the horizon from the valuation month."""
    return lead_in_months(scenario) + scenario.meta.horizon_months


def last_month(scenario: Scenario) -> str:
    """'YYYY-MM' of the run's last month."""
    return months.label_from(scenario.meta.start, run_months(scenario) - 1)
