"""Headline metrics of a restructuring, from its monthly net benefit.

The *net benefit* of a month is the baseline twin's cost minus the scenario's
cost in that month (plus the value of any extra throughput): negative while
notice pay, severance and AI build costs are paid, positive once the savings
outrun them. Every function here takes that series as a NumPy float array, one
value per month, month 1 first.

Conventions (see DESIGN.md, "NPV convention"):

* cash flows fall at month ends, so month 1 is discounted by one month, as a
  spreadsheet's ``NPV(rate, range)`` does;
* the annual discount rate is turned into the monthly rate that compounds to it;
* payback is the first month from which the cumulative net benefit is
  non-negative *and stays so* to the end of the horizon; "not within the
  horizon" is the answer ``None``, not an error; a plan whose cumulative net
  benefit is never negative has nothing to pay back, and its payback month is
  :data:`NOTHING_TO_PAY_BACK` (0).

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

NEVER_NEGATIVE = "cash flows never turn negative: nothing invested, so no rate of return"
NEVER_POSITIVE = "cash flows never turn positive: the investment is never recovered"
ALL_ZERO = "cash flows are all zero: nothing invested and nothing returned, so no rate of return"
NO_REAL_RATE = "no real rate of return solves NPV = 0"

FloatArray = NDArray[np.float64]


def monthly_rate(annual_rate: float) -> float:
    """The monthly rate that compounds, over twelve months, to ``annual_rate``."""
    return (1.0 + annual_rate) ** (1.0 / MONTHS_PER_YEAR) - 1.0


def annualise(monthly: float) -> float:
    """The annual rate that twelve months of compounding at ``monthly`` give."""
    return (1.0 + monthly) ** MONTHS_PER_YEAR - 1.0


# --- discounting --------------------------------------------------------------


def present_values(net: FloatArray, annual_rate: float) -> FloatArray:
    """Each month's net benefit valued today: month t is divided by (1 + m)^t.

    ``m`` is the monthly rate equivalent to ``annual_rate``; month 1 is
    discounted by one whole month because its cash falls at the month's end.
    """
    months = np.arange(1, len(net) + 1)
    return np.asarray(net, dtype=float) / (1.0 + monthly_rate(annual_rate)) ** months


def npv(net: FloatArray, annual_rate: float) -> float:
    """Net present value of the plan at ``annual_rate`` (monthly compounding).

    Equal to a spreadsheet's ``NPV(m, month1:monthN)``. numpy-financial's
    ``npv`` leaves its first value undiscounted (cash at time 0), so a leading
    zero stands for "today" and month 1 becomes one period away.
    """
    today_and_months = np.concatenate(([0.0], np.asarray(net, dtype=float)))
    return float(npf.npv(monthly_rate(annual_rate), today_and_months))


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


def payback_month(net: FloatArray) -> int | None:
    """The month in which the cumulative net benefit turns non-negative for good.

    ``None`` means the plan does not pay back within the horizon;
    :data:`NOTHING_TO_PAY_BACK` (0) means there was never anything to pay back.
    """
    return first_month_staying_non_negative(cumulative(net))


def discounted_payback_month(net: FloatArray, annual_rate: float) -> int | None:
    """Payback month on present values: the same rule as :func:`payback_month`,
    applied to the cumulative sum of :func:`present_values`.

    For a conventional plan (costs first, savings after) and a positive rate it
    never comes before the plain payback. Where savings come *before* costs,
    discounting shrinks the later costs and can make it come earlier.
    """
    return first_month_staying_non_negative(cumulative(present_values(net, annual_rate)))


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


# --- run rate and return on investment ----------------------------------------


def run_rate_annual(net: FloatArray, months: int = RUN_RATE_MONTHS) -> float:
    """Annualised savings at the end of the horizon: the mean net benefit of the
    last ``months`` months, times twelve.

    Averaging a few months smooths the month-to-month noise of a simulated
    organisation, so the figure describes the steady state the plan reached.
    """
    if not 1 <= months <= len(net):
        raise ValueError(f"run rate over {months} months needs 1 to {len(net)} months")
    return float(np.mean(np.asarray(net, dtype=float)[-months:])) * MONTHS_PER_YEAR


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
class Headlines:
    """The numbers a finance review asks for first, for one replication."""

    npv: float
    payback_month: int | None
    discounted_payback_month: int | None
    irr_annual: float | None
    irr_reason: str | None
    run_rate_savings_annual: float
    total_net_benefit: float
    one_time_costs: float
    roi: float | None


def headlines(net: FloatArray, annual_rate: float, one_time_costs: float) -> Headlines:
    """All headline metrics of a plan's monthly net benefit."""
    irr = irr_annual(net)
    total = float(np.sum(net))
    return Headlines(
        npv=npv(net, annual_rate),
        payback_month=payback_month(net),
        discounted_payback_month=discounted_payback_month(net, annual_rate),
        irr_annual=irr.value,
        irr_reason=irr.reason,
        run_rate_savings_annual=run_rate_annual(net, min(RUN_RATE_MONTHS, len(net))),
        total_net_benefit=total,
        one_time_costs=one_time_costs,
        roi=roi(total, one_time_costs),
    )
