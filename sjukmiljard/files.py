"""Files as the program writes them: atomically, readable by colleagues, never over a locked one."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError, os_reason

MAX_ALTERNATIVES = 9


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def archive(previous: Path) -> Path | None:
    """Keep a previous result under a name dated by its modification time; None if it is locked."""
    stamp = dt.datetime.fromtimestamp(previous.stat().st_mtime).strftime("%Y-%m-%d %H.%M.%S")
    for candidate in _candidates(previous.with_name(f"{previous.stem} {stamp}{previous.suffix}")):
        if candidate.exists():
            continue
        try:
            os.replace(previous, candidate)
        except PermissionError:
            return None
        return candidate
    return None


def write_atomically(data: bytes, target: Path) -> Path:
    """Write to a temporary file in the target folder, then move it into place.

    When the target is locked (open in Excel), use "<name> (2).xlsx", "(3)" … instead.
    Returns the path written.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = _create_temporary(target.parent)
    except OSError as error:
        raise OutputError(f"kan inte skriva i mappen {target.parent}: {os_reason(error)}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        for candidate in _candidates(target):
            try:
                os.replace(temp, candidate)
                return candidate
            except PermissionError:
                continue
        raise OutputError(f"{target.name} och alternativen till den är låsta – stäng filerna i Excel")
    except OSError as error:
        if isinstance(error, OutputError):
            raise
        raise OutputError(f"kunde inte skriva {target}: {os_reason(error)}") from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _create_temporary(folder: Path) -> tuple[int, Path]:
    """A new file for the result, created as any file is (mode 0666 less the umask).

    tempfile.mkstemp makes files only its owner can read; a result on a shared folder must be
    readable by colleagues, as the run log beside it is.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temp = folder / f".~sjukmiljard-{secrets.token_hex(8)}.tmp"
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(folder))


def _candidates(target: Path) -> Iterable[Path]:
    yield target
    for n in range(2, MAX_ALTERNATIVES + 1):
        yield target.with_name(f"{target.stem} ({n}){target.suffix}")
