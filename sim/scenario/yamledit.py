"""A scenario file with some values changed, edited through the YAML library.

The file is read with ruamel's round-trip loader and written back with its comments,
its key order and its layout; each changed value carries a comment saying where it
came from (on its own line when it sits in a block mapping; a flow mapping such as
``{unit: Ops, share: 0.1}`` keeps its one line, and the file's header says it). A
list item may be dropped (a programme switched off).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from sim.scenario.fieldpaths import FieldPath, path_text

#: the value that drops a list item
DROP = object()


def edited(
    text: str,
    changes: Mapping[FieldPath, Any],
    notes: Mapping[FieldPath, str],
    header: Sequence[str] = (),
) -> str:
    """``text`` with the value at each path set (or, for DROP, its list item removed),
    each change commented with its note, and ``header`` lines as the file's first comment.

    A key the file leaves to its default is added. Raises ValueError for a path the
    file does not hold (a unit derived from a roster, say)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)  # as the shipped scenarios write lists
    root = yaml.load(text)
    dropped = [p for p, v in changes.items() if v is DROP]
    for path, value in changes.items():
        if value is DROP:
            continue
        parent = _parent(root, path)
        key = path[-1]
        parent[key] = value
        note = notes.get(path)
        if note and isinstance(parent, CommentedMap) and not parent.fa.flow_style():
            parent.yaml_add_eol_comment(note, key)
    for path in sorted(dropped, key=lambda p: p[-1], reverse=True):
        parent = _parent(root, path)
        if not isinstance(parent, CommentedSeq) or not isinstance(path[-1], int):
            raise ValueError(f"{path_text(path)} is not a list item of the file")
        del parent[path[-1]]
    out = io.StringIO()
    yaml.dump(root, out)
    lines = [f"# {line}" if line else "#" for line in header]
    return "".join(f"{line}\n" for line in (*lines, *("#" for _ in lines[:1]))) + out.getvalue()


def _parent(root: Any, path: FieldPath) -> Any:
    node = root
    for depth, part in enumerate(path[:-1]):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            if isinstance(part, str) and isinstance(node, CommentedMap):
                node[part] = CommentedMap()  # a section the file leaves to its defaults
                node = node[part]
                continue
            raise ValueError(
                f"{path_text(path)}: the file has no {path_text(path[: depth + 1])}"
            ) from None
    return node
