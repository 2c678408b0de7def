"""What both format adapters tell the readers beyond the values: hidden rows and columns, and how a
numeric cell is shown (a percentage, a scaling format, a unit), the same for .xlsx and .ods."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard.read.grid import PLAIN, Grid, Look
from sjukmiljard.read.looks import display_look, format_look
from sjukmiljard.read.ods import OdsBook
from sjukmiljard.read.xlsx import XlsxBook

from .conftest import libreoffice_convert
from .odf import document, package

# -- .xlsx number formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "look"),
    [
        ("General", 3.0, PLAIN),
        ("#,##0.000", 39.0, PLAIN),
        ("0%", 0.25, Look(percent=True)),
        ("0.00 %", 0.25, Look(percent=True)),
        ('"%"0', 1.0, Look(unit="%")),  # a quoted % is text, not a percentage
        ("#,##0.00,,", 750_000.0, Look(scale=6)),
        ("0,", 3_000.0, Look(scale=3)),
        ('#,##0,"tkr"', 3_000.0, Look(scale=3, unit="tkr")),
        ('#,##0;(#,##0,," Mkr")', -3_000_000.0, Look(scale=6, unit="Mkr")),  # the negative section
        ('#,##0;(#,##0,," Mkr")', 3.0, PLAIN),
        ('0 "Mkr"', 39.0, Look(unit="Mkr")),
        ('0" tkr"', 39.0, Look(unit="tkr")),
        ('#,##0.00\\ "kr"', 39.0, Look(unit="kr")),
        ("0\\k\\r", 39.0, Look(unit="kr")),
        ("[$kr-41D] #,##0", 39.0, Look(unit="kr")),
        ("[Red]0.00;[Blue]-0.00", -1.0, PLAIN),
        ('_(* #,##0_);_(* (#,##0);_(* "-"??_)', 0.0, PLAIN),  # a dash for 0: no unit
        ("0.0E+00", 39.0, PLAIN),
        ('[>=1000000]0,,"M";[>=1000]0,"k";0', 5.0, PLAIN),  # conditions pick the section
        ('[>=1000000]0,,"M";[>=1000]0,"k";0', 5_000.0, Look(scale=3, unit="k")),
        ('[>=1000000]0,,"M";[>=1000]0,"k";0', 5_000_000.0, Look(scale=6, unit="M")),
        ("[<0,5]0%;0", 0.25, Look(percent=True)),
    ],
)
def test_number_format_looks(code: str, value: float, look: Look) -> None:
    assert format_look(code, value) == look


# -- .ods displayed text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown", "percent", "look"),
    [
        (750_000.0, "0,75", False, Look(scale=6)),
        (3_000.0, "3", False, Look(scale=3)),
        (39.0, "39 Mkr", False, Look(unit="Mkr")),
        (39_000.0, "(39) tkr", False, Look(scale=3, unit="tkr")),
        (0.25, "25%", True, Look(percent=True)),
        (0.255, "25,50 %", True, Look(percent=True)),
        (1234.5, "1 234,50", False, PLAIN),
        (1234.0, "1,234", False, PLAIN),  # a thousands comma
        (1.234, "1,234", False, PLAIN),  # a decimal comma
        (0.3, "0", False, PLAIN),  # rounded, not scaled
        (1e-05, "1E-05", False, PLAIN),
        (39.0, "", False, PLAIN),
    ],
)
def test_displayed_text_looks(value: float, shown: str, percent: bool, look: Look) -> None:
    assert display_look(value, shown, percent=percent) == look


# -- both adapters ---------------------------------------------------------------------------------


def formatted_book() -> openpyxl.Workbook:
    """A percent cell, a scaled cell, a unit, plain numbers, a hidden row and a hidden column range."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Blad"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"], ws["E1"] = "Län", 0.25, 750_000, 39, 12.5
    ws["B1"].number_format = "0%"
    ws["C1"].number_format = "#,##0.00,,"
    ws["D1"].number_format = '0 "Mkr"'
    ws["E1"].number_format = "#,##0.00"
    ws["A2"], ws["B2"] = "dold rad", 1.2
    ws.row_dimensions[2].hidden = True
    ws["A3"], ws["H3"] = "synlig", 7
    ws.column_dimensions.group("F", "G", hidden=True)  # one <col min=6 max=7 hidden=1>
    ws["F3"] = 5
    return book


EXPECTED_LOOKS = {
    (0, 1): Look(percent=True),
    (0, 2): Look(scale=6),
    (0, 3): Look(unit="Mkr"),
}


def assert_formatted(grid: Grid) -> None:
    assert grid.looks == EXPECTED_LOOKS
    assert grid.look(0, 4) == PLAIN and grid.look(2, 7) == PLAIN and grid.look(0, 0) == PLAIN
    assert [r for r in range(4) if grid.row_hidden(r)] == [1]
    assert [c for c in range(9) if grid.col_hidden(c)] == [5, 6]
    assert grid.get(0, 2) == 750_000 and grid.get(1, 1) == 1.2  # the values stay as stored


def test_xlsx_looks_and_hidden(tmp_path: Path) -> None:
    path = tmp_path / "indata.xlsx"
    formatted_book().save(path)
    assert_formatted(XlsxBook(path).grid("Blad"))


def patched_sheet(path: Path, *edits: tuple[str, str]) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for old, new in edits:
        assert old in xml, old
        xml = xml.replace(old, new, 1)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def four_rows(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    for r in range(1, 5):
        book.active.cell(r, 1).value = book.active.cell(r, 3).value = r
    path = tmp_path / "indata.xlsx"
    book.save(path)
    return path


def test_xlsx_rows_and_columns_of_no_size_are_hidden(tmp_path: Path) -> None:
    """A row 0 high and a column 0 wide show nothing, as if hidden (openpyxl writes neither)."""
    path = patched_sheet(
        four_rows(tmp_path),
        ('<row r="2">', '<row r="2" ht="0" customHeight="1">'),
        ("<sheetData>", '<cols><col min="3" max="3" width="0" customWidth="1"/></cols><sheetData>'),
    )
    grid = XlsxBook(path).grid("Sheet")
    assert (grid.hidden_rows, grid.hidden_cols) == (frozenset({1}), frozenset({2}))


def test_xlsx_zero_height_hides_every_row_without_its_own_height(tmp_path: Path) -> None:
    path = patched_sheet(
        four_rows(tmp_path),
        ("<sheetFormatPr ", '<sheetFormatPr zeroHeight="1" '),
        ('<row r="3">', '<row r="3" ht="15" customHeight="1">'),
    )
    assert XlsxBook(path).grid("Sheet").hidden_rows == frozenset({0, 1, 3})


def test_libreoffice_ods_looks_and_hidden(tmp_path: Path) -> None:
    """The same workbook saved as .ods by LibreOffice: its displayed text and table:visibility."""
    source = tmp_path / "indata.xlsx"
    formatted_book().save(source)
    libreoffice_convert([source], "ods", tmp_path, profile=tmp_path / "profile")
    assert_formatted(OdsBook(tmp_path / "indata.ods").grid("Blad"))


def float_cell(value: str, shown: str, kind: str = "float", repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell{repeated} office:value-type="{kind}" office:value="{value}" '
        f'calcext:value-type="{kind}"><text:p>{shown}</text:p></table:table-cell>'
    )


def ods_path(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "indata.ods"
    content = document(f'<table:table table:name="Blad" table:style-name="ta1">{body}</table:table>')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in package(content).items():
            archive.writestr(name, data)
    return path


def test_ods_hidden_ranges_are_compact(tmp_path: Path) -> None:
    """A hidden column range repeated 1024 times, hidden and filtered rows repeated over a million
    times: only the columns hidden and the rows holding a cell are kept."""
    body = (
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:visibility="collapse" table:number-columns-repeated="1024"/>'
        '<table:table-column table:number-columns-repeated="15358"/>'
        f"<table:table-row>{float_cell('1', '1')}</table:table-row>"
        f'<table:table-row table:visibility="filter">{float_cell("2", "2", repeat=3)}</table:table-row>'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        f"<table:table-row>{float_cell('0.5', '50%', 'percentage')}</table:table-row>"
        '<table:table-row table:visibility="collapse" table:number-rows-repeated="1048570">'
        "<table:table-cell/></table:table-row>"
    )
    grid = OdsBook(ods_path(tmp_path, body)).grid("Blad")
    assert grid.hidden_cols == frozenset(range(2, 1026))
    assert grid.hidden_rows == frozenset({1})
    assert grid.row_hidden(1) and not grid.row_hidden(0) and not grid.row_hidden(4)
    assert grid.row_hidden(1_000_000) is False  # rows without cells need not be listed
    assert grid.looks == {(4, 0): Look(percent=True)}


def test_ods_repeated_cells_share_their_look(tmp_path: Path) -> None:
    cells = float_cell("39", "39 Mkr", repeat=3) + float_cell("39", "39")
    body = f"<table:table-row>{cells}</table:table-row>"
    grid = OdsBook(ods_path(tmp_path, body)).grid("Blad")
    assert grid.looks == {(0, c): Look(unit="Mkr") for c in range(3)}


def test_text_and_plain_cells_have_no_look(tmp_path: Path) -> None:
    path = tmp_path / "indata.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"], ws["B1"], ws["C1"] = "39 Mkr", 39, True
    ws["A1"].number_format = ws["C1"].number_format = '0 "Mkr"'
    book.save(path)
    grid = XlsxBook(path).grid("Sheet")
    assert grid.looks == {}  # text and a boolean under a unit format, a plain number
    assert grid.hidden_rows == frozenset() and grid.hidden_cols == frozenset()
