"""What the texts in an SCB export mean: months, regions, totals and parts, contents, missing figures.

Months are written as SCB does ("2019M11"), alone or inside a heading ("Folkmängd 2019M11"). A
region is "01 Stockholms län", "01 - Stockholms län", "01 Stockholm county", the name alone, or a
code; "00 Riket" is riket and a four-digit code a municipality. A text naming a part of a dimension
("män", "15-19 år", "totalt ålder kvinnor") is a part of the population, whatever total word stands
beside it; "totalt" or "män och kvinnor" alone is all of it. A text naming another table contents
("levande födda") is not the population at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..read.grid import text
from ..read.units import unit_in
from ..words import regions
from ..words.swedish import is_number

MISSING_SYMBOLS = frozenset({"..", "...", "…", "-", ".", ".c", "..c"})  # SCB: no figure published

_MONTH = re.compile(r"(?<!\d)(\d{4})[Mm](0[1-9]|1[0-2])(?!\d)")
_MONTH_ONLY = re.compile(r"\s*(\d{4})[Mm](0[1-9]|1[0-2])\s*")
_CODED_REGION = re.compile(r"(\d+)\s*(?:-\s*)?(.*)")
_WORDS = re.compile(r"[^\W\d_]+")
_AGE = re.compile(
    r"(?<![\w-])(?:\d{1,3}\s*(?:\+|-\s*(?:\d{1,3}|w)\b)?\s*(?:år|years?|yrs)\b|"
    r"\d{1,3}\s*-\s*(?:\d{1,3}|w)(?![\d-])|\d{1,3}\s*\+)|^\d{1,3}$"
)
# An age group in words: "65 och äldre", "1 år och över", "under 18", "aged 1 and over", "i åldern 1-w".
_AGE_PHRASE = re.compile(
    r"\b(?:\d{1,3}\s*(?:år\s*|years?\s*)?(?:och|or|and|eller)\s*(?:äldre|yngre|över|uppåt|mer|"
    r"older|younger|over|above|more|under)|(?:under|över|minst|högst|upp till|från|below|above|over|"
    r"at least|up to|from|aged?|åldern|åldrarna|ålder)\s*\d{1,3}(?!\d)|i åldern|in the ages?)"
)
_TOTAL_WORDS = frozenset({"totalt", "total", "tot", "samtliga", "summa", "alla", "all", "sum"})
# SCB's codes for a dimension's total: "tot", "tot1", "TotSA" and "TotSa" (BefolkManadCKM)
_TOTAL_CODE = re.compile(r"^tot(?:[a-z]{1,2}|\d)?$")
# A total of a dimension written with its parts: removed before the parts are looked for.
_TOTAL_PHRASES = re.compile(
    r"\b(?:män och kvinnor|kvinnor och män|män\s*\+\s*kvinnor|kvinnor\s*\+\s*män|båda könen|alla åldrar|"
    r"men and women|women and men|both sexes|all ages|1\s*\+\s*2)(?!\w)"
)
# Parts of SCB's population dimensions by word stem, so that singular, plural and compounds are one
# rule: kön, civilstånd, födelseland/bakgrund, medborgarskap, and groups of people. Words excluding
# someone ("exkl.", "utom", "except") make a part too.
_PARTS = re.compile(
    r"\b(?:män|man|manliga?|\w*kvinn\w*|pojk\w*|flick\w*|men|\w*wom[ae]n|males?|females?|boys?|girls?|"
    r"o?gift\w*|skild\w*|änk\w*|registrerade? partner\w*|sambo\w*|(?:un|never |ever )?married|single|"
    r"divorced|widow\w*|separated|\w+födda?|\w*född(?:a|e)? i \w+|födda? (?:utomlands|utrikes|inrikes)|"
    r"(?:in|ut)rikes\w*|utländsk\w*|"
    r"svensk\w*|utlandsfödd\w*|invandrar\w*|bakgrund|born\b.*|foreign\w*|native\w*|background|"
    r"\w*medborgare|\w*medborgarna|citizens?|nationals?|pensionär\w*|barn|vuxna|äldre|yngre|ungdom\w*|"
    r"studerande|sysselsatta|arbetslösa|förvärvs\w*|children|adults?|elderly|seniors?|retired|"
    r"pensioners?|youth|students?|employed|unemployed|exkl\w*|excl\w*|utom|utan|except\w*|minus|"
    r"skyddade?)(?!\w)"
)
# What a table holds, when it is not the population (tabellinnehåll).
_OTHER_CONTENTS = re.compile(
    r"\b(?:levande födda|(?<!utrikes )(?<!inrikes )födda(?! i \w)(?!\s+(?:utomlands|utrikes|inrikes)\b)|"
    r"döda|avlidna|inflyttade|utflyttade|"
    r"invandrade|utvandrade|invandringar|"
    r"utvandringar|inflyttningar|utflyttningar|flyttningar|flyttningsnetto|folkökning|födelseöverskott|"
    r"invandringsöverskott|befolkningsförändringar|befolkningsförändring|förändring|medelfolkmängd|"
    r"befolkningstäthet|invånare per|landareal|medelålder|medianålder|andel|procent|"
    r"live births|births|deaths|immigrants|emigrants|immigrations|emigrations|in-migrants|out-migrants|"
    r"migrations?|population growth|population changes?|mean population|average population|"
    r"population density|inhabitants per|land area|average age|median age|percent|share)(?!\w)|%"
)
# SCB's codes for a table's contents: "BE0101N1" in the older tables, "000003O5" (BefolkManad) and
# "000007SF" (BefolkManadCKM) in the newer; the plausibility check against the workbook's population
# tells the population from other contents.
_CONTENT_CODE = re.compile(r"^(?:[a-z]{2}\d{4}[a-z0-9]*|\d{6}[a-z0-9]{2})$")
_POPULATION_WORDS = re.compile(
    r"\b(?:folkmängd|folkmängden|befolkning|befolkningen|population|antal|persons?|personer|number)\b"
)
# Words a heading of the whole population may hold besides its month: contents, totals, the names of
# the dimensions and of the time, and small words between them.
_HEADING_WORDS = _TOTAL_WORDS | frozenset(
    {
        "folkmängd",
        "folkmängden",
        "befolkning",
        "befolkningen",
        "population",
        "antal",
        "personer",
        "persons",
        "person",
        "number",
        "of",
        "ålder",
        "åldrar",
        "kön",
        "age",
        "ages",
        "sex",
        "region",
        "regioner",
        "län",
        "county",
        "counties",
        "tabellinnehåll",
        "contents",
        "observations",
        "tid",
        "månad",
        "month",
        "per",
        "efter",
        "by",
        "och",
        "and",
        "samt",
        "i",
        "in",
        "the",
        "prel",
        "preliminär",
        "preliminära",
        "preliminary",
        "ålder/kön",
        "values",
    }
)
# Words an SCB title of the whole population may hold besides a heading's: "Folkmängden per månad
# efter region, ålder och kön. År 2000M01 - 2024M09", its source, its table, the day it counts.
_TITLE_WORDS = _HEADING_WORDS | frozenset(
    {
        "år", "year", "years", "månaden", "månader", "months", "befolkningsstatistik",
        "befolkningsstatistiken", "statistik", "statistics", "civilstånd", "födelseland",
        "medborgarskap", "marital", "status",
        "country", "birth", "citizenship", "tabell", "tabellen", "table", "statistikdatabasen",
        "statistical", "database", "scb", "källa", "source", "statistiska", "centralbyrån", "sweden",
        "sverige", "riket", "hela", "landet", "whole", "den", "sista", "dag", "dagen", "vid", "slutet",
        "at", "end", "last", "day", "on", "for", "för", "enligt", "folkbokföringen", "folkbokförda",
        "registered",
    }
)  # fmt: skip
_YEAR = re.compile(r"(?:19|20)\d\d")
_HEADING_TOKENS = re.compile(r"[^\W_]+|\+")  # words and numbers: a number besides the month narrows too
_ENGLISH_COUNTY = re.compile(r"\s+county$")
_RIKET = frozenset({"sverige", "hela sverige", "sweden", "whole country", "riket totalt"})


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
    """The months a heading mentions, each once ("Folkmängd 2019M11" -> ["2019M11"]; the API's code
    and text "2025M09 - 2025M09" name one month)."""
    return list(dict.fromkeys(_month_code(*found) for found in _MONTH.findall(heading)))


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
    folded = _ENGLISH_COUNTY.sub(" län", regions.fold(region))
    coded = _CODED_REGION.fullmatch(folded)
    if coded:
        code, rest = coded.groups()
        if len(code) == 4:
            return "kommun", None
        if code == "00":
            return "riket", None
        lan = regions.match(f"{code} {rest}".strip())
        return ("lan", lan) if lan else ("other", None)
    if regions.is_riket(region) or folded in _RIKET:
        return "riket", None
    lan = regions.match(folded)
    return ("lan", lan) if lan else ("other", None)


def region_text(code: str, name: str) -> str:
    """One region text from PxWeb's code and name columns (either may repeat the other)."""
    if not code or regions.fold(name).startswith(regions.fold(code)):
        return name
    return f"{code} {name}"


def written_as_lan(region: str) -> bool:
    """Coded, or with "län", "Region" or "county" in it: not a municipality sharing the län's name."""
    folded = regions.fold(region)
    return (
        bool(_CODED_REGION.fullmatch(folded))
        or " län" in folded
        or folded.startswith("region ")
        or bool(_ENGLISH_COUNTY.search(folded))
    )


def without_code(region: str) -> str:
    """The name in a coded region ("09 Gotlnd" -> "gotlnd"), or the text as it is."""
    coded = _CODED_REGION.fullmatch(regions.fold(region))
    return coded.group(2) if coded else region


def kommun_code(region: str) -> str | None:
    """The four-digit code of a coded municipality ("0114 Upplands Väsby" -> "0114"), or None."""
    coded = _CODED_REGION.fullmatch(regions.fold(region))
    return coded.group(1) if coded and len(coded.group(1)) == 4 else None


# -- totals and breakdowns ---------------------------------------------------------------


# A dimension named with one of its values ("Födelseland: Sverige", "medborgarskap Sverige", "country
# of birth: Sweden"): that value is a part unless it is a total or the next word of a list of
# dimensions ("efter födelseland och kön").
_DIMENSION_VALUE = re.compile(
    r"(?<![\wåäö])(födelseland|födelseregion|medborgarskap|civilstånd|country\s+of\s+birth|citizenship|"
    r"marital\s+status|hushållstyp|boendeform)(?:\s*[:=,(]\s*|\s+)([a-zåäö][\wåäö-]*)"
)
_NOT_A_VALUE = frozenset(
    {"och", "and", "samt", "eller", "or", "efter", "by", "per", "i", "in", "för", "for", "totalt", "total",
     "alla", "samtliga", "all", "month", "månad", "region", "ålder", "kön", "age", "sex", "year", "år",
     "tabellinnehåll", "contents", "observations"}
)  # fmt: skip


def part_in(label: str) -> str | None:
    """The part of a dimension a text names ("kvinnor", "65+ år", "ogifta", "medborgarskap Sverige"),
    or None.

    A total word beside a part does not make a total ("totalt ålder kvinnor" is women only); a total
    written with its parts ("män och kvinnor", "1+2") names no part.
    """
    folded = without_months(_TOTAL_PHRASES.sub(" ", regions.fold(label)))
    found = _PARTS.search(folded) or _AGE_PHRASE.search(folded) or _AGE.search(folded)
    if found:
        return found.group(0).strip()
    valued = next((m for m in _DIMENSION_VALUE.finditer(folded) if m.group(2) not in _NOT_A_VALUE), None)
    return valued.group(0).strip() if valued else None


def unexplained(qualifier: str) -> str | None:
    """What a value column's heading says besides its month, the population and totals, or None.

    A heading of the population says nothing else ("Folkmängd 2019M11", "totalt ålder totalt kön");
    any other word may narrow it ("Folkmängd pensionärer"), so it is returned for a refusal.
    """
    folded = _TOTAL_PHRASES.sub(" ", regions.fold(without_months(qualifier)))
    for found in _HEADING_TOKENS.finditer(folded):
        word = found.group(0)
        if word not in _HEADING_WORDS and not _CONTENT_CODE.fullmatch(word) and not is_total_code(word):
            return word
    return None


def unexplained_in_title(title: str) -> str | None:
    """A word of an SCB title that is neither SCB's way of naming the whole population, its
    dimensions, months and years, nor its source ("Folkmängd, ensamstående, per månad": the word a
    narrowed table was named by), or None."""
    folded = _TOTAL_PHRASES.sub(" ", regions.fold(without_months(title)))
    for found in _HEADING_TOKENS.finditer(folded):
        word = found.group(0)
        if word not in _TITLE_WORDS and not _CONTENT_CODE.fullmatch(word) and not _YEAR.fullmatch(word):
            return word
    return None


def is_total_code(code: str) -> bool:
    """SCB's code for a dimension's total: "tot", "tot1", "TotSA", "TotSa"."""
    return bool(_TOTAL_CODE.fullmatch(code.casefold()))


def is_total(label: str) -> bool:
    """A text naming all of a dimension ("totalt", "totalt ålder", "män och kvinnor"), and no part."""
    folded = regions.fold(label)
    if part_in(folded) is not None:
        return False
    words = set(_WORDS.findall(folded))
    return bool(words & _TOTAL_WORDS or any(is_total_code(w) for w in words) or _TOTAL_PHRASES.search(folded))


def is_breakdown_label(label: str) -> bool:
    """True for "män", "0 år", "15-19 år", "totalt ålder kvinnor": a part of the population."""
    return part_in(label) is not None


def other_contents(label: str) -> str | None:
    """What a table holds when a text says it is not the population ("levande födda"), or None."""
    found = _OTHER_CONTENTS.search(regions.fold(label))
    return found.group(0) if found else None


def names_contents(value: str) -> bool:
    """A tabellinnehåll value for the population: "Folkmängd", "Population", or SCB's code BE0101N1."""
    folded = regions.fold(value)
    return (
        bool(_POPULATION_WORDS.search(folded) or _CONTENT_CODE.fullmatch(folded))
        and other_contents(folded) is None
    )


def is_breakdown_value(value: str, varies: bool) -> bool:
    """A stub value splits the population unless it is a total or the table's contents: a part of a
    dimension, any other text that varies, a constant text that says neither, and contents with a
    word that may narrow them ("Folkmängd förutom spädbarn", "Framskriven folkmängd": the words a
    heading or title may not hold either)."""
    if not value or is_total(value):
        return False
    if part_in(value) is not None or other_contents(value) is not None:
        return True
    return varies or not names_contents(value) or unexplained_in_title(value) is not None


def looks_like_scb(text: str, *, workbook: bool = False) -> bool:
    """Whether a file's text shows an SCB export: län with a month or SCB's own words, or (in a text
    file) with figures. A workbook needs SCB's words or a month, since every input workbook lists the
    län with figures."""
    folded = regions.fold(text)
    lan = sum(1 for lan in regions.LAN if any(stem in folded for stem in lan.stems))
    month = bool(_MONTH.search(folded))
    marks = bool(_SCB_MARKS.search(folded))
    if workbook:  # an input workbook has villkor sheets
        return lan >= 5 and (month or marks) and "villkor" not in folded
    if not (month or marks) and names_money(folded):
        return False  # a budget or a payment per län: money, not a population
    return lan >= 5 and (month or marks or bool(re.search(r"\d{4,}", folded)))


_MONEY_WORDS = re.compile(
    r"\b(?:budget\w*|belopp\w*|anslag\w*|kostnad\w*|utbetalning\w*|ersättning\w*|bidrag\w*|"
    r"fördelning\w*|intäkt\w*|utgift\w*)\b"
)


def names_money(text: str) -> bool:
    """A text that names a money unit (Mkr, tkr, kronor, SEK) or money (budget, belopp, anslag):
    what such a table counts is kronor, never persons."""
    return unit_in(text) is not None or bool(_MONEY_WORDS.search(regions.fold(text)))


_SCB_MARKS = re.compile(
    r"\b(?:scb|statistiska centralbyrån|statistics sweden|statistikdatabasen|statistical database|pxweb|"
    r"be0101\w*|folkmängd\w*|population)\b"
)
