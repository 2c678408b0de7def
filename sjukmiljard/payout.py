"""From reported outcomes to payments in whole kronor: the model's Utfall through each pot's rule
(`payment_rules`) into one table, rounded by `controlled_rounding` so that every row and column adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor

import pandas as pd

from . import regions
from .allocation import national_order
from .controlled_rounding import controlled_round
from .exact import as_typed, to_kronor
from .model import Indata, PotOutcome, Utfall
from .regions import fold
from .swedish import format_number


@dataclass(frozen=True, eq=False)
class Payout:
    """Payments in whole kronor.

    Attributes:
        columns: one label per pot, as in the Utfall sheet.
        rules: the rule of each pot in words, for the result.
        variable: per pot, whether it is the "rörlig del" (a key rule) rather than the villkorad del.
        regions: kronor per län (seed order) and pot.
        forfeited: kronor per pot that no region earned and that stay with the state.
        pots: each pot in whole kronor, never more than decided; regions' column sum plus forfeited
            equals it exactly.
        national: kronor per national body (rows) and villkor (columns), NaN where none.
        notices: one line per pot that had öre and was rounded down, for the user.
    """

    columns: tuple[str, ...]
    rules: tuple[str, ...]
    variable: tuple[bool, ...]
    regions: pd.DataFrame
    forfeited: pd.Series
    pots: pd.Series
    national: pd.DataFrame
    notices: tuple[str, ...] = ()


def compute_payout(indata: Indata, utfall: Utfall) -> Payout:
    persons = [count for _, count in indata.population.counts]
    columns = tuple(p.label for p in utfall.pots)
    pots = [_whole_kronor(p) for p in utfall.pots]
    results = [
        p.rule.spec.apply(Fraction(kronor), persons, p)
        for p, (kronor, _) in zip(utfall.pots, pots, strict=True)
    ]
    # Rows: the 21 län, then what stays with the state, so that each column sums to its whole pot.
    table = [[r.amounts[i] for r in results] for i in range(len(regions.NAMES))]
    table.append([r.forfeited for r in results])
    rounded = controlled_round(table)
    return Payout(
        columns=columns,
        rules=tuple(p.rule.spec.describe(p) for p in utfall.pots),
        variable=tuple(p.variable for p in utfall.pots),
        regions=pd.DataFrame(
            list(rounded[:-1]), index=list(regions.NAMES), columns=list(columns), dtype="int64"
        ),
        forfeited=pd.Series(list(rounded[-1]), index=list(columns), dtype="int64"),
        pots=pd.Series([kronor for kronor, _ in pots], index=list(columns), dtype="int64"),
        national=_national(indata),
        notices=tuple(notice for _, notice in pots if notice is not None),
    )


def _whole_kronor(pot: PotOutcome) -> tuple[int, str | None]:
    """The pot in whole kronor, and a notice when the pot as decided has öre.

    Only whole kronor are paid, and never more than the pot: a pot with öre is rounded down, so what is
    paid plus what is forfeited is exactly the pot shown, and the öre stay with the state.
    """
    exact = to_kronor(as_typed(pot.pot))
    kronor = floor(exact)
    if kronor == exact:
        return kronor, None
    where = "bladet Utfall, raden Pott, Mkr" if pot.villkor is None else f"bladet {pot.villkor}, raden RIKET"
    return kronor, (
        f"potten '{pot.label}' ({where}) är {_kronor_text(exact)} kr – bara hela kronor betalas ut, "
        f"så potten är {format_number(kronor)} kr"
    )


def _kronor_text(amount: Fraction) -> str:
    """An exact amount of kronor as a Swedish decimal ("12 345 678,5"); a pot's amount in kronor is
    a finite decimal, as it comes from a decimal number of Mkr."""
    whole = floor(amount)
    rest, digits = amount - whole, ""
    while rest and len(digits) < 20:
        rest *= 10
        digits += str(floor(rest))
        rest -= floor(rest)
    return format_number(whole) + (f",{digits}" if digits else "")


def _national(indata: Indata) -> pd.DataFrame:
    """The fixed sums to national bodies, paid in full, in whole kronor that add up."""
    bodies = national_order(indata.villkor)
    columns = [v.name for v in indata.villkor if v.national]
    if not bodies or not columns:
        return pd.DataFrame(index=pd.Index([], dtype=object), columns=columns, dtype="float64")
    exact = [[Fraction(0)] * len(columns) for _ in bodies]
    present = [[False] * len(columns) for _ in bodies]
    keys = list(bodies)
    for j, name in enumerate(columns):
        villkor = next(v for v in indata.villkor if v.name == name)
        for item in villkor.national:
            i = keys.index(fold(item.name))
            exact[i][j] = to_kronor(as_typed(item.amount))
            present[i][j] = True
    rounded = controlled_round(exact)
    values = [
        [float(rounded[i][j]) if present[i][j] else float("nan") for j in range(len(columns))]
        for i in range(len(keys))
    ]
    return pd.DataFrame(values, index=pd.Index(list(bodies.values()), dtype=object), columns=columns)
