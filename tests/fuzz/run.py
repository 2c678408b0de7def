"""One run of the CLI on a (mutated) workbook, and every check of what it did.

A run must end in exactly one of two ways: converted (exit 0, "Klar: …", the output folder holds the
result, whose figures are consistent, come from the input and have the totals the input says) or
refused (exit 1, "Avvisad: <file>" and "  - …" lines, nothing written). Never a traceback, never
"oväntat fel", never a partial output, never a changed input. The output folder may also hold the run
log with exactly this run's line.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sjukmiljard import cli
from sjukmiljard.words.regions import fold

from ..conftest import SAMPLE_2020
from .book import Book, base, to_xlsx
from .damage import apply_bytes
from .inputs import check_against_input
from .known import KNOWN_ERRORS, KNOWN_TOTAL_RULES, STRICT, KnownBug
from .layout import layout, number_of
from .mutations import apply_op
from .receipt import check_receipt
from .result import Checked, Figures, check_result, close
from .strategies import Plan
from .totals import WrongTotal, check_totals
from .xlsx import read_xlsx

INPUT_NAME = "indata.xlsx"
RESULT_NAME = "indata-resultat.xlsx"
LOG_NAME = "sjukmiljard-logg.csv"  # the run log the CLI appends to in the output folder


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Outcome:
    ok: bool
    known_bug: str | None = None


def run_cli(args: list[str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(args)
        except SystemExit as exit_:  # argparse
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def results_in(outbox: Path, status: str | None) -> list[str]:
    """The output folder's files besides the run log, whose only line must be this run's status."""
    names = listing(outbox)
    if LOG_NAME in names:
        assert status is not None, f"{LOG_NAME} written by --check"
        with (outbox / LOG_NAME).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        assert len(rows) == 2 and rows[1][6] == status, rows
        names.remove(LOG_NAME)
    return names


def check_converted(
    source: bytes, output: bytes, values_only: bool, *, lenient: bool = not STRICT
) -> Checked:
    """A result is consistent, starts from its input's figures and has the totals the input says.

    With `lenient`, a wrong total that a known rule of the total oracle explains raises KnownBug.
    """
    checked = check_result(output, values_only)
    inputs = read_xlsx(source)
    check_against_input(inputs, checked)
    check_receipt(inputs, checked.result)
    try:
        check_totals(
            inputs, checked.totals, checked.figures.grand_total, KNOWN_TOTAL_RULES if lenient else ()
        )
    except WrongTotal as wrong:
        if wrong.rules is None:
            raise
        raise KnownBug("+".join(sorted(KNOWN_TOTAL_RULES[rule] for rule in wrong.rules))) from wrong
    return checked


_BASE_FIGURES: dict[str, Figures] = {}


def base_figures(name: str, folder: Path) -> Figures:
    if name not in _BASE_FIGURES:
        source = folder / f"base-{name}.xlsx"
        source.write_bytes(to_xlsx(base(name)))
        run = run_cli([str(source), "-o", str(folder / "base-ut")])
        assert run.code == 0, run
        output = (folder / "base-ut" / f"base-{name}-resultat.xlsx").read_bytes()
        _BASE_FIGURES[name] = check_converted(source.read_bytes(), output, False).figures
    return _BASE_FIGURES[name]


def build(plan: Plan) -> tuple[bytes, bool, list[str]]:
    """The mutated workbook's bytes, whether every figure must stay the base's, and the injected
    texts that must come out as text cells."""
    book = base(plan.base)
    keeps = True
    for op in plan.ops:
        keeps = apply_op(book, op) and keeps
    payloads = expected_texts(book) if keeps else []
    unchanged_sample = plan.base == "sample" and not plan.ops
    data = SAMPLE_2020.read_bytes() if unchanged_sample else to_xlsx(book)
    for op in plan.byte_ops:
        data = apply_bytes(data, op)
    if plan.byte_ops:
        return data, False, payloads
    return data, keeps, payloads


def _runnable(text: str) -> bool:
    return text.startswith(("=", "+", "-", "@")) or "http" in text or "mailto:" in text


def expected_texts(book: Book) -> list[str]:
    """Texts a spreadsheet would run that must come out as text cells: in villkor sheets, a title, a
    note (alone in its row), a national body's name, and the sheet's name."""
    found = []
    for sheet in book:
        at = layout(sheet)
        if at.kind != "villkor" or at.header is None:
            continue
        if _runnable(sheet.title):
            found.append(sheet.title)
        title = next((v for row in sheet.rows[: at.header] for v in row if isinstance(v, str)), None)
        if title is not None and _runnable(title):
            found.append(title.strip())
        if at.riket is None:
            continue
        for row in sheet.rows[at.riket + 1 :]:
            values = [v for v in row if v is not None]
            texts = [v for v in values if isinstance(v, str) and number_of(v) is None]
            if (
                len(values) in (1, 2)
                and len(texts) == 1
                and _runnable(texts[0])
                and fold(texts[0]) != "summa"
            ):
                found.append(texts[0].strip())
    return found


def run_plan(
    data: bytes, keeps: bool, payloads: list[str], mode: str, roundtrip: bool, base_name: str
) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="sjukmiljard-fuzz-") as temp:
        folder = Path(temp)
        inbox, outbox = folder / "in", folder / "ut"
        inbox.mkdir()
        source = inbox / INPUT_NAME
        source.write_bytes(data)
        before = digest(source)
        args = [str(source), "-o", str(outbox)]
        if mode in ("values-only", "check"):
            args.append(f"--{mode}")
        run = run_cli(args)
        text = run.out + run.err
        assert "Traceback" not in text, text
        assert digest(source) == before, "the input was changed"
        assert listing(inbox) == [INPUT_NAME], listing(inbox)
        if "oväntat fel" in text:
            bug = next((bug for signature, bug in KNOWN_ERRORS.items() if signature in text), None)
            if bug is not None and not STRICT:
                assert results_in(outbox, "Avvisad") == [], "partial output"
                return Outcome(False, bug)
            raise AssertionError(f"unexpected error: {text}")
        if run.code != 0:
            assert not keeps, f"a mutation that keeps every figure was refused:\n{text}"
            check_refused(run, source, outbox)
            return Outcome(False)
        if mode == "check":
            assert run.out.startswith(f"Godkänd: {INPUT_NAME} ("), run.out
            assert results_in(outbox, None) == [], "--check wrote something"
            return Outcome(True)
        assert run.out.startswith(f"Klar: {source} → {outbox / RESULT_NAME}\n"), run.out
        assert run.err == "", run.err
        assert results_in(outbox, "Klar") == [RESULT_NAME], listing(outbox)
        try:
            _check_result(data, outbox / RESULT_NAME, mode, keeps, payloads, roundtrip, base_name, folder)
        except KnownBug as bug:
            return Outcome(True, str(bug))
        return Outcome(True)


def check_refused(run: Run, source: Path, outbox: Path) -> None:
    text = run.out + run.err
    assert run.code == 1, (run.code, text)
    assert run.out == "", run.out
    lines = run.err.splitlines()
    assert lines[0] == f"Avvisad: {source}", lines
    assert len(lines) >= 2 and all(line.startswith("  - ") for line in lines[1:]), lines
    assert results_in(outbox, "Avvisad") == [], f"output after a refusal: {listing(outbox)}"


def _check_result(
    data: bytes,
    path: Path,
    mode: str,
    keeps: bool,
    payloads: list[str],
    roundtrip: bool,
    base_name: str,
    folder: Path,
) -> None:
    output = path.read_bytes()
    checked = check_converted(data, output, mode == "values-only")
    if keeps:
        assert same(checked.figures, base_figures(base_name, folder), names=False), (
            "a mutation that keeps every figure changed the result"
        )
        strings = checked.result.strings()
        for payload in payloads:
            assert payload in strings, f"injected text {payload!r} is not a text cell of the result"
    if roundtrip:
        again = folder / "igen"
        second = run_cli([str(path), "-o", str(again)])
        assert second.code == 0, second
        result = (again / RESULT_NAME.replace(".xlsx", "-resultat.xlsx")).read_bytes()
        assert same(check_converted(output, result, False).figures, checked.figures), (
            "converting the result again changed a figure"
        )


def same(a: Figures, b: Figures, *, names: bool = True) -> bool:
    """The same figures (to within rounding); with `names`, the same national bodies too."""

    def flat(f: Figures) -> list[float]:
        values = [float(p) for p in f.persons] + list(f.lan_totals) + [f.grand_total]
        for pots, amounts in f.villkor:
            values += [*pots, *amounts]
        return values

    def shape(f: Figures) -> list[tuple[int, int]]:
        return [(len(pots), len(amounts)) for pots, amounts in f.villkor]

    if shape(a) != shape(b) or len(a.persons) != len(b.persons) or (names and a.bodies != b.bodies):
        return False
    return all(close(x, y) for x, y in zip(flat(a), flat(b), strict=True))
