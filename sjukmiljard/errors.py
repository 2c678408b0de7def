"""Problems found in input, and the exceptions the CLI turns into messages and exit codes."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

_OS_REASONS = {
    errno.EACCES: "behörighet saknas (eller filen är öppen i ett annat program)",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "mappen är skrivskyddad",
    errno.ENOSPC: "disken är full",
    errno.ENOENT: "filen eller mappen finns inte",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EISDIR: "är en mapp, inte en fil",
    errno.ELOOP: "är en symbolisk länk, som programmet inte följer",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.ENXIO: "är ingen vanlig fil",
    errno.EBUSY: "filen används av ett annat program",
    errno.EIO: "läsfel eller skrivfel på disken",
}
if hasattr(errno, "EDQUOT"):
    _OS_REASONS[errno.EDQUOT] = "diskkvoten är slut"


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


def os_reason(error: OSError) -> str:
    """What the operating system said, in Swedish (its own text is in the system's language)."""
    if error.errno in _OS_REASONS:
        return _OS_REASONS[error.errno]
    code = errno.errorcode.get(error.errno or 0)
    return f"systemfel {code} ({error.errno})" if code else f"systemfel ({type(error).__name__})"


class SjukmiljardError(Exception):
    """Fel i sjukmiljard"""

    sha256 = ""  # the SHA-256 of the input the run had read when it failed, for the run log

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
