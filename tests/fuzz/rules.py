"""The rules the total oracle reads a workbook by, and how it reads one cell or label.

Each rule of issue 9 (and of the README's contract) that today's reader may not follow yet is a
`Rule`: reading with a rule switched off reads that aspect as today's reader does, so a wrong total
can be named by the rules it breaks (see `known.py`).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from .xlsx import XCell

TOLERANCE = 0.0005  # Mkr: "to the thousandth", as the reader checks SUMMA
_RIKET = frozenset({"riket", "00 riket", "hela riket", "00"})
_TOTAL_WORDS = frozenset(
    {"summa", "totalt", "total", "totalsumma", "totalbelopp", "summa totalt", "totalt summa", "sa", "s a"}
)
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_PUNCTUATION = re.compile(r"[:.,;!()\-–]")
_SWEDISH = re.compile(r"[-+]?(\d+|\d{1,3}(?: \d{3})+)(?:,\d+)?")
_DOTTED = re.compile(r"[-+]?[\d ]*\d[\d ]*\.[\d .]*")
_DOTTED_ANY = re.compile(r"[-+]?[\d ,]*\d[\d ,]*\.[\d .,]*")


class Rule(enum.Enum):
    SUM_LABELS = "a row labelled as a total in any spelling (Totalt, Summa:, S:a) is a sum row"
    TOTAL_COLUMNS = "a column headed as a total in any spelling (Totalt, Mkr) is no pot"
    UNHEADED_POTS = "an amount on the RIKET row under no heading is a pot or a total, never dropped"
    AMOUNT_ABOVE_RIKET = "an amount with a name between the last län and RIKET is refused"
    NEVER_SKIPPED = "a visible sheet with an amount on a RIKET row is read or refused, never skipped"
    UNCACHED_AMOUNT = "a formula without a cached value on or below the RIKET row is refused"
    NONFINITE_AMOUNT = "an amount too large to be finite is refused, never a name or a note"
    DOTTED_AMOUNT = "a number with a dot in any form ('1,234.5') is refused, never a name or a note"


Rules = frozenset[Rule]  # the rules switched off


@dataclass(frozen=True)
class Cell:
    kind: str  # "empty", "num", "text", "dotted" or "odd" (an error, no cached value, not finite)
    number: float = 0.0
    text: str = ""

    @property
    def amount(self) -> bool:
        """A number, or a number that cannot be read as one (an odd cell may also be a text)."""
        return self.kind in ("num", "dotted")


EMPTY = Cell("empty")


def fold(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def close_mkr(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE + 1e-12 * max(abs(a), abs(b))


def is_total_label(text: str, off: Rules = frozenset()) -> bool:
    """ "Summa", "TOTALT", "Summa:", "S:a", "Totalt, Mkr"; only "SUMMA" as today's reader reads rows."""
    if Rule.SUM_LABELS in off:
        return fold(text) == "summa"
    words = fold(_PUNCTUATION.sub(" ", text)).removesuffix(" mkr").removesuffix(" kr")
    return words in _TOTAL_WORDS


def is_total_heading(text: str, off: Rules = frozenset()) -> bool:
    """A column heading that says total; only "Totalt" as today's reader reads headings."""
    if Rule.TOTAL_COLUMNS in off:
        return fold(text) == "totalt"
    return is_total_label(text)


def is_riket(x: XCell | None) -> bool:
    return x is not None and x.kind == "s" and isinstance(x.value, str) and fold(x.value) in _RIKET


def label(x: XCell | None) -> str | None:
    """A cell's text when it is a text cell with something in it (as headings and names are)."""
    if x is None or x.kind != "s" or not isinstance(x.value, str) or not x.value.strip():
        return None
    return x.value.strip()


_IN_MKR = re.compile(r"(.*?\d)\s*(?:mkr|msek|miljoner kronor)\.?", re.IGNORECASE)


def classify(x: XCell | None, off: Rules = frozenset()) -> Cell:
    """What a cell holds as Excel shows it: numbers as numeric cells or Swedish text ("2 374 550",
    "0,230", "−5"), dates and booleans as text, an error or an uncalculated formula as odd."""
    if x is None:
        return EMPTY
    if x.kind in ("e", "x"):
        return Cell("odd", text=f"{x.value}")
    if x.value is None:  # a formula no program has calculated
        return EMPTY if Rule.UNCACHED_AMOUNT in off else Cell("odd", text="a formula without a cached value")
    if x.kind == "n":
        return _number(float(x.value), str(x.value), off)
    text = str(x.value).strip()
    if not text:
        return EMPTY
    if x.kind != "s":
        return Cell("text", text=text)
    plain = _SPACES.sub(" ", text).replace("\u2212", "-").replace("\u2013", "-")
    if _DOTTED.fullmatch(plain) or (Rule.DOTTED_AMOUNT not in off and _DOTTED_ANY.fullmatch(plain)):
        return Cell("dotted", text=text)
    if _SWEDISH.fullmatch(plain):
        return _number(float(plain.replace(" ", "").replace(",", ".")), text, off)
    # A number and its unit in Mkr in one cell ("100 Mkr") is that number (issue 15, point 2).
    typed = _IN_MKR.fullmatch(plain)
    if typed and _SWEDISH.fullmatch(typed.group(1)):
        return _number(float(typed.group(1).replace(" ", "").replace(",", ".")), text, off)
    return Cell("text", text=text)


def _number(value: float, text: str, off: Rules) -> Cell:
    if abs(value) != float("inf") and value == value:
        return Cell("num", number=value)
    return Cell("text", text=text) if Rule.NONFINITE_AMOUNT in off else Cell("odd", text=text)
