"""What the charts read: a run folder (:func:`sim.report.runfolder.load_run`), with the
names of its levels and its cost lines. Nothing here knows about YAML or the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.finance.cashflows import BASELINE_COLUMN, SCENARIO_COLUMN, one_time_lines, payroll_line
from sim.finance.metrics import RUN_RATE_MONTHS, run_rate_annual
from sim.report.runfolder import RunFolder, Series, load_run
from sim.runs import orgviews, series
from sim.runs.bands import Band
from sim.runs.orgviews import LayerView as LayerView
from sim.runs.orgviews import Shape as Shape
from sim.runs.series import Family
from sim.runs.summary import RunSummary

ALL = "all"
#: the two sides of a cost line in cashflows.csv
SCENARIO = SCENARIO_COLUMN
BASELINE = BASELINE_COLUMN


def plural(name: str) -> str:
    """'IC' -> 'ICs', 'Director' -> 'Directors', 'Secretary' -> 'Secretaries'; names
    not ending in a letter ('M2') are left as they are."""
    if not name or not name[-1].isalpha() or name[-1] in "sS":
        return name
    if name[-1] == "y" and len(name) > 1 and name[-2].lower() not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


def scenario_text(scenarios: Sequence[tuple[str, str]]) -> str:
    """'scenario midsize-delayering (sha256 1a2b3c4d…)', or for (name, sha256) pairs
    'scenarios a (sha256 …), b (sha256 …)'."""
    named = ", ".join(f"{name} (sha256 {str(digest)[:8]}…)" for name, digest in scenarios)
    return f"scenario{'s' if len(scenarios) > 1 else ''} {named}"


def _listed(values: Sequence[object]) -> str:
    return ", ".join(str(v) for v in dict.fromkeys(values))


def source_text(
    versions: Sequence[object],
    scenarios: str,
    seeds: Sequence[object],
    replications: Sequence[int],
) -> str:
    """The source line every chart ends with: what ran, on which seed, how many times.
    Several runs (a comparison) may differ in seed or replications: each is named once."""
    seed_word = "seed" if len(set(seeds)) == 1 else "seeds"
    counts = list(dict.fromkeys(replications))
    spread = " (so no uncertainty range)" if counts == [1] else ""
    plural_s = "" if counts == [1] else "s"
    each = " each" if len(replications) > 1 and len(counts) == 1 else ""
    return (
        f"Source: restructure {_listed(versions)} simulation, {scenarios}, "
        f"{seed_word} {_listed(seeds)}, {_listed(counts)} replication{plural_s}{each}{spread}"
    )


@dataclass
class Run:
    """One output folder, read for drawing."""

    folder: Path
    summary: RunSummary
    months: list[str]
    series: dict[tuple[str, str], Series]
    cash: dict[str, np.ndarray]
    layers: dict[str, list[str]] = field(default_factory=dict)  # unit -> layers top to bottom
    #: replications.csv: one row a replication, its drawn inputs and headlines
    replication_rows: list[dict[str, float | None]] = field(default_factory=list)

    @classmethod
    def of(cls, run: RunFolder) -> Run:
        drawn = cls(run.path, run.summary, list(run.months), run.series, run.cash)
        drawn.layers = drawn._unit_layers()
        drawn.replication_rows = list(run.replications)
        return drawn

    @classmethod
    def load(cls, folder: Path) -> Run:
        return cls.of(load_run(folder))

    # ------------------------------------------------------------ basic facts

    @property
    def currency(self) -> str:
        return self.summary.currency

    @property
    def replications(self) -> int:
        return self.summary.replications

    @property
    def x(self) -> np.ndarray:
        """Month numbers 1..n, the x of every time chart."""
        return np.arange(1, len(self.months) + 1)

    def headline(self, name: str) -> Band:
        """The headline's band (no values in a folder written before it existed)."""
        return self.summary.headline.get(name) or Band(None, None, None, None)

    def source_line(self) -> str:
        """Where the numbers come from: version, scenario and its hash, seed, replications."""
        scenario = self.summary.scenario
        return source_text(
            [self.summary.version],
            scenario_text([(scenario.name, scenario.sha256)]),
            [self.summary.seed],
            [self.replications],
        )

    def flow_source_line(self) -> str:
        """The source line of a work-flow chart: it names the replications that simulated
        the work flow when they are not all of them (sim.runs.flowsample)."""
        line = self.source_line()
        flowed, count = self.summary.flow_replications, self.summary.replications
        if flowed >= count:
            return line
        return f"{line}; the work flow: the first {flowed} of them"

    # ------------------------------------------------------------ series

    def has(self, metric: str, unit: str = ALL) -> bool:
        return (unit, metric) in self.series

    def get(self, metric: str, unit: str = ALL) -> Series:
        found = self.series.get((unit, metric))
        return Series.empty(len(self.months)) if found is None else found

    def items(self, family: Family, unit: str = ALL) -> list[str]:
        """The items (layers, roles, programmes) a family of series has for ``unit``."""
        return series.items((m for (u, m) in self.series if u == unit), family)

    def item(self, family: Family, item: object, unit: str = ALL, twin: bool = False) -> Series:
        """One item's series of a family, the status quo's with ``twin``."""
        return self.get(series.metric(family, item, twin), unit)

    @property
    def units(self) -> list[str]:
        seen: dict[str, None] = {}
        for unit, _ in self.series:
            if unit != ALL:
                seen.setdefault(unit)
        return list(seen)

    # ------------------------------------------------------------ organisation levels

    def _unit_layers(self) -> dict[str, list[str]]:
        """Each unit's layers top to bottom, in the order of its headcount series,
        those with a payroll line of their own."""
        layers: dict[str, list[str]] = {}
        for unit in self.units:
            layers[unit] = [
                layer
                for layer in self.items(Family.LAYER_HEADCOUNT, unit)
                if f"{SCENARIO}{payroll_line(unit, layer)}" in self.cash
            ]
        return layers

    @property
    def level_count(self) -> int:
        return len(self.items(Family.LEVEL_HEADCOUNT))

    def level(self, k: int, baseline: bool = False) -> Series:
        return self.item(Family.LEVEL_HEADCOUNT, k, twin=baseline)

    def level_names(self, k: int) -> list[str]:
        """Layer names at level ``k`` (0 = ICs) across units, the most people first."""
        weights: dict[str, float] = {}
        for unit, names in self.layers.items():
            if len(names) > k:
                name = names[len(names) - 1 - k]
                start = self.get(f"headcount:{name}", unit).p50[0]
                weights[name] = weights.get(name, 0.0) + (0.0 if math.isnan(start) else start)
        return sorted(weights, key=lambda n: -weights[n])

    def level_short_label(self, k: int, and_above: bool = False) -> str:
        """'ICs', 'Directors' where every unit names level ``k`` alike, else
        'Level 2 managers'; with ``and_above``, 'Directors and above', 'Level 3+ managers'."""
        names = self.level_names(k)
        if len(names) == 1:
            return f"{plural(names[0])} and above" if and_above else plural(names[0])
        if k == 0:
            return "ICs"
        return f"Level {k}+ managers" if and_above else f"Level {k} managers"

    # ------------------------------------------------------------ cash flows

    def cash_line(self, name: str, side: str) -> np.ndarray:
        """A cost line as money out (positive), scenario or baseline side; zeros if absent."""
        values = self.cash.get(f"{side}{name}")
        if values is None:
            return np.zeros(len(self.months))
        return np.nan_to_num(-values if side == SCENARIO else values)

    def payroll(self, side: str) -> np.ndarray:
        """Every unit's payroll lines added up, as money out."""
        lines = {
            f"{side}{payroll_line(unit, layer)}"
            for unit, layers in self.layers.items()
            for layer in layers
        }
        total = np.zeros(len(self.months))
        for column, values in self.cash.items():  # in file order: the same sum every time
            if column in lines:
                total = total + np.nan_to_num(-values if side == SCENARIO else values)
        return total

    def total_cost(self, side: str) -> np.ndarray:
        total = np.zeros(len(self.months))
        for column, values in self.cash.items():
            if column.startswith(side):
                total = total + np.nan_to_num(-values if side == SCENARIO else values)
        return total

    @property
    def one_time_lines(self) -> tuple[str, ...]:
        """The run's one-time cost lines: notice pay, severance, wave and AI build costs,
        and the plan's retraining and reskilling where it has them (as the headline)."""
        names = (c.removeprefix(SCENARIO) for c in self.cash if c.startswith(SCENARIO))
        return one_time_lines(names)

    def recurring_cost(self, side: str) -> np.ndarray:
        """Every cost line but the one-time ones: what the headline run rate counts."""
        total = self.total_cost(side)
        for line in self.one_time_lines:
            total = total - self.cash_line(line, side)
        return total

    @property
    def mean_of(self) -> str:
        """'mean of 8 replications', for a subtitle of means."""
        count = self.replications
        return f"mean of {count} replication{'s' * (count != 1)}"

    def run_rate(self, monthly: np.ndarray) -> float:
        """A year at the pace of the last quarter (the whole horizon if shorter), as the
        headline run-rate savings are."""
        return run_rate_annual(monthly, min(RUN_RATE_MONTHS, len(monthly)))


def layer_views(run: Run) -> list[LayerView]:
    """Every unit's layers, top to bottom: summary.json's own (``layers``), else, in a
    folder from before it kept them, from the headcount bridge and the payroll lines
    (none in a folder from before the bridge counted layers)."""
    if run.summary.layers:
        return list(run.summary.layers)
    bridge = run.summary.headcount_bridge
    if bridge is None:
        return []

    def saved(unit: str, layer: str) -> float:
        line = payroll_line(unit, layer)
        return run.run_rate(run.cash_line(line, BASELINE) - run.cash_line(line, SCENARIO))

    return orgviews.layer_views(bridge.by_layer, saved)


def layer_order(views: Sequence[LayerView]) -> list[str]:
    """Layer names across units, top to bottom: each unit's order kept, a name met first
    in a deeper unit put just below the name above it there."""
    order: list[str] = []
    for unit in dict.fromkeys(v.unit for v in views):
        above: str | None = None
        for view in (v for v in views if v.unit == unit):
            if view.layer not in order:
                order.insert(order.index(above) + 1 if above is not None else 0, view.layer)
            above = view.layer
    return order


def shapes(run: Run) -> list[Shape]:
    """The whole organisation first, then each unit: layers and average spans before and
    after, summary.json's own (``shapes``), else from the layers."""
    if run.summary.shapes:
        return list(run.summary.shapes)
    return orgviews.shapes(layer_views(run))
