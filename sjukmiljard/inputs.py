"""What each file given to a run is: an input workbook, an SCB population export, one of our own
results, or none of these.

The finance officer drops files or fills a folder without saying which is which, so files are told
apart by their content: an SCB export may be an .xlsx like an input workbook, and a CSV beside the
workbook is the population she means to use, not a file to ignore.
"""

from __future__ import annotations

import enum
import re
import stat
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import kinds
from .formats import MAX_FILE_BYTES, MAX_SCB_FILE_BYTES, NOT_A_FILE
from .kinds import FileKind
from .read.xlsx import listed_sheet_names
from .runlog import LOG_NAME

RESULT_SUFFIX = "-resultat"
_RESULT_NAME = re.compile(
    rf"{RESULT_SUFFIX}( \(\d+\)| \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}\.\d{{2}}\.\d{{2}}( \(\d+\))?)?$"
)
_TEXT_PART_LIMIT = 4 * 1024 * 1024
_HEAD_BYTES = 64 * 1024  # what a text file too large to read is recognised by
_SHEET_PART = re.compile(r"xl/worksheets/sheet\d+\.xml")
_MONTH = re.compile(rb"(?<![0-9])[0-9]{4}[Mm](?:0[1-9]|1[0-2])(?![0-9])")
_SCB_WORDS = re.compile(
    rb"(?i)folkm(?:\xc3\xa4|\xc3\x84)ngd|statistiska centralbyr|statistics sweden|statistikdatabasen|"
    rb"\bSCB\b|\bBE0101|\bpopulation\b"
)
_SYSTEM_FILES = frozenset({"desktop.ini", "thumbs.db", "ehthumbs.db"})
NEITHER = (
    f"varken en indata-arbetsbok ({kinds.WORKBOOK_SUFFIXES}) eller en befolkningsfil från SCB:s "
    "statistikdatabas"
)


class Kind(enum.Enum):
    WORKBOOK = "indata-arbetsbok"
    POPULATION = "befolkningsfil från SCB"
    RESULT = "resultat"
    OTHER = "annan fil"


@dataclass(frozen=True)
class Found:
    """One file of a run.

    Attributes:
        named: given by name (dropped or listed), not found in a folder.
        why: for `Kind.OTHER`, what the file is not (a Swedish sentence without the file name).
    """

    path: Path
    kind: Kind
    named: bool
    why: str = ""

    @property
    def converted(self) -> bool:
        """An input to convert: a workbook, or a result given by name (a result is a valid input)."""
        return self.kind is Kind.WORKBOOK or (self.kind is Kind.RESULT and self.named)


def is_result(path: Path) -> bool:
    """True for our own results ("x-resultat.xlsx", "x-resultat (2).xlsx", and kept previous
    results "x-resultat 2019-12-02 09.00.00.xlsx")."""
    return bool(_RESULT_NAME.search(path.stem))


def scan(paths: Iterable[Path]) -> list[Found]:
    """Every file of a run: files as given, folders expanded to the files in them, each once.

    In folders, Excel's lock files (~$…), hidden and system files, our temporary files and run log,
    subfolders and our own results are left out without a word; everything else is classified.
    """
    found: list[Found] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            children = sorted(child for child in path.iterdir() if child.is_file() and not _ignored(child))
            entries = [(child, False) for child in children]
        else:
            entries = [(path, True)]
        for child, named in entries:
            key = _identity(child)
            if key in seen:
                continue
            seen.add(key)
            found.append(_classify(child, named))
    return found


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """The workbooks a run converts: files as given, folders expanded to their input workbooks."""
    return [item.path for item in scan(paths) if item.converted]


def classify(path: Path) -> Kind:
    """What one file is, judged by its content (a result only by its name)."""
    return _classify(path, True).kind


@dataclass(frozen=True)
class _Look:
    """One file as the rules see it: its path, the kind its suffix names and the kind its content is
    by its container (`kinds.sniff`)."""

    path: Path
    named: FileKind | None
    content: FileKind | None


@dataclass(frozen=True)
class _Rule:
    kind: Kind
    holds: Callable[[_Look], bool]


# Every kind of file a run may be given, judged by content: the first rule that holds decides.
# The cheap looks come first (the zip's sheet names and strings), so an input workbook is never
# parsed twice; the formats themselves are told apart by the registry (`kinds`).
_RULES: tuple[_Rule, ...] = (
    # An SCB export opened in LibreOffice and saved as .ods: no workbook's sheets, SCB's words.
    _Rule(
        Kind.POPULATION,
        lambda f: (
            f.content is kinds.ODS
            and f.named is kinds.ODS
            and _ods_looks_like_scb(f.path)
            and _is_scb(f.path)
        ),
    ),
    # .xlsm, .ods, or a workbook under another name: read by its content (a broken one too).
    _Rule(
        Kind.WORKBOOK,
        lambda f: (
            f.content is kinds.ODS
            or (f.content is kinds.XLSX and f.named is not kinds.XLSX)
            or f.named in (kinds.XLSM, kinds.ODS)
        ),
    ),
    _Rule(Kind.RESULT, lambda f: f.named is kinds.XLSX and is_result(f.path)),
    # An .xlsx that is no SCB export is left to the reader, which says precisely what is wrong.
    _Rule(
        Kind.WORKBOOK,
        lambda f: (
            f.named is kinds.XLSX
            and (_has_workbook_sheets(f.path) or not _mentions_scb(f.path) or not _is_scb(f.path))
        ),
    ),
    _Rule(Kind.POPULATION, lambda f: f.named is kinds.XLSX),
    # An SCB export in any format, usable or not: a run given one uses it or stops.
    _Rule(Kind.POPULATION, lambda f: f.path.is_file() and _is_scb(f.path)),
)


def _classify(path: Path, named: bool) -> Found:
    if path.exists() and not path.is_file():  # a FIFO would make every look at its content wait
        return Found(path, Kind.OTHER, named, f"filen {NOT_A_FILE}")
    look = _Look(path, kinds.named(path.suffix), _content(path))
    for rule in _RULES:
        if rule.holds(look):
            return Found(path, rule.kind, named)
    why = f"filen är {NEITHER}"
    if look.named is kinds.TEXT and _size(path) > MAX_SCB_FILE_BYTES:
        from .scb.files import TEXT_TOO_LARGE

        why = f"{TEXT_TOO_LARGE} (om det är en befolkningsfil från SCB)"
    elif look.named is not None and look.named.refused_as_workbook and look.named.grids is None:
        # a workbook format that is not read, and that no SCB export comes in (.xls, .xlsb)
        why += f" – den är {look.named.name}; spara den som .xlsx i Excel om det är indata"
    elif not path.exists():
        why = "filen finns inte"
    return Found(path, Kind.OTHER, named, why)


def _content(path: Path) -> FileKind | None:
    try:
        return kinds.sniff(path) if path.is_file() and path.stat().st_size else None
    except OSError:
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _is_scb(path: Path) -> bool:
    limit = MAX_FILE_BYTES if kinds.named(path.suffix) is kinds.XLSX else MAX_SCB_FILE_BYTES
    try:
        if path.stat().st_size > limit:
            return limit == MAX_SCB_FILE_BYTES and _head_looks_like_scb(path)
    except OSError:
        return False
    from .scb.population import is_population_export  # only runs with other files than workbooks need it

    return is_population_export(path)


def _head_looks_like_scb(path: Path) -> bool:
    """A text file too large to read: an SCB export by the look of its first 64 KB (SCB's structure,
    or län with a month or SCB's words), so that a run given one stops and says why instead of
    skipping it."""
    from .scb.population import export_by_its_look

    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return export_by_its_look(head, path.suffix)


def _has_workbook_sheets(path: Path) -> bool:
    """A cheap look at the sheet names (Befolkning, a villkor), so an input workbook is never parsed
    twice."""
    names = listed_sheet_names(path)
    if names is None:  # a broken file: the reader will say so
        return False
    folded = [name.strip().casefold() for name in names]
    return any(name == "befolkning" or "villkor" in name for name in folded)


def _mentions_scb(path: Path) -> bool:
    """Whether the workbook's text holds a month as SCB writes it (2019M11) or SCB's words (its name,
    Folkmängd, the table code): every SCB export has one, a yearly table too, so other workbooks are
    never parsed a second time (nor a sparse sheet with a cell at XFD1048576 expanded into rows)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name == "xl/sharedStrings.xml" or _SHEET_PART.fullmatch(name):
                    with archive.open(name) as part:
                        data = part.read(_TEXT_PART_LIMIT)
                        if _MONTH.search(data) or _SCB_WORDS.search(data):
                            return True
    except Exception:  # a broken file: the reader will say so
        return False
    return False


_ODS_SHEET_NAME = re.compile(rb'<table:table [^>]*?table:name="([^"]*)"')


def _ods_looks_like_scb(path: Path) -> bool:
    """An .ods whose sheets are no workbook's (Befolkning, a villkor) and whose text holds a month as
    SCB writes it or SCB's words: a cheap look at content.xml before it is read as an SCB export."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as part:
            data = part.read(_TEXT_PART_LIMIT)
    except Exception:  # a broken file: the reader will say so
        return False
    names = [name.decode("utf-8", "replace").strip().casefold() for name in _ODS_SHEET_NAME.findall(data)]
    if any(name == "befolkning" or "villkor" in name for name in names):
        return False
    return bool(_MONTH.search(data) or _SCB_WORDS.search(data))


def _ignored(path: Path) -> bool:
    name = path.name
    if name.startswith(("~$", ".")) or name.casefold() in _SYSTEM_FILES or name == LOG_NAME:
        return True
    if kinds.named(path.suffix) in kinds.WORKBOOKS and is_result(path):
        return True
    try:
        attributes = getattr(path.stat(), "st_file_attributes", 0)
    except OSError:
        return True
    return bool(attributes & (stat.FILE_ATTRIBUTE_HIDDEN | stat.FILE_ATTRIBUTE_SYSTEM))


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
