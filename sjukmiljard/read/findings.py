"""What a sheet reader finds on a sheet besides its data, handed back as values beside what it read.

A grid holds a sheet's cached values and nothing else; a reader collects its problems, notices, failed
checks and doubtful cells on a `SheetCheck` of its own and returns them in a `Read`. The workbook
reader combines the sheets' findings: a failed check is moot on a sheet whose formulas nobody
calculated, so the checks travel apart from the problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import Problem
from ..words.swedish import NotANumber, parse_number
from .grid import Grid, cell_name, is_empty, not_a_number

T = TypeVar("T")

Cells = frozenset[tuple[int, int]]


@dataclass(frozen=True)
class Findings:
    """What was found on one sheet, in the order found.

    Attributes:
        problems: what makes the sheet unusable.
        mismatches: checks that fail (a sum, a total): moot where a formula was not calculated.
        notices: sentences for the user ("Villkor 3!B7: …").
        suspects: cells (row, col) a figure was taken from, or found missing in, that could be
            uncalculated formulas (a cached 0 then, or a stored cell without a value); the workbook
            reader asks the file's format about them once, after every sheet is read.
    """

    problems: tuple[Problem, ...] = ()
    mismatches: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()
    suspects: Cells = frozenset()

    def __add__(self, other: Findings) -> Findings:
        """The findings of two readings of the same sheet, this one's first."""
        return Findings(
            self.problems + other.problems,
            self.mismatches + other.mismatches,
            self.notices + other.notices,
            self.suspects | other.suspects,
        )


@dataclass(frozen=True)
class Read(Generic[T]):
    """A sheet reader's result: what it read (None or a partial record where the sheet is refused)
    and what it found."""

    value: T
    findings: Findings


class SheetCheck:
    """The findings of one reader on one sheet while it reads; `grid` names the cells."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self._problems: list[Problem] = []
        self._mismatches: list[Problem] = []
        self._notices: list[str] = []
        self._suspects: set[tuple[int, int]] = set()

    @property
    def problem_count(self) -> int:
        return len(self._problems)

    def findings(self) -> Findings:
        return Findings(
            tuple(self._problems), tuple(self._mismatches), tuple(self._notices), frozenset(self._suspects)
        )

    def read(self, value: T) -> Read[T]:
        """`value` with the findings so far."""
        return Read(value, self.findings())

    def problem(self, row: int | None, col: int | None, message: str) -> None:
        cell = self.grid.ref(row, col) if row is not None and col is not None else None
        self._problems.append(Problem(self.grid.title, cell, message))

    def notice(self, row: int | None, col: int | None, message: str) -> None:
        title = self.grid.title
        where = f"{title}!{cell_name(row, col)}" if row is not None and col is not None else title
        self._notices.append(f"{where}: {message}")

    def error_value(self, row: int, col: int) -> bool:
        """Whether the cell holds an error value (`#REF!`, …), a problem then."""
        if (row, col) in self.grid.errors:
            self.problem(row, col, f"cellen innehåller felvärdet {self.grid.get(row, col)} – rätta formeln")
            return True
        return False

    def used(self, row: int, col: int, value: float | None) -> None:
        """Note that a figure was taken from this cell (or found missing there). Only a numeric 0 can
        be a placeholder: text such as "0,000" was typed."""
        grid = self.grid
        if value is None:
            if col in grid.valueless.get(row, ()):
                self._suspects.add((row, col))
        elif value == 0 and grid.placeholders and isinstance(grid.get(row, col), int | float):
            self._suspects.add((row, col))

    def mismatch(self, row: int, col: int, message: str, value: float | None) -> None:
        """A check value (a sum, a total) that does not agree; a placeholder 0 makes it suspect."""
        self.used(row, col, value)
        self._mismatches.append(Problem(self.grid.title, self.grid.ref(row, col), message))

    def number(self, row: int, col: int, what: str, *, figure: bool = True) -> float | None:
        """The number in a cell, or None with a problem; `figure` when the reader takes it as a figure
        (rather than a sum it checks) and a placeholder there must be reported."""
        value = self.grid.get(row, col)
        if self.error_value(row, col):
            return None
        if is_empty(value):
            if figure:
                self.used(row, col, None)
            self.problem(row, col, f"{what} saknas")
            return None
        try:
            number = parse_number(value)
        except NotANumber:
            self.problem(row, col, not_a_number(value))
            return None
        if figure:
            self.used(row, col, number)
        return number
