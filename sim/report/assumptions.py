"""The assumptions that matter, each with its value as written and its source.

A scenario cites its sources in the comments on its lines (``notice_weeks: 12.9
# public: 90 days on full pay ...``); the board pack shows those comments beside
the human label of each figure. The run folder names its scenario file and that
file's hash: the assumptions are read only from the very file that ran.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.report.files import file_sha256
from sim.report.text import quantity, uncertain_quantity
from sim.scenario.distributions import Distribution
from sim.scenario.fieldpaths import FieldPath, numeric_paths, uncertain_parameters
from sim.scenario.labels import generic, label, unit_of
from sim.scenario.load import ScenarioError, parse_scenario
from sim.scenario.yamlfile import YamlFileError
from sim.scenario.yamlfile import load as load_yaml

#: the fields a board asks about (besides every uncertain input), generic paths in
#: the order the pack lists them
KEY_FIELDS = (
    "restructuring.waves[].remove_layers[].moved_down_share",
    "restructuring.notice_weeks",
    "restructuring.severance.weeks_of_pay",
    "restructuring.severance.base_weeks",
    "restructuring.severance.weeks_per_year",
    "restructuring.severance.average_tenure_years",
    "restructuring.severance.cap_weeks",
    "restructuring.survivor_effects.productivity_dip",
    "restructuring.survivor_effects.attrition_multiplier",
    "restructuring.waves[].one_time_costs",
    "org.staffing.realisation_share",
    "ai.programs[].one_time_cost",
    "ai.programs[].running_cost.per_seat_per_month",
    "ai.programs[].running_cost.fixed_per_month",
    "ai.programs[].adoption.ceiling",
    "ai.programs[].adoption.midpoint_months",
    "ai.programs[].effects.ic_productivity_uplift",
    "ai.programs[].effects.automation_share",
    "ai.programs[].effects.review_time_reduction",
    "ai.new_roles[].count",
    "ai.new_roles[].cost_per_head_annual",
    "meta.discount_rate_annual",
    "finance.value_per_item",
)
#: a board reads a page, not the whole file
MAX_ROWS = 24
NOT_CITED = "not cited in the scenario file"


@dataclass(frozen=True)
class Assumption:
    """One figure of the scenario as a reader sees it."""

    label: str
    value: str  # in words with its unit: '12.9 weeks', '10%–15% a year, most likely 12%'
    source: str  # the comment on its line, or NOT_CITED


@dataclass(frozen=True)
class Assumptions:
    """What the pack can say of the scenario: the rows, or why there are none."""

    rows: tuple[Assumption, ...]
    note: str  # '' when the rows are complete


def read_assumptions(scenario_path: str | Path, sha256: str) -> Assumptions:
    """The assumptions that matter in the scenario file that ran (same hash), else none
    and a note saying why."""
    path = Path(scenario_path)
    if not path.is_file():
        return Assumptions((), f"The scenario file {path} is not at hand: assumptions not listed.")
    if sha256 and file_sha256(path) != sha256:
        return Assumptions((), f"{path} changed since this run: assumptions not listed.")
    text = path.read_text(encoding="utf-8")
    try:
        scenario = parse_scenario(text, path.name, path.parent)
        document = load_yaml(text)
    except (ScenarioError, YamlFileError) as err:
        return Assumptions((), f"{path} no longer reads: {err}")
    lines = text.splitlines()
    wanted = _key_paths(scenario)
    rows = _waves(scenario, document.data, lines, document) + [
        Assumption(
            label(scenario, p, with_unit=False),
            _value(scenario, document.data, p),
            _comment(lines, document.position(p)),
        )
        for p in wanted
    ]
    more = len(rows) - MAX_ROWS
    rows = rows[:MAX_ROWS]
    note = f"{more} more in the scenario file." if more > 0 else ""
    return Assumptions(tuple(rows), note)


def _key_paths(scenario: Any) -> list[FieldPath]:
    """Every uncertain input, then the key fields, each once, in the file's order."""
    uncertain = [p for p, _ in uncertain_parameters(scenario)]
    order = {name: i for i, name in enumerate(KEY_FIELDS)}
    key = [p for p in numeric_paths(scenario) if generic(p) in order]
    key.sort(key=lambda p: order[generic(p)])
    return list(dict.fromkeys([*uncertain, *key]))


def _value(scenario: Any, data: Any, path: FieldPath) -> str:
    """The figure at ``path`` as a reader says it, with its unit ('$185k a year',
    '10%–15% a year, most likely 12%'); one the file leaves out is the default's."""
    node = scenario
    for part in path:
        node = node[part] if isinstance(part, int) else getattr(node, part, None)
    unit, currency = unit_of(path), scenario.meta.currency
    if isinstance(node, Distribution):
        shown = uncertain_quantity(node.kind, node.params, unit, currency)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        shown = quantity(float(node), unit, currency)
    else:
        shown = str(node)
    return shown if _written(data, path) else f"{shown} (default)"


def _written(data: Any, path: FieldPath) -> bool:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return True


def _comment(lines: list[str], position: tuple[int, int]) -> str:
    """The comment ending the value's line (``# public: ...``), else the comment lines
    just above it, without the hashes."""
    number = position[0] - 1
    line = lines[number] if 0 <= number < len(lines) else ""
    match = re.search(r"\s#\s?(.*)$", line)
    if match:
        return match.group(1).strip()
    above: list[str] = []
    while number > 0 and lines[number - 1].strip().startswith("#"):
        number -= 1
        above.insert(0, lines[number].strip().lstrip("#").strip())
    return " ".join(above) or NOT_CITED


def _waves(scenario: Any, data: Any, lines: list[str], document: Any) -> list[Assumption]:
    """A row a wave: the people it cuts (counts as written) and the layers it removes."""
    rows = []
    for i, wave in enumerate(scenario.restructuring.waves if scenario.restructuring else []):
        written = data["restructuring"]["waves"][i]
        counts = [c.get("count") for c in written.get("cuts", []) if "count" in c]
        shares = [c for c in written.get("cuts", []) if "share" in c]
        parts = []
        if counts and all(isinstance(c, int | float) for c in counts):
            parts.append(f"{sum(counts):,.0f} people cut")
        if shares:
            parts.append(f"{len(shares)} cut{'s' * (len(shares) > 1)} by share")
        removed = [f"{r.unit} {r.layer}" for r in wave.remove_layers]
        if removed:
            parts.append("removes " + ", ".join(removed))
        name = wave.name or f"Wave {i + 1}"
        where = document.position(("restructuring", "waves", i, "date"))
        rows.append(Assumption(f"{name} ({wave.date})", "; ".join(parts), _comment(lines, where)))
    return rows
