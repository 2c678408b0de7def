"""The Förändring sheet: the new result against a previous one. Page one is an A4-landscape summary
(population and TOTALT per län, the national bodies and the grand SUMMA, with a chart); the pots
and the detail per villkor that changed follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from ..words import regions
from ..words.swedish import format_date
from ..words.vocabulary import (
    CHANGES_SHEET,
    FIRST_LAN_ROW,
    POPULATION_SHEET,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
    TOTAL,
)
from .style import Cells, Formats, add_sheet, cell_range, first_col_width, print_setup, ref

if TYPE_CHECKING:
    import pandas as pd

    from ..read.previous import Comparison


CHANGE_GROUPS_PER_PAGE = 4  # villkor per printed page of the detail: Län and 12 columns fit A4 landscape
DIFFERENCE_DECIMALS = 9  # a tenth of an öre in Mkr: float residues round to an exact 0
CHANGE_MKR = "+#,##0.000;[Red]-#,##0.000;0.000"  # increases with +, decreases with − in red
CHANGE_PERSONS = "+#,##0;[Red]-#,##0;0"
CHANGE_PERCENT = "+0.00 %;[Red]-0.00 %;0.00 %"
CHANGES_PRINT_SCALE = 90  # per cent: Län and 12 columns (1080 pixels) fit A4 landscape with room
SUMMARY_ROW_HEIGHT = 15  # points: page one's rows (län, national bodies, sums) fit one A4 landscape page


def _difference(new: float, old: float) -> float:
    """The cached value of =ROUND(new-old, 9); + 0.0 turns Python's -0.0 into the 0 Excel shows."""
    return round(new - old, DIFFERENCE_DECIMALS) + 0.0


@dataclass(frozen=True)
class _ChangeColumn:
    """One Tidigare / Nu / Förändring triple of the Förändring sheet: the län rows and their SUMMA,
    then (for amounts) the national bodies and the grand SUMMA, as in the Sammanställning."""

    label: str
    old: list[float | None]
    new: list[float]
    now_source: str | None  # where the new values come from, e.g. "'Sammanställning'!$J"
    first_source_row: int
    number: Any
    total: Any
    rounded: bool
    change: Any = None
    total_change: Any = None
    national_old: tuple[float | None, ...] = ()
    national_new: tuple[float | None, ...] = ()
    national_rows: tuple[int | None, ...] = ()  # each body's row in the source sheet, if it has one


def _write_change_columns(
    ws: Any, cells: Cells, col: int, first: int, column: _ChangeColumn
) -> tuple[float | None, float]:
    """The three columns for the län rows, SUMMA, the national bodies and the grand SUMMA; returns
    the län SUMMA's previous and difference."""
    last = first + len(column.new) - 1
    summa = last + 1
    change, total_change = column.change or column.number, column.total_change or column.total
    for i, (old, new) in enumerate(zip(column.old, column.new, strict=True)):
        source = None
        if column.now_source is not None:
            source = f"={column.now_source}{column.first_source_row + i + 1}"
        _write_row(ws, cells, first + i, col, old, new, source, column, column.number, change)
    old_sum = None
    if any(old is not None for old in column.old):
        old_sum = float(sum(old for old in column.old if old is not None))
    new_sum = float(sum(column.new)) if column.now_source is not None else None
    total = _write_sum_row(ws, cells, summa, col, (first, last), old_sum, new_sum, column, total_change)
    if not column.national_old:
        return old_sum, total
    bodies = list(zip(column.national_old, column.national_new, column.national_rows, strict=True))
    for k, (was, now, at) in enumerate(bodies):
        source = None
        if column.now_source is not None and at is not None and now is not None:
            source = f"={column.now_source}{at + 1}"
        _write_row(ws, cells, summa + 1 + k, col, was, now, source, column, column.number, change)
    grand = summa + 1 + len(bodies)
    olds = [was for was, _, _ in bodies if was is not None]
    news = [now for _, now, _ in bodies if now is not None]
    grand_old = None if old_sum is None else old_sum + float(sum(olds))
    grand_new = None if new_sum is None else new_sum + float(sum(news))
    span = (summa + 1, grand - 1) if bodies else None
    _write_sum_row(ws, cells, grand, col, span, grand_old, grand_new, column, total_change, summa)
    return old_sum, total


def _write_row(
    ws: Any,
    cells: Cells,
    row: int,
    col: int,
    old: float | None,
    new: float | None,
    source: str | None,
    column: _ChangeColumn,
    number: Any,
    change: Any,
) -> None:
    if old is not None:
        ws.write_number(row, col, old, number)
    else:
        ws.write_blank(row, col, None, number)
    if source is not None and new is not None:
        cells.formula(row, col + 1, source, new, number)
    else:
        ws.write_blank(row, col + 1, None, number)
    if old is None and new is None:
        ws.write_blank(row, col + 2, None, change)  # a national body this villkor does not pay
        return
    difference = f"{ref(row, col + 1)}-{ref(row, col)}"
    if column.rounded:
        delta = _difference(new or 0.0, old or 0.0)
        difference = f"ROUND({difference},{DIFFERENCE_DECIMALS})"
    else:
        delta = (new or 0.0) - (old or 0.0)
    cells.formula(row, col + 2, f"={difference}", delta, change)


def _write_sum_row(
    ws: Any,
    cells: Cells,
    row: int,
    col: int,
    span: tuple[int, int] | None,
    old_sum: float | None,
    new_sum: float | None,
    column: _ChangeColumn,
    total_change: Any,
    plus: int | None = None,
) -> float:
    """A SUMMA row: the sum of `span` (plus the SUMMA in row `plus`), before and now, and its own
    now minus before: the sum of the rounded rows could be off by a few 1e-9, and an unchanged pot
    must show exactly 0."""
    for k, value in ((0, old_sum), (1, new_sum)):
        if value is None:
            ws.write_blank(row, col + k, None, column.total)
            continue
        parts = [] if plus is None else [ref(plus, col + k)]
        if span is not None:
            parts.append(f"SUM({cell_range(span[0], col + k, span[1], col + k)})")
        cells.formula(row, col + k, "=" + "+".join(parts), value, column.total)
    difference = f"{ref(row, col + 1)}-{ref(row, col)}"
    if column.rounded:
        total = _difference(new_sum or 0.0, old_sum or 0.0)
        difference = f"ROUND({difference},{DIFFERENCE_DECIMALS})"
    else:
        total = (new_sum or 0.0) - (old_sum or 0.0)
    cells.formula(row, col + 2, f"={difference}", total, total_change)
    return total


def write_changes(
    book: Any, fmt: Formats, change: Comparison, summary_columns: list[str], values_only: bool
) -> None:
    """Page one: per län population and TOTALT before, now and the change, the national bodies and
    the grand SUMMA, with a bar chart of the län's change beside it; then the pots, and the change
    per villkor that changed, four villkor to a printed page, each page with its own headings and
    Län column. A page that would show nothing but zeros is left out."""
    from ..read.previous import COMPARED_WITH

    book.set_custom_property(COMPARED_WITH, change.previous_name)
    sheet = _ChangesSheet(book, fmt, change, summary_columns, values_only)
    top, first, summa = sheet.summary_page()
    sheet.chart(top, first, summa)
    breaks = sheet.pots_page(sheet.end + 2)
    sheet.detail_pages(sheet.end + 2, breaks)
    sheet.page_setup()


def _population_text(population: Any) -> str:
    """ "30/11 2019 (SCB-filen befolkning.csv, månad 2019M11)" or "1/11 2019 (bladet Befolkning i …)"."""
    date = format_date(population.date)
    if population.month is not None:
        return f"{date} (SCB-filen {population.file}, månad {population.month})"
    return f"{date} ({population.source})"


def _percent_rows(
    column: _ChangeColumn, first: int, summa: int, grand: int
) -> list[tuple[int, float, float]]:
    """(row, previous, change) for the per-cent column: län, SUMMA, national bodies, grand SUMMA."""
    rows = [
        (first + i, old or 0.0, _difference(new, old or 0.0))
        for i, (old, new) in enumerate(zip(column.old, column.new, strict=True))
    ]
    old_sum = float(sum(old or 0.0 for old in column.old))
    new_sum = float(sum(column.new))
    rows.append((summa, old_sum, _difference(new_sum, old_sum)))
    if grand > summa:
        bodies = list(zip(column.national_old, column.national_new, strict=True))
        rows += [
            (summa + 1 + k, old or 0.0, _difference(new or 0.0, old or 0.0))
            for k, (old, new) in enumerate(bodies)
        ]
        grand_old = old_sum + float(sum(old or 0.0 for old, _ in bodies))
        grand_new = new_sum + float(sum(new or 0.0 for _, new in bodies))
        rows.append((grand, grand_old, _difference(grand_new, grand_old)))
    return rows


class _ChangesSheet:
    def __init__(
        self, book: Any, fmt: Formats, change: Comparison, summary_columns: list[str], values_only: bool
    ) -> None:
        self.book, self.fmt, self.change = book, fmt, change
        self.summary_columns, self.values_only = summary_columns, values_only
        self.ws = ws = add_sheet(book, CHANGES_SHEET)
        self.cells = Cells(ws, values_only)
        self.percent = book.add_format({"num_format": CHANGE_PERCENT})
        self.total_percent = book.add_format({"num_format": CHANGE_PERCENT, "bold": True, "top": 1})
        self.change_mkr = book.add_format({"num_format": CHANGE_MKR})
        self.total_change_mkr = book.add_format({"num_format": CHANGE_MKR, "bold": True, "top": 1})
        self.change_persons = book.add_format({"num_format": CHANGE_PERSONS})
        self.total_change_persons = book.add_format({"num_format": CHANGE_PERSONS, "bold": True, "top": 1})
        self.group = book.add_format({"bold": True, "align": "center", "bottom": 1, "text_wrap": True})
        ws.write_string(0, 0, "Förändring mot tidigare resultat", fmt.title)
        before, now = change.previous_population, change.current_population
        lines = [
            f"Tidigare: {change.previous_name}, befolkning {_population_text(before)}",
            f"Nu: befolkning {_population_text(now)}",
        ]
        if change.revision:
            lines[-1] += f" – en ny version (revision) av samma månad {now.month}"
        lines.append(self.verdict())
        changed = None if change.unchanged else self.changed_villkor()
        if changed is not None:
            lines.append(changed)
        plain = len(lines)
        if change.only_current:
            lines.append("Kolumner som bara finns i det nya resultatet: " + ", ".join(change.only_current))
        if change.only_previous:
            lines.append(
                "Kolumner som bara fanns i det tidigare resultatet: " + ", ".join(change.only_previous)
            )
        for r, line in enumerate(lines, start=1):
            ws.write_string(r, 0, line, fmt.note if r > plain else None)
        self.first_top = 2 + len(lines)
        self.names = [str(lan) for lan in change.current.index]
        self.bodies = [str(body) for body in change.national_current.index]
        self.end = self.first_top

    def verdict(self) -> str:
        change = self.change
        if change.unchanged:
            return "Oförändrat: inget belopp, ingen pott och ingen befolkningssiffra har ändrats."
        return change.summary_line().replace("Förändring: ", "Ändrat: ", 1) + "."

    def changed_villkor(self) -> str | None:
        change = self.change
        villkor = list(change.columns)
        changed = [c for c in villkor if c in change.changed_columns()]
        if not changed or len(changed) == len(villkor):
            return None
        return f"Ändrade villkor: {', '.join(changed)} (övriga {len(villkor) - len(changed)} oförändrade)."

    def amounts(self, label: str) -> _ChangeColumn:
        """A villkor's column of the Sammanställning, before and now."""
        change, columns = self.change, self.summary_columns
        at = columns.index(label) + 1 if label in columns else None
        return self._column(
            label,
            (change.previous[label], change.current[label]),
            (change.national_previous[label], change.national_current[label]),
            at,
        )

    def totals(self) -> _ChangeColumn:
        """The Sammanställning's TOTALT column (the one after the villkor), before and now."""
        change = self.change
        return self._column(
            TOTAL,
            (change.previous_totals, change.current_totals),
            (change.national_previous_totals, change.national_current_totals),
            len(self.summary_columns) + 1,
        )

    def _column(
        self,
        label: str,
        lan: tuple[pd.Series, pd.Series],
        national: tuple[pd.Series, pd.Series],
        at: int | None,
    ) -> _ChangeColumn:
        """Tidigare / Nu for the län (`lan`) and the national bodies (`national`); `at` is the
        column of the Sammanställning the new figures stand in, if the new result has it."""
        old = [None if v != v else float(v) for v in lan[0].tolist()]
        new = [0.0 if v != v else float(v) for v in lan[1].tolist()]
        source = None if at is None else f"{quote_sheetname(SUMMARY_SHEET)}!${xl_col_to_name(at)}$"
        national_rows = []
        summa_row = SUMMARY_HEADER_ROW + 1 + len(self.names)
        now_bodies = [str(b) for b in self.change.national_current.dropna(how="all").index]
        for body in self.bodies:
            national_rows.append(summa_row + 1 + now_bodies.index(body) if body in now_bodies else None)
        fmt = self.fmt
        return _ChangeColumn(
            label,
            old,
            new,
            source,
            SUMMARY_HEADER_ROW + 1,
            fmt.mkr,
            fmt.total_mkr,
            True,
            self.change_mkr,
            self.total_change_mkr,
            tuple(None if v != v else float(v) for v in national[0].tolist()),
            tuple(None if v != v else float(v) for v in national[1].tolist()),
            tuple(national_rows),
        )

    def block(self, top: int, title: str | None, *, national: bool = True) -> tuple[int, int]:
        """Title, group and heading rows and the Län column (then the national bodies and the grand
        SUMMA); returns the first and SUMMA rows."""
        ws, fmt = self.ws, self.fmt
        if title is not None:
            ws.write_string(top, 0, title, fmt.title)
            top += 1
        ws.write_string(top + 1, 0, "Län", fmt.header)
        ws.set_row(top + 1, 30)
        first = top + 2
        for i, name in enumerate(self.names):
            ws.write_string(first + i, 0, name)
        summa = first + len(self.names)
        ws.write_string(summa, 0, "SUMMA", fmt.total_text)
        self.end = summa
        if national and self.bodies:
            for k, body in enumerate(self.bodies, start=1):
                ws.write_string(summa + k, 0, body)
            self.end = summa + len(self.bodies) + 1
            ws.write_string(self.end, 0, "SUMMA", fmt.total_text)
        return first, summa

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
            self.change_persons,
            self.total_change_persons,
        )
        self.headings(top, 1, "Befolkning, personer")
        _write_change_columns(ws, self.cells, 1, first, population)
        self.headings(top, 4, "TOTALT, Mkr", "Förändring, %")
        total = self.totals()
        _write_change_columns(ws, self.cells, 4, first, total)
        grand = self.end
        for row, old, delta in _percent_rows(total, first, summa, grand):
            style = self.total_percent if row in (summa, grand) else self.percent
            formula = f'=IF(N({ref(row, 4)})=0,"",{ref(row, 6)}/{ref(row, 4)})'
            if not self.values_only:
                ws.write_formula(row, 7, formula, style, "" if old == 0 else delta / old)
            elif old != 0:
                ws.write_number(row, 7, delta / old, style)
        footnotes = (
            "Förändringen räknas på de oavrundade beloppen: den kan skilja sig en tusendel från "
            "skillnaden mellan de visade (avrundade) Nu och Tidigare.",
            "Ökning visas med +, minskning med − och i rött.",
        )
        for k, footnote in enumerate(footnotes, start=1):
            ws.write_string(grand + k, 0, footnote, fmt.note)
        self.end = grand + len(footnotes)
        return top, first, summa

    def chart(self, top: int, first: int, summa: int) -> None:
        chart = self.book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Förändring TOTALT, Mkr",
                "categories": [CHANGES_SHEET, first, 0, summa - 1, 0],
                "values": [CHANGES_SHEET, first, 6, summa - 1, 6],
                "fill": {"color": "#4472C4"},
                "invert_if_negative": False,
            }
        )
        title = "Förändring TOTALT per län, Mkr"
        if not self.change.total_changed() or not any(
            _difference(float(v), 0.0) for v in self.change.total_difference.tolist()
        ):
            title += " (ingen förändring)"
        chart.set_title({"name": title, "name_font": {"size": 10}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True, "label_position": "low", "num_font": {"size": 9}})
        chart.set_x_axis(
            {"num_format": "#,##0.0", "num_font": {"size": 9}, "major_gridlines": {"visible": True}}
        )
        for row in range(first, self.end):
            self.ws.set_row(row, SUMMARY_ROW_HEIGHT)
        height = round((15 + 30 + SUMMARY_ROW_HEIGHT * (summa - first + 1)) * 4 / 3)  # points to pixels
        chart.set_size({"width": 330, "height": height - 4})
        description = (
            "Liggande stapeldiagram över förändringen av TOTALT per län i Mkr, nytt resultat minus "
            f"tidigare ({self.change.previous_name}); länen i samma ordning som tabellen, vars kolumn "
            "Förändring under TOTALT har siffrorna."
        )
        self.ws.insert_chart(top, 8, chart, {"x_offset": 8, "y_offset": 2, "description": description})

    def pots_page(self, top: int) -> list[int]:
        """Every villkor's pots before and now, on a page of their own when any changed; returns
        the page breaks so far."""
        pots = self.change.pots
        if all(pot.difference == 0 and pot.previous is not None and pot.current is not None for pot in pots):
            return []
        ws, fmt = self.ws, self.fmt
        ws.write_string(top, 0, "Potter per villkor, Mkr (raden RIKET på villkorsbladen)", fmt.title)
        ws.write_string(top + 1, 0, "Villkor", fmt.header)
        ws.write_string(top + 1, 1, "Pott", fmt.header)
        for k, text in enumerate(("Tidigare", "Nu", "Förändring"), start=2):
            ws.write_string(top + 1, k, text, fmt.header_number)
        ws.set_row(top + 1, 30)
        for i, pot in enumerate(pots, start=top + 2):
            ws.write_string(i, 0, pot.villkor)
            ws.write_string(i, 1, pot.label)
            for k, value in ((2, pot.previous), (3, pot.current)):
                if value is not None:
                    ws.write_number(i, k, value, fmt.mkr)
            formula = f"=ROUND({ref(i, 3)}-{ref(i, 2)},{DIFFERENCE_DECIMALS})"
            self.cells.formula(i, 4, formula, pot.difference, self.change_mkr)
        self.end = top + 1 + len(pots)
        return [top]

    def detail_pages(self, top: int, breaks: list[int]) -> None:
        """The change per villkor that changed, four to a printed page."""
        changed = self.change.changed_columns()
        detail = [self.amounts(label) for label in self.change.columns if label in changed]
        for start in range(0, len(detail), CHANGE_GROUPS_PER_PAGE):
            breaks.append(top)
            title = "Förändring per villkor, Mkr" + (" (forts.)" if start else "")
            first, _ = self.block(top, title)
            for g, column in enumerate(detail[start : start + CHANGE_GROUPS_PER_PAGE]):
                self.headings(top + 1, 1 + 3 * g, column.label)
                _write_change_columns(self.ws, self.cells, 1 + 3 * g, first, column)
            top = self.end + 2
        self.ws.set_h_pagebreaks(breaks)

    def page_setup(self) -> None:
        ws = self.ws
        # Not fit to pages: Excel then ignores the page breaks. The tracing footer every sheet has;
        # narrower side margins than the others, for the chart beside the table.
        print_setup(ws, self.fmt, fit=None, scale=CHANGES_PRINT_SCALE)
        ws.set_margins(left=0.25, right=0.25, top=0.3, bottom=0.8)
        ws.set_column(0, 0, first_col_width(*regions.NAMES))
        ws.set_column(1, 2, 11)
        ws.set_column(3, 3 * CHANGE_GROUPS_PER_PAGE, 10)
