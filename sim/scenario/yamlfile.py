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
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

#: the largest shipped scenario is 18 kB; past this a file is not a scenario (and the
#: pure-Python YAML parser would take over a second to say so)
MAX_FILE_BYTES = 100_000
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
            f"file is {len(raw):,} bytes; a scenario is at most {MAX_FILE_BYTES:,} bytes", 1, 1
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlFileError("file is binary, not YAML text", line, 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlFileError("file is not UTF-8 text", line=line) from None


class _Constructor(RoundTripConstructor):
    """Round-trip construction, but dates stay text: the schema parses (and reports) them."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def _mark(err: MarkedYAMLError) -> tuple[int | None, int | None]:
    mark = err.problem_mark or err.context_mark
    return (mark.line + 1, mark.column + 1) if mark else (None, None)


def load(text: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`YamlFileError`."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    constructor, parser = yaml.get_constructor_parser(text)
    try:
        node = constructor.composer.get_single_node()
        if node is not None:
            _check_graph(node)
        root = constructor.construct_document(node) if node is not None else None
    except DuplicateKeyError as err:
        problem = str(err.problem)
        key = problem.split('"')[1] if '"' in problem else "?"
        raise YamlFileError(
            f"duplicate key {key!r}: each key may appear once in a mapping", *_mark(err)
        ) from None
    except MarkedYAMLError as err:
        problem = err.problem or err.context or "invalid YAML"
        opened = ""
        context, problem_mark = err.context_mark, err.problem_mark
        if err.context and context and problem_mark and context.line != problem_mark.line:
            opened = f" ({err.context} on line {context.line + 1})"
        line, column = _mark(err)
        raise YamlFileError(f"YAML syntax error: {problem}{opened}", line, column) from None
    except (YAMLError, RecursionError, ValueError) as err:
        raise YamlFileError(f"YAML syntax error: {str(err).splitlines()[0]}", 1, 1) from None
    finally:
        parser.dispose()
    doc = Document(data=None, value_positions={(): (1, 1)})
    doc.data = _Walker(doc).plain(root, (), ())
    return doc


def _check_graph(root: Node) -> None:
    """Refuse recursive aliases and alias bombs before anything is built.

    The size a node expands to is counted once per node (memoised), so a
    billion-laughs file is measured in linear time, never expanded.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def recursive(at: Node) -> None:
        raise YamlFileError(
            "an alias refers to itself or to a value containing it (recursive YAML)",
            at.start_mark.line + 1,
            at.start_mark.column + 1,
        )

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            recursive(node)
        open_nodes.add(key)
        total = 1
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if id(v) in open_nodes:  # report the key whose value is the alias
                    recursive(k)
                total += size(k) + size(v)
        elif isinstance(node, SequenceNode):
            total += sum(size(v) for v in node.value)
        open_nodes.discard(key)
        if total > MAX_NODES:
            raise YamlFileError(
                f"this value expands to more than {MAX_NODES:,} values through aliases "
                "(an alias bomb?); a scenario has a few hundred",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        sizes[key] = total
        return total

    size(root)


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
