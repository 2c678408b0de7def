"""Reading the Befolkning sheet: the reference date, the persons per län and the RIKET check.

The table may come in the template's order (RIKET last) or SCB's (RIKET first); a row whose persons
equal the sum of the 21 län is the RIKET row whatever its label.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..formats import did_you_mean
from ..model import Population
from ..words import regions
from ..words.swedish import find_date, format_mkr, format_number, number_or_none, show_number
from ..words.vocabulary import is_lan_header, is_total_label
from .accounting import Entry, Ledger
from .amounts import Money, Scale, agrees_as_typed, cell_amount, scale_of
from .findings import Read, SheetCheck
from .grid import HEADER_SEARCH_ROWS, Grid, Header, cell_name, is_empty, text
from .units import years_in

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_PERSONS = 50_000_000  # per län: Sweden has about 10.5 million people
DATE_CELL = (0, 1)  # B1, where the template asks for the reference date
AGREEMENT_WORDS = ("överenskommelse", "totalbelopp", "total ram", "ramen")


@dataclass(frozen=True)
class _Row:
    row: int
    label: str
    persons: float | None


_PERSONS = re.compile(r"^(antal\s+)?(personer|folkmängd|invånare|befolkning)\b")
_SHARE = re.compile(r"^andel\b")


def population_header(grid: Grid) -> Header | None:
    """The header row, when it has a persons column ("Personer", "Personer 1/11 2019")."""
    header = grid.find_header()
    return header if header is not None and _persons_columns(header) else None


def _persons_columns(header: Header) -> list[tuple[int, str]]:
    """The columns headed with persons: "Personer, % av riket" is a share, not a second one."""
    return [
        (c, label)
        for c, label in header.columns
        if _PERSONS.match(regions.fold(label)) and not re.search(r"%|\bandel|\bprocent", regions.fold(label))
    ]


def _persons_column(check: SheetCheck, header: Header, date: dt.date | None) -> int | None:
    """The one persons column; with several (last year's beside this year's, a second table), the
    one whose heading carries the reference date, or None with a problem naming them all."""
    found = _persons_columns(header)
    if len(found) == 1:
        return found[0][0]
    dated = [c for c, label in found if date is not None and find_date(label) == date]
    if len(dated) == 1:
        return dated[0]
    shown = ", ".join(f"{cell_name(header.row, c)} '{label}'" for c, label in found)
    check.problem(
        header.row,
        found[0][0],
        f"bladet har {len(found)} kolumner med personer ({shown}) – ta bort de som inte gäller, eller "
        "skriv referensdatumet i rubriken på den som gäller (t.ex. 'Personer 1/11 2019')",
    )
    return None


def _check_the_one_table(check: SheetCheck, header: Header, persons_col: int, date: dt.date | None) -> bool:
    """The persons column's heading may not date it otherwise than the sheet ("Invånare 1 nov 2018"
    under "Befolkning 1/11 2019"), and no second table of the län with persons may stand beside or
    below it, unless only this one's heading carries the reference date."""
    grid = check.grid
    label = dict(header.columns)[persons_col]
    dated, years = find_date(label), years_in(label)
    # 31/12 2019 and 1/1 2020 count the same people (the end of one day, the start of the next)
    if date is not None and (
        (dated is not None and abs((dated - date).days) > 1)
        or (dated is None and years and date.year not in years)
    ):
        check.problem(
            header.row, persons_col,
            f"rubriken '{label}' gäller ett annat datum än bladets referensdatum ({date.day}/{date.month} "
            f"{date.year}) – vilket gäller? Rätta rubriken eller datumet",
        )  # fmt: skip
        return False
    others = [
        (r, k, text(w))
        for r in grid.row_numbers
        if r < HEADER_SEARCH_ROWS
        for c, v in grid.cells(r)
        if (r, c) != (header.row, header.lan_col) and isinstance(v, str) and is_lan_header(v)
        for k, w in _persons_right_of(grid, r, c)
    ]
    if not others or (dated is not None and not any(find_date(name) is not None for _, _, name in others)):
        return True
    tables = [(header.row, persons_col, label), *others]
    shown = ", ".join(f"{cell_name(r, c)} '{name}'" for r, c, name in tables)
    check.problem(
        header.row, header.lan_col,
        f"bladet har {1 + len(others)} tabeller med län och personer ({shown}) – ta bort den som inte "
        "gäller, eller skriv referensdatumet i rubriken på den som gäller (t.ex. 'Personer 1/11 2019')",
    )  # fmt: skip
    return False


def _persons_right_of(grid: Grid, row: int, col: int) -> list[tuple[int, object]]:
    """The first persons heading right of a Län cell, before the next Län cell."""
    for k, value in grid.cells(row):
        if k <= col or not isinstance(value, str):
            continue
        if is_lan_header(value):
            return []
        if _PERSONS.match(regions.fold(text(value))):
            return [(k, value)]
    return []


def _no_persons_heading(check: SheetCheck) -> None:
    """The header row is missing: named by its Län cell, with the headings beside it, where it
    stands without a Personer column."""
    grid = check.grid
    for r in (r for r in grid.row_numbers if r < HEADER_SEARCH_ROWS):
        lan = next((c for c, v in grid.cells(r) if isinstance(v, str) and is_lan_header(v)), None)
        if lan is None:
            continue
        headings = [text(v) for c, v in grid.cells(r) if c > lan and isinstance(v, str)]
        if headings:
            shown = ", ".join(f"'{h}'" for h in headings)
            check.problem(
                r, lan,
                f"rubrikraden har 'Län' men ingen kolumn 'Personer' (rubrikerna är {shown}) – skriv "
                "'Personer' över kolumnen med hela befolkningen",
            )  # fmt: skip
            return
    check.problem(None, None, "rubrikraden med cellerna 'Län' och 'Personer' saknas")


def read_population(grid: Grid, file_name: str) -> Read[tuple[Population | None, tuple[Entry, ...]]]:
    """The population and what became of the sheet's numbers."""
    check = SheetCheck(grid)
    ledger = Ledger(grid.title)
    header = population_header(grid)
    if header is None:
        _no_persons_heading(check)
        return check.read((None, ledger.entries))
    date = reference_date(check, header.row)
    persons_col = _persons_column(check, header, date)
    if persons_col is None:
        return check.read((None, ledger.entries))
    if not _check_the_one_table(check, header, persons_col, date):
        return check.read((None, ledger.entries))
    counts, seen_at, rikets, unknown = _read_rows(check, header, persons_col)
    total = sum(counts.values())
    complete = len(counts) == len(regions.NAMES)
    for row in unknown:
        if complete and row.persons is not None and row.persons == total:
            rikets.append(row)  # the RIKET row, labelled otherwise ("Totalt", "Hela Sverige", …)
            continue
        hint = did_you_mean(regions.suggest(row.label))
        check.problem(row.row, header.lan_col, f"okänt län '{row.label}'{hint}")
    for name in regions.NAMES:
        if name not in seen_at:
            check.problem(None, None, f"{name} saknas")
    for name, r in seen_at.items():
        if name in counts:
            ledger.used(cell_name(r, persons_col), name, counts[name], "personer", "befolkning")
    if complete:
        for row in rikets:
            if row.persons is None:
                continue
            ledger.verified(
                cell_name(row.row, persons_col), row.label, row.persons, "personer", "summan av länen",
                expected=total, agrees=row.persons == total,
            )  # fmt: skip
            if row.persons != total:
                message = (
                    f"{row.label} är {show_number(row.persons)} men summan av länen är {format_number(total)}"
                )
                check.mismatch(row.row, persons_col, message, row.persons)
        _check_shares(check, ledger, header, counts, seen_at, rikets)
    if date is None or not complete:
        return check.read((None, ledger.entries))
    population = Population(
        counts=tuple((name, counts[name]) for name in regions.NAMES),
        date=date,
        source=f"bladet {grid.title} i {file_name}",
    )
    return check.read((population, ledger.entries))


def _check_shares(
    check: SheetCheck,
    ledger: Ledger,
    header: Header,
    counts: dict[str, int],
    seen_at: dict[str, int],
    rikets: list[_Row],
) -> None:
    """The sheet's own Andel column, if filled in, against persons ÷ the län's sum."""
    grid = check.grid
    total = sum(counts.values())
    for col, label in header.columns:
        if not _SHARE.match(regions.fold(label)):
            continue
        percent = "%" in label
        whole = 100.0 if percent else 1.0
        rows = [(name, r, counts[name] / total * whole) for name, r in seen_at.items() if name in counts]
        rows += [(row.label, row.row, whole) for row in rikets]
        for name, r, expected in rows:
            value = number_or_none(grid.get(r, col))
            if value is None:
                continue
            agrees = agrees_as_typed(value, expected)
            ledger.verified(cell_name(r, col), name, value, "andel", "andel: personer ÷ summan av länen",
                            expected=expected, agrees=agrees)  # fmt: skip
            if not agrees:
                check.notice(
                    r,
                    col,
                    f"andelen för {name} är {show_number(value)} men beräknas till "
                    f"{show_number(round(expected, 6))} – programmet skriver den beräknade",
                )


def _read_rows(
    check: SheetCheck, header: Header, persons_col: int
) -> tuple[dict[str, int], dict[str, int], list[_Row], list[_Row]]:
    grid = check.grid
    counts: dict[str, int] = {}
    seen_at: dict[str, int] = {}
    rikets: list[_Row] = []
    unknown: list[_Row] = []
    ended: _Row | None = None
    late: list[str] = []
    for r in grid.rows_after(header.row):
        if check.error_value(r, header.lan_col):
            continue
        lan_value = grid.get(r, header.lan_col)
        if is_empty(lan_value):
            if not is_empty(grid.get(r, persons_col)):
                check.problem(r, header.lan_col, "länets namn saknas")
            continue
        label = text(lan_value)
        name = regions.match(label)
        if ended is not None:
            if name is not None and name not in seen_at and name not in late:
                late.append(name)
            continue
        if regions.is_riket(label) or is_total_label(label):
            row = _Row(r, label, _persons(check, r, persons_col, f"antal personer för {label}"))
            rikets.append(row)
            if seen_at:  # RIKET above the first län (SCB's order) does not end the table
                ended = row
            continue
        if name is None:
            unknown.append(_Row(r, label, number_or_none(grid.get(r, persons_col))))
            continue
        if name in seen_at:
            check.problem(r, header.lan_col, f"{name} förekommer redan på rad {seen_at[name] + 1}")
            continue
        seen_at[name] = r
        persons = check.number(r, persons_col, f"antal personer för {name}")
        if persons is None:
            continue
        if not persons.is_integer():
            check.problem(r, persons_col, f"{show_number(persons)} är inget helt antal personer")
        elif persons <= 0:
            check.problem(r, persons_col, f"antalet personer för {name} måste vara större än noll")
        elif persons > MAX_PERSONS:
            check.problem(r, persons_col, f"{format_number(persons)} personer i {name} är orimligt många")
        else:
            counts[name] = int(persons)
    if ended is not None and late:
        shown = ", ".join(late[:3]) + (" …" if len(late) > 3 else "")
        check.problem(
            ended.row,
            header.lan_col,
            f"raden {ended.label} (rad {ended.row + 1}) avslutar tabellen, men {len(late)} län står under "
            f"den ({shown}) – flytta raden sist, eller överst som i SCB:s tabeller",
        )
        for name in late:
            seen_at.setdefault(name, -1)  # reported above, not once more as missing
    return counts, seen_at, rikets, unknown


def _persons(check: SheetCheck, row: int, col: int, what: str) -> float | None:
    if is_empty(check.grid.get(row, col)):  # an empty RIKET is not checked
        return None
    return check.number(row, col, what, figure=False)


def reference_date(check: SheetCheck, header_row: int) -> dt.date | None:
    for r in range(header_row):
        for c, value in check.grid.cells(r):
            found = None
            if isinstance(value, dt.datetime):
                found = value.date()
            elif isinstance(value, dt.date):
                found = value
            elif isinstance(value, str):
                found = find_date(value)
            if found is not None and not MIN_YEAR <= found.year <= MAX_YEAR:
                check.problem(r, c, f"referensdatumet {found.isoformat()} är orimligt")
                return None
            if found is not None:
                return found
    check.problem(
        *DATE_CELL,
        "referensdatum saknas – skriv befolkningens datum här (t.ex. 2019-11-01) eller i rubriken "
        "ovanför tabellen ('Befolkning 1/11 2019')",
    )
    return None


def _agreement_cell(grid: Grid, header_row: int) -> tuple[int, int, str] | None:
    """Where the agreement's total stands (row, column) and its label, when the sheet names one: the
    first cell right of the label that is no date."""
    for r in range(header_row):
        cells = list(grid.cells(r))
        for k, (_, value) in enumerate(cells):
            if not isinstance(value, str) or not any(w in regions.fold(value) for w in AGREEMENT_WORDS):
                continue
            for c, candidate in cells[k + 1 :]:
                if not isinstance(candidate, dt.date):
                    return r, c, value
            return None
    return None


def _agreement_amount(grid: Grid, header_row: int) -> tuple[int, int, str, Money] | None:
    """The agreement's total as an amount in the unit its label or cell names ('tkr', '944 mnkr');
    Mkr when neither does."""
    found = _agreement_cell(grid, header_row)
    if found is None:
        return None
    r, c, label = found
    amount = cell_amount(grid, r, c, scale_of(label, Scale()))
    return (r, c, label, amount) if isinstance(amount, Money) else None


def agreement_entry(grid: Grid, header_row: int) -> Entry | None:
    """The receipt's entry for the agreement's total, where the sheet names one."""
    found = _agreement_amount(grid, header_row)
    if found is None:
        return None
    r, c, label, amount = found
    ledger = Ledger(grid.title)
    what = "överenskommelsens totalbelopp: kontrollsumma för hela fördelningen"
    if amount.unit.name != "Mkr":
        what += f" ({format_mkr(amount.mkr)} Mkr)"
    ledger.used(cell_name(r, c), text(label), amount.value, amount.unit.name, what)
    return ledger.entries[0]


def agreement_total(grid: Grid, header_row: int) -> Read[float | None]:
    """The agreement's total amount (Mkr), when the sheet names it above the table, in the unit its
    label or its cell names."""
    check = SheetCheck(grid)
    found = _agreement_cell(grid, header_row)
    if found is None:
        return check.read(None)
    r, c, label = found
    typed = _agreement_amount(grid, header_row)
    if typed is None:
        amount = check.number(r, c, "överenskommelsens totalbelopp")  # says why it is no amount
    else:
        money = typed[3]
        amount = money.mkr
        said = scale_of(label, Scale())
        if said.written and money.unit.name != said.unit.name:
            # The label and the cell (its format or its text) name different units: B2 settles
            # everything else, so it must not rest on a guess itself.
            message = (
                f"överenskommelsens totalbelopp: cellen anger {money.unit.name} men '{label}' säger "
                f"{said.unit.name} – vilken enhet gäller?"
            )
            check.problem(r, c, message)
            return check.read(None)
        if money.unit.name != "Mkr":
            check.notice(
                r, c,
                f"överenskommelsens totalbelopp {show_number(money.value)} {money.unit.name} läses som "
                f"{format_mkr(amount)} Mkr",
            )  # fmt: skip
    if amount is not None and amount <= 0:
        check.problem(r, c, "överenskommelsens totalbelopp måste vara större än noll")
        return check.read(None)
    return check.read(amount)
