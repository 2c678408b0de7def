"""Reading the input workbook: Befolkning plus one sheet per villkor.

openpyxl stays inside this module; the rest of the program sees the records in `model`.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from openpyxl.utils import get_column_letter

from . import regions
from .errors import InputRejected, Problem
from .model import Indata, NationalSum, Population, Pot, PotOutcome, Utfall, Villkor
from .payment_rules import Rule, unknown_rule
from .swedish import NotANumber, find_date, format_mkr, format_number, looks_dotted, parse_number

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a hard dependency
    raise ImportError("defusedxml must be installed: openpyxl would parse untrusted XML unguarded")

POPULATION_SHEET = "Befolkning"
OUTCOME_SHEET = "Utfall"
IGNORED_SHEETS = frozenset(
    {"sammanställning", "anvisningar", "förändring", "utfall", "utbetalning", "utbetalning översikt"}
)
OUTCOME_PARAMETERS = {
    "regel": "rule",
    "förverkat": "forfeit",
    "kr per enhet": "per_unit",
    "belopp per enhet, kr": "per_unit",
    "pott, mkr": "pot",
    "pott": "pot",
}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
HEADER_SEARCH_ROWS = 40
MKR_TOLERANCE = 0.0005
MAX_SHEET_NAME = 31
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_PERSONS = 50_000_000  # per län: Sweden has about 10.5 million people
MAX_MKR = 1_000_000.0  # per pot or fixed sum: a million Mkr is a thousand times the whole miljard
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

REFUSED_SUFFIXES = {
    ".xls": "det gamla Excel-formatet .xls",
    ".xlsb": "binära Excel-arbetsböcker (.xlsb)",
    ".xlsm": "arbetsböcker med makron (.xlsm)",
    ".ods": "OpenDocument-kalkylblad (.ods)",
    ".csv": "CSV-filer",
    ".txt": "textfiler",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
UNSAFE_XML = "arbetsboken innehåller otillåten XML (DTD eller entiteter) och läses inte av säkerhetsskäl"
UNCACHED_FORMULA = "formeln har inget beräknat värde – öppna arbetsboken i Excel, spara den och försök igen"


def check_container(path: Path) -> list[Problem]:
    """Refuse files that are not a sane .xlsx before any XML is parsed."""
    suffix = path.suffix.casefold()
    if suffix in REFUSED_SUFFIXES:
        return [_file_problem(f"{REFUSED_SUFFIXES[suffix]} stöds inte – spara som .xlsx i Excel")]
    if suffix != ".xlsx":
        return [_file_problem("filen är ingen Excel-arbetsbok (.xlsx)")]
    size = path.stat().st_size
    if size == 0:
        return [_file_problem("filen är tom")]
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return [_file_problem(f"filen är större än {limit} MB – det är ingen rimlig indatafil")]
    with path.open("rb") as handle:
        data = handle.read()
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            return [_file_problem("arbetsboken är lösenordsskyddad – ta bort lösenordet i Excel")]
        return [_file_problem("filen är i det gamla .xls-formatet – spara som .xlsx i Excel")]
    if not data.startswith(b"PK"):
        return [_file_problem("filen är ingen Excel-arbetsbok (.xlsx) eller är skadad")]
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return [_file_problem("filen är skadad eller avkortad – den går inte att öppna som .xlsx")]
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return [_file_problem("filen är ingen Excel-arbetsbok (.xlsx) eller är skadad")]
    if any(entry.flag_bits & 0x1 for entry in entries):
        return [_file_problem("arbetsboken är krypterad – ta bort lösenordet i Excel")]
    unpacked = sum(entry.file_size for entry in entries)
    bomb = any(
        entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if unpacked > MAX_UNPACKED_BYTES or bomb:
        return [_file_problem("filen packas upp till orimlig storlek (möjlig zip-bomb) och läses inte")]
    return _check_sheet_names(path)


def _check_sheet_names(path: Path) -> list[Problem]:
    """Sheet names as the file has them: openpyxl silently renames duplicates and empty names."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = DefusedET.fromstring(archive.read("xl/workbook.xml"))
    except DefusedXmlException:
        return [_file_problem(UNSAFE_XML)]
    except Exception:  # a broken part: openpyxl will say the file is damaged
        return []
    names = [sheet.get("name", "") for sheet in root.iter(f"{{{_MAIN_NS}}}sheet")]
    problems = []
    seen: dict[str, str] = {}
    for name in names:
        if not name.strip():
            problems.append(_file_problem("ett blad saknar namn – ge det ett namn i Excel"))
        elif bad := sorted({ch for ch in name if ch in "[]:*?/\\"}):
            shown = " ".join(bad)
            problems.append(Problem(name, None, f"bladnamnet innehåller {shown}, som Excel inte tillåter"))
        elif name.casefold() in seen:
            problems.append(
                _file_problem(
                    f"bladen '{seen[name.casefold()]}' och '{name}' har samma namn för Excel, som inte "
                    "skiljer på stora och små bokstäver – byt namn på det ena"
                )
            )
        else:
            seen[name.casefold()] = name
    return problems


def _sheet_name_problem(title: str) -> str | None:
    """Why a villkor sheet's name cannot be a sheet name in the result, if it cannot."""
    if len(title) > MAX_SHEET_NAME:
        return f"bladnamnet är längre än {MAX_SHEET_NAME} tecken – korta det i Excel"
    if title.startswith("'") or title.endswith("'"):
        return "bladnamnet får inte börja eller sluta med apostrof"
    if any(ch in title for ch in "[]:*?/\\"):
        return "bladnamnet innehåller ett tecken som Excel inte tillåter ([ ] : * ? / \\)"
    return None


def read_workbook(path: Path) -> Indata:
    """Read and validate an input workbook; raise InputRejected with every problem found."""
    problems = check_container(path)
    if problems:
        raise InputRejected(path, problems)
    book = _load(path, data_only=True)
    notices: list[str] = []
    problems = []
    population: Population | None = None
    villkor: list[Villkor] = []
    parsed: list[str] = []

    sheets = {regions.fold(ws.title): ws for ws in book.worksheets}
    population_ws = sheets.get(regions.fold(POPULATION_SHEET))
    if population_ws is None:
        problems.append(Problem(None, None, "bladet Befolkning saknas"))
    else:
        sheet = _Sheet(population_ws)
        population = sheet.read_population(path.name)
        problems += sheet.problems
        parsed.append(population_ws.title)

    for ws in book.worksheets:
        folded = regions.fold(ws.title)
        if ws is population_ws or folded in IGNORED_SHEETS:
            continue
        if ws.sheet_state != "visible":
            notices.append(f"Bladet '{ws.title}' är dolt och hoppades över")
            continue
        sheet = _Sheet(ws)
        header = sheet.find_header()
        if header is not None and (bad_name := _sheet_name_problem(ws.title)):
            problems.append(Problem(ws.title, None, bad_name))
            continue
        if header is None:
            notices.append(f"Bladet '{ws.title}' saknar rubrikraden 'Län' och hoppades över")
            continue
        if any(regions.fold(text) == "personer" for _, text in header.columns):
            if population_ws is None:
                problems.append(
                    Problem(ws.title, None, "ser ut som befolkningen – bladet måste heta Befolkning")
                )
            else:
                notices.append(f"Bladet '{ws.title}' har kolumnen 'Personer' och hoppades över")
            continue
        item = sheet.read_villkor(header)
        problems += sheet.problems
        parsed.append(ws.title)
        if item is not None:
            villkor.append(item)

    utfall = None
    outcome_ws = sheets.get(regions.fold(OUTCOME_SHEET))
    if outcome_ws is not None and outcome_ws.sheet_state == "visible" and not problems:
        # Read only when the villkor are sound: Utfall's columns are bound to their pots.
        sheet = _Sheet(outcome_ws)
        utfall = sheet.read_utfall(tuple(villkor))
        problems += sheet.problems
        parsed.append(outcome_ws.title)
    if (
        population_ws is not None
        and not villkor
        and not any(p.sheet not in (None, population_ws.title) for p in problems)
    ):
        problems.append(Problem(None, None, "arbetsboken har inget villkorsblad med rubrikraden 'Län'"))
    if problems:
        raise InputRejected(path, _explain_uncached_formulas(path, book, parsed, problems))
    assert population is not None
    return Indata(population=population, villkor=tuple(villkor), notices=tuple(notices), utfall=utfall)


def _file_problem(message: str) -> Problem:
    return Problem(None, None, message)


def _load(path: Path, *, data_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only)
    except Exception as error:  # untrusted bytes: any parser failure means a broken file
        if _caused_by(error, DefusedXmlException):
            raise InputRejected(path, [_file_problem(UNSAFE_XML)]) from error
        raise InputRejected(
            path, [_file_problem(f"filen är skadad och kunde inte läsas ({type(error).__name__})")]
        ) from error


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _explain_uncached_formulas(
    path: Path, cached: Any, sheets: list[str], problems: list[Problem]
) -> list[Problem]:
    """Name formulas that no program calculated: openpyxl reads them as empty cells.

    `cached` is the workbook already read for its values; only the formulas need a second load.
    """
    formulas = _load(path, data_only=False)
    found: list[Problem] = []
    for title in sheets:
        values = cached[title]._cells
        for key, cell in _existing_cells(formulas[title]):
            value = values.get(key)
            if cell.data_type == "f" and (value is None or value.value is None):
                found.append(Problem(title, cell.coordinate, UNCACHED_FORMULA))
    located = {(p.sheet, p.cell) for p in found}
    return found + [p for p in problems if (p.sheet, p.cell) not in located]


def _existing_cells(ws: Any) -> list[tuple[tuple[int, int], Any]]:
    """The worksheet's stored cells in reading order, without walking its empty dimension."""
    return sorted(ws._cells.items())


@dataclass(frozen=True)
class _Header:
    row: int
    lan_col: int
    columns: tuple[tuple[int, str], ...]


def _not_a_number(value: object) -> str:
    if looks_dotted(value):
        return f"'{_text(value)}' är inget tal – skriv decimalkomma, utan punkt"
    return f"'{_text(value)}' är inget tal"


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Sheet:
    """One worksheet as a grid of cached values, collecting problems as it is read."""

    def __init__(self, ws: Any) -> None:
        self.title: str = ws.title
        self.problems: list[Problem] = []
        # Sparse, from the cells that exist: a single far cell (XFD1048576) must not make the reader
        # walk a billion empty ones.
        self.rows: dict[int, dict[int, object]] = {}
        self.errors: set[tuple[int, int]] = set()
        for (r, c), cell in _existing_cells(ws):
            if cell.value is None:
                continue
            self.rows.setdefault(r - 1, {})[c - 1] = cell.value
            if cell.data_type == "e":
                self.errors.add((r - 1, c - 1))
        self.row_numbers = sorted(self.rows)

    # -- helpers -------------------------------------------------------------------------

    def get(self, row: int, col: int) -> object:
        return self.rows.get(row, {}).get(col)

    def rows_after(self, row: int) -> list[int]:
        """The non-empty rows below `row`, in order."""
        return [r for r in self.row_numbers if r > row]

    def problem(self, row: int | None, col: int | None, message: str) -> None:
        cell = f"{get_column_letter(col + 1)}{row + 1}" if row is not None and col is not None else None
        self.problems.append(Problem(self.title, cell, message))

    def error_value(self, row: int, col: int) -> bool:
        if (row, col) in self.errors:
            self.problem(row, col, f"cellen innehåller felvärdet {self.get(row, col)} – rätta formeln")
            return True
        return False

    def number(self, row: int, col: int, what: str) -> float | None:
        value = self.get(row, col)
        if self.error_value(row, col):
            return None
        if _is_empty(value):
            self.problem(row, col, f"{what} saknas")
            return None
        try:
            return parse_number(value)
        except NotANumber:
            self.problem(row, col, _not_a_number(value))
            return None

    def cells(self, row: int) -> Iterator[tuple[int, object]]:
        for col, value in sorted(self.rows.get(row, {}).items()):
            if not _is_empty(value):
                yield col, value

    def find_header(self, *required: str) -> _Header | None:
        for r in (r for r in self.row_numbers if r < HEADER_SEARCH_ROWS):
            labels = {
                c: _text(v) for c, v in self.cells(r) if isinstance(v, str) and (r, c) not in self.errors
            }
            folded = {c: regions.fold(text) for c, text in labels.items()}
            lan_cols = [c for c, text in folded.items() if text == "län"]
            if not lan_cols or not all(name in folded.values() for name in required):
                continue
            lan_col = lan_cols[0]
            columns = tuple((c, labels[c]) for c in sorted(labels) if c > lan_col)
            return _Header(r, lan_col, columns)
        return None

    # -- Befolkning ----------------------------------------------------------------------

    def read_population(self, file_name: str) -> Population | None:
        header = self.find_header("personer")
        if header is None:
            self.problem(None, None, "rubrikraden med cellerna 'Län' och 'Personer' saknas")
            return None
        persons_col = next(c for c, text in header.columns if regions.fold(text) == "personer")
        date = self._reference_date(header.row)
        counts: dict[str, int] = {}
        seen_at: dict[str, int] = {}
        riket: tuple[int, float | None] | None = None
        for r in self.rows_after(header.row):
            lan_value = self.get(r, header.lan_col)
            if self.error_value(r, header.lan_col):
                continue
            if _is_empty(lan_value):
                if not _is_empty(self.get(r, persons_col)):
                    self.problem(r, header.lan_col, "länets namn saknas")
                continue
            text = _text(lan_value)
            if regions.is_riket(text):
                if not _is_empty(self.get(r, persons_col)):  # an empty RIKET is not checked
                    riket = (r, self.number(r, persons_col, "antal personer för RIKET"))
                break
            name = regions.match(text)
            if name is None:
                hint = regions.suggest(text)
                tip = f" – menade du '{hint}'?" if hint else ""
                self.problem(r, header.lan_col, f"okänt län '{text}'{tip}")
                continue
            if name in seen_at:
                self.problem(r, header.lan_col, f"{name} förekommer redan på rad {seen_at[name] + 1}")
                continue
            seen_at[name] = r
            persons = self.number(r, persons_col, f"antal personer för {name}")
            if persons is None:
                continue
            if not persons.is_integer():
                self.problem(
                    r,
                    persons_col,
                    f"{_text(self.get(r, persons_col))} är inget helt antal personer",
                )
            elif persons <= 0:
                self.problem(r, persons_col, f"antalet personer för {name} måste vara större än noll")
            elif persons > MAX_PERSONS:
                self.problem(r, persons_col, f"{format_number(persons)} personer i {name} är orimligt många")
            else:
                counts[name] = int(persons)
        for name in regions.NAMES:
            if name not in seen_at:
                self.problem(None, None, f"{name} saknas")
        if riket is not None and riket[1] is not None and len(counts) == len(regions.NAMES):
            total = sum(counts.values())
            if riket[1] != total:
                self.problem(
                    riket[0],
                    persons_col,
                    f"RIKET är {format_number(riket[1])} men summan av länen är {format_number(total)}",
                )
        if date is None or len(counts) != len(regions.NAMES):
            return None
        return Population(
            counts=tuple((name, counts[name]) for name in regions.NAMES),
            date=date,
            source=f"bladet {self.title} i {file_name}",
        )

    def _reference_date(self, header_row: int) -> dt.date | None:
        for r in range(header_row):
            for c, value in self.cells(r):
                found = None
                if isinstance(value, dt.datetime):
                    found = value.date()
                elif isinstance(value, dt.date):
                    found = value
                elif isinstance(value, str):
                    found = find_date(value)
                if found is not None and not MIN_YEAR <= found.year <= MAX_YEAR:
                    self.problem(r, c, f"referensdatumet {found.isoformat()} är orimligt")
                    return None
                if found is not None:
                    return found
        self.problem(
            None,
            None,
            "referensdatum saknas – skriv t.ex. 'Befolkning 1/11 2019' ovanför rubrikraden",
        )
        return None

    # -- villkor sheets ------------------------------------------------------------------

    def read_villkor(self, header: _Header) -> Villkor | None:
        title = self._title(header.row)
        pot_cols = [(c, text) for c, text in header.columns if regions.fold(text) != "totalt"]
        if not pot_cols:
            self.problem(header.row, header.lan_col, "rubrikraden har ingen potkolumn efter 'Län'")
            return None
        riket_row = next(
            (
                r
                for r in self.rows_after(header.row)
                if isinstance(self.get(r, header.lan_col), str)
                and regions.is_riket(str(self.get(r, header.lan_col)))
            ),
            None,
        )
        if riket_row is None:
            self.problem(
                None,
                None,
                f"raden RIKET med potten saknas i kolumn {get_column_letter(header.lan_col + 1)}",
            )
            return None
        pots = []
        for col, label in pot_cols:
            amount = self.number(riket_row, col, f"potten '{label}' i raden RIKET")
            if amount is not None and amount < 0:
                self.problem(riket_row, col, f"potten kan inte vara negativ ({format_mkr(amount)})")
            elif amount is not None and amount > MAX_MKR:
                self.problem(riket_row, col, f"potten {format_mkr(amount)} Mkr är orimligt stor")
            elif amount is not None:
                pots.append(Pot(label, amount))
        complete = len(pots) == len(pot_cols)
        pot_total = sum(p.amount for p in pots) if complete else None
        national, notes = self._below_riket(riket_row, pot_total)
        if not complete:
            return None
        return Villkor(self.title, title, tuple(pots), tuple(national), tuple(notes))

    def _title(self, header_row: int) -> str | None:
        for r in range(header_row):
            for _, value in self.cells(r):
                if isinstance(value, str):
                    return value.strip()
        return None

    def _below_riket(self, riket_row: int, pot_total: float | None) -> tuple[list[NationalSum], list[str]]:
        national: list[NationalSum] = []
        notes: list[str] = []
        seen: dict[str, int] = {}
        summa: tuple[int, int, float] | None = None
        for r in self.rows_after(riket_row):
            texts: list[tuple[int, str]] = []
            amounts: list[tuple[int, float]] = []
            for c, value in self.cells(r):
                if self.error_value(r, c):
                    continue
                if looks_dotted(value):
                    self.problem(r, c, _not_a_number(value))
                    continue
                try:
                    amounts.append((c, parse_number(value)))
                except NotANumber:
                    texts.append((c, _text(value)))
            if not texts and not amounts:
                continue
            if not texts:
                self.problem(r, amounts[0][0], "beloppet saknar namn")
                continue
            first_col, name = texts[0]
            if regions.fold(name) == "summa":
                if len(amounts) != 1:
                    self.problem(r, first_col, "raden SUMMA ska ha exakt ett belopp")
                else:
                    summa = (r, amounts[0][0], amounts[0][1])
                continue
            if not amounts:
                notes.append(" ".join(text for _, text in texts))
                continue
            if len(texts) > 1 or len(amounts) > 1:
                self.problem(
                    r,
                    first_col,
                    "en rad under RIKET ska ha ett namn och ett belopp (eller bara text)",
                )
                continue
            col, amount = amounts[0]
            key = regions.fold(name)
            if amount < 0:
                self.problem(r, col, f"beloppet till {name} kan inte vara negativt")
            elif amount > MAX_MKR:
                self.problem(r, col, f"beloppet till {name}, {format_mkr(amount)} Mkr, är orimligt stort")
            elif key in seen:
                self.problem(r, first_col, f"{name} förekommer redan på rad {seen[key] + 1}")
            else:
                seen[key] = r
                national.append(NationalSum(name, amount))
        if summa is not None and pot_total is not None:
            expected = pot_total + sum(item.amount for item in national)
            if abs(summa[2] - expected) > MKR_TOLERANCE:
                self.problem(
                    summa[0],
                    summa[1],
                    f"SUMMA är {format_mkr(summa[2])} men RIKET plus de nationella beloppen är "
                    f"{format_mkr(expected)}",
                )
        return national, notes

    # -- Utfall ----------------------------------------------------------------------------

    def read_utfall(self, villkor: tuple[Villkor, ...]) -> Utfall | None:
        """The regions' reported outcomes; None for a sheet with nothing filled in (the template's)."""
        header = self.find_header()
        if header is None:
            self.problem(None, None, "rubrikraden med cellen 'Län' saknas")
            return None
        parameters: dict[str, int] = {}
        rows: dict[str, int] = {}
        for r in self.rows_after(header.row):
            value = self.get(r, header.lan_col)
            if _is_empty(value) or self.error_value(r, header.lan_col):
                continue
            text = _text(value)
            key = regions.fold(text)
            if key in OUTCOME_PARAMETERS:
                parameters[OUTCOME_PARAMETERS[key]] = r
            elif regions.is_riket(text) or key == "summa":
                continue
            elif (name := regions.match(text)) is None:
                hint = regions.suggest(text)
                self.problem(
                    r, header.lan_col, f"okänt län '{text}'" + (f" – menade du '{hint}'?" if hint else "")
                )
            elif name in rows:
                self.problem(r, header.lan_col, f"{name} förekommer redan på rad {rows[name] + 1}")
            else:
                rows[name] = r
        if all(_is_empty(self.get(r, c)) for r in rows.values() for c, _ in header.columns):
            return None
        for name in regions.NAMES:
            if name not in rows:
                self.problem(None, None, f"{name} saknas")
        pots = [self._pot_outcome(col, label, parameters, rows, villkor) for col, label in header.columns]
        for v in villkor:
            for k, pot in enumerate(v.pots):
                label = _pot_label(v, k)
                if pot.amount > 0 and not any(
                    _binds(header_label, v, k) for _, header_label in header.columns
                ):
                    self.problem(None, None, f"kolumnen '{label}' saknas (en kolumn per pott med belopp)")
        if self.problems or len(rows) != len(regions.NAMES):
            return None
        return Utfall(tuple(p for p in pots if p is not None))

    def _pot_outcome(
        self,
        col: int,
        label: str,
        parameters: dict[str, int],
        rows: dict[str, int],
        villkor: tuple[Villkor, ...],
    ) -> PotOutcome | None:
        found = next(((v, k) for v in villkor for k in range(len(v.pots)) if _binds(label, v, k)), None)
        problems_before = len(self.problems)
        rule_row = parameters.get("rule")
        rule_text = (
            "" if rule_row is None or _is_empty(self.get(rule_row, col)) else _text(self.get(rule_row, col))
        )
        rule = Rule.parse(rule_text)
        if rule is None:
            self.problem(rule_row, col, unknown_rule(rule_text))
        forfeit_row = parameters.get("forfeit")
        forfeit = "" if forfeit_row is None else regions.fold(_text(self.get(forfeit_row, col) or ""))
        if forfeit not in ("", "staten", "omfördelas"):
            self.problem(forfeit_row, col, f"'{forfeit}' – skriv staten eller omfördelas")
        per_unit = None
        per_unit_row = parameters.get("per_unit")
        if (
            rule is not None
            and rule.spec.takes_per_unit
            and per_unit_row is not None
            and not _is_empty(self.get(per_unit_row, col))
        ):
            per_unit = self.number(per_unit_row, col, "belopp per enhet")
            if per_unit is not None and per_unit <= 0:
                self.problem(per_unit_row, col, "beloppet per enhet måste vara större än noll")
        pot_row = parameters.get("pot")
        given = None
        if pot_row is not None and not _is_empty(self.get(pot_row, col)):
            given = self.number(pot_row, col, "pottens belopp")
        if found is not None:
            v, k = found
            pot = v.pots[k].amount
            if given is not None and abs(given - pot) > MKR_TOLERANCE:
                self.problem(
                    pot_row,
                    col,
                    f"potten är {format_mkr(pot)} Mkr på bladet {v.name}, inte {format_mkr(given)}",
                )
        elif given is None:
            self.problem(
                None, None, f"'{label}' är inget villkorsblad – ange pottens belopp på raden 'Pott, Mkr'"
            )
            pot = 0.0
        else:
            pot = given
            if pot < 0:
                self.problem(pot_row, col, "potten kan inte vara negativ")
        values = [self._outcome_value(rows[name], col, rule, name) for name in regions.NAMES if name in rows]
        if len(self.problems) != problems_before or rule is None or any(v is None for v in values):
            return None
        return PotOutcome(
            label=label,
            villkor=found[0].name if found else None,
            pot=pot,
            rule=rule,
            values=tuple(v for v in values if v is not None),
            redistribute=forfeit == "omfördelas",
            per_unit=per_unit,
        )

    def _outcome_value(self, row: int, col: int, rule: Rule | None, name: str) -> bool | float | None:
        value = self.get(row, col)
        if rule is not None and rule.spec.yes_no:
            if isinstance(value, bool):
                return value
            text = regions.fold(_text(value)) if not _is_empty(value) else ""
            if text in ("ja", "nej"):
                return text == "ja"
            if self.error_value(row, col):
                return None
            shown = "" if _is_empty(value) else f"'{_text(value)}' "
            self.problem(row, col, f"{shown}är varken Ja eller Nej ({name})".strip())
            return None
        number = self.number(row, col, f"värdet för {name}")
        if number is not None and rule is not None and rule.spec.non_negative and number < 0:
            self.problem(row, col, f"antalet för {name} kan inte vara negativt")
            return None
        return number


def _pot_label(villkor: Villkor, index: int) -> str:
    return villkor.name if len(villkor.pots) == 1 else f"{villkor.name} pott {index + 1}"


def _binds(label: str, villkor: Villkor, index: int) -> bool:
    """Whether an Utfall column header names this pot: "Villkor 1", or "Villkor 3 pott 2"."""
    folded = regions.fold(label)
    names = {regions.fold(f"{villkor.name} pott {index + 1}")}
    if len(villkor.pots) == 1:
        names.add(regions.fold(villkor.name))
    return folded in names
