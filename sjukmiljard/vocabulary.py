"""The words finance officers use for the parts of a sheet: headers, sum rows, total columns.

Labels only ever confirm what the arithmetic of a sheet says; these functions tell which labels
claim to be what.
"""

from __future__ import annotations

import re

from .regions import fold

# "Län", and since 2019 the län are regions, so officers also write these.
LAN_HEADERS = frozenset(
    {"län", "region", "regioner", "län/region", "region/län", "län / region", "region / län", "län (region)"}
)
_TOTAL_WORDS = frozenset(
    {"summa", "totalt", "total", "totalsumma", "totalbelopp", "sammanlagt", "s:a", "tot", "sum", "delsumma"}
)
# Words that may stand beside a total word without changing what the label claims.
_FILLER_WORDS = frozenset(
    {"mkr", "kr", "msek", "belopp", "beloppet", "pott", "pot", "potten", "potter", "potterna", "i", "alla",
     "län", "länen", "regioner", "regionerna", "villkor", "villkoret", "miljoner", "kronor", "att", "fördela",
     "summa", "totalt", "total"}
)  # fmt: skip
_PUNCTUATION = re.compile(r"[,.;:!()\[\]*=_–\-]+")
_POT_WORD = re.compile(r"\bpott?(en|er|erna)?\b|\bpott?\d")


def is_lan_header(text: str) -> bool:
    return fold(text) in LAN_HEADERS


def _words(text: str) -> list[str]:
    folded = fold(text).replace("s:a", "s_a")
    return [w.replace("s_a", "s:a") for w in _PUNCTUATION.sub(" ", folded).split()]


def is_total_label(text: str) -> bool:
    """ "SUMMA", "Summa:", "Totalt", "TOTALT, Mkr", "Totalt belopp", "S:a" – a label that claims a sum."""
    words = _words(text)
    if not words or words[0] not in _TOTAL_WORDS:
        return False
    return all(word in _FILLER_WORDS or word in _TOTAL_WORDS for word in words[1:])


def names_a_pot(text: str) -> bool:
    """A column heading that says it holds a pot ("Pot belopp, Mkr", "Pott 2")."""
    return not is_total_label(text) and bool(_POT_WORD.search(fold(text)))
