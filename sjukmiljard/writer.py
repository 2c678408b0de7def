"""Writing the result workbook in the published layout, with live formulas and cached values."""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from . import regions
from .allocation import TOTAL, Allocation
from .model import (
    Gap,
    Indata,
    Line,
    NationalSum,
    Note,
    SumLine,
    Utfall,
    Villkor,
)
from .vocabulary import (
    AGREEMENT_LABEL,
    CHANGES_SHEET,
    FIRST_LAN_ROW,
    HEADER_ROW,
    KRONOR_FORMAT,
    MKR_FORMAT,
    OUTCOME_SHEET,
    OVERVIEW_SHEET,
    PAYMENT_SHEET,
    PERSONS_FORMAT,
    POPULATION_SHEET,
    RIKET_ROW,
    SHARE_FORMAT,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
)

if TYPE_CHECKING:  # imported by the runs that write these sheets
    from .compare import Comparison
    from .payout import Payout

POT_WIDTH = 17
NOTE_CHARS = 100  # a note wraps at about this many characters: legible on A4 landscape at 100 %
LINE_HEIGHT = 15
TITLE_SCALE = 1.2  # the 12 pt title against the 11 pt body
WRAP_MARGIN = 1.1  # a line holds fewer characters than the columns' width in digits
KRONOR = KRONOR_FORMAT
MKR = MKR_FORMAT
PERSONS = PERSONS_FORMAT
SHARE = SHARE_FORMAT
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


@dataclass(frozen=True)
class Provenance:
    """What the result records about where it came from (document properties)."""

    input_name: str
    input_sha256: str
    version: str


class _Formats:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
        self.header_number = book.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom", "align": "right"}
        )
        self.text = book.add_format({})
        self.total_text = book.add_format({"bold": True, "top": 1})
        self.persons = book.add_format({"num_format": PERSONS})
        self.share = book.add_format({"num_format": SHARE})
        self.mkr = book.add_format({"num_format": MKR})
        self.total_persons = book.add_format({"num_format": PERSONS, "bold": True, "top": 1})
        self.total_share = book.add_format({"num_format": SHARE, "bold": True, "top": 1})
        self.total_mkr = book.add_format({"num_format": MKR, "bold": True, "top": 1})
        self.note = book.add_format({"italic": True})
        self.note_wrapped = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        self.title_wrapped = book.add_format(
            {"bold": True, "font_size": 12, "text_wrap": True, "valign": "top"}
        )
        self.header_group = book.add_format({"bold": True, "align": "center", "bottom": 1})


class _Worksheet(Worksheet):  # type: ignore[misc]
    """xlsxwriter's worksheet without its formula rewriting: it runs ~30 regular expressions per
    formula to expand Excel 365 functions (FILTER, XLOOKUP, …); ours use only SUM and references."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula


def _rows(frame: pd.DataFrame) -> list[list[float]]:
    """A frame's rows as Python floats: far cheaper than iterrows() for a few hundred cells."""
    rows: list[list[float]] = frame.to_numpy(dtype="float64").tolist()
    return rows


def _position(frame: pd.DataFrame, label: str) -> int:
    return list(frame.columns).index(label)


def _add_sheet(book: Any, name: str) -> Any:
    return book.add_worksheet(name, worksheet_class=_Worksheet)


class _Cells:
    """Writes a value as a live formula with its cached result, or as a plain value."""

    def __init__(self, ws: Any, values_only: bool) -> None:
        self.ws = ws
        self.values_only = values_only

    def formula(self, row: int, col: int, formula: str, value: float, fmt: Any) -> None:
        if self.values_only:
            self.ws.write_number(row, col, value, fmt)
        else:
            self.ws.write_formula(row, col, formula, fmt, value)


def _ref(row: int, col: int, *, row_abs: bool = False, col_abs: bool = False) -> str:
    return str(xl_rowcol_to_cell(row, col, row_abs, col_abs))


def _range(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"{_ref(first_row, first_col)}:{_ref(last_row, last_col)}"


def _page_setup(ws: Any, header_row: int, first_col_width: float) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_row)
    ws.freeze_panes(header_row + 1, 1)
    ws.set_column(0, 0, first_col_width)
    ws.set_footer("&L&A&RSida &P av &N")


def _first_col_width(*texts: str) -> float:
    return max(len(text) for text in texts) + 3


def _write_population(book: Any, fmt: _Formats, indata: Indata, alloc: Allocation, values_only: bool) -> None:
    ws = _add_sheet(book, POPULATION_SHEET)
    cells = _Cells(ws, values_only)
    ws.write_string(0, 0, f"Befolkning {indata.population.date_text}", fmt.title)
    if indata.agreement_total is not None:
        ws.write_string(1, 0, f"{AGREEMENT_LABEL}, Mkr")
        ws.write_number(1, 1, indata.agreement_total, fmt.mkr)
    ws.write_string(HEADER_ROW, 0, "Län", fmt.header)
    ws.write_string(HEADER_ROW, 1, "Personer", fmt.header_number)
    ws.write_string(HEADER_ROW, 2, "Andel", fmt.header_number)
    frame = alloc.population
    riket_persons = _ref(RIKET_ROW, 1, row_abs=True)
    rows = zip(frame.index, frame["Personer"].tolist(), frame["Andel"].tolist(), strict=True)
    for i, (name, persons, share) in enumerate(rows):
        r = FIRST_LAN_ROW + i
        ws.write_string(r, 0, str(name))
        ws.write_number(r, 1, int(persons), fmt.persons)
        cells.formula(r, 2, f"={_ref(r, 1)}/{riket_persons}", float(share), fmt.share)
    last = RIKET_ROW - 1
    ws.write_string(RIKET_ROW, 0, regions.RIKET, fmt.total_text)
    persons_sum = f"=SUM({_range(FIRST_LAN_ROW, 1, last, 1)})"
    cells.formula(RIKET_ROW, 1, persons_sum, float(frame["Personer"].sum()), fmt.total_persons)
    share_sum = f"=SUM({_range(FIRST_LAN_ROW, 2, last, 2)})"
    cells.formula(RIKET_ROW, 2, share_sum, float(frame["Andel"].sum()), fmt.total_share)
    ws.write_string(RIKET_ROW + 2, 0, f"Källa: {indata.population.source}.", fmt.note)
    labels = [f"{AGREEMENT_LABEL}, Mkr"] if indata.agreement_total is not None else []
    _page_setup(ws, HEADER_ROW, _first_col_width(*regions.NAMES, *labels))
    ws.set_column(1, 2, 12)


@dataclass(frozen=True)
class _VillkorCells:
    """Where the writer put a villkor's figures, for the Sammanställning to reference."""

    sheet: str
    total_col: int
    national_rows: dict[str, int]


def _write_villkor(
    book: Any, fmt: _Formats, villkor: Villkor, frame: pd.DataFrame, values_only: bool
) -> _VillkorCells:
    ws = _add_sheet(book, villkor.name)
    cells = _Cells(ws, values_only)
    ws.write_string(HEADER_ROW, 0, "Län", fmt.header)
    pots = len(villkor.pots)
    for i, pot in enumerate(villkor.pots):
        ws.write_string(HEADER_ROW, 1 + i, pot.label, fmt.header_number)
    total_col = 1 if pots == 1 else pots + 1
    if pots > 1:
        ws.write_string(HEADER_ROW, total_col, "Totalt", fmt.header_number)
    share_sheet = quote_sheetname(POPULATION_SHEET)
    pot_cells = [_ref(RIKET_ROW, 1 + p, row_abs=True) for p in range(pots)]
    total_at = _position(frame, TOTAL)
    for i, (name, row) in enumerate(zip(frame.index, _rows(frame), strict=True)):
        r = FIRST_LAN_ROW + i
        ws.write_string(r, 0, str(name))
        share_cell = _ref(r, 2, col_abs=True)
        for p in range(pots):
            cells.formula(r, 1 + p, f"={pot_cells[p]}*{share_sheet}!{share_cell}", row[p], fmt.mkr)
        if pots > 1:
            cells.formula(r, total_col, f"=SUM({_range(r, 1, r, pots)})", row[total_at], fmt.mkr)
    ws.write_string(RIKET_ROW, 0, regions.RIKET, fmt.total_text)
    for p, pot in enumerate(villkor.pots):
        ws.write_number(RIKET_ROW, 1 + p, pot.amount, fmt.total_mkr)
    if pots > 1:
        total = f"=SUM({_range(RIKET_ROW, 1, RIKET_ROW, pots)})"
        cells.formula(RIKET_ROW, total_col, total, villkor.pot_total, fmt.total_mkr)
    first_width = _first_col_width(*regions.NAMES, *(n.name for n in villkor.national))
    span = _note_span(first_width, total_col)
    national_rows = _write_below_riket(ws, fmt, cells, villkor, total_col, span, first_width)
    width = first_width + POT_WIDTH * span
    if villkor.title and len(villkor.title) * TITLE_SCALE > width:
        _write_wrapped(ws, 0, villkor.title, fmt.title_wrapped, span, width / TITLE_SCALE)
    elif villkor.title:
        ws.write_string(0, 0, villkor.title, fmt.title)
    _page_setup(ws, HEADER_ROW, first_width)
    if not villkor.title:
        ws.set_header('&L&"-,Bold"&A')  # a printed sheet always has a heading
    ws.set_column(1, total_col, POT_WIDTH)
    if span > total_col:
        ws.set_column(total_col + 1, span, POT_WIDTH)
    ws.set_row(HEADER_ROW, 30)
    return _VillkorCells(villkor.name, total_col, national_rows)


def _lines(villkor: Villkor) -> list[Line]:
    """What stands below RIKET, with a SUMMA row after the fixed sums when the sheet had none."""
    if not villkor.lines:
        notes: list[Line] = [Note(text) for text in villkor.notes]
        if not villkor.national:
            return notes
        return [*villkor.national, SumLine(), *([Gap()] if notes else []), *notes]
    lines = list(villkor.lines)
    if villkor.national and not any(isinstance(line, SumLine) for line in lines):
        last = max(i for i, line in enumerate(lines) if isinstance(line, NationalSum))
        lines.insert(last + 1, SumLine())
    return lines


def _write_below_riket(
    ws: Any, fmt: _Formats, cells: _Cells, villkor: Villkor, total_col: int, span: int, first_width: float
) -> dict[str, int]:
    r = RIKET_ROW + 2
    national_rows: dict[str, int] = {}
    riket_total = _ref(RIKET_ROW, total_col)
    for line in _lines(villkor):
        if isinstance(line, NationalSum):
            ws.write_string(r, 0, line.name)
            ws.write_number(r, total_col, line.amount, fmt.mkr)
            national_rows[regions.fold(line.name)] = r
        elif isinstance(line, SumLine):
            rows = sorted(national_rows.values())
            formula = f"={riket_total}"
            if rows:
                formula += f"+SUM({_range(rows[0], total_col, rows[-1], total_col)})"
            ws.write_string(r, 0, "SUMMA", fmt.total_text)
            cells.formula(r, total_col, formula, villkor.total, fmt.total_mkr)
        elif isinstance(line, Note):
            _write_wrapped(ws, r, line.text, fmt.note_wrapped, span, first_width + POT_WIDTH * span)
        r += 1
    return national_rows


def _note_span(first_width: float, total_col: int) -> int:
    """The last column a note spans: the table's width, widened to a readable line on A4 landscape."""
    last = total_col
    while first_width + POT_WIDTH * last < NOTE_CHARS:
        last += 1
    return last


def _write_wrapped(ws: Any, row: int, text: str, fmt: Any, span: int, width: float) -> None:
    """Text across columns A..span (`width` characters), wrapped, its row tall enough for every line."""
    lines = sum(max(1, math.ceil(len(part) * WRAP_MARGIN / width)) for part in text.split("\n"))
    ws.merge_range(row, 0, row, span, "", fmt)
    ws.write_string(row, 0, text, fmt)
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT * lines * (TITLE_SCALE if fmt.font_size > 11 else 1))


def _write_summary(
    book: Any,
    fmt: _Formats,
    indata: Indata,
    alloc: Allocation,
    placed: list[_VillkorCells],
    values_only: bool,
) -> Any:
    ws = _add_sheet(book, SUMMARY_SHEET)
    cells = _Cells(ws, values_only)
    ws.write_string(0, 0, "Sammanställning", fmt.title)
    ws.write_string(
        1,
        0,
        f"Potentiellt belopp för varje villkor, Mkr (befolkning {indata.population.date_text})",
    )
    columns = [v.name for v in indata.villkor]
    total_col = len(columns) + 1
    ws.write_string(SUMMARY_HEADER_ROW, 0, "Län", fmt.header)
    for c, name in enumerate(columns, start=1):
        ws.write_string(SUMMARY_HEADER_ROW, c, name, fmt.header_number)
    ws.write_string(SUMMARY_HEADER_ROW, total_col, TOTAL, fmt.header_number)

    first = SUMMARY_HEADER_ROW + 1
    summary = alloc.summary
    at = [_position(summary, where.sheet) for where in placed]
    total_at = _position(summary, TOTAL)
    quoted = [quote_sheetname(where.sheet) for where in placed]
    for i, (lan, row) in enumerate(zip(summary.index, _rows(summary), strict=True)):
        r = first + i
        ws.write_string(r, 0, str(lan))
        for c, where in enumerate(placed, start=1):
            source = f"={quoted[c - 1]}!{_ref(FIRST_LAN_ROW + i, where.total_col)}"
            cells.formula(r, c, source, row[at[c - 1]], fmt.mkr)
        cells.formula(r, total_col, f"=SUM({_range(r, 1, r, total_col - 1)})", row[total_at], fmt.mkr)
    summa_row = first + len(alloc.summary)
    ws.write_string(summa_row, 0, "SUMMA", fmt.total_text)
    for c, value in enumerate(alloc.summary_total, start=1):
        formula = f"=SUM({_range(first, c, summa_row - 1, c)})"
        cells.formula(summa_row, c, formula, float(value), fmt.total_mkr)

    r = summa_row + 1
    national = alloc.national
    at = [_position(national, where.sheet) for where in placed]
    total_at = _position(national, TOTAL)
    for body, row in zip(national.index, _rows(national), strict=True):
        ws.write_string(r, 0, str(body))
        for c, where in enumerate(placed, start=1):
            body_row = where.national_rows.get(regions.fold(str(body)))
            if body_row is not None:
                source = f"={quoted[c - 1]}!{_ref(body_row, where.total_col)}"
                cells.formula(r, c, source, row[at[c - 1]], fmt.mkr)
        cells.formula(r, total_col, f"=SUM({_range(r, 1, r, total_col - 1)})", row[total_at], fmt.mkr)
        r += 1
    grand_row = summa_row
    if len(alloc.national):
        ws.write_string(r, 0, "SUMMA", fmt.total_text)
        for c, value in enumerate(alloc.grand_total, start=1):
            formula = f"={_ref(summa_row, c)}+SUM({_range(summa_row + 1, c, r - 1, c)})"
            cells.formula(r, c, formula, float(value), fmt.total_mkr)
        grand_row = r
    if indata.agreement_total is not None:
        grand = float(alloc.grand_total.iloc[-1])
        _write_agreement_check(ws, fmt, cells, grand_row, total_col, grand, indata.agreement_total)
    width = _first_col_width(*regions.NAMES, *(str(b) for b in alloc.national.index), AGREEMENT_LABEL)
    _page_setup(ws, SUMMARY_HEADER_ROW, width)
    ws.set_column(1, total_col, 13)
    ws.set_row(SUMMARY_HEADER_ROW, 45)
    return ws


def _write_agreement_check(
    ws: Any, fmt: _Formats, cells: _Cells, grand_row: int, col: int, grand: float, agreement: float
) -> None:
    """The agreement's total beside the grand SUMMA, and their difference (the reader refuses any)."""
    row = grand_row + 2
    ws.write_string(row, 0, AGREEMENT_LABEL)
    ws.write_number(row, col, agreement, fmt.mkr)
    ws.write_string(row + 1, 0, "Skillnad mot SUMMA")
    formula = f"=ROUND({_ref(grand_row, col)}-{_ref(row, col)},6)"
    cells.formula(row + 1, col, formula, round(grand - agreement, 6) + 0.0, fmt.mkr)


def _write_changes(
    book: Any, fmt: _Formats, change: Comparison, summary_columns: list[str], values_only: bool
) -> None:
    ws = book.add_worksheet(CHANGES_SHEET)
    cells = _Cells(ws, values_only)
    ws.write_string(0, 0, "Förändring mot tidigare resultat, Mkr", fmt.title)
    dates = f"Befolkning {change.current_date} jämfört med {change.previous_date}"
    ws.write_string(1, 0, f"{dates} (tidigare resultat: {change.previous_name})")
    notes = []
    if change.only_current:
        notes.append("Kolumner som bara finns i det nya resultatet: " + ", ".join(change.only_current))
    if change.only_previous:
        notes.append("Kolumner som bara fanns i det tidigare resultatet: " + ", ".join(change.only_previous))
    for r, note in enumerate(notes, start=2):
        ws.write_string(r, 0, note, fmt.note)
    group_row = 3 + len(notes)
    header_row = group_row + 1
    first = header_row + 1
    last = first + len(change.current) - 1
    ws.write_string(header_row, 0, "Län", fmt.header)
    for i, lan in enumerate(change.current.index):
        ws.write_string(first + i, 0, str(lan))
    ws.write_string(last + 1, 0, "SUMMA", fmt.total_text)

    difference = change.difference
    groups: list[tuple[str, pd.Series, pd.Series, pd.Series, Any, Any]] = [
        (name, change.previous[name], change.current[name], difference[name], fmt.mkr, fmt.total_mkr)
        for name in change.columns
    ]
    persons = change.persons
    groups.append(
        (
            "Personer",
            persons["Tidigare"],
            persons["Nu"],
            persons["Nu"] - persons["Tidigare"],
            fmt.persons,
            fmt.total_persons,
        )
    )
    for g, (name, old, new, delta, number, total) in enumerate(groups):
        col = 1 + 3 * g
        ws.merge_range(group_row, col, group_row, col + 2, name, fmt.header_group)
        for k, label in enumerate(("Tidigare", "Nu", "Förändring")):
            ws.write_string(header_row, col + k, label, fmt.header_number)
        if name == "Personer":
            source_col: int | None = 1
            source_sheet, source_first = POPULATION_SHEET, FIRST_LAN_ROW
        else:
            source_col = summary_columns.index(name) + 1 if name in summary_columns else None
            source_col = len(summary_columns) + 1 if name == TOTAL else source_col
            source_sheet, source_first = SUMMARY_SHEET, SUMMARY_HEADER_ROW + 1
        for i in range(len(old)):
            row = first + i
            if old.notna().iloc[i]:
                ws.write_number(row, col, float(old.iloc[i]), number)
            if source_col is not None:
                source = f"={quote_sheetname(source_sheet)}!{_ref(source_first + i, source_col)}"
                cells.formula(row, col + 1, source, float(new.iloc[i]), number)
            cells.formula(
                row, col + 2, f"={_ref(row, col + 1)}-{_ref(row, col)}", float(delta.iloc[i]), number
            )
        for k, series in enumerate((old, new, delta)):
            if series.notna().any():
                c = col + k
                cells.formula(last + 1, c, f"=SUM({_range(first, c, last, c)})", float(series.sum()), total)

    total_change_col = 1 + 3 * change.columns.index(TOTAL) + 2
    chart = book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Förändring TOTALT, Mkr",
            "categories": [CHANGES_SHEET, first, 0, last, 0],
            "values": [CHANGES_SHEET, first, total_change_col, last, total_change_col],
            "fill": {"color": "#4472C4"},
        }
    )
    chart.set_title({"name": "Förändring TOTALT per län, Mkr", "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    chart.set_x_axis({"num_format": "#,##0.000", "major_gridlines": {"visible": True}})
    chart.set_size({"width": 560, "height": 520})
    ws.insert_chart(header_row, 1 + 3 * len(groups) + 1, chart)
    _page_setup(ws, header_row, _first_col_width(*regions.NAMES))
    ws.set_column(1, 3 * len(groups), 11)


def _swedish_key(name: str) -> list[int]:
    """Sort key for Swedish alphabetical order (å, ä, ö after z), as the 2014 overview lists the län."""
    alphabet = "abcdefghijklmnopqrstuvwxyzåäö"
    return [alphabet.index(ch) if ch in alphabet else 100 + ord(ch) for ch in name.casefold()]


def _write_utfall(book: Any, fmt: _Formats, utfall: Utfall) -> None:
    """The reported outcomes as read, in the input's layout, so the result stays a valid input."""
    ws = book.add_worksheet(OUTCOME_SHEET)
    ws.write_string(0, 0, "Utfall (återrapportering)", fmt.title)
    ws.write_string(HEADER_ROW, 0, "Län", fmt.header)
    labels = ("Regel", "Förverkat", "Kr per enhet", "Pott, Mkr")
    for k, label in enumerate(labels):
        ws.write_string(HEADER_ROW + 1 + k, 0, label, fmt.note)
    first = HEADER_ROW + 1 + len(labels)
    for c, pot in enumerate(utfall.pots, start=1):
        ws.write_string(HEADER_ROW, c, pot.label, fmt.header_number)
        ws.write_string(HEADER_ROW + 1, c, pot.rule.value)
        if pot.rule.spec.takes_forfeit:
            ws.write_string(HEADER_ROW + 2, c, "omfördelas" if pot.redistribute else "staten")
        if pot.rule.spec.takes_per_unit and pot.per_unit is not None:
            ws.write_number(HEADER_ROW + 3, c, pot.per_unit, fmt.persons)
        if pot.villkor is None:
            ws.write_number(HEADER_ROW + 4, c, pot.pot, fmt.mkr)
        for i, value in enumerate(pot.values):
            if isinstance(value, bool):
                ws.write_string(first + i, c, "Ja" if value else "Nej")
            else:
                ws.write_number(first + i, c, value)
    for i, name in enumerate(regions.NAMES):
        ws.write_string(first + i, 0, name)
    _page_setup(ws, HEADER_ROW, _first_col_width(*regions.NAMES))
    ws.set_column(1, len(utfall.pots), 16)


def _write_payments(book: Any, fmt: _Formats, indata: Indata, payout: Payout, values_only: bool) -> None:
    from .payment_rules import FORFEITED

    ws = book.add_worksheet(PAYMENT_SHEET)
    cells = _Cells(ws, values_only)
    kronor = book.add_format({"num_format": KRONOR})
    total_kronor = book.add_format({"num_format": KRONOR, "bold": True, "top": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "font_size": 8, "italic": True})
    ws.write_string(0, 0, "Utbetalning, kronor", fmt.title)
    ws.write_string(
        1,
        0,
        f"Befolkning {indata.population.date_text}. Hela kronor: varje rad och kolumn summerar exakt "
        "(kontrollerad avrundning).",
    )
    header = 3
    n = len(payout.columns)
    total_col = n + 1
    ws.write_string(header, 0, "Län", fmt.header)
    for c, label in enumerate(payout.columns, start=1):
        ws.write_string(header, c, label, fmt.header_number)
    ws.write_string(header, total_col, TOTAL, fmt.header_number)
    ws.write_string(header + 1, 0, "Regel", fmt.note)
    for c, text in enumerate(payout.rules, start=1):
        ws.write_string(header + 1, c, text, wrap)
    ws.set_row(header + 1, 60)
    first = header + 2
    for i, (name, row) in enumerate(payout.regions.iterrows()):
        r = first + i
        ws.write_string(r, 0, str(name))
        for c in range(n):
            ws.write_number(r, c + 1, int(row.iloc[c]), kronor)
        cells.formula(r, total_col, f"=SUM({_range(r, 1, r, n)})", float(row.sum()), kronor)
    last = first + len(payout.regions) - 1
    summa, forfeited, pot_row = last + 1, last + 2, last + 3
    ws.write_string(summa, 0, "SUMMA", fmt.total_text)
    ws.write_string(forfeited, 0, FORFEITED)
    ws.write_string(pot_row, 0, "Pott", fmt.total_text)
    for c in range(1, total_col + 1):
        column = payout.regions.iloc[:, c - 1] if c <= n else payout.regions.sum(axis=1)
        cells.formula(summa, c, f"=SUM({_range(first, c, last, c)})", float(column.sum()), total_kronor)
        if c <= n:
            ws.write_number(forfeited, c, int(payout.forfeited.iloc[c - 1]), kronor)
        else:
            cells.formula(
                forfeited,
                c,
                f"=SUM({_range(forfeited, 1, forfeited, n)})",
                float(payout.forfeited.sum()),
                kronor,
            )
        pot = float(payout.pots.iloc[c - 1]) if c <= n else float(payout.pots.sum())
        cells.formula(pot_row, c, f"={_ref(summa, c)}+{_ref(forfeited, c)}", pot, total_kronor)
    r = pot_row + 2
    national = payout.national
    if len(national):
        ws.write_string(r, 0, "Nationella aktörer", fmt.header)
        for c, name in enumerate(national.columns, start=1):
            ws.write_string(r, c, str(name), fmt.header_number)
        body_total = len(national.columns) + 1
        ws.write_string(r, body_total, TOTAL, fmt.header_number)
        top = r + 1
        for i, (body, row) in enumerate(national.iterrows()):
            rr = top + i
            ws.write_string(rr, 0, str(body))
            for c, value in enumerate(row, start=1):
                if value == value:
                    ws.write_number(rr, c, int(value), kronor)
            cells.formula(
                rr, body_total, f"=SUM({_range(rr, 1, rr, body_total - 1)})", float(row.sum()), kronor
            )
        bottom = top + len(national) - 1
        r = bottom + 1
        ws.write_string(r, 0, "SUMMA nationella", fmt.total_text)
        for c in range(1, body_total + 1):
            value = float(national.iloc[:, c - 1].sum()) if c < body_total else float(national.sum().sum())
            cells.formula(r, c, f"=SUM({_range(top, c, bottom, c)})", value, total_kronor)
        grand = float(payout.regions.to_numpy().sum() + national.sum().sum())
        ws.write_string(r + 2, 0, "TOTALT UTBETALT", fmt.total_text)
        formula = f"={_ref(summa, total_col)}+{_ref(r, body_total)}"
        cells.formula(r + 2, 1, formula, grand, total_kronor)
    _page_setup(ws, header, _first_col_width(FORFEITED, *regions.NAMES))
    ws.set_column(1, max(total_col, len(national.columns) + 1), 16)
    _write_overview(book, fmt, payout, first, values_only, kronor, total_kronor)


def _write_overview(
    book: Any, fmt: _Formats, payout: Payout, first: int, values_only: bool, kronor: Any, total: Any
) -> None:
    """The 2014 overview's layout: Villkorad del, Rörlig del, Totalt per län, alphabetically."""
    ws = book.add_worksheet(OVERVIEW_SHEET)
    cells = _Cells(ws, values_only)
    ws.write_string(0, 0, "Utbetalning – översikt, kronor", fmt.title)
    header = 2
    for c, label in enumerate(("Län", "Villkorad del", "Rörlig del", "Totalt")):
        ws.write_string(header, c, label, fmt.header if c == 0 else fmt.header_number)
    source = quote_sheetname(PAYMENT_SHEET)
    order = sorted(range(len(payout.regions)), key=lambda i: _swedish_key(str(payout.regions.index[i])))
    for k, i in enumerate(order):
        r = header + 1 + k
        row = payout.regions.iloc[i]
        ws.write_string(r, 0, str(payout.regions.index[i]))
        for c, variable in ((1, False), (2, True)):
            parts = [j for j, v in enumerate(payout.variable) if v == variable]
            value = float(sum(int(row.iloc[j]) for j in parts))
            formula = "=" + "+".join(f"{source}!{_ref(first + i, j + 1)}" for j in parts) if parts else "=0"
            cells.formula(r, c, formula, value, kronor)
        cells.formula(r, 3, f"={_ref(r, 1)}+{_ref(r, 2)}", float(row.sum()), kronor)
    last = header + len(order)
    ws.write_string(last + 1, 0, "SUMMA", fmt.total_text)
    for c in (1, 2, 3):
        parts = [j for j, v in enumerate(payout.variable) if c == 3 or v == (c == 2)]
        value = float(payout.regions.iloc[:, parts].to_numpy().sum()) if parts else 0.0
        cells.formula(last + 1, c, f"=SUM({_range(header + 1, c, last, c)})", value, total)
    _page_setup(ws, header, _first_col_width(*regions.NAMES))
    ws.set_column(1, 3, 16)


def write_result(
    indata: Indata,
    alloc: Allocation,
    provenance: Provenance,
    *,
    values_only: bool = False,
    comparison: Comparison | None = None,
    payout: Payout | None = None,
) -> bytes:
    """The result workbook as bytes: the same input gives the same bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    fmt = _Formats(book)
    population = indata.population
    book.set_properties(
        {
            "title": "Sjukskrivningsmiljarden – fördelning per län",
            "subject": f"Potentiellt belopp per villkor, befolkning {population.date_text}",
            "author": "sjukmiljard",
            "comments": (
                f"Beräknad av sjukmiljard {provenance.version} från {provenance.input_name} "
                f"(SHA-256 {provenance.input_sha256}), befolkning {population.date_text}."
            ),
            "created": dt.datetime.combine(population.date, dt.time()),
        }
    )
    book.set_custom_property("Indatafil", provenance.input_name)
    book.set_custom_property("Indata SHA-256", provenance.input_sha256)
    book.set_custom_property("Befolkningsdatum", population.date.isoformat())
    book.set_custom_property("Befolkningskälla", population.source)
    book.set_custom_property("Programversion", provenance.version)
    _write_population(book, fmt, indata, alloc, values_only)
    placed = [
        _write_villkor(book, fmt, v, frame, values_only)
        for v, frame in zip(indata.villkor, alloc.villkor, strict=True)
    ]
    summary = _write_summary(book, fmt, indata, alloc, placed, values_only)
    summary.activate()
    if indata.utfall is not None and payout is not None:
        _write_utfall(book, fmt, indata.utfall)
        _write_payments(book, fmt, indata, payout, values_only)
    if comparison is not None:
        _write_changes(book, fmt, comparison, [v.name for v in indata.villkor], values_only)
    book.close()
    return buffer.getvalue()
