"""Reading the input workbook: which sheet is what, and the checks across sheets.

A format adapter (`read.xlsx`, `read.ods`) turns the file into grids; the sheet readers (`read.population`,
`read.villkor`, `read.utfall`) turn grids into the records in `model`, each with its `read.findings`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from functools import partial
from pathlib import Path

from .. import kinds
from ..errors import InputRejected, Problem
from ..formats import (
    MAX_FILE_BYTES,
    UNSAFE_XML,
    file_problem,
    printable,
    read_input,
    unwritable_sheet_name,
)
from ..model import MKR_TOLERANCE, Indata, Population, Utfall, Villkor
from ..words import bodies, regions
from ..words.swedish import format_mkr, is_number, show_number
from ..words.vocabulary import (
    OUTCOME_SHEET,
    PASSED_OVER_SHEETS,
    POPULATION_SHEET,
    RECEIPT_SHEET,
    RECEIPT_TITLE,
)
from .accounting import Entry, Ledger, Role, guesses
from .findings import Cells, Findings, Read
from .grid import Book, Grid, SheetRef, cell_name, is_empty, text
from .population import agreement_entry, agreement_total, population_header, read_population
from .units import figure_of, is_prior_heading, is_void_heading
from .villkor import Context, SheetReading, read_villkor
from .xlsx import UNCACHED_ADVICE, UNCACHED_FORMULA

__all__ = ["MAX_FILE_BYTES", "UNCACHED_FORMULA", "UNSAFE_XML", "open_book", "read_workbook"]

MAX_CELLS_SHOWN = 8


def open_book(path: Path, data: bytes | None = None) -> Book:
    """The input file (or its bytes `data`, already read) opened by the adapter of its kind
    (`kinds`); InputRejected for any other file.

    A container whose parts say what it is is read as that, whatever its name (an .ods renamed
    .xlsx is read as .ods); otherwise the name decides: a suffix refused is refused, an OLE file
    (a password-protected workbook or an old .xls) goes to the .xlsx adapter, which says which.
    """
    data = read_input(path) if data is None else data
    found = kinds.sniff(data)
    named = kinds.named(path.suffix)
    kind: kinds.FileKind | None
    if found is not None and found.conclusive:
        kind = found
    elif named is not None and named.refused_as_workbook:
        raise _not_supported(path, path.suffix)
    else:
        kind = found if found is not None and found.book is not None else named
    if kind is not None and kind.book is not None:
        return kind.book(path, data)
    if kind is not None and kind.refused_as_workbook:
        raise _not_supported(path, kind.suffix)
    raise InputRejected(path, [file_problem("filen är ingen Excel-arbetsbok (.xlsx)")])


def _not_supported(path: Path, suffix: str) -> InputRejected:
    return InputRejected(path, [file_problem(kinds.not_supported(suffix, "spara som .xlsx i Excel"))])


def read_workbook(path: Path, data: bytes | None = None) -> Indata:
    """Read and validate an input workbook (from its bytes `data` when they have been read already);
    raise InputRejected with every problem found."""
    book = open_book(path, data)
    reading = _Reading(book, printable(path.name))  # a name that is not UTF-8 is written as U+FFFD
    reading.read_sheets()
    reading.doubt_summaries()
    reading.settle_doubts()
    utfall = reading.read_utfall()
    receipt = reading.receipt()
    problems = reading.problems
    uncalculated = book.uncalculated(reading.suspects, bool(problems))
    across: list[Problem] = []  # the checks across sheets
    if reading.agreement is not None and not problems and not uncalculated:
        across = _check_agreement(
            reading.population_title, reading.agreement, reading.villkor, reading.skipped, receipt
        )
    elif reading.agreement is None and not problems:
        across = _guessed(receipt)
    if problems or across or uncalculated:
        # Sums cannot be checked against formulas nobody calculated: those sheets' mismatches are moot.
        unchecked = {p.sheet for p in uncalculated}
        located = {(p.sheet, p.cell) for p in uncalculated}
        found = [*reading.problems_checked(unchecked), *across]
        rest = [p for p in found if (p.sheet, p.cell) not in located]
        raise InputRejected(path, [*_grouped(uncalculated), *rest])
    assert reading.population is not None
    return Indata(
        population=reading.population,
        villkor=tuple(reading.villkor),
        notices=tuple(reading.notices + [n for found in reading.findings.values() for n in found.notices]),
        utfall=utfall,
        agreement_total=reading.agreement,
        receipt=receipt,
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
        self.grids: list[Grid] = []  # the sheets read, in order
        self.findings: dict[str, Findings] = {}  # what the sheet readers found, by sheet title
        self.notices: list[str] = []
        self.sheet_problems: list[Problem] = []
        self.skipped: list[str] = []  # sheets passed over with a notice: hidden, or without a header
        self.entries: list[Entry] = []
        self.context = Context()
        self.contents: dict[str, str] = {}  # a villkor sheet's content -> its name: copies are refused
        self.doubted: list[tuple[Grid, str, str]] = []  # villkor sheets that may be copies: why, notice
        # villkor sheets set aside as not this year's that the agreement's total may count after all
        # (and the findings of a hidden one, which are told only if it is counted)
        self.aside: list[tuple[Grid, Villkor, tuple[Entry, ...], str, Findings | None]] = []

    @property
    def problems(self) -> list[Problem]:
        return self.problems_checked(set())

    def problems_checked(self, unchecked: set[str | None]) -> list[Problem]:
        """The problems found, without the failed checks of the `unchecked` sheets."""
        return self.sheet_problems + [
            p
            for title, found in self.findings.items()
            for p in (*found.problems, *(() if title in unchecked else found.mismatches))
        ]

    @property
    def suspects(self) -> dict[str, Cells]:
        """The cells of each sheet read, in order, whose figure may be a formula nobody calculated."""
        return {title: found.suspects for title, found in self.findings.items()}

    def _took(self, grid: Grid, found: Findings) -> None:
        """A sheet read: its numbers go to the receipt, its findings to the workbook's."""
        self.grids.append(grid)
        self.findings[grid.title] = found

    def read_sheets(self) -> None:
        if self.population_title is None:
            self.sheet_problems.append(Problem(None, None, "bladet Befolkning saknas"))
        else:
            grid = self.book.grid(self.population_title)
            population = read_population(grid, self.file_name)
            self.population, entries = population.value
            found = population.findings
            self.entries += entries
            header = population_header(grid)
            if header is not None:
                agreement = agreement_total(grid, header.row)
                self.agreement, found = agreement.value, found + agreement.findings
            agreed = agreement_entry(grid, header.row) if header is not None else None
            self.entries += [agreed] if agreed is not None else []
            self._took(grid, found)
            if self.population is not None:
                date = self.population.date
                self.context = Context(
                    year=date.year + 1 if date.month >= 7 else date.year,
                    counts=dict(self.population.counts),
                    counted=date.year,
                )
        for sheet in self.book.sheets:
            if sheet.title == self.population_title:
                continue
            if regions.fold(sheet.title) == regions.fold(OUTCOME_SHEET) and not sheet.visible:
                # No payments are made from a hidden Utfall: said, and its numbers listed as not used.
                self.notices.append(
                    f"Bladet '{sheet.title}' är dolt och hoppades över – ingen utbetalning beräknas"
                )
                self._pass_over(self.book.grid(sheet.title), "bladet är dolt")
                continue
            if regions.fold(sheet.title) in PASSED_OVER_SHEETS:
                self._check_passed_over(sheet)
                continue
            if not sheet.visible and self._hidden_villkor(self.book.grid(sheet.title)):
                continue
            if not sheet.visible:
                self.notices.append(f"Bladet '{sheet.title}' är dolt och hoppades över")
                self.skipped.append(sheet.title)
                self._pass_over(self.book.grid(sheet.title), "bladet är dolt")
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

    def _hidden_villkor(self, grid: Grid) -> bool:
        """A hidden sheet that reads as a villkor with money: set aside as a doubt (is it last year's,
        or hidden by mistake?), counted when the agreement's total agrees only with it."""
        header = grid.find_header()
        if header is None or self.population is None:
            return False
        read = read_villkor(grid, header, self.context)
        villkor = read.value.villkor
        if villkor is None or not villkor.total or read.findings.problems or read.findings.mismatches:
            return False
        why = "bladet är dolt"
        self.grids.append(grid)  # its other numbers are listed too
        self._set_aside(grid, read.value.entries, why)
        self.aside.append((grid, villkor, read.value.entries, why, read.findings))
        return True

    def _check_passed_over(self, sheet: SheetRef) -> None:
        """A sheet named like one of ours is passed over, unless it holds a pot: then it is a villkor
        with an unlucky name, and its money must not vanish."""
        if not sheet.visible or regions.fold(sheet.title) == regions.fold(OUTCOME_SHEET):
            return
        grid = self.book.grid(sheet.title)
        if regions.fold(sheet.title) == regions.fold(RECEIPT_SHEET) and grid.get(0, 0) == RECEIPT_TITLE:
            return  # our own receipt lists RIKET rows among the figures it read
        if (riket := _riket_with_amount(grid)) is not None:
            message = (
                "bladet heter som ett av programmets egna blad men har raden RIKET med ett belopp – "
                "byt namn på bladet om det är ett villkor, eller ta bort beloppet"
            )
            self.sheet_problems.append(Problem(sheet.title, riket, message))

    def _read_villkor(self, grid: Grid) -> None:
        title = grid.title
        header = grid.find_header()
        if header is not None and (bad_name := unwritable_sheet_name(title)):
            self.sheet_problems.append(Problem(title, None, bad_name))
            return
        if header is None:
            if (pivot := _lan_as_columns(grid)) is not None:
                message = (
                    "länen står som kolumner – vänd tabellen så att länen står under varandra i en "
                    "kolumn med rubriken 'Län' (Klistra in special → Transponera)"
                )
                self.sheet_problems.append(Problem(title, pivot, message))
            elif (riket := _riket_with_amount(grid)) is not None:
                message = (
                    "bladet har raden RIKET med ett belopp men ingen rubrikrad med 'Län' ovanför "
                    "länen – skriv 'Län' (eller 'Region') i rubrikraden"
                )
                self.sheet_problems.append(Problem(title, riket, message))
            elif (paid := _body_with_amount(grid)) is not None:
                cell, body = paid
                message = (
                    f"bladet har ett belopp till {body} men ingen rubrikrad med 'Län' – ett villkorsblad "
                    "behöver rubrikraden 'Län', länen och raden RIKET (potten får vara 0) med de fasta "
                    "beloppen under; ta bort bladet om det inte är ett villkor"
                )
                self.sheet_problems.append(Problem(title, cell, message))
            elif (first := _lan_in_rows(grid)) is not None:
                message = (
                    "bladet har länen under varandra med belopp bredvid men ingen rubrikrad med 'Län' "
                    "ovanför dem – skriv 'Län' (eller 'Region') i cellen ovanför det första länet, "
                    "eller ta bort bladet om det inte är ett villkor"
                )
                self.sheet_problems.append(Problem(title, first, message))
            else:
                self.notices.append(f"Bladet '{title}' saknar rubrikraden 'Län' och hoppades över")
                self.skipped.append(title)
                self._pass_over(grid, "bladet saknar rubrikraden 'Län'")
            return
        if self.population_title is None and any(
            regions.fold(label) == "personer" for _, label in header.columns
        ):
            message = "ser ut som befolkningen – bladet måste heta Befolkning"
            self.sheet_problems.append(Problem(title, None, message))
            return
        read = read_villkor(grid, header, self.context)
        reading = read.value
        if reading.villkor is not None:
            # A copy reads as its original does (title, pots, sums, notes), whatever its layout: our
            # result of a workbook with one would otherwise be refused when read again.
            v = reading.villkor
            content = repr((v.title, v.pots, v.national, v.notes, v.lines))
            if (original := self.contents.get(content)) is not None:
                message = (
                    f"bladet är en kopia av bladet '{original}' (samma titel, potter och belopp) – "
                    "ta bort kopian"
                )
                self.sheet_problems.append(Problem(title, None, message))
                return
            self.contents[content] = title
        self._took(grid, read.findings)
        self.entries += reading.entries
        if reading.helper:
            self.notices.append(_helper_notice(title))
            return
        if reading.villkor is not None:
            if (found := self._not_this_years(grid, reading.villkor)) is not None:
                why, may_count = found
                self._set_aside(grid, reading.entries, why)
                if may_count:
                    self.aside.append((grid, reading.villkor, reading.entries, why, None))
                return
            self._doubt_a_copy(grid, reading.villkor, reading.entries)
            self.villkor.append(reading.villkor)

    def _not_this_years(self, grid: Grid, villkor: Villkor) -> tuple[str, bool] | None:
        """Why a sheet read as a villkor is rather last year's distribution, not in force (replaced, a
        draft, an example) or a copy of a summary; and whether the agreement's total may count it all
        the same (not a summary: that would count the other sheets twice)."""
        for words, name in ((grid.title, True), (villkor.title or "", False)):
            if words and is_prior_heading(words, self.context.year):
                return f"'{words}' gäller ett tidigare år", True
            if words and is_void_heading(words, name=name):
                return f"'{words}' säger att bladet inte gäller (ersatt, utkast, exempel …)", True
        names = {regions.fold(s.title) for s in self.book.sheets if s.title != grid.title}
        named = [p.label for p in villkor.pots if regions.fold(p.label) in names]
        if len(named) >= 2:
            why = "potkolumnerna heter som andra blad (" + ", ".join(f"'{n}'" for n in named) + ")"
            return f"{why} – en sammanställning?", False
        return None

    def _doubt_a_copy(self, grid: Grid, villkor: Villkor, entries: tuple[Entry, ...]) -> None:
        """A sheet named as a copy or version of a sheet that exists ("Villkor 3 (2)", "Kopia av
        Villkor 3", "Villkor 3 prel"), or whose pots are those of a villkor read before (a copy under
        a new name, the officer's own calculation of a villkor): the agreement's total decides whether
        it is a villkor of its own (see settle_doubts); without the total it is refused."""
        why = None
        names = [s.title for s in self.book.sheets]
        if (original := copy_of(grid.title, names)) is not None:
            why = f"bladet heter som en kopia av bladet '{original}' och räknas som ett eget villkor"
        elif (found := named_after(grid.title, names)) is not None:
            why = (
                f"bladet heter som bladet '{found[0]}' med tillägget '{' '.join(found[1])}' – en kopia "
                "eller en äldre version av det? Det räknas som ett eget villkor"
            )
        elif (twin := _same_pots(villkor, self.villkor)) is not None:
            amounts = ", ".join(f"{format_mkr(p.amount)} Mkr" for p in villkor.pots if p.amount)
            why = (
                f"bladet har samma potter och fasta belopp som bladet '{twin.name}' ({amounts}) – en kopia "
                "eller en uträkning av det bladet? Det räknas som ett eget villkor"
            )
        if why is not None:
            self._doubt(grid, why, entries)

    def _doubt(self, grid: Grid, why: str, entries: tuple[Entry, ...]) -> None:
        first = next((e for e in entries if e.role is Role.USED and e.mkr), None)
        if first is None:
            return
        self.entries = [replace(e, guess=why) if e is first else e for e in self.entries]
        notice = f"{grid.title}: {why}"
        self.notices.append(notice)
        self.doubted.append((grid, why, notice))

    def doubt_summaries(self) -> None:
        """A sheet whose two or more pots are, amount by amount, pots of two or more other sheets
        ("Översikt": Ledning 100 | Koordinering 140) is a summary of them rather than a villkor: a doubt
        the agreement's total settles (see settle_doubts)."""
        for villkor in list(self.villkor):
            if any(d[0].title == villkor.name for d in self.doubted):
                continue
            if (added := _sum_of_others(villkor, self.villkor)) is not None:
                named = ", ".join(f"'{n}'" for n in added)
                why = (
                    f"bladets belopp {format_mkr(villkor.total)} Mkr är summan av bladen {named} – en "
                    "sammanställning eller ett diagramunderlag? Det räknas som ett eget villkor"
                )
                grid = next(g for g in self.grids if g.title == villkor.name)
                self._doubt(grid, why, tuple(e for e in self.entries if e.sheet == villkor.name))
                continue
            if len(villkor.pots) < 2:
                continue
            free = [(w.name, p.amount) for w in self.villkor if w is not villkor for p in w.pots]
            sources: list[str] = []
            for pot in villkor.pots:
                match = next((f for f in free if abs(f[1] - pot.amount) <= MKR_TOLERANCE), None)
                if match is None or not pot.amount:
                    break
                free.remove(match)
                sources.append(match[0])
            else:
                if len(set(sources)) < 2:
                    continue
                named = ", ".join(f"'{n}'" for n in dict.fromkeys(sources))
                why = (
                    f"bladets potter är potterna på bladen {named}, belopp för belopp – en sammanställning? "
                    "Det räknas som ett eget villkor"
                )
                grid = next(g for g in self.grids if g.title == villkor.name)
                self._doubt(grid, why, tuple(e for e in self.entries if e.sheet == villkor.name))

    def settle_doubts(self) -> None:
        """With the agreement's total, a reading in doubt is decided by the sum when exactly one other
        reading makes it agree: a sheet in doubt as a copy is set aside when the total agrees only
        without it; a column whose share or persons heading stands over a RIKET figure that is not the
        population's is read as a pot when the total agrees only with it."""
        if self.agreement is None or self.problems:
            return
        total = sum(v.total for v in self.villkor)
        if _agrees(total, self.agreement):
            return
        by_name = {v.name: v for v in self.villkor}
        settled: list[Callable[[], None]] = [
            partial(self._set_copy_aside, *d)
            for d in self.doubted
            if _agrees(total - by_name[d[0].title].total, self.agreement)
        ]
        settled += [
            partial(self._count_after_all, *a)
            for a in self.aside
            if _agrees(total + a[1].total, self.agreement)
        ]
        for entry in self.entries:
            for other in (_Other.POT, _Other.NO_POT, _Other.NOTE):
                if (reread := self._reread(entry, other)) is None:
                    continue
                grid, read = reread
                assert read.value.villkor is not None
                before = by_name[grid.title].total if grid.title in by_name else 0.0
                if other is _Other.NOTE and _parts_of_it(entry, self.entries):
                    continue  # other rows add up to it: which of them is the note, B2 cannot tell
                if _agrees(total - before + read.value.villkor.total, self.agreement):
                    settled.append(partial(self._take_reread, entry, grid, read, other))
        if len(settled) == 1:
            settled[0]()  # none, or more than one reading that agrees: the mismatch is reported

    def _count_after_all(
        self, grid: Grid, villkor: Villkor, entries: tuple[Entry, ...], why: str, found: Findings | None
    ) -> None:
        """A sheet set aside as not this year's (or hidden) that the agreement's total agrees only
        with: a villkor."""
        self.notices.remove(f"Bladet '{grid.title}' räknas inte som villkor: {why}")
        if found is not None:
            self.findings[grid.title] = found
        self.skipped.remove(grid.title)
        self._insert(villkor)
        because = f"räknas som villkor fast {why}: överenskommelsens totalbelopp stämmer bara med bladet"
        first = next((e for e in entries if e.role is Role.USED and e.mkr), None)
        self.entries = [e for e in self.entries if e.sheet != grid.title] + [
            replace(e, guess=because) if e is first else e for e in entries
        ]
        self.notices.append(f"Bladet '{grid.title}' {because}")

    def _insert(self, villkor: Villkor) -> None:
        """`villkor` among the others in the order of the sheets, in place of one of its name."""
        order = [s.title for s in self.book.sheets]
        self.villkor = sorted(
            [v for v in self.villkor if v.name != villkor.name] + [villkor], key=lambda v: order.index(v.name)
        )

    def _set_copy_aside(self, grid: Grid, why: str, notice: str) -> None:
        self.villkor = [v for v in self.villkor if v.name != grid.title]
        self.notices.remove(notice)
        entries = tuple(e for e in self.entries if e.sheet == grid.title)
        because = why.removesuffix(" och räknas som ett eget villkor").removesuffix(
            " Det räknas som ett eget villkor"
        )
        self._set_aside(grid, entries, f"{because} – överenskommelsens totalbelopp stämmer utan bladet")

    def _reread(self, entry: Entry, other: _Other) -> tuple[Grid, Read[SheetReading]] | None:
        """The entry's sheet read again the `other` way (its column as a pot, as no pot, its row as a
        note), where its guess allows that: None unless that reading is sound."""
        where = {_Other.POT: entry.pot_col, _Other.NO_POT: entry.drop_col, _Other.NOTE: entry.drop_row}[other]
        if where is None:
            return None
        grid = next(g for g in self.grids if g.title == entry.sheet)
        header = grid.find_header()
        if header is None:
            return None
        context = self.context
        if other is _Other.POT:
            context = replace(context, pots=context.pots | {where})
        elif other is _Other.NO_POT:
            context = replace(context, not_pots=context.not_pots | {where})
        else:
            context = replace(context, notes=context.notes | {where})
        read = read_villkor(grid, header, context)
        villkor = read.value.villkor
        if read.findings.problems or read.findings.mismatches or villkor is None:
            return None
        if self._not_this_years(grid, villkor) is not None or grid.title in self.skipped:
            return None  # a sheet set aside stays aside
        return grid, read

    def _take_reread(self, entry: Entry, grid: Grid, read: Read[SheetReading], other: _Other) -> None:
        villkor = read.value.villkor
        assert villkor is not None
        self._insert(villkor)
        heading = entry.label.removeprefix("RIKET · ")
        if other is _Other.POT:
            amount = next(e.mkr for e in read.value.entries if e.cell == entry.cell) or 0.0
            why = (
                f"kolumnen '{heading}' räknas som en pott ({format_mkr(amount)} Mkr) – överenskommelsens "
                "totalbelopp stämmer bara med den"
            )
        elif other is _Other.NO_POT:
            why = (
                f"kolumnen '{heading}' räknas inte som en pott ({format_mkr(entry.mkr or 0.0)} Mkr) – "
                "överenskommelsens totalbelopp stämmer bara utan den"
            )
        else:
            why = (
                f"raden '{entry.label}' räknas som en anteckning, inte som ett fast belopp "
                f"({format_mkr(entry.mkr or 0.0)} Mkr) – överenskommelsens totalbelopp stämmer bara utan den"
            )
        self.entries = [e for e in self.entries if e.sheet != grid.title] + [
            replace(e, guess=why) if e.cell == entry.cell else e for e in read.value.entries
        ]
        self.findings[grid.title] = read.findings
        self.notices = [n for n in self.notices if n != _helper_notice(grid.title)]
        self.notices.append(f"{grid.title}!{entry.cell}: {why}")

    def _set_aside(self, grid: Grid, entries: tuple[Entry, ...], why: str) -> None:
        """A sheet that reads like a villkor but is not this year's: its money is listed, not used."""
        self.entries = [e for e in self.entries if e.sheet != grid.title]
        self.skipped.append(grid.title)
        guess: str | None = f"bladet räknas inte som villkor: {why}"
        self.notices.append(f"Bladet '{grid.title}' räknas inte som villkor: {why}")
        for entry in entries:
            if entry.role is Role.USED and not entry.mkr:  # a zero moves no money: listed, no guess
                self.entries.append(replace(entry, role=Role.UNUSED, became=why))
            elif entry.role is Role.USED:
                self.entries.append(replace(entry, role=Role.UNUSED, became=why, money=True, guess=guess))
                guess = None
            else:
                self.entries.append(entry)

    def _pass_over(self, grid: Grid, why: str) -> None:
        """A sheet passed over with a notice: its numbers are listed as not used."""
        ledger = Ledger(grid.title)
        for r, c, value in self._numbers(grid):
            ledger.unused(cell_name(r, c), _row_label(grid, r), value, "", why, money=_money_like(value))
        self.entries += ledger.entries

    def receipt(self) -> tuple[Entry, ...]:
        """Every numeric cell of the sheets read: the readers' entries, and the rest as not used."""
        entries = list(self.entries)
        seen = {(e.sheet, e.cell) for e in entries}
        for grid in self.grids:
            outside = 0
            header = grid.find_header()
            for r, c, value in self._numbers(grid):
                if (grid.title, cell_name(r, c)) in seen:
                    continue
                if header is not None and c == header.lan_col and regions.match(text(value)) is not None:
                    entries.append(Entry(grid.title, cell_name(r, c), text(value), value, "", Role.USED,
                                         f"länskod: {regions.match(text(value))}"))  # fmt: skip
                    continue
                money = _money_like(value)
                why = "står utanför tabellen"
                guess = (
                    f"talet {show_number(value)} {why}"
                    if money and grid.title != self.population_title
                    else None
                )
                entries.append(Entry(grid.title, cell_name(r, c), _row_label(grid, r), value, "", Role.UNUSED,
                                     why, money=money, guess=guess))  # fmt: skip
                outside += money
            if outside:
                self.notices.append(
                    f"Bladet '{grid.title}': {outside} tal utanför tabellen räknas inte (se bladet Kontroll)"
                )
        return tuple(entries)

    def _numbers(self, grid: Grid) -> list[tuple[int, int, float]]:
        """The grid's numeric cells; one that holds no finite number (1E400) is refused, since it
        can be neither used nor listed."""
        found = []
        reported = {(p.sheet, p.cell) for p in self.problems}
        for r, c, value in _numbers(grid):
            if math.isfinite(value):
                found.append((r, c, value))
            elif (grid.title, grid.ref(r, c)) not in reported:
                message = "cellen har ett tal som inget kalkylprogram kan visa (oändligt) – rätta cellen"
                self.sheet_problems.append(Problem(grid.title, grid.ref(r, c), message))
        return found

    def read_utfall(self) -> Utfall | None:
        """Read only when the villkor are sound: Utfall's columns are bound to their pots."""
        sheet = self.by_name.get(regions.fold(OUTCOME_SHEET))
        if sheet is None or not sheet.visible or self.problems:
            return None
        from .utfall import read_utfall

        grid = self.book.grid(sheet.title)
        read = read_utfall(grid, tuple(self.villkor))
        self._took(grid, read.findings)
        utfall = read.value
        ledger = Ledger(grid.title)
        for r, c, value in self._numbers(grid):
            ledger.used(cell_name(r, c), _row_label(grid, r), value, "", "underlag för utbetalningen")
        self.entries += ledger.entries
        return utfall


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


def _body_with_amount(grid: Grid) -> tuple[str, str] | None:
    """The cell of a known national body's name with an amount to its right, and the body."""
    for r in grid.row_numbers:
        cells = list(grid.cells(r))
        for k, (c, value) in enumerate(cells):
            if isinstance(value, str) and (body := bodies.known(value)) is not None:
                if any(is_number(v) for _, v in cells[k + 1 :]):
                    return cell_name(r, c), body
                break
    return None


LAN_TABLE_ROWS = 11  # most of the 21 län, one under the other: a table of the län, whatever its heading


def _lan_in_rows(grid: Grid) -> str | None:
    """The first län name of a column that holds most of the län with a number beside each."""
    found: dict[int, list[int]] = {}
    for r in grid.row_numbers:
        cells = list(grid.cells(r))
        for k, (c, value) in enumerate(cells):
            if isinstance(value, str) and regions.match(value) is not None:
                if any(is_number(v) for _, v in cells[k + 1 :]):
                    found.setdefault(c, []).append(r)
                break
    for c, rows in sorted(found.items()):
        if len(rows) >= LAN_TABLE_ROWS:
            return cell_name(rows[0], c)
    return None


# Words that, beside another sheet's name, make a sheet's name that of a copy or a version of it.
_COPY_WORDS = frozenset(
    {"kopia", "kopian", "kopior", "copy", "of", "av", "old", "gammal", "gamla", "gammalt", "utkast",
     "draft", "backup", "bak", "bkp", "orig", "original", "v", "ver", "version", "ny", "nytt", "nya", "new",
     "test", "tmp", "temp", "reserv", "arbetsversion", "fg", "tidigare", "rev", "reviderad", "ändrad"}
)  # fmt: skip


def named_after(name: str, names: list[str]) -> tuple[str, list[str]] | None:
    """The sheet whose name `name` holds with words added ("Villkor 3 (2)", "Kopia av Villkor 3",
    "Villkor 3_2", "Villkor 3 - kopia", "Villkor 3 prel", "Villkor 2 UTGÅR"), longest name first, and
    the words added; None for none. A bare number after a space is how sheets are numbered
    ("Villkor", "Villkor 2"), no copy's mark."""
    folded = regions.fold(name)
    for other in sorted(names, key=len, reverse=True):
        key = regions.fold(other)
        if key == folded or len(key) < 3:
            continue
        at = folded.find(key)
        if at < 0:
            continue
        before, after = folded[:at], folded[at + len(key) :]
        if (before and before[-1].isalnum()) or (after and after[0].isalnum()):
            continue
        if re.fullmatch(r"[\s\d]*", before + after):
            continue  # "Villkor 3" beside "Villkor": a numbered series, not a copy's mark ("(3)", "_3")
        rest = re.sub(r"[\s()\[\]_\-–.,:;#]+", " ", before + " " + after).split()
        if rest:
            return other, rest
    return None


def copy_of(name: str, names: list[str]) -> str | None:
    """The sheet whose copy `name` is named as: its name with copy words or a number added."""
    found = named_after(name, names)
    if found is not None and all(word in _COPY_WORDS or word.isdigit() for word in found[1]):
        return found[0]
    return None


def _same_pots(villkor: Villkor, others: list[Villkor]) -> Villkor | None:
    """The villkor read before with this one's money: its pots and its fixed sums, amount by amount
    (none when the pots are all zero)."""

    def money(v: Villkor) -> tuple[list[float], list[float]]:
        rounded = (round(amount, 3) for amount in (p.amount for p in v.pots))
        return sorted(a for a in rounded if a), sorted(round(n.amount, 3) for n in v.national)

    mine = money(villkor)
    if not mine[0]:
        return None
    return next((v for v in others if money(v) == mine), None)


class _Other(Enum):
    """The other reading of a guess that the agreement's total may settle."""

    POT = "a column as a pot"
    NO_POT = "a column as no pot"
    NOTE = "a row as a note"


def _helper_notice(title: str) -> str:
    return (
        f"Bladet '{title}' har bara andelar eller personer per län, inga potter, och räknas inte som villkor"
    )


_SUBSET_AT_MOST = 12  # amounts searched for a subset (4 096 subsets); beyond, runs of neighbours


def _sum_of_others(villkor: Villkor, others: list[Villkor]) -> list[str] | None:
    """Two or more other sheets whose totals (or pots) add up to this sheet's total (or pots): the
    sheets, in order; None when there are none. A sheet of charts' data or a pivot of the villkor
    ("Diagramdata": RIKET 240 = Villkor 1's 100 + Villkor 2's 140) is such a sum.

    Amounts are compared in thousandths of a Mkr, the precision they are shown at."""
    rest = [w for w in others if w is not villkor]
    for amount_of in (_total_of, _pots_of):
        target = round(amount_of(villkor) * 1000)
        amounts = [round(amount_of(w) * 1000) for w in rest]
        if target <= 0:
            continue
        found = _subset(amounts, target) if len(rest) <= _SUBSET_AT_MOST else _run(amounts, target)
        if found is not None and all(amounts[i] > 0 for i in found):  # a run may hold a zero
            return [rest[i].name for i in found]
    return None


def _parts_of_it(entry: Entry, entries: list[Entry]) -> bool:
    """Whether other rows of the sheet that may be notes add up to this row's amount ('SKR, se nedan'
    39 over 'Inera' 10 and 'Kunskapsstöd' 29): reading this one as the note, or those, agrees alike."""
    others = [
        round((e.mkr or 0.0) * 1000)
        for e in entries
        if e.sheet == entry.sheet and e.drop_row is not None and e is not entry and e.mkr
    ]
    target = round((entry.mkr or 0.0) * 1000)
    return target > 0 and (target in others or _subset(others[:_SUBSET_AT_MOST], target) is not None)


def _total_of(villkor: Villkor) -> float:
    return villkor.total


def _pots_of(villkor: Villkor) -> float:
    return sum(p.amount for p in villkor.pots)


def _run(amounts: list[int], target: int) -> list[int] | None:
    """Indexes of two or more neighbouring amounts that add up to `target` (by prefix sums)."""
    prefix = [0]
    for amount in amounts:
        prefix.append(prefix[-1] + amount)
    seen: dict[int, int] = {}
    for j, total in enumerate(prefix):
        i = seen.get(total - target)
        if i is not None and j - i >= 2:
            return list(range(i, j))
        seen.setdefault(total, j)
    return None


def _subset(amounts: list[int], target: int) -> list[int] | None:
    """Indexes of two or more positive amounts that add up to `target`, if any (sums above the target
    are dropped, so the table stays as small as the target)."""
    reach: dict[int, tuple[int, ...]] = {0: ()}
    for i, amount in enumerate(amounts):
        if amount <= 0:
            continue
        for total, used in list(reach.items()):
            new = total + amount
            if new <= target and new not in reach:
                reach[new] = (*used, i)
    found = reach.get(target)
    return list(found) if found is not None and len(found) >= 2 else None


def _agrees(total: float, agreement: float) -> bool:
    return abs(round(total, 3) - round(agreement, 3)) < MKR_TOLERANCE


GUESS_REMEDY = (
    "programmet kan inte avgöra detta säkert: fyll i överenskommelsens totalbelopp i Befolkning!B2 "
    "(då avgör summan), eller rätta rubriken eller cellen"
)


def _guessed(receipt: tuple[Entry, ...]) -> list[Problem]:
    """Without the agreement's total nothing settles a guess that moves money: each is refused."""
    return [Problem(e.sheet, e.cell, f"{e.guess} – {GUESS_REMEDY}") for e in guesses(receipt)]


def _check_agreement(
    sheet: str | None,
    agreement: float,
    villkor: list[Villkor],
    skipped: list[str],
    receipt: tuple[Entry, ...] = (),
) -> list[Problem]:
    total = sum(v.total for v in villkor)
    if _agrees(total, agreement):
        return []
    message = (
        f"villkorsbladen ger sammanlagt {format_mkr(total)} Mkr men överenskommelsens totalbelopp är "
        f"{format_mkr(agreement)} Mkr (skillnad {format_mkr(total - agreement)})"
    )
    if skipped:
        message += " – bladen " + ", ".join(f"'{title}'" for title in skipped) + " räknades inte"
    doubtful = guesses(receipt)
    for e in doubtful:  # a single reading the other way that makes the sum agree is named
        amount = e.mkr if e.mkr is not None else e.value
        if e.role is Role.USED and abs(total - amount - agreement) < MKR_TOLERANCE:
            message += f"; utan {e.sheet}!{e.cell} ({format_mkr(amount)} Mkr) stämmer summan"
        elif e.role is not Role.USED and abs(total + amount - agreement) < MKR_TOLERANCE:
            message += (
                f"; med {e.sheet}!{e.cell} ({format_mkr(amount)} Mkr) medräknad stämmer summan – "
                "rätta rubriken så att den läses som en pott"
            )
    if doubtful:
        shown = ", ".join(f"{e.sheet}!{e.cell}" for e in doubtful[:MAX_CELLS_SHOWN])
        message += f"; osäkra tolkningar att se över: {shown}" + (
            " …" if len(doubtful) > MAX_CELLS_SHOWN else ""
        )
    message += _unit_hint(total, agreement, villkor, receipt)
    sheets = "; ".join(f"'{v.name}' {format_mkr(v.total)}" for v in villkor)
    return [Problem(sheet, None, f"{message} – bladens summor: {sheets}")]


def _unit_hint(total: float, agreement: float, villkor: list[Villkor], receipt: tuple[Entry, ...]) -> str:
    """Where reading one sheet, or one amount, in tkr instead of Mkr would make the sum agree: the
    unit mistake an officer most often makes, named with its remedy. Only amounts of 100 or more: a
    small amount read a thousand times smaller is as good as dropped, which proves nothing."""
    for v in villkor:
        if v.total >= _TKR_TYPED and _agrees(total - v.total + v.total / 1_000, agreement):
            return f"; med bladet '{v.name}' i tkr stämmer summan – skriv enheten i rubriken"
    for e in receipt:
        typed = e.role is Role.USED and e.unit == "Mkr" and e.value >= _TKR_TYPED
        if typed and e.mkr and _agrees(total - e.mkr * (1 - 1 / 1_000), agreement):
            amount = show_number(e.value)
            return f"; med {e.sheet}!{e.cell} ({amount}) i tkr stämmer summan – skriv enheten"
    return ""


_TKR_TYPED = 100  # a figure typed in tkr under a heading in Mkr is at least this large


def _numbers(grid: Grid) -> list[tuple[int, int, float]]:
    """The grid's numeric cells: numbers (infinite ones too), number text, and numbers typed with a
    unit."""
    found = []
    for r in grid.row_numbers:
        for c, value in grid.cells(r):
            if (r, c) in grid.errors:
                continue
            if isinstance(value, float) and not math.isfinite(value):
                found.append((r, c, value))
                continue
            number = figure_of(value)
            if number is not None:
                found.append((r, c, number))
    return found


def _money_like(value: float) -> bool:
    """A number that could be an amount: not a year, not a share."""
    if value.is_integer() and 1990 <= value <= 2100:
        return False
    return value != 0


def _row_label(grid: Grid, r: int) -> str:
    label = next((text(v) for _, v in grid.cells(r) if isinstance(v, str) and not is_empty(v)), None)
    return label or f"rad {r + 1}"


def _lan_as_columns(grid: Grid) -> str | None:
    """The first cell of a row that holds most of the län side by side, on a sheet with numbers."""
    if not any(is_number(v) for r in grid.row_numbers for _, v in grid.cells(r)):
        return None
    for r in grid.row_numbers:
        names = [c for c, v in grid.cells(r) if isinstance(v, str) and regions.match(v) is not None]
        if len(names) >= len(regions.NAMES) // 2:
            return cell_name(r, names[0])
    return None


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
