"""Reading the input workbook: Befolkning plus one sheet per villkor.

openpyxl stays inside this module; the rest of the program sees the records in `model`.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from . import regions
from .errors import InputRejected, Problem
from .grid import Grid, cell_name, is_empty, text
from .model import (
    CAPPED_RULE,
    KEY_RULE,
    POPULATION_RULE,
    Indata,
    Population,
    PotOutcome,
    Utfall,
    Villkor,
)
from .population_sheet import agreement_total, read_population
from .swedish import NotANumber, format_mkr, parse_number
from .villkor_sheet import MKR_TOLERANCE, read_villkor
from .vocabulary import is_total_label

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
RULES = {POPULATION_RULE: POPULATION_RULE, CAPPED_RULE: CAPPED_RULE, KEY_RULE: KEY_RULE}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_SHEET_NAME = 31
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
UNCACHED_ADVICE = "öppna arbetsboken i Excel eller LibreOffice, spara den och kör igen"
UNCACHED_FORMULA = f"formeln har inget beräknat värde – {UNCACHED_ADVICE}"
MAX_CELLS_SHOWN = 8


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
    placeholders = _asks_full_recalculation(path)
    book = _load(path, data_only=True)
    notices: list[str] = []
    problems = []
    population: Population | None = None
    agreement: float | None = None
    villkor: list[Villkor] = []
    grids: list[Grid] = []

    sheets = {regions.fold(ws.title): ws for ws in book.worksheets}
    population_ws = sheets.get(regions.fold(POPULATION_SHEET))
    if population_ws is None:
        problems.append(Problem(None, None, "bladet Befolkning saknas"))
    else:
        grid = Grid(population_ws, placeholders=placeholders)
        population = read_population(grid, path.name)
        header = grid.find_header("personer")
        agreement = agreement_total(grid, header.row) if header is not None else None
        grids.append(grid)

    for ws in book.worksheets:
        folded = regions.fold(ws.title)
        if ws is population_ws or folded in IGNORED_SHEETS:
            continue
        if ws.sheet_state != "visible":
            notices.append(f"Bladet '{ws.title}' är dolt och hoppades över")
            continue
        grid = Grid(ws, placeholders=placeholders)
        header = grid.find_header()
        if header is not None and (bad_name := _sheet_name_problem(ws.title)):
            problems.append(Problem(ws.title, None, bad_name))
            continue
        if header is None:
            if (riket := _riket_with_amount(grid)) is not None:
                problems.append(
                    Problem(
                        ws.title,
                        riket,
                        "bladet har raden RIKET med ett belopp men ingen rubrikrad med 'Län' ovanför "
                        "länen – skriv 'Län' (eller 'Region') i rubrikraden",
                    )
                )
            else:
                notices.append(f"Bladet '{ws.title}' saknar rubrikraden 'Län' och hoppades över")
            continue
        if any(regions.fold(label) == "personer" for _, label in header.columns):
            if population_ws is None:
                problems.append(
                    Problem(ws.title, None, "ser ut som befolkningen – bladet måste heta Befolkning")
                )
            else:
                notices.append(f"Bladet '{ws.title}' har kolumnen 'Personer' och hoppades över")
            continue
        item = read_villkor(grid, header)
        grids.append(grid)
        if item is not None:
            villkor.append(item)

    problems += [p for grid in grids for p in grid.problems]
    utfall = None
    outcome_ws = sheets.get(regions.fold(OUTCOME_SHEET))
    if outcome_ws is not None and outcome_ws.sheet_state == "visible" and not problems:
        # Read only when the villkor are sound: Utfall's columns are bound to their pots.
        sheet = _Sheet(outcome_ws, placeholders=placeholders)
        utfall = sheet.read_utfall(tuple(villkor))
        problems += sheet.problems
        grids.append(sheet)
    if (
        population_ws is not None
        and not villkor
        and not any(p.sheet not in (None, population_ws.title) for p in problems)
    ):
        problems.append(Problem(None, None, "arbetsboken har inget villkorsblad med rubrikraden 'Län'"))
    uncalculated = _uncalculated(path, book, grids, bool(problems))
    if agreement is not None and not problems and not uncalculated:
        problems += _check_agreement(population_ws.title if population_ws else "", agreement, villkor)
    if problems or uncalculated:
        # A sheet's other figures cannot be checked against formulas nobody calculated.
        unchecked = {p.sheet for p in uncalculated}
        rest = [p for p in problems if p.sheet not in unchecked]
        raise InputRejected(path, [*_grouped(uncalculated), *rest])
    assert population is not None
    notices += [n for grid in grids for n in grid.notices]
    return Indata(
        population=population,
        villkor=tuple(villkor),
        notices=tuple(notices),
        utfall=utfall,
        agreement_total=agreement,
    )


def _riket_with_amount(grid: Grid) -> str | None:
    """The cell of a RIKET label with an amount to its right, on a sheet without a header."""
    for r in grid.row_numbers:
        cells = list(grid.cells(r))
        for k, (c, value) in enumerate(cells):
            if (
                isinstance(value, str)
                and regions.is_riket(value)
                and any(_is_number(v) for _, v in cells[k + 1 :])
            ):
                return cell_name(r, c)
    return None


def _is_number(value: object) -> bool:
    try:
        parse_number(value)
    except NotANumber:
        return False
    return True


def _check_agreement(sheet: str, agreement: float, villkor: list[Villkor]) -> list[Problem]:
    total = sum(v.total for v in villkor)
    if abs(round(total, 3) - round(agreement, 3)) < MKR_TOLERANCE:
        return []
    return [
        Problem(
            sheet,
            None,
            f"villkorsbladen ger sammanlagt {format_mkr(total)} Mkr men överenskommelsens totalbelopp är "
            f"{format_mkr(agreement)} Mkr (skillnad {format_mkr(total - agreement)})",
        )
    ]


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


def _asks_full_recalculation(path: Path) -> bool:
    """Whether the writer asked for every formula to be recalculated on opening (fullCalcOnLoad).

    Such writers (xlsxwriter, many report generators) store 0 as a formula's value: a placeholder,
    not a figure.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            root = DefusedET.fromstring(archive.read("xl/workbook.xml"))
    except Exception:  # checked before: a broken part is reported when openpyxl reads it
        return False
    calc = root.find(f"{{{_MAIN_NS}}}calcPr")
    return calc is not None and calc.get("fullCalcOnLoad", "0").casefold() in ("1", "true")


def _uncalculated(path: Path, cached: Any, grids: list[Grid], rejected: bool) -> list[Problem]:
    """Formulas no program calculated, among the cells the reader took figures from.

    openpyxl reads such a formula as an empty cell, or as the placeholder 0 its writer stored; only
    the formulas need a second load, done when a suspect cell or a rejection calls for it. When the
    workbook is rejected anyway, every uncalculated formula of the sheets read is named.
    """
    if not rejected and not any(grid.suspects for grid in grids):
        return []
    formulas = _load(path, data_only=False)
    found: list[Problem] = []
    for grid in grids:
        values = cached[grid.title]._cells
        for (r, c), cell in _existing_cells(formulas[grid.title]):
            if cell.data_type != "f":
                continue
            value = values.get((r, c))
            missing = value is None or value.value is None
            if (r - 1, c - 1) in grid.suspects or (rejected and missing):
                found.append(Problem(grid.title, cell.coordinate, UNCACHED_FORMULA))
    return found


def _grouped(found: list[Problem]) -> list[Problem]:
    """One message per sheet naming its uncalculated formulas."""
    by_sheet: dict[str | None, list[str]] = {}
    for problem in found:
        by_sheet.setdefault(problem.sheet, []).append(problem.cell or "")
    grouped = []
    for sheet, cells in by_sheet.items():
        if len(cells) == 1:
            grouped.append(Problem(sheet, cells[0], UNCACHED_FORMULA))
            continue
        shown = ", ".join(cells[:MAX_CELLS_SHOWN]) + (" …" if len(cells) > MAX_CELLS_SHOWN else "")
        grouped.append(
            Problem(
                sheet,
                None,
                f"{len(cells)} formler har inget beräknat värde ({shown}) – {UNCACHED_ADVICE}",
            )
        )
    return grouped


def _existing_cells(ws: Any) -> list[tuple[tuple[int, int], Any]]:
    """The worksheet's stored cells in reading order, without walking its empty dimension."""
    return sorted(ws._cells.items())


class _Sheet(Grid):
    """The Utfall sheet, read against the villkor it pays out."""

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
            if is_empty(value) or self.error_value(r, header.lan_col):
                continue
            label = text(value)
            key = regions.fold(label)
            if key in OUTCOME_PARAMETERS:
                parameters[OUTCOME_PARAMETERS[key]] = r
            elif regions.is_riket(label) or is_total_label(label):
                continue
            elif (name := regions.match(label)) is None:
                hint = regions.suggest(label)
                self.problem(
                    r, header.lan_col, f"okänt län '{label}'" + (f" – menade du '{hint}'?" if hint else "")
                )
            elif name in rows:
                self.problem(r, header.lan_col, f"{name} förekommer redan på rad {rows[name] + 1}")
            else:
                rows[name] = r
        if all(is_empty(self.get(r, c)) for r in rows.values() for c, _ in header.columns):
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
            "" if rule_row is None or is_empty(self.get(rule_row, col)) else text(self.get(rule_row, col))
        )
        rule = RULES.get(regions.fold(rule_text) or POPULATION_RULE)
        if rule is None:
            self.problem(rule_row, col, f"okänd regel '{rule_text}' – skriv befolkning, tak eller nyckel")
        forfeit_row = parameters.get("forfeit")
        forfeit = "" if forfeit_row is None else regions.fold(text(self.get(forfeit_row, col) or ""))
        if forfeit not in ("", "staten", "omfördelas"):
            self.problem(forfeit_row, col, f"'{forfeit}' – skriv staten eller omfördelas")
        per_unit = None
        per_unit_row = parameters.get("per_unit")
        if rule == CAPPED_RULE and per_unit_row is not None and not is_empty(self.get(per_unit_row, col)):
            per_unit = self.number(per_unit_row, col, "belopp per enhet")
            if per_unit is not None and per_unit <= 0:
                self.problem(per_unit_row, col, "beloppet per enhet måste vara större än noll")
        pot_row = parameters.get("pot")
        given = None
        if pot_row is not None and not is_empty(self.get(pot_row, col)):
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

    def _outcome_value(self, row: int, col: int, rule: str | None, name: str) -> bool | float | None:
        value = self.get(row, col)
        if rule == POPULATION_RULE:
            if isinstance(value, bool):
                return value
            answer = regions.fold(text(value)) if not is_empty(value) else ""
            if answer in ("ja", "nej"):
                return answer == "ja"
            if self.error_value(row, col):
                return None
            shown = "" if is_empty(value) else f"'{text(value)}' "
            self.problem(row, col, f"{shown}är varken Ja eller Nej ({name})".strip())
            return None
        number = self.number(row, col, f"värdet för {name}")
        if number is not None and rule == CAPPED_RULE and number < 0:
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
