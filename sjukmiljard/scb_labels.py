"""What the texts in an SCB export mean: months, regions, totals and breakdowns, missing figures.

Months are written as SCB does ("2019M11"), alone or inside a heading ("Folkmängd 2019M11"). A
region is "01 Stockholms län", "01 - Stockholms län", the name alone, or a code; "00 Riket" is
riket and a four-digit code a municipality. A stub value such as "män" or "15-19 år" is a part of
the population, "totalt" or "män och kvinnor" all of it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from . import regions
from .grid import text
from .swedish import is_number

MISSING_SYMBOLS = frozenset({"..", "...", "…", "-", ".", ".c", "..c"})  # SCB: no figure published

_MONTH = re.compile(r"(?<!\d)(\d{4})[Mm](0[1-9]|1[0-2])(?!\d)")
_MONTH_ONLY = re.compile(r"\s*(\d{4})[Mm](0[1-9]|1[0-2])\s*")
_CODED_REGION = re.compile(r"(\d+)\s*(?:-\s*)?(.*)")
_WORDS = re.compile(r"[^\W\d_]+")
_AGE = re.compile(r"\d+\s*(?:\+|-\s*\d+)?\s*(?:år|years?)\b|^\d+(?:-\d+|\+)?$")
_TOTAL_WORDS = frozenset({"totalt", "total", "tot", "samtliga", "summa"})
_TOTAL_PHRASES = ("män och kvinnor", "kvinnor och män", "båda könen", "alla åldrar", "men and women")
_BREAKDOWN_WORDS = frozenset({"män", "kvinnor", "man", "kvinna", "men", "women"})


def cell_text(value: object) -> str:
    return text(value, iso_dates=True)


def numberish(value: object) -> bool:
    """A number, or SCB's sign that the figure is missing: either way a value cell."""
    return regions.fold(cell_text(value)) in MISSING_SYMBOLS or is_number(value)


# -- months ------------------------------------------------------------------------------


def parse_month(value: str) -> str | None:
    """The month a text is, as SCB writes it ("2019m11 " -> "2019M11"), or None."""
    found = _MONTH_ONLY.fullmatch(value)
    return _month_code(*found.groups()) if found else None


def months_in(heading: str) -> list[str]:
    """The months a heading mentions ("Folkmängd 2019M11" -> ["2019M11"])."""
    return [_month_code(*found) for found in _MONTH.findall(heading)]


def without_months(heading: str) -> str:
    """What a heading says besides its month ("män 2019M11" -> "män")."""
    return " ".join(_MONTH.sub(" ", heading).split())


def last_day(month: str) -> dt.date:
    """SCB's figure for a month is the population at its end: 2019M11 -> 2019-11-30."""
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def _month_code(year: str, month: str) -> str:
    return f"{year}M{month}"


# -- regions -----------------------------------------------------------------------------


def region_kind(region: str) -> tuple[str, str | None]:
    """('lan', name), ('riket', None), ('kommun', None) or ('other', None)."""
    folded = regions.fold(region)
    coded = _CODED_REGION.fullmatch(folded)
    if coded:
        code, rest = coded.groups()
        if len(code) == 4:
            return "kommun", None
        if code == "00":
            return "riket", None
        lan = regions.match(f"{code} {rest}".strip())
        return ("lan", lan) if lan else ("other", None)
    if regions.is_riket(region) or folded in ("sverige", "hela sverige"):
        return "riket", None
    lan = regions.match(region)
    return ("lan", lan) if lan else ("other", None)


def region_text(code: str, name: str) -> str:
    """One region text from PxWeb's code and name columns (either may repeat the other)."""
    if not code or regions.fold(name).startswith(regions.fold(code)):
        return name
    return f"{code} {name}"


def written_as_lan(region: str) -> bool:
    """Coded, or with "län" or "Region" in it: not a municipality that shares the län's name."""
    folded = regions.fold(region)
    return bool(_CODED_REGION.fullmatch(folded)) or " län" in folded or folded.startswith("region ")


def without_code(region: str) -> str:
    """The name in a coded region ("09 Gotlnd" -> "gotlnd"), or the text as it is."""
    coded = _CODED_REGION.fullmatch(regions.fold(region))
    return coded.group(2) if coded else region


# -- totals and breakdowns ---------------------------------------------------------------


def is_total(label: str) -> bool:
    folded = regions.fold(label)
    if folded == "1+2":
        return True
    return bool(set(_WORDS.findall(folded)) & _TOTAL_WORDS) or any(p in folded for p in _TOTAL_PHRASES)


def is_breakdown_label(label: str) -> bool:
    """True for "män", "0 år", "15-19 år": a part of the population rather than all of it."""
    folded = regions.fold(label)
    if not folded or is_total(folded):
        return False
    return bool(set(_WORDS.findall(folded)) & _BREAKDOWN_WORDS) or bool(_AGE.search(folded))


def is_breakdown_value(value: str, varies: bool) -> bool:
    """A stub value splits the population unless it is a total, or the same on every row."""
    return bool(value) and not is_total(value) and (varies or is_breakdown_label(value))
