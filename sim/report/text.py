"""Numbers as people read them: $1.2B, 35k, "month 14", and the headline table."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.runs import headlines
from sim.runs.bands import Band
from sim.runs.headlines import BY_NAME, Format, Headline

# the one number formatter, re-exported: every output reads its figures from here
from sim.runs.numbers import (
    MAX_SHOWN_RATE as MAX_SHOWN_RATE,
)
from sim.runs.numbers import (
    SYMBOLS as SYMBOLS,
)
from sim.runs.numbers import (
    annual_rate as annual_rate,
)
from sim.runs.numbers import (
    calendar_month as calendar_month,
)
from sim.runs.numbers import (
    compact as compact,
)
from sim.runs.numbers import (
    figure as figure,
)
from sim.runs.numbers import (
    money as money,
)
from sim.runs.numbers import (
    month as month,
)
from sim.runs.numbers import (
    month_and_date as month_and_date,
)
from sim.runs.numbers import (
    percent as percent,
)
from sim.runs.numbers import (
    significant as significant,
)
from sim.runs.numbers import (
    tick_money as tick_money,
)
from sim.runs.numbers import (
    tidy_number as tidy_number,
)
from sim.runs.summary import FiscalYear, RunSummary
from sim.scenario.labels import Measure, Unit

#: the rows of the table a CFO reads, in order (labels and formats: the registry's)
CFO_ROWS = (
    headlines.ROLES_CUT,
    headlines.HEADCOUNT_END,
    headlines.HEADCOUNT_CHANGE,
    headlines.RUN_RATE,
    headlines.ONE_TIME_COSTS,
    headlines.PAYBACK,
    headlines.DISCOUNTED_PAYBACK,
    headlines.NPV,
    headlines.NPV_WITH_TERMINAL_VALUE,
    headlines.TERMINAL_VALUE,
    headlines.IRR,
    headlines.THROUGHPUT_CHANGE,
    headlines.CYCLE_TIME_CHANGE,
)
#: rows that read as a part of the row above them, and what they say there
_CFO_NESTED = {
    headlines.HEADCOUNT_CHANGE.name: "  vs status quo",
    headlines.TERMINAL_VALUE.name: "  of which terminal value",
}
#: shown only when the scenario values the run rate beyond the horizon
_BEYOND_HORIZON = {headlines.TERMINAL_VALUE.name, headlines.NPV_WITH_TERMINAL_VALUE.name}
MEAN_COLUMN = "Mean*"


def _cfo_label(headline: Headline) -> str:
    return _CFO_NESTED.get(headline.name, headline.label)


def _terminal_text(terms: Mapping[str, Any]) -> str:
    """'for 5 years', 'for ever, growing 2.0% a year': how long the run rate goes on."""
    years = terms["years"]
    length = "for ever" if years == "perpetuity" else f"for {years} years"
    growth = terms.get("growth_annual") or 0.0
    return length + (f", growing {100 * growth:.1f}% a year" if growth else "")


#: headlines whose replications can have a heavy tail, where the mean may say what no
#: replication does (the registry's)
HEAVY_TAILED = headlines.HEAVY_TAILED
#: the mark of a lead cell that shows the median instead of a misleading mean
MEDIAN_MARK = "\u2020"


def mean_misleads(band: Band | None) -> bool:
    """Whether a heavy-tailed headline's mean sits far from its median: further than
    half the P10 to P90 width (a symmetric spread has it at the middle)."""
    if band is None:
        return False
    values = [band.mean, band.p10, band.p50, band.p90]
    numbers = [float(v) for v in values if v is not None and math.isfinite(v)]
    if len(numbers) < len(values):
        return False
    mean, low, mid, high = numbers
    return abs(mean - mid) > 0.5 * (high - low)


def _mean_cell(summary: RunSummary, headline: Headline) -> str:
    """The mean-cash-flow figure where there is one (money, paybacks and the IRR:
    the workbook's), else the mean over the replications (which is the same thing
    for a count or a share of the mean run); a heavy-tailed figure whose mean
    misleads shows its median, marked."""
    currency, kind = summary.currency, headline.format
    band = summary.band(headline)
    if headline.name in HEAVY_TAILED and band is not None and mean_misleads(band):
        return figure(band.p50, kind, currency) + MEDIAN_MARK
    mean = summary.mean
    if kind is Format.MONTH:
        return month_and_date(mean.figure(headline), mean.date(headline))
    if mean.has(headline) and kind in (Format.MONEY, Format.RATE):
        return figure(mean.figure(headline), kind, currency)
    return figure(summary.headline[headline.name].mean, kind, currency)


def _percentile_cells(summary: RunSummary, headline: Headline) -> tuple[str, str, str]:
    """P10, P50, P90 of the replications' own figures; a payback with its calendar month."""
    band, kind = summary.headline[headline.name], headline.format
    low, mid, high = (
        month_and_date(getattr(band, k), summary.date_of(headline, k))
        if kind is Format.MONTH
        else figure(getattr(band, k), kind, summary.currency)
        for k in ("p10", "p50", "p90")
    )
    return low, mid, high


#: the CFO's table's column heads: the mean cash flow's figure, then the percentiles
CFO_HEADER = ("", MEAN_COLUMN, "P10", "P50", "P90")


def cfo_rows(summary: RunSummary) -> list[tuple[str, ...]]:
    """The table a CFO reads first, a header row first, as every output shows it
    (the printout, the report, the deck). A row of two cells is a label and a
    reading that spans the figures' columns (an IRR that is not a rate to read)."""
    rows: list[tuple[str, ...]] = [CFO_HEADER]
    valued_beyond = summary.terminal_value is not None
    for headline in CFO_ROWS:
        label = _cfo_label(headline)
        if headline.name in _BEYOND_HORIZON and not valued_beyond:
            continue
        if headline is headlines.NPV:
            label += f" to {calendar_month(summary.last_month)}"
        if headline is headlines.IRR and summary.mean.irr_note:
            rows.append((label, irr_reading(summary)))
            continue
        rows.append((label, _mean_cell(summary, headline), *_percentile_cells(summary, headline)))
        rows.extend(probability_rows(summary, headline))
    return rows


def roi_text(roi: float | None) -> str:
    """'ROI 4.5x': the net benefit over the horizon, after one-time costs, per unit of
    one-time cost ('' when there were none: no ratio to read)."""
    if roi is None or not math.isfinite(roi):
        return ""
    return f"ROI {roi:.1f}x"


#: what the ROI beside an IRR that is no rate to read is
ROI_MEANING = "ROI: the net benefit over the horizon, after one-time costs, over the one-time costs"


def irr_reading(summary: RunSummary, short: bool = False) -> str:
    """What every output shows for the IRR when it is no rate to read: the reason
    (its first clause when ``short``), and the return on the one-time costs instead."""
    note = summary.irr_note or ""
    if short:
        note = note.split(":")[0]
    roi = roi_text(summary.mean.roi) if summary.mean_cash_flow is not None else ""
    return f"{note}; {roi}" if roi else note


def probability_rows(summary: RunSummary, after: Headline) -> list[tuple[str, str]]:
    """The probability of a target read beside its headline (a label and a reading, the
    share of the replications): P(NPV > 0) after NPV, P(payback within the target)
    after the discounted payback."""
    found = summary.probabilities
    if found is None:  # a folder written before the probabilities
        return []
    if after is headlines.NPV and found.npv_above_zero is not None:
        return [("  P(NPV > 0)", probability(found.npv_above_zero))]
    target = found.payback_target_months
    if after is headlines.DISCOUNTED_PAYBACK and target is not None:
        return [(f"  P(payback within {target} months)", probability(found.payback_within_target))]
    return []


def probability(share: float | None) -> str:
    """A share of replications as a probability: '85%', '<1%' and '>99%' at the edges."""
    if share is None:
        return "n/a"
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 < share < 1:
        return ">99%"
    return f"{100 * share:.0f}%"


def cfo_notes(summary: RunSummary) -> list[str]:
    """What the table's marks mean: the two statistics, and a terminal value's terms."""
    notes = [
        f"* money, paybacks and IRR: the {summary.replications} replications' mean cash "
        "flow's (workbook.xlsx recomputes it); counts and shares: their mean; "
        "P10/P50/P90: each replication's own figure"
    ]
    if (flow := flow_note(summary)) is not None:
        notes.append(flow)
    for name in HEAVY_TAILED:
        band = summary.headline.get(name)
        if band is not None and mean_misleads(band):
            mean = figure(band.mean, BY_NAME[name].format, summary.currency)
            notes.append(
                f"{MEDIAN_MARK} {BY_NAME[name].in_words}: the median replication's; "
                f"the mean, {mean}, is pulled "
                "by a heavy tail of replications (see the warnings)"
            )
    if summary.irr_note and roi_text(summary.mean.roi):
        notes.append(ROI_MEANING)
    terms = summary.terminal_value
    if terms is not None:
        notes.append(
            f"terminal value: the run rate continued after "
            f"{calendar_month(summary.last_month)} {_terminal_text(terms)}, valued at "
            f"{summary.valuation.date}: beside, not inside, the horizon NPV"
        )
    return notes


def flow_note(summary: RunSummary) -> str | None:
    """Which replications the work-flow figures rest on, when not every one (None)."""
    if summary.flow_replications >= summary.replications:
        return None
    names = " and ".join(h.in_words for h in headlines.REGISTRY if h.needs_flow)
    if summary.flow_replications == 0:
        return f"{names}: not simulated (money and headcount only)"
    sample = summary.flow_sample
    how = f" ({sample.rule})" if sample is not None else ""
    return (
        f"{names}: over the first {summary.flow_replications} of the {summary.replications} "
        f"replications, which simulated the work flow{how}; money and headcount over all "
        f"{summary.replications}"
    )


def frame_line(summary: RunSummary) -> str:
    """Where the money is valued and how months are counted."""
    frame = summary.valuation
    rate = summary.mean.discount_rate_annual
    return (
        f"valued at {frame.date} ({frame.basis}) at {annual_rate(rate)} a year; months "
        f"count from {calendar_month(frame.month)} (month 1); horizon "
        f"{summary.horizon_months} months, to {calendar_month(summary.last_month)}"
    )


#: what each staffing policy means, in a phrase
STAFFING_MEANING = {
    "capacity": "planners hire what the expected work needs",
    "replace_leavers": "a share of leavers replaced after the lag, whatever the work needs",
}


def staffing_line(summary: RunSummary) -> str:
    """The staffing policy in force, by unit where they differ ('' for an old folder)."""
    units = summary.staffing
    if not units:
        return ""
    policies = list(dict.fromkeys(units.values()))
    if len(policies) == 1:
        where = "every unit" if len(units) > 1 else "its one unit"
        return f"staffing: {policies[0]} in {where} ({STAFFING_MEANING[policies[0]]})"
    parts = [
        f"{policy} ({', '.join(u for u, p in units.items() if p == policy)})" for policy in policies
    ]
    return "staffing: " + "; ".join(parts)


def headline_cell(summary: RunSummary, name: str, stat: str = "p50") -> str:
    """One headline figure as every output shows it (table, chart title, report, deck)."""
    kind = BY_NAME[name].format
    return figure(getattr(summary.headline[name], stat), kind, summary.currency)


#: the fiscal-year table's column heads (summary.json's fiscal_years)
FISCAL_HEADER = ("Fiscal year", "Months", "Net savings*", "One-time costs", "Net cash")


def fiscal_year_label(year: FiscalYear) -> str:
    """'FY2026', or 'FY2025 (part)' for a year the horizon covers only in part."""
    return f"{year.fiscal_year}{' (part)' if year.partial else ''}"


def fiscal_rows(summary: RunSummary) -> list[tuple[str, ...]]:
    """Net savings, one-time costs and net cash by fiscal year, a header row first:
    the mean cash flow's, undiscounted, as fiscal_years.csv and the workbook hold them."""
    currency = summary.currency
    rows: list[tuple[str, ...]] = [FISCAL_HEADER]
    for year in summary.fiscal_years:
        rows.append(
            (
                fiscal_year_label(year),
                f"{calendar_month(year.first_month)} to {calendar_month(year.last_month)}",
                money(year.net_savings, currency),
                money(year.one_time_costs, currency),
                money(year.net_cash, currency),
            )
        )
    return rows


FISCAL_NOTE = (
    "* before one-time costs; net cash = net savings - one-time costs. All of the "
    "replications' mean cash flow, undiscounted (fiscal_years.csv, the workbook's Fiscal "
    "years sheet)"
)


def headline_table(summary: RunSummary) -> str:
    """The table ``restructure run`` prints: what a CFO reads first.

    The first column is the replications' mean cash flow (the workbook's
    figures); P10, P50 and P90 are percentiles of each replication's own figure.
    """
    rows = cfo_rows(summary)
    columns = len(rows[0])
    widths = [max(len(r[i]) for r in rows if len(r) == columns) for i in range(columns)]
    widths[0] = max(len(r[0]) for r in rows)
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        if len(row) == columns
        else f"{row[0].ljust(widths[0])}  {row[1]}"
        for row in rows
    ]
    return "\n".join([*lines, *cfo_notes(summary)])


def _range(band: Band, kind: Format, currency: str, stat: str = "p50") -> str:
    """A band as ``stat (P10 to P90)``: the P50 by default, or the mean."""
    mid = figure(getattr(band, stat), kind, currency)
    if band.p10 is None or band.p90 is None or band.p10 == band.p90:
        return mid
    return f"{mid} ({figure(band.p10, kind, currency)} to {figure(band.p90, kind, currency)})"


def _columns(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def comparison_table(comparison) -> str:
    """Headlines side by side as each run's own table gives them, and the paired NPV
    difference; the notes beneath say which statistic each cell is."""
    return "\n".join([_columns(comparison_rows(comparison)), *COMPARISON_NOTES])


#: what a comparison's cells are (the table's notes, in the printout and the pack)
COMPARISON_NOTES = (
    "each cell: the mean cash flow's figure (money, paybacks, IRR; the mean for counts "
    "and shares), as the run's own table's first column; then, in brackets (after a "
    "semicolon for paybacks), P10 to P90 of the replications' own figures",
    "NPV vs the first: the mean of the paired differences, replication by replication (P10 to P90)",
)


def comparison_rows(comparison) -> list[tuple[str, ...]]:
    """The comparison's table, a header row first: each headline of the CFO's table
    per scenario, read as that run's own table reads it, then the paired NPV difference."""
    runs = comparison.runs
    summaries = [r.summary for r in runs]
    currency = summaries[0].currency
    rows: list[tuple[str, ...]] = [("", *(r.name for r in runs))]
    valued_beyond = any(s.terminal_value is not None for s in summaries)
    last_months = {s.last_month for s in summaries}
    for headline in CFO_ROWS:
        label = _cfo_label(headline)
        if headline.name in _BEYOND_HORIZON and not valued_beyond:
            continue
        if headline is headlines.NPV and len(last_months) == 1:
            label += f" to {calendar_month(last_months.pop())}"
        rows.append((label, *(_compared_cell(s, headline) for s in summaries)))
        rows.extend(_compared_probabilities(summaries, headline))
    rows.append(
        (
            f"NPV vs {runs[0].name}",
            *(
                _range(d[headlines.NPV.name], Format.MONEY, currency, "mean") if d else "not paired"
                for d in comparison.differences
            ),
        )
    )
    return rows


def _compared_probabilities(summaries: list[RunSummary], after: Headline) -> list[tuple[str, ...]]:
    """P(NPV > 0) after NPV and P(payback within each run's target) after the
    discounted payback, a cell a scenario ('n/a': an older folder, or no target)."""
    found = [s.probabilities for s in summaries]
    if after is headlines.NPV:
        return [("  P(NPV > 0)", *(probability(f.npv_above_zero if f else None) for f in found))]
    targets = {f.payback_target_months for f in found if f and f.payback_target_months}
    if after is not headlines.DISCOUNTED_PAYBACK or not targets:
        return []
    one = len(targets) == 1
    label = f"  P(payback within {min(targets)} months)" if one else "  P(payback within target)"
    cells = [
        "no target"
        if f is None or f.payback_target_months is None
        else probability(f.payback_within_target)
        + ("" if one else f" ({f.payback_target_months} months)")
        for f in found
    ]
    return [(label, *cells)]


def _compared_cell(summary: RunSummary, headline: Headline) -> str:
    """A headline as the run's own table's first column gives it (the mean cash flow's
    figure, or the reason an IRR is no rate to read), with the replications' P10 to P90."""
    band, kind = summary.band(headline), headline.format
    if band is None:  # a folder written before this headline existed
        return "n/a"
    if headline is headlines.IRR and summary.irr_note:
        return irr_reading(summary, short=True)
    if summary.mean_cash_flow is not None:
        shown = _mean_cell(summary, headline)
    else:
        shown = figure(band.mean, kind, summary.currency)
    if band.p10 is None or band.p90 is None:
        return shown
    low, high = (figure(getattr(band, k), kind, summary.currency) for k in ("p10", "p90"))
    if low == high:  # the same figure as shown: no range to read
        return shown
    if kind is Format.MONTH:  # the figure has its calendar month in brackets already
        return f"{shown}; {low.removeprefix('month ')} to {high.removeprefix('month ')}"
    return f"{shown} ({low} to {high})"


def input_value(value: float | None, unit: Unit, currency: str = "USD") -> str:
    """An input's value in its unit (sim.scenario.labels.unit_of): '$6.9M', '12%', '1,600'
    people, '2.5M' items."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit.measure is Measure.MONEY:
        return money(value, currency)
    if unit.measure is Measure.PERCENT:
        return f"{100 * value:.3g}%"
    if unit.measure is Measure.COUNT and abs(value) >= 1000:
        return f"{value:,.0f}"  # people as the headline table writes them: 12,400
    if abs(value) >= 1000:
        return tidy_number(compact(value, 2))
    return f"{value:.0f}" if value == round(value) else f"{value:.3g}"


#: units whose words are no unit to write after a number ('ratio', 'factor')
_WORDLESS = ("", "ratio", "factor", "month", "share", "x")


def _unit_words(unit: Unit) -> str:
    """What follows a number of ``unit``: 'a year' (money a year, a rate), 'weeks',
    'people'; nothing for a share, a ratio or money once."""
    words = unit.words.removeprefix("money").strip()
    if unit.measure is Measure.PERCENT:
        return "a year" if words.endswith("a year") else ""
    return "" if words in _WORDLESS else words


def quantity(value: float | None, unit: Unit, currency: str = "USD") -> str:
    """An input as a reader says it, its unit in words: '$185k a year', '12% a year',
    '12.9 weeks', '1,600 people', '×1.3'."""
    if unit.words == "x":
        return "×" + input_value(value, unit, currency)
    shown = input_value(value, unit, currency)
    words = _unit_words(unit)
    if shown == "1" and unit.measure is Measure.COUNT:
        words = words.removesuffix("s")  # '1 week', not '1 weeks'
    return f"{shown} {words}" if words and shown != "n/a" else shown


def uncertain_quantity(kind: str, params: tuple[float, ...], unit: Unit, currency: str) -> str:
    """A distribution as a reader says it: '10%–15% a year, most likely 12%',
    '$150k–$220k a year, evenly', '4 weeks ± 1 (normal)'."""
    shown = [input_value(p, unit, currency) for p in params]
    if unit.words == "x":
        shown = ["×" + text for text in shown]
    words = _unit_words(unit)
    tail = f" {words}" if words else ""
    if kind in ("triangular", "pert"):
        low, mode, high = shown
        return f"{low}–{high}{tail}, most likely {mode}"
    if kind == "uniform":
        return f"{shown[0]}–{shown[1]}{tail}, any value equally likely"
    if kind == "normal":
        return f"{shown[0]}{tail} ± {shown[1]} (1 standard deviation)"
    if kind == "lognormal":
        return f"{shown[0]}{tail} on average, standard deviation {shown[1]}, skewed high"
    return f"{shown[0]}{tail} on average"  # exponential: its mean


def swing_end(swing, high: bool, currency: str = "USD") -> str:
    """Where one end of a tornado's bar is: 'P10: 12%', '-20%: 1,600', '6%'."""
    at = swing.high_at if high else swing.low_at
    value = input_value(swing.high_value if high else swing.low_value, swing.unit, currency)
    relative = at.endswith("%") or at.startswith("P")
    return f"{at}: {value}" if relative else value


def tornado_table(result, currency: str) -> str:
    rows: list[tuple[str, ...]] = [
        ("input (low -> high)", "NPV at low", "NPV at high", "swing", "payback low", "payback high")
    ]
    for s in result.swings:
        rows.append(
            (
                f"{s.label} ({swing_end(s, False, currency)} -> {swing_end(s, True, currency)})",
                money(s.low.npv, currency),
                money(s.high.npv, currency),
                money(s.npv_swing, currency),
                month(s.low.payback_month),
                month(s.high.payback_month),
            )
        )
    base = (
        f"all at medians (fixed inputs as written): NPV {money(result.base.npv, currency)}, "
        f"payback {month(result.base.payback_month)}"
    )
    skipped = [f"{u.label} {u.why}" for u in result.not_simulated]
    return "\n".join([_columns(rows), base, *skipped])


def sweep_table(spec, points, currency: str) -> str:
    rows: list[tuple[str, ...]] = [(spec.label, "NPV P50 (P10 to P90)", "payback P50 (P10 to P90)")]
    for point in points:
        rows.append(
            (
                input_value(point.value, spec.unit, currency),
                _range(point.headline[headlines.NPV.name], Format.MONEY, currency),
                _range(point.headline[headlines.PAYBACK.name], Format.MONTH, currency),
            )
        )
    return _columns(rows)


def bridge_table(summary: RunSummary) -> str:
    """The run-rate savings a year by cause (the mean cash flow's, which add up to the
    headline), with the replications' P10 to P90 of the run-rate savings: the same lines
    as the cost-bridge chart."""
    bridge = summary.run_rate_bridge
    if bridge is None:
        return ""
    currency = summary.currency
    rows: list[tuple[str, ...]] = [("Run-rate savings a year, by cause", MEAN_COLUMN.rstrip("*"))]
    lines = bridge.shown()
    band = summary.headline[headlines.RUN_RATE.name]
    for line in lines:
        rows.append((f"  {line.label}", money(line.annual, currency)))
    low, high = money(band.p10, currency), money(band.p90, currency)
    spread = f" (P10 {low} to P90 {high})" if "n/a" not in (low, high) else ""
    rows.append(("  Run-rate savings", money(bridge.total, currency) + spread))
    return _columns(rows)


def internal_moves_line(summary: RunSummary) -> str:
    """What redeployment and reskilling moved over the horizon (means; "": neither)."""
    moves, currency = summary.internal_moves, summary.currency
    if moves is None:
        return ""

    def mean(band: Band | None) -> float:
        return band.mean if band is not None and band.mean is not None else math.nan

    parts = []
    if moves.people_redeployed is not None:
        placed = significant(mean(moves.people_redeployed))
        parts.append(
            f"{placed} redeployed during notice: severance avoided "
            f"{money(mean(moves.severance_avoided), currency)}, {placed} external hires "
            f"avoided ({money(mean(moves.hiring_costs_avoided), currency)} of hiring costs), "
            f"retraining {money(mean(moves.retraining_cost), currency)}"
        )
    if moves.people_reskilled is not None:
        parts.append(
            f"{significant(mean(moves.people_reskilled))} reskilled for "
            f"{money(mean(moves.reskilling_cost), currency)}"
        )
    return "Moved inside over the horizon (mean): " + "; ".join(parts)


def overload_lines(summary: RunSummary) -> str:
    """A warning line for each unit whose ICs could not keep up with demand."""
    lines = []
    for unit in summary.overloaded_units:
        lines.append(
            f"overloaded: {unit.unit} can do {unit.capacity_headroom:.0%} of its demand "
            f"at the end; its backlog grows by {compact(unit.backlog_growth_per_month)} items "
            "a month and its cycle time grows without bound"
        )
    return "\n".join(lines)


def funding_lines(summary: RunSummary) -> str:
    """What a programme funded from savings may spend, and a warning for each programme
    that never got a seat while its one-time cost was spent."""
    lines = []
    for program in summary.reinvested_programs:
        shared = [
            p.program
            for p in summary.reinvested_programs
            if p.pool is not None and p.pool == program.pool and p is not program
        ]
        spends = (
            f"may spend, with {' and '.join(shared)} from the pool {program.pool}, up to"
            if shared
            else "may spend up to"
        )
        lines.append(
            f"AI funding: {program.program} {spends} "
            f"{program.reinvest_share:.0%} of last month's savings on seats (a ceiling, "
            f"not a spend; what it does not spend stays saved): it reached "
            f"{program.adoption_end:.0%} adoption of the {program.ceiling:.0%} ceiling "
            "its replications drew"
        )
    for unseated in summary.unseated_programs:
        why = (
            "the plan saved too little to reinvest"
            if unseated.funded_by == "reinvest_share"
            else "its budget buys less than one seat"
        )
        lines.append(
            f"warning: AI programme {unseated.program} never got a seat in "
            f"{unseated.replications} of {unseated.of} replications ({why}), while its "
            f"one-time cost of {money(unseated.one_time_cost)} was spent"
        )
    return "\n".join(lines)


def unbounded_lines(summary: RunSummary) -> str:
    """A warning for each unit whose queue grew without bound in some replications."""
    return "\n".join(
        f"warning: {q.unit}'s work in progress grew without bound in {q.replications} "
        f"of {q.of} replications (from {compact(q.work_in_progress_from)} to "
        f"{compact(q.work_in_progress_to)} items over the last months): its capacity "
        "falls short of its work there, and its cycle time grows with the queue"
        for q in summary.unbounded_queues
    )


def warning_lines(summary: RunSummary) -> str:
    """Everything a reader of the headlines must not miss: overloaded units, queues that
    grow without bound, AI programmes without seats."""
    parts = (overload_lines(summary), unbounded_lines(summary), funding_lines(summary))
    return "\n".join(line for line in parts if line)


def sampling_line(summary: RunSummary) -> str:
    """One line on how much of the work-flow figures is sampling noise."""
    error = summary.sampling_error
    done = error.throughput_relative_se if error is not None else None
    cycle = error.cycle_time_relative_se if error is not None else None
    if done is None or cycle is None:
        return "sampling error: n/a"
    return (
        f"sampling error of the work flow (1 SE): work done {100 * done:.1f}%, "
        f"cycle time {100 * cycle:.1f}% (raise meta.fidelity_items to shrink it)"
    )
