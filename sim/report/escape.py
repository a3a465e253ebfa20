"""Text made safe for each kind of output, one function a kind.

Names are refused at the edge when they hold a control character (see
:mod:`sim.scenario.names`), but valid names still reach outputs that read some
text as instructions, and file names and run folders written elsewhere were never
checked: a spreadsheet runs a cell that starts with ``=``; the XML of a deck
cannot hold most control characters at all; a terminal acts on escape codes.

- CSV and workbook cells: :func:`spreadsheet_text` (OWASP's formula-injection rule);
- the deck's XML: :func:`xml_text`;
- the terminal: :func:`sim.scenario.names.printable` (here as :func:`terminal_text`);
- HTML: Jinja's autoescape (``report/html.py``);
- YAML: written by the YAML library, never by formatting strings.
"""

from __future__ import annotations

import re

from sim.scenario.names import printable as terminal_text

__all__ = ["read_spreadsheet_text", "spreadsheet_text", "terminal_text", "xml_text"]

#: what a spreadsheet reads as the start of a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: a plain number as the tables write it (``repr`` of a float): it stays a number
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
#: what XML 1.0 cannot hold (C0 controls but tab, LF, CR; surrogates; U+FFFE/U+FFFF),
#: and the C1 controls and DEL, which it can hold but no reader shows
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def spreadsheet_text(text: str) -> str:
    """A cell's text that a spreadsheet shows rather than runs: a leading ``'`` when it
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, unless it is a
    plain number (``-1234.5`` stays a number)."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def read_spreadsheet_text(text: str) -> str:
    """A cell as :func:`spreadsheet_text` wrote it, read back: its leading ``'`` gone."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
