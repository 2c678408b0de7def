"""The OpenDocument spreadsheet format (.ods): `content.xml` streamed into grids.

Written against the ODF 1.2 table model rather than through a general reader, for three reasons the
input contract needs: cells are stored sparsely (a row of 16 384 repeated empty cells costs nothing,
where dense readers allocate the whole range), error cells stay errors (`calcext:value-type="error"`;
readers that drop them would turn a `#DIV/0!` amount into an empty cell) and a formula without a value
is told from an empty cell. The XML goes through defusedxml: no DTDs, no entities.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Set
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from ..errors import InputRejected, Problem
from ..formats import (
    MAX_CELLS,
    MAX_SHEETS,
    MAX_TEXT_CHARS,
    UNREAD,
    UNSAFE_XML,
    damaged,
    file_problem,
    read_input,
    sheet_name_problems,
    text_too_long,
    too_many_cells,
    zip_entries,
)
from .grid import PLAIN, Grid, Look, SheetRef, cell_name
from .looks import display_look
from .xlsx import UNCACHED_FORMULA

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
MAX_STORED_CELLS = MAX_CELLS  # repeated rows and cells must not multiply past it
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
NOT_ODS = "filen är inget OpenDocument-kalkylblad (.ods) eller är skadad"

_CELLS = (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell")
_COVERED = f"{{{TABLE}}}covered-table-cell"
_HIDDEN = ("collapse", "filter")  # table:visibility of a row or column not shown
_VALUE_ATTRIBUTES = {
    "float": "value",
    "percentage": "value",
    "currency": "value",
    "date": "date-value",
    "boolean": "boolean-value",
}


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


_TABLE_COLUMN = _q(TABLE, "table-column")
_VISIBILITY = _q(TABLE, "visibility")
_LINE_THROUGH = _q(STYLE, "text-line-through-style")
_Cell = tuple[
    int, int, object, str, Look, str
]  # (col, repeat, value, kind, look, "struck"/"invisible"/"blank"/"")
_COLOR = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}color"
_BACKGROUND = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}background-color"
_VALUE_TYPE = _q(OFFICE, "value-type")


class _TooManyCells(Exception):
    """Repeated rows would store more cells than any input workbook has."""

    def __init__(self, count: int) -> None:
        self.count = count


class _TooManySheets(Exception):
    """More sheets than any input workbook has."""


class _TextTooLong(Exception):
    """A cell's text (spaces repeated by `text:s` included) is longer than a cell in Excel holds."""

    def __init__(self, length: int, where: tuple[str, str] | None = None) -> None:
        self.length = length
        self.where = where


class _NotASpreadsheet(Exception):
    """content.xml holds another kind of document (a text, a drawing)."""


class _Encrypted(Exception):
    """The manifest says the parts are encrypted."""


class _Sheet:
    def __init__(self, title: str, style: str | None) -> None:
        self.title = title
        self.style = style
        self.values: dict[int, dict[int, object]] = {}
        self.errors: set[tuple[int, int]] = set()
        self.formulas_without_value: set[tuple[int, int]] = set()
        self.looks: dict[tuple[int, int], Look] = {}
        self.hidden_row_spans: list[tuple[int, int]] = []  # [first, end) of hidden rows, in order
        self.hidden_cols: set[int] = set()
        self.struck: set[tuple[int, int]] = set()
        self.invisible: set[tuple[int, int]] = set()
        self.blank: set[tuple[int, int]] = set()

    def hidden_rows(self) -> frozenset[int]:
        """The hidden rows among those holding a cell: a hidden span may repeat over a million rows."""
        if not self.hidden_row_spans:
            return frozenset()
        rows = set(self.values) | {r for r, _ in self.formulas_without_value}
        starts = [first for first, _ in self.hidden_row_spans]
        hidden = set()
        for r in rows:
            at = bisect.bisect_right(starts, r) - 1
            if at >= 0 and r < self.hidden_row_spans[at][1]:
                hidden.add(r)
        return frozenset(hidden)


class OdsBook:
    """An .ods workbook opened for its values (as the program that saved it calculated them)."""

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        """Open `path`, or its bytes `data` already read (`formats.read_input`)."""
        data = read_input(path) if data is None else data
        names, problems = zip_entries(data, ".ods", "LibreOffice")
        if not problems and "content.xml" not in names:
            problems = [file_problem(NOT_ODS)]
        if problems:
            raise InputRejected(path, problems)
        try:  # the manifest is untrusted XML too
            if _encrypted(data, names):
                raise _Encrypted
            with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as stream:
                self._sheets, hidden_styles = _parse(stream)
        except _Encrypted as error:
            message = "arbetsboken är lösenordsskyddad – ta bort lösenordet i LibreOffice"
            raise InputRejected(path, [file_problem(message)]) from error
        except DefusedXmlException as error:
            raise InputRejected(path, [file_problem(UNSAFE_XML)]) from error
        except _TooManyCells as error:
            raise InputRejected(path, [file_problem(too_many_cells(error.count))]) from error
        except _TooManySheets as error:
            message = f"arbetsboken har fler än {MAX_SHEETS} blad, gränsen – {UNREAD}"
            raise InputRejected(path, [file_problem(message)]) from error
        except _TextTooLong as error:
            sheet, cell = error.where or (None, None)
            raise InputRejected(path, [Problem(sheet, cell, text_too_long(error.length))]) from error
        except _NotASpreadsheet as error:
            raise InputRejected(path, [file_problem(NOT_ODS)]) from error
        except Exception as error:  # untrusted bytes: any parser failure means a broken file
            raise InputRejected(path, [file_problem(damaged(error))]) from error
        problems = sheet_name_problems([sheet.title for sheet in self._sheets])
        if problems:
            raise InputRejected(path, problems)
        self.sheets = tuple(SheetRef(s.title, s.style not in hidden_styles) for s in self._sheets)
        self._by_title = {sheet.title: sheet for sheet in self._sheets}

    def grid(self, title: str) -> Grid:
        sheet = self._by_title[title]
        valueless: dict[int, set[int]] = {}
        for r, c in sheet.formulas_without_value:
            valueless.setdefault(r, set()).add(c)
        return Grid(
            title,
            sheet.values,
            errors=sheet.errors,
            valueless=valueless,
            hidden_rows=sheet.hidden_rows(),
            hidden_cols=frozenset(sheet.hidden_cols),
            struck=frozenset(sheet.struck),
            invisible=frozenset(sheet.invisible),
            blank=frozenset(sheet.blank),
            looks=sheet.looks,
        )

    def uncalculated(self, suspects: Mapping[str, Set[tuple[int, int]]], rejected: bool) -> list[Problem]:
        found = []
        for title, cells in suspects.items():
            missing = self._by_title[title].formulas_without_value
            for r, c in sorted(missing):
                if (r, c) in cells or rejected:
                    found.append(Problem(title, cell_name(r, c), UNCACHED_FORMULA))
        return found


def _encrypted(data: bytes, names: set[str]) -> bool:
    if "META-INF/manifest.xml" not in names:
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = DefusedET.fromstring(archive.read("META-INF/manifest.xml"))
    return root.find(f".//{_q(MANIFEST, 'encryption-data')}") is not None


def _parse(stream: Any) -> tuple[list[_Sheet], set[str]]:
    """The sheets of content.xml, and the names of the table styles that hide a sheet."""
    sheets: list[_Sheet] = []
    hidden: set[str] = set()
    struck: dict[str, str] = {}  # the cell styles that strike their text through or make it invisible
    sheet: _Sheet | None = None
    row = col = column = stored = 0
    row_cells: list[_Cell] = []
    spreadsheet = False
    for event, elem in DefusedET.iterparse(stream, events=("start", "end"), forbid_dtd=True):
        tag = elem.tag
        if event == "start":
            if tag == _q(OFFICE, "spreadsheet"):
                spreadsheet = True
            elif tag == _q(TABLE, "table"):
                sheet = _Sheet(elem.get(_q(TABLE, "name"), ""), elem.get(_q(TABLE, "style-name")))
                sheets.append(sheet)
                if len(sheets) > MAX_SHEETS:
                    raise _TooManySheets
                row = column = 0
            elif tag == _q(TABLE, "table-row"):
                col, row_cells = 0, []
            continue
        if tag == _q(STYLE, "style") and elem.get(_q(STYLE, "family")) == "table":
            properties = elem.find(_q(STYLE, "table-properties"))
            if properties is not None and properties.get(_q(TABLE, "display")) == "false":
                hidden.add(elem.get(_q(STYLE, "name"), ""))
        elif tag == _q(STYLE, "style") and elem.get(_q(STYLE, "family")) == "table-cell":
            properties = elem.find(_q(STYLE, "text-properties"))
            name = elem.get(_q(STYLE, "name"), "")
            if properties is not None and properties.get(_LINE_THROUGH, "none") != "none":
                struck[name] = "struck"
            elif properties is not None and str(properties.get(_COLOR, "")).lower() == "#ffffff":
                cell = elem.find(_q(STYLE, "table-cell-properties"))
                background = "" if cell is None else str(cell.get(_BACKGROUND, "")).lower()
                if background in ("", "transparent", "#ffffff"):
                    struck[name] = "invisible"
        elif tag in _CELLS and sheet is not None:
            repeat = _repeat(elem, "number-columns-repeated", MAX_COLUMNS)
            try:
                value, kind = (None, "") if tag == _COVERED else _cell_value(elem)
            except _TextTooLong as error:
                raise _TextTooLong(error.length, (sheet.title, cell_name(row, col))) from None
            if kind:
                if col + repeat > MAX_COLUMNS:  # no program shows it; it has no cell name
                    raise ValueError("a value beyond the last column")
                strike = struck.get(elem.get(_q(TABLE, "style-name"), ""), "") or _shown_as_nothing(
                    elem, kind
                )
                row_cells.append((col, repeat, value, kind, _look(elem, value, kind), strike))
            col += repeat
            elem.clear()
        elif tag == _q(TABLE, "table-row") and sheet is not None:
            repeat = _repeat(elem, "number-rows-repeated", MAX_ROWS)
            if row_cells:
                if row + repeat > MAX_ROWS:
                    raise ValueError("a value below the last row")
                stored += repeat * sum(cell[1] for cell in row_cells)
                if stored > MAX_STORED_CELLS:
                    raise _TooManyCells(stored)
                for r in range(row, row + repeat):
                    _store(sheet, r, row_cells)
            if elem.get(_VISIBILITY) in _HIDDEN:
                sheet.hidden_row_spans.append((row, min(row + repeat, MAX_ROWS)))
            row += repeat
            elem.clear()
        elif tag == _TABLE_COLUMN and sheet is not None:
            repeat = _repeat(elem, "number-columns-repeated", MAX_COLUMNS)
            if elem.get(_VISIBILITY) in _HIDDEN:
                sheet.hidden_cols.update(range(column, min(column + repeat, MAX_COLUMNS)))
            column += repeat
        elif tag == _q(TABLE, "table"):
            sheet = None
    if not spreadsheet:
        raise _NotASpreadsheet
    return sheets, hidden


def _repeat(elem: Any, attribute: str, limit: int) -> int:
    """A repeat count: ODF allows positive integers only (a negative one would move the cells after
    it onto others)."""
    count = int(elem.get(_q(TABLE, attribute), "1"))
    if count < 1:
        raise ValueError(f"{attribute}={count}")
    return min(count, limit)


def _store(sheet: _Sheet, r: int, cells: list[_Cell]) -> None:
    for first, repeat, value, kind, look, strike in cells:
        for c in range(first, first + repeat):
            if kind == "formula":
                sheet.formulas_without_value.add((r, c))
                continue
            sheet.values.setdefault(r, {})[c] = value
            if strike == "struck":
                sheet.struck.add((r, c))
            elif strike == "invisible":
                sheet.invisible.add((r, c))
            elif strike == "blank":
                sheet.blank.add((r, c))
            if kind == "error":
                sheet.errors.add((r, c))
            elif look != PLAIN:
                sheet.looks[(r, c)] = look


def _shown_as_nothing(elem: Any, kind: str) -> str:
    """ "blank" for a number whose format shows nothing (';;;'): LibreOffice writes its paragraph
    empty. A cell without a paragraph (other writers leave it out) says nothing of its display."""
    numeric = elem.get(_VALUE_TYPE) in ("float", "currency", "percentage")
    paragraph = elem.find(_q(TEXT, "p"))
    return "blank" if kind == "value" and numeric and paragraph is not None and not _text(elem) else ""


def _look(elem: Any, value: object, kind: str) -> Look:
    """How a numeric cell is shown, from its text beside its value."""
    if kind != "value" or not isinstance(value, float):
        return PLAIN
    percent = elem.get(_VALUE_TYPE) == "percentage"
    return display_look(value, _text(elem), percent=percent)


def _cell_value(elem: Any) -> tuple[object, str]:
    """A cell's value and kind: "value", "error", "formula" (no value stored) or "" (empty)."""
    value_type = elem.get(_q(OFFICE, "value-type"))
    if elem.get(_q(CALCEXT, "value-type")) == "error":
        return _text(elem) or "#FEL!", "error"
    formula = bool(elem.get(_q(TABLE, "formula")))
    if value_type in _VALUE_ATTRIBUTES:
        stored = elem.get(_q(OFFICE, _VALUE_ATTRIBUTES[value_type]))
        if stored is None:  # declared but not stored: no program calculated the formula
            if formula:
                return None, "formula"
            raise ValueError(f"a {value_type} cell without its value")
        if value_type == "date":
            return dt.datetime.fromisoformat(stored), "value"
        if value_type == "boolean":
            return stored == "true", "value"
        return float(stored), "value"
    if value_type in ("string", "time"):
        text = elem.get(_q(OFFICE, "string-value"))
        if text is not None and len(text) > MAX_TEXT_CHARS:
            raise _TextTooLong(len(text))
        return (text if text is not None else _text(elem)), "value"
    if formula:
        return None, "formula"
    shown = _text(elem)  # no type (some writers leave it out): LibreOffice shows the text
    return (shown, "value") if shown else (None, "")


def _text(elem: Any) -> str:
    """A cell's paragraphs joined by line breaks; comments (office:annotation) are not its text.

    Its length is counted first, so that `<text:s text:c="1000000000"/>` is refused before a
    gigabyte of spaces is made.
    """
    paragraphs = [p for p in elem if p.tag in (_q(TEXT, "p"), _q(TEXT, "h"))]
    length = sum(_length(p) for p in paragraphs) + max(len(paragraphs) - 1, 0)
    if length > MAX_TEXT_CHARS:
        raise _TextTooLong(length)
    return "\n".join(_paragraph(p) for p in paragraphs)


def _length(elem: Any) -> int:
    """The length `_paragraph` would give, without making the text."""
    length = len(elem.text or "")
    for child in elem:
        if child.tag == _q(TEXT, "s"):
            length += _spaces(child)
        elif child.tag in (_q(TEXT, "tab"), _q(TEXT, "line-break")):
            length += 1
        elif child.tag != _q(OFFICE, "annotation"):
            length += _length(child)
        length += len(child.tail or "")
    return length


def _spaces(elem: Any) -> int:
    count = int(elem.get(_q(TEXT, "c"), "1"))
    if count < 0:
        raise ValueError(f"text:c={count}")
    return count


def _paragraph(elem: Any) -> str:
    parts = [elem.text or ""]
    for child in elem:
        if child.tag == _q(TEXT, "s"):
            parts.append(" " * _spaces(child))
        elif child.tag == _q(TEXT, "tab"):
            parts.append("\t")
        elif child.tag == _q(TEXT, "line-break"):
            parts.append("\n")
        elif child.tag != _q(OFFICE, "annotation"):
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)
