"""Exact amounts: floats refused, amounts as typed, Mkr to kronor."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sjukmiljard.allocate.exact import as_typed, check_non_negative, exact, show, to_kronor


def test_to_kronor() -> None:
    assert to_kronor(Fraction(50)) == 50_000_000
    assert to_kronor(Fraction("0.0000015")) == Fraction(3, 2)


def test_amounts_are_taken_as_typed() -> None:
    """A float read from the workbook means the decimal the user typed, not its binary neighbour."""
    assert as_typed(1.2) == Fraction(6, 5) != Fraction(1.2)
    assert to_kronor(as_typed(12.3456785)) == Fraction("12345678.5")
    assert to_kronor(as_typed(0.1 + 0.2)) == 300_000


@pytest.mark.parametrize(
    ("cached", "typed"),
    [
        (0.7 + 0.1, "0.8"),  # Excel's cached =0.7+0.1
        (4.35 * 100, "435"),  # =4.35*100
        (100.00000000000001, "100"),  # noise upwards too
        (12.3456785, "12.3456785"),
        (100.0000005, "100.0000005"),  # a half krona is meant, not noise
        (999_999.999999999, "999999.999999999"),  # 15 digits at the largest pot: a tenth of an öre
        (1e-05, "0.00001"),
    ],
)
def test_cached_noise_is_not_an_amount(cached: float, typed: str) -> None:
    """A cached value is taken at the 15 significant digits a typed number can have."""
    assert as_typed(cached) == Fraction(typed)


@pytest.mark.parametrize("value", [0.5, True, "1", None])
def test_only_ints_and_fractions_are_exact(value: object) -> None:
    with pytest.raises(TypeError, match="an int or a Fraction"):
        exact(value, "x")


def test_exact_and_non_negative() -> None:
    assert exact(3, "x") == Fraction(3)
    assert exact(Fraction(1, 3), "x") == Fraction(1, 3)
    check_non_negative(Fraction(0), "x")
    with pytest.raises(ValueError, match=r"x must not be negative, got -0\.333333 \(-1/3\)"):
        check_non_negative(Fraction(-1, 3), "x")
    assert show(Fraction(-2)) == "-2"
