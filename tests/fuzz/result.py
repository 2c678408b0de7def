"""A result workbook read back from its XML and checked for consistency: Befolkning's shares, each
villkor's regions, RIKET, bodies and SUMMA, the Sammanställning; and nothing in it would run."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sjukmiljard.words.regions import NAMES, fold

from .book import column_letter, unzip
from .known import known
from .xlsx import XSheet, read_xlsx

EXTRA_RESULT_SHEETS = ("Utfall", "Utbetalning", "Utbetalning översikt", "Förändring", "Kontroll")
POPULATION, SUMMARY = "Befolkning", "Sammanställning"
FIRST, RIKET = 4, 4 + len(NAMES)  # Excel's row numbers of the first län and RIKET in Befolkning and villkor
_SHEET_REF = re.compile(r"'((?:[^']|'')+)'!|([^\s'!=+*/():,$]+)!")
_CELL_REF = re.compile(r"\$?[A-Z]{1,3}\$?\d+")


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@dataclass
class Result:
    """A result workbook (our own output: trusted to be well-formed XML)."""

    sheets: dict[str, XSheet]
    order: list[str]
    raw: dict[str, bytes]

    def get(self, sheet: str, col: int, row: int) -> float | str | None:
        """The value at a column (from 0) and an Excel row number (from 1)."""
        found = self.sheets[sheet].at(row - 1, col)
        return None if found is None else found.value

    def num(self, sheet: str, col: int, row: int) -> float:
        value = self.get(sheet, col, row)
        assert isinstance(value, float), f"{sheet}!{column_letter(col)}{row} is {value!r}, not a number"
        assert math.isfinite(value), f"{sheet}!{column_letter(col)}{row} is {value!r}"
        return value

    def strings(self) -> set[str]:
        return {
            c.value
            for s in self.sheets.values()
            for c in s.cells.values()
            if c.kind == "s" and c.formula is None and isinstance(c.value, str)
        }


def read_result(data: bytes) -> Result:
    sheets = read_xlsx(data)
    return Result({s.name: s for s in sheets}, [s.name for s in sheets], unzip(data))


@dataclass(frozen=True)
class VillkorFigures:
    name: str
    pots: tuple[float, ...]
    bodies: tuple[tuple[str, float], ...]  # (folded name, amount) in the sheet's order
    regions: tuple[float, ...]  # each län's total


@dataclass(frozen=True)
class Figures:
    """What a result says, in a form to compare across runs."""

    persons: tuple[int, ...]
    villkor: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]  # (pots, national sums), sorted
    bodies: tuple[tuple[str, ...], ...]  # the national bodies' names (folded), sorted
    lan_totals: tuple[float, ...]
    grand_total: float


@dataclass(frozen=True)
class Checked:
    figures: Figures
    result: Result
    totals: dict[str, float]  # villkor sheet -> its column of the Sammanställning's grand SUMMA
    villkor: tuple[VillkorFigures, ...]


def check_formula(formula: str, sheets: list[str]) -> None:
    """Only the writer's own formulas: cell references (possibly to our sheets), SUM, ROUND to six
    decimals, + - * / and :"""

    def sheet_ref(found: re.Match[str]) -> str:
        name = found.group(1).replace("''", "'") if found.group(1) is not None else found.group(2)
        assert name in sheets, f"formula {formula!r} refers to sheet {name!r}"
        return ""

    rest = _CELL_REF.sub("", _SHEET_REF.sub(sheet_ref, formula)).replace("SUM(", "(")
    rest = rest.replace("ROUND(", "(").replace(",6)", ")")
    assert set(rest) <= set("+-*/():"), f"formula {formula!r} is not one of the writer's"


def check_result(data: bytes, values_only: bool) -> Checked:
    """The result's figures are consistent with each other; nothing in it would run."""
    result = read_result(data)
    _check_structure(result, values_only)
    persons, shares = _check_population(result)
    villkor = tuple(_check_villkor(result, name, shares) for name in result.order[1 : _summary_at(result)])
    lan_totals, totals, grand = _check_summary(result, villkor)
    figures = Figures(
        tuple(int(p) for p in persons),
        tuple(sorted((v.pots, tuple(sorted(a for _, a in v.bodies))) for v in villkor)),
        tuple(sorted(tuple(sorted(name for name, _ in v.bodies)) for v in villkor)),
        tuple(lan_totals),
        grand,
    )
    return Checked(figures, result, totals, villkor)


def _summary_at(result: Result) -> int:
    return result.order.index(SUMMARY)


def _check_structure(result: Result, values_only: bool) -> None:
    order = result.order
    assert order[0] == POPULATION and SUMMARY in order, order
    assert all(name in EXTRA_RESULT_SHEETS for name in order[_summary_at(result) + 1 :]), order
    assert len({name.lower() for name in order}) == len(order), order
    assert all(0 < len(name) <= 31 for name in order), order
    for name, xml in result.raw.items():
        assert b"<hyperlink" not in xml and b"/hyperlink" not in xml, f"hyperlink in {name}"
    created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", result.raw.get("docProps/core.xml", b""))
    if created and not re.fullmatch(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created.group(1)):
        raise known("bug-reference-date-year-1.xlsx")  # "1-11-01T00:00:00Z": no reader opens it
    for sheet in result.sheets.values():
        for (r, c), x in sheet.cells.items():
            ref = f"{sheet.name}!{column_letter(c)}{r + 1}"
            if x.formula is not None:
                assert not values_only, f"{ref}: formula in a --values-only result"
                check_formula(x.formula, order)
            if x.kind == "n" or x.formula is not None:
                assert isinstance(x.value, float), f"{ref} = {x.value!r}"
                if not math.isfinite(x.value):
                    raise known("bug-pots-overflow.xlsx")


def _check_population(result: Result) -> tuple[list[float], list[float]]:
    """Befolkning: the 21 län in the seed's order, persons, share = persons / RIKET."""
    pop = POPULATION
    assert [result.get(pop, 0, r) for r in range(FIRST, RIKET)] == list(NAMES)
    assert result.get(pop, 0, RIKET) == "RIKET"
    persons = [result.num(pop, 1, r) for r in range(FIRST, RIKET)]
    assert all(p.is_integer() and p > 0 for p in persons), persons
    total = sum(persons)
    if total >= 2**63 and not close(result.num(pop, 1, RIKET), total):
        raise known("bug-persons-sum-wraps.xlsx")
    assert close(result.num(pop, 1, RIKET), total)
    shares = [p / total for p in persons]
    for r, share in zip(range(FIRST, RIKET), shares, strict=True):
        assert close(result.num(pop, 2, r), share), (r, result.num(pop, 2, r), share)
    return persons, shares


def _check_villkor(result: Result, name: str, shares: list[float]) -> VillkorFigures:
    """A villkor sheet: region cells = pot × share, Totalt, RIKET, national bodies, SUMMA."""
    headers = []
    col = 1
    while isinstance(result.get(name, col, 3), str):
        headers.append(result.get(name, col, 3))
        col += 1
    assert result.get(name, 0, 3) == "Län" and headers, (name, headers)
    pots_count = 1 if len(headers) == 1 else len(headers) - 1
    if len(headers) > 1:
        assert headers[-1] == "Totalt", headers
    total_col = 1 if pots_count == 1 else pots_count + 1
    pots = [result.num(name, 1 + p, RIKET) for p in range(pots_count)]
    assert all(p >= 0 for p in pots), pots
    regions = []
    for r, share in zip(range(FIRST, RIKET), shares, strict=True):
        assert result.get(name, 0, r) == NAMES[r - FIRST]
        parts = [result.num(name, 1 + p, r) for p in range(pots_count)]
        for part, pot in zip(parts, pots, strict=True):
            assert close(part, pot * share), (name, r, part, pot * share)
        regions.append(result.num(name, total_col, r))
        assert close(regions[-1], sum(parts))
    pot_total = result.num(name, total_col, RIKET)
    assert close(pot_total, sum(pots))
    bodies, summa = _bodies(result, name, total_col)
    assert all(amount >= 0 for _, amount in bodies), bodies
    if bodies:
        assert summa is not None, (name, bodies)
        assert close(result.num(name, total_col, summa), pot_total + sum(a for _, a in bodies))
    return VillkorFigures(name, tuple(pots), tuple((fold(b), a) for b, a in bodies), tuple(regions))


def _bodies(result: Result, name: str, total_col: int) -> tuple[list[tuple[str, float]], int | None]:
    """The national bodies below RIKET (a name and an amount; notes may stand between them) and the
    SUMMA row after them."""
    bodies: list[tuple[str, float]] = []
    for r in sorted(r + 1 for r in result.sheets[name].rows() if r + 1 > RIKET):
        label, amount = result.get(name, 0, r), result.get(name, total_col, r)
        if label == "SUMMA":
            return bodies, r
        if isinstance(label, str) and isinstance(amount, float):
            bodies.append((label, result.num(name, total_col, r)))
    return bodies, None


def _check_summary(
    result: Result, villkor: tuple[VillkorFigures, ...]
) -> tuple[list[float], dict[str, float], float]:
    """Sammanställning: one column per villkor sheet, TOTALT, SUMMA; the bodies; the grand SUMMA."""
    s, header = SUMMARY, 4
    names = [v.name for v in villkor]
    labels = [result.get(s, c, header) for c in range(1, len(names) + 2)]
    assert labels == [*names, "TOTALT"], labels
    total_col = len(names) + 1
    lan_totals = []
    for i, lan in enumerate(NAMES):
        r = header + 1 + i
        assert result.get(s, 0, r) == lan
        row = [result.num(s, 1 + v, r) for v in range(len(names))]
        for v, value in enumerate(row):
            assert close(value, villkor[v].regions[i]), (lan, names[v])
        lan_totals.append(result.num(s, total_col, r))
        assert close(lan_totals[-1], sum(row))
    summa = header + 1 + len(NAMES)
    assert result.get(s, 0, summa) == "SUMMA"
    for v in range(len(names)):
        assert close(result.num(s, 1 + v, summa), sum(villkor[v].regions))
    r = summa + 1
    listed = [0.0] * len(names)  # the bodies' rows of each villkor column
    while isinstance(result.get(s, 0, r), str) and result.get(s, 0, r) != "SUMMA":
        body = fold(str(result.get(s, 0, r)))
        for v, item in enumerate(villkor):
            amount = dict(item.bodies).get(body)
            got = result.get(s, 1 + v, r)
            if amount is None:
                assert got is None, (body, names[v], got)
            else:
                assert isinstance(got, float) and close(got, amount), (body, names[v], got, amount)
                listed[v] += amount
        r += 1
    grand_row = r if any(v.bodies for v in villkor) else summa
    assert result.get(s, 0, grand_row) == "SUMMA"
    totals = {v.name: result.num(s, 1 + i, grand_row) for i, v in enumerate(villkor)}
    for in_rows, item in zip(listed, villkor, strict=True):
        own = sum(item.pots) + sum(a for _, a in item.bodies)
        assert close(totals[item.name], own) and close(totals[item.name], sum(item.pots) + in_rows), item.name
    grand = result.num(s, total_col, grand_row)
    assert close(grand, sum(sum(v.pots) + sum(a for _, a in v.bodies) for v in villkor)), grand
    return lan_totals, totals, grand
