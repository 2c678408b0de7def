"""Properties of the controlled rounding to whole numbers: every cell, row, column and the grand total
is its exact amount rounded down or up, so all sums add up, and the choice is the documented optimum.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction
from math import ceil, floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sjukmiljard.allocate.exact import to_kronor
from sjukmiljard.allocate.rounding import controlled_round
from sjukmiljard.allocate.rules import capped_rule, key_rule, population_rule

from .strategies import fractions


@st.composite
def tables(draw: st.DrawFn, max_rows: int = 25, max_cols: int = 6) -> list[list[Fraction]]:
    rows = draw(st.integers(1, max_rows))
    cols = draw(st.integers(1, max_cols))
    cell = st.one_of(
        fractions(max_whole=10_000),
        st.integers(0, 10_000).map(Fraction),  # integral amounts must stay exactly as they are
        st.integers(0, 10_000).map(lambda k: Fraction(2 * k + 1, 2)),  # exact ties x.5
    )
    return [[draw(cell) for _ in range(cols)] for _ in range(rows)]


def brackets(value: int, exact: Fraction) -> bool:
    """``value`` is ``exact`` rounded down or up (so equal to it when it is whole)."""
    return value in (floor(exact), ceil(exact))


def assert_controlled(table: list[list[Fraction]], result: tuple[tuple[int, ...], ...]) -> None:
    assert len(result) == len(table)
    for row, out in zip(table, result, strict=True):
        assert len(out) == len(row)
        for exact, kronor in zip(row, out, strict=True):
            assert isinstance(kronor, int)
            assert brackets(kronor, exact)
            assert abs(kronor - exact) < 1
        assert brackets(sum(out), sum(row, Fraction(0)))
    for j in range(len(table[0])):
        assert brackets(sum(out[j] for out in result), sum((row[j] for row in table), Fraction(0)))
    assert brackets(sum(map(sum, result)), sum((sum(row, Fraction(0)) for row in table), Fraction(0)))


@pytest.mark.parametrize(
    "call",
    [
        lambda: controlled_round([]),
        lambda: controlled_round([[Fraction(1)], [Fraction(1), Fraction(2)]]),
        lambda: controlled_round([[Fraction(-1, 2)]]),
    ],
)
def test_bad_input_is_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        controlled_round([[0.5]])  # type: ignore[list-item]


# ---------------------------------------------------------------------------------------------------
# controlled_round


@settings(max_examples=300, deadline=None)
@given(tables())
def test_controlled_round_adds_up(table: list[list[Fraction]]) -> None:
    result = controlled_round(table)
    assert_controlled(table, result)
    # Deterministic: the same input (also as a fresh copy, as tuples) gives the same kronor.
    assert controlled_round(table) == result
    assert controlled_round(tuple(tuple(row) for row in table)) == result


@settings(max_examples=200, deadline=None)
@given(tables())
def test_controlled_round_keeps_ordinary_rounding_when_it_adds_up(table: list[list[Fraction]]) -> None:
    """If rounding each amount to the nearest krona (halves up) already adds up, nothing is changed."""
    ordinary = tuple(tuple(floor(a + Fraction(1, 2)) for a in row) for row in table)
    try:
        assert_controlled(table, ordinary)
    except AssertionError:
        return
    assert controlled_round(table) == ordinary


def _brute_force_best(table: list[list[Fraction]]) -> tuple[tuple[int, ...], ...] | None:
    """The documented choice, by trying every rounding: among those that add up, the smallest total
    |paid − exact|, then the one that rounds up the earliest cell (reading order) where two candidates
    differ. None if no rounding adds up."""
    fractional = [(i, j) for i, row in enumerate(table) for j, a in enumerate(row) if a.denominator != 1]
    best: tuple[Fraction, tuple[tuple[int, ...], ...]] | None = None
    for ups in itertools.product((1, 0), repeat=len(fractional)):  # earliest-up candidates first
        out = [[floor(a) for a in row] for row in table]
        for (i, j), up in zip(fractional, ups, strict=True):
            out[i][j] += up
        candidate = tuple(tuple(row) for row in out)
        try:
            assert_controlled(table, candidate)
        except AssertionError:
            continue
        error = sum(
            (
                abs(k - a)
                for row, krow in zip(table, out, strict=True)
                for a, k in zip(row, krow, strict=True)
            ),
            Fraction(0),
        )
        if best is None or error < best[0]:
            best = (error, candidate)
    return None if best is None else best[1]


@settings(max_examples=150, deadline=None)
@given(tables(max_rows=3, max_cols=3))
def test_controlled_round_is_the_documented_optimum(table: list[list[Fraction]]) -> None:
    expected = _brute_force_best(table)
    assert expected is not None, "Cox: a controlled rounding always exists"
    assert controlled_round(table) == expected


def test_whole_pots_sum_exactly_to_the_pot() -> None:
    """21 regions, three pots in Mkr, with what is forfeited as a row for the state: each column is
    a whole number of kronor, so it must come out exactly, to the krona."""
    pops = [
        2_377_081, 383_713, 297_540, 465_495, 363_599, 201_469, 245_446, 59_686, 159_606, 332_793,
        1_377_827, 1_725_881, 302_252, 282_414, 287_191, 286_547, 245_453, 287_795, 250_093, 270_154,
        130_810,
    ]  # fmt: skip
    met = [i % 3 != 0 for i in range(21)]
    caps = [Fraction(1_234_567 * (i + 1), 3) for i in range(21)]
    keys = [Fraction(500 - 60 * i, 7) for i in range(21)]
    results = [
        population_rule(to_kronor(Fraction(100)), pops, met, redistribute=False),
        capped_rule(to_kronor(Fraction(50)), pops, caps),
        key_rule(to_kronor(Fraction(25)), keys),
    ]
    table = [[r.amounts[i] for r in results] for i in range(21)]
    table.append([r.forfeited for r in results])
    result = controlled_round(table)
    assert_controlled(table, result)
    assert [sum(row[j] for row in result) for j in range(3)] == [100_000_000, 50_000_000, 25_000_000]


def test_published_2014_shape_now_adds_up() -> None:
    """The 2014 payout overview rounded each figure on its own and so did not add up: Gotland's row
    was 1 kr short of its printed total, Kronoberg's 1 kr over, and a column total was off by 1 kr.
    The exact amounts below are illustrative (not the published ones) but fail in exactly that way."""
    table = [
        [Fraction("1234567.45"), Fraction("617283.40")],  # Gotland: remainders .45 + .40 = .85
        [Fraction("4567890.50"), Fraction("2283945.50")],  # Kronoberg: .50 + .50 = exactly 1 kr
        [Fraction("5000000.45"), Fraction("2500000.00")],  # Kalmar: .45
        [Fraction("6000000.45"), Fraction("3000000.00")],  # Halland: .45
    ]

    def half_up(x: Fraction) -> int:
        return floor(x + Fraction(1, 2))

    separately = [[half_up(a) for a in row] for row in table]
    row_totals = [half_up(sum(row, Fraction(0))) for row in table]
    column_0 = half_up(sum((row[0] for row in table), Fraction(0)))
    assert sum(separately[0]) == row_totals[0] - 1  # Gotland 1 kr short: 1 851 850 vs 1 851 851
    assert sum(separately[1]) == row_totals[1] + 1  # Kronoberg 1 kr over: 6 851 837 vs 6 851 836
    assert sum(row[0] for row in separately) == column_0 - 1  # column 16 802 458 vs 16 802 459

    # By hand: the remainders ask for 0 or 1 round-up in Gotland, exactly 1 in Kronoberg (its row is
    # whole), 0 or 1 each in Kalmar and Halland; 1 or 2 in column 0 (1.85), 0 or 1 in column 1 (0.90);
    # 2 or 3 in all (2.75). Rounding a .50 up or down costs the same, a .45 up costs 0.10 more than
    # down, a .40 up 0.20 more. Cheapest: Kronoberg's one round-up (a .50) plus one .45; ties go to the
    # earliest cell in reading order, i.e. Gotland's .45 in column 0 and Kronoberg's .50 in column 0.
    assert controlled_round(table) == (
        (1_234_568, 617_283),  # row 1 851 851 (exact 1 851 850.85)
        (4_567_891, 2_283_945),  # row 6 851 836 (exact, whole)
        (5_000_000, 2_500_000),  # row 7 500 000 (exact 7 500 000.45)
        (6_000_000, 3_000_000),  # row 9 000 000 (exact 9 000 000.45)
    )  # columns 16 802 459 (exact …58.85) and 8 401 228 (exact …28.90); total 25 203 687 (…87.75)
    assert_controlled(table, controlled_round(table))
