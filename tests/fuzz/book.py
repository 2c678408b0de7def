"""A workbook as plain data, and a small .xlsx writer for it.

The mutations need to write what Excel never would (duplicate sheet names, formulas without cached
values, error cells, values inside merged ranges), so the fuzz suite writes its own files.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import openpyxl

from ..conftest import SAMPLE_2020, small_book

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>'
    '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
    'patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs '
    'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" '
    'fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'
)
_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Formula:
    """A formula cell; `cached` is what Excel last calculated (None: never calculated)."""

    text: str
    cached: float | str | None = None


@dataclass(frozen=True)
class ErrorCell:
    code: str = "#REF!"


@dataclass(frozen=True)
class RawNumber:
    """A numeric cell written verbatim (e.g. "1E400", which a reader turns into infinity)."""

    text: str


Value = None | str | int | float | dt.date | Formula | ErrorCell | RawNumber


@dataclass
class Sheet:
    title: str
    rows: list[list[Value]]
    state: str = "visible"
    merges: list[str] = field(default_factory=list)


Book = list[Sheet]


def column_letter(col: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Strings:
    """The shared strings table, filled as cells are written."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(
            f'<si><t xml:space="preserve">{escape(text)}</t></si>'
            for text, _ in sorted(self.index.items(), key=lambda item: item[1])
        )
        return f'<sst xmlns="{MAIN_NS}" count="{len(self.index)}">{items}</sst>'


def _cell_xml(ref: str, value: Value, strings: _Strings) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}" t="s"><v>{strings.add(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, RawNumber):
        return f'<c r="{ref}"><v>{escape(value.text)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, ErrorCell):
        return f'<c r="{ref}" t="e"><v>{escape(value.code)}</v></c>'
    cached = value.cached
    kind = ' t="str"' if isinstance(cached, str) else ""
    shown = "" if cached is None else f"<v>{escape(cached if isinstance(cached, str) else repr(cached))}</v>"
    return f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{shown}</c>'


def _sheet_xml(sheet: Sheet, strings: _Strings) -> str:
    rows = []
    for r, row in enumerate(sheet.rows, start=1):
        cells = "".join(_cell_xml(f"{column_letter(c)}{r}", v, strings) for c, v in enumerate(row))
        if cells:
            rows.append(f'<row r="{r}">{cells}</row>')
    merges = "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
    merged = f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if merges else ""
    return f'<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(rows)}</sheetData>{merged}</worksheet>'


def _package_xml(book: Book) -> dict[str, str]:
    """Everything but the sheets and the shared strings: content types, relationships, styles."""
    count = len(book)
    sheets = "".join(
        f"<sheet name={quoteattr(s.title)} sheetId={quoteattr(str(n))} r:id={quoteattr(f'rId{n}')}"
        + ("" if s.state == "visible" else f" state={quoteattr(s.state)}")
        + "/>"
        for n, s in enumerate(book, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{sheets}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG_REL}">{rels}'
            f'<Relationship Id="rId{count + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
    }


def to_xlsx(book: Book) -> bytes:
    """The workbook as .xlsx bytes: shared strings, cached formula values, error cells, merges."""
    strings = _Strings()
    parts = {f"xl/worksheets/sheet{n}.xml": _sheet_xml(s, strings) for n, s in enumerate(book, start=1)}
    files = {**_package_xml(book), "xl/sharedStrings.xml": strings.xml(), **parts}
    return zip_bytes({name: text.encode() for name, text in files.items()})


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def model_of(book: openpyxl.Workbook) -> Book:
    """An openpyxl workbook (as built or loaded) as plain data."""
    sheets = []
    for ws in book.worksheets:
        rows: list[list[Value]] = []
        for row in ws.iter_rows():
            values: list[Value] = []
            for cell in row:
                value = cell.value
                if isinstance(value, dt.datetime):
                    value = value.date()
                values.append(value)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        sheets.append(Sheet(ws.title, rows, ws.sheet_state, [str(m) for m in ws.merged_cells.ranges]))
    return sheets


_BASES: dict[str, Book] = {}


def base(name: str) -> Book:
    """The valid workbooks the mutations start from: conftest's small_book() ("small") and the 2020
    sample ("sample"); a fresh copy each time."""
    if name not in _BASES:
        if name == "small":
            _BASES[name] = model_of(small_book())
        else:
            _BASES[name] = model_of(openpyxl.load_workbook(SAMPLE_2020))
    return copy.deepcopy(_BASES[name])
