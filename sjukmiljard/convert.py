"""The one library call that does the job: an input workbook in, a result workbook out."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .allocate.shares import Allocation, allocate
from .errors import InputRejected, OutputError, Problem, SjukmiljardError, UsageError, os_reason
from .files import dated_name, keep_copy, result_lock, write_atomically
from .formats import MAX_FILE_BYTES, printable, read_input
from .inputs import RESULT_SUFFIX
from .model import Indata
from .options import UNCHANGED, Options, Unchanged, given
from .read.accounting import replaced_population, scb_entries
from .read.workbook import read_workbook
from .result.writer import Provenance, unwritable, write_result
from .words.swedish import format_date, format_number
from .words.vocabulary import INPUT_SHA256_PROPERTY, POPULATION_SHEET

if TYPE_CHECKING:  # the comparison and the payments are imported when a run needs them
    from .allocate.payout import Payout
    from .read.previous import Comparison, Figures, PopulationFacts


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
        archived: the copy kept of the result this one replaced.
        change: what the Förändring sheet found, in one line ("" without one).
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
    change: str = ""
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
    source: Path,
    output: Path | None = None,
    options: Options | None = None,
    *,
    values_only: bool | Unchanged = UNCHANGED,
    check: bool | Unchanged = UNCHANGED,
    compare_with: Path | Unchanged | None = UNCHANGED,
    keep_previous: bool | Unchanged = UNCHANGED,
    population_file: Path | Unchanged | None = UNCHANGED,
    population_named: bool | Unchanged = UNCHANGED,
    month: str | Unchanged | None = UNCHANGED,
) -> Report:
    """Read, validate and allocate `source`; unless `check`, write the result workbook.

    A target that already holds exactly the new bytes is left untouched (`Report.unchanged`).

    Args:
        output: the result file; default: beside `source` as `<name>-resultat.xlsx`.
        options: what to do (`Options`); the keyword arguments change single fields of it, as in
            `convert(path, check=True)`, and a field left out keeps its value. With
            `keep_previous` (the default), a result already in the target is kept under a dated
            name and compared with, unless it is what this run would have written then (an
            unchanged rerun: nothing is kept); a population older than that result's is refused
            unless the SCB file and month were named (`population_named`).

    Raises:
        InputRejected: with every problem in the workbook; nothing is written.
        OutputError: when the result cannot be written; the input and the folder are left as they
            were found.
    """
    base = options or Options()
    opts = replace(
        base,
        values_only=given(values_only, base.values_only),
        check=given(check, base.check),
        compare_with=given(compare_with, base.compare_with),
        keep_previous=given(keep_previous, base.keep_previous),
        population_file=given(population_file, base.population_file),
        population_named=given(population_named, base.population_named),
        month=given(month, base.month),
    )
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
    payout = None
    if indata.utfall is not None:  # under --check too, so payout problems show without a real run
        from .allocate.payout import compute_payout

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
    provenance = Provenance(printable(source.name), sha256, __version__)
    result = _Result(indata, allocation, provenance, values_only, payout)
    going_back = opts.population_named and population_file is not None and month is not None
    try:
        placed = _place(
            result, target, compare_with=compare_with, keep_previous=keep_previous, going_back=going_back
        )
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
        change=placed.change,
        result_sha256=placed.sha256,
    )


@dataclass(frozen=True, kw_only=True)
class _Placed:
    written: Path
    archived: Path | None
    against: Path | None
    unchanged: bool
    notices: tuple[str, ...]
    change: str = ""
    sha256: str = ""  # the result's, as written or as found in place


def _place(
    result: _Result, target: Path, *, compare_with: Path | None, keep_previous: bool, going_back: bool
) -> _Placed:
    """Write the result into place, one run at a time per target (`result_lock`).

    A previous result in the target stays in place until the new one is complete: it is copied
    (hard-linked) to its dated name, compared with, and then replaced in one atomic move. A run
    that fails removes the copy it made, so the folder is left as it was found. A target that
    already holds this result is left untouched.
    """
    with result_lock(target) as waited:
        notices = []
        if waited:
            notices.append(f"en annan körning arbetade med {target.name} samtidigt – den här väntade in den")
        previous = _previous(target) if keep_previous else None
        figures = None
        if previous is not None:
            notices += _not_backwards(target, previous, result, going_back=going_back)
            figures = _figures(previous)
            if _reproduces(target, previous, result, figures):
                return _Placed(
                    written=target, archived=None, against=None, unchanged=True, notices=tuple(notices),
                    sha256=hashlib.sha256(previous).hexdigest(),
                )  # fmt: skip
        placed = _replace(result, target, previous, compare_with, figures)
        return replace(placed, notices=tuple(notices) + placed.notices)


def _previous(target: Path) -> bytes | None:
    try:
        return target.read_bytes() if target.is_file() else None
    except OSError as error:
        raise OutputError(f"det tidigare resultatet {target} kunde inte läsas: {error.strerror}") from error


def _figures(result: bytes) -> Figures | None:
    """A result's figures read from its own layout, or None (then it is read as an input)."""
    from .read.previous import read_result

    try:
        return read_result(result)
    except ValueError:
        return None


def _replace(
    result: _Result, target: Path, previous: bytes | None, compare_with: Path | None, figures: Figures | None
) -> _Placed:
    indata, allocation = result.indata, result.allocation
    kept = None
    if previous is not None:
        kept = dated_name(target)
        if kept is None:
            raise OutputError(
                f"det tidigare resultatet {target.name} kan inte sparas med datum: alla namnen är "
                "upptagna – flytta bort gamla kopior och kör igen"
            )
    against = comparison = None
    notices: list[str] = []
    if compare_with is not None:
        against = Path(compare_with)
        comparison = _compare(against, against.name, indata, allocation, explicit=True)
    elif previous is not None and kept is not None:
        comparison = _compare(
            target, kept.name, indata, allocation, explicit=False, data=previous, figures=figures
        )
        if comparison is None:
            notices.append(f"det tidigare resultatet {target.name} kunde inte läsas och jämfördes inte")
        else:
            against = kept
    data = result.bytes(comparison)
    change = comparison.summary_line() if comparison is not None else ""
    sha256 = hashlib.sha256(data).hexdigest()
    if previous == data:
        return _Placed(
            written=target, archived=None, against=None, unchanged=True, notices=tuple(notices), sha256=sha256
        )
    if kept is not None:
        try:
            keep_copy(target, kept)
        except OSError as error:
            raise OutputError(
                f"det tidigare resultatet {target.name} kunde inte sparas som {kept.name} "
                f"({error.strerror or error}) – inget ändrades"
            ) from error
    try:
        written = write_atomically(data, target)
    except OutputError as error:
        if kept is None:
            raise
        with contextlib.suppress(OSError):
            kept.unlink()
        raise OutputError(
            f"{error} – inget ändrades, det tidigare resultatet {target.name} ligger kvar"
        ) from error
    if kept is not None and written != target and comparison is None:
        kept.unlink()  # the target was locked, so not replaced, and nothing names the copy
        kept = None
    return _Placed(
        written=written,
        archived=kept,
        against=against,
        unchanged=False,
        notices=tuple(notices),
        change=change,
        sha256=sha256,
    )


def _not_backwards(target: Path, previous: bytes, result: _Result, *, going_back: bool) -> list[str]:
    """Refuse a population older than the previous result's, unless the officer named the older
    SCB file and month (then a notice says so)."""
    from .read.previous import PopulationFacts, population_of

    try:
        before = population_of(previous)
    except ValueError:
        return []  # not a readable result: nothing to go back from
    now = PopulationFacts.of(result.indata.population)
    if before is None or now.day >= before.day:
        return []
    was = f"befolkningen {_described(before)}"
    if going_back:
        return [f"befolkningen går bakåt med flit: det tidigare resultatet {target.name} har {was}"]
    problems = [
        f"befolkningen skulle gå bakåt: det tidigare resultatet {target.name} har {was}, den här "
        f"körningen {_described(now)} – inget skrevs och {target.name} är orört",
    ]
    if before.file:
        problems.append(
            f"lägg SCB-filen {before.file} (eller en nyare SCB-fil) bland indata igen, i inkorg eller "
            "tillsammans med arbetsboken, och kör igen"
        )
    else:
        problems.append("uppdatera bladet Befolkning eller lägg en nyare SCB-fil bland indata och kör igen")
    problems.append(
        "ska befolkningen gå tillbaka med flit: ange den äldre filen med --population FIL --month "
        f"ÅÅÅÅMmm, eller flytta bort {target.name} först"
    )
    raise InputRejected(Path(result.provenance.input_name), [Problem(None, None, text) for text in problems])


def _described(population: PopulationFacts) -> str:
    if population.month is not None:
        return f"från SCB-filen {population.file}, månad {population.month} ({format_date(population.date)})"
    return f"från {population.source} ({format_date(population.date)})"


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


def _reproduces(target: Path, existing: bytes, result: _Result, figures: Figures | None) -> bool:
    """Whether the result in place is byte for byte what this run would have written then.

    A result in folder mode carries a Förändring sheet against the copy kept before it; that copy
    is normally still beside it, so comparing with it again must give the same bytes when nothing
    has changed. Anything that cannot be reproduced counts as changed, so a copy is kept. What the
    result records of its input and population is looked at first: when that differs, the bytes
    differ, and writing them again to find out is spared.
    """
    from .read.previous import (
        COMPARED_WITH,
        DATE_PROPERTY,
        SOURCE_PROPERTY,
        Figures,
        properties,
        same_figures,
    )

    try:
        recorded = properties(existing)
    except ValueError:
        return False
    population = result.indata.population
    expected = {
        INPUT_SHA256_PROPERTY: result.provenance.input_sha256,
        DATE_PROPERTY: population.date.isoformat(),
        SOURCE_PROPERTY: population.source,
    }
    if any(recorded.get(key) != value for key, value in expected.items()):
        return False
    current = Figures.of(result.indata, result.allocation)
    if figures is not None and not same_figures(figures, replace(current, population=figures.population)):
        return False
    earlier = recorded.get(COMPARED_WITH)
    comparison = None
    if earlier is not None:
        path = target.parent / earlier
        if Path(earlier).name != earlier or not path.is_file() or _identical(path, target):
            return False
        comparison = _compare(path, path.name, result.indata, result.allocation, explicit=False)
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
    from .scb.files import TOO_LARGE as SCB_TOO_LARGE
    from .scb.population import (  # only runs that use an SCB file pay for it
        PLAUSIBLE_CHANGE,
        read_population_file,
    )

    if not path.exists():
        raise InputRejected(path, [Problem(None, None, f"SCB-filen {printable(str(path))} finns inte")])
    data = read_input(path, limit=MAX_FILE_BYTES, too_large_message=SCB_TOO_LARGE)
    found = read_population_file(path, month, data)
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
    used = PopulationFile(path, found.month, hashlib.sha256(data).hexdigest())
    receipt = replaced_population(indata.receipt, POPULATION_SHEET, f"{path.name} ({found.month})")
    receipt += scb_entries(path.name, found.month, found.population, found.cells)
    return replace(indata, population=found.population, receipt=receipt), used, notices


def _compare(
    previous: Path,
    name: str,
    indata: Indata,
    allocation: Allocation,
    *,
    explicit: bool,
    data: bytes | None = None,
    figures: Figures | None = None,
) -> Comparison | None:
    """Compare with the result in `previous` (its bytes `data` when already read), named `name` in
    the Förändring sheet; None when it cannot be read and was not asked for by name."""
    from .read.previous import Figures, compare, population_of, read_result

    before, recorded = figures, figures.population if figures is not None else None
    if before is None:
        try:
            data = data if data is not None else previous.read_bytes()
            before = read_result(data)
            recorded = population_of(data)
        except (OSError, ValueError):
            before = recorded = None
    if before is None:
        try:
            indata_before = read_workbook(previous)
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
        before = Figures.of(indata_before, allocate(indata_before), recorded)
    return compare(name, before, Figures.of(indata, allocation))
