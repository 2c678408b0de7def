"""The plain records the reader produces and the allocator and writer consume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .words.swedish import format_date

if TYPE_CHECKING:
    from .allocate.rules import Rule
    from .read.accounting import Entry


@dataclass(frozen=True)
class Population:
    """Persons per län (the seed's 21 names, in its order) on a reference date."""

    counts: tuple[tuple[str, int], ...]
    date: dt.date
    source: str

    @property
    def date_text(self) -> str:
        return format_date(self.date)

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


MKR_TOLERANCE = 0.0005  # half the thousandth the published figures show: amounts this close agree
MAX_MKR = 1_000_000.0  # per pot or fixed sum: a million Mkr is a thousand times the whole miljard


@dataclass(frozen=True)
class Pot:
    """One pot of a villkor, in Mkr, shared by population."""

    label: str
    amount: float


@dataclass(frozen=True)
class NationalSum:
    """A fixed sum from a villkor to a national body (SKR, Försäkringskassan, …), in Mkr."""

    name: str
    amount: float


@dataclass(frozen=True)
class Note:
    """A line of text below RIKET, kept as written (line breaks included)."""

    text: str


@dataclass(frozen=True)
class Gap:
    """A blank line between paragraphs below RIKET."""


@dataclass(frozen=True)
class SumLine:
    """Where the sheet has its SUMMA row (RIKET plus the fixed sums above it)."""


Line = NationalSum | Note | Gap | SumLine


@dataclass(frozen=True)
class Villkor:
    """One villkor sheet: its Sammanställning label (the sheet name), title, pots, and what stands
    below RIKET.

    `lines` is what stands below RIKET, in the sheet's order: fixed sums, notes, blank lines between
    paragraphs and the SUMMA row; the fixed sums and the notes are read from it. Without a SumLine
    the writer puts a SUMMA row after the last fixed sum.
    """

    name: str
    title: str | None
    pots: tuple[Pot, ...]
    lines: tuple[Line, ...] = ()

    @property
    def national(self) -> tuple[NationalSum, ...]:
        return tuple(line for line in self.lines if isinstance(line, NationalSum))

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines if isinstance(line, Note))

    @property
    def pot_total(self) -> float:
        return sum(pot.amount for pot in self.pots)

    @property
    def total(self) -> float:
        return self.pot_total + sum(item.amount for item in self.national)


@dataclass(frozen=True)
class Indata:
    """Everything read from one input workbook."""

    population: Population
    villkor: tuple[Villkor, ...]
    notices: tuple[str, ...] = ()
    utfall: Utfall | None = None
    agreement_total: float | None = None
    receipt: tuple[Entry, ...] = ()  # what became of every number of the input (`accounting`)


@dataclass(frozen=True)
class PotOutcome:
    """What the regions reported for one pot (a column of the Utfall sheet), and the pot's rule.

    `values` is one entry per län in the seed's order: met or not (bool) for the population rule,
    the reported count (or the amount claimed in kr when `per_unit` is None) for the capped rule, and
    the key for the key rule. `index` is which pot of its villkor sheet it is (0 for the first).
    """

    label: str
    villkor: str | None
    pot: float
    rule: Rule
    values: tuple[bool | float, ...]
    redistribute: bool = False
    per_unit: float | None = None
    index: int = 0

    @property
    def variable(self) -> bool:
        """A key-rule pot is the "rörlig del"; the others are the "villkorad del"."""
        return self.rule.spec.variable


@dataclass(frozen=True)
class Utfall:
    """The regions' reported outcomes, one entry per pot column of the Utfall sheet."""

    pots: tuple[PotOutcome, ...]
