"""An SCB export as grids: each visible sheet of an .xlsx, or each way of splitting a text file.

PxWeb saves a table as "Excel (xlsx)" or as text: comma-, semicolon- or tab-separated, quoted or
not, in UTF-8 (with or without a BOM) or the table's Windows code page, and Excel may resave it as
UTF-16. Which delimiter a text file uses is not guessed here: every split is offered, the most
consistent first, and the layout analysis takes the first one it can read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from .errors import InputRejected
from .grid import Grid, is_empty
from .input_file import (
    EMPTY,
    OLE_MAGIC,
    ZIP_MAGIC,
    file_problem,
    not_supported,
    read_bounded,
    too_large,
)
from .xlsx_book import XlsxBook

DELIMITERS = (";", "\t", ",")
DOWNLOAD_AS = "ladda ned tabellen som Excel (xlsx) eller CSV från SCB:s statistikdatabas"
REFUSED_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods", ".px", ".json", ".html", ".htm", ".parquet")
TOO_LARGE = too_large("välj bara länen och månaderna du behöver")


def load(path: Path) -> list[Grid]:
    """The file's grids, best first; InputRejected when it cannot be an SCB export at all.

    A sheet's cells are named as A1, a text file's by line (`Grid.lines`).
    """
    if not path.exists():
        raise _refuse(path, "filen finns inte")
    if path.is_dir():
        raise _refuse(path, "är en mapp, inte en fil")
    suffix = path.suffix.casefold()
    if suffix in REFUSED_SUFFIXES:
        raise _refuse(path, not_supported(suffix, DOWNLOAD_AS))
    if suffix == ".xlsx":
        book = XlsxBook(path)
        return [book.grid(sheet.title) for sheet in book.sheets if sheet.visible]
    try:
        data, problems = read_bounded(path, too_large_message=TOO_LARGE)
    except OSError as error:
        raise _refuse(path, f"filen kunde inte läsas ({type(error).__name__})") from error
    if data is None:
        raise InputRejected(path, problems)
    if not data.strip():
        raise _refuse(path, EMPTY)
    if data.startswith(OLE_MAGIC):
        raise _refuse(path, f"filen är i det gamla Excel-formatet .xls – {DOWNLOAD_AS}")
    if data.startswith(ZIP_MAGIC):
        raise _refuse(path, "filen är en Excel-arbetsbok eller ett zip-arkiv – ge den filändelsen .xlsx")
    text = decode(data)
    if text is None:
        raise _refuse(path, f"filen är ingen textfil i UTF-8 eller Windows-1252 – {DOWNLOAD_AS}")
    return text_grids(text, path.name)


def decode(data: bytes) -> str | None:
    """PxWeb writes the table's code page (often Windows-1252) or UTF-8; Excel may add UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def text_grids(text: str, name: str) -> list[Grid]:
    """One grid per delimiter, the most consistently split first: the layout decides which fits."""
    ranked: list[tuple[int, int, Grid]] = []
    for order, delimiter in enumerate(DELIMITERS):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
        rows: list[list[str]] = []
        lines: list[int] = []
        try:
            for row in reader:
                rows.append(row)
                lines.append(reader.line_num)
        except csv.Error:
            continue
        widths = Counter(len(row) for row in rows if len(row) > 1)
        score = max(widths.values(), default=0)
        values: dict[int, dict[int, object]] = {}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if not is_empty(value):
                    values.setdefault(r, {})[c] = value
        ranked.append((-score, order, Grid(name, values, lines=lines)))
    return [grid for _, _, grid in sorted(ranked, key=lambda item: (item[0], item[1]))]


def _refuse(path: Path, message: str) -> InputRejected:
    return InputRejected(path, [file_problem(message)])
