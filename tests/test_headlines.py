"""The headline registry is the one list of headlines: every table, study and chart reads it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.model.replication import run_replication
from sim.report import text
from sim.report.charts import solve as solve_chart
from sim.report.summaryfile import read_summary
from sim.runs import headlines
from sim.runs.headlines import BY_NAME, HEADLINES, REGISTRY, Format, Kind
from sim.runs.summarise import summarise
from sim.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def test_every_replication_computes_exactly_the_registered_headlines():
    scenario = load_scenario(ROOT / "tests" / "data" / "good" / "small-delayering.yaml")
    result = summarise(run_replication(scenario, np.random.SeedSequence(1)))
    assert tuple(result.headline) == HEADLINES


def test_names_are_unique_and_each_has_one_label():
    assert len(set(HEADLINES)) == len(REGISTRY)
    labels = [h.label for h in REGISTRY]
    assert len(set(labels)) == len(labels)


def test_the_lists_the_code_reads_are_derived_from_the_registry():
    assert headlines.NEVER == ("payback_month", "discounted_payback_month")
    assert {"throughput_change", "cycle_time_change"} == headlines.FLOW_HEADLINES
    assert set(headlines.PAIRED) == {
        "npv",
        "run_rate_savings_annual",
        "one_time_costs",
        "payback_month",
        "throughput_change",
        "cycle_time_change",
        "headcount_end",
    }
    assert all(h.kind is Kind.MONEY for h in REGISTRY if h.format is Format.MONEY)
    assert all(h.kind is Kind.MONTHS for h in REGISTRY if h.format is Format.MONTH)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("npv", "NPV"),
        ("payback_month", "payback"),
        ("throughput_change", "work done vs status quo"),
    ],
)
def test_a_label_inside_a_sentence_keeps_its_acronyms(name, words):
    assert BY_NAME[name].in_words == words


def test_the_goal_seek_chart_reads_the_kind_not_the_name():
    """A money headline is money on the chart; a month is a month; nothing is guessed
    from how a name ends."""
    assert solve_chart.value_shown(2.5e9, "npv_with_terminal_value", "USD") == "$2.5B"
    assert solve_chart.value_shown(14.0, "discounted_payback_month", "USD") == "month 14"
    assert solve_chart.value_shown(None, "payback_month", "USD") == "never"


def test_the_cfo_table_shows_each_headline_with_its_registered_label():
    stats = ("p10", "p50", "p90", "mean")
    summary = read_summary(
        {
            "scenario": {"path": "plan.yaml", "name": "plan", "sha256": "0" * 64},
            "seed": 1,
            "replications": 2,
            "version": "0",
            "currency": "USD",
            "horizon_months": 36,
            "first_month": "2025-10",
            "last_month": "2028-09",
            "valuation": {
                "date": "2025-10-01",
                "basis": "first wave",
                "month": "2025-10",
                "months_before": 0,
            },
            "terminal_value": None,
            "headline": {name: dict.fromkeys(stats, 1.0) for name in HEADLINES},
            "mean_cash_flow": {
                "discount_rate_annual": 0.08,
                "npv": 1.0,
                "terminal_value": None,
                "npv_with_terminal_value": None,
                "payback_month": 1.0,
                "payback_date": "2025-10",
                "discounted_payback_month": 1.0,
                "discounted_payback_date": "2025-10",
                "irr_annual": 1.0,
                "irr_note": None,
                "run_rate_savings_annual": 1.0,
                "one_time_costs": 1.0,
            },
        }
    )
    labels = [row[0] for row in text.cfo_rows(summary)[1:]]
    assert "Work done vs status quo" in labels and "Cycle time vs status quo" in labels
    assert not any("baseline" in label for label in labels)
    assert len(labels) == len(text.CFO_ROWS) - 2  # no terminal value: two rows fewer
