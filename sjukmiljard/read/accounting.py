"""What became of every number of the input: the reading receipt's entries.

Each numeric cell of every sheet the reader looks at ends up in exactly one entry: used (a person
count, a pot, a fixed sum, the agreement's total), verified (a sum row, a total column, a breakdown, a
share, the officer's own län amounts: each with both sides of the check), or not used (listed, and
named on screen where it could be money). The readers return their entries beside their data; the
receipt sheet (`result/receipt.py`) prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from ..words.swedish import format_mkr

if TYPE_CHECKING:
    from ..model import Indata, Population


class Role(Enum):
    USED = "används"
    VERIFIED = "kontrollerad"
    UNUSED = "används inte"


@dataclass(frozen=True)
class Entry:
    """One numeric cell of the input and what it became.

    Attributes:
        label: what the cell's row and column say it is ("SKR", "RIKET · Pot belopp, Mkr").
        value: the number as the cell holds it.
        unit: the unit it was read in ("Mkr", "tkr", "kr", "personer", "andel", "år", "").
        became: what the program made of it, in Swedish ("pott", "fast belopp till SKR").
        mkr: the amount in Mkr it counts as (money used or checked), else None.
        expected: for a check, the other side (what the cell should hold), else None.
        agrees: for a check, whether both sides agree.
        money: an unused number that could be money: named on screen.
        guess: why the reading of this cell is not certain (it moves money and neither the arithmetic
            nor an explicit label settles it); with the agreement's total filled in, the total settles
            it, otherwise the workbook is refused.
        pot_col: for a guess that a column is no pot (a share or persons heading over a RIKET figure
            that is not the population's, a column taken for a total by arithmetic alone), the column
            (0-based) the agreement's total may settle as a pot instead.
        drop_col: for a guess that a column is a pot (no heading, a heading that does not say so, a
            version of another pot), the column (0-based) the agreement's total may set aside instead.
        drop_row: for a guess that a row is a fixed sum (to a recipient the program does not know), the
            row (0-based) the agreement's total may read as a note instead.
    """

    sheet: str
    cell: str
    label: str
    value: float
    unit: str
    role: Role
    became: str
    mkr: float | None = None
    expected: float | None = None
    agrees: bool = True
    money: bool = False
    guess: str | None = None
    pot_col: int | None = None
    drop_col: int | None = None
    drop_row: int | None = None


class Ledger:
    """The entries of one sheet as a reader makes them: one per cell, the first decision wins."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self._entries: dict[str, Entry] = {}

    def __contains__(self, cell: str) -> bool:
        return cell in self._entries

    def add(self, entry: Entry) -> None:
        self._entries.setdefault(entry.cell, entry)

    def get(self, cell: str) -> Entry | None:
        """The entry of `cell`, if it has one."""
        return self._entries.get(cell)

    def replace(self, entry: Entry) -> None:
        """A later decision about a cell (a pot found to be a total column) replaces the first."""
        self._entries[entry.cell] = entry

    def used(
        self,
        cell: str,
        label: str,
        value: float,
        unit: str,
        became: str,
        *,
        mkr: float | None = None,
        guess: str | None = None,
        drop_col: int | None = None,
        drop_row: int | None = None,
    ) -> None:
        self.add(
            Entry(
                self.sheet,
                cell,
                label,
                value,
                unit,
                Role.USED,
                became,
                mkr,
                guess=guess,
                drop_col=drop_col,
                drop_row=drop_row,
            )
        )

    def verified(
        self,
        cell: str,
        label: str,
        value: float,
        unit: str,
        became: str,
        *,
        expected: float,
        agrees: bool,
        mkr: float | None = None,
        guess: str | None = None,
        pot_col: int | None = None,
    ) -> None:
        self.add(
            Entry(
                self.sheet,
                cell,
                label,
                value,
                unit,
                Role.VERIFIED,
                became,
                mkr,
                expected,
                agrees,
                guess=guess,
                pot_col=pot_col,
            )
        )

    def unused(
        self,
        cell: str,
        label: str,
        value: float,
        unit: str,
        became: str,
        *,
        money: bool = False,
        guess: str | None = None,
    ) -> None:
        self.add(Entry(self.sheet, cell, label, value, unit, Role.UNUSED, became, money=money, guess=guess))

    def doubt(
        self, cell: str, guess: str, *, pot_col: int | None = None, drop_col: int | None = None
    ) -> None:
        """Mark the entry of `cell` as a guess (one the agreement's total may settle the other way: as a
        pot in column `pot_col`, or without the pot in column `drop_col`)."""
        self._entries[cell] = replace(self._entries[cell], guess=guess, pot_col=pot_col, drop_col=drop_col)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries.values())


def guesses(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.guess is not None]


def disagreeing(entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.role is Role.VERIFIED and not e.agrees]


def replaced_population(entries: tuple[Entry, ...], sheet: str, source: str) -> tuple[Entry, ...]:
    """The workbook's persons, listed as not used where an SCB file's population replaced them."""
    return tuple(
        replace(e, role=Role.UNUSED, became=f"ersatt av befolkningen i {source}")
        if e.sheet == sheet and e.role is Role.USED and e.unit == "personer"
        else e
        for e in entries
    )


def scb_entries(
    file_name: str, month: str, population: Population, cells: tuple[tuple[str, str], ...]
) -> tuple[Entry, ...]:
    """The SCB file's counts as the receipt lists them: file and line (or cell) for each län."""
    where = dict(cells)
    became = f"befolkning {month} från SCB-filen"
    return tuple(
        Entry(file_name, where.get(lan, "summa av kommunerna"), lan, count, "personer", Role.USED, became)
        for lan, count in population.counts
    )


def summary_lines(indata: Indata) -> list[str]:
    """What `--check` prints of the receipt: per villkor what was read, the reconciliation and the
    count of numbers by what became of them."""
    lines = []
    for v in indata.villkor:
        pots = " + ".join(format_mkr(p.amount) for p in v.pots)
        fixed = sum(n.amount for n in v.national)
        lines.append(
            f"{v.name}: potter {pots}, fasta belopp {format_mkr(fixed)} ({len(v.national)} st), "
            f"totalt {format_mkr(v.total)} Mkr"
        )
    total = sum(v.total for v in indata.villkor)
    if indata.agreement_total is not None:
        lines.append(
            f"Summa {format_mkr(total)} Mkr = överenskommelsens totalbelopp "
            f"{format_mkr(indata.agreement_total)} Mkr"
        )
    else:
        lines.append(f"Summa {format_mkr(total)} Mkr (överenskommelsens totalbelopp är inte ifyllt)")
    receipt = indata.receipt
    verified = [e for e in receipt if e.role is Role.VERIFIED]
    off = len(disagreeing(receipt))
    lines.append(
        f"Kontroll: {len(receipt)} tal lästa – {sum(e.role is Role.USED for e in receipt)} använda, "
        f"{len(verified)} kontrollerade ({off} stämmer inte), "
        f"{sum(e.role is Role.UNUSED for e in receipt)} används inte"
    )
    return lines
