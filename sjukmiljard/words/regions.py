"""The 21 län, and matching of the many ways people write their names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Lan:
    code: str
    name: str
    stems: tuple[str, ...]


# Seed order (the published workbook's), which is also SCB's order by län code.
LAN: tuple[Lan, ...] = (
    Lan("01", "Stockholms län", ("stockholm",)),
    Lan("03", "Uppsala län", ("uppsala",)),
    Lan("04", "Södermanlands län", ("södermanland", "sörmland")),
    Lan("05", "Östergötlands län", ("östergötland",)),
    Lan("06", "Jönköpings län", ("jönköping",)),
    Lan("07", "Kronobergs län", ("kronoberg",)),
    Lan("08", "Kalmar län", ("kalmar",)),
    Lan("09", "Gotlands län", ("gotland",)),
    Lan("10", "Blekinge län", ("blekinge",)),
    Lan("12", "Skåne län", ("skåne",)),
    Lan("13", "Hallands län", ("halland",)),
    Lan("14", "Västra Götalands län", ("västra götaland", "vgr")),
    Lan("17", "Värmlands län", ("värmland",)),
    Lan("18", "Örebro län", ("örebro",)),
    Lan("19", "Västmanlands län", ("västmanland",)),
    Lan("20", "Dalarnas län", ("dalarna",)),
    Lan("21", "Gävleborgs län", ("gävleborg",)),
    Lan("22", "Västernorrlands län", ("västernorrland",)),
    Lan("23", "Jämtlands län", ("jämtland", "jämtland härjedalen")),
    Lan("24", "Västerbottens län", ("västerbotten",)),
    Lan("25", "Norrbottens län", ("norrbotten",)),
)

NAMES: tuple[str, ...] = tuple(lan.name for lan in LAN)
RIKET = "RIKET"

_BY_CODE = {lan.code: lan.name for lan in LAN}
_BY_STEM = {stem: lan.name for lan in LAN for stem in lan.stems}
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_CODE = re.compile(r"^(\d{1,2})(?:\s+(.*))?$")
_PREFIXES = ("region ", "landstinget i ", "landstinget ")
_SUFFIXES = (" läns landsting", " landsting", "regionen", " region", " län")


def fold(text: str) -> str:
    """Normalise text for comparison: NFC, case folded, every kind of space collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\u2013", "-").replace("\u2212", "-")
    return _SPACES.sub(" ", text).strip().casefold()


def _stem(folded: str) -> str:
    text = folded.replace("-", " ")
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    text = text.strip()
    if text not in _BY_STEM and text.endswith("s"):
        text = text[:-1]
    return text


def match(text: str) -> str | None:
    """The seed's spelling of the län that `text` names, or None.

    Accepts the seed's names and the forms people paste: "Region Stockholm", "Stockholm",
    "01", "01 Stockholms län", "Västra Götalandsregionen", "Region Jämtland Härjedalen".
    """
    folded = fold(text)
    if not folded:
        return None
    code = _CODE.match(folded)
    if code:
        name = _BY_CODE.get(code.group(1).zfill(2))
        rest = code.group(2)
        if name is None or (rest and _BY_STEM.get(_stem(rest)) != name):
            return None
        return name
    return _BY_STEM.get(_stem(folded))


# The whole country in other words: every word one of these, one of them naming the country
# ("Hela Sverige", "Riket totalt", "Samtliga län", "Alla regioner", "Hela landet").
_COUNTRY = frozenset({"riket", "sverige", "landet", "sweden", "samtliga", "alla", "rike"})
_COUNTRY_FILLER = frozenset(
    {"hela", "00", "totalt", "total", "summa", "län", "länen", "regioner", "regionerna", "landsting",
     "landstingen", "i", "för", "whole", "all", "counties", "regions", "mkr"}
)  # fmt: skip


_LABEL_PUNCTUATION = re.compile(r"[/()\[\],.:;\-–]+")


def made_of(text: str, core: frozenset[str], filler: frozenset[str], *, most: int = 4) -> bool:
    """A short label whose every word is a core or filler word, at least one a core word ("Hela
    Sverige", "Län/landsting")."""
    words = _LABEL_PUNCTUATION.sub(" ", fold(text)).split()
    return (
        0 < len(words) <= most
        and any(w in core for w in words)
        and all(w in core or w in filler for w in words)
        and not set(words) <= {"alla", "samtliga"}  # "Alla" alone names nothing
    )


def is_riket(text: str) -> bool:
    return fold(text) in ("riket", "00 riket", "hela riket", "00") or made_of(text, _COUNTRY, _COUNTRY_FILLER)


def suggest(text: str) -> str | None:
    """The län name closest to a misspelt one, for a 'did you mean' hint."""
    folded = fold(text)
    candidates = {fold(name): name for name in NAMES}
    candidates.update({stem: lan.name for lan in LAN for stem in lan.stems})
    import difflib  # only for a misspelt name

    close = difflib.get_close_matches(folded, list(candidates), n=1, cutoff=0.75)
    return candidates[close[0]] if close else None
