"""The Befolkning sheet as officers fill it in: dates in their forms, SCB's order, a total row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import InputRejected, read_workbook
from sjukmiljard.words.regions import NAMES

from .conftest import PERSONS_2019, POPULATION, RIKET, save, small_book


def problems_of(book: openpyxl.Workbook, tmp_path: Path) -> list[str]:
    with pytest.raises(InputRejected) as caught:
        read_workbook(save(book, tmp_path))
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("Befolkning 31.12.2019", dt.date(2019, 12, 31)),
        ("Befolkning 31 dec 2019", dt.date(2019, 12, 31)),
        ("Befolkning 31 dec. 2019", dt.date(2019, 12, 31)),
        ("Befolkning per 31 december 2019", dt.date(2019, 12, 31)),
        ("Befolkning 1 nov 2019", dt.date(2019, 11, 1)),
        ("Befolkning 2019-12-31", dt.date(2019, 12, 31)),
        ("Befolkning 1/11 2019", dt.date(2019, 11, 1)),
        (dt.datetime(2019, 12, 31), dt.date(2019, 12, 31)),
    ],
)
def test_reference_dates_as_officers_write_them(tmp_path: Path, written: object, date: dt.date) -> None:
    book = small_book()
    book["Befolkning"]["A1"] = written
    assert read_workbook(save(book, tmp_path)).population.date == date


def test_a_missing_date_names_the_cell_the_template_asks_for(tmp_path: Path) -> None:
    book = small_book()
    book["Befolkning"]["A1"] = "Befolkning"
    assert problems_of(book, tmp_path) == [
        "Befolkning!B1: referensdatum saknas – skriv befolkningens datum här (t.ex. 2019-11-01) eller i "
        "rubriken ovanför tabellen ('Befolkning 1/11 2019')"
    ]


@pytest.mark.parametrize("label", ["Totalt", "Summa", "TOTALT:", "Hela Sverige", "Sverige"])
def test_a_row_with_the_sum_of_the_lan_is_the_riket_row_whatever_its_label(
    tmp_path: Path, label: str
) -> None:
    book = small_book()
    book["Befolkning"][f"A{RIKET}"] = label
    assert read_workbook(save(book, tmp_path)).population.total == sum(PERSONS_2019)


def test_a_total_row_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    book = small_book()
    book["Befolkning"][f"A{RIKET}"] = "Totalt"
    book["Befolkning"][f"B{RIKET}"] = sum(PERSONS_2019) + 1
    assert problems_of(book, tmp_path) == [
        f"Befolkning!B{RIKET}: Totalt är 10 319 474 men summan av länen är 10 319 473"
    ]


def scb_order(book: openpyxl.Workbook, riket_row: list[object]) -> None:
    ws = book["Befolkning"]
    ws.delete_rows(4, RIKET)
    ws.append(riket_row)
    for code_name, persons in zip(NAMES, PERSONS_2019, strict=True):
        ws.append([code_name, persons])


def test_scb_order_with_riket_first_is_read_and_riket_checked(tmp_path: Path) -> None:
    book = small_book()
    scb_order(book, ["00 Riket", sum(PERSONS_2019)])
    assert dict(read_workbook(save(book, tmp_path)).population.counts) == POPULATION
    book = small_book()
    scb_order(book, ["00 Riket", 5])
    assert problems_of(book, tmp_path) == ["Befolkning!B4: 00 Riket är 5 men summan av länen är 10 319 473"]


def test_a_riket_row_ending_the_table_early_says_so_once(tmp_path: Path) -> None:
    book = small_book()
    ws = book["Befolkning"]
    ws.insert_rows(10)
    ws["A10"], ws["B10"] = "RIKET", None
    found = problems_of(book, tmp_path)
    assert found == [
        "Befolkning!A10: raden RIKET (rad 10) avslutar tabellen, men 15 län står under den "
        "(Kalmar län, Gotlands län, Blekinge län …) – flytta raden sist, eller överst som i SCB:s tabeller"
    ]


def test_numbers_in_messages_are_written_the_swedish_way(tmp_path: Path) -> None:
    book = small_book()
    book["Befolkning"]["B5"] = 388394.5
    assert problems_of(book, tmp_path) == ["Befolkning!B5: 388 394,5 är inget helt antal personer"]


# -- the agreement's total ---------------------------------------------------------------------------


def with_agreement(amount: object) -> openpyxl.Workbook:
    book = small_book()
    book["Befolkning"]["A2"] = "Överenskommelsens totalbelopp, Mkr"
    book["Befolkning"]["B2"] = amount
    return book


def test_the_agreement_total_is_read_when_the_sums_come_to_it(tmp_path: Path) -> None:
    indata = read_workbook(save(with_agreement("690,200"), tmp_path))  # 101,2 + 550 + 39
    assert indata.agreement_total == pytest.approx(690.2)


def test_a_grand_total_off_the_agreement_is_refused_with_both_figures(tmp_path: Path) -> None:
    assert problems_of(with_agreement(700), tmp_path) == [
        "Befolkning: villkorsbladen ger sammanlagt 690,200 Mkr men överenskommelsens totalbelopp är "
        "700,000 Mkr (skillnad -9,800) – bladens summor: 'Villkor 1' 101,200; 'Villkor 3' 589,000"
    ]


def test_a_sheet_in_another_unit_is_named_when_the_total_is_off(tmp_path: Path) -> None:
    """A probe: a pot typed in tkr without a unit was refused on the total with no sheet named."""
    book = with_agreement("690,200")
    book["Villkor 1"]["B25"] = 1_500
    book["Villkor 1"].delete_rows(26, 10)  # no fixed sum: the sheet's total is its pot
    book["Befolkning"]["B2"] = 589 + 1.5
    (message,) = problems_of(book, tmp_path)
    assert "; med bladet 'Villkor 1' i tkr stämmer summan – skriv enheten i rubriken" in message, message


def test_one_amount_in_another_unit_is_named_when_the_total_is_off(tmp_path: Path) -> None:
    book = with_agreement("690,200")
    book["Villkor 3"]["B27"] = 1_200  # SKR's 1,2 Mkr typed in tkr
    book["Befolkning"]["B2"] = 101.2 + 550 + 1.2
    (message,) = problems_of(book, tmp_path)
    assert "; med Villkor 3!B27 (1 200) i tkr stämmer summan – skriv enheten" in message, message


def test_an_empty_agreement_cell_means_no_check(tmp_path: Path) -> None:
    assert read_workbook(save(with_agreement(None), tmp_path)).agreement_total is None
