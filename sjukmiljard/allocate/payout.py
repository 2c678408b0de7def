"""From reported outcomes to payments in whole kronor: the model's Utfall through each pot's rule
(`allocate.rules`) into one table, rounded by `allocate.rounding` so that every row and column adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor

import pandas as pd

from ..model import Indata, PotOutcome, Utfall
from ..words import regions
from ..words.regions import fold
from ..words.swedish import format_number
from .exact import as_typed, to_kronor
from .rounding import controlled_round
from .rules import RuleResult
from .shares import national_order


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
        decided: each pot in kronor as decided (öre included), `pots` plus what was rounded away.
        national: kronor per national body (rows) and villkor (columns), NaN where none; each fixed
            sum in whole kronor, never more than decided.
        national_decided: the fixed sums in kronor as decided (öre included), NaN where none.
        unpaid: per län (seed order), why it got nothing from a pot that had money ("Villkor 2: Nej").
        notices: one line per pot or fixed sum that had öre and was rounded down, for the user.
    """

    columns: tuple[str, ...]
    rules: tuple[str, ...]
    variable: tuple[bool, ...]
    regions: pd.DataFrame
    forfeited: pd.Series
    pots: pd.Series
    decided: pd.Series
    national: pd.DataFrame
    national_decided: pd.DataFrame
    unpaid: tuple[tuple[str, ...], ...] = ()
    notices: tuple[str, ...] = ()


def compute_payout(indata: Indata, utfall: Utfall) -> Payout:
    persons = [count for _, count in indata.population.counts]
    columns = tuple(p.label for p in utfall.pots)
    notices: list[str] = []
    decided = [to_kronor(as_typed(p.pot)) for p in utfall.pots]
    pots = [
        _whole_kronor(kronor, _pot_what(p), notices) for p, kronor in zip(utfall.pots, decided, strict=True)
    ]
    results = [
        p.rule.spec.apply(Fraction(kronor), persons, p) for p, kronor in zip(utfall.pots, pots, strict=True)
    ]
    # Rows: the 21 län, then what stays with the state, so that each column sums to its whole pot.
    table = [[r.amounts[i] for r in results] for i in range(len(regions.NAMES))]
    table.append([r.forfeited for r in results])
    rounded = controlled_round(table)
    national, national_decided = _national(indata, notices)
    return Payout(
        columns=columns,
        rules=tuple(p.rule.spec.describe(p) for p in utfall.pots),
        variable=tuple(p.variable for p in utfall.pots),
        regions=pd.DataFrame(
            list(rounded[:-1]), index=list(regions.NAMES), columns=list(columns), dtype="int64"
        ),
        forfeited=pd.Series(list(rounded[-1]), index=list(columns), dtype="int64"),
        pots=pd.Series(pots, index=list(columns), dtype="int64"),
        decided=pd.Series([float(k) for k in decided], index=list(columns), dtype="float64"),
        national=national,
        national_decided=national_decided,
        unpaid=_unpaid(utfall, results, rounded[:-1], pots),
        notices=tuple(notices),
    )


def _pot_what(pot: PotOutcome) -> str:
    where = "bladet Utfall, raden Pott, Mkr" if pot.villkor is None else f"bladet {pot.villkor}, raden RIKET"
    return f"potten '{pot.label}' ({where})"


def _whole_kronor(exact: Fraction, what: str, notices: list[str]) -> int:
    """An amount decided in kronor as whole kronor, never more: the öre are rounded away (down).

    One rule for pots and fixed sums alike: only whole kronor are paid, and never more than decided.
    What is rounded away stays with the state, is shown in the Utbetalning sheet's reconciliation and
    named in a notice, so paid plus forfeited plus rounded away is exactly the amount decided.
    """
    kronor = floor(exact)
    if kronor != exact:
        notices.append(
            f"{what} är {_kronor_text(exact)} kr – bara hela kronor betalas ut, så "
            f"{'potten' if what.startswith('potten') else 'summan'} är {format_number(kronor)} kr "
            f"({_kronor_text(exact - kronor)} kr avrundas bort)"
        )
    return kronor


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


def _unpaid(
    utfall: Utfall, results: list[RuleResult], paid: tuple[tuple[int, ...], ...], pots: list[int]
) -> tuple[tuple[str, ...], ...]:
    """Per län, each pot with money that paid it nothing, and why: in the rule's words, or "under
    1 kr" for an amount earned that the rounding to whole kronor took to zero."""
    return tuple(
        tuple(
            f"{pot.label}: {'under 1 kr' if results[j].amounts[i] > 0 else pot.rule.spec.unpaid(pot, i)}"
            for j, pot in enumerate(utfall.pots)
            if pots[j] > 0 and paid[i][j] == 0
        )
        for i in range(len(regions.NAMES))
    )


def _national(indata: Indata, notices: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fixed sums to national bodies, paid in full in whole kronor (never more than decided)."""
    bodies = national_order(indata.villkor)
    columns = [v.name for v in indata.villkor if v.national]
    if not bodies or not columns:
        empty = pd.DataFrame(index=pd.Index([], dtype=object), columns=columns, dtype="float64")
        return empty, empty.copy()
    nan = float("nan")
    paid = [[nan] * len(columns) for _ in bodies]
    decided = [[nan] * len(columns) for _ in bodies]
    keys = list(bodies)
    for j, name in enumerate(columns):
        villkor = next(v for v in indata.villkor if v.name == name)
        for item in villkor.national:
            i = keys.index(fold(item.name))
            exact = to_kronor(as_typed(item.amount))
            what = f"den fasta summan till {item.name} (bladet {name})"
            paid[i][j] = float(_whole_kronor(exact, what, notices))
            decided[i][j] = float(exact)
    index = pd.Index(list(bodies.values()), dtype=object)
    return (
        pd.DataFrame(paid, index=index, columns=columns),
        pd.DataFrame(decided, index=index, columns=columns),
    )
