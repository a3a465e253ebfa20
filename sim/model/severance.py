"""Severance: what the people cut are owed, booked from what the waves did.

While the weeks are simulated, each cut and each placement of people from notice into
an internal role (sim.model.redeploy) is written in a run's :class:`Ledger`: who was
cut, from which unit and column, in which wave, at what pay, and in which month their
severance falls due; who of them took a role, where and when. The money is booked
from the ledger afterwards, at each wave's terms (:func:`weeks_of`), by :func:`book`:
a cut books ``pay x weeks / WEEKS_PER_YEAR`` in its month, a placement takes that back
from its cut and books it as severance avoided where the people joined.

Nothing in the engine reads severance: planners count people, the AI budget counts
payroll saved (notice pay included, severance not), redeployment fills requisitions
whatever the severance. So a study that changes only the severance terms (weeks of
pay, tenure, the cap, a wave's own terms) books them again from a replication's
ledger (sim.model.replication.refinanced) instead of simulating it again: the same
function on the same entries, so the figures are those of a rerun, to the bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.model.calendar import WEEKS_PER_YEAR
from sim.scenario.drawn import DrawnRestructuring


@dataclass(frozen=True, slots=True)
class Entry:
    """A cut, or a placement from its notice (``into``), as severance books it."""

    unit: str  # the unit cut from
    column: int  # the column cut from (sim.model.roles: a manager layer or an IC role)
    month: int  # the month the cut's severance is booked in
    pay: float  # people x annual cost: severance is weeks of it
    wave: int  # index in restructuring.waves: its terms
    change: int  # index of the cut's LayerChange among its unit's
    #: a placement: the unit and column the people joined, and the month they joined
    into: tuple[str, int, int] | None = None


@dataclass
class Ledger:
    """A workforce run's cuts and placements, in the order they happened."""

    entries: list[Entry] = field(default_factory=list)

    def cut(self, unit: str, column: int, month: int, pay: float, wave: int, change: int) -> Entry:
        """People paid ``pay`` a year cut from ``unit``'s ``column``: the cut's entry."""
        entry = Entry(unit, column, month, pay, wave, change)
        self.entries.append(entry)
        return entry

    def placed(self, cut: Entry, pay: float, into: tuple[str, int, int]) -> None:
        """People of ``cut``, paid ``pay`` a year, who joined ``into`` (unit, column, month)."""
        self.entries.append(Entry(cut.unit, cut.column, cut.month, pay, cut.wave, cut.change, into))


@dataclass(frozen=True)
class Booked:
    """Severance booked from a ledger: per unit (months, layers), per cut (months,)."""

    severance: dict[str, np.ndarray]
    avoided: dict[str, np.ndarray]  # the redeployed's, in the unit and month they joined
    changes: dict[tuple[str, int], np.ndarray]  # (unit, index of its LayerChange)


def weeks_of(restructuring: DrawnRestructuring) -> tuple[float, ...]:
    """Weeks of pay each person a wave cuts gets, wave by wave: its own terms, else the
    restructuring's."""
    default = restructuring.severance
    return tuple((wave.severance or default).weeks for wave in restructuring.waves)


def book(
    entries: Sequence[Entry],
    weeks: Sequence[float],
    months: int,
    shapes: Mapping[str, tuple[int, int]],
) -> Booked:
    """The severance of ``entries`` at ``weeks`` (a wave's weeks of pay, :func:`weeks_of`).
    ``shapes``: each unit's layers and columns (its IC roles are columns, summed into
    the IC layer once booked)."""
    owed = {unit: np.zeros((months, width)) for unit, (_, width) in shapes.items()}
    avoided = {unit: np.zeros((months, width)) for unit, (_, width) in shapes.items()}
    changes: dict[tuple[str, int], np.ndarray] = {}
    for entry in entries:
        severance = entry.pay * weeks[entry.wave] / WEEKS_PER_YEAR
        key = (entry.unit, entry.change)
        if entry.into is None:
            owed[entry.unit][entry.month, entry.column] += severance
            changes[key] = np.zeros(months)
            changes[key][entry.month] = severance
        else:
            owed[entry.unit][entry.month, entry.column] -= severance
            changes[key][entry.month] -= severance
            unit, column, joined = entry.into
            avoided[unit][joined, column] += severance
    return Booked(
        {unit: _by_layer(owed[unit], layers) for unit, (layers, _) in shapes.items()},
        {unit: _by_layer(avoided[unit], layers) for unit, (layers, _) in shapes.items()},
        changes,
    )


def _by_layer(values: np.ndarray, layers: int) -> np.ndarray:
    """(months, columns) -> (months, layers): the IC roles' columns summed."""
    if values.shape[1] == layers:
        return values
    ic = layers - 1
    return np.concatenate([values[:, :ic], values[:, ic:].sum(-1)[:, None]], -1)
