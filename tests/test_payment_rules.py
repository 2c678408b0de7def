"""Properties of the payment rules, and the table saying how each rule is read, applied and described.

The rules are checked against what the villkor texts promise (nobody above entitlement, money either
paid or forfeited, never lost).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sjukmiljard.allocate.rules import (
    RULES,
    Rule,
    RuleResult,
    capped_rule,
    key_rule,
    population_rule,
    unknown_rule,
)
from sjukmiljard.model import PotOutcome

from .strategies import fractions

populations_st = st.integers(1, 2_500_000)


@st.composite
def capped_inputs(draw: st.DrawFn) -> tuple[Fraction, list[int], list[Fraction]]:
    n = draw(st.integers(1, 21))
    pops = draw(st.lists(populations_st, min_size=n, max_size=n))
    caps = draw(st.lists(fractions(max_whole=200), min_size=n, max_size=n))
    return draw(fractions(max_whole=1_000)), pops, caps


# ---------------------------------------------------------------------------------------------------
# capped_rule


@settings(max_examples=300, deadline=None)
@given(capped_inputs())
def test_capped_rule_promises(data: tuple[Fraction, list[int], list[Fraction]]) -> None:
    pot, pops, caps = data
    result = capped_rule(pot, pops, caps)
    everyone = sum(pops)
    assert len(result.amounts) == len(pops)
    for amount, pop, cap in zip(result.amounts, pops, caps, strict=True):
        base = pot * pop / everyone
        assert amount <= cap
        assert amount >= min(base, cap)
        if cap <= base:
            assert amount == cap
    assert result.paid == min(pot, sum(caps, Fraction(0)))
    assert result.paid + result.forfeited == pot
    assert result.forfeited == max(Fraction(0), pot - sum(caps, Fraction(0)))


@settings(max_examples=200, deadline=None)
@given(capped_inputs())
def test_capped_rule_is_one_water_level(data: tuple[Fraction, list[int], list[Fraction]]) -> None:
    """Every region below its entitlement is paid the same amount per inhabitant, and that level is at
    least the plain population share and high enough that capped regions really reached their cap."""
    pot, pops, caps = data
    result = capped_rule(pot, pops, caps)
    below = {a / p for a, p, c in zip(result.amounts, pops, caps, strict=True) if a < c}
    assert len(below) <= 1
    if below:
        (level,) = below
        assert level >= pot / sum(pops)
        assert result.forfeited == 0
        for amount, pop, cap in zip(result.amounts, pops, caps, strict=True):
            assert amount == min(cap, level * pop)


@settings(max_examples=150, deadline=None)
@given(capped_inputs(), st.randoms(use_true_random=False))
def test_capped_rule_does_not_depend_on_region_order(
    data: tuple[Fraction, list[int], list[Fraction]], rnd: random.Random
) -> None:
    pot, pops, caps = data
    order = list(range(len(pops)))
    rnd.shuffle(order)
    result = capped_rule(pot, pops, caps)
    shuffled = capped_rule(pot, [pops[i] for i in order], [caps[i] for i in order])
    assert shuffled.amounts == tuple(result.amounts[i] for i in order)
    assert shuffled.forfeited == result.forfeited


def test_capped_rule_worked_case_money_left_over() -> None:
    # Pot 100 kr; populations 40/30/20/10 (total 100), entitlements 10/50/30/0.
    # Base (population share):      40, 30, 20, 10
    # min(base, entitlement):       10, 30, 20,  0  -> 60 paid, 40 left
    # Below entitlement: region 1 (30 < 50) and region 2 (20 < 30); their populations 30 : 20.
    #   region 1: 30 + 40·30/50 = 30 + 24 = 54 > 50 -> capped at 50 (got +20)
    #   region 2: 20 + 40·20/50 = 20 + 16 = 36 > 30 -> capped at 30 (got +10)
    # Now 10 + 50 + 30 + 0 = 90 paid, 10 left, and every region is at its entitlement:
    # the 10 kr stay with the state (= 100 − sum of entitlements 90).
    result = capped_rule(Fraction(100), [40, 30, 20, 10], [10, 50, 30, 0])
    assert result == RuleResult((Fraction(10), Fraction(50), Fraction(30), Fraction(0)), Fraction(10))


def test_capped_rule_worked_case_two_rounds() -> None:
    # Pot 100 kr; populations 40/30/20/10, entitlements 0/35/100/100.
    # Base 40, 30, 20, 10; min(base, entitlement) = 0, 30, 20, 10 -> 60 paid, 40 left.
    # Round 1, below entitlement: regions 1, 2, 3 (populations 30 + 20 + 10 = 60):
    #   region 1: 30 + 40·30/60 = 50 > 35 -> capped at 35 (+5)
    #   region 2: 20 + 40·20/60 = 33 1/3
    #   region 3: 10 + 40·10/60 = 16 2/3
    #   paid 0 + 35 + 33 1/3 + 16 2/3 = 85, 15 left.
    # Round 2, below entitlement: regions 2, 3 (populations 20 + 10 = 30):
    #   region 2: 33 1/3 + 15·20/30 = 43 1/3
    #   region 3: 16 2/3 + 15·10/30 = 21 2/3
    #   paid 100, nothing forfeited; both are paid 13/6 kr per inhabitant.
    result = capped_rule(Fraction(100), [40, 30, 20, 10], [0, 35, 100, 100])
    assert result.amounts == (Fraction(0), Fraction(35), Fraction(130, 3), Fraction(65, 3))
    assert result.forfeited == 0


def test_capped_rule_nobody_claims() -> None:
    result = capped_rule(Fraction(50), [1, 2, 3], [0, 0, 0])
    assert result.amounts == (Fraction(0),) * 3
    assert result.forfeited == 50


# ---------------------------------------------------------------------------------------------------
# population_rule


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 21).flatmap(
        lambda n: st.tuples(
            fractions(max_whole=10_000),
            st.lists(populations_st, min_size=n, max_size=n),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    ),
    st.booleans(),
)
def test_population_rule(data: tuple[Fraction, list[int], list[bool]], redistribute: bool) -> None:
    pot, pops, met = data
    result = population_rule(pot, pops, met, redistribute)
    assert result.paid + result.forfeited == pot
    assert all(a == 0 for a, ok in zip(result.amounts, met, strict=True) if not ok)
    per_person = {a / p for a, p, ok in zip(result.amounts, pops, met, strict=True) if ok}
    assert len(per_person) <= 1  # proportional to population among those that met the villkor
    if not any(met):
        assert result.forfeited == pot
    elif redistribute:
        assert result.forfeited == 0
    else:
        assert per_person == {pot / sum(pops)}
        assert result.forfeited == pot * sum(p for p, ok in zip(pops, met, strict=True) if not ok) / sum(pops)


def test_population_rule_worked_case() -> None:
    # Pot 90 kr, populations 10/20/60 (total 90), so the population shares are 10, 20 and 60 kr.
    # Region 1 did not meet the villkor. Kept by the state: region 1 gets 0 and its 20 kr are forfeited.
    kept = population_rule(Fraction(90), [10, 20, 60], [True, False, True], redistribute=False)
    assert kept == RuleResult((Fraction(10), Fraction(0), Fraction(60)), Fraction(20))
    # Redistributed: 90 kr shared 10 : 60 between regions 0 and 2 -> 90·10/70 and 90·60/70.
    shared = population_rule(Fraction(90), [10, 20, 60], [True, False, True], redistribute=True)
    assert shared == RuleResult((Fraction(90, 7), Fraction(0), Fraction(540, 7)), Fraction(0))


# ---------------------------------------------------------------------------------------------------
# key_rule


@settings(max_examples=200, deadline=None)
@given(
    fractions(max_whole=10_000),
    st.lists(st.integers(-1_000, 1_000).map(lambda k: Fraction(k, 7)), min_size=1, max_size=21),
)
def test_key_rule(pot: Fraction, keys: list[Fraction]) -> None:
    result = key_rule(pot, keys)
    assert result.paid + result.forfeited == pot
    assert all(a == 0 for a, k in zip(result.amounts, keys, strict=True) if k <= 0)
    positive = sum((k for k in keys if k > 0), Fraction(0))
    if positive == 0:
        assert result.forfeited == pot
    else:
        assert result.forfeited == 0
        for amount, key in zip(result.amounts, keys, strict=True):
            if key > 0:
                assert amount == pot * key / positive


def test_key_rule_worked_case() -> None:
    # Reductions 300, 100, −50 and 0 sick-leave days: 100 kr shared 300 : 100 -> 75 and 25.
    assert key_rule(Fraction(100), [300, 100, -50, 0]) == RuleResult(
        (Fraction(75), Fraction(25), Fraction(0), Fraction(0)), Fraction(0)
    )


# ---------------------------------------------------------------------------------------------------
# Input checks


@pytest.mark.parametrize(
    "call",
    [
        lambda: capped_rule(Fraction(1), [1, 2], [Fraction(1)]),
        lambda: capped_rule(Fraction(1), [1, 0], [1, 1]),
        lambda: capped_rule(Fraction(1), [1, 2], [1, -1]),
        lambda: capped_rule(Fraction(-1), [1, 2], [1, 1]),
        lambda: population_rule(Fraction(1), [1, 2], [True], False),
        lambda: key_rule(Fraction(1), []),
    ],
)
def test_bad_input_is_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        key_rule(1.5, [1])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------
# The table: how each rule is read, applied and described


def reported(
    rule: Rule, values: list[bool] | list[float], redistribute: bool = False, per_unit: float | None = None
) -> PotOutcome:
    return PotOutcome("Pott", None, 1.0, rule, tuple(values), redistribute, per_unit)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("befolkning", Rule.POPULATION),
        ("", Rule.POPULATION),  # the default
        ("  Tak ", Rule.CAPPED),
        ("NYCKEL", Rule.KEY),
        ("lotteri", None),
        ("befolkningen", None),
    ],
)
def test_regel_words(text: str, rule: Rule | None) -> None:
    assert Rule.parse(text) is rule


def test_unknown_rule_lists_every_word() -> None:
    assert unknown_rule("lotteri") == "okänd regel 'lotteri' – skriv befolkning, tak eller nyckel"


def test_how_each_rule_is_read() -> None:
    """Ja/Nej and Förverkat for the population rule; counts that cannot be negative and Kr per enhet
    for the capped rule; a key that may be anything for the rörlig del."""
    assert set(RULES) == set(Rule)
    by_flag = {
        flag: [rule for rule in Rule if getattr(rule.spec, flag)]
        for flag in ("yes_no", "non_negative", "takes_forfeit", "takes_per_unit", "variable")
    }
    assert by_flag == {
        "yes_no": [Rule.POPULATION],
        "non_negative": [Rule.CAPPED],
        "takes_forfeit": [Rule.POPULATION],
        "takes_per_unit": [Rule.CAPPED],
        "variable": [Rule.KEY],
    }


def test_how_each_rule_is_applied() -> None:
    pops = [10, 20, 60]
    met = [True, False, True]
    for redistribute in (False, True):
        assert Rule.POPULATION.spec.apply(
            Fraction(90), pops, reported(Rule.POPULATION, met, redistribute)
        ) == population_rule(Fraction(90), pops, met, redistribute)
    # Counts times Kr per enhet, taken as typed: 0,1 kr is exactly 1/10, not the float nearest it.
    assert Rule.CAPPED.spec.apply(
        Fraction(90), pops, reported(Rule.CAPPED, [30.0, 0.0, 5.0], per_unit=0.1)
    ) == capped_rule(Fraction(90), pops, [Fraction(3), 0, Fraction(1, 2)])
    # Without Kr per enhet the cells are the amounts claimed, in kronor.
    assert Rule.CAPPED.spec.apply(
        Fraction(90), pops, reported(Rule.CAPPED, [2.5, 100.0, 0.0])
    ) == capped_rule(Fraction(90), pops, [Fraction(5, 2), 100, 0])
    assert Rule.KEY.spec.apply(Fraction(90), pops, reported(Rule.KEY, [-3.0, 1.0, 2.0])) == RuleResult(
        (Fraction(0), Fraction(30), Fraction(60)), Fraction(0)
    )


def test_how_each_rule_is_described() -> None:
    def describe(pot: PotOutcome) -> str:
        return pot.rule.spec.describe(pot)

    assert describe(reported(Rule.POPULATION, [True])) == (
        "Befolkningsandel om villkoret är uppfyllt; förverkat stannar hos staten"
    )
    assert describe(reported(Rule.POPULATION, [True], redistribute=True)) == (
        "Befolkningsandel om villkoret är uppfyllt; förverkat fördelas om bland dem som uppfyllt villkoret"
    )
    assert describe(reported(Rule.CAPPED, [1.0], per_unit=1_234_567.0)) == (
        "Högst befolkningsandelen, överskott till dem med fler enheter, aldrig över "
        "1 234 567 kr per rapporterad enhet"
    )
    assert describe(reported(Rule.CAPPED, [1.0])) == (
        "Högst befolkningsandelen, överskott till dem med fler enheter, aldrig över begärt belopp"
    )
    assert describe(reported(Rule.KEY, [1.0])) == (
        "Nyckel (rörlig del): andel av nyckeln, noll för noll eller negativ nyckel"
    )
