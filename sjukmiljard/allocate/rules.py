"""The three payment rules: how a pot is shared among the regions given what they reported.

``population_rule``, ``capped_rule`` and ``key_rule`` are pure arithmetic on exact numbers: one pot
and what the regions reported in, the exact amount per region plus what stays with the state out.
``Rule`` names them by the word the Utfall sheet's Regel row uses, and ``RULES`` is the one table
saying, for each rule, how its Utfall column is read, how the rule is applied to it and how it is
described in the result. The reader, the payout and the writer all go through that table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Protocol

from ..words.regions import fold
from ..words.swedish import format_number
from .exact import Number, as_typed, check_non_negative, exact

FORFEITED = "Förverkat (stannar hos staten)"


@dataclass(frozen=True)
class RuleResult:
    """One pot's exact outcome: the amount per region (in the caller's region order) and what is left.

    ``forfeited`` is the part of the pot that no region earned and so stays with the state; it is kept
    beside the amounts so that ``sum(amounts) + forfeited == pot`` can always be checked.
    """

    amounts: tuple[Fraction, ...]
    forfeited: Fraction

    @property
    def paid(self) -> Fraction:
        """The part of the pot that goes to the regions."""
        return sum(self.amounts, Fraction(0))


def population_rule(
    pot: Number, populations: Sequence[Number], met: Sequence[bool], redistribute: bool
) -> RuleResult:
    """Share a pot by population among the regions that met the villkor.

    A region that met the villkor gets its population share of the pot, one that did not gets nothing.
    With ``redistribute=False`` the money of those that did not stays with the state; with
    ``redistribute=True`` the whole pot is shared by population among those that met it (their
    population shares within that group). If no region met it, the whole pot stays with the state.
    """
    total = exact(pot, "pot")
    check_non_negative(total, "pot")
    pops = _populations(populations)
    if len(met) != len(pops):
        raise ValueError(f"met has {len(met)} entries but there are {len(pops)} regions")
    if any(not isinstance(flag, bool) for flag in met):
        raise TypeError("met must hold True or False for each region")
    if redistribute:
        divisor = sum((p for p, ok in zip(pops, met, strict=True) if ok), Fraction(0))
        if divisor == 0:
            return RuleResult(tuple(Fraction(0) for _ in pops), total)
    else:
        divisor = sum(pops, Fraction(0))
    amounts = tuple(total * p / divisor if ok else Fraction(0) for p, ok in zip(pops, met, strict=True))
    return _result(total, amounts)


def capped_rule(pot: Number, populations: Sequence[Number], entitlements: Sequence[Number]) -> RuleResult:
    """Share a pot by population, but never above what each region is entitled to; pass the rest on.

    This is the rule of e.g. 2020 Villkor 3: a region's share is at most its population share of the
    pot and at most what its reported work is worth (its entitlement: reported count × amount per
    unit, or an amount claimed). Money a region cannot use goes to the regions that did more than their
    population share pays for, by population share among those, but never above their entitlement;
    this is repeated until the money is used up or every region is at its entitlement. Each round
    either uses up the money or brings at least one more region to its entitlement, so with exact
    fractions it ends after at most one round per region. What is left stays with the state.

    The outcome is the same as "every region gets min(entitlement, level × population) for the one
    level at which the pot is used up", so it does not depend on the order of the regions.
    """
    total = exact(pot, "pot")
    check_non_negative(total, "pot")
    pops = _populations(populations)
    caps = tuple(exact(e, "entitlement") for e in entitlements)
    if len(caps) != len(pops):
        raise ValueError(f"there are {len(caps)} entitlements but {len(pops)} regions")
    for cap in caps:
        check_non_negative(cap, "entitlement")
    all_people = sum(pops, Fraction(0))
    amounts = [min(total * p / all_people, cap) for p, cap in zip(pops, caps, strict=True)]
    for _ in range(len(pops)):
        left = total - sum(amounts, Fraction(0))
        eligible = [i for i, cap in enumerate(caps) if amounts[i] < cap]
        if left == 0 or not eligible:
            break
        people = sum((pops[i] for i in eligible), Fraction(0))
        for i in eligible:
            amounts[i] = min(amounts[i] + left * pops[i] / people, caps[i])
    return _result(total, tuple(amounts))


def key_rule(pot: Number, keys: Sequence[Number]) -> RuleResult:
    """Share a pot in proportion to a per-region key, such as the reduction in sick-leave days.

    Only a positive key earns money: a region whose key is zero or negative (no reduction, or an
    increase) gets nothing rather than paying back. If no key is positive the pot stays with the state.
    """
    total = exact(pot, "pot")
    check_non_negative(total, "pot")
    weights = tuple(max(exact(k, "key"), Fraction(0)) for k in keys)
    if not weights:
        raise ValueError("there must be at least one region")
    divisor = sum(weights, Fraction(0))
    if divisor == 0:
        return RuleResult(tuple(Fraction(0) for _ in weights), total)
    return _result(total, tuple(total * w / divisor for w in weights))


def _populations(populations: Sequence[Number]) -> tuple[Fraction, ...]:
    """Every region has residents; a zero would give it no share and usually means a data error."""
    pops = tuple(exact(p, "population") for p in populations)
    if not pops:
        raise ValueError("there must be at least one region")
    if any(p <= 0 for p in pops):
        raise ValueError("every population must be positive")
    return pops


def _result(pot: Fraction, amounts: tuple[Fraction, ...]) -> RuleResult:
    return RuleResult(amounts, pot - sum(amounts, Fraction(0)))


# ---------------------------------------------------------------------------------------------------
# The rules by name, and the table


class Rule(StrEnum):
    """A pot's payment rule, named by the word the Utfall sheet's Regel row uses."""

    POPULATION = "befolkning"
    CAPPED = "tak"
    KEY = "nyckel"

    @classmethod
    def parse(cls, text: str) -> Rule | None:
        """The rule a Regel cell names, in any case; an empty cell means the population rule."""
        word = fold(text)
        if not word:
            return cls.POPULATION
        return next((rule for rule in cls if rule.value == word), None)

    @property
    def spec(self) -> RuleSpec:
        return RULES[self]


def unknown_rule(text: str) -> str:
    """The message for a Regel cell that names no rule, listing the words that do."""
    *words, last = (rule.value for rule in Rule)
    return f"okänd regel '{text}' – skriv {', '.join(words)} eller {last}"


class ReportedPot(Protocol):
    """What a rule reads of one pot's Utfall column (``model.PotOutcome`` is one)."""

    @property
    def values(self) -> tuple[bool | float, ...]: ...

    @property
    def redistribute(self) -> bool: ...

    @property
    def per_unit(self) -> float | None: ...


@dataclass(frozen=True)
class RuleSpec:
    """How one rule's Utfall column is read, how the rule is applied and how it is described.

    Attributes:
        yes_no: each län answers Ja or Nej; otherwise each län reports a number.
        non_negative: the numbers are counts (or amounts claimed), so a negative one is refused.
        takes_forfeit: the Förverkat row says whether money not earned stays with the state
            (``staten``) or is shared among the regions that met the villkor (``omfördelas``).
        takes_per_unit: the Kr per enhet row says what each reported unit is worth in kronor.
        variable: the pot is the "rörlig del" rather than the villkorad del.
        apply: the exact amounts, given the pot in kronor, the populations and what was reported.
        describe: the rule in words, for the Regel row of the Utbetalning sheet.
        unpaid: why a region (by its index) got nothing from a pot that had money, in a few words
            for the Utbetalning sheet ("Nej", "0 enheter", "nyckel −3").
    """

    yes_no: bool
    non_negative: bool
    takes_forfeit: bool
    takes_per_unit: bool
    variable: bool
    apply: Callable[[Fraction, Sequence[int], ReportedPot], RuleResult]
    describe: Callable[[ReportedPot], str]
    unpaid: Callable[[ReportedPot, int], str]


def _apply_population(kronor: Fraction, persons: Sequence[int], pot: ReportedPot) -> RuleResult:
    return population_rule(kronor, persons, [bool(v) for v in pot.values], pot.redistribute)


def _apply_capped(kronor: Fraction, persons: Sequence[int], pot: ReportedPot) -> RuleResult:
    unit = as_typed(pot.per_unit) if pot.per_unit is not None else Fraction(1)
    return capped_rule(kronor, persons, [as_typed(float(v)) * unit for v in pot.values])


def _apply_key(kronor: Fraction, persons: Sequence[int], pot: ReportedPot) -> RuleResult:
    return key_rule(kronor, [max(as_typed(float(v)), Fraction(0)) for v in pot.values])


def _unpaid_population(pot: ReportedPot, region: int) -> str:
    return "Nej"


def _unpaid_capped(pot: ReportedPot, region: int) -> str:
    value = _figure(float(pot.values[region]))
    return f"begärde {value} kr" if pot.per_unit is None else f"{value} enheter"


def _unpaid_key(pot: ReportedPot, region: int) -> str:
    return f"nyckel {_figure(float(pot.values[region]))}"


def _figure(value: float) -> str:
    return format_number(value, 0 if value.is_integer() else 2)


def _describe_population(pot: ReportedPot) -> str:
    kept = "fördelas om bland dem som uppfyllt villkoret" if pot.redistribute else "stannar hos staten"
    return f"Befolkningsandel om villkoret är uppfyllt; förverkat {kept}"


def _describe_capped(pot: ReportedPot) -> str:
    basis = (
        f"{format_number(pot.per_unit)} kr per rapporterad enhet"
        if pot.per_unit is not None
        else "begärt belopp"
    )
    return f"Högst befolkningsandelen, överskott till dem med fler enheter, aldrig över {basis}"


def _describe_key(pot: ReportedPot) -> str:
    return "Nyckel (rörlig del): andel av nyckeln, noll för noll eller negativ nyckel"


RULES: dict[Rule, RuleSpec] = {
    Rule.POPULATION: RuleSpec(
        yes_no=True,
        non_negative=False,
        takes_forfeit=True,
        takes_per_unit=False,
        variable=False,
        apply=_apply_population,
        describe=_describe_population,
        unpaid=_unpaid_population,
    ),
    Rule.CAPPED: RuleSpec(
        yes_no=False,
        non_negative=True,
        takes_forfeit=False,
        takes_per_unit=True,
        variable=False,
        apply=_apply_capped,
        describe=_describe_capped,
        unpaid=_unpaid_capped,
    ),
    Rule.KEY: RuleSpec(
        yes_no=False,
        non_negative=False,
        takes_forfeit=False,
        takes_per_unit=False,
        variable=True,
        apply=_apply_key,
        describe=_describe_key,
        unpaid=_unpaid_key,
    ),
}
