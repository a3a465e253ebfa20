"""Price levels: each month's pay and seat prices against the valuation month's.

The costs a scenario gives (costs per head, seat prices) are costs in the
valuation month; pay and seat prices grow from it at the scenario's annual
rates, compounded monthly. The engine counts people and seats at the costs as
written and needs the price levels only where money decides something: a
budget buys seats at the month's seat price, and a programme funded from the
savings reinvests the payroll saved at the month's pay. The finance grows the
engine's money with the same factors, so both see the same amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.scenario.drawn import DrawnScenario
from sim.scenario.months import MONTHS_PER_YEAR
from sim.scenario.timeline import lead_in_months


def growth_factors(months: int, offset: int, annual_rate: float) -> np.ndarray:
    """Each month's price level against the valuation month's: ``(1 + g)^(k / 12)``,
    ``k`` months from the valuation month (negative before it), i.e. monthly
    compounding of the annual rate. ``offset`` is the valuation month's index."""
    k = np.arange(months) - offset
    return (1.0 + float(annual_rate)) ** (k / MONTHS_PER_YEAR)


@dataclass(frozen=True)
class PriceLevels:
    """Each month's pay and seat prices against the valuation month's (1 there).

    The same factors for the scenario and its twin. Units or programmes not
    named are at factor 1 (flat).
    """

    pay_by_unit: dict[str, np.ndarray] = field(default_factory=dict)
    new_roles_pay: np.ndarray | None = None
    seat_price_by_program: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: DrawnScenario, months: int) -> PriceLevels:
        """The factors of a scenario whose uncertain inputs are drawn (plain numbers),
        over its first ``months`` months. A unit's own pay growth overrides the
        organisation's; new roles grow at the org's."""
        offset = lead_in_months(scenario)  # the valuation month's index in the run
        org_rate = scenario.org.pay_growth_annual
        pay = {
            unit.name: growth_factors(
                months,
                offset,
                org_rate if unit.pay_growth_annual is None else unit.pay_growth_annual,
            )
            for unit in scenario.org.units
        }
        seats = {
            program.name: growth_factors(months, offset, program.running_cost.price_growth_annual)
            for program in scenario.ai.programs
        }
        return cls(pay, growth_factors(months, offset, org_rate), seats)

    def pay(self, unit: str) -> np.ndarray | float:
        return self.pay_by_unit.get(unit, 1.0)

    def seat_price(self, program: str) -> np.ndarray | float:
        return self.seat_price_by_program.get(program, 1.0)

    def pay_of_units(self, units: list[str], months: int) -> np.ndarray:
        """(units, months): each unit's pay factors, in the order given."""
        return np.array([np.broadcast_to(self.pay(u), (months,)) for u in units], dtype=float)
