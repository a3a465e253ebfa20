"""A queue station of the work flow: people serving a first-come-first-served queue."""

from __future__ import annotations

from collections import deque

import simpy


class Station:
    """One simulated manager, or a team's pool of ICs: ``servers`` people serving a
    first-come-first-served queue, each at full speed.

    A ``simpy.Resource`` costs three events a visit (request, service, release)
    even when a server is free. Here a free server is taken at once and a
    finishing item hands its server straight to the next in line, so a visit
    costs its service event, plus one wake-up when it had to queue: the same
    FIFO multi-server queue, at half the engine's cost per item.

    A team that shrinks has fewer servers, not slower ones (:meth:`resize`): the
    people beyond the new size finish what they hold and are not replaced.
    """

    __slots__ = ("env", "free", "queue", "servers")

    def __init__(self, env: simpy.Environment, servers: int):
        self.env = env
        self.servers = servers
        self.free = servers  # negative while more are busy than the station now has
        self.queue: deque[simpy.Event] = deque()

    def resize(self, servers: int) -> None:
        """Now ``servers`` people serve: new ones take the next in line at once."""
        self.free += servers - self.servers
        self.servers = servers
        while self.free > 0 and self.queue:
            self.free -= 1
            self.queue.popleft().succeed()

    def acquire(self) -> simpy.Event | None:
        """None if a server was free (taken); else the event of the server's turn."""
        if self.free > 0:  # free < 0 (a team shrunk below its busy servers): none is
            self.free -= 1
            return None
        turn = self.env.event()
        self.queue.append(turn)
        return turn

    def release(self) -> None:
        if self.free >= 0 and self.queue:
            self.queue.popleft().succeed()  # the server passes to the next in line
        else:
            self.free += 1  # a server is free again, or (free < 0) one fewer is over size
