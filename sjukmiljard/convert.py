"""The one library call that does the job: an input workbook in, a result workbook out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .accounting import replaced_population, scb_entries
from .allocation import Allocation, allocate
from .errors import InputRejected, OutputError, Problem, UsageError
from .files import archive, sha256_of, write_atomically
from .inputs import RESULT_SUFFIX
from .model import Indata
from .options import Options
from .reader import read_workbook
from .swedish import format_number
from .vocabulary import POPULATION_SHEET
from .writer import Provenance, write_result

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
    values_only, check, compare_with = opts.values_only, opts.check, opts.compare_with
    keep_previous, population_file, month = opts.keep_previous, opts.population_file, opts.month
    source = Path(source)
    if not source.is_file():
        raise OutputError(f"{source}: filen finns inte")
    target = Path(output) if output is not None else default_output(source)
    if not check and target.resolve() == source.resolve():
        raise OutputError(
            f"{source.name}: resultatet kan inte skrivas över indatafilen – välj ett annat namn"
        )
    indata = read_workbook(source)
    notices = list(indata.notices)
    scb = None
    if population_file is not None:
        indata, scb, population_notices = _with_population(source, indata, Path(population_file), month)
        notices += population_notices
    allocation = allocate(indata)
    payout = None
    if indata.utfall is not None:  # under --check too, so payout problems show without a real run
        from .payout import compute_payout

        payout = compute_payout(indata, indata.utfall)
        notices += payout.notices
    if check:
        return Report(
            source=source,
            output=None,
            indata=indata,
            allocation=allocation,
            notices=tuple(notices),
            payout=payout,
            population_file=scb,
        )
    sha256 = sha256_of(source)
    result = _Result(indata, allocation, Provenance(source.name, sha256, __version__), values_only, payout)
    placed = _place(result, target, compare_with=compare_with, keep_previous=keep_previous)
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
    )


@dataclass(frozen=True, kw_only=True)
class _Placed:
    written: Path
    archived: Path | None
    against: Path | None
    unchanged: bool
    notices: tuple[str, ...]


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
    if not unchanged:
        data = result.bytes(comparison)
        unchanged = _holds(target, data)
        if not unchanged:
            written = write_atomically(data, target)
    return _Placed(
        written=written, archived=archived, against=against, unchanged=unchanged, notices=tuple(notices)
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
    from .scb import PLAUSIBLE_CHANGE, read_population_file  # only runs that use an SCB file pay for it

    if not path.is_file():
        raise InputRejected(path, [Problem(None, None, f"SCB-filen {path} finns inte")])
    found = read_population_file(path, month)
    notices = [*found.notices, f"befolkningen togs från {path.name}, månad {found.month}"]
    own = indata.population
    scb_total, own_total = found.population.total, own.total
    if own_total and abs(scb_total - own_total) > PLAUSIBLE_CHANGE * own_total:
        message = (
            f"de 21 länen i SCB-filen summerar till {format_number(scb_total)} personer ({found.month}), "
            f"men arbetsbokens befolkning är {format_number(own_total)} ({own.date_text}) – "
            f"{format_number(100 * abs(scb_total - own_total) / own_total, 1)} % skillnad, mer än de "
            f"{format_number(100 * PLAUSIBLE_CHANGE)} % som befolkningen ändras på ett par år; är det "
            "fel tabell? Välj Folkmängden per månad, totalt för ålder och kön, i SCB:s statistikdatabas"
        )
        raise InputRejected(path, [Problem(None, None, message)])
    if found.population.date + dt.timedelta(days=1) < own.date:
        notices.append(
            f"SCB-filens månad {found.month} (befolkningen {found.population.date_text}) är äldre än "
            f"arbetsbokens befolkning ({own.date_text}) – är det rätt fil och månad?"
        )
    used = PopulationFile(path, found.month, sha256_of(path))
    receipt = replaced_population(indata.receipt, POPULATION_SHEET, f"{path.name} ({found.month})")
    receipt += scb_entries(path.name, found.month, found.population, found.cells)
    return replace(indata, population=found.population, receipt=receipt), used, notices


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
