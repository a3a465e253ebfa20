"""How every file of the report is written: whole or not at all, JSON and CSV alike.

An output folder is written into a temporary folder beside its target and
renamed into place at the end, so an interrupted run never leaves half a
report; an existing output is replaced only when the user says ``--force``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class OutputExistsError(Exception):
    """The output exists and ``--force`` was not given."""


def refuse_existing(target: Path, force: bool) -> None:
    """The one refusal of an existing output (a folder or a file) without ``--force``."""
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; pass --force to replace it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_folder(target: Path, force: bool) -> Iterator[Path]:
    """A temporary folder that becomes ``target`` only if the block completes; an
    existing ``target`` (with ``force``) is kept until the new one is in place."""
    refuse_existing(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; the report is for colleagues too
    try:
        yield staging
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            target.rename(old / target.name)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def json_text(data: Any) -> str:
    """JSON as every output writes it: indented, in insertion order, no NaN, a final newline."""
    return json.dumps(data, indent=2, sort_keys=False, allow_nan=False) + "\n"


def write_json(path: Path, data: Any) -> None:
    path.write_text(json_text(data), encoding="utf-8")


def cell(value: float | None) -> str:
    """A number in a CSV cell: exact (``repr``), empty for no value or a non-finite one."""
    return "" if value is None or not math.isfinite(value) else repr(float(value))


def write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    """A CSV table the same way everywhere (UTF-8, '\\n' line ends)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
