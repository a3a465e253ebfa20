"""A workforce run's result: each unit's people week by week and its money month by month
(:class:`UnitWorkforce`, per layer, the roles' columns summed into the IC layer), the
waves' one-time costs and the changes they made (:class:`Workforce`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.model.layerchanges import LayerChange
from sim.model.severance import Booked, Entry
from sim.scenario.drawn import DrawnUnit

if TYPE_CHECKING:
    from sim.model.unitstate import UnitState


@dataclass(frozen=True)
class UnitWorkforce:
    """One unit's people, week by week; arrays are (weeks, layers), layers top to bottom,
    except the money and the dated events, which are per calendar month (months, layers)."""

    name: str
    layers: tuple[str, ...]
    cost_per_head_annual: np.ndarray  # (layers,)
    review_share: np.ndarray  # (layers,)
    headcount: np.ndarray  # active staff after the week's events
    exists: np.ndarray  # bool: the layer is still part of the organisation
    hires: np.ndarray
    leavers: np.ndarray
    cut: np.ndarray  # in the week the wave acts
    moved_in: np.ndarray  # moved down into this layer when the layer above was removed
    hiring_cost: np.ndarray  # money paid this week (per layer)
    working_pay: np.ndarray  # (months, layers) money: people working, by the day
    #: (months, layers) person-years paid for working (a head's share of its year, by the
    #: day): working pay is this at the layer's cost, plus pay protection
    paid_years: np.ndarray
    #: (months, roles) the IC layer's paid_years by role (each at its own cost), or None
    role_paid_years: np.ndarray | None
    notice_pay: np.ndarray  # (months, layers) money: people cut, paid through notice
    severance: np.ndarray  # (months, layers) money, in the month notice ends
    on_notice: np.ndarray  # (months, layers) mean people cut and still paid through notice
    cut_in_month: np.ndarray  # (months, layers) people cut, in the month of the wave's date
    moved_in_month: np.ndarray  # (months, layers) people moved down, likewise
    productivity_dip: np.ndarray  # (weeks,): survivors' productivity loss, 0..1
    needed: np.ndarray  # people the planners staff for (capacity policy; else nan)
    ai_factor: np.ndarray  # (weeks,) share of the no-AI IC workload planners count
    policy: str
    roles: tuple[str, ...] = ()  # the ICs' roles (none: one kind of IC)
    role_headcount: np.ndarray | None = None  # (weeks, roles) active ICs per role
    role_needed: np.ndarray | None = None  # (weeks, roles) ICs planners staff for per role
    role_hires: np.ndarray | None = None  # (weeks, roles) hired from outside per role
    redeployed: np.ndarray | None = None  # (weeks, layers) people who joined from notice
    severance_avoided: np.ndarray | None = None  # (months, layers) money, where they joined
    retraining: np.ndarray | None = None  # (months,) money: the redeployed's retraining
    reskilled: np.ndarray | None = None  # (weeks, layers) people moved in by reskilling
    reskilling: np.ndarray | None = None  # (months,) money: the reskilling programmes' cost


@dataclass(frozen=True)
class Workforce:
    units: tuple[UnitWorkforce, ...]
    wave_one_time_cost: np.ndarray  # (months,) money, in the month of the wave's date
    changes: tuple[LayerChange, ...] = ()  # the waves' cuts and moves, unit by unit
    #: the cuts and placements severance was booked from (sim.model.severance)
    severance: tuple[Entry, ...] = ()


def unit_workforce(state: UnitState, unit: DrawnUnit, severance: Booked) -> UnitWorkforce:
    """A unit's people, week by week, and its money by month, once its run is over
    (``severance``: the run's, booked from its cuts)."""
    # the batch's rows, copied out whole: contiguous as a run alone would have them
    out, money = state.out.contiguous(), state.money.contiguous()
    calendar = state.calendar
    shape = out.needed.shape
    needed = out.needed if state.planner is not None else np.full(shape, np.nan)
    by_layer = state.columns.collapse
    ics = slice(state.ic, None)
    paid_years = calendar.monthly_pay(out.headcount) + money.paid_years_adjustment
    cost = state.cost
    if state.groups.size > 1:  # the IC layer's cost: its roles', weighted by their start
        start = state.groups.counts.astype(float)
        ic_cost = cost[ics] @ start / start.sum() if start.sum() > 0 else cost[ics].mean()
        cost = np.append(cost[: state.ic], ic_cost)
    return UnitWorkforce(
        name=unit.name,
        layers=tuple(x.name for x in state.layers),
        cost_per_head_annual=cost,
        review_share=np.array([x.review_share for x in state.layers]),
        headcount=by_layer(out.headcount),
        exists=out.exists[:, : len(state.layers)].astype(bool),
        hires=by_layer(out.hires),
        leavers=by_layer(out.leavers),
        cut=by_layer(out.cut),
        moved_in=by_layer(out.moved_in),
        hiring_cost=by_layer(out.hiring_cost),
        working_pay=by_layer(
            calendar.monthly_pay(out.headcount * state.cost) + money.pay_adjustment
        ),
        paid_years=by_layer(paid_years),
        role_paid_years=paid_years[:, ics] if state.groups.names else None,
        notice_pay=by_layer(money.notice_pay),
        severance=severance.severance[state.unit],
        on_notice=by_layer(money.notice_days / calendar.days_in_month[:, None]),
        cut_in_month=by_layer(money.cut),
        moved_in_month=by_layer(money.moved_in),
        productivity_dip=state.productivity_dip(out.headcount),
        needed=by_layer(needed),
        ai_factor=state.seen.ai_factor,
        policy=state.terms.policy,
        roles=state.groups.names,
        role_headcount=out.headcount[:, ics] if state.groups.names else None,
        role_needed=needed[:, ics] if state.groups.names else None,
        role_hires=out.hires[:, ics] if state.groups.names else None,
        redeployed=by_layer(out.redeployed) if state.pool is not None else None,
        severance_avoided=severance.avoided[state.unit] if state.pool else None,
        retraining=money.retraining.sum(axis=1) if state.pool is not None else None,
        reskilled=by_layer(out.reskilled) if state.reskilling else None,
        reskilling=money.reskilling.sum(axis=1) if state.reskilling else None,
    )
