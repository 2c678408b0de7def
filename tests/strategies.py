"""Hypothesis strategies for exact amounts, shared by the payment rule and rounding tests."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

DENOMINATORS = st.sampled_from([1, 2, 3, 4, 5, 7, 10, 12, 100, 997, 10_000_019])


@st.composite
def fractions(draw: st.DrawFn, max_whole: int = 1_000) -> Fraction:
    """Non-negative amounts with varied denominators: whole numbers, exact halves, thirds, öre …"""
    denominator = draw(DENOMINATORS)
    return Fraction(draw(st.integers(0, max_whole * denominator)), denominator)
