"""An SCB export as grids, whatever format PxWeb saved it in; which format is told by content.

The formats are the registry's (`kinds.KINDS`): each kind detects itself from the file's bytes and
names the reader here that turns it into grids, or (.xls, HTML) is only recognised, so the refusal
can say which formats work and an unusable SCB export is still known for one. An .xlsx gives one
grid per visible sheet; PC-Axis and JSON-stat one grid laid out as PxWeb's CSV (`scb.cube`); text
one grid per delimiter.

PxWeb saves text comma-, semicolon- or tab-separated, quoted or not, in UTF-8 (with or without a
BOM) or the table's Windows code page, and Excel may resave it as UTF-16. Which delimiter a text
file uses is not guessed here: every split is offered, the most consistent first, and the layout
analysis takes the first one it can read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .. import kinds
from ..errors import InputRejected
from ..formats import (
    EMPTY,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_SCB_FILE_BYTES,
    UNREAD,
    ZIP_MAGIC,
    file_problem,
    read_bounded,
    thousands,
    too_large,
)
from ..kinds import FileKind, decode
from ..read.grid import Grid, is_empty
from ..read.xlsx import XlsxBook
from . import cube
from .cube import Cube, CubeError, to_grid

DELIMITERS = (";", "\t", ",")
# SCB's own formats; a copy saved as .ods in LibreOffice is read too, but is none SCB offers
FORMATS_THAT_WORK = "Excel (xlsx), CSV eller text, PC-Axis (.px) eller JSON-stat2 (.json)"
DOWNLOAD_AS = f"ladda ned tabellen från SCB:s statistikdatabas som {FORMATS_THAT_WORK}"
ADVICE = "välj bara länen och månaderna du behöver"
TOO_LARGE = too_large(ADVICE)
TEXT_TOO_LARGE = too_large(ADVICE, MAX_SCB_FILE_BYTES)


def read_xlsx(path: Path, data: bytes) -> list[Grid]:
    """An .xlsx export: one grid per visible sheet."""
    book = XlsxBook(path, data or None)
    return [book.grid(sheet.title) for sheet in book.sheets if sheet.visible]


def read_ods(path: Path, data: bytes) -> list[Grid]:
    """An export opened in LibreOffice and saved as .ods: one grid per visible sheet."""
    from ..read.ods import OdsBook

    book = OdsBook(path, data or None)
    return [book.grid(sheet.title) for sheet in book.sheets if sheet.visible]


def _read_cube(reader: Callable[[bytes], Cube]) -> Callable[[Path, bytes], list[Grid]]:
    def read(path: Path, data: bytes) -> list[Grid]:
        try:
            table = reader(data)
        except CubeError as error:
            raise _refuse(path, str(error)) from None
        return [to_grid(table, path.name)]

    return read


read_px = _read_cube(cube.read_px)
read_jsonstat = _read_cube(
    lambda data: cube.read_pxweb_json(data) if cube.is_pxweb_json(data) else cube.read_jsonstat(data)
)


def read_text(path: Path, data: bytes) -> list[Grid]:
    """A text export: one grid per delimiter, the most consistent first."""
    text = decode(data)
    if text is None and b"\x00" in data:
        raise _refuse(path, f"filen har NUL-tecken (byte 0) i texten och är skadad – {DOWNLOAD_AS}")
    if text is None:
        raise _refuse(path, f"filen är ingen textfil i UTF-8 eller Windows-1252 – {DOWNLOAD_AS}")
    return text_grids(text, path.name)


def identify(data: bytes, suffix: str) -> FileKind:
    """The kind an SCB export is by its content (`kinds.detect`); a zip is read only as an .xlsx,
    and only when it is named so: any other is a workbook or an archive saved under the wrong name."""
    if data.startswith(ZIP_MAGIC):
        return kinds.XLSX if kinds.named(suffix) is kinds.XLSX else kinds.ZIP
    return kinds.detect(data)


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
    named = kinds.named(path.suffix)
    if named is not None and named.refused_as_scb:
        raise _refuse(path, kinds.not_supported(path.suffix, DOWNLOAD_AS))
    if data is None:
        data = raw(path)
    elif not data.strip():
        raise _refuse(path, EMPTY)
    if named is kinds.XLSX:
        return read_xlsx(path, data)
    if named is kinds.ODS:
        return read_ods(path, data)
    kind = identify(data, path.suffix)
    if kind.grids is None:
        raise _refuse(path, f"filen är {kind.name}, som inte kan läsas – {DOWNLOAD_AS}")
    if len(data) > MAX_SCB_FILE_BYTES:  # only an .xlsx is no text, and it was read above
        raise _refuse(path, TEXT_TOO_LARGE)  # text is split into many small objects: bounded apart
    return kind.grids(path, data)


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
