"""The oracle's own .xlsx reader: ElementTree over the zip, no openpyxl and nothing of the program's.

It reads both the inputs the program was given (for the total oracle) and the results it wrote.
Cells are what Excel shows: a formula by its cached value, a cell covered by a merge is gone.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from .book import MAIN_NS, REL_NS

_NS = {"m": MAIN_NS}
_T = f"{{{MAIN_NS}}}t"
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_DATE_FORMATS = frozenset({*range(14, 23), 45, 46, 47})
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass(frozen=True)
class XCell:
    """One stored cell.

    `kind`: "s" text, "n" number, "b" boolean, "e" error, "d" a number shown as a date, "x" a number
    no spreadsheet can read ("NaN", "0x10"). `value` is None for a formula nobody calculated.
    """

    kind: str
    value: float | str | None
    formula: str | None = None


@dataclass(frozen=True)
class XSheet:
    name: str
    state: str
    cells: dict[tuple[int, int], XCell]  # (row, column), both from 0

    def at(self, row: int, col: int) -> XCell | None:
        return self.cells.get((row, col))

    def rows(self) -> list[int]:
        return sorted({r for r, _ in self.cells})

    def row(self, r: int) -> list[tuple[int, XCell]]:
        return sorted((c, x) for (row, c), x in self.cells.items() if row == r)


def position(ref: str) -> tuple[int, int]:
    """ "B25" -> (24, 1)."""
    found = _REF.fullmatch(ref.replace("$", ""))
    assert found, ref
    col = 0
    for letter in found.group(1):
        col = col * 26 + ord(letter) - 64
    return int(found.group(2)) - 1, col - 1


def read_xlsx(data: bytes) -> list[XSheet]:
    """The sheets in workbook order. Only the parts a spreadsheet needs for the cells are read, so
    damage elsewhere (which the program may rightly ignore) does not stop the oracle."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())

        def part(name: str) -> bytes | None:
            return archive.read(name) if name in names else None

        strings = _shared_strings(part("xl/sharedStrings.xml"))
        dates = _date_styles(part("xl/styles.xml"))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
        sheets = []
        for entry in workbook.iter(f"{{{MAIN_NS}}}sheet"):
            target = targets[entry.get(f"{{{REL_NS}}}id")]
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            cells = _cells(ElementTree.fromstring(archive.read(path)), strings, dates)
            sheets.append(XSheet(entry.get("name") or "", entry.get("state") or "visible", cells))
    return sheets


def _cells(xml: ElementTree.Element, strings: list[str], dates: set[int]) -> dict[tuple[int, int], XCell]:
    """The stored cells, without those a merge covers (Excel shows only a merge's first cell)."""
    cells = {}
    for c in xml.iter(f"{{{MAIN_NS}}}c"):
        if (x := _cell(c, strings, dates)) is not None:
            cells[position(c.get("r") or "")] = x
    for merge in xml.iter(f"{{{MAIN_NS}}}mergeCell"):
        first, _, last = (merge.get("ref") or "").partition(":")
        (r0, c0), (r1, c1) = position(first), position(last or first)
        for key in [k for k in cells if r0 <= k[0] <= r1 and c0 <= k[1] <= c1 and k != (r0, c0)]:
            del cells[key]
    return cells


def _shared_strings(xml: bytes | None) -> list[str]:
    if xml is None:
        return []
    root = ElementTree.fromstring(xml)
    return ["".join(t.text or "" for t in si.iter(_T)) for si in root.findall("m:si", _NS)]


def _date_styles(xml: bytes | None) -> set[int]:
    """The cell style indexes whose number format shows a date."""
    if xml is None:
        return set()
    root = ElementTree.fromstring(xml)
    custom = {
        int(f.get("numFmtId") or 0): re.sub(r'"[^"]*"|\[[^]]*\]', "", f.get("formatCode") or "").lower()
        for f in root.iter(f"{{{MAIN_NS}}}numFmt")
    }
    xfs = root.find("m:cellXfs", _NS)
    found = set()
    for n, xf in enumerate([] if xfs is None else xfs.findall("m:xf", _NS)):
        fmt = int(xf.get("numFmtId") or 0)
        if fmt in _DATE_FORMATS or (fmt in custom and re.search("[dy]", custom[fmt])):
            found.add(n)
    return found


def _cell(c: ElementTree.Element, strings: list[str], dates: set[int]) -> XCell | None:
    kind = c.get("t", "n")
    f = c.find("m:f", _NS)
    v = c.find("m:v", _NS)
    text = v.text if v is not None else None
    formula = None if f is None else (f.text or "")
    if kind == "inlineStr":
        inline = c.find("m:is", _NS)
        return XCell("s", "".join(t.text or "" for t in inline.iter(_T)) if inline is not None else "")
    if text is None or (formula is None and not text):
        return None if formula is None else XCell("s" if kind == "str" else kind, None, formula)
    if kind == "s":
        return XCell("s", strings[int(text)], formula)
    if kind in ("str", "e"):
        return XCell("s" if kind == "str" else "e", text, formula)
    if kind == "b":
        return XCell("b", text, formula)
    if not _NUMBER.fullmatch(text.strip()):
        return XCell("x", text, formula)
    date = int(c.get("s") or 0) in dates
    return XCell("d" if date else "n", float(text), formula)
