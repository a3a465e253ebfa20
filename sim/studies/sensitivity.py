"""Which assumption matters most: a tornado over any of the scenario's inputs.

Two kinds of input, side by side:

- an **uncertain** input (a distribution in the file) is moved to its P10 and
  then its P90;
- a **fixed** input (any number a study may set, named with ``--vary``) is set
  to a low and a high value, given as numbers (``meta.discount_rate_annual=
  0.06:0.10``) or as changes from the value as written (``restructuring.waves[0]
  .cuts[0].count=-20%:+20%``). Naming an uncertain input this way replaces its
  P10 and P90 with the values given.

Every other input sits at its median (uncertain) or as written (fixed), and
every setting runs the same replications on the same random numbers, so the
swing in NPV and in payback month is the input's alone. A tornado reads money
only, so it skips the work flow unless work done is priced (sim.studies.fidelity).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sim.model.draws import at_quantiles
from sim.runs.bands import Band
from sim.runs.headlines import NPV, PAYBACK
from sim.runs.plan import Pool, RunPlan
from sim.scenario.edit import unknown_path_message, with_value
from sim.scenario.fieldpaths import FieldPath, numeric_paths, parse_path, path_text
from sim.scenario.fieldpaths import uncertain_parameters as uncertain_inputs
from sim.scenario.labels import Unit, label, unit_of
from sim.scenario.schema import Scenario
from sim.studies.batch import IN_PROCESS, Setting, StudyRuns, setting, value_at
from sim.studies.fidelity import needs_flow
from sim.studies.reuse import Unsimulated, flow_only

LOW, HIGH = 0.10, 0.90
UNCERTAIN, FIXED = "uncertain", "fixed"
#: the headlines a tornado reports
READ = (NPV.name, PAYBACK.name)
_VARY = re.compile(r"^\s*([^=]+?)\s*=\s*([^:]+):([^:]+)\s*$")


@dataclass(frozen=True)
class Outcome:
    """Headlines of one setting: mean NPV, median payback month (None: not within)."""

    npv: float
    payback_month: float | None

    @classmethod
    def of(cls, bands: dict[str, Band]) -> Outcome:
        return cls(bands[NPV.name].mean or 0.0, bands[PAYBACK.name].p50)


@dataclass(frozen=True)
class Swing:
    """One input at its low and its high end, and what that does to the headlines."""

    path: str  # the field path, for the machine
    label: str  # what a reader sees (sim.scenario.labels)
    unit: Unit  # of the input's value, as sim.scenario.labels names it
    kind: str  # UNCERTAIN (P10 and P90) or FIXED (values given)
    distribution: str  # an uncertain input's distribution as written; "" for a fixed one
    base_value: float  # at its median (uncertain) or as written (fixed)
    low_at: str  # where the low end is: "P10", "-20%", "0.06"
    high_at: str
    low_value: float
    high_value: float
    low: Outcome
    high: Outcome

    @property
    def npv_swing(self) -> float:
        return abs(self.high.npv - self.low.npv)

    @property
    def payback_swing(self) -> float | None:
        """Months between the two paybacks; None when either is not within the horizon."""
        if self.low.payback_month is None or self.high.payback_month is None:
            return None
        return abs(self.high.payback_month - self.low.payback_month)

    def positions(self) -> tuple[float, float, float] | None:
        """Where the low end, the base and the high end sit on a spider chart's axis:
        percentiles for an uncertain input, % change from the value as written for a
        fixed one (None: a fixed input written as 0 has no % change)."""
        if self.kind == UNCERTAIN:
            return 100 * LOW, 50.0, 100 * HIGH
        if self.base_value == 0:
            return None
        change = [100 * (v / self.base_value - 1) for v in (self.low_value, self.high_value)]
        return change[0], 0.0, change[1]


@dataclass(frozen=True)
class Tornado:
    base: Outcome  # every uncertain input at its median, every fixed one as written
    swings: tuple[Swing, ...]  # largest NPV swing first
    #: inputs that move only the work flow, which a tornado of money does not simulate
    not_simulated: tuple[Unsimulated, ...] = ()


@dataclass(frozen=True)
class Vary:
    """A fixed input's low and high value, and how the user wrote them."""

    path: FieldPath
    low: float
    high: float
    low_at: str
    high_at: str


def parse_vary(spec: str, scenario: Scenario) -> Vary:
    """``PATH=LOW:HIGH``, each end a number or a change from the value as written
    (``-20%``); both ends must be valid scenarios. ValueError says what is wrong."""
    match = _VARY.match(spec)
    if not match:
        raise ValueError(
            f"{spec!r}: expected PATH=LOW:HIGH, e.g. meta.discount_rate_annual=0.06:0.10 "
            "or restructuring.waves[0].cuts[0].count=-20%:+20%"
        )
    text, low_text, high_text = (part.strip() for part in match.groups())
    path = parse_path(text)
    if path not in set(numeric_paths(scenario)):
        raise ValueError(unknown_path_message(scenario, path))
    medians = at_quantiles(scenario, {})
    base = value_at(medians, path)
    low, high = (_end(spec, t, base) for t in (low_text, high_text))
    if low == high:
        raise ValueError(f"{spec!r}: LOW and HIGH must differ")
    for value in (low, high):
        with_value(medians, path, value)  # each end must be a valid scenario
    return Vary(path, low, high, low_text, high_text)


def _end(spec: str, text: str, base: float) -> float:
    relative = text.endswith("%")
    try:
        number = float(text.removesuffix("%").replace("_", ""))
    except ValueError:
        raise ValueError(
            f"{spec!r}: {text!r} is neither a number nor a change such as -20%"
        ) from None
    if not math.isfinite(number):
        raise ValueError(f"{spec!r}: {text!r} is not a finite number")
    if not relative:
        return number
    if base == 0:
        raise ValueError(f"{spec!r}: the value as written is 0, so give values, not a % change")
    return base * (1 + number / 100)


@dataclass(frozen=True)
class _Ends:
    """One input's two settings, before they run."""

    path: FieldPath
    kind: str
    distribution: str
    low_at: str
    high_at: str
    low_value: float
    high_value: float
    low: Scenario
    high: Scenario


def tornado(
    scenario: Scenario,
    plan: RunPlan,
    varied: Sequence[Vary] = (),
    uncertain: bool = True,
    pool: Pool | None = None,
    on_progress: Callable[[float], None] | None = None,
    reuse: bool = True,
) -> Tornado:
    """Run the base setting and, per input, its low and high settings: every uncertain
    input (unless ``uncertain`` is False) at P10 and P90, each of ``varied`` at its values.

    Every setting goes out at once over ``pool`` (default: this process) or its cluster,
    reusing what did not change (sim.studies.batch); ``reuse=False`` runs each setting
    alone, as a run of it would, with the same figures. ``on_progress(settings)`` is
    told the settings done. An input that moves only the work flow is not simulated when
    the tornado reads money only (sim.studies.reuse): it is listed as such, not swung."""
    medians = at_quantiles(scenario, {})
    flow = needs_flow(scenario, READ)
    ends, skipped = [], []
    for end in _ends(scenario, medians, varied, uncertain):
        if flow or not flow_only(scenario, end.path):
            ends.append(end)
        else:
            skipped.append(Unsimulated(path_text(end.path), label(scenario, end.path)))
    settings = [Setting(medians)]
    for end in ends:
        settings += [setting(medians, end.low, end.path), setting(medians, end.high, end.path)]
    with StudyRuns(plan, pool or IN_PROCESS, flow, reuse) as runs:
        found = [Outcome.of(r.headline) for r in runs.results(settings, on_progress)]
    swings = [
        Swing(
            path=path_text(end.path),
            label=label(scenario, end.path),
            unit=unit_of(end.path),
            kind=end.kind,
            distribution=end.distribution,
            base_value=value_at(medians, end.path),
            low_at=end.low_at,
            high_at=end.high_at,
            low_value=end.low_value,
            high_value=end.high_value,
            low=found[1 + 2 * i],
            high=found[2 + 2 * i],
        )
        for i, end in enumerate(ends)
    ]
    swings.sort(key=lambda s: (-s.npv_swing, s.label, s.path))
    return Tornado(found[0], tuple(swings), tuple(skipped))


def _ends(
    scenario: Scenario, medians: Scenario, varied: Sequence[Vary], uncertain: bool
) -> list[_Ends]:
    """Each input's low and high settings: the uncertain ones at P10 and P90 (unless
    named in ``varied``, whose values win), then ``varied`` at the values given."""
    chosen = {v.path for v in varied}
    ends = []
    for path, dist in _uncertain(scenario, uncertain):
        if path in chosen:
            continue  # the values given win over the distribution's P10 and P90
        low = at_quantiles(scenario, {path: LOW})
        high = at_quantiles(scenario, {path: HIGH})
        ends.append(
            _Ends(
                path,
                UNCERTAIN,
                str(dist),
                "P10",
                "P90",
                value_at(low, path),
                value_at(high, path),
                low,
                high,
            )
        )
    for vary in varied:
        dist = dict(uncertain_inputs(scenario)).get(vary.path)
        ends.append(
            _Ends(
                vary.path,
                FIXED,
                "" if dist is None else str(dist),
                vary.low_at,
                vary.high_at,
                vary.low,
                vary.high,
                with_value(medians, vary.path, vary.low),
                with_value(medians, vary.path, vary.high),
            )
        )
    return ends


def _uncertain(scenario: Scenario, wanted: bool) -> list:
    return uncertain_inputs(scenario) if wanted else []


def settings_count(
    scenario: Scenario, varied: Sequence[Vary] = (), uncertain: bool = True, flow: bool = False
) -> int:
    """Settings a tornado runs: the base, and two per input it simulates (``flow``: as if
    the inputs that move only the work flow were simulated too)."""
    chosen = {v.path for v in varied}
    kept = [p for p, _ in _uncertain(scenario, uncertain) if p not in chosen]
    paths = [*kept, *(v.path for v in varied)]
    if not (flow or needs_flow(scenario, READ)):
        paths = [p for p in paths if not flow_only(scenario, p)]
    return 1 + 2 * len(paths)
