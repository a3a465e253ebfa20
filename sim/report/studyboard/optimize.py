"""An optimisation's board: the plan chosen against the plan as written, the front, and
how the search converged, every decision, statistic and constraint in words."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from sim.report.answers import Answer
from sim.report.board import Board
from sim.report.charts import optimize as optimize_chart
from sim.report.charts.study import input_text
from sim.report.optimizefile import StoredCandidate, StoredDecision, StoredOptimisation
from sim.report.studyboard.common import (
    MAX_TABLE_ROWS,
    RELATIONS,
    Pack,
    Rows,
    replications_note,
    study_pack,
)
from sim.report.studysource import StudySource
from sim.report.text import money
from sim.runs.headlines import Kind, of_kind
from sim.scenario.labels import unit_of

#: the most statistics the table shows: the objectives first, then the others reported
MAX_STATISTICS = 4


def constraint_text(text: str, currency: str = "USD") -> str:
    """'payback_month.p50<=12' -> 'P50 payback month ≤ 12', 'npv.mean>=1e9' -> 'Mean NPV
    ≥ $1B'; a probability as its label writes it ('P(NPV > 0) ≥ 90%')."""
    for op in ("<=", ">=", "<", ">"):
        # the outermost relation: a probability's own sits inside its brackets
        head, found, value = text.rpartition(op)
        if found and head and not head.endswith(("<", ">")) and ")" not in value:
            statistic = head.strip()
            bound = optimize_chart.threshold_text(statistic, float(value), currency)
            return f"{optimize_chart.statistic_label(statistic)} {RELATIONS[op]} {bound}"
    return text


def decision_value(decision: StoredDecision, candidate: StoredCandidate, currency: str) -> str:
    """A candidate's value of a decision in its unit ('30%', '$3.3M', '2026-01'); 'as
    written' where it sets none."""
    value = candidate.values.get(decision.path)
    if value is None:
        return "as written"
    if decision.kind in ("float", "int") and isinstance(value, int | float):
        return input_text(float(value), unit_of(decision.path), currency)
    return str(candidate.shown.get(decision.path, value))


def decision_text(decision: StoredDecision, currency: str) -> str:
    """A decision as the search took it: 'Cut / Operations IC: Cut from 5% to 50% in
    steps of 5%', 'Wave 2: Date from 2026-01 to 2026-06', or one of its choices."""
    if decision.kind == "choice":
        return f"{decision.name}: one of {', '.join(str(c) for c in decision.choices)}"
    if decision.kind == "month":
        return f"{decision.name} between the months of {decision.spec.split('=', 1)[-1]}"
    unit = unit_of(decision.path)
    low, high = (input_text(float(v), unit, currency) for v in (decision.low, decision.high))
    step = decision.step
    steps = f" in steps of {input_text(float(step), unit, currency)}" if step else ""
    return f"{decision.name} from {low} to {high}{steps}"


def _shown_plans(study: StoredOptimisation) -> list[tuple[str, StoredCandidate]]:
    """The table's plans: as written, the chosen, then the front, to a slide's rows."""
    shown = [("As written", study.today)]
    chosen = study.chosen
    if chosen is not None:
        shown.append((f"Chosen (trial {chosen.trial})", chosen))
    front = [(f"Front (trial {n})", study.candidate(n)) for n in study.front if n != study.best]
    return shown + front[: MAX_TABLE_ROWS - len(shown)]


def optimize_table(study: StoredOptimisation, currency: str) -> Rows:
    """A row a plan shown: its decisions, its statistics (the objectives' first) and
    whether it meets every constraint."""
    decisions = study.decisions
    asked = [o.statistic for o in study.objectives]
    asked += [s for s in study.statistics if s not in asked][: max(0, MAX_STATISTICS - len(asked))]
    header = (
        "Plan",
        *(d.name for d in decisions),
        *(optimize_chart.statistic_label(s) for s in asked),
        "Meets every constraint",
    )
    rows = [
        (
            name,
            *(decision_value(d, c, currency) for d in decisions),
            *(optimize_chart.value_text(s, c.statistics.get(s), currency) for s in asked),
            "yes" if c.feasible else "no",
        )
        for name, c in _shown_plans(study)
    ]
    return (header, *rows)


def optimize_board(source: StudySource, study: StoredOptimisation) -> Board:
    currency = source.currency
    decisions = study.decisions
    figures: dict[str, Callable[[], Figure]] = {
        "convergence": lambda: optimize_chart.draw_convergence_figure(study)
    }
    if len(study.objectives) > 1:
        figures = {"frontier": lambda: optimize_chart.draw_frontier_figure(study), **figures}
    objectives = " and ".join(
        ("maximise " if o.maximise else "minimise ")
        + optimize_chart.in_sentence(optimize_chart.statistic_label(o.statistic))
        for o in study.objectives
    )
    constraints = "; ".join(constraint_text(c, currency) for c in study.constraints) or "none"
    levers = "; ".join(decision_text(d, currency) for d in decisions)  # not their paths
    caveats = [
        "The search tries a sample of the plans the decisions allow, not every one: a "
        "better plan may lie between the candidates tried.",
    ]
    if study.best is None and study.binding is not None:
        caveats.insert(
            0,
            "No candidate meets every constraint; "
            f"{constraint_text(study.binding.constraint, currency)} binds most "
            f"(met by {study.binding.met_by} of {study.trials}).",
        )
    pack = Pack(
        "optimize",
        "Optimisation",
        optimize_table(study, currency),
        figures,
        f"{study.trials} candidate plans: {objectives}, subject to {constraints}.",
        f"An optimisation with Optuna's {study.sampler} sampler: {objectives}, subject to "
        f"{constraints}, over {len(decisions)} decision"
        f"{'s' * (len(decisions) != 1)} ({levers}). "
        "Every candidate runs the same replications on the same random numbers, so two "
        "candidates differ by their decisions alone; the status quo each is measured "
        f"against was simulated once per replication and reused {study.twin_cache.reused} "
        "times. The chosen plan is written as best.yaml.",
        replications_note(source)
        + " A constraint met by a narrow margin on these replications may be missed on "
        "others: check the chosen plan with more replications (restructure run best.yaml -n ...).",
        tuple(caveats),
        optimize_answers(study, currency),
    )
    return study_pack(source, pack)


def _gap(objective: str, best: StoredCandidate, today: StoredCandidate, currency: str) -> str:
    """'$1.2B more', '3 points more', '1.5 months less': the chosen plan's objective
    against the plan as written ('' where either has none)."""
    mine, theirs = (c.statistics.get(objective) for c in (best, today))
    if mine is None or theirs is None:
        return ""
    difference = float(mine) - float(theirs)
    way = "more" if difference >= 0 else "less"
    if objective.startswith("P("):
        return f"{100 * abs(difference):.0f} points {way}"
    if objective.split(".")[0] in optimize_chart.MONEY:
        return f"{money(abs(difference), currency)} {way}"
    if objective.split(".")[0] in of_kind(Kind.MONTHS):
        return f"{abs(difference):.1f} months {'later' if difference >= 0 else 'sooner'}"
    return f"{abs(difference):,.3g} {way}"


def _constraints_met(study: StoredOptimisation, candidate: StoredCandidate, currency: str) -> str:
    if not study.constraints:
        return "no constraints"
    if candidate.feasible:
        return "meets every constraint"
    # a reading per constraint; none for a candidate that failed
    missed = [
        constraint_text(c, currency)
        for c, ok in zip(study.constraints, candidate.meets, strict=False)
        if not ok
    ]
    return "misses " + "; ".join(missed) if missed else "does not meet every constraint"


def optimize_answers(study: StoredOptimisation, currency: str) -> tuple[Answer, ...]:
    """The plan chosen with its decisions and its objective against the plan as written,
    the plan as written, and with two objectives the frontier; where no candidate meets
    every constraint, which binds."""
    objective = study.objectives[0].statistic
    # the tile names the statistic with its unit; the figure is its reading alone
    stat = optimize_chart.in_sentence(optimize_chart.statistic_label(objective))
    today = study.today
    trials = study.trials

    def reading(candidate: StoredCandidate) -> str:
        return optimize_chart.value_text(objective, candidate.statistics.get(objective), currency)

    as_written = Answer(
        "The plan as written",
        reading(today),
        _constraints_met(study, today, currency),
        statistic=stat,
    )
    best = study.chosen
    if best is None:
        binding = study.binding
        why = (
            f"{constraint_text(binding.constraint, currency)} binds most: met by "
            f"{binding.met_by} of {trials}"
            if binding is not None
            else "every candidate misses at least one"
        )
        return (
            Answer("No plan meets every constraint", f"none of {trials} tried", why),
            as_written,
        )
    decisions = "; ".join(f"{d.name} {decision_value(d, best, currency)}" for d in study.decisions)
    gap = _gap(objective, best, today, currency)
    chosen = Answer(
        f"The plan chosen: trial {best.trial} of {trials}",
        reading(best),
        f"{decisions}; {_constraints_met(study, best, currency)}"
        + (f"; {gap} than as written" if gap else ""),
        statistic=stat,
    )
    found = [chosen, as_written]
    if len(study.objectives) > 1:
        others = " and ".join(
            optimize_chart.in_sentence(optimize_chart.statistic_label(o.statistic))
            for o in study.objectives
        )
        count = len(study.front)
        found.append(
            Answer(
                "The frontier",
                f"{count} plan{'s' * (count != 1)}",
                f"the feasible candidates no other beats on both {others}",
            )
        )
    return tuple(found)
