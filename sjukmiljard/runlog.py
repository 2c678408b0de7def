"""The run log: one line per conversion in sjukmiljard-logg.csv, safe against concurrent runs.

A finance office must be able to show later which input and population a result came from: the
input's name and SHA-256 and, when the population came from an SCB file, that file's name, month
and SHA-256 (the last three columns, added after 0.1.0; a log begun by 0.1.0 keeps its shorter
heading line). Each line is written with a single append under an exclusive file lock, so two runs
at once can neither interleave lines nor lose one, and whole or not at all.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import os
import sys
from dataclasses import astuple, dataclass
from pathlib import Path

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

    @staticmethod
    def now() -> str:
        return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _csv_line(values: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def append(folder: Path, line: LogLine) -> Path:
    """Append one line to the folder's log, creating it (UTF-8 with BOM, for Excel) when new."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
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
