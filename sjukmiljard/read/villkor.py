"""Reading one villkor sheet: the RIKET row and its columns (pots, totals, breakdowns, shares); the
officer's own län figures; `read.below` reads what stands below RIKET.

Arithmetic decides what a number is and labels confirm it: a column whose RIKET amount is the sum of
the pots to its left is a total, a column headed "varav …" is part of the one before it, and a label
that claims a total must add up. A unit written in a heading, the title or a cell decides the scale.
Every numeric cell the sheet holds ends up in the sheet's ledger (see `accounting`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import Enum

from ..model import MKR_TOLERANCE, Note, Pot, Villkor
from ..words import bodies, regions
from ..words.swedish import (
    NotANumber,
    format_mkr,
    is_number,
    looks_dotted,
    looks_numeric,
    parse_number,
    show_number,
)
from ..words.vocabulary import DEFAULT_POT_LABEL, claims_total, is_total_label, names_a_pot
from .accounting import Entry, Ledger, Role
from .amounts import Money, Scale, Share, agrees_as_typed, cell_amount, implausible, scale_of
from .below import YEARS, BelowRiket
from .findings import Read, SheetCheck
from .grid import Grid, Header, cell_name, is_empty, text
from .units import (
    MKR,
    bare_multiplier,
    declared_unit,
    figure_of,
    is_breakdown,
    is_change_heading,
    is_persons_heading,
    is_prior_heading,
    is_share_heading,
    is_unit_only,
    mentions_amount,
    names_several_units,
    quantity,
    relabel,
    speaks_of_money,
    unit_in,
    unknown_multiplier,
    without_units,
    without_years,
    years_in,
)

# Headings that call a column the pots together ("Båda potterna", "Alla potter", "Ramen").
_COLLECTIVE = re.compile(
    r"\b(båda|bägge|alla|samtliga|tillsammans|hela|sammanlagd|ram(en)?|potterna|potter)\b"
)
# Words that call a pot one version of it ("Ursprunglig pott", "Reviderad pott", "Preliminär pott").
_VERSION = re.compile(
    r"\b(ursprungli\w*|reviderad\w*|preliminär\w*|slutli\w*|justerad\w*|korrigerad\w*|ändrad\w*|"
    r"uppdaterad\w*|omräknad\w*|tidigare|nuvarande|gammal|gamla|ny|nya|nytt|utkast|förslag|version|"
    r"v\d+|alt(ernativ)?\s*\d*)\b"
)
DISAGREEING_SHEET = 0.5  # more than this share of the officer's län figures off: another year's sheet?


@dataclass(frozen=True)
class Context:
    """What a villkor sheet is read against.

    Attributes:
        year: the agreement's year; a heading of an earlier year is not one of its pots.
        counts: persons per län from Befolkning, to check the officer's own län figures.
        counted: the year of the population's date: a persons heading of that year ("Befolkning
            1/11 2019") is the population, checked against it, not an earlier year's figures.
        pots: columns the agreement's total settled as pots whatever their headings say.
        not_pots: columns the agreement's total set aside: not pots, whatever their headings say.
        notes: rows below RIKET the agreement's total settled as notes: their amounts are not paid.
    """

    year: int | None = None
    counts: dict[str, int] | None = None
    counted: int | None = None
    pots: frozenset[int] = frozenset()
    not_pots: frozenset[int] = frozenset()
    notes: frozenset[int] = frozenset()

    def share(self, name: str) -> float | None:
        if not self.counts:
            return None
        return self.counts[name] / sum(self.counts.values())


@dataclass(frozen=True)
class SheetReading:
    """What a villkor sheet held: the villkor (None when refused or when the sheet holds no pot) and
    what became of each of its numbers."""

    villkor: Villkor | None
    entries: tuple[Entry, ...]
    helper: bool = False  # a sheet of shares or persons by län only: not a villkor


class Kind(Enum):
    MONEY = "pott"
    TOTAL = "totalkolumn"
    BREAKDOWN = "del av kolumnen före"
    SHARE = "andel"
    PERSONS = "personer"
    OTHER = "används inte"


@dataclass
class _Column:
    col: int
    label: str | None
    kind: Kind
    scale: Scale = field(default_factory=Scale)
    why: str = ""  # for OTHER: why the column is not read
    amount: float | None = None  # Mkr, for money columns
    parent: int | None = None  # for a breakdown: the column it is part of
    per: int = 1  # for persons: the persons one unit of the column stands for (1 000: in thousands)
    part_of: int | None = None  # for persons: the persons column it is a part of (män, kvinnor)
    doubt: tuple[str, str] | None = None  # a cell of the column and why its reading is not certain
    settled: bool = False  # the agreement's total settled it as a pot: no total by arithmetic


def read_villkor(grid: Grid, header: Header, context: Context | None = None) -> Read[SheetReading]:
    """The villkor on `grid`, with what was found on the sheet."""
    check = SheetCheck(grid)
    context = context or Context()
    ledger = Ledger(grid.title)
    title = _title(grid, header.row)
    riket_row = _riket_row(grid, header)
    if riket_row is None:
        if sum(regions.match(label) is not None for _, label in header.columns) >= _PIVOTED:
            check.problem(
                header.row, header.lan_col,
                "länen står som kolumner – vänd tabellen så att länen står under varandra i en kolumn med "
                "rubriken 'Län' (Klistra in special → Transponera)",
            )  # fmt: skip
            return check.read(SheetReading(None, ledger.entries))
        column = cell_name(0, header.lan_col).rstrip("1")
        check.problem(None, None, f"raden RIKET med potten saknas i kolumn {column}")
        return check.read(SheetReading(None, ledger.entries))
    lan_above = _check_above_riket(check, header, riket_row)
    sheet_scale = _declared_scale(check, riket_row, _sheet_scale(grid, header.row))
    columns = _columns(check, header, riket_row, context, sheet_scale)
    _check_declared_unit(check, header, columns, sheet_scale)
    pots, complete = _read_riket(check, ledger, riket_row, columns)
    if not pots and complete and not any(c.kind is Kind.TOTAL for c in columns):
        listed = [c for c in columns if c.why in (_CODE_WHY, _TEXT_ONLY)]
        if any(c.kind in (Kind.SHARE, Kind.PERSONS) for c in columns) or (listed and listed == columns):
            _check_lan_figures(check, ledger, header, riket_row, columns, context)
            return check.read(SheetReading(None, ledger.entries, helper=True))
        check.problem(header.row, header.lan_col, "rubrikraden har ingen potkolumn efter 'Län'")
        return check.read(SheetReading(None, ledger.entries))
    pot_total = sum(c.amount or 0.0 for c in pots) if complete else None
    _check_lan_figures(check, ledger, header, riket_row, columns, context)
    money = {c.col: c for c in columns if c.kind in _AMOUNTS}
    by_column = {c.col: c.amount or 0.0 for c in money.values() if c.kind is not Kind.BREAKDOWN}
    below = BelowRiket(
        check,
        riket_row,
        pot_total,
        by_column,
        skip_lan=not lan_above,
        ledger=ledger,
        scales={c.col: c.scale for c in money.values()},
        ignored=frozenset(c.col for c in columns if c.kind not in (Kind.MONEY, Kind.TOTAL)),
        sheet_scale=sheet_scale,
        lan_share=context.share,
        as_notes=context.notes,
    )
    below.read()
    if not complete:
        return check.read(SheetReading(None, ledger.entries))
    villkor = Villkor(
        grid.title,
        None if title is None else _in_mkr(title, sheet_scale),
        tuple(Pot(_pot_label(c), c.amount or 0.0) for c in pots),
        tuple(Note(_in_mkr(n.text, sheet_scale)) if isinstance(n, Note) else n for n in below.lines),
    )
    return check.read(SheetReading(villkor, ledger.entries))


def _in_mkr(words: str, sheet: Scale) -> str:
    """The title or note that declared the sheet's unit, as the result (in Mkr) shows it."""
    if sheet.unit is MKR or words.strip() != sheet.where:
        return words
    return f"{words} (i indata – här omräknat till Mkr)"


def _pot_label(column: _Column) -> str:
    if column.label is None:
        return DEFAULT_POT_LABEL
    return relabel(column.label, column.scale.unit)


def _title(grid: Grid, header_row: int) -> str | None:
    for r in range(header_row):
        for _, value in grid.cells(r):
            if isinstance(value, str):
                return value.strip()
    return None


def _sheet_scale(grid: Grid, header_row: int) -> Scale:
    """The unit the rows above the header name ("Belopp i tkr", "belopp i tusental"), if exactly
    one, else the sheet's name ("Villkor 5 (tkr)"); a sentence that names an amount in a unit ("högst
    500 tkr per samordnare") declares nothing."""
    for r in (r for r in grid.row_numbers if r < header_row):
        for _, value in grid.cells(r):
            if not isinstance(value, str) or mentions_amount(value):
                continue
            if (unit := unit_in(value)) is not None:
                return Scale(unit, True, value.strip())
            if speaks_of_money(value) and (bare := bare_multiplier(value)) is not None:
                return Scale(bare[0], True, value.strip())
    if (unit := unit_in(grid.title)) is not None and not mentions_amount(grid.title):
        return Scale(unit, True, f"bladnamnet {grid.title}")
    return Scale()


def _declared_scale(check: SheetCheck, riket_row: int, above: Scale) -> Scale:
    """The unit a note below RIKET declares for the sheet ("Beloppen anges i tkr"): it covers every
    heading without a unit of its own; it may not contradict the title's."""
    grid = check.grid
    for r in grid.rows_after(riket_row):
        for c, value in grid.cells(r):
            if not isinstance(value, str) or (unit := declared_unit(value)) is None:
                continue
            note = value.strip()
            if above.written and above.unit is not unit:
                check.problem(
                    r, c,
                    f"'{note}' säger {unit.name} men '{above.where}' säger {above.unit.name} – "
                    "skriv en och samma enhet",
                )  # fmt: skip
                return above
            if not above.written and unit is not MKR:
                check.notice(r, c, f"'{note}': belopp utan egen enhet på bladet läses i {unit.name}")
            return Scale(unit, True, note)
    return above


def _check_declared_unit(check: SheetCheck, header: Header, columns: list[_Column], sheet: Scale) -> None:
    """A heading that names another unit than the sheet's note or title declares: which one is meant
    cannot be told."""
    if not sheet.written:
        return
    for column in columns:
        unit = unit_in(column.label) if column.label else None
        if unit is not None and unit is not sheet.unit and column.kind is not Kind.OTHER:
            check.problem(
                header.row, column.col,
                f"rubriken '{column.label}' säger {unit.name} men '{sheet.where}' säger {sheet.unit.name} – "
                "skriv en och samma enhet",
            )  # fmt: skip


def _label(grid: Grid, row: int, col: int) -> str | None:
    value = grid.get(row, col)
    if is_empty(value) or (row, col) in grid.errors:
        return None
    return text(value)


def _riket_row(grid: Grid, header: Header) -> int | None:
    """The RIKET row; a row labelled as a total right below the län stands in for a missing one."""
    rows = grid.rows_after(header.row)
    labels = [(r, _label(grid, r, header.lan_col)) for r in rows]
    for r, label in labels:
        if label is not None and regions.is_riket(label):
            return r
    seen_lan = False
    for r, label in labels:
        if label is None:
            continue
        if regions.match(label) is not None:
            seen_lan = True
        elif seen_lan and is_total_label(label):
            return r
        else:
            seen_lan = False
    return None


def _check_above_riket(check: SheetCheck, header: Header, riket_row: int) -> bool:
    """Refuse named amounts between the header and RIKET; True when län rows stand above RIKET."""
    grid = check.grid
    lan_above = False
    for r in grid.rows_between(header.row, riket_row):
        label = _label(grid, r, header.lan_col)
        if label is None:
            continue
        if regions.match(label) is not None:
            lan_above = True
            continue
        for c, value in grid.cells(r):
            if c > header.lan_col and (is_number(value) or looks_dotted(value)):
                check.problem(
                    r,
                    c,
                    f"'{label}' har ett belopp ovanför raden RIKET – fasta belopp skrivs under RIKET, "
                    "länens belopp räknas fram",
                )
                break
    return lan_above


def _columns(
    check: SheetCheck, header: Header, riket_row: int, context: Context, sheet: Scale
) -> list[_Column]:
    """Every column right of Län with a heading or a figure down to RIKET, by what its heading says.

    The table ends at its first empty column: what stands beyond it is another table.
    """
    grid = check.grid
    labels = {**dict(header.columns), **_units_below(grid, header)}
    band = [r for r in grid.row_numbers if header.row <= r <= riket_row]
    filled = sorted(set(labels) | {c for r in band for c, _ in grid.cells(r) if c > header.lan_col})
    columns: list[_Column] = []
    previous: int | None = None
    beyond = False
    for col in filled:
        if previous is not None and col > previous + 1:
            beyond = True
        previous = col
        label = labels.get(col)
        if label is not None and names_several_units(label):
            check.problem(
                header.row, col, f"rubriken '{label}' nämner flera enheter – skriv en (Mkr, tkr eller kr)"
            )
        elif label is not None and (unknown := unknown_multiplier(label)) is not None:
            check.problem(
                header.row, col,
                f"rubriken '{label}' anger enheten '{unknown}', som programmet inte kan läsa säkert – skriv "
                "Mkr, tkr eller kr",
            )  # fmt: skip
        scale = scale_of(label, sheet)
        kind, why = _kind(grid, col, label, context)
        if label is not None and kind in _AMOUNTS and (bare := bare_multiplier(label)) is not None:
            if speaks_of_money(label):
                scale = Scale(bare[0], True, label)
            else:
                check.problem(
                    header.row, col,
                    f"rubriken '{label}' anger '{bare[1]}' men ingen valuta – skriv enheten, t.ex. 'tkr' "
                    "eller 'Mkr'",
                )  # fmt: skip
        if beyond:
            kind, why = Kind.OTHER, "står efter en tom kolumn, utanför tabellen"
        elif kind is not Kind.OTHER and (mark := grid.mark(header.row, col) or grid.mark(riket_row, col)):
            kind, why = Kind.OTHER, mark
        elif kind is Kind.MONEY and col not in context.pots and _text_only(grid, band, header, col, label):
            kind, why = Kind.OTHER, _TEXT_ONLY
            named = f"'{label}'" if label else "utan rubrik"
            check.notice(header.row, col, f"kolumnen {named} har bara text och följer inte med i resultatet")
        elif label is not None and (body := _body_column(label, kind)) is not None:
            check.problem(
                header.row, col,
                f"kolumnen '{label}' gäller {body} – ett fast belopp till {body} skrivs som en egen rad "
                f"under RIKET ({body} | belopp) och ingår inte i länens pott; skriv potten utan det",
            )  # fmt: skip
        columns.append(_Column(col, label, kind, scale, why, settled=col in context.pots))
    _population_columns(check, header, riket_row, columns, context)
    _sub_pots(columns)
    return columns


def _units_below(grid: Grid, header: Header) -> dict[int, str]:
    """The headings with the units a row of units only right below the header gives them
    ("Medel" over "(tkr)" is "Medel (tkr)")."""
    rows = grid.rows_after(header.row)
    if not rows or rows[0] != header.row + 1 or not is_empty(grid.get(rows[0], header.lan_col)):
        return {}
    cells = [(c, v) for c, v in grid.cells(rows[0]) if c > header.lan_col]
    if not cells or not all(isinstance(v, str) and is_unit_only(v) for _, v in cells):
        return {}
    labels = dict(header.columns)
    return {c: f"{labels[c]} {text(v)}" if c in labels else text(v) for c, v in cells}


# A rate per inhabitant ("Sjukfall per 1000 inv.", "Kr per invånare", "per capita"): no pot.
_RATE = re.compile(
    r"((?<![\wåäö])per|/)\s*(\d[\d\s]*\s*)?(inv\.?|invånare|capita|person|personer|befolkning|"
    r"inhabitants?|1\s?000|100\s?000)(?![\wåäö])"
)
_RATE_WHY = "visar ett tal per invånare, inget belopp att fördela"
_PIVOTED = 11  # more than half the län as headings beside 'Län': the table is turned
_AMOUNTS = (Kind.MONEY, Kind.TOTAL, Kind.BREAKDOWN)
# A heading of codes says nothing else: "Länskod", "Kod", "Nr", "Län nr", "Länsnummer", "SCB-kod", "ID"
# (not "Pott nr 2", whose words name a pot).
_CODE_WORDS = frozenset(
    {"kod", "koder", "code", "codes", "nr", "nummer", "id", "län", "läns", "kommun", "scb"}
)
_CODE_WHY = "visar koder, inga belopp"


def _is_code_heading(label: str) -> bool:
    words = re.findall(r"[^\W\d_]+", regions.fold(label))
    return bool(words) and all(
        w in _CODE_WORDS or w.endswith(("kod", "koder", "nummer", "nr")) for w in words
    )


_TEXT_ONLY = "har bara text"


def _text_only(grid: Grid, band: list[int], header: Header, col: int, label: str | None) -> bool:
    """A column of comments ('Kommentar', 'Beslut'): text in its cells down to RIKET and no number
    anywhere, under a heading that does not speak of money. A pot column with text on RIKET stays a
    pot, whose missing amount is refused."""
    if any((r, col) in grid.errors for r in band):
        return False
    values = [grid.get(r, col) for r in band if r > header.row]
    filled = [v for v in values if not is_empty(v)]
    if filled and all(isinstance(v, dt.date) and v.year in YEARS for v in filled):
        # dates ('Utbetalas senast' 2021-01-27) are no amounts under any heading; a date before 1990
        # is a number shown as a date (140 as 1900-05-19), refused as no number
        return True
    if label is not None and (unit_in(label) is not None or _MONEY_WORD.search(regions.fold(label))):
        return False
    return bool(filled) and all(
        isinstance(v, str) and not looks_numeric(v) and quantity(v) is None and not is_number(v)
        for v in filled
    )


_SUB_POT = re.compile(r"^\W*del(?:pott\w*|belopp\w*)")  # "Delpott A – behandling", "Delbelopp 1"


def _sub_pots(columns: list[_Column]) -> None:
    """Sub-pots before any pot ("Delpott A | Delpott B"): the villkor's pots, not parts of a column."""
    first = next((c for c in columns if c.kind in _AMOUNTS), None)
    if (
        first is None
        or first.kind is not Kind.BREAKDOWN
        or not _SUB_POT.match(regions.fold(first.label or ""))
    ):
        return
    for column in columns:
        if column.kind is Kind.BREAKDOWN and _SUB_POT.match(regions.fold(column.label or "")):
            column.kind = Kind.MONEY


_PER = (1, 1000)  # SCB's tables give the population in persons or in thousands


def _population_columns(
    check: SheetCheck, header: Header, riket_row: int, columns: list[_Column], context: Context
) -> None:
    """Columns whose 21 län figures are Befolkning's persons, at the precision shown, in persons or in
    thousands (a raw SCB table pasted as a sheet): persons, not money, whatever their heading says;
    the columns right before one that add up to it on every län row (män, kvinnor) are its parts.

    A pot can hold such figures only if it is the population itself in Mkr or kronor, so the reading
    is certain when its heading speaks of persons or names the population's year, or the title speaks
    of the population and the heading not of money; otherwise it is a doubt the agreement total
    settles."""
    grid = check.grid
    if not context.counts:
        return
    rows = _lan_rows(grid, header, riket_row)
    if rows is None:
        return
    title = _title(grid, header.row) or ""
    for i, column in enumerate(columns):
        if column.col in context.pots or (
            column.kind in (Kind.OTHER, Kind.SHARE) and column.why != _PRIOR_WHY
        ):
            continue
        if column.label is not None and unit_in(column.label) is not None:
            continue
        figures = _figures(grid, rows, column.col)
        per = _population_per(figures, context.counts) if figures is not None else None
        years = set(years_in(column.label or ""))
        label = column.label or ""
        if per is None and figures is not None and years and years != {context.counted}:
            # Another date's population under a heading that says so ("2018", "Folkmängd 2018"):
            # within a few per cent of Befolkning on every län, persons, never a pot's money.
            bare = not re.search(r"\d", without_years(label))
            named = (is_persons_heading(label) or bare) and not _MONEY_WORD.search(regions.fold(label))
            if named and (per := _population_per(figures, context.counts, near=ANOTHER_DATE)) is not None:
                column.kind, column.per, column.why = Kind.PERSONS, per, ""
                continue
        if per is None or figures is None:
            continue
        column.kind, column.per, column.why = Kind.PERSONS, per, ""
        if years and years != {context.counted}:
            # "Personer 2018" holding Befolkning's figures: either the heading or Befolkning is wrong
            _doubt_population(grid, riket_row, column, rows, f" men rubriken nämner {_years(years)}")
        elif not (
            is_persons_heading(column.label or "")
            or years == {context.counted}
            or (is_persons_heading(title) and not _MONEY_WORD.search(regions.fold(column.label or "")))
        ):
            _doubt_population(grid, riket_row, column, rows, " och läses som personer, inte som en pott")
        _population_parts(grid, rows, columns[:i], column, figures)


_PRIOR_WHY = "gäller ett annat år än överenskommelsens"
# Heading words of money: under a title about the population ("Folkmängd efter kön") a column
# "Belopp" holding the population's figures is still a doubt.
_MONEY_WORD = re.compile(r"belopp|pott?\b|medel|ersättning|bidrag|fördelning|tilldelning|utbetal|kronor")


def _lan_rows(grid: Grid, header: Header, riket_row: int) -> dict[str, int] | None:
    """The row of each of the 21 län: above RIKET, or below it when RIKET heads the table."""
    found: dict[str, int] = {}
    above = grid.rows_between(header.row, riket_row)
    for r in above or grid.rows_after(riket_row):
        lan = regions.match(_label(grid, r, header.lan_col) or "")
        if lan is None:
            if found and not above:
                break
            continue
        if lan in found:
            return None
        found[lan] = r
    return found if len(found) == len(regions.NAMES) else None


def _figures(grid: Grid, rows: dict[str, int], col: int) -> dict[str, float] | None:
    figures: dict[str, float] = {}
    for lan, r in rows.items():
        look = grid.looks.get((r, col))
        if (r, col) in grid.errors or (look is not None and (look.percent or look.scale)):
            return None
        try:
            figures[lan] = parse_number(grid.get(r, col))
        except NotANumber:
            return None
    return figures


ANOTHER_DATE = 0.03  # a year moves a län's population by about 1 %, a few at most


def _population_per(figures: dict[str, float], counts: dict[str, int], *, near: float = 0.0) -> int | None:
    """The persons per unit (1, or 1 000 in thousands) at which every län's figure is its count, at
    the precision shown, or (`near`) within that share of it."""

    def agrees(figure: float, expected: float) -> bool:
        return abs(figure - expected) <= near * expected if near else agrees_as_typed(figure, expected)

    return next(
        (per for per in _PER if all(agrees(figures[lan], n / per) for lan, n in counts.items())), None
    )


def _doubt_population(grid: Grid, riket_row: int, column: _Column, rows: dict[str, int], but: str) -> None:
    filled = not is_empty(grid.get(riket_row, column.col))
    where = cell_name(riket_row if filled else min(rows.values()), column.col)
    unit = " i tusental" if column.per == 1000 else ""
    column.doubt = (where, f"kolumnen {_heading(column)} har länens folkmängd enligt Befolkning{unit}{but}")


def _years(years: set[int]) -> str:
    return " och ".join(str(y) for y in sorted(years))


def _population_parts(
    grid: Grid, rows: dict[str, int], left: list[_Column], whole: _Column, figures: dict[str, float]
) -> None:
    """The shortest run of two or more columns right before `whole` that adds up to it on every län
    row: the population's parts (by sex, by age)."""
    run: list[_Column] = []
    sums = dict.fromkeys(figures, 0.0)
    for column in reversed(left):
        if column.kind is not Kind.MONEY or (column.label is not None and unit_in(column.label)):
            return
        part = _figures(grid, rows, column.col)
        if part is None:
            return
        run.append(column)
        for lan in sums:
            sums[lan] += part[lan]
        if len(run) >= 2 and all(
            abs(sums[lan] - figures[lan]) <= 1e-6 * max(1.0, figures[lan]) for lan in sums
        ):
            for p in run:
                p.kind, p.per, p.part_of = Kind.PERSONS, whole.per, whole.col
            return


def _body_column(label: str, kind: Kind) -> str | None:
    """The national body a pot or part column is for ("SKR, Mkr", "Varav till SKR"): its money is a
    fixed sum to that body, which the län's pot must not include."""
    if kind is Kind.BREAKDOWN:
        return bodies.mentioned(label)
    if kind is Kind.MONEY:
        return bodies.known(without_units(label))
    return None


def _kind(grid: Grid, col: int, label: str | None, context: Context) -> tuple[Kind, str]:
    if grid.col_hidden(col):
        return Kind.OTHER, "är dold"
    if col in context.pots:
        return Kind.MONEY, ""
    if col in context.not_pots:
        return Kind.OTHER, "räknas inte som pott: överenskommelsens totalbelopp stämmer utan den"
    if label is None:
        return Kind.MONEY, ""
    if is_breakdown(label):
        return Kind.BREAKDOWN, ""
    if is_total_label(label):
        return Kind.TOTAL, ""
    if is_change_heading(label):
        return Kind.OTHER, "visar en förändring, inte en pott"
    if _RATE.search(regions.fold(label)):
        return Kind.OTHER, _RATE_WHY
    if _is_code_heading(label):
        return Kind.OTHER, _CODE_WHY
    if (
        unit_in(label) is None
        and is_persons_heading(label)
        and context.counted is not None
        and set(years_in(label)) == {context.counted}
    ):
        return Kind.PERSONS, ""  # checked against Befolkning with the other persons columns
    if is_prior_heading(label, context.year, later=True):
        return Kind.OTHER, _PRIOR_WHY
    if unit_in(label) is None and is_share_heading(label):
        return Kind.SHARE, ""
    if unit_in(label) is None and is_persons_heading(label):
        return Kind.PERSONS, ""
    return Kind.MONEY, ""


def _heading(column: _Column) -> str:
    return f"'{column.label}'" if column.label else "utan rubrik"


def _read_riket(
    check: SheetCheck, ledger: Ledger, riket_row: int, columns: list[_Column]
) -> tuple[list[_Column], bool]:
    """The pots, totals and breakdowns on the RIKET row; False when an amount is unusable."""
    grid = check.grid
    pots: list[_Column] = []
    running = 0.0  # the pots' amounts added up as they come
    complete = True
    last_money: _Column | None = None
    for column in columns:
        col, label = column.col, column.label
        where = cell_name(riket_row, col)
        if column.kind is Kind.OTHER:
            continue
        if column.kind in (Kind.SHARE, Kind.PERSONS):
            continue  # checked with the län figures
        value = grid.get(riket_row, col)
        if check.error_value(riket_row, col):
            complete = False
            continue
        if column.kind is not Kind.MONEY and is_empty(value):
            continue
        if is_empty(value):
            check.used(riket_row, col, None)
            what = f"potten '{label}' i raden RIKET" if label else "beloppet i raden RIKET"
            check.problem(riket_row, col, f"{what} saknas")
            complete = False
            continue
        amount = cell_amount(grid, riket_row, col, column.scale)
        if amount is None:
            check.number(riket_row, col, "beloppet i raden RIKET")  # the message for text that is no number
            complete = False
            continue
        if isinstance(amount, Share):
            column.kind = Kind.SHARE
            continue
        column.amount = amount.mkr
        if column.kind is Kind.MONEY:  # totals and parts are checks: a placeholder there is moot
            check.used(riket_row, col, amount.value)
        if column.kind is Kind.TOTAL:
            last_money = column
            continue  # checked against the pots below
        if column.kind is Kind.BREAKDOWN:
            if last_money is None:
                check.problem(
                    riket_row, col,
                    f"delkolumnen {_heading(column)} står inte efter någon pott – skriv potten före den, "
                    "eller en rubrik som inte börjar med 'varav'",
                )  # fmt: skip
                complete = False
            else:
                column.parent = last_money.col
            continue
        if (reason := implausible(amount, f"potten {_heading(column)}")) is not None:
            check.problem(riket_row, col, reason)
            complete = False
            continue
        if amount.mkr < 0:
            check.problem(riket_row, col, f"potten kan inte vara negativ ({format_mkr(amount.mkr)})")
            complete = False
            continue
        # The pots to the left are summed with sum() (whose rounding differs between Python versions)
        # only for a column near their running total: summing them for every column was quadratic
        # (16 383 pot columns took 10 s). No pot is negative, so the two differ by far less than 1e-9
        # of the total, and the same columns are compared with the same sum as before.
        near = abs(amount.mkr - running) <= MKR_TOLERANCE + 1e-9 * running
        if pots and amount.mkr > 0 and near and not column.settled:
            left = sum(p.amount or 0.0 for p in pots)
            if abs(amount.mkr - left) <= MKR_TOLERANCE and _is_total_by_arithmetic(
                check, ledger, riket_row, column, amount, left
            ):
                last_money = column
                continue
        guess = amount.doubt
        if label is None:
            guess = (
                f"kolumnen saknar rubrik men har {format_mkr(amount.mkr)} Mkr i raden RIKET ({where}) "
                "och räknas som en pott"
            )
            check.notice(riket_row, col, guess)
            column.label = pots[-1].label if pots else None
        elif guess is not None:
            check.notice(riket_row, col, guess)
        _note_unit(check, riket_row, col, amount, label)
        ledger.used(
            where, f"RIKET · {label or 'utan rubrik'}", amount.value, amount.unit.name, "pott",
            mkr=amount.mkr, guess=guess, drop_col=None if guess is None else col,
        )  # fmt: skip
        pots.append(column)
        running += amount.mkr
        last_money = column
    if complete:
        pots = _total_of_the_right(check, ledger, riket_row, pots)
        _check_totals_and_parts(check, ledger, riket_row, columns, pots)
        _doubt_unnamed_pots(check, ledger, riket_row, columns, pots)
    return pots, complete


def _doubt_unnamed_pots(
    check: SheetCheck, ledger: Ledger, riket_row: int, columns: list[_Column], pots: list[_Column]
) -> None:
    """A pot whose heading does not say it is one ("Beslut 2020-01-15, Mkr", "Kontakter") beside
    another is a guess, unless a total column on the row confirms the pots' sum: the first money
    column is the pot by the layout (unless only a later heading names a pot), any other might be a
    part, a decision or a copy of it."""
    pot_total = sum(p.amount or 0.0 for p in pots)
    confirmed = any(
        c.kind is Kind.TOTAL and c.amount is not None and abs(c.amount - pot_total) <= MKR_TOLERANCE
        for c in columns
    )
    if confirmed:
        return
    # The published layout (Villkor 3: "Pot belopp, Mkr" twice and "Totalt") has a total column, even
    # one left empty or off (its mismatch is reported): only without one are two pots versions.
    versions = len(pots) > 1 and not any(c.kind is Kind.TOTAL for c in columns)
    headings = Counter(regions.fold(p.label) for p in pots if p.label is not None)
    # The first money column is the pot by the layout, unless a later one's heading names a pot and
    # its own does not ("Förgående år, Mkr | Pot belopp, Mkr"): then it is the guess.
    named_later = any(p.label is not None and names_a_pot(p.label) for p in pots[1:])
    for i, column in enumerate(pots):
        where = cell_name(riket_row, column.col)
        entry = ledger.get(where)
        label = column.label
        if not column.amount or entry is None or entry.guess is not None or label is None:
            continue
        folded = regions.fold(label)
        if versions and (_VERSION.search(folded) or (i > 0 and headings[folded] > 1)):
            # "Ursprunglig pott | Reviderad pott", or the same heading twice with no total column: a
            # pot and its other version, or two pots? Only the agreement total can tell.
            guess = (
                f"kolumnen '{label}' ({format_mkr(column.amount)} Mkr i raden RIKET) kan vara en annan "
                "version av en pott på bladet men räknas som en egen pott; ingen totalkolumn bekräftar det"
            )
        elif names_a_pot(label) or _COLLECTIVE.search(folded) or (i == 0 and not named_later):
            continue
        else:
            guess = (
                f"kolumnen '{label}' ({format_mkr(column.amount)} Mkr i raden RIKET) räknas som en "
                "egen pott, men rubriken säger inte att den är en pott och ingen totalkolumn bekräftar det"
            )
        check.notice(riket_row, column.col, guess)
        ledger.doubt(where, guess, drop_col=column.col)


def _is_total_by_arithmetic(
    check: SheetCheck, ledger: Ledger, riket_row: int, column: _Column, amount: Money, left: float
) -> bool:
    """A column equal to the pots to its left: their total, unless its heading names a single pot."""
    label, col = column.label, column.col
    where = cell_name(riket_row, col)
    # "Båda potterna", or a heading that claims a sum ("Summa villkor 3, Mkr") the arithmetic bears out
    collective = label is not None and bool(_COLLECTIVE.search(regions.fold(label)) or claims_total(label))
    if label is not None and names_a_pot(label) and not collective:
        guess = (
            f"potten '{label}' ({format_mkr(amount.mkr)} Mkr) är lika stor som potterna till vänster "
            "tillsammans och räknas som en egen pott – är den en summa, skriv rubriken 'Totalt'"
        )
        check.notice(riket_row, col, guess)
        ledger.used(
            where, f"RIKET · {label}", amount.value, amount.unit.name, "pott", mkr=amount.mkr, guess=guess
        )
        return False
    named = _heading(column)
    message = (
        f"kolumnen {named} har {format_mkr(amount.mkr)} Mkr, summan av potterna till vänster, "
        "och räknas som totalkolumn (den fördelas inte)"
    )
    check.notice(riket_row, col, message)
    column.kind = Kind.TOTAL
    ledger.verified(
        where, f"RIKET · {label or 'utan rubrik'}", amount.value, amount.unit.name,
        "totalkolumn: summan av potterna", expected=left, agrees=True, mkr=amount.mkr,
        guess=None if collective else message, pot_col=None if collective else col,
    )  # fmt: skip
    return True


def _total_of_the_right(
    check: SheetCheck, ledger: Ledger, riket_row: int, pots: list[_Column]
) -> list[_Column]:
    """A first pot equal to the two or more pots to its right ("Ram 550 | Behandling 500 | Kontakter
    50"): their total, certain when its heading calls it so ("Ram", "Båda potterna"), else a guess."""
    if len(pots) < 3:
        return pots
    first, rest = pots[0], pots[1:]
    whole, parts = first.amount or 0.0, sum(p.amount or 0.0 for p in rest)
    if whole <= 0 or abs(whole - parts) > MKR_TOLERANCE:
        return pots
    where = cell_name(riket_row, first.col)
    collective = first.label is not None and bool(_COLLECTIVE.search(regions.fold(first.label)))
    message = (
        f"kolumnen {_heading(first)} har {format_mkr(whole)} Mkr, summan av potterna till höger, "
        "och räknas som totalkolumn (den fördelas inte)"
    )
    check.notice(riket_row, first.col, message)
    first.kind = Kind.TOTAL
    entry = ledger.get(where)
    assert entry is not None  # every pot's RIKET cell was entered as used
    became = "totalkolumn: summan av potterna till höger"
    ledger.replace(
        replace(entry, role=Role.VERIFIED, became=became, mkr=whole, expected=parts, agrees=True,
                guess=None if collective else message)
    )  # fmt: skip
    return rest


def _note_unit(check: SheetCheck, row: int, col: int, amount: Money, label: str | None) -> None:
    if amount.unit is not MKR:
        check.notice(
            row,
            col,
            f"{show_number(amount.value)} {amount.unit.name} räknas som {format_mkr(amount.mkr)} Mkr"
            + (f" (enheten står i '{label}')" if label and unit_in(label) else ""),
        )


def _check_totals_and_parts(
    check: SheetCheck, ledger: Ledger, riket_row: int, columns: list[_Column], pots: list[_Column]
) -> None:
    grid = check.grid
    pot_total = sum(p.amount or 0.0 for p in pots)
    parts: dict[int, float] = {}
    for column in columns:
        where = cell_name(riket_row, column.col)
        label = f"RIKET · {column.label or 'utan rubrik'}"
        value = grid.get(riket_row, column.col)
        if column.amount is None or where in ledger:
            continue
        shown = figure_of(value) or 0.0
        unit = column.scale.unit.name
        if column.kind is Kind.TOTAL:
            agrees = abs(column.amount - pot_total) <= MKR_TOLERANCE
            ledger.verified(
                where, label, shown, unit, "totalkolumn: summan av potterna",
                expected=pot_total, agrees=agrees, mkr=column.amount,
            )  # fmt: skip
            if not agrees:
                message = (
                    f"totalkolumnen {_heading(column)} är {format_mkr(column.amount)} men potterna är "
                    f"tillsammans {format_mkr(pot_total)} (skillnad {format_mkr(column.amount - pot_total)})"
                )
                check.mismatch(riket_row, column.col, message, column.amount)
        elif column.kind is Kind.BREAKDOWN and column.parent is not None:
            parent = next(c for c in columns if c.col == column.parent)
            parts[parent.col] = parts.get(parent.col, 0.0) + column.amount
            whole = parent.amount or 0.0
            agrees = parts[parent.col] <= whole + MKR_TOLERANCE and column.amount >= 0
            ledger.verified(
                where, label, shown, unit, f"del av {_heading(parent)}, räknas inte som egen pott",
                expected=whole, agrees=agrees, mkr=column.amount,
            )  # fmt: skip
            if agrees:
                check.notice(
                    riket_row,
                    column.col,
                    f"{_heading(column)} ({format_mkr(column.amount)} Mkr) är en del av {_heading(parent)} "
                    "och räknas inte som en egen pott",
                )
            else:
                message = (
                    f"delarna av {_heading(parent)} är tillsammans {format_mkr(parts[parent.col])} Mkr men "
                    f"{_heading(parent)} är {format_mkr(whole)} Mkr – rätta beloppen eller rubrikerna"
                )
                check.mismatch(riket_row, column.col, message, column.amount)


def _check_lan_figures(
    check: SheetCheck,
    ledger: Ledger,
    header: Header,
    riket_row: int,
    columns: list[_Column],
    context: Context,
) -> None:
    """The officer's own figures on the län rows and the share and persons columns' RIKET: checked
    against what is computed from Befolkning, or listed as not used."""
    grid = check.grid
    pot_total = sum(c.amount or 0.0 for c in columns if c.kind is Kind.MONEY)
    checked = disagree = 0
    first_off: str | None = None
    total_persons = sum(context.counts.values()) if context.counts else None
    rows = [*grid.rows_between(header.row, riket_row), riket_row]
    if len(rows) == 1 and (below := _lan_rows(grid, header, riket_row)) is not None:
        rows += sorted(below.values())  # RIKET heads the table
    for column in columns:
        if column.kind is Kind.OTHER:
            _unused_column(check, ledger, header, column)
            continue
        percent = column.label is not None and "%" in column.label
        column_off = lan_agreeing = 0
        for r in rows:
            value = grid.get(r, column.col)
            if is_empty(value) or (r, column.col) in grid.errors:
                continue
            where = cell_name(r, column.col)
            if where in ledger:
                continue
            lan = regions.match(_label(grid, r, header.lan_col) or "") if r != riket_row else None
            amount = cell_amount(grid, r, column.col, column.scale)
            if amount is None:
                continue
            number = amount.value
            label = f"{lan or 'RIKET'} · {column.label or 'utan rubrik'}"
            expected = _expected(column, lan, r == riket_row, pot_total, context, total_persons, percent)
            if expected is None:
                why = "räknas fram, används inte"
                if column.part_of is not None:
                    whole = cell_name(header.row, column.part_of)
                    why = f"del av befolkningen i kolumnen {whole}"
                ledger.unused(where, label, number, _unit_name(column, amount), why)
                continue
            shown = (
                number
                if isinstance(amount, Share) or column.kind in (Kind.SHARE, Kind.PERSONS)
                else amount.mkr
            )
            if isinstance(amount, Share) and column.kind is Kind.SHARE and percent:
                shown = number * 100
            agrees = agrees_as_typed(shown, expected)
            money = column.kind not in (Kind.SHARE, Kind.PERSONS)
            what = (
                "länets belopp: pott × befolkningens andel"
                if money
                else f"{column.kind.value} enligt Befolkning"
            )
            ledger.verified(
                where, label, number, _unit_name(column, amount), what, expected=expected, agrees=agrees
            )
            if not money:
                column_off += not agrees
                far = abs(number - expected) > 0.1 * expected and not (
                    column.kind is Kind.SHARE and number in (1, 100)  # a share in per cent, or not
                )  # another month's persons differ by far less
                if far and r == riket_row and not isinstance(amount, Share) and amount.mkr > 0:
                    # "Rörlig andel (kontakter)" 50: a word in the heading is no proof the RIKET figure
                    # is no pot; only the agreement total can tell.
                    ledger.doubt(
                        where,
                        f"kolumnen {_heading(column)} har {show_number(number)} i raden RIKET, inte "
                        f"befolkningens {show_number(round(expected, 6))} – är kolumnen en pott? Den "
                        "räknas inte",
                        pot_col=column.col,
                    )
            else:
                checked += 1
                lan_agreeing += agrees and lan is not None
                if not agrees:
                    disagree += 1
                    first_off = first_off or where
                    check.notice(r, column.col, _disagreement(column, lan, shown, expected))
        _doubt_shares_as_a_pot(ledger, riket_row, column, lan_agreeing)
        if column.doubt is not None and column.doubt[0] in ledger:
            ledger.doubt(*column.doubt)
        if column_off:
            check.notice(
                header.row,
                column.col,
                f"{column_off} tal i kolumnen {_heading(column)} stämmer inte med bladet Befolkning och "
                "används inte (se bladet Kontroll)",
            )
    if checked >= 3 and disagree > DISAGREEING_SHEET * checked and first_off is not None:
        ledger.doubt(
            first_off,
            f"{disagree} av {checked} av bladets egna länsbelopp stämmer inte med befolkningen – "
            "är bladet ett annat års fördelning?",
        )


def _doubt_shares_as_a_pot(ledger: Ledger, riket_row: int, column: _Column, lan_agreeing: int) -> None:
    """A money column with 1 in RIKET and every län's share of the population beside it
    ("Fördelningstal", "Nyckel") reads as a pot of 1 Mkr whose län amounts agree: it is far more likely
    the shares themselves. Only the agreement total can tell. (Shares in per cent, 100 in RIKET, look
    like an ordinary 100 Mkr pot with its län amounts filled in, and cannot be told apart.)"""
    where = cell_name(riket_row, column.col)
    if column.kind is not Kind.MONEY or column.amount != 1 or lan_agreeing < len(regions.NAMES):
        return
    entry = ledger.get(where)
    if entry is not None:  # the more telling doubt, over one that its heading names no pot
        ledger.doubt(
            where,
            f"kolumnen {_heading(column)} har {show_number(column.amount)} i raden RIKET och länens "
            "andelar av befolkningen – är den en andelskolumn, inte en pott?",
            drop_col=entry.drop_col,
        )


def _disagreement(column: _Column, lan: str | None, shown: float, expected: float) -> str:
    where = lan or "RIKET"
    if column.kind in (Kind.SHARE, Kind.PERSONS):
        return (
            f"{where} har {show_number(shown)} i kolumnen {_heading(column)} men Befolkning ger "
            f"{show_number(round(expected, 6))} – talet används inte"
        )
    return (
        f"{where} har {show_number(shown)} Mkr i indata men beräknas till {format_mkr(expected)} Mkr "
        "(pott × befolkningens andel) – resultatet visar det beräknade beloppet"
    )


def _unit_name(column: _Column, amount: Money | Share) -> str:
    if column.kind is Kind.SHARE or isinstance(amount, Share):
        return "andel"
    if column.kind is Kind.PERSONS:
        return "personer"
    return amount.unit.name


def _expected(
    column: _Column,
    lan: str | None,
    riket: bool,
    pot_total: float,
    context: Context,
    total_persons: int | None,
    percent: bool,
) -> float | None:
    whole = 100.0 if percent else 1.0
    if column.kind is Kind.SHARE:
        if riket:
            return whole
        share = context.share(lan) if lan else None
        return None if share is None else share * whole
    if column.kind is Kind.PERSONS:
        if column.part_of is not None:
            return None  # a part of the persons column beside it (män, kvinnor): nothing to check
        if riket:
            return None if total_persons is None else total_persons / column.per
        return None if not lan or not context.counts else context.counts[lan] / column.per
    if riket:
        return None  # the RIKET amounts are the pots themselves
    share = context.share(lan) if lan else None
    if share is None:
        return None
    amount = pot_total if column.kind is Kind.TOTAL else (column.amount or 0.0)
    return amount * share


_NAMED = 3  # the figures an unused column's notice names


def _a_mean(grid: Grid, header: Header, figures: list[tuple[int, Money | Share]]) -> bool:
    """Whether a column's figures are rates, not amounts: the län's figures stand beside a RIKET
    figure no larger than the largest of them (a rate for the whole country, never their sum)."""
    by_label = [(_label(grid, r, header.lan_col) or "", amount.value) for r, amount in figures]
    lan = [value for label, value in by_label if regions.match(label) is not None]
    riket = [value for label, value in by_label if regions.is_riket(label)]
    return len(lan) >= len(regions.NAMES) // 2 and len(riket) == 1 and 0 <= riket[0] <= max(lan)


def _the_lan_codes(grid: Grid, header: Header, col: int, figures: list[tuple[int, Money | Share]]) -> bool:
    """Whether every figure of a column stands on a län's row and is that län's code (01 Stockholm …)."""
    codes = {lan.name: int(lan.code) for lan in regions.LAN}
    for r, amount in figures:
        lan = regions.match(_label(grid, r, header.lan_col) or "")
        if lan is None or amount.value != codes[lan]:
            return False
    return bool(figures)


def _unused_column(check: SheetCheck, ledger: Ledger, header: Header, column: _Column) -> None:
    """Every figure of a column that is not read, with why: named on screen where it could be money."""
    grid = check.grid
    figures = []
    for r in grid.row_numbers:
        if r <= header.row:
            continue
        value = grid.get(r, column.col)
        if is_empty(value):
            continue
        amount = cell_amount(grid, r, column.col, column.scale)
        if amount is None:
            continue
        figures.append((r, amount))
    if not figures:
        return
    money = not (is_share_heading(column.label or "") and unit_in(column.label or "") is None)
    if column.why == _CODE_WHY and _the_lan_codes(grid, header, column.col, figures):
        money = False  # the heading says codes and the figures are the län's codes
    if column.why == _RATE_WHY and _a_mean(grid, header, figures):
        money = False  # a rate: the heading says so, and RIKET is no sum of the län
    why = f"kolumnen {_heading(column)} {column.why}"
    shown = ", ".join(f"{cell_name(r, column.col)}: {show_number(a.value)}" for r, a in figures[:_NAMED])
    more = f" och {len(figures) - _NAMED} till" if len(figures) > _NAMED else ""
    told = f"{why} – dess {len(figures)} tal räknas inte ({shown}{more})"
    guess = told if money else None
    for r, amount in figures:
        label = f"{_label(grid, r, header.lan_col) or 'rad ' + str(r + 1)} · {column.label or 'utan rubrik'}"
        unit = "andel" if isinstance(amount, Share) else amount.unit.name
        ledger.unused(cell_name(r, column.col), label, amount.value, unit, why, money=money, guess=guess)
        guess = None  # one guess per column: the first figure carries it
    if money:
        check.notice(header.row, column.col, told)
