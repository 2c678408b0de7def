"""The result workbook, read back: layout, formulas with cached values, properties, determinism."""

from __future__ import annotations

import hashlib
import html
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import __version__, convert, read_workbook
from sjukmiljard.words.regions import NAMES

from .conftest import save, small_book


@pytest.fixture
def result(sample: Path, tmp_path: Path) -> Path:
    return convert(sample, tmp_path / "resultat.xlsx").output  # type: ignore[return-value]


def test_same_input_same_bytes(sample: Path, tmp_path: Path) -> None:
    first = convert(sample, tmp_path / "a.xlsx").output
    second = convert(sample, tmp_path / "b.xlsx").output
    assert first and second and first.read_bytes() == second.read_bytes()


def test_sheets_and_active_sheet(result: Path) -> None:
    book = openpyxl.load_workbook(result)
    assert book.sheetnames[0] == "Befolkning" and book.sheetnames[-2:] == ["Sammanställning", "Kontroll"]
    assert book.active.title == "Sammanställning"


def test_formulas_have_cached_values(result: Path) -> None:
    formulas = openpyxl.load_workbook(result)
    values = openpyxl.load_workbook(result, data_only=True)
    count = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    count += 1
                    assert isinstance(values[ws.title][cell.coordinate].value, int | float), cell.coordinate
    assert count > 400
    v3 = formulas["Villkor 3"]
    assert v3["B4"].value == "=B$25*Befolkning!$C4"
    assert v3["D4"].value == "=SUM(B4:C4)"
    assert formulas["Befolkning"]["C4"].value == "=B4/B$25"
    summary = formulas["Sammanställning"]
    assert summary["D5"].value == "='Villkor 3'!D4"
    assert summary["B5"].value == "='Villkor 1'!B4"


def test_number_formats_and_print_setup(result: Path) -> None:
    book = openpyxl.load_workbook(result)
    assert book["Befolkning"]["B4"].number_format == "#,##0"
    assert book["Befolkning"]["C4"].number_format == "0.000"
    assert book["Villkor 1"]["B4"].number_format == "#,##0.000"
    assert book["Sammanställning"]["J5"].number_format == "#,##0.000"
    for ws in book.worksheets:  # one A4 page each, whatever the font
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)) or (
            ws.title == "Kontroll" and ws.page_setup.fitToHeight == 0  # the receipt runs over pages
        )
        assert ws.print_title_rows
        assert ws.freeze_panes in ("B4", "B5") or ws.title == "Kontroll"  # the receipt scrolls whole
    assert book["Befolkning"].page_setup.orientation == "portrait"
    assert book["Villkor 1"].page_setup.orientation == "portrait"
    assert book["Sammanställning"].page_setup.orientation == "landscape"
    assert book["Sammanställning"]["A26"].font.b


def test_the_receipt_wraps_a_long_sheet_name_instead_of_clipping_it(result: Path) -> None:
    """'Uppföljning och utvärdering' is wider than the Blad column: on paper it was cut to
    'Uppföljning och utvä' (found by rendering); it wraps, and its row is two lines high."""
    from sjukmiljard.result.style import LINE_HEIGHT

    ws = openpyxl.load_workbook(result)["Kontroll"]
    rows = [
        row
        for row in ws.iter_rows()
        if row[0].value == "Uppföljning och utvärdering" and re.fullmatch(r"[A-Z]+\d+", str(row[1].value))
    ]
    assert rows and all(row[0].alignment.wrap_text for row in rows)
    assert all((ws.row_dimensions[row[0].row].height or 0) >= 2 * LINE_HEIGHT for row in rows)
    assert not ws["A2"].alignment.wrap_text  # the line above the table runs on, unwrapped


def test_every_page_names_its_input_population_and_version(sample: Path, result: Path) -> None:
    """The footer traces a loose page, in codes every engine reads (no font codes such as &"-,Bold",
    which Gnumeric prints as text), and no sheet has a page header."""
    footer = (
        f"&amp;LIndata: {sample.name}\nBefolkning 1/11 2019&amp;R&amp;A, sida &amp;P av &amp;N\n"
        f"sjukmiljard {__version__}"
    )
    with zipfile.ZipFile(result) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert len(sheets) == 11
    for xml in sheets:
        assert f"<oddFooter>{footer}</oddFooter>" in xml
        assert "<oddHeader>" not in xml


def test_a_sheet_without_a_title_prints_its_name_as_its_title(result: Path) -> None:
    ws = openpyxl.load_workbook(result)["Samordning och stöd"]
    assert ws["A1"].value == "Samordning och stöd" and ws["A1"].font.b and ws["A1"].font.sz == 12


def test_document_properties(sample: Path, result: Path) -> None:
    book = openpyxl.load_workbook(result)
    custom = {prop.name: prop.value for prop in book.custom_doc_props.props}
    assert custom == {
        "Indatafil": sample.name,
        "Indata SHA-256": hashlib.sha256(sample.read_bytes()).hexdigest(),
        "Befolkningsdatum": "2019-11-01",
        "Befolkningskälla": f"bladet Befolkning i {sample.name}",
        "Programversion": __version__,
    }
    assert book.properties.created.isoformat() == "2019-11-01T00:00:00"


def test_document_properties_of_a_payout_result_name_the_payment(tmp_path: Path) -> None:
    from .test_payout import UTFALL_SAMPLE

    paid = openpyxl.load_workbook(convert(UTFALL_SAMPLE, tmp_path / "u.xlsx").output).properties
    assert paid.title == "Sjukskrivningsmiljarden – fördelning per län och utbetalning"
    assert paid.subject == (
        "Potentiellt belopp per villkor och utbetalning i kronor enligt utfall, befolkning 1/11 2019"
    )


def test_document_properties_of_a_plain_result(result: Path) -> None:
    plain = openpyxl.load_workbook(result).properties
    assert plain.title == "Sjukskrivningsmiljarden – fördelning per län"
    assert plain.subject == "Potentiellt belopp per villkor, befolkning 1/11 2019"


def test_result_is_a_valid_input_with_the_same_figures(sample: Path, result: Path, tmp_path: Path) -> None:
    first = read_workbook(sample)
    again = read_workbook(result)
    assert again.population == first.population.__class__(
        first.population.counts, first.population.date, f"bladet Befolkning i {result.name}"
    )
    # A sheet without a title gets its name as the title, which it keeps when read again.
    assert again.villkor == tuple(replace(v, title=v.title or v.name) for v in first.villkor)
    second = convert(result, tmp_path / "igen.xlsx").output
    assert second is not None
    a = openpyxl.load_workbook(result, data_only=True)["Sammanställning"]
    b = openpyxl.load_workbook(second, data_only=True)["Sammanställning"]
    assert [[c.value for c in row] for row in a.iter_rows()][3:] == [
        [c.value for c in row] for row in b.iter_rows()
    ][3:]


def test_text_from_input_is_never_a_formula(tmp_path: Path) -> None:
    texts = ['=HYPERLINK("http://example.invalid","klicka")', "+46 8 123 456 ring Anna", "@SKR", "-1+2"]
    book = small_book()
    book["Villkor 1"]["A1"] = texts[0]
    book["Villkor 1"]["A27"] = texts[1]
    book["Villkor 3"]["A27"] = texts[2]
    book["Villkor 3"]["A28"] = texts[3]
    book["Villkor 1"]["A1"].data_type = "s"  # text in the input, as Excel stores "'=…"
    book["Befolkning"]["A2"], book["Befolkning"]["B2"] = "Överenskommelsens totalbelopp", 690.2  # '@SKR' paid
    out = convert(save(book, tmp_path), tmp_path / "r.xlsx").output
    assert out is not None
    with zipfile.ZipFile(out) as archive:
        parts = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml")}
    formulas = re.findall(r"<f>(.*?)</f>", "".join(v for k, v in parts.items() if "worksheets/" in k))
    assert formulas and not any(
        t in html.unescape(f) for f in formulas for t in ("HYPERLINK", "46 8", "@SKR")
    )
    strings = html.unescape(parts["xl/sharedStrings.xml"])
    assert all(text in strings for text in texts)
    assert not any("hyperlink" in name for name in parts)


def test_every_lan_in_seed_order(result: Path) -> None:
    book = openpyxl.load_workbook(result)
    for ws in book.worksheets[:-2]:
        assert [ws.cell(r, 1).value for r in range(4, 25)] == list(NAMES), ws.title


def test_long_and_multi_line_notes_wrap_within_the_printed_width(tmp_path: Path) -> None:
    long_note = "Regionerna redovisar underlag om antalet genomförda behandlingar. " * 11  # ~750 characters
    book = small_book()
    ws = book["Villkor 1"]
    ws["A27"] = long_note
    ws["A31"] = "Första raden\nAndra raden\nTredje raden"
    out = convert(save(book, tmp_path), tmp_path / "r.xlsx").output
    assert out is not None
    result = openpyxl.load_workbook(out)["Villkor 1"]
    rows = {result.cell(r, 1).value: r for r in range(1, result.max_row + 1)}
    long_row, multi_row = rows[long_note.strip()], rows["Första raden\nAndra raden\nTredje raden"]
    merged = {str(m) for m in result.merged_cells.ranges}
    for r in (long_row, multi_row):
        assert result.cell(r, 1).alignment.wrap_text
        assert any(m.startswith(f"A{r}:") for m in merged), merged
    assert result.row_dimensions[long_row].height >= 15 * 6  # 750 characters on lines of at most 140
    assert result.row_dimensions[multi_row].height == 15 * 3
    assert result.page_setup.fitToHeight in (None, 1) and result.sheet_properties.pageSetUpPr.fitToPage


# -- what the result cannot hold is refused, never written less than faithfully (issue 17) --------


def _refusal(path: Path, tmp_path: Path) -> list[str]:
    from sjukmiljard import InputRejected

    with pytest.raises(InputRejected) as caught:
        convert(path, tmp_path / "ut.xlsx")
    assert not (tmp_path / "ut.xlsx").exists()
    return [str(p) for p in caught.value.problems]


def test_a_note_longer_than_a_cell_holds_is_refused(tmp_path: Path) -> None:
    """xlsxwriter would cut a 40 053-character note to 32 767 characters without an Obs (openpyxl
    cuts what it is given too, so the text is put into the sheet's XML directly)."""
    path = save(small_book(), tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    note = b"Utbetalning sker senast 27 januari 2021"
    sheet = "xl/worksheets/sheet2.xml"
    assert note in parts[sheet]
    parts[sheet] = parts[sheet].replace(note, b"Utbetalning " + b"x" * 40_041)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    [message] = _refusal(path, tmp_path)
    assert message == (
        "Villkor 1: en anteckning har 40 053 tecken, fler än de 32 767 en cell i Excel rymmer (den "
        'börjar "Utbetalning xxxxxxxxxxxxxxxxxx…") – korta den eller dela upp den på flera rader'
    )


def test_a_note_of_several_cells_longer_than_a_cell_holds_is_refused(tmp_path: Path) -> None:
    """Each cell fits, but a note's cells are joined into one cell of the result."""
    book = small_book()
    book["Villkor 1"]["A27"] = "a" * 20_000
    book["Villkor 1"]["B27"] = "b" * 20_000
    [message] = _refusal(save(book, tmp_path), tmp_path)
    assert message.startswith("Villkor 1: en anteckning har 40 001 tecken, fler än de 32 767")


def test_a_note_of_exactly_a_cells_length_is_written_whole(tmp_path: Path) -> None:
    book = small_book()
    book["Villkor 1"]["A27"] = "y" * 32_767
    convert(save(book, tmp_path), tmp_path / "ut.xlsx")
    written = openpyxl.load_workbook(tmp_path / "ut.xlsx")["Villkor 1"]
    assert "y" * 32_767 in [cell.value for row in written.iter_rows() for cell in row]


def test_more_pots_than_columns_is_refused(tmp_path: Path) -> None:
    """16 383 pots beside Län leave no column for TOTALT, and formulas would refer past XFD."""
    book = small_book()
    ws = book["Villkor 3"]
    for col in range(2, 16_385):
        ws.cell(3, col, f"Pott {col - 1:05d}")  # one heading twice is a doubt; 01950 is no year
        ws.cell(25, col, 2 if col == 2 else 1)  # no pot the sum of those beside it: no guess to refuse first
    [message] = _refusal(save(book, tmp_path), tmp_path)
    assert message == (
        "Villkor 3: villkoret har 16 383 pottkolumner, fler än de 16 382 som ryms bredvid Län och TOTALT "
        "i ett blad i Excel – dela upp villkoret på flera blad"
    )


def test_more_villkor_than_a_readable_result_holds_are_refused() -> None:
    """The result must stay a valid input: its sheets within the reader's 1 000."""
    import datetime as dt

    from sjukmiljard.model import Indata, Population, Pot, Villkor
    from sjukmiljard.result.writer import MAX_VILLKOR, unwritable

    population = Population(tuple((name, 1) for name in NAMES), dt.date(2019, 11, 1), "test")
    many = tuple(Villkor(f"V{n}", None, (Pot("Pot", 1.0),)) for n in range(MAX_VILLKOR + 1))
    assert [p.message for p in unwritable(Indata(population, many))] == [
        "arbetsboken har 993 villkorsblad, fler än de 992 som ryms i ett resultat som går att läsa in igen "
        "– dela upp den på två arbetsböcker"
    ]
    assert unwritable(Indata(population, many[:-1])) == []
