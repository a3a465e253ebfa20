"""Made-up HR rosters of any size, for tests, the benchmark and the shipped example.

A roster is a tree: a chief executive in a small corporate unit, each business
unit's head reporting to them, and below each head layers of managers whose
sizes follow a span. Each person below a head picks a manager at random from the
layer above, so spans vary as they do in real organisations, some managers end
up with one report, and managers who draw no report at all are ICs above the
bottom layer (a ragged hierarchy). Rows are shuffled, so a manager often comes
after the people who report to them.

    python tests/rostergen.py 4000 scenarios/example-roster.csv --seed 2026 --span Devices=3.5

Everything is made up: ids are random, titles and locations are generic.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: fully loaded annual cost of an IC (illustrative), and the rise per layer up
IC_COST = 140_000.0
COST_RISE_PER_LAYER = 1.3
UNITS = ("Retail", "Cloud", "Devices", "Operations", "Advertising", "Studios")
LOCATIONS = ("Seattle", "Austin", "Dublin", "Bangalore", "Toronto", "Berlin")
#: the corporate unit: a chief executive with a few staff and the unit heads as reports
CORPORATE = "Corporate"
CORPORATE_STAFF = 6
#: sd of the log of a manager's pull on reports: how uneven spans are
SPAN_SPREAD = 0.5


@dataclass(frozen=True)
class GeneratedRoster:
    """Columns of a generated roster, in row order, and the truth they were built from."""

    employee_id: list[str]
    manager_id: list[str]
    unit: list[str]
    annual_cost: np.ndarray
    grade: list[str]
    title: list[str]
    location: list[str]

    @property
    def size(self) -> int:
        return len(self.employee_id)

    def rows(self) -> list[list[str]]:
        return [
            list(row)
            for row in zip(
                self.employee_id,
                self.manager_id,
                self.unit,
                [f"{c:.0f}" for c in self.annual_cost],
                self.grade,
                self.title,
                self.location,
                strict=True,
            )
        ]

    def write_csv(self, path: Path) -> Path:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(self.rows())
        return path


HEADER = ("employee_id", "manager_id", "unit", "annual_cost", "grade", "title", "location")


def generate(
    people: int,
    seed: int = 1,
    units: Sequence[str] = UNITS,
    span: float = 7.0,
    unit_spans: dict[str, float] | None = None,
) -> GeneratedRoster:
    """A roster of about ``people`` people (exactly, when it is large enough)."""
    rng = np.random.default_rng(seed)
    sizes = _unit_sizes(people - 1 - CORPORATE_STAFF, len(units), rng)
    parent: list[np.ndarray] = [np.array([-1]), np.zeros(CORPORATE_STAFF, dtype=np.int64)]
    unit_of = [np.zeros(1 + CORPORATE_STAFF, dtype=np.int64)]
    depth = [np.zeros(1, dtype=np.int64), np.ones(CORPORATE_STAFF, dtype=np.int64)]
    start = 1 + CORPORATE_STAFF
    for u, size in enumerate(sizes):
        unit_span = (unit_spans or {}).get(units[u], span)
        layer_sizes = _layer_sizes(size, unit_span)
        above = np.array([0])  # the unit's head reports to the chief executive
        for d, layer_size in enumerate(layer_sizes):
            rows = np.arange(start, start + layer_size)
            # uneven spans, as in real teams: some managers draw many reports, some one
            pull = rng.lognormal(0, SPAN_SPREAD, len(above))
            parent.append(above[rng.choice(len(above), layer_size, p=pull / pull.sum())])
            unit_of.append(np.full(layer_size, u + 1))
            depth.append(np.full(layer_size, d + 1))
            above, start = rows, start + layer_size
    return _finish(
        np.concatenate(parent), np.concatenate(unit_of), np.concatenate(depth), units, rng
    )


def _unit_sizes(people: int, units: int, rng: np.random.Generator) -> list[int]:
    weights = rng.uniform(0.5, 1.5, units)
    sizes = np.maximum(np.floor(people * weights / weights.sum()).astype(int), 2)
    sizes[0] += people - sizes.sum()
    return [int(s) for s in sizes]


def _layer_sizes(size: int, span: float) -> list[int]:
    """Layers top to bottom: one head, then each layer about ``span`` times the one
    above, sized from the bottom up so that the bottom layer (the ICs) is the largest."""

    def chain(bottom: int) -> list[int]:
        sizes = [bottom]
        while sizes[-1] > 1:
            sizes.append(max(1, math.ceil(sizes[-1] / span)))
        return sizes[::-1]

    bottom = max(1, round(size * (span - 1) / span))
    for _ in range(20):  # a few corrections settle the total exactly
        sizes = chain(bottom)
        if sum(sizes) == size:
            break
        bottom += size - sum(sizes)
    sizes[-1] += size - sum(sizes)
    return sizes


def _finish(
    parent: np.ndarray,
    unit_of: np.ndarray,
    depth: np.ndarray,
    units: Sequence[str],
    rng: np.random.Generator,
) -> GeneratedRoster:
    n = len(parent)
    numbers = rng.choice(np.arange(100_000, 100_000 + 20 * n), n, replace=False)
    ids = np.array([f"E{k}" for k in numbers])
    managers = np.where(parent >= 0, ids[np.maximum(parent, 0)], "")
    unit_names = np.array([CORPORATE, *units])
    deepest = np.zeros(len(units) + 1, dtype=np.int64)
    np.maximum.at(deepest, unit_of, depth)
    above_bottom = deepest[unit_of] - depth  # 0 for the bottom layer of each unit
    above_bottom[0] = deepest.max() + 1  # the chief executive
    cost = IC_COST * COST_RISE_PER_LAYER**above_bottom * rng.lognormal(0, 0.15, n)
    grade = np.char.add("G", (above_bottom + 1).astype(str))
    titles = np.array(["Chief", "Vice president", "Director", "Senior manager", "Manager"])
    title = np.where(depth < len(titles), titles[np.minimum(depth, len(titles) - 1)], "Specialist")
    location = np.array(LOCATIONS)[rng.integers(0, len(LOCATIONS), n)]
    order = rng.permutation(n)
    return GeneratedRoster(
        employee_id=ids[order].tolist(),
        manager_id=managers[order].tolist(),
        unit=unit_names[unit_of][order].tolist(),
        annual_cost=np.round(cost[order]),
        grade=grade[order].tolist(),
        title=title[order].tolist(),
        location=location[order].tolist(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--span", action="append", default=[], metavar="UNIT=SPAN", help="a unit's own span"
    )
    args = parser.parse_args()
    spans = {unit: float(span) for unit, span in (item.split("=") for item in args.span)}
    generate(args.people, args.seed, unit_spans=spans).write_csv(args.path)


if __name__ == "__main__":
    main()
