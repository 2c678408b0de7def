"""The command line: parses arguments, calls the library, prints Swedish messages, sets the exit code.

This is the one place where errors become messages and exit codes: 0 everything converted,
1 some input rejected (the others are still converted), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import gc
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from . import __version__, bytecode, runlog
from .convert import Report, convert, find_inputs, output_for, sha256_of
from .errors import InputRejected, SjukmiljardError, UsageError
from .template import write_template

DESCRIPTION = (
    "Fördelar Sjukskrivningsmiljardens potter per villkor på de 21 länen efter befolkning\n"
    "och skriver den färdiga arbetsboken med Sammanställning."
)
EPILOG = (
    "Exempel:\n"
    "  sjukmiljard indata.xlsx                 skriver indata-resultat.xlsx bredvid indata\n"
    "  sjukmiljard inkorg/ -o utkorg/          alla arbetsböcker i en mapp\n"
    "  sjukmiljard indata.xlsx --check         kontrollerar utan att skriva något\n"
    "  sjukmiljard indata.xlsx --population scb.csv --month 2019M11\n"
    "                                          befolkning från en SCB-fil\n"
    "  sjukmiljard indata.xlsx --compare gammalt-resultat.xlsx\n"
    "                                          lägger till bladet Förändring\n"
    "  sjukmiljard --template mall.xlsx        skriver en tom indatamall\n\n"
    "Slutkod: 0 allt klart, 1 någon arbetsbok avvisades, 2 felaktigt anrop."
)
_ARGPARSE_MESSAGES = (
    ("unrecognized arguments: ", "okända argument: "),
    ("expected one argument", "kräver ett värde"),
    ("the following arguments are required: ", "följande argument saknas: "),
    ("argument ", "argumentet "),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for english, swedish in _ARGPARSE_MESSAGES:
            message = message.replace(english, swedish)
        self.print_usage(sys.stderr)
        self.exit(2, f"sjukmiljard: fel: {message}\n")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Användning:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "Användning:", 1)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sjukmiljard",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser._positionals.title = "argument"
    parser._optionals.title = "flaggor"
    parser.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        metavar="INDATA",
        help="indata-arbetsböcker (.xlsx) eller mappar med sådana",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="SÖKVÄG",
        help="resultatfil (en indatafil) eller mapp; standard: bredvid indata som <namn>-resultat.xlsx",
    )
    parser.add_argument("--check", action="store_true", help="kontrollera indata utan att skriva något")
    parser.add_argument("--template", type=Path, metavar="SÖKVÄG", help="skriv en tom indatamall hit")
    parser.add_argument(
        "--values-only", action="store_true", help="skriv bara värden, inga formler, i resultatet"
    )
    parser.add_argument(
        "--population",
        type=Path,
        metavar="FIL",
        help="ta befolkningen från en export ur SCB:s statistikdatabas (xlsx eller csv) "
        "i stället för bladet Befolkning",
    )
    parser.add_argument(
        "--month", metavar="ÅÅÅÅMmm", help="månad i SCB-filen, t.ex. 2019M11 (standard: den senaste)"
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="TIDIGARE",
        help="jämför med ett tidigare resultat och lägg till bladet Förändring",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="konvertera med N processer samtidigt (standard 1)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="visa tekniska detaljer vid fel")
    parser.add_argument(
        "--version", action="version", version=f"sjukmiljard {__version__}", help="visa versionen"
    )
    parser.add_argument("-h", "--help", action="help", help="visa den här hjälpen")
    return parser


def _say(text: str, *, error: bool = False) -> None:
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


@dataclass(frozen=True)
class _Outcome:
    """One workbook's result as message lines (text, is_error), so that worker processes can return it."""

    ok: bool
    lines: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class _Job:
    source: Path
    target: Path
    values_only: bool
    check: bool
    verbose: bool
    compare_with: Path | None = None
    keep_previous: bool = False
    population_file: Path | None = None
    month: str | None = None


def _success_lines(report: Report, check: bool) -> list[tuple[str, bool]]:
    if check:
        population = report.indata.population
        first = (
            f"Godkänd: {report.source.name} ({len(report.indata.villkor)} villkor, "
            f"befolkning {population.date_text})"
        )
    else:
        first = f"Klar: {report.source} → {report.output}"
    lines = [(first, False)]
    if report.locked is not None:
        locked = f"  Obs: {report.locked.name} är låst (öppen i Excel?)"
        lines.append((f"{locked} – resultatet skrevs till {report.output}", False))
    if report.archived is not None:
        lines.append((f"  Obs: det tidigare resultatet sparades som {report.archived.name}", False))
    if report.compared_with is not None:
        lines.append((f"  Jämfört med {report.compared_with.name}: se bladet Förändring", False))
    lines += [(f"  Obs: {notice}", False) for notice in report.notices]
    return lines


def _run(job: _Job) -> _Outcome:
    """Convert one workbook; every failure becomes Swedish message lines (the error boundary)."""
    try:
        report = convert(
            job.source,
            job.target,
            values_only=job.values_only,
            check=job.check,
            compare_with=job.compare_with,
            keep_previous=job.keep_previous,
            population_file=job.population_file,
            month=job.month,
        )
    except Exception as error:  # the error boundary: never a bare traceback for the user
        lines = [(f"Avvisad: {job.source}", True)]
        if isinstance(error, InputRejected):
            lines += [(f"  - {p}", True) for p in error.problems]
            reason = f"{len(error.problems)} fel, bl.a. {error.problems[0]}" if error.problems else str(error)
        elif isinstance(error, SjukmiljardError):
            lines.append((f"  - {error}", True))
            reason = str(error)
        else:
            lines.append((f"  - oväntat fel ({type(error).__name__}: {error})", True))
            reason = f"oväntat fel ({type(error).__name__})"
            if not job.verbose:
                lines.append(("  Kör igen med -v för tekniska detaljer och kontakta förvaltaren.", True))
        if job.verbose:
            lines.append((traceback.format_exc().rstrip(), True))
        if not job.check:
            lines += _log(job, None, reason)
        return _Outcome(False, tuple(lines))
    lines = _success_lines(report, job.check)
    if not job.check:
        lines += _log(job, report, "")
    return _Outcome(True, tuple(lines))


def _log(job: _Job, report: Report | None, reason: str) -> list[tuple[str, bool]]:
    """Append the run log line; a log that cannot be written is a notice, not a failed conversion."""
    try:
        sha256 = report.sha256 if report else (sha256_of(job.source) if job.source.is_file() else "")
        population = report.indata.population if report else None
        line = runlog.LogLine(
            time=runlog.LogLine.now(),
            input_name=job.source.name,
            input_sha256=sha256,
            population_source=population.source if population else "",
            population_date=population.date.isoformat() if population else "",
            output_name=report.output.name if report and report.output else "",
            status=runlog.DONE if report else runlog.REJECTED,
            reason=reason,
        )
        runlog.append(report.output.parent if report and report.output else job.target.parent, line)
    except OSError as error:
        return [(f"  Obs: loggen {runlog.LOG_NAME} kunde inte skrivas ({error.strerror or error})", True)]
    return []


def _outcomes(jobs: list[_Job], workers: int) -> Iterator[_Outcome]:
    if workers <= 1 or len(jobs) <= 1:
        yield from map(_run, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor  # only --jobs pays for multiprocessing

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        yield from pool.map(_run, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs måste vara minst 1")
    if args.month is not None and args.population is None:
        parser.error("--month gäller bara tillsammans med --population")
    if args.template is not None:
        try:
            written = write_template(args.template)
        except SjukmiljardError as error:
            _say(f"Fel: {error}", error=True)
            return 1
        _say(f"Klar: indatamall → {written}")
        if not args.inputs:
            return 0
    if not args.inputs:
        parser.error("ange minst en indatafil (INDATA) eller --template SÖKVÄG")
    inputs = find_inputs(args.inputs)
    if not inputs:
        _say("Hittade inga arbetsböcker (.xlsx) att konvertera.", error=True)
        return 1
    folder_mode = any(path.is_dir() for path in args.inputs)
    keep_previous = folder_mode and args.output is not None and args.output.suffix.casefold() != ".xlsx"
    try:
        jobs = [
            _Job(
                source,
                output_for(source, args.output, several=len(inputs) > 1),
                args.values_only,
                args.check,
                args.verbose,
                args.compare,
                keep_previous,
                args.population,
                args.month,
            )
            for source in inputs
        ]
    except UsageError as error:
        parser.error(str(error))
    done = rejected = 0
    for outcome in _outcomes(jobs, args.jobs):
        done, rejected = (done + 1, rejected) if outcome.ok else (done, rejected + 1)
        for text, is_error in outcome.lines:
            _say(text, error=is_error)
    if len(inputs) > 1:
        word = "godkända" if args.check else "klara"
        books = "arbetsbok" if done == 1 else "arbetsböcker"
        _say(f"{done} {books} {word}, {rejected} {'avvisad' if rejected == 1 else 'avvisade'}")
    return 1 if rejected else 0


def entry() -> NoReturn:
    """The console script and `python -m sjukmiljard`: main(), then the bytecode for the next start
    where Python writes none (see bytecode.py), then a quick exit.

    Everything is written, closed and flushed by then; Python's shutdown would still search pandas'
    50,000 objects for garbage cycles several times (70–100 ms, 15 % of a run) to free memory the
    operating system takes back anyway. Frozen objects are left out of that search."""
    code = main()
    bytecode.cache_imported()
    gc.freeze()
    sys.exit(code)
