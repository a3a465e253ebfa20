"""The skeleton every study command shares: its folder checked before any work, the
plan and the pool from the options, the study run with a progress bar, its files
written whole, its answer printed, a user's mistake one line and exit 2.

A command parses its own options (with the scenario at hand), then hands
:meth:`Study.run` what is its own: the study's computation (in sim.studies), its
files' writer (in sim.report) and the lines of its answer. No model logic here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

# the scenario, the engine and their libraries are imported when a study runs, so
# --help and a usage error start in a fraction of a second
if TYPE_CHECKING:
    from sim.report.studysource import StudySource
    from sim.runs.plan import Pool, RunPlan
    from sim.scenario.schema import Scenario
from sim.cli.group import UserError
from sim.cli.options import Simulation, chart_drawer, load_or_exit, progress_bar

T = TypeVar("T")

#: a study's computation: ``compute(plan, pool, done)``, ``done(steps)`` as it goes
Compute = Callable[["RunPlan", "Pool", Callable[[float], None]], T]
#: a study's files: ``write(result, source, target, force, draw)``, the folder whole
Write = Callable[[T, "StudySource", Path, bool, Callable[..., object] | None], object]


@dataclass(frozen=True)
class Study:
    """One study command's run: the scenario, its folder and how it simulates."""

    scenario_file: Path
    scenario: Scenario
    kind: str  # its folder's suffix: runs/NAME-KIND
    output: Path | None
    force: bool
    simulation: Simulation
    formats: tuple[str, ...]

    @classmethod
    def of(
        cls,
        scenario_file: Path,
        kind: str,
        output: Path | None,
        force: bool,
        simulation: Simulation,
        formats: tuple[str, ...],
    ) -> Study:
        """The study of a scenario file, loaded (its problems: exit 2)."""
        scenario = load_or_exit(scenario_file)
        return cls(scenario_file, scenario, kind, output, force, simulation, formats)

    @property
    def target(self) -> Path:
        """The study's folder: the output given, else runs/NAME-KIND."""
        return self.output or Path("runs") / f"{self.scenario.meta.name}-{self.kind}"

    @property
    def plan(self) -> RunPlan:
        return self.simulation.plan(self.scenario)

    def run(
        self,
        steps: int,
        unit: str,
        compute: Compute[T],
        write: Write[T],
        chart: str,
        answer: Callable[[T, RunPlan], str],
        errors: Mapping[type[Exception], str] | None = None,
        refuse: bool = True,
        interrupted: str = "",
    ) -> T:
        """Check the folder (unless ``refuse`` is False: the study checks its own), run
        ``compute`` with a bar of ``steps`` ``unit``s, write the files, print ``answer``
        and where they went. ``errors``: an exception of the study, as one line with
        this prefix (the option it comes from), exit 2; ``interrupted``: said on Ctrl-C."""
        plan = self.plan
        if refuse:  # before any work: an existing folder is found at once
            from sim.report.files import refuse_existing

            refuse_existing(self.target, self.force)
        pool = self.simulation.pool()
        with progress_bar(steps, self.simulation.quiet, unit) as bar:
            try:
                result = compute(plan, pool, bar.update)
            except KeyboardInterrupt:
                if interrupted:
                    click.echo(interrupted, err=True)
                raise
            except Exception as err:
                prefix = _prefix(err, errors or {})
                if prefix is None:
                    raise
                raise UserError(f"{prefix}{err}") from None
        self.write(result, plan, write, chart)
        click.echo(answer(result, plan))
        click.echo(f"wrote {self.target}/")
        return result

    def write(self, result: T, plan: RunPlan, write: Write[T], chart: str) -> None:
        """The study's files, whole, with the source line every study's files carry."""
        from sim.report.studysource import StudySource

        source = StudySource.of_scenario(self.scenario, self.scenario_file, plan)
        write(result, source, self.target, self.force, chart_drawer(chart, self.formats))

    def plan_line(self, plan: RunPlan, each: str) -> str:
        """How many replications a study ran, and whose count that was: a study's NPV
        is comparable with a run's only at the same count and seed."""
        return plan_line(plan, each, self.simulation)


def _prefix(err: Exception, errors: Mapping[type[Exception], str]) -> str | None:
    """The first prefix whose exception ``err`` is (None: not a user's mistake)."""
    return next((prefix for kind, prefix in errors.items() if isinstance(err, kind)), None)


def plan_line(
    plan: RunPlan,
    each: str,
    simulation: Simulation,
    default: str = "the scenario's meta.replications",
) -> str:
    """How many replications a study ran, and whose count that was."""
    whose = "-n" if simulation.replications else default
    return f"{plan.replications} replications for {each} ({whose}), seed {plan.seed}"


def parsed(option: str, texts: Sequence[str], parse: Callable[[str], Any]) -> list[Any]:
    """Each text parsed, or the first problem as one line naming the option."""
    found = []
    for text in texts:
        try:
            found.append(parse(text))
        except ValueError as err:
            raise UserError(f"{option}: {err}") from None
    return found
