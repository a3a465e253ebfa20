"""What a wave did to one layer of one unit (:class:`LayerChange`), and the terms its
people leave on (:class:`Notice`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.scenario.drawn import DrawnRedeployment

#: what a wave did to a layer of a unit (LayerChange.change)
CUT = "cut"
REMOVED_CUT = "layer removed: cut"
MOVED_DOWN = "layer removed: moved down"


@dataclass(frozen=True)
class LayerChange:
    """What one wave did to one layer of one unit, and the money it booked.

    People cut are paid through their notice and then get severance: the arrays
    are what the cut booked per month, at the scenario's costs (pay growth is
    the finance's), notice pay by the day and, for days after the horizon, as a
    provision in the notice month. Managers moved down when their layer was
    removed book nothing here: what they cost, protected or not, is payroll.
    """

    wave: int  # index in scenario.restructuring.waves
    unit: str
    layer: str
    change: str  # CUT, REMOVED_CUT or MOVED_DOWN
    people: int
    cost_per_head_annual: float  # the layer's (moved down: the layer they left)
    notice_weeks: float  # the notice runs notice_weeks x 7 days from the wave's date
    severance_weeks: float  # weeks of pay: annual cost / WEEKS_PER_YEAR a week
    month: int  # the month of the wave's date: notice is given
    severance_month: int  # the month severance is booked in (ends past the horizon: ``month``)
    notice_pay: np.ndarray  # (months,) money booked
    severance: np.ndarray  # (months,) money booked
    moved_to: str | None = None  # MOVED_DOWN: the layer they joined
    protection_months: float = 0.0  # MOVED_DOWN: months they keep their old layer's cost
    role: str | None = None  # the ICs' role cut or moved into (units with roles)
    redeployed: int = 0  # of ``people``, placed in an internal role during notice


@dataclass(frozen=True)
class Notice:
    """The terms a wave's people leave on."""

    date: dt.date
    days: float  # notice length in days (fractions of a day accrue pro rata)
    severance_weeks: float  # weeks of pay: annual cost / 52.18 a week
    protection_months: float = 0.0  # moved-down managers keep their old cost this long
    wave: int = 0  # index of the wave in scenario.restructuring.waves
    weeks: float = 0.0  # the notice as written, in weeks (``days`` / 7)
    redeployment: DrawnRedeployment | None = None  # who may take an internal role during it
