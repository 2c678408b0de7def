"""What every sheet of the result shares: cell formats, formulas with cached values, page setup."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..vocabulary import MKR_FORMAT, PERSONS_FORMAT, SHARE_FORMAT

POT_WIDTH = 17
NOTE_CHARS = 100  # a note wraps at about this many characters: legible on A4 landscape at 100 %
LINE_HEIGHT = 15
TITLE_SCALE = 1.2  # the 12 pt title against the 11 pt body
WRAP_MARGIN = 1.1  # a line holds fewer characters than the columns' width in digits


class Formats:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"})
        self.header_number = book.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom", "align": "right"}
        )
        self.text = book.add_format({})
        self.total_text = book.add_format({"bold": True, "top": 1})
        self.persons = book.add_format({"num_format": PERSONS_FORMAT})
        self.share = book.add_format({"num_format": SHARE_FORMAT})
        self.mkr = book.add_format({"num_format": MKR_FORMAT})
        self.total_persons = book.add_format({"num_format": PERSONS_FORMAT, "bold": True, "top": 1})
        self.total_share = book.add_format({"num_format": SHARE_FORMAT, "bold": True, "top": 1})
        self.total_mkr = book.add_format({"num_format": MKR_FORMAT, "bold": True, "top": 1})
        self.note = book.add_format({"italic": True})
        self.note_wrapped = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
        self.title_wrapped = book.add_format(
            {"bold": True, "font_size": 12, "text_wrap": True, "valign": "top"}
        )
        self.header_group = book.add_format({"bold": True, "align": "center", "bottom": 1})


class SheetWithPlainFormulas(Worksheet):  # type: ignore[misc]
    """xlsxwriter's worksheet without its formula rewriting: it runs ~30 regular expressions per
    formula to expand Excel 365 functions (FILTER, XLOOKUP, …); ours use only SUM and references."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula


def frame_rows(frame: pd.DataFrame) -> list[list[float]]:
    """A frame's rows as Python floats: far cheaper than iterrows() for a few hundred cells."""
    rows: list[list[float]] = frame.to_numpy(dtype="float64").tolist()
    return rows


def position(frame: pd.DataFrame, label: str) -> int:
    return list(frame.columns).index(label)


def add_sheet(book: Any, name: str) -> Any:
    return book.add_worksheet(name, worksheet_class=SheetWithPlainFormulas)


class Cells:
    """Writes a value as a live formula with its cached result, or as a plain value."""

    def __init__(self, ws: Any, values_only: bool) -> None:
        self.ws = ws
        self.values_only = values_only

    def formula(self, row: int, col: int, formula: str, value: float, fmt: Any) -> None:
        if self.values_only:
            self.ws.write_number(row, col, value, fmt)
        else:
            self.ws.write_formula(row, col, formula, fmt, value)


def ref(row: int, col: int, *, row_abs: bool = False, col_abs: bool = False) -> str:
    return str(xl_rowcol_to_cell(row, col, row_abs, col_abs))


def cell_range(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"{ref(first_row, first_col)}:{ref(last_row, last_col)}"


def page_setup(ws: Any, header_row: int, first_col_width: float) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_row)
    ws.freeze_panes(header_row + 1, 1)
    ws.set_column(0, 0, first_col_width)
    ws.set_footer("&L&A&RSida &P av &N")


def first_col_width(*texts: str) -> float:
    return max(len(text) for text in texts) + 3
