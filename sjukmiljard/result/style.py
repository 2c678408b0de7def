"""What every sheet of the result shares: cell formats, formulas with cached values, page setup."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..formats import readable
from ..words.vocabulary import KRONOR_FORMAT, MKR_FORMAT, PERSONS_FORMAT, SHARE_FORMAT

POT_WIDTH = 17
NOTE_CHARS = 90  # a note wraps at about this many characters: legible on A4 portrait, fitted to the page
NOTE_MAX_CHARS = 140  # wider for a sheet whose note lines are longer (A4 landscape at 100 %)
PORTRAIT_CHARS = 110  # a sheet up to this wide (in digits) prints portrait, fitted at about 90 %
LINE_HEIGHT = 15
TITLE_SCALE = 1.2  # the 12 pt title against the 11 pt body
BOLD_WIDTH = 1.15  # a bold heading's letters against the digits a column's width counts
NARROW_BOLD_WIDTH = 0.9  # the same in the narrowest engine we print with
WRAP_MARGIN = 1.1  # a line holds fewer characters than the columns' width in digits
ORE_FORMAT = "#,##0.00"  # the pot as decided and what was rounded away: the öre show
FRACTION_FORMAT = "#,##0.0##"  # a reported count that is not whole (Utfall)


class Formats:
    """The result's cell formats, shared by every sheet, and the footer every printed page carries."""

    def __init__(self, book: Any, footer: Footer | None = None) -> None:
        self.footer = footer
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
        self.bold = book.add_format({"bold": True})
        # The payment sheets (Utfall, Utbetalning, its overview): whole kronor and the öre.
        self.right = book.add_format({"align": "right"})
        self.fraction = book.add_format({"num_format": FRACTION_FORMAT})
        self.kronor = book.add_format({"num_format": KRONOR_FORMAT})
        self.kronor_top = book.add_format({"num_format": KRONOR_FORMAT, "valign": "top"})  # rows that grow
        self.total_kronor = book.add_format({"num_format": KRONOR_FORMAT, "bold": True, "top": 1})
        self.ore = book.add_format({"num_format": ORE_FORMAT})
        self.total_ore = book.add_format({"num_format": ORE_FORMAT, "bold": True, "top": 1})
        self.top = book.add_format({"valign": "top"})
        self.unpaid = book.add_format({"text_wrap": True, "valign": "top", "align": "left", "indent": 1})
        self.unpaid_header = book.add_format(
            {"bold": True, "bottom": 1, "valign": "bottom", "align": "left", "indent": 1}
        )


class SheetWithPlainFormulas(Worksheet):  # type: ignore[misc]
    """xlsxwriter's worksheet without its formula rewriting: it runs ~30 regular expressions per
    formula to expand Excel 365 functions (FILTER, XLOOKUP, …); ours use only SUM, ROUND,
    arithmetic and references, which it would leave as they are (the same bytes either way).

    Overriding the private `_prepare_formula` pays: measured (one process, CPU of a conversion,
    median of 9), the sample takes 77 ms with it and 99 ms without, bench.py's 100-villkor workbook
    553 ms and 717 ms, 400 villkor 2.5 s and 3.2 s; a cold `python -m sjukmiljard` (median of 7)
    of 100 villkor 1.45 s and 1.61 s, of 400 villkor 3.6 s and 4.2 s."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula

    def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        """Every text the result shows can be saved: a file name that is not UTF-8 (lone surrogates,
        which no XML can hold) is read as Windows-1252, wherever in a message it stands."""
        written: int = super()._write_string(row, col, readable(string), cell_format)
        return written


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


PAPER_A4 = 9
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.9}  # inches; the footer has two lines
FOOTER_MARGIN = 0.3
FOOTER_NAME_CHARS = 60  # a longer input file name is shortened in the footer (Excel allows 255 in all)


@dataclass(frozen=True)
class Footer:
    """What every printed page names, so that a loose page can be traced: the input file, the
    population (its date, and the SCB file and month when it came from one), the program version,
    the sheet and the page. Only the codes every engine reads (&L &C &R &A &P &N): no font codes,
    which Gnumeric prints as text."""

    input_name: str
    population: str
    version: str

    def codes(self) -> str:
        name = self.input_name
        if len(name) > FOOTER_NAME_CHARS:
            name = name[: FOOTER_NAME_CHARS - 1] + "…"
        left = f"Indata: {_literal(name)}\n{_literal(self.population)}"
        right = f"&A, sida &P av &N\nsjukmiljard {_literal(self.version)}"
        return f"&L{left}&R{right}"


def _literal(text: str) -> str:
    """Text as a header/footer shows it: & starts a code, && is one &."""
    return text.replace("&", "&&")


def print_setup(
    ws: Any, fmt: Formats, *, portrait: bool = False, fit: tuple[int, int] | None = (1, 0), scale: int = 100
) -> None:
    """How every sheet of the result prints: A4, the same margins, the tracing footer.

    Args:
        portrait: portrait where the table reads better so (Befolkning, the villkor sheets).
        fit: pages wide and tall to fit the sheet to ((1, 1): one page whatever the font; (1, 0):
            one page wide, as many tall as it takes); None prints at `scale` per cent, for a sheet
            with manual page breaks (Excel ignores them when fitting).
    """
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.set_margins(**MARGINS)
    if fit is None:
        ws.set_print_scale(scale)
    else:
        ws.fit_to_pages(*fit)
    if fmt.footer is not None:
        ws.set_footer(fmt.footer.codes(), {"margin": FOOTER_MARGIN})


def page_setup(
    ws: Any,
    fmt: Formats,
    header_row: int,
    first_col_width: float,
    *,
    portrait: bool = False,
    fit: tuple[int, int] | None = (1, 0),
    scale: int = 100,
    repeat_to: int | None = None,
) -> None:
    """A table sheet's printing (see `print_setup`), its heading rows repeated on every page (up to
    `repeat_to`, by default the header row), panes frozen below the header and the Län column's width."""
    print_setup(ws, fmt, portrait=portrait, fit=fit, scale=scale)
    ws.repeat_rows(0, header_row if repeat_to is None else repeat_to)
    ws.freeze_panes(header_row + 1, 1)
    ws.set_column(0, 0, first_col_width)


def figure_width(value: float, decimals: int = 0, *, bold: bool = False) -> float:
    """A column width (in digits) that holds a figure as `#,##0` (with `decimals`) shows it, in any
    engine: its digits and separators, one more for bold, and the cell's padding."""
    shown = f"{value:,.{decimals}f}"
    return len(shown) + (1 if bold else 0) + 2


def heading_width(label: str) -> tuple[int, int]:
    """A column width that holds a bold heading on at most two lines broken at a space, with a gap
    of three characters to the next heading so that two wrapped headings never read as one
    ("Samordning och" beside "Uppföljning och"), and the number of lines."""
    words = label.split()
    if len(words) < 2:
        return math.ceil(len(label) * BOLD_WIDTH) + 3, 1
    longest = min(max(len(" ".join(words[:k])), len(" ".join(words[k:]))) for k in range(1, len(words)))
    width = math.ceil(longest * BOLD_WIDTH) + 3
    # An engine with narrower bold letters (Gnumeric) may set the whole heading on one line: keep
    # the gap then too.
    one_line = math.ceil(len(label) * NARROW_BOLD_WIDTH)
    return (max(width, one_line + 3) if one_line <= width else width), 2


def first_col_width(*texts: str) -> float:
    return max(len(text) for text in texts) + 3
