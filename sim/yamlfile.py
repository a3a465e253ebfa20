"""Read a YAML file into plain Python data, remembering where every value stood.

Validation errors must name the file, line and column of the value at fault, so
the loader keeps a map from each value's path (``("ai", "programs", 0)``) to its
1-based line and column. Dates stay strings (the schema parses them), aliases
are expanded under a budget (an alias bomb is an error, not a hang), and
duplicate keys are errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

#: a scenario is a page or two; anything past this is not one
MAX_FILE_BYTES = 2_000_000
#: values after alias expansion; a scenario has a few hundred
MAX_NODES = 200_000

Loc = tuple[str | int, ...]


class YamlFileError(Exception):
    """The file cannot be read as YAML; ``line``/``column`` are 1-based where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Document:
    """Plain data from a YAML file, with the position of each value and key."""

    data: Any
    value_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where the value (or key) at ``loc`` stands, else its nearest ancestor."""
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while loc:
            if loc in self.value_positions:
                return self.value_positions[loc]
            if loc in self.key_positions:
                return self.key_positions[loc]
            loc = loc[:-1]
        return self.value_positions.get((), (1, 1))


def read_text(path: Path) -> str:
    """The file's text; size, encoding and binary content are checked first."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise YamlFileError(f"cannot read the file: {err.strerror or err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlFileError(
            f"file is {len(raw):,} bytes; a scenario is at most {MAX_FILE_BYTES:,} bytes"
        )
    if b"\x00" in raw:
        raise YamlFileError("file is binary, not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlFileError("file is not UTF-8 text", line=line) from None


def load(text: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`YamlFileError`."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        root = yaml.load(text)
    except DuplicateKeyError as err:
        mark = err.problem_mark
        key = str(err.problem).split('"')[1] if '"' in str(err.problem) else "?"
        raise YamlFileError(
            f"duplicate key {key!r}: each key may appear once in a mapping",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        raise YamlFileError(
            f"YAML syntax error: {problem}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except (YAMLError, RecursionError, ValueError) as err:
        raise YamlFileError(f"YAML syntax error: {str(err).splitlines()[0]}") from None
    doc = Document(data=None, value_positions={(): (1, 1)})
    doc.data = _Walker(doc).plain(root, (), ())
    return doc


class _Walker:
    """Turns ruamel's round-trip nodes into plain data, recording positions."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.nodes = 0

    def plain(self, node: Any, loc: Loc, open_nodes: tuple[int, ...]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlFileError(
                f"file expands to more than {MAX_NODES:,} values (an alias bomb?); "
                "a scenario has a few hundred"
            )
        if isinstance(node, CommentedMap | CommentedSeq):
            if id(node) in open_nodes:
                raise YamlFileError("an alias refers to itself (recursive YAML)")
            open_nodes = (*open_nodes, id(node))
        if isinstance(node, CommentedMap):
            return self._mapping(node, loc, open_nodes)
        if isinstance(node, CommentedSeq):
            items = []
            for i, item in enumerate(node):
                self._record(node.lc.item(i), (*loc, i), self.doc.value_positions)
                items.append(self.plain(item, (*loc, i), open_nodes))
            return items
        return _scalar(node)

    def _mapping(self, node: CommentedMap, loc: Loc, open_nodes: tuple[int, ...]) -> dict:
        out: dict[str, Any] = {}
        for key in node:
            child = (*loc, str(key))
            try:
                self._record(node.lc.key(key), child, self.doc.key_positions)
                self._record(node.lc.value(key), child, self.doc.value_positions)
            except (KeyError, TypeError):  # keys brought in by a merge (<<) have no mark
                pass
            out[str(key)] = self.plain(node[key], child, open_nodes)
        return out

    @staticmethod
    def _record(mark: Any, loc: Loc, into: dict[Loc, tuple[int, int]]) -> None:
        if mark is not None and loc not in into:
            into[loc] = (mark[0] + 1, mark[1] + 1)


def _scalar(node: Any) -> Any:
    if node is None or isinstance(node, bool):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime | dt.date):
        return node.isoformat()
    if isinstance(node, str):
        return str(node)
    return str(node)
