"""Problems found in input, and the exceptions the CLI turns into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by sheet and cell where possible."""

    sheet: str | None
    cell: str | None
    message: str

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}: {self.message}"
        if self.sheet:
            return f"{self.sheet}: {self.message}"
        return self.message


class SjukmiljardError(Exception):
    """Fel i sjukmiljard"""

    def __str__(self) -> str:
        return super().__str__() or (self.__doc__ or "").strip()


class InputRejected(SjukmiljardError, ValueError):
    """Indata avvisades"""

    def __init__(self, source: Path, problems: list[Problem] | tuple[Problem, ...]) -> None:
        super().__init__(f"{source.name}: " + "; ".join(str(p) for p in problems))
        self.source = source
        self.problems = tuple(problems)


class OutputError(SjukmiljardError, OSError):
    """Resultatfilen kunde inte skrivas"""


class UsageError(SjukmiljardError, ValueError):
    """Felaktigt anrop"""
