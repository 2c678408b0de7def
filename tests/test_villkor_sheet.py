"""Villkor sheets written the way finance officers write them: arithmetic decides what a number is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import InputRejected, convert, read_workbook
from sjukmiljard.model import Gap, NationalSum, Note, SumLine
from sjukmiljard.words.regions import NAMES
from sjukmiljard.words.swedish import show_number

from .conftest import RIKET, save, small_book


def villkor_4(*below: tuple[object, ...], riket: object = 50) -> Callable[[openpyxl.Workbook], None]:
    """Adds the seed's Villkor 4 (RIKET 50, then the rows given) to the small book."""

    def edit(book: openpyxl.Workbook) -> None:
        ws = book.create_sheet("Villkor 4")
        ws["A1"] = "Utökat elektroniskt informationsutbyte"
        ws.append([])
        ws.append(["Län", "Pot belopp, Mkr"])
        for name in NAMES:
            ws.append([name])
        ws.append(["RIKET", riket])
        ws.append([])
        for row in below:
            ws.append(list(row))

    return edit


def read(tmp_path: Path, *edits: Callable[[openpyxl.Workbook], object]):  # type: ignore[no-untyped-def]
    book = small_book()
    for edit in edits:
        edit(book)
    return read_workbook(save(book, tmp_path))


def problems(tmp_path: Path, *edits: Callable[[openpyxl.Workbook], object]) -> list[str]:
    with pytest.raises(InputRejected) as caught:
        read(tmp_path, *edits)
    return [str(p) for p in caught.value.problems]


def sheet(indata, name: str):  # type: ignore[no-untyped-def]
    return next(v for v in indata.villkor if v.name == name)


SMALL_TOTAL = 101.2 + 589  # the small book's Villkor 1 and Villkor 3


def agreement(total: float) -> Callable[[openpyxl.Workbook], None]:
    """Fills in the agreement's total (Befolkning B2): it settles what the reader cannot."""

    def edit(book: openpyxl.Workbook) -> None:
        book["Befolkning"]["A2"] = "Överenskommelsens totalbelopp, Mkr"
        book["Befolkning"]["B2"] = round(total, 6)

    return edit


REMEDY = "programmet kan inte avgöra detta säkert: fyll i överenskommelsens totalbelopp i Befolkning!B2"


# -- sum rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Totalt", "Summa:", "SUMMA", "summa", "Totalt, Mkr", "S:a", "Totalsumma"])
def test_a_sum_row_spelt_any_way_is_a_sum_row(tmp_path: Path, label: str) -> None:
    indata = read(tmp_path, villkor_4(("SKR", 39), ("Försäkringskassan", 12), (label, 101)))
    v4 = sheet(indata, "Villkor 4")
    assert [n.name for n in v4.national] == ["SKR", "Försäkringskassan"]
    assert v4.total == pytest.approx(101)
    assert isinstance(v4.lines[-1], SumLine)


def test_a_sum_row_that_does_not_add_up_is_refused_with_the_difference(tmp_path: Path) -> None:
    found = problems(tmp_path, villkor_4(("SKR", 39), ("Försäkringskassan", 12), ("Totalt", 110)))
    assert found == [
        f"Villkor 4!B{RIKET + 4}: 'Totalt' är 110,000 men RIKET plus de fasta beloppen ovanför är "
        "101,000 (skillnad 9,000)"
    ]


def test_a_row_with_the_sum_of_everything_above_is_a_sum_row_whatever_its_label(tmp_path: Path) -> None:
    rows = villkor_4(("SKR", 39), ("Försäkringskassan", 12), ("Att betala ut", 101))
    (found,) = problems(tmp_path, rows)
    assert (
        found.startswith(f"Villkor 4!B{RIKET + 4}: raden 'Att betala ut' (101,000) är summan")
        and REMEDY in found
    )
    indata = read(tmp_path, rows, agreement(SMALL_TOTAL + 101))
    v4 = sheet(indata, "Villkor 4")
    assert [n.name for n in v4.national] == ["SKR", "Försäkringskassan"]
    assert v4.total == pytest.approx(101)
    assert any("'Att betala ut' (101,000) är summan av beloppen ovanför" in n for n in indata.notices)


def test_an_amount_under_the_sum_row_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, villkor_4(("SKR", 39), ("SUMMA", 89), ("Antal regioner som omfattas", 21)))
    assert found == [
        f"Villkor 4!B{RIKET + 4}: 'Antal regioner som omfattas' (21,000) står under summaraden "
        f"(rad {RIKET + 3}) och ingår inte i den – flytta raden ovanför summan, eller skriv talet i "
        "samma cell som texten om raden är en anteckning"
    ]


@pytest.mark.parametrize("label", ["SUMMA", "Summa:", "Totalt", "S:a"])
def test_an_empty_sum_row_is_where_the_sum_goes_not_a_note(tmp_path: Path, label: str) -> None:
    """A label that claims a sum with no amount prints no bare 'SUMMA' line: the sum takes its place."""
    v4 = sheet(
        read(tmp_path, villkor_4(("SKR", 39), (label,), ("Utbetalning sker senast 27 januari",))), "Villkor 4"
    )
    assert v4.total == pytest.approx(89)
    assert isinstance(v4.lines[1], SumLine) and v4.lines[2:] == (Note("Utbetalning sker senast 27 januari"),)
    assert not any(isinstance(line, Note) and label in line.text for line in v4.lines)


def test_a_fixed_sum_under_an_empty_sum_row_needs_a_sum_row_below_it(tmp_path: Path) -> None:
    covered = villkor_4(
        (), ("SUMMA",), ("Utbetalning sker senast 27 januari",), ("Socialstyrelsen", 1.2), ("SUMMA", 51.2)
    )
    v4 = sheet(read(tmp_path, covered), "Villkor 4")
    assert [n.name for n in v4.national] == ["Socialstyrelsen"] and v4.total == pytest.approx(51.2)
    assert [type(line) for line in v4.lines] == [Note, NationalSum, SumLine]
    found = problems(tmp_path, villkor_4(("SUMMA",), ("Socialstyrelsen", 1.2)))
    assert found == [
        f"Villkor 4!B{RIKET + 3}: 'Socialstyrelsen' (1,200) står under summaraden på rad {RIKET + 2}, som "
        "saknar belopp – ingår beloppet i villkoret? Flytta raden ovanför summan, eller skriv summan "
        "under beloppen"
    ]


@pytest.mark.parametrize("label", ["RIKET", "Hela riket", "00 Riket"])
def test_a_repeated_riket_row_is_verified_never_a_recipient(tmp_path: Path, label: str) -> None:
    """A RIKET row copied below the first (fuzz seed 2587659040: 'RIKET' was paid 0 Mkr as an unknown
    recipient, and the result then refused as input) is the pots' row again: checked, not paid."""
    indata = read(tmp_path, villkor_4((label, 50), ("SKR", 39), ("SUMMA", 89)))
    v4 = sheet(indata, "Villkor 4")
    assert [n.name for n in v4.national] == ["SKR"] and v4.total == pytest.approx(89)
    assert (
        f"Villkor 4!A{RIKET + 2}: raden '{label}' upprepar raden RIKET (rad {RIKET}) och räknas inte en "
        "gång till" in indata.notices
    )
    found = problems(tmp_path, villkor_4((label, 40), ("SKR", 39), ("SUMMA", 89)))
    assert found[0] == (
        f"Villkor 4!B{RIKET + 2}: raden '{label}' upprepar RIKET (rad {RIKET}) men har 40,000 Mkr där "
        "RIKET har 50,000 Mkr – ta bort raden eller rätta beloppet"
    )


@pytest.mark.parametrize(
    ("riket", "skr"), [(50, 6300), (2500, 39), (50, 2000.5)], ids=["body", "pot", "just-over"]
)
def test_an_amount_over_twice_a_whole_agreement_needs_the_agreement_total(
    tmp_path: Path, riket: float, skr: float
) -> None:
    """6 300 typed under Mkr is most likely tkr: not paid unless Befolkning!B2 confirms it."""
    rows = villkor_4(("SKR", skr), riket=riket)
    (found,) = problems(tmp_path, rows)
    big = max(riket, skr)
    assert "är mer än dubbelt så mycket som en hel överenskommelse" in found and REMEDY in found
    assert found.startswith(
        f"Villkor 4!B{RIKET if big == riket else RIKET + 2}: {show_number(big)} Mkr är mer än"
    )
    indata = read(tmp_path, rows, agreement(SMALL_TOTAL + riket + skr))
    v4 = sheet(indata, "Villkor 4")
    assert v4.total == pytest.approx(riket + skr)
    assert any("mer än dubbelt så mycket" in n for n in indata.notices)


def test_one_sum_per_pot_column_is_accepted_when_each_adds_up(tmp_path: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book["Villkor 3"]
        ws[f"B{RIKET + 2}"], ws[f"D{RIKET + 2}"] = None, 39  # SKR's 39 in the total column
        ws.append(["SUMMA", 500, 50, 589])

    v3 = sheet(read(tmp_path, edit), "Villkor 3")
    assert v3.total == pytest.approx(589)

    def wrong(book: openpyxl.Workbook) -> None:
        edit(book)
        book["Villkor 3"][f"C{RIKET + 3}"] = 55

    assert problems(tmp_path, wrong) == [
        f"Villkor 3!C{RIKET + 3}: 'SUMMA' är 55,000 men RIKET plus de fasta beloppen ovanför är "
        "589,000 (skillnad -534,000)"
    ]


# -- total columns and pot columns -------------------------------------------------------------


def header_v3(
    *labels: str | None, riket: tuple[object, ...] = (500, 50, 550)
) -> Callable[[openpyxl.Workbook], None]:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book["Villkor 3"]
        for c in range(2, 6):
            ws.cell(3, c).value = None
            ws.cell(RIKET, c).value = None
        for c, label in enumerate(labels, start=2):
            ws.cell(3, c).value = label
        for c, amount in enumerate(riket, start=2):
            ws.cell(RIKET, c).value = amount

    return edit


def test_a_column_headed_as_a_total_is_never_a_pot(tmp_path: Path) -> None:
    v3 = sheet(read(tmp_path, header_v3("Pot 1, Mkr", "Pot 2, Mkr", "Totalt, Mkr")), "Villkor 3")
    assert [p.amount for p in v3.pots] == [500, 50]
    assert v3.pot_total == 550


def test_a_total_column_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, header_v3("Pot 1, Mkr", "Pot 2, Mkr", "Totalt, Mkr", riket=(500, 50, 600)))
    assert found == [
        f"Villkor 3!D{RIKET}: totalkolumnen 'Totalt, Mkr' är 600,000 men potterna är tillsammans 550,000 "
        "(skillnad 50,000)"
    ]


@pytest.mark.parametrize("label", [None, "Mkr", "Belopp"])
def test_a_column_holding_the_sum_of_the_pots_to_its_left_is_a_total_with_a_notice(
    tmp_path: Path, label: str | None
) -> None:
    (found,) = problems(tmp_path, header_v3("Pot 1", "Pot 2", label))
    assert found.startswith(f"Villkor 3!D{RIKET}: kolumnen") and REMEDY in found
    indata = read(tmp_path, header_v3("Pot 1", "Pot 2", label), agreement(SMALL_TOTAL))
    v3 = sheet(indata, "Villkor 3")
    assert [p.amount for p in v3.pots] == [500, 50]
    assert any(f"Villkor 3!D{RIKET}: kolumnen" in n and "räknas som totalkolumn" in n for n in indata.notices)


def test_a_column_headed_as_a_pot_stays_a_pot_even_when_it_equals_the_sum(tmp_path: Path) -> None:
    headings = header_v3("Pot belopp, Mkr", "Pot belopp, Mkr", "Pot belopp, Mkr")
    assert REMEDY in problems(tmp_path, headings)[0]
    indata = read(tmp_path, headings, agreement(SMALL_TOTAL + 550))
    assert [p.amount for p in sheet(indata, "Villkor 3").pots] == [500, 50, 550]
    assert any(
        "räknas som en egen pott – är den en summa, skriv rubriken 'Totalt'" in n for n in indata.notices
    )


def test_a_pot_column_without_a_heading_is_not_dropped(tmp_path: Path) -> None:
    headings = header_v3("Pot belopp, Mkr", None, "Totalt", riket=(500, 37.125, 537.125))
    assert REMEDY in problems(tmp_path, headings)[0]
    indata = read(tmp_path, headings, agreement(SMALL_TOTAL - 550 + 537.125))
    v3 = sheet(indata, "Villkor 3")
    assert [p.amount for p in v3.pots] == [500, 37.125]
    assert any(f"Villkor 3!C{RIKET}: kolumnen saknar rubrik men har 37,125 Mkr" in n for n in indata.notices)


def test_figures_beyond_an_empty_column_are_another_table_named_not_counted(tmp_path: Path) -> None:
    """Column F after the empty columns C–E: not a pot and not a fixed sum, but every one of its
    numbers named on screen and in the Kontroll sheet (fuzz seed 891841052: a '7' at F51 was silent)."""

    def edit(book: openpyxl.Workbook) -> None:
        ws = book["Villkor 4"]
        ws["F3"], ws[f"F{RIKET + 3}"], ws["F51"] = 0, 3, "7"

    rows = villkor_4(("SKR", 39), ("SUMMA", 89))
    indata = read(tmp_path, rows, edit, agreement(SMALL_TOTAL + 89))
    v4 = sheet(indata, "Villkor 4")
    assert [p.amount for p in v4.pots] == [50] and v4.total == pytest.approx(89)
    (notice,) = [n for n in indata.notices if n.startswith("Villkor 4!F")]
    assert notice == (
        "Villkor 4!F3: kolumnen utan rubrik står efter en tom kolumn, utanför tabellen – dess 2 tal räknas "
        f"inte (F{RIKET + 3}: 3, F51: 7)"
    )
    unused = {e.cell: e.value for e in indata.receipt if e.sheet == "Villkor 4" and e.cell[0] == "F"}
    assert unused == {"F3": 0, f"F{RIKET + 3}": 3, "F51": 7}

    def on_riket(book: openpyxl.Workbook) -> None:
        edit(book)
        for r in (5, 9, 14, RIKET):
            book["Villkor 4"][f"F{r}"] = r

    (refused,) = problems(tmp_path, rows, on_riket)
    assert refused.startswith("Villkor 4!F5: kolumnen utan rubrik står efter en tom kolumn") and (
        "dess 6 tal räknas inte (F5: 5, F9: 9, F14: 14 och 3 till)" in refused and REMEDY in refused
    )


def test_the_published_villkor_3_without_its_second_heading_keeps_its_pot(tmp_path: Path) -> None:
    """The issue's case: the sample's grand total with C3 blank is still 944,000, not 894,000."""
    from .conftest import SAMPLE_2020

    book = openpyxl.load_workbook(SAMPLE_2020)
    book["Villkor 3"]["C3"] = None
    report = convert(save(book, tmp_path), tmp_path / "r.xlsx")
    assert report.allocation.grand_total == pytest.approx(944)
    assert any("Villkor 3!C25" in n for n in report.notices)


# -- rows above RIKET, headers ----------------------------------------------------------------------


def test_a_fixed_sum_typed_above_riket_is_refused(tmp_path: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book["Villkor 4"]
        ws.insert_rows(RIKET)
        ws.cell(RIKET, 1).value = "SKR"
        ws.cell(RIKET, 2).value = 20

    found = problems(tmp_path, villkor_4(("SKR", 39)), edit)
    assert found == [
        f"Villkor 4!B{RIKET}: 'SKR' har ett belopp ovanför raden RIKET – fasta belopp skrivs under RIKET, "
        "länens belopp räknas fram"
    ]


@pytest.mark.parametrize("header", ["Region", "Län/region", "REGION", "Region/län"])
def test_region_is_a_header_like_lan(tmp_path: Path, header: str) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        book["Villkor 3"]["A3"] = header

    indata = read(tmp_path, edit)
    assert sheet(indata, "Villkor 3").pot_total == 550
    assert not any("hoppades över" in n for n in indata.notices)


def test_a_sheet_with_a_riket_amount_but_no_header_is_refused_not_skipped(tmp_path: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        book["Villkor 3"]["A3"] = "Mottagare"  # no word for the län ("Landsting" is one)

    assert problems(tmp_path, edit) == [
        f"Villkor 3!A{RIKET}: bladet har raden RIKET med ett belopp men ingen rubrikrad med 'Län' ovanför "
        "länen – skriv 'Län' (eller 'Region') i rubrikraden"
    ]


def test_a_total_row_instead_of_riket_right_below_the_lan_is_the_riket_row(tmp_path: Path) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        book["Villkor 1"][f"A{RIKET}"] = "Totalt"

    assert sheet(read(tmp_path, edit), "Villkor 1").pot_total == 100


# -- national bodies ---------------------------------------------------------------------------------


def test_a_misspelt_body_is_refused_with_a_hint(tmp_path: Path) -> None:
    found = problems(tmp_path, villkor_4(("SKR", 39), ("Försäkringskasan", 12), ("SUMMA", 101)))
    assert found == [
        f"Villkor 4!A{RIKET + 3}: okänd mottagare 'Försäkringskasan' – menade du 'Försäkringskassan'?"
    ]


def test_an_abbreviation_is_the_body_it_stands_for(tmp_path: Path) -> None:
    indata = read(tmp_path, villkor_4(("SKR", 39), ("FK", 12)))
    assert [n.name for n in sheet(indata, "Villkor 4").national] == ["SKR", "Försäkringskassan"]
    assert f"Villkor 4!A{RIKET + 3}: 'FK' räknas som Försäkringskassan" in indata.notices


def test_a_number_in_a_note_is_paid_only_with_a_notice_naming_cell_name_and_amount(tmp_path: Path) -> None:
    rows = villkor_4(("SKR", 39), ("Antal regioner som omfattas", 21))
    (found,) = problems(tmp_path, rows)
    assert (
        found.startswith(f"Villkor 4!B{RIKET + 3}: 'Antal regioner som omfattas' får 21,000 Mkr")
        and REMEDY in found
    )
    indata = read(tmp_path, rows, agreement(SMALL_TOTAL + 50 + 39 + 21))
    assert [n.name for n in sheet(indata, "Villkor 4").national] == ["SKR", "Antal regioner som omfattas"]
    assert (
        f"Villkor 4!B{RIKET + 3}: 'Antal regioner som omfattas' får 21,000 Mkr som fast belopp men är ingen "
        "känd nationell mottagare. Är raden en anteckning, skriv talet i textcellen."
    ) in indata.notices


def test_a_known_body_gets_no_notice(tmp_path: Path) -> None:
    indata = read(tmp_path, villkor_4(("SKR", 39), ("Socialstyrelsen", 11.5), ("Enligt regeringsbeslut", 10)))
    assert not any("Villkor 4" in n for n in indata.notices)


def test_a_lan_below_riket_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, villkor_4(("Stockholms län", 5)))
    assert found == [
        f"Villkor 4!A{RIKET + 2}: 'Stockholms län' är ett län och står under RIKET – länens belopp räknas "
        "fram, ta bort raden"
    ]


# -- notes keep their place ----------------------------------------------------------------------------


def test_notes_keep_their_place_between_riket_bodies_and_summa(tmp_path: Path) -> None:
    edit = villkor_4(
        ("Regionerna ska redovisa senast 11 december 2020",),
        (),
        ("Utvecklingsinsatser",),
        ("SKR", 39),
        ("Försäkringskassan", 11),
        ("SUMMA", 100),
        (),
        ("Utbetalning sker senast 27 januari 2021",),
    )
    v4 = sheet(read(tmp_path, edit), "Villkor 4")
    assert v4.lines == (
        Note("Regionerna ska redovisa senast 11 december 2020"),
        Gap(),
        Note("Utvecklingsinsatser"),
        NationalSum("SKR", 39),
        NationalSum("Försäkringskassan", 11),
        SumLine(),
        Gap(),
        Note("Utbetalning sker senast 27 januari 2021"),
    )
    assert v4.national == (NationalSum("SKR", 39), NationalSum("Försäkringskassan", 11))
    assert v4.notes == (
        "Regionerna ska redovisa senast 11 december 2020",
        "Utvecklingsinsatser",
        "Utbetalning sker senast 27 januari 2021",
    )
    out = convert(save(_book_with(edit), tmp_path, "b.xlsx"), tmp_path / "r.xlsx").output
    assert out is not None
    ws = openpyxl.load_workbook(out)["Villkor 4"]
    below = [ws.cell(r, 1).value for r in range(RIKET + 1, ws.max_row + 1)]
    assert below == [
        None,
        "Regionerna ska redovisa senast 11 december 2020",
        None,
        "Utvecklingsinsatser",
        "SKR",
        "Försäkringskassan",
        "SUMMA",
        None,
        "Utbetalning sker senast 27 januari 2021",
    ]


def _book_with(*edits: Callable[[openpyxl.Workbook], object]) -> openpyxl.Workbook:
    book = small_book()
    for edit in edits:
        edit(book)
    return book


def test_an_infinite_number_below_riket_is_refused_not_taken_for_a_note(tmp_path: Path) -> None:
    """A numeric cell of 1E400 (infinite) made the row the note 'Socialstyrelsen inf' (found by fuzzing)."""
    import zipfile

    path = save(small_book(), tmp_path)
    patched = tmp_path / "oandlig.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<c r="B28" t="n"><v>1.2</v></c>', b'<c r="B28" t="n"><v>1E400</v></c>')
                assert b"1E400" in data
            target.writestr(item, data)
    with pytest.raises(InputRejected) as caught:
        read_workbook(patched)
    assert str(caught.value.problems[0]) == f"Villkor 1!B{RIKET + 3}: 'inf' är inget tal"
