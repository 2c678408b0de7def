"""Writing the result workbook in the published layout, with live formulas and cached values."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from . import regions
from .allocation import TOTAL, Allocation
from .model import CAPPED_RULE, POPULATION_RULE, Indata, Utfall, Villkor

if TYPE_CHECKING:  # imported by the runs that write these sheets
    from .compare import Comparison
    from .payout import Payout

POPULATION_SHEET = "Befolkning"
SUMMARY_SHEET = "Sammanställning"
CHANGES_SHEET = "Förändring"
OUTCOME_SHEET = "Utfall"
PAYMENT_SHEET = "Utbetalning"
OVERVIEW_SHEET = "Utbetalning översikt"
KRONOR = "#,##0"
HEADER_ROW = 2  # row 3: title in row 1, a blank row between
FIRST_LAN_ROW = HEADER_ROW + 1
RIKET_ROW = FIRST_LAN_ROW + len(regions.NAMES)
SUMMARY_HEADER_ROW = 3

MKR = "#,##0.000"
PERSONS = "#,##0"
SHARE = "0.000"
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
    _page_setup(ws, HEADER_ROW, _first_col_width(*regions.NAMES))
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
    if villkor.title:
        ws.write_string(0, 0, villkor.title, fmt.title)
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
    r = RIKET_ROW + 2
    national_rows = {}
    for item in villkor.national:
        ws.write_string(r, 0, item.name)
        ws.write_number(r, total_col, item.amount, fmt.mkr)
        national_rows[regions.fold(item.name)] = r
        r += 1
    if villkor.national:
        first, last = RIKET_ROW + 2, r - 1
        riket_total = _ref(RIKET_ROW, total_col)
        formula = f"={riket_total}+SUM({_range(first, total_col, last, total_col)})"
        ws.write_string(r, 0, "SUMMA", fmt.total_text)
        cells.formula(r, total_col, formula, villkor.total, fmt.total_mkr)
        r += 1
    r += 1
    for note in villkor.notes:
        ws.write_string(r, 0, note, fmt.note)
        r += 1
    _page_setup(ws, HEADER_ROW, _first_col_width(*regions.NAMES, *(n.name for n in villkor.national)))
    ws.set_column(1, total_col, 17)
    ws.set_row(HEADER_ROW, 30)
    return _VillkorCells(villkor.name, total_col, national_rows)


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
    if len(alloc.national):
        ws.write_string(r, 0, "SUMMA", fmt.total_text)
        for c, value in enumerate(alloc.grand_total, start=1):
            formula = f"={_ref(summa_row, c)}+SUM({_range(summa_row + 1, c, r - 1, c)})"
            cells.formula(r, c, formula, float(value), fmt.total_mkr)
    width = _first_col_width(*regions.NAMES, *(str(b) for b in alloc.national.index))
    _page_setup(ws, SUMMARY_HEADER_ROW, width)
    ws.set_column(1, total_col, 13)
    ws.set_row(SUMMARY_HEADER_ROW, 45)
    return ws


CHANGE_GROUPS_PER_PAGE = 4  # villkor per printed page of the detail: Län and 12 columns fit A4 landscape
DIFFERENCE_DECIMALS = 9  # a tenth of an öre in Mkr: float residues round to an exact 0
PERCENT = "0.00 %"
CHANGES_PRINT_SCALE = 90  # per cent: Län and 12 columns (1080 pixels) fit A4 landscape with room
SUMMARY_ROW_HEIGHT = 18  # points: page one's 23 rows then fill most of an A4 landscape page


def _difference(new: float, old: float) -> float:
    """The cached value of =ROUND(new-old, 9); + 0.0 turns Python's -0.0 into the 0 Excel shows."""
    return round(new - old, DIFFERENCE_DECIMALS) + 0.0


@dataclass(frozen=True)
class _ChangeColumn:
    """One Tidigare / Nu / Förändring triple of the Förändring sheet."""

    label: str
    old: list[float | None]
    new: list[float]
    now_source: str | None  # where the new values come from, e.g. "'Sammanställning'!$J"
    first_source_row: int
    number: Any
    total: Any
    rounded: bool


def _write_change_columns(
    ws: Any, cells: _Cells, col: int, first: int, column: _ChangeColumn
) -> tuple[float | None, float]:
    """The three columns for the län rows and SUMMA; returns the SUMMA's previous and difference."""
    last = first + len(column.new) - 1
    summa = last + 1
    for i, (old, new) in enumerate(zip(column.old, column.new, strict=True)):
        row = first + i
        if old is not None:
            ws.write_number(row, col, old, column.number)
        if column.now_source is not None:
            source = f"={column.now_source}{column.first_source_row + i + 1}"
            cells.formula(row, col + 1, source, new, column.number)
        difference = f"{_ref(row, col + 1)}-{_ref(row, col)}"
        if column.rounded:
            delta = _difference(new, old or 0.0)
            difference = f"ROUND({difference},{DIFFERENCE_DECIMALS})"
        else:
            delta = new - (old or 0.0)
        cells.formula(row, col + 2, f"={difference}", delta, column.number)
    old_sum = None
    if any(old is not None for old in column.old):
        old_sum = float(sum(old for old in column.old if old is not None))
        cells.formula(summa, col, f"=SUM({_range(first, col, last, col)})", old_sum, column.total)
    else:
        ws.write_blank(summa, col, None, column.total)
    new_sum = float(sum(column.new)) if column.now_source is not None else 0.0
    if column.now_source is not None:
        formula = f"=SUM({_range(first, col + 1, last, col + 1)})"
        cells.formula(summa, col + 1, formula, new_sum, column.total)
    else:
        ws.write_blank(summa, col + 1, None, column.total)
    # SUMMA now minus SUMMA before, like every row: the sum of the rounded rows could be off by
    # a few 1e-9, and an unchanged pot must show exactly 0.
    difference = f"{_ref(summa, col + 1)}-{_ref(summa, col)}"
    if column.rounded:
        total = _difference(new_sum, old_sum or 0.0)
        difference = f"ROUND({difference},{DIFFERENCE_DECIMALS})"
    else:
        total = new_sum - (old_sum or 0.0)
    cells.formula(summa, col + 2, f"={difference}", total, column.total)
    return old_sum, total


def _write_changes(
    book: Any, fmt: _Formats, change: Comparison, summary_columns: list[str], values_only: bool
) -> None:
    """Page one: per län population and TOTALT before, now and the change, with a bar chart of the
    change beside it; then the change per villkor, four villkor to a printed page, each page with
    its own headings and Län column."""
    from .compare import COMPARED_WITH

    book.set_custom_property(COMPARED_WITH, change.previous_name)
    ws = _add_sheet(book, CHANGES_SHEET)
    cells = _Cells(ws, values_only)
    percent = book.add_format({"num_format": PERCENT})
    total_percent = book.add_format({"num_format": PERCENT, "bold": True, "top": 1})
    group = book.add_format({"bold": True, "align": "center", "bottom": 1, "text_wrap": True})
    ws.write_string(0, 0, "Förändring mot tidigare resultat", fmt.title)
    dates = f"Befolkning {change.current_date} jämfört med {change.previous_date}"
    ws.write_string(1, 0, f"{dates} (tidigare resultat: {change.previous_name})")
    notes = []
    if change.only_current:
        notes.append("Kolumner som bara finns i det nya resultatet: " + ", ".join(change.only_current))
    if change.only_previous:
        notes.append("Kolumner som bara fanns i det tidigare resultatet: " + ", ".join(change.only_previous))
    for r, note in enumerate(notes, start=2):
        ws.write_string(r, 0, note, fmt.note)

    names = [str(lan) for lan in change.current.index]
    summary_sheet = quote_sheetname(SUMMARY_SHEET)
    first_summary_row = SUMMARY_HEADER_ROW + 1

    def amounts(label: str) -> _ChangeColumn:
        old = [None if v != v else float(v) for v in change.previous[label].tolist()]
        new = [0.0 if v != v else float(v) for v in change.current[label].tolist()]
        at = len(summary_columns) + 1 if label == TOTAL else None
        if label in summary_columns:
            at = summary_columns.index(label) + 1
        source = None if at is None else f"{summary_sheet}!${xl_col_to_name(at)}$"
        return _ChangeColumn(label, old, new, source, first_summary_row, fmt.mkr, fmt.total_mkr, True)

    def block(top: int, title: str | None) -> tuple[int, int]:
        """Title, group and heading rows and the Län column; returns the first and SUMMA rows."""
        if title is not None:
            ws.write_string(top, 0, title, fmt.title)
            top += 1
        ws.write_string(top + 1, 0, "Län", fmt.header)
        ws.set_row(top + 1, 30)
        first = top + 2
        for i, name in enumerate(names):
            ws.write_string(first + i, 0, name)
        ws.write_string(first + len(names), 0, "SUMMA", fmt.total_text)
        return first, first + len(names)

    def headings(top: int, col: int, label: str, *extra: str) -> None:
        texts = ("Tidigare", "Nu", "Förändring", *extra)
        ws.merge_range(top, col, top, col + len(texts) - 1, label, group)
        for k, text in enumerate(texts):
            ws.write_string(top + 1, col + k, text, fmt.header_number)

    # Page one: the summary.
    top = 3 + len(notes)
    first, summa = block(top, None)
    persons = change.persons
    population = _ChangeColumn(
        "Personer",
        [float(v) for v in persons["Tidigare"].tolist()],
        [float(v) for v in persons["Nu"].tolist()],
        f"{quote_sheetname(POPULATION_SHEET)}!$B$",
        FIRST_LAN_ROW,
        fmt.persons,
        fmt.total_persons,
        False,
    )
    headings(top, 1, "Befolkning, personer")
    _write_change_columns(ws, cells, 1, first, population)
    headings(top, 4, "TOTALT, Mkr", "Förändring, %")
    total = amounts(TOTAL)
    old_sum, delta_sum = _write_change_columns(ws, cells, 4, first, total)
    ratios = [
        (old or 0.0, _difference(new, old or 0.0), percent)
        for old, new in zip(total.old, total.new, strict=True)
    ]
    ratios.append((old_sum or 0.0, delta_sum, total_percent))
    for row, (old, delta, style) in enumerate(ratios, start=first):
        formula = f'=IF({_ref(row, 4)}=0,"",{_ref(row, 6)}/{_ref(row, 4)})'
        if not values_only:
            ws.write_formula(row, 7, formula, style, "" if old == 0 else delta / old)
        elif old != 0:
            ws.write_number(row, 7, delta / old, style)
    chart = book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Förändring TOTALT, Mkr",
            "categories": [CHANGES_SHEET, first, 0, summa - 1, 0],
            "values": [CHANGES_SHEET, first, 6, summa - 1, 6],
            "fill": {"color": "#4472C4"},
        }
    )
    chart.set_title({"name": "Förändring TOTALT per län, Mkr", "name_font": {"size": 10}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "label_position": "low", "num_font": {"size": 9}})
    chart.set_x_axis({"num_format": "#,##0.0", "num_font": {"size": 9}, "major_gridlines": {"visible": True}})
    for row in range(first, summa + 1):
        ws.set_row(row, SUMMARY_ROW_HEIGHT)
    height = round((15 + 30 + SUMMARY_ROW_HEIGHT * (summa - first + 1)) * 4 / 3)  # points to pixels
    chart.set_size({"width": 366, "height": height - 4})
    description = (
        "Liggande stapeldiagram över förändringen av TOTALT per län i Mkr, nytt resultat minus "
        f"tidigare ({change.previous_name}); länen i samma ordning som tabellen, vars kolumn "
        "Förändring under TOTALT har siffrorna."
    )
    ws.insert_chart(top, 8, chart, {"x_offset": 8, "y_offset": 2, "description": description})

    # The following pages: per villkor.
    detail = [amounts(label) for label in change.columns if label != TOTAL]
    breaks = []
    top = summa + 2
    for start in range(0, len(detail), CHANGE_GROUPS_PER_PAGE):
        breaks.append(top)
        title = "Förändring per villkor, Mkr" + (" (forts.)" if start else "")
        first, summa = block(top, title)
        for g, column in enumerate(detail[start : start + CHANGE_GROUPS_PER_PAGE]):
            headings(top + 1, 1 + 3 * g, column.label)
            _write_change_columns(ws, cells, 1 + 3 * g, first, column)
        top = summa + 2
    ws.set_h_pagebreaks(breaks)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.25, right=0.25, top=0.5, bottom=0.6)
    ws.set_print_scale(CHANGES_PRINT_SCALE)  # not fit_to_pages: Excel then ignores the page breaks
    ws.set_footer("&L&A&RSida &P av &N")
    ws.set_column(0, 0, _first_col_width(*regions.NAMES))
    ws.set_column(1, 2, 11)
    ws.set_column(3, 3 * CHANGE_GROUPS_PER_PAGE, 10)


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
        ws.write_string(HEADER_ROW + 1, c, pot.rule)
        if pot.rule == POPULATION_RULE:
            ws.write_string(HEADER_ROW + 2, c, "omfördelas" if pot.redistribute else "staten")
        if pot.rule == CAPPED_RULE and pot.per_unit is not None:
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
    from .payout import FORFEITED

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
