"""Reading one villkor sheet: the RIKET row and its columns (pots and totals); `villkor_below` reads
what stands below it.

Arithmetic decides what a number is and labels confirm it: a column whose RIKET amount is the sum of
the pots to its left is a total, a row whose amount is everything above it is a sum row, and a label
that claims a total must add up.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import regions
from .grid import Grid, Header, cell_name, is_empty, text
from .model import MAX_MKR, MKR_TOLERANCE, Pot, Villkor
from .swedish import format_mkr, is_number, looks_dotted
from .villkor_below import BelowRiket
from .vocabulary import DEFAULT_POT_LABEL, is_total_label, names_a_pot


@dataclass(frozen=True)
class _Column:
    col: int
    label: str | None
    amount: float | None


def read_villkor(grid: Grid, header: Header) -> Villkor | None:
    """The villkor on `grid`, or None with the problems collected on the grid."""
    title = _title(grid, header.row)
    riket_row = _riket_row(grid, header)
    if riket_row is None:
        column = cell_name(0, header.lan_col).rstrip("1")
        grid.problem(None, None, f"raden RIKET med potten saknas i kolumn {column}")
        return None
    lan_above = _check_above_riket(grid, header, riket_row)
    pots, totals, complete = _pot_columns(grid, header, riket_row)
    if not pots and complete:
        grid.problem(header.row, header.lan_col, "rubrikraden har ingen potkolumn efter 'Län'")
        return None
    pot_total = sum(c.amount or 0.0 for c in pots) if complete else None
    if pot_total is not None:
        for total in totals:
            _check_total_column(grid, riket_row, total, pot_total)
    by_column = {c.col: c.amount or 0.0 for c in (*pots, *totals)}
    below = BelowRiket(grid, riket_row, pot_total, by_column, skip_lan=not lan_above)
    below.read()
    if not complete:
        return None
    return Villkor(
        grid.title,
        title,
        tuple(Pot(c.label or DEFAULT_POT_LABEL, c.amount or 0.0) for c in pots),
        tuple(below.national),
        tuple(below.notes),
        tuple(below.lines),
    )


def _title(grid: Grid, header_row: int) -> str | None:
    for r in range(header_row):
        for _, value in grid.cells(r):
            if isinstance(value, str):
                return value.strip()
    return None


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


def _check_above_riket(grid: Grid, header: Header, riket_row: int) -> bool:
    """Refuse named amounts between the header and RIKET; True when län rows stand above RIKET."""
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
                grid.problem(
                    r,
                    c,
                    f"'{label}' har ett belopp ovanför raden RIKET – fasta belopp skrivs under RIKET, "
                    "länens belopp räknas fram",
                )
                break
    return lan_above


def _pot_columns(grid: Grid, header: Header, riket_row: int) -> tuple[list[_Column], list[_Column], bool]:
    """The pot and total columns, decided by the RIKET amounts; False when an amount is unusable."""
    labels = dict(header.columns)
    on_riket = {
        c
        for c, value in grid.cells(riket_row)
        if c > header.lan_col and (is_number(value) or looks_dotted(value) or (riket_row, c) in grid.errors)
    }
    pots: list[_Column] = []
    totals: list[_Column] = []
    complete = True
    for col in sorted(set(labels) | on_riket):
        label = labels.get(col)
        if label is not None and is_total_label(label):
            if not is_empty(grid.get(riket_row, col)):
                amount = grid.number(riket_row, col, f"'{label}' i raden RIKET", figure=False)
                totals.append(_Column(col, label, amount))
            continue
        what = f"potten '{label}' i raden RIKET" if label else "beloppet i raden RIKET"
        amount = grid.number(riket_row, col, what)
        if amount is None:
            complete = False
            continue
        where = cell_name(riket_row, col)
        left = sum(p.amount or 0.0 for p in pots)
        if pots and amount > 0 and abs(amount - left) <= MKR_TOLERANCE:
            if label is not None and names_a_pot(label):
                grid.notice(
                    riket_row,
                    col,
                    f"potten '{label}' ({format_mkr(amount)} Mkr) är lika stor som potterna till vänster "
                    "tillsammans och räknas som en egen pott – är den en summa, skriv rubriken 'Totalt'",
                )
            else:
                named = f"'{label}'" if label else "utan rubrik"
                grid.notice(
                    riket_row,
                    col,
                    f"kolumnen {named} har {format_mkr(amount)} Mkr, summan av potterna till vänster, "
                    "och räknas som totalkolumn (den fördelas inte)",
                )
                totals.append(_Column(col, label, amount))
                continue
        if amount < 0:
            grid.problem(riket_row, col, f"potten kan inte vara negativ ({format_mkr(amount)})")
            complete = False
            continue
        if amount > MAX_MKR:
            grid.problem(riket_row, col, f"potten {format_mkr(amount)} Mkr är orimligt stor")
            complete = False
            continue
        if label is None:
            grid.notice(
                riket_row,
                col,
                f"kolumnen saknar rubrik men har {format_mkr(amount)} Mkr i raden RIKET ({where}) "
                "och räknas som en pott",
            )
            label = pots[-1].label if pots else None
        pots.append(_Column(col, label, amount))
    return pots, totals, complete


def _check_total_column(grid: Grid, riket_row: int, total: _Column, pot_total: float) -> None:
    if total.amount is None or abs(total.amount - pot_total) <= MKR_TOLERANCE:
        return
    named = f"'{total.label}'" if total.label else ""
    message = (
        f"totalkolumnen {named} är {format_mkr(total.amount)} men potterna är tillsammans "
        f"{format_mkr(pot_total)} (skillnad {format_mkr(total.amount - pot_total)})".replace("  ", " ")
    )
    grid.mismatch(riket_row, total.col, message, total.amount)
