"""The one library call that does the job: an input workbook in, a result workbook out."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .allocation import Allocation, allocate
from .errors import InputRejected, OutputError, Problem, SjukmiljardError, UsageError, os_reason
from .files import archive, sha256_of, write_atomically
from .input_file import MAX_FILE_BYTES, printable, read_input
from .inputs import RESULT_SUFFIX
from .model import Indata
from .options import Options
from .reader import read_workbook
from .writer import Provenance, unwritable, write_result

if TYPE_CHECKING:  # the comparison and the payments are imported when a run needs them
    from .compare import Comparison
    from .payout import Payout


@dataclass(frozen=True)
class PopulationFile:
    """The SCB export a conversion took its population from, for the run log."""

    path: Path
    month: str
    sha256: str


@dataclass(frozen=True, eq=False)
class Report:
    """What one conversion did.

    Attributes:
        unchanged: the result already in place was byte for byte this result, so it was left
            untouched (and no copy of it was kept).
        sha256: the input's, of the bytes read once and derived from.
        result_sha256: the result's, as written (or as found in place when unchanged).
    """

    source: Path
    output: Path | None
    indata: Indata
    allocation: Allocation
    notices: tuple[str, ...] = ()
    locked: Path | None = None
    archived: Path | None = None
    compared_with: Path | None = None
    sha256: str = ""
    payout: Payout | None = None
    population_file: PopulationFile | None = None
    unchanged: bool = False
    result_sha256: str = ""


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


def convert(
    source: Path, output: Path | None = None, options: Options | None = None, **changes: Any
) -> Report:
    """Read, validate and allocate `source`; unless `check`, write the result workbook.

    A target that already holds exactly the new bytes is left untouched (`Report.unchanged`).

    Args:
        output: the result file; default: beside `source` as `<name>-resultat.xlsx`.
        options: what to do (`Options`); keyword arguments change single fields of it, as in
            `convert(path, check=True)`. With `keep_previous`, a result already in the target is kept
            under a dated name and compared with, unless it is what this run would have written then
            (an unchanged rerun: nothing is kept).

    Raises:
        InputRejected: with every problem in the workbook; nothing is written.
        OutputError: when the result cannot be written; the input is never touched.
    """
    opts = replace(options or Options(), **changes)
    source = Path(source)
    if not source.exists():  # any other kind than a regular file is refused when it is read
        raise OutputError(f"{printable(str(source))}: filen finns inte")
    target = Path(output) if output is not None else default_output(source)
    if not opts.check and target.resolve() == source.resolve():
        raise OutputError(
            f"{source.name}: resultatet kan inte skrivas över indatafilen – välj ett annat namn"
        )
    data = read_input(source)  # once: the checks, the figures and the checksum all come from these bytes
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return _convert(source, data, sha256, target, opts)
    except SjukmiljardError as error:  # the run log names the input read, also for a refusal
        error.sha256 = sha256
        raise


def _convert(source: Path, data: bytes, sha256: str, target: Path, opts: Options) -> Report:
    values_only, check, compare_with = opts.values_only, opts.check, opts.compare_with
    keep_previous, population_file, month = opts.keep_previous, opts.population_file, opts.month
    indata = read_workbook(source, data)
    if unwritten := unwritable(indata):
        raise InputRejected(source, unwritten)
    notices = list(indata.notices)
    scb = None
    if population_file is not None:
        indata, scb, population_notices = _with_population(source, indata, Path(population_file), month)
        notices += population_notices
    allocation = allocate(indata)
    if check:
        return Report(
            source=source,
            output=None,
            indata=indata,
            allocation=allocation,
            notices=tuple(notices),
            population_file=scb,
        )
    payout = None
    if indata.utfall is not None:
        from .payout import compute_payout

        payout = compute_payout(indata, indata.utfall)
        notices += payout.notices
    provenance = Provenance(printable(source.name), sha256, __version__)
    result = _Result(indata, allocation, provenance, values_only, payout)
    try:
        placed = _place(result, target, compare_with=compare_with, keep_previous=keep_previous)
    except OSError as error:  # a read-only or full disk, a folder without rights: never "oväntat fel"
        if isinstance(error, SjukmiljardError):
            raise
        message = f"{printable(target.name)} kunde inte skrivas – {os_reason(error)}"
        raise OutputError(message) from error
    notices += placed.notices
    written, archived, against, unchanged = placed.written, placed.archived, placed.against, placed.unchanged
    locked = target if written != target else None
    return Report(
        source=source,
        output=written,
        indata=indata,
        allocation=allocation,
        notices=tuple(notices),
        locked=locked,
        archived=archived,
        compared_with=against,
        sha256=sha256,
        payout=payout,
        population_file=scb,
        unchanged=unchanged,
        result_sha256=placed.sha256,
    )


@dataclass(frozen=True, kw_only=True)
class _Placed:
    written: Path
    archived: Path | None
    against: Path | None
    unchanged: bool
    notices: tuple[str, ...]
    sha256: str


def _place(result: _Result, target: Path, *, compare_with: Path | None, keep_previous: bool) -> _Placed:
    """Write the result into place: compared with a previous result, keeping the one in the target
    under a dated name first (`keep_previous`), or leaving the target untouched when it already is
    this result."""
    indata, allocation = result.indata, result.allocation
    archived = against = comparison = None
    notices: list[str] = []
    unchanged = False
    if compare_with is not None:
        against = Path(compare_with)
        comparison = _compare(against, indata, allocation, explicit=True)
    elif keep_previous and target.is_file():
        unchanged = _reproduces(target, result)
        if not unchanged:
            archived = archive(target)
            against = archived or target
            comparison = _compare(against, indata, allocation, explicit=False)
            if comparison is None:
                notices.append(f"det tidigare resultatet {against.name} kunde inte läsas och jämfördes inte")
                against = None
    written = target
    if unchanged:
        sha256 = sha256_of(target)
    else:
        data = result.bytes(comparison)
        sha256 = hashlib.sha256(data).hexdigest()
        unchanged = _holds(target, data)
        if not unchanged:
            written = write_atomically(data, target)
    return _Placed(
        written=written,
        archived=archived,
        against=against,
        unchanged=unchanged,
        notices=tuple(notices),
        sha256=sha256,
    )


@dataclass(frozen=True, eq=False)
class _Result:
    """Everything a result workbook is written from, but the comparison."""

    indata: Indata
    allocation: Allocation
    provenance: Provenance
    values_only: bool
    payout: Payout | None

    def bytes(self, comparison: Comparison | None) -> bytes:
        return write_result(
            self.indata,
            self.allocation,
            self.provenance,
            values_only=self.values_only,
            comparison=comparison,
            payout=self.payout,
        )


def _reproduces(target: Path, result: _Result) -> bool:
    """Whether the result in place is byte for byte what this run would have written then.

    A result in folder mode carries a Förändring sheet against the copy kept before it; that copy
    is normally still beside it, so comparing with it again must give the same bytes when nothing
    has changed. Anything that cannot be reproduced counts as changed, so a copy is kept.
    """
    try:
        existing = target.read_bytes()
    except OSError:
        return False
    from .compare import compared_with

    try:
        earlier = compared_with(existing)
    except ValueError:
        return False
    comparison = None
    if earlier is not None:
        path = target.parent / earlier
        if Path(earlier).name != earlier or not path.is_file() or _identical(path, target):
            return False
        comparison = _compare(path, result.indata, result.allocation, explicit=False)
        if comparison is None:
            return False
    return result.bytes(comparison) == existing


def _identical(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return True


def _holds(target: Path, data: bytes) -> bool:
    """Whether the target already holds exactly these bytes (then it is left untouched)."""
    try:
        return target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _with_population(
    source: Path, indata: Indata, path: Path, month: str | None
) -> tuple[Indata, PopulationFile, list[str]]:
    from .scb import read_population_file  # only runs that use an SCB file pay for it
    from .scb_files import TOO_LARGE as SCB_TOO_LARGE

    if not path.exists():
        raise InputRejected(path, [Problem(None, None, f"SCB-filen {printable(str(path))} finns inte")])
    data = read_input(path, limit=MAX_FILE_BYTES, too_large_message=SCB_TOO_LARGE)
    found = read_population_file(path, month, data)
    notices = [*found.notices, f"befolkningen togs från {path.name}, månad {found.month}"]
    own = indata.population
    if found.population.date + dt.timedelta(days=1) < own.date:
        notices.append(
            f"SCB-filens månad {found.month} (befolkningen {found.population.date_text}) är äldre än "
            f"arbetsbokens befolkning ({own.date_text}) – är det rätt fil och månad?"
        )
    used = PopulationFile(path, found.month, hashlib.sha256(data).hexdigest())
    return replace(indata, population=found.population), used, notices


def _compare(previous: Path, indata: Indata, allocation: Allocation, *, explicit: bool) -> Comparison | None:
    try:
        before = read_workbook(previous)
    except InputRejected as error:
        if not explicit:
            return None
        raise InputRejected(
            previous,
            [
                Problem(None, None, f"jämförelsefilen {previous.name} kunde inte läsas: {p}")
                for p in error.problems
            ],
        ) from error
    from .compare import compare

    return compare(previous.name, before, allocate(before), indata, allocation)
