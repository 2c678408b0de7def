"""Where things are in a sheet of the mutation model, for deciding whether a mutation keeps every figure.

This follows the input contract as the README states it today; the total oracle (`totals.py`) has its
own, stricter reading of the same sheets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sjukmiljard.words.regions import fold, is_riket
from sjukmiljard.words.swedish import NotANumber, parse_number

from .book import Book, Formula, Sheet, Value

IGNORED = ("sammanställning", "anvisningar", "förändring", "utfall", "utbetalning", "utbetalning översikt")


@dataclass(frozen=True)
class Layout:
    kind: str  # "befolkning", "villkor", "ignored" or "other"
    header: int | None = None
    lan_col: int = 0
    riket: int | None = None


def layout(sheet: Sheet) -> Layout:
    folded_title = fold(sheet.title)
    header = lan_col = None
    for r, row in enumerate(sheet.rows[:40]):
        cols = [c for c, v in enumerate(row) if isinstance(v, str) and fold(v) == "län"]
        if cols:
            header, lan_col = r, cols[0]
            break
    if folded_title in IGNORED:
        return Layout("ignored")
    if header is None or lan_col is None:
        return Layout("befolkning" if folded_title == "befolkning" else "other")
    riket = next(
        (
            r
            for r in range(header + 1, len(sheet.rows))
            if isinstance(cell(sheet, r, lan_col), str) and is_riket(str(cell(sheet, r, lan_col)))
        ),
        None,
    )
    has_persons = any(isinstance(v, str) and fold(v) == "personer" for v in sheet.rows[header])
    if folded_title == "befolkning":
        return Layout("befolkning", header, lan_col, riket)
    if sheet.state != "visible" or has_persons:
        return Layout("other", header, lan_col, riket)
    return Layout("villkor", header, lan_col, riket)


def cell(sheet: Sheet, r: int, c: int) -> Value:
    if r < len(sheet.rows) and c < len(sheet.rows[r]):
        return sheet.rows[r][c]
    return None


def put(sheet: Sheet, r: int, c: int, value: Value) -> None:
    while len(sheet.rows) <= r:
        sheet.rows.append([])
    row = sheet.rows[r]
    while len(row) <= c:
        row.append(None)
    row[c] = value


def zone(sheet: Sheet, r: int) -> str:
    """Which part of a sheet row r is in, for deciding whether a mutation can change a figure."""
    if r >= len(sheet.rows) or all(v is None for v in sheet.rows[r]):
        return "blank"
    where = layout(sheet)
    if where.kind not in ("befolkning", "villkor") or where.header is None or where.riket is None:
        return f"{where.kind}-any"
    if r < where.header:
        return f"{where.kind}-above"
    if r == where.header:
        return "header"
    if r < where.riket:
        return f"{where.kind}-data"
    if r == where.riket:
        return "riket"
    return f"{where.kind}-below"


def sheet_index(book: Book, i: int, want: str | None = None) -> int | None:
    candidates = [n for n, s in enumerate(book) if want is None or layout(s).kind == want]
    return candidates[i % len(candidates)] if candidates else None


# A cell that holds only a number and its unit in Mkr ("100 Mkr") is that number (issue 15, point 2).
_IN_MKR = re.compile(r"^\s*(.*?\d)\s*(?:mkr|msek|miljoner kronor)\.?\s*$", re.IGNORECASE)


def number_of(value: Value) -> float | None:
    if isinstance(value, Formula):
        value = value.cached
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and (typed := _IN_MKR.match(value)):
        value = typed.group(1)
    try:
        return parse_number(value)
    except (NotANumber, TypeError):
        return None


def valid_sheet_name(name: str, book: Book, skip: int | None = None) -> bool:
    """Excel's rules, and not one of the names the reader treats specially."""
    return (
        0 < len(name.encode("utf-16-le")) // 2 <= 31  # Excel counts UTF-16 code units
        and name == name.strip()
        and not re.search(r"[\[\]:*?/\\]", name)
        and not name.startswith("'")
        and not name.endswith("'")
        and fold(name) not in ("befolkning", *IGNORED)
        and all(s.title.lower() != name.lower() for n, s in enumerate(book) if n != skip)
    )
