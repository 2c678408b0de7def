"""One sheet per villkor: the län's parts of each pot, RIKET, and below it the sums and notes in place."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from xlsxwriter.utility import quote_sheetname

from ..allocate.shares import villkor_totals
from ..model import Line, NationalSum, Note, SumLine, Villkor
from ..words import regions
from ..words.vocabulary import FIRST_LAN_ROW, HEADER_ROW, LAN, POPULATION_SHEET, POT_TOTAL, RIKET_ROW, SUMMA
from .style import (
    LINE_HEIGHT,
    NOTE_CHARS,
    NOTE_MAX_CHARS,
    PORTRAIT_CHARS,
    POT_WIDTH,
    TITLE_SCALE,
    WRAP_MARGIN,
    Cells,
    Formats,
    add_sheet,
    cell_range,
    first_col_width,
    frame_rows,
    page_setup,
    ref,
)


@dataclass(frozen=True)
class VillkorCells:
    """Where the writer put a villkor's figures, for the Sammanställning to reference."""

    sheet: str
    total_col: int
    national_rows: dict[str, int]


def write_villkor(
    book: Any, fmt: Formats, villkor: Villkor, frame: pd.DataFrame, values_only: bool
) -> VillkorCells:
    ws = add_sheet(book, villkor.name)
    cells = Cells(ws, values_only)
    ws.write_string(HEADER_ROW, 0, LAN, fmt.header)
    pots = len(villkor.pots)
    for i, pot in enumerate(villkor.pots):
        ws.write_string(HEADER_ROW, 1 + i, pot.label, fmt.header_number)
    total_col = 1 if pots == 1 else pots + 1
    if pots > 1:
        ws.write_string(HEADER_ROW, total_col, POT_TOTAL, fmt.header_number)
    share_sheet = quote_sheetname(POPULATION_SHEET)
    pot_cells = [ref(RIKET_ROW, 1 + p, row_abs=True) for p in range(pots)]
    totals = villkor_totals(frame).tolist()
    for i, (name, row, total) in enumerate(zip(frame.index, frame_rows(frame), totals, strict=True)):
        r = FIRST_LAN_ROW + i
        ws.write_string(r, 0, str(name))
        share_cell = ref(r, 2, col_abs=True)
        for p in range(pots):
            cells.formula(r, 1 + p, f"={pot_cells[p]}*{share_sheet}!{share_cell}", row[p], fmt.mkr)
        if pots > 1:
            cells.formula(r, total_col, f"=SUM({cell_range(r, 1, r, pots)})", total, fmt.mkr)
    ws.write_string(RIKET_ROW, 0, regions.RIKET, fmt.total_text)
    for p, pot in enumerate(villkor.pots):
        ws.write_number(RIKET_ROW, 1 + p, pot.amount, fmt.total_mkr)
    if pots > 1:
        total = f"=SUM({cell_range(RIKET_ROW, 1, RIKET_ROW, pots)})"
        cells.formula(RIKET_ROW, total_col, total, villkor.pot_total, fmt.total_mkr)
    first_width = first_col_width(*regions.NAMES, *(n.name for n in villkor.national))
    span, width = _note_span(first_width, total_col, villkor)
    national_rows = _write_below_riket(ws, fmt, cells, villkor, total_col, span, width)
    title = villkor.title or villkor.name  # a printed sheet always has a heading, in its place
    if len(title) * TITLE_SCALE > width:
        _write_wrapped(ws, 0, title, fmt.title_wrapped, span, width / TITLE_SCALE)
    else:
        ws.write_string(0, 0, title, fmt.title)
    # Portrait unless the notes' lines make the sheet wider than a portrait page holds at ~90 %.
    page_setup(ws, fmt, HEADER_ROW, first_width, portrait=width <= PORTRAIT_CHARS, fit=(1, 1))
    ws.set_column(1, total_col, POT_WIDTH)
    if span > total_col:  # the columns only the notes use; the last one makes up the width
        ws.set_column(total_col + 1, span, POT_WIDTH)
        ws.set_column(span, span, width - first_width - POT_WIDTH * (span - 1))
    ws.set_row(HEADER_ROW, 30)
    return VillkorCells(villkor.name, total_col, national_rows)


def _lines(villkor: Villkor) -> list[Line]:
    """What stands below RIKET, with a SUMMA row after the fixed sums when the sheet had none."""
    lines = list(villkor.lines)
    if villkor.national and not any(isinstance(line, SumLine) for line in lines):
        last = max(i for i, line in enumerate(lines) if isinstance(line, NationalSum))
        lines.insert(last + 1, SumLine())
    return lines


def _write_below_riket(
    ws: Any, fmt: Formats, cells: Cells, villkor: Villkor, total_col: int, span: int, width: float
) -> dict[str, int]:
    r = RIKET_ROW + 2
    national_rows: dict[str, int] = {}
    riket_total = ref(RIKET_ROW, total_col)
    for line in _lines(villkor):
        if isinstance(line, NationalSum):
            ws.write_string(r, 0, line.name)
            ws.write_number(r, total_col, line.amount, fmt.mkr)
            national_rows[regions.fold(line.name)] = r
        elif isinstance(line, SumLine):
            rows = sorted(national_rows.values())
            formula = f"={riket_total}"
            if rows:
                formula += f"+SUM({cell_range(rows[0], total_col, rows[-1], total_col)})"
            ws.write_string(r, 0, SUMMA, fmt.total_text)
            cells.formula(r, total_col, formula, villkor.total, fmt.total_mkr)
        elif isinstance(line, Note):
            _write_wrapped(ws, r, line.text, fmt.note_wrapped, span, width)
        r += 1
    return national_rows


def _note_span(first_width: float, total_col: int, villkor: Villkor) -> tuple[int, float]:
    """The last column a note spans and the notes' width: the table's width, widened to a readable
    line, and to the longest line of the notes (up to NOTE_MAX_CHARS) so that a line the sheet kept
    on one row is not broken in two; the sheet is fitted to its page."""
    notes = [line.text for line in _lines(villkor) if isinstance(line, Note)]
    longest = max((len(part) for text in notes for part in text.split("\n")), default=0)
    wanted = min(NOTE_MAX_CHARS, max(NOTE_CHARS, longest * WRAP_MARGIN))
    table = first_width + POT_WIDTH * total_col
    if table >= wanted:
        return total_col, table
    return total_col + math.ceil((wanted - table) / POT_WIDTH), wanted


def _write_wrapped(ws: Any, row: int, text: str, fmt: Any, span: int, width: float) -> None:
    """Text across columns A..span (`width` characters), wrapped, its row tall enough for every line."""
    lines = sum(max(1, math.ceil(len(part) * WRAP_MARGIN / width)) for part in text.split("\n"))
    ws.merge_range(row, 0, row, span, "", fmt)
    ws.write_string(row, 0, text, fmt)
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT * lines * (TITLE_SCALE if fmt.font_size > 11 else 1))
