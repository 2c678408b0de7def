"""The national recipients of fixed sums: the bodies the agreements name, and matching of their names.

A fixed sum to a name not in this list is paid only with an `Obs:` to the officer, so that a number in
a note can never become a payment unseen.
"""

from __future__ import annotations

from dataclasses import dataclass

from .regions import fold


@dataclass(frozen=True)
class Body:
    name: str
    aliases: tuple[str, ...] = ()


# The bodies of the Sjukskrivningsmiljarden agreements (2006–2020) and the agencies they task.
KNOWN: tuple[Body, ...] = (
    Body("SKR", ("sveriges kommuner och regioner",)),
    Body("SKL", ("sveriges kommuner och landsting",)),  # SKR's name until 2019, in older workbooks
    Body("Försäkringskassan", ("fk",)),
    Body("Socialstyrelsen", ("sos",)),
    Body("Enligt regeringsbeslut", ("regeringsbeslut", "enligt regeringens beslut", "regeringen")),
    Body("Inspektionen för socialförsäkringen", ("isf",)),
    Body("Myndigheten för vård- och omsorgsanalys", ("vårdanalys",)),
    Body("Forte", ("forskningsrådet för hälsa, arbetsliv och välfärd",)),
    Body("Arbetsförmedlingen", ("af",)),
    Body("Folkhälsomyndigheten", ("fohm",)),
    Body("E-hälsomyndigheten", ("ehälsomyndigheten",)),
    Body("Statens beredning för medicinsk och social utvärdering", ("sbu",)),
    Body("Arbetsmiljöverket", ("av",)),
    Body("Myndigheten för arbetsmiljökunskap", ("mynak",)),
    Body("Karolinska Institutet", ("ki",)),
    Body("Socialdepartementet", ("soc-dep", "regeringskansliet")),
)
NAMES: tuple[str, ...] = tuple(body.name for body in KNOWN)

_BY_KEY = {fold(body.name): body.name for body in KNOWN} | {
    fold(alias): body.name for body in KNOWN for alias in body.aliases
}
CERTAIN_MISSPELLING = 0.88  # "Försäkringskasan" (0.97), "Socialstyrelssen", "Forsakringskassan"
CLOSE = 0.75


def known(name: str) -> str | None:
    """The list's spelling of a known body that `name` names ("FK" -> "Försäkringskassan"), or None."""
    return _BY_KEY.get(fold(name))


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
