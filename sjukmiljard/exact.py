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


def as_typed(amount: float) -> Fraction:
    """An amount read from the workbook (a float) at its shortest decimal form: 1.2 is 6/5, as typed."""
    return Fraction(repr(amount))


def to_kronor(mkr: Number) -> Fraction:
    """Mkr to kronor, exactly: the rules and the rounding work in kronor so that 1 means one krona."""
    return exact(mkr, "mkr") * KRONOR_PER_MKR


def show(value: Fraction) -> str:
    """A readable exact amount for error messages (a decimal when it is one, else p/q)."""
    return str(value) if value.denominator == 1 else f"{float(value):.6f} ({value})"
