"""What every part of the scenario format shares: names, limits and the immutable base
model.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr

from sim.scenario.distributions import Distribution
from sim.scenario.names import check_name
from sim.scenario.quantities import Q

#: a name reaches tables, workbooks, decks and the terminal: no control characters
Name = Annotated[StrictStr, Field(min_length=1, max_length=80), AfterValidator(check_name)]
#: a label that may be empty (a wave's), held to the same characters
Label = Annotated[StrictStr, AfterValidator(check_name)]
Names = tuple[Name, ...]

#: US WARN Act: 60 days' notice for mass layoffs, in weeks
WARN_NOTICE_WEEKS = 60 / 7
#: annual pay growth a scenario may give: a pay cut of 20% to a rise of 50% a year
PAY_GROWTH = Q(ge=-0.2, le=0.5, fraction=True)
#: an AI effect on effort: at most all of it saved, at worst half as much again (the
#: largest slowdown measured is METR's 2025 field study, 19% longer)
UPLIFT = Q(ge=-0.5, le=1, fraction=True)
#: below this, a run samples too few items for its throughput and cycle time to mean much
MIN_FIDELITY_ITEMS = 1000
#: past this a replication simulates for many minutes (about 5 us a station visit, a few
#: visits an item, twice: the scenario and its twin) and holds its items in memory
MAX_FIDELITY_ITEMS = 10_000_000
#: the last month a run may start: its lead-in and horizon must end within year 9999,
#: the last year a date can have
LAST_START = dt.date(9969, 12, 1)
#: the most months a run may simulate before its valuation month (see sim.scenario.timeline)
MAX_LEAD_IN_MONTHS = 120


def nominal(value: float | Distribution) -> float:
    """A point value: the number itself, or a distribution's mean (for checks and
    estimates made before anything is drawn; the model reads drawn scenarios,
    :mod:`sim.scenario.drawn`)."""
    return value.mean if isinstance(value, Distribution) else value


class Model(BaseModel):
    """Every part of a scenario: immutable, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
