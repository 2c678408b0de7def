"""Exact amounts of money: whole numbers and fractions only, Mkr as typed, Mkr to kronor.

The payment rules and the controlled rounding work on ``fractions.Fraction`` so that every amount can
be checked to the last öre before anything is rounded; a float would already have lost those öre.
"""

from __future__ import annotations

from fractions import Fraction

KRONOR_PER_MKR = 1_000_000

Number = Fraction | int


def exact(value: object, what: str) -> Fraction:
    """``value`` as a Fraction; a float (or anything but an int or a Fraction) is a TypeError."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise TypeError(f"{what} must be an int or a Fraction, not {type(value).__name__}")
    return Fraction(value)


def check_non_negative(value: Fraction, what: str) -> None:
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {show(value)}")


SIGNIFICANT_DIGITS = 15  # what Excel keeps of a typed number, and what a double holds for certain


def as_typed(amount: float) -> Fraction:
    """An amount read from the workbook (a float) as the decimal it can mean: 1.2 is 6/5, as typed.

    A cached value is a binary double with the noise of its calculation (`=0.7+0.1` is cached as
    0.7999999999999999, `=4.35*100` as 434.99999999999994). Neither Excel nor a double holds more than
    15 significant digits for certain, so the amount is taken at 15 significant digits before anything
    is rounded down: 0.8 and 435. For an amount up to the largest pot accepted (1 000 000 Mkr) that is
    a tolerance of at most 0.001 Mkr × 10⁻⁶ = a tenth of an öre, far below what is paid.
    """
    return Fraction(f"{amount:.{SIGNIFICANT_DIGITS}g}")


def to_kronor(mkr: Number) -> Fraction:
    """Mkr to kronor, exactly: the rules and the rounding work in kronor so that 1 means one krona."""
    return exact(mkr, "mkr") * KRONOR_PER_MKR


def show(value: Fraction) -> str:
    """A readable exact amount for error messages (a decimal when it is one, else p/q)."""
    return str(value) if value.denominator == 1 else f"{float(value):.6f} ({value})"
