"""Numbers as people read them, one formatter for every output: $1.2B, 35k, +1.9%,
"month 14" (Jul 2026), 348,000. The printout, the report, the deck, the comparison and a
notebook's tables all write a figure through these."""

from __future__ import annotations

import math
import re

from sim.runs.headlines import Format
from sim.scenario import months

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
MAX_SHOWN_RATE = 9.99


def compact(value: float, digits: int = 1) -> str:
    """35,200 -> '35.2k'; 1.23e9 -> '1.2B'; 999.6e6 to no digits -> '1B' (not '1000M')."""
    for k, (size, suffix) in enumerate(_SCALES):
        if abs(value) >= size:
            shown = f"{value / size:.{digits}f}"
            if abs(float(shown)) >= 1000 and k > 0:  # rounds up into the next scale
                size, suffix = _SCALES[k - 1]
                shown = f"{value / size:.{digits}f}"
            return f"{shown}{suffix}"
    shown = f"{value:.0f}"
    if abs(float(shown)) >= 1000:  # 999.6 -> '1.0k', as the scales above round up
        size, suffix = _SCALES[-1]
        return f"{value / size:.{digits}f}{suffix}"
    return shown


def tidy_number(text: str) -> str:
    """'2.50B' -> '2.5B', '250.00M' -> '250M': no trailing zeros after the point."""
    return re.sub(r"\.?0+(?=[kMBT]?$)", "", text) if "." in text else text


def _money_text(value: float, currency: str, digits: int) -> str:
    symbol = SYMBOLS.get(currency, f"{currency} ")
    shown = compact(abs(value), digits)
    sign = "-" if value < 0 and float(shown.rstrip("kMBT")) else ""  # no '-$0'
    return f"{sign}{symbol}{shown}"


def money(value: float | None, currency: str = "USD") -> str:
    """Money as every output writes it, to three figures at most and no trailing zero:
    '$65.6B', '-$8.5B', '$641M', '$528k', '$58B' (the currency's symbol, else its code).
    One decimal below 100 of its unit, none from 100: never '$641.0M' beside '$478M'."""
    if value is None or not math.isfinite(value):
        return "n/a"
    scaled = abs(value)
    for size, _ in _SCALES:
        if scaled >= size:
            scaled /= size
            break
    return tidy_number(_money_text(value, currency, 0 if scaled >= 99.95 else 1))


def tick_money(value: float, currency: str = "USD") -> str:
    """An axis tick for money, to two decimals where a tick needs them: '$0', '$250M',
    '$1.25B', '-$1.5B' (a tick's step can be a quarter of its unit)."""
    return tidy_number(_money_text(value if abs(value) >= 0.5 else 0.0, currency, 2))


#: a payback of month 0: the cumulative net cash never fell below zero
NOTHING_TO_PAY_BACK = "nothing to pay back"


def month(value: float | None) -> str:
    if value is None:
        return "not within horizon"
    # 0: the cumulative never went negative, or was paid back before the valuation month
    # (a status quo is one): "at once" read as a plan that earned its money back at once
    return NOTHING_TO_PAY_BACK if value == 0 else f"month {value:.0f}"


def calendar_month(label: str | None) -> str:
    """'2026-11' -> 'Nov 2026'."""
    if not label:
        return ""
    year, number = months.year_and_month(label)
    return f"{months.ABBREVIATIONS[number - 1]} {year}"


def month_and_date(value: float | None, date: str | None) -> str:
    """'month 8 (Nov 2026)': a payback counted from the valuation month, and when."""
    text = month(value)
    return f"{text} ({calendar_month(date)})" if value and date else text


def significant(value: float | None, signed: bool = False) -> str:
    """A head count to three significant figures: 4,683 -> '4,680'; 348,312 -> '348,000'."""
    if value is None or not math.isfinite(value):
        return "n/a"
    # people come whole: below 100, three figures would show fractions of a person
    rounded = float(f"{value:.3g}") if abs(value) >= 100 else float(round(value))
    rounded += 0.0  # no "-0"
    text = f"{rounded:,.0f}"
    return f"+{text}" if signed and rounded > 0 else text


def percent(value: float | None, signed: bool = True) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    shown = round(value, 1) + 0.0  # no "-0.0%" for a change that rounds to nothing
    return f"{shown:+.1f}%" if signed else f"{shown:.1f}%"


def annual_rate(value: float) -> str:
    """A rate a year as every output writes it: 0.08 -> '8%', 0.075 -> '7.5%' (never
    '8.0%' in one place and '8%' in another, nor a 7.5% rate rounded to '8%')."""
    return f"{100 * value:.3g}%"


def figure(value: float | None, kind: Format, currency: str) -> str:
    """One figure as its format prints it (sim.runs.headlines.Format)."""
    if kind is Format.MONTH:
        return month(value)
    if kind is Format.MONEY:
        return money(value, currency)
    if value is None:
        return "n/a"
    if kind is Format.RATE:
        # a tiny early outlay makes the IRR astronomical: the digits mean nothing
        return ">999%" if value > MAX_SHOWN_RATE else percent(100 * value, signed=False)
    if kind is Format.HEADS:
        return significant(value)
    if kind is Format.CHANGE:
        return significant(value, signed=True)
    if kind is Format.NUMBER:
        return f"{value:.3g}"
    return percent(100 * value)
