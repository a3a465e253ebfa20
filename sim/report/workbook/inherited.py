"""What a field left unset takes its value from, for the Assumptions sheet.

A scenario leaves many fields unset because they inherit: a layer's attrition is its
unit's, a unit's the organisation's; a wave's notice period and severance terms are the
plan's; a role's cost and attrition are its IC layer's; an AI role's cost per hire is the
organisation's backfill cost. The model reads each that way (sim.model.workforce, roles,
ai); the sheet showed such a field blank, as if it were zero or missing. Here is where
each comes from, so the sheet can show the value it inherits, marked as inherited.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sim.scenario.schema import Scenario

#: (a field's path, the path it inherits from) where the parent is fixed by the pattern;
#: a role's parents depend on its unit's layers (see ``parent_of``)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), parent)
    for pattern, parent in (
        (
            r"^org\.units\[(\d+)\]\.layers\[\d+\]\.attrition_annual$",
            r"org.units[\1].attrition_annual",
        ),
        (r"^org\.units\[\d+\]\.attrition_annual$", "org.attrition_annual"),
        (r"^org\.units\[\d+\]\.pay_growth_annual$", "org.pay_growth_annual"),
        (r"^org\.units\[\d+\]\.staffing$", "org.staffing"),
        (r"^org\.units\[(\d+)\]\.roles\[(\d+)\]\.work_share$", r"org.units[\1].roles[\2].share"),
        (r"^restructuring\.waves\[\d+\]\.notice_weeks$", "restructuring.notice_weeks"),
        (r"^restructuring\.waves\[\d+\]\.severance$", "restructuring.severance"),
        (
            r"^restructuring\.waves\[\d+\]\.remove_layers\[\d+\]\.pay_protection_months$",
            "restructuring.pay_protection_months",
        ),
        (r"^ai\.new_roles\[\d+\]\.cost_per_hire$", "org.backfill.cost_per_hire"),
    )
)
#: a role's cost and attrition: its unit's IC layer's (the bottom layer)
_ROLE = re.compile(r"^org\.units\[(\d+)\]\.roles\[\d+\]\.(attrition_annual|cost_per_head_annual)$")
#: a field whose default is a figure of the run, not another field: (path, what it is)
DEFAULTS = {"finance.valuation_date": "the first wave, or the first AI spend"}


def parent_of(scenario: Scenario, field: str, fields: Collection[str]) -> str | None:
    """The field (or group of fields) an unset ``field`` takes its value from; None
    where it inherits nothing (an unset field that means "none")."""
    role = _ROLE.match(field)
    if role is not None:
        u, name = int(role.group(1)), role.group(2)
        ic = len(scenario.org.units[u].resolved_layers) - 1
        layer = f"org.units[{u}].layers[{ic}].{name}"
        if layer in fields:
            return layer
        return f"org.units[{u}].{name}" if name == "attrition_annual" else None
    for pattern, parent in _RULES:
        if pattern.match(field):
            return pattern.sub(parent, field)
    return None
