"""The Förändring sheet: the new result against a previous one. Page one is an A4-landscape summary
(population and TOTALT per län, with a chart); the detail per villkor follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from .. import regions
from ..vocabulary import (
    CHANGES_SHEET,
    FIRST_LAN_ROW,
    POPULATION_SHEET,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
    TOTAL,
)
from .style import Cells, Formats, add_sheet, cell_range, first_col_width, ref

if TYPE_CHECKING:
    from ..compare import Comparison


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
    ws: Any, cells: Cells, col: int, first: int, column: _ChangeColumn
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
        difference = f"{ref(row, col + 1)}-{ref(row, col)}"
        if column.rounded:
            delta = _difference(new, old or 0.0)
            difference = f"ROUND({difference},{DIFFERENCE_DECIMALS})"
        else:
            delta = new - (old or 0.0)
        cells.formula(row, col + 2, f"={difference}", delta, column.number)
    old_sum = None
    if any(old is not None for old in column.old):
        old_sum = float(sum(old for old in column.old if old is not None))
        cells.formula(summa, col, f"=SUM({cell_range(first, col, last, col)})", old_sum, column.total)
    else:
        ws.write_blank(summa, col, None, column.total)
    new_sum = float(sum(column.new)) if column.now_source is not None else 0.0
    if column.now_source is not None:
        formula = f"=SUM({cell_range(first, col + 1, last, col + 1)})"
        cells.formula(summa, col + 1, formula, new_sum, column.total)
    else:
        ws.write_blank(summa, col + 1, None, column.total)
    # SUMMA now minus SUMMA before, like every row: the sum of the rounded rows could be off by
    # a few 1e-9, and an unchanged pot must show exactly 0.
    difference = f"{ref(summa, col + 1)}-{ref(summa, col)}"
    if column.rounded:
        total = _difference(new_sum, old_sum or 0.0)
        difference = f"ROUND({difference},{DIFFERENCE_DECIMALS})"
    else:
        total = new_sum - (old_sum or 0.0)
    cells.formula(summa, col + 2, f"={difference}", total, column.total)
    return old_sum, total


def write_changes(
    book: Any, fmt: Formats, change: Comparison, summary_columns: list[str], values_only: bool
) -> None:
    """Page one: per län population and TOTALT before, now and the change, with a bar chart of the
    change beside it; then the change per villkor, four villkor to a printed page, each page with
    its own headings and Län column."""
    from ..compare import COMPARED_WITH

    book.set_custom_property(COMPARED_WITH, change.previous_name)
    sheet = _ChangesSheet(book, fmt, change, summary_columns, values_only)
    top, first, summa = sheet.summary_page()
    sheet.chart(top, first, summa)
    sheet.detail_pages(summa + 2)
    sheet.page_setup()


class _ChangesSheet:
    def __init__(
        self, book: Any, fmt: Formats, change: Comparison, summary_columns: list[str], values_only: bool
    ) -> None:
        self.book, self.fmt, self.change = book, fmt, change
        self.summary_columns, self.values_only = summary_columns, values_only
        self.ws = ws = add_sheet(book, CHANGES_SHEET)
        self.cells = Cells(ws, values_only)
        self.percent = book.add_format({"num_format": PERCENT})
        self.total_percent = book.add_format({"num_format": PERCENT, "bold": True, "top": 1})
        self.group = book.add_format({"bold": True, "align": "center", "bottom": 1, "text_wrap": True})
        ws.write_string(0, 0, "Förändring mot tidigare resultat", fmt.title)
        dates = f"Befolkning {change.current_date} jämfört med {change.previous_date}"
        ws.write_string(1, 0, f"{dates} (tidigare resultat: {change.previous_name})")
        notes = []
        if change.only_current:
            notes.append("Kolumner som bara finns i det nya resultatet: " + ", ".join(change.only_current))
        if change.only_previous:
            notes.append(
                "Kolumner som bara fanns i det tidigare resultatet: " + ", ".join(change.only_previous)
            )
        for r, note in enumerate(notes, start=2):
            ws.write_string(r, 0, note, fmt.note)
        self.first_top = 3 + len(notes)
        self.names = [str(lan) for lan in change.current.index]

    def amounts(self, label: str) -> _ChangeColumn:
        """A villkor's column of the Sammanställning, before and now."""
        change, columns = self.change, self.summary_columns
        at = columns.index(label) + 1 if label in columns else None
        return self._column(label, change.previous[label], change.current[label], at)

    def total(self) -> _ChangeColumn:
        """The Sammanställning's TOTALT, before and now: its last column."""
        change = self.change
        return self._column(TOTAL, change.previous_total, change.current_total, len(self.summary_columns) + 1)

    def _column(self, label: str, previous: Any, current: Any, at: int | None) -> _ChangeColumn:
        old = [None if v != v else float(v) for v in previous.tolist()]
        new = [0.0 if v != v else float(v) for v in current.tolist()]
        source = None if at is None else f"{quote_sheetname(SUMMARY_SHEET)}!${xl_col_to_name(at)}$"
        fmt = self.fmt
        return _ChangeColumn(label, old, new, source, SUMMARY_HEADER_ROW + 1, fmt.mkr, fmt.total_mkr, True)

    def block(self, top: int, title: str | None) -> tuple[int, int]:
        """Title, group and heading rows and the Län column; returns the first and SUMMA rows."""
        ws, fmt = self.ws, self.fmt
        if title is not None:
            ws.write_string(top, 0, title, fmt.title)
            top += 1
        ws.write_string(top + 1, 0, "Län", fmt.header)
        ws.set_row(top + 1, 30)
        first = top + 2
        for i, name in enumerate(self.names):
            ws.write_string(first + i, 0, name)
        ws.write_string(first + len(self.names), 0, "SUMMA", fmt.total_text)
        return first, first + len(self.names)

    def headings(self, top: int, col: int, label: str, *extra: str) -> None:
        texts = ("Tidigare", "Nu", "Förändring", *extra)
        self.ws.merge_range(top, col, top, col + len(texts) - 1, label, self.group)
        for k, text in enumerate(texts):
            self.ws.write_string(top + 1, col + k, text, self.fmt.header_number)

    def summary_page(self) -> tuple[int, int, int]:
        """Page one's table; returns its top, first län and SUMMA rows."""
        ws, fmt, top = self.ws, self.fmt, self.first_top
        first, summa = self.block(top, None)
        persons = self.change.persons
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
        self.headings(top, 1, "Befolkning, personer")
        _write_change_columns(ws, self.cells, 1, first, population)
        self.headings(top, 4, "TOTALT, Mkr", "Förändring, %")
        total = self.total()
        old_sum, delta_sum = _write_change_columns(ws, self.cells, 4, first, total)
        ratios = [
            (old or 0.0, _difference(new, old or 0.0), self.percent)
            for old, new in zip(total.old, total.new, strict=True)
        ]
        ratios.append((old_sum or 0.0, delta_sum, self.total_percent))
        for row, (old, delta, style) in enumerate(ratios, start=first):
            formula = f'=IF({ref(row, 4)}=0,"",{ref(row, 6)}/{ref(row, 4)})'
            if not self.values_only:
                ws.write_formula(row, 7, formula, style, "" if old == 0 else delta / old)
            elif old != 0:
                ws.write_number(row, 7, delta / old, style)
        return top, first, summa

    def chart(self, top: int, first: int, summa: int) -> None:
        chart = self.book.add_chart({"type": "bar"})
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
        chart.set_x_axis(
            {"num_format": "#,##0.0", "num_font": {"size": 9}, "major_gridlines": {"visible": True}}
        )
        for row in range(first, summa + 1):
            self.ws.set_row(row, SUMMARY_ROW_HEIGHT)
        height = round((15 + 30 + SUMMARY_ROW_HEIGHT * (summa - first + 1)) * 4 / 3)  # points to pixels
        chart.set_size({"width": 366, "height": height - 4})
        description = (
            "Liggande stapeldiagram över förändringen av TOTALT per län i Mkr, nytt resultat minus "
            f"tidigare ({self.change.previous_name}); länen i samma ordning som tabellen, vars kolumn "
            "Förändring under TOTALT har siffrorna."
        )
        self.ws.insert_chart(top, 8, chart, {"x_offset": 8, "y_offset": 2, "description": description})

    def detail_pages(self, top: int) -> None:
        """The change per villkor, four to a printed page."""
        detail = [self.amounts(label) for label in self.change.columns]
        breaks = []
        for start in range(0, len(detail), CHANGE_GROUPS_PER_PAGE):
            breaks.append(top)
            title = "Förändring per villkor, Mkr" + (" (forts.)" if start else "")
            first, summa = self.block(top, title)
            for g, column in enumerate(detail[start : start + CHANGE_GROUPS_PER_PAGE]):
                self.headings(top + 1, 1 + 3 * g, column.label)
                _write_change_columns(self.ws, self.cells, 1 + 3 * g, first, column)
            top = summa + 2
        self.ws.set_h_pagebreaks(breaks)

    def page_setup(self) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.25, right=0.25, top=0.5, bottom=0.6)
        ws.set_print_scale(CHANGES_PRINT_SCALE)  # not fit_to_pages: Excel then ignores the page breaks
        ws.set_footer("&L&A&RSida &P av &N")
        ws.set_column(0, 0, first_col_width(*regions.NAMES))
        ws.set_column(1, 2, 11)
        ws.set_column(3, 3 * CHANGE_GROUPS_PER_PAGE, 10)
