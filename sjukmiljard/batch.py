"""A run over many inputs, as the command line and the .bat make it: files and folders in, one
outcome per workbook, the run log written, worker processes for `jobs` > 1.

The library's batch call; `cli.py` only parses arguments, renders these outcomes as messages and sets
the exit code.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import runlog
from .convert import Report, convert, output_for
from .errors import InputRejected, Problem, SjukmiljardError, UsageError, os_reason
from .formats import read_bounded
from .inputs import Found, Kind, scan
from .options import Options


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What became of one input: its report, or why it was refused.

    Attributes:
        problems: the workbook's problems (InputRejected).
        error: any other refusal's message, or the unexpected error's text.
        unexpected: the type of an error the program did not expect ("" when expected).
        trace: the traceback of an error, for `-v`.
        refusal: what a file given by name is not (it is no input at all).
        log_error: why the run log could not be written, if it could not.
    """

    source: Path
    report: Report | None = None
    problems: tuple[Problem, ...] = ()
    error: str = ""
    unexpected: str = ""
    trace: str = ""
    refusal: str = ""
    log_error: str = ""

    @property
    def ok(self) -> bool:
        return self.report is not None


@dataclass(frozen=True, kw_only=True)
class Job:
    source: Path
    target: Path
    options: Options
    refusal: str = ""


@dataclass(frozen=True, kw_only=True)
class Batch:
    """A run's plan: the jobs, the notices for its end, or the lines refusing the whole run."""

    jobs: tuple[Job, ...] = ()
    notices: tuple[str, ...] = ()
    refusal: tuple[str, ...] = ()
    nothing_to_do: str = ""

    def outcomes(self) -> Iterator[Outcome]:
        """Run the jobs, in order, in `jobs` worker processes."""
        jobs = list(self.jobs)
        workers = jobs[0].options.jobs if jobs else 1
        if workers <= 1 or len(jobs) <= 1:
            yield from map(run_job, jobs)
            return
        from concurrent.futures import ProcessPoolExecutor  # only --jobs pays for multiprocessing

        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            yield from pool.map(run_job, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


def plan(paths: Sequence[Path], options: Options) -> Batch:
    """Recognise every input by its content and plan the run.

    Raises:
        UsageError: `--month` without a population file, or `-o` a file for several inputs.
    """
    found = scan(paths)
    population, notices, refusal = _population_of_run(found, options.population_file)
    if population is not None and options.population_file is None:
        refusal = unusable_population(population, options.month)
    if refusal:
        return Batch(refusal=tuple(refusal))
    if options.month is not None and population is None:
        raise UsageError("--month gäller bara tillsammans med --population eller en befolkningsfil från SCB")
    notices += [
        f"Obs: {item.path.name} hoppades över – {item.why}"
        for item in found
        if item.kind is Kind.OTHER and not item.named
    ]
    inputs = [item for item in found if item.converted or (item.kind is Kind.OTHER and item.named)]
    if not inputs:
        message = "Hittade inga arbetsböcker (.xlsx) att konvertera"
        if population is not None and options.population_file is None:
            message += f", bara befolkningsfilen {population.name} – lägg arbetsboken bredvid den"
        return Batch(notices=tuple(notices), nothing_to_do=f"{message}.")
    output = options.output
    named = options.population_file is not None
    job_options = replace(options, population_file=population, population_named=named)
    jobs = tuple(
        Job(
            source=item.path,
            target=output_for(item.path, output, several=len(inputs) > 1),
            options=job_options,
            refusal=item.why if item.kind is Kind.OTHER else "",
        )
        for item in inputs
    )
    return Batch(jobs=jobs, notices=tuple(notices))


def run_job(job: Job) -> Outcome:
    """Convert one workbook and log it; every failure becomes an outcome (never an exception)."""
    if job.refusal:
        log_error = "" if job.options.check else _log(job, None, job.refusal)
        return Outcome(source=job.source, refusal=job.refusal, log_error=log_error)
    try:
        report = convert(job.source, job.target, job.options)
    except Exception as error:  # the library's side of the error boundary: a failure is an outcome
        outcome = _failure(job.source, error)
        if job.options.check:
            return outcome
        read = error.sha256 if isinstance(error, SjukmiljardError) else ""
        return replace(outcome, log_error=_log(job, None, _reason(outcome), read))
    log_error = "" if job.options.check else _log(job, report, "oförändrat" if report.unchanged else "")
    return Outcome(source=job.source, report=report, log_error=log_error)


def _failure(source: Path, error: Exception) -> Outcome:
    trace = traceback.format_exc().rstrip()
    if isinstance(error, InputRejected):
        return Outcome(source=source, problems=error.problems, error=str(error), trace=trace)
    if isinstance(error, SjukmiljardError):
        return Outcome(source=source, error=str(error), trace=trace)
    return Outcome(source=source, error=str(error), unexpected=type(error).__name__, trace=trace)


def _reason(outcome: Outcome) -> str:
    """The run log's "Orsak" for a refused workbook."""
    if outcome.problems:
        return f"{len(outcome.problems)} fel, bl.a. {outcome.problems[0]}"
    if outcome.unexpected:
        return f"oväntat fel ({outcome.unexpected})"
    return outcome.error


def _log(job: Job, report: Report | None, reason: str, read_sha256: str = "") -> str:
    """Append the run log line; "" or why the log could not be written (a notice, not a failure).

    The input's SHA-256 is that of the bytes the run read (`read_sha256` for a failed run),
    never of a second reading, which could find another version of the file.
    """
    try:
        sha256 = report.sha256 if report else read_sha256
        population = report.indata.population if report else None
        scb_name = scb_month = scb_sha256 = ""
        scb_file = job.options.population_file
        if report is not None and report.population_file is not None:
            used = report.population_file
            scb_name, scb_month, scb_sha256 = used.path.name, used.month, used.sha256
        elif report is None and scb_file is not None and not job.refusal:
            scb_name, scb_month = scb_file.name, job.options.month or ""
            scb_sha256 = _sha256_of_file(scb_file)
        line = runlog.LogLine(
            time=runlog.LogLine.now(),
            input_name=job.source.name,
            input_sha256=sha256,
            population_source=population.source if population else "",
            population_date=population.date.isoformat() if population else "",
            output_name=report.output.name if report and report.output else "",
            status=runlog.DONE if report else runlog.REJECTED,
            reason=reason,
            population_file=scb_name,
            population_month=scb_month,
            population_sha256=scb_sha256,
            output_sha256=report.result_sha256 if report and report.output else "",
        )
        runlog.append(report.output.parent if report and report.output else job.target.parent, line)
    except OSError as error:
        return f"loggen {runlog.LOG_NAME} kunde inte skrivas ({os_reason(error)})"
    return ""


def unusable_population(path: Path, month: str | None) -> list[str]:
    """The lines refusing the whole run when the SCB file among the inputs cannot be used: the
    officer meant it as the population, so no workbook may convert with the one it already has."""
    from .scb.files import FORMATS_THAT_WORK
    from .scb.population import read_population_file  # only runs with an SCB file among the inputs need it

    try:
        read_population_file(path, month)
        return []
    except InputRejected as error:
        reasons = [f"  - {problem}" for problem in error.problems]
    except Exception as error:  # the library's side of the error boundary, as in run_job
        reasons = [f"  - filen kunde inte läsas (oväntat fel, {type(error).__name__})"]
    what = "en befolkningsfil från SCB som inte kan användas"
    return [
        f"Avvisad: {path.name} är {what} – inget konverterades",
        *reasons,
        f"  Ersätt {path} med tabellen Folkmängden per månad från SCB:s statistikdatabas, sparad som "
        f"{FORMATS_THAT_WORK}, och kör igen.",
    ]


def _sha256_of_file(path: Path) -> str:
    """The SHA-256 of an SCB file the run refused before reading it, if it is a readable file."""
    data, _ = read_bounded(path)
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def _population_of_run(found: list[Found], explicit: Path | None) -> tuple[Path | None, list[str], list[str]]:
    """The run's population file: --population, else the one SCB file among the inputs.

    Returns the file, notices for the end of the run, and the lines refusing the whole run when
    there are several SCB files (which one was meant cannot be guessed).
    """
    files = [item.path for item in found if item.kind is Kind.POPULATION]
    if explicit is not None:
        unused = [f"Obs: {path.name} användes inte – --population {explicit.name} gäller" for path in files]
        return explicit, unused, []
    if len(files) > 1:
        lines = [f"Avvisad: {len(files)} befolkningsfiler från SCB i samma körning – inget konverterades"]
        lines += [f"  - {path}" for path in files]
        lines.append("  Behåll bara en av dem (flytta bort de andra) och kör igen.")
        return None, [], lines
    return (files[0] if files else None), [], []
