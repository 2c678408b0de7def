"""An SCB export as grids: text split every way PxWeb writes it, cells named by line; an .xlsx through
the shared adapter, with its checks and messages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard.errors import InputRejected
from sjukmiljard.formats import MAX_FILE_BYTES, OLE_MAGIC, UNSAFE_XML
from sjukmiljard.inputs import Kind, classify
from sjukmiljard.scb.files import DELIMITERS, load, text_grids
from sjukmiljard.scb.population import read_population_file

from .conftest import small_book
from .odf import save_ods
from .scb_exports import NOV_2019, population_table, xlsx

FIXTURES = Path(__file__).parent / "fixtures" / "scb"
EXCEL = FIXTURES / "excel-kod-och-text-i-tva-kolumner.xlsx"


def refusal(path: Path) -> str:
    with pytest.raises(InputRejected) as caught:
        load(path)
    (problem,) = caught.value.problems
    return problem.message


def test_every_delimiter_is_offered_the_most_consistent_first() -> None:
    grids = text_grids('"region";"2019M11"\n"01 Stockholms län";"2 374 550"\n', "scb.csv")

    assert len(grids) == len(DELIMITERS)
    assert grids[0].rows == {0: {0: "region", 1: "2019M11"}, 1: {0: "01 Stockholms län", 1: "2 374 550"}}
    assert [grid.title for grid in grids] == ["scb.csv"] * 3


def test_a_text_row_is_named_by_the_line_it_ends_on() -> None:
    text = 'region,2019M11\n\n"01 Stockholms\nlän",2374550\n03 Uppsala län,383044\n'
    (grid, *_) = text_grids(text, "scb.csv")

    assert grid.ref(2, 1) == "rad 4"  # the quoted name spans lines 3 and 4
    assert grid.ref(3, 0) == "rad 5"
    assert 1 not in grid.rows  # the blank line holds no cells


def test_a_sheet_is_a_grid_named_as_a1_and_hidden_sheets_are_left_out(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(EXCEL)
    hidden = book.create_sheet("Dold", 0)
    hidden["B2"] = "2019M11"
    hidden.sheet_state = "hidden"
    path = tmp_path / "scb.xlsx"
    book.save(path)

    (grid,) = load(path)

    assert grid.title == book.worksheets[1].title
    assert grid.lines is None
    assert grid.ref(10, 2) == "C11"


def test_an_xlsx_with_entities_is_refused_as_unsafe_like_any_input(tmp_path: Path) -> None:
    path = tmp_path / "scb.xlsx"
    with zipfile.ZipFile(EXCEL) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            target.writestr(item, data)

    assert refusal(path) == UNSAFE_XML


def test_a_text_file_over_the_size_limit_says_what_to_download(tmp_path: Path) -> None:
    path = tmp_path / "scb.csv"
    path.write_bytes(b"region,2019M11\n" + b" " * MAX_FILE_BYTES)

    assert refusal(path) == "filen är större än 20 MB – välj bara länen och månaderna du behöver"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scb.csv", b"  \r\n", "filen är tom"),
        ("scb.csv", OLE_MAGIC, "filen är det gamla Excel-formatet .xls, som inte kan läsas"),
        ("scb.csv", b"region,2019M11\x00\n", "filen har NUL-tecken (byte 0) i texten och är skadad"),
    ],
)
def test_files_that_cannot_be_an_scb_export(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    assert refusal(path).startswith(message)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    assert refusal(tmp_path) == "är en mapp, inte en fil"


def test_an_export_saved_as_ods_is_read(tmp_path: Path) -> None:
    """A probe: an SCB table opened in LibreOffice and saved as .ods was taken for a broken input
    workbook, and the workbook converted with its old population."""
    saved = xlsx(population_table(months=("2019M11", "2019M12")), tmp_path / "scb.xlsx")
    path = save_ods(openpyxl.load_workbook(saved), tmp_path, "befolkning.ods")
    assert classify(path) is Kind.POPULATION
    read = read_population_file(path)
    assert read.month == "2019M12" and dict(read.population.counts) == {n: c for n, c in NOV_2019.items()}


def test_an_ods_workbook_is_no_scb_export(tmp_path: Path) -> None:
    book = small_book()
    book["Befolkning"]["A1"] = "Befolkning 2019M11 enligt SCB"  # SCB's words in a workbook
    assert classify(save_ods(book, tmp_path, "indata.ods")) is Kind.WORKBOOK


def test_the_population_on_two_sheets_is_refused_naming_them(tmp_path: Path) -> None:
    """A probe: two downloads pasted into one workbook, 2019M12 and 2020M01: the first sheet was used
    without a word."""
    first = openpyxl.load_workbook(xlsx(population_table(months=("2019M12",)), tmp_path / "a.xlsx"))
    second = openpyxl.load_workbook(xlsx(population_table(months=("2020M01",)), tmp_path / "b.xlsx"))
    first.active.title = "BE0101N1"
    copy = first.create_sheet("BE0101N1 (2)")
    for row in second.active.iter_rows(values_only=True):
        copy.append(list(row))
    first.save(tmp_path / "befolkning.xlsx")
    with pytest.raises(InputRejected) as caught:
        read_population_file(tmp_path / "befolkning.xlsx")
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        "filen har befolkningen på 2 blad ('BE0101N1', 'BE0101N1 (2)') – vilket gäller?"
    )
