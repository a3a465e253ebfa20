"""Read a file a user names, whole, but only a regular file and only up to a size.

A scenario or a roster is read into memory before it is parsed, so the reader
must not be the thing that hangs or runs out of memory: a FIFO with no writer
blocks ``open`` for ever, ``/dev/zero`` never ends, and a 200 MB file named by
mistake is read whole before the parser says it is not a scenario. Each is
refused here in one line, from the file's metadata, before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class InputFileError(Exception):
    """The file cannot be read as input; ``reason`` says why in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: Path, max_bytes: int, what: str) -> bytes:
    """The bytes of the regular file ``path``; raise :class:`InputFileError` if it is
    anything else or holds more than ``max_bytes`` (``what`` names it: "a scenario")."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting;
        # it changes nothing for the regular file that is all this reads
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise InputFileError(err.strerror or str(err)) from None
    except ValueError as err:  # a path no file can have (a NUL byte)
        raise InputFileError(str(err)) from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):  # before fdopen, which refuses a folder itself
        os.close(descriptor)
        raise InputFileError(f"it is {_kind(info.st_mode)}; {what} is read from a file")
    with os.fdopen(descriptor, "rb") as handle:
        too_big = f"{what} is at most {max_bytes:,} bytes"
        if info.st_size > max_bytes:
            raise InputFileError(f"the file is {info.st_size:,} bytes; {too_big}")
        try:
            data = handle.read(max_bytes + 1)  # +1: a file that grew since it was measured
        except OSError as err:
            raise InputFileError(err.strerror or str(err)) from None
    if len(data) > max_bytes:
        raise InputFileError(f"the file is over {max_bytes:,} bytes; {too_big}")
    return data
