"""The arithmetic of a unit's weeks, as functions over arrays: the hires in flight at the
start, a wave's notice (the days paid working, on notice and after the horizon), the
survivors' raised attrition and productivity dip, the redeployed's ramp, a reskilling
programme's weekly quota. The unit's state (sim.model.unitstate) and the batch's weekly
step (sim.model.lockstep) call them; none keeps state of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.calendar import Calendar
from sim.model.staffing import Planner, weekly_hazard


def steady_hires(
    count: np.ndarray,
    attrition: np.ndarray,
    replaced: float,
    lag_weeks: int,
    offsets: np.ndarray,
    planner: Planner | None,
) -> np.ndarray:
    """(lag weeks, columns) hires in flight at the start: what the policy would have
    asked for each week of the lag before it (``replaced``: the share of leavers it
    replaces), so the status quo does not dip while its first hires wait.

    The weeks' fractions are carried, not rounded away one by one: a 200-person layer
    losing 0.49 a week has 4 or 5 hires in flight (by its offset), not none. Under
    ``capacity`` (a ``planner``) no more are in flight than the base stock lacks, so a
    layer starting above its need has none.
    """
    hazard = weekly_hazard(attrition)
    hires = np.tile(count * hazard * replaced, (lag_weeks, 1))
    cumulative = np.cumsum(hires, axis=0)
    if planner is not None:  # and the growth the planners hired for
        targets = planner.targets_over(np.arange(lag_weeks), 1.0)
        growth = np.maximum(np.diff(targets, axis=0), 0.0)
        cumulative[1:] += np.cumsum(growth, axis=0)
    whole = np.floor(cumulative + offsets)
    if planner is not None:
        lacking = planner.base_stock(planner.needed(0, 1.0), hazard) - count
        whole = np.minimum(whole, np.maximum(lacking, 0))
    return np.diff(whole, axis=0, prepend=0.0).astype(np.int64)


@dataclass(frozen=True)
class NoticeSpan:
    """A cut's notice on the calendar: given on ``day``, acted on in the weekly steps at
    ``acts`` (the start of the week), ending ``ends``; shares of a year's pay by month."""

    day: float
    month: int  # the month of the notice date
    ends: float
    unworked: np.ndarray  # (months,) pay from the notice date to ``acts``: counted working
    on_notice: np.ndarray  # (months,) pay through the notice
    notice_days: np.ndarray  # (months,) days on notice
    severance_month: int  # the month notice ends (past the horizon: the notice month)
    #: pay for the notice days after the horizon, provided for in the notice month
    after_horizon: float | None


def notice_span(calendar: Calendar, day: float, acts: float, days: float) -> NoticeSpan:
    """Notice of ``days`` given on ``day`` and acted on at ``acts``, on ``calendar``."""
    month = calendar.month_of_day(day)
    ends = day + days
    if ends < calendar.horizon_days:
        severance_month, after = calendar.month_of_day(ends), None
    else:  # owed after the horizon: provided for in full when notice is given
        severance_month, after = month, calendar.pay_after_horizon(day, ends)
    return NoticeSpan(
        day,
        month,
        ends,
        calendar.pay_between(day, acts),
        calendar.pay_between(day, ends),
        calendar.days_between(day, ends),
        severance_month,
        after,
    )


def survivors_window(week: int, weeks: int, span_weeks: int) -> slice:
    """The weeks survivors leave faster after a wave in ``week``."""
    return slice(week, min(weeks, week + span_weeks))


def dip_fading(weeks_left: int, dip_weeks: float, depth: float) -> np.ndarray:
    """The survivors' productivity dip from the wave's week on: ``depth`` fading linearly
    to nothing over ``dip_weeks``."""
    ahead = np.arange(weeks_left)
    return np.clip(1 - ahead / dip_weeks, 0, 1) * depth


def productivity_loss(dip: np.ndarray, ramp_loss: np.ndarray, ics: np.ndarray) -> np.ndarray:
    """(weeks,) the ICs' productivity loss: the survivors' dip, and the capacity the
    redeployed lack while they ramp up (``ramp_loss`` of ``ics`` ICs, at least one)."""
    if not ramp_loss.any():
        return dip
    ics = np.maximum(ics, 1.0)
    return 1 - (1 - dip) * (1 - np.minimum(ramp_loss / ics, 1.0))


def quota(carry: float, per_week: float) -> tuple[int, float]:
    """A weekly quota of people at a fractional rate: whole people this week, and the
    fraction carried to the next."""
    due = carry + per_week
    whole = int(due)
    return whole, due - whole
