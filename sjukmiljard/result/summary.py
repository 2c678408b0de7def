"""The Sammanställning: every villkor per län, the national bodies, the grand SUMMA and the agreement
check."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import quote_sheetname

from ..allocate.shares import Allocation
from ..model import Indata
from ..words import regions
from ..words.regions import fold
from ..words.vocabulary import (
    AGREEMENT_LABEL,
    FIRST_LAN_ROW,
    LAN,
    SUMMA,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
    TOTAL,
)
from .style import (
    LINE_HEIGHT,
    Cells,
    Formats,
    add_sheet,
    cell_range,
    figure_width,
    first_col_width,
    frame_rows,
    heading_width,
    page_setup,
    position,
    ref,
)
from .villkor import VillkorCells


def write_summary(
    book: Any,
    fmt: Formats,
    indata: Indata,
    alloc: Allocation,
    placed: list[VillkorCells],
    values_only: bool,
) -> Any:
    ws = add_sheet(book, SUMMARY_SHEET)
    cells = Cells(ws, values_only)
    ws.write_string(0, 0, "Sammanställning", fmt.title)
    ws.write_string(
        1,
        0,
        f"Potentiellt belopp för varje villkor, Mkr (befolkning {indata.population.date_text})",
    )
    columns = [v.name for v in indata.villkor]
    total_col = len(columns) + 1
    ws.write_string(SUMMARY_HEADER_ROW, 0, LAN, fmt.header)
    for c, name in enumerate(columns, start=1):
        ws.write_string(SUMMARY_HEADER_ROW, c, name, fmt.header_number)
    ws.write_string(SUMMARY_HEADER_ROW, total_col, TOTAL, fmt.header_number)

    first = SUMMARY_HEADER_ROW + 1
    summary = alloc.summary
    at = [position(summary, where.sheet) for where in placed]
    quoted = [quote_sheetname(where.sheet) for where in placed]
    rows = zip(summary.index, frame_rows(summary), alloc.summary_totals.tolist(), strict=True)
    for i, (lan, row, total) in enumerate(rows):
        r = first + i
        ws.write_string(r, 0, str(lan))
        for c, where in enumerate(placed, start=1):
            source = f"={quoted[c - 1]}!{ref(FIRST_LAN_ROW + i, where.total_col)}"
            cells.formula(r, c, source, row[at[c - 1]], fmt.mkr)
        cells.formula(r, total_col, f"=SUM({cell_range(r, 1, r, total_col - 1)})", total, fmt.mkr)
    summa_row = first + len(alloc.summary)
    ws.write_string(summa_row, 0, SUMMA, fmt.total_text)
    for c, value in enumerate([*alloc.lan_sums.tolist(), alloc.lan_total], start=1):
        formula = f"=SUM({cell_range(first, c, summa_row - 1, c)})"
        cells.formula(summa_row, c, formula, float(value), fmt.total_mkr)

    r = summa_row + 1
    national = alloc.national
    at = [position(national, where.sheet) for where in placed]
    bodies = zip(national.index, frame_rows(national), alloc.national_totals.tolist(), strict=True)
    for body, row, total in bodies:
        ws.write_string(r, 0, str(body))
        for c, where in enumerate(placed, start=1):
            body_row = where.national_rows.get(regions.fold(str(body)))
            if body_row is not None:
                source = f"={quoted[c - 1]}!{ref(body_row, where.total_col)}"
                cells.formula(r, c, source, row[at[c - 1]], fmt.mkr)
        cells.formula(r, total_col, f"=SUM({cell_range(r, 1, r, total_col - 1)})", total, fmt.mkr)
        r += 1
    grand_row = summa_row
    if len(alloc.national):
        ws.write_string(r, 0, SUMMA, fmt.total_text)
        for c, value in enumerate([*alloc.grand_sums.tolist(), alloc.grand_total], start=1):
            formula = f"={ref(summa_row, c)}+SUM({cell_range(summa_row + 1, c, r - 1, c)})"
            cells.formula(r, c, formula, float(value), fmt.total_mkr)
        grand_row = r
    if indata.agreement_total is not None:
        grand, agreement = alloc.grand_total, indata.agreement_total
        _write_agreement_check(ws, fmt, cells, grand_row, total_col, grand, agreement)
    r = grand_row + (4 if indata.agreement_total is not None else 2)
    ws.write_string(r, 0, ROUNDING_NOTE, fmt.note)
    legend = [(v.name, v.title) for v in indata.villkor if v.title and fold(v.title) != fold(v.name)]
    if legend:
        ws.write_string(r + 2, 0, "Villkoren", fmt.bold)
        for k, (name, title) in enumerate(legend, start=r + 3):
            ws.write_string(k, 0, f"{name}: {title}")
    width = first_col_width(*regions.NAMES, *(str(b) for b in alloc.national.index), AGREEMENT_LABEL)
    page_setup(ws, fmt, SUMMARY_HEADER_ROW, width, fit=(1, 1))
    largest = max(abs(float(value)) for value in [*alloc.grand_sums.tolist(), alloc.grand_total])
    lines = 1
    for c, label in enumerate([*columns, TOTAL], start=1):
        heading, heading_lines = heading_width(label)
        lines = max(lines, heading_lines)
        ws.set_column(c, c, max(heading, figure_width(largest, 3, bold=True), 11))
    ws.set_row(SUMMARY_HEADER_ROW, LINE_HEIGHT * lines + 2)
    return ws


ROUNDING_NOTE = (
    "Beloppen visas med tre decimaler, men alla summor är räknade på de oavrundade beloppen: en summa "
    "kan skilja en tusendel från summan av de visade beloppen."
)


def _write_agreement_check(
    ws: Any, fmt: Formats, cells: Cells, grand_row: int, col: int, grand: float, agreement: float
) -> None:
    """The agreement's total beside the grand SUMMA, and their difference (the reader refuses any)."""
    row = grand_row + 2
    ws.write_string(row, 0, AGREEMENT_LABEL)
    ws.write_number(row, col, agreement, fmt.mkr)
    ws.write_string(row + 1, 0, "Skillnad mot SUMMA")
    formula = f"=ROUND({ref(grand_row, col)}-{ref(row, col)},6)"
    cells.formula(row + 1, col, formula, round(grand - agreement, 6) + 0.0, fmt.mkr)
