"""Payments from reported outcomes: the rules on the 2020 sample, whole kronor that add up, and
refusals of bad Utfall data."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from math import ceil, floor
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sjukmiljard import Indata, InputRejected, Population, convert, read_workbook
from sjukmiljard.allocate.payout import compute_payout
from sjukmiljard.allocate.rules import Rule
from sjukmiljard.model import PotOutcome, Utfall
from sjukmiljard.words.regions import NAMES

from .conftest import POPULATION, ROOT, save, small_book

UTFALL_SAMPLE = ROOT / "samples" / "sjukskrivningsmiljarden-2020-utfall.xlsx"
TOTAL = sum(POPULATION.values())
PARAMETERS = ("Regel", "Förverkat", "Kr per enhet", "Pott, Mkr")


def with_utfall(book: openpyxl.Workbook, columns: dict[str, dict[str, object]]) -> openpyxl.Workbook:
    """Add an Utfall sheet: one column per pot, parameter rows, then a value per län."""
    ws = book.create_sheet("Utfall")
    ws.append(["Utfall"])
    ws.append([])
    ws.append(["Län", *columns])
    for parameter in PARAMETERS:
        ws.append([parameter, *(spec.get(parameter) for spec in columns.values())])
    for name in NAMES:
        ws.append([name, *(spec["values"][name] for spec in columns.values())])  # type: ignore[index]
    return book


def all_met(rule: str = "befolkning", **extra: object) -> dict[str, object]:
    return {"Regel": rule, "values": dict.fromkeys(NAMES, "Ja"), **extra}


def check_adds_up(
    regions: list[list[int]], forfeited: list[int], exact: list[list[Fraction]], pots: list[int]
) -> None:
    for j, pot in enumerate(pots):
        assert sum(row[j] for row in regions) + forfeited[j] == pot
    for row, exact_row in zip(regions, exact, strict=True):
        for paid, amount in zip(row, exact_row, strict=True):
            assert floor(amount) <= paid <= ceil(amount)
        assert floor(sum(exact_row)) <= sum(row) <= ceil(sum(exact_row))


def test_all_met_pays_the_potential_amounts_in_kronor(sample: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sample)
    columns = {
        name: all_met()
        for name in ("Villkor 1", "Villkor 2", "Villkor 3 pott 1", "Villkor 3 pott 2", "Villkor 4")
    }
    report = convert(save(with_utfall(book, columns), tmp_path), tmp_path / "r.xlsx")
    payout = report.payout
    assert payout is not None
    pots_mkr = [100, 140, 500, 50, 50]
    exact = [[Fraction(pot * 1_000_000 * POPULATION[name], TOTAL) for pot in pots_mkr] for name in NAMES]
    regions = payout.regions.to_numpy().tolist()
    check_adds_up(regions, payout.forfeited.tolist(), exact, [p * 1_000_000 for p in pots_mkr])
    assert payout.forfeited.tolist() == [0] * 5
    # The potential amounts of the published workbook, to the krona.
    assert payout.regions.loc["Stockholms län", "Villkor 1"] in (23_010_380, 23_010_381)
    rows = payment_rows(tmp_path / "r.xlsx")
    assert rows["SUMMA"][:5] == (100_000_000, 140_000_000, 500_000_000, 50_000_000, 50_000_000)
    assert rows["Pott"][5] == 840_000_000
    assert [v for v in rows["TOTALT UTBETALT"] if v is not None] == [840_000_000 + 104_000_000]


@pytest.mark.parametrize("redistribute", [False, True])
def test_one_region_failing_villkor_1(tmp_path: Path, redistribute: bool) -> None:
    spec = all_met(Förverkat="omfördelas" if redistribute else "staten")
    spec["values"]["Gotlands län"] = "Nej"  # type: ignore[index]
    columns = {"Villkor 1": spec, "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    report = convert(save(with_utfall(small_book(), columns), tmp_path), tmp_path / "r.xlsx")
    assert report.payout is not None
    paid = report.payout.regions["Villkor 1"]
    assert paid["Gotlands län"] == 0
    others = TOTAL - POPULATION["Gotlands län"]
    if redistribute:
        assert report.payout.forfeited["Villkor 1"] == 0
        exact = {n: Fraction(100_000_000 * POPULATION[n], others) for n in NAMES if n != "Gotlands län"}
    else:
        gotland = Fraction(100_000_000 * POPULATION["Gotlands län"], TOTAL)
        assert report.payout.forfeited["Villkor 1"] in (floor(gotland), ceil(gotland))
        exact = {n: Fraction(100_000_000 * POPULATION[n], TOTAL) for n in NAMES if n != "Gotlands län"}
    for name, amount in exact.items():
        assert floor(amount) <= paid[name] <= ceil(amount)
    assert paid.sum() + report.payout.forfeited["Villkor 1"] == 100_000_000


def test_contacts_case_computed_by_hand(tmp_path: Path) -> None:
    """50 Mkr, 2 000 kr per contact. Stockholm took 10 000 contacts (worth 20 Mkr, above its population
    share of 50 × 2 374 550 / 10 319 473 ≈ 11,505 Mkr), Uppsala 100 (worth 0,2 Mkr, below its share),
    nobody else any. Uppsala gets its 200 000 kr. Stockholm first gets its share, then the money left
    goes to the only region whose contacts are worth more than it has, but never above 20 Mkr: so it
    gets exactly 20 000 000 kr. Paid 20 200 000 kr; 29 800 000 kr stay with the state."""
    contacts = dict.fromkeys(NAMES, 0)
    contacts["Stockholms län"], contacts["Uppsala län"] = 10_000, 100
    columns = {
        "Villkor 1": all_met(),
        "Villkor 3 pott 1": all_met(),
        "Villkor 3 pott 2": {"Regel": "tak", "Kr per enhet": 2000, "values": contacts},
    }
    report = convert(save(with_utfall(small_book(), columns), tmp_path), tmp_path / "r.xlsx")
    assert report.payout is not None
    paid = report.payout.regions["Villkor 3 pott 2"]
    assert paid["Stockholms län"] == 20_000_000
    assert paid["Uppsala län"] == 200_000
    assert paid.drop(["Stockholms län", "Uppsala län"]).eq(0).all()
    assert report.payout.forfeited["Villkor 3 pott 2"] == 29_800_000


def test_key_rule_rorlig_del_and_the_overview(tmp_path: Path) -> None:
    keys = {name: (i % 4) - 1 for i, name in enumerate(NAMES)}  # -1, 0, 1, 2, ...
    columns = {
        "Villkor 1": all_met(),
        "Villkor 3 pott 1": all_met(),
        "Villkor 3 pott 2": all_met(),
        "Rörlig del": {"Regel": "nyckel", "Pott, Mkr": 21, "values": keys},
    }
    report = convert(save(with_utfall(small_book(), columns), tmp_path), tmp_path / "r.xlsx")
    assert report.payout is not None
    paid = report.payout.regions["Rörlig del"]
    positive = sum(k for k in keys.values() if k > 0)
    for name, key in keys.items():
        exact = Fraction(21_000_000 * max(key, 0), positive)
        assert floor(exact) <= paid[name] <= ceil(exact)
    assert paid.sum() == 21_000_000
    rows = list(
        openpyxl.load_workbook(tmp_path / "r.xlsx", data_only=True)["Utbetalning översikt"].iter_rows(
            values_only=True
        )
    )
    assert rows[2] == ("Län", "Villkorad del", "Rörlig del", "Totalt")
    assert [r[0] for r in rows[3:24]][:3] == ["Blekinge län", "Dalarnas län", "Gotlands län"]
    assert [r[0] for r in rows[3:24]][-2:] == ["Örebro län", "Östergötlands län"]
    for name, villkorad, rorlig, totalt in rows[3:24]:
        assert rorlig == paid[name] and totalt == villkorad + rorlig
    assert rows[24] == ("SUMMA", 650_000_000, 21_000_000, 671_000_000)


def test_sample_with_utfall_adds_up_everywhere(tmp_path: Path) -> None:
    out = convert(UTFALL_SAMPLE, tmp_path / "r.xlsx").output
    assert out is not None
    rows = list(openpyxl.load_workbook(out, data_only=True)["Utbetalning"].iter_rows(values_only=True))
    body = [r for r in rows if r[0] in NAMES]
    labels = {label: (None, *row) for label, row in payment_rows(out).items()}
    width = rows[3].index("TOTALT") - 1  # pots, between Län and TOTALT
    assert rows[3][width + 2] == "Inget utbetalt från"
    assert len(body) == 21
    for row in body:
        assert all(isinstance(v, int | float) and float(v).is_integer() for v in row[1 : 2 + width]), row
        assert sum(row[1 : 1 + width]) == row[1 + width]
    for j in range(1, 2 + width):
        column = sum(r[j] for r in body)
        assert labels["SUMMA"][j] == column
        assert labels["Pott"][j] == column + labels["Förverkat (stannar hos staten)"][j]
        assert labels["Avrundat bort (öre)"][j] == 0
    assert labels["Pott"][1 : 1 + width] == (
        100_000_000,
        140_000_000,
        500_000_000,
        50_000_000,
        50_000_000,
        20_000_000,
    )


def test_result_with_utfall_reads_back_the_same(tmp_path: Path) -> None:
    out = convert(UTFALL_SAMPLE, tmp_path / "r.xlsx").output
    assert out is not None
    assert read_workbook(out).utfall == read_workbook(UTFALL_SAMPLE).utfall


def test_blank_utfall_is_ignored(tmp_path: Path) -> None:
    columns = {"Villkor 1": {"Regel": "befolkning", "values": dict.fromkeys(NAMES)}}
    assert read_workbook(save(with_utfall(small_book(), columns), tmp_path)).utfall is None


def bad(edit: dict[str, object]) -> dict[str, dict[str, object]]:
    base = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    base["Villkor 1"] = {**base["Villkor 1"], **edit}
    return base


def _values(**changes: object) -> dict[str, object]:
    values: dict[str, object] = dict.fromkeys(NAMES, "Ja")
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (
            bad({"values": _values(**{"Gotlands län": "kanske"})}),
            "Utfall!B15: 'kanske' är varken Ja eller Nej (Gotlands län)",
        ),
        (bad({"Regel": "lotteri"}), "Utfall!B4: okänd regel 'lotteri' – skriv befolkning, tak eller nyckel"),
        (
            bad(
                {
                    "Regel": "tak",
                    "Kr per enhet": 2000,
                    "values": {**dict.fromkeys(NAMES, 5), "Kalmar län": -3},
                }
            ),
            "Utfall!B14: antalet för Kalmar län kan inte vara negativt",
        ),
        (
            {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met()},
            "Utfall: kolumnen 'Villkor 3 pott 2' saknas (en kolumn per pott med belopp)",
        ),
        (
            {**bad({}), "Extra": all_met()},
            "Utfall: 'Extra' är inget villkorsblad – ange pottens belopp på raden 'Pott, Mkr'",
        ),
    ],
)
def test_bad_utfall_refused(tmp_path: Path, columns: dict[str, dict[str, object]], message: str) -> None:
    with pytest.raises(InputRejected) as caught:
        read_workbook(save(with_utfall(small_book(), columns), tmp_path))
    assert message in [str(p) for p in caught.value.problems]


def test_missing_lan_in_utfall(tmp_path: Path) -> None:
    book = with_utfall(small_book(), bad({}))
    book["Utfall"].delete_rows(8 + NAMES.index("Gotlands län"))
    with pytest.raises(InputRejected) as caught:
        read_workbook(save(book, tmp_path))
    assert [str(p) for p in caught.value.problems] == ["Utfall: Gotlands län saknas"]


def payment_rows(path: Path) -> dict[object, tuple[object, ...]]:
    """The Utbetalning sheet's rows by their label (the first row of a label: the län table's, not
    the reconciliation's), with the cached values the writer stored."""
    ws = openpyxl.load_workbook(path, data_only=True)["Utbetalning"]
    rows: dict[object, tuple[object, ...]] = {}
    for r in ws.iter_rows(values_only=True):
        if r[0]:
            rows.setdefault(r[0], r[1:])
    return rows


def test_half_krona_pot_is_never_overpaid(tmp_path: Path) -> None:
    """The issue's case: the sample's Rörlig del pot set to 12,3456785 Mkr = 12 345 678,5 kr. Paid and
    forfeited add up to exactly the Pott row, which is no more than the pot decided."""
    book = openpyxl.load_workbook(UTFALL_SAMPLE)
    ws = book["Utfall"]
    assert (ws["G3"].value, ws["G7"].value) == ("Rörlig del", "20,000")
    ws["G7"] = "12,3456785"
    report = convert(save(book, tmp_path), tmp_path / "r.xlsx")
    assert report.output is not None and report.payout is not None
    rows = payment_rows(report.output)
    summa, forfeited, pott = rows["SUMMA"], rows["Förverkat (stannar hos staten)"], rows["Pott"]
    rounded = rows["Avrundat bort (öre)"]
    rorlig = report.payout.columns.index("Rörlig del")
    assert pott[rorlig] == 12_345_678.5  # the pot as decided, from Utfall!G7 × 1 000 000
    assert summa[rorlig] + forfeited[rorlig] == 12_345_678
    assert rounded[rorlig] == 0.5
    assert report.payout.regions["Rörlig del"].sum() + report.payout.forfeited["Rörlig del"] == 12_345_678
    for j in range(len(report.payout.columns) + 1):  # every pot and TOTALT
        assert summa[j] + forfeited[j] + rounded[j] == pott[j]
    assert (
        "potten 'Rörlig del' (bladet Utfall, raden Pott, Mkr) är 12 345 678,5 kr – bara hela kronor "
        "betalas ut, så potten är 12 345 678 kr (0,5 kr avrundas bort)"
    ) in report.notices


def test_villkor_pot_with_ore_is_rounded_down_with_a_notice(tmp_path: Path) -> None:
    """A villkor pot of 49,9999996 Mkr is 49 999 999,6 kr: 49 999 999 kr are paid, not 50 000 000."""
    book = small_book()
    book["Villkor 3"]["C25"] = 49.9999996
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    report = convert(save(with_utfall(book, columns), tmp_path), tmp_path / "r.xlsx")
    assert report.output is not None and report.payout is not None
    assert report.payout.pots.tolist() == [100_000_000, 500_000_000, 49_999_999]
    assert report.payout.regions["Villkor 3 pott 2"].sum() == 49_999_999
    assert report.payout.forfeited.tolist() == [0, 0, 0]
    rows = payment_rows(report.output)
    assert rows["Pott"][:4] == pytest.approx((100_000_000, 500_000_000, 49_999_999.6, 649_999_999.6))
    assert rows["SUMMA"][:4] == (100_000_000, 500_000_000, 49_999_999, 649_999_999)
    assert rows["Avrundat bort (öre)"][:4] == pytest.approx((0, 0, 0.6, 0.6))
    assert report.notices == (
        "potten 'Villkor 3 pott 2' (bladet Villkor 3, raden RIKET) är 49 999 999,6 kr – bara hela "
        "kronor betalas ut, så potten är 49 999 999 kr (0,6 kr avrundas bort)",
    )


def test_whole_krona_pots_give_no_notice(tmp_path: Path) -> None:
    report = convert(UTFALL_SAMPLE, tmp_path / "r.xlsx")
    assert report.payout is not None
    assert report.payout.notices == ()
    assert not any("hela kronor" in notice for notice in report.notices)


@st.composite
def pot_outcomes(draw: st.DrawFn, label: str) -> PotOutcome:
    """Any pot (up to nine decimals in Mkr, so öre and fractions of öre) under any rule."""
    pot = draw(st.integers(0, 10**12)) / 10 ** draw(st.integers(0, 9))
    rule = draw(st.sampled_from(list(Rule)))
    n = len(NAMES)
    values: list[bool] | list[float]
    if rule is Rule.POPULATION:
        values = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    elif rule is Rule.CAPPED:
        values = draw(st.lists(st.integers(0, 50_000).map(float), min_size=n, max_size=n))
    else:
        values = draw(st.lists(st.integers(-100, 100).map(float), min_size=n, max_size=n))
    return PotOutcome(
        label=label,
        villkor=None,
        pot=pot,
        rule=rule,
        values=tuple(values),
        redistribute=draw(st.booleans()),
        per_unit=draw(st.sampled_from([None, 2000.0, 0.5])) if rule is Rule.CAPPED else None,
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(*(pot_outcomes(f"Pott {i}") for i in range(n)))))
def test_paid_plus_forfeited_is_the_pott_row_and_never_above_the_pot(pots: tuple[PotOutcome, ...]) -> None:
    population = Population(tuple(POPULATION.items()), dt.date(2019, 11, 1), "test")
    payout = compute_payout(Indata(population, ()), Utfall(pots))
    decided = [Fraction(repr(pot.pot)) * 1_000_000 for pot in pots]
    for j, pot in enumerate(decided):
        column = payout.regions.iloc[:, j]
        assert payout.pots.iloc[j] == floor(pot)
        assert int(column.sum()) + int(payout.forfeited.iloc[j]) == payout.pots.iloc[j] <= pot
        assert (column >= 0).all() and payout.forfeited.iloc[j] >= 0
    assert len(payout.notices) == sum(pot.denominator != 1 for pot in decided)


def two_columns_for(first: str, second: str) -> openpyxl.Workbook:
    """The small book with an Utfall sheet whose columns B and C are headed `first` and `second`."""
    columns = {"A": all_met(), "B": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    book = with_utfall(small_book(), columns)
    book["Utfall"]["B3"], book["Utfall"]["C3"] = first, second
    return book


@pytest.mark.parametrize(
    ("first", "second", "pot"),
    [
        ("Villkor 1", "Villkor 1", "potten på bladet Villkor 1"),
        ("Villkor 1", "villkor  1", "potten på bladet Villkor 1"),
        ("Villkor 1 pott 1", "Villkor 1 pott 1", "potten på bladet Villkor 1"),
        ("Villkor 1", "Villkor 1 pott 1", "potten på bladet Villkor 1"),
        ("Villkor 3 pott 2", "Villkor 3 pott 2", "pott 2 på bladet Villkor 3"),
    ],
)
def test_a_pot_bound_to_two_columns_is_refused(tmp_path: Path, first: str, second: str, pot: str) -> None:
    """The issue's case: `Villkor 1 | Villkor 1`, all Ja, paid 200 000 000 kr from a 100 Mkr pot."""
    book = two_columns_for(first, second)
    if "Villkor 3" in first:
        book["Utfall"]["D3"], book["Utfall"]["E3"] = "Villkor 1", "Villkor 3 pott 1"
    with pytest.raises(InputRejected) as caught:
        convert(save(book, tmp_path), tmp_path / "r.xlsx")
    assert (
        f"Utfall!C3: kolumnen '{second}' avser samma pott som kolumnen i B3 ({pot}) – en pott får bara "
        "ha en kolumn"
    ) in [str(p) for p in caught.value.problems]
    assert not (tmp_path / "r.xlsx").exists()


def test_an_extra_pot_named_twice_is_refused(tmp_path: Path) -> None:
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    columns |= {name: {"Regel": "nyckel", "Pott, Mkr": 5, "values": dict.fromkeys(NAMES, 1)} for name in "FG"}
    book = with_utfall(small_book(), columns)
    book["Utfall"]["E3"], book["Utfall"]["F3"] = "Rörlig del", "RÖRLIG DEL"
    with pytest.raises(InputRejected) as caught:
        read_workbook(save(book, tmp_path))
    assert [str(p) for p in caught.value.problems] == [
        "Utfall!F3: kolumnen 'RÖRLIG DEL' avser samma pott som kolumnen i E3 (samma pott) – en pott får "
        "bara ha en kolumn"
    ]


@pytest.mark.parametrize(
    "extra", ["V1", "Villkor 1 (pott 1)", "Villkor1", "Vilkor 1 kontakter", "villk. 1", "V 01"]
)
def test_a_column_that_looks_like_a_villkor_is_no_pot_of_its_own(tmp_path: Path, extra: str) -> None:
    """A probe: 'Villkor 1 (pott 1)' or 'V1' with the pot on the 'Pott, Mkr' row beside 'Villkor 1' was
    paid as a second pot of 101,2 Mkr, "Klar"."""
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    columns["X"] = all_met(**{"Pott, Mkr": 101.2})
    book = with_utfall(small_book(), columns)
    book["Utfall"]["E3"] = extra
    with pytest.raises(InputRejected) as caught:
        convert(save(book, tmp_path), tmp_path / "r.xlsx")
    assert [str(p) for p in caught.value.problems] == [
        f"Utfall!E3: kolumnen '{extra}' liknar villkorsbladet 'Villkor 1' men är inte dess namn – skriv "
        "rubriken 'Villkor 1' (för en av flera potter 'Villkor 1 pott 2' osv.); en egen pott, t.ex. den "
        "rörliga delen, får ett namn som inte är ett villkorsblads"
    ]
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("name", ["Rörlig del", "Villkorad del 2", "Kvalitetspott", "Vårdpott 1"])
def test_a_pot_of_its_own_named_unlike_any_villkor_is_paid(tmp_path: Path, name: str) -> None:
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    columns[name] = all_met(**{"Pott, Mkr": 150})
    report = convert(save(with_utfall(small_book(), columns), tmp_path), tmp_path / "r.xlsx")
    assert report.payout is not None
    assert int(report.payout.regions[name].sum()) == 150_000_000


@pytest.mark.parametrize("typed", [20_000, "20 000", 150_000_000])
def test_a_pot_of_its_own_implausible_in_mkr_is_refused(tmp_path: Path, typed: object) -> None:
    """A probe: the rörlig del typed as 20 000 (tkr, under 'Pott, Mkr') was paid as 20 000 Mkr."""
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    columns["Rörlig del"] = all_met(**{"Pott, Mkr": typed})
    with pytest.raises(InputRejected) as caught:
        convert(save(with_utfall(small_book(), columns), tmp_path), tmp_path / "r.xlsx")
    (problem,) = [str(p) for p in caught.value.problems]
    assert (
        problem.startswith("Utfall!E7: potten 'Rörlig del' ") and "står beloppet i tkr eller kr?" in problem
    )


@pytest.mark.parametrize("hidden", ["column", "row"])
def test_a_hidden_utfall_column_or_row_is_never_paid_silently(tmp_path: Path, hidden: str) -> None:
    """A probe: a hidden column 'Rörlig del' with its pot was paid, "Klar", unseen on screen and paper."""
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    columns["Rörlig del"] = all_met(**{"Pott, Mkr": 150})
    book = with_utfall(small_book(), columns)
    if hidden == "column":
        book["Utfall"].column_dimensions["E"].hidden = True
        said = "Utfall!E3: kolumnen 'Rörlig del' är dold – visa den (eller ta bort den)"
    else:
        book["Utfall"].row_dimensions[9].hidden = True
        said = f"Utfall!A9: raden för {NAMES[1]} är dold – visa den"
    with pytest.raises(InputRejected) as caught:
        convert(save(book, tmp_path), tmp_path / "r.xlsx")
    assert any(str(p).startswith(said) for p in caught.value.problems), caught.value.problems


def noisy_book() -> openpyxl.Workbook:
    """Pots as Excel caches `=0.7+0.1` and `=4.35*100`: 0.7999999999999999 and 434.99999999999994."""
    book = small_book()
    book["Villkor 1"]["B25"], book["Villkor 1"]["B29"] = 0.7 + 0.1, 2.0
    book["Villkor 3"]["B25"], book["Villkor 3"]["D25"] = 4.35 * 100, None
    assert (book["Villkor 1"]["B25"].value, book["Villkor 3"]["B25"].value) == (
        0.7999999999999999,
        434.99999999999994,
    )
    columns = {
        "Villkor 1": all_met(),
        "Villkor 3 pott 1": all_met(),
        "Villkor 3 pott 2": all_met(),
        "Rörlig del": {"Regel": "nyckel", "Pott, Mkr": 0.7 + 0.1, "values": dict.fromkeys(NAMES, 1)},
    }
    return with_utfall(book, columns)


def test_floating_point_noise_is_not_rounded_down(tmp_path: Path) -> None:
    report = convert(save(noisy_book(), tmp_path), tmp_path / "r.xlsx")
    assert report.payout is not None and report.output is not None
    assert report.payout.pots.tolist() == [800_000, 435_000_000, 50_000_000, 800_000]
    assert report.payout.regions.sum().tolist() == [800_000, 435_000_000, 50_000_000, 800_000]
    assert report.payout.forfeited.tolist() == [0, 0, 0, 0]
    assert not any("hela kronor" in notice for notice in report.notices)
    assert payment_rows(report.output)["SUMMA"][:5] == (
        800_000,
        435_000_000,
        50_000_000,
        800_000,
        486_600_000,
    )


def half_krona_fixed_sum() -> openpyxl.Workbook:
    """SKR's fixed sum of 1,2345675 Mkr = 1 234 567,5 kr."""
    book = small_book()
    book["Villkor 3"]["B27"] = "1,2345675"
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    return with_utfall(book, columns)


FIXED_SUM_NOTICE = (
    "den fasta summan till SKR (bladet Villkor 3) är 1 234 567,5 kr – bara hela kronor betalas ut, så "
    "summan är 1 234 567 kr (0,5 kr avrundas bort)"
)


def test_a_fixed_sum_is_never_paid_above_what_was_decided(tmp_path: Path) -> None:
    """The issue's case: SKR 1,2345675 Mkr was paid 1 234 568 kr, 0,5 kr more than decided."""
    report = convert(save(half_krona_fixed_sum(), tmp_path), tmp_path / "r.xlsx")
    assert report.payout is not None and report.output is not None
    assert report.payout.national.loc["SKR", "Villkor 3"] == 1_234_567
    assert report.payout.national_decided.loc["SKR", "Villkor 3"] == 1_234_567.5
    assert report.payout.national.loc["Socialstyrelsen", "Villkor 1"] == 1_200_000
    assert FIXED_SUM_NOTICE in report.notices
    rows = payment_rows(report.output)
    assert rows["SKR"][:3] == (None, 1_234_567, 1_234_567)


def test_check_computes_the_payout(tmp_path: Path) -> None:
    """--check shows the payout's notices without a real run, and writes nothing."""
    report = convert(save(half_krona_fixed_sum(), tmp_path), tmp_path / "r.xlsx", check=True)
    assert report.output is None and not (tmp_path / "r.xlsx").exists()
    assert report.payout is not None
    assert report.payout.national.loc["SKR", "Villkor 3"] == 1_234_567
    assert FIXED_SUM_NOTICE in report.notices


def test_the_reconciliation_adds_up_with_ore(tmp_path: Path) -> None:
    """A pot of 12,3456785 Mkr and a fixed sum of 1,19999975 Mkr: the Pott row and Enligt beslut show
    the öre, Avrundat bort 0,50 and 0,75, and decided = paid + forfeited + rounded away."""
    from .recalculation import make_result

    out = make_result(tmp_path, "payout-öre")
    values = openpyxl.load_workbook(out, data_only=True)["Utbetalning"]
    formulas = openpyxl.load_workbook(out)["Utbetalning"]
    rows = list(values.iter_rows(values_only=True))
    found = {r[0]: [v for v in r[1:] if v is not None] for r in rows if r[0]}  # the last row of a label
    assert found["Avrundat bort (öre)"] == [1.25]
    assert found["Skillnad: beslutat − utbetalt − förverkat − avrundat"] == [0]
    assert found["Beslutat"] == [(840_000_000 + 12_345_678.5) + (104_000_000 - 0.25)]
    assert found["TOTALT UTBETALT"] == [
        found["Beslutat"][0] - 1.25 - found["Förverkat (stannar hos staten)"][0]
    ]
    pott = next(r for r in formulas.iter_rows() if r[0].value == "Pott")
    links = [c.value for c in pott[1:7]]
    assert links == [
        "='Villkor 1'!B25*1000000",
        "='Villkor 2'!B25*1000000",
        "='Villkor 3'!B25*1000000",
        "='Villkor 3'!C25*1000000",
        "='Villkor 4'!B25*1000000",
        "=Utfall!G7*1000000",
    ]
    decided = next(r for r in formulas.iter_rows() if r[0].value == "Enligt beslut")
    assert decided[1].value == "=('Villkor 1'!B31)*1000000"


def test_every_zero_is_explained_per_lan(tmp_path: Path) -> None:
    """The sample's Gotland said Nej to Villkor 2 and has a negative key; Jämtland said Nej to Villkor 4."""
    out = convert(UTFALL_SAMPLE, tmp_path / "r.xlsx").output
    assert out is not None
    rows = payment_rows(out)
    header = next(r for label, r in rows.items() if label == "Län")
    why = header.index("Inget utbetalt från")
    assert rows["Gotlands län"][why] == "Villkor 2: Nej; Rörlig del: nyckel -6"
    assert rows["Jämtlands län"][why] == "Villkor 4: Nej"
    paid_nothing = {
        name: [label for label, value in zip(header[:why], row[:why], strict=True) if value == 0]
        for name, row in rows.items()
        if name in NAMES
    }
    for name, labels in paid_nothing.items():
        reasons = rows[name][why] or ""
        assert [part.split(":")[0] for part in reasons.split("; ") if part] == labels, name


def test_an_amount_rounded_to_nothing_says_so(tmp_path: Path) -> None:
    """A pot of 0,000005 Mkr = 5 kr among 21 län: most get 0 kr although they met the villkor."""
    columns = {"Villkor 1": all_met(), "Villkor 3 pott 1": all_met(), "Villkor 3 pott 2": all_met()}
    columns["Liten"] = {"Regel": "befolkning", "Pott, Mkr": "0,000005", "values": dict.fromkeys(NAMES, "Ja")}
    report = convert(save(with_utfall(small_book(), columns), tmp_path), tmp_path / "r.xlsx")
    assert report.payout is not None
    zero = [i for i, name in enumerate(NAMES) if report.payout.regions.loc[name, "Liten"] == 0]
    assert zero and all(report.payout.unpaid[i] == ("Liten: under 1 kr",) for i in zero)
