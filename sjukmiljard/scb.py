"""Population per län from a file exported from SCB's statistical database (PxWeb).

SCB revises the population every month in table BE0101 "Folkmängden per månad efter region,
ålder och kön" (BefolkManad up to 2024M12, BefolkManadCKM from 2025M01). Reading the file the
finance officer downloads lets the allocation use SCB's latest figures instead of a Befolkning
sheet typed by hand, where a transposed digit would go unnoticed.

PxWeb's exports differ in details but share one shape, and that shape is what is relied on:

* stub columns on the left (region, maybe ålder, kön or månad), one row per combination; the
  Excel export leaves an outer stub cell blank below the first row of its block;
* value columns on the right, headed by the heading variables' texts joined by a space
  ("Folkmängd 2019M11"); the Excel export writes one heading row per variable under a title;
* or every variable in the stub (PxWeb's "relationstabell", or månad placed in the rows), where
  a column holds the month (2019M11) and the last column the number.

A region may be "01 Stockholms län", "01 - Stockholms län", "Stockholms län", "01", or a code
column next to a name column. Rows for riket ("00 Riket"), municipalities ("0114 Upplands
Väsby") and other regions are left out with a notice. Riket is always the sum of the 21 län:
from reference year 2025 SCB adds controlled noise to every cell (the Cell Key Method), so its
own total need not equal the sum of its parts.

Dates: SCB's figure for month M is the population at the end of M, so `Population.date` is the
last day of M (2019M11 -> 2019-11-30, 2018M12 -> 2018-12-31). The published 2020 workbook
labelled the population it used "1/11 2019"; that label is not imitated, but the month code is
kept in `ScbPopulation.month` and in `Population.source` so results can show "2019M11".
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from . import regions
from .errors import InputRejected, Problem
from .input_file import MAX_FILE_BYTES
from .model import Population
from .swedish import NotANumber, format_number, parse_number
from .xlsx_book import check_container

DELIMITERS = (";", "\t", ",")
MISSING_SYMBOLS = frozenset({"..", "...", "…", "-", ".", ".c", "..c"})
NUMBER_SEARCH_CELLS = 10

DOWNLOAD_AS = "ladda ned tabellen som Excel (xlsx) eller CSV från SCB:s statistikdatabas"
UNKNOWN_LAYOUT = (
    "känner inte igen filen som en export från SCB:s statistikdatabas: förväntade en rubrikrad med "
    "region och minst en månadskolumn som 2019M11, och en rad per län"
)
NO_MONTH = (
    "SCB-filen har ingen månadskolumn: ingen rubrik innehåller en månad som 2019M11 – välj tabellen "
    "Folkmängden per månad och minst en månad i SCB:s statistikdatabas"
)
ADVICE_TOTALS = (
    "i SCB:s statistikdatabas: välj totalt för ålder och kön (t.ex. 'totalt ålder') eller markera "
    "inget värde alls för dem, och ladda ned filen igen"
)

_MONTH = re.compile(r"(?<!\d)(\d{4})[Mm](0[1-9]|1[0-2])(?!\d)")
_MONTH_ONLY = re.compile(r"\s*(\d{4})[Mm](0[1-9]|1[0-2])\s*")
_CODED_REGION = re.compile(r"(\d+)\s*(?:-\s*)?(.*)")
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W\d_]+")
_AGE = re.compile(r"\d+\s*(?:\+|-\s*\d+)?\s*(?:år|years?)\b|^\d+(?:-\d+|\+)?$")
_TOTAL_WORDS = frozenset({"totalt", "total", "tot", "samtliga", "summa"})
_TOTAL_PHRASES = ("män och kvinnor", "kvinnor och män", "båda könen", "alla åldrar", "men and women")
_BREAKDOWN_WORDS = frozenset({"män", "kvinnor", "man", "kvinna", "men", "women"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REFUSED_SUFFIXES = {
    ".xls": "det gamla Excel-formatet .xls",
    ".xlsm": "arbetsböcker med makron (.xlsm)",
    ".xlsb": "binära Excel-arbetsböcker (.xlsb)",
    ".ods": "OpenDocument-kalkylblad (.ods)",
    ".px": "PC-Axis-filer (.px)",
    ".json": "JSON-filer",
    ".html": "HTML-filer",
    ".htm": "HTML-filer",
    ".parquet": "Parquet-filer",
}


@dataclass(frozen=True)
class ScbPopulation:
    """The population read from an SCB file, with what the user should be told about it.

    Attributes:
        population: Persons per län in `regions.NAMES` order, dated the last day of `month`.
        month: The month used, as SCB writes it ("2019M11").
        months: Every month the file has, in file order, so a caller can offer the others.
        notices: Swedish sentences about what was left out (riket, municipalities, breakdowns).
    """

    population: Population
    month: str
    months: tuple[str, ...]
    notices: tuple[str, ...]


def read_population_file(path: Path, month: str | None = None) -> ScbPopulation:
    """Read the population per län from a PxWeb export (.xlsx, or CSV/text in any PxWeb flavour).

    Args:
        path: The downloaded file.
        month: The month to use, as SCB writes it ("2019M11"). Default: the latest in the file,
            since SCB's newest revision is what the allocation should follow.

    Raises:
        InputRejected: Listing every problem found, so one round of fixes is enough.
    """
    wanted: str | None = None
    if month is not None:
        wanted = _parse_month(month)
        if wanted is None:
            message = f"ogiltig månad '{month}' – skriv månaden som SCB gör, t.ex. 2019M11"
            raise InputRejected(path, [Problem(None, None, message)])
    failures: list[_Refused] = []
    for grid in _load(path):
        try:
            layout = _analyse(grid)
        except _Refused as refused:
            failures.append(refused)
            continue
        try:
            return _extract(layout, wanted, path)
        except _Refused as refused:
            raise InputRejected(path, refused.problems) from None
    if not failures:
        failures.append(_Refused([Problem(None, None, UNKNOWN_LAYOUT)], specific=False))
    best = next((f for f in failures if f.specific), failures[0])
    raise InputRejected(path, best.problems)


def is_population_export(path: Path) -> bool:
    """Whether the file is a population export from SCB's statistical database, usable or not.

    A file is taken for one when a sheet or reading of it has the layout `read_population_file`
    reads, or comes close enough to be refused for a reason specific to SCB files (only riket,
    no län), so that the officer hears what to choose on SCB's site rather than "not a workbook".
    A text file listing län but no month counts too (the wrong SCB table); a workbook does not,
    since every input workbook's Befolkning sheet lists the län without a month.
    """
    workbook = path.suffix.casefold() == ".xlsx"
    try:
        grids = _load(path)
    except Exception:  # any file at all may be looked at: unreadable means "not an SCB export"
        return False
    for grid in grids:
        try:
            _analyse(grid)
        except _Refused as refused:
            if refused.specific and not (workbook and refused.problems[0].message == NO_MONTH):
                return True
            continue
        except Exception:
            continue
        return True
    return False


# -- loading -----------------------------------------------------------------------------


class _Refused(Exception):
    """Problems with one reading of the file; `specific` ones are worth more than 'unknown layout'."""

    def __init__(self, problems: list[Problem], *, specific: bool = True) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.specific = specific


@dataclass(frozen=True)
class _Grid:
    """One sheet, or one way of splitting a text file, as rows of cell values."""

    rows: list[list[object]]
    name: str
    lines: list[int] | None = None

    @property
    def fills_blanks(self) -> bool:
        return self.lines is None

    def value(self, r: int, c: int) -> object:
        row = self.rows[r]
        return row[c] if c < len(row) else None

    def text(self, r: int, c: int) -> str:
        return _text(self.value(r, c))

    def empty(self, r: int) -> bool:
        return not any(_text(value) for value in self.rows[r])

    def ref(self, r: int, c: int) -> str:
        if self.lines is None:
            return f"{get_column_letter(c + 1)}{r + 1}"
        return f"rad {self.lines[r]}"

    def where(self, r: int, c: int) -> str:
        return f"i {self.ref(r, c)}" if self.lines is None else f"på {self.ref(r, c)}"

    def problem(self, r: int, c: int, message: str) -> Problem:
        return Problem(self.name, self.ref(r, c), message)


def _refuse(path: Path, message: str) -> InputRejected:
    return InputRejected(path, [Problem(None, None, message)])


def _load(path: Path) -> list[_Grid]:
    if not path.exists():
        raise _refuse(path, "filen finns inte")
    if path.is_dir():
        raise _refuse(path, "är en mapp, inte en fil")
    suffix = path.suffix.casefold()
    if suffix in _REFUSED_SUFFIXES:
        raise _refuse(path, f"{_REFUSED_SUFFIXES[suffix]} stöds inte – {DOWNLOAD_AS}")
    if suffix == ".xlsx":
        return _xlsx_grids(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise _refuse(path, f"filen är större än {limit} MB – välj bara länen och månaderna du behöver")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _refuse(path, f"filen kunde inte läsas ({type(error).__name__})") from error
    if not data.strip():
        raise _refuse(path, "filen är tom")
    if data.startswith(_OLE_MAGIC):
        raise _refuse(path, f"filen är i det gamla Excel-formatet .xls – {DOWNLOAD_AS}")
    if data.startswith(b"PK"):
        raise _refuse(path, "filen är en Excel-arbetsbok eller ett zip-arkiv – ge den filändelsen .xlsx")
    text = _decode(data)
    if text is None:
        raise _refuse(path, f"filen är ingen textfil i UTF-8 eller Windows-1252 – {DOWNLOAD_AS}")
    return _text_grids(text, path.name)


def _decode(data: bytes) -> str | None:
    """PxWeb writes the table's code page (often Windows-1252) or UTF-8; Excel may add UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _text_grids(text: str, name: str) -> list[_Grid]:
    """One grid per delimiter, the most consistently split first: the layout decides which fits."""
    ranked: list[tuple[int, int, _Grid]] = []
    for order, delimiter in enumerate(DELIMITERS):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
        rows: list[list[object]] = []
        lines: list[int] = []
        try:
            for row in reader:
                rows.append(list(row))
                lines.append(reader.line_num)
        except csv.Error:
            continue
        widths = Counter(len(row) for row in rows if len(row) > 1)
        score = max(widths.values(), default=0)
        ranked.append((-score, order, _Grid(rows, name, lines)))
    return [grid for _, _, grid in sorted(ranked, key=lambda item: (item[0], item[1]))]


def _xlsx_grids(path: Path) -> list[_Grid]:
    problems = check_container(path)
    if problems:
        raise InputRejected(path, problems)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [
                _Grid([list(row) for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)], ws.title)
                for ws in book.worksheets
                if getattr(ws, "sheet_state", "visible") == "visible"
            ]
        finally:
            book.close()
    except Exception as error:  # untrusted bytes: any parser failure means a broken file
        message = f"filen är skadad och kunde inte läsas ({type(error).__name__})"
        raise _refuse(path, message) from error


# -- layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    index: int
    heading: str
    month: str | None
    qualifier: str


@dataclass(frozen=True)
class _Row:
    index: int
    region: str
    kind: str
    lan: str | None
    month: str | None
    breakdown: str | None


@dataclass(frozen=True)
class _Layout:
    grid: _Grid
    region_col: int
    columns: tuple[_Column, ...]
    rows: tuple[_Row, ...]
    months: tuple[str, ...]


def _analyse(grid: _Grid) -> _Layout:
    """Find the value columns, the data rows and the region column of one grid."""
    month_col = _month_column(grid)
    if month_col is not None:
        start = next(r for r in range(len(grid.rows)) if _parse_month(grid.text(r, month_col)))
        data = range(start, _block_end(grid, start))
        value_cols = _trailing_numeric(grid, data, month_col)
        if not value_cols:
            detail = "hittade ingen kolumn med antal personer"
            raise _Refused([Problem(None, None, f"{UNKNOWN_LAYOUT} ({detail})")], specific=False)
        first = value_cols[0]
        headings = _headings(grid, _rows_above(grid, start), first, value_cols[-1])
        columns = [_Column(c, headings[c], None, headings[c]) for c in value_cols]
    else:
        header = _month_header(grid)
        if header is None:
            raise _no_month(grid)
        header_row, first = header
        top = header_row
        while top > 0 and any(grid.text(top - 1, c) for c in range(first, len(grid.rows[top - 1]))):
            top -= 1
        bottom = header_row
        while (
            bottom + 1 < len(grid.rows)
            and not grid.empty(bottom + 1)
            and not any(grid.text(bottom + 1, c) for c in range(first))
        ):
            bottom += 1
        start = bottom + 1
        while start < len(grid.rows) and grid.empty(start):
            start += 1
        data = range(start, _block_end(grid, start))
        last = max(c for c in range(len(grid.rows[bottom])) if grid.text(bottom, c))
        headings = _headings(grid, range(top, bottom + 1), first, last)
        columns = []
        for c in range(first, last + 1):
            found = _MONTH.findall(headings[c])
            if len(found) == 1:
                qualifier = " ".join(_MONTH.sub(" ", headings[c]).split())
                columns.append(_Column(c, headings[c], _month_code(*found[0]), qualifier))
    return _read_stub(grid, data, first, columns)


def _read_stub(grid: _Grid, data: range, first_value: int, columns: list[_Column]) -> _Layout:
    """Classify the stub columns left of the values: months, region (maybe code + name), the rest."""
    filled: dict[int, list[str]] = {}
    previous = [""] * first_value
    for r in data:
        current = [grid.text(r, c) for c in range(first_value)]
        if grid.fills_blanks:
            current = [text or before for text, before in zip(current, previous, strict=True)]
        filled[r] = previous = current

    values = {c: [filled[r][c] for r in data if filled[r][c]] for c in range(first_value)}
    month_like = {c for c, texts in values.items() if texts and all(_parse_month(v) for v in texts)}
    candidates = [c for c, texts in values.items() if texts and c not in month_like]
    scores = {c: _region_score(values[c]) for c in candidates}
    if max((lan for lan, _ in scores.values()), default=0) == 0:
        if any(other for _, other in scores.values()):
            message = "SCB-filen har inga län, bara riket eller kommuner – välj de 21 länen under region"
            raise _Refused([Problem(None, None, f"{message} i SCB:s statistikdatabas")])
        detail = "hittade ingen kolumn med län, t.ex. '01 Stockholms län'"
        raise _Refused([Problem(None, None, f"{UNKNOWN_LAYOUT} ({detail})")], specific=False)
    region_col = max(candidates, key=lambda c: (scores[c][0], scores[c][1], -c))
    code_col, name_col = _code_and_name(region_col, candidates, [filled[r] for r in data])
    dims = [c for c in candidates if c not in (code_col, name_col)]
    varies = {c: len(set(values[c])) > 1 for c in dims}
    month_col = min(month_like) if month_like else None

    rows: list[_Row] = []
    for r in data:
        stub = filled[r]
        region = _region_text(stub[code_col] if code_col is not None else "", stub[name_col])
        if not region:
            continue
        kind, lan = _region_kind(region)
        month = _parse_month(stub[month_col]) if month_col is not None else None
        breakdown = next((stub[c] for c in dims if _is_breakdown_value(stub[c], varies[c])), None)
        rows.append(_Row(r, region, kind, lan, month, breakdown))
    if month_col is not None:
        months = _unique(row.month for row in rows if row.month)
    else:
        months = _unique(column.month for column in columns if column.month)
    return _Layout(grid, name_col, tuple(columns), tuple(rows), months)


def _month_column(grid: _Grid) -> int | None:
    """A column holding months as values (long layout); wide headings have each month only once."""
    counts: Counter[int] = Counter()
    for row in grid.rows:
        for c, value in enumerate(row):
            if isinstance(value, str) and _MONTH_ONLY.fullmatch(value):
                counts[c] += 1
    if not counts:
        return None
    column, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return column if count >= 2 else None


def _month_header(grid: _Grid) -> tuple[int, int] | None:
    """The heading row with month columns, and its first month column.

    Column A is never a value column (the region is in the stub), which keeps a title such as
    "Folkmängden … Månad 2019M11" from being taken for a heading.
    """
    best: tuple[int, list[int]] | None = None
    for r, row in enumerate(grid.rows):
        cols = [
            c
            for c in range(1, len(row))
            if len(_MONTH.findall(grid.text(r, c))) == 1 and _number_below(grid, r, c)
        ]
        if cols and (best is None or len(cols) >= len(best[1])):
            best = (r, cols)
    return (best[0], min(best[1])) if best else None


def _number_below(grid: _Grid, r: int, c: int) -> bool:
    seen = 0
    for below in range(r + 1, len(grid.rows)):
        value = grid.value(below, c)
        if not _text(value):
            continue
        if _numberish(value):
            return True
        seen += 1
        if seen >= NUMBER_SEARCH_CELLS:
            return False
    return False


def _block_end(grid: _Grid, start: int) -> int:
    """Data ends at the first empty row: the Excel export puts its footnotes below one."""
    return next((r for r in range(start, len(grid.rows)) if grid.empty(r)), len(grid.rows))


def _rows_above(grid: _Grid, start: int) -> range:
    top = start
    while top > 0 and not grid.empty(top - 1) and any(_text(v) for v in grid.rows[top - 1][1:]):
        top -= 1
    return range(top, start)


def _trailing_numeric(grid: _Grid, data: range, month_col: int) -> list[int]:
    """The value columns of a long layout: the block of mostly numeric columns at the right."""
    width = max((len(grid.rows[r]) for r in data), default=0)
    found: list[int] = []
    for c in reversed(range(width)):
        cells = [grid.value(r, c) for r in data if _text(grid.value(r, c))]
        if not cells:
            if found:
                break
            continue
        if c == month_col or 2 * sum(1 for v in cells if _numberish(v)) <= len(cells):
            break
        found.append(c)
    return sorted(found)


def _headings(grid: _Grid, heading_rows: range, first: int, last: int) -> dict[int, str]:
    """Each value column's heading texts joined, carrying spanning Excel headings to the right."""
    parts: dict[int, list[str]] = {c: [] for c in range(first, last + 1)}
    for r in heading_rows:
        carried = ""
        for c in range(first, last + 1):
            carried = grid.text(r, c) or carried
            if carried:
                parts[c].append(carried)
    return {c: " ".join(texts) for c, texts in parts.items()}


def _no_month(grid: _Grid) -> _Refused:
    for row in grid.rows:
        for value in row:
            text = _text(value)
            if text and not _numberish(value) and _region_kind(text)[0] == "lan":
                return _Refused([Problem(None, None, NO_MONTH)])
    return _Refused([Problem(None, None, UNKNOWN_LAYOUT)], specific=False)


def _region_score(values: Sequence[str]) -> tuple[int, int]:
    """(län, riket and municipalities) among a column's values."""
    kinds = Counter(_region_kind(value)[0] for value in values)
    return kinds["lan"], kinds["riket"] + kinds["kommun"]


def _code_and_name(region_col: int, candidates: list[int], stubs: list[list[str]]) -> tuple[int | None, int]:
    """PxWeb's "code and text" export puts the region code in its own column before the name.

    The pair is only taken when the codes agree with the names, so that a kön or ålder code
    column standing next to the region names is not read as region codes.
    """

    def agree(code_col: int, name_col: int) -> bool:
        if code_col not in candidates or name_col not in candidates:
            return False
        pairs = [(stub[code_col], stub[name_col]) for stub in stubs if stub[name_col]]
        if not all(_DIGITS.fullmatch(code) for code, _ in pairs):
            return False
        named = [(code, _region_kind(name)[1]) for code, name in pairs if _region_kind(name)[0] == "lan"]
        return bool(named) and all(regions.match(code) == lan for code, lan in named)

    if agree(region_col, region_col + 1):
        return region_col, region_col + 1
    if agree(region_col - 1, region_col):
        return region_col - 1, region_col
    return None, region_col


def _region_text(code: str, name: str) -> str:
    if not code or regions.fold(name).startswith(regions.fold(code)):
        return name
    return f"{code} {name}"


def _region_kind(text: str) -> tuple[str, str | None]:
    """('lan', name), ('riket', None), ('kommun', None) or ('other', None)."""
    folded = regions.fold(text)
    coded = _CODED_REGION.fullmatch(folded)
    if coded:
        code, rest = coded.groups()
        if len(code) == 4:
            return "kommun", None
        if code == "00":
            return "riket", None
        lan = regions.match(f"{code} {rest}".strip())
        return ("lan", lan) if lan else ("other", None)
    if regions.is_riket(text) or folded in ("sverige", "hela sverige"):
        return "riket", None
    lan = regions.match(text)
    return ("lan", lan) if lan else ("other", None)


# -- extraction --------------------------------------------------------------------------


def _extract(layout: _Layout, wanted: str | None, path: Path) -> ScbPopulation:
    grid = layout.grid
    if wanted is not None and wanted not in layout.months:
        message = f"månaden {wanted} finns inte i SCB-filen – den har {_join(layout.months)}"
        raise _Refused([Problem(None, None, message)])
    if not layout.months:
        raise _Refused([Problem(None, None, NO_MONTH)])
    month = wanted or max(layout.months)
    column, ignored_columns = _choose_column(layout.columns, month)
    rows = [row for row in layout.rows if row.month in (None, month)]
    by_lan: dict[str, list[_Row]] = {}
    for row in rows:
        if row.lan is not None:
            by_lan.setdefault(row.lan, []).append(row)
    if by_lan and all(row.breakdown is not None for found in by_lan.values() for row in found):
        example = next(iter(by_lan.values()))[0].breakdown
        message = (
            f"SCB-filen har bara rader uppdelade på ålder eller kön (t.ex. '{example}') – {ADVICE_TOTALS}"
        )
        raise _Refused([Problem(None, None, message)])

    problems: list[Problem] = []
    counts: dict[str, int] = {}
    demoted: list[_Row] = []
    for lan in regions.NAMES:
        found = by_lan.get(lan, [])
        totals = [row for row in found if row.breakdown is None]
        if len(totals) > 1:
            totals, extra = _prefer_lan_form(totals)
            demoted += extra
        if not found:
            problems.append(Problem(None, None, f"{lan} saknas i SCB-filen{_hint(lan, rows)}"))
        elif not totals:
            example = found[0].breakdown
            message = f"{lan} har bara rader uppdelade på ålder eller kön i SCB-filen (t.ex. '{example}')"
            problems.append(Problem(None, None, f"{message} – {ADVICE_TOTALS}"))
        elif len(totals) > 1:
            first = grid.where(totals[0].index, layout.region_col)
            for row in totals[1:]:
                message = f"{lan} förekommer flera gånger i SCB-filen (första gången {first})"
                problems.append(grid.problem(row.index, layout.region_col, message))
        else:
            count = _count(grid, totals[0].index, column.index, f"{lan} {month}", problems)
            if count is not None:
                counts[lan] = count
    if problems:
        raise _Refused(problems)

    population = Population(
        counts=tuple((lan, counts[lan]) for lan in regions.NAMES),
        date=_last_day(month),
        source=f"SCB-fil {path.name}, {month}",
    )
    notices = _notices(layout, rows, demoted, column, ignored_columns, month, wanted, population.total)
    return ScbPopulation(population, month, layout.months, tuple(notices))


def _choose_column(columns: Sequence[_Column], month: str) -> tuple[_Column, list[_Column]]:
    """The one value column for `month`: several appear when kön or contents sit in the heading."""
    candidates = [column for column in columns if column.month in (None, month)]
    good = [column for column in candidates if not _is_breakdown_label(column.qualifier)]
    headings = _quoted(column.heading for column in candidates)
    if not candidates:
        raise _Refused([Problem(None, None, NO_MONTH)])
    if not good:
        message = f"SCB-filen har bara kolumner uppdelade på ålder eller kön för {month} ({headings})"
        raise _Refused([Problem(None, None, f"{message} – {ADVICE_TOTALS}")])
    if len(good) > 1:
        explicit = [column for column in good if _is_total(column.qualifier)]
        if len(explicit) != 1:
            message = (
                f"SCB-filen har flera kolumner för {month} ({headings}) – välj bara tabellinnehållet "
                "folkmängd, och totalt för ålder och kön, i SCB:s statistikdatabas"
            )
            raise _Refused([Problem(None, None, message)])
        good = explicit
    return good[0], [column for column in candidates if column is not good[0]]


def _prefer_lan_form(totals: list[_Row]) -> tuple[list[_Row], list[_Row]]:
    """With names only, municipality "Uppsala" matches Uppsala län too; keep the row written as a län."""
    written_as_lan = [row for row in totals if _written_as_lan(row.region)]
    if len(written_as_lan) == 1:
        return written_as_lan, [row for row in totals if row is not written_as_lan[0]]
    return totals, []


def _written_as_lan(region: str) -> bool:
    folded = regions.fold(region)
    return bool(_CODED_REGION.fullmatch(folded)) or " län" in folded or folded.startswith("region ")


def _count(grid: _Grid, r: int, c: int, what: str, problems: list[Problem]) -> int | None:
    value = grid.value(r, c)
    text = _text(value)
    if not text:
        problems.append(grid.problem(r, c, f"antal personer saknas för {what}"))
        return None
    try:
        number = parse_number(value)
    except NotANumber:
        tail = " – SCB:s tecken för att uppgiften saknas" if regions.fold(text) in MISSING_SYMBOLS else ""
        problems.append(grid.problem(r, c, f"'{text}' är inget tal (antal personer för {what}){tail}"))
        return None
    if not number.is_integer():
        problems.append(grid.problem(r, c, f"{text} är inget helt antal personer ({what})"))
        return None
    if number <= 0:
        problems.append(
            grid.problem(r, c, f"antalet personer för {what} måste vara större än noll, inte {text}")
        )
        return None
    return int(number)


def _hint(lan: str, rows: Sequence[_Row]) -> str:
    for row in rows:
        if row.kind == "other":
            name = _CODED_REGION.fullmatch(regions.fold(row.region))
            guess = regions.suggest(name.group(2) if name else row.region)
            if guess == lan:
                return f" ('{row.region}' känns inte igen – menade du {lan}?)"
    return ""


def _notices(
    layout: _Layout,
    rows: Sequence[_Row],
    demoted: Sequence[_Row],
    column: _Column,
    ignored_columns: Sequence[_Column],
    month: str,
    wanted: str | None,
    total: int,
) -> list[str]:
    notices: list[str] = []
    months = layout.months
    if wanted is None and len(months) > 1:
        shown = _join(months) if len(months) <= 6 else f"{months[0]} … {months[-1]}"
        notices.append(
            f"SCB-filen har {len(months)} månader ({shown}); den senaste, {month}, används – "
            "välj en annan med --month"
        )
    if ignored_columns:
        which = "kolumnen" if len(ignored_columns) == 1 else "kolumnerna"
        notices.append(
            f"Användes inte från SCB-filen: {which} {_quoted(c.heading for c in ignored_columns)} – "
            f"bara '{column.heading}' räknas"
        )
    split = [row for row in rows if row.lan is not None and row.breakdown is not None]
    if split:
        what = "rad uppdelad" if len(split) == 1 else "rader uppdelade"
        notices.append(
            f"Användes inte från SCB-filen: {len(split)} {what} på ålder eller kön "
            f"(t.ex. '{split[0].breakdown}') – bara totalraderna räknas"
        )
    riket = [row for row in rows if row.kind == "riket" and row.breakdown is None]
    municipalities = len([row for row in rows if row.kind == "kommun"]) + len(demoted)
    others = [row.region for row in rows if row.kind == "other"]
    parts: list[str] = []
    if riket:
        figure = _quiet_number(layout.grid.value(riket[0].index, column.index))
        shown = f" ({format_number(figure)})" if len(riket) == 1 and figure is not None else ""
        parts.append(f"raden för riket{shown}" if len(riket) == 1 else f"{len(riket)} rader för riket")
    if municipalities:
        parts.append(_plural(municipalities, "kommunrad", "kommunrader"))
    if others:
        names = _quoted(_unique(others)[:3]) + (" …" if len(set(others)) > 3 else "")
        parts.append(f"{_plural(len(others), 'rad', 'rader')} för andra regioner ({names})")
    if parts:
        sentence = f"Användes inte från SCB-filen: {_join(parts)}"
        if riket:
            sentence += f" – riket räknas som summan av de 21 länen ({format_number(total)})"
        notices.append(sentence)
    return notices


# -- small helpers -----------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _numberish(value: object) -> bool:
    if regions.fold(_text(value)) in MISSING_SYMBOLS:
        return True
    try:
        parse_number(value)
    except NotANumber:
        return False
    return True


def _quiet_number(value: object) -> float | None:
    try:
        return parse_number(value)
    except NotANumber:
        return None


def _parse_month(text: str) -> str | None:
    found = _MONTH_ONLY.fullmatch(text)
    return _month_code(*found.groups()) if found else None


def _month_code(year: str, month: str) -> str:
    return f"{year}M{month}"


def _last_day(month: str) -> dt.date:
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def _is_total(text: str) -> bool:
    folded = regions.fold(text)
    if folded == "1+2":
        return True
    return bool(set(_WORDS.findall(folded)) & _TOTAL_WORDS) or any(p in folded for p in _TOTAL_PHRASES)


def _is_breakdown_label(text: str) -> bool:
    """True for "män", "0 år", "15-19 år": a part of the population rather than all of it."""
    folded = regions.fold(text)
    if not folded or _is_total(folded):
        return False
    return bool(set(_WORDS.findall(folded)) & _BREAKDOWN_WORDS) or bool(_AGE.search(folded))


def _is_breakdown_value(text: str, varies: bool) -> bool:
    """A stub value splits the population unless it is a total, or the same on every row."""
    return bool(text) and not _is_total(text) and (varies or _is_breakdown_label(text))


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} och {items[-1]}"


def _plural(count: int, one: str, many: str) -> str:
    return f"1 {one}" if count == 1 else f"{count} {many}"
