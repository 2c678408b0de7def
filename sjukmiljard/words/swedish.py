"""Numbers and dates as Swedish finance officers write them."""

from __future__ import annotations

import datetime as dt
import math
import re

_SPACES = re.compile(r"[ \u00a0\u2007\u2009\u202f]")
# Thousands grouped by spaces, or by apostrophes as Swiss and some Excel locales write them ("2'374'550").
_NUMBER = re.compile(r"^[-+]?(\d+|\d{1,3}(?: \d{3})+|\d{1,3}(?:['’]\d{3})+)(,\d+)?$")

_MONTH_WORD = r"(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)[a-zåäö]*\.?"
_DATE_SLASH = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?:[ \u00a0]+|[/-])(\d{4})(?!\d)")
_DATE_ISO = re.compile(r"(?<![\d.])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\d.])")
_DATE_DOTS = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")
_DATE_WORDS = re.compile(r"(?<!\d)(\d{1,2})\.?[ \u00a0]+" + _MONTH_WORD + r"[ \u00a0]+(\d{4})(?!\d)")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


_DOTTED = re.compile(r"^[-+\u2212]?[\d \u00a0\u2009\u202f]*\d[\d \u00a0\u2009\u202f]*\.[\d .\u00a0]*$")


# Every sign and separator parse_number knows (and dots it refuses), so that "1’5" is refused like "1'5".
_DIGITS_AND_SEPARATORS = r"[\d \u00a0\u2007\u2009\u202f.,'’]*"
_NUMERIC = re.compile(rf"^[-+\u2212\u2013]?{_DIGITS_AND_SEPARATORS}\d{_DIGITS_AND_SEPARATORS}$")


def looks_numeric(value: object) -> bool:
    """Text made of digits and separators only ("1,234.5", "1" and 400 zeros): a number, never a
    name or a note, even when it cannot be read as one."""
    return isinstance(value, str) and bool(_NUMERIC.match(value.strip()))


def looks_dotted(value: object) -> bool:
    """Text that would be a number but for a dot ("39.000"): refused, never taken for a name or note."""
    return isinstance(value, str) and bool(_DOTTED.match(value.strip()))


class NotANumber(ValueError):
    """Inget tal"""


def parse_number(value: object) -> float:
    """A numeric cell or Swedish number text ("2 374 550", "0,230", "−5") as a float.

    A dot is refused rather than guessed: in "39.000" it may be a decimal point or
    a thousands separator.
    """
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise NotANumber(value)
        return float(value)
    if not isinstance(value, str):
        raise NotANumber(value)
    text = _SPACES.sub(" ", value).strip().replace("\u2212", "-").replace("\u2013", "-")
    if not _NUMBER.match(text):
        raise NotANumber(value)
    number = float(re.sub(r"[ '’]", "", text).replace(",", "."))
    if not math.isfinite(number):
        raise NotANumber(value)
    return number


def number_or_none(value: object) -> float | None:
    """`parse_number`'s result, or None where it refuses the value."""
    try:
        return parse_number(value)
    except NotANumber:
        return None


def is_number(value: object) -> bool:
    return number_or_none(value) is not None


def format_mkr(value: float) -> str:
    """39.0 -> "39,000" (Mkr, three decimals, as the published workbook shows them)."""
    return format_number(value, 3)


def format_number(value: float, decimals: int = 0) -> str:
    """1234567.5 -> "1 234 567,500" with ordinary spaces, for messages."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def find_date(text: str) -> dt.date | None:
    """The first date in `text` written as Swedish officers write them: "1/11 2019", "2019-11-01",
    "1.11.2019", "1 november 2019", "1 nov. 2019", "per den 1 nov 2019"."""
    folded = text.casefold()
    patterns = ((_DATE_SLASH, "dmy"), (_DATE_ISO, "ymd"), (_DATE_DOTS, "dmy"), (_DATE_WORDS, "dMy"))
    for pattern, order in patterns:
        found = pattern.search(folded)
        if not found:
            continue
        parts = dict(zip(order, found.groups(), strict=True))
        month = _MONTH_STEMS.index(parts["M"]) + 1 if "M" in parts else int(parts["m"])
        try:
            return dt.date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            return None
    return None


def show_number(value: float) -> str:
    """A number from the input as a message shows it: 388394.5 -> "388 394,5", 21.0 -> "21"."""
    if float(value).is_integer():
        return format_number(value)
    decimals = len(f"{value:.6f}".rstrip("0").split(".")[1])
    return format_number(value, decimals)


def format_date(date: dt.date) -> str:
    """2019-11-01 -> "1/11 2019", the published workbook's way."""
    return f"{date.day}/{date.month} {date.year}"
