"""How every file of the report is written: whole or not at all, JSON and CSV alike.

An output folder is written into a temporary folder beside its target and
renamed into place at the end, so an interrupted run never leaves half a
report; an existing output is replaced only when the user says ``--force``, only
if this tool wrote it (its marker file), and only once the new one is whole. A
lock beside the target refuses a second run writing it at the same time. What a
run killed outright (SIGKILL, a power cut) leaves beside the target is mended by
the next writer: the old output put back if it was renamed aside, stale
temporary folders removed.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sim import _signals
from sim.report.escape import spreadsheet_text


class OutputExistsError(Exception):
    """The output exists and ``--force`` was not given."""


def refuse_existing(target: Path, force: bool) -> None:
    """The one refusal of an existing output (a folder or a file) without ``--force``,
    and of a folder this tool did not write even with it (checked again when writing)."""
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; pass --force to replace it")
    if not force and not target.exists() and _leftovers(target)[0]:
        raise OutputExistsError(
            f"{target} exists, set aside by a run killed while replacing it (the next "
            "writer puts it back); pass --force to replace it"
        )
    if target.is_dir():
        _check_replaceable(target, force)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: written first into every folder this tool writes: what ``--force`` looks for before
#: it replaces a folder, so it never deletes one the user made
MARKER = ".restructure-output"
#: what the marker says (no date: the folder's bytes depend only on the run)
MARKER_TEXT = "written by restructure-sim; --force may replace this folder\n"


def written_by_us(folder: Path) -> bool:
    """Whether ``folder`` is one this tool wrote: its marker, or (before markers) a
    summary.json of a run."""
    if (folder / MARKER).is_file():
        return True
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(summary, dict) and {"seed", "version", "scenario"} <= summary.keys()


def _check_replaceable(target: Path, force: bool) -> None:
    if not target.exists() and not target.is_symlink():
        return
    if not force:
        raise OutputExistsError(f"{target} exists; pass --force to replace it")
    if target.is_symlink() or not target.is_dir():
        raise OutputExistsError(
            f"{target} is not a folder; --force replaces only an output folder this tool wrote"
        )
    if not written_by_us(target):
        raise OutputExistsError(
            f"{target} is not an output folder this tool wrote (no {MARKER} in it); --force "
            "replaces only those: move it away or choose another -o"
        )


#: outputs whose lock a command of this process holds (from before it simulates)
_HELD: set[Path] = set()
#: outputs an atomic_folder of this process is writing
_WRITING: set[Path] = set()


def _busy(target: Path) -> OutputExistsError:
    return OutputExistsError(
        f"{target} is being written by another run right now; wait for it to finish or "
        "choose another -o"
    )


@contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """Held by a command from before it simulates until its output is in place, so a
    second run to the same ``-o`` is refused at once (not left to replace the first's
    output when it finishes); :func:`atomic_folder` inside it writes under it."""
    key = target.absolute()
    with _lock(target):
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)


@contextmanager
def _lock(target: Path) -> Iterator[None]:
    """Only one writer of ``target`` at a time: the others are refused in one line.

    An advisory lock on a file beside the target; the system drops it when its
    process dies, so a killed run never leaves ``target`` locked.
    """
    key = target.absolute()
    made = [folder for folder in (key.parent, *key.parent.parents) if not folder.exists()]
    key.parent.mkdir(parents=True, exist_ok=True)
    path = target.parent / f".{target.name}.lock"
    while True:
        handle = open(path, "a+b")  # noqa: SIM115 - held for the whole block
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise _busy(target) from None
        try:  # the file locked must still be the one at the path: its last holder
            same = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino  # unlinks it
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        handle.close()
        for folder in made:  # a run refused before it wrote leaves no empty folder
            try:
                folder.rmdir()
            except OSError:
                break


def _leftovers(target: Path) -> tuple[list[Path], list[Path]]:
    """Folders beside ``target`` that runs killed outright left: outputs renamed aside
    (``.NAME.old.XXXXXXXX/NAME``) and temporary folders (``.NAME.XXXXXXXX``), ours only."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(old\.)?[a-z0-9_]{{8}}")
    asides: list[Path] = []
    stale: list[Path] = []
    if not target.parent.is_dir():
        return asides, stale
    for path in target.parent.iterdir():
        match = pattern.fullmatch(path.name)
        if match is None or path.is_symlink() or not path.is_dir():
            continue
        if match.group(1) and written_by_us(path / target.name):
            asides.append(path)
        elif not match.group(1) and (path / MARKER).is_file():
            stale.append(path)
    return asides, stale


def _recover(target: Path) -> None:
    """Mend what a run killed between its renames left beside ``target`` (call under
    the lock: then no other run is writing it, and every such folder is stale).

    A previous output renamed aside (``.NAME.old.XXXXXXXX/NAME``) goes back in place
    if ``target`` is missing, else is deleted; a temporary folder being written
    (``.NAME.XXXXXXXX``) is deleted. Only folders with this tool's marker are touched.
    """
    asides, stale = _leftovers(target)
    if asides and not target.exists() and not target.is_symlink():
        newest = max(asides, key=lambda p: p.stat().st_mtime)
        (newest / target.name).rename(target)
    for path in asides + stale:
        shutil.rmtree(path, ignore_errors=True)


def _swap_in(staging: Path, target: Path) -> None:
    """Rename the old folder aside, the new one in, then delete the old: at every
    moment one of them is whole under its own name."""
    if not target.exists():
        staging.rename(target)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    old = aside / target.name
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@contextmanager
def _writing(key: Path) -> Iterator[None]:
    _WRITING.add(key)
    try:
        yield
    finally:
        _WRITING.discard(key)


@contextmanager
def atomic_folder(target: Path, force: bool) -> Iterator[Path]:
    """A temporary folder that becomes ``target`` only if the block completes.

    ``force`` replaces only a folder this tool wrote, and only once the new one is
    whole; two runs writing the same ``target`` at once: the second is refused.
    """
    _check_replaceable(target, force)
    key = target.absolute()
    if key in _WRITING:
        raise _busy(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with nullcontext() if key in _HELD else _lock(target), _writing(key):
        _recover(target)
        _check_replaceable(target, force)  # again: another run may have written it meanwhile
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; the report is for colleagues too
        _STAGING.add(staging.absolute())
        try:
            (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            yield staging
            with _signals.deferred():  # a signal here comes after the swap and its note
                _swap_in(staging, target)
                _STAGING.discard(staging.absolute())
                _finished(target)
        except BaseException:
            if staging.absolute() in _STAGING:  # not swapped in
                shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            _STAGING.discard(staging.absolute())


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place:
    ``path`` is the old file or the new one, never a part (a full disk, Ctrl-C)."""
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        temporary.chmod(0o666 & ~_umask())  # mkstemp makes 0600; the file is for colleagues
        replace_into([(temporary, path)])
    finally:
        temporary.unlink(missing_ok=True)
    return path


def replace_into(moves: Iterable[tuple[Path, Path]]) -> None:
    """Rename each whole temporary file onto its path, together: Ctrl-C or SIGTERM
    waits until every one is in place, and what the tool then says names them."""
    with _signals.deferred():
        for temporary, path in moves:
            os.replace(temporary, path)
            _finished(path)


#: temporary folders being written now: what is written inside one is not an output yet
_STAGING: set[Path] = set()


def _finished(path: Path) -> None:
    """Note ``path`` as an output this command finished, unless it lies in a folder
    still being written (a chart drawn into a run's temporary folder)."""
    whole = path.absolute()
    if not any(whole.is_relative_to(folder) for folder in _STAGING):
        _signals.written.append(path)


def json_text(data: Any) -> str:
    """JSON as every output writes it: indented, in insertion order, no NaN, a final newline."""
    return json.dumps(data, indent=2, sort_keys=False, allow_nan=False) + "\n"


def write_json(path: Path, data: Any) -> None:
    path.write_text(json_text(data), encoding="utf-8")


def cell(value: float | None) -> str:
    """A number in a CSV cell: exact (``repr``), empty for no value or a non-finite one."""
    return "" if value is None or not math.isfinite(value) else repr(float(value))


def write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    """A CSV table the same way everywhere (UTF-8, '\\n' line ends), every text cell
    one a spreadsheet shows rather than runs (:func:`spreadsheet_text`)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([_safe(name) for name in header])
        writer.writerows([_safe(text) for text in row] for row in rows)


def _safe(value: object) -> object:
    return spreadsheet_text(value) if isinstance(value, str) else value


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
