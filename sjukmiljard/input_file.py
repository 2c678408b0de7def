"""What every input file is checked for before its format is parsed, and the messages that say so.

Shared by the workbook formats and the SCB exports, so each check and message exists once.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from .errors import Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office container (.xls, encrypted .xlsx)
ZIP_MAGIC = b"PK"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

EMPTY = "filen är tom"
PASSWORD = "arbetsboken är lösenordsskyddad – ta bort lösenordet i Excel"
OLD_XLS = "filen är i det gamla .xls-formatet – spara som .xlsx i Excel"
UNSAFE_XML = "arbetsboken innehåller otillåten XML (DTD eller entiteter) och läses inte av säkerhetsskäl"
FORMAT_NAMES = {  # a format refused by its suffix, as "… stöds inte" names it
    ".xls": "det gamla Excel-formatet .xls",
    ".xlsb": "binära Excel-arbetsböcker (.xlsb)",
    ".xlsm": "arbetsböcker med makron (.xlsm)",
    ".ods": "OpenDocument-kalkylblad (.ods)",
    ".csv": "CSV-filer",
    ".txt": "textfiler",
    ".px": "PC-Axis-filer (.px)",
    ".json": "JSON-filer",
    ".html": "HTML-filer",
    ".htm": "HTML-filer",
    ".parquet": "Parquet-filer",
}


def too_large(advice: str) -> str:
    return f"filen är större än {MAX_FILE_BYTES // (1024 * 1024)} MB – {advice}"


TOO_LARGE = too_large("det är ingen rimlig indatafil")


def not_supported(suffix: str, advice: str) -> str:
    """The refusal of a format by its suffix (one of `FORMAT_NAMES`), with what to do instead."""
    return f"{FORMAT_NAMES[suffix]} stöds inte – {advice}"


def damaged(error: BaseException) -> str:
    return f"filen är skadad och kunde inte läsas ({type(error).__name__})"


def file_problem(message: str) -> Problem:
    return Problem(None, None, message)


def read_bounded(path: Path, *, too_large_message: str = TOO_LARGE) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or the problem that it is empty or too large to be an input.

    Args:
        path: The file.
        too_large_message: The message for a file over `MAX_FILE_BYTES`: its advice depends on what the
            file was meant to be (an SCB export can be downloaded with less in it).
    """
    size = path.stat().st_size
    if size == 0:
        return None, [file_problem(EMPTY)]
    if size > MAX_FILE_BYTES:
        return None, [file_problem(too_large_message)]
    return path.read_bytes(), []


def ole_problem(data: bytes) -> Problem | None:
    """An OLE container is either a password-protected workbook or the old .xls format."""
    if not data.startswith(OLE_MAGIC):
        return None
    return file_problem(PASSWORD if ENCRYPTION_STREAM in data else OLD_XLS)


def did_you_mean(hint: str | None, *, quoted: bool = True) -> str:
    """The hint after a name that was not recognised (" – menade du 'X'?"), or "" without one.

    Args:
        hint: The nearest known name, if any.
        quoted: Quote the hint, as in a workbook's messages; the SCB reader's say the län's name
            unquoted inside a parenthesis that already quotes the unrecognised text.
    """
    if not hint:
        return ""
    return f" – menade du '{hint}'?" if quoted else f" – menade du {hint}?"


def zip_entries(path: Path, kind: str = ".xlsx", app: str = "Excel") -> tuple[set[str], list[Problem]]:
    """The names in a zip container (xlsx, xlsm, ods), or why it cannot be opened safely."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return set(), [file_problem(f"filen är skadad eller avkortad – den går inte att öppna som {kind}")]
    if any(entry.flag_bits & 0x1 for entry in entries):
        return set(), [file_problem(f"arbetsboken är krypterad – ta bort lösenordet i {app}")]
    unpacked = sum(entry.file_size for entry in entries)
    bomb = any(
        entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if unpacked > MAX_UNPACKED_BYTES or bomb:
        return set(), [file_problem("filen packas upp till orimlig storlek (möjlig zip-bomb) och läses inte")]
    return {entry.filename for entry in entries}, []


def sheet_name_problems(names: list[str]) -> list[Problem]:
    """Sheet names as the file has them: two that differ only in case are one name to Excel."""
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        if not name.strip():
            problems.append(file_problem("ett blad saknar namn – ge det ett namn i Excel"))
        elif bad := sorted({ch for ch in name if ch in "[]:*?/\\"}):
            shown = " ".join(bad)
            problems.append(Problem(name, None, f"bladnamnet innehåller {shown}, som Excel inte tillåter"))
        elif name.casefold() in seen:
            problems.append(
                file_problem(
                    f"bladen '{seen[name.casefold()]}' och '{name}' har samma namn för Excel, som inte "
                    "skiljer på stora och små bokstäver – byt namn på det ena"
                )
            )
        else:
            seen[name.casefold()] = name
    return problems


def sniff(path: Path) -> str | None:
    """What a file is by its content: "xlsx" (also .xlsm), "ods", "xlsb", "ole" (.xls or a
    password-protected workbook), or None."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        return "ole"
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:  # a few bytes: the entry may be a zip bomb
                    if entry.read(len(ODS_MIMETYPE) + 2).strip() == ODS_MIMETYPE:
                        return "ods"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError, zlib.error):
        return None
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None
