"""Headline metrics of a restructuring, from its monthly net benefit.

The *net benefit* of a month is the baseline twin's cost minus the scenario's
cost in that month (plus the value of any extra throughput): negative while
notice pay, severance and AI build costs are paid, positive once the savings
outrun them. Every function here takes that series as a NumPy float array, one
value per month, month 1 first.

Conventions (see DESIGN.md, "NPV convention", and docs/model.md, "Finance"):

* the *valuation point* is the start of the valuation month (the month of
  ``finance.valuation_date``); ``offset`` is that month's index in the run (0:
  the run's first month). Months are counted from it: the valuation month is
  period 1, the month before it period 0, and so on;
* cash flows fall at month ends, so period 1 is discounted by one month, as a
  spreadsheet's ``NPV(rate, range)`` does; a month before the valuation point
  (period <= 0) is compounded forward to it by ``(1 + m)^(-period)``, so
  every flow is valued at the same date whatever month the run starts in;
* the annual discount rate is turned into the monthly rate that compounds to it;
* payback is the first month from which the cumulative net benefit (from the
  run's first month) is non-negative *and stays so* to the end of the horizon,
  counted in periods; "not within the horizon" is the answer ``None``, not an
  error; a plan whose cumulative net benefit is never negative, or is paid
  back before the valuation month, has nothing (left) to pay back, and its
  payback month is :data:`NOTHING_TO_PAY_BACK` (0).

Comparisons are exact (``>= 0`` on the running sum, no tolerance), because the
workbook recomputes payback as a running sum of the same cells and must agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy_financial as npf
from numpy.typing import NDArray

from sim.model.calendar import MONTHS_PER_YEAR

NOTHING_TO_PAY_BACK = 0
"""Payback month of a plan whose cumulative net benefit is never negative:
there was no net investment, so nothing to pay back (month 0, "at once")."""

RUN_RATE_MONTHS = 3
"""Months averaged for the run rate: one month of a simulation is noisy
(attrition draws, seasonality, the timing of hires), a quarter is not."""

IRR_MEANINGFUL_MAX_ANNUAL = 1.0
"""Above 100% a year an IRR says only that the outlay is small beside the savings:
the figure swings by hundreds of points with a month's timing, and a review
reads payback and NPV instead (the IRR stays in summary.json with the reason)."""
FIRST_YEAR_MONTHS = 12

NOT_MEANINGFUL_FIRST_YEAR = "pays back within the first year: IRR not meaningful"
NOT_MEANINGFUL_HIGH = "above 100% a year: IRR not meaningful (a small outlay beside the savings)"
NOT_MEANINGFUL_NEVER = "does not pay back within the horizon: no positive rate of return"
NEVER_NEGATIVE = "cash flows never turn negative: nothing invested, so no rate of return"
NEVER_POSITIVE = "cash flows never turn positive: the investment is never recovered"
ALL_ZERO = "cash flows are all zero: nothing invested and nothing returned, so no rate of return"
NO_REAL_RATE = "no real rate of return solves NPV = 0"
#: the reasons flows have no rate of return at all: they never change sign
NO_SIGN_CHANGE = (NEVER_NEGATIVE, NEVER_POSITIVE, ALL_ZERO)

FloatArray = NDArray[np.float64]


def monthly_rate(annual_rate: float) -> float:
    """The monthly rate that compounds, over twelve months, to ``annual_rate``."""
    return (1.0 + annual_rate) ** (1.0 / MONTHS_PER_YEAR) - 1.0


def annualise(monthly: float) -> float:
    """The annual rate that twelve months of compounding at ``monthly`` give."""
    return (1.0 + monthly) ** MONTHS_PER_YEAR - 1.0


# --- discounting --------------------------------------------------------------


def periods(months: int, offset: int = 0) -> np.ndarray:
    """Each month's period from the valuation point: 1 for the valuation month
    (index ``offset``), 0 for the month before it, ``months - offset`` for the last."""
    return np.arange(1, months + 1) - offset


def present_values(net: FloatArray, annual_rate: float, offset: int = 0) -> FloatArray:
    """Each month's net benefit valued at the valuation point: divided by (1 + m)^period.

    ``m`` is the monthly rate equivalent to ``annual_rate``. The valuation month
    is discounted by one whole month because its cash falls at the month's end;
    a month before the valuation point has a period <= 0 and is compounded forward.
    """
    net = np.asarray(net, dtype=float)
    return net / (1.0 + monthly_rate(annual_rate)) ** periods(len(net), offset)


def npv(net: FloatArray, annual_rate: float, offset: int = 0) -> float:
    """Net present value of the plan at the valuation point (monthly compounding).

    From the valuation month on it equals a spreadsheet's ``NPV(m, range)``.
    numpy-financial's ``npv`` leaves its first value undiscounted (cash at time
    0), so a leading zero stands for the valuation point and the valuation
    month becomes one period away. Months before it are compounded forward to
    the same point (their future value, numpy-financial's ``fv``).
    """
    net = np.asarray(net, dtype=float)
    rate = monthly_rate(annual_rate)
    after = float(npf.npv(rate, np.concatenate(([0.0], net[offset:]))))
    before = net[:offset]
    # a flow k months before the valuation point grows to flow x (1 + m)^k there (its
    # future value; numpy-financial's fv divides by the rate, and warns at a rate of 0)
    grown = before * (1.0 + rate) ** np.arange(len(before) - 1, -1, -1)
    return after + float(np.sum(grown))


# --- payback ------------------------------------------------------------------


def cumulative(net: FloatArray) -> FloatArray:
    """Cumulative net benefit at the end of each month."""
    return np.cumsum(np.asarray(net, dtype=float))


def first_month_staying_non_negative(running_total: FloatArray) -> int | None:
    """The month (1-based) from which a running total is >= 0 to the end.

    This is the rule behind both paybacks: a running total that crosses zero
    and then dips below it again has not paid back until its last crossing.
    Returns :data:`NOTHING_TO_PAY_BACK` when the total is never negative, and
    ``None`` when it is still negative in the last month (not within the
    horizon).
    """
    negative_months = np.flatnonzero(np.asarray(running_total) < 0)
    if negative_months.size == 0:
        return NOTHING_TO_PAY_BACK
    last_negative_index = int(negative_months[-1])
    if last_negative_index == len(running_total) - 1:
        return None
    # the month after the last negative one; indices are 0-based, months 1-based
    return last_negative_index + 2


def from_valuation(run_month: int | None, offset: int) -> int | None:
    """A month of the run (1-based) counted from the valuation month instead
    (1 = the valuation month); a payback before it is :data:`NOTHING_TO_PAY_BACK`."""
    if run_month is None or run_month == NOTHING_TO_PAY_BACK:
        return run_month
    return max(run_month - offset, NOTHING_TO_PAY_BACK)


def payback_month(net: FloatArray, offset: int = 0) -> int | None:
    """The month, counted from the valuation month, in which the cumulative net
    benefit turns non-negative for good.

    ``None`` means the plan does not pay back within the horizon;
    :data:`NOTHING_TO_PAY_BACK` (0) means there was never anything to pay back,
    or it was paid back before the valuation month.
    """
    return from_valuation(first_month_staying_non_negative(cumulative(net)), offset)


def discounted_payback_month(net: FloatArray, annual_rate: float, offset: int = 0) -> int | None:
    """Payback month on present values: the same rule as :func:`payback_month`,
    applied to the cumulative sum of :func:`present_values`.

    For a conventional plan (costs first, savings after) and a positive rate it
    never comes before the plain payback. Where savings come *before* costs,
    discounting shrinks the later costs and can make it come earlier.
    """
    present = present_values(net, annual_rate, offset)
    return from_valuation(first_month_staying_non_negative(cumulative(present)), offset)


# --- internal rate of return --------------------------------------------------


@dataclass(frozen=True)
class IRRResult:
    """An annual internal rate of return, or why the plan has none.

    Exactly one of ``value`` and ``reason`` is set.
    """

    value: float | None
    reason: str | None


def _no_sign_change_reason(net: FloatArray) -> str | None:
    """Why the flows cannot have a rate of return, if they never change sign."""
    has_cost = bool(np.any(net < 0))
    has_saving = bool(np.any(net > 0))
    if not has_cost and not has_saving:
        return ALL_ZERO
    if not has_cost:
        return NEVER_NEGATIVE
    if not has_saving:
        return NEVER_POSITIVE
    return None


def irr_annual(net: FloatArray) -> IRRResult:
    """Internal rate of return of the monthly flows, annualised as (1 + m)^12 - 1.

    The rate makes the NPV zero, so discounting month 1 by one period (a
    leading zero) only multiplies the NPV by a constant and does not move it.
    With several sign changes there may be several such rates; numpy-financial
    returns the one closest to zero.
    """
    net = np.asarray(net, dtype=float)
    reason = _no_sign_change_reason(net)
    if reason is not None:
        return IRRResult(value=None, reason=reason)
    monthly = float(npf.irr(net))
    if np.isnan(monthly):
        return IRRResult(value=None, reason=NO_REAL_RATE)
    return IRRResult(value=annualise(monthly), reason=None)


def irr_shown(irr: IRRResult, payback: int | None, total_net: float | None = None) -> str | None:
    """Why an IRR should not be read as a rate, or ``None`` when it can be.

    No sign change: the reason it has none. Not paid back within the horizon, with
    a negative rate or less back than spent (``total_net`` < 0, whether or not a
    negative rate solves): the horizon's rate says only that the money is not back
    yet (it tends to -100% on a short one). No real root: the reason. Paid back
    within the first year from the valuation date, or above
    :data:`IRR_MEANINGFUL_MAX_ANNUAL`: not meaningful, with the reason. The
    workbook's IRR cell applies the same rule in a formula.
    """
    if irr.reason in NO_SIGN_CHANGE:
        return irr.reason
    if payback is None and total_net is not None and total_net < 0:
        return NOT_MEANINGFUL_NEVER
    if irr.value is None:
        return irr.reason
    if payback is None and irr.value < 0:
        return NOT_MEANINGFUL_NEVER
    if payback is not None and payback <= FIRST_YEAR_MONTHS:
        return NOT_MEANINGFUL_FIRST_YEAR
    if irr.value > IRR_MEANINGFUL_MAX_ANNUAL:
        return NOT_MEANINGFUL_HIGH
    return None


# --- run rate and return on investment ----------------------------------------


def run_rate_annual(net: FloatArray, months: int = RUN_RATE_MONTHS) -> float:
    """Annualised savings at the end of the horizon: the mean of the last ``months``
    months, times twelve (headlines() passes the net benefit before one-time costs).

    Averaging a few months smooths the month-to-month noise of a simulated
    organisation, so the figure describes the steady state the plan reached.
    """
    if not 1 <= months <= len(net):
        raise ValueError(f"run rate over {months} months needs 1 to {len(net)} months")
    return float(np.mean(np.asarray(net, dtype=float)[-months:])) * MONTHS_PER_YEAR


def terminal_value(
    run_rate: float,
    annual_rate: float,
    months_to_horizon_end: int,
    years: int | None,
    growth_annual: float = 0.0,
) -> float:
    """The run-rate net benefit continued past the horizon, valued at the valuation point.

    ``run_rate`` (a year) is paid monthly after the horizon's last month, each
    month's flow ``(1 + g)`` times the month before's, ``g`` the monthly rate
    that compounds to ``growth_annual`` (the first month is already grown
    once). ``years=None`` continues it for ever (a growing perpetuity, which
    needs growth below the discount rate). Its value at the horizon's end is
    ``PV(i, n, -monthly)``, ``i = (1 + m) / (1 + g) - 1`` (for a perpetuity,
    ``monthly / i``), then discounted ``months_to_horizon_end`` months to the
    valuation point.
    """
    monthly = run_rate / MONTHS_PER_YEAR
    rate = monthly_rate(annual_rate)
    growth = monthly_rate(growth_annual)
    # growing flows discounted at m are level flows discounted at i
    effective = (1.0 + rate) / (1.0 + growth) - 1.0
    if years is None:
        if effective <= 0:
            raise ValueError("a growing perpetuity needs growth below the discount rate")
        at_horizon_end = monthly / effective
    elif effective == 0:  # growth equal to the discount rate: the flows are worth their sum
        at_horizon_end = monthly * years * MONTHS_PER_YEAR
    else:
        at_horizon_end = float(npf.pv(effective, years * MONTHS_PER_YEAR, -monthly))
    return at_horizon_end / (1.0 + rate) ** months_to_horizon_end


def roi(total_net_benefit: float, one_time_costs: float) -> float | None:
    """Return on the one-time costs: net benefit over the horizon per unit spent.

    ``total_net_benefit`` is already after the one-time costs (they are part of
    the monthly net benefit), so 0 means "the costs came back, no more". ``None``
    when there were no one-time costs: the ratio has no meaning.
    """
    if one_time_costs == 0:
        return None
    return total_net_benefit / one_time_costs


# --- headlines ----------------------------------------------------------------


@dataclass(frozen=True)
class TerminalValueTerms:
    """How the plan is valued past the horizon: ``years`` (None: for ever) and growth."""

    years: int | None
    growth_annual: float


@dataclass(frozen=True)
class Headlines:
    """The numbers a finance review asks for first, for one replication.

    Months are counted from the valuation month, money is valued at the
    valuation point; the terminal value is beside the NPV, never inside it.
    """

    npv: float
    payback_month: int | None
    discounted_payback_month: int | None
    #: the rate of return where it reads as one; None where ``irr_reason`` says why not
    irr_annual: float | None
    irr_reason: str | None  # why there is no IRR, or why it is not meaningful
    run_rate_savings_annual: float
    total_net_benefit: float
    one_time_costs: float
    roi: float | None
    terminal_value: float | None = None
    npv_with_terminal_value: float | None = None


def headlines(
    net: FloatArray,
    annual_rate: float,
    one_time: FloatArray,
    offset: int = 0,
    terminal: TerminalValueTerms | None = None,
) -> Headlines:
    """All headline metrics of a plan's monthly net benefit, valued at month ``offset``.

    ``one_time`` is each month's one-time costs (notice pay, severance, wave and
    AI build costs; money out, positive), already inside ``net``. The run rate,
    and the terminal value built on it, leave them out: they are what recurs, so a
    wave's severance in the last quarter does not read as a lasting cost."""
    net = np.asarray(net, dtype=float)
    one_time = np.asarray(one_time, dtype=float)
    irr = irr_annual(net)
    total = float(np.sum(net))
    one_time_costs = float(np.sum(one_time))
    payback = payback_month(net, offset)
    run_rate = run_rate_annual(net + one_time, min(RUN_RATE_MONTHS, len(net)))
    value = npv(net, annual_rate, offset)
    # one answer everywhere: a rate that is not meaningful (a first-year payback gives
    # 1,400% a year) is no figure at all, and its reason is what every output shows
    irr_reason = irr_shown(irr, payback, total)
    beyond = None
    if terminal is not None:
        months_left = len(net) - offset
        beyond = terminal_value(
            run_rate, annual_rate, months_left, terminal.years, terminal.growth_annual
        )
    return Headlines(
        npv=value,
        payback_month=payback,
        discounted_payback_month=discounted_payback_month(net, annual_rate, offset),
        irr_annual=irr.value if irr_reason is None else None,
        irr_reason=irr_reason,
        run_rate_savings_annual=run_rate,
        total_net_benefit=total,
        one_time_costs=one_time_costs,
        roi=roi(total, one_time_costs),
        terminal_value=beyond,
        npv_with_terminal_value=None if beyond is None else value + beyond,
    )
