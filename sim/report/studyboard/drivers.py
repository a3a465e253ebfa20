"""The board of the drivers of the worst outcomes: which inputs the worst tail shares."""

from __future__ import annotations

from sim.report.answers import Answer
from sim.report.board import Board
from sim.report.charts import drivers as drivers_chart
from sim.report.charts.study import input_text
from sim.report.studyboard.common import Pack, study_pack
from sim.report.studysource import StudySource
from sim.report.text import money
from sim.studies.drivers import Driver, Drivers


def drivers_board(source: StudySource, result: Drivers) -> Board:
    currency = source.currency
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
    pack = Pack(
        "drivers",
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
        (
            "Correlation is not cause: an input that moves with a driver shares its shift.",
            *(f"{u.label} {u.why}." for u in result.not_simulated),
        ),
        _answers(result, currency),
    )
    return study_pack(source, pack)


def _answers(result: Drivers, currency: str) -> tuple[Answer, ...]:
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

    def driver(question: str, d: Driver) -> Answer:
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
