"""A scenario with one number changed, validated again as if a user had written it."""

from __future__ import annotations

import difflib

from pydantic import ValidationError

from sim.scenario.crosscheck import cross_check
from sim.scenario.fieldpaths import FieldPath, fix, numeric_paths, path_text
from sim.scenario.schema import Scenario


def with_value(scenario: Scenario, path: FieldPath, value: float) -> Scenario:
    """The scenario with one number set, validated again as if a user had written it.

    Raises ValueError naming the field and what was wrong.
    """
    if path not in set(numeric_paths(scenario)):
        raise ValueError(unknown_path_message(scenario, path))
    data = fix(_uncorrelated(scenario, path), {path: value}).model_dump(mode="json")
    try:
        updated = Scenario.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        raise ValueError(f"{path_text(path)}={value:g}: {first['msg']}") from None
    problems = cross_check(updated)
    if problems:
        loc, message = problems[0]
        raise ValueError(f"{path_text(path)}={value:g}: {path_text(loc)}: {message}")
    return updated


def _uncorrelated(scenario: Scenario, path: FieldPath) -> Scenario:
    """The scenario with a number about to be fixed taken out of its correlation group:
    a fixed number moves with nothing."""
    text = path_text(path)
    groups = [g.without(text) for g in scenario.correlations]
    kept = tuple(g for g in groups if g is not None)
    if kept == scenario.correlations:
        return scenario
    return scenario.model_copy(update={"correlations": kept})


def unknown_path_message(scenario: Scenario, path: FieldPath) -> str:
    """A path that names no number of the scenario, with the valid paths nearest to it."""
    valid = [path_text(p) for p in numeric_paths(scenario)]
    text = path_text(path)
    close = difflib.get_close_matches(text, valid, n=5, cutoff=0.5)
    if not close:
        prefix = text.rsplit(".", 1)[0]
        close = [v for v in valid if v.startswith(prefix)][:5] or valid[:5]
    return f"{text} is not a quantity a study can vary in this scenario; nearby: {', '.join(close)}"
