"""The board pack of a study folder: a sensitivity, a sweep, a goal seek or the drivers.

The same :class:`~sim.report.board.Board` as a run's, so the same HTML report and
deck lay it out: the study's table in human labels and units, its charts drawn
again from its JSON (the one file its reader reads back), the scenario's
assumptions with their sources, the method, what the figures' uncertainty is,
and the source line. Nothing is computed here that the study's files do not hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from sim.report.answers import Answer
from sim.report.assumptions import read_assumptions
from sim.report.board import Board, ChartSlide, chart_slide
from sim.report.charts import drivers as drivers_chart
from sim.report.charts import optimize as optimize_chart
from sim.report.charts import solve as solve_chart
from sim.report.charts import spider, style
from sim.report.charts import sweep as sweep_chart
from sim.report.charts import tornado as tornado_chart
from sim.report.charts.study import input_text, study_source
from sim.report.runfolder import RunFolderError
from sim.report.studies import STUDY_FILES, drivers_of, solution_of, sweep_of, tornado_of
from sim.report.text import money, month
from sim.runs.headlines import BY_NAME, NPV, PAYBACK, Kind, of_kind
from sim.scenario.labels import unit_of

#: the most rows a slide's table holds; the rest are in the study's CSV
MAX_TABLE_ROWS = 12
Rows = tuple[tuple[str, ...], ...]


def study_kind(folder: Path) -> str | None:
    """The kind of study a folder holds ("sensitivity", "sweep", ...), None if none."""
    return next((kind for kind, name in STUDY_FILES.items() if (folder / name).is_file()), None)


def study_board(folder: Path) -> Board:
    """The board pack of the study in ``folder``."""
    kind = study_kind(folder)
    if kind is None:
        raise RunFolderError(f"{folder}: no study in it ({', '.join(STUDY_FILES.values())})")
    try:
        data = json.loads((folder / STUDY_FILES[kind]).read_text(encoding="utf-8"))
        return BUILDERS[kind](data)
    except (KeyError, TypeError, ValueError) as err:
        raise RunFolderError(
            f"{folder / STUDY_FILES[kind]}: not a study this version can read ({err})"
        ) from None


def _board(
    kind: str,
    data: dict[str, Any],
    what: str,
    table: Rows,
    figures: dict[str, Callable[[], Figure]],
    notes: str,
    method: str,
    uncertainty: str,
    caveats: list[str],
    answers: tuple[Answer, ...] = (),
) -> Board:
    source = data["source"]
    line = study_source(source)
    slides: list[ChartSlide] = []
    with style.chart_style():
        for stem, draw in figures.items():
            slides.append(chart_slide(stem, draw(), None, f"{notes} {line}."))
    assumptions = read_assumptions(source.get("path", ""), source.get("sha256", ""))
    header, *rows = table
    shown = (header, *rows[:MAX_TABLE_ROWS])
    if len(rows) > MAX_TABLE_ROWS:
        caveats = [
            *caveats,
            f"The table shows {MAX_TABLE_ROWS} of {len(rows)} rows; the study's CSV has them all.",
        ]
    count = int(source.get("replications", 1))
    return Board(
        kind,
        f"{what}: {source.get('name', '?')}",
        f"{count} replication{'s' * (count != 1)} a setting, on common random numbers; "
        f"seed {source.get('seed', '?')}",
        shown,
        tuple(slides),
        assumptions,
        method,
        uncertainty,
        (*caveats, "Figures marked illustrative in the scenario are assumptions."),
        line,
        table_title=slides[0].title if slides else what,
        table_heading=what,
        answers=answers,
        answer_title=(slides[0].title if slides else what) if answers else "",
        answers_note=STUDY_NOTE if answers else "",
    )


#: what a study's answers' figures are, beneath them
STUDY_NOTE = (
    "Each figure is over the study's replications, every setting on the same random "
    "numbers; the statistic beside each question says which."
)


def _replications_note(data: dict[str, Any]) -> str:
    count = int(data["source"].get("replications", 1))
    return (
        f"Each setting's figures are over the same {count} replications, so differences "
        "between settings are the input's alone; another set of replications would move "
        "every setting together more than apart."
    )


# ------------------------------------------------------------------ sensitivity


def _sensitivity(data: dict[str, Any]) -> Board:
    result = tornado_of(data)
    source = data["source"]
    currency = str(source.get("currency", "USD"))
    header = ("Input", "Low end", "High end", "NPV at low", "NPV at high", "Swing", "Payback")
    rows = [
        (
            s.label,
            tornado_chart.end_label(s, False, currency),
            tornado_chart.end_label(s, True, currency),
            money(s.low.npv, currency),
            money(s.high.npv, currency),
            money(s.npv_swing, currency),
            f"{month(s.low.payback_month)} / {month(s.high.payback_month)}",
        )
        for s in result.swings
    ]
    base = f"NPV {money(result.base.npv, currency)}, payback {month(result.base.payback_month)}"
    return _board(
        "sensitivity",
        data,
        "Sensitivity",
        (header, *rows),
        {
            "tornado": lambda: tornado_chart.draw(result, source),
            "spider": lambda: spider.draw(result, source),
        },
        "Each input at its low and high end in turn, the others at their medians or as written.",
        "A tornado: each uncertain input is moved to its P10 and then its P90, and each input "
        "named for the study to the low and high values given, while every other input sits "
        "at its median (uncertain) or as written (fixed). Each setting runs the scenario's "
        f"replications; NPV is their mean, payback their median month. The base ({base}) "
        "has every input at its median or as written.",
        _replications_note(data),
        [
            "A swing moves one input at a time: inputs that move together (correlated) can "
            "swing further together than any one alone.",
        ],
        _tornado_answers(result, currency),
    )


def _swing_answer(question: str, swing: Any, currency: str) -> Answer:
    low, high = (tornado_chart.end_label(swing, end, currency) for end in (False, True))
    detail = (
        f"{swing.label}: NPV {money(swing.low.npv, currency)} at {low}, "
        f"{money(swing.high.npv, currency)} at {high}"
    )
    return Answer(question, f"{money(swing.npv_swing, currency)} swing", detail, statistic="mean")


def _tornado_answers(result: Any, currency: str) -> tuple[Answer, ...]:
    """What moves the NPV most, what next, and the base it moves from."""
    found = [
        Answer(
            "The base case",
            f"NPV {money(result.base.npv, currency)}",
            f"median payback {month(result.base.payback_month)}; every input at its "
            "median or as written",
            statistic="mean",
        )
    ]
    for question, swing in zip(("What moves NPV most", "Next"), result.swings, strict=False):
        found.insert(len(found) - 1, _swing_answer(question, swing, currency))
    return tuple(found)


# ------------------------------------------------------------------ sweep


def _sweep(data: dict[str, Any]) -> Board:
    spec, points = sweep_of(data)
    source = data["source"]
    currency = str(source.get("currency", "USD"))

    def band(name: str, point: Any, shown: Callable[[float | None], str]) -> str:
        b = point.headline[name]
        if b.p10 is None or b.p90 is None or b.p10 == b.p90:
            return shown(b.p50)
        return f"{shown(b.p50)} ({shown(b.p10)} to {shown(b.p90)})"

    header = (spec.label, "NPV P50 (P10 to P90)", "Payback P50 (P10 to P90)")
    rows = [
        (
            input_text(p.value, spec.unit, currency),
            band(NPV.name, p, lambda v: money(v, currency)),
            band(PAYBACK.name, p, month),
        )
        for p in points
    ]
    return _board(
        "sweep",
        data,
        "Sweep",
        (header, *rows),
        {"sweep": lambda: sweep_chart.draw(spec, points, source)},
        f"NPV and payback month across {len(points)} values of {spec.label}.",
        f"A sweep: the scenario run at {len(points)} values of {spec.label}, every other "
        "input as written, each value on the same replications and random numbers. "
        "NPV and payback month are P50 with their P10-P90 range over the replications.",
        _replications_note(data),
        [],
        _sweep_answers(spec, points, currency, band),
    )


def _sweep_answers(
    spec: Any, points: Any, currency: str, band: Callable[[str, Any, Callable], str]
) -> tuple[Answer, ...]:
    """The value of the input with the highest median NPV, the lowest, and the payback
    at the best (none where no value has an NPV)."""
    scored = [p for p in points if p.headline[NPV.name].p50 is not None]
    if not scored:
        return ()
    best = max(scored, key=lambda p: p.headline[NPV.name].p50)
    worst = min(scored, key=lambda p: p.headline[NPV.name].p50)

    def npv(point: Any) -> str:
        return "NPV " + band(NPV.name, point, lambda v: money(v, currency))

    def at(point: Any) -> str:
        return input_text(point.value, spec.unit, currency)

    return (
        Answer("Best for NPV", at(best), f"{spec.label}: {npv(best)}", statistic="median"),
        Answer("Worst for NPV", at(worst), f"{spec.label}: {npv(worst)}", statistic="median"),
        Answer(
            "Payback at the best",
            month(best.headline[PAYBACK.name].p50),
            "P10 to P90: " + band(PAYBACK.name, best, month),
            statistic="median",
        ),
    )


# ------------------------------------------------------------------ goal seek


def _solve(data: dict[str, Any]) -> Board:
    solution = solution_of(data)
    source = data["source"]
    currency = str(source.get("currency", "USD"))
    target = solution.target
    headline = BY_NAME[target.headline]
    statistic = f"{target.statistic.upper()} {headline.in_words}"

    def value(v: float | None) -> str:
        return input_text(v, solution.unit, currency)

    def figure(v: float | None) -> str:
        return solve_chart.value_shown(v, target.headline, currency)

    shown = f"{target.statistic.capitalize()} {headline.in_words}"
    header = ("Step", solution.label, shown, "Meets the target")
    rows = [
        (
            str(k + 1),
            value(e.value),
            figure(e.statistic),
            ("yes" if target.gap(e.statistic) <= 0 else "no") if target.relation != "=" else "",
        )
        for k, e in enumerate(solution.evaluations)
    ]
    low, high = solution.interval
    interval = (
        f"Its 95% interval over resampled replications is {value(low)} to {value(high)}."
        if low is not None and high is not None
        else "Resampled replications move the answer out of the values tried too often to "
        "give it an interval."
    )
    goal = f"{statistic} {target.relation} {figure(target.value)}"
    # the range searched: the values tried (it read the final bracket, "between $8M and $8M")
    tried = [e.value for e in solution.evaluations]
    return _board(
        "solve",
        data,
        "Goal seek",
        (header, *rows),
        {"solve": lambda: solve_chart.draw(solution, source)},
        f"The search for the {solution.label} at which {goal}.",
        f"A goal seek: the value of {solution.label} at which {goal}, searched between "
        f"{value(min(tried))} and {value(max(tried))} by halving the bracket (an equality "
        "by regula falsi), every value on the same replications and random numbers. The "
        f"answer is {value(solution.answer)}.",
        interval,
        [],
        _solve_answers(solution, goal, value, figure),
    )


#: a statistic of the replications as a tile names it
STATISTIC_WORDS = {"p50": "median", "mean": "mean"}


def _statistic_words(statistic: str) -> str:
    return STATISTIC_WORDS.get(statistic, f"{statistic.upper()} of the replications")


def _solve_answers(
    solution: Any,
    goal: str,
    value: Callable[[float | None], str],
    figure: Callable[[float | None], str],
) -> tuple[Answer, ...]:
    """The value of the input that meets the target, how sure it is, and what the
    statistic is at the nearest value the search ran."""
    target = solution.target
    statistic = _statistic_words(target.statistic)
    low, high = solution.interval
    sure = (
        f"95% interval over resampled replications {value(low)} to {value(high)}"
        if low is not None and high is not None
        else "no interval: resampled replications move it out of the values tried"
    )
    nearest = min(solution.evaluations, key=lambda e: abs(e.value - solution.answer))
    tried = len(solution.evaluations)
    return (
        Answer(
            "What meets the target",
            value(solution.answer),
            f"{solution.label} of {value(solution.answer)} gives {goal}; {sure}",
            statistic=statistic,
        ),
        Answer(
            "At the nearest value run",
            figure(solution.statistic_at_answer),
            f"{solution.label} {value(nearest.value)} against the target "
            f"{figure(target.value)}; {tried} value{'s' * (tried != 1)} run",
            statistic=statistic,
        ),
    )


# ------------------------------------------------------------------ drivers


def _drivers(data: dict[str, Any]) -> Board:
    result = drivers_of(data)
    source = data["source"]
    currency = str(source.get("currency", "USD"))
    tail = f"worst {result.tail_share:.0%}"
    header = ("Input", f"Median, {tail}", "Median, all", "Shift (sd)", "Rank corr.", "Variance")
    rows = [
        (
            d.label,
            input_text(d.median_tail, d.unit, currency),
            input_text(d.median_all, d.unit, currency),
            f"{d.shift_sd:+.2f}",
            f"{d.rank_correlation:+.2f}",
            f"{d.variance_share:.0%}",
        )
        for d in result.drivers
    ]
    return _board(
        "drivers",
        data,
        "Drivers of the worst outcomes",
        (header, *rows),
        {"drivers": lambda: drivers_chart.draw(result, source)},
        f"What the {tail} of NPV have in common.",
        f"The {result.tail_count} replications of {result.replications} with the lowest NPV "
        f"(at or below {money(result.threshold, currency)}) against all of them: for each "
        "uncertain input, how far its median in that tail sits from its median overall, in "
        "standard deviations of the input; beside it, its rank correlation with NPV over all "
        "replications and its share of the variance those correlations explain.",
        f"The tail holds {result.tail_count} replications: a shift under about "
        f"{drivers_chart.chance_shift(result.tail_count):.1f} sd (two standard errors of the "
        f"median of {result.tail_count} draws of a normal input) is within what chance alone "
        "gives.",
        ["Correlation is not cause: an input that moves with a driver shares its shift."],
        _drivers_answers(result, currency),
    )


def _drivers_answers(result: Any, currency: str) -> tuple[Answer, ...]:
    """What the worst outcomes are, the input that sits furthest from its median there,
    and the next; a shift within two standard errors of a tail's median says so."""
    tail = f"worst {result.tail_share:.0%}"
    worst = Answer(
        f"The {tail} of outcomes",
        f"NPV at or below {money(result.threshold, currency)}",
        f"the {result.tail_count} of {result.replications} replications with the lowest NPV",
        statistic=f"P{100 * result.tail_share:.0f} of the replications",
    )
    chance = drivers_chart.chance_shift(result.tail_count)

    def driver(question: str, d: Any) -> Answer:
        way = "higher" if d.shift_sd > 0 else "lower"
        tail_value, overall = (
            input_text(v, d.unit, currency) for v in (d.median_tail, d.median_all)
        )
        within = "; within what chance alone gives" if abs(d.shift_sd) < chance else ""
        return Answer(
            question,
            d.label,
            f"{abs(d.shift_sd):.1f} sd {way} there: {tail_value} against {overall} overall; "
            f"rank correlation with NPV {d.rank_correlation:+.2f}{within}",
            statistic="medians",
        )

    found = [
        driver(q, d)
        for q, d in zip((f"What sets the {tail} apart", "Next"), result.drivers, strict=False)
    ]
    return (*found, worst) if found else (worst,)


# ------------------------------------------------------------------ optimisation


#: a constraint's relations as a reader writes them
RELATIONS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def constraint_text(text: str) -> str:
    """'payback_month.p50<=12' -> 'P50 payback month ≤ 12'; a probability as its label
    writes it ('P(NPV > 0) ≥ 0.9')."""
    for op in ("<=", ">=", "<", ">"):
        # the outermost relation: a probability's own sits inside its brackets
        head, found, value = text.rpartition(op)
        if found and head and not head.endswith(("<", ">")) and ")" not in value:
            return f"{optimize_chart.statistic_label(head.strip())} {RELATIONS[op]} {value.strip()}"
    return text


def decision_value(decision: dict[str, Any], candidate: dict[str, Any], currency: str) -> str:
    """A candidate's value of a decision in its unit ('30%', '$3.3M', '2026-01'); 'as
    written' where it sets none."""
    path = decision["path"]
    value = candidate["values"].get(path)
    if value is None:
        return "as written"
    if decision["kind"] in ("float", "int") and isinstance(value, int | float):
        return input_text(float(value), unit_of(path), currency)
    return str(candidate["shown"].get(path, value))


def decision_text(decision: dict[str, Any], currency: str) -> str:
    """A decision as the search took it: 'Cut / Operations IC: Cut from 5% to 50% in
    steps of 5%', 'Wave 2: Date from 2026-01 to 2026-06', or one of its choices."""
    name = decision["label"] or decision["path"]
    if decision["kind"] == "choice":
        return f"{name}: one of {', '.join(str(c) for c in decision['choices'])}"
    if decision["kind"] == "month":
        return f"{name} between the months of {decision['spec'].split('=', 1)[-1]}"
    unit = unit_of(decision["path"])
    low, high = (input_text(float(decision[k]), unit, currency) for k in ("low", "high"))
    step = decision.get("step")
    steps = f" in steps of {input_text(float(step), unit, currency)}" if step else ""
    return f"{name} from {low} to {high}{steps}"


def _optimize(data: dict[str, Any]) -> Board:
    source = data["source"]
    currency = str(source.get("currency", "USD"))
    decisions = data["decisions"]
    asked = [o["statistic"] for o in data["objectives"]]
    asked += [s for s in data["statistics"] if s not in asked][: max(0, 4 - len(asked))]
    header = (
        "Plan",
        *(d["label"] or d["path"] for d in decisions),
        *(optimize_chart.statistic_label(s) for s in asked),
        "Meets every constraint",
    )
    by_trial = {c["trial"]: c for c in data["candidates"]}
    shown = [("As written", data["today"])]
    if data["best"] is not None:
        shown.append((f"Chosen (trial {data['best']})", by_trial[data["best"]]))
    shown += [(f"Front (trial {n})", by_trial[n]) for n in data["front"] if n != data["best"]][
        : MAX_TABLE_ROWS - len(shown)
    ]
    rows = [
        (
            name,
            *(decision_value(d, c, currency) for d in decisions),
            *(optimize_chart.value_text(s, c["statistics"].get(s), currency) for s in asked),
            "yes" if c["feasible"] else "no",
        )
        for name, c in shown
    ]
    figures: dict[str, Callable[[], Figure]] = {
        "convergence": lambda: optimize_chart.draw_convergence_figure(data)
    }
    if len(data["objectives"]) > 1:
        figures = {"frontier": lambda: optimize_chart.draw_frontier_figure(data), **figures}
    objectives = " and ".join(
        ("maximise " if o["maximise"] else "minimise ")
        + optimize_chart.statistic_label(o["statistic"])
        for o in data["objectives"]
    )
    constraints = "; ".join(constraint_text(c) for c in data["constraints"]) or "none"
    levers = "; ".join(decision_text(d, currency) for d in decisions)  # not their paths
    cache = data["twin_cache"]
    binding = data.get("binding")
    caveats = [
        "The search tries a sample of the plans the decisions allow, not every one: a "
        "better plan may lie between the candidates tried.",
    ]
    if data["best"] is None and binding is not None:
        caveats.insert(
            0,
            f"No candidate meets every constraint; {constraint_text(binding['constraint'])} "
            "binds most "
            f"(met by {binding['met_by']} of {data['trials']}).",
        )
    return _board(
        "optimize",
        data,
        "Optimisation",
        (header, *rows),
        figures,
        f"{data['trials']} candidate plans: {objectives}, subject to {constraints}.",
        f"An optimisation with Optuna's {data['sampler']} sampler: {objectives}, subject to "
        f"{constraints}, over {len(decisions)} decision"
        f"{'s' * (len(decisions) != 1)} ({levers}). "
        "Every candidate runs the same replications on the same random numbers, so two "
        "candidates differ by their decisions alone; the status quo each is measured "
        f"against was simulated once per replication and reused {cache['reused']} times. "
        "The chosen plan is written as best.yaml.",
        _replications_note(data)
        + " A constraint met by a narrow margin on these replications may be missed on "
        "others: check the chosen plan with more replications (restructure run best.yaml -n ...).",
        caveats,
        _optimize_answers(data, currency),
    )


def _objective_statistic(statistic: str) -> str:
    """Which statistic of the replications an objective is, as a tile names it."""
    if statistic.startswith("P("):
        return "share of the replications"
    return _statistic_words(statistic.split(".", 1)[1])


def _gap(objective: str, best: dict[str, Any], today: dict[str, Any], currency: str) -> str:
    """'$1.2B more', '3 points more', '1.5 months less': the chosen plan's objective
    against the plan as written ('' where either has none)."""
    mine, theirs = (c["statistics"].get(objective) for c in (best, today))
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


def _optimize_answers(data: dict[str, Any], currency: str) -> tuple[Answer, ...]:
    """The plan chosen with its decisions and its objective against the plan as written,
    the plan as written, and with two objectives the frontier; where no candidate meets
    every constraint, which binds."""
    objective = data["objectives"][0]["statistic"]
    label = optimize_chart.statistic_label(objective)
    stat = _objective_statistic(objective)
    today = data["today"]
    trials = data["trials"]

    def reading(candidate: dict[str, Any]) -> str:
        return optimize_chart.value_text(
            objective, candidate["statistics"].get(objective), currency
        )

    def constraints_met(candidate: dict[str, Any]) -> str:
        if not data["constraints"]:
            return "no constraints"
        if candidate["feasible"]:
            return "meets every constraint"
        met = candidate["meets"]  # a constraint a reading; none for a candidate that failed
        missed = [
            constraint_text(c) for c, ok in zip(data["constraints"], met, strict=False) if not ok
        ]
        return "misses " + "; ".join(missed) if missed else "does not meet every constraint"

    as_written = Answer(
        "The plan as written",
        f"{label} {reading(today)}",
        constraints_met(today),
        statistic=stat,
    )
    if data["best"] is None:
        binding = data.get("binding")
        why = (
            f"{constraint_text(binding['constraint'])} binds most: met by "
            f"{binding['met_by']} of {trials}"
            if binding is not None
            else "every candidate misses at least one"
        )
        return (
            Answer("No plan meets every constraint", f"none of {trials} tried", why),
            as_written,
        )
    best = next(c for c in data["candidates"] if c["trial"] == data["best"])
    decisions = "; ".join(
        f"{d['label'] or d['path']} {decision_value(d, best, currency)}" for d in data["decisions"]
    )
    gap = _gap(objective, best, today, currency)
    chosen = Answer(
        f"The plan chosen (trial {data['best']} of {trials})",
        f"{label} {reading(best)}",
        f"{decisions}; {constraints_met(best)}" + (f"; {gap} than as written" if gap else ""),
        statistic=stat,
    )
    found = [chosen, as_written]
    if len(data["objectives"]) > 1:
        others = " and ".join(
            optimize_chart.in_sentence(optimize_chart.statistic_label(o["statistic"]))
            for o in data["objectives"]
        )
        count = len(data["front"])
        found.append(
            Answer(
                "The frontier",
                f"{count} plan{'s' * (count != 1)}",
                f"the feasible candidates no other beats on both {others}",
            )
        )
    return tuple(found)


BUILDERS: dict[str, Callable[[dict[str, Any]], Board]] = {
    "sensitivity": _sensitivity,
    "sweep": _sweep,
    "solve": _solve,
    "drivers": _drivers,
    "optimize": _optimize,
}
