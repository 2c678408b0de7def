"""Population per län from a file exported from SCB's statistical database (PxWeb).

SCB revises the population every month in table BE0101 "Folkmängden per månad efter region,
ålder och kön" (BefolkManad up to 2024M12, BefolkManadCKM from 2025M01). Reading the file the
finance officer downloads lets the allocation use SCB's latest figures instead of a Befolkning
sheet typed by hand, where a transposed digit would go unnoticed.

The file becomes grids (`scb.files`), the layout of each is found (`scb.layout`, with what SCB's
texts mean in `scb.labels`), and this module takes the month's figure per län from the first grid
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

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputRejected, Problem
from ..formats import did_you_mean, file_problem, printable
from ..model import Population
from ..read.grid import Grid
from ..words import regions
from ..words.swedish import NotANumber, format_number, number_or_none, parse_number
from .files import identify, load, raw, transposed
from .labels import (
    MISSING_SYMBOLS,
    cell_text,
    is_breakdown_label,
    is_total,
    kommun_code,
    last_day,
    looks_like_scb,
    months_in,
    names_contents,
    numberish,
    other_contents,
    parse_month,
    part_in,
    unexplained,
    unexplained_in_title,
    without_code,
    written_as_lan,
)
from .layout import NO_MONTH, ONLY_RIKET, UNKNOWN_LAYOUT, Column, Layout, Refused, Row, analyse, refused

__all__ = ["NO_MONTH", "UNKNOWN_LAYOUT", "ScbPopulation", "is_population_export", "read_population_file"]

CHOOSE_TABLE = (
    "välj tabellen Folkmängden per månad efter region, ålder och kön (tabellinnehållet folkmängd) i "
    "SCB:s statistikdatabas och ladda ned filen igen"
)
CHOOSE_LAN = "välj de 21 länen under region i SCB:s statistikdatabas och ladda ned filen igen"
# Sweden's 290 municipalities per län (since 2003), in `regions.NAMES` order.
MUNICIPALITIES = (26, 8, 9, 13, 13, 8, 12, 1, 5, 33, 6, 49, 16, 12, 10, 15, 10, 7, 8, 15, 14)
# The 21 län of an SCB file must sum to within this share of the workbook's own population: a month
# moves it about 0.1 %, a year about 1 %; a table of births, deaths or one sex is far off.
PLAUSIBLE_CHANGE = 0.05
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
        cells: for the receipt, each län's cell (or line) in the file; a län summed from its
            kommuner has none.
    """

    population: Population
    month: str
    notices: tuple[str, ...]
    cells: tuple[tuple[str, str], ...] = ()  # län -> where in the file its count stands ("rad 12", "C7")


def read_population_file(path: Path, month: str | None = None, data: bytes | None = None) -> ScbPopulation:
    """Read the population per län from a PxWeb export (.xlsx, CSV/text, PC-Axis or JSON-stat2).

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
    grids = load(path, data)
    found: ScbPopulation | None = None
    read_from: list[str] = []
    for grid in _readings(grids):
        if found is not None and grid.title in read_from:
            continue  # another reading of the sheet already read
        try:
            layout = analyse(grid)
        except Refused as refusal:
            failures.append(refusal)
            continue
        try:
            population = _extract(layout, wanted, path)
        except Refused as refusal:
            if found is not None:
                continue  # a sheet of something else beside the population
            raise InputRejected(path, refusal.problems) from None
        if found is None:
            found, read_from = population, [grid.title]
            if len(grids) == 1:
                return _sheets_checked(path, found, grids, read_from)
            continue
        if grid.title not in read_from:
            read_from.append(grid.title)
    if found is not None and len(read_from) == 1:
        return _sheets_checked(path, found, grids, read_from)
    if found is not None:
        sheets = ", ".join(f"'{title}'" for title in read_from)
        message = (
            f"filen har befolkningen på {len(read_from)} blad ({sheets}) – vilket gäller? Spara en tabell "
            "per fil, eller ta bort de blad som inte gäller"
        )
        raise InputRejected(path, [file_problem(message)])
    if not failures:
        failures.append(refused(UNKNOWN_LAYOUT, specific=False))
    best = next((f for f in failures if f.specific), failures[0])
    raise InputRejected(path, best.problems)


def is_population_export(path: Path) -> bool:
    """Whether the file is a population export from SCB's statistical database, usable or not.

    A file is taken for one when a sheet or reading of it has the layout `read_population_file`
    reads, or comes close enough to be refused for a reason specific to SCB files (only riket,
    no län), so that the officer hears what to choose on SCB's site rather than "not a workbook".
    A text file listing län but no month counts too (the wrong SCB table), unless it names money
    (`Budget Mkr`, `Belopp (tkr)`: a budget per län is no population file); a workbook only with a
    month or SCB's words (`looks_like_scb`), since every input workbook's Befolkning sheet lists
    the län without a month. A file in a format that is not read (.xls, HTML), or a damaged
    PC-Axis or JSON-stat file, counts by SCB's structure or words: a run given one must stop
    rather than go on with the workbook's population.
    """
    workbook = path.suffix.casefold() == ".xlsx"
    try:
        grids = load(path)
    except InputRejected:
        return _unreadable_export(path)
    except Exception:  # any file at all may be looked at: unreadable means "not an SCB export"
        return False
    for grid in _readings(grids):
        try:
            analyse(grid)
        except Refused as refusal:
            if refusal.specific and not (workbook and refusal.problems[0].message == NO_MONTH):
                return True
            continue
        except Exception:
            continue
        return True
    return any(looks_like_scb(_grid_text(grid), workbook=workbook) for grid in grids)


def _unreadable_export(path: Path) -> bool:
    """An SCB export in a format that is not read (.xls, HTML) or a damaged px or JSON-stat file:
    recognised by SCB's own structure, or by län with a month or SCB's words in its text."""
    try:
        data = raw(path)
    except Exception:
        return False
    return export_by_its_look(data, path.suffix)


def export_by_its_look(data: bytes, suffix: str) -> bool:
    """Bytes (a whole file, or the head of one too large to read) that show an SCB export without
    being read: SCB's own structure, or län with a month or SCB's words in their text."""
    kind = identify(data, suffix)
    return kind.scb_structure or looks_like_scb(kind.words(data), workbook=kind.binary)


def _grid_text(grid: Grid) -> str:
    return " ".join(cell_text(value) for r in grid.row_numbers for _, value in grid.cells(r))


def _readings(grids: Sequence[Grid]) -> Iterable[Grid]:
    """Each grid as it is, then with rows and columns swapped (the regions as columns)."""
    for grid in grids:
        yield grid
        yield transposed(grid)


# -- extraction --------------------------------------------------------------------------


def _extract(layout: Layout, wanted: str | None, path: Path) -> ScbPopulation:
    _check_title(layout.title)
    _check_footnotes(layout.footnotes)
    _check_stub(layout)
    if not layout.months:
        raise refused(NO_MONTH)
    if wanted is not None and wanted not in layout.months:
        raise refused(f"månaden {wanted} finns inte i SCB-filen – den har {_join(layout.months)}")
    month = wanted or max(layout.months)
    titled = sorted(set(months_in(layout.title)))
    if titled and not titled[0] <= month <= titled[-1]:
        # "Månad 2020M01" over a column of 2020M02: which month the figures are, the file cannot say
        raise refused(
            f"SCB-filens rubrik nämner {_join(tuple(titled))} men tabellen har {_join(layout.months)} – "
            f"{CHOOSE_TABLE}"
        )
    column, ignored_columns = _choose_column(layout.columns, month)
    rows = [row for row in layout.rows if row.month in (None, month)]
    layout, grouped = _without_thousands_commas(layout, rows, column)
    counts, demoted = _counts(layout, rows, column, month)
    population = Population(
        counts=tuple((lan, counts[lan]) for lan in regions.NAMES),
        date=last_day(month),
        source=f"SCB-fil {printable(path.name)}, {month}",
    )
    summed = not any(row.lan for row in rows)
    notices = _notices(
        layout, rows, demoted, column, ignored_columns, month, wanted, population.total, summed
    )
    if grouped is not None:
        notices.append(
            f"SCB-filens antal personer har komma mellan tusentalen (t.ex. '{grouped}', som Excel på "
            "engelska skriver dem) och lästes som hela tal"
        )
    return ScbPopulation(population, month, tuple(notices), _cells(layout, rows, column, counts))


def _cells(
    layout: Layout, rows: list[Row], column: Column, counts: dict[str, int]
) -> tuple[tuple[str, str], ...]:
    """Where each län's count stands in the file: the one total row of that län holding it."""
    grid, found = layout.grid, {}
    for row in rows:
        if row.lan is not None and row.breakdown is None and row.lan not in found:
            value = grid.get(row.index, column.index)
            try:
                if parse_number(value) == counts.get(row.lan):
                    found[row.lan] = grid.ref(row.index, column.index)
            except NotANumber:
                continue
    return tuple((lan, found[lan]) for lan in regions.NAMES if lan in found)


def _sheets_checked(
    path: Path, found: ScbPopulation, grids: Sequence[Grid], read_from: list[str]
) -> ScbPopulation:
    """The population read from the sheet `read_from` names, unless the sheet's name says it holds a
    part or other figures ("Kvinnor", "Medelfolkmängd"), or another sheet's text is a note that says
    so ("Fotnoter": "Tabellen avser endast kvinnor")."""
    try:
        for grid in grids:
            if grid.lines is not None:
                continue  # a text file: its one grid is the table, its notes read with it
            if grid.title in read_from:
                _check_sheet_name(grid.title)
                continue
            notes = tuple(
                " ".join(cell_text(v) for _, v in grid.cells(r) if not numberish(v)) for r in grid.row_numbers
            )
            _check_footnotes(tuple(note for note in notes if note.strip()))
    except Refused as refusal:
        raise InputRejected(path, refusal.problems) from None
    return found


def _check_sheet_name(title: str) -> None:
    if (wrong := other_contents(title) or _found(_NOT_THE_COUNT, regions.fold(title))) is not None:
        raise refused(f"SCB-filens blad heter '{title}' och visar {wrong}, inte folkmängd – {CHOOSE_TABLE}")
    if (part := part_in(title)) is not None and re.search(r"[a-zåäö]{2}", regions.fold(title)):
        raise refused(
            f"SCB-filens blad heter '{title}', som bara är en del av befolkningen ('{part}') – "
            f"{ADVICE_TOTALS}"
        )


def _check_title(title: str) -> None:
    """The title above the table says what it holds: another table, or a part of the population,
    is refused however the heading reads."""
    wrong = other_contents(title)
    if wrong:
        raise refused(f"SCB-filens rubrik ('{title}') visar {wrong}, inte folkmängd – {CHOOSE_TABLE}")
    part = part_in(title)
    if part:
        raise refused(
            f"SCB-filens rubrik ('{title}') visar bara en del av befolkningen ('{part}') – {ADVICE_TOTALS}"
        )
    word = unexplained_in_title(title)
    if word:
        raise refused(
            f"SCB-filens rubrik ('{title}') säger '{word}', som inte är ett ord för hela befolkningen – "
            f"{ADVICE_TOTALS}"
        )


_RESTRICTING = re.compile(
    r"(?<![\wåäö])(endast|bara|enbart|uteslutande|avser|gäller|omfattar|only|exclusively|refers?\s+to|"
    r"covers?|medräknade|medräknas|inräknade)(?![\wåäö])"
)


# A note that leaves people out says so whatever group it names ("Personer utan känd bostadsadress
# ingår inte", "Exklusive Norrtälje kommun"); one that restricts the table names who it holds.
_EXCLUDING = re.compile(
    r"(?<![\wåäö])((ingår|inkluderar|inkluderas|omfattar|omfattas|innehåller|räknas|medräknas|redovisas|"
    r"finns\s+med|tas\s+med|är\s+med)\s+(inte|ej|icke)|(inte|ej|icke)\s+(med)?räknade|"
    r"(inte|ej|icke)\s+(inkluderade?|medtagna|med|ingår|omfattade?)|"
    r"(räknats|räknas|tagits|tas|dragits|dras|plockats)\s+bort|borträkn\w*|bortsett|undanta\w*|frånräkn\w*|"
    r"exkl\w*|exklusive|utom|förutom|not\s+included|(does|do|is|are)\s+not\s+(include|included|cover|"
    r"covered)|excluding|except|excludes?|excluded|omitted|removed)(?![\wåäö])"
)
# A note that says the figures are not the month's population at its end: an average over the month, a
# projection ("framskrivna enligt befolkningsprognosen"), an estimate.
_NOT_THE_COUNT = re.compile(
    r"(?<![\wåäö])(medelfolkmängd\w*|genomsnitt\w*|framskriv\w*|\w*prognos\w*|projicera\w*|"
    r"uppskatta\w*|skattade?|modellberäkna\w*|mean\s+population|average|projected|projections?|"
    r"forecasts?|estimated|estimates?)(?![\wåäö])"
)
# A note that says who is included: a part it names is in the table, not all of it ("Personer födda
# utomlands ingår").
_INCLUDED = re.compile(
    r"(?<![\wåäö])(ingår|inkluderas|inkluderade|medräknas|medräknade|räknas\s+med|är\s+med|included|"
    r"are\s+counted)(?![\wåäö])(?!\s+(inte|ej|icke|not))"
)
_ONLY = re.compile(r"(?<![\wåäö])(endast|bara|enbart|uteslutande|only|exclusively|solely)(?![\wåäö])")
_SELECTION = re.compile(r"(?<![\wåäö])(urval|selection|selected|valda?)(?![\wåäö])")
_WHO = re.compile(
    r"personer|befolkning\w*|population|invånare|folkmängd\w*|people|persons|inhabitants|hushåll|households"
)


def _check_footnotes(footnotes: tuple[str, ...]) -> None:
    """A footnote or note that says the table holds only a part of the population ("Tabellen avser
    endast kvinnor", "Uppgifterna avser personer som fyllt 1 år", "Urval: kön = kvinnor", "Refers to
    the population in private households only") or leaves people out ("Exklusive Norrtälje
    kommun") is refused like such a title."""
    for note in footnotes:
        folded = regions.fold(note)
        if (other := other_contents(note) or _found(_NOT_THE_COUNT, folded)) is not None:
            raise refused(
                f"SCB-filens fotnot ('{note}') säger att talen är {other}, inte folkmängden vid månadens "
                f"slut – {CHOOSE_TABLE}"
            )
        part = part_in(note) if re.search(r"[a-zåäö]{2}", folded) else None  # a code alone says nothing
        excluding = _EXCLUDING.search(folded)
        restricting = (part is not None and not _INCLUDED.search(folded)) or (
            _ONLY.search(folded) and _WHO.search(folded)
        )
        selected = _SELECTION.search(folded) and part is not None
        if excluding or restricting or selected:
            what = part or (excluding.group(0) if excluding else None)
            named = f" ('{what}')" if what else ""
            raise refused(
                f"SCB-filens fotnot ('{note}') säger att tabellen bara gäller en del av befolkningen"
                f"{named} – {ADVICE_TOTALS}"
            )


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return found.group(0) if found else None


_STUB_WORDS = frozenset(
    {"kod", "code", "koder", "codes", "namn", "name", "text", "kommun", "kommuner", "municipality",
     "municipalities", "regionkod", "länskod", "kommunkod", "länsnamn", "kommunnamn", "regionnamn", "nr"}
)  # fmt: skip


def _stub_qualifier(heading: str) -> str | None:
    """The words a stub heading adds in parentheses or after a comma that are no stub's words
    ("region (folkbokförda på fastighet)"): they may narrow who is counted."""
    for found in re.finditer(r"\(([^()]*)\)|,\s*(.+)$", heading):
        words = found.group(1) or found.group(2) or ""
        rest = " ".join(w for w in re.findall(r"[^\W_]+", regions.fold(words)) if w not in _STUB_WORDS)
        if rest and unexplained_in_title(rest) is not None:
            return words.strip()
    return None


def _check_stub(layout: Layout) -> None:
    """The headings over the stub and the regions themselves name no part ("region, födda
    utomlands", "0180 Stockholm exkl. Skärholmen"): a part there narrows every figure beside it."""
    for heading in layout.stub_headings:
        folded = regions.fold(heading)
        word = _found(_EXCLUDING, folded) or _found(_NOT_THE_COUNT, folded) or other_contents(heading)
        if (part := part_in(heading) or word or _stub_qualifier(heading)) is not None:
            raise refused(
                f"SCB-filens kolumnrubrik '{heading}' visar bara en del av befolkningen ('{part}') – "
                f"{ADVICE_TOTALS}"
            )
    for row in layout.rows:
        if (excluded := _EXCLUDING.search(regions.fold(row.region))) is not None:
            where = _where(layout.grid, row.index, layout.region_col)
            raise refused(
                f"SCB-filens region '{row.region}' ({where}) är bara en del av regionen "
                f"('{excluded.group(0)}') – {CHOOSE_LAN}"
            )


def _only_parts(example: str) -> Refused:
    wrong = other_contents(example)
    if wrong and part_in(example) is None:
        return refused(f"SCB-filens tabellinnehåll är '{example}', inte folkmängd – {CHOOSE_TABLE}")
    if part_in(example) is None and names_contents(example) and (word := unexplained_in_title(example)):
        return refused(
            f"SCB-filens tabellinnehåll är '{example}', som säger '{word}' och inte är hela befolkningens "
            f"folkmängd – {CHOOSE_TABLE}"
        )
    return refused(
        f"SCB-filen har bara rader uppdelade på ålder eller kön (t.ex. '{example}') – {ADVICE_TOTALS}"
    )


def _counts(layout: Layout, rows: list[Row], column: Column, month: str) -> tuple[dict[str, int], list[Row]]:
    """Each län's count in `column`, and the rows of municipalities named like their län."""
    grid = layout.grid
    by_lan: dict[str, list[Row]] = {}
    for row in rows:
        if row.lan is not None:
            by_lan.setdefault(row.lan, []).append(row)
    written = [row for found in by_lan.values() for row in found if written_as_lan(row.region)]
    others = [row for row in rows if row.kind == "other"]
    if (
        not written
        and others
        and (len(others) >= len(by_lan) or len(others) + len(by_lan) > len(regions.NAMES))
    ):
        raise refused(
            f"SCB-filen har {len(others) + sum(map(len, by_lan.values()))} regioner utan län och utan kod "
            f"(t.ex. '{others[0].region}'), alltså kommuner, som inte kan summeras till län – {CHOOSE_LAN}"
        )
    if not by_lan and any(row.kind == "kommun" for row in rows):
        return _kommun_counts(layout, rows, column, month), []
    if by_lan and all(row.breakdown is not None for found in by_lan.values() for row in found):
        raise _only_parts(next(iter(by_lan.values()))[0].breakdown or "")

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
    population = [column for column in candidates if not other_contents(column.qualifier)]
    good = [column for column in population if not is_breakdown_label(column.qualifier)]
    headings = _quoted(column.heading for column in candidates)
    if not candidates:
        raise refused(NO_MONTH)
    if not population:
        raise refused(
            f"SCB-filens kolumner för {month} ({headings}) visar {other_contents(candidates[0].qualifier)}, "
            f"inte folkmängd – {CHOOSE_TABLE}"
        )
    if not good:
        part = part_in(population[0].qualifier)
        message = f"SCB-filen har bara kolumner för en del av befolkningen för {month} ({headings}: {part})"
        raise refused(f"{message} – {ADVICE_TOTALS}")
    plain = [column for column in good if unexplained(column.qualifier) is None]
    if not plain:
        column = good[0]
        raise refused(
            f"SCB-filens kolumn '{column.heading}' säger '{unexplained(column.qualifier)}', som inte är ett "
            f"ord för hela befolkningen – {ADVICE_TOTALS}"
        )
    good = plain
    if len(good) > 1:
        explicit = [column for column in good if is_total(column.qualifier)]
        if len(explicit) != 1:
            raise refused(
                f"SCB-filen har flera kolumner för {month} ({headings}) – välj bara tabellinnehållet "
                "folkmängd, och totalt för ålder och kön, i SCB:s statistikdatabas"
            )
        good = explicit
    return good[0], [column for column in candidates if column is not good[0]]


def _kommun_counts(layout: Layout, rows: list[Row], column: Column, month: str) -> dict[str, int]:
    """A table of municipalities only: each län is the sum of its municipalities, by the first two
    digits of the code, and only when every one of the län's municipalities is there once."""
    grid = layout.grid
    problems: list[Problem] = []
    found: dict[str, dict[str, Row]] = {}
    breakdowns = [row.breakdown for row in rows if row.kind == "kommun" and row.breakdown is not None]
    if breakdowns and all(row.breakdown is not None for row in rows if row.kind == "kommun"):
        raise _only_parts(breakdowns[0])
    for row in rows:
        code = kommun_code(row.region) if row.kind == "kommun" else None
        lan = regions.match(code[:2]) if code else None
        if lan is None or code is None or row.breakdown is not None:
            continue
        if code in found.setdefault(lan, {}):
            message = f"kommunen {row.region} förekommer flera gånger i SCB-filen"
            problems.append(_problem(grid, row.index, layout.region_col, message))
        found[lan][code] = row
    short = [
        f"{lan} har {len(found.get(lan, {}))} av sina {expected} kommuner"
        for lan, expected in zip(regions.NAMES, MUNICIPALITIES, strict=True)
        if len(found.get(lan, {})) != expected
    ]
    if short:
        shown = ", ".join(short[:3]) + (f" och {len(short) - 3} län till" if len(short) > 3 else "")
        raise refused(f"{ONLY_RIKET} (länen kan inte summeras av kommunerna: {shown})")
    counts: dict[str, int] = {}
    for lan in regions.NAMES:
        have = found[lan].values()
        figures = [_count(grid, row.index, column.index, f"{row.region} {month}", problems) for row in have]
        if all(figure is not None for figure in figures):
            counts[lan] = sum(figure for figure in figures if figure is not None)
    if problems:
        raise Refused(problems)
    return counts


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def _without_thousands_commas(
    layout: Layout, rows: Sequence[Row], column: Column
) -> tuple[Layout, str | None]:
    """A count column written with commas between the thousands ('2,375,776', '384,307'), as an
    English Excel resaves PxWeb's CSV: read as whole numbers when every count is so written or has
    at most three digits (a count of persons has no decimals, so '384,307' can be nothing else). A
    decimal comma ('384,3') or a mix with plain long numbers stays as it is, and is refused as no
    whole number of persons. Returns the layout and an example, or the layout unchanged and None."""
    grid, c = layout.grid, column.index
    texts = {row.index: cell_text(grid.get(row.index, c)).strip() for row in rows}
    texts = {r: t for r, t in texts.items() if t}
    grouped = {r: t for r, t in texts.items() if _GROUPED.fullmatch(t)}
    if not grouped or not all(r in grouped or (t.isdigit() and len(t) <= 3) for r, t in texts.items()):
        return layout, None
    example = max(grouped.values(), key=len)
    values = {r: dict(cells) for r, cells in grid.rows.items()}
    for r, t in grouped.items():
        values[r][c] = int(t.replace(",", ""))
    copied = copy.copy(grid)
    copied.rows = values
    return replace(layout, grid=copied), example


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
    summed: bool,
) -> list[str]:
    notices: list[str] = []
    if summed:
        notices.append(
            f"SCB-filen har kommuner men inga län: varje läns befolkning är summan av dess kommuner "
            f"({sum(MUNICIPALITIES)} kommuner, länet efter kommunkodens två första siffror)"
        )
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
    counted = [row for row in rows if not (summed and row.kind == "kommun" and row.breakdown is None)]
    left_out = _left_out(layout.grid, counted, demoted, column, total)
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
