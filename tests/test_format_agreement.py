"""The .xlsx and .ods adapters read what the officer sees, and the same workbook the same way in
either format: content a merged cell covers is not read, text LibreOffice shows is read as text."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sjukmiljard import read_workbook
from sjukmiljard.read.ods import OdsBook
from sjukmiljard.read.xlsx import XlsxBook

from .conftest import save, save_as, small_book
from .odf import save_ods

COVERED_ROW = 28  # below Villkor 3's RIKET row (25), its empty row and SKR


def replaced(path: Path, part: str, old: str, new: str) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts[part].decode()
    assert text.count(old) == 1, old
    parts[part] = text.replace(old, new).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def with_hidden_content(fmt: str, folder: Path) -> Path:
    """Villkor 3 with A28:C28 merged over a hidden 1,2 in B28, as Excel and LibreOffice keep it when
    the officer merges cells and keeps their content: the display shows only A28's note."""
    book = small_book()
    ws = book["Villkor 3"]
    ws[f"A{COVERED_ROW}"], ws[f"B{COVERED_ROW}"] = "Anmärkning", 1.2
    if fmt == "xlsx":
        path = save(book, folder)
        sheet = "xl/worksheets/sheet3.xml"
        merge = f'<mergeCells count="1"><mergeCell ref="A{COVERED_ROW}:C{COVERED_ROW}"/></mergeCells>'
        return replaced(path, sheet, "</sheetData>", f"</sheetData>{merge}")
    path = save_ods(book, folder)
    covered = (
        "<text:p>Anmärkning</text:p></table:table-cell>"
        '<table:table-cell office:value-type="float" office:value="1.2" calcext:value-type="float">'
        "<text:p>1.2</text:p></table:table-cell>"
        '<table:table-cell table:number-columns-repeated="16382"/>'
    )
    hidden = (
        "<text:p>Anmärkning</text:p></table:table-cell>"
        '<table:covered-table-cell office:value-type="float" office:value="1.2" '
        'calcext:value-type="float"><text:p>1.2</text:p></table:covered-table-cell>'
        '<table:covered-table-cell/><table:table-cell table:number-columns-repeated="16381"/>'
    )
    path = replaced(path, "content.xml", covered, hidden)
    note = '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Anmärkning'
    spanned = note.replace("<table:table-cell ", '<table:table-cell table:number-columns-spanned="3" ')
    return replaced(path, "content.xml", note, spanned)


def test_covered_content_is_not_read(fmt: str, tmp_path: Path) -> None:
    path = with_hidden_content(fmt, tmp_path)
    book = XlsxBook(path) if fmt == "xlsx" else OdsBook(path)
    grid = book.grid("Villkor 3")
    assert grid.get(COVERED_ROW - 1, 0) == "Anmärkning"
    assert grid.get(COVERED_ROW - 1, 1) is None


def test_covered_content_reads_as_the_note_alone(fmt: str, tmp_path: Path) -> None:
    note_only = small_book()
    note_only["Villkor 3"][f"A{COVERED_ROW}"] = "Anmärkning"
    (tmp_path / "plain").mkdir()
    expected = read_workbook(save_as(note_only, tmp_path / "plain", fmt))
    assert read_workbook(with_hidden_content(fmt, tmp_path)) == expected


def test_an_untyped_ods_cell_is_its_text(tmp_path: Path) -> None:
    """A cell without office:value-type (other writers leave it out): LibreOffice shows its text, so
    the reader reads that text, as it reads the same text typed in an .xlsx."""
    book = small_book()
    book["Villkor 3"]["B27"] = "39,000"
    (tmp_path / "xlsx").mkdir()
    expected = read_workbook(save(book, tmp_path / "xlsx"))
    typed = '<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>39,000'
    path = replaced(save_ods(book, tmp_path), "content.xml", typed, "<table:table-cell><text:p>39,000")
    assert OdsBook(path).grid("Villkor 3").get(26, 1) == "39,000"
    read = read_workbook(path)
    assert (read.villkor, read.notices) == (expected.villkor, expected.notices)
    assert expected.villkor[1].national[0].amount == 39.0
