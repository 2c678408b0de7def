"""Reading the input workbook: which sheet is what, and the checks across sheets.

A format adapter (`xlsx_book`) turns the file into grids; the sheet readers (`population_sheet`,
`villkor_sheet`, `utfall_sheet`) turn grids into the records in `model`.
"""

from __future__ import annotations

from pathlib import Path

from . import regions
from .errors import InputRejected, Problem
from .grid import Book, Grid, SheetRef, cell_name
from .input_file import MAX_FILE_BYTES, UNSAFE_XML, file_problem, not_supported, printable, read_input, sniff
from .model import MKR_TOLERANCE, Indata, Population, Utfall, Villkor
from .population_sheet import agreement_total, read_population
from .swedish import format_mkr, is_number
from .villkor_sheet import read_villkor
from .vocabulary import OUTCOME_SHEET, PASSED_OVER_SHEETS, POPULATION_SHEET
from .xlsx_book import UNCACHED_ADVICE, UNCACHED_FORMULA, XlsxBook

__all__ = ["MAX_FILE_BYTES", "UNCACHED_FORMULA", "UNSAFE_XML", "open_book", "read_workbook"]

MAX_SHEET_NAME = 31
MAX_CELLS_SHOWN = 8
READ_SUFFIXES = (".xlsx", ".xlsm")  # .xlsm: the values only; its macros are never read, run or copied
REFUSED_SUFFIXES = (".xls", ".xlsb", ".csv", ".txt")  # named in input_file.FORMAT_NAMES


def open_book(path: Path, data: bytes | None = None) -> Book:
    """The input file (or its bytes `data`, already read) opened by the adapter for its format, which
    its content decides (an .ods renamed .xlsx is read as .ods); InputRejected for any other file."""
    data = read_input(path) if data is None else data
    kind = sniff(data)
    suffix = path.suffix.casefold()
    if kind == "ods" or (kind is None and suffix == ".ods"):
        from .ods_book import OdsBook  # only runs that read an .ods pay for it

        return OdsBook(path, data)
    suffix = ".xlsb" if kind == "xlsb" else suffix
    readable = kind == "xlsx" or (kind == "ole" and suffix not in REFUSED_SUFFIXES)
    if readable or (kind is None and suffix in READ_SUFFIXES):
        return XlsxBook(path, data)  # an OLE file is a password-protected workbook or an old .xls
    if suffix in REFUSED_SUFFIXES:
        raise InputRejected(path, [file_problem(not_supported(suffix, "spara som .xlsx i Excel"))])
    raise InputRejected(path, [file_problem("filen är ingen Excel-arbetsbok (.xlsx)")])


def read_workbook(path: Path, data: bytes | None = None) -> Indata:
    """Read and validate an input workbook (from its bytes `data` when they have been read already);
    raise InputRejected with every problem found."""
    book = open_book(path, data)
    reading = _Reading(book, printable(path.name))  # a name that is not UTF-8 is written as U+FFFD
    reading.read_sheets()
    utfall = reading.read_utfall()
    problems = reading.problems
    uncalculated = book.uncalculated(reading.grids, bool(problems))
    if reading.agreement is not None and not problems and not uncalculated:
        problems += _check_agreement(
            reading.population_title, reading.agreement, reading.villkor, reading.skipped
        )
    if problems or uncalculated:
        # Sums cannot be checked against formulas nobody calculated.
        unchecked = {p.sheet for p in uncalculated}
        moot = {id(p) for grid in reading.grids if grid.title in unchecked for p in grid.mismatches}
        located = {(p.sheet, p.cell) for p in uncalculated}
        rest = [p for p in problems if id(p) not in moot and (p.sheet, p.cell) not in located]
        raise InputRejected(path, [*_grouped(uncalculated), *rest])
    assert reading.population is not None
    return Indata(
        population=reading.population,
        villkor=tuple(reading.villkor),
        notices=tuple(reading.notices + [n for grid in reading.grids for n in grid.notices]),
        utfall=utfall,
        agreement_total=reading.agreement,
    )


class _Reading:
    """One workbook being read: the sheets found, what they hold and what is wrong with them."""

    def __init__(self, book: Book, file_name: str) -> None:
        self.book = book
        self.file_name = file_name
        self.by_name = {regions.fold(sheet.title): sheet for sheet in book.sheets}
        population = self.by_name.get(regions.fold(POPULATION_SHEET))
        self.population_title = population.title if population is not None else None
        self.population: Population | None = None
        self.agreement: float | None = None
        self.villkor: list[Villkor] = []
        self.grids: list[Grid] = []
        self.notices: list[str] = []
        self.sheet_problems: list[Problem] = []
        self.skipped: list[str] = []  # sheets passed over with a notice: hidden, or without a header

    @property
    def problems(self) -> list[Problem]:
        return self.sheet_problems + [p for grid in self.grids for p in (*grid.problems, *grid.mismatches)]

    def read_sheets(self) -> None:
        if self.population_title is None:
            self.sheet_problems.append(Problem(None, None, "bladet Befolkning saknas"))
        else:
            grid = self.book.grid(self.population_title)
            self.population = read_population(grid, self.file_name)
            header = grid.find_header("personer")
            self.agreement = agreement_total(grid, header.row) if header is not None else None
            self.grids.append(grid)
        for sheet in self.book.sheets:
            if sheet.title == self.population_title:
                continue
            if regions.fold(sheet.title) in PASSED_OVER_SHEETS:
                self._check_passed_over(sheet)
                continue
            if not sheet.visible:
                self.notices.append(f"Bladet '{sheet.title}' är dolt och hoppades över")
                self.skipped.append(sheet.title)
                continue
            self._read_villkor(self.book.grid(sheet.title))
        if (
            self.population_title is not None
            and not self.villkor
            and not any(p.sheet not in (None, self.population_title) for p in self.problems)
        ):
            self.sheet_problems.append(
                Problem(None, None, "arbetsboken har inget villkorsblad med rubrikraden 'Län'")
            )

    def _check_passed_over(self, sheet: SheetRef) -> None:
        """A sheet named like one of ours is passed over, unless it holds a pot: then it is a villkor
        with an unlucky name, and its money must not vanish."""
        if not sheet.visible or regions.fold(sheet.title) == regions.fold(OUTCOME_SHEET):
            return
        if (riket := _riket_with_amount(self.book.grid(sheet.title))) is not None:
            message = (
                "bladet heter som ett av programmets egna blad men har raden RIKET med ett belopp – "
                "byt namn på bladet om det är ett villkor, eller ta bort beloppet"
            )
            self.sheet_problems.append(Problem(sheet.title, riket, message))

    def _read_villkor(self, grid: Grid) -> None:
        title = grid.title
        header = grid.find_header()
        if header is not None and (bad_name := _sheet_name_problem(title)):
            self.sheet_problems.append(Problem(title, None, bad_name))
            return
        if header is None:
            if (riket := _riket_with_amount(grid)) is not None:
                message = (
                    "bladet har raden RIKET med ett belopp men ingen rubrikrad med 'Län' ovanför "
                    "länen – skriv 'Län' (eller 'Region') i rubrikraden"
                )
                self.sheet_problems.append(Problem(title, riket, message))
            else:
                self.notices.append(f"Bladet '{title}' saknar rubrikraden 'Län' och hoppades över")
                self.skipped.append(title)
            return
        if any(regions.fold(label) == "personer" for _, label in header.columns):
            if self.population_title is None:
                message = "ser ut som befolkningen – bladet måste heta Befolkning"
                self.sheet_problems.append(Problem(title, None, message))
            else:
                self.notices.append(f"Bladet '{title}' har kolumnen 'Personer' och hoppades över")
            return
        item = read_villkor(grid, header)
        self.grids.append(grid)
        if item is not None:
            self.villkor.append(item)

    def read_utfall(self) -> Utfall | None:
        """Read only when the villkor are sound: Utfall's columns are bound to their pots."""
        sheet = self.by_name.get(regions.fold(OUTCOME_SHEET))
        if sheet is None or not sheet.visible or self.problems:
            return None
        from .utfall_sheet import read_utfall

        grid = self.book.grid(sheet.title)
        self.grids.append(grid)
        return read_utfall(grid, tuple(self.villkor))


def _sheet_name_problem(title: str) -> str | None:
    """Why a villkor sheet's name cannot be a sheet name in the result, if it cannot."""
    if len(title) > MAX_SHEET_NAME:
        return f"bladnamnet är längre än {MAX_SHEET_NAME} tecken – korta det i Excel"
    if title.startswith("'") or title.endswith("'"):
        return "bladnamnet får inte börja eller sluta med apostrof"
    if any(ch in title for ch in "[]:*?/\\"):
        return "bladnamnet innehåller ett tecken som Excel inte tillåter ([ ] : * ? / \\)"
    return None


def _riket_with_amount(grid: Grid) -> str | None:
    """The cell of a RIKET label with an amount to its right, on a sheet without a header."""
    for r in grid.row_numbers:
        cells = list(grid.cells(r))
        for k, (c, value) in enumerate(cells):
            if (
                isinstance(value, str)
                and regions.is_riket(value)
                and any(is_number(v) for _, v in cells[k + 1 :])
            ):
                return cell_name(r, c)
    return None


def _check_agreement(
    sheet: str | None, agreement: float, villkor: list[Villkor], skipped: list[str]
) -> list[Problem]:
    total = sum(v.total for v in villkor)
    if abs(round(total, 3) - round(agreement, 3)) < MKR_TOLERANCE:
        return []
    message = (
        f"villkorsbladen ger sammanlagt {format_mkr(total)} Mkr men överenskommelsens totalbelopp är "
        f"{format_mkr(agreement)} Mkr (skillnad {format_mkr(total - agreement)})"
    )
    if skipped:
        message += " – bladen " + ", ".join(f"'{title}'" for title in skipped) + " räknades inte"
    return [Problem(sheet, None, message)]


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
        message = f"{len(cells)} formler har inget beräknat värde ({shown}) – {UNCACHED_ADVICE}"
        grouped.append(Problem(sheet, None, message))
    return grouped
