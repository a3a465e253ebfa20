"""A queue station: servers taken at once while free, a FIFO queue when none is."""

from __future__ import annotations

import simpy

from sim.model.station import Station


def test_an_arrival_queues_while_a_shrunk_team_has_more_busy_than_servers() -> None:
    env = simpy.Environment()
    team = Station(env, 2)
    assert team.acquire() is None and team.acquire() is None  # both serving
    team.resize(1)  # one of the two leaves once done: one busy too many
    assert team.acquire() is not None  # no one is free: the arrival waits


def test_the_queued_arrival_is_served_when_the_last_server_over_size_has_finished() -> None:
    env = simpy.Environment()
    team = Station(env, 2)
    team.acquire(), team.acquire()
    team.resize(1)
    turn = team.acquire()
    assert turn is not None
    team.release()  # the one over size finishes and goes: the station is at size
    assert not turn.triggered
    team.release()  # the remaining server finishes: its turn passes to the waiting item
    assert turn.triggered
    assert team.free == 0
