"""Structural mutations of a workbook model.

Each mutation is a tuple (kind, *arguments) of small values hypothesis can shrink. Applying one returns
whether it keeps every figure: then the run must convert with the base's figures.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from sjukmiljard.words import bodies
from sjukmiljard.words.regions import LAN, NAMES, fold
from sjukmiljard.words.vocabulary import claims_total

from .book import Book, ErrorCell, Formula, Sheet, Value, column_letter
from .layout import cell, layout, number_of, put, sheet_index, valid_sheet_name, zone
from .values import LAN_ALIASES, SHEET_NAME_PAYLOADS, invalid_number_text, swedish_text

Op = tuple[Any, ...]


def apply_op(book: Book, op: Op) -> bool:
    """Mutate `book` in place; True when no figure of the result can change."""
    kind = op[0]
    if kind == "add_sheet":
        return _add_sheet(book, op[1], op[2])
    if not book:
        return False
    if kind in ("delete_sheet", "rename_sheet", "set_state", "move_sheet"):
        return _sheet_op(book, op)
    if kind == "lan_alias":
        return _lan_alias(book, op[1], op[2])
    if kind == "date_form":
        return _date_form(book, op[1])
    if kind == "inject":
        return _inject(book, op[1], op[2], op[3])
    sheet = book[op[1] % len(book)]
    r = op[2] % (len(sheet.rows) + 1)
    if kind in ("swap_rows", "duplicate_row", "delete_row", "insert_blank_row"):
        return _row_op(sheet, kind, r, op[3] % (len(sheet.rows) + 1) if len(op) > 3 else r)
    return _cell_op(sheet, r, op)


def _sheet_op(book: Book, op: Op) -> bool:
    kind, n = op[0], op[1] % len(book)
    if kind == "delete_sheet":
        del book[n]
        return False
    if kind == "rename_sheet":
        keeps = layout(book[n]).kind == "villkor" and valid_sheet_name(op[2], book, skip=n)
        book[n].title = op[2]
        return keeps
    if kind == "set_state":
        keeps = layout(book[n]).kind in ("other", "ignored") and op[2] in ("hidden", "veryHidden")
        keeps = keeps or op[2] == book[n].state
        book[n].state = op[2]
        return keeps
    sheet = book.pop(n)
    book.insert(op[2] % (len(book) + 1), sheet)
    return True


def _cell_op(sheet: Sheet, r: int, op: Op) -> bool:
    kind = op[0]
    width = max((len(row) for row in sheet.rows), default=0)
    c = op[3] % (width + 1)
    old = cell(sheet, r, c)
    if kind == "blank_cell":
        put(sheet, r, c, None)
        return old is None
    if kind == "textify":
        text = swedish_text(old, op[4])
        if text is None:
            return True
        put(sheet, r, c, text if op[5] else invalid_number_text(old, op[4]))
        return bool(op[5])
    if kind == "set_text":
        put(sheet, r, c, op[4])
        return bool(old == op[4])
    if kind == "set_number":
        put(sheet, r, c, op[4])
        return False
    if kind == "set_formula":
        cached: float | str | None = None
        if op[4] == "same" and isinstance(old, str | int | float) and not isinstance(old, bool):
            cached = old
        elif op[4] == "text":
            cached = "Län"
        elif op[4] == "number":
            cached = 1.5
        put(sheet, r, c, Formula("SUM(Z1:Z2)+0", cached))
        return old is not None and cached == old and type(cached) is type(old)
    if kind == "set_error":
        put(sheet, r, c, ErrorCell(op[4]))
        return False
    if kind == "merge":
        return _merge(sheet, r, c, op[4], op[5])
    if kind == "far_cell":
        far_r, far_c = 50 + op[2] % 350, 5 + op[3] % 25
        put(sheet, far_r, far_c, op[4])
        return layout(sheet).riket is not None and number_of(op[4]) is None and op[4] in ("Anteckning",)
    raise AssertionError(f"unknown mutation {kind}")


def _row_op(sheet: Sheet, kind: str, r: int, other: int) -> bool:
    """Rows moved under the sheet's merged ranges, which stay where they are (unlike in Excel), may
    come to be covered: with merges, no row operation keeps every figure."""
    keeps = _row_op_keeps(sheet, kind, r, other)
    return keeps and not sheet.merges


def _row_op_keeps(sheet: Sheet, kind: str, r: int, other: int) -> bool:
    where = layout(sheet)
    z = zone(sheet, r)
    if kind == "swap_rows":
        while len(sheet.rows) <= max(r, other):
            sheet.rows.append([])
        z2 = zone(sheet, other)
        same = z == z2 and z in ("befolkning-data", "villkor-data", "villkor-below")
        if z == "villkor-below" and (_sum_row(sheet.rows[r]) or _sum_row(sheet.rows[other])):
            same = False  # a body moved across the sum row is no longer in it: refused, rightly
        sheet.rows[r], sheet.rows[other] = sheet.rows[other], sheet.rows[r]
        return same or sheet.rows[r] == sheet.rows[other]
    if kind == "duplicate_row":
        row = list(sheet.rows[r]) if r < len(sheet.rows) else []
        texts_only = all(number_of(v) is None for v in row)
        sheet.rows.insert(r, row)
        return z in ("blank", "villkor-data") or (z == "villkor-below" and texts_only and _plain_note(row))
    if kind == "delete_row":
        row = sheet.rows[r] if r < len(sheet.rows) else []
        texts_only = all(number_of(v) is None for v in row)
        if r < len(sheet.rows):
            del sheet.rows[r]
        return z in ("blank", "villkor-data") or (z == "villkor-below" and texts_only and _plain_note(row))
    sheet.rows.insert(r, [])
    return where.header is None or where.header < 38 or r > where.header


def _sum_row(row: list[Value]) -> bool:
    return any(isinstance(v, str) and claims_total(v) for v in row)


def _plain_note(row: list[Value]) -> bool:
    return all(v is None or (isinstance(v, str) and fold(v) != "summa") for v in row)


def _merge(sheet: Sheet, r: int, c: int, width: int, height: int) -> bool:
    last_r, last_c = r + height % 3, c + width % 4
    if (last_r, last_c) == (r, c):
        last_c += 1
    sheet.merges.append(f"{column_letter(c)}{r + 1}:{column_letter(last_c)}{last_r + 1}")
    covered = [
        cell(sheet, rr, cc)
        for rr in range(r, last_r + 1)
        for cc in range(c, last_c + 1)
        if (rr, cc) != (r, c)
    ]
    return all(v is None for v in covered)


def _add_sheet(book: Book, kind: str, name: str) -> bool:
    keeps = valid_sheet_name(name, book)
    if kind == "notes":
        book.append(Sheet(name, [["Anteckningar"], ["Inget här är ett villkor"]]))
        return keeps
    if kind == "empty":
        book.append(Sheet(name, []))
        return keeps
    if kind == "anvisningar":
        book.append(Sheet("Anvisningar", [["Län"], ["Så fyller du i"]]))
        return all(fold(s.title) != "anvisningar" for s in book[:-1])
    source = next(
        (s for s in book if layout(s).kind == ("befolkning" if kind == "population" else "villkor")), None
    )
    if source is None:
        return False
    book.append(Sheet(name, copy.deepcopy(source.rows)))
    return keeps and kind == "population"


def _lan_alias(book: Book, i: int, form: int) -> bool:
    n = sheet_index(book, 0, "befolkning")
    if n is None:
        return True
    sheet = book[n]
    where = layout(sheet)
    if where.header is None or where.riket is None:
        return True
    rows = [r for r in range(where.header + 1, where.riket) if isinstance(cell(sheet, r, where.lan_col), str)]
    if not rows:
        return True
    r = rows[i % len(rows)]
    found = [k for k, name in enumerate(NAMES) if fold(name) == fold(str(cell(sheet, r, where.lan_col)))]
    if not found:
        return True
    lan = LAN[found[0]]
    alias = LAN_ALIASES[form % len(LAN_ALIASES)].format(
        code=lan.code, name=lan.name, NAME=lan.name.upper(), stem=lan.stems[0].title()
    )
    put(sheet, r, where.lan_col, alias)
    return True


def _date_form(book: Book, form: int) -> bool:
    n = sheet_index(book, 0, "befolkning")
    if n is None:
        return True
    sheet = book[n]
    forms: tuple[tuple[Value, bool], ...] = (
        ("Befolkning 2019-11-01", True),
        ("Befolkning 1 november 2019", True),
        ("befolkning 1/11\u00a02019 (SCB)", True),
        (dt.date(2019, 11, 1), True),
        ("Befolkning 31/11 2019", False),
        ("Befolkning", False),
        ("Befolkning 1/11 0001", False),
        (Formula('"Befolkning 1/11 2019"', "Befolkning 1/11 2019"), True),
        (Formula('"Befolkning 1/11 2019"', None), False),
    )
    value, keeps = forms[form % len(forms)]
    for r in range(len(sheet.rows)):
        if any(isinstance(v, str) and "2019" in v for v in sheet.rows[r]):
            sheet.rows[r] = [value]
            return keeps
    return True


def _inject(book: Book, where: str, i: int, payload: str) -> bool:
    """Text a spreadsheet would run, as a villkor's title, a note, a national body or a sheet name."""
    n = sheet_index(book, i, "villkor")
    if n is None:
        return True
    sheet = book[n]
    at = layout(sheet)
    assert at.header is not None
    if where == "title":
        for r in range(at.header):
            for c, v in enumerate(sheet.rows[r]):
                if isinstance(v, str):
                    sheet.rows[r][c] = payload
                    return True
        sheet.rows.insert(0, [payload])
        return at.header < 38
    if where == "note":
        if at.riket is None:
            return False
        sheet.rows.append([])
        sheet.rows.append([payload])
        return True
    if where == "sheetname":
        name = SHEET_NAME_PAYLOADS[len(payload) % len(SHEET_NAME_PAYLOADS)]
        keeps = valid_sheet_name(name, book, skip=n)
        sheet.title = name
        return keeps
    if at.riket is None:
        return False
    named = [
        r
        for r in range(at.riket + 1, len(sheet.rows))
        if len([v for v in sheet.rows[r] if v is not None]) == 2
        and isinstance(sheet.rows[r][at.lan_col] if at.lan_col < len(sheet.rows[r]) else None, str)
        and number_of(sheet.rows[r][at.lan_col]) is None
        and fold(str(sheet.rows[r][at.lan_col])) != "summa"
        and any(number_of(v) is not None for v in sheet.rows[r])
    ]
    if not named:
        sheet.rows.insert(at.riket + 1, [payload, 2.5])
        return False
    taken = {fold(str(sheet.rows[r][at.lan_col])) for r in named}
    sheet.rows[named[0]][at.lan_col] = payload
    unknown = bodies.known(payload) is None  # paid only where the agreement's total settles it (issue 15)
    return (
        fold(payload) not in taken
        and number_of(payload) is None
        and not _misspells_a_body(payload)
        and (not unknown or _has_agreement_total(book))
    )


def _has_agreement_total(book: Book) -> bool:
    """The Befolkning sheet names the agreement's total above its table (B2 in the template)."""
    population = next((s for s in book if fold(s.title) == "befolkning"), None)
    if population is None:
        return False
    return any(isinstance(v, str) and "totalbelopp" in fold(v) for row in population.rows[:3] for v in row)


def _misspells_a_body(name: str) -> bool:
    """The contract refuses a name that is certainly a misspelling of a known body ("@Försäkringskassan")."""
    near = bodies.closest(name)
    return bodies.known(name) is None and near is not None and near[1] >= bodies.CERTAIN_MISSPELLING
