"""What every input file is checked for before its format is parsed, and the messages that say so.

Shared by the workbook formats and the SCB exports, so each check and message exists once.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office container (.xls, encrypted .xlsx)
ZIP_MAGIC = b"PK"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

TOO_LARGE = f"filen är större än {MAX_FILE_BYTES // (1024 * 1024)} MB – det är ingen rimlig indatafil"
EMPTY = "filen är tom"
PASSWORD = "arbetsboken är lösenordsskyddad – ta bort lösenordet i Excel"
OLD_XLS = "filen är i det gamla .xls-formatet – spara som .xlsx i Excel"
UNSAFE_XML = "arbetsboken innehåller otillåten XML (DTD eller entiteter) och läses inte av säkerhetsskäl"


def damaged(error: BaseException) -> str:
    return f"filen är skadad och kunde inte läsas ({type(error).__name__})"


def file_problem(message: str) -> Problem:
    return Problem(None, None, message)


def read_bounded(path: Path) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or the problem that it is empty or too large to be an input."""
    size = path.stat().st_size
    if size == 0:
        return None, [file_problem(EMPTY)]
    if size > MAX_FILE_BYTES:
        return None, [file_problem(TOO_LARGE)]
    return path.read_bytes(), []


def ole_problem(data: bytes) -> Problem | None:
    """An OLE container is either a password-protected workbook or the old .xls format."""
    if not data.startswith(OLE_MAGIC):
        return None
    return file_problem(PASSWORD if ENCRYPTION_STREAM in data else OLD_XLS)


def did_you_mean(hint: str | None) -> str:
    return f" – menade du '{hint}'?" if hint else ""
