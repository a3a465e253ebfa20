"""What a study's files, charts and board pack name as their source: the scenario and
its file's hash, the seed, the replications each setting ran and the package version.

Every study's JSON holds it under ``source``; :meth:`StudySource.json` writes it and
:meth:`StudySource.of` reads it back, so the two round-trip.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim._version import __version__
from sim.report.files import file_sha256

if TYPE_CHECKING:
    from sim.runs.plan import RunPlan
    from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class StudySource:
    """The scenario a study ran on, and how."""

    name: str  # the scenario's meta.name
    path: str  # the scenario file, as given
    sha256: str  # of the scenario file's bytes
    seed: int
    replications: int  # a setting: every setting runs the same ones
    version: str  # of the package that ran the study
    currency: str  # the scenario's, for every money figure

    @classmethod
    def of_scenario(cls, scenario: Scenario, scenario_path: Path, plan: RunPlan) -> StudySource:
        """The source of a study of ``scenario`` (read from ``scenario_path``) on ``plan``."""
        return cls(
            name=scenario.meta.name,
            path=str(scenario_path),
            sha256=file_sha256(scenario_path),
            seed=plan.seed,
            replications=plan.replications,
            version=__version__,
            currency=scenario.meta.currency,
        )

    def json(self) -> dict[str, Any]:
        """As a study's JSON holds it (its fields in order)."""
        return dataclasses.asdict(self)

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> StudySource:
        """A study's ``source`` read back (KeyError, TypeError, ValueError if it is not one)."""
        return cls(
            name=str(data["name"]),
            path=str(data["path"]),
            sha256=str(data["sha256"]),
            seed=int(data["seed"]),
            replications=int(data["replications"]),
            version=str(data["version"]),
            currency=str(data["currency"]),
        )

    @classmethod
    def in_study(cls, data: Mapping[str, Any]) -> StudySource:
        """The source a study's JSON names."""
        return cls.of(data["source"])
