"""The commented starter scenario that ``restructure new`` writes."""

from __future__ import annotations

import json
from importlib import resources


def starter_scenario(name: str) -> str:
    """The starter scenario's text with ``name`` filled in (quoted for YAML)."""
    template = resources.files("sim.scenario").joinpath("templates/starter.yaml").read_text("utf-8")
    return template.replace("{name}", json.dumps(name))
