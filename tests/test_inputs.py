"""Telling the files of a run apart by their content: input workbooks, SCB population exports, our own
results, and everything else."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard.inputs import Kind, classify, find_inputs, scan
from sjukmiljard.runlog import LOG_NAME
from sjukmiljard.words.regions import NAMES

from .conftest import FIXTURES, ROOT, SAMPLES, save, small_book, word_document
from .scb_exports import FORMATS, UNUSABLE, population_table, pxweb_json, unusable
from .scb_exports import save as save_export

SCB_EXPORTS = sorted(p for p in (FIXTURES / "scb").iterdir() if p.suffix != ".py")


@pytest.mark.parametrize("path", SCB_EXPORTS, ids=lambda p: p.name)
def test_every_scb_export_layout_is_a_population_file(path: Path) -> None:
    assert classify(path) is Kind.POPULATION


@pytest.mark.parametrize("path", SCB_EXPORTS, ids=lambda p: p.name)
def test_scb_exports_are_recognised_whatever_their_name(path: Path, tmp_path: Path) -> None:
    renamed = Path(shutil.copy(path, tmp_path / "nedladdad"))
    if path.suffix == ".xlsx":
        renamed = renamed.rename(tmp_path / "indata.xlsx")
    assert classify(renamed) is Kind.POPULATION


@pytest.mark.parametrize("path", [*SAMPLES, ROOT / "templates" / "indata-mall.xlsx"], ids=lambda p: p.name)
def test_input_workbooks(path: Path) -> None:
    assert classify(path) is Kind.WORKBOOK


def test_a_result_is_known_by_its_name(sample: Path, tmp_path: Path) -> None:
    result = Path(shutil.copy(sample, tmp_path / "indata-resultat (2).xlsx"))
    assert classify(result) is Kind.RESULT
    assert [item.converted for item in scan([result])] == [True], "given by name, a result is converted"


def test_scb_table_without_month_is_still_an_scb_file(tmp_path: Path) -> None:
    """The yearly table instead of the monthly one: the SCB reader says what to choose."""
    path = tmp_path / "befolkning.csv"
    lines = ['"region","2019"', '"01 Stockholms län",2374550', '"03 Uppsala län",383044']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert classify(path) is Kind.POPULATION


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("indata.xlsx", b"PK\x03\x04 truncated"),
        ("indata.xlsx", b"not a zip at all"),
    ],
)
def test_broken_xlsx_is_left_to_the_reader(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert classify(path) is Kind.WORKBOOK


def test_workbook_without_befolkning_sheet_is_left_to_the_reader(tmp_path: Path) -> None:
    book = small_book()
    book["Befolkning"].title = "Folkmängd"
    assert classify(save(book, tmp_path)) is Kind.WORKBOOK


def test_an_scb_export_with_a_befolkning_sheet_is_taken_for_a_workbook(tmp_path: Path) -> None:
    """The cheap look at sheet names decides first: a sheet named Befolkning means an input."""
    book = openpyxl.load_workbook(FIXTURES / "scb" / "excel-kod-och-text-i-tva-kolumner.xlsx")
    book.active.title = "Befolkning"
    path = tmp_path / "scb.xlsx"
    book.save(path)
    assert classify(path) is Kind.WORKBOOK


@pytest.mark.parametrize(
    ("name", "data", "hint"),
    [
        ("anteckning.txt", "Ring SKR om villkor 3 på måndag".encode(), None),
        ("tabell.csv", b"a;b;c\n1;2;3\n", None),
        ("brev.docx", word_document(), None),
        ("rapport.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x00endobj\n", None),
        ("gammal.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "det gamla Excel-formatet .xls"),
        ("bok.xlsb", b"PK\x03\x04", "binär Excel-arbetsbok"),
    ],
)
def test_other_files_and_what_they_are_not(tmp_path: Path, name: str, data: bytes, hint: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    (found,) = scan([path])
    assert found.kind is Kind.OTHER and found.named and not found.converted
    assert found.why.startswith(
        "filen är varken en indata-arbetsbok (.xlsx, .xlsm, .ods) eller en befolkningsfil från SCB:s "
        "statistikdatabas"
    )
    if hint:
        assert hint in found.why and "spara den som .xlsx i Excel" in found.why


def test_folder_scan_classifies_every_file_and_skips_ours_quietly(sample: Path, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "scb" / "befolkning-2018M12-2019M11.csv", tmp_path / "scb.csv")
    (tmp_path / "brev.docx").write_bytes(word_document())
    (tmp_path / "~$sjukskrivningsmiljarden-2020.xlsx").write_bytes(b"lock")
    (tmp_path / "~$brev.docx").write_bytes(b"lock")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / "desktop.ini").write_text("[.ShellClassInfo]")
    (tmp_path / ".~sjukmiljard-0123.tmp").write_bytes(b"half")
    (tmp_path / LOG_NAME).write_text("Tid;Indata\n", encoding="utf-8")
    (tmp_path / "gammal-resultat.xlsx").write_bytes(b"old")
    (tmp_path / "gammal-resultat 2019-12-02 09.00.00.xlsx").write_bytes(b"old")
    (tmp_path / "undermapp").mkdir()
    (tmp_path / "undermapp" / "annan.xlsx").write_bytes(b"not looked at")
    found = [(item.path.name, item.kind, item.named) for item in scan([tmp_path])]
    assert found == [
        ("brev.docx", Kind.OTHER, False),
        ("scb.csv", Kind.POPULATION, False),
        ("sjukskrivningsmiljarden-2020.xlsx", Kind.WORKBOOK, False),
    ]
    assert find_inputs([tmp_path]) == [sample]


def test_a_file_given_twice_is_one_input(sample: Path, tmp_path: Path) -> None:
    assert [item.path for item in scan([sample, tmp_path, sample])] == [sample]


def test_a_workbook_without_months_is_never_parsed_as_an_scb_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader reads cells sparsely; the SCB reader does not, so a stray cell far out must not
    reach it (nor any second parse of an ordinary workbook)."""
    import sjukmiljard.scb.population

    def never(path: Path) -> bool:
        raise AssertionError(f"{path} was parsed as an SCB export")

    monkeypatch.setattr(sjukmiljard.scb.population, "is_population_export", never)
    book = small_book()
    book["Befolkning"].title = "Folkmängd"
    book["Villkor 1"].title = "Blad 1"
    book["Villkor 3"].title = "Blad 3"
    book["Blad 1"]["XFD1048576"] = "långt ut"
    assert classify(save(book, tmp_path)) is Kind.WORKBOOK
    book["Blad 1"]["A30"] = "Befolkning 2019M11"
    with pytest.raises(AssertionError, match="parsed as an SCB export"):
        classify(save(book, tmp_path, "med-manad.xlsx"))


@pytest.mark.parametrize("name", ["bok.ods", "makron.xlsm", "namnbytt.xlsx", "utan-filändelse"])
def test_every_workbook_kind_is_an_input_by_its_content(tmp_path: Path, name: str) -> None:
    """.xlsm and .ods are workbooks, and so is a workbook under another name (an .ods named .xlsx)."""
    from .odf import ods_bytes

    book = small_book()
    data = ods_bytes(book) if name != "makron.xlsm" else _xlsx_bytes(book)
    (tmp_path / name).write_bytes(data)
    (found,) = scan([tmp_path])
    assert found.kind is Kind.WORKBOOK and found.converted


def _xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_of_an_scb_export_is_a_population_file(tmp_path: Path, fmt: str) -> None:
    path = save_export(population_table(), fmt, tmp_path, stem="hämtad")
    assert classify(path) is Kind.POPULATION


def test_the_json_of_scbs_api_is_a_population_file(tmp_path: Path) -> None:
    """PxWeb API version 1's `format=json` (codes only), as a folder run finds it: used, not skipped."""
    path = tmp_path / "hämtad.json"
    path.write_bytes(pxweb_json(population_table(), eliminated=("Alder", "Kon")))
    assert classify(path) is Kind.POPULATION


@pytest.mark.parametrize("kind", UNUSABLE)
def test_an_scb_export_that_cannot_be_used_is_still_a_population_file(tmp_path: Path, kind: str) -> None:
    """So that the run stops, rather than skip it or take it for a broken input workbook."""
    assert classify(unusable(kind, tmp_path)) is Kind.POPULATION


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("lista.csv", b"namn;telefon\nAnna;0701234567\nBo;0707654321\n"),
        ("brev.txt", "Hej! Befolkningen i Stockholm och Uppsala växer, skriver SCB.".encode()),
        ("data.json", b'{"namn": "Anna", "tal": [1, 2, 3]}'),
        ("sida.html", b"<html><body><p>Ingen tabell 2019M11</p></body></html>"),
        (
            "gammal.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "Villkor 1 Stockholms län".encode("utf-16-le"),
        ),
    ],
)
def test_a_stray_file_is_no_population_file(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert classify(path) is Kind.OTHER


@pytest.mark.parametrize(
    "heading",
    [
        '"Län";"Budget Mkr"',
        '"Region","Belopp (tkr)"',
        '"län"\t"Anslag, kronor"',
        '"Län";"Att betala ut, SEK"',
    ],
)
@pytest.mark.parametrize("start", [100, 23_745])
def test_money_per_lan_is_no_population_file(tmp_path: Path, heading: str, start: int) -> None:
    """A budget or payment per län lists the län with figures, even of four digits, but no month:
    not the wrong SCB table (which stops a run) but no population file at all (skipped)."""
    sep = ";" if ";" in heading else "\t" if "\t" in heading else ","
    path = tmp_path / "budget.csv"
    rows = [heading, *(f'"{name}"{sep}{start + k}' for k, name in enumerate(NAMES))]
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    assert classify(path) is Kind.OTHER


def test_an_old_input_workbook_saved_as_xls_is_no_population_file(tmp_path: Path) -> None:
    """Its län and figures, even SCB as the source, are not an SCB export: it has villkor."""
    text = " ".join(NAMES) + " Befolkning 1/11 2019 Källa: SCB Villkor 1 Pot belopp, Mkr"
    path = tmp_path / "indata.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + text.encode("utf-16-le"))
    assert classify(path) is Kind.OTHER
