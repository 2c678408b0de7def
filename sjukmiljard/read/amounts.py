"""An amount cell read with its unit, as the officer sees it: the cell's own unit ("39 Mkr"), its
number format (a percentage, a format that shows 750 000 as 0,75, a unit in the format), the column's
heading, the sheet's title; Mkr when nothing says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..words.swedish import NotANumber, format_mkr, parse_number, show_number
from .grid import Grid
from .units import MKR, Unit, quantity, unit_in

PLAUSIBLE_MKR = 10_000.0  # one pot or fixed sum: ten times a whole agreement (about 1 000 Mkr)
DOUBTFUL_MKR = 2_000.0  # one pot or fixed sum above twice a whole agreement: settled only by B2
SMALLEST_MKR = 0.001  # one thousand kronor: a pot or sum below it is a unit mistake


@dataclass(frozen=True)
class Scale:
    """The unit amounts in a column are written in, and whether the sheet says so."""

    unit: Unit = MKR
    written: bool = False
    where: str = ""  # the heading or title that says it


@dataclass(frozen=True)
class Money:
    """A cell's amount: the number as typed, in Mkr, its unit, and any doubt about it."""

    value: float
    mkr: float
    unit: Unit
    written: bool  # the unit is written in the cell, the heading, the title or the format
    doubt: str | None = None  # the reading rests on the cell's display, not on a written unit
    own_unit: bool = False  # the cell itself says its unit ("39 Mkr", a format with "Mkr")


@dataclass(frozen=True)
class Share:
    """A cell that is a share (a percentage format, or "14,8 %")."""

    value: float


def scale_of(heading: str | None, sheet: Scale) -> Scale:
    """The heading's unit, or the sheet's."""
    unit = unit_in(heading) if heading else None
    if unit is not None and heading is not None:
        return Scale(unit, True, heading)
    return sheet


def cell_amount(grid: Grid, row: int, col: int, scale: Scale) -> Money | Share | None:
    """The cell's amount; None for no number (text, empty, an error value)."""
    value = grid.get(row, col)
    look = grid.looks.get((row, col))
    typed = quantity(value)
    if typed is not None:
        if typed.percent or typed.unit is None:
            return Share(typed.value)
        return Money(typed.value, typed.unit.to_mkr(typed.value), typed.unit, True, own_unit=True)
    try:
        number = parse_number(value)
    except NotANumber:
        return None
    if look is not None and look.percent:
        return Share(number)
    unit, written, own = scale.unit, scale.written, False
    conflict: str | None = None
    if look is not None and look.unit and (format_unit := unit_in(look.unit)) is not None:
        if scale.written and format_unit.name != scale.unit.name:
            # Neither the heading nor the cell's format outranks the other: only the agreement can say.
            conflict = (
                f"talformatet visar {show_number(number)} {format_unit.name} men '{scale.where}' säger "
                f"{scale.unit.name} – vilken enhet gäller?"
            )
        unit, written, own = format_unit, True, True
    if look is not None and look.scale:
        shown = number / 10**look.scale
        doubt = conflict or (
            f"cellen innehåller {show_number(number)} men visas som {format_mkr(shown)} "
            f"(talformatet delar med {show_number(10**look.scale)}) – "
            f"läses som {format_mkr(unit.to_mkr(shown))} Mkr"
        )
        return Money(number, unit.to_mkr(shown), unit, written, doubt, own)
    mkr = unit.to_mkr(number)
    guess = conflict or _comma_thousands(value, number, unit) or _too_large(number, mkr, unit.name, written)
    return Money(number, mkr, unit, written, guess, own)


_COMMA_GROUP = re.compile(r"^[-+\u2212]?\d{1,3},\d{3}$")


def _comma_thousands(value: object, number: float, unit: Unit) -> str | None:
    """The doubt about text like '140,000' in tkr or kr: a decimal comma (140) or a thousands
    separator from an English system (140 000)? In Mkr three decimals are how the amounts are
    published, and 140 000 Mkr would be implausible; in tkr or kr three decimals mean öre or less."""
    if unit.name == MKR.name or not isinstance(value, str) or not _COMMA_GROUP.match(value.strip()):
        return None
    whole = show_number(number * 1000)
    return (
        f"'{value.strip()}' {unit.name} kan vara {show_number(number)} (decimalkomma) eller {whole} "
        "(tusentalsavgränsare) – skriv talet utan komma eller med mellanslag mellan tusentalen"
    )


def _too_large(number: float, mkr: float, unit: str, written: bool) -> str | None:
    """The doubt about an amount larger than twice a whole agreement (about 1 000 Mkr), which a unit
    mistake makes (tkr or kr typed under Mkr): only the agreement total can settle it."""
    if not DOUBTFUL_MKR < abs(mkr) <= PLAUSIBLE_MKR:
        return None
    said = unit if written else "Mkr (ingen enhet angiven)"
    return (
        f"{show_number(number)} {said} är mer än dubbelt så mycket som en hel överenskommelse (omkring "
        "1 000 Mkr) – står beloppet i tkr eller kr?"
    )


def implausible(money: Money, what: str) -> str | None:
    """Why an amount cannot be meant in its unit, if it cannot."""
    if abs(money.mkr) > PLAUSIBLE_MKR:
        unit = money.unit.name if money.written else "Mkr (ingen enhet angiven)"
        return (
            f"{what} {show_number(money.value)} {unit} är orimligt stort – står beloppet i kronor eller tkr? "
            "Skriv enheten i rubriken (t.ex. 'Pot belopp, kr') eller beloppet i Mkr"
        )
    if money.mkr and abs(money.mkr) < SMALLEST_MKR:
        return (
            f"{what} {show_number(money.value)} {money.unit.name} är orimligt litet (under 1 000 kr) – "
            "står beloppet i Mkr? Rätta enheten i rubriken"
        )
    return None


def _decimals(value: float) -> int:
    shown = f"{value:.6f}".rstrip("0")
    return len(shown.split(".")[1]) if "." in shown else 0


def agrees_as_typed(value: float, expected: float) -> bool:
    """The officer's figure agrees with the computed one at the precision it is typed in: 23,01 with
    23,0104, not 22,9 with 23,010."""
    return abs(value - expected) <= 0.5 * 10.0 ** -_decimals(value) + 1e-9
