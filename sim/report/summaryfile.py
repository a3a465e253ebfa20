"""summary.json: the one writer (RunSummary -> JSON data) and the one reader (back).

The file is :class:`~sim.runs.summary.RunSummary` serialised field for field, in
the order of its fields; a figure with no value is null; a run with a fixed
count has no ``stopping``. A folder written by an older version may lack the
figures added since (the mean cash flow, the fiscal years, the bridge, ...): they
read back as None or empty, and what shows them says "n/a" or leaves them out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sim.runs.bands import Band
from sim.runs.headcountbridge import HeadcountBridge
from sim.runs.orgviews import LayerView, Shape
from sim.runs.running import RunningNpv
from sim.runs.summary import (
    BridgeLine,
    Convergence,
    FiscalYear,
    FlowSampleSummary,
    InternalMoves,
    MeanCashFlow,
    OverloadedUnit,
    Probabilities,
    ReinvestedProgram,
    RoleHeadcount,
    RunRateBridge,
    RunSummary,
    SamplingError,
    SavingsBridge,
    ScenarioFile,
    UnboundedQueue,
    UnseatedProgram,
    ValuationFrame,
)


def summary_data(summary: RunSummary) -> dict[str, Any]:
    """summary.json's content: the summary's fields in order (no ``stopping`` when none)."""
    data = dataclasses.asdict(summary)
    # what a run has only where its plan has it: a run without is as it always was
    for name in ("stopping", "flow_sample", "internal_moves", "roles_note"):
        if data[name] is None:
            del data[name]
    if not data["headcount_by_role"]:
        del data["headcount_by_role"]
    return data


def _bands(data: Mapping[str, Mapping[str, float | None]]) -> dict[str, Band]:
    return {name: Band(**values) for name, values in data.items()}


def _bridge(data: Mapping[str, Any] | None) -> SavingsBridge | None:
    if not data:
        return None
    return SavingsBridge(
        run_rate_annual=_bands(data.get("run_rate_annual") or {}),
        horizon=_bands(data.get("horizon") or {}),
        labels=dict(data.get("labels") or {}),
        note=data.get("note", ""),
    )


def _run_rate_bridge(data: Mapping[str, Any] | None) -> RunRateBridge | None:
    if not data:
        return None
    lines = tuple(BridgeLine(**line) for line in data["lines"])
    return RunRateBridge(lines, data["total"], data.get("note", ""))


def _moves(data: Mapping[str, Any] | None) -> InternalMoves | None:
    if not data:
        return None
    figures = {k: None if v is None else Band(**v) for k, v in data.items() if k != "note"}
    return InternalMoves(**figures, note=data.get("note", ""))


def _role(data: Mapping[str, Any]) -> RoleHeadcount:
    return RoleHeadcount(
        role=data["role"],
        **{k: Band(**v) for k, v in data.items() if k != "role"},
    )


def _headcount_bridge(data: Mapping[str, Any] | None) -> HeadcountBridge | None:
    if not data:
        return None
    return HeadcountBridge(
        steps=_bands(data.get("steps") or {}),
        by_unit={unit: _bands(steps) for unit, steps in (data.get("by_unit") or {}).items()},
        labels=dict(data.get("labels") or {}),
        by_layer={
            unit: {layer: _bands(ends) for layer, ends in layers.items()}
            for unit, layers in (data.get("by_layer") or {}).items()
        },
        note=data.get("note", ""),
    )


def _convergence(data: Mapping[str, Any] | None) -> Convergence | None:
    if data is None:
        return None
    running = data.get("running")
    return Convergence(
        npv_mean_se=data["npv_mean_se"],
        npv_p50_se=data["npv_p50_se"],
        replications=data["replications"],
        running=None
        if running is None
        else RunningNpv(**{name: tuple(values) for name, values in running.items()}),
    )


def _optional(kind: type, data: Mapping[str, Any] | None) -> Any:
    return None if data is None else kind(**data)


def _rows(kind: type, data: Any) -> tuple:
    return tuple(kind(**row) for row in data or ())


def read_summary(data: Mapping[str, Any]) -> RunSummary:
    """summary.json's content back as the summary it was written from.

    KeyError or TypeError: not a summary (a field it must have is missing, or one it
    does not know is there)."""
    return RunSummary(
        scenario=ScenarioFile(**data["scenario"]),
        seed=data["seed"],
        replications=data["replications"],
        flow_replications=data.get("flow_replications", data["replications"]),
        version=data["version"],
        currency=data["currency"],
        horizon_months=data["horizon_months"],
        months_simulated=data.get("months_simulated", data["horizon_months"]),
        first_month=data["first_month"],
        last_month=data["last_month"],
        valuation=ValuationFrame(**data["valuation"]),
        terminal_value=data.get("terminal_value"),
        fiscal_year_start_month=data.get("fiscal_year_start_month", 1),
        staffing=dict(data.get("staffing") or {}),
        conventions=dict(data.get("conventions") or {}),
        headline=_bands(data["headline"]),
        headline_replications=dict(data.get("headline_replications") or {}),
        headline_dates={k: dict(v) for k, v in (data.get("headline_dates") or {}).items()},
        paid_back_within_horizon=dict(data.get("paid_back_within_horizon") or {}),
        probabilities=_optional(Probabilities, data.get("probabilities")),
        notes=dict(data.get("notes") or {}),
        mean_cash_flow=_optional(MeanCashFlow, data.get("mean_cash_flow")),
        fiscal_years=tuple(FiscalYear(**year) for year in data.get("fiscal_years") or ()),
        savings_bridge=_bridge(data.get("savings_bridge")),
        run_rate_bridge=_run_rate_bridge(data.get("run_rate_bridge")),
        overloaded_units=_rows(OverloadedUnit, data.get("overloaded_units")),
        unbounded_queues=_rows(UnboundedQueue, data.get("unbounded_queues")),
        unseated_programs=_rows(UnseatedProgram, data.get("unseated_programs")),
        reinvested_programs=_rows(ReinvestedProgram, data.get("reinvested_programs")),
        convergence=_convergence(data.get("convergence")),
        sampling_error=_optional(SamplingError, data.get("sampling_error")),
        stopping=data.get("stopping"),
        flow_sample=_optional(FlowSampleSummary, data.get("flow_sample")),
        internal_moves=_moves(data.get("internal_moves")),
        headcount_by_role=tuple(_role(r) for r in data.get("headcount_by_role") or ()),
        roles_note=data.get("roles_note"),
        headcount_bridge=_headcount_bridge(data.get("headcount_bridge")),
        layers=_rows(LayerView, data.get("layers")),
        shapes=_rows(Shape, data.get("shapes")),
    )
