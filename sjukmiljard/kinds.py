"""Every kind of file the program knows, in the one table that everything asks (tablib's registry).

A `FileKind` says how its content is told (`detect`), which suffixes name it and how the messages
name it, and what reads it: the adapter that opens it as an input workbook (`book`), the reader that
turns an SCB export of it into grids (`grids`), or neither; and which of the two readers refuses it
by its suffix alone. The input workbook formats (.xlsx, .xlsm, .ods), the SCB formats (.xlsx, CSV or
text, PC-Axis, JSON-stat2) and the formats refused (.xls, .xlsb, HTML, Parquet, …) are all here.

The readers ask with their own questions: `read.workbook.open_book` trusts a container's parts over
the file's name; `scb.files.identify` reads a zip only as an .xlsx named so; `inputs` looks only at
the container (`sniff`), so a run's files are told apart without reading them whole. The readers and
the detectors that need the SCB modules are imported when a file of their kind is read, so start-up
pays for none of them (the .ods adapter, the SCB modules).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .formats import OLE_MAGIC, ZIP_MAGIC

if TYPE_CHECKING:
    from .read.grid import Book, Grid

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def decode(data: bytes) -> str | None:
    """PxWeb writes the table's code page (often Windows-1252) or UTF-8; Excel may add UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        unmarked = _utf16_without_bom(data)
        encodings = (unmarked,) if unmarked else ()
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 that Excel or a script wrote without its byte order mark: in text of mostly Latin
    letters every other byte is NUL, the odd ones (little-endian) or the even ones (big-endian)."""
    head = data[: min(len(data), 4096) // 2 * 2]
    if len(head) < 8:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    half = len(head) // 2
    if odd >= 0.9 * half and even == 0:
        return "utf-16-le"
    if even >= 0.9 * half and odd == 0:
        return "utf-16-be"
    return None


def _plain_text(data: bytes) -> str:
    """The words of a text file, to recognise it: a file damaged by NUL bytes is still recognised
    (and then refused), so a run given a damaged SCB export stops rather than skips it."""
    return decode(data) or decode(data.replace(b"\x00", b"")) or ""


@dataclass(frozen=True)
class Suffix:
    """A file name's suffix (folded) and, for "… stöds inte", how files with it are named."""

    text: str
    plural: str | None = None


@dataclass(frozen=True)
class Content:
    """What the detectors look at: the file's bytes (only its first ones when `sniff` looks at a
    file by its path: enough for a container) and, for a zip that opens, its part names."""

    data: bytes
    parts: frozenset[str] = frozenset()
    ods: bool = False  # the zip's mimetype says it is an OpenDocument spreadsheet


@dataclass(frozen=True, eq=False)  # each kind is one object of the table: compared by identity
class FileKind:
    """One kind of file the program knows.

    Attributes:
        key: a short name for the kind ("xlsx", "px").
        name: how a message names one file of it ("filen är PC-Axis (.px), som inte kan läsas").
        suffixes: the suffixes that name it; each suffix names one kind.
        detect: whether a file's content is of this kind; None for a kind known by its name only.
        container: told by the container's magic number and part names alone (`sniff`).
        conclusive: the container's parts say what the file is whatever its name (an .ods renamed
            .xlsx is an .ods).
        book: the adapter that opens it as an input workbook.
        refused_as_workbook: the workbook reader refuses a file with its suffix ("… stöds inte").
        grids: the reader of an SCB export in it, best grid first.
        refused_as_scb: the SCB reader refuses a file with its suffix.
        words: its text, for recognising an SCB export that is not read.
        scb_structure: the structure itself is SCB's: such a file is an SCB export even when it
            cannot be read.
        binary: a binary workbook format, its text judged as a workbook's (`looks_like_scb`).
    """

    key: str
    name: str
    suffixes: tuple[Suffix, ...]
    detect: Callable[[Content], bool] | None
    container: bool = False
    conclusive: bool = False
    book: Callable[[Path, bytes], Book] | None = None
    refused_as_workbook: bool = False
    grids: Callable[[Path, bytes], list[Grid]] | None = None
    refused_as_scb: bool = False
    words: Callable[[bytes], str] = _plain_text
    scb_structure: bool = False
    binary: bool = False

    @property
    def suffix(self) -> str:
        """The suffix a file of this kind is saved with."""
        return self.suffixes[0].text


# -- the adapters and readers, imported when a file of their kind is read ---------------------


def _xlsx_book(path: Path, data: bytes) -> Book:
    from .read.xlsx import XlsxBook

    return XlsxBook(path, data)


def _ods_book(path: Path, data: bytes) -> Book:
    from .read.ods import OdsBook  # only runs that read an .ods pay for it

    return OdsBook(path, data)


def _xlsx_grids(path: Path, data: bytes) -> list[Grid]:
    from .scb.files import read_xlsx

    return read_xlsx(path, data)


def _px_grids(path: Path, data: bytes) -> list[Grid]:
    from .scb.files import read_px

    return read_px(path, data)


def _jsonstat_grids(path: Path, data: bytes) -> list[Grid]:
    from .scb.files import read_jsonstat

    return read_jsonstat(path, data)


def _text_grids(path: Path, data: bytes) -> list[Grid]:
    from .scb.files import read_text

    return read_text(path, data)


# -- the detectors -------------------------------------------------------------------------


def _is_px(content: Content) -> bool:
    from .scb.cube import is_px

    return is_px(content.data)


def _is_jsonstat(content: Content) -> bool:
    """JSON-stat2, or the JSON of PxWeb's API version 1 (its own table of codes), which is read alike."""
    from .scb.cube import is_jsonstat, is_pxweb_json

    return is_jsonstat(content.data) or is_pxweb_json(content.data)


def _is_json(content: Content) -> bool:
    from .scb.cube import is_json

    return is_json(content.data)


_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<table|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _is_html(content: Content) -> bool:
    return bool(_HTML.match(content.data[:4096].lstrip(b"\xef\xbb\xbf")))


def _binary_text(data: bytes) -> str:
    """What an old .xls holds as text: its strings are stored as Latin-1 or UTF-16."""
    return " ".join(
        [data.decode("latin-1"), data.decode("utf-16-le", "replace"), data[1:].decode("utf-16-le", "replace")]
    )


def _html_text(data: bytes) -> str:
    import html  # its entity table only for a web page given as an SCB export

    return html.unescape(_TAG.sub(" ", decode(data) or data.decode("latin-1")))


# -- the table -----------------------------------------------------------------------------

ODS = FileKind(
    "ods",
    "ett OpenDocument-kalkylblad (.ods)",
    (Suffix(".ods", "OpenDocument-kalkylblad (.ods)"),),
    lambda content: content.ods,
    container=True,
    conclusive=True,
    book=_ods_book,
)
XLSB = FileKind(
    "xlsb",
    "en binär Excel-arbetsbok (.xlsb)",
    (Suffix(".xlsb", "binära Excel-arbetsböcker (.xlsb)"),),
    lambda content: "xl/workbook.bin" in content.parts,
    container=True,
    conclusive=True,
    refused_as_workbook=True,
    refused_as_scb=True,
)
XLSX = FileKind(
    "xlsx",
    "Excel (xlsx)",
    (Suffix(".xlsx"),),
    lambda content: "xl/workbook.xml" in content.parts,
    container=True,
    conclusive=True,
    book=_xlsx_book,
    grids=_xlsx_grids,
)
XLSM = FileKind(  # an .xlsx's content under another name: the values only, its macros never read
    "xlsm",
    "en arbetsbok med makron (.xlsm)",
    (Suffix(".xlsm", "arbetsböcker med makron (.xlsm)"),),
    None,
    book=_xlsx_book,
    refused_as_scb=True,
)
ZIP = FileKind(  # a zip that is no workbook, or one that does not open
    "zip",
    "en Excel-arbetsbok eller ett zip-arkiv (en arbetsbok ska heta .xlsx)",
    (),
    lambda content: content.data.startswith(ZIP_MAGIC),
    container=True,
)
XLS = FileKind(  # an OLE container: an old .xls, or a password-protected workbook (XlsxBook says which)
    "xls",
    "det gamla Excel-formatet .xls",
    (Suffix(".xls", "det gamla Excel-formatet .xls"),),
    lambda content: content.data.startswith(OLE_MAGIC),
    container=True,
    book=_xlsx_book,
    refused_as_workbook=True,
    words=_binary_text,
    binary=True,
)
PX = FileKind(
    "px",
    "PC-Axis (.px)",
    (Suffix(".px", "PC-Axis-filer (.px)"),),
    _is_px,
    grids=_px_grids,
    scb_structure=True,
)
JSONSTAT = FileKind(
    "jsonstat",
    "JSON-stat2 (.json)",
    (Suffix(".json", "JSON-filer"),),
    _is_jsonstat,
    grids=_jsonstat_grids,
    scb_structure=True,
)
JSON = FileKind("json", "JSON", (), _is_json)
HTML = FileKind(
    "html",
    "en webbsida (HTML)",
    (Suffix(".html", "HTML-filer"), Suffix(".htm", "HTML-filer")),
    _is_html,
    words=_html_text,
)
TEXT = FileKind(  # the last to be detected: any content is text to try
    "text",
    "CSV eller text",
    (Suffix(".csv", "CSV-filer"), Suffix(".txt", "textfiler"), Suffix(".tsv", "textfiler")),
    lambda content: True,
    refused_as_workbook=True,
    grids=_text_grids,
)
PARQUET = FileKind(  # PxWebApi 2 offers it; its strings stand in the file, plain or in literal runs
    "parquet",
    "Parquet",
    (Suffix(".parquet", "Parquet-filer"),),
    lambda content: content.data.startswith(b"PAR1"),
    refused_as_scb=True,
    words=lambda data: data.decode("utf-8", "replace"),  # Parquet's strings are UTF-8
    binary=True,
)

# In the order content is told: the first kind whose `detect` holds is the file's.
KINDS: tuple[FileKind, ...] = (ODS, XLSB, XLSX, XLSM, ZIP, XLS, PX, JSONSTAT, JSON, HTML, PARQUET, TEXT)
WORKBOOKS = (XLSX, XLSM, ODS)  # what an input workbook is saved as
WORKBOOK_SUFFIXES = ", ".join(kind.suffix for kind in WORKBOOKS)

_BY_SUFFIX = {suffix.text: (kind, suffix) for kind in KINDS for suffix in kind.suffixes}


def named(suffix: str) -> FileKind | None:
    """The kind a file's suffix names, if any."""
    found = _BY_SUFFIX.get(suffix.casefold())
    return found[0] if found is not None else None


def not_supported(suffix: str, advice: str) -> str:
    """The refusal of a file by its suffix, with what to do instead."""
    plural = _BY_SUFFIX[suffix.casefold()][1].plural
    assert plural is not None, suffix
    return f"{plural} stöds inte – {advice}"


def look(source: Path | bytes) -> Content:
    """The file's content as the detectors see it; a zip is opened only for its part names (and
    the few bytes of an .ods's mimetype: the entry may be a zip bomb)."""
    opened: io.BytesIO | Path
    if isinstance(source, bytes):
        data, opened = source, io.BytesIO(source)
    else:
        with source.open("rb") as handle:
            data = handle.read(8)
        opened = source
    if not data.startswith(ZIP_MAGIC):
        return Content(data)
    try:
        with zipfile.ZipFile(opened) as archive:
            names = frozenset(archive.namelist())
            ods = False
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    ods = entry.read(len(ODS_MIMETYPE) + 2).strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError, zlib.error):
        return Content(data)
    return Content(data, names, ods)


def detect(data: bytes) -> FileKind:
    """The kind the file's bytes are (text, the last, takes anything)."""
    content = look(data)
    return next(kind for kind in KINDS if kind.detect is not None and kind.detect(content))


def sniff(source: Path | bytes) -> FileKind | None:
    """The kind a file (or its bytes) is by its container alone, or None when it is no container:
    the same kind `detect` gives, without reading a file whole."""
    content = look(source)
    return next((k for k in KINDS if k.container and k.detect is not None and k.detect(content)), None)
