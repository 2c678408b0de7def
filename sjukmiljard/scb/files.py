"""An SCB export as grids, whatever format PxWeb saved it in; which format is told by content.

`FORMATS` is the one table of SCB file formats: each entry detects its format from the file's bytes
and reads it into grids, or (.xls, HTML) only recognises it, so the refusal can say which formats
work and an unusable SCB export is still known for one. An .xlsx gives one grid per visible sheet;
PC-Axis and JSON-stat one grid laid out as PxWeb's CSV (`scb.cube`); text one grid per delimiter.

PxWeb saves text comma-, semicolon- or tab-separated, quoted or not, in UTF-8 (with or without a
BOM) or the table's Windows code page, and Excel may resave it as UTF-16. Which delimiter a text
file uses is not guessed here: every split is offered, the most consistent first, and the layout
analysis takes the first one it can read.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputRejected
from ..formats import (
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
from ..read.grid import Grid, is_empty
from ..read.xlsx import XlsxBook
from .cube import Cube, CubeError, is_json, is_jsonstat, is_px, read_jsonstat, read_px, to_grid

DELIMITERS = (";", "\t", ",")
FORMATS_THAT_WORK = "Excel (xlsx), CSV eller text, PC-Axis (.px) eller JSON-stat2 (.json)"
DOWNLOAD_AS = f"ladda ned tabellen från SCB:s statistikdatabas som {FORMATS_THAT_WORK}"
REFUSED_SUFFIXES = (".xlsm", ".xlsb", ".ods", ".parquet")
ADVICE = "välj bara länen och månaderna du behöver"
TOO_LARGE = too_large(ADVICE)
TEXT_TOO_LARGE = too_large(ADVICE, MAX_SCB_FILE_BYTES)
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<table|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Format:
    """One file format an SCB export may come in, told by its content.

    Attributes:
        name: how the messages name it ("PC-Axis (.px)").
        detect: whether the file's bytes (and its suffix, folded) are in this format.
        read: the file's grids, best first; None for a format that is recognised but not read.
        text: the file's text for recognising an SCB export that cannot be read.
        scb: the structure itself is SCB's (PC-Axis, JSON-stat): such a file is an SCB export even
            when it cannot be read.
        binary: a workbook format (.xls), judged as workbooks are by `looks_like_scb`.
    """

    name: str
    detect: Callable[[bytes, str], bool]
    read: Callable[[Path, bytes], list[Grid]] | None
    text: Callable[[bytes], str]
    scb: bool = False
    binary: bool = False


def _read_xlsx(path: Path, data: bytes) -> list[Grid]:
    book = XlsxBook(path, data or None)
    return [book.grid(sheet.title) for sheet in book.sheets if sheet.visible]


def _read_cube(reader: Callable[[bytes], Cube]) -> Callable[[Path, bytes], list[Grid]]:
    def read(path: Path, data: bytes) -> list[Grid]:
        try:
            cube = reader(data)
        except CubeError as error:
            raise _refuse(path, str(error)) from None
        return [to_grid(cube, path.name)]

    return read


def _read_text(path: Path, data: bytes) -> list[Grid]:
    text = decode(data)
    if text is None:
        raise _refuse(path, f"filen är ingen textfil i UTF-8 eller Windows-1252 – {DOWNLOAD_AS}")
    return text_grids(text, path.name)


def _binary_text(data: bytes) -> str:
    """What an old .xls holds as text: its strings are stored as Latin-1 or UTF-16."""
    return " ".join(
        [data.decode("latin-1"), data.decode("utf-16-le", "replace"), data[1:].decode("utf-16-le", "replace")]
    )


def _html_text(data: bytes) -> str:
    return html.unescape(_TAG.sub(" ", decode(data) or data.decode("latin-1")))


def _is_xlsx(data: bytes, suffix: str) -> bool:
    return data.startswith(ZIP_MAGIC) and suffix == ".xlsx"


def _is_zip(data: bytes, suffix: str) -> bool:
    return data.startswith(ZIP_MAGIC)


def _plain_text(data: bytes) -> str:
    return decode(data) or ""


FORMATS: tuple[Format, ...] = (
    Format("Excel (xlsx)", _is_xlsx, _read_xlsx, _plain_text),
    Format(
        "en Excel-arbetsbok eller ett zip-arkiv (en arbetsbok ska heta .xlsx)", _is_zip, None, _plain_text
    ),
    Format(
        "det gamla Excel-formatet .xls",
        lambda data, _: data.startswith(OLE_MAGIC),
        None,
        _binary_text,
        binary=True,
    ),
    Format("PC-Axis (.px)", lambda data, _: is_px(data), _read_cube(read_px), _plain_text, scb=True),
    Format(
        "JSON-stat2 (.json)",
        lambda data, _: is_jsonstat(data),
        _read_cube(read_jsonstat),
        _plain_text,
        scb=True,
    ),
    Format("JSON", lambda data, _: is_json(data), None, _plain_text),
    Format(
        "en webbsida (HTML)",
        lambda data, _: bool(_HTML.match(data[:4096].lstrip(b"\xef\xbb\xbf"))),
        None,
        _html_text,
    ),
    Format("CSV eller text", lambda data, _: True, _read_text, _plain_text),
)


def identify(data: bytes, suffix: str) -> Format:
    """The first format of `FORMATS` the content is in (text is the last, and takes anything)."""
    return next(fmt for fmt in FORMATS if fmt.detect(data, suffix.casefold()))


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
        data = raw(path)
    elif not data.strip():
        raise _refuse(path, EMPTY)
    if suffix == ".xlsx":
        return _read_xlsx(path, data)
    fmt = identify(data, suffix)
    if fmt.read is None:
        raise _refuse(path, f"filen är {fmt.name}, som inte kan läsas – {DOWNLOAD_AS}")
    if fmt.name != "Excel (xlsx)" and len(data) > MAX_SCB_FILE_BYTES:
        raise _refuse(path, TEXT_TOO_LARGE)  # text is split into many small objects: bounded apart
    return fmt.read(path, data)


def raw(path: Path) -> bytes:
    """The file's bytes, bounded; InputRejected for an empty, too large or unreadable file."""
    try:
        data, problems = read_bounded(path, limit=MAX_FILE_BYTES, too_large_message=TOO_LARGE)
    except OSError as error:
        raise _refuse(path, f"filen kunde inte läsas ({type(error).__name__})") from error
    if data is None:
        raise InputRejected(path, problems)
    if not data.strip():
        raise _refuse(path, EMPTY)
    return data


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


class _Transposed(Grid):
    """A grid read with rows and columns swapped, its cells still named as the file has them."""

    def __init__(self, original: Grid) -> None:
        values: dict[int, dict[int, object]] = {}
        for r, row in original.rows.items():
            for c, value in row.items():
                values.setdefault(c, {})[r] = value
        super().__init__(original.title, values)
        self.lines = original.lines  # a text file's stub cells are never left blank
        self.original = original

    def ref(self, row: int, col: int) -> str:
        return self.original.ref(col, row)


def transposed(grid: Grid) -> Grid:
    """The grid with the regions as rows, for a table exported with the regions as columns."""
    return _Transposed(grid)
