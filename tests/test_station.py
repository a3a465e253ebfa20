"""A team's queue: servers taken at once while free, a FIFO queue when none is."""

from __future__ import annotations

from sim.model.station import Station


def test_an_arrival_queues_while_a_shrunk_team_has_more_busy_than_servers() -> None:
    team: Station[str] = Station(2)
    assert team.take("a") and team.take("b")  # both serving
    assert team.resize(1) == []  # one of the two leaves once done: one busy too many
    assert not team.take("c")  # no one is free: the arrival waits


def test_the_queued_arrival_is_served_when_the_last_server_over_size_has_finished() -> None:
    team: Station[str] = Station(2)
    team.take("a"), team.take("b")
    team.resize(1)
    assert not team.take("c")
    assert team.release() is None  # the one over size finishes and goes: at size now
    assert team.release() == "c"  # the remaining server passes to the waiting item
    assert team.free == 0


def test_a_team_that_grows_serves_its_queue_at_once_in_arrival_order() -> None:
    team: Station[str] = Station(1)
    team.take("a")
    assert not team.take("b") and not team.take("c") and not team.take("d")
    assert team.resize(3) == ["b", "c"]  # two new ICs take the first two in line
    assert team.release() == "d"
    assert team.release() is None and team.free == 1
