"""Load and validate a scenario file: YAML in, an immutable :class:`Scenario` out.

Every problem is reported as one line a person can act on::

    amazon.yaml:41:15: ai.programs[0].adoption.ceiling: must be <= 1, got 1.5

and every problem of a file is reported, not only the first. Checks that span
fields (cuts within headcount, dates within the horizon, names that exist) run
once the file's structure is valid.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario import yamlfile
from sim.scenario.crosscheck import cross_check, names_in_document
from sim.scenario.fieldpaths import path_text
from sim.scenario.names import printable
from sim.scenario.orgshape import read_org
from sim.scenario.plausibility import plausibility_warnings
from sim.scenario.roster import RosterError, RosterUnreadable
from sim.scenario.schema import RosterSource, Scenario
from sim.scenario.yamlfile import Document, Loc, YamlFileError

__all__ = [
    "Problem",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "load_with_warnings",
    "parse_scenario",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file, where it is, and what was expected."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    #: "error" stops the scenario; "warning" is printed and the scenario still runs
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.severity != "error":
            where += f": {self.severity}"
        line = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return printable(line)


#: the most problems a message lists; a file with more (a pasted column of 14,000
#: numbers) says how many it left out, instead of burying the first under the rest
MOST_SHOWN = 25


class ScenarioError(Exception):
    """A scenario file that cannot be used; ``problems`` lists every reason, and the
    message the first :data:`MOST_SHOWN` of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems[:MOST_SHOWN]]
        if len(problems) > MOST_SHOWN:
            left = len(problems) - MOST_SHOWN
            lines.append(
                f"{problems[0].file}: and {left:,} more problem{'s' * (left > 1)} "
                f"(the first {MOST_SHOWN} shown; fix these and validate again)"
            )
        super().__init__("\n".join(lines))


def load_scenario(path: str | Path) -> Scenario:
    """Read, parse and validate a scenario file; raise :class:`ScenarioError`.

    A roster it names (``org: {roster: {path: ...}}``) is read relative to the file.
    """
    return load_with_warnings(path)[0]


def load_with_warnings(path: str | Path) -> tuple[Scenario, list[Problem]]:
    """:func:`load_scenario`, and the plausibility warnings on the organisation
    (spans, layer sizes, costs), each with its file and line; they stop nothing."""
    path = Path(path)
    try:
        text = yamlfile.read_text(path)
    except YamlFileError as err:
        raise ScenarioError([Problem(path.name, err.line, err.column, "", err.message)]) from None
    scenario, doc = _parse(text, path.name, path.parent)
    warnings = [
        Problem(path.name, *doc.position(loc), path_text(loc), message, severity="warning")
        for loc, message in plausibility_warnings(scenario)
    ]
    return scenario, warnings


def parse_scenario(
    text: str, filename: str = "<scenario>", base_dir: Path | None = None
) -> Scenario:
    """Validate scenario text; ``filename`` is only used in messages, ``base_dir`` is
    where a roster's path starts from (default: the working directory)."""
    return _parse(text, filename, base_dir or Path.cwd())[0]


def _parse(text: str, filename: str, base_dir: Path) -> tuple[Scenario, Document]:
    try:
        doc = yamlfile.load(text)
    except YamlFileError as err:
        raise ScenarioError([Problem(filename, err.line, err.column, "", err.message)]) from None
    if doc.data is None:
        raise ScenarioError(
            [
                Problem(
                    filename,
                    1,
                    1,
                    "",
                    "file is empty; a scenario is a mapping with meta, org and work",
                )
            ]
        )
    if not isinstance(doc.data, dict):
        raise ScenarioError(
            [
                Problem(
                    filename,
                    1,
                    1,
                    "",
                    f"expected a mapping with meta, org and work at the top, got {_kind(doc.data)}",
                )
            ]
        )
    if problems := _units_from_roster(doc, filename, base_dir):
        raise ScenarioError(problems)
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as err:
        errors = _without_echoes(_one_per_union(err.errors(include_url=False)))
        problems = [_problem(filename, doc, e) for e in errors]
        named = {p.path for p in problems}
        problems += [  # names that name nothing, in this pass rather than the next
            Problem(filename, *doc.position(loc), path_text(loc), message)
            for loc, message in names_in_document(doc.data)
            if path_text(loc) not in named
        ]
        raise ScenarioError(_unique(problems)) from None
    problems = [
        Problem(filename, *doc.position(loc), path_text(loc), message)
        for loc, message in cross_check(scenario)
    ]
    if problems:
        raise ScenarioError(_unique(problems))
    return scenario, doc


def _units_from_roster(doc: Document, filename: str, base_dir: Path) -> list[Problem]:
    """Put the units derived from ``org.roster`` after the typed-in ones (if any), so the
    rest of the file is checked against them (a wave's layer, a work profile's unit)."""
    org = doc.data.get("org")
    if not isinstance(org, dict) or "roster" not in org:
        return []
    loc: Loc = ("org", "roster")
    typed = org.get("units", [])
    if not isinstance(typed, list):
        return []  # the schema says what is wrong with units
    try:
        source = RosterSource.model_validate(org["roster"])
    except ValidationError as err:
        errors = [{**e, "loc": (*loc, *e["loc"])} for e in err.errors(include_url=False)]
        return _unique([_problem(filename, doc, e) for e in errors])
    try:
        shape = read_org(source, base_dir)
    except RosterUnreadable as err:  # the scenario names a file that is not there
        where = doc.position((*loc, "path"))
        message = (
            f"cannot read the roster {source.path!r}: {err.reason} (a path is read from the "
            "scenario's folder)"
        )
        return [Problem(filename, *where, "org.roster.path", message)]
    except RosterError as err:
        return [Problem(err.file, err.line, err.column, "", err.message)]
    derived = shape.scenario_units()
    names = {u.get("name"): i for i, u in enumerate(typed) if isinstance(u, dict)}
    clashes = [
        Problem(
            filename,
            *doc.position(loc),
            "org.roster",
            f"the roster's unit {u['name']!r} has the name of typed-in unit org.units[{i}] "
            f"(line {doc.position(('org', 'units', i))[0]}): rename one, or leave that unit "
            "to the roster",
        )
        for u in derived
        if (i := names.get(u["name"])) is not None
    ]
    if clashes:
        return clashes
    if not typed:
        doc.value_positions[("org", "units")] = doc.position(loc)
    for k in range(len(typed), len(typed) + len(derived)):
        doc.value_positions[("org", "units", k)] = doc.position(loc)
    org["units"] = [*typed, *derived]
    return []


def _union_branch(part: Any) -> bool:
    """A location part that names a branch of a union, not a field: ``literal['start']``."""
    return isinstance(part, str) and (
        (part.endswith("]") and "[" in part) or part in ("int", "float", "str", "bool")
    )


def _one_per_union(errors: list[Any]) -> list[Any]:
    """One error per field of a union type (``0.7`` or ``start``), not one per branch.

    A number that breaks a bound keeps the number's message; anything else is
    told every form the field takes.
    """
    branches: dict[tuple, list[Any]] = {}
    kept = []
    for e in errors:
        loc = tuple(e["loc"])
        if loc and _union_branch(loc[-1]):
            branches.setdefault(loc[:-1], []).append(e)
        else:
            kept.append(e)
    for loc, group in branches.items():
        words = [e for e in group if e["type"] == "literal_error"]
        others = [e for e in group if e["type"] != "literal_error"]
        found = group[0].get("input")
        if others and (not words or isinstance(found, int | float)):
            kept.append({**others[0], "loc": loc})
        else:
            expected = " or ".join(e["ctx"]["expected"] for e in words)
            message = f"expected {expected} or a number, got {_kind(found)}"
            kept.append({"type": "scenario", "loc": loc, "msg": message, "input": found})
    return kept


def _without_echoes(errors: list[Any]) -> list[Any]:
    """Drop errors that only repeat another one in other words.

    A list whose items failed is also "too short after validation"; a distribution
    cut at its commas inside ``{...}`` also leaves its other numbers as unknown keys.
    """
    cut_short = {tuple(e["loc"][:-1]) for e in errors if "is cut short" in e["msg"]}
    kept = []
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden" and loc[:-1] in cut_short:
            continue
        if loc[:-1] in cut_short and _leftover(e["input"]):
            continue  # the rest of a distribution split at its commas inside [...]
        if e["type"] == "too_short" and len(e["input"]) >= e["ctx"]["min_length"]:
            continue
        kept.append(e)
    return kept


def _leftover(value: Any) -> bool:
    """A piece of a distribution split at its commas: '2', '0.6)'."""
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and "(" not in value and value.strip().rstrip(")") != value


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for problem in problems:
        seen.setdefault(str(problem), problem)
    return sorted(seen.values(), key=lambda p: (p.line or 0, p.column or 0))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    if value is None:
        return "nothing"
    return repr(value)


_EXPECTED = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "bool_type": "expected true or false",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "dict_type": "expected a mapping",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "literal_error": "expected",
}


_BOUNDS = {
    "greater_than_equal": ">=",
    "greater_than": ">",
    "less_than_equal": "<=",
    "less_than": "<",
}
_PATTERNS = {
    "currency": "expected a three-letter ISO 4217 code such as USD or EUR",
    "name": "letters, digits, spaces, '.', '_' and '-' only (it names the output folder)",
}


def _problem(filename: str, doc: Document, error: Any) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    found = error.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}" + _did_you_mean(str(loc[-1]), loc[:-1])
        return Problem(filename, *doc.position(loc, key=True), path_text(loc), message)
    if kind == "missing":
        message = "required field is missing"
        line, column = doc.position(loc[:-1])
        return Problem(filename, line, column, path_text(loc), message)
    if kind == "scenario":
        message = error["msg"]
    elif kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
    elif kind == "literal_error":
        message = f"{error['msg'][0].lower()}{error['msg'][1:]}, got {_kind(found)}"
    elif kind in _BOUNDS:
        bound = next(iter(error["ctx"].values()))
        message = f"must be {_BOUNDS[kind]} {bound}, got {_kind(found)}"
    elif kind == "string_pattern_mismatch":
        hint = _PATTERNS.get(str(loc[-1]), "see the format")
        message = f"{_kind(found)} is not allowed here; {hint}"
    elif kind in _EXPECTED:
        message = f"{_EXPECTED[kind]}, got {_kind(found)}"
    elif kind in ("too_short", "too_long"):
        size = len(found) if isinstance(found, list | tuple | str) else "?"
        bound = error["ctx"]["min_length" if kind == "too_short" else "max_length"]
        relation = "at least" if kind == "too_short" else "at most"
        message = f"must have {relation} {bound} item{'s' * (bound != 1)}, got {size}"
    else:
        message = f"{error['msg'][0].lower()}{error['msg'][1:]}, got {_kind(found)}"
    return Problem(filename, *doc.position(loc), path_text(loc), message)


def _did_you_mean(key: str, parent: Loc) -> str:
    allowed = _allowed_keys(Scenario, parent)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if allowed:
        return f"; expected one of: {', '.join(allowed)}"
    return ""


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the mapping at ``loc`` may have, found by walking the models' fields."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue  # an index into a list: the item type is found below
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = _model_in(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``X | None``, ``tuple[X, ...]``, ``Annotated[X, ...]``."""
    for inner in _unwrap(annotation):
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return None


def _unwrap(annotation: Any) -> Iterator[Any]:
    yield annotation
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                yield from _unwrap(arg)
