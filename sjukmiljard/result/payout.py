"""The payment sheets: Utfall as read, Utbetalning in whole kronor, and the 2014-style overview."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import quote_sheetname

from .. import regions
from ..model import Indata, Utfall
from ..vocabulary import (
    FORFEIT_REDISTRIBUTED,
    FORFEIT_ROW,
    FORFEIT_TO_STATE,
    HEADER_ROW,
    KRONOR_FORMAT,
    LAN,
    NO,
    OUTCOME_SHEET,
    OVERVIEW_SHEET,
    PAYMENT_SHEET,
    PER_UNIT_ROW,
    POT_ROW,
    POT_TOTAL,
    RULE_ROW,
    SUMMA,
    TOTAL,
    YES,
)
from .style import Cells, Formats, cell_range, first_col_width, page_setup, ref

if TYPE_CHECKING:
    from ..payout import Payout


def _swedish_key(name: str) -> list[int]:
    """Sort key for Swedish alphabetical order (å, ä, ö after z), as the 2014 overview lists the län."""
    alphabet = "abcdefghijklmnopqrstuvwxyzåäö"
    return [alphabet.index(ch) if ch in alphabet else 100 + ord(ch) for ch in name.casefold()]


def write_utfall(book: Any, fmt: Formats, utfall: Utfall) -> None:
    """The reported outcomes as read, in the input's layout, so the result stays a valid input."""
    ws = book.add_worksheet(OUTCOME_SHEET)
    ws.write_string(0, 0, "Utfall (återrapportering)", fmt.title)
    ws.write_string(HEADER_ROW, 0, LAN, fmt.header)
    labels = (RULE_ROW, FORFEIT_ROW, PER_UNIT_ROW, POT_ROW)
    for k, label in enumerate(labels):
        ws.write_string(HEADER_ROW + 1 + k, 0, label, fmt.note)
    first = HEADER_ROW + 1 + len(labels)
    for c, pot in enumerate(utfall.pots, start=1):
        ws.write_string(HEADER_ROW, c, pot.label, fmt.header_number)
        ws.write_string(HEADER_ROW + 1, c, pot.rule.value)
        if pot.rule.spec.takes_forfeit:
            ws.write_string(
                HEADER_ROW + 2, c, FORFEIT_REDISTRIBUTED if pot.redistribute else FORFEIT_TO_STATE
            )
        if pot.rule.spec.takes_per_unit and pot.per_unit is not None:
            ws.write_number(HEADER_ROW + 3, c, pot.per_unit, fmt.persons)
        if pot.villkor is None:
            ws.write_number(HEADER_ROW + 4, c, pot.pot, fmt.mkr)
        for i, value in enumerate(pot.values):
            if isinstance(value, bool):
                ws.write_string(first + i, c, YES if value else NO)
            else:
                ws.write_number(first + i, c, value)
    for i, name in enumerate(regions.NAMES):
        ws.write_string(first + i, 0, name)
    page_setup(ws, HEADER_ROW, first_col_width(*regions.NAMES))
    ws.set_column(1, len(utfall.pots), 16)


def write_payments(book: Any, fmt: Formats, indata: Indata, payout: Payout, values_only: bool) -> None:
    from ..payment_rules import FORFEITED

    ws = book.add_worksheet(PAYMENT_SHEET)
    cells = Cells(ws, values_only)
    kronor = book.add_format({"num_format": KRONOR_FORMAT})
    total_kronor = book.add_format({"num_format": KRONOR_FORMAT, "bold": True, "top": 1})
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
    ws.write_string(header, 0, LAN, fmt.header)
    for c, label in enumerate(payout.columns, start=1):
        ws.write_string(header, c, label, fmt.header_number)
    ws.write_string(header, total_col, TOTAL, fmt.header_number)
    ws.write_string(header + 1, 0, RULE_ROW, fmt.note)
    for c, text in enumerate(payout.rules, start=1):
        ws.write_string(header + 1, c, text, wrap)
    ws.set_row(header + 1, 60)
    first = header + 2
    for i, (name, row) in enumerate(payout.regions.iterrows()):
        r = first + i
        ws.write_string(r, 0, str(name))
        for c in range(n):
            ws.write_number(r, c + 1, int(row.iloc[c]), kronor)
        cells.formula(r, total_col, f"=SUM({cell_range(r, 1, r, n)})", float(row.sum()), kronor)
    last = first + len(payout.regions) - 1
    summa, forfeited, pot_row = last + 1, last + 2, last + 3
    ws.write_string(summa, 0, SUMMA, fmt.total_text)
    ws.write_string(forfeited, 0, FORFEITED)
    ws.write_string(pot_row, 0, "Pott", fmt.total_text)
    for c in range(1, total_col + 1):
        column = payout.regions.iloc[:, c - 1] if c <= n else payout.regions.sum(axis=1)
        cells.formula(summa, c, f"=SUM({cell_range(first, c, last, c)})", float(column.sum()), total_kronor)
        if c <= n:
            ws.write_number(forfeited, c, int(payout.forfeited.iloc[c - 1]), kronor)
        else:
            cells.formula(
                forfeited,
                c,
                f"=SUM({cell_range(forfeited, 1, forfeited, n)})",
                float(payout.forfeited.sum()),
                kronor,
            )
        pot = float(payout.pots.iloc[c - 1]) if c <= n else float(payout.pots.sum())
        cells.formula(pot_row, c, f"={ref(summa, c)}+{ref(forfeited, c)}", pot, total_kronor)
    national = payout.national
    _write_national(ws, fmt, cells, payout, pot_row + 2, summa, total_col, kronor, total_kronor)
    page_setup(ws, header, first_col_width(FORFEITED, *regions.NAMES))
    ws.set_column(1, max(total_col, len(national.columns) + 1), 16)
    _write_overview(book, fmt, payout, first, values_only, kronor, total_kronor)


def _write_national(
    ws: Any,
    fmt: Formats,
    cells: Cells,
    payout: Payout,
    r: int,
    summa: int,
    total_col: int,
    kronor: Any,
    total_kronor: Any,
) -> None:
    """The national bodies' payments below the regions', and the grand total paid."""
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
                rr, body_total, f"=SUM({cell_range(rr, 1, rr, body_total - 1)})", float(row.sum()), kronor
            )
        bottom = top + len(national) - 1
        r = bottom + 1
        ws.write_string(r, 0, "SUMMA nationella", fmt.total_text)
        for c in range(1, body_total + 1):
            value = float(national.iloc[:, c - 1].sum()) if c < body_total else float(national.sum().sum())
            cells.formula(r, c, f"=SUM({cell_range(top, c, bottom, c)})", value, total_kronor)
        grand = float(payout.regions.to_numpy().sum() + national.sum().sum())
        ws.write_string(r + 2, 0, "TOTALT UTBETALT", fmt.total_text)
        formula = f"={ref(summa, total_col)}+{ref(r, body_total)}"
        cells.formula(r + 2, 1, formula, grand, total_kronor)


def _write_overview(
    book: Any, fmt: Formats, payout: Payout, first: int, values_only: bool, kronor: Any, total: Any
) -> None:
    """The 2014 overview's layout: Villkorad del, Rörlig del, Totalt per län, alphabetically."""
    ws = book.add_worksheet(OVERVIEW_SHEET)
    cells = Cells(ws, values_only)
    ws.write_string(0, 0, "Utbetalning – översikt, kronor", fmt.title)
    header = 2
    for c, label in enumerate((LAN, "Villkorad del", "Rörlig del", POT_TOTAL)):
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
            formula = "=" + "+".join(f"{source}!{ref(first + i, j + 1)}" for j in parts) if parts else "=0"
            cells.formula(r, c, formula, value, kronor)
        cells.formula(r, 3, f"={ref(r, 1)}+{ref(r, 2)}", float(row.sum()), kronor)
    last = header + len(order)
    ws.write_string(last + 1, 0, SUMMA, fmt.total_text)
    for c in (1, 2, 3):
        parts = [j for j, v in enumerate(payout.variable) if c == 3 or v == (c == 2)]
        value = float(payout.regions.iloc[:, parts].to_numpy().sum()) if parts else 0.0
        cells.formula(last + 1, c, f"=SUM({cell_range(header + 1, c, last, c)})", value, total)
    page_setup(ws, header, first_col_width(*regions.NAMES))
    ws.set_column(1, 3, 16)
