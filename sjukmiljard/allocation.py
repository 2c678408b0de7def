"""Sharing each villkor's pots among the län by population, and the Sammanställning.

Knows nothing about Excel: it takes the reader's records and returns DataFrames in Mkr at full
precision. The arithmetic mirrors the formulas the writer puts in the workbook (share = persons ÷
the 21 län's sum, amount = pot × share) so that a recalculation reproduces the cached values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import Indata, Population, Villkor
from .regions import fold
from .vocabulary import LAN, PERSONS, SHARE, TOTAL

PRIORITY_BODIES = ("SKR", "Försäkringskassan", "Socialstyrelsen")


@dataclass(frozen=True, eq=False)
class Allocation:
    """The allocated amounts, in Mkr.

    Attributes:
        population: persons and share per län (columns "Personer", "Andel").
        villkor: one frame per villkor, indexed by län: one column per pot (by position) and TOTAL.
        summary: the Sammanställning's län rows: one column per villkor and TOTAL.
        national: the national bodies' rows: one column per villkor (NaN where none) and TOTAL.
    """

    population: pd.DataFrame
    villkor: tuple[pd.DataFrame, ...]
    summary: pd.DataFrame
    national: pd.DataFrame

    @property
    def summary_total(self) -> pd.Series:
        """The Sammanställning's first SUMMA row: the län only."""
        return self.summary.sum()

    @property
    def grand_total(self) -> pd.Series:
        """The Sammanställning's last SUMMA row: län plus national bodies."""
        return self.summary_total + self.national.sum()


def population_frame(population: Population) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(population.counts), columns=[LAN, PERSONS], index=LAN)
    frame[PERSONS] = frame[PERSONS].astype("int64")
    frame[SHARE] = frame[PERSONS] / frame[PERSONS].sum()
    return frame


def allocate_villkor(villkor: Villkor, share: pd.Series) -> pd.DataFrame:
    """Each län's part of each pot, and their sum (TOTAL) from the unrounded parts."""
    parts = np.multiply.outer(share.to_numpy(), np.array([pot.amount for pot in villkor.pots]))
    total = parts.sum(axis=1)
    columns: list[int | str] = [*range(len(villkor.pots)), TOTAL]
    return pd.DataFrame(np.column_stack([parts, total]), index=share.index, columns=columns)


def national_order(villkor: tuple[Villkor, ...]) -> dict[str, str]:
    """Folded name -> name as first written: SKR, Försäkringskassan, Socialstyrelsen first,
    then the others in order of first appearance."""
    seen: dict[str, str] = {}
    for v in villkor:
        for item in v.national:
            seen.setdefault(fold(item.name), item.name)
    first = [fold(name) for name in PRIORITY_BODIES if fold(name) in seen]
    order = first + [key for key in seen if key not in first]
    return {key: seen[key] for key in order}


def allocate(indata: Indata) -> Allocation:
    population = population_frame(indata.population)
    share = population[SHARE]
    frames = tuple(allocate_villkor(v, share) for v in indata.villkor)
    columns = [v.name for v in indata.villkor]
    summary = pd.DataFrame({v.name: f[TOTAL] for v, f in zip(indata.villkor, frames, strict=True)})
    summary[TOTAL] = summary.sum(axis=1)
    bodies = national_order(indata.villkor)
    amounts = np.full((len(bodies), len(columns)), np.nan)
    row_of = {key: r for r, key in enumerate(bodies)}
    for c, v in enumerate(indata.villkor):
        for item in v.national:
            amounts[row_of[fold(item.name)], c] = item.amount
    index = pd.Index(list(bodies.values()), dtype=object)
    national = pd.DataFrame(amounts, index=index, columns=columns)
    national[TOTAL] = national[columns].sum(axis=1)
    return Allocation(population=population, villkor=frames, summary=summary, national=national)
