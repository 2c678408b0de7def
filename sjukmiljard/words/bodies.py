"""The national recipients of fixed sums: the bodies the agreements name, and matching of their names.

A fixed sum to a name not in this list is paid only with an `Obs:` to the officer, so that a number in
a note can never become a payment unseen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .regions import fold


@dataclass(frozen=True)
class Body:
    name: str
    aliases: tuple[str, ...] = ()


# The bodies of the Sjukskrivningsmiljarden agreements (2006–2020) and the agencies they task.
# Each with its short names and the English name it gives itself (officers paste from its website).
KNOWN: tuple[Body, ...] = (
    Body(
        "SKR",
        ("sveriges kommuner och regioner", "swedish association of local authorities and regions", "salar"),
    ),
    Body(
        "Försäkringskassan",
        ("fk", "f-kassan", "fkassan", "försäkringskassa", "swedish social insurance agency"),
    ),
    Body("Socialstyrelsen", ("sos", "national board of health and welfare")),
    Body("Enligt regeringsbeslut", ("regeringsbeslut", "enligt regeringens beslut", "regeringen")),
    Body("Inspektionen för socialförsäkringen", ("isf", "swedish social insurance inspectorate")),
    Body(
        "Myndigheten för vård- och omsorgsanalys",
        ("vårdanalys", "myndigheten för vårdanalys", "swedish agency for health and care services analysis"),
    ),
    Body("Forte", ("forskningsrådet för hälsa, arbetsliv och välfärd",)),
    Body("Arbetsförmedlingen", ("af", "swedish public employment service")),
    Body("Folkhälsomyndigheten", ("fohm", "fhm", "public health agency of sweden")),
    Body("E-hälsomyndigheten", ("ehälsomyndigheten", "swedish ehealth agency")),
    Body(
        "Statens beredning för medicinsk och social utvärdering",
        ("sbu", "swedish agency for health technology assessment and assessment of social services"),
    ),
    Body("Arbetsmiljöverket", ("av", "swedish work environment authority")),
    Body("Myndigheten för arbetsmiljökunskap", ("mynak", "swedish agency for work environment expertise")),
    Body("Karolinska Institutet", ("ki",)),
    Body("Socialdepartementet", ("soc-dep", "regeringskansliet", "ministry of health and social affairs")),
)
NAMES: tuple[str, ...] = tuple(body.name for body in KNOWN)
# SKR's names until 2019, in older workbooks: the same body, on SKR's row.
FORMER_NAMES = {"skl": "SKR", "sveriges kommuner och landsting": "SKR"}

_BY_KEY = (
    {fold(body.name): body.name for body in KNOWN}
    | {fold(alias): body.name for body in KNOWN for alias in body.aliases}
    | FORMER_NAMES
)
CERTAIN_MISSPELLING = 0.88  # "Försäkringskasan" (0.97), "Socialstyrelssen", "Forsakringskassan"
CLOSE = 0.75


_TRAILING = re.compile(r"[\s:;,.\-–]+$")
# A footnote mark after a name ("SKR¹", "Socialstyrelsen *", "SKR 1)"): the name is the body's.
_FOOTNOTE = re.compile(
    r"(?:\s*(?:[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\d\)|(?<![\w(])\d\)))+$"
)  # not the end of "(avser 2020)"
_SEPARATORS = re.compile(r"\s+[–-]\s+|\s*[,/]\s*")  # "SKR – Sveriges Kommuner och Regioner"
_PARENTHESES = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00ad": ""})


def _key(name: str) -> str:
    """The name as the list is keyed: folded, hyphens of any kind as "-", "&" as "och", without a
    trailing footnote mark or punctuation."""
    key = re.sub(r"\s*&\s*", " och ", fold(name).translate(_HYPHENS))
    return _TRAILING.sub("", _FOOTNOTE.sub("", _TRAILING.sub("", key)))


# Words before a recipient's name that only say it is the recipient ("Till SKR", "Medel till
# Försäkringskassan", "Bidrag till SKR", "Ersättning till Socialstyrelsen").
_TO = re.compile(
    r"^(?:(?:medel|bidrag|ersättning|stöd|anslag|belopp|utbetalning|utbetalas|fast\s+belopp|"
    r"statsbidrag)\s+)?(?:till|åt|to)\s+(?=\S)"
)


# A body's organisation number, with or without its label ("org.nr 222000-0315", "202100-0555").
_ORG_NUMBER = re.compile(
    r"(?:org(?:anisations)?\.?\s*(?:nr|nummer)\.?:?\s*)?(?<!\d)\d{6}-?\d{4}(?!\d)", re.IGNORECASE
)
# A qualifier that says what the sum is for or holds, not who receives it ("SKR (inkl. Inera)",
# "Försäkringskassan – för utbildningsinsatser", "Socialstyrelsen, enligt uppdrag").
_QUALIFIER = re.compile(
    r"^(?:inkl\.?|inklusive|varav|därav|för|avser|gäller|enligt|avs\.?|som|uppdrag|ersättning|bidrag|"
    r"medel|including|for|se|specificeras|specificerat|specifikation|uppdelat|uppdelas|fördelas|nedan|"
    r"ovan)(?![\wåäö])"
)


# A qualifier after the name without a separator ("Sveriges Kommuner och Regioner (SKR) för
# kunskapsstöd"), and a body's genitive before what the sum is for ("försäkringskassans uppdrag").
_TRAILING_QUALIFIER = re.compile(r"\s+(?:för|avser|gäller|enligt|inkl\.?|inklusive|avseende)\s+\S.*$")
_GENITIVE = re.compile(r"^(.+?):?s\s+[a-zåäö]")


# Words that say a name is the body's earlier or later one ("SKL (nu SKR)", "SKR (f.d. SKL)",
# "SKL, numera Sveriges Kommuner och Regioner"): the part after them names the same body.
_RENAMING = re.compile(
    r"^(?:nu|numera|nuvarande|tidigare|förut|förr|fd|f\.\s?d\.?|f\s+d|före\s+detta|ex\.?|"
    r"(?:nytt|tidigare|gammalt|gamla|f\.?d\.?)\s+namn(?:et)?:?|sedan\s+\d{4}|från\s+\d{4}|till\s+\d{4}|"
    r"formerly|now|previously|former(?:ly)?)\s+(?=\S)"
)


def _part_key(part: str) -> str:
    """A part of a name as the list is keyed, without the words that say it is a former or new name."""
    return _RENAMING.sub("", _key(part))


def _lower(text: str) -> bool:
    """Whether the words after the first are all lower case (a purpose, not another name)."""
    rest = text.split(maxsplit=1)[1:] or [""]
    return rest[0] == rest[0].lower()


def known(name: str) -> str | None:
    """The list's spelling of a known body that `name` names ("FK" -> "Försäkringskassan", "SKR:",
    "Försäkringskassan (FK)", "Till SKR", "SKR (org.nr 222000-0315)", "SKR (inkl. Inera)"), or None.
    A name and a parenthesis must name the same body; an organisation number, or a qualifier saying
    what the sum is for, names no other."""
    plain = _ORG_NUMBER.sub(" ", name).strip()
    key = _TO.sub("", _key(plain))
    if key in _BY_KEY:
        return _BY_KEY[key]
    if (split := _TRAILING_QUALIFIER.search(plain.lower())) is not None and split.start() > 0:
        return known(plain[: split.start()])
    if (genitive := _GENITIVE.match(key)) is not None and _BY_KEY.get(genitive.group(1)) and _lower(plain):
        return _BY_KEY[genitive.group(1)]  # "försäkringskassans uppdrag": the body's own sum
    found = _PARENTHESES.match(key)
    parts = list(found.groups()) if found is not None else _SEPARATORS.split(key)
    if len(parts) < 2:
        return None
    raw = _PARENTHESES.match(plain)
    raw_parts = list(raw.groups()) if raw is not None else _SEPARATORS.split(plain)
    lowered = {_key(p) for p in raw_parts[1:] if p.strip() and p.strip() == p.strip().lower()}
    kept = [
        p
        for p in map(_part_key, parts)
        if p and not _QUALIFIER.match(p) and (p not in lowered or p in _BY_KEY)
    ]
    named = {_BY_KEY.get(part) for part in kept}
    return next(iter(named)) if kept and len(named) == 1 and None not in named else None


# Keys of three letters or more: "av" and "af" are Swedish words, "ki" and "fk" too short to find.
_MENTION = re.compile(
    r"(?<![\wåäö])("
    + "|".join(sorted((re.escape(key) for key in _BY_KEY if len(key) >= 3), key=len, reverse=True))
    + r")(?![\wåäö])"
)


def mentioned(text: str) -> str | None:
    """The known body a heading or label mentions anywhere ("– varav till SKR (nationellt stöd)"),
    if it mentions exactly one."""
    found = {_BY_KEY[m.group(1)] for m in _MENTION.finditer(fold(text))}
    return next(iter(found)) if len(found) == 1 else None


def renamed(name: str) -> str | None:
    """The notice for a body named by its former name ("SKL"), if it is one."""
    key = _key(name)
    found = _PARENTHESES.match(key)
    keys = [key, *(found.groups() if found else _SEPARATORS.split(key))]
    former = next((k for k in keys if _part_key(k) in FORMER_NAMES), None)
    if former is None:
        return None
    body = FORMER_NAMES[_part_key(former)]
    if former == key:
        return f"'{name}' är {body}:s namn före 2019 och räknas som {body}"
    return f"'{name}' nämner {body}:s namn före 2019 och räknas som {body}"


def closest(name: str) -> tuple[str, float] | None:
    """The known body whose name is nearest `name`, with the similarity (0–1), if any is close."""
    import difflib  # only for a name that is not known

    folded = fold(name)
    best: tuple[str, float] | None = None
    for key, body in _BY_KEY.items():
        if len(key) < 4:  # abbreviations are too short to be misspelt recognisably
            continue
        ratio = difflib.SequenceMatcher(None, folded, key).ratio()
        if ratio >= CLOSE and (best is None or ratio > best[1]):
            best = (body, ratio)
    return best
