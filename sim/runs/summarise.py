"""One replication, summarised: its headline figures and the monthly series the tables keep.

What a worker runs (:func:`replicate_one`) and what it sends back: never the
full trajectory, only the headlines, the drawn inputs, the cash-flow lines and
the monthly series by (unit or ``all``, metric).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from sim.finance import metrics
from sim.finance.bridge import savings_bridge
from sim.finance.cashflows import (
    AI_RUNNING,
    NEW_ROLES_PAYROLL,
    RESKILLING,
    RETRAINING,
    CashFlows,
    LayerChangeCost,
    PriceLevels,
    cash_flows,
    layer_change_costs,
)
from sim.finance.valuation import terminal_terms, valuation
from sim.model.replication import Replication, Trajectory, Twin, run_replications
from sim.runs import headlines as registry
from sim.runs import series
from sim.runs.headcountbridge import headcount_flows, layer_counts
from sim.runs.series import Family
from sim.scenario.schema import Scenario

#: a role's two families: its headcount and the ICs it needs
ROLE_FAMILIES = (Family.ROLE_HEADCOUNT, Family.ROLE_NEEDED)


def replicate_one(
    scenario: Scenario,
    seed: np.random.SeedSequence,
    fidelity_items: int | str | None = None,
    flow: bool = True,
    twins: Mapping[str, Twin] | None = None,
) -> ReplicationResult:
    """One replication, summarised: what a worker runs (``flow=False``: money only).

    ``twins`` (status quos already simulated on this seed, by key; see
    sim.runs.twins) reuses the matching one; the result then names the twin it was
    measured against, and carries it back when it had to be simulated."""
    return replicate_chunk(scenario, [seed], fidelity_items, flow, twins)[0]


def replicate_chunk(
    scenario: Scenario,
    seeds: Sequence[np.random.SeedSequence],
    fidelity_items: int | str | None = None,
    flow: bool = True,
    twins: Mapping[str, Twin] | None = None,
) -> list[ReplicationResult]:
    """Several replications, their workforces simulated as one batch, summarised: each
    result is :func:`replicate_one`'s for its seed, to the bit (``twins``: the status
    quos already simulated on these seeds, by key; a key names its seed)."""
    began = time.perf_counter()
    replications = run_replications(scenario, seeds, fidelity_items, flow, twins)
    results = [summarise(r) for r in replications]
    if twins is None:
        return results
    seconds = (time.perf_counter() - began) / max(len(seeds), 1)
    return [
        _measured_against(result, replication.twin, twins, seconds)
        for result, replication in zip(results, replications, strict=True)
    ]


def _measured_against(
    result: ReplicationResult, twin: Twin | None, twins: Mapping[str, Twin], seconds: float
) -> ReplicationResult:
    """The result naming its twin, carrying it back when it had to be simulated."""
    if twin is None:
        return result
    return replace(
        result,
        twin_key=twin.key,
        twin=None if twin.key in twins else twin,
        seconds=seconds,
    )


@dataclass(frozen=True)
class ReplicationResult:
    """What one replication contributes to the Monte Carlo results."""

    headline: dict[str, float | None]
    parameters: dict[str, float]
    series: dict[tuple[str, str], np.ndarray]  # (unit or "all", metric) -> monthly values
    cash_flows: CashFlows
    irr_reason: str | None
    #: the savings bridge: "horizon" (money over the horizon) and "run_rate_annual",
    #: each cause -> money; the causes add up to the payroll saved; a plan that
    #: redeploys adds "redeployment": its people and money over the horizon
    bridge: dict[str, dict[str, float]]
    #: what each wave did to each layer, with the notice pay and severance it cost
    layer_changes: tuple[LayerChangeCost, ...] = ()
    #: with a twin cache (sim.runs.twins): the key of the status quo it was measured
    #: against, and that status quo when it was simulated for it (None: reused)
    twin_key: str = ""
    twin: Twin | None = None
    seconds: float = 0.0  # with a twin cache: what the replication took where it ran
    #: the headcount bridge's steps: unit (and "all") -> step -> people (sim.runs.headcountbridge)
    headcount_flows: dict[str, dict[str, float]] = field(default_factory=dict)
    #: people at the end by unit and layer, plan and status quo (sim.runs.headcountbridge)
    layer_counts: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values) & (weights > 0)
    return float((values[ok] * weights[ok]).sum() / weights[ok].sum()) if ok.any() else np.nan


def _change(new: float, old: float) -> float | None:
    """Relative change as a fraction (0.05 = 5% more), like every rate in summary.json."""
    return (new - old) / old if old and np.isfinite(old) and np.isfinite(new) else None


def summarise(replication: Replication) -> ReplicationResult:
    """Cash flows, headline figures and monthly series of one replication."""
    flows = cash_flows(replication)
    headline, heads = _headlines(replication, flows)
    return ReplicationResult(
        headline=headline,
        parameters=replication.parameters,
        series=_series(replication, flows),
        cash_flows=flows,
        irr_reason=heads.irr_reason,
        bridge=_bridge(replication, flows),
        layer_changes=layer_change_costs(replication.scenario, replication.prices),
        headcount_flows=headcount_flows(replication),
        layer_counts=layer_counts(replication),
    )


def headline_figures(replication: Replication) -> dict[str, float | None]:
    """One replication's headline figures alone, as :func:`summarise` gives them: for a
    study that reads a statistic of one headline many times over (a goal seek)."""
    return _headlines(replication, cash_flows(replication))[0]


def _headlines(
    replication: Replication, flows: CashFlows
) -> tuple[dict[str, float | None], metrics.Headlines]:
    """Every headline of a replication by name, and the finance's own figures."""
    net = flows.net
    inputs = replication.inputs
    rate = inputs.meta.discount_rate_annual
    heads = metrics.headlines(
        net, rate, flows.one_time, valuation(inputs).offset, terminal_terms(inputs)
    )
    scenario, baseline = replication.scenario, replication.baseline
    headline: dict[str, float | None] = {
        registry.PAYBACK.name: heads.payback_month,
        registry.DISCOUNTED_PAYBACK.name: heads.discounted_payback_month,
        registry.NPV.name: heads.npv,
        registry.TERMINAL_VALUE.name: heads.terminal_value,
        registry.NPV_WITH_TERMINAL_VALUE.name: heads.npv_with_terminal_value,
        registry.IRR.name: heads.irr_annual,
        registry.RUN_RATE.name: heads.run_rate_savings_annual,
        registry.ONE_TIME_COSTS.name: heads.one_time_costs,
        registry.ROI.name: heads.roi,
        registry.ROLES_CUT.name: float(sum(u.cut.sum() for u in scenario.units)),
        registry.HEADCOUNT_START.name: float(
            sum(
                round(layer.headcount)
                for unit in replication.inputs.org.units
                for layer in unit.resolved_layers
            )
        ),
        registry.HEADCOUNT_END.name: scenario.headcount_at_end,
        registry.STATUS_QUO_HEADCOUNT_END.name: baseline.headcount_at_end,
        registry.HEADCOUNT_CHANGE.name: scenario.headcount_at_end - baseline.headcount_at_end,
        registry.THROUGHPUT_CHANGE.name: _change(scenario.done.sum(), baseline.done.sum()),
        registry.CYCLE_TIME_CHANGE.name: _change(_cycle_time(scenario), _cycle_time(baseline)),
    }
    return headline, heads


def _bridge(replication: Replication, flows: CashFlows) -> dict[str, dict[str, float]]:
    """The savings bridge over the horizon and at the run rate (none: {}, a replication
    simulated without the bridge's steps)."""
    if replication.hires_without_ai is None:
        return {}
    scenario = replication.scenario
    # the bridge's payroll at the cash flows' price levels: each unit at its own pay
    pay = replication.prices.pay_of_units([u.name for u in scenario.units], len(scenario.months))
    bridge = savings_bridge(replication.payroll_steps, flows.scenario[NEW_ROLES_PAYROLL], pay)
    return {
        "horizon": bridge.over_horizon(),
        "run_rate_annual": bridge.run_rate_annual(),
        **_redeployment(replication, flows),
    }


def _redeployment(replication: Replication, flows: CashFlows) -> dict[str, dict[str, float]]:
    """People redeployed during notice and what it moved, over the horizon (none: {})."""
    units = [u for u in replication.scenario.units if u.redeployed is not None]
    reskilled = [u.reskilled for u in replication.scenario.units if u.reskilled is not None]
    programmes: dict[str, float] = {}
    if reskilled:
        programmes = {
            "people_reskilled": float(sum(r.sum() for r in reskilled)),
            "reskilling_cost": float(flows.scenario[RESKILLING].sum()),
        }
    if not units:
        return {"redeployment": programmes} if programmes else {}
    people = float(sum(u.redeployed.sum() for u in units))  # type: ignore[union-attr]
    pay = replication.prices
    severance = sum(float(np.sum(np.asarray(u.severance_avoided) * pay.pay(u.name))) for u in units)
    cost_per_hire = replication.inputs.org.backfill.cost_per_hire
    return {
        "redeployment": {
            "people_redeployed": people,
            "severance_avoided": severance,
            "external_hires_avoided": people,
            "hiring_costs_avoided": people * cost_per_hire,
            "retraining_cost": float(flows.scenario[RETRAINING].sum()),
            **programmes,
        }
    }


def _cycle_time(trajectory: Trajectory) -> float:
    """Mean cycle time over the horizon, in weeks, items done weighting each month."""
    values = np.concatenate([u.cycle_time_mean_weeks for u in trajectory.units])
    weights = np.concatenate([u.done for u in trajectory.units])
    return _weighted_mean(values, weights)


def _unit_series(
    prefix: str, trajectory: Trajectory, prices: PriceLevels
) -> dict[tuple[str, str], np.ndarray]:
    """One trajectory's series by unit; ``prefix`` is "" for the plan, series.BASELINE
    for its twin."""
    out: dict[tuple[str, str], np.ndarray] = {}
    for unit in trajectory.units:
        out[unit.name, f"{prefix}headcount"] = unit.headcount.sum(axis=1)
        for i, layer in enumerate(unit.layers):
            name = prefix + series.metric(Family.LAYER_HEADCOUNT, layer)
            out[unit.name, name] = unit.headcount[:, i]
        # at the cash flows' price levels (pay growth), so the two never disagree
        out[unit.name, f"{prefix}payroll"] = unit.payroll.sum(axis=1) * prices.pay(unit.name)
        out[unit.name, f"{prefix}throughput"] = unit.done
        out[unit.name, f"{prefix}throughput_sampling_se"] = unit.done_se
        out[unit.name, f"{prefix}cycle_time_mean"] = unit.cycle_time_mean_weeks
        out[unit.name, f"{prefix}cycle_time_queueing"] = unit.wait_mean_weeks
        out[unit.name, f"{prefix}cycle_time_sampling_se"] = unit.cycle_time_se_weeks
        out[unit.name, f"{prefix}cycle_time_p90"] = unit.cycle_time_p90_weeks
        out[unit.name, f"{prefix}work_in_progress"] = unit.in_progress
        out[unit.name, f"{prefix}ic_utilisation"] = unit.utilisation[:, 0]
        out[unit.name, f"{prefix}cut"] = unit.cut.sum(axis=1)
        out[unit.name, f"{prefix}leavers"] = unit.leavers.sum(axis=1)
        out[unit.name, f"{prefix}hires"] = unit.hires.sum(axis=1)
        out[unit.name, f"{prefix}on_notice"] = unit.on_notice.sum(axis=1)
        out[unit.name, f"{prefix}ics_needed"] = unit.needed[:, -1]
        if unit.redeployed is not None:  # a plan that redeploys: who joined from notice
            out[unit.name, f"{prefix}redeployed"] = unit.redeployed.sum(axis=1)
        if unit.reskilled is not None:  # a plan with reskilling: who moved in
            out[unit.name, f"{prefix}reskilled"] = unit.reskilled.sum(axis=1)
        for r, role in enumerate(unit.roles):  # the ICs by role (units with roles only)
            headcount, needed = (prefix + series.metric(f, role) for f in ROLE_FAMILIES)
            out[unit.name, headcount] = unit.role_headcount[:, r]  # type: ignore[index]
            out[unit.name, needed] = unit.role_needed[:, r]  # type: ignore[index]
        out[unit.name, f"{prefix}capacity_headroom"] = np.divide(
            unit.ic_capacity_items_per_week,
            unit.demand_per_week,
            out=np.full(len(unit.demand_per_week), np.nan),
            where=unit.demand_per_week > 0,
        )
        out[unit.name, f"{prefix}backlog"] = unit.backlog
    months = len(trajectory.months)
    out["all", f"{prefix}headcount"] = trajectory.headcount
    for unit in trajectory.units:  # a role of the same name in several units: one family
        for r, role in enumerate(unit.roles):
            key = ("all", prefix + series.metric(Family.ROLE_HEADCOUNT, role))
            out[key] = out.get(key, np.zeros(months)) + unit.role_headcount[:, r]  # type: ignore[index]
    out["all", f"{prefix}payroll"] = sum(
        (out[u.name, f"{prefix}payroll"] for u in trajectory.units), np.zeros(months)
    )
    out["all", f"{prefix}throughput"] = trajectory.done
    cycle = np.array(
        [
            _weighted_mean(
                np.array([u.cycle_time_mean_weeks[m] for u in trajectory.units]),
                np.array([u.done[m] for u in trajectory.units]),
            )
            for m in range(months)
        ]
    )
    out["all", f"{prefix}cycle_time_mean"] = cycle
    out["all", f"{prefix}cycle_time_queueing"] = np.array(
        [
            _weighted_mean(
                np.array([u.wait_mean_weeks[m] for u in trajectory.units]),
                np.array([u.done[m] for u in trajectory.units]),
            )
            for m in range(months)
        ]
    )
    out["all", f"{prefix}throughput_sampling_se"] = np.sqrt(
        sum((u.done_se**2 for u in trajectory.units), np.zeros(months))
    )
    out["all", f"{prefix}cycle_time_sampling_se"] = _combined_se(trajectory)
    out["all", f"{prefix}work_in_progress"] = sum(
        (u.in_progress for u in trajectory.units), np.zeros(months)
    )
    for name in ("cut", "leavers", "hires", "on_notice"):
        out["all", f"{prefix}{name}"] = sum(
            (out[u.name, f"{prefix}{name}"] for u in trajectory.units), np.zeros(months)
        )
    return out


def _series(replication: Replication, flows: CashFlows) -> dict[tuple[str, str], np.ndarray]:
    scenario = replication.scenario
    prices = replication.prices
    out = _unit_series("", scenario, prices)
    out.update(_unit_series(series.BASELINE, replication.baseline, prices))
    months = len(scenario.months)
    layer_totals: dict[str, np.ndarray] = {}
    for unit in scenario.units:
        for i, layer in enumerate(unit.layers):
            layer_totals.setdefault(layer, np.zeros(months))
            layer_totals[layer] = layer_totals[layer] + unit.headcount[:, i]
    for layer, values in layer_totals.items():
        out["all", series.metric(Family.LAYER_HEADCOUNT, layer)] = values
    for twin, run in ((False, scenario), (True, replication.baseline)):
        for level, values in enumerate(_by_level(run)):
            out["all", series.metric(Family.LEVEL_HEADCOUNT, level, twin)] = values
    out["all", "new_roles_headcount"] = sum((r.headcount for r in scenario.roles), np.zeros(months))
    if replication.hires_without_ai is not None:  # simulated with the bridge's steps
        for unit, without_ai in zip(scenario.units, replication.hires_without_ai, strict=True):
            out[unit.name, "hires_avoided_by_ai"] = without_ai - unit.hires.sum(axis=1)
        out["all", "hires_avoided_by_ai"] = sum(
            (out[u.name, "hires_avoided_by_ai"] for u in scenario.units), np.zeros(months)
        )
    out["all", "net_cash_flow"] = flows.net
    out["all", "cumulative_net_cash"] = np.cumsum(flows.net)
    out["all", "scenario_cost"] = sum(flows.scenario.values(), np.zeros(months))
    out["all", "baseline_cost"] = sum(flows.baseline.values(), np.zeros(months))
    staff = scenario.headcount
    seats = sum((p.seats for p in scenario.programs), np.zeros(months))
    out["all", "ai_seats"] = seats
    out["all", "ai_adoption"] = np.divide(seats, staff, out=np.zeros(months), where=staff > 0)
    out["all", "ai_running_cost"] = flows.scenario[AI_RUNNING]
    out["all", "payroll_savings"] = out["all", "baseline_payroll"] - out["all", "payroll"]
    for program in scenario.programs:
        out["all", series.metric(Family.AI_ADOPTION, program.name)] = program.adoption
        out["all", series.metric(Family.AI_SEATS, program.name)] = program.seats
        out["all", series.metric(Family.AI_BUDGET, program.name)] = np.where(
            np.isfinite(program.budget), program.budget, np.nan
        )
    return out


def _by_level(trajectory: Trajectory) -> list[np.ndarray]:
    """Headcount per level counted up from the ICs (level 0), all units together.

    Levels are positions in the starting organisation, so a removed layer shows 0.
    """
    months = len(trajectory.months)
    levels: list[np.ndarray] = []
    for unit in trajectory.units:
        for level in range(len(unit.layers)):
            if level == len(levels):
                levels.append(np.zeros(months))
            levels[level] = levels[level] + unit.headcount[:, len(unit.layers) - 1 - level]
    return levels


def _combined_se(trajectory: Trajectory) -> np.ndarray:
    """Standard error of the all-units mean cycle time: units are independent samples,
    weighted by the items each did."""
    done = np.array([u.done for u in trajectory.units])
    se = np.array([u.cycle_time_se_weeks for u in trajectory.units])
    total = done.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = np.where(total > 0, done / total, np.nan)
        return np.sqrt(np.nansum((weights * se) ** 2, axis=0))
