"""The .ods adapter and the container around it: what is read, and every file refused before or while
content.xml is parsed. The sheet rules themselves run for .ods in test_reader.py."""

from __future__ import annotations

import datetime as dt
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from sjukmiljard import InputRejected, read_workbook
from sjukmiljard.formats import MAX_FILE_BYTES, UNSAFE_XML
from sjukmiljard.read.ods import MAX_STORED_CELLS, OdsBook
from sjukmiljard.read.workbook import UNCACHED_FORMULA

from .conftest import RIKET, libreoffice_convert, save, small_book
from .odf import EMPTY_ROW, MIMETYPE, document, package, save_ods

DAMAGED_ODS = "filen är skadad eller avkortad – den går inte att öppna som .ods"
NOT_A_SPREADSHEET = "filen är inget OpenDocument-kalkylblad (.ods) eller är skadad"
ODS_PASSWORD = "arbetsboken är lösenordsskyddad – ta bort lösenordet i LibreOffice"
TOO_MANY_CELLS = re.compile(r"arbetsboken har minst [\d ]+ celler, fler än gränsen 300 000 – .*läses inte")
ZIP_BOMB = "filen packas upp till orimlig storlek (möjlig zip-bomb) och läses inte"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputRejected) as caught:
        read_workbook(path)
    return [str(p) for p in caught.value.problems]


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    """A zip with the parts in the given order, `mimetype` stored as ODF requires."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return path


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_content(tmp_path: Path, content: str, name: str = "indata.ods") -> Path:
    return write_parts(tmp_path / name, package(content))


def small_ods(tmp_path: Path, name: str = "indata.ods") -> Path:
    return save_ods(small_book(), tmp_path, name)


def patched(path: Path, part: str, old: str, new: str) -> Path:
    parts = parts_of(path)
    text = parts[part].decode()
    assert old in text, text[:2000]
    parts[part] = text.replace(old, new, 1).encode()
    return write_parts(path, parts)


def table(name: str, rows: str) -> str:
    return f'<table:table table:name="{name}" table:style-name="ta1">{rows}</table:table>'


def row(cells: str, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{cells}</table:table-row>"


def text_cell(*paragraphs: str) -> str:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    return (
        f'<table:table-cell office:value-type="string" calcext:value-type="string">{body}</table:table-cell>'
    )


# -- the writer is honest --------------------------------------------------------------------------


def test_the_writer_mirrors_libreoffice(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == MIMETYPE.encode()
        content = archive.read("content.xml").decode()
    # Every row is 16 384 cells wide and every sheet 1 048 576 rows long, as LibreOffice writes them.
    assert '<table:table-cell table:number-columns-repeated="16383"/>' in content
    assert 'table:number-rows-repeated="1048546"' in content


def test_libreoffice_reads_the_writers_files_as_written(tmp_path: Path) -> None:
    """Proof that the test files are real .ods: LibreOffice opens one and saves what we wrote."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Blad"
    ws["A1"] = "rad ett\nrad två"
    ws["B1"] = dt.datetime(2019, 11, 1)
    ws["C1"] = True
    ws["D1"] = 1.5
    ws["A2"] = "#DIV/0!"
    ws["B2"] = "=D1*2"  # no value stored: LibreOffice calculates it on loading
    ws["C2"] = "a  b   c"
    ws["A3"] = "med kommentar"
    ws["A3"].comment = Comment("en kommentar", "")
    for c in range(1, 5):
        ws.cell(5, c, 7)
    ws["F10"] = 1
    hidden = book.create_sheet("Dold")
    hidden.sheet_state = "hidden"
    hidden["A1"] = 1
    path = save_ods(book, tmp_path, "skriven.ods")
    libreoffice_convert([path], "xlsx:Calc MS Excel 2007 XML", tmp_path / "ut", profile=tmp_path / "profil")
    back = openpyxl.load_workbook(tmp_path / "ut" / "skriven.xlsx", data_only=True)
    values = {
        (ws.title, cell.coordinate): cell.value
        for ws in back.worksheets
        for line in ws.iter_rows()
        for cell in line
        if cell.value is not None
    }
    assert values == {
        ("Blad", "A1"): "rad ett\nrad två",
        ("Blad", "B1"): dt.datetime(2019, 11, 1),
        ("Blad", "C1"): True,
        ("Blad", "D1"): 1.5,
        ("Blad", "A2"): "#DIV/0!",
        ("Blad", "B2"): 3,
        ("Blad", "C2"): "a  b   c",
        ("Blad", "A3"): "med kommentar",
        **{("Blad", f"{c}5"): 7 for c in "ABCD"},
        ("Blad", "F10"): 1,
        ("Dold", "A1"): 1,
    }
    assert back["Dold"].sheet_state == "hidden"
    assert back["Blad"]["A3"].comment.text.strip() == "en kommentar"


# -- cells -----------------------------------------------------------------------------------------


def test_cells_as_libreoffice_stores_them(tmp_path: Path) -> None:
    """Values the way LibreOffice writes them: text:s and text:tab inside a line, several lines,
    spans and links, a comment beside the text, equal cells repeated, numbers kept as numbers."""
    rows = (
        row(
            text_cell('a <text:s/>b <text:s text:c="2"/>c')
            + text_cell('<text:s text:c="2"/>indraget')
            + text_cell("rad ett", "rad två")
            + text_cell(
                'en <text:span text:style-name="T1">fet</text:span> <text:a xlink:href="x">länk</text:a>'
            )
            + text_cell("före<text:tab/>efter<text:line-break/>ny rad")
        )
        + row(
            '<table:table-cell office:value-type="string" calcext:value-type="string">'
            "<office:annotation><dc:date>2019-12-02T09:00:00</dc:date><text:p>kommentaren</text:p>"
            "</office:annotation><text:p>texten</text:p></table:table-cell>"
            "<table:table-cell><office:annotation><text:p>bara en kommentar</text:p></office:annotation>"
            "</table:table-cell>"
            '<table:table-cell table:number-columns-repeated="3" office:value-type="float" office:value="7" '
            'calcext:value-type="float"><text:p>7</text:p></table:table-cell>'
        )
        + row(
            '<table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25%</text:p>'
            "</table:table-cell>"
            '<table:table-cell office:value-type="currency" office:currency="SEK" office:value="39">'
            "<text:p>39 kr</text:p></table:table-cell>"
            '<table:table-cell office:value-type="date" office:date-value="2019-11-01T00:00:00">'
            "<text:p>2019-11-01</text:p></table:table-cell>"
            '<table:table-cell office:value-type="boolean" office:boolean-value="false">'
            "<text:p>FALSE</text:p></table:table-cell>"
            '<table:table-cell office:value-type="string" office:string-value="lagrat värde">'
            "<text:p>visad text</text:p></table:table-cell>"
        )
    )
    content = document(table("Blad", rows)).replace(
        "<office:document-content ", '<office:document-content xmlns:xlink="http://www.w3.org/1999/xlink" '
    )
    grid = OdsBook(with_content(tmp_path, content)).grid("Blad")
    assert grid.rows == {
        0: {
            0: "a  b   c",
            1: "  indraget",
            2: "rad ett\nrad två",
            3: "en fet länk",
            4: "före\tefter\nny rad",
        },
        1: {0: "texten", 2: 7.0, 3: 7.0, 4: 7.0},
        2: {0: 0.25, 1: 39.0, 2: dt.datetime(2019, 11, 1), 3: False, 4: "lagrat värde"},
    }


def test_comments_are_not_cell_text(tmp_path: Path) -> None:
    book = small_book()
    ws = book["Villkor 1"]
    ws.cell(RIKET + 1, 1).comment = Comment("Belopp enligt beslut 2019-12-02", "")  # on an empty row
    ws.cell(RIKET + 2, 1).comment = Comment("Datumet ska ändras", "")  # on the note
    ws.cell(RIKET, 2).comment = Comment("100 enligt överenskommelsen", "")  # on the pot
    indata = read_workbook(save_ods(book, tmp_path))
    assert indata.villkor[0].notes == ("Utbetalning sker senast 27 januari 2021",)
    assert indata.villkor[0].pots[0].amount == 100


def test_error_cells_stay_errors(tmp_path: Path) -> None:
    """LibreOffice stores an error as a string with an empty value; it must not read as empty."""
    book = small_book()
    book["Villkor 3"][f"C{RIKET}"] = "#DIV/0!"
    book["Villkor 3"][f"B{RIKET + 2}"] = "#N/A"
    assert problems_of(save_ods(book, tmp_path)) == [
        f"Villkor 3!C{RIKET}: cellen innehåller felvärdet #DIV/0! – rätta formeln",
        f"Villkor 3!B{RIKET + 2}: cellen innehåller felvärdet #N/A – rätta formeln",
    ]


def test_formulas_with_values_are_read(tmp_path: Path) -> None:
    book = small_book()
    book["Villkor 1"][f"B{RIKET}"] = "=60+40"
    book["Befolkning"][f"B{RIKET}"] = f"=SUM(B4:B{RIKET - 1})"
    cached = {("Villkor 1", f"B{RIKET}"): 100, ("Befolkning", f"B{RIKET}"): 10319473}
    path = save_ods(book, tmp_path, cached=cached)
    assert "of:=SUM([.B4:.B24])" in parts_of(path)["content.xml"].decode()
    assert read_workbook(path).villkor[0].pot_total == 100


def test_every_uncalculated_formula_is_named_once_per_sheet(tmp_path: Path) -> None:
    book = small_book()
    for r in (4, 5, 6):
        book["Befolkning"][f"B{r}"] = f"=B{r + 10}*1"
    assert problems_of(save_ods(book, tmp_path)) == [
        "Befolkning: 3 formler har inget beräknat värde (B4, B5, B6) – öppna arbetsboken i Excel eller "
        "LibreOffice, spara den och kör igen"
    ]


def test_a_typed_formula_without_its_value_is_uncalculated(tmp_path: Path) -> None:
    """Some writers declare a formula's type but store no value: the formula was never calculated."""
    path = small_ods(tmp_path)
    patched(
        path,
        "content.xml",
        'office:value-type="float" office:value="100" calcext:value-type="float"',
        'table:formula="of:=60+40" office:value-type="float" calcext:value-type="float"',
    )
    assert problems_of(path) == [f"Villkor 1!B{RIKET}: {UNCACHED_FORMULA}"]


def test_a_typed_value_without_its_value_is_damage(tmp_path: Path) -> None:
    """Not the text shown instead: it may be rounded (23,010 for 23,0104)."""
    path = small_ods(tmp_path)
    patched(path, "content.xml", 'office:value="100"', "")
    assert problems_of(path) == ["filen är skadad och kunde inte läsas (ValueError)"]


def test_repeats_that_are_not_positive_are_damage(tmp_path: Path) -> None:
    """A negative repeat would move every row after it onto others: a wrong figure, not a read."""
    path = small_ods(tmp_path)
    patched(
        path,
        "content.xml",
        f'<table:table-row table:style-name="ro1">{EMPTY_ROW}</table:table-row>',
        f'<table:table-row table:style-name="ro1" table:number-rows-repeated="-1">{EMPTY_ROW}'
        "</table:table-row>",
    )
    (problem,) = problems_of(path)
    assert problem == "filen är skadad och kunde inte läsas (ValueError)"


def test_a_value_beyond_the_sheets_last_column_is_damage(tmp_path: Path) -> None:
    """No program shows it, and it has no cell name to report it by."""
    rows = row('<table:table-cell table:number-columns-repeated="16384"/>' + text_cell("utanför"))
    (problem,) = problems_of(with_content(tmp_path, document(table("Befolkning", rows))))
    assert problem == "filen är skadad och kunde inte läsas (ValueError)"
    rows = row(EMPTY_ROW, repeat=1_048_576) + row(text_cell("nedanför"))
    (problem,) = problems_of(with_content(tmp_path, document(table("Befolkning", rows))))
    assert problem == "filen är skadad och kunde inte läsas (ValueError)"
    # Empty cells past the edge, as some writers pad rows, are no value.
    rows = row(
        text_cell("Befolkning 1/11 2019") + '<table:table-cell table:number-columns-repeated="20000"/>'
    )
    assert OdsBook(with_content(tmp_path, document(table("Blad", rows)))).grid("Blad").rows == {
        0: {0: "Befolkning 1/11 2019"}
    }


def test_hidden_sheet_by_its_table_style(tmp_path: Path) -> None:
    book = small_book()
    book["Villkor 3"].sheet_state = "hidden"
    path = save_ods(book, tmp_path)
    assert 'table:name="Villkor 3" table:style-name="ta2"' in parts_of(path)["content.xml"].decode()
    # A hidden villkor is a doubt: refused without the agreement total, set aside by one that agrees
    # without it.
    assert any(
        p.startswith("Villkor 3!B25: bladet räknas inte som villkor: bladet är dolt")
        for p in problems_of(path)
    )
    book["Befolkning"]["A2"], book["Befolkning"]["B2"] = "Överenskommelsens totalbelopp, Mkr", 101.2
    indata = read_workbook(save_ods(book, tmp_path))
    assert [v.name for v in indata.villkor] == ["Villkor 1"]
    assert indata.notices == ("Bladet 'Villkor 3' räknas inte som villkor: bladet är dolt",)


def test_sheet_names_only_an_ods_can_have(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    patched(path, "content.xml", 'table:name="Villkor 3"', 'table:name="VILLKOR 1"')
    assert problems_of(path) == [
        "bladen 'Villkor 1' och 'VILLKOR 1' har samma namn för Excel, som inte skiljer på stora och små "
        "bokstäver – byt namn på det ena"
    ]
    path = small_ods(tmp_path)
    patched(path, "content.xml", 'table:name="Villkor 3"', 'table:name="Villkor 3/4"')
    assert problems_of(path) == ["Villkor 3/4: bladnamnet innehåller /, som Excel inte tillåter"]
    path = small_ods(tmp_path)
    patched(path, "content.xml", 'table:name="Villkor 3"', 'table:name=" "')
    assert problems_of(path) == ["ett blad saknar namn – ge det ett namn i Excel"]


def test_a_far_cell_is_read_sparsely_and_fast(tmp_path: Path) -> None:
    book = small_book()
    book["Villkor 1"].cell(1_000_000, 16_000, "anteckning långt bort")
    path = save_ods(book, tmp_path)
    started = time.perf_counter()
    ods = OdsBook(path)
    seconds = time.perf_counter() - started
    grid = ods.grid("Villkor 1")
    assert grid.get(999_999, 15_999) == "anteckning långt bort"
    held = sum(cell.value is not None for cell in book["Villkor 1"]._cells.values())
    assert sum(len(cells) for cells in grid.rows.values()) == held  # what the sheet holds, nothing more
    assert seconds < 2
    assert read_workbook(path).villkor[0].notes[-1] == "anteckning långt bort"


def test_repeated_rows_beyond_the_cell_cap_are_refused(tmp_path: Path) -> None:
    """A few bytes can claim a sheet full of values; they are counted before they are stored."""
    cell = '<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1"/>'
    rows = row(cell, repeat=MAX_STORED_CELLS // 2 + 1)
    started = time.perf_counter()
    [message] = problems_of(with_content(tmp_path, document(table("Befolkning", rows))))
    assert TOO_MANY_CELLS.fullmatch(message)
    assert time.perf_counter() - started < 2
    wide = (
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell>"
    )
    rows = "".join(row(wide) for _ in range(MAX_STORED_CELLS // 16384 + 1))
    [message] = problems_of(with_content(tmp_path, document(table("Befolkning", rows))))
    assert TOO_MANY_CELLS.fullmatch(message)


def test_repeated_empty_rows_cost_nothing(tmp_path: Path) -> None:
    rows = row(EMPTY_ROW, repeat=1_048_575) + row(text_cell("sist"))
    grid = OdsBook(with_content(tmp_path, document(table("Blad", rows)))).grid("Blad")
    assert grid.rows == {1_048_575: {0: "sist"}}


# -- the container ---------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "tom.ods"
    path.write_bytes(b"")
    assert problems_of(path) == ["filen är tom"]


def test_truncated_file(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert problems_of(path) == [DAMAGED_ODS]


def test_corrupt_content(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("content.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 40, start + 60):
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    (problem,) = problems_of(path)
    assert problem.startswith("filen är skadad och kunde inte läsas (")


def test_content_that_is_not_xml(tmp_path: Path) -> None:
    path = with_content(tmp_path, "<office:document-content>inte avslutad")
    (problem,) = problems_of(path)
    assert problem.startswith("filen är skadad och kunde inte läsas (")


def test_another_opendocument_kind_is_not_a_spreadsheet(tmp_path: Path) -> None:
    """A text document (.odt) has a content.xml too; it is not read as a workbook with no sheets."""
    parts = package(document(""))
    parts["mimetype"] = b"application/vnd.oasis.opendocument.text"
    parts["content.xml"] = parts["content.xml"].replace(b"<office:spreadsheet>", b"<office:text>")
    parts["content.xml"] = parts["content.xml"].replace(b"</office:spreadsheet>", b"</office:text>")
    assert problems_of(write_parts(tmp_path / "brev.ods", parts)) == [NOT_A_SPREADSHEET]


def test_a_zip_without_content(tmp_path: Path) -> None:
    parts = package(document(""))
    del parts["content.xml"]
    assert problems_of(write_parts(tmp_path / "indata.ods", parts)) == [NOT_A_SPREADSHEET]


def test_encrypted_by_its_manifest(tmp_path: Path) -> None:
    """How LibreOffice saves with a password: the parts are encrypted, the manifest says how."""
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:'
        'manifest:1.0#sha256-1k" manifest:checksum="YWJj"><manifest:algorithm manifest:algorithm-name='
        '"http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="YWJj"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
        'manifest:iteration-count="100000" manifest:salt="YWJj"/></manifest:encryption-data>'
    )
    parts = package(document(""))
    parts["META-INF/manifest.xml"] = parts["META-INF/manifest.xml"].replace(
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
        + encryption.encode()
        + b"</manifest:file-entry>",
    )
    parts["content.xml"] = bytes(range(256)) * 8  # encrypted bytes, not XML
    assert problems_of(write_parts(tmp_path / "hemlig.ods", parts)) == [ODS_PASSWORD]


def test_entity_bomb_in_content_is_refused(tmp_path: Path) -> None:
    doctype = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    content = document(table("Befolkning", row(text_cell("&lol3;"))))
    content = content.replace("<office:document-content ", doctype + "<office:document-content ", 1)
    assert problems_of(with_content(tmp_path, content)) == [UNSAFE_XML]


def test_xxe_in_content_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "hemligt.txt"
    secret.write_text("Befolkning 1/11 2019")
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    content = document(table("Befolkning", row(text_cell("&xxe;"))))
    content = content.replace("<office:document-content ", doctype + "<office:document-content ", 1)
    with pytest.raises(InputRejected) as caught:
        read_workbook(with_content(tmp_path, content))
    assert [str(p) for p in caught.value.problems] == [UNSAFE_XML]
    assert "1/11 2019" not in str(caught.value)


def test_entity_bomb_in_the_manifest_is_refused(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    doctype = '<!DOCTYPE m [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    patched(path, "META-INF/manifest.xml", "<manifest:manifest ", doctype + "<manifest:manifest ")
    patched(path, "META-INF/manifest.xml", 'manifest:version="1.3">', 'manifest:version="1.3">&lol2;')
    assert problems_of(path) == [UNSAFE_XML]


def test_a_broken_manifest_is_damage(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    patched(path, "META-INF/manifest.xml", "</manifest:manifest>", "")
    (problem,) = problems_of(path)
    assert problem.startswith("filen är skadad och kunde inte läsas (")


def test_zip_bomb(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Thumbnails/thumbnail.png", b"\0" * (30 * 1024 * 1024))  # under the part limit
    assert problems_of(path) == [ZIP_BOMB]


def test_a_bomb_in_the_mimetype_is_not_unpacked_to_tell_the_format(tmp_path: Path) -> None:
    """The format is told by content before the container is checked, from a few bytes only."""
    path = tmp_path / "bomb.ods"
    megabyte = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as handle:
            for _ in range(300):
                handle.write(megabyte)
        archive.writestr("content.xml", document(""))
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        assert problems_of(path) == [ZIP_BOMB]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024


def test_oversized_file(tmp_path: Path) -> None:
    path = small_ods(tmp_path)
    with path.open("ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert problems_of(path) == ["filen är större än 20 MB – det är ingen rimlig indatafil"]


# -- the name says one kind, the content another ---------------------------------------------------


def test_an_ods_renamed_xlsx_is_read_as_ods(tmp_path: Path) -> None:
    path = small_ods(tmp_path, "indata.xlsx")
    assert [v.name for v in read_workbook(path).villkor] == ["Villkor 1", "Villkor 3"]


def test_an_xlsx_renamed_ods_is_read_as_xlsx(tmp_path: Path) -> None:
    path = save(small_book(), tmp_path, "indata.ods")
    assert [v.name for v in read_workbook(path).villkor] == ["Villkor 1", "Villkor 3"]


@pytest.mark.parametrize("name", ["indata.xlsm", "indata.xlsx", "indata.ods", "indata.dat"])
def test_an_xlsx_under_any_name_is_read(tmp_path: Path, name: str) -> None:
    path = save(small_book(), tmp_path, name)
    assert read_workbook(path).population.total == 10_319_473


@pytest.mark.parametrize("name", ["bok.xlsb", "bok.xlsx", "bok.ods"])
def test_xlsb_content_is_refused_by_its_name(tmp_path: Path, name: str) -> None:
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "xl/workbook.bin": b"\x83\x01\x00",
        "xl/worksheets/sheet1.bin": b"\x81\x01\x00",
    }
    assert problems_of(write_parts(tmp_path / name, parts)) == [
        "binära Excel-arbetsböcker (.xlsb) stöds inte – spara som .xlsx i Excel"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("gammal.xls", "det gamla Excel-formatet .xls stöds inte – spara som .xlsx i Excel"),
        ("gammal.xlsx", "filen är i det gamla .xls-formatet – spara som .xlsx i Excel"),
        ("gammal.ods", "filen är i det gamla .xls-formatet – spara som .xlsx i Excel"),
    ],
)
def test_xls_content_is_refused(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert problems_of(path) == [message]
