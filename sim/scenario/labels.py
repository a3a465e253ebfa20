"""Human labels for a scenario's numbers: what tables and charts show instead of field paths.

``restructuring.severance.average_tenure_years`` is for the machine; a reader
sees "Severance: tenure of people cut (years)". A label names the thing, the
list item it belongs to (a unit, a layer, a programme, a wave) and the unit of
the number; :func:`label` builds it from the path and the scenario, so it stays
true when a file renames its units or programmes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sim.scenario.fieldpaths import FieldPath, parse_path, path_text
from sim.scenario.months import ABBREVIATIONS
from sim.scenario.schema import Scenario

#: generic field path (list indices as []) -> (label, unit of the number)
LABELS: dict[str, tuple[str, str]] = {
    "meta.discount_rate_annual": ("Discount rate", "a year"),
    "org.attrition_annual": ("Attrition", "a year"),
    "org.backfill.share": ("Leavers replaced (status quo)", "share"),
    "org.backfill.lag_weeks": ("Hiring lag", "weeks"),
    "org.backfill.cost_per_hire": ("Cost per hire", "money"),
    "org.pay_growth_annual": ("Pay growth", "a year"),
    "org.units[].pay_growth_annual": ("Pay growth", "a year"),
    "org.staffing.target_utilisation": ("Target IC utilisation", "share"),
    "org.staffing.realisation_share": ("AI capacity turned into fewer hires", "share"),
    "org.staffing.recognition_lag_months": ("Months before planners see AI", "months"),
    "org.staffing.span_creep_annual": ("Manager creep", "share a year"),
    "org.units[].attrition_annual": ("Attrition", "a year"),
    "org.units[].layers[].headcount": ("Headcount", "people"),
    "org.units[].layers[].cost_per_head_annual": ("Cost per head", "money a year"),
    "org.units[].layers[].review_share": ("Time on reviews", "share"),
    "org.units[].layers[].attrition_annual": ("Attrition", "a year"),
    "org.units[].roles[].share": ("Share of the ICs", "share"),
    "org.units[].roles[].work_share": ("Share of the IC work", "share"),
    "org.units[].roles[].cost_per_head_annual": ("Cost per head", "money a year"),
    "org.units[].roles[].attrition_annual": ("Attrition", "a year"),
    "org.units[].roles[].exposure": ("AI exposure", "ratio"),
    "org.units[].roles[].driver.per_program": ("Growth", "people per AI programme"),
    "org.units[].roles[].driver.per_1000_seats": ("Growth", "people per 1,000 AI seats"),
    "org.units[].roles[].driver.per_1000_automated_items_per_week": (
        "Growth",
        "people per 1,000 automated items a week",
    ),
    "org.units[].pyramid.headcount": ("Headcount", "people"),
    "org.units[].pyramid.span": ("Span of control", "reports"),
    "org.units[].pyramid.ic_cost_per_head_annual": ("IC cost per head", "money a year"),
    "org.units[].pyramid.cost_multiplier_per_layer": ("Cost step per layer", "ratio"),
    "org.units[].pyramid.review_share": ("Time on reviews", "share"),
    "org.units[].staffing.target_utilisation": ("Target IC utilisation", "share"),
    "org.units[].staffing.realisation_share": ("AI capacity turned into fewer hires", "share"),
    "org.units[].staffing.recognition_lag_months": ("Months before planners see AI", "months"),
    "org.units[].staffing.span_creep_annual": ("Manager creep", "share a year"),
    "work[].arrivals_per_ic_per_week": ("Work items per IC", "a week"),
    "work[].demand_growth_annual": ("Demand growth", "a year"),
    "work[].seasonality[]": ("Seasonality", "factor"),
    "work[].ic_hours_per_week": ("IC hours on work items", "a week"),
    "work[].manager_hours_per_week": ("Manager hours", "a week"),
    "work[].signoff_shares[]": ("Items needing sign-off", "share"),
    "restructuring.notice_weeks": ("Notice period", "weeks"),
    "restructuring.backfill_share": ("Leavers replaced (plan)", "share"),
    "restructuring.pay_protection_months": ("Pay protection after a move down", "months"),
    "restructuring.severance.weeks_of_pay": ("Severance", "weeks of pay"),
    "restructuring.severance.base_weeks": ("Severance base", "weeks of pay"),
    "restructuring.severance.weeks_per_year": ("Severance per year of service", "weeks"),
    "restructuring.severance.average_tenure_years": ("Tenure of people cut", "years"),
    "restructuring.severance.cap_weeks": ("Severance cap", "weeks"),
    "restructuring.survivor_effects.productivity_dip": ("Survivors' productivity dip", "share"),
    "restructuring.survivor_effects.dip_months": ("Survivors' dip lasts", "months"),
    "restructuring.survivor_effects.attrition_multiplier": (
        "Survivors' attrition multiplier",
        "x",
    ),
    "restructuring.survivor_effects.attrition_months": ("Survivors' extra attrition", "months"),
    "restructuring.waves[].notice_weeks": ("Notice period", "weeks"),
    "restructuring.waves[].one_time_costs": ("One-time costs", "money"),
    "restructuring.waves[].cuts[].count": ("Cut", "people"),
    "restructuring.waves[].cuts[].share": ("Cut", "share"),
    "restructuring.waves[].remove_layers[].moved_down_share": ("Moved down a layer", "share"),
    "restructuring.waves[].redeployment.share": ("Notified who redeploy", "share"),
    "restructuring.waves[].redeployment.retraining_cost_per_person": (
        "Retraining per person redeployed",
        "money",
    ),
    "restructuring.waves[].redeployment.ramp_months": ("Redeployed ramp up over", "months"),
    "restructuring.waves[].redeployment.ramp_productivity": (
        "Redeployed productivity while ramping",
        "share",
    ),
    "restructuring.reskilling[].people_per_month": ("People reskilled", "a month"),
    "restructuring.reskilling[].cost_per_person": ("Reskilling cost per person", "money"),
    "restructuring.reskilling[].success_share": ("Reskilled who move", "share"),
    "restructuring.waves[].remove_layers[].pay_protection_months": (
        "Pay protection after a move down",
        "months",
    ),
    "ai.programs[].one_time_cost": ("One-time cost", "money"),
    "ai.programs[].running_cost.per_seat_per_month": ("Cost per seat", "money a month"),
    "ai.programs[].running_cost.fixed_per_month": ("Running cost", "money a month"),
    "ai.programs[].running_cost.price_growth_annual": ("Seat price growth", "a year"),
    "ai.programs[].adoption.ceiling": ("Adoption ceiling", "share"),
    "ai.programs[].adoption.midpoint_months": ("Months to half adoption", "months"),
    "ai.programs[].adoption.steepness": ("Adoption steepness", "a month"),
    "ai.programs[].effects.ic_productivity_uplift": ("IC productivity uplift", "share"),
    "ai.programs[].effects.automation_share": ("Items automated", "share"),
    "ai.programs[].effects.review_time_reduction": ("Review time saved", "share"),
    "ai.programs[].funding.budget_per_month": ("Budget", "money a month"),
    "ai.programs[].funding.reinvest_share": ("Savings reinvested", "share"),
    "ai.funding_pools[].budget_per_month": ("Pool budget", "money a month"),
    "ai.funding_pools[].reinvest_share": ("Savings reinvested from the pool", "share"),
    "ai.new_roles[].count": ("New roles", "people"),
    "ai.new_roles[].cost_per_head_annual": ("New roles' cost per head", "money a year"),
    "ai.new_roles[].ramp_months": ("New roles hired over", "months"),
    "ai.new_roles[].cost_per_hire": ("New roles' cost per hire", "money"),
    "finance.value_per_item": ("Value per work item", "money"),
    "finance.terminal_value.years": ("Terminal value: years after the horizon", "years"),
    "finance.terminal_value.growth_annual": ("Terminal value growth", "a year"),
    "finance.fiscal_year_start_month": ("Fiscal year's first month", "month"),
}


def generic(path: FieldPath) -> str:
    """The path with its list indices blanked,
    ``work[0].seasonality[3]`` -> ``work[].seasonality[]``."""
    return re.sub(r"\[\d+\]", "[]", path_text(path))


def label(scenario: Scenario, path: FieldPath | str, with_unit: bool = True) -> str:
    """A reader's name for one number of the scenario, e.g. "Assistant: IC productivity uplift".

    A number the table does not know gets its field's name in words (never the
    path: a reader sees no dots, brackets or underscores).
    """
    if isinstance(path, str):
        path = parse_path(path)
    name, unit = LABELS.get(generic(path)) or (_words(path), "")
    context = _context(scenario, path)
    text = f"{context}: {name}" if context else name
    if path[-1] == "seasonality" or (len(path) > 1 and path[-2] == "seasonality"):
        text = (
            f"{text} ({ABBREVIATIONS[int(path[-1]) % 12]})" if isinstance(path[-1], int) else text
        )
    if path[-2:-1] == ("signoff_shares",) and isinstance(path[-1], int):
        text = f"{text} up {path[-1] + 1} layer{'s' * (path[-1] > 0)}"
    shown = Unit.of(unit).shown  # '% a year', 'per year', a count's unit; money: nothing
    return f"{text} ({shown})" if with_unit and shown else text


def _words(path: FieldPath) -> str:
    """``meta.horizon_months`` -> 'Horizon months': the last field's name as words."""
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "value")
    return field.replace("_", " ").capitalize()


def unit_of(path: FieldPath | str) -> Unit:
    """The unit of a number as LABELS names it (a plain number if the table does not know it)."""
    if isinstance(path, str):
        path = parse_path(path)
    known = LABELS.get(generic(path))
    return Unit.of(known[1] if known else "")


class Measure(StrEnum):
    """What kind of number an input is, which decides how it is written."""

    MONEY = "money"  # in the currency: '$6.9M'
    PERCENT = "percent"  # a share or a rate a year: '12%'
    COUNT = "count"  # counted in a unit written after it: '12 weeks', '1.6k people'
    NUMBER = "number"  # a plain number: '4.5', a ratio, a factor, a count a week


#: units whose values are written with the unit after them ("12 weeks")
COUNTED = ("people", "weeks", "months", "years", "reports")


@dataclass(frozen=True)
class Unit:
    """The unit of one input's number: its measure, and the words LABELS gives it
    ("money a year", "share", "people"), which files (a study's JSON) store as they are."""

    measure: Measure
    words: str = ""

    @classmethod
    def of(cls, words: str) -> Unit:
        """The one reading of LABELS' unit words."""
        if words == "money" or words.startswith("money "):
            return cls(Measure.MONEY, words)
        if words in ("share", "a year") or words.startswith("share "):
            return cls(Measure.PERCENT, words)
        if words in COUNTED:
            return cls(Measure.COUNT, words)
        return cls(Measure.NUMBER, words)

    def __str__(self) -> str:
        return self.words

    @property
    def shown(self) -> str:
        """How a label shows it: a rate reads '% a year', money a year 'per year', a
        count its unit; a share (a percentage on its own) and money show nothing."""
        if self.measure is Measure.PERCENT:
            return "% a year" if self.words.endswith("a year") else ""
        per = self.words.removeprefix("money").strip()
        return f"per {per.removeprefix('a ')}" if per.startswith("a ") else per


def _context(scenario: Scenario, path: FieldPath) -> str:
    """What list item a path is in: 'Retail / Manager', 'Wave October 2025', 'Assistant'."""
    parts: list[str] = []
    node: Any = scenario
    for i, part in enumerate(path):
        if isinstance(part, int):
            try:
                node = node[part]
            except (IndexError, TypeError):
                break
            parts.extend(_item_name(path[i - 1], node, part))
        else:
            node = getattr(node, part, None)
            if node is None:
                break
    return " / ".join(parts)


def _item_name(field: str | int, item: Any, index: int) -> list[str]:
    if field in ("units", "layers", "roles"):
        return [str(item.name)]
    if field == "reskilling":
        return [str(item.name) or f"{item.from_role} to {item.to_role}"]
    if field in ("programs", "new_roles", "funding_pools"):
        return [str(item.name)]
    if field == "waves":
        return [str(item.name) or f"Wave {index + 1}"]
    if field in ("cuts", "remove_layers"):
        return [f"{item.unit} {item.layer}"]
    if field == "work":
        units = item.units
        return [", ".join(units) if units else "All units"]
    return []


#: the unit of a number the label table does not know
NUMBER = Unit(Measure.NUMBER)
