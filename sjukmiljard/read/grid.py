"""One worksheet as a sparse grid of cached values.

The sheet readers (Befolkning, villkor, Utfall) and the SCB layout analysis work on a grid and never
see openpyxl; an SCB text export becomes a grid too, its cells named by line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Protocol

from openpyxl.utils import get_column_letter

from ..errors import Problem
from ..words.regions import fold
from ..words.swedish import looks_dotted
from ..words.vocabulary import is_lan_header

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


def text(value: object, *, iso_dates: bool = False) -> str:
    """A cell's value as the user sees it in a message; "" for no value.

    Args:
        value: The cell's value.
        iso_dates: Render a date in Python's ISO form, with a datetime's time (2019-11-30T00:00:00),
            as the SCB reader's messages quote a cell; the workbook readers show the date alone.
    """
    if value is None:
        return ""
    if isinstance(value, bool):  # as Swedish Excel and LibreOffice show it
        return "SANT" if value else "FALSKT"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat() if iso_dates else value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def not_a_number(value: object) -> str:
    if looks_dotted(value):
        return f"'{text(value)}' är inget tal – skriv decimalkomma, utan punkt"
    if isinstance(value, dt.date | dt.time):
        why = "cellen visas som datum eller tid: ge den ett talformat och se över talet"
        return f"'{text(value)}' är inget tal – {why}"
    return f"'{text(value)}' är inget tal"


@dataclass(frozen=True)
class Look:
    """How a numeric cell is shown where that is not the plain number: the officer reads the display,
    so a reader that takes the stored value must know what the display did to it.

    Args:
        percent: shown as a percentage (the display multiplies by 100).
        scale: the display divides the value by 10**scale (an .xlsx format's trailing commas, 3 each).
        unit: literal text the display adds around the number ("Mkr", "tkr", "kr").
    """

    percent: bool = False
    scale: int = 0
    unit: str | None = None


PLAIN = Look()


@dataclass(frozen=True)
class SheetRef:
    """A sheet of an input file, as a format adapter lists it."""

    title: str
    visible: bool


class Book(Protocol):
    """An input file opened by a format adapter: its sheets as grids."""

    sheets: tuple[SheetRef, ...]

    def grid(self, title: str) -> Grid:
        """The sheet's cached values."""

    def uncalculated(self, suspects: Mapping[str, Set[tuple[int, int]]], rejected: bool) -> list[Problem]:
        """Problems for the formulas no program calculated among the suspect cells of the sheets read
        (`suspects`: each sheet read, by title in reading order, to its suspect cells), and, when the
        workbook is `rejected` anyway, every formula without a value on those sheets."""


_STRUCK = "är överstruken"
_INVISIBLE = "syns inte (texten har bakgrundens färg)"
_BLANK = "syns inte (talformatet visar inget, t.ex. ';;;')"


class Grid:
    """A worksheet's cached values, sparse: a single far cell (XFD1048576) must not make the reader
    walk a billion empty ones. Rows and columns count from 0.

    Args:
        values: row -> column -> value, for the cells that hold one.
        errors: cells holding an error value (`#REF!`, …), their text in `values`.
        valueless: row -> columns of cells the file stores without a value (formatting only, or a
            formula no program calculated).
        placeholders: the writer asked for a full recalculation on load, so a formula's cached 0 may
            be a placeholder.
        lines: for a grid read from a text file (an SCB export), each row's line number in the file:
            its cells are then named by line ("rad 12"), not as A1.
        hidden_rows: the hidden rows among those that hold a cell (rows without cells may be left out).
        hidden_cols: the hidden columns.
        struck: the cells holding a value in struck-through type (an officer's way of deleting).
        invisible: the cells holding a value in type of the background's colour (white on white).
        blank: the cells holding a number whose number format shows nothing (';;;').
        looks: numeric cells shown otherwise than as the plain number (sparse: plain cells are absent).

    What a reader finds on the sheet is its own (`read.findings`): the grid holds the data only.
    """

    def __init__(
        self,
        title: str,
        values: dict[int, dict[int, object]],
        *,
        errors: set[tuple[int, int]] | None = None,
        valueless: dict[int, set[int]] | None = None,
        placeholders: bool = False,
        lines: Sequence[int] | None = None,
        hidden_rows: frozenset[int] = frozenset(),
        hidden_cols: frozenset[int] = frozenset(),
        struck: frozenset[tuple[int, int]] = frozenset(),
        invisible: frozenset[tuple[int, int]] = frozenset(),
        blank: frozenset[tuple[int, int]] = frozenset(),
        looks: dict[tuple[int, int], Look] | None = None,
    ) -> None:
        self.title = title
        self.rows = values
        self.errors = errors or set()
        self.valueless = valueless or {}
        self.placeholders = placeholders
        self.lines = lines
        self.hidden_rows = hidden_rows
        self.hidden_cols = hidden_cols
        self.struck = struck
        self.invisible = invisible
        self.blank = blank
        self._marked_rows = (
            {r: _STRUCK for r, _ in struck}
            | {r: _BLANK for r, _ in blank}
            | {r: _INVISIBLE for r, _ in invisible}
        )
        self.looks = looks or {}
        self.row_numbers = sorted(self.rows)

    def get(self, row: int, col: int) -> object:
        return self.rows.get(row, {}).get(col)

    def row_hidden(self, row: int) -> bool:
        return row in self.hidden_rows

    def col_hidden(self, col: int) -> bool:
        return col in self.hidden_cols

    def mark(self, row: int, col: int) -> str | None:
        """How the cell's type sets it aside, in words ("är överstruken"), if it does."""
        if (row, col) in self.struck:
            return _STRUCK
        if (row, col) in self.invisible:
            return _INVISIBLE
        return _BLANK if (row, col) in self.blank else None

    def row_mark(self, row: int) -> str | None:
        """How a cell of `row` is set aside by its type (struck through, invisible), if one is."""
        return self._marked_rows.get(row)

    def look(self, row: int, col: int) -> Look:
        """How the cell is shown: `PLAIN` for a plain number (and for any cell that is no number)."""
        return self.looks.get((row, col), PLAIN)

    def rows_after(self, row: int) -> list[int]:
        """The non-empty rows below `row`, in order."""
        return [r for r in self.row_numbers if r > row]

    def rows_between(self, first: int, last: int) -> list[int]:
        """The non-empty rows strictly between `first` and `last`."""
        return [r for r in self.row_numbers if first < r < last]

    def ref(self, row: int, col: int) -> str:
        """The cell as the user finds it: B7 in a sheet, "rad 12" in a text file."""
        return cell_name(row, col) if self.lines is None else f"rad {self.lines[row]}"

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
