"""A commented scenario whose organisation is derived from a roster, ready for a
user to add waves and AI programmes (what ``restructure org -o`` writes).

The organisation is headcount and mean fully loaded cost per layer per unit;
everything else is the starter scenario's illustrative defaults, said so in the
comments. No name or id from the roster is written.

The text is written by the YAML library, never by formatting strings: the
numbers and comments are laid out first, with every name left empty, then the
names (units, layers, roles, the scenario's) are set as data and the whole is dumped,
so no name or file name can add a line to the file (a roster named
``x.csv\\nfinance: ...`` once wrote a finance section into it).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sim.scenario import yamlfile
from sim.scenario.names import printable
from sim.scenario.orgshape import OrgShape, UnitShape

#: what stands for a name in the laid-out text until the name is set as data
_EMPTY = '""'


def _text(value: str) -> DoubleQuotedScalarString:
    """A name as a quoted YAML scalar: text whatever it looks like ('2026', 'yes', 'a: b')."""
    return DoubleQuotedScalarString(value)


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
        f"    - name: {_EMPTY}",
        "      layers:",
    ]
    for shape, layer in zip(unit.layers, data["layers"], strict=True):
        note = f"span {shape.span_mean:.1f}" if shape.span_mean is not None else "ICs"
        lines.append(
            f"        - {{name: {_EMPTY}, headcount: {layer['headcount']}, "
            f"cost_per_head_annual: {layer['cost_per_head_annual']:.0f}}}"
            # room for the name set later, so the comment keeps two spaces before it
            f"{' ' * (len(layer['name']) + 2)}# {note}"
        )
    if data.get("roles"):
        lines.append(
            "      roles:  # the ICs by the roster's role column; soc: its most common code"
        )
        for role in data["roles"]:
            soc = f", soc: {_EMPTY}" if "soc" in role else ""
            lines.append(
                f"        - {{name: {_EMPTY}, share: {role['share']!r}, "
                f"cost_per_head_annual: {role['cost_per_head_annual']:.0f}{soc}}}"
            )
    return lines


def _set_names(placed: Any, unit: UnitShape, data: dict) -> None:
    """The unit's names set as data into its laid-out entry: its own, its layers' and
    its roles' (with their SOC codes), each a quoted scalar whatever it holds."""
    placed["name"] = _text(unit.name)
    for layer, layer_data in zip(placed["layers"], data["layers"], strict=True):
        layer["name"] = _text(layer_data["name"])
    for role, role_data in zip(placed.get("roles") or (), data.get("roles") or (), strict=True):
        role["name"] = _text(role_data["name"])
        if "soc" in role_data:
            role["soc"] = _text(role_data["soc"])


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
    data = shape.scenario_units()
    for unit, unit_data in zip(shape.units, data, strict=True):
        units.extend(_unit_lines(unit, unit_data))
    unit_names = ", ".join(_EMPTY for _ in shape.units)
    laid_out = "\n".join(
        [
            "meta:",
            f"  name: {_EMPTY}",
            f"  description: {_EMPTY}",
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
    doc: Any = yamlfile.round_trip().load(laid_out)
    doc["meta"]["name"] = _text(name)
    doc["meta"]["description"] = _text(f"The organisation in {roster_name}, as it is today.")
    for placed, unit, unit_data in zip(doc["org"]["units"], shape.units, data, strict=True):
        _set_names(placed, unit, unit_data)
    for i, unit in enumerate(shape.units):
        doc["work"][0]["units"][i] = _text(unit.name)
    shown = printable(roster_name)  # a comment holds one line: no line break gets in
    doc.yaml_set_start_comment(
        "\n".join(
            [
                f"Derived from the roster {shown} (sha256 {roster_sha256[:16]}...) by",
                "`restructure org`, in each unit:",
                *textwrap.wrap(shape.layer_rule + ".", 86),
                "Headcounts are counted; costs are each layer's mean fully loaded annual cost.",
                "No name or id from the roster is in this file. To keep the numbers tied to the",
                f'roster instead, replace org.units with:  roster: {{path: "{shown}"}}',
                "#",
                "Everything outside org.units is an illustrative default: replace it with your own",
                "and say where it comes from. Then add restructuring waves and AI programmes",
                "(docs/scenario-format.md; `restructure new` writes a fully commented example).",
            ]
        )
    )
    return yamlfile.dump_text(doc)
