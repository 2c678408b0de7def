"""Hostile input files built in code, small on disk and huge when read: for the limits' tests and
for the benchmark (benchmarks/bench.py measures the time and memory of their refusal).

Each builder returns the file's bytes. The shapes are the ones issue 17 measured: hidden sheets under
the old total and ratio checks, one `text:s` asking for a billion spaces, a sheet of millions of tiny
cells, an SCB text file of tiny fields.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl

from .odf import document, package

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DATE = (1980, 1, 1, 0, 0, 0)


def _zip(parts: dict[str, bytes], stored: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _sheet_xml(cells: int, first: int = 0, row_width: int = 1000) -> bytes:
    """A worksheet part of `cells` number cells, `row_width` to a row, each value different (so it
    compresses as real figures do, under the ratio check)."""
    rows = []
    for r in range(cells // row_width + (1 if cells % row_width else 0)):
        width = min(row_width, cells - r * row_width)
        values = range(first + r * row_width, first + r * row_width + width)
        rows.append(f'<row r="{r + 1}">' + "".join(f"<c><v>{v}</v></c>" for v in values) + "</row>")
    return (f'<worksheet xmlns="{MAIN}"><sheetData>' + "".join(rows) + "</sheetData></worksheet>").encode()


def _with_sheet_parts(parts_of_sheets: list[bytes]) -> bytes:
    """A small workbook plus one hidden sheet for each worksheet part given."""
    book = openpyxl.Workbook()
    book.active.title = "Befolkning"
    for n in range(len(parts_of_sheets)):
        book.create_sheet(f"Dold {n + 1}").sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for n, part in enumerate(parts_of_sheets):
        parts[f"xl/worksheets/sheet{n + 2}.xml"] = part
    return _zip(parts)


def hidden_sheets_bomb(sheets: int = 70, part_bytes: int = 960 * 1024) -> bytes:
    """Hidden sheets of just under 1 MB each (under the ratio check, which looks at parts over 1 MB):
    70 of them unpack to 67 MB, issue 17's 190 to 182 MB."""
    cell = b'<c t="n"><v>1</v></c>'
    per_row = 1000
    row = b'<row r="1">' + cell * per_row + b"</row>"
    head, tail = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode(), b"</sheetData></worksheet>"
    part = head + row * ((part_bytes - len(head) - len(tail)) // len(row)) + tail
    return _with_sheet_parts([part] * sheets)


def many_cells_book(cells: int, per_sheet: int = 40_000) -> bytes:
    """Hidden sheets of `cells` cells in all, `per_sheet` (under 1 MB unpacked) to a sheet (issue
    17's file had 5,6 million cells in 18,9 MB)."""
    counts = [min(per_sheet, cells - first) for first in range(0, cells, per_sheet)]
    return _with_sheet_parts([_sheet_xml(count, n * per_sheet) for n, count in enumerate(counts)])


def spaces_bomb(count: int = 1_000_000_000) -> bytes:
    """An .ods whose title cell asks for `count` spaces with one `<text:s text:c="…"/>`."""
    title = (
        '<table:table-cell office:value-type="string">'
        f'<text:p>Villkor<text:s text:c="{count}"/>1</text:p></table:table-cell>'
    )
    content = document(
        f'<table:table table:name="Villkor 1"><table:table-row>{title}</table:table-row></table:table>'
    )
    return _zip(package(content), stored=("mimetype",))


def tiny_fields_csv(size: int) -> bytes:
    """An SCB-looking text file of `size` bytes, nearly all one-character fields."""
    head = b"region;2019M11\n"
    body = b"1;" * ((size - len(head)) // 2)
    return head + body
