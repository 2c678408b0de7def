"""A small OpenDocument spreadsheet writer for the tests: an openpyxl workbook as an .ods file.

It writes what LibreOffice 7.4 writes when it saves an .xlsx as .ods (compared with the 2020 sample
saved that way), so the reader is tested on the shapes real files have:

- `mimetype` first and stored uncompressed, `META-INF/manifest.xml` listing the parts;
- one `table:table` per sheet; a hidden sheet uses an automatic table style with
  `table:display="false"`;
- every row and column of the sheet's 1 048 576 × 16 384 cells accounted for: empty cells and rows
  as `table:number-columns-repeated` / `table:number-rows-repeated`, equal neighbouring cells
  folded into one repeated cell;
- floats, strings (one `text:p` per line, runs of spaces as `text:s`), dates, booleans, error cells
  (`calcext:value-type="error"`, from openpyxl's error values such as "#REF!"), comments as
  `office:annotation`;
- a formula ("=…") as a `table:formula` cell WITHOUT a value, as a program that never calculated it
  would leave it (LibreOffice itself always stores the value), unless `cached` gives its value.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_DATE = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same book gives the same bytes

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="co1" style:family="table-column">'
    '<style:table-column-properties fo:break-before="auto" style:column-width="0.889in"/></style:style>'
    '<style:style style:name="ro1" style:family="table-row">'
    '<style:table-row-properties style:row-height="0.178in" fo:break-before="auto" '
    'style:use-optimal-row-height="true"/></style:style>'
    '<style:style style:name="ta1" style:family="table" style:master-page-name="Default">'
    '<style:table-properties table:display="true" style:writing-mode="lr-tb"/></style:style>'
    '<style:style style:name="ta2" style:family="table" style:master-page-name="Default">'
    '<style:table-properties table:display="false" style:writing-mode="lr-tb"/></style:style>'
    '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default">'
    '<style:text-properties style:text-line-through-style="solid" style:text-line-through-type="single"/>'
    "</style:style>"
    '<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="Default">'
    '<style:text-properties fo:color="#ffffff"/></style:style>'
    "</office:automatic-styles>"
)
EMPTY_ROW = f'<table:table-cell table:number-columns-repeated="{MAX_COLUMNS}"/>'
_REFERENCE = re.compile(r"(?<![A-Za-z_.!$])(\$?[A-Z]{1,3}\$?[0-9]+)(?::(\$?[A-Z]{1,3}\$?[0-9]+))?(?![\w(])")


def ods_bytes(book: openpyxl.Workbook, *, cached: Mapping[tuple[str, str], object] | None = None) -> bytes:
    """The workbook as .ods bytes; `cached` maps (sheet, cell) of a formula to the value a program
    calculated for it."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in package(content_xml(book, cached or {})).items():
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def save_ods(
    book: openpyxl.Workbook,
    folder: Path,
    name: str = "indata.ods",
    *,
    cached: Mapping[tuple[str, str], object] | None = None,
) -> Path:
    path = folder / name
    path.write_bytes(ods_bytes(book, cached=cached))
    return path


def package(content: str, *, manifest_extra: str = "") -> dict[str, bytes]:
    """The parts of an .ods around a content.xml, in the order LibreOffice writes them."""
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
        for path, kind in (("meta.xml", "text/xml"), ("styles.xml", "text/xml"), ("content.xml", "text/xml"))
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        f'manifest:media-type="{MIMETYPE}"/>'
        f"{entries}{manifest_extra}</manifest:manifest>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NAMESPACES} office:version="1.3">'
        "<office:meta><meta:generator>sjukmiljard tests/odf.py</meta:generator></office:meta>"
        "</office:document-meta>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {NAMESPACES} office:version="1.3">'
        "<office:styles/></office:document-styles>"
    )
    return {
        "mimetype": MIMETYPE.encode(),
        "meta.xml": meta.encode(),
        "styles.xml": styles.encode(),
        "content.xml": content.encode(),
        "META-INF/manifest.xml": manifest.encode(),
    }


def content_xml(book: openpyxl.Workbook, cached: Mapping[tuple[str, str], object] | None = None) -> str:
    tables = "".join(_table(ws, cached or {}) for ws in book.worksheets)
    return document(tables)


def document(tables: str) -> str:
    """A content.xml around the given `table:table` elements."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES} office:version="1.3">'
        f"<office:scripts/>{AUTOMATIC_STYLES}<office:body><office:spreadsheet>"
        f"{tables}<table:named-expressions/></office:spreadsheet></office:body></office:document-content>"
    )


def _table(ws: object, cached: Mapping[tuple[str, str], object]) -> str:
    title = ws.title  # type: ignore[attr-defined]
    style = "ta1" if ws.sheet_state == "visible" else "ta2"  # type: ignore[attr-defined]
    rows: dict[int, dict[int, str]] = {}
    for (r, c), cell in sorted(ws._cells.items()):  # type: ignore[attr-defined]  # sparse, as the sheet is
        xml = _cell(cell, cached.get((title, cell.coordinate)))
        if xml is not None and cell.font.strike:  # struck through, as LibreOffice writes it
            xml = xml.replace("<table:table-cell", '<table:table-cell table:style-name="ce1"', 1)
        elif xml is not None and cell.font.color is not None and cell.font.color.rgb == "00FFFFFF":  # white
            xml = xml.replace("<table:table-cell", '<table:table-cell table:style-name="ce2"', 1)
        if xml is not None:
            rows.setdefault(r, {})[c] = xml
    parts = [
        f"<table:table table:name={quoteattr(title)} table:style-name={quoteattr(style)}>",
        f'<table:table-column table:style-name="co1" table:number-columns-repeated="{MAX_COLUMNS}" '
        'table:default-cell-style-name="Default"/>',
    ]
    last = 0
    for r in sorted(rows):
        if r - last > 1:
            parts.append(_row(EMPTY_ROW, r - last - 1))
        parts.append(_row(_cells(rows[r]), 1))
        last = r
    remaining = MAX_ROWS - last
    if remaining > 1:
        parts.append(_row(EMPTY_ROW, remaining - 1))
    if remaining > 0:
        parts.append(_row(EMPTY_ROW, 1))
    parts.append("</table:table>")
    return "".join(parts)


def _row(cells: str, repeat: int) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-row table:style-name="ro1"{repeated}>{cells}</table:table-row>'


def _cells(row: dict[int, str]) -> str:
    """The row's cells from column A, equal neighbours folded into one repeated cell."""
    runs: list[tuple[str, int]] = []
    last = 0
    for c in sorted(row):
        if c - last > 1:
            runs.append(("<table:table-cell/>", c - last - 1))
        if runs and runs[-1][0] == row[c] and c - last == 1:
            runs[-1] = (row[c], runs[-1][1] + 1)
        else:
            runs.append((row[c], 1))
        last = c
    if last < MAX_COLUMNS:
        runs.append(("<table:table-cell/>", MAX_COLUMNS - last))
    return "".join(_repeated(xml, count) for xml, count in runs)


def _repeated(xml: str, count: int) -> str:
    if count == 1:
        return xml
    return xml.replace("<table:table-cell", f'<table:table-cell table:number-columns-repeated="{count}"', 1)


def _cell(cell: object, value_of_formula: object) -> str | None:
    value = cell.value  # type: ignore[attr-defined]
    comment = cell.comment  # type: ignore[attr-defined]
    note = ""
    if comment is not None:
        note = (
            "<office:annotation><dc:date>2019-12-02T09:00:00</dc:date>"
            f"{_paragraphs(comment.text)}</office:annotation>"
        )
    if value is None:
        return f"<table:table-cell>{note}</table:table-cell>" if note else None
    if cell.data_type == "e":  # type: ignore[attr-defined]
        return (
            f'<table:table-cell table:formula="of:={escape(value)}" office:value-type="string" '
            f'office:string-value="" calcext:value-type="error">{note}<text:p>{escape(value)}</text:p>'
            "</table:table-cell>"
        )
    if cell.data_type == "f":  # type: ignore[attr-defined]
        formula = quoteattr("of:" + _odf_formula(value))
        if value_of_formula is None:
            return f"<table:table-cell table:formula={formula}>{note}</table:table-cell>"
        return _valued(value_of_formula, note, f" table:formula={formula}")
    # a format of empty sections (';;;') shows no number: LibreOffice writes an empty paragraph
    blank = cell.number_format.strip(";") == "" and ";" in cell.number_format  # type: ignore[attr-defined]
    return _valued(value, note, "", blank=blank)


def _valued(value: object, note: str, formula: str, *, blank: bool = False) -> str:
    if isinstance(value, bool):
        shown = "TRUE" if value else "FALSE"
        attrs = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}" '
        return _typed(formula, attrs + 'calcext:value-type="boolean"', note, shown)
    if isinstance(value, int | float):
        number = repr(float(value)) if isinstance(value, float) else str(value)
        attrs = f'office:value-type="float" office:value="{number}" calcext:value-type="float"'
        return _typed(formula, attrs, note, "" if blank else number)
    if isinstance(value, dt.datetime | dt.date):
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        iso = value.isoformat()
        return _typed(
            formula,
            f'office:value-type="date" office:date-value="{iso}" calcext:value-type="date"',
            note,
            iso,
        )
    text = str(value)
    return (
        f'<table:table-cell{formula} office:value-type="string" calcext:value-type="string">'
        f"{note}{_paragraphs(text)}</table:table-cell>"
    )


def _typed(formula: str, attrs: str, note: str, shown: str) -> str:
    return f"<table:table-cell{formula} {attrs}>{note}<text:p>{escape(shown)}</text:p></table:table-cell>"


def _paragraphs(text: str) -> str:
    """One text:p per line; a run of spaces as LibreOffice writes it (one space, then text:s for the
    rest; all of them as text:s at the start of a line), tabs as text:tab."""
    return "".join(f"<text:p>{_spaced(line)}</text:p>" for line in text.split("\n"))


def _spaced(line: str) -> str:
    out = []
    for piece in re.split(r"( +|\t)", line):
        if piece == "\t":
            out.append("<text:tab/>")
        elif piece.startswith(" "):
            literal = "" if not out or out == [""] else " "
            rest = len(piece) - len(literal)
            out.append(literal + (_space_run(rest) if rest else ""))
        else:
            out.append(escape(piece))
    return "".join(out)


def _space_run(count: int) -> str:
    return "<text:s/>" if count == 1 else f'<text:s text:c="{count}"/>'


def _odf_formula(formula: str) -> str:
    """An Excel formula in OpenFormula's notation: A1 becomes [.A1], A1:B2 becomes [.A1:.B2]."""

    def reference(match: re.Match[str]) -> str:
        first, second = match.groups()
        return f"[.{first}:.{second}]" if second else f"[.{first}]"

    return _REFERENCE.sub(reference, formula)
