"""What every input file is checked for before its format is parsed, and the messages that say so.

Shared by the workbook formats and the SCB exports, so each check and message exists once.
"""

from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import zipfile
from pathlib import Path

from .errors import InputRejected, Problem, os_reason

# The limits that bound what reading any file may cost. The largest real inputs (a workbook with a
# hundred villkor sheets, an SCB export of all 290 kommuner over twelve months) are about a hundredth
# of each; a file at every limit is read in seconds and well under 1 GiB (README, "Limits").
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_SCB_FILE_BYTES = 4 * 1024 * 1024  # an SCB text file: 290 kommuner × 12 months is about 60 KB
MAX_PART_BYTES = 32 * 1024 * 1024  # one part of a zip container, unpacked
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all parts together, unpacked
MAX_PARTS = 10_000
MAX_SHEETS = 1_000
MAX_CELLS = 300_000  # stored cells in a whole workbook or text file (openpyxl: about 600 bytes each)
MAX_TEXT_CHARS = 32_767  # one cell's text: Excel's own limit, so no longer text can be written back
MAX_RATIO = 100
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office container (.xls, encrypted .xlsx)
ZIP_MAGIC = b"PK"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

EMPTY = "filen är tom"
UNREAD = "ingen indatafil är så stor, och filen läses inte"
NOT_A_FILE = "är ingen vanlig fil (utan t.ex. en namngiven pipe eller en enhet) och läses inte"
PASSWORD = "arbetsboken är lösenordsskyddad – ta bort lösenordet i Excel"
OLD_XLS = "filen är i det gamla .xls-formatet – spara som .xlsx i Excel"
UNSAFE_XML = "arbetsboken innehåller otillåten XML (DTD eller entiteter) och läses inte av säkerhetsskäl"
MAX_SHEET_NAME = 31  # Excel's limit: a longer name cannot be a sheet of the result
FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"


def too_large(advice: str, limit: int = MAX_FILE_BYTES) -> str:
    return f"filen är större än {limit // (1024 * 1024)} MB – {advice}"


TOO_LARGE = too_large("det är ingen rimlig indatafil")


def damaged(error: BaseException) -> str:
    return f"filen är skadad och kunde inte läsas ({type(error).__name__})"


def file_problem(message: str) -> Problem:
    return Problem(None, None, message)


def read_bounded(
    path: Path, *, limit: int = MAX_FILE_BYTES, too_large_message: str = TOO_LARGE
) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, read once, or the problem that it cannot be an input.

    The kind and size are checked on the opened file before anything is read (a FIFO or device
    named as input is refused, never waited on), and no more than `limit` bytes are read even when
    the file grows meanwhile. Everything else about an input is derived from these bytes.

    Args:
        path: The file.
        limit: The largest file accepted.
        too_large_message: The message for a file over `limit`: its advice depends on what the
            file was meant to be (an SCB export can be downloaded with less in it).
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        return None, [file_problem(f"filen kunde inte läsas – {os_reason(error)}")]
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return None, [file_problem("är en mapp, inte en fil")]
        if not stat.S_ISREG(info.st_mode):
            return None, [file_problem(NOT_A_FILE)]
        if info.st_size == 0:
            return None, [file_problem(EMPTY)]
        if info.st_size > limit:
            return None, [file_problem(too_large_message)]
        chunks = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1024 * 1024))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        return None, [file_problem(f"filen kunde inte läsas – {os_reason(error)}")]
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        return None, [file_problem(too_large_message)]
    if not data:
        return None, [file_problem(EMPTY)]
    return data, []


def read_input(path: Path, *, limit: int = MAX_FILE_BYTES, too_large_message: str = TOO_LARGE) -> bytes:
    """`read_bounded`, raising InputRejected with its problem."""
    data, problems = read_bounded(path, limit=limit, too_large_message=too_large_message)
    if data is None:
        raise InputRejected(path, problems)
    return data


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


def zip_entries(data: bytes, kind: str = ".xlsx", app: str = "Excel") -> tuple[set[str], list[Problem]]:
    """The names in a zip container (xlsx, xlsm, ods), or why it cannot be opened safely.

    The sizes are the ones the archive declares: zipfile never unpacks more than an entry declares
    (it stops there and fails the entry's checksum), so these limits hold while parsing too.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # NotImplementedError: a damaged header asks for a zip version zipfile cannot read (fuzz seed
        # 3575768834: "zip file version 8.4")
        return set(), [file_problem(f"filen är skadad eller avkortad – den går inte att öppna som {kind}")]
    if any(entry.flag_bits & 0x1 for entry in entries):
        return set(), [file_problem(f"arbetsboken är krypterad – ta bort lösenordet i {app}")]
    if len(entries) > MAX_PARTS:
        count, limit = thousands(len(entries)), thousands(MAX_PARTS)
        message = f"filen har {count} delar, fler än gränsen {limit} – {UNREAD}"
        return set(), [file_problem(message)]
    unpacked = sum(entry.file_size for entry in entries)
    largest = max(entries, key=lambda entry: entry.file_size, default=None)
    bomb = any(
        entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if bomb:
        return set(), [file_problem("filen packas upp till orimlig storlek (möjlig zip-bomb) och läses inte")]
    if largest is not None and largest.file_size > MAX_PART_BYTES:
        message = (
            f"delen {largest.filename} packas upp till {megabytes(largest.file_size)}, mer än gränsen "
            f"{megabytes(MAX_PART_BYTES)} per del (möjlig zip-bomb) – {UNREAD}"
        )
        return set(), [file_problem(message)]
    if unpacked > MAX_UNPACKED_BYTES:
        message = (
            f"filen packas upp till {megabytes(unpacked)}, mer än gränsen {megabytes(MAX_UNPACKED_BYTES)} "
            f"(möjlig zip-bomb) – {UNREAD}"
        )
        return set(), [file_problem(message)]
    return {entry.filename for entry in entries}, []


def megabytes(size: int) -> str:
    """A size as the messages show it: "182,4 MB"."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def thousands(count: int) -> str:
    """A count as the messages show it: "300 000"."""
    return f"{count:,}".replace(",", " ")


def too_many_cells(count: int) -> str:
    limit = thousands(MAX_CELLS)
    return f"arbetsboken har minst {thousands(count)} celler, fler än gränsen {limit} – {UNREAD}"


def text_too_long(length: int) -> str:
    return (
        f"cellen har {thousands(length)} tecken text, fler än de {thousands(MAX_TEXT_CHARS)} en cell i "
        "Excel rymmer – korta texten eller dela upp den på flera celler"
    )


def sheet_name_problems(names: list[str]) -> list[Problem]:
    """Sheet names as the file has them: two that differ only in case are one name to Excel."""
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        if not name.strip():
            problems.append(file_problem("ett blad saknar namn – ge det ett namn i Excel"))
        elif controls := [ch for ch in name if _is_control(ch)]:
            message = (
                f"bladnamnet innehåller ett styrtecken ({shown_control(controls[0])}), som inte kan stå i "
                "en formel – byt namn på bladet"
            )
            problems.append(Problem(printable(name), None, message))
        elif bad := sorted({ch for ch in name if ch in FORBIDDEN_IN_SHEET_NAMES}):
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


def unwritable_sheet_name(title: str) -> str | None:
    """Why a villkor sheet's name cannot be a sheet's name in the result, if it cannot: what
    `sheet_name_problems` refused in every sheet's name when the file was opened aside, Excel's
    length and a name's apostrophes, which other programs allow."""
    if (length := excel_length(title)) > MAX_SHEET_NAME:
        counted = ""
        if length != len(title):
            counted = f" ({length} som Excel räknar dem: vissa tecken räknas som två)"
        return f"bladnamnet är längre än {MAX_SHEET_NAME} tecken{counted} – korta det i Excel"
    if title.startswith("'") or title.endswith("'"):
        return "bladnamnet får inte börja eller sluta med apostrof"
    return None


def excel_length(text: str) -> int:
    """A text's length as Excel counts it: in UTF-16 code units, so '𐀀' (beyond the BMP) is two."""
    return len(text.encode("utf-16-le")) // 2


def _is_control(ch: str) -> bool:
    """Control characters (tab, CR, LF …) and line or paragraph separators: a program shows them as
    a space or nothing in a sheet's tab, so a formula naming the sheet with them finds no sheet."""
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp")


def shown_control(ch: str) -> str:
    names = {"\t": "tabb", "\r": "vagnretur", "\n": "radbrytning"}
    return names.get(ch, f"U+{ord(ch):04X}")


def printable(name: str) -> str:
    """A name as a message can show it: control characters as their symbol (␉), and a file name
    that is not UTF-8 as `readable` reads it."""
    return "".join(
        _CONTROL_PICTURES.get(ord(ch), "\ufffd") if _is_control(ch) else ch for ch in readable(name)
    )


def readable(text: str) -> str:
    """Text that can be printed and saved: the bytes of a file name that is not UTF-8 (which Python
    keeps as lone surrogates, "bef\\udcf6lkning") are read as Windows-1252, the code page that
    wrote them; any other lone surrogate is U+FFFD."""
    return _SURROGATES.sub(_as_cp1252, text)


def _as_cp1252(found: re.Match[str]) -> str:
    shown = []
    for ch in found.group(0):
        code = ord(ch)
        shown.append(
            bytes([code - 0xDC00]).decode("cp1252", "replace") if 0xDC80 <= code <= 0xDCFF else "\ufffd"
        )
    return "".join(shown)


_SURROGATES = re.compile("[\ud800-\udfff]+")
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
