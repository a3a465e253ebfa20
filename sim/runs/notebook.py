"""What a notebook shows of a run: a short repr, the headline table as HTML, DataFrames.

Displaying a run's results in Jupyter printed every replication's every series
(1.56 MB of text for ``results``, 364 KB for a loaded run folder). Here a run
reads as one line, its headlines as a small table (``_repr_html_``, which
Jupyter shows by itself), and its numbers as pandas DataFrames for the analysis
a notebook is for: ``to_frame()`` one row a replication (its drawn inputs and
its headlines), ``to_frame("series")`` one row a month.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal

import numpy as np

from sim.runs.bands import STATS, Band
from sim.runs.headlines import REGISTRY
from sim.runs.numbers import figure

if TYPE_CHECKING:
    import pandas as pd

#: what ``to_frame`` can give: the replications, or the monthly series
FrameKind = Literal["replications", "series"]
#: the statistics a monthly series' frame can hold
STATISTICS = STATS


def headline_rows(bands: Mapping[str, Band], currency: str) -> list[tuple[str, ...]]:
    """The headlines a run has, in the registry's order: label, P10, P50, P90, mean,
    each figure as the printout writes it."""
    rows: list[tuple[str, ...]] = []
    for headline in REGISTRY:
        band = bands.get(headline.name)
        if band is None or all(getattr(band, s) is None for s in STATS):
            continue
        cells = (figure(getattr(band, s), headline.format, currency) for s in STATS)
        rows.append((headline.label, *cells))
    return rows


def headline_html(title: str, facts: str, bands: Mapping[str, Band], currency: str) -> str:
    """The headline table as a notebook shows it: a title, a line of facts, a table."""
    head = "".join(f"<th>{h}</th>" for h in ("", "P10", "P50", "P90", "mean"))
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{"left" if i == 0 else "right"}">{html.escape(c)}</td>'
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in headline_rows(bands, currency)
    )
    return (
        f"<div><strong>{html.escape(title)}</strong><br><small>{html.escape(facts)}</small>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def short_repr(kind: str, name: str, facts: str, bands: Mapping[str, Band], currency: str) -> str:
    """One line: what it is, its facts, and its P50 NPV and payback."""
    shown = []
    for headline in REGISTRY:
        if headline.name in ("npv", "payback_month") and headline.name in bands:
            p50 = figure(bands[headline.name].p50, headline.format, currency)
            shown.append(f"{headline.in_words} P50 {p50}")
    tail = f"; {', '.join(shown)}" if shown else ""
    return f"<{kind} {name}: {facts}{tail}>"


def replications_frame(rows: Sequence[Mapping[str, float | None]]) -> pd.DataFrame:
    """One row a replication: its drawn inputs and its headlines (None as NaN)."""
    import pandas as pd

    frame = pd.DataFrame([dict(row) for row in rows], dtype=float)
    frame.index.name = "replication"
    return frame


def series_frame(
    months: Sequence[str], series: Mapping[tuple[str, str], Mapping[str, np.ndarray]], stat: str
) -> pd.DataFrame:
    """One row a month, a column a (unit, metric): the statistic ``stat`` over the
    replications (p10, p50, p90 or mean)."""
    import pandas as pd

    if stat not in STATISTICS:
        raise ValueError(f"stat {stat!r}: expected one of {', '.join(STATISTICS)}")
    keys = sorted(series, key=lambda k: (k[0] != "all", k))
    columns = pd.MultiIndex.from_tuples(keys, names=["unit", "metric"])
    data = np.column_stack([series[k][stat] for k in keys]) if keys else np.empty((len(months), 0))
    return pd.DataFrame(data, index=pd.Index(list(months), name="month"), columns=columns)


def check_kind(kind: str) -> None:
    if kind not in ("replications", "series"):
        raise ValueError(f"to_frame({kind!r}): expected 'replications' or 'series'")


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (where a silent cell reads as hung)."""
    return "ipykernel" in sys.modules


@contextmanager
def progress(
    total: int, name: str, shown: bool, also: Callable[[int], None] | None = None
) -> Iterator[Callable[[int], None] | None]:
    """The ``on_done`` a run calls per replication done: a tqdm bar's when ``shown`` (a
    widget in a notebook that has ipywidgets, text elsewhere), and ``also``'s."""
    if not shown:
        yield also
        return
    bar_type = _bar_type()
    with bar_type(total=total, desc=name, unit="replication", leave=False) as bar:

        def done(count: int) -> None:
            bar.update(count)
            if also is not None:
                also(count)

        yield done


def _bar_type() -> type:
    """tqdm's notebook widget where it can draw (a kernel with ipywidgets: without them,
    it raises "IProgress not found"), else its text bar, which a notebook shows too."""
    import importlib.util

    if in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm as widget

        return widget
    from tqdm import tqdm as text

    return text
