"""A villkor may be named like the result's own total words (TOTALT, SUMMA): its figures stay its
own, in the allocation and in every sheet of the result, with formulas and with plain values."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import convert
from sjukmiljard.allocate.shares import allocate

from .conftest import POPULATION, read_changes, save, small_book
from .recalculation import numbers
from .test_libreoffice import recalculate

TOTAL_PERSONS = sum(POPULATION.values())


def named_book(first: str, second: str) -> openpyxl.Workbook:
    """Villkor 1 (100 Mkr, Socialstyrelsen 1,2) and Villkor 3 (500 + 50 Mkr, SKR 39) renamed."""
    book = small_book()
    book["Villkor 1"].title = first
    book["Villkor 3"].title = second
    return book


@pytest.mark.parametrize("values_only", [False, True], ids=["formulas", "values-only"])
@pytest.mark.parametrize(("first", "second"), [("TOTALT", "SUMMA"), ("totalt", "Summa")])
def test_a_villkor_named_like_a_total(first: str, second: str, values_only: bool, tmp_path: Path) -> None:
    report = convert(save(named_book(first, second), tmp_path), tmp_path / "r.xlsx", values_only=values_only)
    assert report.output is not None
    book = openpyxl.load_workbook(report.output, data_only=True)
    ws = book["Sammanställning"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "Län")
    assert rows[header][:4] == ["Län", first, second, "TOTALT"]
    for i, name in enumerate(POPULATION, start=header + 1):
        share = POPULATION[name] / TOTAL_PERSONS
        assert rows[i][0] == name
        assert rows[i][1:4] == pytest.approx([100 * share, 550 * share, 650 * share], rel=1e-12)
    summa = header + 1 + len(POPULATION)
    assert rows[summa][:4] == ["SUMMA", pytest.approx(100), pytest.approx(550), pytest.approx(650)]
    assert rows[summa + 1][:4] == ["SKR", None, 39, 39]
    assert rows[summa + 2][:4] == ["Socialstyrelsen", 1.2, None, 1.2]
    assert rows[summa + 3][:4] == ["SUMMA", pytest.approx(101.2), pytest.approx(589), pytest.approx(690.2)]

    villkor = [[c.value for c in row] for row in book[second].iter_rows()]
    stockholm = next(row for row in villkor if row[0] == "Stockholms län")
    share = POPULATION["Stockholms län"] / TOTAL_PERSONS
    assert stockholm[1:4] == pytest.approx([500 * share, 50 * share, 550 * share], rel=1e-12)


def test_the_allocation_holds_no_total_columns(tmp_path: Path) -> None:
    """Totals are computed from the data, never stored beside it where a name could meet them."""
    report = convert(save(named_book("TOTALT", "SUMMA"), tmp_path), check=True)
    allocation = allocate(report.indata)
    assert list(allocation.summary.columns) == ["TOTALT", "SUMMA"]
    assert list(allocation.national.columns) == ["TOTALT", "SUMMA"]
    assert [list(frame.columns) for frame in allocation.villkor] == [[0], [0, 1]]
    assert allocation.summary_totals["Stockholms län"] == pytest.approx(
        650 * POPULATION["Stockholms län"] / TOTAL_PERSONS
    )
    assert list(allocation.grand_sums) == pytest.approx([101.2, 589])
    assert allocation.grand_total == pytest.approx(690.2)


@pytest.mark.parametrize("values_only", [False, True], ids=["formulas", "values-only"])
def test_a_villkor_named_like_a_total_is_compared_as_itself(values_only: bool, tmp_path: Path) -> None:
    """The Förändring sheet against a previous result: the villkor TOTALT is one villkor, the
    sheet's TOTALT the sum of both."""
    book = named_book("TOTALT", "SUMMA")
    previous = convert(save(book, tmp_path, "förra.xlsx"), tmp_path / "förra-resultat.xlsx").output
    assert previous is not None
    book["TOTALT"]["B25"], book["TOTALT"]["B29"] = 200, 201.2  # the villkor TOTALT's pot doubles
    out = tmp_path / "ny-resultat.xlsx"
    result = convert(save(book, tmp_path), out, compare_with=previous, values_only=values_only).output
    assert result is not None
    sheet = read_changes(result)
    assert list(sheet.villkor) == ["TOTALT"]  # only a villkor that changed gets a detail page
    assert sheet.villkor["TOTALT"]["SUMMA"] == pytest.approx([100, 200, 100])
    assert sheet.summary["SUMMA"][3:6] == pytest.approx([650, 750, 100])
    share = POPULATION["Stockholms län"] / TOTAL_PERSONS
    assert sheet.summary["Stockholms län"][3:6] == pytest.approx([650 * share, 750 * share, 100 * share])


def test_libreoffice_recalculates_the_same_figures(tmp_path: Path) -> None:
    """The cached values of every sheet are what the formulas give (the sheets named TOTALT and
    SUMMA included), recalculated by LibreOffice."""
    book = named_book("TOTALT", "SUMMA")
    previous = convert(save(book, tmp_path, "förra.xlsx"), tmp_path / "förra-resultat.xlsx").output
    book["TOTALT"]["B25"], book["TOTALT"]["B29"] = 200, 201.2
    result = convert(save(book, tmp_path), tmp_path / "ny-resultat.xlsx", compare_with=previous).output
    assert result is not None
    cached = numbers(result)
    recalculated = numbers(recalculate(result, tmp_path))
    assert cached.keys() == recalculated.keys()
    assert {k: v for k, v in cached.items() if not math.isclose(v, recalculated[k], abs_tol=1e-9)} == {}
