"""Numbers as people read them: $1.2B, 35k, "month 14", and the headline table."""

from __future__ import annotations

import math

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def compact(value: float, digits: int = 1) -> str:
    """35,200 -> '35.2k'; 1.23e9 -> '1.2B'."""
    for size, suffix in _SCALES:
        if abs(value) >= size:
            return f"{value / size:.{digits}f}{suffix}"
    return f"{value:.0f}"


def money(value: float | None, currency: str = "USD", digits: int = 1) -> str:
    """-1.23e9 -> '-$1.2B' (the currency's symbol, else its code)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    symbol = SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{compact(abs(value), digits)}"


def month(value: float | None) -> str:
    if value is None:
        return "not within horizon"
    return "at once" if value == 0 else f"month {value:.0f}"


def percent(value: float | None, signed: bool = True) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


FORMATS = {
    "payback_month": ("Payback", "month"),
    "discounted_payback_month": ("Discounted payback", "month"),
    "npv": ("NPV", "money"),
    "irr_annual": ("IRR (annual)", "rate"),
    "run_rate_savings_annual": ("Run-rate savings a year", "money"),
    "one_time_costs": ("One-time costs", "money"),
    "headcount_start": ("Headcount at start", "count"),
    "headcount_end": ("Headcount at end", "count"),
    "throughput_change_pct": ("Work done vs baseline", "pct"),
    "cycle_time_change_pct": ("Cycle time vs baseline", "pct"),
}


def _cell(value: float | None, kind: str, currency: str) -> str:
    if kind == "month":
        return month(value)
    if kind == "money":
        return money(value, currency)
    if kind == "rate":
        return "n/a" if value is None else percent(100 * value, signed=False)
    if kind == "count":
        return "n/a" if value is None else compact(value)
    return percent(value)


def headline_table(summary: dict) -> str:
    """The short table ``restructure run`` prints."""
    currency = summary["currency"]
    rows = [("", "P10", "P50", "P90")]
    for name, (label, kind) in FORMATS.items():
        band = summary["headline"][name]
        rows.append((label, *(_cell(band[k], kind, currency) for k in ("p10", "p50", "p90"))))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return "\n".join(lines)
