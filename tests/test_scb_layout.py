"""The layout of one grid of an SCB export, found on grids built in code: where the months, the
values and the region stub are."""

from __future__ import annotations

import time

import pytest

from sjukmiljard.read.grid import Grid
from sjukmiljard.scb.layout import NO_MONTH, UNKNOWN_LAYOUT, Refused, analyse
from sjukmiljard.words import regions

LAN = [f"{lan.code} {lan.name}" for lan in regions.LAN]


def grid(rows: list[list[object]], *, text_file: bool = False) -> Grid:
    values = {r: {c: v for c, v in enumerate(row) if v is not None} for r, row in enumerate(rows)}
    lines = list(range(1, len(rows) + 1)) if text_file else None
    return Grid("BefolkManad", {r: cells for r, cells in values.items() if cells}, lines=lines)


def refusal(g: Grid) -> Refused:
    with pytest.raises(Refused) as caught:
        analyse(g)
    return caught.value


def test_wide_layout_with_a_title_and_heading_rows() -> None:
    rows: list[list[object]] = [["Folkmängden per månad"], []]
    rows += [[None, "Folkmängd"], [None, "2019M10", "2019M11"]]
    rows += [[name, 1, 2] for name in LAN]

    layout = analyse(grid(rows))

    assert layout.months == ("2019M10", "2019M11")
    assert [(c.index, c.heading, c.month) for c in layout.columns] == [
        (1, "Folkmängd 2019M10", "2019M10"),
        (2, "Folkmängd 2019M11", "2019M11"),
    ]
    assert layout.region_col == 0
    assert [row.lan for row in layout.rows] == list(regions.NAMES)


def test_long_layout_with_the_month_in_the_stub() -> None:
    rows: list[list[object]] = [["region", "månad", "Folkmängd"]]
    rows += [[name, month, 5] for month in ("2018M12", "2019M11") for name in LAN]

    layout = analyse(grid(rows, text_file=True))

    assert layout.months == ("2018M12", "2019M11")
    assert [column.index for column in layout.columns] == [2]
    assert {row.month for row in layout.rows} == {"2018M12", "2019M11"}


def test_a_sheet_fills_blank_outer_stub_cells_a_text_file_does_not() -> None:
    rows: list[list[object]] = [[None, None, "2019M11"]]
    for name in LAN:
        rows += [[name, "män", 1], [None, "kvinnor", 1]]

    from_sheet = analyse(grid(rows))
    from_text = analyse(grid(rows, text_file=True))

    assert len(from_sheet.rows) == 2 * len(LAN)
    assert len(from_text.rows) == len(LAN)


def test_a_far_stray_cell_costs_nothing() -> None:
    rows: list[list[object]] = [[None, "2019M11"], *[[name, 7] for name in LAN]]
    g = grid(rows)
    g.rows[1_048_575] = {16_383: "långt ut"}
    g.row_numbers.append(1_048_575)

    started = time.perf_counter()
    layout = analyse(g)

    assert time.perf_counter() - started < 1
    assert layout.months == ("2019M11",)


def test_lan_without_a_month_is_the_wrong_table_and_anything_else_unknown() -> None:
    assert refusal(grid([["region", "2019"], *[[name, 7] for name in LAN]])).problems[0].message == NO_MONTH
    unknown = refusal(grid([["Hej", "då"], ["1", "2"]]))
    assert (unknown.problems[0].message, unknown.specific) == (UNKNOWN_LAYOUT, False)
