"""The occupation prior: the Working with AI scores, shipped with their licence."""

from __future__ import annotations

import configparser
import csv
from pathlib import Path

from sim.scenario.occupations import (
    SCORES_FILE,
    nearest_codes,
    occupation,
    occupations,
    unknown_code_message,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "sim" / "scenario" / SCORES_FILE
SHARED = Path("/work/shared/data/working-with-ai/soc_ai_applicability_scores.csv")


def test_the_prior_holds_all_785_scored_occupations_as_published():
    rows = list(csv.DictReader(DATA.read_text(encoding="utf-8").splitlines()))
    assert len(occupations()) == len(rows) == 785
    first = rows[0]
    assert occupation(first["SOC Code"]).applicability == float(first["ai_applicability_score"])
    assert all(0 <= o.applicability <= 1 for o in occupations().values())
    if SHARED.exists():  # copied unchanged
        assert DATA.read_bytes() == SHARED.read_bytes()


def test_a_known_code_gives_its_title_and_score():
    keyers = occupation("43-9021")
    assert keyers is not None and keyers.title == "Data Entry Keyers"
    assert abs(keyers.applicability - 0.342) < 0.001


def test_an_unknown_code_gives_the_nearest_codes_of_its_group():
    assert occupation("43-9199") is None  # an "all other" code the authors could not score
    near = nearest_codes("43-9199")
    assert len(near) == 3 and all(o.code.startswith("43-9") for o in near)
    message = unknown_code_message("43-9199")
    assert "43-9199" in message and near[0].code in message and "nearest" in message


def test_a_malformed_code_says_what_a_code_looks_like():
    assert "like '43-9021'" in unknown_code_message("data entry")


def test_the_licence_and_notice_ship_with_the_data_and_are_credited():
    folder = DATA.parent
    assert "CC BY 4.0" in (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert "O*NET" in (folder / "NOTICE.md").read_text(encoding="utf-8")
    credit = (folder / "README.md").read_text(encoding="utf-8")
    assert "Tomlinson" in credit and "not replacement" in credit
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Working with AI" in readme and "CC BY 4.0" in readme
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert "data/working-with-ai/*" in config["options.package_data"]["sim.scenario"]
