"""The .xlsx format: the container's safety checks, then openpyxl's cached values as grids.

openpyxl stays inside this module (and the other format adapters); the sheet readers see grids.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Mapping, Set
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from ..errors import InputRejected, Problem
from ..formats import (
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
from ..words.vocabulary import INPUT_SHA256_PROPERTY, PROGRAM_VERSION_PROPERTY, RESULT_AUTHOR
from .grid import PLAIN, Grid, Look, SheetRef
from .looks import format_look, shows_nothing

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a hard dependency
    raise ImportError("defusedxml must be installed: openpyxl would parse untrusted XML unguarded")

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
PROPERTIES_LIMIT = 1024 * 1024  # bytes of a properties part looked at; ours are a few hundred
WORKBOOK_PART_LIMIT = 1024 * 1024  # bytes of xl/workbook.xml looked at before the file is checked
UNCACHED_ADVICE = "öppna arbetsboken i Excel eller LibreOffice, spara den och kör igen"
UNCACHED_FORMULA = f"formeln har inget beräknat värde – {UNCACHED_ADVICE}"
MAX_COLUMNS = 16_384
NOT_XLSX = "filen är ingen Excel-arbetsbok (.xlsx) eller är skadad"


# An element named c (a cell) in any namespace prefix: `<` in XML always opens markup, so this
# counts the cells openpyxl would build (and at most a few more) without parsing.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def check_container(data: bytes) -> tuple[Any, list[Problem]]:
    """Refuse files that are not a sane .xlsx before openpyxl parses any XML: the container, the
    sheet names, and the limits on sheets and cells (README, "Limits").

    Returns:
        xl/workbook.xml parsed (None when it is broken: openpyxl then says the file is damaged),
        and the problems.
    """
    if (ole := ole_problem(data)) is not None:
        return None, [ole]
    if not data.startswith(ZIP_MAGIC):
        return None, [file_problem(NOT_XLSX)]
    names, problems = zip_entries(data)
    if problems:
        return None, problems
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return None, [file_problem(NOT_XLSX)]
    try:
        root = _workbook_part(data)
    except DefusedXmlException:
        return None, [file_problem(UNSAFE_XML)]
    except Exception:  # a broken part: openpyxl will say the file is damaged
        return None, _check_cells(data)
    return root, _check_sheet_names(root) or _check_cells(data)


def _workbook_part(source: bytes | Path, limit: int = -1) -> Any:
    """xl/workbook.xml parsed (through defusedxml), or at most `limit` bytes of it; raises when the
    part is missing, unsafe or broken."""
    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    with zipfile.ZipFile(opened) as archive, archive.open("xl/workbook.xml") as part:
        return DefusedET.fromstring(part.read(limit))


def listed_sheet_names(source: bytes | Path, limit: int = WORKBOOK_PART_LIMIT) -> list[str] | None:
    """The sheet names xl/workbook.xml lists, as the file has them; None when the part is missing,
    larger than `limit` or broken. For a look before the file is read (`inputs`): the reader parses
    the part once, in `check_container`."""
    try:
        root = _workbook_part(source, limit)
    except Exception:  # a broken file: the reader will say so
        return None
    return [name for name, _ in _listed_sheets(root)]


def _check_sheet_names(root: Any) -> list[Problem]:
    """Sheet names as the file has them: openpyxl silently renames duplicates and empty names."""
    names = [name for name, _ in _listed_sheets(root)]
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


def _our_result(data: bytes) -> bool:
    """Whether our writer wrote the workbook and no other program saved it since: its document
    properties name sjukmiljard as author and last editor, unchanged since created, and carry the
    program version and the input's SHA-256. Our writer caches every formula's computed value, so
    a cached 0 there is a figure (a villkor's pot of 0), not a placeholder."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = []
            for name in ("docProps/core.xml", "docProps/custom.xml"):
                with archive.open(name) as part:
                    parts.append(DefusedET.fromstring(part.read(PROPERTIES_LIMIT)))
        core, custom = parts
    except Exception:  # no such parts, or damaged: not ours
        return False
    fields = {elem.tag.rsplit("}", 1)[-1]: (elem.text or "").strip() for elem in core}
    names = {prop.get("name") for prop in custom.iter(f"{{{CUSTOM_NS}}}property")}
    return (
        fields.get("creator") == RESULT_AUTHOR
        and fields.get("lastModifiedBy") == RESULT_AUTHOR
        and bool(fields.get("created"))
        and fields.get("created") == fields.get("modified")
        and {PROGRAM_VERSION_PROPERTY, INPUT_SHA256_PROPERTY} <= names
    )


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
    """The worksheet's stored cells in reading order, without walking its empty dimension.

    The one use of openpyxl's private `_cells`: no public call lists the cells a file stores;
    `iter_rows()` walks the whole dimension and creates a cell at every empty position. Measured
    (one process, CPU of `convert(…, check=True)`, median of 3): on a normal sheet the walk costs
    the same (the samples and bench.py's 100- and 400-villkor workbooks, within noise), but a
    formatted empty cell far off makes it pay for every position: at AZ20000 (1 million) a check
    takes 3.9 s instead of 44 ms, at Z2000 240 ms instead of 30 ms, and at XFD1048576 (17 billion)
    it would never end."""
    return sorted(ws._cells.items())


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _styles_strike(data: bytes) -> tuple[bool, bool]:
    """Whether a font of the workbook's styles may strike its text through, and whether one may be
    white: only then are the cells' fonts looked at (a look per cell costs a style lookup)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles = archive.read("xl/styles.xml")
    except Exception:  # styles under another name, or none: look at every cell's font
        return True, True
    return b"strike" in styles, b"FFFFFF" in styles.upper() or b'theme="0"' in styles


_WHITE = {"FFFFFFFF", "00FFFFFF", "FFFFFF"}


def _white_on_white(cell: Any) -> bool:
    """A value in white type on no fill (or a white one): there, but not seen on screen or paper."""
    color = cell.font.color
    white = color is not None and (
        (color.type == "rgb" and str(color.rgb).upper() in _WHITE)
        or (color.type == "theme" and color.theme == 0)
    )
    if not white:
        return False
    fill = cell.fill
    if fill is None or fill.fill_type in (None, "none"):
        return True
    background = fill.fgColor
    return background is not None and (
        (background.type == "rgb" and str(background.rgb).upper() in _WHITE)
        or (background.type == "theme" and background.theme == 0)
    )


def _hidden_rows(ws: Any) -> frozenset[int]:
    """Rows the sheet hides, 0-based: marked hidden (a collapsed outline's rows are too) or 0 high;
    with `zeroHeight` every row that holds a cell and is not given a height of its own."""
    dimensions = ws.row_dimensions
    hidden = {r - 1 for r, dimension in dimensions.items() if dimension.hidden or dimension.ht == 0}
    if ws.sheet_format.zeroHeight:
        for r in {r for (r, _), _ in _existing_cells(ws)}:
            dimension = dimensions.get(r)
            if dimension is None or not dimension.ht:
                hidden.add(r - 1)
    return frozenset(hidden)


def _hidden_cols(ws: Any) -> frozenset[int]:
    """Columns the sheet hides, 0-based: a `<col>` element marked hidden or 0 wide hides its whole
    min..max range."""
    hidden: set[int] = set()
    for dimension in ws.column_dimensions.values():
        zero_wide = dimension.width == 0  # openpyxl reads a <col> without a width as 13
        if (dimension.hidden or zero_wide) and dimension.min is not None:
            last = min(dimension.max or dimension.min, MAX_COLUMNS)
            hidden.update(range(dimension.min - 1, last))
    return frozenset(hidden)


class XlsxBook:
    """An .xlsx (or .xlsm: the same container; its macros are never read) opened for its values."""

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        """Open `path`, or its bytes `data` already read (`formats.read_input`)."""
        data = read_input(path) if data is None else data
        root, problems = check_container(data)
        if problems:
            raise InputRejected(path, problems)
        self.path = path
        self._data = data
        self._listed = _listed_sheets(root) if root is not None else []
        self.placeholders = root is not None and _asks_full_recalculation(root) and not _our_result(data)
        self._book = _load(path, data, data_only=True)
        self._strikes, self._white = _styles_strike(data)
        missing = [name for name, _ in self._listed if name not in self._book.sheetnames]
        if missing:  # openpyxl skips a sheet whose part is gone: its money would vanish unseen
            shown = ", ".join(f"'{name}'" for name in missing)
            raise InputRejected(path, [file_problem(f"filen är skadad: bladet {shown} saknas i filen")])
        self.sheets = tuple(SheetRef(ws.title, ws.sheet_state == "visible") for ws in self._book.worksheets)

    def grid(self, title: str) -> Grid:
        ws = self._book[title]
        values: dict[int, dict[int, object]] = {}
        errors: set[tuple[int, int]] = set()
        valueless: dict[int, set[int]] = {}
        looks: dict[tuple[int, int], Look] = {}
        struck: set[tuple[int, int]] = set()
        invisible: set[tuple[int, int]] = set()
        blank: set[tuple[int, int]] = set()
        for (r, c), cell in _existing_cells(ws):
            if cell.value is None:
                valueless.setdefault(r - 1, set()).add(c - 1)
                continue
            values.setdefault(r - 1, {})[c - 1] = cell.value
            if self._strikes and cell.font.strike:
                struck.add((r - 1, c - 1))
            if self._white and _white_on_white(cell):
                invisible.add((r - 1, c - 1))
            elif _numeric(cell.value) and shows_nothing(cell.number_format, cell.value):
                blank.add((r - 1, c - 1))
            if cell.data_type == "e":
                errors.add((r - 1, c - 1))
            elif _numeric(cell.value) and (look := format_look(cell.number_format, cell.value)) != PLAIN:
                looks[(r - 1, c - 1)] = look
        return Grid(
            title,
            values,
            errors=errors,
            valueless=valueless,
            placeholders=self.placeholders,
            hidden_rows=_hidden_rows(ws),
            hidden_cols=_hidden_cols(ws),
            struck=frozenset(struck),
            invisible=frozenset(invisible),
            blank=frozenset(blank),
            looks=looks,
        )

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

    def uncalculated(self, suspects: Mapping[str, Set[tuple[int, int]]], rejected: bool) -> list[Problem]:
        """Formulas no program calculated, among the cells the reader took figures from.

        openpyxl reads such a formula as an empty cell, or as the placeholder 0 its writer stored;
        only the formulas need a second load, done when a suspect cell or a rejection calls for it.
        """
        if not rejected:
            with_formulas = self._titles_with_formulas()
            if not any(cells and title in with_formulas for title, cells in suspects.items()):
                return []
        formulas = _load(self.path, self._data, data_only=False)
        found: list[Problem] = []
        for title, cells in suspects.items():
            values = dict(_existing_cells(self._book[title]))
            for (r, c), cell in _existing_cells(formulas[title]):
                if cell.data_type != "f":
                    continue
                value = values.get((r, c))
                missing = value is None or value.value is None
                if (r - 1, c - 1) in cells or (rejected and missing):
                    found.append(Problem(title, cell.coordinate, UNCACHED_FORMULA))
        return found
