"""The organisation from its HR roster: layers and spans, bad files, privacy.

Layers and spans are checked against networkx on the same tree, an independent
computation (breadth-first search, out-degrees). Every bad roster a user is
likely to export gets one line naming the file, the line and the column, exit
status 2, no traceback and nothing written.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import rostergen
from click.testing import CliRunner

from sim.cli import main
from sim.scenario.load import load_scenario
from sim.scenario.orgshape import SPAN_BUCKETS, org_shape, people
from sim.scenario.roster import RosterError, RosterOptions, read_roster

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "example-roster.csv"
EXIT_INVALID = 2


def _write(
    path: Path, rows: list[list[str]], header=("employee_id", "manager_id", "unit", "annual_cost")
) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# ------------------------------------------------------- against networkx


def _networkx_truth(generated: rostergen.GeneratedRoster) -> tuple[np.ndarray, np.ndarray]:
    """Layer (1 = the unit's top) and direct reports of each row, by networkx."""
    graph = nx.DiGraph()
    graph.add_nodes_from(generated.employee_id)
    graph.add_edges_from(
        (m, e) for e, m in zip(generated.employee_id, generated.manager_id, strict=True) if m
    )
    unit = dict(zip(generated.employee_id, generated.unit, strict=True))
    in_unit = graph.edge_subgraph((m, e) for m, e in graph.edges if unit[m] == unit[e]).copy()
    in_unit.add_nodes_from(graph.nodes)
    depth: dict[str, int] = {}
    for top in (n for n in in_unit.nodes if in_unit.in_degree(n) == 0):
        depth.update(nx.single_source_shortest_path_length(in_unit, top))
    layers = np.array([depth[e] + 1 for e in generated.employee_id])
    reports = np.array([graph.out_degree(e) for e in generated.employee_id])
    return layers, reports


@pytest.mark.parametrize(("size", "seed"), [(300, 1), (2_000, 2), (12_000, 3)])
def test_layers_and_spans_match_networkx_exactly(tmp_path: Path, size: int, seed: int) -> None:
    generated = rostergen.generate(size, seed, unit_spans={"Devices": 3.0, "Cloud": 11.0})
    roster = read_roster(generated.write_csv(tmp_path / "roster.csv"))
    found = people(roster)
    layers, reports = _networkx_truth(generated)
    assert np.array_equal(found.layer, layers)
    assert np.array_equal(found.reports, reports)


def test_unit_layers_sum_what_networkx_finds_per_person(tmp_path: Path) -> None:
    generated = rostergen.generate(5_000, 4, unit_spans={"Retail": 4.0})
    shape = org_shape(read_roster(generated.write_csv(tmp_path / "roster.csv")))
    layers, reports = _networkx_truth(generated)
    units = np.array(generated.unit)
    for unit in shape.units:
        mine = units == unit.name
        managers = mine & (reports > 0)
        expected = [int(((layers == k) & managers).sum()) for k in range(1, len(unit.layers))]
        assert [layer.headcount for layer in unit.management_layers] == expected
        assert unit.ics == int((mine & (reports == 0)).sum())
        bottom = len(unit.layers)
        assert unit.ragged_ics == int((mine & (reports == 0) & (layers < bottom)).sum())
        for k, layer in enumerate(unit.management_layers, start=1):
            spans = reports[managers & (layers == k)]
            assert layer.span_mean == pytest.approx(spans.mean(), rel=1e-12)
            assert layer.span_median == np.median(spans)
            assert layer.single_report == int((spans == 1).sum())
            assert layer.span_buckets == tuple(
                int(((spans >= low) & (spans <= high)).sum()) for low, high, _ in SPAN_BUCKETS
            )
            cost = generated.annual_cost[mine & (layers == k) & (reports > 0)].mean()
            assert layer.cost_per_head_annual == pytest.approx(cost, rel=1e-12)


def test_the_order_of_the_rows_changes_nothing(tmp_path: Path) -> None:
    generated = rostergen.generate(3_000, 5)
    rows = generated.rows()
    shuffled = [rows[i] for i in np.random.default_rng(9).permutation(len(rows))]
    first = org_shape(read_roster(generated.write_csv(tmp_path / "a.csv")))
    second = org_shape(read_roster(_write(tmp_path / "b.csv", shuffled, header=rostergen.HEADER)))
    assert first.scenario_units() == second.scenario_units()
    assert first.whole == second.whole


def test_a_ragged_hierarchy_puts_every_ic_in_the_bottom_layer_and_counts_it(
    tmp_path: Path,
) -> None:
    # a director with an assistant (an IC one layer up) and two managers of two ICs each
    rows = [
        ["D", "", "Ops", "300000"],
        ["A", "D", "Ops", "90000"],
        ["M1", "D", "Ops", "200000"],
        ["M2", "D", "Ops", "200000"],
        ["I1", "M1", "Ops", "100000"],
        ["I2", "M1", "Ops", "100000"],
        ["I3", "M2", "Ops", "100000"],
        ["I4", "M2", "Ops", "100000"],
    ]
    shape = org_shape(read_roster(_write(tmp_path / "r.csv", rows)))
    (unit,) = shape.units
    assert [(layer.name, layer.headcount) for layer in unit.layers] == [
        ("L1", 1),
        ("L2", 2),
        ("IC", 5),
    ]
    assert unit.ragged_ics == 1
    assert unit.layers[0].span_mean == 3  # the assistant counts as a direct report
    assert unit.layers[-1].cost_per_head_annual == pytest.approx(98_000)


def test_a_unit_head_reporting_to_a_chief_executive_elsewhere_is_the_units_top(
    tmp_path: Path,
) -> None:
    rows = [
        ["CEO", "", "Corporate", "900000"],
        ["CS", "CEO", "Corporate", "150000"],
        ["H", "CEO", "Retail", "400000"],
        ["R1", "H", "Retail", "100000"],
        ["R2", "H", "Retail", "100000"],
    ]
    shape = org_shape(read_roster(_write(tmp_path / "r.csv", rows)))
    retail = next(u for u in shape.units if u.name == "Retail")
    assert [layer.headcount for layer in retail.layers] == [1, 2]
    corporate = next(u for u in shape.units if u.name == "Corporate")
    assert corporate.layers[0].span_mean == 2  # the CEO's reports in any unit count


def test_targets_count_the_managers_off_target(tmp_path: Path) -> None:
    rows = [["T", "", "U", "1"], *([["M" + str(i), "T", "U", "1"] for i in range(3)])]
    for i in range(3):  # M0 has 1 report, M1 has 9, M2 has 20
        rows += [[f"I{i}-{j}", f"M{i}", "U", "1"] for j in range((1, 9, 20)[i])]
    from sim.scenario.schema import Targets

    shape = org_shape(
        read_roster(_write(tmp_path / "r.csv", rows)), Targets(span_min=8, span_max=12)
    )
    unit = shape.units[0]
    assert unit.total("below_target") == 2  # the top (3 reports) and M0 (1)
    assert unit.total("above_target") == 1
    assert unit.total("single_report") == 1


# -------------------------------------------------------------- other formats


def test_xlsx_and_csv_give_the_same_organisation(tmp_path: Path) -> None:
    from openpyxl import Workbook

    generated = rostergen.generate(800, 6)
    book = Workbook()
    sheet = book.active
    sheet.append(list(rostergen.HEADER))
    for row in generated.rows():
        sheet.append([*row[:3], float(row[3]), *row[4:]])
    book.save(tmp_path / "roster.xlsx")
    from_xlsx = org_shape(read_roster(tmp_path / "roster.xlsx"))
    from_csv = org_shape(read_roster(generated.write_csv(tmp_path / "roster.csv")))
    assert from_xlsx.scenario_units() == from_csv.scenario_units()


def test_salaries_times_an_on_cost_multiplier_and_mapped_columns(tmp_path: Path) -> None:
    rows = [["1", "", "Ops", "100000"], ["2", "1", "Ops", "50000"], ["3", "1", "Ops", "70000"]]
    path = _write(tmp_path / "r.csv", rows, header=("Worker", "Boss", "Dept", "Salary"))
    options = RosterOptions(
        columns={"employee_id": "Worker", "manager_id": "Boss", "unit": "Dept"},
        on_cost_multiplier=1.3,
    )
    shape = org_shape(read_roster(path, options))
    assert shape.units[0].layers[-1].cost_per_head_annual == pytest.approx(78_000)


def test_a_semicolon_roster_reads_with_its_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("employee_id;manager_id;unit;annual_cost\n1;;Ops;1\n2;1;Ops;1\n", "utf-8")
    shape = org_shape(read_roster(path, RosterOptions(delimiter=";")))
    assert shape.whole.headcount == 2


# ------------------------------------------------------------------- bad input

GOOD = "employee_id,manager_id,unit,annual_cost\n1,,Ops,300000\n2,1,Ops,100000\n3,1,Ops,100000\n"

#: name -> (file bytes, text the message must hold, "line:column")
BAD: dict[str, tuple[bytes, str, str]] = {
    "missing column": (
        b"employee_id,boss,unit,annual_cost\n1,,Ops,1\n",
        "no column 'manager_id'",
        "1:1",
    ),
    "duplicate id": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,1\n2,1,Ops,1\n",
        "employee_id '2' appears twice (first on line 3)",
        "4:1",
    ),
    "unknown manager": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,9,Ops,1\n",
        "manager_id '9' matches no employee_id",
        "3:2",
    ),
    "cycle": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,1\n"
        b"E3,E5,Ops,1\nE4,E3,Ops,1\nE5,E4,Ops,1\n",
        "cycle: E3 -> E5 -> E4 -> E3",
        "4:2",
    ),
    "manager of themselves": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,2,Ops,1\n",
        "cycle: 2 -> 2",
        "3:2",
    ),
    "several tops in a unit": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,1\n3,,Ops,1\n",
        "unit 'Ops' has 2 tops",
        "4:2",
    ),
    "cost not a number": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,lots\n",
        "annual_cost 'lots' is not a number",
        "3:4",
    ),
    "cost with a thousands comma, quoted": (
        b'employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,"85,000"\n',
        "no currency sign or thousands separator",
        "3:4",
    ),
    "cost with a thousands comma, unquoted": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,85,000\n",
        "this row has 5 fields, the header 4",
        "3:5",
    ),
    "negative cost": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,-5\n",
        "annual_cost is negative",
        "3:4",
    ),
    "empty cost": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,\n",
        "annual_cost is empty",
        "3:4",
    ),
    "infinite cost": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,Ops,inf\n",
        "'inf' is not a number",
        "3:4",
    ),
    "row cut short": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,Ops,1\n",
        "this row has 3 fields, the header 4",
        "3:3",
    ),
    "empty id": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n,1,Ops,1\n",
        "employee_id is empty",
        "3:1",
    ),
    "empty unit": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,,1\n",
        "unit is empty",
        "3:3",
    ),
    "empty file": (b"", "the roster is empty", "1:1"),
    "blank lines only": (b"\n\n  \n", "the roster is empty", "1:1"),
    "header only": (b"employee_id,manager_id,unit,annual_cost\n", "header but no people", "1:1"),
    "latin-1": (
        "employee_id,manager_id,unit,annual_cost\n1,,Opérations,1\n".encode("latin-1"),
        "not UTF-8 text (byte 0xe9)",
        "2:3",
    ),
    "utf-16": (
        "employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n".encode("utf-16"),
        "UTF-16",
        "1:1",
    ),
    "semicolons": (
        b"employee_id;manager_id;unit;annual_cost\n1;;Ops;1\n",
        "seems to use ';' between fields",
        "1:1",
    ),
    "tabs": (
        b"employee_id\tmanager_id\tunit\tannual_cost\n1\t\tOps\t1\n",
        "seems to use tab between fields",
        "1:1",
    ),
    "unclosed quote": (
        b'employee_id,manager_id,unit,annual_cost\n1,,Ops,1\n2,1,"Ops,1\n',
        "not valid CSV",
        "3:",
    ),
    "binary": (b"\x00\x01\x02garbage", "binary", "1:1"),
    "a unit of one person who manages elsewhere": (
        b"employee_id,manager_id,unit,annual_cost\n1,,Board,1\n2,1,Ops,1\n3,2,Ops,1\n",
        "unit 'Board' has one person",
        "2:3",
    ),
}


def _refused(result, filename: str, where: str, text: str) -> None:
    assert result.exit_code == EXIT_INVALID, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{filename}:{where}"), lines[0]
    assert text in lines[0]


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_roster_is_one_line_with_file_line_and_column_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    data, text, where = BAD[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "roster.csv").write_bytes(data)
    result = CliRunner().invoke(main, ["org", "roster.csv", "-o", "plan.yaml"])
    _refused(result, "roster.csv", where, text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]


def test_a_bad_xlsx_names_the_spreadsheet_row_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["employee_id", "manager_id", "unit", "annual_cost"], [1, None, "Ops", 5]):
        sheet.append(row)
    sheet.append([])
    sheet.append([2, 7, "Ops", 5])
    book.save(tmp_path / "roster.xlsx")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["org", "roster.xlsx", "--no-chart"])
    _refused(result, "roster.xlsx", "4:2", "manager_id '7' matches no employee_id")


def test_a_file_that_is_not_a_workbook_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "roster.xlsx").write_bytes(b"employee_id,manager_id\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["org", "roster.xlsx"])
    _refused(result, "roster.xlsx", "1:1", "not a readable XLSX workbook")


def test_a_missing_roster_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["org", "nowhere.csv"])
    _refused(result, "nowhere.csv", "1:1", "cannot read the roster")


def test_an_existing_scenario_is_not_overwritten_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "roster.csv").write_text(GOOD, "utf-8")
    (tmp_path / "plan.yaml").write_text("mine", "utf-8")
    result = CliRunner().invoke(main, ["org", "roster.csv", "-o", "plan.yaml"])
    assert result.exit_code == EXIT_INVALID
    assert (tmp_path / "plan.yaml").read_text("utf-8") == "mine"


# ------------------------------------------------------ through a scenario


SCENARIO = """\
meta: {{name: from-roster, start: 2026-01, horizon_months: 12, replications: 2}}
org:
  roster: {roster}
work:
  - arrivals_per_ic_per_week: 2
    effort_hours: 5
"""


def test_a_scenario_reads_its_roster_relative_to_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plans"
    (folder / "hr").mkdir(parents=True)
    (folder / "hr" / "roster.csv").write_text(GOOD, "utf-8")
    (folder / "plan.yaml").write_text(SCENARIO.format(roster="{path: hr/roster.csv}"), "utf-8")
    monkeypatch.chdir(tmp_path)
    scenario = load_scenario("plans/plan.yaml")
    (unit,) = scenario.org.units
    assert [(layer.name, layer.headcount) for layer in unit.layers] == [("L1", 1), ("IC", 2)]
    assert unit.layers[0].cost_per_head_annual == 300_000
    result = CliRunner().invoke(main, ["validate", "plans/plan.yaml"])
    assert result.exit_code == 0, result.output


def test_a_bad_roster_named_by_a_scenario_names_the_roster_line_and_column(
    tmp_path: Path,
) -> None:
    (tmp_path / "roster.csv").write_text(GOOD + "4,9,Ops,1\n", "utf-8")
    (tmp_path / "plan.yaml").write_text(SCENARIO.format(roster="{path: roster.csv}"), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "plan.yaml")])
    assert result.exit_code == EXIT_INVALID
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first == "roster.csv:5:2: manager_id '9' matches no employee_id in the file"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("nowhere.csv", "No such file or directory"), ('"no\\0where.csv"', "embedded null byte")],
)
def test_a_roster_the_scenario_names_but_cannot_be_read_is_refused_at_its_path_line(
    tmp_path: Path, path: str, reason: str
) -> None:
    """The fault is the scenario's line, not a line 1 of a file that does not exist."""
    (tmp_path / "plan.yaml").write_text(SCENARIO.format(roster=f"{{path: {path}}}"), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "plan.yaml")])
    assert result.exit_code == EXIT_INVALID
    assert "Traceback" not in result.output
    (line,) = [x for x in result.stderr.splitlines() if "org.roster" in x]
    assert re.match(r"plan\.yaml:\d+:\d+: org\.roster\.path: cannot read the roster ", line)
    assert reason in line


TYPED_UNIT = (
    "org:\n  units: [{name: A, layers: [{name: M, headcount: 1, "
    "cost_per_head_annual: 1}, {name: IC, headcount: 5, cost_per_head_annual: 1}]}]\n"
)


def test_a_roster_built_unit_sits_beside_typed_in_units(tmp_path: Path) -> None:
    # issue 27: the insurer's roster-built unit could not join its typed-in units
    (tmp_path / "roster.csv").write_text(GOOD, "utf-8")
    text = SCENARIO.format(roster="{path: roster.csv}").replace("org:\n", TYPED_UNIT)
    text += (
        "restructuring:\n  waves:\n    - {name: W, date: 2026-03-01, cuts: "
        "[{unit: Ops, layer: IC, count: 1}, {unit: A, layer: IC, count: 1}]}\n"
    )
    (tmp_path / "plan.yaml").write_text(text, "utf-8")
    scenario = load_scenario(tmp_path / "plan.yaml")
    assert [u.name for u in scenario.org.units] == ["A", "Ops"]
    assert [x.headcount for x in scenario.unit("Ops").layers or ()] == [1, 2]
    result = CliRunner().invoke(
        main,
        [
            "run",
            str(tmp_path / "plan.yaml"),
            "-n",
            "1",
            "--workers",
            "1",
            "-q",
            "--no-charts",
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert set(summary["staffing"]) == {"A", "Ops"}


def test_a_roster_unit_named_as_a_typed_in_one_is_refused_at_the_roster(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(GOOD.replace(",Ops,", ",A,"), "utf-8")
    text = SCENARIO.format(roster="{path: roster.csv}").replace("org:\n", TYPED_UNIT)
    (tmp_path / "plan.yaml").write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "plan.yaml")])
    assert result.exit_code == EXIT_INVALID
    assert re.search(
        r"plan\.yaml:4:11: org\.roster: the roster's unit 'A' has the name of typed-in unit "
        r"org\.units\[0\] \(line 3\)",
        result.stderr,
    ), result.stderr


def test_a_misspelt_roster_key_gets_a_hint(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(SCENARIO.format(roster="{pth: roster.csv}"), "utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "plan.yaml")])
    assert result.exit_code == EXIT_INVALID
    assert "org.roster.pth: unknown key 'pth' (did you mean 'path'?)" in result.stderr


# ------------------------------------------------------------------ privacy


def test_no_name_or_id_reaches_the_tables_the_chart_or_the_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generated = rostergen.generate(600, 8)
    names = [f"Zed{n:04d} Quixworth" for n in range(generated.size)]
    header = (*rostergen.HEADER, "name")
    rows = [[*row, name] for row, name in zip(generated.rows(), names, strict=True)]
    _write(tmp_path / "roster.csv", rows, header=header)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["org", "roster.csv", "-o", "plan.yaml", "--chart", "spans.svg", "--start", "2026-01"]
    )
    assert result.exit_code == 0, result.output
    outputs = result.output + (tmp_path / "plan.yaml").read_text("utf-8")
    outputs += (tmp_path / "spans.svg").read_text("utf-8")
    assert "Quixworth" not in outputs
    ids = set(generated.employee_id)
    assert not ids & set(re.findall(r"E\d{6,}", outputs))


# ------------------------------------------------------- the command's outputs


def test_org_prints_units_and_layers_and_writes_a_scenario_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["org", str(EXAMPLE), "-o", "plan.yaml", "--no-chart", "--start", "2026-01"]
    )
    assert result.exit_code == 0, result.output
    assert "4,000 people in 7 units" in result.stdout
    assert "All units" in result.stdout and "One report" in result.stdout
    written = load_scenario(tmp_path / "plan.yaml")
    shipped = load_scenario(ROOT / "scenarios" / "example-roster.yaml")
    assert written.org.units == shipped.org.units  # the roster, typed out, is the same org
    assert "# span" in (tmp_path / "plan.yaml").read_text("utf-8")


def test_org_chart_states_what_the_data_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warnings

    import matplotlib.image

    from sim.report.charts.spans import _title
    from sim.report.charts.style import PIXELS

    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = CliRunner().invoke(main, ["org", str(EXAMPLE), "--chart", "spans.png"])
    assert result.exit_code == 0, result.output
    height, width = matplotlib.image.imread(tmp_path / "spans.png").shape[:2]
    assert (width, height) == PIXELS
    shape = org_shape(read_roster(EXAMPLE))
    below = shape.whole.total("below_target") / shape.whole.managers
    assert _title(shape)[0].startswith(f"{below:.0%} of managers have fewer than 8")
    assert f"{shape.whole.total('single_report'):,} manage just one person" in _title(shape)[0]


# ----------------------------------------------------- plausibility warnings

TYPED = """\
meta: {{name: typed, start: 2026-01, horizon_months: 6, replications: 1, fidelity_items: 1000}}
org:
  units:
    - name: Ops
      layers:
{layers}
work:
  - arrivals_per_ic_per_week: 1
    effort_hours: 2
"""


def _typed(tmp_path: Path, *layers: tuple[str, int, int]) -> Path:
    text = "\n".join(
        f"        - {{name: {n}, headcount: {h}, cost_per_head_annual: {c}}}" for n, h, c in layers
    )
    path = tmp_path / "typed.yaml"
    path.write_text(TYPED.format(layers=text), "utf-8")
    return path


def _warnings(path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output  # a warning stops nothing
    assert "ok: " in result.stdout
    return [line for line in result.stderr.splitlines() if ": warning: " in line]


def test_a_span_of_one_point_two_is_flagged_with_its_line(tmp_path: Path) -> None:
    path = _typed(tmp_path, ("Director", 10, 250000), ("Manager", 100, 180000), ("IC", 120, 120000))
    (warning,) = _warnings(path)
    assert warning.startswith("typed.yaml:7:")
    assert "1.2 people in 'IC' per person in 'Manager', a span under 1.5" in warning


def test_a_span_over_fifty_is_flagged(tmp_path: Path) -> None:
    path = _typed(tmp_path, ("Manager", 10, 180000), ("IC", 900, 120000))
    (warning,) = _warnings(path)
    assert "a span over 50" in warning


def test_an_upside_down_unit_is_flagged_once(tmp_path: Path) -> None:
    path = _typed(
        tmp_path, ("IC", 1000, 120000), ("Manager", 100, 180000), ("Director", 10, 250000)
    )
    (warning,) = _warnings(path)
    assert "every layer is larger than the one below it" in warning
    assert "upside down" in warning


def test_a_middle_layer_larger_than_the_one_below_is_flagged(tmp_path: Path) -> None:
    layers = [("VP", 5, 400000), ("Director", 60, 300000), ("Manager", 40, 200000)]
    path = _typed(tmp_path, *layers, ("IC", 400, 120000))
    warnings = _warnings(path)
    assert any("layer 'Director' (60) is larger than the layer below it" in w for w in warnings)


def test_a_months_pay_typed_as_an_annual_cost_is_flagged(tmp_path: Path) -> None:
    path = _typed(tmp_path, ("Manager", 10, 180000), ("IC", 80, 9500))
    (warning,) = _warnings(path)
    assert "9,500 USD is below 20,000: is it a month's pay (x12 = 114,000)?" in warning
    assert "org.units[0].layers[1].cost_per_head_annual" in warning


def test_more_layers_than_the_target_is_flagged(tmp_path: Path) -> None:
    path = _typed(tmp_path, ("A", 1, 900000), ("B", 4, 500000), ("IC", 30, 120000))
    text = path.read_text("utf-8").replace("org:\n", "org:\n  targets: {max_layers: 2}\n")
    path.write_text(text, "utf-8")
    (warning,) = _warnings(path)
    assert "has 3 layers, more than the target of 2" in warning


def test_the_shipped_scenarios_draw_no_warning_but_the_roster_example_one() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        warnings = _warnings(path)
        if path.name == "example-roster.yaml":
            assert len(warnings) == 1 and "'Devices' has 7 layers" in warnings[0]
        else:
            assert warnings == [], path.name


@pytest.mark.slow
def test_run_prints_the_warnings_and_still_runs(tmp_path: Path) -> None:
    path = _typed(tmp_path, ("Manager", 70, 180000), ("IC", 80, 120000))
    result = CliRunner().invoke(main, ["run", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert "a span under 1.5" in result.stderr
    assert (tmp_path / "out" / "summary.json").exists()


@pytest.mark.slow
def test_the_scenario_derived_from_the_example_roster_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    derived = CliRunner().invoke(
        main, ["org", str(EXAMPLE), "-o", "plan.yaml", "--no-chart", "--start", "2026-01"]
    )
    assert derived.exit_code == 0, derived.output
    text = (
        (tmp_path / "plan.yaml")
        .read_text("utf-8")
        .replace("horizon_months: 36", "horizon_months: 6\n  fidelity_items: 1000")
    )
    (tmp_path / "plan.yaml").write_text(text, "utf-8")
    result = CliRunner().invoke(
        main, ["run", "plan.yaml", "-o", "out", "-n", "1", "--no-charts", "-q", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Payback" in result.stdout


def test_every_missing_column_is_said_in_one_message(tmp_path: Path) -> None:
    # issue 27: a typical export took three round trips, one column each
    path = tmp_path / "export.csv"
    path.write_text("Employee ID,Manager ID,Business unit,Pay\n1,,Ops,100000\n", "utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    message = str(caught.value)
    for column in ("'employee_id'", "'manager_id'", "'unit'", "'annual_cost'"):
        assert column in message, message
    assert "or 'salary' with --on-cost" in message
    assert "--column employee_id=NAME --column manager_id=NAME --column unit=NAME" in message


def test_a_roster_of_salaries_says_how_to_give_the_on_cost(tmp_path: Path) -> None:
    path = tmp_path / "salaries.csv"
    path.write_text("employee_id,manager_id,unit,salary\n1,,Ops,100000\n", "utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert "--on-cost 1.3, or org.roster.on_cost_multiplier" in str(caught.value)


# --- layers by a grade or layer column (issue 27) -----------------------------------------


def _claims(tmp_path: Path, labels: bool = True, blank_one: bool = False) -> Path:
    """A claims unit: a director, 2 senior managers with 3 managers each, and 2 team
    managers who report straight to the director; every manager has 4 ICs."""
    rows = [["D", "", "Claims", "250000", "Director"]]
    managers = []
    for s in (1, 2):
        rows.append([f"S{s}", "D", "Claims", "180000", "Senior manager"])
        for m in (1, 2, 3):
            managers.append(f"M{s}{m}")
            rows.append([f"M{s}{m}", f"S{s}", "Claims", "130000", "Manager"])
    for m in (1, 2):  # the team managers a depth rule would take for senior managers
        managers.append(f"T{m}")
        rows.append([f"T{m}", "D", "Claims", "130000", "Manager"])
    if blank_one:
        rows[-1][-1] = ""
    for manager in managers:
        rows += [[f"{manager}-{i}", manager, "Claims", "85000", "Claims handler"] for i in range(4)]
    header = ("employee_id", "manager_id", "unit", "annual_cost", "grade")
    if not labels:
        rows, header = [r[:4] for r in rows], header[:4]
    return _write(tmp_path / "claims.csv", rows, header)


def test_a_grade_column_puts_team_managers_in_the_manager_layer_and_says_so(
    tmp_path: Path,
) -> None:
    shape = org_shape(read_roster(_claims(tmp_path)))
    (unit,) = shape.units
    assert [(x.name, x.headcount) for x in unit.layers] == [
        ("Director", 1),
        ("Senior manager", 2),
        ("Manager", 8),
        ("Claims handler", 32),
    ]
    assert shape.layer_rule.startswith("layers by the roster's layer (or grade) column")
    # the 2 team managers report to the director: ICs above nothing, no ragged ICs
    assert unit.ragged_ics == 0
    assert unit.layers[0].span_mean == 4  # 2 senior managers and 2 team managers


def test_without_a_grade_column_layers_go_by_depth_and_say_why(tmp_path: Path) -> None:
    shape = org_shape(read_roster(_claims(tmp_path, labels=False)))
    assert [x.headcount for x in shape.units[0].layers] == [1, 4, 6, 32]
    assert "layers by depth" in shape.layer_rule
    assert "(the roster has no layer or grade column)" in shape.layer_rule
    blank = org_shape(read_roster(_claims(tmp_path, blank_one=True)))
    assert [x.headcount for x in blank.units[0].layers] == [1, 4, 6, 32]
    assert "1 managers have an empty layer label" in blank.layer_rule


def test_removing_the_senior_layer_of_a_graded_roster_cuts_no_team_manager(
    tmp_path: Path,
) -> None:
    _claims(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "meta: {name: graded, start: 2026-01}\n"
        "org:\n  roster: {path: claims.csv}\n"
        "work:\n  - {arrivals_per_ic_per_week: 2, effort_hours: 8, signoff_shares: [0.5, 0.1]}\n"
        "restructuring:\n  waves:\n    - name: Delayering\n      date: 2026-06-01\n"
        "      remove_layers: [{unit: Claims, layer: Senior manager}]\n",
        "utf-8",
    )
    layers = load_scenario(plan).unit("Claims").layers
    assert [(x.name, x.headcount) for x in layers or ()] == [
        ("Director", 1),
        ("Senior manager", 2),
        ("Manager", 8),
        ("Claims handler", 32),
    ]
    result = CliRunner().invoke(main, ["org", str(tmp_path / "claims.csv"), "--no-chart"])
    assert result.exit_code == 0, result.output
    assert "Layers by the roster's layer (or grade) column: each manager in the layer" in (
        result.output
    )
