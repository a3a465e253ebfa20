"""The work flow's queues: a team's ICs serving one first-come-first-served queue, and a
manager reviewing theirs.

Neither is a ``simpy.Resource``, which costs three events a visit (request,
service, release) even when a server is free. A team (:class:`Station`) is
event driven, as an IC's work ends when it ends: a free server is taken at once,
and a finishing item hands its server straight to the next in line, so a visit
costs its one service event. A manager (:class:`Desk`) needs no event at all:
one server, first come first served, starts each review when the last one ends
(Lindley's recursion), so when a review will start and end is known the moment
it arrives, and the background reviews of the teams not simulated are folded in
by their arrival times, as numbers.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, NamedTuple, TypeVar

Item = TypeVar("Item")


class Station(Generic[Item]):
    """One team's pool of ICs: ``servers`` people serving a first-come-first-served
    queue of items, each at full speed.

    A team that shrinks has fewer servers, not slower ones (:meth:`resize`): the
    people beyond the new size finish what they hold and are not replaced.
    """

    __slots__ = ("free", "queue", "servers")

    def __init__(self, servers: int):
        self.servers = servers
        self.free = servers  # negative while more are busy than the station now has
        self.queue: deque[Item] = deque()

    def take(self, item: Item) -> bool:
        """True if a server was free (now taken by ``item``); else ``item`` waits."""
        if self.free > 0:  # free < 0 (a team shrunk below its busy servers): none is
            self.free -= 1
            return True
        self.queue.append(item)
        return False

    def release(self) -> Item | None:
        """A server finished: the next in line it now serves, if any."""
        if self.free >= 0 and self.queue:
            return self.queue.popleft()  # the server passes to the next in line
        self.free += 1  # a server is free again, or (free < 0) one fewer is over size
        return None

    def resize(self, servers: int) -> list[Item]:
        """Now ``servers`` people serve: the items that new ones take at once."""
        self.free += servers - self.servers
        self.servers = servers
        taken = []
        while self.free > 0 and self.queue:
            self.free -= 1
            taken.append(self.queue.popleft())
        return taken


class Queued(NamedTuple, Generic[Item]):
    """A review accepted at a desk that had to wait for the reviews before it."""

    start: float
    arrival: float
    item: Item | None  # None: a background review
    hours: float  # review hours (a light review's share applied)
    weeks: float  # its duration, counted busy in the month it starts
    #: what followed for the item: the index of its record done, or AFTER_HORIZON
    #: (its next step falls after the horizon), or UNDER_WAY (scheduled onward)
    then: int


UNDER_WAY = -1
AFTER_HORIZON = -2


class Desk(Generic[Item]):
    """One simulated manager: a single server reviewing first come first served.

    ``free_at`` is when the reviews accepted so far end; a review arriving at ``t``
    starts at ``max(t, free_at)``. ``background`` holds the background reviews not
    yet folded in, ``(arrival, review hours)`` in arrival order: each is accepted,
    in turn, before any review arriving after it. ``queued`` holds the accepted
    reviews that had to wait, in the order they start (:class:`Queued`): those not
    yet started when the manager goes are handed to the managers who remain.
    """

    __slots__ = ("background", "free_at", "queued")

    def __init__(self) -> None:
        self.free_at = 0.0
        self.background: deque[tuple[float, float]] = deque()
        self.queued: deque[Queued[Item]] = deque()

    def started_by(self, t: float) -> None:
        """Forget the queued reviews that have started by ``t``: they are the manager's."""
        queued = self.queued
        while queued and queued[0][0] <= t:
            queued.popleft()
