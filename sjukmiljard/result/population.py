"""The Befolkning sheet: persons, shares and the RIKET sums."""

from __future__ import annotations

from typing import Any

from ..allocate.shares import Allocation
from ..model import Indata
from ..words import regions
from ..words.vocabulary import (
    AGREEMENT_LABEL,
    FIRST_LAN_ROW,
    HEADER_ROW,
    LAN,
    PERSONS,
    POPULATION_SHEET,
    RIKET_ROW,
    SHARE,
)
from .style import Cells, Formats, add_sheet, cell_range, figure_width, first_col_width, page_setup, ref


def write_population(book: Any, fmt: Formats, indata: Indata, alloc: Allocation, values_only: bool) -> None:
    ws = add_sheet(book, POPULATION_SHEET)
    cells = Cells(ws, values_only)
    ws.write_string(0, 0, f"Befolkning {indata.population.date_text}", fmt.title)
    if indata.agreement_total is not None:
        ws.write_string(1, 0, f"{AGREEMENT_LABEL}, Mkr")
        ws.write_number(1, 1, indata.agreement_total, fmt.mkr)
    ws.write_string(HEADER_ROW, 0, LAN, fmt.header)
    ws.write_string(HEADER_ROW, 1, PERSONS, fmt.header_number)
    ws.write_string(HEADER_ROW, 2, SHARE, fmt.header_number)
    frame = alloc.population
    riket_persons = ref(RIKET_ROW, 1, row_abs=True)
    rows = zip(frame.index, frame[PERSONS].tolist(), frame[SHARE].tolist(), strict=True)
    for i, (name, persons, share) in enumerate(rows):
        r = FIRST_LAN_ROW + i
        ws.write_string(r, 0, str(name))
        ws.write_number(r, 1, int(persons), fmt.persons)
        cells.formula(r, 2, f"={ref(r, 1)}/{riket_persons}", float(share), fmt.share)
    last = RIKET_ROW - 1
    ws.write_string(RIKET_ROW, 0, regions.RIKET, fmt.total_text)
    persons_sum = f"=SUM({cell_range(FIRST_LAN_ROW, 1, last, 1)})"
    cells.formula(RIKET_ROW, 1, persons_sum, float(frame[PERSONS].sum()), fmt.total_persons)
    share_sum = f"=SUM({cell_range(FIRST_LAN_ROW, 2, last, 2)})"
    cells.formula(RIKET_ROW, 2, share_sum, float(frame[SHARE].sum()), fmt.total_share)
    ws.write_string(RIKET_ROW + 2, 0, f"Källa: {indata.population.source}.", fmt.note)
    labels = [f"{AGREEMENT_LABEL}, Mkr"] if indata.agreement_total is not None else []
    page_setup(ws, fmt, HEADER_ROW, first_col_width(*regions.NAMES, *labels), portrait=True, fit=(1, 1))
    ws.set_column(1, 1, max(12, figure_width(float(frame[PERSONS].sum()), bold=True)))
    ws.set_column(2, 2, 12)
