"""One worksheet as a sparse grid of cached values, read cell by cell while collecting problems.

The sheet readers (Befolkning, villkor, Utfall) work on a grid and never see openpyxl.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from .errors import Problem
from .regions import fold
from .swedish import NotANumber, looks_dotted, parse_number
from .vocabulary import is_lan_header

HEADER_SEARCH_ROWS = 40


@dataclass(frozen=True)
class Header:
    """The header row: where "Län" stands and the labelled columns to its right."""

    row: int
    lan_col: int
    columns: tuple[tuple[int, str], ...]


def cell_name(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def not_a_number(value: object) -> str:
    if looks_dotted(value):
        return f"'{text(value)}' är inget tal – skriv decimalkomma, utan punkt"
    return f"'{text(value)}' är inget tal"


class Grid:
    """A worksheet's cached values, sparse: a single far cell (XFD1048576) must not make the reader
    walk a billion empty ones.

    `placeholders` says whether a formula's cached 0 may be a placeholder (the writer asked for a full
    recalculation on load). Cells the reader takes a figure from that could be uncalculated formulas
    (a cached 0 then, or a stored cell without a value) are collected in `suspects`; the workbook
    reader asks the formulas about them once, after every sheet is read.
    """

    def __init__(self, ws: Any, *, placeholders: bool = False) -> None:
        self.title: str = ws.title
        self.problems: list[Problem] = []
        self.notices: list[str] = []
        self.placeholders = placeholders
        self.suspects: set[tuple[int, int]] = set()
        self.rows: dict[int, dict[int, object]] = {}
        self.errors: set[tuple[int, int]] = set()
        self.valueless: dict[int, set[int]] = {}
        for (r, c), cell in sorted(ws._cells.items()):
            if cell.value is None:
                self.valueless.setdefault(r - 1, set()).add(c - 1)
                continue
            self.rows.setdefault(r - 1, {})[c - 1] = cell.value
            if cell.data_type == "e":
                self.errors.add((r - 1, c - 1))
        self.row_numbers = sorted(self.rows)

    def get(self, row: int, col: int) -> object:
        return self.rows.get(row, {}).get(col)

    def rows_after(self, row: int) -> list[int]:
        """The non-empty rows below `row`, in order."""
        return [r for r in self.row_numbers if r > row]

    def rows_between(self, first: int, last: int) -> list[int]:
        """The non-empty rows strictly between `first` and `last`."""
        return [r for r in self.row_numbers if first < r < last]

    def problem(self, row: int | None, col: int | None, message: str) -> None:
        cell = cell_name(row, col) if row is not None and col is not None else None
        self.problems.append(Problem(self.title, cell, message))

    def notice(self, row: int | None, col: int | None, message: str) -> None:
        where = f"{self.title}!{cell_name(row, col)}" if row is not None and col is not None else self.title
        self.notices.append(f"{where}: {message}")

    def error_value(self, row: int, col: int) -> bool:
        if (row, col) in self.errors:
            self.problem(row, col, f"cellen innehåller felvärdet {self.get(row, col)} – rätta formeln")
            return True
        return False

    def used(self, row: int, col: int, value: float | None) -> None:
        """Note that a figure was taken from this cell (or found missing there)."""
        if (value is None and col in self.valueless.get(row, ())) or (value == 0 and self.placeholders):
            self.suspects.add((row, col))

    def number(self, row: int, col: int, what: str) -> float | None:
        value = self.get(row, col)
        if self.error_value(row, col):
            return None
        if is_empty(value):
            self.used(row, col, None)
            self.problem(row, col, f"{what} saknas")
            return None
        try:
            number = parse_number(value)
        except NotANumber:
            self.problem(row, col, not_a_number(value))
            return None
        self.used(row, col, number)
        return number

    def cells(self, row: int) -> Iterator[tuple[int, object]]:
        for col, value in sorted(self.rows.get(row, {}).items()):
            if not is_empty(value):
                yield col, value

    def valueless_in(self, row: int) -> list[int]:
        """Columns of stored cells without a value in `row` (formatting, or a formula nobody calculated)."""
        return sorted(self.valueless.get(row, ()))

    def find_header(self, *required: str) -> Header | None:
        for r in (r for r in self.row_numbers if r < HEADER_SEARCH_ROWS):
            labels = {
                c: text(v) for c, v in self.cells(r) if isinstance(v, str) and (r, c) not in self.errors
            }
            folded = {c: fold(label) for c, label in labels.items()}
            lan_cols = [c for c, label in labels.items() if is_lan_header(label)]
            if not lan_cols or not all(name in folded.values() for name in required):
                continue
            lan_col = lan_cols[0]
            columns = tuple((c, labels[c]) for c in sorted(labels) if c > lan_col)
            return Header(r, lan_col, columns)
        return None
