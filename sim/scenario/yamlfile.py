"""Read a YAML file into plain Python data, remembering where every value stood.

Validation errors must name the file, line and column of the value at fault, so
the loader keeps a map from each value's path (``("ai", "programs", 0)``) to its
1-based line and column. Dates stay strings (the schema parses them), aliases
are expanded under a budget (an alias bomb is an error, not a hang), and
duplicate keys are errors.

Everything the parser is not built for is refused before or around it, with a
line and column: characters YAML forbids, directives (``%YAML``, ``%TAG``), tags
(``!!bool maybe``, ``!custom``), keys that are not text, and nesting past
:data:`MAX_DEPTH`. Whatever ruamel still raises is caught as a syntax error at
the place it was reading, so no file can reach the user as a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sim.scenario.inputfile import InputFileError, read_limited
from sim.scenario.names import character_name

#: the largest shipped scenario is 18 kB; past this a file is not a scenario (and the
#: pure-Python YAML parser would take over a second to say so)
MAX_FILE_BYTES = 100_000
#: values after alias expansion; a scenario has a few hundred
MAX_NODES = 200_000
#: levels of nesting; a scenario nests six (work[0].seasonality[3] is four), and past
#: a few hundred the parser and pydantic run out of Python's recursion limit
MAX_DEPTH = 50

#: what YAML 1.2 forbids in a stream (its c-printable set, complemented): C0 and C1
#: control characters but tab, LF, CR and NEL, surrogates, and U+FFFE/U+FFFF
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_DIRECTIVE = re.compile(r"^%.*$", re.MULTILINE)
#: the one directive a scenario may carry: it says what the parser assumes anyway
_YAML_12 = re.compile(r"^%YAML[ \t]+1\.2([ \t]+#.*|[ \t]*)$", re.MULTILINE)
#: tabs after the last character of a line: legal YAML that ruamel's scanner refuses
_TRAILING_TABS = re.compile(r"[ \t]*\t[ \t]*$", re.MULTILINE)
_MAP, _SEQ, _STR = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str")

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
    """The file's text; type, size, encoding and binary content are checked first."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES, "a scenario")
    except InputFileError as err:
        raise YamlFileError(f"cannot read the file: {err.reason}", 1, 1) from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlFileError("file is binary, not YAML text", line, 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        column = len(raw[line_start : err.start].decode("utf-8", errors="replace")) + 1
        raise YamlFileError(
            f"file is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8",
            line,
            column,
        ) from None


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_text(text: str) -> None:
    """Characters YAML forbids, and directives (which ruamel mishandles), with a place."""
    if bad := _FORBIDDEN.search(text):
        raise YamlFileError(
            f"{character_name(bad.group())} is not allowed in a YAML file; delete it "
            "(a control character, often pasted in by accident)",
            *_position(text, bad.start()),
        )
    for directive in _DIRECTIVE.finditer(text):
        if not _YAML_12.match(directive.group()):
            raise YamlFileError(
                "YAML directives other than %YAML 1.2 (such as %YAML 1.1 and %TAG) are not "
                "part of the scenario format; delete this line",
                *_position(text, directive.start()),
            )
    _check_flow_depth(text)


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _check_flow_depth(text: str) -> None:
    """Refuse brackets nested past :data:`MAX_DEPTH` before the parser sees them: ruamel
    takes seconds on a few thousand ``[`` before it runs out of recursion.

    A rough scan (quotes that open a value, comments), enough for a guard: a file it
    misreads still reaches the parser, which refuses deep nesting too, only slower.
    """
    depth = 0
    quote = ""
    previous = "\n"
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char == "#" and previous in " \t\n":
            index = text.find("\n", index)
            if index < 0:
                return
            char = "\n"
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlFileError(
                    f"values nested more than {MAX_DEPTH} levels deep; a scenario nests about six",
                    *_position(text, index),
                )
        elif char in "]}":
            depth = max(depth - 1, 0)
        previous = char
        index += 1


class _Constructor(RoundTripConstructor):
    """Round-trip construction, but dates stay text: the schema parses (and reports) them."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def _mark(err: MarkedYAMLError) -> tuple[int | None, int | None]:
    mark = err.problem_mark or err.context_mark
    return (mark.line + 1, mark.column + 1) if mark else (None, None)


def load(text: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`YamlFileError`."""
    _check_text(text)
    # a tab after a value is separation space in YAML, and %YAML 1.2 says what the
    # parser assumes (ruamel's parser, driven as here, fails on it): spaces read the
    # same and keep every line and column where it was
    text = _TRAILING_TABS.sub(_spaces, text)
    text = _YAML_12.sub(_spaces, text)
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    constructor, parser = yaml.get_constructor_parser(text)
    try:
        node = constructor.composer.get_single_node()
        if node is not None:
            _check_graph(node, yaml.resolver)
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
        raise YamlFileError(
            f"YAML syntax error: {problem}{opened}{_tab_hint(text, line, column)}", line, column
        ) from None
    except RecursionError:
        raise YamlFileError(
            f"values nested too deeply; a scenario nests at most {MAX_DEPTH} levels",
            *_reading(yaml),
        ) from None
    except YamlFileError:
        raise
    except Exception as err:
        first = (str(err).splitlines() or [type(err).__name__])[0]
        raise YamlFileError(
            f"YAML syntax error: cannot read the file here ({first})", *_reading(yaml)
        ) from None
    finally:
        parser.dispose()
    doc = Document(data=None, value_positions={(): (1, 1)})
    doc.data = _Walker(doc).plain(root, (), ())
    return doc


def _reading(yaml: YAML) -> tuple[int, int]:
    """Where the parser was reading (1-based) when it gave up."""
    reader = getattr(yaml, "reader", None)
    if reader is None:
        return 1, 1
    return reader.line + 1, reader.column + 1


def _tab_hint(text: str, line: int | None, column: int | None) -> str:
    """Name a tab near the place of a syntax error: the parser only says it found '\\t'."""
    if line is None:
        return ""
    lines = text.split("\n")
    near = lines[line - 1] if line <= len(lines) else ""
    if "\t" not in near and (line < 2 or "\t" not in lines[line - 2]):
        return ""
    return "; a tab character is on or before this line: YAML indents with spaces, not tabs"


def _where(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_tag(node: Node, resolver: Any) -> None:
    """Refuse explicit tags: a scenario has none, and ruamel fails on some (!!bool maybe)."""
    if isinstance(node, ScalarNode):
        implicit = (True, False) if node.style is None else (False, True)
        expected = resolver.resolve(ScalarNode, node.value, implicit)
    else:
        expected = _MAP if isinstance(node, MappingNode) else _SEQ
    tag = str(getattr(node.tag, "value", node.tag))
    quoted = getattr(node, "style", None) is not None
    if tag != expected and not (tag == _STR and quoted):
        raise YamlFileError(
            f"YAML tags such as {tag.replace('tag:yaml.org,2002:', '!!')} are not part of the "
            "scenario format; write the value without it (quote text)",
            *_where(node),
        )


def _check_graph(root: Node, resolver: Any) -> None:
    """Refuse recursive aliases, alias bombs, tags, non-text keys and deep nesting
    before anything is built.

    The size a node expands to is counted once per node (memoised), so a
    billion-laughs file is measured in linear time, never expanded.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def recursive(at: Node) -> None:
        raise YamlFileError(
            "an alias refers to itself or to a value containing it (recursive YAML)", *_where(at)
        )

    def size(node: Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            recursive(node)
        if depth > MAX_DEPTH:
            raise YamlFileError(
                f"values nested more than {MAX_DEPTH} levels deep; a scenario nests about six",
                *_where(node),
            )
        _check_tag(node, resolver)
        open_nodes.add(key)
        total = 1
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if id(v) in open_nodes:  # report the key whose value is the alias
                    recursive(k)
                if not isinstance(k, ScalarNode):
                    raise YamlFileError(
                        "a key must be plain text, not a list or a mapping", *_where(k)
                    )
                total += size(k, depth + 1) + size(v, depth + 1)
        elif isinstance(node, SequenceNode):
            total += sum(size(v, depth + 1) for v in node.value)
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

    size(root, 0)


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


# ------------------------------------------------------------------ writing


def round_trip() -> YAML:
    """The YAML library as the tool writes a scenario with it: comments and quotes kept
    where they were, two-space indents, long lines left whole."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(type(None), _null)
    return yaml


def _null(representer: Any, value: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def dump_text(doc: Any) -> str:
    """A document loaded by :func:`round_trip` (and changed as data) as YAML text."""
    out = io.StringIO()
    round_trip().dump(doc, out)
    return out.getvalue()
