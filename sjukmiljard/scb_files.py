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
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_SCB_FILE_BYTES,
    OLE_MAGIC,
    UNREAD,
    ZIP_MAGIC,
    file_problem,
    not_supported,
    read_bounded,
    thousands,
    too_large,
)
from .xlsx_book import XlsxBook

DELIMITERS = (";", "\t", ",")
DOWNLOAD_AS = "ladda ned tabellen som Excel (xlsx) eller CSV från SCB:s statistikdatabas"
REFUSED_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods", ".px", ".json", ".html", ".htm", ".parquet")
ADVICE = "välj bara länen och månaderna du behöver"
TOO_LARGE = too_large(ADVICE)
TEXT_TOO_LARGE = too_large(ADVICE, MAX_SCB_FILE_BYTES)


def load(path: Path, data: bytes | None = None) -> list[Grid]:
    """The file's grids, best first; InputRejected when it cannot be an SCB export at all.

    A sheet's cells are named as A1, a text file's by line (`Grid.lines`).

    Args:
        data: The file's bytes, when they have been read already (within `MAX_FILE_BYTES`).
    """
    if not path.exists():
        raise _refuse(path, "filen finns inte")
    if path.is_dir():
        raise _refuse(path, "är en mapp, inte en fil")
    suffix = path.suffix.casefold()
    if suffix in REFUSED_SUFFIXES:
        raise _refuse(path, not_supported(suffix, DOWNLOAD_AS))
    if data is None:
        data, problems = read_bounded(path, limit=MAX_FILE_BYTES, too_large_message=TOO_LARGE)
        if data is None:
            raise InputRejected(path, problems)
    if suffix == ".xlsx":
        book = XlsxBook(path, data)
        return [book.grid(sheet.title) for sheet in book.sheets if sheet.visible]
    if len(data) > MAX_SCB_FILE_BYTES:
        raise _refuse(path, TEXT_TOO_LARGE)
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
    """One grid per delimiter, the most consistently split first: the layout decides which fits.

    A file that any split would cut into more than `MAX_CELLS` fields is refused before it is
    split (the fields are counted first): no SCB export has that many, and they would cost far more
    memory than the file's size.
    """
    ranked: list[tuple[int, int, Grid]] = []
    line_count = text.count("\n") + 1
    most = max(text.count(delimiter) for delimiter in DELIMITERS) + line_count
    if most > MAX_CELLS:
        message = f"filen har minst {thousands(most)} fält, fler än gränsen {thousands(MAX_CELLS)} – {UNREAD}"
        raise InputRejected(Path(name), [file_problem(message)])
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
