"""The waves' cuts and layer removals, line by line, over the replications.

A line is what one wave did to one layer of one unit: people cut, people cut
with their removed layer, or managers moved down from it. The money of a cut is
a product: notice pay is people x cost per head x days on notice / days in the
year x the month's pay level, day by day; severance is people x cost per head x
weeks of pay / weeks in a year x the pay level of the month notice ends.

The mean of products is the product of the means when at most one factor
differs between replications (people cut by a share move with attrition; a
drawn cost per head, tenure or pay growth moves with its draw): the line is
then *exact*, and a spreadsheet recomputes its money from the means it shows.
Otherwise the line carries the mean of the replications' amounts, and says
which factors differed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.model.calendar import DAYS_PER_WEEK, WEEKS_PER_YEAR, AccrualPiece, Calendar
from sim.model.workforce import CUT, MOVED_DOWN, REMOVED_CUT
from sim.scenario.timeline import run_months

if TYPE_CHECKING:
    from sim.finance.cashflows import LayerChangeCost
    from sim.scenario.schema import Scenario

#: the factors of a line's money, as the workbook names those that differ
PEOPLE = "people"
COST = "cost per head"
NOTICE = "notice"
SEVERANCE_WEEKS = "severance weeks"
PAY_GROWTH = "pay growth"
#: some of the line's people left notice early for an internal role in a replication:
#: they were paid less notice and no severance than people x cost x weeks says
REDEPLOYED = "people redeployed from notice"
#: lines of one wave, unit and layer in this order
CHANGE_ORDER = (CUT, REMOVED_CUT, MOVED_DOWN)

#: (wave index, unit, layer, change)
Key = tuple[int, str, str, str]


@dataclass(frozen=True)
class NoticePiece:
    """Part of a line's notice pay, booked in one month of the cash flows.

    An exact line has one piece per month its notice days fall in (a month after
    the horizon is booked in the notice month, as a provision), with the days and
    the pay level: its ``notice_pay`` is people x cost x days / year days x pay
    level. Otherwise a piece is the mean amount the replications booked in a month.
    """

    booked: int  # month index the cash flows book it in
    notice_pay: float  # money: the mean over the replications
    days: AccrualPiece | None = None  # exact lines: the days and their daily rate
    pay_growth: float | None = None  # exact lines: the booked month's pay level


@dataclass(frozen=True)
class SeverancePayment:
    """A line's severance booked in one month (exact lines: people x cost x weeks /
    weeks in a year x ``pay_growth``)."""

    booked: int  # month index: the month notice ends, or the notice month (owed after it)
    severance: float  # money: the mean over the replications
    pay_growth: float | None = None  # exact lines: the booked month's pay level


@dataclass(frozen=True)
class CutLine:
    """One wave's change to one layer of one unit, over the replications."""

    wave: int  # index in scenario.restructuring.waves
    wave_name: str
    date: dt.date  # notice is given
    month: int  # month index of ``date``
    unit: str
    layer: str
    change: str  # CUT, REMOVED_CUT or MOVED_DOWN
    moved_to: str | None
    people: float  # mean over every replication (none cut in one: 0)
    cost_per_head_annual: float  # at valuation-date prices
    notice_weeks: float
    severance_weeks: float
    protection_months: float
    notice: tuple[NoticePiece, ...]
    severance: tuple[SeverancePayment, ...]
    notice_exact: bool
    severance_exact: bool
    #: the factors that differ between replications (the names above); a factor
    #: shown is its value when it never differs, else its mean
    varying: tuple[str, ...]

    @property
    def notice_pay(self) -> float:
        return sum((piece.notice_pay for piece in self.notice), 0.0)

    @property
    def severance_total(self) -> float:
        return sum((payment.severance for payment in self.severance), 0.0)


@dataclass
class _Running:
    """A value over the replications that have it: its sum, and whether it ever changed."""

    total: Any = 0.0
    first: Any = None
    count: int = 0
    varies: bool = False

    def add(self, value: Any) -> None:
        if self.count == 0:
            self.first = value
        elif not np.array_equal(value, self.first):
            self.varies = True
        self.total = self.total + value
        self.count += 1

    @property
    def value(self) -> Any:
        """The value itself while it never changed (bit for bit), else the mean."""
        return self.total / self.count if self.varies else self.first


@dataclass
class _LineTally:
    month: int
    moved_to: str | None
    people: _Running = field(default_factory=_Running)
    cost: _Running = field(default_factory=_Running)
    notice_weeks: _Running = field(default_factory=_Running)
    severance_weeks: _Running = field(default_factory=_Running)
    severance_month: _Running = field(default_factory=_Running)
    protection: _Running = field(default_factory=_Running)
    pay_growth: _Running = field(default_factory=_Running)
    redeployed: _Running = field(default_factory=_Running)
    notice_pay: Any = 0.0  # sum over the replications, per month
    severance: Any = 0.0


@dataclass
class CutTally:
    """The replications' layer changes, folded line by line in replication order."""

    replications: int = 0
    tallies: dict[Key, _LineTally] = field(default_factory=dict)

    def add(self, costs: tuple[LayerChangeCost, ...]) -> None:
        """Fold one replication's changes (two cuts of one layer in one wave: one line)."""
        merged: dict[Key, list[LayerChangeCost]] = {}
        for cost in costs:
            c = cost.change
            merged.setdefault((c.wave, c.unit, c.layer, c.change), []).append(cost)
        for key, parts in merged.items():
            first = parts[0].change
            tally = self.tallies.setdefault(key, _LineTally(first.month, first.moved_to))
            tally.people.add(float(sum(p.change.people for p in parts)))
            tally.cost.add(first.cost_per_head_annual)
            tally.notice_weeks.add(first.notice_weeks)
            tally.severance_weeks.add(first.severance_weeks)
            tally.severance_month.add(first.severance_month)
            tally.protection.add(first.protection_months)
            tally.pay_growth.add(parts[0].pay_growth)
            tally.redeployed.add(float(sum(p.change.redeployed for p in parts)))
            tally.notice_pay = tally.notice_pay + sum(p.notice_pay for p in parts)
            tally.severance = tally.severance + sum(p.severance for p in parts)
        self.replications += 1

    def lines(self, scenario: Scenario) -> list[CutLine]:
        """The lines in order: by wave date, unit and layer as the scenario lists them."""
        calendar = Calendar(scenario.meta.start, run_months(scenario))
        waves = scenario.restructuring.waves
        units = [u.name for u in scenario.org.units]
        layers = {u.name: [x.name for x in u.resolved_layers] for u in scenario.org.units}

        def order(key: Key) -> tuple:
            wave, unit, layer, change = key
            return (
                waves[wave].date,
                wave,
                units.index(unit),
                layers[unit].index(layer),
                CHANGE_ORDER.index(change),
            )

        return [
            self._line(key, self.tallies[key], scenario, calendar)
            for key in sorted(self.tallies, key=order)
        ]

    def _line(self, key: Key, tally: _LineTally, scenario: Scenario, calendar: Calendar) -> CutLine:
        wave, unit, layer, change = key
        n = self.replications
        varying = {
            PEOPLE: tally.people.varies or tally.people.count < n,
            COST: tally.cost.varies,
            NOTICE: tally.notice_weeks.varies,
            SEVERANCE_WEEKS: tally.severance_weeks.varies,
            PAY_GROWTH: tally.pay_growth.varies,
            REDEPLOYED: tally.redeployed.total > 0,
        }
        people = tally.people.total / n if varying[PEOPLE] else tally.people.first
        pay = people * tally.cost.value  # mean people x mean cost per head
        growth = tally.pay_growth.value
        products = (PEOPLE, COST, PAY_GROWTH)
        notice_exact = (
            not varying[NOTICE]
            and not varying[REDEPLOYED]
            and sum(varying[f] for f in products) <= 1
        )
        severance_exact = (
            not tally.severance_month.varies
            and not varying[REDEPLOYED]
            and sum(varying[f] for f in (*products, SEVERANCE_WEEKS)) <= 1
        )
        date = scenario.restructuring.waves[wave].date
        weeks = tally.notice_weeks.value
        if notice_exact:
            day = calendar.day_of(date)
            notice = tuple(
                _notice_piece(piece, tally.month, calendar.months, pay, growth)
                for piece in calendar.accrual_pieces(day, day + weeks * DAYS_PER_WEEK)
            )
        else:
            notice = tuple(NoticePiece(int(m), float(v)) for m, v in _booked(tally.notice_pay / n))
        severance: tuple[SeverancePayment, ...]
        if severance_exact:
            month = tally.severance_month.first
            amount = pay * tally.severance_weeks.value / WEEKS_PER_YEAR * growth[month]
            severance = (SeverancePayment(month, float(amount), float(growth[month])),)
        else:
            severance = tuple(
                SeverancePayment(int(m), float(v)) for m, v in _booked(tally.severance / n)
            ) or (SeverancePayment(tally.severance_month.first, 0.0),)
        return CutLine(
            wave=wave,
            wave_name=scenario.restructuring.waves[wave].name or f"Wave {wave + 1}",
            date=date,
            month=tally.month,
            unit=unit,
            layer=layer,
            change=change,
            moved_to=tally.moved_to,
            people=float(people),
            cost_per_head_annual=float(tally.cost.value),
            notice_weeks=float(weeks),
            severance_weeks=float(tally.severance_weeks.value),
            protection_months=float(tally.protection.value),
            notice=notice,
            severance=severance,
            notice_exact=notice_exact,
            severance_exact=severance_exact,
            varying=tuple(name for name, differs in varying.items() if differs),
        )


def _notice_piece(
    piece: AccrualPiece, notice_month: int, months: int, pay: float, growth: np.ndarray
) -> NoticePiece:
    # days after the horizon are owed, and provided for in the month notice is given
    booked = piece.month if piece.month < months else notice_month
    amount = pay * piece.days / piece.year_days * growth[booked]
    return NoticePiece(booked, float(amount), piece, float(growth[booked]))


def _booked(amounts: Any) -> list[tuple[int, float]]:
    """(month, amount) of the months something was booked in."""
    values = np.asarray(amounts, dtype=float)
    return [(int(m), float(values[m])) for m in np.flatnonzero(values)]
