"""Numbers and dates as Swedish finance officers write them."""

from __future__ import annotations

import datetime as dt

import pytest

from sjukmiljard.words.swedish import (
    NotANumber,
    find_date,
    format_mkr,
    format_number,
    looks_numeric,
    parse_number,
)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (2374550, 2374550.0),
        (0.23, 0.23),
        ("2 374 550", 2374550.0),
        ("2\u00a0374\u00a0550", 2374550.0),
        ("2\u202f374\u202f550", 2374550.0),
        ("2\u2009374\u2009550", 2374550.0),
        ("2\u2007374\u2007550", 2374550.0),  # the figure space some number formats pad with
        ("0,230", 0.23),
        ("\u22125", -5.0),
        ("-5", -5.0),
        (" 39,000 ", 39.0),
        ("2'374'550", 2374550.0),  # a probe: the Swiss and some Excel locales' thousands separator
        ("140’000’000", 140000000.0),
        ("1'234,5", 1234.5),
    ],
)
def test_parse_number(value: object, number: float) -> None:
    assert parse_number(value) == number


@pytest.mark.parametrize(
    "value",
    ["två miljoner", "39.000", "1 2", "", "12,5 Mkr", True, None, float("nan"), "1'5", "12'34", "1 234'567"],
)
def test_not_a_number(value: object) -> None:
    with pytest.raises(NotANumber):
        parse_number(value)


@pytest.mark.parametrize("value", ["1'5", "1’5", "12’34", "\u20135", "1\u20075", "39.000", "1 234,5"])
def test_text_of_digits_and_separators_looks_numeric(value: str) -> None:
    """Every separator parse_number reads is a separator here too: "1’5" is a number it cannot
    read, refused as such, never a note the money of which vanishes."""
    assert looks_numeric(value)


@pytest.mark.parametrize("value", ["Inera AB", "39 Mkr", "2019 års fördelning", "’", ""])
def test_text_with_words_does_not_look_numeric(value: str) -> None:
    assert not looks_numeric(value)


def test_formatting() -> None:
    assert format_number(10319473) == "10 319 473"
    assert format_mkr(101.2) == "101,200"
    assert format_mkr(-100) == "-100,000"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Befolkning 1/11 2019", dt.date(2019, 11, 1)),
        ("Befolkning 1/11\u00a02019", dt.date(2019, 11, 1)),
        ("per 2019-11-01", dt.date(2019, 11, 1)),
        ("Folkmängd 1 november 2019", dt.date(2019, 11, 1)),
        ("Befolkning", None),
        ("Befolkning 31/2 2019", None),
    ],
)
def test_find_date(text: str, date: dt.date | None) -> None:
    assert find_date(text) == date
