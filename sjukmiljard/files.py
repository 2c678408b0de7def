"""Files as the program writes them: atomically, readable by colleagues, never over a locked one."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OutputError, os_reason

MAX_ALTERNATIVES = 9
LOCK_WAIT_SECONDS = 120.0  # a run writes one result in well under a second; eight at once wait a few
LOCK_POLL_SECONDS = 0.05


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dated_name(previous: Path) -> Path | None:
    """The name a previous result is kept under, dated by its modification time; None when that
    name and its alternatives are all taken."""
    stamp = dt.datetime.fromtimestamp(previous.stat().st_mtime).strftime("%Y-%m-%d %H.%M.%S")
    for candidate in _candidates(previous.with_name(f"{previous.stem} {stamp}{previous.suffix}")):
        if not candidate.exists():
            return candidate
    return None


def keep_copy(previous: Path, kept: Path) -> None:
    """Make `kept` a copy of `previous`, which stays in place: a hard link where the file system
    has them, else a complete copy (its time kept) linked in under the name. Never overwrites.

    Raises:
        OSError: nothing is left under `kept` then.
    """
    try:
        os.link(previous, kept, follow_symlinks=False)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links here (FAT, some network shares): copy
    handle, temp = _create_temporary(kept.parent)
    try:
        with os.fdopen(handle, "wb") as stream, previous.open("rb") as source:
            shutil.copyfileobj(source, stream)
            stream.flush()
            os.fsync(stream.fileno())
        shutil.copystat(previous, temp)
        if kept.exists():  # the run holds the result's lock: no other run names a copy meanwhile
            raise FileExistsError(errno.EEXIST, "the kept name is taken", str(kept))
        os.rename(temp, kept)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


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


def lock_name(target: Path) -> Path:
    """The file a run holds locked while it works on `target` (hidden: folder scans skip it)."""
    return target.with_name(f".~sjukmiljard-{target.name}.lock")


@contextlib.contextmanager
def result_lock(target: Path, *, timeout: float | None = None) -> Iterator[bool]:
    """Hold the lock on one result while a run reads, keeps and replaces it; yields whether the run
    had to wait for another one first.

    The operating system holds the lock (flock, msvcrt.locking) and drops it when the process ends,
    however it ends: a file left behind by a kill locks nothing. The file is removed on release;
    a run that locked a file removed meanwhile tries again on the one now under the name.

    Raises:
        OutputError: when another run still holds it after `timeout` seconds (default
            LOCK_WAIT_SECONDS).
    """
    timeout = LOCK_WAIT_SECONDS if timeout is None else timeout
    path = lock_name(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"kan inte skriva i mappen {target.parent}: {os_reason(error)}") from error
    deadline = time.monotonic() + timeout
    waited = False
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOINHERIT", 0)
    while True:
        try:
            fd = os.open(path, flags, 0o666)
        except OSError as error:
            raise OutputError(f"kan inte skriva i mappen {target.parent}: {os_reason(error)}") from error
        if _try_lock(fd) and _still_named(fd, path):
            break
        _release(fd, path, remove=False)
        waited = True
        if time.monotonic() > deadline:
            raise OutputError(
                f"{target.name} skrivs av en annan körning som inte blev klar på "
                f"{timeout:.0f} sekunder – vänta tills den är klar och kör igen"
            )
        time.sleep(LOCK_POLL_SECONDS)
    try:
        yield waited
    finally:
        _release(fd, path, remove=True)


def _still_named(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one under its name (the run before may have removed it)."""
    try:
        mine, named = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (named.st_dev, named.st_ino)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _release(fd: int, path: Path, *, remove: bool) -> None:
        # Windows removes no open file: close first; a run that has it open keeps it.
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)
        if remove:
            with contextlib.suppress(OSError):
                path.unlink()

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(fd: int, path: Path, *, remove: bool) -> None:
        # Removed while still locked, so no run can lock this file and find it named after.
        if remove:
            with contextlib.suppress(OSError):
                path.unlink()
        os.close(fd)


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
