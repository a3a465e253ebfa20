"""The whole scenario: every part together, and the lookups across them."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.schema.ai import AI
from sim.scenario.schema.base import Model
from sim.scenario.schema.finance import Finance
from sim.scenario.schema.meta import Meta
from sim.scenario.schema.org import Org, Unit
from sim.scenario.schema.staffing import Staffing
from sim.scenario.schema.uncertainty import Correlation
from sim.scenario.schema.waves import Restructuring
from sim.scenario.schema.work import WorkProfile


class Scenario(Model):
    """A validated, immutable scenario."""

    meta: Meta
    org: Org
    work: tuple[WorkProfile, ...] = Field(min_length=1, description="Work profiles")
    restructuring: Restructuring = Field(default_factory=Restructuring)
    ai: AI = Field(default_factory=AI)
    finance: Finance = Field(default_factory=Finance)
    correlations: tuple[Correlation, ...] = Field(
        (),
        description=(
            "Groups of uncertain inputs that move together (a Gaussian copula keeps each "
            "input's own distribution); default: every input independent"
        ),
    )

    def unit(self, name: str) -> Unit:
        return next(u for u in self.org.units if u.name == name)

    def staffing_for(self, unit_name: str) -> Staffing:
        """The unit's staffing: the organisation's, with the unit's own fields over it."""
        own = self.unit(unit_name).staffing
        if own is None:
            return self.org.staffing
        return self.org.staffing.model_copy(
            update={name: getattr(own, name) for name in own.model_fields_set}
        )

    def work_for(self, unit_name: str) -> WorkProfile:
        """The work profile that covers a unit (validation ensures exactly one)."""
        return next(w for w in self.work if w.units is None or unit_name in w.units)
