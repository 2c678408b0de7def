"""Reading the Befolkning sheet: the reference date, the persons per län and the RIKET check.

The table may come in the template's order (RIKET last) or SCB's (RIKET first); a row whose persons
equal the sum of the 21 län is the RIKET row whatever its label.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import regions
from .grid import Grid, Header, is_empty, text
from .input_file import did_you_mean
from .model import Population
from .swedish import find_date, format_number, number_or_none, show_number
from .vocabulary import is_total_label

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_PERSONS = 50_000_000  # per län: Sweden has about 10.5 million people
DATE_CELL = (0, 1)  # B1, where the template asks for the reference date
AGREEMENT_WORDS = ("överenskommelse", "totalbelopp", "total ram", "ramen")


@dataclass(frozen=True)
class _Row:
    row: int
    label: str
    persons: float | None


def read_population(grid: Grid, file_name: str) -> Population | None:
    header = grid.find_header("personer")
    if header is None:
        grid.problem(None, None, "rubrikraden med cellerna 'Län' och 'Personer' saknas")
        return None
    persons_col = next(c for c, label in header.columns if regions.fold(label) == "personer")
    date = reference_date(grid, header.row)
    counts, seen_at, rikets, unknown = _read_rows(grid, header, persons_col)
    total = sum(counts.values())
    complete = len(counts) == len(regions.NAMES)
    for row in unknown:
        if complete and row.persons is not None and row.persons == total:
            rikets.append(row)  # the RIKET row, labelled otherwise ("Totalt", "Hela Sverige", …)
            continue
        hint = did_you_mean(regions.suggest(row.label))
        grid.problem(row.row, header.lan_col, f"okänt län '{row.label}'{hint}")
    for name in regions.NAMES:
        if name not in seen_at:
            grid.problem(None, None, f"{name} saknas")
    if complete:
        for row in rikets:
            if row.persons is not None and row.persons != total:
                message = (
                    f"{row.label} är {show_number(row.persons)} men summan av länen är {format_number(total)}"
                )
                grid.mismatch(row.row, persons_col, message, row.persons)
    if date is None or not complete:
        return None
    return Population(
        counts=tuple((name, counts[name]) for name in regions.NAMES),
        date=date,
        source=f"bladet {grid.title} i {file_name}",
    )


def _read_rows(
    grid: Grid, header: Header, persons_col: int
) -> tuple[dict[str, int], dict[str, int], list[_Row], list[_Row]]:
    counts: dict[str, int] = {}
    seen_at: dict[str, int] = {}
    rikets: list[_Row] = []
    unknown: list[_Row] = []
    ended: _Row | None = None
    late: list[str] = []
    for r in grid.rows_after(header.row):
        if grid.error_value(r, header.lan_col):
            continue
        lan_value = grid.get(r, header.lan_col)
        if is_empty(lan_value):
            if not is_empty(grid.get(r, persons_col)):
                grid.problem(r, header.lan_col, "länets namn saknas")
            continue
        label = text(lan_value)
        name = regions.match(label)
        if ended is not None:
            if name is not None and name not in seen_at and name not in late:
                late.append(name)
            continue
        if regions.is_riket(label) or is_total_label(label):
            row = _Row(r, label, _persons(grid, r, persons_col, f"antal personer för {label}"))
            rikets.append(row)
            if seen_at:  # RIKET above the first län (SCB's order) does not end the table
                ended = row
            continue
        if name is None:
            unknown.append(_Row(r, label, number_or_none(grid.get(r, persons_col))))
            continue
        if name in seen_at:
            grid.problem(r, header.lan_col, f"{name} förekommer redan på rad {seen_at[name] + 1}")
            continue
        seen_at[name] = r
        persons = grid.number(r, persons_col, f"antal personer för {name}")
        if persons is None:
            continue
        if not persons.is_integer():
            grid.problem(r, persons_col, f"{show_number(persons)} är inget helt antal personer")
        elif persons <= 0:
            grid.problem(r, persons_col, f"antalet personer för {name} måste vara större än noll")
        elif persons > MAX_PERSONS:
            grid.problem(r, persons_col, f"{format_number(persons)} personer i {name} är orimligt många")
        else:
            counts[name] = int(persons)
    if ended is not None and late:
        shown = ", ".join(late[:3]) + (" …" if len(late) > 3 else "")
        grid.problem(
            ended.row,
            header.lan_col,
            f"raden {ended.label} (rad {ended.row + 1}) avslutar tabellen, men {len(late)} län står under "
            f"den ({shown}) – flytta raden sist, eller överst som i SCB:s tabeller",
        )
        for name in late:
            seen_at.setdefault(name, -1)  # reported above, not once more as missing
    return counts, seen_at, rikets, unknown


def _persons(grid: Grid, row: int, col: int, what: str) -> float | None:
    if is_empty(grid.get(row, col)):  # an empty RIKET is not checked
        return None
    return grid.number(row, col, what, figure=False)


def reference_date(grid: Grid, header_row: int) -> dt.date | None:
    for r in range(header_row):
        for c, value in grid.cells(r):
            found = None
            if isinstance(value, dt.datetime):
                found = value.date()
            elif isinstance(value, dt.date):
                found = value
            elif isinstance(value, str):
                found = find_date(value)
            if found is not None and not MIN_YEAR <= found.year <= MAX_YEAR:
                grid.problem(r, c, f"referensdatumet {found.isoformat()} är orimligt")
                return None
            if found is not None:
                return found
    grid.problem(
        *DATE_CELL,
        "referensdatum saknas – skriv befolkningens datum här (t.ex. 2019-11-01) eller i rubriken "
        "ovanför tabellen ('Befolkning 1/11 2019')",
    )
    return None


def agreement_total(grid: Grid, header_row: int) -> float | None:
    """The agreement's total amount (Mkr), when the sheet names it above the table."""
    for r in range(header_row):
        cells = list(grid.cells(r))
        for k, (_, value) in enumerate(cells):
            if not isinstance(value, str) or not any(w in regions.fold(value) for w in AGREEMENT_WORDS):
                continue
            for c, candidate in cells[k + 1 :]:
                if isinstance(candidate, dt.date):
                    continue
                amount = grid.number(r, c, "överenskommelsens totalbelopp")
                if amount is not None and amount <= 0:
                    grid.problem(r, c, "överenskommelsens totalbelopp måste vara större än noll")
                    return None
                return amount
            return None
    return None
