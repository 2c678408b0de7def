"""Population per län from a file exported from SCB's statistical database (PxWeb).

SCB revises the population every month in table BE0101 "Folkmängden per månad efter region,
ålder och kön" (BefolkManad up to 2024M12, BefolkManadCKM from 2025M01). Reading the file the
finance officer downloads lets the allocation use SCB's latest figures instead of a Befolkning
sheet typed by hand, where a transposed digit would go unnoticed.

The file becomes grids (`scb_files`), the layout of each is found (`scb_layout`, with what SCB's
texts mean in `scb_labels`), and this module takes the month's figure per län from the first grid
that has a layout, saying what was left out.

Rows for riket ("00 Riket"), municipalities ("0114 Upplands Väsby") and other regions are left out
with a notice. Riket is always the sum of the 21 län: from reference year 2025 SCB adds controlled
noise to every cell (the Cell Key Method), so its own total need not equal the sum of its parts.

Dates: SCB's figure for month M is the population at the end of M, so `Population.date` is the
last day of M (2019M11 -> 2019-11-30, 2018M12 -> 2018-12-31). The published 2020 workbook
labelled the population it used "1/11 2019"; that label is not imitated, but the month code is
kept in `ScbPopulation.month` and in `Population.source` so results can show "2019M11".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import regions
from .errors import InputRejected, Problem
from .grid import Grid
from .input_file import did_you_mean, file_problem
from .model import Population
from .scb_files import load
from .scb_labels import (
    MISSING_SYMBOLS,
    cell_text,
    is_breakdown_label,
    is_total,
    last_day,
    parse_month,
    without_code,
    written_as_lan,
)
from .scb_layout import NO_MONTH, UNKNOWN_LAYOUT, Column, Layout, Refused, Row, analyse, refused
from .swedish import NotANumber, format_number, number_or_none, parse_number

__all__ = ["NO_MONTH", "UNKNOWN_LAYOUT", "ScbPopulation", "is_population_export", "read_population_file"]

ADVICE_TOTALS = (
    "i SCB:s statistikdatabas: välj totalt för ålder och kön (t.ex. 'totalt ålder') eller markera "
    "inget värde alls för dem, och ladda ned filen igen"
)


@dataclass(frozen=True)
class ScbPopulation:
    """The population read from an SCB file, with what the user should be told about it.

    Attributes:
        population: Persons per län in `regions.NAMES` order, dated the last day of `month`.
        month: The month used, as SCB writes it ("2019M11").
        notices: Swedish sentences about what was left out (riket, municipalities, breakdowns).
    """

    population: Population
    month: str
    notices: tuple[str, ...]


def read_population_file(path: Path, month: str | None = None, data: bytes | None = None) -> ScbPopulation:
    """Read the population per län from a PxWeb export (.xlsx, or CSV/text in any PxWeb flavour).

    Args:
        path: The downloaded file.
        month: The month to use, as SCB writes it ("2019M11"). Default: the latest in the file,
            since SCB's newest revision is what the allocation should follow.
        data: The file's bytes, when they have been read already.

    Raises:
        InputRejected: Listing every problem found, so one round of fixes is enough.
    """
    wanted: str | None = None
    if month is not None:
        wanted = parse_month(month)
        if wanted is None:
            message = f"ogiltig månad '{month}' – skriv månaden som SCB gör, t.ex. 2019M11"
            raise InputRejected(path, [file_problem(message)])
    failures: list[Refused] = []
    for grid in load(path, data):
        try:
            layout = analyse(grid)
        except Refused as refusal:
            failures.append(refusal)
            continue
        try:
            return _extract(layout, wanted, path)
        except Refused as refusal:
            raise InputRejected(path, refusal.problems) from None
    if not failures:
        failures.append(refused(UNKNOWN_LAYOUT, specific=False))
    best = next((f for f in failures if f.specific), failures[0])
    raise InputRejected(path, best.problems)


def is_population_export(path: Path) -> bool:
    """Whether the file is a population export from SCB's statistical database, usable or not.

    A file is taken for one when a sheet or reading of it has the layout `read_population_file`
    reads, or comes close enough to be refused for a reason specific to SCB files (only riket,
    no län), so that the officer hears what to choose on SCB's site rather than "not a workbook".
    A text file listing län but no month counts too (the wrong SCB table); a workbook does not,
    since every input workbook's Befolkning sheet lists the län without a month.
    """
    workbook = path.suffix.casefold() == ".xlsx"
    try:
        grids = load(path)
    except Exception:  # any file at all may be looked at: unreadable means "not an SCB export"
        return False
    for grid in grids:
        try:
            analyse(grid)
        except Refused as refusal:
            if refusal.specific and not (workbook and refusal.problems[0].message == NO_MONTH):
                return True
            continue
        except Exception:
            continue
        return True
    return False


# -- extraction --------------------------------------------------------------------------


def _extract(layout: Layout, wanted: str | None, path: Path) -> ScbPopulation:
    if not layout.months:
        raise refused(NO_MONTH)
    if wanted is not None and wanted not in layout.months:
        raise refused(f"månaden {wanted} finns inte i SCB-filen – den har {_join(layout.months)}")
    month = wanted or max(layout.months)
    column, ignored_columns = _choose_column(layout.columns, month)
    rows = [row for row in layout.rows if row.month in (None, month)]
    counts, demoted = _counts(layout, rows, column, month)
    population = Population(
        counts=tuple((lan, counts[lan]) for lan in regions.NAMES),
        date=last_day(month),
        source=f"SCB-fil {path.name}, {month}",
    )
    notices = _notices(layout, rows, demoted, column, ignored_columns, month, wanted, population.total)
    return ScbPopulation(population, month, tuple(notices))


def _counts(layout: Layout, rows: list[Row], column: Column, month: str) -> tuple[dict[str, int], list[Row]]:
    """Each län's count in `column`, and the rows of municipalities named like their län."""
    grid = layout.grid
    by_lan: dict[str, list[Row]] = {}
    for row in rows:
        if row.lan is not None:
            by_lan.setdefault(row.lan, []).append(row)
    if by_lan and all(row.breakdown is not None for found in by_lan.values() for row in found):
        example = next(iter(by_lan.values()))[0].breakdown
        raise refused(
            f"SCB-filen har bara rader uppdelade på ålder eller kön (t.ex. '{example}') – {ADVICE_TOTALS}"
        )

    problems: list[Problem] = []
    counts: dict[str, int] = {}
    demoted: list[Row] = []
    for lan in regions.NAMES:
        found = by_lan.get(lan, [])
        totals = [row for row in found if row.breakdown is None]
        if len(totals) > 1:
            totals, extra = _prefer_lan_form(totals)
            demoted += extra
        if not found:
            problems.append(file_problem(f"{lan} saknas i SCB-filen{_hint(lan, rows)}"))
        elif not totals:
            example = found[0].breakdown
            message = f"{lan} har bara rader uppdelade på ålder eller kön i SCB-filen (t.ex. '{example}')"
            problems.append(file_problem(f"{message} – {ADVICE_TOTALS}"))
        elif len(totals) > 1:
            first = _where(grid, totals[0].index, layout.region_col)
            for row in totals[1:]:
                message = f"{lan} förekommer flera gånger i SCB-filen (första gången {first})"
                problems.append(_problem(grid, row.index, layout.region_col, message))
        else:
            count = _count(grid, totals[0].index, column.index, f"{lan} {month}", problems)
            if count is not None:
                counts[lan] = count
    if problems:
        raise Refused(problems)
    return counts, demoted


def _choose_column(columns: Sequence[Column], month: str) -> tuple[Column, list[Column]]:
    """The one value column for `month`: several appear when kön or contents sit in the heading."""
    candidates = [column for column in columns if column.month in (None, month)]
    good = [column for column in candidates if not is_breakdown_label(column.qualifier)]
    headings = _quoted(column.heading for column in candidates)
    if not candidates:
        raise refused(NO_MONTH)
    if not good:
        message = f"SCB-filen har bara kolumner uppdelade på ålder eller kön för {month} ({headings})"
        raise refused(f"{message} – {ADVICE_TOTALS}")
    if len(good) > 1:
        explicit = [column for column in good if is_total(column.qualifier)]
        if len(explicit) != 1:
            raise refused(
                f"SCB-filen har flera kolumner för {month} ({headings}) – välj bara tabellinnehållet "
                "folkmängd, och totalt för ålder och kön, i SCB:s statistikdatabas"
            )
        good = explicit
    return good[0], [column for column in candidates if column is not good[0]]


def _prefer_lan_form(totals: list[Row]) -> tuple[list[Row], list[Row]]:
    """With names only, municipality "Uppsala" matches Uppsala län too; keep the row written as a län."""
    written = [row for row in totals if written_as_lan(row.region)]
    if len(written) == 1:
        return written, [row for row in totals if row is not written[0]]
    return totals, []


def _count(grid: Grid, r: int, c: int, what: str, problems: list[Problem]) -> int | None:
    value = grid.get(r, c)
    text = cell_text(value)
    if not text:
        problems.append(_problem(grid, r, c, f"antal personer saknas för {what}"))
        return None
    try:
        number = parse_number(value)
    except NotANumber:
        tail = " – SCB:s tecken för att uppgiften saknas" if regions.fold(text) in MISSING_SYMBOLS else ""
        problems.append(_problem(grid, r, c, f"'{text}' är inget tal (antal personer för {what}){tail}"))
        return None
    if not number.is_integer():
        problems.append(_problem(grid, r, c, f"{text} är inget helt antal personer ({what})"))
        return None
    if number <= 0:
        message = f"antalet personer för {what} måste vara större än noll, inte {text}"
        problems.append(_problem(grid, r, c, message))
        return None
    return int(number)


def _hint(lan: str, rows: Sequence[Row]) -> str:
    for row in rows:
        if row.kind == "other" and regions.suggest(without_code(row.region)) == lan:
            return f" ('{row.region}' känns inte igen{did_you_mean(lan, quoted=False)})"
    return ""


def _problem(grid: Grid, r: int, c: int, message: str) -> Problem:
    return Problem(grid.title, grid.ref(r, c), message)


def _where(grid: Grid, r: int, c: int) -> str:
    """Where a cell is, in a sentence: "i B5" in a sheet, "på rad 5" in a text file."""
    return f"i {grid.ref(r, c)}" if grid.lines is None else f"på {grid.ref(r, c)}"


# -- notices -----------------------------------------------------------------------------


def _notices(
    layout: Layout,
    rows: Sequence[Row],
    demoted: Sequence[Row],
    column: Column,
    ignored_columns: Sequence[Column],
    month: str,
    wanted: str | None,
    total: int,
) -> list[str]:
    notices: list[str] = []
    months = layout.months
    if wanted is None and len(months) > 1:
        shown = _join(months) if len(months) <= 6 else f"{months[0]} … {months[-1]}"
        notices.append(
            f"SCB-filen har {len(months)} månader ({shown}); den senaste, {month}, används – "
            "välj en annan med --month"
        )
    if ignored_columns:
        which = "kolumnen" if len(ignored_columns) == 1 else "kolumnerna"
        notices.append(
            f"Användes inte från SCB-filen: {which} {_quoted(c.heading for c in ignored_columns)} – "
            f"bara '{column.heading}' räknas"
        )
    split = [row for row in rows if row.lan is not None and row.breakdown is not None]
    if split:
        what = "rad uppdelad" if len(split) == 1 else "rader uppdelade"
        notices.append(
            f"Användes inte från SCB-filen: {len(split)} {what} på ålder eller kön "
            f"(t.ex. '{split[0].breakdown}') – bara totalraderna räknas"
        )
    left_out = _left_out(layout.grid, rows, demoted, column, total)
    if left_out:
        notices.append(left_out)
    return notices


def _left_out(grid: Grid, rows: Sequence[Row], demoted: Sequence[Row], column: Column, total: int) -> str:
    """The sentence about riket, municipalities and other regions, or ""."""
    riket = [row for row in rows if row.kind == "riket" and row.breakdown is None]
    municipalities = len([row for row in rows if row.kind == "kommun"]) + len(demoted)
    others = [row.region for row in rows if row.kind == "other"]
    parts: list[str] = []
    if riket:
        figure = number_or_none(grid.get(riket[0].index, column.index))
        shown = f" ({format_number(figure)})" if len(riket) == 1 and figure is not None else ""
        parts.append(f"raden för riket{shown}" if len(riket) == 1 else f"{len(riket)} rader för riket")
    if municipalities:
        parts.append(_plural(municipalities, "kommunrad", "kommunrader"))
    if others:
        names = _quoted(list(dict.fromkeys(others))[:3]) + (" …" if len(set(others)) > 3 else "")
        parts.append(f"{_plural(len(others), 'rad', 'rader')} för andra regioner ({names})")
    if not parts:
        return ""
    sentence = f"Användes inte från SCB-filen: {_join(parts)}"
    if riket:
        sentence += f" – riket räknas som summan av de 21 länen ({format_number(total)})"
    return sentence


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} och {items[-1]}"


def _plural(count: int, one: str, many: str) -> str:
    return f"1 {one}" if count == 1 else f"{count} {many}"
