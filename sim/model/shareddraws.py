"""Each layer's leavers drawn from its own stream, once for the runs that share it.

Runs of one seed (a replication's status quo and its savings bridge's steps) draw each
layer from copies of the same stream: while a layer's people and hazard have been the
same as in the first such run every week, its draws are the first's too, so it takes
them instead of drawing; the week they differ it takes its leader's stream as it stands
(their histories were the same) and draws for itself from then on.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: a layer's draw: (row, column, its stream's binomial)
Draw = tuple[int, int, Callable[..., int]]


class LayerDraws:
    """The binomial draws of a batch's layers, each from its own stream (``leader``: the
    draw each follows, -1 none)."""

    def __init__(self, draws: list[Draw], leader: np.ndarray):
        self.rows = np.array([row for row, _, _ in draws], dtype=int)
        self.columns = np.array([column for _, column, _ in draws], dtype=int)
        self.binomials = [binomial for _, _, binomial in draws]
        self.leader = leader
        self.following = np.flatnonzero(self.leader >= 0)

    def __len__(self) -> int:
        return len(self.binomials)

    def binomial(self, n: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Leavers per row and column, each layer's draw from its own stream (a layer
        with no one, or no hazard, draws nothing: its stream does not move)."""
        flat = np.zeros(len(self.binomials), dtype=np.int64)
        people, hazard = n[self.rows, self.columns], p[self.rows, self.columns]
        if self.following.size:
            track, lead = self.following, self.leader[self.following]
            same = (people[track] == people[lead]) & (hazard[track] == hazard[lead])
            if not same.all():
                self._part_ways(track[~same], people, hazard)
        binomials = self.binomials
        live = np.flatnonzero((people > 0) & (hazard > 0) & (self.leader < 0))
        chances = zip(live.tolist(), people[live].tolist(), hazard[live].tolist(), strict=True)
        flat[live] = [binomials[k](n_k, p_k) for k, n_k, p_k in chances]
        if self.following.size:
            flat[self.following] = flat[self.leader[self.following]]
        drawn_ = np.zeros(n.shape, dtype=np.int64)
        drawn_[self.rows, self.columns] = flat
        return drawn_

    def _part_ways(self, parted: np.ndarray, people: np.ndarray, hazard: np.ndarray) -> None:
        """Draws whose people or hazard this week differ from their leader's: each takes
        its leader's stream as it stands (their histories were the same) and draws for
        itself from now, or follows the first of them with its own people and hazard."""
        new: dict[tuple[int, int, float], int] = {}
        generators = [binomial.__self__ for binomial in self.binomials]  # type: ignore[attr-defined]
        for k in parted.tolist():
            old = int(self.leader[k])
            root = new.setdefault((old, int(people[k]), float(hazard[k])), k)
            if root == k:
                mine, theirs = generators[k].bit_generator, generators[old].bit_generator
                mine.state = theirs.state
                self.leader[k] = -1
            else:
                self.leader[k] = root
        self.following = np.flatnonzero(self.leader >= 0)
