"""What stands below a villkor sheet's RIKET row: fixed sums, sum rows and notes, in the sheet's order.

A row whose amount is everything above it is a sum row whatever its label; a row labelled as a sum must
add up; a fixed sum to a body the program does not know is paid only in plain sight.
"""

from __future__ import annotations

from . import bodies, regions
from .grid import Grid, not_a_number, text
from .input_file import did_you_mean
from .model import MAX_MKR, MKR_TOLERANCE, Gap, Line, NationalSum, Note, SumLine
from .swedish import NotANumber, format_mkr, is_number, looks_dotted, looks_numeric, parse_number
from .vocabulary import is_total_label


def row_cells(
    grid: Grid, r: int
) -> tuple[list[tuple[int, str]], list[tuple[int, float]], list[tuple[int, str]]]:
    """A row's texts and amounts by column, and the cells refused as numbers that are none."""
    texts: list[tuple[int, str]] = []
    amounts: list[tuple[int, float]] = []
    refused: list[tuple[int, str]] = []
    for c, value in grid.cells(r):
        if grid.error_value(r, c):
            continue
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if looks_dotted(value) or ((numeric or looks_numeric(value)) and not is_number(value)):
            refused.append((c, not_a_number(value)))
            continue
        try:
            number = parse_number(value)
        except NotANumber:
            texts.append((c, text(value)))
            continue
        grid.used(r, c, number)
        amounts.append((c, number))
    if texts and not amounts:  # an amount cell that holds a formula nobody calculated looks empty
        for c in grid.valueless_in(r):
            if c > texts[0][0]:
                grid.used(r, c, None)
    return texts, amounts, refused


def _ask_about_valueless_rows(grid: Grid, riket_row: int) -> None:
    """Stored cells without a value in rows of their own below RIKET: formulas nobody calculated?"""
    for r, cols in grid.valueless.items():
        if r > riket_row and r not in grid.rows:
            for c in cols:
                grid.used(r, c, None)


def _below_the_sum(item: NationalSum, sum_row: int) -> str:
    return (
        f"'{item.name}' ({format_mkr(item.amount)}) står under summaraden (rad {sum_row + 1}) och ingår "
        "inte i den – flytta raden ovanför summan, eller skriv talet i samma cell som texten om raden är "
        "en anteckning"
    )


def _unknown_body(name: str, amount: float, near: str | None) -> str:
    tip = f" Menade du '{near}'?" if near else " Är raden en anteckning, skriv talet i textcellen."
    return (
        f"'{name}' får {format_mkr(amount)} Mkr som fast belopp men är ingen känd nationell mottagare.{tip}"
    )


class BelowRiket:
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
        _ask_about_valueless_rows(self.grid, self.riket_row)
        if self.last_sum_row is not None:
            for r, col, item in self.after_sum:
                self.grid.problem(r, col, _below_the_sum(item, self.last_sum_row))

    def _row(self, r: int) -> tuple[list[tuple[int, str]], list[tuple[int, float]]]:
        texts, amounts, refused = row_cells(self.grid, r)
        for c, message in refused:
            self.refuse(r, c, message)
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
                self.refuse(r, first_col, f"okänd mottagare '{name}'{did_you_mean(near[0])}")
                return
            grid.notice(r, col, _unknown_body(name, amount, near[0] if near else None))
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
