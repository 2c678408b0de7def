"""The blank input workbook a finance officer fills in (templates/indata-mall.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import xlsxwriter

from .files import write_atomically
from .result.writer import WORKBOOK_OPTIONS
from .words import regions
from .words.vocabulary import (
    AGREEMENT_LABEL,
    DEFAULT_POT_LABEL,
    FORFEIT_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LAN,
    MKR_FORMAT,
    OUTCOME_SHEET,
    PER_UNIT_ROW,
    PERSONS,
    PERSONS_FORMAT,
    POPULATION_SHEET,
    POT_ROW,
    RIKET_ROW,
    RULE_ROW,
)

CREATED = dt.datetime(2020, 1, 1)
INSTRUCTIONS = (
    "Indatamall för Sjukskrivningsmiljarden",
    "",
    "1. Befolkning: skriv först överenskommelsens totalbelopp i Mkr i cell B2 (t.ex. 944). Det är",
    "   kontrollsumman: Sammanställningens SUMMA måste stämma med det på tusendelen, annars avvisas",
    "   arbetsboken. Utan totalbelopp avvisas allt som programmet annars skulle behöva gissa (en kolumn",
    "   utan rubrik, en okänd mottagare, ett tal utanför tabellen).",
    "   Skriv referensdatumet i cell B1 (t.ex. 2019-11-01) och antal personer per län i kolumn B.",
    "   Länen får stå i valfri ordning. Raden RIKET räknas fram och kontrolleras.",
    "2. Varje villkor har ett eget blad. Bladets namn blir kolumnens rubrik i Sammanställningen",
    "   (t.ex. 'Villkor 1'). Skriv villkorets fullständiga namn i cell A1.",
    "3. Skriv pottens belopp i Mkr i raden RIKET. Två potter: lägg till en kolumn till höger om den första.",
    "   Står beloppen i tkr eller kr, skriv enheten i rubriken (t.ex. 'Pott, tkr'): de räknas om till Mkr.",
    "   En kolumn 'varav …' är en del av kolumnen före och räknas inte som egen pott; kolumner med andelar,",
    "   personer, förändringar eller förra årets belopp räknas inte heller.",
    "   Länens rader räknas fram av sjukmiljard; står det belopp där jämförs de med det beräknade.",
    "4. Under RIKET: en rad med ett namn och ett belopp (t.ex. 'SKR' och 39) är en fast summa till en",
    "   nationell aktör. En rad med bara text är en anteckning och följer med oförändrad, på sin plats.",
    "   En summarad (SUMMA, Totalt, …) måste stämma med RIKET plus de fasta summorna ovanför den.",
    "   En rad 'varav …' är en del av raden ovanför och betalas inte ut för sig.",
    "   Okända mottagare betalas bara när totalbeloppet i B2 stämmer – skriv tal i anteckningar i samma",
    "   cell som texten.",
    "5. Kopiera bladet 'Villkor 1' för fler villkor. Dolda blad och blad utan rubriken 'Län' hoppas över;",
    "   dolda och överstrukna rader och kolumner räknas aldrig. Bladet Kontroll i resultatet visar varje",
    "   tal som lästes.",
    "6. Utfall (när regionerna har återrapporterat): en kolumn per pott ('Villkor 1', 'Villkor 3 pott 2').",
    "   Regel: befolkning (Ja/Nej per län), tak (antal enheter och kr per enhet) eller nyckel (rörlig del,",
    "   ange då 'Pott, Mkr'). Förverkat: staten eller omfördelas. Ett tomt Utfall-blad räknas inte.",
    "",
    "Belopp skrivs i Mkr med decimalkomma. Spara som Excel-arbetsbok (.xlsx).",
)


def template_bytes() -> bytes:
    """The template as bytes; always the same bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    book.set_properties(
        {"title": "Indatamall – Sjukskrivningsmiljarden", "author": "sjukmiljard", "created": CREATED}
    )
    title = book.add_format({"bold": True, "font_size": 12})
    header = book.add_format({"bold": True, "bottom": 1})
    total = book.add_format({"bold": True, "top": 1})
    persons = book.add_format({"num_format": PERSONS_FORMAT, "bg_color": "#FFF2CC"})
    persons_total = book.add_format({"num_format": PERSONS_FORMAT, "bold": True, "top": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd", "bg_color": "#FFF2CC", "align": "left"})
    agreement = book.add_format({"num_format": MKR_FORMAT, "bg_color": "#FFF2CC", "align": "left"})
    mkr = book.add_format({"num_format": MKR_FORMAT, "bg_color": "#FFF2CC", "bold": True, "top": 1})

    guide = book.add_worksheet(INSTRUCTIONS_SHEET)
    guide.write_string(0, 0, INSTRUCTIONS[0], title)
    for r, line in enumerate(INSTRUCTIONS[1:], start=1):
        guide.write_string(r, 0, line)
    guide.set_column(0, 0, 110)

    ws = book.add_worksheet(POPULATION_SHEET)
    ws.write_string(0, 0, POPULATION_SHEET, title)
    ws.write_blank(0, 1, None, date)
    ws.write_string(1, 0, f"{AGREEMENT_LABEL}, Mkr (kontrollsumma – fyll i)")
    ws.write_blank(1, 1, None, agreement)
    ws.write_string(HEADER_ROW, 0, LAN, header)
    ws.write_string(HEADER_ROW, 1, PERSONS, header)
    for i, name in enumerate(regions.NAMES):
        ws.write_string(HEADER_ROW + 1 + i, 0, name)
        ws.write_blank(HEADER_ROW + 1 + i, 1, None, persons)
    ws.write_string(RIKET_ROW, 0, regions.RIKET, total)
    ws.write_formula(RIKET_ROW, 1, f"=SUM(B{HEADER_ROW + 2}:B{RIKET_ROW})", persons_total, 0)
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 14)
    ws.freeze_panes(HEADER_ROW + 1, 1)

    ws = book.add_worksheet("Villkor 1")
    ws.write_blank(0, 0, None, title)
    ws.write_string(HEADER_ROW, 0, LAN, header)
    ws.write_string(HEADER_ROW, 1, DEFAULT_POT_LABEL, header)
    for i, name in enumerate(regions.NAMES):
        ws.write_string(HEADER_ROW + 1 + i, 0, name)
    ws.write_string(RIKET_ROW, 0, regions.RIKET, total)
    ws.write_blank(RIKET_ROW, 1, None, mkr)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 16)
    ws.freeze_panes(HEADER_ROW + 1, 1)
    ws = book.add_worksheet(OUTCOME_SHEET)
    ws.write_string(0, 0, "Utfall (återrapportering)", title)
    ws.write_string(HEADER_ROW, 0, LAN, header)
    ws.write_string(HEADER_ROW, 1, "Villkor 1", header)
    for k, (label, value) in enumerate(
        ((RULE_ROW, "befolkning"), (FORFEIT_ROW, "staten"), (PER_UNIT_ROW, None), (POT_ROW, None))
    ):
        ws.write_string(HEADER_ROW + 1 + k, 0, label)
        if value:
            ws.write_string(HEADER_ROW + 1 + k, 1, value)
    for i, name in enumerate(regions.NAMES):
        ws.write_string(HEADER_ROW + 5 + i, 0, name)
        ws.write_blank(HEADER_ROW + 5 + i, 1, None, persons)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 16)
    ws.freeze_panes(HEADER_ROW + 1, 1)
    book.get_worksheet_by_name(POPULATION_SHEET).activate()
    book.close()
    return buffer.getvalue()


def write_template(path: Path) -> Path:
    """Write the blank input template; returns the path written."""
    return write_atomically(template_bytes(), Path(path))
