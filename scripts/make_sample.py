"""Build samples/sjukskrivningsmiljarden-2020.xlsx: the 2020 input workbook as a finance officer keeps it.

Figures and notes are those of the published 2020 workbook (population 1/11 2019). Like real input,
many numbers are text with non-breaking spaces and decimal commas, region cells are empty or hold
last year's figures, and a stale Sammanställning sheet is left in. Run:
    uv run python scripts/make_sample.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from sjukmiljard.words.regions import NAMES

NBSP = "\u00a0"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TARGET = SAMPLES / "sjukskrivningsmiljarden-2020.xlsx"
TARGET_UTFALL = SAMPLES / "sjukskrivningsmiljarden-2020-utfall.xlsx"

PERSONS = (
    2374550, 383044, 297169, 465214, 363351, 201290, 245415, 59636, 159748, 1376659, 333202,
    1724529, 282342, 304634, 275634, 287795, 287333, 245380, 130697, 271621, 250230,
)  # fmt: skip
# Last year's figures, left in some region cells as they are in a hand-kept workbook.
STALE_V1 = (
    22.9,
    3.7,
    2.9,
    4.5,
    3.5,
    2.0,
    2.4,
    0.6,
    1.6,
    13.3,
    3.2,
    16.7,
    2.8,
    3.0,
    2.7,
    2.8,
    2.8,
    2.4,
    1.3,
    2.6,
    2.4,
)

REPORT_2020 = "Regionerna ska återrapportera till Försäkringskassan senast den 2 oktober 2020"
PAID_2021 = "Utbetalning sker senast 27 januari 2021"

# (sheet name, title, pot header labels, pots as written, rows below RIKET)
# A row below RIKET is (text,) for a note or (name, amount) for a fixed sum or SUMMA.
VILLKOR = [
    (
        "Villkor 1",
        "Ledning och styrning i försäkringsmedicin",
        ["Pot belopp, Mkr"],
        ["100,000"],
        [(REPORT_2020,), None, (PAID_2021,), None, ("Socialstyrelsen", "1,200"), None, ("SUMMA", "101,200")],
    ),
    (
        "Villkor 2",
        "Funktion för koordinering",
        ["Pot belopp, Mkr"],
        [140],
        [(REPORT_2020,), None, (PAID_2021,)],
    ),
    (
        "Villkor 3",
        "Insatser för lindrig och medelsvår psykisk ohälsa och långvarig smärta",
        ["Pot belopp, Mkr", "Pot belopp, Mkr", "Totalt"],
        ["500,000", "50,000", "550,000"],
        [
            ("Regionerna ska återrapportera till Försäkringskassan senast den 27 mars 2020",),
            None,
            (
                "Regionerna redovisar underlag om antalet genomförda behandlingar avseende psykisk hälsa "
                "respektive långvarig smärta,",
            ),
            (
                "könsuppdelat för varje område, till Försäkringskassan, senast den 27 mars 2021. Av "
                "redovisningen ska det framgå hur många",
            ),
            (
                "kontakter som har tagits med arbetsgivare/Arbetsförmedlingen. Försäkringskassan kommer att "
                "få i uppdrag att granska",
            ),
            (
                "underlagen, fatta beslut och utbetala ersättning till regionerna i de fall där kontakt har "
                "tagits med arbetsgivare eller Arbetsförmedlingen.",
            ),
            None,
            (
                "Utbetalning av 500 Mkr sker senast 27 januari 2021 för behandlingsinsatser "
                "som genomförts under 2020",
            ),
            None,
            (
                "Utbetalning av 50 Mkr sker senast 229 april 2021 för de kontakter med arbetsgivare eller "
                "Arbetsförmedlingen som regionerna tar tagit under 2020.",
            ),
            (
                "Respektive regions andel av det utbetalda beloppet motsvarar högst regionens andel i "
                "förhållande till befolkningsmängd den 1 november 2019.",
            ),
            (
                "Medel som ej förbrukats p.g.a. att det finns regioner som genomfört färre kontakter än den "
                "ekonomiska ramen medger, ska fördelas till de regioner",
            ),
            (
                "som har tagit fler kontakter än vad de får ersättning för utifrån sin befolkningsandel. Det "
                "är dock inte möjligt att få högre ersättning än vad som",
            ),
            ("motsvarar antalet genomförda kontakter.",),
        ],
    ),
    (
        "Villkor 4",
        "Utökat elektroniskt informationsutbyte",
        ["Pot belopp, Mkr"],
        [50],
        [
            ("SKR", "39,000"),
            ("Försäkringskassan", "12,000"),
            ("Socialstyrelsen", "11,500"),
            None,
            ("SUMMA", "112,500"),
            None,
            ("Regionerna ska senast 11 december 2020 redovisa genomfört arbete till Försäkringskassan",),
            None,
            (
                "SKR, FK och SoS ska lämna delrapporter till soc-dep senast 12 juni 2020 "
                "och 30 oktober 2020, "
                "slutrapport senast den 11 december 2020",
            ),
            None,
            (PAID_2021,),
        ],
    ),
    (
        "Villkor 5",
        "Utvecklingsmedel för stöd till rätt sjukskrivning",
        ["Pot belopp, Mkr"],
        ["0,000"],
        [
            ("SKR", 9.5),
            ("Socialstyrelsen", 1.5),
            None,
            ("SUMMA", 11),
            None,
            ("SKL ska redovisa resultatet av arbetet till socialdepartementet senast den 3 oktober 2018",),
            None,
            ("Utbetalning sker senast 28 januari 2019",),
        ],
    ),
    (
        "Forskning m.m.",
        "Uppföljning, utvärdering och utveckling",
        ["Pot belopp, Mkr"],
        [0],
        [
            ("Utvecklingsinsatser",),
            ("SKR", "3,000"),
            ("Försäkringskassan", "10,000"),
            ("SUMMA", "13,000"),
            None,
            (
                "SKL ska redovisa til regeringen påbörjade och genomförda insatser senast den "
                "11 december 2020",
            ),
            None,
            ("Utbetalning till SKR sker senast 27 januari 2021",),
        ],
    ),
    (
        "Samordning och stöd",
        None,
        ["Pot belopp, Mkr"],
        ["0,000"],
        [
            ("Utvecklingsinsatser",),
            ("SKR", "6,300"),
            None,
            ("SUMMA", "6,300"),
            None,
            ("SKR ska redovisa påbörjade och genomförda insatser till regeringen senast 11 december 2020",),
            None,
            (PAID_2021,),
        ],
    ),
    (
        "Uppföljning och utvärdering",
        None,
        ["Pot belopp, Mkr"],
        ["0,000"],
        [("Enligt regeringsbeslut", "10,000"), None, ("SUMMA", "10,000")],
    ),
]


def swedish_text(number: int) -> str:
    return f"{number:,}".replace(",", NBSP)


def build() -> Workbook:
    book = Workbook()
    bold = Font(bold=True)
    ws = book.active
    ws.title = "Befolkning"
    ws["A1"] = f"Befolkning 1/11{NBSP}2019"
    ws["A1"].font = bold
    # The agreement's total: the Sammanställning's grand SUMMA must come to it.
    ws.append(["Överenskommelsens totalbelopp, Mkr", "944,000"])
    ws.append(["Län", "Personer", "Andel"])
    for i, (name, persons) in enumerate(zip(NAMES, PERSONS, strict=True)):
        # Half the figures pasted as text with non-breaking spaces, as from a web page.
        value: object = swedish_text(persons) if i % 2 == 0 else persons
        # The published workbook joins "Stockholms" and "län" with a non-breaking space.
        ws.append(
            [name.replace(" län", f"{NBSP}län"), value, f"{persons / sum(PERSONS):.3f}".replace(".", ",")]
        )
    ws.append(["RIKET", swedish_text(sum(PERSONS)), "1,000"])
    ws.column_dimensions["A"].width = 24

    for index, (name, title, labels, pots, below) in enumerate(VILLKOR):
        ws = book.create_sheet(name)
        if title:
            ws["A1"] = title
            ws["A1"].font = bold
        ws.append([])
        ws.append(["Län", *labels])
        for i, lan in enumerate(NAMES):
            lan_text = lan.replace(" län", f"{NBSP}län") if index % 2 else lan
            ws.append([lan_text, STALE_V1[i]] if index == 0 else [lan_text])
        ws.append(["RIKET", *pots])
        ws.append([])
        for row in below:
            ws.append(list(row) if row else [])
        ws.column_dimensions["A"].width = 24

    stale = book.create_sheet("Sammanställning")
    stale["A1"] = "Sammanställning (förra årets, räknas om)"
    stale.append(["Län", *(v[0] for v in VILLKOR), "TOTALT"])
    book.properties.creator = "Socialdepartementet"
    book.properties.created = dt.datetime(2019, 12, 2, 9, 0)
    book.properties.modified = dt.datetime(2019, 12, 2, 9, 0)
    return book


def add_utfall(book: Workbook) -> None:
    """An Utfall sheet with made-up outcomes (the real 2020 reports are not public): every rule shown."""
    ws = book.create_sheet("Utfall", index=book.sheetnames.index("Sammanställning"))
    ws["A1"] = "Utfall 2020 – EXEMPEL med påhittade siffror"
    ws["A1"].font = Font(bold=True)
    ws.append([])
    ws.append(
        ["Län", "Villkor 1", "Villkor 2", "Villkor 3 pott 1", "Villkor 3 pott 2", "Villkor 4", "Rörlig del"]
    )
    ws.append(["Regel", "befolkning", "befolkning", "befolkning", "tak", "befolkning", "nyckel"])
    ws.append(["Förverkat", "staten", "omfördelas", "staten", None, "staten", None])
    ws.append(["Kr per enhet", None, None, None, 2000, None, None])
    ws.append(["Pott, Mkr", None, None, None, None, None, "20,000"])
    total = sum(PERSONS)
    factors = (1.3, 0.6, 1.1, 0.9, 0.4, 1.5, 1.0)
    for i, (name, persons) in enumerate(zip(NAMES, PERSONS, strict=True)):
        contacts = round(50_000_000 * persons / total / 2000 * factors[i % len(factors)])
        key = (-1) ** i * (i % 5) * 13 + 20  # reduction in sick-leave days per 1 000 insured
        ws.append(
            [
                name,
                "Ja",
                "Nej" if name == "Gotlands län" else "Ja",
                "Ja",
                contacts,
                "Nej" if name == "Jämtlands län" else "Ja",
                key,
            ]
        )
    ws.column_dimensions["A"].width = 24


if __name__ == "__main__":
    SAMPLES.mkdir(exist_ok=True)
    build().save(TARGET)
    print(f"wrote {TARGET}")
    book = build()
    add_utfall(book)
    book.save(TARGET_UTFALL)
    print(f"wrote {TARGET_UTFALL}")
