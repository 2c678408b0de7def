"""Units of money and of other quantities, as officers write them in headings, titles and cells.

A unit written anywhere decides the scale of the amounts it covers: Mkr (MSEK, miljoner kronor), tkr
(tusen kronor, tusentals kronor) or kr (kronor, SEK). A cell that holds only a number and its unit
(`39 Mkr`, `1,2 mkr`, `9,5 MSEK`) is that number; a sentence that mentions an amount stays text.
Headings also say when a column holds no money at all: shares, persons, counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..words.regions import fold
from ..words.swedish import NotANumber, number_or_none, parse_number


@dataclass(frozen=True)
class Unit:
    """A unit of money: its name as the receipt shows it and the Mkr one of it is."""

    name: str
    per_mkr: int  # how many of this unit make one Mkr
    mkr_each: int = 1  # how many Mkr one of it is (a miljard is 1 000)

    def to_mkr(self, value: float) -> float:
        if self.mkr_each != 1:
            return value * self.mkr_each
        return value / self.per_mkr if self.per_mkr != 1 else value


MDKR = Unit("mdkr", 1, 1_000)
MKR = Unit("Mkr", 1)
TKR = Unit("tkr", 1_000)
KR = Unit("kr", 1_000_000)

# A unit is a multiplier and a currency, in any order of spelling: "tkr", "tusen kronor", "1 000 kr",
# "(000 kr)", "000-tal kr", "k SEK", "kr i tusental". Longest spellings first: "tusentals kronor"
# before "kronor", "mkr" before "kr".
_CURRENCY = r"(?:kronor|kr|sek)"
_TAL = r"(?:\s?-?\s?tal(?:s)?)?"  # "1 000-tal", "000-tals"
_BARE = r"(?<!\d\s)(?<!\d)"  # "000 kr", not the end of "10 000 kr"
_THOUSAND = rf"(?:1\s?000|1000|{_BARE}'?000|tusen(?:tal(?:s)?)?|thousands?(?:\s+of)?)"
_MILLION = rf"(?:1\s?000\s?000|{_BARE}000\s?000|1000000|miljon(?:er)?|millions?(?:\s+of)?)"
_SPELLINGS: tuple[tuple[str, Unit], ...] = (
    (r"sekbn|sek\s?bn|miljarder\s+kronor|miljard(?:er)?\s+kr|miljarder|miljard|mdkr|mdr\s*kr|mdr|md\s*kr"
     rf"|mrd\s*kr|billions?(?:\s+of)?\s+{_CURRENCY}|{_CURRENCY}\s*\(?\s*(?:billions?|bn)\)?", MDKR),
    (r"sekm|miljoner\s+kronor|miljoner\s+kr|miljon(?:er)?\s+sek|milj\.?\s*kr(?:onor)?|mnkr|mn\s*kr|mkr|msek"
     rf"|mio\s*kr|m\s?sek|{_MILLION}{_TAL}\s*{_CURRENCY}"
     rf"|{_CURRENCY}\)?\s*\(?\s*(?:i\s+|in\s+)?(?:miljon(?:er|tal)|millions?|mn|mio|m)\)?", MKR),
    (r"tusentals\s+kronor|tusen\s+kronor|tusental\s+kronor|tusen\s+kr|tkr|kkr|ksek|tsek|tusen\s+sek"
     rf"|{_THOUSAND}{_TAL}\s*{_CURRENCY}|t\.?\s?kr|[tk]\s?sek|k\s?kr"
     rf"|{_CURRENCY}\)?\s*\(?\s*(?:i\s+|in\s+)?(?:tusental|tusentals|tusen|1\s?000-?tal|thousands?|['’]000s?|"
     r"x\s?1\s?000|000s?)\)?", TKR),
    (r"kronor|kr|sek", KR),
)  # fmt: skip
_UNIT_RE = re.compile(
    r"(?<![\wåäö])(" + "|".join(f"(?:{pattern})" for pattern, _ in _SPELLINGS) + r")\.?(?![\wåäö])"
)
_WHOLE = [(re.compile(rf"^(?:{pattern})\.?$"), unit) for pattern, unit in _SPELLINGS]
_NUMBER_AND_UNIT = re.compile(r"^\s*([-+\u2212]?[\d \u00a0\u2009\u202f]*\d(?:,\d+)?)\s*([^\d\s].*?)\s*$")
_UNIT_FIRST = re.compile(r"^\s*([^\d\s-][^\d]*?)\s*([-+\u2212]?\d[\d \u00a0\u2009\u202f]*(?:,\d+)?)\s*$")


# Beside a number in one cell, shorter words are units too ("39 miljoner"); in a heading they are not
# ("Folkmängd (tusen)" counts persons).
_LOOSE = {"miljoner": MKR, "miljon": MKR, "milj": MKR, "mn": MKR, "mio": MKR, "tusen": TKR, "t": TKR}


def _unit_of_word(word: str) -> Unit | None:
    if word.strip() in (":-", ":–"):  # "140 000 000:-": the Swedish way of writing whole kronor
        return KR
    folded = fold(word).strip(" .:()[]")
    for pattern, unit in _WHOLE:
        if pattern.match(folded):
            return unit
    return None


def is_unit_only(text: str) -> bool:
    """A cell that holds a unit and nothing else ("(tkr)", "Mkr", "(1000-tal)")."""
    folded = fold(text).strip(" .:()[]")
    return _unit_of_word(text) is not None or any(p.fullmatch(folded) for p, _ in _BARE_RE)


def units_in(text: str) -> list[Unit]:
    """The units of money a heading or title names, in order ("Belopp (tkr)" -> [tkr])."""
    return [u for m in _UNIT_RE.finditer(fold(text)) if (u := _unit_of_word(m.group(1))) is not None]


def unit_in(text: str) -> Unit | None:
    """The one unit of money `text` names; None when it names none, or several different ones."""
    found = {u.name: u for u in units_in(text)}
    return next(iter(found.values())) if len(found) == 1 else None


# The words of a note that only says which unit the sheet's amounts are in ("Beloppen anges i tkr",
# "Alla belopp i tusentals kronor", "(tkr)", "Enhet: Mkr").
_DECLARING = frozenset(
    {"belopp", "beloppen", "beloppet", "alla", "samtliga", "i", "anges", "angivna", "angivet", "anger",
     "redovisas", "redovisade", "är", "enhet", "enheten", "anm", "anmärkning", "obs", "not", "uttryckta",
     "uttryckt", "avrundade", "avrundat", "siffror", "siffrorna", "summor", "summorna", "tabell",
     "tabellen", "denna", "detta", "den", "här", "blad", "bladet", "på", "visas", "står", "skrivs", "och",
     "all", "amounts", "figures", "in", "are", "unit", "of"}
)  # fmt: skip


def declared_unit(text: str) -> Unit | None:
    """The unit a note declares for the sheet's amounts, when it says nothing else (no number)."""
    folded = fold(text)
    if any(ch.isdigit() for ch in folded) or (unit := unit_in(text)) is None:
        return None
    rest = re.sub(r"[\s()\[\],.;:!*=_–\-]+", " ", _UNIT_RE.sub(" ", folded)).split()
    return unit if all(word in _DECLARING for word in rest) else None


# A number right before the unit: digits, with spaces between groups or a decimal part, not a year.
_AMOUNT_BEFORE = re.compile(
    r"(?<![\d.,])(?!(?:19|20)\d\d\s*$)\d(?:\d|[ \u00a0\u2009\u202f](?=\d)|[.,](?=\d))*\s*$"
)


def mentions_amount(text: str) -> bool:
    """A sentence that names an amount in a unit ("ersättning med högst 500 tkr per samordnare"):
    it says what one amount is, not which unit the sheet's figures are in."""
    folded = fold(text)
    return any(
        _AMOUNT_BEFORE.search(folded[: m.start()]) is not None
        for m in _UNIT_RE.finditer(folded)
        if _unit_of_word(m.group(1)) is not None
    )


def without_units(text: str) -> str:
    """The heading without its units of money ("SKR, Mkr" -> "skr"), folded."""
    bare = _UNIT_RE.sub(" ", fold(text))
    return re.sub(r"\(\s*\)|[\s,;:]+$", "", re.sub(r"\s+", " ", bare)).strip()


def names_several_units(text: str) -> bool:
    return len({u.name for u in units_in(text)}) > 1


_MULTIPLIER_BEFORE = re.compile(
    r"(?:\d[\d\s'.]*|(?<![\wåäö])[a-zåäö]*tals?|(?<![\wåäö])[b-hj-np-zäö])[\s\-]*$"  # not "i", "a", "o", "å"
)


# A multiplier without a currency ("Medel (1000-tal)", "Belopp ('000)", "belopp i tusental"): the unit
# of money where the text speaks of money, a count of persons elsewhere ("Folkmängd (tusental)").
_BARE_MULTIPLIERS: tuple[tuple[str, Unit], ...] = (
    (r"miljon(?:er|tal)|mn|mio|milj\.?|1\s?000\s?000-?tal|millions?", MKR),
    (
        r"tusen(?:tal|tals)?|1\s?000-?tal|1000-?tal|'000s?|’000s?|\(000s?\)|000-?tal|000s|kilo|x\s?1\s?000|"
        r"thousands?",
        TKR,
    ),
)
_BARE_RE = [
    (re.compile(rf"(?<![\wåäö\d])(?:i\s+|per\s+)?(?:{pattern})(?![\wåäö\d])"), unit)
    for pattern, unit in _BARE_MULTIPLIERS
]
_SPEAKS_OF_MONEY = re.compile(
    r"belopp|pott?(?![\wåäö])|potter|medel|ersättning|bidrag|tilldelning|utbetal|stöd|ram(?:en)?(?![\wåäö])|"
    r"summa|budget|anslag|kostnad|intäkt|finansiering|money|amount|funds"
)


def bare_multiplier(text: str) -> tuple[Unit, str] | None:
    """The unit a multiplier without a currency names ("(1000-tal)" -> tkr), with the words as
    written; None when the text names a unit of money of its own, or no multiplier."""
    folded = fold(text)
    if units_in(text):
        return None
    found = [(unit, m.group(0).strip()) for pattern, unit in _BARE_RE for m in pattern.finditer(folded)]
    return found[0] if len({unit.name for unit, _ in found}) == 1 else None


def speaks_of_money(text: str) -> bool:
    """A heading or title whose words are about money ("Medel", "Belopp", "Ram"), so that a bare
    multiplier in it is the unit of its amounts."""
    return bool(_SPEAKS_OF_MONEY.search(fold(text)))


def unknown_multiplier(text: str) -> str | None:
    """A currency written after a multiplier no spelling above knows ("hundratal kr", "10 000 kr",
    "m kr"): the unit as written, which must not be read as plain kronor."""
    folded = fold(text)
    for m in _UNIT_RE.finditer(folded):
        unit = _unit_of_word(m.group(1))
        if (word := _MULTIPLIER_WORD_BEFORE.search(folded[: m.start()])) is not None:  # "hundred thousand"
            return folded[word.start() : m.end()].strip()
        if unit is not KR:
            continue
        before = _MULTIPLIER_BEFORE.search(folded[: m.start()])
        if before is not None and before.group(0).strip():
            return folded[before.start() : m.end()].strip()
        rest = f"{folded[: m.start()]} {folded[m.end() :]}"
        if (far := _MULTIPLIER_WORD.search(rest)) is not None:  # "Belopp kr, tusental", "SEK, in thousands"
            return f"{m.group(1)} … {far.group(0)}"
    return None


# Words that multiply a unit wherever they stand in a heading of kronor ("kr (avrundat till tusental)"),
# and the words of a count that would multiply the unit right after them ("hundred thousand SEK").
_MULTIPLIER_WORD = re.compile(
    r"(?<![\wåäö])(tusen\w*|thousands?|miljon\w*|millions?|miljard\w*|billions?|hundra\w*|hundreds?|mn|mio|"
    r"x\s?1\s?000|1\s?000-?tal|['’]?000s?)(?![\wåäö])"
)
_MULTIPLIER_WORD_BEFORE = re.compile(r"(?<![\wåäö])(hundra|hundred|tio|ten|tiotal|tens)[\s-]*$")


def relabel(label: str, unit: Unit) -> str:
    """The heading as the result shows it, in Mkr: "Pot belopp, tkr" -> "Pot belopp, Mkr", "Pot
    belopp" under a title or note in tkr -> "Pot belopp, Mkr"."""
    if unit is MKR:
        return label
    folded = fold(label)
    match = _UNIT_RE.search(folded)
    if match is None and len(folded) == len(label):  # a multiplier without currency: "Medel (1000-tal)"
        match = next((m for pattern, _ in _BARE_RE if (m := pattern.search(folded)) is not None), None)
    if match is None:  # the unit stands in the title or a note: the result's heading says Mkr
        return f"{label}, Mkr"
    return f"{label[: match.start()]}Mkr{label[match.end() :]}".strip()


@dataclass(frozen=True)
class Quantity:
    """A number typed with its unit in one cell: "39 Mkr", "750 000 kr", "14,8 %"."""

    value: float
    unit: Unit | None  # None for a percentage
    percent: bool = False


def quantity(value: object) -> Quantity | None:
    """The number and unit of a cell that holds only those ("39 Mkr", "1,2 mkr", "MSEK 9,5",
    "14,8 %"); None for anything else, a sentence that mentions an amount included."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern, number_group, unit_group in ((_NUMBER_AND_UNIT, 1, 2), (_UNIT_FIRST, 2, 1)):
        found = pattern.match(text)
        if found is None:
            continue
        word = found.group(unit_group).strip()
        try:
            number = parse_number(found.group(number_group))
        except NotANumber:
            continue
        if word in ("%", "procent"):
            return Quantity(number / 100, None, percent=True)
        unit = _unit_of_word(word) or _LOOSE.get(fold(word).strip(" ."))
        if unit is not None:
            return Quantity(number, unit)
    return None


def figure_of(value: object) -> float | None:
    """The number a cell holds, typed with a unit ("39 Mkr", "14,8 %") or not; None for no number."""
    typed = quantity(value)
    return typed.value if typed is not None else number_or_none(value)


# Headings of columns that hold no money.
_SHARE = re.compile(r"andel|procent|%|fördelningsnyckel|nyckel|kvot|share|proportion")
_PERSONS = re.compile(r"personer|folkmängd|befolkning|invånare|antal|population|inhabitants")
# A part names itself at its start, after any marks ("» varav", "→ därav", "– inom ramen"), or says
# anywhere that it is included in another amount ("Inera AB (ingår i SKR:s belopp)"; not "ingår ej i").
_BREAKDOWN = re.compile(
    r"^[\W_]*((?:var|där|här)(?:ut)?av|inkl(usive|\.)?|inberäknat|inräknat|"
    r"av\s+(detta|dessa|det|den|vilket|vilka|potten|beloppet|summan|ramen)|del\s+av|delbelopp|delpott|"
    r"inom\s+(ramen|potten|beloppet|summan|villkoret|detta|dessa|denna)|"
    r"of\s+which|thereof|including|incl\.?|within)(?![\wåäö])"
    r"|(?<![\wåäö])(ingår|ingående|inräknad|inräknat|inräknade|inkluderad|inkluderat|included)\s+i(?![\wåäö])"
)
# A change word ends its word, inflected ("Förändring", "Budgetförändringen", "Avvikelser"), or a
# compound of an amount ("Förändringsbelopp"): as the first part of another compound it names a thing,
# not a difference ("Medel för förändringsarbete").
_CHANGE_WORD = r"(förändring|ändring|skillnad|differens|avvikelse|ökning|minskning)"
_CHANGE = re.compile(
    rf"{_CHANGE_WORD}((en|ens|ar|arna|er|erna|n|ns|r|rna)?(?![\wåäö])|s?(belopp|summa|tal|siffr|värde|kolumn))|"
    r"förändr\.|jämfört|\bjmf\b|\bdiff\b|\+/-|\+/−|±|\bdelta\b|[δ∆]"
)
# An earlier one of the agreement's things: "förra året", "tidigare överenskommelse", "gamla fördelningen".
_AGREEMENT_NOUNS = r"(år\w*|överenskommelse\w*|avtal\w*|period\w*|fördelning\w*|beslut\w*|pott\w*|ram\w*)"
_PRIOR = re.compile(
    r"föregående|fjol|(?<![\wåäö])fg(?![\wåäö])|\bföreg\b|utfall\s+\d{4}|"
    r"\b(last|previous|prior)\s+(year|years|agreement|allocation)\b|"
    rf"\b(förra|tidigare|gaml[ae]|förut\w*)\s+{_AGREEMENT_NOUNS}(?![\wåäö])"
)
# Marks of a sheet no longer in force: "ersatt", "gäller inte längre", "UTGÅR" (not "utgår med 5 Mkr").
_VOID = re.compile(
    r"(?<![\wåäö])(ersatt|ersatts|upphört|upphävd|upphävt|inaktuell\w*|makulerad\w*|struken|strukit|"
    r"utgått|utgår(?!\s+(med|till|för|enligt|i|per|som|från|efter)\b)|ogiltig\w*|"
    r"(gäller|används)\s+(inte|ej)|(ej|inte)\s+(aktuell|gällande|i\s+kraft)|"
    # not decided, or only an example of how a sheet is filled in
    r"utkast\w*|(ej|inte|icke)\s+(beslutad|beslutat|beslutade|fastställd|fastställt|antagen|antaget)|"
    r"(?<!till\s)(?<!som\s)(?<!t\.\s)exempel\w*|lathund\w*|övningsblad\w*|testblad\w*|"
    # a sketch or a matter still being prepared, and sheets that tell how to fill in the others
    r"skiss\w*|under\s+beredning|ej\s+klar\w*|inte\s+klar\w*|väntar\s+på\s+beslut|arbetsmaterial\w*|"
    r"instruktion\w*|anvisning\w*|så\s+här\s+fyller|fyll\s+i\s+så\s+här|hjälpblad\w*|mall|"
    r"arkiverad\w*|(ej|inte)\s+använd\w*|använd\s+(ej|inte)|obsolete|archived|do\s+not\s+use)(?![\wåäö])"
)
# In a sheet's name (not its title, where "insatser för att ta bort hinder" is a villkor): a sheet
# kept only to be looked back at, or about to go ("Arkiv V2", "Villkor 7 (tas bort)", "V3 gammal").
_VOID_NAME = re.compile(
    r"(?<![\wåäö])(arkiv\w*|historik\w*|backup|säkerhetskopi\w*|(tas|ska|skall|kan)\s+bort|ta\s+bort|"
    r"radera\w*|borttag\w*|old|archive|gammal|gammalt|gamla|(äldre|tidigare)\s+version\w*)(?![\wåäö])"
)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|21\d\d)(?!\d)")


def is_share_heading(text: str) -> bool:
    return bool(_SHARE.search(fold(text)))


def is_persons_heading(text: str) -> bool:
    return bool(_PERSONS.search(fold(text)))


def is_breakdown(text: str) -> bool:
    """A heading or row label that says it is part of the one before ("varav kontakter", "därav")."""
    return bool(_BREAKDOWN.search(fold(text)))


def is_change_heading(text: str) -> bool:
    """A column of differences ("Förändring mot 2019, Mkr", "Diff", "+/-")."""
    return bool(_CHANGE.search(fold(text)))


def years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


# A year written short: "Pott -19", "Pott –20", "Pott '19" (not "covid-19": its dash ends a word).
_SHORT_YEAR = re.compile(r"(?:(?<![\wåäö\d])[-–]|['’])(\d\d)(?![\d\wåäö])")


def short_years_in(text: str) -> list[int]:
    return [2000 + int(y) for y in _SHORT_YEAR.findall(text)]


def without_years(text: str) -> str:
    """The text without the years it names ("Folkmängd 2018" -> "Folkmängd ")."""
    return _YEAR.sub("", text)


def is_void_heading(text: str, *, name: bool = False) -> bool:
    """A sheet title (with `name`, a sheet's name) saying the sheet is no longer in force ("Villkor 2
    UTGÅR", "– ersatt"; a name also "Arkiv V2", "Villkor 7 (tas bort)")."""
    folded = fold(text)
    return bool(_VOID.search(folded) or (name and _VOID_NAME.search(folded)))


def is_prior_heading(text: str, year: int | None, *, later: bool = False) -> bool:
    """A heading of an earlier year's figures: "Fördelning 2019, Mkr" for the 2020 agreement,
    "Föregående år"; with `later`, of any other year than the agreement's ("Prognos 2021")."""
    if _PRIOR.search(fold(text)):
        return True
    years = years_in(text) + short_years_in(text)
    return year is not None and any(y < year or (later and y > year) for y in years)
