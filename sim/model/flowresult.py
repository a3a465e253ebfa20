"""A unit's work flow measured by calendar month (:class:`UnitFlow`), from what the flow
counted (:class:`~sim.model.counters.FlowCounts`): items arrived, done, in progress and
waiting, cycle times with their sampling error, and each level's utilisation, scaled
from the sampled teams to the whole unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK, Calendar
from sim.model.counters import FlowCounts
from sim.model.sampling import Sample, autocorrelations, standard_error


@dataclass(frozen=True)
class UnitFlow:
    """Monthly flow measures of one unit, scaled to the whole unit."""

    arrived: np.ndarray
    done: np.ndarray
    in_progress: np.ndarray  # at month end
    backlog: np.ndarray  # items waiting for an IC at month end (nan in backlog mode)
    cycle_time_mean_weeks: np.ndarray  # nan where nothing was done
    cycle_time_p90_weeks: np.ndarray
    cycle_time_se_weeks: np.ndarray  # sampling error of the mean
    wait_mean_weeks: np.ndarray  # of that, time queued for ICs and reviewers
    done_se: np.ndarray  # sampling error of ``done``
    utilisation: np.ndarray  # (months, levels + 1): ICs first, then each level
    scale: float  # real items per simulated item
    teams: int  # sampled teams
    simulated_items: int  # tracked + background items simulated
    background_items: int  # reviews for the teams not simulated
    station_visits: int  # IC and review services requested
    #: items still in the flow at the horizon, counted where they are (queued for an
    #: IC or in its hands, on their way to a reviewer, or with a review ending after
    #: the horizon), scaled: not from the counts of entered and done
    left_at_horizon: float


@dataclass(frozen=True)
class Servers:
    """The servers a unit's flow simulated, by week: IC servers, and the desks of each
    level in use (the capacity its utilisation is measured against)."""

    ics: np.ndarray  # (weeks,)
    reviewers: np.ndarray  # (weeks, levels)


def unit_flow(
    counts: FlowCounts,
    voided: list[int],
    calendar: Calendar,
    sample: Sample,
    servers: Servers,
    backlog_mode: bool,
    left: int,
) -> UnitFlow:
    """The monthly measures of what a unit's flow counted, in simulated items, scaled to
    the whole unit (``voided``: records of ``counts.done_at`` undone, reviewed again
    elsewhere; ``left``: simulated items in the flow at the horizon)."""
    months = calendar.months
    scale = sample.scale
    ends = calendar.month_ends_in_weeks
    entered = np.sort(np.asarray(counts.entered))
    done_at, cycle_weeks, wait_weeks = (
        np.delete(np.asarray(values, dtype=float), voided)
        for values in (counts.done_at, counts.cycle_weeks, counts.wait_weeks)
    )
    order = np.argsort(done_at, kind="stable")  # completion order
    done_at, cycle_weeks, wait_weeks = done_at[order], cycle_weeks[order], wait_weeks[order]
    cycle_months = np.minimum(np.searchsorted(ends, done_at, side="left"), months - 1)
    arrived_months = np.minimum(np.searchsorted(ends, entered, side="left"), months - 1)
    # in progress at each month end: entered by then and not yet done
    in_progress = np.searchsorted(entered, ends, side="right") - np.searchsorted(
        done_at, ends, side="right"
    )
    mean, p90, se, wait = _cycle_times(cycle_weeks, wait_weeks, cycle_months, months)
    done = np.bincount(cycle_months, minlength=months).astype(float)
    return UnitFlow(
        arrived=np.bincount(arrived_months, minlength=months).astype(float) * scale,
        done=done * scale,
        in_progress=in_progress.astype(float) * scale,
        backlog=(
            np.full(months, np.nan)
            if backlog_mode
            else np.asarray(counts.waiting, dtype=float) * scale
        ),
        cycle_time_mean_weeks=mean,
        cycle_time_p90_weeks=p90,
        cycle_time_se_weeks=se,
        wait_mean_weeks=wait,
        done_se=np.sqrt(done) * scale,
        utilisation=_utilisation(counts, calendar, servers),
        scale=scale,
        teams=sample.teams,
        simulated_items=counts.tracked_items + counts.background_items,
        background_items=counts.background_items,
        station_visits=counts.visits,
        left_at_horizon=left * scale,
    )


def _cycle_times(
    cycle_weeks: np.ndarray, wait_weeks: np.ndarray, cycle_months: np.ndarray, months: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each month's mean, P90 and sampling error of the cycle time of the items done in
    it, and their mean wait (NaN where none was done)."""
    mean, p90, se, wait = (np.full(months, np.nan) for _ in range(4))
    rho = autocorrelations(cycle_weeks)  # items in completion order, whole run
    for m in range(months):
        in_month = cycle_months == m
        values = cycle_weeks[in_month]
        if values.size:
            wait[m] = wait_weeks[in_month].mean()
            mean[m] = values.mean()
            p90[m] = np.percentile(values, 90)
            se[m] = standard_error(values, rho)
    return mean, p90, se, wait


def _utilisation(counts: FlowCounts, calendar: Calendar, servers: Servers) -> np.ndarray:
    """(months, levels + 1): the work begun each month over the server-weeks there were,
    the ICs first, then each level (NaN where none served)."""
    # server-weeks of each calendar month: the servers of each week, by its days
    server_weeks = calendar.week_days / DAYS_PER_WEEK
    levels = servers.reviewers.shape[1]
    capacity = np.zeros((calendar.months, levels + 1))
    capacity[:, 0] = server_weeks @ servers.ics
    capacity[:, 1:] = server_weeks @ servers.reviewers
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(capacity > 0, np.asarray(counts.busy) / capacity, np.nan)
