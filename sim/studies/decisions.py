"""What an optimisation may choose, what it aims at and what it must respect, as typed.

- a **decision** (``--decide``): a number in a range, ``PATH=LOW:HIGH[:STEP]``
  (whole numbers with a whole step are an integer decision; ``YYYY-MM`` ends give
  a month, such as a wave's date), or one of a set, ``PATH in {A, B}`` (which
  layer to remove; ``{on, off}`` at a list item, such as ``ai.programs[0]``,
  keeps or drops it);
- a **statistic** of a headline over the replications: ``npv.mean``, any
  percentile ``payback_month.p80``, or a probability ``P(npv>0)``;
- the **objective** (``--objective``): a statistic, maximised or minimised
  (``max:``/``min:``; by default the way the headline is better);
- a **constraint** (``--constraint``): a statistic, a relation and a number,
  ``payback_month.p80<=18`` or ``P(npv>0)>=0.9``.

Every parser raises ValueError with one line saying what is wrong, as ``--vary`` does.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from sim.runs.headlines import HEADLINES, HIGHER_IS_BETTER, LOWER_IS_BETTER, NEVER
from sim.scenario import months
from sim.scenario.crosscheck import cross_check
from sim.scenario.edit import unknown_path_message, with_value
from sim.scenario.fieldpaths import (
    FieldPath,
    numeric_paths,
    parse_path,
    path_text,
    whole_number,
)
from sim.scenario.labels import label
from sim.scenario.schema import Scenario

FLOAT, INT, MONTH, CHOICE = "float", "int", "month", "choice"
ON, OFF = "on", "off"
_RANGE = re.compile(r"^\s*([^=\s{}]+?)\s*=\s*([^:]+):([^:]+)(?::([^:]+))?\s*$")
_CHOICE = re.compile(r"^\s*(\S+?)\s+in\s+\{(.*)\}\s*$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_NUMBER = re.compile(r"^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$")
#: the most values a range decision may have: past this, a step is a typo
MAX_VALUES = 100_000


@dataclass(frozen=True)
class Decision:
    """One lever the optimiser sets: its path, its kind and the values it may take."""

    text: str  # the path as written (also the decision's name in trials.csv)
    path: FieldPath
    kind: str  # FLOAT, INT, MONTH or CHOICE
    low: float = 0.0  # FLOAT, INT, MONTH (a month index from year 0)
    high: float = 0.0
    step: float | None = None
    choices: tuple[Any, ...] = ()  # CHOICE: the values as they go into the scenario
    label: str = ""  # what a reader sees
    spec: str = ""  # the --decide text
    day: int = 1  # MONTH: the day of the month of the date as written (at most the 28th)

    @property
    def toggle(self) -> bool:
        """A choice of keeping or dropping a list item (a programme on or off)."""
        return self.kind == CHOICE and set(self.choices) <= {ON, OFF}

    def shown(self, value: Any) -> str:
        """The value as the user would write it (a month as YYYY-MM)."""
        if self.kind == MONTH:
            return months.label(int(value))
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def scenario_value(self, value: Any) -> Any:
        """The value as it goes into the scenario (a month: on the day of the written date)."""
        if self.kind == MONTH:
            return f"{months.label(int(value))}-{self.day:02d}"
        return value


def parse_decision(spec: str, scenario: Scenario) -> Decision:
    """``PATH=LOW:HIGH[:STEP]`` or ``PATH in {A, B}`` -> a Decision; ValueError says why."""
    choice = _CHOICE.match(spec)
    if choice:
        return _choice(spec, choice.group(1), choice.group(2), scenario)
    found = _RANGE.match(spec)
    if not found:
        raise ValueError(
            f"{spec!r}: expected PATH=LOW:HIGH[:STEP] or 'PATH in {{A, B}}', e.g. "
            "restructuring.waves[0].cuts[0].share=0.02:0.14:0.01 or "
            "'ai.programs[0] in {on, off}'"
        )
    text, low_text, high_text, step_text = found.groups()
    path = _path(spec, text)
    low_text, high_text = low_text.strip(), high_text.strip()
    if _MONTH.match(low_text) and _MONTH.match(high_text):
        return _month_range(spec, path, low_text, high_text, step_text, scenario)
    if path not in set(numeric_paths(scenario)):
        raise ValueError(f"{spec!r}: {unknown_path_message(scenario, path)}")
    low, high = (_number(spec, t) for t in (low_text, high_text))
    step = None if step_text is None else _number(spec, step_text.strip())
    if whole_number(scenario, path):  # a count: searched on whole numbers only
        step = 1.0 if step is None else step
        if not all(float(v).is_integer() for v in (low, high, step)):
            raise ValueError(
                f"{spec!r}: {path_text(path)} is a whole number (a count): give whole "
                f"LOW, HIGH and STEP, e.g. {path_text(path)}={math.ceil(low)}:"
                f"{math.floor(high)}:1"
            )
    _check_range(spec, low, high, step)
    whole = step is not None and all(float(v).is_integer() for v in (low, high, step))
    for value in (low, high):
        try:
            with_value(scenario, path, value)  # each end must be a valid scenario
        except ValueError as err:
            raise ValueError(f"{spec!r}: {err}") from None
    return Decision(
        path_text(path),
        path,
        INT if whole else FLOAT,
        low,
        high,
        step,
        label=label(scenario, path),
        spec=spec.strip(),
    )


def _path(spec: str, text: str) -> FieldPath:
    try:
        return parse_path(text)
    except ValueError as err:
        raise ValueError(f"{spec!r}: {err}") from None


def _number(spec: str, text: str) -> float:
    try:
        number = float(text.replace("_", ""))
    except ValueError:
        raise ValueError(f"{spec!r}: {text!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{spec!r}: {text!r} is not a finite number")
    return number


def _check_range(spec: str, low: float, high: float, step: float | None) -> None:
    if low >= high:
        raise ValueError(
            f"{spec!r}: the range is empty: LOW ({low:g}) must be below HIGH ({high:g})"
        )
    if step is not None and not 0 < step <= high - low:
        raise ValueError(
            f"{spec!r}: STEP must be above 0 and at most HIGH - LOW ({high - low:g}), got {step:g}"
        )
    if step is not None and (high - low) / step > MAX_VALUES:
        raise ValueError(f"{spec!r}: STEP gives more than {MAX_VALUES:,} values; take a larger one")


def _month_range(
    spec: str,
    path: FieldPath,
    low_text: str,
    high_text: str,
    step_text: str | None,
    scenario: Scenario,
) -> Decision:
    current = _value_at(scenario.model_dump(mode="json"), path, spec, scenario)
    if not isinstance(current, str) or not re.match(r"^\d{4}-\d{2}", current):
        raise ValueError(
            f"{spec!r}: {path_text(path)} is not a date, so its range cannot be months"
        )
    low, high = (months.parse(t) for t in (low_text, high_text))
    step = 1.0 if step_text is None else _number(spec, step_text.strip())
    if not float(step).is_integer():
        raise ValueError(f"{spec!r}: a month's STEP is a whole number of months, got {step:g}")
    _check_range(spec, low, high, step)
    decision = Decision(
        path_text(path),
        path,
        MONTH,
        float(low),
        float(high),
        step,
        label=label(scenario, path),
        spec=spec.strip(),
        day=min(int(current[8:10] or 1) if len(current) >= 10 else 1, 28),
    )
    for end in (low, high):
        apply(scenario, {decision.text: float(end)}, (decision,))
    return decision


def _choice(spec: str, text: str, values_text: str, scenario: Scenario) -> Decision:
    path = _path(spec, text)
    values = tuple(v.strip() for v in values_text.split(",") if v.strip())
    if len(values) < 2:
        raise ValueError(f"{spec!r}: give at least two values between the braces, e.g. {{A, B}}")
    if len(set(values)) != len(values):
        raise ValueError(f"{spec!r}: a value is given twice")
    data = scenario.model_dump(mode="json")
    current = _value_at(data, path, spec, scenario)
    if set(values) <= {ON, OFF}:
        if not isinstance(current, dict) or not isinstance(path[-1], int):
            raise ValueError(
                f"{spec!r}: on/off keeps or drops a list item (such as ai.programs[0]); "
                f"{path_text(path)} is not one"
            )
        choices: tuple[Any, ...] = values
    else:
        if isinstance(current, dict) and isinstance(path[-1], int) and {ON, OFF} & set(values):
            other = next(v for v in values if v not in (ON, OFF))
            raise ValueError(
                f"{spec!r}: a list item is kept (on) or dropped (off); {other} is neither"
            )
        if isinstance(current, dict | list):
            raise ValueError(
                f"{spec!r}: {path_text(path)} is a group of fields, not one value; name a "
                f"field inside it, or use {{on, off}} to keep or drop it"
            )
        choices = tuple(_typed(v, current) for v in values)
    decision = Decision(
        path_text(path), path, CHOICE, choices=choices, label=label(scenario, path), spec=spec
    )
    for value in choices:  # every value must be valid at that path
        try:
            apply(scenario, {decision.text: value}, (decision,))
        except ValueError as err:
            raise ValueError(
                f"{spec!r}: {value} is not valid at {path_text(path)}: {err}"
            ) from None
    return decision


def _typed(text: str, current: Any) -> Any:
    """A written value in the type of the field it replaces (numbers stay numbers)."""
    if isinstance(current, bool) or current is None:
        return {"true": True, "false": False}.get(text.lower(), text)
    if isinstance(current, int | float) and _NUMBER.match(text):
        number = float(text.replace("_", ""))
        return int(number) if isinstance(current, int) and number.is_integer() else number
    return text


def _value_at(data: Any, path: FieldPath, spec: str, scenario: Scenario) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise ValueError(f"{spec!r}: {_unknown_field(scenario, path)}") from None
    return node


def _unknown_field(scenario: Scenario, path: FieldPath) -> str:
    """A path that names nothing in the scenario, with the paths nearest to it."""
    valid = list(_all_paths(scenario.model_dump(mode="json"), ()))
    text = path_text(path)
    close = difflib.get_close_matches(text, valid, n=5, cutoff=0.5)
    if not close:
        return unknown_path_message(scenario, path)
    return f"{text} is not a field of this scenario; nearby: {', '.join(close)}"


def _all_paths(node: Any, path: FieldPath):
    if path:
        yield path_text(path)
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _all_paths(child, (*path, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _all_paths(child, (*path, i))


def apply(scenario: Scenario, values: Mapping[str, Any], decisions: Sequence[Decision]) -> Scenario:
    """The scenario with each decision at its value, validated as a user's file would be.

    Numbers go in through :func:`~sim.scenario.edit.with_value` (a fixed number leaves
    its correlation group); other values are set in the scenario's data; list items
    switched off are dropped last, from the highest index down, so the paths of the
    other decisions still name what they named. Raises ValueError naming the field."""
    numeric = set(numeric_paths(scenario))
    setting = scenario
    others: list[tuple[Decision, Any]] = []
    for decision in decisions:
        value = values[decision.text]
        if decision.kind in (FLOAT, INT) and decision.path in numeric:
            setting = with_value(setting, decision.path, float(value))
        elif decision.kind == CHOICE and isinstance(value, float) and decision.path in numeric:
            setting = with_value(setting, decision.path, value)
        else:
            others.append((decision, value))
    if not others:
        return setting
    data = setting.model_dump(mode="json")
    dropped: list[FieldPath] = []
    for decision, value in others:
        if decision.toggle:
            if value == OFF:
                dropped.append(decision.path)
            continue
        parent = _parent(data, decision.path)
        parent[decision.path[-1]] = decision.scenario_value(value)
    for path in sorted(dropped, key=lambda p: p[-1], reverse=True):
        del _parent(data, path)[path[-1]]
    return _validated(data, others[0][0])


def _parent(data: Any, path: FieldPath) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def _validated(data: dict[str, Any], decision: Decision) -> Scenario:
    try:
        updated = Scenario.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        raise ValueError(f"{path_text(first['loc'])}: {first['msg']}") from None
    problems = cross_check(updated)
    if problems:
        loc, message = problems[0]
        raise ValueError(f"{path_text(loc)}: {message}")
    return updated


# ------------------------------------------------------------------ statistics

_STAT = re.compile(r"^([a-z_]+)\.(mean|p\d+)$")
_PROBABILITY = re.compile(r"^P\(\s*([a-z_]+)\s*(<=|>=|<|>)\s*([^)]+?)\s*\)$")
_CONSTRAINT = re.compile(r"^\s*(.+?)\s*(<=|>=|<|>)\s*([-+0-9.eE_]+)\s*$")


@dataclass(frozen=True)
class Statistic:
    """A figure over the replications: a headline's mean or percentile, or the share of
    replications in which a headline crosses a value (``P(npv>0)``)."""

    headline: str
    stat: str  # "mean", "p80", or "P" for a probability
    relation: str = ""  # a probability's: <, <=, >, >=
    value: float = 0.0  # a probability's threshold

    @property
    def text(self) -> str:
        if self.stat == "P":
            return f"P({self.headline}{self.relation}{self.value:g})"
        return f"{self.headline}.{self.stat}"

    @property
    def column(self) -> str:
        """The statistic's column name in trials.csv."""
        if self.stat == "P":
            names = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
            return f"p_{self.headline}_{names[self.relation]}_{self.value:g}"
        return f"{self.headline}_{self.stat}"

    def of(self, headlines: Sequence[Mapping[str, float | None]]) -> float | None:
        """The statistic over the replications' headline figures (None: no value, as a
        percentile payback that never comes)."""
        never = self.headline in NEVER
        data = np.array(
            [math.inf if h[self.headline] is None else h[self.headline] for h in headlines],
            dtype=float,
        )
        if self.stat == "P":
            if not never:  # a figure without a value (an IRR without a sign change) fails
                data = np.where(np.isfinite(data), data, np.nan)
            with np.errstate(invalid="ignore"):
                met = _compare(data, self.relation, self.value)
            return float(np.mean(met)) if data.size else None
        if not never:
            data = data[np.isfinite(data)]
        if data.size == 0:
            return None
        if self.stat == "mean":
            result = float(data.mean())
        else:
            q = int(self.stat[1:])
            if never:  # a month that never comes ranks last, as in the bands
                result = float(np.percentile(data, q, method="inverted_cdf"))
            else:
                result = float(np.percentile(data, q))
        return result if math.isfinite(result) else None


def _compare(data: np.ndarray, relation: str, value: float) -> np.ndarray:
    if relation == "<":
        return data < value
    if relation == "<=":
        return data <= value
    if relation == ">":
        return data > value
    return data >= value


def parse_statistic(text: str) -> Statistic:
    """``npv.mean``, ``payback_month.p80`` or ``P(npv>0)`` -> a Statistic."""
    text = text.strip()
    found = _PROBABILITY.match(text)
    if found:
        headline, relation, number = found.groups()
        _headline(text, headline)
        value = _number(text, number)
        return Statistic(headline, "P", relation, value)
    found = _STAT.match(text)
    if not found:
        raise ValueError(
            f"{text!r}: expected HEADLINE.STAT (STAT: mean or a percentile p1 to p99, e.g. "
            "npv.mean, payback_month.p80) or P(HEADLINE>VALUE), e.g. P(npv>0)"
        )
    headline, stat = found.groups()
    _headline(text, headline)
    if stat != "mean" and not 1 <= int(stat[1:]) <= 99:
        raise ValueError(f"{text!r}: a percentile is p1 to p99, got {stat}")
    return Statistic(headline, stat)


def _headline(text: str, headline: str) -> None:
    if headline not in HEADLINES:
        close = difflib.get_close_matches(headline, HEADLINES, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise ValueError(
            f"{text!r}: no headline {headline!r}{hint} (one of {', '.join(HEADLINES)})"
        )


@dataclass(frozen=True)
class Objective:
    statistic: Statistic
    maximise: bool

    @property
    def text(self) -> str:
        return f"{'max' if self.maximise else 'min'}:{self.statistic.text}"


def parse_objective(text: str) -> Objective:
    """``npv.mean``, ``max:npv.p10``, ``min:payback_month.p80`` or ``P(npv>0)``."""
    body = text.strip()
    direction = None
    for prefix, maximise in (("max:", True), ("min:", False)):
        if body.startswith(prefix):
            body, direction = body.removeprefix(prefix), maximise
    statistic = parse_statistic(body)
    if direction is None:
        if statistic.stat == "P":
            direction = True  # a probability of meeting a target: the higher the better
        elif statistic.headline in HIGHER_IS_BETTER:
            direction = True
        elif statistic.headline in LOWER_IS_BETTER:
            direction = False
        else:
            raise ValueError(
                f"{text!r}: say whether to maximise or minimise it: max:{body} or min:{body}"
            )
    return Objective(statistic, direction)


@dataclass(frozen=True)
class Constraint:
    statistic: Statistic
    relation: str  # <=, >=, <, >
    value: float

    @property
    def text(self) -> str:
        return f"{self.statistic.text}{self.relation}{self.value:g}"

    def violation(self, statistic: float | None) -> float:
        """How far the statistic is on the wrong side (<= 0: met; no value: never met)."""
        if statistic is None:
            return math.inf
        gap = statistic - self.value if "<" in self.relation else self.value - statistic
        if self.relation in ("<", ">") and gap == 0:
            return math.ulp(max(abs(self.value), 1.0))  # on the line of a strict relation
        return gap


def parse_constraint(text: str) -> Constraint:
    """``payback_month.p80<=18`` or ``P(npv>0)>=0.9`` -> a Constraint."""
    found = _CONSTRAINT.match(text)
    if not found:
        raise ValueError(
            f"{text!r}: expected STATISTIC<=VALUE or >=VALUE, e.g. payback_month.p80<=18 "
            "or P(npv>0)>=0.9"
        )
    body, relation, number = found.groups()
    statistic = parse_statistic(body)
    value = _number(text, number)
    if statistic.stat == "P" and not 0 <= value <= 1:
        raise ValueError(f"{text!r}: a probability is between 0 and 1, got {value:g}")
    return Constraint(statistic, relation, value)
