"""What a name may hold: the names a scenario or a roster declares (units, layers,
roles, programmes, waves) reach tables, workbooks, decks and the terminal, so a
character that would act there instead of showing is refused where it is read."""

from __future__ import annotations

import unicodedata

#: bidirectional embeddings, overrides and isolates: they reorder the text around
#: them on screen ("Trojan source"); the plain marks U+200E/U+200F are kept
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Unicode categories of characters that act rather than show: controls (C0, C1,
#: DEL), and line and paragraph separators
_ACTING = frozenset({"Cc", "Zl", "Zp"})


def character_name(char: str) -> str:
    """A character as a person can read it: U+0007 (BELL), '\\t' (a tab)."""
    if char == "\t":
        return "a tab"
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "a control character")
    return f"U+{ord(char):04X} ({name})"


_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0A: "LINE FEED",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a name (the first character that would act, and where),
    or None."""
    for at, char in enumerate(name, start=1):
        if unicodedata.category(char) in _ACTING or char in _BIDI_CONTROLS:
            return (
                f"{character_name(char)} at character {at} of the name is not allowed "
                "(a control character or line break, often pasted in by accident)"
            )
    return None


def check_name(name: str) -> str:
    """``name``, or ValueError with :func:`name_problem`'s reason (for pydantic)."""
    if problem := name_problem(name):
        raise ValueError(problem)
    return name


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on escaped (``\\x07``,
    ``\\u2028``), so that a line printed is one line and shows what is in it."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
