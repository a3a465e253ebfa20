"""A commented scenario whose organisation is derived from a roster, ready for a
user to add waves and AI programmes (what ``restructure org -o`` writes).

The organisation is headcount and mean fully loaded cost per layer per unit;
everything else is the starter scenario's illustrative defaults, said so in the
comments. No name or id from the roster is written.
"""

from __future__ import annotations

import datetime as dt
import json

from sim.scenario.orgshape import OrgShape, UnitShape


def _text(value: str) -> str:
    """A YAML scalar that stays text whatever it looks like ('2026', 'yes', 'a: b')."""
    return json.dumps(value, ensure_ascii=False)


def _unit_lines(unit: UnitShape, data: dict) -> list[str]:
    span = unit.span_mean
    ragged = f"; {unit.ragged_ics:,} ICs report above the lowest management layer" * bool(
        unit.ragged_ics
    )
    lines = [
        f"    # {unit.headcount:,} people in {len(unit.layers)} layers, "
        f"{span:.1f} direct reports per manager{ragged}"
        if span is not None
        else f"    # {unit.headcount:,} people",
        f"    - name: {_text(unit.name)}",
        "      layers:",
    ]
    for shape, layer in zip(unit.layers, data["layers"], strict=True):
        note = f"span {shape.span_mean:.1f}" if shape.span_mean is not None else "ICs"
        lines.append(
            f"        - {{name: {_text(layer['name'])}, headcount: {layer['headcount']}, "
            f"cost_per_head_annual: {layer['cost_per_head_annual']:.0f}}}  # {note}"
        )
    return lines


def scenario_from_roster(
    shape: OrgShape,
    name: str,
    roster_name: str,
    roster_sha256: str,
    start: dt.date,
    currency: str = "USD",
) -> str:
    """The scenario's YAML text."""
    targets = shape.targets
    units: list[str] = []
    for unit, data in zip(shape.units, shape.scenario_units(), strict=True):
        units.extend(_unit_lines(unit, data))
    unit_names = ", ".join(_text(u.name) for u in shape.units)
    return "\n".join(
        [
            f"# Derived from the roster {roster_name} (sha256 {roster_sha256[:16]}...) by",
            "# `restructure org`: in each unit, a manager's layer is their depth below the",
            "# unit's head (L1), and the last layer is everyone who manages no one. Headcounts",
            "# are counted; costs are each layer's mean fully loaded annual cost. No name or id",
            "# from the roster is in this file. To keep the numbers tied to the roster instead,",
            f"# replace org.units with:  roster: {{path: {_text(roster_name)}}}",
            "#",
            "# Everything outside org.units is an illustrative default: replace it with your own",
            "# and say where it comes from. Then add restructuring waves and AI programmes",
            "# (docs/scenario-format.md; `restructure new` writes a fully commented example).",
            "",
            "meta:",
            f"  name: {_text(name)}",
            f"  description: {_text(f'The organisation in {roster_name}, as it is today.')}",
            f"  start: {start:%Y-%m}            # first simulated month",
            "  horizon_months: 36          # months from the first wave or AI spend on",
            f"  currency: {currency}",
            "  discount_rate_annual: 0.08  # illustrative",
            "  seed: 1",
            "  replications: 20",
            "",
            "org:",
            "  attrition_annual: 0.12      # illustrative: corporate staff ~10-15% a year",
            "  backfill: {share: 0.9, lag_weeks: 10, cost_per_hire: 15000}  # illustrative",
            f"  targets: {{span_min: {targets.span_min}, span_max: {targets.span_max}, "
            f"max_layers: {targets.max_layers}}}",
            "  units:",
            *units,
            "",
            "work:                          # illustrative: how work arrives and flows",
            f"  - units: [{unit_names}]",
            "    arrivals_per_ic_per_week: 3.0",
            "    effort_hours: lognormal(8, 5)       # IC hours per item, drawn per item",
            "    signoff_shares: [0.5, 0.2, 0.05]    # items needing sign-off 1, 2, 3 layers up",
            "    review_hours: exponential(0.5)",
            "    handoff_delay_days: exponential(1)",
            "",
            "restructuring:",
            "  waves: []                    # e.g. cuts and remove_layers on a date",
            "",
            "ai:",
            "  programs: []",
            "",
        ]
    )
