"""Hostile names reach every output as text, never as code, markup or terminal control.

Names a scenario or an HR export may hold, and that are valid: formula prefixes
(``=cmd|' /C calc'!A0``), quotes and angle brackets, right-to-left marks, names
of the longest length. Each goes through ``validate``, ``run --report``,
``report``, ``compare`` and ``org -o``, and every output is checked as the program
that opens it reads it: CSV cells and workbook cells (no formula a name wrote),
the HTML (escaped), the deck's XML (well formed, no control character), the
terminal's bytes (no escape code), the YAML written (the names, and nothing more).
Names holding a control character are refused where they are read (test_odd_inputs).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import FAST, SMALL
from lxml import etree
from ruamel.yaml import YAML

from sim.cli import main
from sim.report.escape import FORMULA_STARTS, spreadsheet_text, xml_text
from sim.scenario.load import load_scenario

UNIT = "=cmd|' /C calc'!A0"
LAYERS = ("+SUM(1+1)*cmd", "@SUM(A1:A9)", "=2+3+cmd|' /C calc'!A0", '<script>alert("x")</script>')
PROGRAMME = '\u200fمساعد "AI" <b>'
ROLE = "+" + "R" * 79  # the longest a name may be
WAVE = "-wave </td><td>'"
#: role names a scenario or a roster's role column may hold: formula prefixes, and text
#: that would close the flow mapping a role is written in and add keys of its own
ROLES = (
    "@SUM(A1:A9)",
    '=HYPERLINK("http://evil.example","x")',
    "x}, {name: y, share: 1",
    "a: b # c",
)
NAMES = (UNIT, *LAYERS, PROGRAMME, ROLE, WAVE, *ROLES)
NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
TERMINAL_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")


def hostile_scenario(folder: Path, name: str = "hostile") -> Path:
    doc = YAML(typ="safe").load(SMALL.read_text(encoding="utf-8"))
    doc["meta"]["name"] = name
    unit = doc["org"]["units"][0]
    for layer, new in zip(unit["layers"], LAYERS, strict=True):
        layer["name"] = new
    unit["name"] = UNIT
    doc["work"][0]["units"] = [UNIT]
    wave = doc["restructuring"]["waves"][0]
    wave["name"] = WAVE
    wave["remove_layers"][0].update(unit=UNIT, layer=LAYERS[1])
    unit["roles"] = [{"name": ROLES[0], "share": 0.6}, {"name": ROLES[1], "share": 0.4}]
    wave["cuts"] = [{"unit": UNIT, "layer": LAYERS[3], "role": ROLES[0], "count": 20}]
    doc["restructuring"]["reskilling"] = [
        {"name": "=reskill()", "unit": UNIT, "from_role": ROLES[0], "to_role": ROLES[1]}
        | {"start": "2026-05", "people_per_month": 5}
    ]
    doc["ai"]["programs"][0]["name"] = PROGRAMME
    doc["ai"]["new_roles"][0]["name"] = ROLE
    path = folder / f"{name}.yaml"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def restructure(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, cwd=cwd, timeout=600
    )


def assert_shown_not_run(text: str, where: str) -> None:
    """A spreadsheet's cell text that it shows, not runs: no formula start but a number."""
    assert not text.startswith(FORMULA_STARTS) or NUMBER.fullmatch(text), (where, text)


def check_csvs(folder: Path) -> int:
    cells = 0
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for r, row in enumerate(csv.reader(handle)):
                for text in row:
                    assert_shown_not_run(text, f"{path.name} row {r}")
                    cells += 1
    return cells


def check_workbook(path: Path) -> set[str]:
    """Every text cell shown not run, no formula mentioning a name; the texts seen."""
    texts: set[str] = set()
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert "cmd" not in str(cell.value) and "SUM(A1" not in str(cell.value)
                elif isinstance(cell.value, str):
                    assert_shown_not_run(cell.value, f"{sheet.title}!{cell.coordinate}")
                    texts.add(cell.value)
    return texts


def check_deck(path: Path) -> set[str]:
    """The deck's XML well formed and free of control characters, and the workbooks its
    native charts embed (PowerPoint's "Edit Data") free of formulas; their texts."""
    texts: set[str] = set()
    with zipfile.ZipFile(path) as deck:
        for member in deck.namelist():
            if member.endswith((".xml", ".rels")):
                data = deck.read(member)
                etree.fromstring(data)  # well formed: raises otherwise
                assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data), member
            elif member.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(deck.read(member)))
                for row in (r for sheet in book.worksheets for r in sheet.iter_rows()):
                    for cell in row:
                        assert cell.data_type != "f", (member, cell.coordinate, cell.value)
                        if isinstance(cell.value, str):
                            texts.add(cell.value)
    return texts


def check_html(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "</td><td>'" not in html
    assert "&lt;/td&gt;&lt;td&gt;&#39;" in html  # the wave, escaped


def test_the_spreadsheet_rule_prefixes_formulas_and_keeps_numbers() -> None:
    for text in (UNIT, *LAYERS[:3], "\tx", "\rx", "@x", "-x", "+1+1", "-1e5-1"):
        assert spreadsheet_text(text) == "'" + text
    for number in ("-1234.5", "-0.25", "-3", "1e-05", "-1.5e+20", "12", "2026-03"):
        assert spreadsheet_text(number) == number
    assert spreadsheet_text("Operations") == "Operations"


def test_the_xml_rule_replaces_what_xml_cannot_hold() -> None:
    assert xml_text("a\x1b[2Jb\x07c\td\n") == "a\ufffd[2Jb\ufffdc\td\n"
    assert xml_text(PROGRAMME) == PROGRAMME


def test_validate_accepts_hostile_but_valid_names_and_prints_them_as_text(
    tmp_path: Path,
) -> None:
    path = hostile_scenario(tmp_path)
    scenario = load_scenario(path)
    assert scenario.org.units[0].name == UNIT
    done = restructure("validate", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not TERMINAL_CONTROL.search(done.stdout + done.stderr)


def test_a_native_charts_workbook_holds_a_hostile_name_as_text(tmp_path: Path) -> None:
    """The run's native charts name only their own series; a chart of a hostile name
    (a layer's, a scenario's) keeps it as the chart's text, never a formula."""
    from pptx import Presentation

    from sim.report.board import NativeChart
    from sim.report.deck.native import native_chart

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    series = ((LAYERS[2], (1.0, 2.0), "#0072B2"), (UNIT, (3.0, 4.0), "#E69F00"))
    native_chart(slide, NativeChart("column", (LAYERS[0], "FY2026"), series, False, "x"), 0, 10**6)
    deck.save(str(tmp_path / "deck.pptx"))
    assert {LAYERS[0], LAYERS[2], UNIT} <= check_deck(tmp_path / "deck.pptx")


@pytest.mark.slow
def test_a_run_with_hostile_names_writes_every_output_as_text(tmp_path: Path) -> None:
    path = hostile_scenario(tmp_path)
    out = tmp_path / "out"
    done = restructure("run", str(path), "-o", str(out), "--report", *FAST, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert not TERMINAL_CONTROL.search(done.stdout + done.stderr)
    assert check_csvs(out) > 1000
    texts = check_workbook(out / "workbook.xlsx")
    assert "'" + UNIT in texts  # the name is there, as text
    check_deck(out / "deck.pptx")  # well formed, and no formula in a chart's workbook
    check_html(out / "report.html")
    # report re-renders the pack from the folder: the same checks hold
    (out / "report.html").unlink()
    (out / "deck.pptx").unlink()
    again = restructure("report", str(out), cwd=tmp_path)
    assert again.returncode == 0, again.stderr.decode()
    assert not TERMINAL_CONTROL.search(again.stdout + again.stderr)
    check_deck(out / "deck.pptx")
    check_html(out / "report.html")


@pytest.mark.slow
def test_a_comparison_of_hostile_names_writes_its_tables_as_text(tmp_path: Path) -> None:
    first = hostile_scenario(tmp_path, "hostile-a")
    second = hostile_scenario(tmp_path, "hostile-b")
    out = tmp_path / "cmp"
    done = restructure("compare", str(first), str(second), "-o", str(out), *FAST, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert not TERMINAL_CONTROL.search(done.stdout + done.stderr)
    assert check_csvs(out) > 0


ROSTER = [
    ("E1", "", UNIT, "300000", LAYERS[0]),
    ("E2", "E1", UNIT, "200000", LAYERS[1]),
    ("E3", "E1", UNIT, "200000", LAYERS[1]),
    *((f"E{n}", "E2" if n % 2 else "E3", UNIT, "120000", LAYERS[3]) for n in range(4, 24)),
]


def test_org_writes_hostile_roster_names_as_yaml_text_and_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = tmp_path / "people.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_id", "manager_id", "unit", "annual_cost", "grade"])
        writer.writerows(ROSTER)
    result = CliRunner().invoke(main, ["org", str(roster), "--no-chart", "-o", "s.yaml"])
    assert result.exit_code == 0, result.output
    scenario = load_scenario(tmp_path / "s.yaml")
    assert [u.name for u in scenario.org.units] == [UNIT]
    assert {layer.name for layer in scenario.org.units[0].layers} <= set(LAYERS)
    assert not TERMINAL_CONTROL.search(result.output.encode())


def test_org_writes_hostile_roster_roles_as_yaml_text_and_nothing_more(tmp_path: Path) -> None:
    """The roles of issue 23's role column: org -o wrote them by formatting strings, so
    '@SUM(A1:A9)' ended in a YAML traceback and a role could add keys of its own."""
    roster = tmp_path / "people.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_id", "manager_id", "unit", "annual_cost", "role", "soc"])
        writer.writerows(
            (*row[:4], ROLES[n % len(ROLES)], "15-1252") for n, row in enumerate(ROSTER)
        )
    done = restructure("org", str(roster), "--no-chart", "-o", "s.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert not TERMINAL_CONTROL.search(done.stdout + done.stderr)
    doc = YAML(typ="safe").load((tmp_path / "s.yaml").read_text(encoding="utf-8"))
    roles = doc["org"]["units"][0]["roles"]
    assert sorted(role["name"] for role in roles) == sorted(ROLES)
    assert all(set(role) == {"name", "share", "cost_per_head_annual", "soc"} for role in roles)
    scenario = load_scenario(tmp_path / "s.yaml")
    assert {role.name for role in scenario.org.units[0].roles} == set(ROLES)


def test_a_roster_file_name_cannot_add_a_section_to_the_scenario_org_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finding: a file name holding a line break and a finance: block."""
    monkeypatch.chdir(tmp_path)
    name = "r\nfinance:\n  value_per_item: 5\n#.csv"
    roster = tmp_path / name
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_id", "manager_id", "unit", "annual_cost"])
        writer.writerows(row[:4] for row in ROSTER)
    result = CliRunner().invoke(main, ["org", str(roster), "--no-chart", "-o", "s.yaml"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    doc = YAML(typ="safe").load(text)
    assert "finance" not in doc
    assert name in doc["meta"]["description"]  # the file name is data, whole
    assert all(line.startswith("#") for line in text.split("\n")[:6])
    assert load_scenario(tmp_path / "s.yaml").finance.value_per_item is None
    assert "\x1b" not in result.output and "\nfinance:" not in result.output


def test_new_refuses_a_name_that_would_add_a_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "ops\nfinance: {value_per_item: 5}", "-o", "s.yaml"])
    assert result.exit_code == 2
    assert "\\n" in result.output and "finance: {" in result.output.splitlines()[-1]
    assert not (tmp_path / "s.yaml").exists()
