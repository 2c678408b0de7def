"""Allocation invariants, as properties over random populations and pots."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sjukmiljard import Indata, NationalSum, Population, Pot, Villkor, allocate
from sjukmiljard.allocate.shares import national_order, villkor_totals
from sjukmiljard.words.regions import NAMES

populations = st.lists(st.integers(1, 3_000_000), min_size=21, max_size=21)
pots = st.lists(st.floats(0, 10_000, allow_nan=False), min_size=1, max_size=3)


def indata(persons: list[int], pot_lists: list[list[float]]) -> Indata:
    population = Population(tuple(zip(NAMES, persons, strict=True)), dt.date(2019, 11, 1), "test")
    villkor = tuple(
        Villkor(f"Villkor {i + 1}", None, tuple(Pot("Pot", a) for a in amounts), (NationalSum("SKR", 1.5),))
        for i, amounts in enumerate(pot_lists)
    )
    return Indata(population, villkor)


@settings(max_examples=200, deadline=None)
@given(populations, st.lists(pots, min_size=1, max_size=4))
def test_each_pot_is_shared_out_exactly(persons: list[int], pot_lists: list[list[float]]) -> None:
    result = allocate(indata(persons, pot_lists))
    for frame, amounts in zip(result.villkor, pot_lists, strict=True):
        for i, amount in enumerate(amounts):
            assert abs(frame[i].sum() - amount) <= 1e-9 * max(1.0, amount)
            assert (frame[i] >= 0).all()
        assert list(frame.columns) == list(range(len(amounts)))  # the pots only: no total column
        assert (abs(villkor_totals(frame) - frame.sum(axis=1)) <= 1e-9).all()
    assert abs(result.summary_totals.sum() - sum(map(sum, pot_lists))) <= 1e-8 * max(
        1.0, sum(map(sum, pot_lists))
    )
    assert abs(result.grand_total - sum(map(sum, pot_lists)) - 1.5 * len(pot_lists)) <= 1e-6


@settings(max_examples=200, deadline=None)
@given(populations, st.floats(1, 10_000, allow_nan=False))
def test_amounts_are_proportional_to_population(persons: list[int], pot: float) -> None:
    frame = allocate(indata(persons, [[pot]])).villkor[0]
    total = sum(persons)
    for name, count in zip(NAMES, persons, strict=True):
        assert abs(frame.loc[name, 0] - pot * count / total) <= 1e-9 * pot


def test_seed_2020_villkor_3_rounding_from_unrounded_values() -> None:
    """Hallands län: 16,144 + 1,614 shown, but the Totalt is 17,759 from unrounded values."""
    persons = [2374550, 383044, 297169, 465214, 363351, 201290, 245415, 59636, 159748, 1376659, 333202,
               1724529, 282342, 304634, 275634, 287795, 287333, 245380, 130697, 271621, 250230]  # fmt: skip
    frame = allocate(indata(persons, [[500, 50]])).villkor[0]
    row = frame.loc["Hallands län"]
    total = villkor_totals(frame)["Hallands län"]
    assert (f"{row[0]:.3f}", f"{row[1]:.3f}", f"{total:.3f}") == ("16.144", "1.614", "17.759")


def test_national_bodies_order() -> None:
    def v(name: str, *bodies: str) -> Villkor:
        return Villkor(name, None, (Pot("Pot", 0),), tuple(NationalSum(b, 1) for b in bodies))

    villkor = (
        v("A", "Enligt regeringsbeslut", "socialstyrelsen"),
        v("B", "SKR", "E-hälsomyndigheten"),
        v("C", "Försäkringskassan"),
    )
    assert list(national_order(villkor).values()) == [
        "SKR",
        "Försäkringskassan",
        "socialstyrelsen",
        "Enligt regeringsbeslut",
        "E-hälsomyndigheten",
    ]


def test_population_share_sums_to_one() -> None:
    frame = allocate(indata(list(range(1, 22)), [[1]])).population
    assert isinstance(frame, pd.DataFrame)
    assert abs(frame["Andel"].sum() - 1) < 1e-12
