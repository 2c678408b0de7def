"""The workbooks' vocabulary, owned here for reader, writer and template alike: sheet names, row and
column labels, number formats, and the words officers use for headers, sum rows and total columns.

Labels only ever confirm what the arithmetic of a sheet says; the functions below tell which labels
claim to be what.
"""

from __future__ import annotations

import re

from .regions import NAMES, fold, made_of

# Sheets.
POPULATION_SHEET = "Befolkning"
SUMMARY_SHEET = "Sammanställning"
CHANGES_SHEET = "Förändring"
OUTCOME_SHEET = "Utfall"
PAYMENT_SHEET = "Utbetalning"
OVERVIEW_SHEET = "Utbetalning översikt"
INSTRUCTIONS_SHEET = "Anvisningar"
RECEIPT_SHEET = "Kontroll"
RECEIPT_TITLE = "Kontroll – vad som lästes i indata och vad det blev"
# Sheets of the template and of our results that an input may carry and the reader passes over.
PASSED_OVER_SHEETS = frozenset(
    fold(name)
    for name in (
        SUMMARY_SHEET,
        INSTRUCTIONS_SHEET,
        CHANGES_SHEET,
        OUTCOME_SHEET,
        PAYMENT_SHEET,
        OVERVIEW_SHEET,
        RECEIPT_SHEET,
    )
)

# Document properties of our results: the writer records them, the .xlsx adapter recognises a result
# by them (its cached values are computed, never placeholders).
RESULT_AUTHOR = "sjukmiljard"
PROGRAM_VERSION_PROPERTY = "Programversion"
INPUT_SHA256_PROPERTY = "Indata SHA-256"

# Rows (from 0) of the layout the template and the result share: title, blank row, header, 21 län, RIKET.
HEADER_ROW = 2
FIRST_LAN_ROW = HEADER_ROW + 1
RIKET_ROW = FIRST_LAN_ROW + len(NAMES)
SUMMARY_HEADER_ROW = 3

# Labels.
LAN = "Län"
PERSONS = "Personer"
SHARE = "Andel"
RIKET = "RIKET"
SUMMA = "SUMMA"
TOTAL = "TOTALT"
POT_TOTAL = "Totalt"
DEFAULT_POT_LABEL = "Pot belopp, Mkr"
AGREEMENT_LABEL = "Överenskommelsens totalbelopp"
# The Utfall sheet's parameter rows, as the template writes them, and the spellings read.
RULE_ROW, FORFEIT_ROW, PER_UNIT_ROW, POT_ROW = "Regel", "Förverkat", "Kr per enhet", "Pott, Mkr"
FORFEIT_TO_STATE, FORFEIT_REDISTRIBUTED = "staten", "omfördelas"
YES, NO = "Ja", "Nej"
OUTCOME_PARAMETERS = {
    fold(RULE_ROW): "rule",
    fold(FORFEIT_ROW): "forfeit",
    fold(PER_UNIT_ROW): "per_unit",
    "belopp per enhet, kr": "per_unit",
    fold(POT_ROW): "pot",
    "pott": "pot",
}

# Number formats: Mkr with three decimals as published, persons and kronor whole.
MKR_FORMAT = "#,##0.000"
PERSONS_FORMAT = "#,##0"
KRONOR_FORMAT = "#,##0"
SHARE_FORMAT = "0.000"

# "Län", and since 2019 the län are regions, so officers also write these.
LAN_HEADERS = frozenset(
    {"län", "region", "regioner", "län/region", "region/län", "län / region", "region / län", "län (region)"}
)
_TOTAL_WORDS = frozenset(
    {"summa", "totalt", "total", "totalsumma", "totalbelopp", "sammanlagt", "s:a", "tot", "sum", "delsumma",
     "totala", "totalen", "summan"}
)  # fmt: skip
# Words that may stand beside a total word without changing what the label claims.
_FILLER_WORDS = frozenset(
    {"mkr", "kr", "msek", "belopp", "beloppet", "pott", "pot", "potten", "potter", "potterna", "i", "alla",
     "län", "länen", "regioner", "regionerna", "villkor", "villkoret", "miljoner", "kronor", "att", "fördela"}
)  # fmt: skip
_PUNCTUATION = re.compile(r"[,.;:!()\[\]*=_–\-]+")
_POT_WORD = re.compile(r"\b(?:del)?pott?(en|er|erna)?\b|\b(?:del)?pott?\d")


# A heading of the län column in other words: every word one of these, one of them a name for the län
# ("Län/landsting", "Landsting", "Länsnamn", "Region (län)", "County").
_LAN_WORDS = frozenset(
    {"län", "länet", "länen", "region", "regionen", "regioner", "regionerna", "landsting", "landstinget",
     "landstingen", "länsnamn", "regionnamn", "landstingsnamn", "county", "counties", "lan"}
)  # fmt: skip
_LAN_FILLER = frozenset({"och", "eller", "namn", "name", "resp", "respektive", "/", "the"})


def is_lan_header(text: str) -> bool:
    return fold(text) in LAN_HEADERS or made_of(text, _LAN_WORDS, _LAN_FILLER)


def _words(text: str) -> list[str]:
    folded = re.sub(r"\bs:a\b", "summa", fold(text))  # "S:a" is "summa" abbreviated
    folded = re.sub(r"[σ∑]", " summa ", folded)  # the sum sign, Greek (Σ folds to σ) or mathematical
    return _PUNCTUATION.sub(" ", folded).split()


def is_total_label(text: str) -> bool:
    """ "SUMMA", "Summa:", "Totalt", "TOTALT, Mkr", "Totalt belopp", "S:a" – a label that claims a sum."""
    words = _words(text)
    if not words or words[0] not in _TOTAL_WORDS:
        return False
    return all(word in _FILLER_WORDS or word in _TOTAL_WORDS for word in words[1:])


def names_a_pot(text: str) -> bool:
    """A column heading that says it holds a pot ("Pot belopp, Mkr", "Pott 2")."""
    return not is_total_label(text) and bool(_POT_WORD.search(fold(text)))


def claims_total(text: str) -> bool:
    """A label that claims some sum, alone or of something it names ("Summa nationella aktörer",
    "Totalt till myndigheter", "Delsumma"): such a row must add up and is never a recipient."""
    return is_total_label(text) or any(
        word in _TOTAL_WORDS or word.startswith(("summ", "totalsumm")) or word.endswith(("summa", "summan"))
        for word in _words(text)
    )
