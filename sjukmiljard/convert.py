"""The one library call that does the job: an input workbook in, a result workbook out."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .allocation import Allocation, allocate
from .errors import OutputError, UsageError
from .model import Indata
from .reader import read_workbook
from .writer import Provenance, write_result

RESULT_SUFFIX = "-resultat"
_RESULT_NAME = re.compile(rf"{RESULT_SUFFIX}( \(\d+\))?$")
MAX_ALTERNATIVES = 9


@dataclass(frozen=True, eq=False)
class Report:
    """What one conversion did."""

    source: Path
    output: Path | None
    indata: Indata
    allocation: Allocation
    notices: tuple[str, ...] = ()
    locked: Path | None = None


def is_result(path: Path) -> bool:
    """True for our own results ("x-resultat.xlsx", "x-resultat (2).xlsx")."""
    return bool(_RESULT_NAME.search(path.stem))


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders expanded to their .xlsx files, without Excel's lock files
    and our own results."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                child
                for child in path.iterdir()
                if child.suffix.casefold() == ".xlsx"
                and child.is_file()
                and not child.name.startswith("~$")
                and not is_result(child)
            )
        else:
            found.append(path)
    return found


def default_output(source: Path, folder: Path | None = None) -> Path:
    return (folder or source.parent) / f"{source.stem}{RESULT_SUFFIX}.xlsx"


def output_for(source: Path, option: Path | None, *, several: bool) -> Path:
    """Where the result of `source` goes: beside it, or as `-o` says (a file or a folder)."""
    if option is None:
        return default_output(source)
    if option.suffix.casefold() == ".xlsx" and not option.is_dir():
        if several:
            raise UsageError("-o kan bara vara en fil när det finns en enda indatafil – ange en mapp")
        return option
    return default_output(source, option)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def convert(
    source: Path, output: Path | None = None, *, values_only: bool = False, check: bool = False
) -> Report:
    """Read, validate and allocate `source`; unless `check`, write the result workbook.

    Raises:
        InputRejected: with every problem in the workbook; nothing is written.
        OutputError: when the result cannot be written; the input is never touched.
    """
    source = Path(source)
    if not source.is_file():
        raise OutputError(f"{source}: filen finns inte")
    target = Path(output) if output is not None else default_output(source)
    if not check and target.resolve() == source.resolve():
        raise OutputError(
            f"{source.name}: resultatet kan inte skrivas över indatafilen – välj ett annat namn"
        )
    indata = read_workbook(source)
    allocation = allocate(indata)
    if check:
        return Report(source, None, indata, allocation, indata.notices)
    provenance = Provenance(source.name, sha256_of(source), __version__)
    data = write_result(indata, allocation, provenance, values_only=values_only)
    written = write_atomically(data, target)
    locked = target if written != target else None
    return Report(source, written, indata, allocation, indata.notices, locked)


def write_atomically(data: bytes, target: Path) -> Path:
    """Write to a temporary file in the target folder, then move it into place.

    When the target is locked (open in Excel), use "<name> (2).xlsx", "(3)" … instead.
    Returns the path written.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".~sjukmiljard-", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"kan inte skriva i mappen {target.parent}: {error.strerror}") from error
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        for candidate in _candidates(target):
            try:
                os.replace(temp, candidate)
                return candidate
            except PermissionError:
                continue
        raise OutputError(f"{target.name} och alternativen till den är låsta – stäng filerna i Excel")
    except OSError as error:
        if isinstance(error, OutputError):
            raise
        raise OutputError(f"kunde inte skriva {target}: {error.strerror or error}") from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _candidates(target: Path) -> Iterable[Path]:
    yield target
    for n in range(2, MAX_ALTERNATIVES + 1):
        yield target.with_name(f"{target.stem} ({n}){target.suffix}")
