"""Sharing each villkor's pots among the län by population, and the Sammanställning.

Knows nothing about Excel: it takes the reader's records and returns DataFrames in Mkr at full
precision. The arithmetic mirrors the formulas the writer puts in the workbook (share = persons ÷
the 21 län's sum, amount = pot × share) so that a recalculation reproduces the cached values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import Indata, Population, Villkor
from ..words.regions import fold
from ..words.vocabulary import LAN, PERSONS, SHARE

PRIORITY_BODIES = ("SKR", "Försäkringskassan", "Socialstyrelsen")


@dataclass(frozen=True, eq=False)
class Allocation:
    """The allocated amounts, in Mkr.

    The frames hold the data only: every total is computed from them (`villkor_totals`,
    `summary_totals`, `grand_total`, …), never stored as a column or appended to a row, where a
    villkor named TOTALT would meet it.

    Attributes:
        population: persons and share per län (columns "Personer", "Andel").
        villkor: one frame per villkor, indexed by län: one column per pot (by position).
        summary: the Sammanställning's län rows: one column per villkor (by name).
        national: the national bodies' rows: one column per villkor (NaN where none).
    """

    population: pd.DataFrame
    villkor: tuple[pd.DataFrame, ...]
    summary: pd.DataFrame
    national: pd.DataFrame

    @property
    def summary_totals(self) -> pd.Series:
        """Each län's TOTALT: the sum of its villkor."""
        return self.summary.sum(axis=1)

    @property
    def national_totals(self) -> pd.Series:
        """Each national body's TOTALT over the villkor."""
        return self.national.sum(axis=1)

    @property
    def lan_sums(self) -> pd.Series:
        """The Sammanställning's first SUMMA row (the län only), per villkor; its TOTALT is `lan_total`."""
        return self.summary.sum()

    @property
    def lan_total(self) -> float:
        return float(self.summary_totals.sum())

    @property
    def grand_sums(self) -> pd.Series:
        """The Sammanställning's last SUMMA row (län plus national bodies), per villkor; its TOTALT is
        `grand_total`."""
        sums = self.lan_sums.to_numpy() + self.national.sum().to_numpy()
        return pd.Series(sums, index=self.summary.columns)

    @property
    def grand_total(self) -> float:
        return self.lan_total + float(self.national_totals.sum())


def villkor_totals(frame: pd.DataFrame) -> pd.Series:
    """Each län's part of all the villkor's pots, summed from the unrounded parts."""
    return pd.Series(np.ascontiguousarray(frame.to_numpy()).sum(axis=1), index=frame.index)


def population_frame(population: Population) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(population.counts), columns=[LAN, PERSONS], index=LAN)
    frame[PERSONS] = frame[PERSONS].astype("int64")
    frame[SHARE] = frame[PERSONS] / frame[PERSONS].sum()
    return frame


def allocate_villkor(villkor: Villkor, share: pd.Series) -> pd.DataFrame:
    """Each län's part of each pot (their sum is `villkor_totals`)."""
    parts = np.multiply.outer(share.to_numpy(), np.array([pot.amount for pot in villkor.pots]))
    return pd.DataFrame(parts, index=share.index, columns=range(len(villkor.pots)))


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
    summary = pd.DataFrame({v.name: villkor_totals(f) for v, f in zip(indata.villkor, frames, strict=True)})
    bodies = national_order(indata.villkor)
    amounts = np.full((len(bodies), len(columns)), np.nan)
    row_of = {key: r for r, key in enumerate(bodies)}
    for c, v in enumerate(indata.villkor):
        for item in v.national:
            amounts[row_of[fold(item.name)], c] = item.amount
    index = pd.Index(list(bodies.values()), dtype=object)
    national = pd.DataFrame(amounts, index=index, columns=columns)
    return Allocation(population=population, villkor=frames, summary=summary, national=national)
