"""Occupations (SOC 2018) and their AI applicability scores: a prior for a role's exposure.

The scores are those of Tomlinson, Jaffe, Wang, Counts & Suri, "Working with
AI: Measuring the Applicability of Generative AI to Occupations" (2025, CC BY
4.0), shipped unchanged in ``sim/scenario/data/working-with-ai/`` with their
licence and notice: one score per detailed SOC 2018 code, 785 codes.

Applicability is not replacement: the authors warn that the scores do not
measure AI's ability to replace jobs. The simulator reads one only as how far
an AI programme's effects reach a role's work (``exposure: soc``), through a
stated mapping the scenario can override (``ai.soc_exposure``).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources

#: the data folder's file, and the citation every output that uses it gives
SCORES_FILE = "data/working-with-ai/soc_ai_applicability_scores.csv"
SOURCE = (
    "AI applicability: Tomlinson, Jaffe, Wang, Counts & Suri, 'Working with AI' (2025), "
    "CC BY 4.0; applicability is not replacement"
)
#: a detailed SOC 2018 code: two digits, a hyphen, four digits
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")


@dataclass(frozen=True)
class Occupation:
    code: str  # SOC 2018, e.g. '43-9021'
    title: str
    applicability: float  # 0..1 (the highest in the file is about 0.49)


@functools.cache
def occupations() -> dict[str, Occupation]:
    """Every scored occupation by its SOC code, in the file's order."""
    text = resources.files("sim.scenario").joinpath(SCORES_FILE).read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        row["SOC Code"]: Occupation(
            row["SOC Code"], row["title"], float(row["ai_applicability_score"])
        )
        for row in rows
    }


def occupation(code: str) -> Occupation | None:
    """The scored occupation with this SOC code, or None if the file has none."""
    return occupations().get(code.strip())


def nearest_codes(code: str, n: int = 3) -> list[Occupation]:
    """The ``n`` scored occupations nearest to ``code``: the longest shared leading digits
    (same major group, then minor, broad), then the closest number."""
    digits = re.sub(r"\D", "", code)
    value = int(digits) if digits else 0

    def distance(occ: Occupation) -> tuple[int, int]:
        other = occ.code.replace("-", "")
        shared = 0
        for a, b in zip(digits, other, strict=False):
            if a != b:
                break
            shared += 1
        return (-shared, abs(int(other) - value))

    return sorted(occupations().values(), key=distance)[:n]


def unknown_code_message(code: str) -> str:
    """Why ``code`` is refused, with the nearest scored codes."""
    near = ", ".join(f"{o.code} ({o.title})" for o in nearest_codes(code))
    if not SOC_CODE.match(code.strip()):
        return f"expected a SOC 2018 code like '43-9021', got {code!r}; nearest: {near}"
    return f"SOC code {code!r} has no AI applicability score; nearest: {near}"
