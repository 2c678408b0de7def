"""The run log: one line per conversion in sjukmiljard-logg.csv, safe against concurrent runs.

A finance office must be able to show later which input and population a result came from: the
input's name and SHA-256 and, when the population came from an SCB file, that file's name, month
and SHA-256 (three columns added after 0.1.0; a log begun by 0.1.0 keeps its shorter heading
line), and the result's SHA-256 (the last column), so a printed or forwarded result can be matched
to its run. Each line is written with a single append under an exclusive file lock, so two runs
at once can neither interleave lines nor lose one, and whole or not at all.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import os
import re
import stat
import sys
from dataclasses import astuple, dataclass
from pathlib import Path

from .formats import readable

LOG_NAME = "sjukmiljard-logg.csv"
HEADER = (
    "Tid",
    "Indata",
    "Indata SHA-256",
    "Befolkningskälla",
    "Befolkningsdatum",
    "Utdata",
    "Status",
    "Orsak",
    "SCB-fil",
    "SCB-månad",
    "SCB-fil SHA-256",
    "Utdata SHA-256",
)
DONE = "Klar"
REJECTED = "Avvisad"


@dataclass(frozen=True)
class LogLine:
    time: str
    input_name: str
    input_sha256: str
    population_source: str
    population_date: str
    output_name: str
    status: str
    reason: str
    population_file: str = ""
    population_month: str = ""
    population_sha256: str = ""
    output_sha256: str = ""

    @staticmethod
    def now() -> str:
        return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# What makes Excel or LibreOffice read a CSV field as a formula (OWASP, "CSV Injection"): = + - @
# first, also after spaces, in their full-width forms, or a tab or line break first.
_FORMULA_START = re.compile("^[\\s\u00a0\u3000]*[=+\\-@\uff1d\uff0b\uff0d\uff20]|^[\\t\\r\\n]")


def field(value: str) -> str:
    """A value as the log holds it: never read as a formula (a single quote first, as OWASP
    advises), and encodable (a file name that is not UTF-8 read as Windows-1252)."""
    value = readable(value)
    return "'" + value if _FORMULA_START.match(value) else value


def _csv_line(values: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow([field(v) for v in values])
    return buffer.getvalue()


def append(folder: Path, line: LogLine) -> Path:
    """Append one line to the folder's log, creating it (UTF-8 with BOM, for Excel) when new.

    Only a regular file is appended to: a log that is a symbolic link (to another file), a FIFO or
    a device is refused with OSError, never followed or waited on.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    if path.is_symlink():  # O_NOFOLLOW says so too, where the system has it
        raise OSError(errno.ELOOP, "the run log is a symbolic link", str(path))
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT  # read too: a line a killed run cut short is ended
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.ENXIO, "the run log is not a regular file", str(path))
        _lock(fd)
        try:
            _write_whole(fd, _csv_line(astuple(line)))
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
    return path


def _write_whole(fd: int, text: str) -> None:
    """Append the line whole or not at all: in one write, cut back to where it began when the
    write fails or comes up short (a full disk). A line some earlier run left without its end
    (killed while writing) is ended first, so this one is not glued to it."""
    size = os.fstat(fd).st_size
    if size == 0:
        text = "\ufeff" + _csv_line(HEADER) + text
    else:
        os.lseek(fd, size - 1, os.SEEK_SET)
        if os.read(fd, 1) != b"\n":
            text = "\r\n" + text
    data = text.encode("utf-8")
    try:
        written = os.write(fd, data)
    except OSError:
        _cut_back(fd, size)
        raise
    if written != len(data):
        _cut_back(fd, size)
        raise OSError(errno.ENOSPC, "the line could not be written whole", LOG_NAME)


def _cut_back(fd: int, size: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, size)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
