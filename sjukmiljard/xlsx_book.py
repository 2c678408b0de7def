"""The .xlsx format: the container's safety checks, then openpyxl's cached values as grids.

openpyxl stays inside this module (and the other format adapters); the sheet readers see grids.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from .errors import InputRejected, Problem
from .grid import Grid, SheetRef
from .input_file import (
    MAX_CELLS,
    MAX_SHEETS,
    UNREAD,
    UNSAFE_XML,
    ZIP_MAGIC,
    damaged,
    file_problem,
    ole_problem,
    read_input,
    sheet_name_problems,
    too_many_cells,
    zip_entries,
)

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a hard dependency
    raise ImportError("defusedxml must be installed: openpyxl would parse untrusted XML unguarded")

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
UNCACHED_ADVICE = "öppna arbetsboken i Excel eller LibreOffice, spara den och kör igen"
UNCACHED_FORMULA = f"formeln har inget beräknat värde – {UNCACHED_ADVICE}"
NOT_XLSX = "filen är ingen Excel-arbetsbok (.xlsx) eller är skadad"


# An element named c (a cell) in any namespace prefix: `<` in XML always opens markup, so this
# counts the cells openpyxl would build (and at most a few more) without parsing.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def check_container(data: bytes) -> list[Problem]:
    """Refuse files that are not a sane .xlsx before openpyxl parses any XML: the container, the
    sheet names, and the limits on sheets and cells (README, "Limits")."""
    if (ole := ole_problem(data)) is not None:
        return [ole]
    if not data.startswith(ZIP_MAGIC):
        return [file_problem(NOT_XLSX)]
    names, problems = zip_entries(data)
    if problems:
        return problems
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return [file_problem(NOT_XLSX)]
    return _check_sheet_names(data) or _check_cells(data)


def _workbook_part(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return DefusedET.fromstring(archive.read("xl/workbook.xml"))


def _check_sheet_names(data: bytes) -> list[Problem]:
    """Sheet names as the file has them: openpyxl silently renames duplicates and empty names."""
    try:
        root = _workbook_part(data)
    except DefusedXmlException:
        return [file_problem(UNSAFE_XML)]
    except Exception:  # a broken part: openpyxl will say the file is damaged
        return []
    names = [sheet.get("name", "") for sheet in root.iter(f"{{{MAIN_NS}}}sheet")]
    if len(names) > MAX_SHEETS:
        return [file_problem(f"arbetsboken har {len(names)} blad, fler än gränsen {MAX_SHEETS} – {UNREAD}")]
    return sheet_name_problems(names)


def _check_cells(data: bytes) -> list[Problem]:
    """The cells of every part, counted before openpyxl builds an object for each (a part that
    unpacks to more than it declares fails when read, and is damaged); a workbook whose parts are
    too small to hold `MAX_CELLS` cells of four bytes (`<c/>`) is not unpacked for it."""
    count = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if sum(entry.file_size for entry in entries) < len(b"<c/>") * MAX_CELLS:
                return []  # too small to hold that many cells: nothing to count
            for entry in entries:
                count += len(_CELL_TAG.findall(archive.read(entry)))
                if count > MAX_CELLS:
                    return [file_problem(too_many_cells(count))]
    except Exception:  # a broken part: openpyxl will say the file is damaged
        return []
    return []


def _workbook_part_or_none(data: bytes) -> Any:
    """xl/workbook.xml, parsed; None when it is broken (openpyxl then says the file is damaged)."""
    try:
        return _workbook_part(data)
    except Exception:  # checked before: a broken part is reported when openpyxl reads it
        return None


def _listed_sheets(root: Any) -> list[tuple[str, str]]:
    """The sheets xl/workbook.xml lists: name and relationship id."""
    rel = f"{{{RELATIONSHIPS_NS}}}id"
    return [(sheet.get("name", ""), sheet.get(rel, "")) for sheet in root.iter(f"{{{MAIN_NS}}}sheet")]


def _asks_full_recalculation(root: Any) -> bool:
    """Whether the writer asked for every formula to be recalculated on opening (fullCalcOnLoad).

    Such writers (xlsxwriter, openpyxl, many report generators) store 0 as a formula's value: a
    placeholder, not a figure.
    """
    calc = root.find(f"{{{MAIN_NS}}}calcPr")
    return calc is not None and calc.get("fullCalcOnLoad", "0").casefold() in ("1", "true")


def _load(path: Path, data: bytes, *, data_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # A file object: openpyxl would refuse a path by its name (an .xlsx renamed .ods).
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
    except Exception as error:  # untrusted bytes: any parser failure means a broken file
        if _caused_by(error, DefusedXmlException):
            raise InputRejected(path, [file_problem(UNSAFE_XML)]) from error
        raise InputRejected(path, [file_problem(damaged(error))]) from error


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _existing_cells(ws: Any) -> list[tuple[tuple[int, int], Any]]:
    """The worksheet's stored cells in reading order, without walking its empty dimension."""
    return sorted(ws._cells.items())


class XlsxBook:
    """An .xlsx (or .xlsm: the same container; its macros are never read) opened for its values."""

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        """Open `path`, or its bytes `data` already read (`input_file.read_input`)."""
        data = read_input(path) if data is None else data
        problems = check_container(data)
        if problems:
            raise InputRejected(path, problems)
        self.path = path
        self._data = data
        root = _workbook_part_or_none(data)
        self._listed = _listed_sheets(root) if root is not None else []
        self.placeholders = root is not None and _asks_full_recalculation(root)
        self._book = _load(path, data, data_only=True)
        missing = [name for name, _ in self._listed if name not in self._book.sheetnames]
        if missing:  # openpyxl skips a sheet whose part is gone: its money would vanish unseen
            shown = ", ".join(f"'{name}'" for name in missing)
            raise InputRejected(path, [file_problem(f"filen är skadad: bladet {shown} saknas i filen")])
        self.sheets = tuple(SheetRef(ws.title, ws.sheet_state == "visible") for ws in self._book.worksheets)

    def grid(self, title: str) -> Grid:
        values: dict[int, dict[int, object]] = {}
        errors: set[tuple[int, int]] = set()
        valueless: dict[int, set[int]] = {}
        for (r, c), cell in _existing_cells(self._book[title]):
            if cell.value is None:
                valueless.setdefault(r - 1, set()).add(c - 1)
                continue
            values.setdefault(r - 1, {})[c - 1] = cell.value
            if cell.data_type == "e":
                errors.add((r - 1, c - 1))
        return Grid(title, values, errors=errors, valueless=valueless, placeholders=self.placeholders)

    def _titles_with_formulas(self) -> set[str]:
        """The sheets whose XML holds a formula at all: a cheap look that spares the second load for
        a typed 0 in a workbook that merely asks for recalculation (openpyxl's files all do)."""
        try:
            with zipfile.ZipFile(io.BytesIO(self._data)) as archive:
                rels = DefusedET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
                targets = {r.get("Id"): r.get("Target", "") for r in rels}
                found = set()
                for name, rel in self._listed:
                    target = targets.get(rel, "").lstrip("/")
                    part = target if target.startswith("xl/") else f"xl/{target}"
                    data = archive.read(part)
                    if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                        found.add(name)
                return found
        except Exception:  # anything unusual: look at the formulas themselves
            return set(self._book.sheetnames)

    def uncalculated(self, grids: list[Grid], rejected: bool) -> list[Problem]:
        """Formulas no program calculated, among the cells the reader took figures from.

        openpyxl reads such a formula as an empty cell, or as the placeholder 0 its writer stored;
        only the formulas need a second load, done when a suspect cell or a rejection calls for it.
        """
        if not rejected:
            with_formulas = self._titles_with_formulas()
            if not any(grid.suspects and grid.title in with_formulas for grid in grids):
                return []
        formulas = _load(self.path, self._data, data_only=False)
        found: list[Problem] = []
        for grid in grids:
            values = self._book[grid.title]._cells
            for (r, c), cell in _existing_cells(formulas[grid.title]):
                if cell.data_type != "f":
                    continue
                value = values.get((r, c))
                missing = value is None or value.value is None
                if (r - 1, c - 1) in grid.suspects or (rejected and missing):
                    found.append(Problem(grid.title, cell.coordinate, UNCACHED_FORMULA))
        return found
