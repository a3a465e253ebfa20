"""Which assumption matters most: a tornado over the scenario's uncertain inputs.

Every uncertain input (every per-replication distribution in the file) is moved
to its P10 and then its P90 while the others sit at their medians; each setting
runs the same replications on the same random numbers, so the swing in NPV and
in payback month is the input's alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sim.model.draws import at_quantiles
from sim.runs.bands import Band
from sim.runs.montecarlo import run_monte_carlo
from sim.runs.plan import RunPlan
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
    plan: RunPlan,
    workers: int = 1,
    scheduler: str | None = None,
    on_setting: Callable[[str], None] | None = None,
) -> Tornado:
    """Run the median setting and, per uncertain input, its P10 and P90 settings."""

    def outcome(setting: Scenario, label: str) -> Outcome:
        results = run_monte_carlo(setting, plan.replications, plan.seed, workers, scheduler)
        if on_setting is not None:
            on_setting(label)
        return Outcome.of(results.headline)

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
