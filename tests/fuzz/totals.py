"""The total oracle: what a workbook's own numbers say each villkor's total is.

It reads the input the program was given (with `xlsx.py`, not the program's reader) the way an officer
reads the sheet, under the rules of issue 9: arithmetic decides, labels confirm (`rules.py`). A
villkor's total is its pots (the RIKET row) plus its fixed sums to national bodies (the rows below
RIKET), not counting rows and columns that are totals. A converted result must show, for every
villkor, one of the totals the oracle allows, and a Sammanställning grand SUMMA that is their sum;
otherwise the run must have been refused.

Where the meaning is not certain, the oracle allows every reading it cannot rule out (and a refusal
is always allowed): a column equal to the pots to its left may be a pot or their total; a named row
whose amount equals the pots plus the fixed sums above it may be a fixed sum or a sum row. It never
allows "anything": every amount is counted, or shown by the arithmetic to be a total, or the
workbook must be refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from sjukmiljard.words.bodies import known as known_body
from sjukmiljard.words.regions import match as lan_of

from .rules import (
    EMPTY,
    Rule,
    Rules,
    classify,
    close_mkr,
    fold,
    is_riket,
    is_total_heading,
    is_total_label,
    label,
)
from .xlsx import XCell, XSheet

HEADER_ROWS = 40
RESERVED = frozenset(
    {
        "sammanställning",
        "anvisningar",
        "förändring",
        "utfall",
        "utbetalning",
        "utbetalning översikt",
        "kontroll",
    }
)


@dataclass(frozen=True)
class Expected:
    """What one sheet says about its villkor."""

    totals: tuple[float, ...]  # the totals a result may show; empty: the workbook must be refused
    required: bool  # the sheet must be a villkor of a converted result
    reading: str  # how the oracle read it, for the failure message
    # totals a result may show only where the agreement's total (Befolkning!B2) equals its grand
    # total: a row to a recipient no list knows read as a note, which only the agreement can settle
    settled: tuple[float, ...] = ()


@dataclass(frozen=True)
class Reading:
    sheets: dict[str, Expected | None]  # None: the sheet must not be a villkor of the result
    refuse: str | None = None  # a reason the whole workbook must be refused
    agreement: float | None = None  # Befolkning!B2, when it holds a number


def read_totals(sheets: list[XSheet], off: Rules = frozenset()) -> Reading:
    """What every sheet says; `off`: rules read as today's reader reads them."""
    titles = [s.name.lower() for s in sheets]
    if len(set(titles)) < len(titles):
        return Reading({}, "two sheets have one name to Excel")
    population = next((s for s in sheets if fold(s.name) == "befolkning"), None)
    agreement = None if population is None else classify(population.at(1, 1), off)
    agreed = agreement.number if agreement is not None and agreement.kind == "num" else None
    persons = None if population is None else _riket_figure(population, off)
    return Reading({s.name: _expect(s, off, persons) for s in sheets}, agreement=agreed)


def _riket_figure(sheet: XSheet, off: Rules) -> float | None:
    """The first amount on the sheet's RIKET row (Befolkning's persons in all)."""
    anchor = _riket_with_amount(sheet, off)
    if anchor is None:
        return None
    r, at = anchor
    return next(
        (cell.number for c, x in sheet.row(r) if c > at and (cell := classify(x, off)).kind == "num"), None
    )


def _a_copy_of_the_population(sheet: XSheet, off: Rules, persons: float | None) -> bool:
    """A sheet titled as the population whose RIKET holds Befolkning's persons (a copy of Befolkning
    with its heading lost): the reader knows such a column by its figures, as persons."""
    title = label(sheet.at(0, 0)) or ""
    if persons is None or not any(word in fold(title) for word in ("befolkning", "folkmängd", "personer")):
        return False
    return _riket_figure(sheet, off) == persons


def _expect(sheet: XSheet, off: Rules, persons: float | None = None) -> Expected | None:
    title = fold(sheet.name)
    if title == "befolkning":
        return None
    first = sheet.at(0, 0)
    if title == "kontroll" and first is not None and str(first.value).startswith("Kontroll – "):
        return None  # our own receipt: it lists RIKET rows among the figures it read
    header = _header(sheet, off)
    if header is not None and any(fold(text) == "personer" for _, text in _labels(sheet, header[0])):
        return None  # a second population table
    if header is not None and _a_copy_of_the_population(sheet, off, persons):
        return None
    anchor = _riket_with_amount(sheet, off)
    required = header is not None and title not in RESERVED
    if Rule.NEVER_SKIPPED not in off:
        required = required or anchor is not None
    if not required:
        return None
    (totals, settled), reading = _totals(sheet, off, header, anchor)
    return Expected(totals, sheet.state == "visible", reading, settled)


def _labels(sheet: XSheet, r: int) -> list[tuple[int, str]]:
    return [(c, text) for c, x in sheet.row(r) if (text := label(x)) is not None]


def _header(sheet: XSheet, off: Rules) -> tuple[int, int] | None:
    """(row, Län column) of the first row with a `Län` heading (`Region`, `Län/region` too)."""
    words = {"län"} if Rule.NEVER_SKIPPED in off else {"län", "region", "regioner", "län/region"}
    for r in (r for r in sheet.rows() if r < HEADER_ROWS):
        for c, text in _labels(sheet, r):
            if fold(text).replace(" / ", "/") in words:
                return r, c
    return None


def _riket_with_amount(sheet: XSheet, off: Rules) -> tuple[int, int] | None:
    """(row, column) of the first RIKET label with an amount to its right."""
    for r in sheet.rows():
        row = sheet.row(r)
        at = next((c for c, x in row if is_riket(x)), None)
        if at is not None and any(classify(x, off).amount for c, x in row if c > at):
            return r, at
    return None


_Totals = tuple[tuple[float, ...], tuple[float, ...]]  # certain totals, totals the agreement settles


def _totals(
    sheet: XSheet, off: Rules, header: tuple[int, int] | None, anchor: tuple[int, int] | None
) -> tuple[_Totals, str]:
    if header is not None:
        lan_col = header[1]
        riket = _riket_row(sheet, off, header[0], lan_col)
    else:
        assert anchor is not None
        riket, lan_col = anchor
    if riket is None:
        return ((), ()), "no RIKET row below the header"
    above = None if header is None else _amount_above_riket(sheet, off, header[0], lan_col, riket)
    if above is not None:
        return ((), ()), f"an amount with a name on row {above + 1}, between the last län and RIKET"
    end = None if header is None else _table_end(sheet, header[0], lan_col, riket)
    readings = _pots(sheet, off, None if header is None else header[0], lan_col, riket, end)
    if not readings:
        return ((), ()), f"the RIKET row ({riket + 1}) has no reading whose pots and totals agree"
    totals: set[float] = set()
    settled: set[float] = set()
    why = ""
    for pots, aside in readings:
        (found, agreed), why = _below(sheet, off, riket, pots, end)
        totals |= set() if aside else found
        settled |= agreed | (found if aside else set())
    certain = [pots for pots, aside in readings if not aside] or [pots for pots, _ in readings]
    shown = " or ".join(" + ".join(f"{p:g}" for p in pots) or "none" for pots in certain)
    return (
        tuple(sorted(totals)),
        tuple(sorted(settled - totals)),
    ), f"RIKET on row {riket + 1}, pots {shown}{why}"


def _riket_row(sheet: XSheet, off: Rules, header: int, lan_col: int) -> int | None:
    """The RIKET row below the header; without one, a row labelled as a total right below a län (the
    pots' row an officer named `SUMMA` or `Totalt`)."""
    rows = [r for r in sheet.rows() if r > header]
    riket = next((r for r in rows if is_riket(sheet.at(r, lan_col))), None)
    if riket is not None:
        return riket
    previous: str | None = None
    for r in rows:
        name = label(sheet.at(r, lan_col))
        if name is None:
            continue
        if previous is not None and lan_of(previous) is not None and is_total_label(name, off):
            return r
        previous = name
    return None


def _amount_above_riket(sheet: XSheet, off: Rules, header: int, lan_col: int, riket: int) -> int | None:
    """The first row after the last län and above RIKET with a name and an amount."""
    if Rule.AMOUNT_ABOVE_RIKET in off:
        return None
    names = {r: text for r in sheet.rows() if header < r < riket and (text := label(sheet.at(r, lan_col)))}
    last = max((r for r, name in names.items() if lan_of(name)), default=header)
    for r in sorted(names):
        if r > last and any(classify(x, off).amount for c, x in sheet.row(r) if c > lan_col):
            return r
    return None


def _column(heading: str | None, off: Rules) -> str:
    """A column's kind by its heading: "pot", "total", "unheaded" or "ignored"."""
    if heading is None:
        return "ignored" if Rule.UNHEADED_POTS in off else "unheaded"
    if is_total_heading(heading, off):
        return "ignored" if Rule.TOTAL_COLUMNS in off else "total"
    return "pot"


def _table_end(sheet: XSheet, header: int, lan_col: int, riket: int) -> int | None:
    """The first column after a gap in the table's columns (from the header down to RIKET): what
    stands there is another table, listed as not used, never a pot or a fixed sum."""
    filled = sorted(
        {c for (r, c), x in sheet.cells.items() if header <= r <= riket and c > lan_col and not _blank(x)}
    )
    return next((c for previous, c in pairwise(filled) if c > previous + 1), None)


def _blank(x: XCell) -> bool:
    return x.value is None or (isinstance(x.value, str) and not x.value.strip())


def _in_table(c: int, end: int | None) -> bool:
    return end is None or c < end


def _pots(
    sheet: XSheet, off: Rules, header: int | None, lan_col: int, riket: int, end: int | None
) -> list[tuple[tuple[float, ...], bool]]:
    """Every reading of the RIKET row's pots, each with whether it set a pot column aside (which only
    the agreement's total can settle: an unheaded column, or any pot after the first); none: it
    cannot be read (the workbook must be refused)."""
    headings = {c: t for c, t in _labels(sheet, header) if c > lan_col} if header is not None else {}
    headings = {c: t for c, t in headings.items() if _in_table(c, end)}
    values = {c: classify(x, off) for c, x in sheet.row(riket) if c > lan_col and _in_table(c, end)}
    # (pots, totals to check, whether a pot column was set aside)
    readings: list[tuple[tuple[float, ...], tuple[float, ...], bool]] = [((), (), False)]
    for c in sorted(set(headings) | set(values)):
        kind, value = _column(headings.get(c), off), values.get(c, EMPTY)
        if kind == "ignored" or value.kind == "empty":
            continue
        if value.kind != "num":
            if kind == "pot" or (kind == "unheaded" and value.kind == "dotted"):
                return []
            continue  # a text, or an odd cell that may be one
        x, step = value.number, []
        for pots, checks, aside in readings:
            if kind == "total":
                step.append((pots, checks if close_mkr(x, sum(pots)) else (*checks, x), aside))
                continue
            step.append(((*pots, x), checks, aside))
            if Rule.TOTAL_COLUMNS not in off and pots and close_mkr(x, sum(pots)):
                step.append((pots, checks, aside))  # the sum of the pots to its left: maybe their total
            elif kind == "unheaded" or pots:
                step.append((pots, checks, True))  # a guessed pot the agreement's total may set aside
        readings = step
    found = [
        (pots, aside) for pots, checks, aside in readings if all(close_mkr(t, sum(pots)) for t in checks)
    ]
    return list(dict.fromkeys(found))


# (fixed sums so far, sum-row amounts to check at the end, whether a row was read as a note that only
# the agreement's total can settle)
_State = tuple[float, tuple[float, ...], bool]


def _below(
    sheet: XSheet, off: Rules, riket: int, pots: tuple[float, ...], end: int | None
) -> tuple[tuple[set[float], set[float]], str]:
    """The totals the rows below RIKET allow for these pots (the table's columns only): certain, and
    settled by the agreement's total; and why there are none."""
    states: set[_State] = {(0.0, (), False)}
    for r in (r for r in sheet.rows() if r > riket):
        cells = [
            cell for c, x in sheet.row(r) if _in_table(c, end) and (cell := classify(x, off)).kind != "empty"
        ]
        # An odd cell may be the row's name (a text), never an amount the oracle cannot read.
        if bad := next(
            (c for i, c in enumerate(cells) if c.kind == "dotted" or (c.kind == "odd" and i)), None
        ):
            return (set(), set()), f"; row {r + 1} holds {bad.text!r}, which is no amount"
        texts = [cell.text for cell in cells if cell.kind in ("text", "odd")]
        amounts = [cell.number for cell in cells if cell.kind == "num"]
        if amounts:
            name = texts[0] if texts else None
            states = {after for state in states for after in _step(state, name, amounts, pots, off)}
    pot_total = sum(pots)
    found = {
        (pot_total + b, note)
        for b, pending, note in states
        if all(close_mkr(x, pot_total + b) for x in pending)
    }
    totals = {t for t, note in found if not note}
    settled = {t for t, note in found if note}
    return (totals, settled), "" if found else "; a sum row below RIKET does not add up"


def _step(
    state: _State, name: str | None, amounts: list[float], pots: tuple[float, ...], off: Rules
) -> list[_State]:
    bodies, pending, note = state
    running = sum(pots) + bodies
    if name is None or len(amounts) > 1 or is_total_label(name, off):
        # A sum row: each amount adds up now (or repeats a pot), or must equal the final total.
        later = tuple(x for x in amounts if not any(close_mkr(x, y) for y in (running, sum(pots), *pots)))
        return [(bodies, pending + later, note)]
    amount = amounts[0]
    steps = [(bodies + amount, pending, note)]
    if close_mkr(amount, running):  # a named row that adds up: a fixed sum or a sum row
        steps.append(state)
    if known_body(name) is None:  # a recipient no list knows: the agreement's total may make it a note
        steps.append((bodies, pending, True))
    return steps


def verdict(reading: Reading, got: dict[str, float], grand: float) -> str | None:
    """Why a result with these villkor totals contradicts the reading; None when it does not."""
    if reading.refuse:
        return f"converted, but {reading.refuse}"
    for name, total in got.items():
        expected = reading.sheets.get(name)
        if expected is None:
            return f"{name!r} is a villkor of the result, but the input's sheet is none"
        agreed = reading.agreement is not None and abs(reading.agreement - grand) <= 1e-6 * max(1.0, grand)
        allowed_totals = (*expected.totals, *(expected.settled if agreed else ()))
        if not any(abs(total - t) <= 1e-9 * max(1.0, abs(t)) for t in allowed_totals):
            allowed = " or ".join(f"{t:g}" for t in allowed_totals) or "none: it must be refused"
            return f"{name!r} totals {total:g} Mkr; the sheet allows {allowed} ({expected.reading})"
    for name, expected in reading.sheets.items():
        if expected is not None and expected.required and name not in got:
            return f"{name!r} was left out of the result ({expected.reading})"
    if abs(grand - sum(got.values())) > 1e-9 * max(1.0, abs(grand)):
        return f"grand SUMMA {grand:g} is not the sum of the villkor totals, {sum(got.values()):g}"
    return None


class WrongTotal(AssertionError):
    """A converted result whose totals are not what its input says."""

    def __init__(self, message: str, rules: Rules | None) -> None:
        super().__init__(message)
        self.rules = rules  # the known rules that, read as today's reader reads them, explain it


def check_totals(
    sheets: list[XSheet], got: dict[str, float], grand: float, known: Iterable[Rule] = ()
) -> None:
    """Raise WrongTotal unless the result's totals are what the workbook says."""
    problem = verdict(read_totals(sheets), got, grand)
    if problem is not None:
        raise WrongTotal(f"wrong total: {problem}", _explain(sheets, got, grand, frozenset(known)))


def _explain(sheets: list[XSheet], got: dict[str, float], grand: float, known: Rules) -> Rules | None:
    """The fewest known rules that, read as today's reader reads them, make the result right."""
    if not known or verdict(read_totals(sheets, known), got, grand) is not None:
        return None
    off = set(known)
    for rule in sorted(known, key=lambda r: r.name):
        if verdict(read_totals(sheets, frozenset(off - {rule})), got, grand) is None:
            off.discard(rule)
    return frozenset(off)
