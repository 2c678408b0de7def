"""Where the figures are in one grid of an SCB export: the value columns, the stub, the data rows.

PxWeb's exports differ in details but share one shape, and that shape is what is relied on:

* stub columns on the left (region, maybe ålder, kön or månad), one row per combination; the
  Excel export leaves an outer stub cell blank below the first row of its block;
* value columns on the right, headed by the heading variables' texts joined by a space
  ("Folkmängd 2019M11"); the Excel export writes one heading row per variable under a title;
* or every variable in the stub (PxWeb's "relationstabell", or månad placed in the rows), where
  a column holds the month (2019M11) and the last column the number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..errors import Problem
from ..read.grid import Grid
from ..words import regions
from .labels import (
    cell_text,
    is_breakdown_value,
    months_in,
    names_money,
    numberish,
    other_contents,
    parse_month,
    part_in,
    region_kind,
    region_text,
    without_months,
)

NUMBER_SEARCH_CELLS = 10
UNKNOWN_LAYOUT = (
    "känner inte igen filen som en export från SCB:s statistikdatabas: förväntade en rubrikrad med "
    "region och minst en månadskolumn som 2019M11, och en rad per län"
)
ONLY_RIKET = (
    "SCB-filen har inga län, bara riket eller kommuner – välj de 21 länen under region i SCB:s "
    "statistikdatabas"
)
NO_MONTH = (
    "SCB-filen har ingen månadskolumn: ingen rubrik innehåller en månad som 2019M11 – välj tabellen "
    "Folkmängden per månad och minst en månad i SCB:s statistikdatabas"
)


class Refused(Exception):
    """Problems with one reading of the file; `specific` ones are worth more than 'unknown layout'."""

    def __init__(self, problems: list[Problem], *, specific: bool = True) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.specific = specific


def refused(message: str, *, specific: bool = True) -> Refused:
    return Refused([Problem(None, None, message)], specific=specific)


@dataclass(frozen=True)
class Column:
    """A value column; `month` is None when the months are in the stub (a long layout)."""

    index: int
    heading: str
    month: str | None
    qualifier: str


@dataclass(frozen=True)
class Row:
    """A data row: its region as written, what it is (`region_kind`), and what splits it."""

    index: int
    region: str
    kind: str
    lan: str | None
    month: str | None
    breakdown: str | None


@dataclass(frozen=True)
class Layout:
    grid: Grid
    region_col: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    months: tuple[str, ...]
    title: str = ""
    footnotes: tuple[str, ...] = ()  # the text rows below the table, each joined
    stub_headings: tuple[str, ...] = ()  # the headings over the region and the other stub columns


def analyse(grid: Grid) -> Layout:
    """Find the value columns, the data rows and the region column of one grid.

    Raises:
        Refused: The grid is not an SCB export, or one without the län or without a month.
    """
    month_col = _month_column(grid)
    if month_col is not None:
        data, first, columns, top = _long_values(grid, month_col)
    else:
        data, first, columns, top = _wide_values(grid)
    layout = _read_stub(grid, data, first, columns)
    title = " ".join(_text(grid, r, c) for r in grid.row_numbers if r < top for c, _ in _filled(grid, r))
    last = max((row.index for row in layout.rows), default=top)
    below = (" ".join(_text(grid, r, c) for c, _ in _filled(grid, r)) for r in grid.row_numbers if r > last)
    values = {column.index for column in layout.columns}
    first_row = min((row.index for row in layout.rows), default=top)
    stub = tuple(
        _text(grid, r, c)
        for r in grid.row_numbers
        if top <= r < first_row
        for c, _ in _filled(grid, r)
        if c not in values
    )
    return replace(layout, title=title, footnotes=tuple(note for note in below if note), stub_headings=stub)


def _long_values(grid: Grid, month_col: int) -> tuple[range, int, list[Column], int]:
    """The months are in a stub column: the value columns are the numeric ones at the right."""
    start = next(r for r in range(_height(grid)) if parse_month(_text(grid, r, month_col)))
    data = range(start, _block_end(grid, start))
    value_cols = _trailing_numeric(grid, data, month_col)
    if not value_cols:
        raise refused(f"{UNKNOWN_LAYOUT} (hittade ingen kolumn med antal personer)", specific=False)
    first = value_cols[0]
    above = _rows_above(grid, start)
    headings = _headings(grid, above, first, value_cols[-1])
    return data, first, [Column(c, headings[c], None, headings[c]) for c in value_cols], above.start


def _wide_values(grid: Grid) -> tuple[range, int, list[Column], int]:
    """One value column per month, its heading on one or more rows above the data."""
    header = _month_header(grid)
    if header is None:
        raise _no_month(grid)
    header_row, first = header
    top = header_row
    while top > 0 and any(c >= first for c, _ in _filled(grid, top - 1)):
        top -= 1
    bottom = header_row
    while (
        bottom + 1 < _height(grid)
        and not _empty(grid, bottom + 1)
        and not any(c < first for c, _ in _filled(grid, bottom + 1))
    ):
        bottom += 1
    start = bottom + 1
    while start < _height(grid) and _empty(grid, start):
        start += 1
    data = range(start, _block_end(grid, start))
    # The last column with a figure: a note to the right of the table (a transposed footnote) is no
    # value column, even where a spanning heading would be carried over it.
    header_last = max(c for c, _ in _filled(grid, bottom))
    figures = (c for c in range(header_last, first - 1, -1) if any(numberish(grid.get(r, c)) for r in data))
    last = next(figures, header_last)
    headings = _headings(grid, range(top, bottom + 1), first, last)
    columns = []
    for c in range(first, last + 1):
        found = months_in(headings[c])
        if len(found) == 1:
            columns.append(Column(c, headings[c], found[0], without_months(headings[c])))
    return data, first, columns, top


def _read_stub(grid: Grid, data: range, first_value: int, columns: list[Column]) -> Layout:
    """Classify the stub columns left of the values: months, region (maybe code + name), the rest."""
    filled: dict[int, list[str]] = {}
    previous = [""] * first_value
    stored_as_numbers = _codes_as_numbers(grid, data, first_value)
    for r in data:
        current = [stored_as_numbers.get(c, {}).get(r) or _text(grid, r, c) for c in range(first_value)]
        if grid.lines is None:  # a sheet: the Excel export leaves an outer stub cell blank
            current = [text or before for text, before in zip(current, previous, strict=True)]
        filled[r] = previous = current

    values = {c: [filled[r][c] for r in data if filled[r][c]] for c in range(first_value)}
    month_like = {c for c, texts in values.items() if texts and all(parse_month(v) for v in texts)}
    candidates = [c for c, texts in values.items() if texts and c not in month_like]
    scores = {c: _region_score(values[c]) for c in candidates}
    if max((lan for lan, _ in scores.values()), default=0) == 0:
        coded = {c: sum(region_kind(value)[0] == "kommun" for value in values[c]) for c in candidates}
        if max(coded.values(), default=0):  # municipalities with codes: summed to län by the caller
            scores = {c: (0, coded[c]) for c in candidates}
        elif any(other for _, other in scores.values()):
            raise refused(ONLY_RIKET)
        else:
            detail = "hittade ingen kolumn med län, t.ex. '01 Stockholms län'"
            raise refused(f"{UNKNOWN_LAYOUT} ({detail})", specific=False)
    region_col = max(candidates, key=lambda c: (scores[c][0], scores[c][1], -c))
    code_col, name_col = _code_and_name(region_col, candidates, [filled[r] for r in data])
    dims = [c for c in candidates if c not in (code_col, name_col)]
    varies = {c: len(set(values[c])) > 1 for c in dims}
    month_col = min(month_like) if month_like else None

    rows: list[Row] = []
    for r in data:
        stub = filled[r]
        region = region_text(stub[code_col] if code_col is not None else "", stub[name_col])
        if not region:
            continue
        kind, lan = region_kind(region)
        month = parse_month(stub[month_col]) if month_col is not None else None
        split = [stub[c] for c in dims if is_breakdown_value(stub[c], varies[c])]
        # Named by its text ("kvinnor") rather than its code ("2") where the export has both.
        named = (v for v in split if any(ch.isalpha() for ch in v) and (part_in(v) or other_contents(v)))
        breakdown = next(named, split[0] if split else None)
        rows.append(Row(r, region, kind, lan, month, breakdown))
    if month_col is not None:
        months = _unique(row.month for row in rows)
    else:
        months = _unique(column.month for column in columns)
    return Layout(grid, name_col, tuple(columns), tuple(rows), months)


def _month_column(grid: Grid) -> int | None:
    """A column holding months as values (long layout); wide headings have each month only once."""
    counts: Counter[int] = Counter()
    for r in grid.row_numbers:
        for c, value in grid.cells(r):
            if isinstance(value, str) and parse_month(value):
                counts[c] += 1
    if not counts:
        return None
    column, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return column if count >= 2 else None


def _month_header(grid: Grid) -> tuple[int, int] | None:
    """The heading row with month columns, and its first month column.

    Column A is never a value column (the region is in the stub), which keeps a title such as
    "Folkmängden … Månad 2019M11" from being taken for a heading.
    """
    best: tuple[int, list[int]] | None = None
    for r in grid.row_numbers:
        cols = [
            c
            for c, value in _filled(grid, r)
            if c >= 1 and len(months_in(cell_text(value))) == 1 and _number_below(grid, r, c)
        ]
        if cols and (best is None or len(cols) >= len(best[1])):
            best = (r, cols)
    return (best[0], min(best[1])) if best else None


def _number_below(grid: Grid, r: int, c: int) -> bool:
    seen = 0
    for below in grid.rows_after(r):
        value = grid.get(below, c)
        if not cell_text(value):
            continue
        if numberish(value):
            return True
        seen += 1
        if seen >= NUMBER_SEARCH_CELLS:
            return False
    return False


def _block_end(grid: Grid, start: int) -> int:
    """Data ends at the first empty row: the Excel export puts its footnotes below one."""
    height = _height(grid)
    return next((r for r in range(start, height) if _empty(grid, r)), height)


def _rows_above(grid: Grid, start: int) -> range:
    top = start
    while top > 0 and any(c >= 1 for c, _ in _filled(grid, top - 1)):
        top -= 1
    return range(top, start)


def _trailing_numeric(grid: Grid, data: range, month_col: int) -> list[int]:
    """The value columns of a long layout: the block of mostly numeric columns at the right."""
    width = max((c + 1 for r in data for c, _ in _filled(grid, r)), default=0)
    found: list[int] = []
    for c in reversed(range(width)):
        cells = [grid.get(r, c) for r in data if _text(grid, r, c)]
        if not cells:
            if found:
                break
            continue
        if c == month_col or 2 * sum(1 for v in cells if numberish(v)) <= len(cells):
            break
        found.append(c)
    return sorted(found)


def _headings(grid: Grid, heading_rows: range, first: int, last: int) -> dict[int, str]:
    """Each value column's heading texts joined, carrying spanning Excel headings to the right."""
    parts: dict[int, list[str]] = {c: [] for c in range(first, last + 1)}
    for r in heading_rows:
        carried = ""
        for c in range(first, last + 1):
            carried = _text(grid, r, c) or carried
            if carried:
                parts[c].append(carried)
    return {c: " ".join(texts) for c, texts in parts.items()}


def _no_month(grid: Grid) -> Refused:
    """Län without a month: the wrong SCB table, unless the file says it counts money (a budget per
    län, a payment list), which is no population file at all."""
    texts = [cell_text(v) for r in grid.row_numbers for _, v in _filled(grid, r) if not numberish(v)]
    money = next((t for t in texts if region_kind(t)[0] != "lan" and names_money(t)), None)
    if money is not None:
        return refused(
            f"filen visar belopp ('{money}'), inte antal personer – välj tabellen Folkmängden per månad i "
            "SCB:s statistikdatabas",
            specific=False,
        )
    if any(region_kind(t)[0] == "lan" for t in texts):
        return refused(NO_MONTH)
    return refused(UNKNOWN_LAYOUT, specific=False)


def _region_score(values: Sequence[str]) -> tuple[int, int]:
    """(län, riket and municipalities) among a column's values."""
    kinds = Counter(region_kind(value)[0] for value in values)
    return kinds["lan"], kinds["riket"] + kinds["kommun"]


def _codes_as_numbers(grid: Grid, data: range, first_value: int) -> dict[int, dict[int, str]]:
    """Stub columns of region codes that Excel stored as numbers, so that they lost their leading zero
    (0114 Upplands Väsby as 114, 01 as 1), with each row's code as SCB writes it: 0 is riket's 00, a
    number under 100 a län's code, any other a municipality's four digits that begin with a län's
    code. A column of ages never is (no län has the code 02), and a column that lost no zero is left
    as it is."""
    found: dict[int, dict[int, str]] = {}
    for c in range(first_value):
        codes = {r: _region_code(grid.get(r, c)) for r in data if cell_text(grid.get(r, c))}
        if (
            codes
            and all(codes.values())
            and any(len(code) - len(cell_text(grid.get(r, c))) for r, code in codes.items() if code)
        ):
            found[c] = {r: code for r, code in codes.items() if code}
    return found


def _region_code(value: object) -> str | None:
    """A region's code written as a number (never text: "114" typed as text keeps its form)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        return None
    number = int(value)
    code = f"{number:02d}" if number < 100 else f"{number:04d}"
    if number < 0 or len(code) > 4 or (number and regions.match(code[:2]) is None):
        return None
    return code


def _code_and_name(region_col: int, candidates: list[int], stubs: list[list[str]]) -> tuple[int | None, int]:
    """PxWeb's "code and text" export puts the region code in its own column before the name.

    The pair is only taken when the codes agree with the names, so that a kön or ålder code
    column standing next to the region names is not read as region codes; with municipalities
    only, when every code has four digits that begin with a län's code.
    """

    def agree(code_col: int, name_col: int) -> bool:
        if code_col not in candidates or name_col not in candidates:
            return False
        pairs = [(stub[code_col], stub[name_col]) for stub in stubs if stub[name_col]]
        if not all(code.isdecimal() for code, _ in pairs):
            return False
        named = [
            (code, region_kind(name)[1])
            for code, name in pairs
            if len(code) <= 2 and region_kind(name)[0] == "lan"
        ]
        if named:
            return all(regions.match(code) == lan for code, lan in named)
        # Municipalities only: four-digit codes whose first two digits are a län's, beside names.
        return bool(pairs) and all(
            len(code) == 4 and regions.match(code[:2]) is not None and not name.strip().isdecimal()
            for code, name in pairs
        )

    if agree(region_col, region_col + 1):
        return region_col, region_col + 1
    if agree(region_col - 1, region_col):
        return region_col - 1, region_col
    return None, region_col


# -- the grid, cell by cell --------------------------------------------------------------


def _text(grid: Grid, r: int, c: int) -> str:
    return cell_text(grid.get(r, c))


def _filled(grid: Grid, r: int) -> list[tuple[int, object]]:
    """The cells of row `r` with text, left to right."""
    return [(c, value) for c, value in grid.cells(r) if cell_text(value)]


def _empty(grid: Grid, r: int) -> bool:
    return not _filled(grid, r)


def _height(grid: Grid) -> int:
    """Rows 0 to the last one with a value: below it, every row is empty."""
    return grid.row_numbers[-1] + 1 if grid.row_numbers else 0


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))
