"""The Förändring sheet: the new result against a previous one, per län, with a chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from xlsxwriter.utility import quote_sheetname

from .. import regions
from ..vocabulary import (
    CHANGES_SHEET,
    FIRST_LAN_ROW,
    POPULATION_SHEET,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
    TOTAL,
)
from .style import Cells, Formats, cell_range, first_col_width, page_setup, ref

if TYPE_CHECKING:
    from ..compare import Comparison


def write_changes(
    book: Any, fmt: Formats, change: Comparison, summary_columns: list[str], values_only: bool
) -> None:
    ws = book.add_worksheet(CHANGES_SHEET)
    cells = Cells(ws, values_only)
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
                source = f"={quote_sheetname(source_sheet)}!{ref(source_first + i, source_col)}"
                cells.formula(row, col + 1, source, float(new.iloc[i]), number)
            cells.formula(row, col + 2, f"={ref(row, col + 1)}-{ref(row, col)}", float(delta.iloc[i]), number)
        for k, series in enumerate((old, new, delta)):
            if series.notna().any():
                c = col + k
                cells.formula(
                    last + 1, c, f"=SUM({cell_range(first, c, last, c)})", float(series.sum()), total
                )

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
    page_setup(ws, header_row, first_col_width(*regions.NAMES))
    ws.set_column(1, 3 * len(groups), 11)
