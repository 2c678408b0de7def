"""The Kontroll sheet: the reading receipt. Every number of the input with its cell, what it was read
as and what it became; every check with both sides; the numbers not used; and the reconciliation of
the villkor sheets with the Sammanställning and the agreement's total.
"""

from __future__ import annotations

import math
import re
from typing import Any

from openpyxl.utils import column_index_from_string
from xlsxwriter.utility import quote_sheetname

from ..allocate.shares import Allocation
from ..model import Indata
from ..read.accounting import Entry, Role
from ..words.vocabulary import (
    AGREEMENT_LABEL,
    MKR_FORMAT,
    PERSONS_FORMAT,
    RECEIPT_SHEET,
    RECEIPT_TITLE,
    RIKET_ROW,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
)
from .style import LINE_HEIGHT, Cells, Formats, add_sheet, print_setup, ref
from .villkor import VillkorCells

HEADINGS = ("Blad", "Cell", "Rad / rubrik", "Värde", "Enhet", "Mkr", "Kontroll mot", "Stämmer", "Lästes som")
WIDTHS = (16, 7, 30, 13, 9, 12, 13, 8, 56)
NUMBER_COLUMNS = (3, 5, 6)
WRAPPED = {0: WIDTHS[0], 2: WIDTHS[2], 8: WIDTHS[8]}  # a sheet name of 31 characters takes 2 lines
TEXT_PER_DIGIT = 1.15  # a column holds about this many characters of text per digit of its width
POTS, FIXED, TOTAL = 3, 5, 6  # the reconciliation's columns, under the table's figures
_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def _position(cell: str) -> tuple[int, int]:
    """(row, column) of "B25"; a text file's "rad 12" sorts by its line."""
    found = _A1.match(cell)
    if found is None:
        digits = re.sub(r"\D", "", cell)
        return (int(digits) if digits else 0, 0)
    letters, digits = found.groups()
    return int(digits), column_index_from_string(letters)


def ordered(indata: Indata, sheet_order: list[str]) -> list[Entry]:
    """The receipt's entries by sheet (in the workbook's order), then row, then column."""
    rank = {name: k for k, name in enumerate(sheet_order)}
    return sorted(indata.receipt, key=lambda e: (rank.get(e.sheet, len(rank)), e.sheet, *_position(e.cell)))


def write_receipt(
    book: Any,
    fmt: Formats,
    indata: Indata,
    alloc: Allocation,
    placed: list[VillkorCells],
    values_only: bool,
    input_name: str,
    sheet_order: list[str],
) -> Any:
    ws = add_sheet(book, RECEIPT_SHEET)
    cells = Cells(ws, values_only)
    looks = _Looks(book)
    ws.write_string(0, 0, RECEIPT_TITLE, fmt.title)
    population = indata.population
    ws.write_string(1, 0, f"Indata: {input_name}. Befolkning {population.date_text} ({population.source}).")
    row = _write_reconciliation(ws, fmt, cells, indata, alloc, placed, 3)
    row += 1
    ws.write_string(row, 0, "Talen i indata", fmt.title)
    ws.write_string(
        row + 1,
        0,
        "Varje tal i de lästa bladen: använt, kontrollerat mot det som räknas fram, eller inte använt.",
    )
    header_row = row + 2
    for c, heading in enumerate(HEADINGS):
        ws.write_string(header_row, c, heading, fmt.header_number if c in NUMBER_COLUMNS else fmt.header)
    r = header_row + 1
    for entry in ordered(indata, sheet_order):
        _write_entry(ws, fmt, looks, r, entry)
        r += 1
    for c, width in enumerate(WIDTHS):  # the Blad column only wraps in the table: see _write_entry
        ws.set_column(c, c, width, looks.wrapped if c in WRAPPED and c else None)
    print_setup(ws, fmt, fit=(1, 0))
    ws.repeat_rows(header_row)
    return ws


class _Looks:
    """The receipt's own cell formats: wrapped text, and figures shown as typed."""

    def __init__(self, book: Any) -> None:
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        self.whole = book.add_format({"num_format": PERSONS_FORMAT, "valign": "top"})
        self.decimal = book.add_format({"num_format": "#,##0.000###", "valign": "top"})
        self.mkr = book.add_format({"num_format": MKR_FORMAT, "valign": "top"})
        self.top = book.add_format({"valign": "top"})
        self.unit = book.add_format({"valign": "top", "indent": 1})
        self.alarm = book.add_format({"bold": True, "valign": "top"})

    def figure(self, value: float) -> Any:
        return self.whole if float(value).is_integer() else self.decimal


def _write_entry(ws: Any, fmt: Formats, looks: _Looks, r: int, entry: Entry) -> None:
    became = f"{entry.role.value}: {entry.became}"
    if entry.guess:
        became += f" (osäkert: {entry.guess})"
    lines = max(
        math.ceil(len(text) / (WRAPPED[c] * TEXT_PER_DIGIT))
        for c, text in ((0, entry.sheet), (2, entry.label), (8, became))
    )
    if lines > 1:
        ws.set_row(r, LINE_HEIGHT * lines)
    ws.write_string(r, 0, entry.sheet, looks.wrapped)
    ws.write_string(r, 1, entry.cell, looks.top)
    ws.write_string(r, 2, entry.label, looks.wrapped)
    ws.write_number(r, 3, entry.value, looks.figure(entry.value))
    ws.write_string(r, 4, entry.unit, looks.unit)
    if entry.mkr is not None:
        ws.write_number(r, 5, entry.mkr, looks.mkr)
    if entry.expected is not None:
        ws.write_number(r, 6, entry.expected, looks.figure(entry.expected))
    if entry.role is Role.VERIFIED:
        ws.write_string(r, 7, "ja" if entry.agrees else "NEJ", looks.top if entry.agrees else looks.alarm)
    ws.write_string(r, 8, became, looks.wrapped)


def _write_reconciliation(
    ws: Any,
    fmt: Formats,
    cells: Cells,
    indata: Indata,
    alloc: Allocation,
    placed: list[VillkorCells],
    row: int,
) -> int:
    """Per villkor its pots and fixed sums as read, their sum against the Sammanställning's and the
    agreement's total; the figures are formulas on the villkor sheets."""
    ws.write_string(row, 0, "Avstämning", fmt.title)
    ws.write_string(row + 1, 0, "Villkor", fmt.header)
    for c, heading in ((POTS, "Potter, Mkr"), (FIXED, "Fasta belopp, Mkr"), (TOTAL, "Totalt, Mkr")):
        ws.write_string(row + 1, c, heading, fmt.header_number)
    r = row + 2
    first = r
    for villkor, where in zip(indata.villkor, placed, strict=True):
        quoted = quote_sheetname(where.sheet)
        ws.write_string(r, 0, villkor.name)
        pots = f"={quoted}!{ref(RIKET_ROW, where.total_col)}"
        cells.formula(r, POTS, pots, villkor.pot_total, fmt.mkr)
        fixed = sum(item.amount for item in villkor.national)
        terms = [f"{quoted}!{ref(body_row, where.total_col)}" for body_row in where.national_rows.values()]
        if terms:
            cells.formula(r, FIXED, "=" + "+".join(terms), fixed, fmt.mkr)
        else:
            ws.write_number(r, FIXED, 0.0, fmt.mkr)
        cells.formula(r, TOTAL, f"={ref(r, POTS)}+{ref(r, FIXED)}", villkor.total, fmt.mkr)
        r += 1
    total = sum(v.total for v in indata.villkor)
    ws.write_string(r, 0, "Summa enligt villkorsbladen", fmt.total_text)
    cells.formula(r, TOTAL, f"=SUM({ref(first, TOTAL)}:{ref(r - 1, TOTAL)})", total, fmt.total_mkr)
    grand = alloc.grand_total
    grand_row = (
        SUMMARY_HEADER_ROW + 1 + len(alloc.summary) + (1 + len(alloc.national) if len(alloc.national) else 0)
    )
    total_col = len(indata.villkor) + 1
    ws.write_string(r + 1, 0, f"{SUMMARY_SHEET}: SUMMA")
    summary = f"={quote_sheetname(SUMMARY_SHEET)}!{ref(grand_row, total_col)}"
    cells.formula(r + 1, TOTAL, summary, grand, fmt.mkr)
    ws.write_string(r + 2, 0, "Skillnad")
    difference = f"=ROUND({ref(r, TOTAL)}-{ref(r + 1, TOTAL)},6)"
    cells.formula(r + 2, TOTAL, difference, round(total - grand, 6) + 0.0, fmt.mkr)
    r += 3
    if indata.agreement_total is not None:
        ws.write_string(r, 0, AGREEMENT_LABEL)
        ws.write_number(r, TOTAL, indata.agreement_total, fmt.mkr)
        ws.write_string(r + 1, 0, "Skillnad mot överenskommelsen")
        off = round(total - indata.agreement_total, 6) + 0.0
        cells.formula(r + 1, TOTAL, f"=ROUND({ref(r - 3, TOTAL)}-{ref(r, TOTAL)},6)", off, fmt.mkr)
        r += 2
    else:
        ws.write_string(r, 0, f"{AGREEMENT_LABEL}: inte ifyllt i indata")
        r += 1
    return r
