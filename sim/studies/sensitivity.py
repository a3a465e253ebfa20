"""Which assumption matters most: a tornado over the scenario's uncertain inputs.

Every uncertain input (every per-replication distribution in the file) is moved
to its P10 and then its P90 while the others sit at their medians; each setting
runs the same replications on the same random numbers, so the swing in NPV and
in payback month is the input's alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.model.draws import at_quantiles
from sim.report.csvfile import write_csv
from sim.report.outputs import atomic_folder
from sim.report.tables import Band, headline_bands
from sim.runs.montecarlo import run_monte_carlo
from sim.scenario.fieldpaths import path_text, uncertain_parameters
from sim.scenario.schema import Scenario

LOW, HIGH = 0.10, 0.90


@dataclass(frozen=True)
class Outcome:
    """Headlines of one setting: mean NPV, median payback month (None: not within)."""

    npv: float
    payback_month: float | None

    @classmethod
    def of(cls, bands: dict[str, Band]) -> Outcome:
        return cls(bands["npv"].mean or 0.0, bands["payback_month"].p50)


@dataclass(frozen=True)
class Swing:
    """One input at its P10 and P90, and what that does to the headlines."""

    path: str
    distribution: str
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


@dataclass(frozen=True)
class Tornado:
    base: Outcome  # every input at its median
    swings: tuple[Swing, ...]  # largest NPV swing first


def tornado(
    scenario: Scenario,
    replications: int,
    seed: int,
    workers: int = 1,
    scheduler: str | None = None,
    on_setting: Callable[[str], None] | None = None,
) -> Tornado:
    """Run the median setting and, per uncertain input, its P10 and P90 settings."""

    def outcome(setting: Scenario, label: str) -> Outcome:
        results = run_monte_carlo(setting, replications, seed, workers, scheduler)
        if on_setting is not None:
            on_setting(label)
        return Outcome.of(headline_bands(results))

    base = outcome(at_quantiles(scenario, {}), "medians")
    swings = []
    for path, dist in uncertain_parameters(scenario):
        name = path_text(path)
        low_setting = at_quantiles(scenario, {path: LOW})
        high_setting = at_quantiles(scenario, {path: HIGH})
        swings.append(
            Swing(
                path=name,
                distribution=str(dist),
                low_value=_value_at(low_setting, path),
                high_value=_value_at(high_setting, path),
                low=outcome(low_setting, f"{name} at P10"),
                high=outcome(high_setting, f"{name} at P90"),
            )
        )
    swings.sort(key=lambda s: (-s.npv_swing, s.path))
    return Tornado(base, tuple(swings))


def _value_at(scenario: Scenario, path: tuple[str | int, ...]) -> float:
    node: object = scenario
    for part in path:
        node = node[part] if isinstance(part, int) else getattr(node, part)  # type: ignore[index]
    return float(node)  # type: ignore[arg-type]


def settings_count(scenario: Scenario) -> int:
    """Settings a tornado runs: the medians, and two per uncertain input."""
    return 1 + 2 * len(uncertain_parameters(scenario))


def tornado_rows(result: Tornado) -> tuple[list[str], list[list[str]]]:
    """sensitivity.csv: one row an input, largest NPV swing first."""
    header = [
        "input",
        "distribution",
        "value_at_p10",
        "value_at_p90",
        "npv_at_p10",
        "npv_at_p90",
        "npv_swing",
        "payback_month_at_p10",
        "payback_month_at_p90",
        "payback_swing_months",
    ]
    rows = [
        [
            s.path,
            s.distribution,
            repr(s.low_value),
            repr(s.high_value),
            repr(s.low.npv),
            repr(s.high.npv),
            repr(s.npv_swing),
            _month(s.low.payback_month),
            _month(s.high.payback_month),
            _month(s.payback_swing),
        ]
        for s in result.swings
    ]
    return header, rows


def _month(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def tornado_json(result: Tornado, source: dict) -> dict:
    def outcome(o: Outcome) -> dict:
        return {"npv": o.npv, "payback_month": o.payback_month}

    return {
        "source": source,
        "at_medians": outcome(result.base),
        "inputs": [
            {
                "input": s.path,
                "distribution": s.distribution,
                "value_at_p10": s.low_value,
                "value_at_p90": s.high_value,
                "at_p10": outcome(s.low),
                "at_p90": outcome(s.high),
                "npv_swing": s.npv_swing,
                "payback_swing_months": s.payback_swing,
            }
            for s in result.swings
        ],
    }


def write_tornado(
    result: Tornado,
    source: dict,
    target: Path,
    force: bool,
    draw: Callable[..., object] | None = None,
) -> None:
    """sensitivity.csv, sensitivity.json (and the tornado chart), written whole."""
    with atomic_folder(target, force) as folder:
        write_csv(folder / "sensitivity.csv", *tornado_rows(result))
        (folder / "sensitivity.json").write_text(
            json.dumps(tornado_json(result, source), indent=2, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        if draw is not None:
            draw(result, source, folder / "charts")
