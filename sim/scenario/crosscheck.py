"""Checks that span fields: names that must exist, dates inside the run,
cuts within the headcount left by earlier waves, shares that must sum to 1 or less.

A rule between numbers holds for every replication, not only at the means: where
an input is a distribution, it is checked over what a replication can draw (the
distribution's support, clipped into the field's range as the draws are). Each
check yields ``(loc, message)``; :mod:`sim.scenario.load` adds file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterator

import numpy as np

from sim.scenario import months, timeline
from sim.scenario.correlation import matrix_problem
from sim.scenario.distributions import Distribution
from sim.scenario.fieldpaths import FieldPath as Loc
from sim.scenario.fieldpaths import bounds, numeric_paths, path_text, uncertain_parameters
from sim.scenario.occupations import occupation, unknown_code_message
from sim.scenario.schema import MAX_LEAD_IN_MONTHS, Scenario, Wave

RATE: Loc = ("meta", "discount_rate_annual")
GROWTH: Loc = ("finance", "terminal_value", "growth_annual")

Check = Iterator[tuple[Loc, str]]


def cross_check(scenario: Scenario) -> list[tuple[Loc, str]]:
    """Every cross-field problem of a structurally valid scenario."""
    return [
        *_unique_names(scenario),
        *_roles(scenario),
        *_cut_roles(scenario),
        *_redeployment_roles(scenario),
        *_reskilling(scenario),
        *_work_coverage(scenario),
        *_signoff_shares(scenario),
        *_freezes(scenario),
        *_ai(scenario),
        *_waves(scenario),
        *_correlations(scenario),
        *_finance(scenario),
    ]


def names_in_document(data: object) -> list[tuple[Loc, str]]:
    """Unit and layer names that name nothing, read from the file as written: checked
    in the same pass as the schema, so a file with other problems shows its typos of
    names too (the full cross-check needs a valid scenario). Units given as a pyramid
    have layers derived from it: only their unit names are checked."""
    if not isinstance(data, dict):
        return []
    org = data.get("org")
    units = org.get("units") if isinstance(org, dict) else None
    if not isinstance(units, list):
        return []
    layers: dict[str, list[str] | None] = {}
    for unit in units:
        if isinstance(unit, dict) and isinstance(unit.get("name"), str):
            given = unit.get("layers")
            names = [x.get("name") for x in given if isinstance(x, dict)] if given else None
            layers[unit["name"]] = [n for n in names if isinstance(n, str)] if names else None
    known = list(layers)
    found: list[tuple[Loc, str]] = []

    def unit_lists(items: object, loc: Loc) -> None:
        for i, item in enumerate(items if isinstance(items, list) else []):
            named = item.get("units") if isinstance(item, dict) else None
            for k, name in enumerate(named if isinstance(named, list) else []):
                if isinstance(name, str) and name not in layers:
                    found.append(((*loc, i, "units", k), _unknown("unit", name, known)))

    unit_lists(data.get("work"), ("work",))
    ai = data.get("ai")
    unit_lists(ai.get("programs") if isinstance(ai, dict) else None, ("ai", "programs"))
    unit_lists(org.get("hiring_freezes"), ("org", "hiring_freezes"))  # type: ignore[union-attr]
    restructuring = data.get("restructuring")
    waves = restructuring.get("waves") if isinstance(restructuring, dict) else None
    for i, wave in enumerate(waves if isinstance(waves, list) else []):
        for key in ("cuts", "remove_layers"):
            entries = wave.get(key) if isinstance(wave, dict) else None
            for j, entry in enumerate(entries if isinstance(entries, list) else []):
                if not isinstance(entry, dict) or not isinstance(entry.get("unit"), str):
                    continue
                loc = ("restructuring", "waves", i, key, j)
                unit, layer = entry["unit"], entry.get("layer")
                named = layers.get(unit)
                if unit not in layers:
                    found.append(((*loc, "unit"), _unknown("unit", unit, known)))
                elif isinstance(layer, str) and named and layer not in named:
                    kind = f"layer in unit {unit!r}"
                    found.append(((*loc, "layer"), _unknown(kind, layer, named)))
    return found


def _unknown(kind: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(known)}"
    return f"no {kind} named {name!r}{hint}"


def _unit_names(scenario: Scenario) -> list[str]:
    return [u.name for u in scenario.org.units]


def _in_horizon(scenario: Scenario, date: dt.date) -> str | None:
    meta = scenario.meta
    month = meta.month_index(date)
    if 0 <= month < timeline.run_months(scenario):
        return None
    first = months.label_from(meta.start, 0)
    valued = months.label_from(meta.start, timeline.lead_in_months(scenario))
    return (
        f"{date.isoformat()} is outside the run ({first} to {timeline.last_month(scenario)}: "
        f"the horizon of {meta.horizon_months} months from the valuation month {valued})"
    )


def _unique_names(scenario: Scenario) -> Check:
    seen: set[str] = set()
    for i, unit in enumerate(scenario.org.units):
        if unit.name in seen:
            yield ("org", "units", i, "name"), f"unit {unit.name!r} is named twice"
        seen.add(unit.name)
        if unit.layers is None:
            continue
        layer_names: set[str] = set()
        for j, layer in enumerate(unit.layers):
            if layer.name in layer_names:
                yield (
                    ("org", "units", i, "layers", j, "name"),
                    f"layer {layer.name!r} is named twice in unit {unit.name!r}",
                )
            layer_names.add(layer.name)


def _roles(scenario: Scenario) -> Check:
    """A unit's roles: unique names, shares of the ICs and of the work that sum to 1, known
    SOC codes (with the nearest where not), a code wherever the exposure comes from one."""
    for i, unit in enumerate(scenario.org.units):
        if unit.roles is None:
            continue
        loc: Loc = ("org", "units", i, "roles")
        names: set[str] = set()
        for j, role in enumerate(unit.roles):
            if role.name in names:
                yield (*loc, j, "name"), f"role {role.name!r} is named twice in unit {unit.name!r}"
            names.add(role.name)
            if role.soc is not None and occupation(role.soc) is None:
                yield (*loc, j, "soc"), unknown_code_message(role.soc)
            if role.exposure == "soc" and role.soc is None:
                yield (*loc, j, "exposure"), "'soc' reads the role's SOC code: give 'soc' too"
            if role.driver is not None and scenario.staffing_for(unit.name).policy != "capacity":
                yield (
                    (*loc, j, "driver"),
                    "a driver sets what planners staff for: it needs staffing policy 'capacity'",
                )
        yield from _shares_sum_to_one(unit.name, [r.share for r in unit.roles], loc, "share")
        given = [r.work_share for r in unit.roles if r.work_share is not None]
        if given and len(given) < len(unit.roles):
            missing = next(j for j, r in enumerate(unit.roles) if r.work_share is None)
            yield (
                (*loc, missing, "work_share"),
                "give every role a work_share, or none (each then does its share of the work)",
            )
        elif given:
            yield from _shares_sum_to_one(unit.name, given, loc, "work_share")


def _cut_roles(scenario: Scenario) -> Check:
    """A cut that names a role cuts the ICs of a unit with that role."""
    units = {u.name: u for u in scenario.org.units}
    for i, wave in enumerate(scenario.restructuring.waves):
        for j, cut in enumerate(wave.cuts):
            unit = units.get(cut.unit)
            if cut.role is None or unit is None:
                continue
            loc: Loc = ("restructuring", "waves", i, "cuts", j, "role")
            roles = [r.name for r in unit.roles or ()]
            if not roles:
                yield loc, f"unit {cut.unit!r} has no roles; leave 'role' out or give org roles"
            elif cut.role not in roles:
                yield loc, _unknown(f"role in unit {cut.unit!r}", cut.role, roles)
            elif cut.layer != unit.resolved_layers[-1].name:
                ics = unit.resolved_layers[-1].name
                yield loc, f"roles are the ICs' ({ics!r}), not {cut.layer!r}'s"


def _redeployment_roles(scenario: Scenario) -> Check:
    """The roles a wave's redeployment may fill exist: in the units its cuts touch
    (scope 'unit'), or in some unit (scope 'any')."""
    units = {u.name: [r.name for r in u.roles or ()] for u in scenario.org.units}
    for i, wave in enumerate(scenario.restructuring.waves):
        terms = wave.redeployment
        if terms is None or terms.into_roles is None:
            continue
        touched = {c.unit for c in wave.cuts} | {r.unit for r in wave.remove_layers}
        if terms.scope == "unit":
            known = sorted({r for name in touched for r in units.get(name, [])})
            where = "the units this wave cuts"
        else:
            known = sorted({r for roles in units.values() for r in roles})
            where = "any unit"
        for k, role in enumerate(terms.into_roles):
            if role not in known:
                loc: Loc = ("restructuring", "waves", i, "redeployment", "into_roles", k)
                yield (
                    loc,
                    _unknown(f"role in {where}", role, known)
                    if known
                    else (f"no role named {role!r}: {where} have no roles (org.units[].roles)"),
                )


def _reskilling(scenario: Scenario) -> Check:
    """A reskilling programme names a unit, two different roles of it, dates in the run."""
    units = {u.name: [r.name for r in u.roles or ()] for u in scenario.org.units}
    for i, programme in enumerate(scenario.restructuring.reskilling):
        loc: Loc = ("restructuring", "reskilling", i)
        if programme.unit not in units:
            yield (*loc, "unit"), _unknown("unit", programme.unit, list(units))
            continue
        roles = units[programme.unit]
        for field, role in (("from_role", programme.from_role), ("to_role", programme.to_role)):
            if role not in roles:
                yield (
                    (*loc, field),
                    _unknown(f"role in unit {programme.unit!r}", role, roles)
                    if (roles)
                    else f"unit {programme.unit!r} has no roles (org.units[].roles)",
                )
        if programme.from_role == programme.to_role:
            yield (*loc, "to_role"), "moves people to the role they come from"
        for field, date in (("start", programme.start), ("end", programme.end)):
            if date is not None and (problem := _in_horizon(scenario, date)):
                yield (*loc, field), problem


def _shares_sum_to_one(unit: str, shares: list[float], loc: Loc, field: str) -> Check:
    total = math.fsum(shares)
    if abs(total - 1) > 1e-9:
        yield (
            (*loc, len(shares) - 1, field),
            f"the roles' {field}s in unit {unit!r} sum to {total:g}; they must sum to 1",
        )


def _check_units(scenario: Scenario, names: tuple[str, ...] | None, loc: Loc) -> Check:
    known = _unit_names(scenario)
    for k, name in enumerate(names or ()):
        if name not in known:
            yield (*loc, k), _unknown("unit", name, known)


def _work_coverage(scenario: Scenario) -> Check:
    covered: dict[str, int] = {}
    for i, profile in enumerate(scenario.work):
        yield from _check_units(scenario, profile.units, ("work", i, "units"))
        for name in profile.units if profile.units is not None else _unit_names(scenario):
            if name in covered:
                yield (
                    ("work", i, "units"),
                    f"unit {name!r} is already covered by work[{covered[name]}]; "
                    "each unit needs exactly one work profile",
                )
            covered.setdefault(name, i)
    for name in _unit_names(scenario):
        if name not in covered:
            yield ("work",), f"unit {name!r} has no work profile; name it in one profile's units"


def _signoff_shares(scenario: Scenario) -> Check:
    for i, profile in enumerate(scenario.work):
        loc: Loc = ("work", i, "signoff_shares")
        shares = profile.signoff_shares
        total = sum(_support(scenario, (*loc, k), s)[1] for k, s in enumerate(shares))
        if total > 1 + 1e-9:
            drawn = any(isinstance(s, Distribution) for s in shares)
            sums = "can sum to" if drawn else "sum to"
            tops = " (each at the top of what it can draw)" if drawn else ""
            yield (
                loc,
                (
                    f"shares of items needing sign-off {sums} {total:g}{tops}; they must sum to "
                    "1 or less"
                ),
            )


def _freezes(scenario: Scenario) -> Check:
    for i, freeze in enumerate(scenario.org.hiring_freezes):
        loc = ("org", "hiring_freezes", i)
        if freeze.end < freeze.start:
            yield (*loc, "end"), f"ends ({freeze.end}) before it starts ({freeze.start})"
        yield from _check_units(scenario, freeze.units, (*loc, "units"))


def _ai(scenario: Scenario) -> Check:
    for i, program in enumerate(scenario.ai.programs):
        loc = ("ai", "programs", i)
        yield from _check_units(scenario, program.units, (*loc, "units"))
        if problem := _in_horizon(scenario, program.start):
            yield (*loc, "start"), problem
    for i, role in enumerate(scenario.ai.new_roles):
        if problem := _in_horizon(scenario, role.start):
            yield ("ai", "new_roles", i, "start"), problem
    yield from _funding_pools(scenario)


def _funding_pools(scenario: Scenario) -> Check:
    """Pools named once, each named by a programme, and every programme's pool given."""
    ai = scenario.ai
    pools = [pool.name for pool in ai.funding_pools]
    for i, name in enumerate(pools):
        loc: Loc = ("ai", "funding_pools", i, "name")
        if name in pools[:i]:
            yield loc, f"funding pool {name!r} is named twice"
        elif not ai.pool_members(name):
            yield (
                loc,
                (
                    f"no programme draws on funding pool {name!r}: give a programme "
                    f"funding: {{pool: {name}}}, or remove the pool"
                ),
            )
    for i, program in enumerate(ai.programs):
        pool = program.funding.pool if program.funding is not None else None
        if pool is None or pool in pools:
            continue
        where: Loc = ("ai", "programs", i, "funding", "pool")
        if pools:
            yield where, _unknown("funding pool", pool, pools)
        else:
            yield where, f"no funding pool named {pool!r}: give it in ai.funding_pools"


def _finance(scenario: Scenario) -> Check:
    finance = scenario.finance
    if finance.valuation_date is not None and finance.valuation_date < scenario.meta.start:
        yield (
            ("finance", "valuation_date"),
            f"{finance.valuation_date.isoformat()} is before meta.start "
            f"({months.label_from(scenario.meta.start, 0)}); value the plan from a month the run "
            "simulates",
        )
    date, basis = timeline.valuation_date(scenario)
    if scenario.meta.month_index(date) > MAX_LEAD_IN_MONTHS:
        yield (
            ("finance", "valuation_date") if basis == timeline.GIVEN else ("meta", "start"),
            f"the valuation date ({date.isoformat()}, {basis}) is more than "
            f"{MAX_LEAD_IN_MONTHS} months after the start "
            f"({months.label_from(scenario.meta.start, 0)}); start the run nearer the plan",
        )
    yield from _perpetuity(scenario)
    for i, program in enumerate(scenario.ai.programs):
        cost = program.running_cost
        loc: Loc = ("ai", "programs", i, "running_cost", "price_growth_annual")
        # a budget buys seats at the month's grown price (sim.model.ai), so funding is fine
        if _support(scenario, loc, cost.price_growth_annual) != (0, 0) and (
            cost.per_seat_per_month is None
        ):
            yield (
                loc,
                "seat price growth needs per_seat_per_month: a fixed monthly cost has no "
                "seat price",
            )


def _perpetuity(scenario: Scenario) -> Check:
    """A growing perpetuity is finite only below the discount rate, so its growth must
    stay below every rate a replication can draw. Checked over the whole support: an
    open tail reaches the field's bound, and a rate that can come near the growth has
    no finite mean terminal value, however rarely it is drawn."""
    terms = scenario.finance.terminal_value
    if terms is None or terms.years != "perpetuity":
        return
    rate, growth = scenario.meta.discount_rate_annual, terms.growth_annual
    lowest_rate = _support(scenario, RATE, rate)[0]
    highest_growth = _support(scenario, GROWTH, growth)[1]
    if highest_growth < lowest_rate:
        return
    if not isinstance(rate, Distribution) and not isinstance(growth, Distribution):
        message = f"a perpetuity must grow more slowly than the discount rate ({rate:g})"
        yield GROWTH, f"{message}, got {growth:g}"
        return
    # point at the line that made the pair uncertain: the rate's, unless the growth is too
    loc = GROWTH if isinstance(growth, Distribution) else RATE
    yield (
        loc,
        (
            "a perpetuity must grow more slowly than every discount rate a replication can "
            f"draw: the rate {_reach(rate, 'as low as', lowest_rate, 0)}, the growth "
            f"{_reach(growth, 'as high as', highest_growth, 1)}; keep every rate above every "
            "growth (bounded distributions: uniform, triangular or pert), or give the terminal "
            "value a number of years instead of perpetuity"
        ),
    )


def _reach(value: float | Distribution, word: str, reached: float, side: int) -> str:
    """'is 0.03', or 'uniform(0.01, 0.15) can be as low as 0.01'."""
    if not isinstance(value, Distribution):
        return f"is {value:g}"
    tail = " (an open tail reaches the field's bound)" if math.isinf(value.support[side]) else ""
    return f"{value} can be {word} {reached:g}{tail}"


def _support(scenario: Scenario, loc: Loc, value: float | Distribution) -> tuple[float, float]:
    """The least and the most a replication can draw for the field at ``loc``: a number
    itself, or the distribution's support clipped into the field's range, as draws are."""
    if not isinstance(value, Distribution):
        return value, value
    low, high = value.support
    field_low, field_high = bounds(scenario, loc)
    return max(low, field_low), min(high, field_high)


def _largest(value: float | Distribution) -> float:
    """The most a value can be: a distribution's top (P99.9 for an open tail)."""
    if isinstance(value, Distribution):
        high = value.support[1]
        if math.isfinite(high):
            return high
        top = value.quantile(0.999)
        return top if math.isfinite(top) else math.inf
    return value


def _smallest(value: float | Distribution) -> float:
    """The least a value can be: a distribution's bottom (P0.1 for an open tail)."""
    if isinstance(value, Distribution):
        low = value.support[0]
        return low if math.isfinite(low) else max(value.quantile(0.001), 0.0)
    return value


def _people(count: float) -> str:
    return f"{count:,.0f}" if math.isfinite(count) else "an unbounded number"


def _waves(scenario: Scenario) -> Check:
    """Replay the waves in date order on start headcounts (attrition aside): the fewest
    people a replication can start with, the most it can cut and the fewest it can move."""
    if len(set(_unit_names(scenario))) != len(scenario.org.units):
        return  # which unit a wave means is ambiguous: the duplicate name is the problem
    headcounts = {
        unit.name: {layer.name: _smallest(layer.headcount) for layer in unit.resolved_layers}
        for unit in scenario.org.units
    }
    removed: dict[tuple[str, str], str] = {}
    order = sorted(
        range(len(scenario.restructuring.waves)), key=lambda i: scenario.restructuring.waves[i].date
    )
    for i in order:
        wave = scenario.restructuring.waves[i]
        loc: Loc = ("restructuring", "waves", i)
        if problem := _in_horizon(scenario, wave.date):
            yield (*loc, "date"), problem
        yield from _wave_cuts(wave, loc, headcounts, removed)
        yield from _wave_removals(wave, loc, headcounts, removed)


def _find_layer(
    unit: str,
    layer: str,
    loc: Loc,
    headcounts: dict[str, dict[str, float]],
    removed: dict[tuple[str, str], str],
) -> tuple[Loc, str] | None:
    if unit not in headcounts:
        return (*loc, "unit"), _unknown("unit", unit, list(headcounts))
    if (unit, layer) in removed:
        return (*loc, "layer"), f"layer {layer!r} of {unit!r} was removed {removed[unit, layer]}"
    if layer not in headcounts[unit]:
        return (*loc, "layer"), _unknown(f"layer in unit {unit!r}", layer, list(headcounts[unit]))
    return None


def _wave_cuts(
    wave: Wave,
    loc: Loc,
    headcounts: dict[str, dict[str, float]],
    removed: dict[tuple[str, str], str],
) -> Check:
    for j, cut in enumerate(wave.cuts):
        cut_loc = (*loc, "cuts", j)
        if problem := _find_layer(cut.unit, cut.layer, cut_loc, headcounts, removed):
            yield problem
            continue
        available = headcounts[cut.unit][cut.layer]
        if cut.count is not None:
            wanted = _largest(cut.count)
            if wanted > available + 1e-9:
                yield (
                    (*cut_loc, "count"),
                    f"cuts {_people(wanted)} from {cut.unit}/{cut.layer}, which has "
                    f"{available:,.0f} on {wave.date} after earlier waves",
                )
                wanted = available
        else:
            wanted = available * _largest(cut.share)  # type: ignore[arg-type]
        headcounts[cut.unit][cut.layer] = available - wanted


def _wave_removals(
    wave: Wave,
    loc: Loc,
    headcounts: dict[str, dict[str, float]],
    removed: dict[tuple[str, str], str],
) -> Check:
    for j, removal in enumerate(wave.remove_layers):
        removal_loc = (*loc, "remove_layers", j)
        if problem := _find_layer(removal.unit, removal.layer, removal_loc, headcounts, removed):
            yield problem
            continue
        layers = list(headcounts[removal.unit])
        index = layers.index(removal.layer)
        if index == len(layers) - 1:
            yield (
                (*removal_loc, "layer"),
                f"{removal.layer!r} is the IC layer of {removal.unit!r}; only management "
                "layers can be removed",
            )
            continue
        below = layers[index + 1]
        moved = headcounts[removal.unit].pop(removal.layer) * _smallest(removal.moved_down_share)
        headcounts[removal.unit][below] += moved
        label = f"in wave {wave.name!r}" if wave.name else f"on {wave.date}"
        removed[removal.unit, removal.layer] = label


def _correlations(scenario: Scenario) -> Check:
    """Each input an uncertain one, in one group at most; each matrix a correlation matrix."""
    uncertain = [path_text(p) for p, _ in uncertain_parameters(scenario)]
    fixed = {path_text(p) for p in numeric_paths(scenario)} - set(uncertain)
    grouped: dict[str, int] = {}
    for k, group in enumerate(scenario.correlations):
        loc: Loc = ("correlations", k)
        inputs_ok = True
        for i, name in enumerate(group.inputs):
            problem = _correlated_input(name, uncertain, fixed, grouped, k)
            if problem:
                inputs_ok = False
                yield (*loc, "inputs", i), problem
            grouped.setdefault(name, k)
        if not inputs_ok:
            continue
        if found := matrix_problem(np.array(group.matrix, dtype=float)):
            where, message = found
            yield (*loc, "matrix", *where), message


def _correlated_input(
    name: str, uncertain: list[str], fixed: set[str], grouped: dict[str, int], group: int
) -> str | None:
    if name in grouped:
        where = "this group" if grouped[name] == group else f"correlations[{grouped[name]}]"
        return f"{name} is already in {where}; an input belongs to one group at most"
    if name in uncertain:
        return None
    if name in fixed:
        return (
            f"{name} is a fixed number, not a distribution: only uncertain inputs can be "
            "correlated (write a distribution there, e.g. pert(low, mode, high))"
        )
    close = difflib.get_close_matches(name, uncertain, n=1, cutoff=0.5)
    known = ", ".join(uncertain)
    hint = f" (did you mean {close[0]!r}?)" if close else f"; uncertain inputs: {known}"
    return f"{name} is not an uncertain input of this scenario{hint}"
