"""The commented starter scenario that ``restructure new`` writes."""

from __future__ import annotations

from importlib import resources
from typing import Any

from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sim.scenario import yamlfile


def starter_scenario(name: str) -> str:
    """The starter scenario's text with ``name`` set as its meta.name.

    The name is set as data and the text dumped by the YAML library (never pasted into
    the text), so no name can add a line to the file.
    """
    template = resources.files("sim.scenario").joinpath("templates/starter.yaml").read_text("utf-8")
    doc: Any = yamlfile.round_trip().load(template.replace("{name}", '""'))
    doc["meta"]["name"] = DoubleQuotedScalarString(name)
    return yamlfile.dump_text(doc)
