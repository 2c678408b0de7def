"""Workbooks written the way finance officers write them (issue 15): every number accounted for.

Each class of the issue in several spellings, in .xlsx and .ods: a reading that is settled by the
arithmetic or an explicit label converts with the right total; a reading the program would have to
guess is refused without the agreement's total and settled by it when it is filled in; nothing is
added in or dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from sjukmiljard import InputRejected, read_workbook
from sjukmiljard.model import Indata
from sjukmiljard.read.accounting import Role
from sjukmiljard.words.regions import LAN, NAMES
from sjukmiljard.words.swedish import parse_number

from .conftest import POPULATION, RIKET, save_as, small_book

SMALL = 101.2 + 589  # the small book's Villkor 1 and Villkor 3
REMEDY = "fyll i överenskommelsens totalbelopp i Befolkning!B2"
Edit = Callable[[openpyxl.Workbook], object]


def villkor(
    name: str,
    header: Sequence[object],
    riket: Sequence[object],
    *below: Sequence[object],
    title: str | None = "Ett villkor",
    lan: Callable[[str], Sequence[object]] | None = None,
) -> Edit:
    """A villkor sheet in the template's layout: title, header, the 21 län, RIKET, then `below`."""

    def edit(book: openpyxl.Workbook) -> None:
        ws = book.create_sheet(name)
        ws["A1"] = title
        ws.append([])
        ws.append(["Län", *header])
        for lan_name in NAMES:
            ws.append([lan_name, *(lan(lan_name) if lan else ())])
        ws.append(["RIKET", *riket])
        ws.append([])
        for row in below:
            ws.append(list(row))

    return edit


def agreement(total: float) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        book["Befolkning"]["A2"] = "Överenskommelsens totalbelopp, Mkr"
        book["Befolkning"]["B2"] = round(total, 6)

    return edit


def read(tmp_path: Path, fmt: str, *edits: Edit) -> Indata:
    book = small_book()
    for edit in edits:
        edit(book)
    return read_workbook(save_as(book, tmp_path, fmt))


def refused(tmp_path: Path, fmt: str, *edits: Edit) -> list[str]:
    with pytest.raises(InputRejected) as caught:
        read(tmp_path, fmt, *edits)
    return [str(p) for p in caught.value.problems]


def total(indata: Indata) -> float:
    return round(sum(v.total for v in indata.villkor), 6)


def of(indata: Indata, name: str):  # type: ignore[no-untyped-def]
    return next(v for v in indata.villkor if v.name == name)


# -- 1. breakdown columns and rows -----------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        ("varav behandlingsinsatser", "varav kontakter"),
        ("Varav: behandling", "Varav: kontakter"),
        ("- därav behandling", "- därav kontakter"),
        ("(varav behandling, Mkr)", "(varav kontakter, Mkr)"),
        ("av detta behandling", "av detta kontakter"),
    ],
)
def test_breakdown_columns_are_parts_not_pots(tmp_path: Path, fmt: str, parts: tuple[str, str]) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Ram, Mkr", *parts], [550, 500, 50], ("SKR", 5)))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [550]
    assert total(indata) == pytest.approx(SMALL + 555)
    assert any(f"'{parts[1]}' (50,000 Mkr) är en del av 'Ram, Mkr'" in n for n in indata.notices)
    checked = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell in ("C25", "D25")]
    assert [e.role for e in checked] == [Role.VERIFIED, Role.VERIFIED] and all(e.agrees for e in checked)


def test_parts_larger_than_the_whole_are_refused(tmp_path: Path, fmt: str) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott, Mkr", "varav kontakter"], [50, 60]))
    assert any("delarna av 'Pott, Mkr' är tillsammans 60,000 Mkr" in p for p in found)


@pytest.mark.parametrize(
    "heading", ["Båda potterna", "Alla potter, Mkr", "Potterna tillsammans", "Summa potter"]
)
def test_a_column_naming_the_pots_together_is_their_total(tmp_path: Path, fmt: str, heading: str) -> None:
    edit = villkor("Villkor 9", ["Pott 1", "Pott 2", heading], [500, 50, 550])
    indata = read(tmp_path, fmt, edit)  # settled by label and arithmetic: no agreement total needed
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [500, 50]
    assert total(indata) == pytest.approx(SMALL + 550)


@pytest.mark.parametrize(
    "label",
    ["varav Inera AB", "Därav till Inera", "  varav: e-tjänster", "» varav 1177 Vårdguiden",
     "Inera AB (ingår i SKR:s belopp)", "› därav Inera"],
)  # fmt: skip
def test_a_breakdown_row_is_part_of_the_sum_above_and_not_paid(tmp_path: Path, fmt: str, label: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), (label, 5), ("SUMMA", 89)))
    v9 = of(indata, "Villkor 9")
    assert [(n.name, n.amount) for n in v9.national] == [("SKR", 39)]
    assert total(indata) == pytest.approx(SMALL + 89)


@pytest.mark.parametrize(
    ("header", "riket", "bad"),
    [
        (["Regionerna, Mkr", "SKR, Mkr", "Totalt, Mkr"], [50, 39, 89], "SKR, Mkr"),
        (["Total ram (Mkr)", "Varav till regionerna", "Varav till SKR"], [89, 50, 39], "Varav till SKR"),
        (
            ["Pot belopp, Mkr", "Till Försäkringskassan (Mkr)", "Totalt"],
            [50, 39, 89],
            "Till Försäkringskassan (Mkr)",
        ),
        (["Medel, Mkr", "därav Socialstyrelsen"], [89, 39], "därav Socialstyrelsen"),
    ],
)
def test_a_column_for_a_national_body_is_refused(
    tmp_path: Path, fmt: str, header: list[str], riket: list[int], bad: str
) -> None:
    """A probe: SKR's 39 Mkr in a column beside the län's 50 was spread over the län, SKR paid
    nothing, under "Klar"; with the agreement total a column 'Försäkringskassan, Mkr' became a pot."""
    edit = villkor("Villkor 9", header, riket)
    for edits in ((edit,), (edit, agreement(SMALL + 89))):
        found = refused(tmp_path, fmt, *edits)
        assert any(
            f"kolumnen '{bad}' gäller " in p and "skrivs som en egen rad under RIKET" in p for p in found
        )


def test_a_pot_named_for_its_work_with_a_body_is_a_pot(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Samverkan med Försäkringskassan, Mkr"], [140])
    assert total(read(tmp_path, fmt, edit)) == pytest.approx(SMALL + 140)


@pytest.mark.parametrize(
    "label", ["– varav till SKR (nationellt stöd)", "därav Försäkringskassan", "Varav SKL"]
)
def test_a_part_of_the_pot_for_a_national_body_is_refused(tmp_path: Path, fmt: str, label: str) -> None:
    """A probe: '– varav till SKR' 39 under a pot of 89 left SKR without its money, under "Klar"."""
    found = refused(
        tmp_path, fmt, villkor("Villkor 9", ["Medel totalt, Mkr"], [89], (label, 39), ("SUMMA", 89))
    )
    assert any(
        p.startswith(f"Villkor 9!A{RIKET + 2}: '{label}' (39,000 Mkr) är en del av potten men gäller")
        for p in found
    )


@pytest.mark.parametrize(
    "label",
    ["Summa nationella aktörer", "Totalt till myndigheter", "Delsumma fasta belopp", "Nationella, summa"],
)
def test_a_subtotal_of_the_fixed_sums_is_checked_not_paid(tmp_path: Path, fmt: str, label: str) -> None:
    rows = (("SKR", 39), ("Försäkringskassan", 20), ("Socialstyrelsen", 3.5), (label, 62.5), ("SUMMA", 112.5))
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], *rows))
    assert [n.name for n in of(indata, "Villkor 9").national] == [
        "SKR",
        "Försäkringskassan",
        "Socialstyrelsen",
    ]
    assert total(indata) == pytest.approx(SMALL + 112.5)


def test_a_subtotal_that_adds_up_to_nothing_is_refused(tmp_path: Path, fmt: str) -> None:
    rows = (("SKR", 39), ("Summa nationella aktörer", 45))
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], *rows))
    assert any("'Summa nationella aktörer' är 45,000 men RIKET plus de fasta beloppen" in p for p in found)


# -- 2. units --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "pot", "skr"),
    [
        ("Pot belopp, tkr", 50_000, 39_000),
        ("Belopp (tkr)", 50_000, 39_000),
        ("Belopp, tusentals kronor", 50_000, 39_000),
        ("Belopp i tusen kr", 50_000, 39_000),
        ("Pott, kr", 50_000_000, 39_000_000),
        ("Belopp (kronor)", 50_000_000, 39_000_000),
        ("Pott, SEK", 50_000_000, 39_000_000),
        ("Pott, MSEK", 50, 39),
        ("Pott (miljoner kronor)", 50, 39),
        # probes: a multiplier after the currency was dropped (140 000 tkr read as kr)
        ("SEK '000", 50_000, 39_000),
        ("Belopp, kr ('000)", 50_000, 39_000),
        ("Amount, SEK thousands", 50_000, 39_000),
        ("Allocation, SEK m", 50, 39),
        ("Pott, SEKm", 50, 39),
        ("Belopp (x 1000)", 50_000, 39_000),
        # probes: English words before the currency were dropped (140 000 tkr read as kr)
        ("Amount, thousand SEK", 50_000, 39_000),
        ("Amount (thousands of SEK)", 50_000, 39_000),
        ("Allocation, SEK 000s", 50_000, 39_000),
        ("Funds, SEK (000s)", 50_000, 39_000),
        ("Amount, million SEK", 50, 39),
        ("Amount (millions of kronor)", 50, 39),
        ("Ram, SEK billion", 0.05, 0.039),
    ],
)
def test_a_unit_in_the_heading_decides_the_scale(
    tmp_path: Path, fmt: str, heading: str, pot: float, skr: float
) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", [heading], [pot], ("SKR", skr)))
    v9 = of(indata, "Villkor 9")
    assert [p.amount for p in v9.pots] == [pytest.approx(50)]
    assert [n.amount for n in v9.national] == [pytest.approx(39)]
    assert "Mkr" in v9.pots[0].label or v9.pots[0].label == heading


def test_a_unit_in_the_title_decides_the_scale(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Pott"], [50_000], ("SKR", 39_000), title="Fördelning, belopp i tkr")
    assert total(read(tmp_path, fmt, edit)) == pytest.approx(SMALL + 89)


@pytest.mark.parametrize(
    "title",
    [
        "Koordinering – ersättning med högst 500 tkr per samordnare",
        "Regionerna kan söka upp till 250 tkr var",
        "Stöd om 1,5 mkr per region och år",
    ],
)
def test_a_title_that_names_an_amount_declares_no_unit(tmp_path: Path, fmt: str, title: str) -> None:
    """A probe: "högst 500 tkr per samordnare" in the title made the sheet's 140 Mkr 0,14 Mkr."""
    edit = villkor("Villkor 9", ["Medel"], [140], ("Socialstyrelsen", 2), ("SUMMA", 142), title=title)
    indata = read(tmp_path, fmt, edit)
    assert total(indata) == pytest.approx(SMALL + 142)
    assert not any("tkr räknas som" in n for n in indata.notices)


@pytest.mark.parametrize("typed", ["39 Mkr", "39,0 mkr", "39 MSEK", "39 000 tkr", "MSEK 39"])
def test_an_amount_typed_with_its_unit_is_that_amount(tmp_path: Path, fmt: str, typed: str) -> None:
    indata = read(
        tmp_path, fmt, villkor("Villkor 9", ["Pott"], ["50 Mkr"], ("SKR", typed), ("SUMMA", "89 MSEK"))
    )
    v9 = of(indata, "Villkor 9")
    assert [p.amount for p in v9.pots] == [50] and [n.amount for n in v9.national] == [pytest.approx(39)]


def test_a_sum_typed_with_its_unit_is_checked(tmp_path: Path, fmt: str) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), ("SUMMA", "11 MSEK")))
    assert any("'SUMMA' är 11,000 men RIKET plus de fasta beloppen ovanför är 89,000" in p for p in found)
    in_one_cell = refused(
        tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), ("SUMMA 11 MSEK",))
    )
    assert any("'SUMMA' är 11,000" in p for p in in_one_cell)


def test_a_sentence_that_mentions_an_amount_stays_a_note(tmp_path: Path, fmt: str) -> None:
    note = "Utbetalning av 500 Mkr sker senast 27 januari 2021"
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], (note,)))
    assert of(indata, "Villkor 9").notes == (note,) and total(indata) == pytest.approx(SMALL + 50)


@pytest.mark.parametrize("heading", ["Medel (1000-tal)", "Belopp ('000)", "Ram i tusental", "Stöd (000)"])
def test_a_multiplier_without_currency_under_a_money_heading_is_the_unit(
    tmp_path: Path, fmt: str, heading: str
) -> None:
    """A probe: 'Medel (1000-tal)' 1 500 and SKR 500 were paid as 1 500 and 500 Mkr."""
    indata = read(tmp_path, fmt, villkor("Villkor 9", [heading], [1_500], ("SKR", 500), ("Summa", 2_000)))
    v9 = of(indata, "Villkor 9")
    assert [p.amount for p in v9.pots] == [1.5] and [n.amount for n in v9.national] == [0.5]
    assert "Mkr" in v9.pots[0].label


@pytest.mark.parametrize("heading", ["2020 (tusental)", "Villkor 9 ('000)"])
def test_a_multiplier_without_currency_or_money_words_is_refused(
    tmp_path: Path, fmt: str, heading: str
) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", [heading], [1_500]))
    assert any(
        p.startswith(f"Villkor 9!B3: rubriken '{heading}' anger") and "ingen valuta" in p for p in found
    )


@pytest.mark.parametrize(
    ("title", "name"),
    [("Fördelning av medel, belopp i tusental", "Villkor 9"), ("Ett villkor", "Villkor 9 (tkr)")],
)
def test_a_title_or_sheet_name_gives_the_unit(tmp_path: Path, fmt: str, title: str, name: str) -> None:
    edit = villkor(name, ["Medel"], [1_500], ("SKR", 500), title=title)
    assert total(read(tmp_path, fmt, edit)) == pytest.approx(SMALL + 2)


def test_a_row_of_units_below_the_header_gives_the_headings_their_unit(tmp_path: Path, fmt: str) -> None:
    def units_row(book: openpyxl.Workbook) -> None:
        ws = book["Villkor 9"]
        ws.insert_rows(4)
        ws["B4"], ws["C4"] = "(tkr)", "(tkr)"

    edit = villkor("Villkor 9", ["Medel", "Varav kontakter"], [140_000, 40_000], ("Socialstyrelsen", 2_500))
    v9 = of(read(tmp_path, fmt, edit, units_row), "Villkor 9")
    assert [p.amount for p in v9.pots] == [140] and [n.amount for n in v9.national] == [2.5]


@pytest.mark.parametrize(
    ("heading", "typed"), [("Medel (tkr)", "140,000"), ("Belopp, tusen kronor", "2,500")]
)
def test_a_comma_before_three_digits_in_tkr_or_kr_is_a_doubt(
    tmp_path: Path, fmt: str, heading: str, typed: str
) -> None:
    """A probe: '140,000' under tkr, pasted from an English system (140 000 tkr), was read as 140 tkr."""
    edit = villkor("Villkor 9", [heading], [typed], ("SKR", 39_000))
    found = refused(tmp_path, fmt, edit)
    assert any(
        p.startswith(f"Villkor 9!B{RIKET}: '{typed}'") and "decimalkomma" in p and "tusentalsavgränsare" in p
        for p in found
    )


@pytest.mark.parametrize("typed", ["140,000", "140,5", "1 400,000"])
def test_a_comma_in_mkr_is_the_decimal_comma(tmp_path: Path, fmt: str, typed: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott, Mkr"], [typed]))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [parse_number(typed)]


def test_a_comma_in_tkr_settled_by_the_total(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Medel (tkr)"], ["140,000"], ("SKR", "39 000"))
    indata = read(tmp_path, fmt, edit, agreement(SMALL + 39.14))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [pytest.approx(0.14)]


@pytest.mark.parametrize(
    ("heading", "pot"), [("Pot belopp, Mkr", 750_000), ("Pott", 750_000), ("Pott, kr", 39)]
)
def test_an_amount_implausible_for_its_unit_is_refused(
    tmp_path: Path, fmt: str, heading: str, pot: float
) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", [heading], [pot]))
    assert any(p.startswith(f"Villkor 9!B{RIKET}: potten") and "orimligt" in p for p in found)


# -- 3. shares and percentages ----------------------------------------------------------------------


def shares(whole: float) -> Callable[[str], Sequence[object]]:
    persons = sum(POPULATION.values())
    return lambda name: (None, round(POPULATION[name] / persons * whole, 3))


@pytest.mark.parametrize(
    ("heading", "whole"), [("Andel", 1), ("Andel av potten, %", 100), ("Befolkningsandel", 1)]
)
def test_a_share_column_is_no_pot(tmp_path: Path, fmt: str, heading: str, whole: float) -> None:
    edit = villkor("Villkor 9", ["Pott", heading], [50, whole], lan=shares(whole))
    indata = read(tmp_path, fmt, edit)
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [50]
    assert total(indata) == pytest.approx(SMALL + 50)
    checked = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell.startswith("C")]
    assert len(checked) == 22 and all(e.role is Role.VERIFIED and e.agrees for e in checked)


def test_a_percentage_and_a_year_in_a_note_row_are_not_money(tmp_path: Path, fmt: str) -> None:
    rows = (("Andel av befolkningen i storstäderna", "14,8 %"), ("Beslut fattat", 2020), ("SKR", 39))
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], *rows))
    v9 = of(indata, "Villkor 9")
    assert [n.name for n in v9.national] == ["SKR"] and total(indata) == pytest.approx(SMALL + 89)
    assert v9.notes == ("Andel av befolkningen i storstäderna 14,8 %", "Beslut fattat 2020")


def test_a_number_formatted_as_a_percentage_is_no_money(tmp_path: Path) -> None:
    def percent(book: openpyxl.Workbook) -> None:
        book["Villkor 9"][f"B{RIKET + 2}"].number_format = "0.0%"

    edit = villkor("Villkor 9", ["Pott"], [50], ("Andel av befolkningen i storstäderna", 0.148), ("SKR", 39))
    indata = read(tmp_path, "xlsx", edit, percent)
    assert [n.name for n in of(indata, "Villkor 9").national] == ["SKR"] and total(indata) == pytest.approx(
        SMALL + 89
    )


# -- 4. columns that are not this year's pots ------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Pott 2020, Mkr", None, "Fördelning 2019, Mkr"],
        ["Pott, Mkr", "Förändring mot 2019, Mkr"],
        ["Pott, Mkr", "Föregående år, Mkr"],
        ["Pott, Mkr", "Diff, Mkr"],
        # a probe counted both: years written short, and last year in English
        ["Pott -20, Mkr", "Pott -19, Mkr"],
        ["Pott \u201920, Mkr", "Pott \u201919, Mkr"],
        ["Pott 2020, Mkr", "Pott fg ÖK, Mkr"],
        ["Amount, SEK m", "Last year, SEK m"],
    ],
)
def test_last_years_and_change_columns_are_not_pots(tmp_path: Path, fmt: str, header: list[object]) -> None:
    riket = [50, 45] if len(header) == 2 else [50, None, 45]
    edit = villkor("Villkor 9", header, riket)
    found = refused(tmp_path, fmt, edit)
    assert any(REMEDY in p for p in found)
    indata = read(tmp_path, fmt, edit, agreement(SMALL + 50))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [50]
    unused = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.role is Role.UNUSED and e.money]
    assert [e.value for e in unused] == [45]


@pytest.mark.parametrize("heading", ["Insatser covid-19, Mkr", "Pott 19, Mkr", "Pott nr-19"])
def test_a_number_after_a_dash_in_a_word_is_no_year(tmp_path: Path, fmt: str, heading: str) -> None:
    """'covid-19' is no 2019: the sheet's one pot is this year's."""
    indata = read(tmp_path, fmt, villkor("Villkor 9", [heading], [50]))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [50]


def test_a_hidden_column_and_a_hidden_row_are_never_added_silently(tmp_path: Path) -> None:
    def hide(book: openpyxl.Workbook) -> None:
        ws = book["Villkor 9"]
        ws.column_dimensions["C"].hidden = True
        ws.row_dimensions[RIKET + 3].hidden = True

    edit = villkor("Villkor 9", ["Pott, Mkr", "Pott 2019, Mkr"], [50, 45], ("SKR", 39), ("SKL", 20))
    found = refused(tmp_path, "xlsx", edit, hide)
    assert any(p.startswith(f"Villkor 9!C{RIKET}: kolumnen 'Pott 2019, Mkr' är dold") for p in found)
    assert any(p.startswith(f"Villkor 9!B{RIKET + 3}: raden 'SKL' är dold") for p in found)
    indata = read(tmp_path, "xlsx", edit, hide, agreement(SMALL + 89))
    assert total(indata) == pytest.approx(SMALL + 89)
    assert any("raden 'SKL' är dold; talet 20 Mkr räknas inte" in n for n in indata.notices)


@pytest.mark.parametrize("heading", ["Kommentar", "Anm.", "Beslut", None])
def test_a_column_of_comments_is_said_and_not_refused(tmp_path: Path, fmt: str, heading: str | None) -> None:
    """A probe: 'Pot belopp, Mkr' | 'Kommentar' with 'enl. beslut S2020/01234' on RIKET was refused as
    no number."""
    comments = {"Stockholms län": "inkl. samverkan med Gotland", "Gotlands län": "se Stockholm"}
    edit = villkor(
        "Villkor 9", ["Pot belopp, Mkr", heading], [140, "enl. beslut S2020/01234"],
        ("SKR", 39, "enligt avtal"), lan=lambda n: (None, comments.get(n)),
    )  # fmt: skip
    indata = read(tmp_path, fmt, edit)
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [140] and total(indata) == pytest.approx(
        SMALL + 179
    )
    named = f"'{heading}'" if heading else "utan rubrik"
    assert any(f"kolumnen {named} har bara text och följer inte med" in n for n in indata.notices)


@pytest.mark.parametrize("heading", ["Pot belopp, Mkr", "Tilläggsmedel", "Belopp (tkr)"])
def test_text_under_a_money_heading_is_still_no_pot(tmp_path: Path, fmt: str, heading: str) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott, Mkr", heading], [140, "se beslut"]))
    assert any(p.startswith(f"Villkor 9!C{RIKET}: 'se beslut' är inget tal") for p in found)


def test_a_comment_column_with_a_number_is_no_comment_column(tmp_path: Path, fmt: str) -> None:
    edit = villkor(
        "Villkor 9", ["Pott, Mkr", "Kommentar"], [140, "se beslut"],
        lan=lambda n: (None, 5 if n == "Gotlands län" else "ok"),
    )  # fmt: skip
    found = refused(tmp_path, fmt, edit)
    assert any(p.startswith(f"Villkor 9!C{RIKET}: 'se beslut' är inget tal") for p in found)


def test_a_pot_formatted_as_a_date_says_so(tmp_path: Path) -> None:
    def as_date(book: openpyxl.Workbook) -> None:
        book["Villkor 9"][f"B{RIKET}"].number_format = "yyyy-mm-dd"

    found = refused(tmp_path, "xlsx", villkor("Villkor 9", ["Pott, Mkr"], [140]), as_date)
    assert any(
        p.startswith(f"Villkor 9!B{RIKET}: '1900-05-19' är inget tal – cellen visas som datum") for p in found
    )


def strike(sheet: str, *cells: str) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        for cell in cells:
            book[sheet][cell].font = Font(strike=True)

    return edit


@pytest.mark.parametrize("struck", ["label", "amount", "both"])
def test_a_struck_through_row_is_never_paid_silently(tmp_path: Path, fmt: str, struck: str) -> None:
    """A probe: 'Försäkringskassan | 12' struck through (the officer's deletion) was paid under Klar."""
    row = RIKET + 3
    cells = {"label": [f"A{row}"], "amount": [f"B{row}"], "both": [f"A{row}", f"B{row}"]}[struck]
    edit = villkor("Villkor 9", ["Pott, Mkr"], [50], ("SKR", 39), ("Försäkringskassan", 12))
    found = refused(tmp_path, fmt, edit, strike("Villkor 9", *cells))
    assert any(
        p.startswith(f"Villkor 9!B{row}: raden 'Försäkringskassan' är överstruken") and REMEDY in p
        for p in found
    )
    indata = read(tmp_path, fmt, edit, strike("Villkor 9", *cells), agreement(SMALL + 89))
    assert [(n.name, n.amount) for n in of(indata, "Villkor 9").national] == [("SKR", 39)]
    told = "raden 'Försäkringskassan' är överstruken; talet 12 Mkr räknas inte"
    assert any(told in n for n in indata.notices)
    both = read(tmp_path, fmt, edit, agreement(SMALL + 101))  # without the strike: both are paid
    assert [n.name for n in of(both, "Villkor 9").national] == ["SKR", "Försäkringskassan"]


def white(sheet: str, *cells: str, fill: str | None = None) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        for cell in cells:
            book[sheet][cell].font = Font(color="FFFFFF")
            if fill is not None:
                book[sheet][cell].fill = PatternFill("solid", fgColor=fill)

    return edit


def test_a_pot_in_white_type_is_never_added_silently(tmp_path: Path, fmt: str) -> None:
    """A probe: a column 'Pott, Mkr' 130 in white type (unseen on screen and paper) was paid."""
    edit = villkor("Villkor 9", ["Pott, Mkr", "Tilläggspott, Mkr"], [50, 45], ("SKR", 39), ("FK", 12))
    hide = white("Villkor 9", f"C{RIKET}", f"A{RIKET + 3}", f"B{RIKET + 3}")
    found = refused(tmp_path, fmt, edit, hide)
    assert any(p.startswith(f"Villkor 9!C{RIKET}: kolumnen 'Tilläggspott, Mkr' syns inte") for p in found)
    assert any(p.startswith(f"Villkor 9!B{RIKET + 3}: raden 'FK' syns inte") for p in found)
    indata = read(tmp_path, fmt, edit, hide, agreement(SMALL + 89))
    assert total(indata) == pytest.approx(SMALL + 89)


@pytest.mark.parametrize("code", [";;;", '"";"";""', ";;"])
def test_a_pot_whose_format_shows_nothing_is_never_added_silently(
    tmp_path: Path, fmt: str, code: str
) -> None:
    """A probe: a column 'Tilläggspott, Mkr' formatted ';;;' (its numbers shown as nothing on screen and
    paper) was paid as a pot under Klar."""
    if fmt == "ods" and code != ";;;":
        pytest.skip("the tests' ODS writer blanks only a format of empty sections")

    def blank(book: openpyxl.Workbook) -> None:
        for r in range(4, RIKET + 1):
            book["Villkor 9"][f"C{r}"].number_format = code

    edit = villkor("Villkor 9", ["Pott, Mkr", "Tilläggspott, Mkr"], [50, 45], lan=lambda n: [None, 1])
    found = refused(tmp_path, fmt, edit, blank)
    said = "Villkor 9!C4: kolumnen 'Tilläggspott, Mkr' syns inte (talformatet visar inget, t.ex. ';;;')"
    assert any(p.startswith(said) and REMEDY in p for p in found), found
    assert [
        p.amount for p in of(read(tmp_path, fmt, edit, blank, agreement(SMALL + 50)), "Villkor 9").pots
    ] == [50]
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 95))) == pytest.approx(
        SMALL + 95
    )  # shown: a pot


def test_white_type_on_a_dark_fill_is_seen(tmp_path: Path) -> None:
    edit = villkor("Villkor 9", ["Pott, Mkr"], [50], ("SKR", 39))
    indata = read(tmp_path, "xlsx", edit, white("Villkor 9", f"A{RIKET + 2}", f"B{RIKET + 2}", fill="1F4E78"))
    assert total(indata) == pytest.approx(SMALL + 89)


@pytest.mark.parametrize("cell", ["C3", f"C{RIKET}"])
def test_a_struck_through_pot_column_is_never_added_silently(tmp_path: Path, fmt: str, cell: str) -> None:
    edit = villkor("Villkor 9", ["Pott, Mkr", "Tilläggspott, Mkr"], [50, 45])
    found = refused(tmp_path, fmt, edit, strike("Villkor 9", cell))
    assert any(
        p.startswith(f"Villkor 9!C{RIKET}: kolumnen 'Tilläggspott, Mkr' är överstruken") and REMEDY in p
        for p in found
    )
    indata = read(tmp_path, fmt, edit, strike("Villkor 9", cell), agreement(SMALL + 50))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [50]
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 95))) == pytest.approx(SMALL + 95)


# -- 5. and 6. sheets -----------------------------------------------------------------------------------


def test_a_helper_sheet_of_shares_is_passed_over(tmp_path: Path, fmt: str) -> None:
    indata = read(tmp_path, fmt, villkor("Andelar", ["Andel"], [1], lan=lambda n: shares(1)(n)[1:]))
    assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"]
    assert "Bladet 'Andelar' har bara andelar eller personer per län" in " ".join(indata.notices)


def _lan_code(name: str) -> int:
    return next(int(lan.code) for lan in LAN if lan.name == name)


@pytest.mark.parametrize("heading", ["Länskod", "Kod", "Län nr", "SCB-kod"])
def test_a_helper_sheet_of_codes_is_passed_over(tmp_path: Path, fmt: str, heading: str) -> None:
    """A probe: 'Nycklar' (Län | Länskod | Fördelningsnyckel) was refused: 'potten Länskod saknas'."""
    with_key = villkor("Nycklar", [heading, "Fördelningsnyckel"], [None, 1],
                       lan=lambda n: (_lan_code(n), shares(1)(n)[1]))  # fmt: skip
    codes_only = villkor("Listor", [heading], [], lan=lambda n: (_lan_code(n),))
    for edit in (with_key, codes_only):
        indata = read(tmp_path, fmt, edit)
        assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"]
        assert total(indata) == pytest.approx(SMALL)


def test_a_code_heading_over_other_figures_is_a_doubt(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Pott, Mkr", "Kod"], [140, 45])
    found = refused(tmp_path, fmt, edit)
    assert any(p.startswith(f"Villkor 9!C{RIKET}: kolumnen 'Kod' visar koder") and REMEDY in p for p in found)
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 140))) == pytest.approx(SMALL + 140)


def test_a_pot_numbered_is_no_code(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Pott nr 1, Mkr", "Pott nr 2, Mkr", "Totalt"], [100, 40, 140])
    assert [p.amount for p in of(read(tmp_path, fmt, edit), "Villkor 9").pots] == [100, 40]


def test_a_raw_scb_sheet_in_thousands_is_not_a_villkor(tmp_path: Path, fmt: str) -> None:
    def thousands(name: str) -> Sequence[object]:
        return (round(POPULATION[name] / 1000, 1),)

    edit = villkor("SCB", ["Folkmängd (tusental)"], [], title="Folkmängd per län", lan=thousands)
    indata = read(tmp_path, fmt, edit)
    assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"] and total(indata) == pytest.approx(
        SMALL
    )


def raw_scb(header: Sequence[str], row: Callable[[int], Sequence[object]], *, total: str | None,
            first: str | None = None, title: str = "Folkmängd efter region") -> Edit:  # fmt: skip
    """A table as SCB exports it, pasted as a sheet: `row(persons)` per län, a total row at the
    bottom (`total`) or at the top (`first`, with the län codes SCB writes before the names)."""

    def edit(book: openpyxl.Workbook) -> None:
        ws = book.create_sheet("SCB")
        ws.append([title])
        ws.append(["region", *header])
        everyone = sum(POPULATION.values())
        if first is not None:
            ws.append([first, *row(everyone)])
        for name in NAMES:
            ws.append([f"{CODES[name]} {name}" if first else name, *row(POPULATION[name])])
        if total is not None:
            ws.append([total, *row(everyone)])

    return edit


# SCB's län codes, in the order of NAMES
SCB_CODES = "01 03 04 05 06 07 08 09 10 12 13 14 17 18 19 20 21 22 23 24 25".split()  # noqa: SIM905
CODES = dict(zip(NAMES, SCB_CODES, strict=True))


def in_thousands(persons: int) -> Sequence[object]:
    return (round(persons / 1000, 1),)


RAW_SCB = {
    "i tusental med Totalt": raw_scb(["Folkmängd"], in_thousands, total="Totalt"),
    "i tusental, årtal som rubrik, 00 Riket först": raw_scb(
        ["2019"], in_thousands, total=None, first="00 Riket"
    ),
    "personer med Summa": raw_scb(["Antal"], lambda p: (p,), total="Summa"),
    "årtal som rubrik": raw_scb(["2019"], lambda p: (p,), total="Totalt", title="Tabell 1"),
    "efter kön": raw_scb(["män", "kvinnor", "totalt"], lambda p: (p // 2, p - p // 2, p), total="Riket"),
    "efter kön i tusental": raw_scb(
        ["män", "kvinnor", "Totalt"],
        lambda p: (p // 2 / 1000, (p - p // 2) / 1000, p / 1000),
        total="Riket",
        title="Folkmängd efter kön, tusental",
    ),
}


@pytest.mark.parametrize("table", RAW_SCB)
def test_a_raw_scb_table_is_known_by_its_figures_and_passed_over(
    tmp_path: Path, fmt: str, table: str
) -> None:
    """The län figures are Befolkning's persons (in persons or thousands) whatever the headings say:
    the sheet holds no money, and every figure of it is in the receipt."""
    indata = read(tmp_path, fmt, RAW_SCB[table])
    assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"]
    assert total(indata) == pytest.approx(SMALL)
    assert "Bladet 'SCB' har bara andelar eller personer per län" in " ".join(indata.notices)
    listed = [e for e in indata.receipt if e.sheet == "SCB"]
    assert len(listed) >= 22 and all(e.mkr is None and e.guess is None for e in listed)
    assert any(e.role is Role.VERIFIED and e.agrees for e in listed)


@pytest.mark.parametrize("heading", ["2018", "Folkmängd 2018"])
def test_another_years_scb_table_is_passed_over(tmp_path: Path, fmt: str, heading: str) -> None:
    """Last year's SCB table pasted as a sheet: each län within a few per cent of Befolkning, under a
    heading that names the year: persons of another date, not a pot, listed as not agreeing."""
    edit = raw_scb([heading], lambda p: (round(p * 0.985),), total="Totalt")
    indata = read(tmp_path, fmt, edit)
    assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"]
    assert "Bladet 'SCB' har bara andelar eller personer per län" in " ".join(indata.notices)
    money = refused(tmp_path, fmt, raw_scb(["Belopp 2018"], lambda p: (round(p * 0.985),), total="Totalt"))
    assert money  # under a money heading the figures are not taken for persons


@pytest.mark.parametrize("title", ["Underlag", "Befolkningsinriktade insatser"])
def test_the_population_under_a_money_heading_is_a_doubt(tmp_path: Path, fmt: str, title: str) -> None:
    """A pot of 1 krona per inhabitant typed in kronor without a unit holds the very same figures."""
    edit = raw_scb(["Belopp"], lambda p: (p,), total="RIKET", title=title)
    found = refused(tmp_path, fmt, edit)
    assert any(
        p.startswith("SCB!B24: kolumnen 'Belopp' har länens folkmängd enligt Befolkning och läses som "
                     "personer, inte som en pott") and REMEDY in p for p in found
    )  # fmt: skip
    assert total(read(tmp_path, fmt, edit, agreement(SMALL))) == pytest.approx(SMALL)


def test_another_years_heading_over_befolknings_figures_is_a_doubt(tmp_path: Path, fmt: str) -> None:
    """'Personer 2018' holding the 1/11 2019 figures: the heading or Befolkning is wrong."""
    edit = raw_scb(["Personer 2018"], lambda p: (p,), total="Totalt")
    found = refused(tmp_path, fmt, edit)
    assert any("har länens folkmängd enligt Befolkning men rubriken nämner 2018" in p for p in found)


def test_a_pot_beside_the_population_is_still_a_pot(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Folkmängd (tusental)", "Pott, Mkr"], [None, 140],
                   lan=lambda name: (round(POPULATION[name] / 1000, 1),))  # fmt: skip
    indata = read(tmp_path, fmt, edit)
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [140]
    persons = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell.startswith("B")]
    assert len(persons) == 21 and all(e.role is Role.VERIFIED and e.agrees for e in persons)


def test_an_exact_copy_of_a_sheet_is_refused_by_name(tmp_path: Path, fmt: str) -> None:
    def copy(book: openpyxl.Workbook) -> None:
        book.copy_worksheet(book["Villkor 3"]).title = "Villkor 3 (2)"

    copied = "Villkor 3 (2): bladet är en kopia av bladet 'Villkor 3' (samma titel, potter och belopp)"
    assert f"{copied} – ta bort kopian" in refused(tmp_path, fmt, copy)


def test_a_copy_laid_out_otherwise_is_a_copy_too(tmp_path: Path, fmt: str) -> None:
    """Fuzz seed 2589795176: a copy whose blank row moved reads as its original; refused at once, so
    that our result (which lays both out alike) never becomes an input refused as a copy."""

    def copy(book: openpyxl.Workbook) -> None:
        ws = book.copy_worksheet(book["Villkor 1"])
        ws.title = "Villkor 9"
        ws.move_range("A1", rows=1)

    assert any("bladet är en kopia av bladet 'Villkor 1'" in p for p in refused(tmp_path, fmt, copy))


def test_last_years_distribution_pasted_as_a_sheet_is_not_counted(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Fördelning 2019", ["Pott"], [140], title="Fördelning 2019")
    assert any(REMEDY in p for p in refused(tmp_path, fmt, edit))
    indata = read(tmp_path, fmt, edit, agreement(SMALL))
    assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"]


def test_a_villkor_sheet_that_also_shows_persons_is_read(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Personer", "Pott, Mkr"], [sum(POPULATION.values()), 140],
                   lan=lambda name: (POPULATION[name],))  # fmt: skip
    indata = read(tmp_path, fmt, edit)
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [140]
    persons = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell.startswith("B")]
    assert len(persons) == 22 and all(e.role is Role.VERIFIED and e.agrees for e in persons)


@pytest.mark.parametrize(("corner", "cell"), [("Villkor", "B1"), ("Län", "A1")])
def test_a_pivoted_sheet_is_refused_not_skipped(tmp_path: Path, fmt: str, corner: str, cell: str) -> None:
    """A probe: with 'Län' in the corner the message was 'raden RIKET med potten saknas i kolumn A'."""

    def pivoted(book: openpyxl.Workbook) -> None:
        ws = book.create_sheet("Villkor 9")
        ws.append([corner, *NAMES, "RIKET"])
        ws.append(["Pott, Mkr", *([None] * len(NAMES)), 140])

    found = refused(tmp_path, fmt, pivoted)
    assert any(p.startswith(f"Villkor 9!{cell}: länen står som kolumner – vänd tabellen") for p in found), (
        found
    )


# -- 7. population ------------------------------------------------------------------------------------


def two_persons_columns(second: str, *, hidden: bool = False) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book["Befolkning"]
        ws["B3"], ws["C3"] = second, "Personer 1/11 2019"
        for r in range(4, 4 + len(NAMES)):
            ws.cell(r, 3).value = ws.cell(r, 2).value
            ws.cell(r, 2).value = ws.cell(r, 2).value - 1000
        ws.cell(4 + len(NAMES), 3).value = sum(POPULATION.values())
        ws.cell(4 + len(NAMES), 2).value = sum(POPULATION.values()) - 21_000
        if hidden:
            ws.column_dimensions["B"].hidden = True

    return edit


def test_two_persons_columns_are_refused_naming_both(tmp_path: Path, fmt: str) -> None:
    found = refused(tmp_path, fmt, two_persons_columns("Personer 2018", hidden=False), _undated)
    assert any("bladet har 2 kolumner med personer (B3 'Personer 2018', C3 'Personer')" in p for p in found)


@pytest.mark.parametrize("heading", ["Invånare 1 nov 2018", "Folkmängd 2018-11-01", "Personer 2018"])
def test_a_persons_heading_dated_otherwise_than_the_sheet_is_refused(
    tmp_path: Path, fmt: str, heading: str
) -> None:
    """A probe: the only persons heading said 1 nov 2018 under 'Befolkning 1/11 2019': "Klar", the
    result titled 1/11 2019."""

    def dated(book: openpyxl.Workbook) -> None:
        book["Befolkning"]["B3"] = heading

    found = refused(tmp_path, fmt, dated)
    assert any(
        p.startswith(f"Befolkning!B3: rubriken '{heading}' gäller ett annat datum än bladets") for p in found
    )


def test_a_second_table_of_the_population_beside_the_first_is_refused(tmp_path: Path, fmt: str) -> None:
    """A probe: 2018's table in A–B and 2019's in D–E, one row lower: the first was used silently."""

    def second(book: openpyxl.Workbook) -> None:
        ws = book["Befolkning"]
        ws["D4"], ws["E4"] = "Län", "Folkmängd"
        for k, name in enumerate(NAMES):
            ws.cell(5 + k, 4).value, ws.cell(5 + k, 5).value = name, POPULATION[name] + 10

    found = refused(tmp_path, fmt, second)
    assert any(
        p.startswith(
            "Befolkning!A3: bladet har 2 tabeller med län och personer (B3 'Personer', E4 'Folkmängd')"
        )
        for p in found
    ), found


def test_a_share_of_the_persons_in_per_cent_is_no_second_persons_column(tmp_path: Path, fmt: str) -> None:
    def percent(book: openpyxl.Workbook) -> None:
        ws = book["Befolkning"]
        ws["C3"] = "Personer, % av riket"
        for k, name in enumerate(NAMES):
            ws.cell(4 + k, 3).value = round(100 * POPULATION[name] / sum(POPULATION.values()), 1)

    assert total(read(tmp_path, fmt, percent)) == pytest.approx(SMALL)


def _undated(book: openpyxl.Workbook) -> None:
    book["Befolkning"]["C3"] = "Personer"


@pytest.mark.parametrize("hidden", [False, True])
def test_the_persons_column_dated_as_b1_is_taken(tmp_path: Path, hidden: bool) -> None:
    indata = read(tmp_path, "xlsx", two_persons_columns("Personer 1/11 2018", hidden=hidden))
    assert dict(indata.population.counts) == POPULATION


# -- 8. recipients -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("SKR:", "SKR"),
        ("SKL", "SKR"),
        ("Sveriges Kommuner och Landsting", "SKR"),
        ("SKR (Sveriges Kommuner och Regioner)", "SKR"),
        ("Försäkringskassan (FK)", "Försäkringskassan"),
        ("Socialstyrelsen.", "Socialstyrelsen"),
        ("SKR¹", "SKR"),  # a footnote mark (a probe: paid beside SKR under B2)
        ("Socialstyrelsen *", "Socialstyrelsen"),
        ("SKR 1)", "SKR"),
        ("F-kassan", "Försäkringskassan"),  # a probe: paid beside Försäkringskassan under B2
        ("E\u2011hälsomyndigheten", "E-hälsomyndigheten"),  # a non-breaking hyphen
        ("Sveriges Kommuner & Regioner", "SKR"),
        # probes: each paid beside its body under B2 (SKR 0 in the Sammanställning)
        ("SKR (org.nr 222000-0315)", "SKR"),
        ("Socialstyrelsen, 202100-0555", "Socialstyrelsen"),
        ("Organisationsnummer 222000-0315 SKR", "SKR"),
        ("SKR (inkl. Inera)", "SKR"),
        ("Försäkringskassan – för utbildningsinsatser", "Försäkringskassan"),
        ("Socialstyrelsen (avser 2020)", "Socialstyrelsen"),
        ("Myndigheten för vårdanalys", "Myndigheten för vård- och omsorgsanalys"),
        ("Swedish Social Insurance Agency", "Försäkringskassan"),
        ("Public Health Agency of Sweden", "Folkhälsomyndigheten"),
        ("FHM", "Folkhälsomyndigheten"),
        # a third probe: paid beside their body under B2
        ("Sveriges Kommuner och Regioner (SKR) för kunskapsstöd", "SKR"),
        ("SALAR", "SKR"),
        ("Socialstyrelsen (uppföljning)", "Socialstyrelsen"),
        ("Socialstyrelsen – följeforskning", "Socialstyrelsen"),
        ("försäkringskassans uppdrag", "Försäkringskassan"),
        ("SKR, specificeras nedan", "SKR"),
    ],
)
def test_a_known_body_by_any_of_its_names(tmp_path: Path, fmt: str, name: str, body: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], (name, 10)))
    assert [(n.name, n.amount) for n in of(indata, "Villkor 9").national] == [(body, 10)]


@pytest.mark.parametrize(
    "name",
    [
        "Inera (via SKR)",
        "SKR – Inera",
        "SKR, Socialstyrelsen",
        "Inera AB (org.nr 556559-4230)",
        "SKR (Inera)",
    ],
)
def test_a_name_beside_a_body_names_another_recipient(tmp_path: Path, fmt: str, name: str) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], (name, 10)))
    assert any(
        f"'{name}' får 10,000 Mkr som fast belopp men är ingen känd nationell mottagare" in p for p in found
    )


def test_rows_that_add_up_to_another_are_not_settled_as_notes(tmp_path: Path, fmt: str) -> None:
    """A probe: 'SKR (se nedan)' 39 over indented 'Inera' 10 and 'Kunskapsstöd' 29 (its parts); B2
    agreed with SKR's row read as a note, and SKR was paid 0 with the parts paid as recipients."""
    edit = villkor(
        "Villkor 9", ["Pott"], [50], ("Nationellt stöd", 39), ("   Inera", 10), ("   Kunskapsstöd", 29)
    )
    found = refused(tmp_path, fmt, edit, agreement(SMALL + 89))
    assert any("villkorsbladen ger sammanlagt" in p for p in found)


def test_skl_is_said_to_be_skr(tmp_path: Path, fmt: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKL", 10)))
    assert f"Villkor 9!A{RIKET + 2}: 'SKL' är SKR:s namn före 2019 och räknas som SKR" in indata.notices


@pytest.mark.parametrize(
    "label",
    ["SKL (nu SKR)", "Sveriges Kommuner och Regioner (f.d. SKL)", "SKR (tidigare SKL)", "SKL, numera SKR",
     "SKR (fd Sveriges Kommuner och Landsting)", "SKL – nu Sveriges Kommuner och Regioner",
     "SKR (före detta SKL)"],
)  # fmt: skip
def test_skr_named_with_its_former_name_beside_is_skr(tmp_path: Path, fmt: str, label: str) -> None:
    """A probe paid 'SKL (nu SKR)' and 'Sveriges Kommuner och Regioner (f.d. SKL)' to unknown recipients."""
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], (label, 10)))
    assert [(n.name, n.amount) for n in of(indata, "Villkor 9").national] == [("SKR", 10)]
    assert (
        f"Villkor 9!A{RIKET + 2}: '{label}' nämner SKR:s namn före 2019 och räknas som SKR" in indata.notices
    )


@pytest.mark.parametrize("label", ["SKR (nu Försäkringskassan)", "SKL (numera Socialstyrelsen)"])
def test_a_name_said_to_be_another_bodys_is_no_known_recipient(tmp_path: Path, fmt: str, label: str) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], (label, 10)))
    assert any(p.startswith(f"Villkor 9!B{RIKET + 2}:") and REMEDY in p for p in found), found


# -- 9. reader faults ----------------------------------------------------------------------------------


def test_a_lan_below_riket_on_a_sheet_without_lan_rows_is_checked_not_dropped(
    tmp_path: Path, fmt: str
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book.create_sheet("Villkor 9")
        ws.append(["Län", "Pott"])
        ws.append(["RIKET", 50])
        ws.append(["Region Gotland", 2])

    indata = read(tmp_path, fmt, edit)
    entry = next(e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell == "B3")
    assert entry.role is Role.VERIFIED and not entry.agrees
    assert any(n.startswith("Villkor 9!B3: Gotlands län har 2 Mkr i indata") for n in indata.notices)


# -- the invariant ---------------------------------------------------------------------------------------


def test_every_numeric_cell_is_in_the_receipt_exactly_once(tmp_path: Path, fmt: str) -> None:
    edit = villkor(
        "Villkor 9", ["Ram, Mkr", "varav kontakter", "Andel"], [550, 50, 1], ("SKR", 39),
        ("varav Inera AB", 5), ("Beslut", 2020), ("SUMMA", 589), lan=lambda n: (None, None, shares(1)(n)[1]),
    )  # fmt: skip
    indata = read(tmp_path, fmt, edit)
    cells = [(e.sheet, e.cell) for e in indata.receipt]
    assert len(cells) == len(set(cells))
    book = small_book()
    edit(book)
    expected = {
        (ws.title, cell.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float)
    }
    assert expected <= set(cells)


# -- hidden rows and columns, percentages and scaled formats, as LibreOffice saves them in .ods ------------


def _hidden(book: openpyxl.Workbook) -> None:
    ws = book["Villkor 9"]
    ws.column_dimensions["C"].hidden = True
    ws.row_dimensions[RIKET + 3].hidden = True


def _percent(book: openpyxl.Workbook) -> None:
    book["Villkor 9"][f"B{RIKET + 3}"].number_format = "0.0%"


def _scaled(book: openpyxl.Workbook) -> None:
    book["Villkor 9"][f"B{RIKET}"].number_format = "#,##0.00,,"


DISPLAYED: dict[str, tuple[Edit, ...]] = {
    "hidden": (
        villkor("Villkor 9", ["Pott, Mkr", "Pott 2019, Mkr"], [50, 45], ("SKR", 39), ("SKL", 20)),
        _hidden,
    ),
    "percent": (villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), ("Andel i storstäderna", 0.148)), _percent),
    "scaled": (villkor("Villkor 9", ["Pott, Mkr"], [750_000], ("SKR", 39)), _scaled),
}


@pytest.fixture(scope="module")
def displayed_ods(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The display cases saved by LibreOffice as .ods, in one conversion."""
    from .conftest import libreoffice_convert

    folder = tmp_path_factory.mktemp("displayed")
    sources = []
    for name, edits in DISPLAYED.items():
        for with_total in (False, True):
            book = small_book()
            for edit in edits:
                edit(book)
            if with_total:
                agreement(SMALL + (89 if name != "scaled" else 39.75))(book)
            sources.append(folder / f"{name}-{int(with_total)}.xlsx")
            book.save(sources[-1])
    libreoffice_convert(sources, "ods", folder, profile=folder / "profile")
    return {path.stem: path.with_suffix(".ods") for path in sources}


def test_hidden_percent_and_scaled_cells_read_alike_in_ods(displayed_ods: dict[str, Path]) -> None:
    with pytest.raises(InputRejected) as caught:
        read_workbook(displayed_ods["hidden-0"])
    assert sum("är dold" in str(p) for p in caught.value.problems) == 2
    assert total(read_workbook(displayed_ods["hidden-1"])) == pytest.approx(SMALL + 89)
    percent = read_workbook(displayed_ods["percent-0"])
    assert [n.name for n in of(percent, "Villkor 9").national] == ["SKR"]
    with pytest.raises(InputRejected) as caught:
        read_workbook(displayed_ods["scaled-0"])
    assert any("visas som 0,750" in str(p) for p in caught.value.problems)
    assert [p.amount for p in of(read_workbook(displayed_ods["scaled-1"]), "Villkor 9").pots] == [0.75]


def test_a_scaled_format_is_read_as_displayed_only_with_the_total(tmp_path: Path) -> None:
    found = refused(tmp_path, "xlsx", *DISPLAYED["scaled"])
    assert any(
        p.startswith(f"Villkor 9!B{RIKET}: cellen innehåller 750 000 men visas som 0,750") for p in found
    )
    indata = read(tmp_path, "xlsx", *DISPLAYED["scaled"], agreement(SMALL + 39.75))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [0.75]


def test_a_mismatch_with_the_agreement_names_the_reading_that_would_agree(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Pott 1", "Pott 2", "Pott 3"], [500, 50, 550])  # Pott 3 is their total
    (found,) = refused(tmp_path, fmt, edit, agreement(SMALL + 550))
    assert "osäkra tolkningar att se över: Villkor 9!D25" in found
    assert "utan Villkor 9!D25 (550,000 Mkr) stämmer summan" in found


@pytest.mark.parametrize("typed", ["39 miljoner", "39 milj.", "39 000 tusen kr", "39 mn"])
def test_short_units_beside_a_number_count(tmp_path: Path, fmt: str, typed: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", typed)))
    assert [n.amount for n in of(indata, "Villkor 9").national] == [pytest.approx(39)]


@pytest.mark.parametrize(
    "name", ["Villkor 3 (2)", "Kopia av Villkor 3", "Villkor 3_2", "Villkor 3 - kopia", "Copy of Villkor 3",
             "Villkor 3 gammal", "Villkor 3 (utkast)"]
)  # fmt: skip
def test_a_changed_copy_of_a_sheet_counts_only_with_the_total(tmp_path: Path, fmt: str, name: str) -> None:
    def copy(book: openpyxl.Workbook) -> None:
        ws = book.copy_worksheet(book["Villkor 3"])
        ws.title = name
        ws["A1"] = "Ändrad kopia"

    found = refused(tmp_path, fmt, copy)
    void = "utkast" in name or "gammal" in name
    why = f"räknas inte som villkor: '{name}' säger" if void else "heter som en kopia av"
    assert any(p.startswith(f"{name}!B25: bladet {why}") for p in found), found
    assert total(read(tmp_path, fmt, copy, agreement(SMALL + 589))) == pytest.approx(SMALL + 589)


@pytest.mark.parametrize("name", ["VILLKOR", "Villkor", "villkor "])
def test_a_numbered_series_of_sheets_is_no_copy(tmp_path: Path, fmt: str, name: str) -> None:
    """'Villkor 3' beside 'Villkor' (the first sheet left unnumbered) numbers a series; found by fuzz seed
    1045115992, whose first sheet renamed 'VILLKOR' made Villkor 3 a doubtful copy."""

    def rename(book: openpyxl.Workbook) -> None:
        book["Villkor 1"].title = name

    indata = read(tmp_path, fmt, rename)
    assert total(indata) == pytest.approx(SMALL)
    assert not any("kopia" in notice for notice in indata.notices)


@pytest.mark.parametrize(
    ("heading", "certain"), [("Ram, Mkr", True), ("Båda potterna", True), ("Pott", False)]
)
def test_a_first_column_equal_to_the_pots_to_its_right_is_their_total(
    tmp_path: Path, fmt: str, heading: str, certain: bool
) -> None:
    edit = villkor("Villkor 9", [heading, "Behandlingsinsatser", "Kontakter"], [550, 500, 50])
    if not certain:
        assert any(REMEDY in p for p in refused(tmp_path, fmt, edit))
    indata = read(tmp_path, fmt, edit, *(() if certain else (agreement(SMALL + 550),)))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [500, 50]
    assert total(indata) == pytest.approx(SMALL + 550)


@pytest.mark.parametrize("heading", ["Prognos 2021, Mkr", "Fjolårets pott", "Utfall 2019"])
def test_another_years_column_is_not_a_pot(tmp_path: Path, fmt: str, heading: str) -> None:
    edit = villkor("Villkor 9", ["Pott, Mkr", heading], [50, 45])
    indata = read(tmp_path, fmt, edit, agreement(SMALL + 50))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [50]


def test_a_heading_with_two_units_is_refused(tmp_path: Path, fmt: str) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott, Mkr (tkr)"], [50]))
    assert (
        "Villkor 9!B3: rubriken 'Pott, Mkr (tkr)' nämner flera enheter – skriv en (Mkr, tkr eller kr)"
        in found
    )


@pytest.mark.parametrize(
    "name", ["SKR – Sveriges Kommuner och Regioner", "Försäkringskassan, FK", "Socialstyrelsen / SoS"]
)
def test_a_body_with_its_other_name_after_a_dash_comma_or_slash(tmp_path: Path, fmt: str, name: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], (name, 10)))
    assert len(of(indata, "Villkor 9").national) == 1
    mixed = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR / Försäkringskassan", 10)))
    assert any(REMEDY in p for p in mixed)


# -- spellings the issue does not name, of the same classes ----------------------------------------------


@pytest.mark.parametrize(
    ("heading", "each"),
    [("Pot belopp (000 kr)", 1_000), ("Belopp, 000-tal kr", 1_000), ("Pott, k SEK", 1_000),
     ("Belopp, kr (i tusental)", 1_000), ("Pott ('000 kr)", 1_000), ("Belopp 1 000-tals kronor", 1_000),
     ("Pott, 000 000 kr", 1), ("Belopp, kr i miljoner", 1), ("Belopp (10 000 kr)", None),
     ("Belopp, hundratal kr", None), ("Pott, tiotusentals kronor", None),
     # a multiplier away from the currency, and a count before a known unit
     ("Amount in SEK, thousands", None), ("Belopp kr, tusental", None), ("Pott (kr) i miljoner", 1),
     ("Belopp, kronor (avrundat till tusental)", None), ("Pott, hundred thousand SEK", None)],
)  # fmt: skip
def test_a_multiplier_before_the_currency_is_part_of_the_unit(
    tmp_path: Path, fmt: str, heading: str, each: int | None
) -> None:
    """A probe's '(000 kr)' was read as kronor: 50 000 became 0,05 Mkr under "Klar". A multiplier the
    program does not know is refused, never dropped to plain kronor."""
    edit = villkor("Villkor 9", [heading], [50 * (each or 1_000)], ("SKR", 39 * (each or 1_000)))
    if each is None:
        (found,) = refused(tmp_path, fmt, edit)
        assert found.startswith(f"Villkor 9!B3: rubriken '{heading}' anger enheten '") and "kr" in found
        assert found.endswith("som programmet inte kan läsa säkert – skriv Mkr, tkr eller kr")
        return
    v9 = of(read(tmp_path, fmt, edit), "Villkor 9")
    assert [p.amount for p in v9.pots] == [pytest.approx(50)]
    assert [n.amount for n in v9.national] == [pytest.approx(39)]


@pytest.mark.parametrize("typed", [2000, 1995, 2100])
def test_a_year_like_amount_in_tkr_is_money(tmp_path: Path, fmt: str, typed: int) -> None:
    """2 000 tkr to 'Inera AB' was passed over as "ett år i en anteckning" under "Klar": in tkr it is
    2 Mkr, an amount to an unknown recipient like any other (a doubt without the agreement total)."""
    edit = villkor("Villkor 9", ["Pot belopp, tkr"], [50_000], ("Inera AB", typed))
    (found,) = refused(tmp_path, fmt, edit)
    assert found.startswith(f"Villkor 9!B{RIKET + 2}: 'Inera AB' får {typed / 1000:.3f}".replace(".", ","))
    v9 = of(read(tmp_path, fmt, edit, agreement(SMALL + 50 + typed / 1000)), "Villkor 9")
    assert [(n.name, n.amount) for n in v9.national] == [("Inera AB", pytest.approx(typed / 1000))]


@pytest.mark.parametrize(
    ("heading", "shown"), [("Pot belopp, tkr", '#,##0 "kr"'), ("Pott, Mkr", '#,##0 "tkr"')]
)
def test_a_number_format_that_contradicts_the_heading_is_a_doubt(
    tmp_path: Path, fmt: str, heading: str, shown: str
) -> None:
    """The heading says one unit, the cells' format shows another: only the agreement total can say which."""
    if fmt == "ods":
        pytest.skip(
            "the tests' ODS writer writes no number formats (an .ods from LibreOffice was tried by hand)"
        )
    unit = "tkr" if "tkr" in heading else "Mkr"

    def formatted(book: openpyxl.Workbook) -> None:
        villkor("Villkor 9", [heading], [50_000 if unit == "tkr" else 50])(book)
        book["Villkor 9"].cell(RIKET, 2).number_format = shown

    (found,) = refused(tmp_path, fmt, formatted)
    assert (
        found.startswith(f"Villkor 9!B{RIKET}: talformatet visar ") and f"'{heading}' säger {unit}" in found
    )
    assert REMEDY in found


@pytest.mark.parametrize(
    ("typed", "mkr"),
    [
        ("0,05 miljarder", 50),
        ("0,05 mdkr", 50),
        ("50 000 kkr", 50),
        ("50 000 000:-", 50),
        ("50 000 000:–", 50),
    ],
)
def test_other_units_of_money(tmp_path: Path, fmt: str, typed: str, mkr: float) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [typed]))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [pytest.approx(mkr)]


def test_an_amount_in_a_unit_the_program_does_not_know_is_refused_not_a_note(
    tmp_path: Path, fmt: str
) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", "39 mille")))
    assert any(p.startswith(f"Villkor 9!B{RIKET + 2}: '39 mille' är inget belopp") for p in found)


@pytest.mark.parametrize("label", ["Summering", "Slutsumma", "Summerat att betala"])
def test_other_sum_labels_must_add_up(tmp_path: Path, fmt: str, label: str) -> None:
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), (label, 80)))
    assert any(f"'{label}' är 80,000 men RIKET plus de fasta beloppen ovanför är 89,000" in p for p in found)


def test_a_total_by_arithmetic_alone_is_settled_by_the_total_either_way(tmp_path: Path, fmt: str) -> None:
    """A probe: 'Utbetalning mars, Mkr' 70 | 'Utbetalning okt, Mkr' 70 was refused with B2 = 140,
    though the message itself said that counting the second column as a pot agrees."""
    edit = villkor("Villkor 9", ["Utbetalning mars, Mkr", "Utbetalning okt, Mkr"], [70, 70])
    found = refused(tmp_path, fmt, edit)
    assert any("räknas som totalkolumn" in p and REMEDY in p for p in found)
    two = read(tmp_path, fmt, edit, agreement(SMALL + 140))
    assert [p.amount for p in of(two, "Villkor 9").pots] == [70, 70]
    one = read(tmp_path, fmt, edit, agreement(SMALL + 70))
    assert [p.amount for p in of(one, "Villkor 9").pots] == [70]


@pytest.mark.parametrize("first", ["Förgående år, Mkr", "Senaste året, Mkr", "Kontakter, Mkr"])
def test_a_first_column_not_named_a_pot_beside_a_named_one_is_a_guess(
    tmp_path: Path, fmt: str, first: str
) -> None:
    """A probe: 'Förgående år, Mkr' 130 | 'Pot belopp, Mkr' 140 was paid as 270 without a word."""
    edit = villkor("Villkor 9", [first, "Pot belopp, Mkr"], [130, 140])
    found = refused(tmp_path, fmt, edit)
    assert any(p.startswith(f"Villkor 9!B{RIKET}: kolumnen '{first}'") and REMEDY in p for p in found)
    assert [p.amount for p in of(read(tmp_path, fmt, edit, agreement(SMALL + 140)), "Villkor 9").pots] == [
        140
    ]
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 270))) == pytest.approx(SMALL + 270)


def test_fg_ar_is_last_year(tmp_path: Path, fmt: str) -> None:
    indata = read(
        tmp_path, fmt, villkor("Villkor 9", ["Pott, Mkr", "Fg. år, Mkr"], [50, 45]), agreement(SMALL + 50)
    )
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [50]


# -- rules rather than spellings: the forms a probe of new spellings found ---------------------------


@pytest.mark.parametrize(
    "part",
    [
        "Härav kontakter", "härutav kontakter", "Därutav: kontakter", "Of which contacts",
        "Inom ramen: arbetsgivarkontakter, Mkr", "inom potten kontakter", "» varav kontakter",
        "→ därav kontakter", "Kontakter (ingår i potten)", "Kontakter, inräknat i ramen",
    ],
)  # fmt: skip
def test_every_form_of_a_breakdown_word_is_a_part(tmp_path: Path, fmt: str, part: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pot belopp, Mkr", part], [140, 40]))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [140]
    assert total(indata) == pytest.approx(SMALL + 140)


@pytest.mark.parametrize(
    "heading", ["Sjukfall per 1000 inv.", "Kr per invånare", "Medel/capita", "Antal per 100 000"]
)
def test_a_rate_per_inhabitant_is_no_pot(tmp_path: Path, fmt: str, heading: str) -> None:
    """A probe: 'Sjukfall per 1000 inv.' (RIKET 12,3, each län 10–14) was taken for a pot."""
    edit = villkor("Villkor 9", [heading, "Medel, Mkr"], [12.3, 60], lan=lambda n: (10 + len(n) % 5,))
    indata = read(tmp_path, fmt, edit)
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [60]
    rates = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell.startswith("B")]
    assert len(rates) == 22 and all(e.role is Role.UNUSED and not e.money for e in rates)


def test_a_rate_heading_over_a_sum_is_a_doubt(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Medel per invånare", "Medel, Mkr"], [21, 60], lan=lambda n: (1,))
    found = refused(tmp_path, fmt, edit)
    assert any("visar ett tal per invånare" in p and REMEDY in p for p in found)


def test_a_column_of_dates_is_no_pot_under_any_heading(tmp_path: Path) -> None:
    """A probe: 'Utbetalas senast' 2021-01-27 on RIKET was refused as no number, with B2 too."""
    import datetime as dt

    edit = villkor("Villkor 9", ["Pot belopp, Mkr", "Utbetalas senast"], [140, dt.datetime(2021, 1, 27)])
    assert total(read(tmp_path, "xlsx", edit)) == pytest.approx(SMALL + 140)


@pytest.mark.parametrize("label", ["Kontakter (ingår ej i potten)", "Ingår inte: kontakter", "Inomhusmiljö"])
def test_a_negated_or_unrelated_word_is_no_part(tmp_path: Path, fmt: str, label: str) -> None:
    indata = read(
        tmp_path, fmt, villkor("Villkor 9", ["Pot belopp, Mkr", label], [140, 40]), agreement(SMALL + 180)
    )
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [140, 40]


@pytest.mark.parametrize(("value", "shown"), [(True, "SANT"), (False, "FALSKT")])
@pytest.mark.parametrize("label", ["Försäkringskassan", "SUMMA"])
def test_a_known_body_or_sum_beside_a_value_that_is_no_number_is_refused(
    tmp_path: Path, fmt: str, label: str, value: bool, shown: str
) -> None:
    """A probe: 'Försäkringskassan | TRUE' was dropped without a word under Klar."""
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), (label, value)))
    assert any(p.startswith(f"Villkor 9!B{RIKET + 3}: '{shown}' är inget belopp") for p in found)


def test_a_note_beside_a_truth_value_stays_a_note(tmp_path: Path, fmt: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("Klart för utbetalning", True)))
    assert of(indata, "Villkor 9").notes == ("Klart för utbetalning SANT",)


@pytest.mark.parametrize("amount", [51, 101])
@pytest.mark.parametrize("label", ["Totala nationella medel", "Summan av ovanstående"])
def test_a_total_word_in_any_form_claims_a_sum(tmp_path: Path, fmt: str, label: str, amount: int) -> None:
    """A probe: 'Totala nationella medel' 51 (= SKR 39 + FK 12) was read as an unknown recipient."""
    edit = villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), ("Försäkringskassan", 12), (label, amount))
    assert [n.name for n in of(read(tmp_path, fmt, edit), "Villkor 9").national] == [
        "SKR",
        "Försäkringskassan",
    ]


@pytest.mark.parametrize("heading", ["Δ Mkr", "∆ mot 2019"])
def test_a_delta_heading_is_a_change(tmp_path: Path, fmt: str, heading: str) -> None:
    edit = villkor("Villkor 9", ["Mkr", heading], [140, 10])
    found = refused(tmp_path, fmt, edit)
    assert any(f"kolumnen '{heading}' visar en förändring" in p for p in found)
    assert [p.amount for p in of(read(tmp_path, fmt, edit, agreement(SMALL + 140)), "Villkor 9").pots] == [
        140
    ]


@pytest.mark.parametrize("label", ["Σ nationella", "∑ villkor 9", "Σ"])
def test_the_sum_sign_claims_a_sum(tmp_path: Path, fmt: str, label: str) -> None:
    """A probe: 'Σ nationella' 51 was read as an unknown recipient."""
    edit = villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), ("Försäkringskassan", 12), (label, 101))
    v9 = of(read(tmp_path, fmt, edit), "Villkor 9")
    assert [n.name for n in v9.national] == ["SKR", "Försäkringskassan"]
    found = refused(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [50], ("SKR", 39), (label, 90)))
    assert any(f"'{label}' är 90,000" in p for p in found)


@pytest.mark.parametrize("heading", ["Fördelningstal", "Fördelning", "Pott"])
def test_shares_beside_a_riket_of_one_are_a_doubt(tmp_path: Path, fmt: str, heading: str) -> None:
    """A column with 1 in RIKET and each län's share beside it read as a 1 Mkr pot whose län amounts
    agree (a probe: "Klar" with 1 Mkr too much, no Obs): the shares themselves, far more likely."""
    edit = villkor("Villkor 9", [heading, "Pot belopp, Mkr"], [1, 140], lan=lambda n: (shares(1)(n)[1],))
    found = refused(tmp_path, fmt, edit)
    assert any(
        p.startswith(f"Villkor 9!B{RIKET}: kolumnen '{heading}' har 1 i raden RIKET och länens andelar")
        for p in found
    ), found
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 141))) == pytest.approx(SMALL + 141)


@pytest.mark.parametrize(
    "heading", ["Rörlig andel (kontakter)", "Befolkningsbaserat statsbidrag", "Kvotbaserad ersättning"]
)
def test_a_share_word_in_a_pot_heading_does_not_drop_its_money(
    tmp_path: Path, fmt: str, heading: str
) -> None:
    """A probe had 'Rörlig andel (kontakter)' 50 and 'Befolkningsbaserat statsbidrag' 140 dropped as
    share or persons columns, with only an Obs, under "Klar": a RIKET figure far from the population's
    total (1, 100 % or the persons) may be a pot, and only the agreement total can say."""
    (found,) = refused(tmp_path, fmt, villkor("Villkor 9", ["Pot belopp, Mkr", heading], [140, 50]))
    assert found.startswith(
        f"Villkor 9!C{RIKET}: kolumnen '{heading}' har 50 i raden RIKET, inte befolkningens"
    )
    assert "är kolumnen en pott?" in found and REMEDY in found


@pytest.mark.parametrize("heading", ["Rörlig andel (kontakter)", "Antal kontakter", "Befolkningsbaserat"])
def test_the_agreement_total_settles_such_a_column_as_a_pot(tmp_path: Path, fmt: str, heading: str) -> None:
    """The refusal promises that the agreement total decides: when it agrees only with the column
    counted, the column is a pot, with an Obs that says why; when it agrees without, it is not."""
    edit = villkor("Villkor 9", ["Pot belopp, Mkr", heading], [140, 50])
    indata = read(tmp_path, fmt, edit, agreement(SMALL + 190))
    assert [(p.label, p.amount) for p in of(indata, "Villkor 9").pots] == [
        ("Pot belopp, Mkr", 140),
        (heading, 50),
    ]
    assert (
        f"Villkor 9!C{RIKET}: kolumnen '{heading}' räknas som en pott (50,000 Mkr) – överenskommelsens "
        "totalbelopp stämmer bara med den"
    ) in indata.notices
    (pot,) = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell == f"C{RIKET}"]
    assert pot.role is Role.USED and pot.mkr == 50 and "totalbelopp stämmer bara med den" in (pot.guess or "")
    assert [p.amount for p in of(read(tmp_path, fmt, edit, agreement(SMALL + 140)), "Villkor 9").pots] == [
        140
    ]
    (mismatch,) = refused(tmp_path, fmt, edit, agreement(SMALL + 200))
    assert "villkorsbladen ger sammanlagt 830,200 Mkr" in mismatch


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        (["Ursprunglig pott, Mkr", "Reviderad pott, Mkr"], 140),
        (["Preliminär pott", "Slutlig pott"], 140),
        (["Pot belopp, Mkr", "Pot belopp, Mkr"], 150),  # the same heading twice, no total column
        (["Pott (nytt beslut)", "Pott enligt utkast"], 150),
    ],
)
def test_two_versions_of_a_pot_are_settled_by_the_total(
    tmp_path: Path, fmt: str, header: list[str], kept: int
) -> None:
    """A probe: 'Ursprunglig pott' 150 beside 'Reviderad pott' 140 was paid as 290, under "Klar"."""
    edit = villkor("Villkor 9", header, [150, 140])
    found = refused(tmp_path, fmt, edit)
    assert any("kan vara en annan version av en pott" in p and REMEDY in p for p in found)
    indata = read(tmp_path, fmt, edit, agreement(SMALL + kept))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [kept]
    assert any("räknas inte som en pott" in n and "stämmer bara utan den" in n for n in indata.notices)
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 290))) == pytest.approx(SMALL + 290)


@pytest.mark.parametrize("total_column", [True, False])
def test_sub_pots_before_any_pot_are_the_pots(tmp_path: Path, fmt: str, total_column: bool) -> None:
    """A probe: 'Delpott A – behandling | Delpott B – kontakter | Summa villkor 3' was refused as parts
    of no pot; and a heading that claims a sum the arithmetic bears out is a total, not a guess."""
    header = ["Delpott A – behandling, Mkr", "Delpott B – kontakter, Mkr"]
    riket: list[object] = [500, 50]
    if total_column:
        header, riket = [*header, "Summa villkor 9, Mkr"], [*riket, 550]
    indata = read(tmp_path, fmt, villkor("Villkor 9", header, riket))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [500, 50]
    assert total(indata) == pytest.approx(SMALL + 550)


def test_a_pot_with_its_total_column_is_no_version(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Pot belopp, Mkr", "Pot belopp, Mkr", "Totalt"], [150, 140, 290])
    assert total(read(tmp_path, fmt, edit)) == pytest.approx(SMALL + 290)


@pytest.mark.parametrize(
    ("header", "riket"),
    [(["Pot belopp, Mkr", "Utbetalt hittills, Mkr"], 70), (["Pot belopp, Mkr", "Utbetalningsår"], 2021)],
)
def test_the_total_sets_aside_a_column_taken_for_a_pot(
    tmp_path: Path, fmt: str, header: list[str], riket: int
) -> None:
    """A probe: with B2 agreeing only without the column, the refusal said so but did not decide."""
    indata = read(tmp_path, fmt, villkor("Villkor 9", header, [140, riket]), agreement(SMALL + 140))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [140]
    (entry,) = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell == f"C{RIKET}"]
    assert entry.role is Role.UNUSED and "stämmer bara utan den" in (entry.guess or "")


def test_the_total_reads_a_row_taken_for_a_recipient_as_a_note(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Pot belopp, Mkr"], [140], ("Antal samordnare som finansieras (st)", 210))
    assert any("ingen känd nationell mottagare" in p for p in refused(tmp_path, fmt, edit))
    indata = read(tmp_path, fmt, edit, agreement(SMALL + 140))
    assert of(indata, "Villkor 9").national == ()
    assert any(
        n.startswith(
            f"Villkor 9!B{RIKET + 2}: raden 'Antal samordnare som finansieras (st)' räknas som en anteckning"
        )
        for n in indata.notices
    )
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 350))) == pytest.approx(SMALL + 350)


def test_a_sheet_of_one_such_column_becomes_a_villkor_in_its_place(tmp_path: Path, fmt: str) -> None:
    def first(book: openpyxl.Workbook) -> None:
        villkor("Villkor 0", ["Rörlig andel (kontakter)"], [50])(book)
        book.move_sheet("Villkor 0", offset=-2)

    indata = read(tmp_path, fmt, first, agreement(SMALL + 50))
    assert [v.name for v in indata.villkor] == ["Villkor 0", "Villkor 1", "Villkor 3"]
    assert not any("Bladet 'Villkor 0' har bara andelar" in n for n in indata.notices)
    earlier = villkor("Fördelning 2019", ["Rörlig andel (kontakter)"], [50])
    (mismatch,) = refused(tmp_path, fmt, earlier, agreement(SMALL + 50))
    assert "med Fördelning 2019!B25 (50,000 Mkr) medräknad stämmer summan" in mismatch


@pytest.mark.parametrize("heading", ["Förändring", "Pott 2019", "Föregående år"])
def test_a_heading_that_says_no_pot_is_not_overruled_by_the_total(
    tmp_path: Path, fmt: str, heading: str
) -> None:
    """A change or another year's column says what it is: the total does not make it a pot; the
    message says to correct the heading."""
    (mismatch,) = refused(tmp_path, fmt, villkor("Villkor 9", ["Pot belopp, Mkr", heading], [140, 50]),
                          agreement(SMALL + 190))  # fmt: skip
    assert f"med Villkor 9!C{RIKET} (50,000 Mkr) medräknad stämmer summan – rätta rubriken" in mismatch


@pytest.mark.parametrize(
    ("heading", "row"),
    [("Därtill: kontakter, Mkr", "Därtill SKR administration"), ("Därtill", "därtill Inera")],
)
def test_in_addition_is_no_part(tmp_path: Path, fmt: str, heading: str, row: str) -> None:
    """'Därtill' says "in addition to that": a probe had its 50 Mkr column and 2 Mkr row dropped as parts
    under "Klar". They are money the program must not guess about: refused without the total, paid with it."""
    edit = villkor("Villkor 9", ["Pot belopp, Mkr", heading], [140, 50], ("SKR", 10), (row, 2))
    found = refused(tmp_path, fmt, edit)
    assert any(p.startswith(f"Villkor 9!C{RIKET}: kolumnen '{heading}'") for p in found), found
    assert any(p.startswith(f"Villkor 9!B{RIKET + 3}: '{row}' får 2,000 Mkr") for p in found), found
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 202))) == pytest.approx(SMALL + 202)


@pytest.mark.parametrize("heading", ["Beslut 2020-01-15, Mkr", "Kontakter", "Medel enligt beslut"])
def test_a_second_column_that_does_not_say_it_is_a_pot_is_a_guess(
    tmp_path: Path, fmt: str, heading: str
) -> None:
    edit = villkor("Villkor 9", ["Pot belopp, Mkr", heading], [140, 130])
    found = refused(tmp_path, fmt, edit)
    assert any(f"Villkor 9!C25: kolumnen '{heading}'" in p and REMEDY in p for p in found)
    assert total(read(tmp_path, fmt, edit, agreement(SMALL + 270))) == pytest.approx(SMALL + 270)
    # A total column that adds the two up settles it without the agreement's total.
    summed = villkor("Villkor 9", ["Pot belopp, Mkr", heading, "Totalt"], [140, 130, 270])
    assert total(read(tmp_path, fmt, summed)) == pytest.approx(SMALL + 270)


@pytest.mark.parametrize(
    ("heading", "typed", "mkr"),
    [
        ("Belopp, 1000-tal kr", 6300, 6.3),
        ("Belopp (1 000 kr)", 6300, 6.3),
        ("Belopp i 1000-tals kronor", 6300, 6.3),
        ("Belopp, T kr", 6300, 6.3),
        ("Belopp, miljontals kronor", 6.3, 6.3),
    ],
)
def test_a_multiplier_before_kronor_is_the_unit(
    tmp_path: Path, fmt: str, heading: str, typed: float, mkr: float
) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pot", heading], [0, 0], ("SKR", "", typed)))
    assert [n.amount for n in of(indata, "Villkor 9").national] == [pytest.approx(mkr)]


@pytest.mark.parametrize(
    "note", ["Beloppen anges i tkr", "Alla belopp i tusentals kronor", "(tkr)", "Enhet: tkr"]
)
def test_a_note_that_declares_the_unit_covers_the_headings_without_one(
    tmp_path: Path, fmt: str, note: str
) -> None:
    edit = villkor("Villkor 9", ["Pot belopp"], [0], (note,), ("SKR", 6300), ("SUMMA", 6300))
    indata = read(tmp_path, fmt, edit)
    assert [n.amount for n in of(indata, "Villkor 9").national] == [pytest.approx(6.3)]
    assert any("läses i tkr" in n for n in indata.notices)
    # The result is in Mkr: its heading says so, and the note says it was the input's unit.
    assert [p.label for p in of(indata, "Villkor 9").pots] == ["Pot belopp, Mkr"]
    assert f"{note} (i indata – här omräknat till Mkr)" in of(indata, "Villkor 9").notes
    # A heading that says otherwise cannot be told from the note: refused.
    clash = villkor("Villkor 9", ["Pot belopp, Mkr"], [0], (note,), ("SKR", 6300))
    assert any("skriv en och samma enhet" in p for p in refused(tmp_path, fmt, clash))


def test_a_sentence_with_an_amount_declares_no_unit(tmp_path: Path, fmt: str) -> None:
    edit = villkor(
        "Villkor 9", ["Pot belopp"], [10], ("Utbetalning av 500 tkr sker senast i juni",), ("SKR", 2)
    )
    indata = read(tmp_path, fmt, edit)
    assert [n.amount for n in of(indata, "Villkor 9").national] == [pytest.approx(2)]


@pytest.mark.parametrize(
    ("heading", "riket"),
    [("Län/landsting", "Hela Sverige"), ("Landsting", "Riket totalt"), ("Länsnamn", "Samtliga län"),
     ("County", "Sweden")],
)  # fmt: skip
def test_other_words_for_the_lan_column_and_the_whole_country(
    tmp_path: Path, fmt: str, heading: str, riket: str
) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        villkor("Villkor 9", ["Pot belopp, Mkr"], [140])(book)
        ws = book["Villkor 9"]
        ws["A3"], ws["A25"] = heading, riket

    assert of(read(tmp_path, fmt, edit), "Villkor 9").pots[0].amount == 140


def test_a_table_of_the_lan_without_a_heading_is_refused_not_skipped(tmp_path: Path, fmt: str) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        villkor("Villkor 9", ["Pot belopp, Mkr"], [140], lan=lambda _: [6.6])(book)
        ws = book["Villkor 9"]
        ws["A3"], ws["A25"] = "Mottagare", "Allt"

    found = refused(tmp_path, fmt, edit)
    assert any(p.startswith("Villkor 9!A4: bladet har länen under varandra") for p in found)


@pytest.mark.parametrize("label", ["Till SKR", "Medel till SKR", "Bidrag till SKR"])
def test_a_recipient_named_with_till_is_that_recipient(tmp_path: Path, fmt: str, label: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pot belopp, Mkr"], [10], (label, 4)))
    assert [(n.name, n.amount) for n in of(indata, "Villkor 9").national] == [("SKR", 4)]
    assert any(f"'{label}' räknas som SKR" in n for n in indata.notices)


def copy_named(name: str, title: str = "Ett villkor") -> Edit:
    def copy(book: openpyxl.Workbook) -> None:
        ws = book.copy_worksheet(book["Villkor 3"])
        ws.title = name
        ws["A1"] = title

    return copy


@pytest.mark.parametrize("name", ["Villkor 3 prel", "Villkor 3 enl. SKR", "Förslag Villkor 3"])
def test_a_sheet_named_after_another_with_words_added_is_settled_by_the_total(
    tmp_path: Path, fmt: str, name: str
) -> None:
    """A probe had 'Villkor 3 prel' (a copy with a new title) paid as a second 550 Mkr under Klar."""
    found = refused(tmp_path, fmt, copy_named(name))
    said = (
        "bladet räknas inte som villkor"
        if "UTGÅR" in name
        else "bladet heter som bladet 'Villkor 3' med tillägget"
    )
    assert any(p.startswith(f"{name}!B25: {said}") for p in found)
    assert any(REMEDY in p for p in found)
    kept = read(tmp_path, fmt, copy_named(name), agreement(SMALL + 589))
    assert total(kept) == pytest.approx(SMALL + 589)
    set_aside = read(tmp_path, fmt, copy_named(name), agreement(SMALL))
    assert total(set_aside) == pytest.approx(SMALL)
    assert name not in [v.name for v in set_aside.villkor]
    assert any("stämmer utan bladet" in n for n in set_aside.notices)
    unused = [e for e in set_aside.receipt if e.sheet == name and e.cell == "B25"]
    assert [e.role for e in unused] == [Role.UNUSED]


@pytest.mark.parametrize(
    "name", ["Arkiv V3", "Villkor 3 (tas bort)", "V3 (fg ÖK)", "Villkor 3 – arkiverad", "Backup V3", "V3 old"]
)
def test_a_sheet_named_as_kept_or_going_is_settled_by_the_total(tmp_path: Path, fmt: str, name: str) -> None:
    """A probe summed 'Arkiv V2', 'Villkor 7 (tas bort)' and 'V2 (fg ÖK)' as villkor of their own."""
    found = refused(tmp_path, fmt, copy_named(name, "Ändrad"))
    assert any(p.startswith(f"{name}!B25: bladet räknas inte som villkor") for p in found), found
    assert any(REMEDY in p for p in found)
    set_aside = read(tmp_path, fmt, copy_named(name, "Ändrad"), agreement(SMALL))
    assert name not in [v.name for v in set_aside.villkor] and total(set_aside) == pytest.approx(SMALL)
    kept = read(tmp_path, fmt, copy_named(name, "Ändrad"), agreement(SMALL + 589))
    assert total(kept) == pytest.approx(SMALL + 589)


@pytest.mark.parametrize("title", ["Insatser för att ta bort hinder för återgång i arbete"])
def test_words_of_going_in_a_title_are_the_villkors_own(tmp_path: Path, fmt: str, title: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott, Mkr"], [50], title=title))
    assert total(indata) == pytest.approx(SMALL + 50)


@pytest.mark.parametrize("name", ["Beräkning", "Kalkyl V3", "Underlag"])
def test_a_sheet_with_another_sheets_money_is_settled_by_the_total(
    tmp_path: Path, fmt: str, name: str
) -> None:
    """The officer's own calculation of a villkor on a sheet of its own: same pots, same fixed sums."""
    twin = villkor(name, ["Pot belopp, Mkr", "Pot belopp, Mkr", "Totalt"], [500, 50, 550], ("SKR", 39),
                   title="Beräkning av medlen")  # fmt: skip
    found = refused(tmp_path, fmt, twin)
    assert any(
        f"{name}!B25: bladet har samma potter och fasta belopp som bladet 'Villkor 3'" in p for p in found
    )
    assert total(read(tmp_path, fmt, twin, agreement(SMALL))) == pytest.approx(SMALL)
    other = villkor(name, ["Pott, Mkr"], [500], ("SKR", 39))  # another villkor's money differs
    assert total(read(tmp_path, fmt, other)) == pytest.approx(SMALL + 539)


@pytest.mark.parametrize(
    "title",
    ["Koordinering enligt förra överenskommelsen", "Funktion för koordinering – ersatt", "Gäller inte längre",
     "Tidigare års fördelning", "Ej aktuell", "UTKAST – ej beslutat: Koordinering",
     "Inte fastställd fördelning", "Exempel på hur ett villkorsblad fylls i", "Lathund för villkorsbladen"],
)  # fmt: skip
def test_a_sheet_whose_title_says_it_is_not_in_force_is_set_aside(
    tmp_path: Path, fmt: str, title: str
) -> None:
    """A probe had a draft ('UTKAST – ej beslutat') and an example sheet ('Lathund') counted, under
    "Klar"; with the agreement total agreeing only with the sheet counted, it is counted."""
    edit = villkor("Koordinering", ["Pott, Mkr"], [120], title=title)
    found = refused(tmp_path, fmt, edit)
    assert any(
        p.startswith("Koordinering!B25: bladet räknas inte som villkor") and REMEDY in p for p in found
    )
    indata = read(tmp_path, fmt, edit, agreement(SMALL))
    assert total(indata) == pytest.approx(SMALL)
    assert any(n.startswith("Bladet 'Koordinering' räknas inte som villkor") for n in indata.notices)
    counted = read(tmp_path, fmt, edit, agreement(SMALL + 120))
    assert [v.name for v in counted.villkor] == ["Villkor 1", "Villkor 3", "Koordinering"]
    assert any(
        n.startswith("Bladet 'Koordinering' räknas som villkor fast") and "stämmer bara med bladet" in n
        for n in counted.notices
    )


def test_an_example_in_a_villkor_title_is_no_example_sheet(tmp_path: Path, fmt: str) -> None:
    edit = villkor("Villkor 9", ["Pott, Mkr"], [120], title="Insatser, till exempel för unga vuxna")
    assert total(read(tmp_path, fmt, edit)) == pytest.approx(SMALL + 120)


def test_a_hidden_villkor_sheet_is_a_doubt_the_total_settles(tmp_path: Path, fmt: str) -> None:
    """A probe: a hidden Villkor 4 (50 Mkr and SKR 39) was skipped with an Obs under "Klar"."""

    def hidden(book: openpyxl.Workbook) -> None:
        villkor("Villkor 4", ["Pot belopp, Mkr"], [50], ("SKR", 39), ("SUMMA", 89))(book)
        book["Villkor 4"].sheet_state = "hidden"

    found = refused(tmp_path, fmt, hidden)
    assert any(
        p.startswith("Villkor 4!B25: bladet räknas inte som villkor: bladet är dolt") and REMEDY in p
        for p in found
    )
    assert [v.name for v in read(tmp_path, fmt, hidden, agreement(SMALL)).villkor] == [
        "Villkor 1",
        "Villkor 3",
    ]
    counted = read(tmp_path, fmt, hidden, agreement(SMALL + 89))
    assert [v.name for v in counted.villkor] == ["Villkor 1", "Villkor 3", "Villkor 4"]
    assert [(n.name, n.amount) for n in of(counted, "Villkor 4").national] == [("SKR", 39)]


def test_a_sheet_of_fixed_sums_without_a_lan_header_is_refused(tmp_path: Path, fmt: str) -> None:
    """A probe: 'Organisation | Belopp, Mkr', 'SKR | 6,3' was skipped as a sheet without a header."""

    def national(book: openpyxl.Workbook) -> None:
        ws = book.create_sheet("Samordning och stöd")
        for row in (
            ["Samordning och stöd"],
            [],
            ["Organisation", "Belopp, Mkr"],
            ["SKR", 6.3],
            ["Summa", 6.3],
        ):
            ws.append(row)

    found = refused(tmp_path, fmt, national)
    assert any(
        p.startswith("Samordning och stöd!A4: bladet har ett belopp till SKR men ingen rubrikrad")
        for p in found
    )


def test_a_summary_of_other_sheets_pots_is_settled_by_the_total(tmp_path: Path, fmt: str) -> None:
    """A probe: a sheet 'Översikt' with the other sheets' pots under short names was counted again."""

    def summary(book: openpyxl.Workbook) -> None:
        villkor("Översikt", ["Ledning", "Insatser, del 1", "Totalt alla"], [100, 500, 600])(book)
        book.move_sheet("Översikt", offset=-2)

    found = refused(tmp_path, fmt, summary)
    assert any(
        p.startswith("Översikt!B25: bladets potter är potterna på bladen 'Villkor 1', 'Villkor 3'")
        for p in found
    )
    indata = read(tmp_path, fmt, summary, agreement(SMALL))
    assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"]


@pytest.mark.parametrize(
    ("name", "heading"), [("Diagramdata", "Mkr"), ("Pivot", "Summa av Pot belopp, Mkr"), ("Blad1", "Belopp")]
)
def test_a_sheet_that_is_the_sum_of_other_sheets_is_settled_by_the_total(
    tmp_path: Path, fmt: str, name: str, heading: str
) -> None:
    """A probe: 'Diagramdata' (Län | Mkr, RIKET 240 = Villkor 1 + Villkor 2) was counted as a villkor."""
    edit = villkor(name, [heading], [SMALL], title="Underlag till diagram")
    found = refused(tmp_path, fmt, edit)
    assert any(
        p.startswith(
            f"{name}!B{RIKET}: bladets belopp 690,200 Mkr är summan av bladen 'Villkor 1', 'Villkor 3'"
        )
        and REMEDY in p
        for p in found
    )
    assert [v.name for v in read(tmp_path, fmt, edit, agreement(SMALL)).villkor] == ["Villkor 1", "Villkor 3"]
    assert len(read(tmp_path, fmt, edit, agreement(2 * SMALL)).villkor) == 3


@pytest.mark.parametrize(
    "name", ["Villkor 7 skiss", "Villkor 7 – under beredning", "Instruktion", "Så här fyller du i"]
)
def test_a_sketch_or_an_instruction_sheet_is_set_aside(tmp_path: Path, fmt: str, name: str) -> None:
    """Probes: a sketch sheet's 30 Mkr and an instruction sheet's sample table were paid under Klar."""
    edit = villkor(name, ["Pott, Mkr"], [30], ("SKR", 10))
    found = refused(tmp_path, fmt, edit)
    assert any(
        p.startswith(f"{name}!B{RIKET}: bladet räknas inte som villkor") and REMEDY in p for p in found
    )
    assert total(read(tmp_path, fmt, edit, agreement(SMALL))) == pytest.approx(SMALL)


def test_a_template_sheet_of_zeros_is_passed_over(tmp_path: Path, fmt: str) -> None:
    indata = read(tmp_path, fmt, villkor("Mall", ["Pott, Mkr"], [0]))
    assert [v.name for v in indata.villkor] == ["Villkor 1", "Villkor 3"]


def test_the_sum_of_neighbouring_sheets_among_many(tmp_path: Path) -> None:
    """Beyond a dozen other sheets only neighbours are added up (no search over every subset)."""
    edits = [villkor(f"Villkor {10 + i}", ["Pott"], [10 + i]) for i in range(14)]
    summary = villkor("Summering", ["Pott"], [11 + 12 + 13])
    found = refused(tmp_path, "xlsx", *edits, summary)
    assert any("är summan av bladen 'Villkor 11', 'Villkor 12', 'Villkor 13'" in p for p in found)


def test_one_sheet_equal_to_another_is_no_sum(tmp_path: Path, fmt: str) -> None:
    indata = read(tmp_path, fmt, villkor("Villkor 9", ["Pott"], [101.2]))
    assert total(indata) == pytest.approx(SMALL + 101.2)


@pytest.mark.parametrize("title", ["Ersättning utgår med 120 Mkr", "Medel utgår till regionerna"])
def test_money_that_is_paid_out_is_in_force(tmp_path: Path, fmt: str, title: str) -> None:
    indata = read(tmp_path, fmt, villkor("Koordinering", ["Pott, Mkr"], [120], title=title))
    assert total(indata) == pytest.approx(SMALL + 120)


@pytest.mark.parametrize(
    "heading", ["Medel för förändringsarbete, Mkr", "Ändringsarbete, Mkr", "Förändringsledning"]
)
def test_a_change_word_inside_a_compound_names_a_pot(tmp_path: Path, fmt: str, heading: str) -> None:
    """'Medel för förändringsarbete, Mkr' was refused as a change column; 'Förändringsbelopp' is one."""
    indata = read(tmp_path, fmt, villkor("Villkor 9", [heading], [140]), agreement(SMALL + 140))
    assert [p.amount for p in of(indata, "Villkor 9").pots] == [140]
    changed = villkor("Villkor 9", ["Pott, Mkr", "Förändringsbelopp, Mkr"], [140, 20])
    assert [p.amount for p in of(read(tmp_path, fmt, changed, agreement(SMALL + 140)), "Villkor 9").pots] == [
        140
    ]


@pytest.mark.parametrize("heading", ["Befolkning 1/11 2019", "Personer 2019", "Invånare 2019-11-01"])
def test_a_persons_column_of_the_populations_year_is_checked(tmp_path: Path, fmt: str, heading: str) -> None:
    edit = villkor("Villkor 9", [heading, "Pott, Mkr"], [sum(POPULATION.values()), 140],
                   lan=lambda name: (POPULATION[name],))  # fmt: skip
    indata = read(tmp_path, fmt, edit)
    persons = [e for e in indata.receipt if e.sheet == "Villkor 9" and e.cell.startswith("B")]
    assert len(persons) == 22 and all(e.role is Role.VERIFIED and e.agrees for e in persons)
    old = villkor("Villkor 9", ["Personer 2018", "Pott, Mkr"], [sum(POPULATION.values()), 140],
                  lan=lambda name: (POPULATION[name],))  # fmt: skip
    assert any(REMEDY in p for p in refused(tmp_path, fmt, old))


def test_a_hidden_utfall_is_said_and_listed(tmp_path: Path, fmt: str) -> None:
    """Fuzz seed 893951855: a hidden 'Utfall' was passed over without a word, its numbers not listed."""

    def hidden(book: openpyxl.Workbook) -> None:
        ws = book.create_sheet("Utfall")
        ws.append(["Län", "Villkor 1"])
        ws.append(["Stockholms län", 1])
        ws.sheet_state = "hidden"

    indata = read(tmp_path, fmt, hidden)
    assert indata.utfall is None
    assert any(n.startswith("Bladet 'Utfall' är dolt") for n in indata.notices)
    assert [e.role for e in indata.receipt if e.sheet == "Utfall"] == [Role.UNUSED]


@pytest.mark.parametrize(
    ("label", "typed"),
    [("Överenskommelsens totalbelopp, tkr", SMALL * 1000), ("Totalbelopp", f"{SMALL} mnkr"),
     ("Överenskommelsens totalbelopp (kr)", SMALL * 1_000_000), ("Totalbelopp", f"{SMALL} MSEK")],
)  # fmt: skip
def test_the_agreement_total_is_read_in_its_unit(tmp_path: Path, fmt: str, label: str, typed: object) -> None:
    """A probe had B2 '944 000' under a tkr label compared as 944 000 Mkr, and '944 mnkr' called no number."""

    def edit(book: openpyxl.Workbook) -> None:
        book["Befolkning"]["A2"] = label
        book["Befolkning"]["B2"] = typed.replace(".", ",") if isinstance(typed, str) else round(typed, 3)

    indata = read(tmp_path, fmt, edit)
    assert indata.agreement_total == pytest.approx(SMALL)
    wrong = agreement(SMALL * 1000)  # the same figure without its unit: Mkr, and the sum disagrees
    assert any("överenskommelsens totalbelopp" in p for p in refused(tmp_path, fmt, wrong))


def test_an_agreement_total_whose_cell_and_label_disagree_is_refused(tmp_path: Path, fmt: str) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        book["Befolkning"]["A2"] = "Överenskommelsens totalbelopp, tkr"
        book["Befolkning"]["B2"] = f"{SMALL} Mkr".replace(".", ",")

    found = refused(tmp_path, fmt, edit)
    assert any(p.startswith("Befolkning!B2: överenskommelsens totalbelopp: cellen anger Mkr") for p in found)
