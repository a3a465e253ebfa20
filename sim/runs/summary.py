"""The run's result, built once: a frozen, typed :class:`RunSummary` of the Monte Carlo results.

Every figure computed over the replications lives here: the headline bands and
their calendar months, the mean cash flow's figures, the fiscal years, the
savings bridge, the overloaded units, how settled the NPV is and how much of the
work flow is sampling noise. summary.json is its serialised form; its one writer
and its one reader are in :mod:`sim.report.summaryfile`. Everything that shows a
run (the printout, the packs, the workbook, the charts, the comparisons) reads
attributes of this type, never keys of a dict.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim._version import __version__
from sim.finance import metrics
from sim.finance.bridge import LABELS as BRIDGE_LABELS
from sim.finance.bridge import REDEPLOYMENT
from sim.finance.bridge import SHORT_LABELS as BRIDGE_SHORT_LABELS
from sim.finance.cashflows import (
    AI_RUNNING,
    HIRING,
    NEW_ROLES_HIRING,
    CashFlows,
    payroll_line,
)
from sim.finance.valuation import Valuation, fiscal_years, terminal_terms, valuation
from sim.runs import notebook, orgviews, series
from sim.runs.bands import Band, band, target_probabilities
from sim.runs.headcountbridge import HeadcountBridge, headcount_bridge
from sim.runs.headlines import IRR, NEVER, NPV, PAYBACK, REGISTRY, Headline
from sim.runs.held import column
from sim.runs.orgviews import LayerView, Shape
from sim.runs.running import RunningNpv, running_npv
from sim.runs.series import Family
from sim.scenario.distributions import Distribution
from sim.scenario.drawn import nominal_scenario
from sim.scenario.schema import nominal

if TYPE_CHECKING:  # the summary reads plain results; it needs nothing of the engine
    from sim.runs.montecarlo import Results

#: what summary.json says about its units, once (docs/model.md has the long form)
CONVENTIONS = {
    "rates_and_shares": "fractions: 0.08 is 8%, -0.034 is 3.4% less (every rate, share, "
    "change and IRR in this file)",
    "money": "in the currency above, at valuation-date prices grown by the pay and price "
    "growth rates; NPV and terminal value are valued at the valuation point",
    "months": "payback months count from the valuation month (1 = the valuation month; 0 = "
    "nothing to pay back by then; null = not within the horizon); *_date is the calendar month",
    "statistics": "headline: P10/P50/P90/mean over the replications, each replication's own "
    "figure; mean_cash_flow: the figures of the replications' mean cash flow, which the "
    "workbook recomputes. NPV, run rate and one-time costs agree in both (the mean of NPVs "
    "is the NPV of the mean); paybacks and IRR need not",
}
VALUATION_NOTE = (
    "money is valued at the start of the valuation month; months before it are compounded "
    "forward to it, months after discounted (monthly compounding)"
)
BRIDGE_NOTE = (
    "payroll saved against the status quo, by cause: each cause is what adding it to the "
    "plan took off payroll, on the same random numbers, knock-on rehiring and attrition "
    "included; the means add up to the mean total"
)
SAMPLING_NOTE = (
    "sampling error of the horizon's total work done and mean cycle time, from simulating a "
    "sample of teams (raise meta.fidelity_items to shrink it)"
)
#: the statistics note when the discount rate is uncertain: NPV is linear in the cash
#: flows only at one rate, so the mean of the NPVs is not the mean cash flow's NPV
UNCERTAIN_RATE_STATISTICS = (
    "headline: P10/P50/P90/mean over the replications, each replication's own figure; "
    "mean_cash_flow: the figures of the replications' mean cash flow, which the workbook "
    "recomputes. Run rate and one-time costs agree in both; NPV does not: the discount rate "
    "is uncertain, so each replication discounts at the rate it drew and the mean cash flow "
    "at the rate's mean (mean_cash_flow.discount_rate_annual); paybacks and IRR need not agree"
)
PROBABILITIES_NOTE = (
    "shares of the replications: NPV above zero; payback month at or before the target (a "
    "payback not within the horizon is not within it); null: no target"
)
BOOTSTRAP_RESAMPLES = 500
#: months at the end of the horizon that say whether a unit is overloaded
OVERLOAD_MONTHS = 3
#: the savings bridge's two windows
BRIDGE_WINDOWS = ("run_rate_annual", "horizon")
#: the bridge's total over its causes
BRIDGE_TOTAL = "total"


@dataclass(frozen=True)
class ScenarioFile:
    """The scenario file a run read: its path, its name, its SHA-256 and what the plan
    is in words (its ``meta.description``; '' in a summary written before it was kept)."""

    path: str
    name: str
    sha256: str
    description: str = ""


@dataclass(frozen=True)
class ValuationFrame:
    """Where the money is valued: the date, why that date, and its month."""

    date: str
    basis: str
    month: str
    months_before: int
    note: str = VALUATION_NOTE


@dataclass(frozen=True)
class MeanCashFlow:
    """The headline figures of the replications' mean cash flow (the workbook's)."""

    discount_rate_annual: float
    npv: float
    terminal_value: float | None
    npv_with_terminal_value: float | None
    payback_month: float | None
    payback_date: str | None
    discounted_payback_month: float | None
    discounted_payback_date: str | None
    irr_annual: float | None
    irr_note: str | None
    run_rate_savings_annual: float
    one_time_costs: float
    #: net benefit over the horizon per unit of one-time cost (None: no one-time costs)
    roi: float | None = None

    def figure(self, headline: Headline) -> float | None:
        """The mean cash flow's figure of ``headline``; KeyError if it has none."""
        if headline.name not in _MEAN_FIGURES:
            raise KeyError(headline.name)
        value: float | None = getattr(self, headline.name)
        return value

    def has(self, headline: Headline) -> bool:
        return headline.name in _MEAN_FIGURES

    def date(self, headline: Headline) -> str | None:
        """The calendar month of a payback of the mean cash flow."""
        return self.payback_date if headline is PAYBACK else self.discounted_payback_date


_MEAN_FIGURES = frozenset(
    {
        "npv",
        "terminal_value",
        "npv_with_terminal_value",
        "payback_month",
        "discounted_payback_month",
        "irr_annual",
        "run_rate_savings_annual",
        "one_time_costs",
        "roi",
    }
)


@dataclass(frozen=True)
class FiscalYear:
    """Net savings (before one-time costs), one-time costs and net cash of a fiscal year."""

    fiscal_year: str
    first_month: str
    last_month: str
    months: int
    net_savings: float
    one_time_costs: float
    net_cash: float

    @property
    def partial(self) -> bool:
        return self.months < 12


@dataclass(frozen=True)
class SavingsBridge:
    """Payroll saved by cause, at the run rate and over the horizon: a band a cause
    (and the total, last)."""

    run_rate_annual: Mapping[str, Band]
    horizon: Mapping[str, Band]
    labels: Mapping[str, str]
    note: str = BRIDGE_NOTE


RUN_RATE_BRIDGE_NOTE = (
    "run-rate savings a year by cause, the replications' mean cash flow's: the payroll "
    "saved by cause (the savings bridge's means), then the recurring costs beside payroll; "
    "the lines add up to the run-rate savings exactly"
)
#: a bridge line smaller than this share of the largest one is shown among "smaller items"
FOLD_SHARE = 0.01


@dataclass(frozen=True)
class BridgeLine:
    """One cause of the run-rate savings: a year's saving at the run rate (+ saves)."""

    name: str
    label: str
    short_label: str
    annual: float


@dataclass(frozen=True)
class RunRateBridge:
    """From the payroll saved by cause to the run-rate savings a year: every output's one
    bridge (the printout, the report, the deck and the cost-bridge chart)."""

    lines: tuple[BridgeLine, ...]
    #: the run-rate savings a year of the mean cash flow: the lines' sum
    total: float
    note: str = RUN_RATE_BRIDGE_NOTE

    def shown(self, share: float = FOLD_SHARE) -> tuple[BridgeLine, ...]:
        """The lines as a chart or a table shows them: those under ``share`` of the
        largest folded into one line of smaller items, named; they still add up."""
        largest = max((abs(line.annual) for line in self.lines), default=0.0)
        big = [line for line in self.lines if abs(line.annual) >= share * largest]
        small = [line for line in self.lines if line not in big]
        if not small:
            return self.lines
        names = ", ".join(line.short_label.lower() for line in small)
        folded = BridgeLine(
            "smaller_items",
            f"Smaller items ({names})",
            "Smaller items",
            sum(x.annual for x in small),
        )
        return (*big, folded)


@dataclass(frozen=True)
class OverloadedUnit:
    """A unit whose ICs could not keep up with demand at the end of the horizon."""

    unit: str
    capacity_headroom: float
    backlog_end: float
    backlog_growth_per_month: float


@dataclass(frozen=True)
class Convergence:
    """How settled the NPV is: standard errors of its mean and of its median, and its
    statistics as the replications arrived (the convergence chart's; None: a folder
    written before them)."""

    npv_mean_se: float | None
    npv_p50_se: float | None
    replications: int
    running: RunningNpv | None = None


@dataclass(frozen=True)
class SamplingError:
    """How much of the throughput and cycle time is sampling noise (meta.fidelity_items)."""

    throughput_relative_se: float | None
    cycle_time_relative_se: float | None
    note: str = SAMPLING_NOTE


@dataclass(frozen=True)
class Probabilities:
    """P(NPV > 0) and P(payback within finance.payback_target_months): shares of the
    replications (None: no replications, or no target)."""

    npv_above_zero: float | None
    payback_within_target: float | None
    payback_target_months: int | None
    note: str = PROBABILITIES_NOTE


@dataclass(frozen=True)
class UnboundedQueue:
    """A unit whose work in progress grew without bound in some replications."""

    unit: str
    replications: int
    of: int
    work_in_progress_from: float
    work_in_progress_to: float


@dataclass(frozen=True)
class UnseatedProgram:
    """An AI programme that never got a seat in some replications, its one-time cost spent."""

    program: str
    replications: int
    of: int
    #: "reinvest_share" or "budget_per_month"
    funded_by: str
    one_time_cost: float


@dataclass(frozen=True)
class ReinvestedProgram:
    """A programme funded from savings: its share (a ceiling) and the adoption it bought."""

    program: str
    reinvest_share: float
    adoption_end: float
    ceiling: float
    #: the ai.funding_pools entry it shares its share with, if any
    pool: str | None = None


INTERNAL_MOVES_NOTE = (
    "people moved inside the organisation over the horizon, bands over the replications: "
    "redeployed during their notice into open requisitions (neither severed nor hired from "
    "outside), and reskilled from a shrinking role to a growing one; money at the "
    "scenario's pay growth"
)
ROLES_NOTE = (
    "ICs in each role, all units together, in the first month simulated and the last, "
    "under the plan and the status quo, bands over the replications; against_status_quo "
    "is paired replication by replication. Where a role's exposure comes from its SOC "
    "code, the score is AI applicability (Tomlinson et al. 2025), not replacement"
)


@dataclass(frozen=True)
class InternalMoves:
    """What redeployment during notice and reskilling moved over the horizon (a plan
    with either; a figure of the one it lacks is None)."""

    people_redeployed: Band | None
    severance_avoided: Band | None
    external_hires_avoided: Band | None
    hiring_costs_avoided: Band | None
    retraining_cost: Band | None
    people_reskilled: Band | None
    reskilling_cost: Band | None
    note: str = INTERNAL_MOVES_NOTE


@dataclass(frozen=True)
class RoleHeadcount:
    """One role's ICs, all units together, at the start and at the horizon."""

    role: str
    start: Band
    plan_end: Band
    status_quo_end: Band
    against_status_quo: Band


@dataclass(frozen=True)
class FlowSampleSummary:
    """Which replications simulated the work flow (the first ``replications`` of
    ``of``), how that count was chosen, and how tight the flow headlines are over them."""

    rule: str
    replications: int
    of: int
    #: each flow headline's confidence interval half-width over the sample (None: none)
    half_width: Mapping[str, float | None]
    #: what the rule asked for (None: a count was given)
    target_half_width: float | None


@dataclass(frozen=True, repr=False)  # one line in a notebook, not every field: __repr__
class RunSummary:
    """A run's result: what summary.json holds, field for field, in its order."""

    scenario: ScenarioFile
    seed: int
    replications: int
    #: the replications, the first ones, that simulated the work flow
    flow_replications: int
    version: str
    currency: str
    horizon_months: int
    months_simulated: int
    first_month: str
    last_month: str
    valuation: ValuationFrame
    #: the scenario's terminal value terms (years, growth_annual); None: none
    terminal_value: Mapping[str, Any] | None
    fiscal_year_start_month: int
    #: the staffing policy in force in each unit (org.staffing, or the unit's own)
    staffing: Mapping[str, str]
    conventions: Mapping[str, str]
    headline: Mapping[str, Band]
    #: the replications each headline rests on: every one for money and headcount, the
    #: flow sample for the work flow's
    headline_replications: Mapping[str, int]
    #: the calendar months of the payback bands: headline -> statistic -> month
    headline_dates: Mapping[str, Mapping[str, str | None]]
    paid_back_within_horizon: Mapping[str, int]
    probabilities: Probabilities | None
    notes: Mapping[str, str]
    #: None only in a folder written before the mean cash flow was reported
    mean_cash_flow: MeanCashFlow | None
    fiscal_years: tuple[FiscalYear, ...]
    savings_bridge: SavingsBridge | None
    #: None only in a folder written before it was reported
    run_rate_bridge: RunRateBridge | None
    overloaded_units: tuple[OverloadedUnit, ...]
    unbounded_queues: tuple[UnboundedQueue, ...]
    unseated_programs: tuple[UnseatedProgram, ...]
    reinvested_programs: tuple[ReinvestedProgram, ...]
    convergence: Convergence | None
    sampling_error: SamplingError | None
    #: how a run that stops when settled stopped (sim.runs.precision); None: a fixed count
    stopping: Mapping[str, Any] | None = None
    #: how the flow sample was chosen (sim.runs.flowsample); None: every replication
    flow_sample: FlowSampleSummary | None = None
    #: redeployment and reskilling (None: a plan that moves no one inside)
    internal_moves: InternalMoves | None = None
    #: the ICs by role (empty: a run without roles)
    headcount_by_role: tuple[RoleHeadcount, ...] = ()
    roles_note: str | None = None
    #: start -> cuts -> attrition -> hires -> new roles -> end; None: a folder from before it
    headcount_bridge: HeadcountBridge | None = None
    #: each unit's layers: people start and end, plan and status quo, payroll saved a year
    layers: tuple[LayerView, ...] = ()
    #: the whole organisation's and each unit's layers and average span, before and after
    shapes: tuple[Shape, ...] = ()

    @property
    def name(self) -> str:
        return self.scenario.name

    def rests_on(self, headline: Headline) -> int:
        """How many replications the headline's band is over."""
        return self.headline_replications.get(headline.name, self.replications)

    def facts(self) -> str:
        """'20 replications, seed 2025, 39 months from 2025-07'."""
        return (
            f"{self.replications} replications, seed {self.seed}, {self.months_simulated} "
            f"months from {self.first_month}"
        )

    def __repr__(self) -> str:
        return notebook.short_repr(
            "RunSummary", self.name, self.facts(), self.headline, self.currency
        )

    def _repr_html_(self) -> str:
        title = f"{self.name}: restructuring simulation"
        return notebook.headline_html(title, self.facts(), self.headline, self.currency)

    def band(self, headline: Headline) -> Band | None:
        """The headline's band; None in a folder written before it existed."""
        return self.headline.get(headline.name)

    def date_of(self, headline: Headline, stat: str) -> str | None:
        """The calendar month of a payback band's statistic (None: not within, or none)."""
        return self.headline_dates.get(headline.name, {}).get(stat)

    @property
    def mean(self) -> MeanCashFlow:
        """The mean cash flow's figures; KeyError in a folder written before them."""
        if self.mean_cash_flow is None:
            raise KeyError("mean_cash_flow")
        return self.mean_cash_flow

    @property
    def irr_note(self) -> str | None:
        """Why the mean cash flow's IRR is no rate to read (None: it is one)."""
        return self.mean_cash_flow.irr_note if self.mean_cash_flow is not None else None


def conventions(results: Results) -> dict[str, str]:
    """What summary.json says about its units and statistics, true of this run."""
    if not isinstance(results.scenario.meta.discount_rate_annual, Distribution):
        return CONVENTIONS
    return {**CONVENTIONS, "statistics": UNCERTAIN_RATE_STATISTICS}


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def mean_present(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """np.nanmean without its warning: the mean of the values that are not NaN (along
    ``axis``), NaN where there are none (a unit with no one in it has no headroom)."""
    values = np.asarray(values, dtype=float)
    present = ~np.isnan(values)
    count = present.sum(axis=axis)
    total = np.where(present, values, 0.0).sum(axis=axis)
    return np.divide(total, count, out=np.full(np.shape(total), np.nan), where=count > 0)


def convergence(results: Results) -> Convergence:
    """How settled the NPV is: standard errors of its mean and of its median."""
    npv = np.array(column(results.headlines, NPV.name), dtype=float)
    n = npv.size
    if n < 2:
        return Convergence(None, None, n, running_npv(npv))
    medians = _bootstrap_medians(npv)
    return Convergence(
        float(npv.std(ddof=1) / math.sqrt(n)), float(medians.std(ddof=1)), n, running_npv(npv)
    )


#: the draws of the bootstrap made at once: a few MiB, whatever the run's length
BOOTSTRAP_BLOCK = 2**18


def _bootstrap_medians(npv: np.ndarray) -> np.ndarray:
    """The medians of BOOTSTRAP_RESAMPLES resamples of ``npv``, a block of resamples at a
    time: drawn whole, the resamples held 8 KB a replication (80 MiB at 10,000, the
    coordinator's peak while it wrote the run folder). PCG64 keeps the half of a 64-bit
    draw a bounded 32-bit draw leaves in its own state, so the blocks draw the same
    indices as one ``rng.choice(npv, size=(BOOTSTRAP_RESAMPLES, n))``: the same figures."""
    n = npv.size
    rng = np.random.default_rng(0)  # fixed: the same results give the same summary
    step = max(1, BOOTSTRAP_BLOCK // n)
    medians = np.empty(BOOTSTRAP_RESAMPLES)
    for start in range(0, BOOTSTRAP_RESAMPLES, step):
        stop = min(start + step, BOOTSTRAP_RESAMPLES)
        draws = rng.integers(0, n, size=(stop - start, n))
        medians[start:stop] = np.median(npv[draws], axis=1)
    return medians


def annual_rate(results: Results) -> float:
    """The scenario's discount rate as written (its mean, if it is uncertain)."""
    return float(nominal(results.scenario.meta.discount_rate_annual))


def _valuation(results: Results) -> Valuation:
    return valuation(results.scenario)


def mean_cash_flow_figures(results: Results) -> MeanCashFlow:
    """The headline figures of the replications' mean cash flow: what the workbook's
    formulas recompute, and what the tables show as "mean cash flow"."""
    flows = results.mean_cash_flows()
    rate = annual_rate(results)
    frame = _valuation(results)
    heads = metrics.headlines(
        flows.net,
        rate,
        flows.one_time,
        frame.offset,
        terminal_terms(nominal_scenario(results.scenario)),
    )
    return MeanCashFlow(
        discount_rate_annual=rate,
        npv=heads.npv,
        terminal_value=heads.terminal_value,
        npv_with_terminal_value=heads.npv_with_terminal_value,
        payback_month=heads.payback_month,
        payback_date=frame.month_label(results.months, heads.payback_month),
        discounted_payback_month=heads.discounted_payback_month,
        discounted_payback_date=frame.month_label(results.months, heads.discounted_payback_month),
        irr_annual=heads.irr_annual,
        irr_note=heads.irr_reason,
        run_rate_savings_annual=heads.run_rate_savings_annual,
        one_time_costs=heads.one_time_costs,
        roi=heads.roi,
    )


def _payback_dates(results: Results, bands: Mapping[str, Band]) -> dict[str, dict]:
    """The calendar months of the payback bands (percentiles of whole months are months)."""
    frame = _valuation(results)
    return {
        name: {
            k: frame.month_label(results.months, v)
            for k, v in bands[name].as_dict().items()
            if k != "mean"
        }
        for name in NEVER
    }


def fiscal_year_rows(flows: CashFlows, start_month: int) -> tuple[FiscalYear, ...]:
    """Net savings (before one-time costs), one-time costs and net cash by fiscal year."""
    net, one_time = flows.net, flows.one_time
    return tuple(
        FiscalYear(
            fiscal_year=label,
            first_month=flows.months[months[0]],
            last_month=flows.months[months[-1]],
            months=len(months),
            net_savings=float(np.sum(net[months] + one_time[months])),
            one_time_costs=float(np.sum(one_time[months])),
            net_cash=float(np.sum(net[months])),
        )
        for label, months in fiscal_years(flows.months, start_month)
    )


def paid_back(results: Results) -> dict[str, int]:
    """In how many replications each payback comes within the horizon (0 included)."""
    return {name: sum(v is not None for v in column(results.headlines, name)) for name in NEVER}


def _notes(results: Results) -> dict[str, str]:
    n = results.count
    notes = {}
    for name, paid in paid_back(results).items():
        notes[name] = (
            f"paid back within the horizon in {paid} of {n} replications; null = not within "
            "the horizon; 0 = nothing to pay back"
        )
    reasons = [r for r in results.irr_reasons if r]
    if reasons:
        # ties go to the first in replication order: a set's order changes with the
        # process's hash seed, and summary.json must not
        common = Counter(reasons).most_common(1)[0][0]
        notes[IRR.name] = (
            f"no rate to read in {len(reasons)} of {n} replications (most often: {common}); "
            "percentiles are over the replications whose IRR reads as a rate"
        )
    return notes


def flowed(results: Results, key: tuple[str, str]) -> np.ndarray:
    """(flow replications, months) values of a work-flow series: the replications that
    simulated it (the first ones), never the NaN of those that did not."""
    return results.stacked(key)[: results.flow_replications]


def headline_replications(results: Results) -> dict[str, int]:
    """The replications each headline rests on: the flow sample for the work flow's."""
    return {h.name: results.flow_replications if h.needs_flow else results.count for h in REGISTRY}


def flow_sample_summary(results: Results) -> FlowSampleSummary | None:
    found = results.flow_sample
    if found is None:
        return None
    return FlowSampleSummary(
        rule=found["rule"],
        replications=found["replications"],
        of=found["of"],
        half_width=dict(found["half_width"]),
        target_half_width=found["target_half_width"],
    )


def overloaded_units(results: Results) -> tuple[OverloadedUnit, ...]:
    """Units whose ICs could not keep up with demand at the end of the horizon.

    In demand mode a shortfall builds a backlog that grows for as long as it
    lasts, and the cycle time of the items done grows with it: the mean
    capacity headroom of the last months is below 1 and the backlog grew.
    """
    found: list[OverloadedUnit] = []
    units = sorted({unit for unit, metric in results.series if metric == "backlog"} - {"all"})
    for unit in units:
        backlogs = flowed(results, (unit, "backlog"))
        if (
            backlogs.shape[0] == 0
            or not np.isfinite(backlogs).all()
            or backlogs.shape[1] <= OVERLOAD_MONTHS
        ):
            continue  # backlog mode: there is always more to do, nothing to overload
        backlog = backlogs.mean(axis=0)
        headroom = mean_present(flowed(results, (unit, "capacity_headroom")), axis=0)
        last = slice(-OVERLOAD_MONTHS, None)
        growth = (backlog[-1] - backlog[-1 - OVERLOAD_MONTHS]) / OVERLOAD_MONTHS
        if float(np.mean(headroom[last])) < 1 and growth > 0:
            found.append(
                OverloadedUnit(
                    unit=unit,
                    capacity_headroom=float(np.mean(headroom[last])),
                    backlog_end=float(backlog[-1]),
                    backlog_growth_per_month=float(growth),
                )
            )
    return tuple(found)


def probabilities(results: Results) -> Probabilities:
    """P(NPV > 0) and P(payback within the scenario's finance.payback_target_months)."""
    target = results.scenario.finance.payback_target_months
    shares = target_probabilities(results.headlines, target)
    return Probabilities(shares["npv_above_zero"], shares["payback_within_target"], target)


#: months at the end over which a queue that grows without bound is recognised
UNBOUNDED_MONTHS = 6
#: its least rise over them: a share of where it stood (a queue growing since the first
#: month of a 36-month run rises 20% in its last six), and weeks of its work done
UNBOUNDED_RISE = 0.1
UNBOUNDED_WEEKS = 2.0


def unbounded_queues(results: Results) -> tuple[UnboundedQueue, ...]:
    """Units whose work in progress grew without bound in some replications.

    A queue short of capacity (ICs or any layer's reviewers) holds every item it
    cannot finish, so its work in progress grows month after month. Recognised per
    replication over the last ``UNBOUNDED_MONTHS`` months (half of a shorter run): it
    rose in all months but one at most, by at least ``UNBOUNDED_RISE`` of where it
    stood and by at least ``UNBOUNDED_WEEKS`` weeks of the unit's work done. A stable
    queue falls about as often as it rises, and a seasonal peak rises for a few
    months, then falls.
    """
    found: list[UnboundedQueue] = []
    units = sorted({u for u, metric in results.series if metric == "work_in_progress"} - {"all"})
    for unit in units:
        wip = flowed(results, (unit, "work_in_progress"))
        months = min(UNBOUNDED_MONTHS, wip.shape[1] // 2)
        if months < 3 or wip.shape[0] == 0:
            continue
        window = wip[:, -1 - months :]
        done = flowed(results, (unit, "throughput"))[:, -months:]
        weeks_of_work = np.nanmean(done, axis=1) * 12 / (365.25 / 7) * UNBOUNDED_WEEKS
        rises = (np.diff(window, axis=1) > 0).sum(axis=1)
        rise = window[:, -1] - window[:, 0]
        growing = (
            (rises >= months - 1)
            & (rise >= UNBOUNDED_RISE * window[:, 0])
            & (rise >= weeks_of_work)
        )
        count = int(growing.sum())
        if count:
            found.append(
                UnboundedQueue(
                    unit=unit,
                    replications=count,
                    of=results.flow_replications,
                    work_in_progress_from=float(np.mean(window[growing, 0])),
                    work_in_progress_to=float(np.mean(window[growing, -1])),
                )
            )
    return tuple(found)


#: fewer seats than this in every month: the programme never got a seat
ONE_SEAT = 1.0


def unseated_programs(results: Results) -> tuple[UnseatedProgram, ...]:
    """AI programmes that never got a seat in some replications, though their one-time
    cost was spent: funded from savings in a plan that saved too little, or a budget too
    small for one seat."""
    found: list[UnseatedProgram] = []
    for program in results.scenario.ai.programs:
        seats = results.stacked(("all", series.metric(Family.AI_SEATS, program.name)))
        never = int((np.nanmax(seats, axis=1, initial=0.0) < ONE_SEAT).sum())
        if never == 0:
            continue
        funding = results.scenario.ai.spending(program)
        found.append(
            UnseatedProgram(
                program=program.name,
                replications=never,
                of=results.count,
                funded_by="reinvest_share"
                if funding is not None and funding.reinvest_share is not None
                else "budget_per_month",
                one_time_cost=float(nominal(program.one_time_cost)),
            )
        )
    return tuple(found)


def reinvested_programs(results: Results) -> tuple[ReinvestedProgram, ...]:
    """Programmes funded from savings: the share they may spend (a ceiling) and how much of
    the seats their S-curve asked for it bought on average."""
    found: list[ReinvestedProgram] = []
    for i, program in enumerate(results.scenario.ai.programs):
        funding = results.scenario.ai.spending(program)
        if funding is None or funding.reinvest_share is None:
            continue
        adoption = results.stacked(("all", series.metric(Family.AI_ADOPTION, program.name)))
        adoption = adoption.mean(axis=0)
        # the ceilings the replications drew, beside the adoption they reached: the
        # scenario's mean is another sample's, and 72% "of its 69% ceiling" read as a bug
        key = f"ai.programs[{i}].adoption.ceiling"
        drawn = [p[key] for p in results.parameters if p.get(key) is not None]
        ceiling = float(np.mean(drawn)) if drawn else float(nominal(program.adoption.ceiling))
        found.append(
            ReinvestedProgram(
                program=program.name,
                reinvest_share=float(nominal(funding.reinvest_share)),
                adoption_end=float(adoption[-1]),
                ceiling=ceiling,
                pool=program.funding.pool if program.funding is not None else None,
            )
        )
    return tuple(found)


def staffing_policies(results: Results) -> dict[str, str]:
    """The staffing policy in force in each unit (org.staffing, or the unit's own)."""
    scenario = results.scenario
    return {u.name: scenario.staffing_for(u.name).policy for u in scenario.org.units}


def savings_bridge_summary(results: Results) -> SavingsBridge:
    """Payroll saved by cause, over the horizon and at the run rate: bands per cause.

    The means add up to the mean total exactly (the percentiles of parts do not
    add up, so the bridge is drawn from the means).
    """
    windows: dict[str, dict[str, Band]] = {}
    for window in BRIDGE_WINDOWS:
        bridges = results.bridges
        parts = list(bridges[0][window]) if bridges else []
        values = {p: column(bridges, window, p) for p in parts}
        # each replication's parts summed in its bridge's order, as sum(its values())
        totals = zip(*values.values(), strict=True) if parts else ((),) * len(bridges)
        values[BRIDGE_TOTAL] = [sum(parts_of) for parts_of in totals]
        windows[window] = {name: band(list(v)) for name, v in values.items()}
    shown = set(results.bridges[0]["horizon"]) if results.bridges else set()
    # a plan that moves no one inside has no such part, nor its label
    labels = {k: v for k, v in BRIDGE_LABELS.items() if k != REDEPLOYMENT or k in shown}
    return SavingsBridge(windows["run_rate_annual"], windows["horizon"], labels)


def internal_moves(results: Results) -> InternalMoves | None:
    """Bands of what redeployment and reskilling moved (None: a plan with neither)."""
    moved = [b["redeployment"] for b in results.bridges if "redeployment" in b]
    if not moved:
        return None

    def figure(name: str) -> Band | None:
        return band([m[name] for m in moved]) if name in moved[0] else None

    return InternalMoves(
        people_redeployed=figure("people_redeployed"),
        severance_avoided=figure("severance_avoided"),
        external_hires_avoided=figure("external_hires_avoided"),
        hiring_costs_avoided=figure("hiring_costs_avoided"),
        retraining_cost=figure("retraining_cost"),
        people_reskilled=figure("people_reskilled"),
        reskilling_cost=figure("reskilling_cost"),
    )


def headcount_by_role(results: Results) -> tuple[RoleHeadcount, ...]:
    """Each role's ICs (all units) at the start and the horizon, plan and status quo."""
    found = []
    metrics = (m for u, m in results.series if u == "all")
    for role in series.items(metrics, Family.ROLE_HEADCOUNT):
        metric = series.metric(Family.ROLE_HEADCOUNT, role)
        plan = results.stacked(("all", metric))
        base = results.stacked(("all", series.baseline(metric)))
        found.append(
            RoleHeadcount(
                role,
                band(plan[:, 0].tolist()),
                band(plan[:, -1].tolist()),
                band(base[:, -1].tolist()),
                band((plan[:, -1] - base[:, -1]).tolist()),
            )
        )
    return tuple(found)


#: the run-rate bridge's line of the AI programmes' running costs
AI_RUNNING_LINE = "ai_running"
#: the recurring cost lines beside payroll, each a line of the run-rate bridge
_RECURRING_LINES = (
    ("hiring", "Hiring costs", "Hiring", (HIRING, NEW_ROLES_HIRING)),
    (AI_RUNNING_LINE, "AI running costs", "AI running", (AI_RUNNING,)),
)


def run_rate_bridge(results: Results, savings: SavingsBridge) -> RunRateBridge:
    """The run-rate savings a year, by cause, of the mean cash flow: the payroll saved by
    cause (the savings bridge's means, the new roles' payroll a cost), the hiring and AI
    running costs, the value of extra work done, and what no cause explains (notice pay
    beyond the horizon's end, say), so that the lines add up to the headline exactly."""
    flows = results.mean_cash_flows()
    months = min(metrics.RUN_RATE_MONTHS, len(flows.months))
    zero = np.zeros(len(flows.months))

    def saved(names: tuple[str, ...]) -> float:
        change = sum((flows.baseline[n] - flows.scenario[n] for n in names), zero)
        return metrics.run_rate_annual(change, months)

    lines = [
        BridgeLine(
            name,
            savings.labels.get(name, name),
            BRIDGE_SHORT_LABELS.get(name, name),
            band.mean or 0.0,
        )
        for name, band in savings.run_rate_annual.items()
        if name != BRIDGE_TOTAL
    ]
    lines += [
        BridgeLine(name, label, short, saved(names))
        for name, label, short, names in _RECURRING_LINES
    ]
    if np.any(flows.throughput_value):
        value = metrics.run_rate_annual(flows.throughput_value, months)
        lines.append(BridgeLine("value_of_work", "Value of extra work done", "Extra work", value))
    total = metrics.run_rate_annual(flows.net + flows.one_time, months)
    rest = total - sum(line.annual for line in lines)
    if abs(rest) > 1e-9 * max(abs(total), 1.0):
        lines.append(BridgeLine("other", "Other, not split by cause", "Other", rest))
    return RunRateBridge(tuple(lines), total)


def sampling_error(results: Results) -> SamplingError:
    """How much of the throughput and cycle time is sampling noise (meta.fidelity_items).

    Relative standard errors over the horizon, averaged over the replications:
    months are independent samples, so their variances add.
    """
    if results.flow_replications == 0:
        return SamplingError(None, None)
    done = flowed(results, ("all", "throughput"))
    done_se = flowed(results, ("all", "throughput_sampling_se"))
    cycle = flowed(results, ("all", "cycle_time_mean"))
    cycle_se = flowed(results, ("all", "cycle_time_sampling_se"))
    totals = done.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        throughput = np.sqrt((done_se**2).sum(axis=1)) / totals
        weights = done / totals[:, None]
        mean_cycle = np.nansum(weights * cycle, axis=1)
        cycle_rel = np.sqrt(np.nansum((weights * cycle_se) ** 2, axis=1)) / mean_cycle
    return SamplingError(
        _finite(float(mean_present(throughput))), _finite(float(mean_present(cycle_rel)))
    )


def run_summary(results: Results, scenario_file: ScenarioFile) -> RunSummary:
    """The run's summary: deterministic for a given scenario and seed."""
    bands = results.headline
    frame = _valuation(results)
    finance = results.scenario.finance
    bridge = savings_bridge_summary(results)
    roles = headcount_by_role(results)
    people = headcount_bridge(results.headcount_flows, results.layer_counts)
    views = organisation_layers(results, people)
    return RunSummary(
        scenario=scenario_file,
        seed=results.seed,
        replications=results.count,
        flow_replications=results.flow_replications,
        version=__version__,
        currency=results.scenario.meta.currency,
        horizon_months=results.scenario.meta.horizon_months,
        months_simulated=len(results.months),
        first_month=results.months[0],
        last_month=results.months[-1],
        valuation=ValuationFrame(
            date=frame.date.isoformat(),
            basis=frame.basis,
            month=results.months[frame.offset],
            months_before=frame.offset,
        ),
        terminal_value=None
        if finance.terminal_value is None
        else finance.terminal_value.model_dump(mode="json"),
        fiscal_year_start_month=finance.fiscal_year_start_month,
        staffing=staffing_policies(results),
        conventions=conventions(results),
        headline=bands,
        headline_replications=headline_replications(results),
        headline_dates=_payback_dates(results, bands),
        paid_back_within_horizon=paid_back(results),
        probabilities=probabilities(results),
        notes=_notes(results),
        mean_cash_flow=mean_cash_flow_figures(results),
        fiscal_years=fiscal_year_rows(results.mean_cash_flows(), finance.fiscal_year_start_month),
        savings_bridge=bridge,
        run_rate_bridge=run_rate_bridge(results, bridge),
        overloaded_units=overloaded_units(results),
        unbounded_queues=unbounded_queues(results),
        unseated_programs=unseated_programs(results),
        reinvested_programs=reinvested_programs(results),
        convergence=convergence(results),
        sampling_error=sampling_error(results),
        stopping=results.stopping,
        flow_sample=flow_sample_summary(results),
        internal_moves=internal_moves(results),
        headcount_by_role=roles,
        roles_note=ROLES_NOTE if roles else None,
        headcount_bridge=people,
        layers=tuple(views),
        shapes=tuple(orgviews.shapes(views)),
    )


def organisation_layers(results: Results, people: HeadcountBridge | None) -> list[LayerView]:
    """Each unit's layers as the organisation views show them: the headcount bridge's
    people (means) and the payroll each layer saves a year at the run rate (the mean
    cash flow's, as the headline run rate is)."""
    if people is None:
        return []
    flows = results.mean_cash_flows()
    months = min(metrics.RUN_RATE_MONTHS, len(flows.months))
    zero = np.zeros(len(flows.months))

    def saved(unit: str, layer: str) -> float:
        line = payroll_line(unit, layer)
        change = flows.baseline.get(line, zero) - flows.scenario.get(line, zero)
        return metrics.run_rate_annual(np.nan_to_num(change), months)

    return orgviews.layer_views(people.by_layer, saved)
