"""The command line: parses arguments, calls the library, prints Swedish messages, sets the exit code.

This is the one place where errors become messages and exit codes: 0 everything converted,
1 some input rejected (the others are still converted), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__, bytecode
from .batch import Outcome, plan
from .convert import Report
from .errors import SjukmiljardError, UsageError
from .formats import readable
from .options import Options
from .read.accounting import summary_lines
from .template import write_template

DESCRIPTION = (
    "Fördelar Sjukskrivningsmiljardens potter per villkor på de 21 länen efter befolkning\n"
    "och skriver den färdiga arbetsboken med Sammanställning."
)
EPILOG = (
    "Exempel:\n"
    "  sjukmiljard indata.xlsx                 skriver indata-resultat.xlsx bredvid indata\n"
    "  sjukmiljard inkorg/ -o utkorg/          alla arbetsböcker i en mapp; en befolkningsfil\n"
    "                                          från SCB i mappen blir befolkningen\n"
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
        help="indata-arbetsböcker (.xlsx), högst en befolkningsfil från SCB (xlsx, csv, txt, px, "
        "json) eller mappar med sådana; en SCB-fil som inte kan användas stoppar hela körningen",
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
        help="ta befolkningen från en export ur SCB:s statistikdatabas (Excel xlsx, CSV/text, "
        "PC-Axis .px eller JSON-stat2 .json) "
        "i stället för bladet Befolkning; behövs inte när SCB-filen finns bland indata",
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
    print(readable(text), file=sys.stderr if error else sys.stdout, flush=True)


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
    if report.change:
        lines.append((f"  {report.change}", False))
    if report.unchanged and report.output is not None:
        unchanged = f"  Obs: oförändrat – {report.output.name} har redan exakt detta innehåll"
        lines.append((f"{unchanged} och lämnades orörd (ingen kopia sparades)", False))
    lines += [(f"  Obs: {notice}", False) for notice in report.notices]
    if check:
        lines += [(f"  {line}", False) for line in summary_lines(report.indata)]
    return lines


def _lines(outcome: Outcome, *, check: bool, verbose: bool) -> list[tuple[str, bool]]:
    """One workbook's outcome as message lines (text, is_error)."""
    if outcome.report is not None:
        lines = _success_lines(outcome.report, check)
    else:
        lines = [(f"Avvisad: {outcome.source}", True)]
        if outcome.refusal:
            lines.append((f"  - {outcome.refusal}", True))
        elif outcome.problems:
            lines += [(f"  - {p}", True) for p in outcome.problems]
        elif outcome.unexpected:
            lines.append((f"  - oväntat fel ({outcome.unexpected}: {outcome.error})", True))
            if not verbose:
                lines.append(("  Kör igen med -v för tekniska detaljer och kontakta förvaltaren.", True))
        else:
            lines.append((f"  - {outcome.error}", True))
        if verbose and outcome.trace:
            lines.append((outcome.trace, True))
    if outcome.log_error:
        lines.append((f"  Obs: {outcome.log_error}", True))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs måste vara minst 1")
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
    options = Options(
        output=args.output,
        values_only=args.values_only,
        check=args.check,
        compare_with=args.compare,
        population_file=args.population,
        month=args.month,
        jobs=args.jobs,
    )
    try:
        batch = plan(args.inputs, options)
    except UsageError as error:
        parser.error(str(error))
    for text in batch.refusal:
        _say(text, error=True)
    if batch.refusal:
        return 1
    if batch.nothing_to_do:
        for text in batch.notices:
            _say(text)
        _say(batch.nothing_to_do, error=True)
        return 1
    done = rejected = 0
    for outcome in batch.outcomes():
        done, rejected = (done + 1, rejected) if outcome.ok else (done, rejected + 1)
        for text, is_error in _lines(outcome, check=args.check, verbose=args.verbose):
            _say(text, error=is_error)
    for text in batch.notices:
        _say(text)
    if len(batch.jobs) > 1:
        one = done == 1
        word = ("godkänd" if one else "godkända") if args.check else ("klar" if one else "klara")
        books = "arbetsbok" if one else "arbetsböcker"
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
