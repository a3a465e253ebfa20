"""Overload that must be flagged (issue 27): a queue that grows without bound in some
replications is named, and a heavy-tailed cycle time reads by its median."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sim.cli import main
from sim.report.summaryfile import read_summary
from sim.report.text import MEDIAN_MARK, cfo_notes, cfo_rows

#: 20 ICs send 40 items a week, 80% needing one of the 2 Managers' sign-off (exponential
#: 1 h of their 20 review hours a week): the Managers are 80% busy. The wave cuts one in
#: March: 32 review hours a week fall on 20, so the review queue grows by about 12
#: items a week for as long as the run lasts. The ICs keep up (27% busy): the IC
#: backlog does not grow, and overloaded_units (IC capacity short of demand) stays empty.
REVIEWS_SHORT = """
meta: {name: reviews short, start: 2026-01, horizon_months: 10, fidelity_items: full}
org:
  attrition_annual: 0
  backfill: {share: 0}
  units:
    - name: Claims
      layers:
        - {name: Manager, headcount: 2, cost_per_head_annual: 150000, review_share: 0.5}
        - {name: IC, headcount: 20, cost_per_head_annual: 90000}
work:
  - arrivals_per_ic_per_week: 2
    effort_hours: exponential(4)
    signoff_shares: [0.8]
    review_hours: exponential(1)
    handoff_delay_days: 0
restructuring:
  waves:
    - {name: Cut, date: 2026-03-01, cuts: [{unit: Claims, layer: Manager, count: 1}]}
"""


def _run(tmp_path: Path, text: str) -> tuple[str, dict]:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main, ["run", str(path), "-n", "2", "--workers", "1", "-q", "--no-charts", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return result.output, json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_a_review_queue_that_grows_without_bound_is_named_with_its_replications(
    tmp_path: Path,
) -> None:
    output, summary = _run(tmp_path, REVIEWS_SHORT)
    assert summary["overloaded_units"] == []  # the ICs keep up: not an IC shortfall
    [queue] = summary["unbounded_queues"]
    assert (queue["unit"], queue["replications"], queue["of"]) == ("Claims", 2, 2)
    # about 12 items a week more than reviewed, over the last six months
    assert queue["work_in_progress_to"] - queue["work_in_progress_from"] > 150
    assert "warning: Claims's work in progress grew without bound in 2 of 2 replications" in (
        output
    )


def test_a_stable_unit_is_not_flagged(tmp_path: Path) -> None:
    # the same unit without the cut: its Managers are 80% busy, the queue stable
    stable = REVIEWS_SHORT.split("restructuring:")[0]
    output, summary = _run(tmp_path, stable)
    assert summary["unbounded_queues"] == []
    assert "without bound" not in output


def test_a_heavy_tailed_cycle_time_reads_by_its_median_where_the_mean_misleads(
    tmp_path: Path,
) -> None:
    # the insurer's: mean +11.7% in bold, P50 +0.3%; a few replications' queues pulled it
    _, data = _run(tmp_path, REVIEWS_SHORT.split("restructuring:")[0])
    data["headline"]["cycle_time_change"] = {"p10": -0.02, "p50": 0.003, "p90": 0.05, "mean": 0.117}
    summary = read_summary(data)
    row = next(r for r in cfo_rows(summary) if r[0] == "Cycle time vs status quo")
    assert row[1:] == (f"+0.3%{MEDIAN_MARK}", "-2.0%", "+0.3%", "+5.0%")
    assert any(
        n.startswith(f"{MEDIAN_MARK} cycle time") and "+11.7%" in n for n in cfo_notes(summary)
    )
    # a spread with its mean near the middle keeps the mean
    data["headline"]["cycle_time_change"]["mean"] = 0.01
    row = next(r for r in cfo_rows(read_summary(data)) if r[0] == "Cycle time vs status quo")
    assert row[1] == "+1.0%"


def test_the_pack_names_the_unbounded_queue_too(tmp_path: Path) -> None:
    # issue 27: named in the printout AND the pack, with the unit and the replications
    import html
    import zipfile

    path = tmp_path / "plan.yaml"
    path.write_text(REVIEWS_SHORT, encoding="utf-8")
    out = tmp_path / "run"
    options = ["-n", "2", "--workers", "1", "-q", "--no-charts", "--report", "-o", str(out)]
    result = CliRunner().invoke(main, ["run", str(path), *options])
    assert result.exit_code == 0, result.output
    said = "Claims's work in progress grew without bound in 2 of 2 replications"
    assert said in html.unescape((out / "report.html").read_text(encoding="utf-8"))
    with zipfile.ZipFile(out / "deck.pptx") as deck:
        slides = [
            html.unescape(deck.read(name).decode("utf-8"))
            for name in deck.namelist()
            if name.startswith("ppt/slides/slide") and name.endswith(".xml")
        ]
    assert any(said in text for text in slides)  # on a slide (the risks), not only in notes
