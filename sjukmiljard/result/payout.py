"""The payment sheets: Utfall as read, Utbetalning in whole kronor, and the 2014-style overview.

Utbetalning is what an auditor follows: the kronor per län are the controlled rounding's values (the
decision), every sum and total is a live formula, the Pott row refers to where each pot stands (the
villkor sheet's RIKET, or the Utfall sheet for a pot that stands only there) and the reconciliation
shows that what was decided is what is paid, forfeited or rounded away (the öre).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import quote_sheetname

from ..allocate.exact import KRONOR_PER_MKR
from ..model import Indata, Utfall
from ..words import regions
from ..words.vocabulary import (
    FORFEIT_REDISTRIBUTED,
    FORFEIT_ROW,
    FORFEIT_TO_STATE,
    HEADER_ROW,
    LAN,
    NO,
    OUTCOME_SHEET,
    OVERVIEW_SHEET,
    PAYMENT_SHEET,
    PER_UNIT_ROW,
    POT_ROW,
    POT_TOTAL,
    RIKET_ROW,
    RULE_ROW,
    SUMMA,
    TOTAL,
    YES,
)
from .style import (
    LINE_HEIGHT,
    MARGINS,
    WRAP_MARGIN,
    Cells,
    Formats,
    add_sheet,
    cell_range,
    first_col_width,
    heading_width,
    page_setup,
    ref,
)

if TYPE_CHECKING:
    from ..allocate.payout import Payout
    from .villkor import VillkorCells

ROUND_DECIMALS = 6  # differences in kronor rounded below a millionth: float residues become an exact 0
KRONOR_WIDTH = 16  # holds 100 000 000,00 in bold
UNPAID_WIDTH = 30
UNPAID_HEADING = "Inget utbetalt från"
POT_LABEL = "Pott"
ROUNDED_LABEL = "Avrundat bort (öre)"
TOTAL_PAID = "TOTALT UTBETALT"
LEGEND = (
    "Pott: potten enligt beslut i kronor, villkorsbladets RIKET × 1 000 000 (för en pott som bara står på "
    "bladet Utfall: raden Pott, Mkr × 1 000 000).",
    "Avrundat bort: öre som inte betalas ut, eftersom bara hela kronor betalas och aldrig mer än beslutat: "
    "Pott − SUMMA − Förverkat (nationella aktörer: Enligt beslut − SUMMA nationella).",
)
# A4 landscape inside the margins, in pixels at 96 dpi, for the print scale of a sheet with page breaks.
PAGE_WIDTH_PX = (11.69 - MARGINS["left"] - MARGINS["right"]) * 96
PAGE_HEIGHT_PX = (8.27 - MARGINS["top"] - MARGINS["bottom"]) * 96
ROW_PX = LINE_HEIGHT * 4 / 3
# Columns and rows grow with a wider font than Calibri's (LibreOffice's defaults: DejaVu Sans).
WIDTH_MARGIN = 0.72  # DejaVu Sans digits are a third wider than Calibri's
HEIGHT_MARGIN = 0.8


@dataclass(frozen=True)
class UtfallCells:
    """Where the Utfall sheet holds each pot's amount in Mkr (a pot that stands only there)."""

    pot_row: int
    columns: dict[str, int]


def _swedish_key(name: str) -> list[int]:
    """Sort key for Swedish alphabetical order (å, ä, ö after z), as the 2014 overview lists the län."""
    alphabet = "abcdefghijklmnopqrstuvwxyzåäö"
    return [alphabet.index(ch) if ch in alphabet else 100 + ord(ch) for ch in name.casefold()]


def write_utfall(book: Any, fmt: Formats, utfall: Utfall) -> UtfallCells:
    """The reported outcomes as read, in the input's layout, so the result stays a valid input."""
    ws = add_sheet(book, OUTCOME_SHEET)
    ws.write_string(0, 0, "Utfall (återrapportering)", fmt.title)
    ws.write_string(HEADER_ROW, 0, LAN, fmt.header)
    labels = (RULE_ROW, FORFEIT_ROW, PER_UNIT_ROW, POT_ROW)
    for k, label in enumerate(labels):
        ws.write_string(HEADER_ROW + 1 + k, 0, label, fmt.note)
    first = HEADER_ROW + 1 + len(labels)
    columns: dict[str, int] = {}
    for c, pot in enumerate(utfall.pots, start=1):
        columns[pot.label] = c
        ws.write_string(HEADER_ROW, c, pot.label, fmt.header_number)
        ws.write_string(HEADER_ROW + 1, c, pot.rule.value, fmt.right)
        if pot.rule.spec.takes_forfeit:
            ws.write_string(
                HEADER_ROW + 2, c, FORFEIT_REDISTRIBUTED if pot.redistribute else FORFEIT_TO_STATE, fmt.right
            )
        if pot.rule.spec.takes_per_unit and pot.per_unit is not None:
            ws.write_number(HEADER_ROW + 3, c, pot.per_unit, fmt.kronor)
        if pot.villkor is None:
            ws.write_number(HEADER_ROW + 4, c, pot.pot, fmt.mkr)
        for i, value in enumerate(pot.values):
            if isinstance(value, bool):
                ws.write_string(first + i, c, YES if value else NO, fmt.right)
            else:
                ws.write_number(
                    first + i, c, value, fmt.kronor if float(value).is_integer() else fmt.fraction
                )
    for i, name in enumerate(regions.NAMES):
        ws.write_string(first + i, 0, name)
    page_setup(ws, fmt, HEADER_ROW, first_col_width(*regions.NAMES), fit=(1, 1))
    for c, pot in enumerate(utfall.pots, start=1):
        ws.set_column(c, c, max(KRONOR_WIDTH, len(pot.label) + 3))
    return UtfallCells(HEADER_ROW + 4, columns)


def write_payments(
    book: Any,
    fmt: Formats,
    indata: Indata,
    payout: Payout,
    placed: list[VillkorCells],
    utfall_cells: UtfallCells,
    values_only: bool,
) -> None:
    """Utbetalning: page one the län, page two the national bodies and the reconciliation."""
    from ..allocate.rules import FORFEITED

    assert indata.utfall is not None
    ws = add_sheet(book, PAYMENT_SHEET)
    cells = Cells(ws, values_only)
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
    unpaid_col = n + 2
    ws.write_string(header, 0, LAN, fmt.header)
    for c, label in enumerate(payout.columns, start=1):
        ws.write_string(header, c, label, fmt.header_number)
    ws.write_string(header, total_col, TOTAL, fmt.header_number)
    ws.write_string(header, unpaid_col, UNPAID_HEADING, fmt.unpaid_header)
    ws.write_string(header + 1, 0, RULE_ROW, fmt.note)
    for c, pot in enumerate(indata.utfall.pots, start=1):
        ws.write_string(header + 1, c, pot.rule.value, fmt.right)
    first = header + 2
    row_px = 0.0
    for i, (name, row) in enumerate(payout.regions.iterrows()):
        r = first + i
        ws.write_string(r, 0, str(name), fmt.top)
        for c in range(n):
            ws.write_number(r, c + 1, int(row.iloc[c]), fmt.kronor_top)
        cells.formula(r, total_col, f"=SUM({cell_range(r, 1, r, n)})", float(row.sum()), fmt.kronor_top)
        reasons = "; ".join(payout.unpaid[i]) if payout.unpaid else ""
        if reasons:
            ws.write_string(r, unpaid_col, reasons, fmt.unpaid)
            lines = math.ceil(len(reasons) * WRAP_MARGIN / UNPAID_WIDTH)
            if lines > 1:
                ws.set_row(r, LINE_HEIGHT * lines)
                row_px += ROW_PX * (lines - 1)
    last = first + len(payout.regions) - 1
    summa, forfeited, pot_row, rounded = last + 1, last + 2, last + 3, last + 4
    ws.write_string(summa, 0, SUMMA, fmt.total_text)
    ws.write_string(forfeited, 0, FORFEITED)
    ws.write_string(pot_row, 0, POT_LABEL, fmt.total_text)
    ws.write_string(rounded, 0, ROUNDED_LABEL)
    sources = _pot_sources(indata, placed, utfall_cells)
    for c in range(1, total_col + 1):
        one = c <= n
        paid = float(payout.regions.iloc[:, c - 1].sum()) if one else float(payout.regions.to_numpy().sum())
        cells.formula(summa, c, f"=SUM({cell_range(first, c, last, c)})", paid, fmt.total_kronor)
        lost = float(payout.forfeited.iloc[c - 1]) if one else float(payout.forfeited.sum())
        if one:
            ws.write_number(forfeited, c, int(lost), fmt.kronor)
        else:
            cells.formula(forfeited, c, f"=SUM({cell_range(forfeited, 1, forfeited, n)})", lost, fmt.kronor)
        decided = float(payout.decided.iloc[c - 1]) if one else float(payout.decided.sum())
        formula = (
            f"={sources[c - 1]}*{KRONOR_PER_MKR}" if one else f"=SUM({cell_range(pot_row, 1, pot_row, n)})"
        )
        cells.formula(pot_row, c, formula, decided, fmt.total_ore)
        difference = f"=ROUND({ref(pot_row, c)}-{ref(summa, c)}-{ref(forfeited, c)},{ROUND_DECIMALS})"
        cells.formula(rounded, c, difference, _rounded(decided - paid - lost), fmt.ore)
    r = rounded + 2
    ws.write_string(r, 0, "Regler", fmt.total_text)
    for k, (label, pot, text) in enumerate(
        zip(payout.columns, indata.utfall.pots, payout.rules, strict=True)
    ):
        ws.write_string(r + 1 + k, 0, f"{label} ({pot.rule.value}): {text}.")
    r += 1 + n
    for k, text in enumerate(LEGEND):
        ws.write_string(r + k, 0, text)
    page_one = r + len(LEGEND) - 1
    top = page_one + 3
    ws.set_h_pagebreaks([top - 1])  # the national bodies and the reconciliation: a page with its own headings
    national = _write_national(ws, fmt, cells, payout, placed, top)
    col = national.total_col if national is not None else total_col
    pots = _PotRows(summa, forfeited, pot_row, rounded, total_col)
    start = top if national is None else national.rounded_row + 2
    bottom, total_paid = _write_reconciliation(ws, fmt, cells, payout, start, col, pots, national)
    first_width = first_col_width(FORFEITED, ROUNDED_LABEL, *regions.NAMES, *map(str, payout.national.index))
    # A column holds the headings of both tables above each other (pots above, villkor below).
    above = [*payout.columns, TOTAL]
    below = [*map(str, payout.national.columns), TOTAL] if national is not None else []
    widths = [
        max(KRONOR_WIDTH, *(heading_width(t)[0] for t in above[c - 1 : c] + below[c - 1 : c]))
        for c in range(1, max(total_col, col) + 1)
    ]
    width_px = sum(w * 7 + 5 for w in (first_width, *widths, UNPAID_WIDTH))
    height_px = (max(page_one, bottom - top) + 3) * ROW_PX + row_px
    scale = min(
        100, 100 * PAGE_WIDTH_PX * WIDTH_MARGIN / width_px, 100 * PAGE_HEIGHT_PX * HEIGHT_MARGIN / height_px
    )
    page_setup(ws, fmt, header, first_width, fit=None, scale=max(10, math.floor(scale)), repeat_to=1)
    for c, width in enumerate(widths, start=1):
        ws.set_column(c, c, width)
    ws.set_column(unpaid_col, unpaid_col, UNPAID_WIDTH)
    ws.set_row(header, LINE_HEIGHT * 2)
    _write_overview(book, fmt, payout, first, national, total_paid, values_only)


@dataclass(frozen=True)
class _PotRows:
    summa: int
    forfeited: int
    pot: int
    rounded: int
    total_col: int


@dataclass(frozen=True)
class _NationalRows:
    total_col: int
    summa_row: int
    decided_row: int
    rounded_row: int


def _write_national(
    ws: Any, fmt: Formats, cells: Cells, payout: Payout, placed: list[VillkorCells], top: int
) -> _NationalRows | None:
    """The national bodies' fixed sums: a table of its own, headed by villkor, with what was decided
    (the villkor sheets' cells × 1 000 000) and what was rounded away."""
    national, decided = payout.national, payout.national_decided
    if not len(national):
        return None
    ws.write_string(top, 0, "Nationella aktörer", fmt.header)
    for c, name in enumerate(national.columns, start=1):
        ws.write_string(top, c, str(name), fmt.header_number)
    body_total = len(national.columns) + 1
    ws.write_string(top, body_total, TOTAL, fmt.header_number)
    first = top + 1
    for i, (body, row) in enumerate(national.iterrows()):
        r = first + i
        ws.write_string(r, 0, str(body))
        for c, value in enumerate(row, start=1):
            if value == value:
                ws.write_number(r, c, int(value), fmt.kronor)
        formula = f"=SUM({cell_range(r, 1, r, body_total - 1)})"
        cells.formula(r, body_total, formula, float(row.sum()), fmt.kronor)
    last = first + len(national) - 1
    summa, decided_row, rounded = last + 1, last + 2, last + 3
    ws.write_string(summa, 0, "SUMMA nationella", fmt.total_text)
    ws.write_string(decided_row, 0, "Enligt beslut", fmt.total_text)
    ws.write_string(rounded, 0, ROUNDED_LABEL)
    where = {w.sheet: w for w in placed}
    for c in range(1, body_total + 1):
        column = c < body_total
        paid = float(national.iloc[:, c - 1].sum()) if column else float(national.sum().sum())
        cells.formula(summa, c, f"=SUM({cell_range(first, c, last, c)})", paid, fmt.total_kronor)
        wanted = float(decided.iloc[:, c - 1].sum()) if column else float(decided.sum().sum())
        if column:
            villkor = where[str(national.columns[c - 1])]
            sheet = quote_sheetname(villkor.sheet)
            rows = [
                villkor.national_rows[regions.fold(str(b))]
                for b, v in national.iloc[:, c - 1].items()
                if v == v
            ]
            parts = [f"{sheet}!{ref(row, villkor.total_col)}" for row in rows]
            formula = f"=({'+'.join(parts)})*{KRONOR_PER_MKR}"
        else:
            formula = f"=SUM({cell_range(decided_row, 1, decided_row, body_total - 1)})"
        cells.formula(decided_row, c, formula, wanted, fmt.total_ore)
        difference = f"=ROUND({ref(decided_row, c)}-{ref(summa, c)},{ROUND_DECIMALS})"
        cells.formula(rounded, c, difference, _rounded(wanted - paid), fmt.ore)
    return _NationalRows(body_total, summa, decided_row, rounded)


def _write_reconciliation(
    ws: Any,
    fmt: Formats,
    cells: Cells,
    payout: Payout,
    top: int,
    col: int,
    pots: _PotRows,
    national: _NationalRows | None,
) -> tuple[int, str]:
    """What was decided = utbetalt + förverkat + avrundat bort, as formulas in the TOTALT column.

    Returns the last row written and the TOTALT UTBETALT cell."""
    from ..allocate.rules import FORFEITED

    t = pots.total_col
    to_regions = float(payout.regions.to_numpy().sum())
    to_bodies = float(payout.national.sum().sum()) if national is not None else 0.0
    pots_decided = float(payout.decided.sum())
    bodies_decided = float(payout.national_decided.sum().sum()) if national is not None else 0.0
    forfeited = float(payout.forfeited.sum())
    rounded = _rounded(pots_decided - to_regions - forfeited) + (
        _rounded(bodies_decided - to_bodies) if national is not None else 0.0
    )
    ws.write_string(top, 0, "Avstämning", fmt.header)
    ws.write_string(top, col, TOTAL, fmt.header_number)
    r = top + 1
    lines: list[tuple[str, str, float, Any]] = [
        ("Pottar enligt beslut", f"={ref(pots.pot, t)}", pots_decided, fmt.ore)
    ]
    if national is not None:
        lines.append(
            ("Fasta summor enligt beslut", f"={ref(national.decided_row, col)}", bodies_decided, fmt.ore)
        )
    decided_at = r + len(lines)
    lines.append(
        (
            "Beslutat",
            f"=SUM({cell_range(r, col, decided_at - 1, col)})",
            pots_decided + bodies_decided,
            fmt.total_ore,
        )
    )
    paid_from = decided_at + 1
    lines.append(("Utbetalt till länen", f"={ref(pots.summa, t)}", to_regions, fmt.kronor))
    if national is not None:
        lines.append(
            ("Utbetalt till nationella aktörer", f"={ref(national.summa_row, col)}", to_bodies, fmt.kronor)
        )
    paid_at = r + len(lines)
    lines.append(
        (
            TOTAL_PAID,
            f"=SUM({cell_range(paid_from, col, paid_at - 1, col)})",
            to_regions + to_bodies,
            fmt.total_kronor,
        )
    )
    forfeited_at = paid_at + 1
    lines.append((FORFEITED, f"={ref(pots.forfeited, t)}", forfeited, fmt.kronor))
    rounded_at = forfeited_at + 1
    rounded_formula = f"={ref(pots.rounded, t)}" + (
        f"+{ref(national.rounded_row, col)}" if national is not None else ""
    )
    lines.append((ROUNDED_LABEL, rounded_formula, rounded, fmt.ore))
    check = (
        f"=ROUND({ref(decided_at, col)}-{ref(paid_at, col)}-{ref(forfeited_at, col)}-{ref(rounded_at, col)},"
        f"{ROUND_DECIMALS})"
    )
    balance = _rounded(pots_decided + bodies_decided - (to_regions + to_bodies) - forfeited - rounded)
    lines.append(("Skillnad: beslutat − utbetalt − förverkat − avrundat", check, balance, fmt.total_ore))
    for k, (label, formula, value, number) in enumerate(lines):
        bold = label in ("Beslutat", TOTAL_PAID) or k == len(lines) - 1
        ws.write_string(r + k, 0, label, fmt.total_text if bold else fmt.text)
        cells.formula(r + k, col, formula, value, number)
    return r + len(lines) - 1, f"{quote_sheetname(PAYMENT_SHEET)}!{ref(paid_at, col)}"


def _rounded(value: float) -> float:
    """The cached value of =ROUND(…, 6); + 0.0 turns Python's -0.0 into the 0 Excel shows."""
    return round(value, ROUND_DECIMALS) + 0.0


def _pot_sources(indata: Indata, placed: list[VillkorCells], utfall_cells: UtfallCells) -> list[str]:
    """Each pot's cell in Mkr: the villkor sheet's RIKET cell, or the Utfall sheet's Pott, Mkr cell."""
    assert indata.utfall is not None
    sheets = {where.sheet for where in placed}
    sources = []
    for pot in indata.utfall.pots:
        if pot.villkor is not None and pot.villkor in sheets:
            sources.append(f"{quote_sheetname(pot.villkor)}!{ref(RIKET_ROW, 1 + pot.index)}")
        else:
            cell = ref(utfall_cells.pot_row, utfall_cells.columns[pot.label])
            sources.append(f"{quote_sheetname(OUTCOME_SHEET)}!{cell}")
    return sources


def _write_overview(
    book: Any,
    fmt: Formats,
    payout: Payout,
    first: int,
    national: _NationalRows | None,
    total_paid: str,
    values_only: bool,
) -> None:
    """The 2014 overview's layout: Villkorad del, Rörlig del, Totalt per län, alphabetically; below
    SUMMA, the national bodies' fixed sums and TOTALT UTBETALT, so that the two totals are explained."""
    ws = add_sheet(book, OVERVIEW_SHEET)
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
            cells.formula(r, c, formula, value, fmt.kronor)
        cells.formula(r, 3, f"={ref(r, 1)}+{ref(r, 2)}", float(row.sum()), fmt.kronor)
    last = header + len(order)
    summa = last + 1
    ws.write_string(summa, 0, SUMMA, fmt.total_text)
    for c in (1, 2, 3):
        parts = [j for j, v in enumerate(payout.variable) if c == 3 or v == (c == 2)]
        value = float(payout.regions.iloc[:, parts].to_numpy().sum()) if parts else 0.0
        cells.formula(summa, c, f"=SUM({cell_range(header + 1, c, last, c)})", value, fmt.total_kronor)
    labels = ["Nationella aktörer (fasta summor)", TOTAL_PAID]
    if national is not None:
        to_regions = float(payout.regions.to_numpy().sum())
        to_bodies = float(payout.national.sum().sum())
        ws.write_string(summa + 1, 0, labels[0])
        body_cell = f"{source}!{ref(national.summa_row, national.total_col)}"
        cells.formula(summa + 1, 3, f"={body_cell}", to_bodies, fmt.kronor)
        ws.write_string(summa + 2, 0, TOTAL_PAID, fmt.total_text)
        formula = f"={ref(summa, 3)}+{ref(summa + 1, 3)}"
        cells.formula(summa + 2, 3, formula, to_regions + to_bodies, fmt.total_kronor)
        ws.write_string(
            summa + 4,
            0,
            "SUMMA är det som betalas till länen; TOTALT UTBETALT tar också med de fasta summorna till",
            fmt.note,
        )
        ws.write_string(
            summa + 5,
            0,
            f"nationella aktörer (bladet {PAYMENT_SHEET}, cell {total_paid.split('!')[-1]}).",
            fmt.note,
        )
    page_setup(ws, fmt, header, first_col_width(*regions.NAMES, *labels), portrait=True, fit=(1, 1))
    ws.set_column(1, 3, 16)
