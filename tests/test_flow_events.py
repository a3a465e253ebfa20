"""What the work flow costs in SimPy events: an event a step of an item (its arrival,
the end of its IC work, its arrival at each reviewer), none for its queueing, none for
the background reviews of the teams not simulated, and no timeout a week's arrivals
wait for (issue 24). The cost per item is what bench/bench_engine.py measures; this is
the count it rests on."""

from __future__ import annotations

from collections import Counter

import engine_cases as cases
import pytest
import simpy

from sim.model.calendar import Calendar
from sim.model.items import Item
from sim.model.replication import run_replication

MONTHS = 6


@pytest.fixture
def scheduled(monkeypatch: pytest.MonkeyPatch) -> list[simpy.Event]:
    """Every event the engine schedules, in order."""
    events: list[simpy.Event] = []
    schedule = simpy.Environment.schedule

    def recording(self, event, priority=simpy.events.NORMAL, delay=0):  # type: ignore[no-untyped-def]
        events.append(event)
        schedule(self, event, priority, delay)

    monkeypatch.setattr(simpy.Environment, "schedule", recording)
    return events


def test_an_item_costs_an_event_a_step_and_its_queueing_and_the_background_none(
    scheduled: list[simpy.Event],
) -> None:
    scenario = cases.two_thousand_staff(MONTHS, 2_000)  # sampled: most reviews background
    replication = run_replication(scenario, 1)
    units = [run.units[0] for run in (replication.scenario, replication.baseline)]
    assert all(u.background_reviews > 0 and u.sampled_teams < 220 for u in units)

    per_item = Counter(id(e) for e in scheduled if isinstance(e, Item))
    items = {id(e): e for e in scheduled if isinstance(e, Item)}
    # arrival, IC work's end, one arrival at each reviewer (the last maybe still on its way)
    assert all(count <= 3 + items[key].hop for key, count in per_item.items())
    assert sum(per_item.values()) <= sum(2 + item.hop for item in items.values()) + len(items) // 20
    # the rest, in each of the two runs: its weekly driver and month ends (two processes
    # started, one ended) and the stop at the horizon
    calendar = Calendar(cases.START, MONTHS)
    others = len(scheduled) - sum(per_item.values())
    assert others <= 2 * (calendar.weeks + calendar.months + 4)
