"""Reading one villkor sheet: the pots on the RIKET row, and below it the fixed sums, sum rows and notes.

Arithmetic decides what a number is and labels confirm it: a column whose RIKET amount is the sum of
the pots to its left is a total, a row whose amount is everything above it is a sum row, and a label
that claims a total must add up.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import bodies, regions
from .grid import Grid, Header, cell_name, is_empty, not_a_number, text
from .model import Gap, Line, NationalSum, Note, Pot, SumLine, Villkor
from .swedish import NotANumber, format_mkr, looks_dotted, parse_number
from .vocabulary import is_total_label, names_a_pot

MKR_TOLERANCE = 0.0005
MAX_MKR = 1_000_000.0  # per pot or fixed sum: a million Mkr is a thousand times the whole miljard
DEFAULT_POT_LABEL = "Pot belopp, Mkr"


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
    below = _Below(grid, riket_row, pot_total, by_column, skip_lan=not lan_above)
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
            if c > header.lan_col and _is_amount(value):
                grid.problem(
                    r,
                    c,
                    f"'{label}' har ett belopp ovanför raden RIKET – fasta belopp skrivs under RIKET, "
                    "länens belopp räknas fram",
                )
                break
    return lan_above


def _is_amount(value: object) -> bool:
    try:
        parse_number(value)
    except NotANumber:
        return looks_dotted(value)
    return True


def _pot_columns(grid: Grid, header: Header, riket_row: int) -> tuple[list[_Column], list[_Column], bool]:
    """The pot and total columns, decided by the RIKET amounts; False when an amount is unusable."""
    labels = dict(header.columns)
    on_riket = {
        c
        for c, value in grid.cells(riket_row)
        if c > header.lan_col and (_is_amount(value) or (riket_row, c) in grid.errors)
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


class _Below:
    """The rows below RIKET: fixed sums to national bodies, sum rows, notes, in the sheet's order."""

    def __init__(
        self,
        grid: Grid,
        riket_row: int,
        pot_total: float | None,
        by_column: dict[int, float],
        *,
        skip_lan: bool,
    ) -> None:
        self.grid = grid
        self.riket_row = riket_row
        self.pot_total = pot_total
        self.by_column = dict(by_column)
        self.skip_lan = skip_lan
        self.national: list[NationalSum] = []
        self.notes: list[str] = []
        self.lines: list[Line] = []
        self.rows_of: dict[str, int] = {}
        self.last_sum_row: int | None = None
        self.after_sum: list[tuple[int, int, NationalSum]] = []
        self.refused_above = False  # a refused amount leaves the sums below unknowable

    def refuse(self, row: int, col: int, message: str) -> None:
        self.grid.problem(row, col, message)
        self.refused_above = True

    @property
    def running_total(self) -> float | None:
        if self.pot_total is None or self.refused_above:
            return None
        return self.pot_total + sum(item.amount for item in self.national)

    def read(self) -> None:
        previous = self.riket_row
        in_lan_block = self.skip_lan
        for r in self.grid.rows_after(self.riket_row):
            texts, amounts = self._row(r)
            if not texts and not amounts:
                continue
            if in_lan_block and texts and regions.match(texts[0][1]) is not None:
                previous = r
                continue
            in_lan_block = False
            if r > previous + 1 and self.lines and not isinstance(self.lines[-1], Gap):
                self.lines.append(Gap())
            previous = r
            self._classify(r, texts, amounts)
        while self.lines and isinstance(self.lines[-1], Gap):
            self.lines.pop()
        for r, col, item in self.after_sum:
            assert self.last_sum_row is not None
            self.grid.problem(
                r,
                col,
                f"'{item.name}' ({format_mkr(item.amount)}) står under summaraden (rad "
                f"{self.last_sum_row + 1}) och ingår inte i den – flytta raden ovanför summan, eller skriv "
                "talet i samma cell som texten om raden är en anteckning",
            )

    def _row(self, r: int) -> tuple[list[tuple[int, str]], list[tuple[int, float]]]:
        texts: list[tuple[int, str]] = []
        amounts: list[tuple[int, float]] = []
        for c, value in self.grid.cells(r):
            if self.grid.error_value(r, c):
                continue
            if looks_dotted(value):
                self.refuse(r, c, not_a_number(value))
                continue
            try:
                number = parse_number(value)
            except NotANumber:
                texts.append((c, text(value)))
                continue
            self.grid.used(r, c, number)
            amounts.append((c, number))
        if texts and not amounts:
            for c in self.grid.valueless_in(r):
                if c > texts[0][0]:
                    self.grid.used(r, c, None)
        return texts, amounts

    def _classify(self, r: int, texts: list[tuple[int, str]], amounts: list[tuple[int, float]]) -> None:
        grid = self.grid
        if not texts:
            self.refuse(r, amounts[0][0], "beloppet saknar namn")
            return
        first_col, name = texts[0]
        if is_total_label(name) and amounts:
            self._sum_row(r, name, amounts)
            return
        if not amounts:
            self.notes.append(" ".join(t for _, t in texts))
            self.lines.append(Note(self.notes[-1]))
            return
        if len(texts) > 1 or len(amounts) > 1:
            self.refuse(r, first_col, "en rad under RIKET ska ha ett namn och ett belopp (eller bara text)")
            return
        col, amount = amounts[0]
        if regions.match(name) is not None:
            self.refuse(
                r,
                first_col,
                f"'{name}' är ett län och står under RIKET – länens belopp räknas fram, ta bort raden",
            )
            return
        running = self.running_total
        body = bodies.known(name)
        if body is None and running and abs(amount - running) <= MKR_TOLERANCE:
            grid.notice(
                r,
                col,
                f"raden '{name}' ({format_mkr(amount)}) är summan av beloppen ovanför och räknas som "
                "summarad, inte som ett belopp till en mottagare",
            )
            self._sum_row(r, name, amounts)
            return
        self._fixed_sum(r, first_col, col, name, body, amount)

    def _sum_row(self, r: int, name: str, amounts: list[tuple[int, float]]) -> None:
        running = self.running_total
        if running is None:
            return
        for col, amount in amounts:
            in_column = self.by_column.get(col)
            if abs(amount - running) <= MKR_TOLERANCE:
                continue
            if in_column is not None and abs(amount - in_column) <= MKR_TOLERANCE:
                continue
            message = (
                f"'{name}' är {format_mkr(amount)} men RIKET plus de fasta beloppen ovanför är "
                f"{format_mkr(running)} (skillnad {format_mkr(amount - running)})"
            )
            self.grid.mismatch(r, col, message, amount)
        self.last_sum_row = r
        self.after_sum.clear()
        self.lines = [line for line in self.lines if not isinstance(line, SumLine)]
        self.lines.append(SumLine())

    def _fixed_sum(
        self, r: int, first_col: int, col: int, name: str, body: str | None, amount: float
    ) -> None:
        grid = self.grid
        if amount < 0:
            self.refuse(r, col, f"beloppet till {name} kan inte vara negativt")
            return
        if amount > MAX_MKR:
            self.refuse(r, col, f"beloppet till {name}, {format_mkr(amount)} Mkr, är orimligt stort")
            return
        if body is None:
            near = bodies.closest(name)
            if near is not None and near[1] >= bodies.CERTAIN_MISSPELLING:
                self.refuse(r, first_col, f"okänd mottagare '{name}' – menade du '{near[0]}'?")
                return
            tip = f" Menade du '{near[0]}'?" if near else " Är raden en anteckning, skriv talet i textcellen."
            grid.notice(
                r,
                col,
                f"'{name}' får {format_mkr(amount)} Mkr som fast belopp men är ingen känd nationell "
                f"mottagare.{tip}",
            )
            body = name
        elif regions.fold(body) != regions.fold(name):
            grid.notice(r, first_col, f"'{name}' räknas som {body}")
        key = regions.fold(body)
        if key in self.rows_of:
            self.refuse(r, first_col, f"{body} förekommer redan på rad {self.rows_of[key] + 1}")
            return
        self.rows_of[key] = r
        item = NationalSum(body, amount)
        self.national.append(item)
        self.lines.append(item)
        self.by_column[col] = self.by_column.get(col, 0.0) + amount
        if self.last_sum_row is not None:
            self.after_sum.append((r, col, item))
