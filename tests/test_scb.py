"""Reading the population per län from files exported from SCB's statistical database (PxWeb)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard.errors import InputRejected, Problem
from sjukmiljard.scb.population import ADVICE_TOTALS as ADVICE
from sjukmiljard.scb.population import NO_MONTH, UNKNOWN_LAYOUT, ScbPopulation, read_population_file
from sjukmiljard.words import regions

from .scb_exports import FORMATS, TITLE, population_table, save

FIXTURES = Path(__file__).parent / "fixtures" / "scb"

DEC_2018 = dict(
    zip(
        regions.NAMES,
        (
            2344124, 376354, 294695, 461583, 360825, 199886, 244670, 59249, 159684, 1362164, 329352,
            1709814, 281482, 302252, 273929, 287191, 286547, 245453, 130280, 270154, 250497,
        ),
        strict=True,
    )
)  # fmt: skip
NOV_2019 = dict(
    zip(
        regions.NAMES,
        (
            2374550, 383044, 297169, 465214, 363351, 201290, 245415, 59636, 159748, 1376659, 333202,
            1724529, 282342, 304634, 275634, 287795, 287333, 245380, 130697, 271621, 250230,
        ),
        strict=True,
    )
)  # fmt: skip
CODES = {lan.name: lan.code for lan in regions.LAN}
MISSING = " – SCB:s tecken för att uppgiften saknas"


def counts(result: ScbPopulation) -> dict[str, int]:
    return dict(result.population.counts)


def lan_lines(sep: str = ",", values: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> list[str]:
    """One "01 Stockholms län<sep>2374550" line per län, with some values replaced or län dropped."""
    values = values or {}
    return [
        f"{CODES[name]} {name}{sep}{values.get(name, str(count))}"
        for name, count in NOV_2019.items()
        if name not in drop
    ]


def write(tmp_path: Path, lines: list[str], name: str = "scb.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join([*lines, ""]).encode(encoding))
    return path


def rejected(path: Path, month: str | None = None) -> tuple[Problem, ...]:
    with pytest.raises(InputRejected) as caught:
        read_population_file(path, month)
    return caught.value.problems


def messages(path: Path, month: str | None = None) -> list[str]:
    return [problem.message for problem in rejected(path, month)]


def months_in(path: Path) -> tuple[str, ...]:
    """The months a file has, as the refusal of a month it lacks lists them."""
    with pytest.raises(InputRejected) as caught:
        read_population_file(path, "1990M01")
    message = str(caught.value.problems[0])
    assert "månaden 1990M01 finns inte i SCB-filen – den har " in message
    return tuple(re.findall(r"\d{4}M\d{2}", message.split("den har", 1)[1]))


# -- layouts -----------------------------------------------------------------------------


def test_both_months_default_to_latest_and_riket_and_municipalities_are_left_out() -> None:
    result = read_population_file(FIXTURES / "befolkning-2018M12-2019M11.csv")

    assert result.month == "2019M11"
    assert months_in(FIXTURES / "befolkning-2018M12-2019M11.csv") == ("2018M12", "2019M11")
    assert counts(result) == NOV_2019
    assert tuple(name for name, _ in result.population.counts) == regions.NAMES
    assert result.population.total == 10_319_473
    assert result.population.date == dt.date(2019, 11, 30)
    assert result.population.source == "SCB-fil befolkning-2018M12-2019M11.csv, 2019M11"
    assert result.notices == (
        "SCB-filen har 2 månader (2018M12 och 2019M11); den senaste, 2019M11, används – "
        "välj en annan med --month",
        "Användes inte från SCB-filen: raden för riket (10 319 469) och 2 kommunrader – "
        "riket räknas som summan av de 21 länen (10 319 473)",
    )


def test_explicit_month_picks_its_column_and_dates_the_last_day_of_that_month() -> None:
    result = read_population_file(FIXTURES / "befolkning-2018M12-2019M11.csv", "2018M12")

    assert result.month == "2018M12"
    assert counts(result) == DEC_2018
    assert result.population.total == 10_230_185
    assert result.population.date == dt.date(2018, 12, 31)
    assert result.population.source == "SCB-fil befolkning-2018M12-2019M11.csv, 2018M12"
    assert not any("månader" in notice for notice in result.notices)


def test_month_argument_may_be_written_in_lower_case() -> None:
    result = read_population_file(FIXTURES / "befolkning-2018M12-2019M11.csv", " 2018m12 ")

    assert result.month == "2018M12"


def test_excel_export_with_heading_rows_blank_region_cells_and_footnotes() -> None:
    result = read_population_file(FIXTURES / "excel-export-rubrikrader-och-tomma-regionceller.xlsx")

    assert result.month == "2019M11"
    assert counts(result) == NOV_2019
    assert result.notices == (
        "Användes inte från SCB-filen: 42 rader uppdelade på ålder eller kön (t.ex. 'män') – "
        "bara totalraderna räknas",
        "Användes inte från SCB-filen: raden för riket (10 319 469) – "
        "riket räknas som summan av de 21 länen (10 319 473)",
    )


def test_excel_with_code_and_name_in_two_columns() -> None:
    result = read_population_file(FIXTURES / "excel-kod-och-text-i-tva-kolumner.xlsx")

    assert result.month == "2018M12"
    assert counts(result) == DEC_2018
    assert result.population.date == dt.date(2018, 12, 31)


def test_semicolon_without_quotes_with_bom_names_only_and_spaced_numbers() -> None:
    path = FIXTURES / "semikolon-utan-citattecken-bom.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    result = read_population_file(path)

    assert counts(result) == NOV_2019
    assert result.notices == ()


def test_tab_separated_windows_1252_with_title_line() -> None:
    path = FIXTURES / "tabb-windows-1252-med-rubrik.csv"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")

    result = read_population_file(path)

    assert counts(result) == NOV_2019


def test_total_age_and_sex_columns_and_month_inside_a_longer_heading() -> None:
    result = read_population_file(FIXTURES / "alder-kon-totaler-manad-i-langre-rubrik.csv")

    assert months_in(FIXTURES / "alder-kon-totaler-manad-i-langre-rubrik.csv") == ("2019M11",)
    assert counts(result) == NOV_2019
    assert result.notices == ()


def test_rows_split_by_sex_are_ignored_when_a_total_row_exists() -> None:
    result = read_population_file(FIXTURES / "kon-uppdelad-med-totalrad.csv")

    assert counts(result) == NOV_2019
    assert result.notices == (
        "Användes inte från SCB-filen: 42 rader uppdelade på ålder eller kön (t.ex. 'män') – "
        "bara totalraderna räknas",
    )


def test_relational_table_with_the_month_in_a_column() -> None:
    path = FIXTURES / "relationstabell-manad-i-rad.txt"

    latest = read_population_file(path)
    december = read_population_file(path, "2018M12")

    assert months_in(path) == ("2018M12", "2019M11")
    assert counts(latest) == NOV_2019
    assert counts(december) == DEC_2018
    assert december.population.date == dt.date(2018, 12, 31)


def test_codes_only(tmp_path: Path) -> None:
    lines = ['"region","2019M11"', '"00",10319469'] + [
        f'"{CODES[name]}",{count}' for name, count in NOV_2019.items()
    ]

    assert counts(read_population_file(write(tmp_path, lines))) == NOV_2019


def test_code_and_name_joined_by_a_dash_as_pxweb_2_writes_them(tmp_path: Path) -> None:
    lines = ["region;Antal 2019M11", "00 - Riket;10319469"] + [
        f"{CODES[name]} - {name};{count}" for name, count in NOV_2019.items()
    ]

    result = read_population_file(write(tmp_path, lines))

    assert counts(result) == NOV_2019
    assert "raden för riket (10 319 469)" in result.notices[0]


def test_utf16_text_as_excel_saves_it(tmp_path: Path) -> None:
    path = write(tmp_path, ["region\t2019M11", *lan_lines("\t")], name="scb.txt", encoding="utf-16")

    assert counts(read_population_file(path)) == NOV_2019


def test_municipalities_named_like_their_lan_are_not_duplicates(tmp_path: Path) -> None:
    lines = ["region,2019M11", "Riket,10319469"]
    for name, count in NOV_2019.items():
        lines.append(f"{name},{count}")
        if name in ("Uppsala län", "Gotlands län"):
            lines.append(f"{name.removesuffix(' län')},1000")

    result = read_population_file(write(tmp_path, lines))

    assert counts(result) == NOV_2019
    assert "2 kommunrader" in result.notices[0]


def test_sex_in_the_heading_keeps_the_total_column(tmp_path: Path) -> None:
    lines = ['"region","män 2019M11","kvinnor 2019M11","totalt 2019M11"']
    lines += [f'"{CODES[name]} {name}",1,2,{count}' for name, count in NOV_2019.items()]

    result = read_population_file(write(tmp_path, lines))

    assert counts(result) == NOV_2019
    assert result.notices == (
        "Användes inte från SCB-filen: kolumnerna 'män 2019M11', 'kvinnor 2019M11' – "
        "bara 'totalt 2019M11' räknas",
    )


def test_other_regions_are_named_in_the_notice(tmp_path: Path) -> None:
    lines = ["region,2019M11", *lan_lines(), "Okänd region,12"]

    result = read_population_file(write(tmp_path, lines))

    assert result.notices == ("Användes inte från SCB-filen: 1 rad för andra regioner ('Okänd region')",)


# -- refusals ----------------------------------------------------------------------------


def test_missing_lan(tmp_path: Path) -> None:
    path = write(tmp_path, ["region,2019M11", *lan_lines(drop=("Gotlands län",))])

    assert rejected(path) == (Problem(None, None, "Gotlands län saknas i SCB-filen"),)
    with pytest.raises(InputRejected, match=r"scb\.csv: Gotlands län saknas i SCB-filen"):
        read_population_file(path)


def test_misspelt_lan_gets_a_hint(tmp_path: Path) -> None:
    lines = ["region,2019M11", *lan_lines(drop=("Gotlands län",)), "09 Gotlnd,59636"]

    assert messages(write(tmp_path, lines)) == [
        "Gotlands län saknas i SCB-filen ('09 Gotlnd' känns inte igen – menade du Gotlands län?)"
    ]


def test_duplicated_lan(tmp_path: Path) -> None:
    path = write(tmp_path, ["region,2019M11", *lan_lines(), "12 Skåne län,1376659"])

    assert rejected(path) == (
        Problem(
            "scb.csv", "rad 23", "Skåne län förekommer flera gånger i SCB-filen (första gången på rad 11)"
        ),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "'abc' är inget tal (antal personer för Gotlands län 2019M11)"),
        ("..", "'..' är inget tal (antal personer för Gotlands län 2019M11)" + MISSING),
        ("-", "'-' är inget tal (antal personer för Gotlands län 2019M11)" + MISSING),
        ("", "antal personer saknas för Gotlands län 2019M11"),
        ("-59636", "antalet personer för Gotlands län 2019M11 måste vara större än noll, inte -59636"),
        ("0", "antalet personer för Gotlands län 2019M11 måste vara större än noll, inte 0"),
        ("59636,5", "59636,5 är inget helt antal personer (Gotlands län 2019M11)"),
    ],
)
def test_bad_count_names_row_and_lan(tmp_path: Path, value: str, message: str) -> None:
    path = write(tmp_path, ["region;2019M11", *lan_lines(";", {"Gotlands län": value})])

    assert rejected(path) == (Problem("scb.csv", "rad 9", message),)


def test_bad_count_in_excel_names_sheet_and_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "BefolkManad"
    sheet["A1"] = "Folkmängden per månad efter region och månad"
    sheet["B3"] = "2019M11"
    for row, (name, count) in enumerate(NOV_2019.items(), start=4):
        sheet.cell(row, 1, f"{CODES[name]} {name}")
        sheet.cell(row, 2, count)
    sheet["B11"] = ".."
    sheet["B13"] = 1376659.5
    path = tmp_path / "scb.xlsx"
    book.save(path)

    assert rejected(path) == (
        Problem(
            "BefolkManad", "B11", "'..' är inget tal (antal personer för Gotlands län 2019M11)" + MISSING
        ),
        Problem("BefolkManad", "B13", "1376659.5 är inget helt antal personer (Skåne län 2019M11)"),
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    lines = ["region,2019M11", *lan_lines(values={"Skåne län": "abc"}, drop=("Gotlands län",))]

    assert messages(write(tmp_path, lines)) == [
        "Gotlands län saknas i SCB-filen",
        "'abc' är inget tal (antal personer för Skåne län 2019M11)",
    ]


def test_unknown_month_lists_the_months_found() -> None:
    assert messages(FIXTURES / "befolkning-2018M12-2019M11.csv", "2019M10") == [
        "månaden 2019M10 finns inte i SCB-filen – den har 2018M12 och 2019M11"
    ]


def test_month_argument_must_be_written_as_scb_does() -> None:
    assert messages(FIXTURES / "befolkning-2018M12-2019M11.csv", "november 2019") == [
        "ogiltig månad 'november 2019' – skriv månaden som SCB gör, t.ex. 2019M11"
    ]


def test_file_without_a_month_column(tmp_path: Path) -> None:
    path = write(tmp_path, ['"region","2019"', *lan_lines()])

    assert messages(path) == [NO_MONTH]
    assert NO_MONTH.startswith("SCB-filen har ingen månadskolumn")


def test_unknown_layout(tmp_path: Path) -> None:
    path = write(tmp_path, ["Hej,det här är", "ingen,SCB-fil", "1,2"])

    assert messages(path) == [UNKNOWN_LAYOUT]
    assert UNKNOWN_LAYOUT.startswith(
        "känner inte igen filen som en export från SCB:s statistikdatabas: förväntade en rubrikrad med "
        "region och minst en månadskolumn som 2019M11"
    )


def test_only_breakdowns_says_what_to_choose_in_pxweb(tmp_path: Path) -> None:
    lines = ["region,kön,2019M11"]
    for name, count in NOV_2019.items():
        lines += [
            f"{CODES[name]} {name},män,{count // 2}",
            f"{CODES[name]} {name},kvinnor,{count - count // 2}",
        ]

    assert messages(write(tmp_path, lines)) == [
        "SCB-filen har bara rader uppdelade på ålder eller kön (t.ex. 'män') – i SCB:s statistikdatabas: "
        "välj totalt för ålder och kön (t.ex. 'totalt ålder') eller markera inget värde alls för dem, "
        "och ladda ned filen igen"
    ]


def test_only_one_age_is_a_breakdown_too(tmp_path: Path) -> None:
    lines = ["region,ålder,2019M11", *[line.replace(",", ",0 år,", 1) for line in lan_lines()]]

    assert messages(write(tmp_path, lines))[0].startswith(
        "SCB-filen har bara rader uppdelade på ålder eller kön (t.ex. '0 år')"
    )


def test_two_contents_for_one_month_are_ambiguous(tmp_path: Path) -> None:
    lines = ["region,Folkmängd 2019M11,Antal 2019M11"]
    lines += [f"{CODES[name]} {name},{count},100" for name, count in NOV_2019.items()]

    assert messages(write(tmp_path, lines)) == [
        "SCB-filen har flera kolumner för 2019M11 ('Folkmängd 2019M11', 'Antal 2019M11') – välj bara "
        "tabellinnehållet folkmängd, och totalt för ålder och kön, i SCB:s statistikdatabas"
    ]


def test_another_contents_beside_the_population_is_left_out_with_a_notice(tmp_path: Path) -> None:
    lines = ["region,Folkmängd 2019M11,Folkökning 2019M11"]
    lines += [f"{CODES[name]} {name},{count},100" for name, count in NOV_2019.items()]

    result = read_population_file(write(tmp_path, lines))

    assert counts(result) == NOV_2019
    assert result.notices == (
        "Användes inte från SCB-filen: kolumnen 'Folkökning 2019M11' – bara 'Folkmängd 2019M11' räknas",
    )


def test_riket_and_municipalities_without_lan(tmp_path: Path) -> None:
    path = write(tmp_path, ["region,2019M11", "00 Riket,10319469", "0114 Upplands Väsby,46000"])

    assert messages(path) == [
        "SCB-filen har inga län, bara riket eller kommuner – välj de 21 länen under region i "
        "SCB:s statistikdatabas (länen kan inte summeras av kommunerna: Stockholms län har 1 av sina 26 "
        "kommuner, Uppsala län har 0 av sina 8 kommuner, Södermanlands län har 0 av sina 9 kommuner och "
        "18 län till)"
    ]
    assert messages(write(tmp_path, ["region,2019M11", "00 Riket,10319469"])) == [
        "SCB-filen har inga län, bara riket eller kommuner – välj de 21 länen under region i "
        "SCB:s statistikdatabas"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scb.csv", b"", "filen är tom"),
        (
            "scb.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "filen är det gamla Excel-formatet .xls, som inte kan läsas",
        ),
        (
            "scb.px",
            b'CHARSET="ANSI";\nSTUB="region";\nVALUES("region")="01";\nDATA=\n1 2;',
            "tabellen har 2 värden",
        ),
        (
            "scb.htm",
            b"<html><table><tr><td>01 Stockholms l\xc3\xa4n</td></tr></table></html>",
            "filen är en webbsida (HTML)",
        ),
        ("scb.csv", b"PK\x03\x04", "filen är en Excel-arbetsbok eller ett zip-arkiv"),
        ("scb.xlsx", b"region,2019M11\n", "filen är ingen Excel-arbetsbok (.xlsx) eller är skadad"),
    ],
)
def test_files_that_are_not_pxweb_text_or_xlsx(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    assert messages(path)[0].startswith(message)


def test_missing_file(tmp_path: Path) -> None:
    assert messages(tmp_path / "finns-inte.csv") == ["filen finns inte"]


def test_a_month_named_by_two_heading_rows_is_one_month(tmp_path: Path) -> None:
    """Two heading rows each naming the same month (as PxWebApi 2's code and text does) name one
    month, also when --month names it (this was once an IndexError, then a refusal); two different
    months in one column's headings still name no month column."""
    path = write(tmp_path, [",Folkmängd 2019M11", "region,2019M11", *lan_lines()])
    assert read_population_file(path, "2019M11").month == read_population_file(path).month == "2019M11"
    other = write(tmp_path, [",Folkmängd 2019M10", "region,2019M11", *lan_lines()])
    assert messages(other, "2019M11") == messages(other) == [NO_MONTH]


def test_a_date_in_a_count_cell_is_quoted_as_the_scb_reader_always_has(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B1"] = "2019M11"
    for row, (name, count) in enumerate(NOV_2019.items(), start=2):
        sheet.cell(row, 1, f"{CODES[name]} {name}")
        sheet.cell(row, 2, count)
    sheet["B9"] = dt.datetime(2019, 11, 30)
    path = tmp_path / "scb.xlsx"
    book.save(path)

    assert messages(path) == ["'2019-11-30T00:00:00' är inget tal (antal personer för Gotlands län 2019M11)"]


# -- every format, every class (issue 16) ------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("english", [False, True], ids=["svenska", "english"])
def test_the_population_in_every_format_and_language(tmp_path: Path, fmt: str, english: bool) -> None:
    table = population_table(months=("2019M10", "2019M11"), english=english)
    table = population_table(
        months=("2019M10", "2019M11"),
        english=english,
        age="total age" if english else "totalt ålder",
        sex="total" if english else "totalt",
        contents="Population" if english else "Folkmängd",
        title="Population per month by region, age and sex" if english else TITLE,
    )
    result = read_population_file(save(table, fmt, tmp_path))

    assert counts(result) == NOV_2019 and result.month == "2019M11"


PARTS = [
    ("sex", "kvinnor", "kvinnor"),
    ("sex", "män", "män"),
    ("sex", "women", "women"),
    ("sex", "totalt kvinnor", "kvinnor"),
    ("age", "65+ år totalt", "65+ år"),
    ("age", "0-4 år", "0-4 år"),
    ("age", "totalt 15-19 år", "15-19 år"),
    ("age", "100+ years", "100+ years"),
    ("age", "0 år", "0 år"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("dimension", "value", "part"), PARTS)
def test_a_part_of_a_dimension_is_never_the_population(
    tmp_path: Path, fmt: str, dimension: str, value: str, part: str
) -> None:
    """Wherever the part stands (stub, heading, one heading row of several), and with "totalt"
    beside it, the table holds only a part of the population: refused, naming it."""
    table = population_table(**{dimension: value})  # type: ignore[arg-type]
    if fmt in ("csv", "xlsx") and dimension == "sex":  # kön in the heading, as PxWeb may put it
        table = replace(table, heading=("ålder", "kön", "tabellinnehåll", "månad"))

    (message,) = messages(save(table, fmt, tmp_path))

    assert "uppdelade på ålder eller kön" in message or "en del av befolkningen" in message
    assert value in message and part in message
    assert message.endswith(ADVICE)


@pytest.mark.parametrize(
    ("heading", "part"),
    [
        ("totalt ålder kvinnor Folkmängd 2019M12", "kvinnor"),
        ("Folkmängd män 2019M12", "män"),
        ("Folkmängd 2019M12 65+ år totalt", "65+ år"),
    ],
)
def test_totalt_in_a_joined_heading_does_not_make_a_total(tmp_path: Path, heading: str, part: str) -> None:
    lines = [f'"region","{heading}"', *[f'"{CODES[n]} {n}",{c}' for n, c in NOV_2019.items()]]

    (message,) = messages(write(tmp_path, lines))

    assert message.startswith(
        f"SCB-filen har bara kolumner för en del av befolkningen för 2019M12 ('{heading}': {part})"
    )


@pytest.mark.parametrize(
    ("title", "part"),
    [
        ("Folkmängd, kvinnor, per månad", "kvinnor"),
        ("Population per month, men", "men"),
        ("Folkmängd 0-17 år", "0-17 år"),
    ],
)
@pytest.mark.parametrize("fmt", ["px", "json", "csv", "xlsx"])
def test_a_part_said_only_in_the_title_is_refused(tmp_path: Path, fmt: str, title: str, part: str) -> None:
    path = save(population_table(title=title), fmt, tmp_path)

    assert messages(path) == [
        f"SCB-filens rubrik ('{title}') visar bara en del av befolkningen ('{part}') – {ADVICE}"
    ]


@pytest.mark.parametrize(
    ("title", "word"),
    [
        ("Folkmängd, ensamstående, per månad", "ensamstående"),
        ("Folkmängden per månad efter region: pendlare", "pendlare"),
        ("Population of commuters per month by region", "commuters"),
        ("Folkmängd i tätorter per månad", "tätorter"),
        ("Folkmängden per månad, Region 18", "18"),
    ],
)
def test_a_title_word_that_is_no_word_for_all_of_the_population_is_refused(
    tmp_path: Path, title: str, word: str
) -> None:
    """The title is judged like a heading: any word outside SCB's wording for the whole table may
    be the one a narrowed table was named by."""
    path = save(population_table(title=title), "csv", tmp_path)

    assert messages(path) == [
        f"SCB-filens rubrik ('{title}') säger '{word}', som inte är ett ord för hela befolkningen – {ADVICE}"
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Folkmängden per månad efter region, ålder och kön. År 2000M01 - 2024M09",
        "Folkmängden per månad efter region, ålder, kön och månad",
        "Befolkningen per månad efter region, civilstånd, ålder och kön",
        "Population per month by region, age and sex. Year 2000M01 - 2024M09",
        "Folkmängd efter region och månad, totalt. Källa: SCB, Statistikdatabasen (BE0101N1)",
        "Befolkningsstatistik per månad, hela riket och län, 2019",
    ],
)
def test_scbs_own_titles_of_the_whole_population_are_read(tmp_path: Path, title: str) -> None:
    result = read_population_file(save(population_table(title=title), "csv", tmp_path))
    assert counts(result) == NOV_2019


@pytest.mark.parametrize(
    "contents", ["Levande födda", "Döda", "Inflyttade", "Utvandrade", "Live births", "Deaths"]
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_another_table_contents_is_refused(tmp_path: Path, fmt: str, contents: str) -> None:
    path = save(population_table(contents=contents, title="Befolkningsstatistik per månad"), fmt, tmp_path)

    (message,) = messages(path)

    assert "inte folkmängd – välj tabellen Folkmängden per månad" in message
    assert contents in message or contents.casefold() in message


def test_another_contents_said_in_the_title_is_refused(tmp_path: Path) -> None:
    path = save(population_table(title="Levande födda per månad efter region"), "csv", tmp_path)

    assert messages(path)[0].startswith(
        "SCB-filens rubrik ('Levande födda per månad efter region') visar levande födda, inte folkmängd"
    )


def _grouped(count: int) -> str:
    return f"{count:,}"


def test_counts_with_commas_between_the_thousands_are_read_with_a_notice(tmp_path: Path) -> None:
    """As an English Excel resaves PxWeb's CSV: '2,374,550' and '59,636' are whole numbers of persons."""
    lines = ['"region","2019M11"', *[f'"{CODES[n]} {n}","{_grouped(c)}"' for n, c in NOV_2019.items()]]
    result = read_population_file(write(tmp_path, lines))

    assert counts(result) == NOV_2019
    assert (
        "SCB-filens antal personer har komma mellan tusentalen (t.ex. '2,374,550', som Excel på engelska "
        "skriver dem) och lästes som hela tal"
    ) in result.notices


@pytest.mark.parametrize(
    ("gotland", "shown"),
    [("59,6", "59,6 är inget helt antal personer"), ("59636", "'1,376,659' är inget tal")],
    ids=["decimal-comma", "mixed-with-plain"],
)
def test_commas_that_are_not_all_thousands_are_refused(tmp_path: Path, gotland: str, shown: str) -> None:
    lines = ['"region","2019M11"']
    for name, count in NOV_2019.items():
        text = gotland if name == "Gotlands län" else _grouped(count)
        lines.append(f'"{CODES[name]} {name}","{text}"')

    assert any(shown in message for message in messages(write(tmp_path, lines)))


def test_money_per_lan_named_as_the_population_is_refused_as_money(tmp_path: Path) -> None:
    lines = ['"Län";"Budget Mkr"', *[f'"{name}";{k + 100}' for k, name in enumerate(NOV_2019)]]

    assert messages(write(tmp_path, lines)) == [
        "filen visar belopp ('Budget Mkr'), inte antal personer – välj tabellen Folkmängden per månad i "
        "SCB:s statistikdatabas"
    ]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_code_and_text_with_every_region_selected(tmp_path: Path, sep: str) -> None:
    """Riket, the län and the municipalities (some named like their län) in two columns."""
    lines = [sep.join(['"region"', '""', '"2019M11"']), sep.join(['"00"', '"Riket"', "10327589"])]
    for name, count in NOV_2019.items():
        lines.append(sep.join([f'"{CODES[name]}"', f'"{name}"', str(count)]))
    for code, name in (
        ("0114", "Upplands Väsby"),
        ("0180", "Stockholm"),
        ("0380", "Uppsala"),
        ("0980", "Gotland"),
    ):
        lines.append(sep.join([f'"{code}"', f'"{name}"', "1000"]))
    result = read_population_file(write(tmp_path, lines))

    assert counts(result) == NOV_2019
    assert result.notices == (
        "Användes inte från SCB-filen: raden för riket (10 327 589) och 4 kommunrader – riket räknas som "
        "summan av de 21 länen (10 319 473)",
    )


def test_code_and_text_xlsx_with_every_region_selected(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Folkmängden per månad efter region och månad"])
    sheet.append([None, None, "2019M11"])
    sheet.append(["00", "Riket", 10327589])
    for name, count in NOV_2019.items():
        sheet.append([CODES[name], name, count])
    sheet.append(["0180", "Stockholm", 975000])
    sheet.append(["0380", "Uppsala", 230000])
    path = tmp_path / "scb.xlsx"
    book.save(path)

    assert counts(read_population_file(path)) == NOV_2019


def test_code_and_text_xlsx_whose_codes_excel_stored_as_numbers(tmp_path: Path) -> None:
    """Opened and saved in Excel, 01 is 1 and 0114 is 114: the codes are still the regions'."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Folkmängden per månad efter region och månad"])
    sheet.append([None, None, "2019M11"])
    sheet.append([0, "Riket", 10327589])
    for name, count in NOV_2019.items():
        sheet.append([int(CODES[name]), name, count])
    for lan in regions.LAN:
        sheet.append([int(f"{lan.code}01"), f"Kommun {lan.code}", 1000])
    path = tmp_path / "scb.xlsx"
    book.save(path)

    assert counts(read_population_file(path)) == NOV_2019


def test_a_kommun_xlsx_whose_codes_excel_stored_as_numbers_is_summed_to_lan(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Folkmängden per månad efter region och månad"])
    sheet.append([None, None, "2019M11"])
    for line in kommun_lines(sep=";")[1:]:
        code, name, count = line.split(";")
        sheet.append([int(code.strip('"')), name.strip('"'), int(count)])
    path = tmp_path / "scb.xlsx"
    book.save(path)

    result = read_population_file(path)

    assert counts(result) == NOV_2019
    assert "summan av dess kommuner (290 kommuner" in result.notices[0]


def test_a_column_of_ages_as_numbers_is_no_column_of_codes(tmp_path: Path) -> None:
    """Ages 0, 1, 2 … beside coded län are ages (the table is by age, so refused as such), never the
    codes of län 00, 01, 02."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Folkmängden per månad efter region, ålder och månad"])
    sheet.append([None, None, "2019M11"])
    for name, count in NOV_2019.items():
        for age in (0, 1, 2, 3):
            sheet.append([f"{CODES[name]} {name}", age, count // 4])
    path = tmp_path / "scb.xlsx"
    book.save(path)

    with pytest.raises(InputRejected):
        read_population_file(path)


def test_regions_as_columns(tmp_path: Path) -> None:
    header = '"månad",' + ",".join(f'"{CODES[n]} {n}"' for n in NOV_2019)
    lines = [header, '"2019M10",' + ",".join(str(c - 10) for c in NOV_2019.values())]
    lines.append('"2019M11",' + ",".join(str(c) for c in NOV_2019.values()))

    assert counts(read_population_file(write(tmp_path, lines))) == NOV_2019


def kommun_lines(drop_last: bool = False, *, sep: str | None = None) -> list[str]:
    """The 290 municipalities with codes, each län's count spread over them; with `sep`, the code
    and the name in columns of their own ("code and text")."""
    from sjukmiljard.scb.population import MUNICIPALITIES

    lines = ['"region","2019M11"'] if sep is None else [sep.join(['"region"', '""', '"2019M11"'])]
    for lan, number in zip(regions.LAN, MUNICIPALITIES, strict=True):
        total = NOV_2019[lan.name]
        for i in range(number):
            share = total // number + (total % number if i == 0 else 0)
            code, name = f"{lan.code}{i + 1:02d}", f"{['Ale', 'Bjuv', 'Kil', 'Ydre'][i % 4]} {lan.code}-{i}"
            lines.append(
                f'"{code} {name}",{share}'
                if sep is None
                else sep.join([f'"{code}"', f'"{name}"', str(share)])
            )
    return lines[:-1] if drop_last else lines


@pytest.mark.parametrize("sep", [None, ",", ";", "\t"], ids=["one-column", "comma", "semicolon", "tab"])
def test_a_kommun_table_is_summed_to_lan_by_code(tmp_path: Path, sep: str | None) -> None:
    result = read_population_file(write(tmp_path, kommun_lines(sep=sep)))

    assert counts(result) == NOV_2019
    assert result.notices == (
        "SCB-filen har kommuner men inga län: varje läns befolkning är summan av dess kommuner (290 "
        "kommuner, länet efter kommunkodens två första siffror)",
    )


def test_a_kommun_table_missing_a_kommun_is_refused(tmp_path: Path) -> None:
    assert messages(write(tmp_path, kommun_lines(drop_last=True))) == [
        "SCB-filen har inga län, bara riket eller kommuner – välj de 21 länen under region i SCB:s "
        "statistikdatabas (länen kan inte summeras av kommunerna: Norrbottens län har 13 av sina 14 kommuner)"
    ]


KOMMUNER = [
    "Upplands Väsby",
    "Vallentuna",
    "Österåker",
    "Värmdö",
    "Järfälla",
    "Ekerö",
    "Huddinge",
    "Botkyrka",
    "Salem",
    "Haninge",
    "Tyresö",
    "Upplands-Bro",
    "Nykvarn",
    "Täby",
    "Danderyd",
    "Sollentuna",
    "Stockholm",
    "Södertälje",
    "Nacka",
    "Sundbyberg",
    "Solna",
    "Lidingö",
    "Vaxholm",
    "Norrtälje",
    "Sigtuna",
    "Nynäshamn",
    "Håbo",
    "Älvkarleby",
    "Knivsta",
    "Heby",
    "Tierp",
    "Uppsala",
    "Enköping",
    "Östhammar",
    "Norberg",
    "Kalmar",
    "Gotland",
]


@pytest.mark.parametrize(
    "names",
    [
        KOMMUNER,
        ["Norberg", "Stockholm"],
    ],
)
def test_kommuner_without_codes_get_one_message(tmp_path: Path, names: list[str]) -> None:
    lines = ['"region","2019M11"', *[f'"{name}",{1000 + i}' for i, name in enumerate(names)]]

    (message,) = messages(write(tmp_path, lines))

    assert message.startswith(f"SCB-filen har {len(names)} regioner utan län och utan kod (t.ex. ")
    assert "menade du" not in message


def test_a_part_beside_the_contents_in_the_stub_is_a_part(tmp_path: Path) -> None:
    """A relational table's tabellinnehåll column saying "Folkmängd, kvinnor" holds women only."""
    lines = ["region\ttabellinnehåll\tmånad\tantal"]
    lines += [f"{CODES[n]} {n}\tFolkmängd, kvinnor\t2019M11\t{c}" for n, c in NOV_2019.items()]
    lines += [f"{CODES[n]} {n}\tFolkmängd, kvinnor\t2019M10\t{c}" for n, c in NOV_2019.items()]

    (message,) = messages(write(tmp_path, lines))

    assert message.startswith(
        "SCB-filen har bara rader uppdelade på ålder eller kön (t.ex. 'Folkmängd, kvinnor')"
    )


def test_regions_as_columns_in_an_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Folkmängden per månad efter region och månad"
    sheet.append([])
    sheet.append(["månad", *[f"{CODES[n]} {n}" for n in NOV_2019]])
    sheet.append(["2019M10", *[c - 10 for c in NOV_2019.values()]])
    sheet.append(["2019M11", *NOV_2019.values()])
    sheet.append([])
    sheet.append(["Källa: SCB"])
    path = tmp_path / "scb.xlsx"
    book.save(path)

    assert counts(read_population_file(path)) == NOV_2019
    assert counts(read_population_file(path, "2019M10")) == {n: c - 10 for n, c in NOV_2019.items()}


def test_code_and_text_for_every_variable_names_the_part_by_its_text(tmp_path: Path) -> None:
    lines = ['"region","","ålder","","kön","","Folkmängd 2019M11"']
    for name, count in NOV_2019.items():
        lines.append(f'"{CODES[name]}","{name}","tot","totalt ålder","2","kvinnor",{count}')
    path = write(tmp_path, lines)
    assert messages(path)[0].startswith(
        "SCB-filen har bara rader uppdelade på ålder eller kön (t.ex. 'kvinnor')"
    )

    lines = lines[:1] + [line.replace('"2","kvinnor"', '"1+2","totalt"') for line in lines[1:]]
    assert counts(read_population_file(write(tmp_path, lines))) == NOV_2019


# Other spellings of a part: each class (age in words, sex in the singular, civil status, birth
# country, citizenship, groups of people, exclusions) by its own rule, not by the words above.
HEADING_PARTS = [
    ("Folkmängd 18 år och äldre 2019M12", "18 år och äldre"),
    ("Folkmängd 80 eller äldre 2019M12", "80 eller äldre"),
    ("Folkmängd under 18 2019M12", "under 18"),
    ("Population aged 65 or older 2019M12", "65 or older"),
    ("Population 16 years and over 2019M12", "16 years and over"),
    ("Folkmängd kvinnorna 2019M12", "kvinnorna"),
    ("Folkmängd manliga 2019M12", "manliga"),
    ("Population female 2019M12", "female"),
    ("Folkmängd ogifta 2019M12", "ogifta"),
    ("Population never married 2019M12", "never married"),
    ("Population widowed 2019M12", "widowed"),
    ("Folkmängd födda i Sverige 2019M12", "födda i sverige"),
    ("Folkmängd inrikesfödda 2019M12", "inrikesfödda"),
    ("Population foreign-born 2019M12", "foreign"),
    ("Utländska medborgare 2019M12", "utländska"),
    ("Population citizens 2019M12", "citizens"),
    ("Folkmängd barn 2019M12", "barn"),
    ("Population pensioners 2019M12", "pensioners"),
    ("Folkmängd exklusive 0 år 2019M12", "exklusive"),
    ("Population except 100+ 2019M12", "except"),
    ("Folkmängd skattebetalare 2019M12", "skattebetalare"),
    ("Folkmängd 2019M12 18", "18"),
]


@pytest.mark.parametrize(("heading", "part"), HEADING_PARTS)
def test_any_narrowing_word_in_a_heading_is_refused(tmp_path: Path, heading: str, part: str) -> None:
    """Every word of a value column's heading must say the month, the population or a total: a part
    in other words, and a word the program does not know, are refused, naming it."""
    lines = [f'"region","{heading}"', *[f'"{CODES[n]} {n}",{c}' for n, c in NOV_2019.items()]]

    (message,) = messages(write(tmp_path, lines))

    assert "2019M12" in message and part in message and message.endswith(ADVICE)


@pytest.mark.parametrize(
    ("title", "part"),
    [
        ("Befolkningen i åldern 16-w, per månad", "i åldern"),
        ("Befolkningen 16-w år", "16-w år"),
        ("Folkmängd, ogifta, per månad", "ogifta"),
        ("Population by region. Divorced. Month", "divorced"),
        ("Utlandsfödda per månad efter region", "utlandsfödda"),
        ("Folkmängd per månad, svenska medborgare", "svenska"),
        ("Population per month, excluding persons under 1 year", "excluding"),
    ],
)
def test_a_part_in_other_words_in_the_title_is_refused(tmp_path: Path, title: str, part: str) -> None:
    path = save(population_table(title=title), "csv", tmp_path)

    assert messages(path) == [
        f"SCB-filens rubrik ('{title}') visar bara en del av befolkningen ('{part}') – {ADVICE}"
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Folkmängden per månad efter region, ålder och kön. År 2000M01 - 2024M09",
        "Population per month by region, age and sex. Year 2000M01-2024M09",
        "Folkmängd efter region, civilstånd, ålder och kön",
        "Folkmängd efter region, medborgarskap och födelseland",
    ],
)
@pytest.mark.parametrize(
    "heading", ["Folkmängd 2019M11", "totalt ålder totalt kön 2019M11", "Antal personer 2019M11 (prel.)"]
)
def test_the_names_of_the_dimensions_narrow_nothing(tmp_path: Path, title: str, heading: str) -> None:
    """A title naming the dimensions, and a heading saying only contents and totals, are the whole
    population: the rules above must not refuse them."""
    lines = [f'"{title}"', "", f'"region","{heading}"']
    lines += [f'"{CODES[n]} {n}",{c}' for n, c in NOV_2019.items()]

    assert counts(read_population_file(write(tmp_path, lines))) == NOV_2019


@pytest.mark.parametrize(
    ("footnote", "reads"),
    [
        ("Tabellen avser endast kvinnor.", False),
        ("Uppgifterna omfattar bara personer som fyllt 1 år.", False),
        ("Only persons aged 18 and over.", False),
        ("Folkmängden avser den sista dagen i månaden.", True),
        ("Urval: kön = kvinnor", False),  # probes: a selection, an exclusion, only a group
        ("Personer utan känd bostadsadress ingår inte i tabellen.", False),
        ("Refers to the population in private households only.", False),
        ("Omfattar endast befolkningen i arbetsför ålder.", False),
        ("Källa: SCB, Befolkningsstatistik", True),
        # probe 16e: a part named without "endast", and people left out in other words
        ("Kön: kvinnor", False),
        ("Tabellen visar personer med svenskt medborgarskap.", False),
        ("Inkluderar inte personer med skyddad identitet.", False),
        ("Personer under 18 år har räknats bort.", False),
        ("Figures do not include persons without a known address.", False),
        ("Personer födda utomlands ingår.", True),
        ("Uppgifterna för 2019 är preliminära.", True),
    ],
)
def test_a_footnote_that_narrows_the_table_is_refused(tmp_path: Path, footnote: str, reads: bool) -> None:
    """A probe: 'Tabellen avser endast kvinnor.' below the table was never read; the women were used."""
    path = write(tmp_path, ['"region","Folkmängd 2019M11"', *lan_lines(), "", f'"{footnote}"'])
    if reads:
        assert counts(read_population_file(path)) == NOV_2019
    else:
        assert any(m.startswith(f"SCB-filens fotnot ('{footnote}')") for m in messages(path))


@pytest.mark.parametrize(
    ("contents", "word"),
    [
        ("Framskriven folkmängd", "framskriven"),
        ("Folkmängd (prognos)", "prognos"),
        ("Folkmängd förutom spädbarn", "förutom"),
        ("Genomsnittlig folkmängd", "genomsnittlig"),
        ("Population not counting infants", "not"),
    ],
)
def test_contents_with_a_narrowing_word_are_refused(tmp_path: Path, contents: str, word: str) -> None:
    """A probe: a constant tabellinnehåll 'Folkmängd förutom spädbarn' was used as the population."""
    rows = [f'"{CODES[name]} {name}";"{contents}";"2019M11";{count}' for name, count in NOV_2019.items()]
    path = write(tmp_path, ['"region";"tabellinnehåll";"månad";"antal"', *rows])
    found = messages(path)
    assert any(f"tabellinnehåll är '{contents}', som säger '{word}'" in m for m in found), found


def test_plain_contents_are_read(tmp_path: Path) -> None:
    rows = [f'"{CODES[name]} {name}";"Folkmängd";"2019M11";{count}' for name, count in NOV_2019.items()]
    path = write(tmp_path, ['"region";"tabellinnehåll";"månad";"antal"', *rows])
    assert counts(read_population_file(path)) == NOV_2019


@pytest.mark.parametrize(
    ("title", "reads"),
    [
        ("Folkmängden per månad efter region och månad. Födelseland: Sverige", False),
        ("Population per month by region and month. Country of birth: Sweden", False),
        ("Folkmängd per månad efter region och månad, medborgarskap Sverige", False),
        ("Folkmängden per månad efter region, medborgarskap och månad", True),
        ("Folkmängd för folkbokförda i Sverige per månad", True),
    ],
)
def test_a_dimension_named_with_one_value_is_a_part(tmp_path: Path, title: str, reads: bool) -> None:
    """A probe: 'Födelseland: Sverige' in the title used only those born in Sweden."""
    _read_or_refused(tmp_path, title, reads, ("en del av befolkningen", "som inte är ett ord"))


def _read_or_refused(tmp_path: Path, title: str, reads: bool, said: tuple[str, ...]) -> None:
    """The 21 län of November 2019 under `title`: read, or refused with one of the messages `said`."""
    path = write(tmp_path, [f'"{title}"', "", '"region","Folkmängd 2019M11"', *lan_lines()])
    if reads:
        assert counts(read_population_file(path)) == NOV_2019
    else:
        assert any(part in m for m in messages(path) for part in said)


def test_a_stub_heading_or_region_that_narrows_is_refused(tmp_path: Path) -> None:
    """Probes: 'region, födda utomlands' over the stub, '0180 Stockholm exkl. Skärholmen' as a region."""
    heading = write(tmp_path, ['"region, födda utomlands","Folkmängd 2019M11"', *lan_lines()], "a.csv")
    assert any("kolumnrubrik 'region, födda utomlands'" in m for m in messages(heading))
    rows = lan_lines()
    rows[0] = rows[0].replace("01 Stockholms län", "01 Stockholms län exkl. Norrtälje")
    region = write(tmp_path, ['"region","Folkmängd 2019M11"', *rows], "b.csv")
    assert any("är bara en del av regionen ('exkl')" in m for m in messages(region))


@pytest.mark.parametrize(
    ("title", "reads"),
    [
        ("Folkmängden per månad. Månad 2019M10", False),  # a probe: the figures' month was chosen silently
        ("Folkmängden per månad 2019M01-2019M12", True),
        ("Folkmängden per månad 2019M11", True),
    ],
)
def test_a_month_in_the_title_must_cover_the_table(tmp_path: Path, title: str, reads: bool) -> None:
    _read_or_refused(tmp_path, title, reads, ("rubrik nämner 2019M10 men tabellen har 2019M11",))


@pytest.mark.parametrize(
    ("footnote", "word"),
    [
        ("Antal: medelfolkmängd under månaden.", "medelfolkmängd"),
        ("Uppgifterna är framskrivna enligt SCB:s befolkningsprognos.", "framskrivna"),
        ("Figures are estimates based on the 2018 register.", "estimates"),
    ],
)
def test_a_footnote_that_says_the_figures_are_no_count_at_the_months_end_is_refused(
    tmp_path: Path, footnote: str, word: str
) -> None:
    """Probe 16e: an average over the month and a projection were used as the population."""
    path = write(tmp_path, ['"region","Folkmängd 2019M11"', *lan_lines(), "", f'"{footnote}"'])
    (message,) = messages(path)
    assert message.startswith(f"SCB-filens fotnot ('{footnote}') säger att talen är {word}, inte folkmängden")


@pytest.mark.parametrize(
    ("title", "part"),
    [
        ("Folkmängden per månad efter region och födelseland, Sverige", "födelseland, sverige"),
        ("Population by region and country of birth, Sweden", "country of birth, sweden"),
        ("Folkmängd efter region och medborgarskap (Sverige)", "medborgarskap (sverige"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "px"])
def test_a_dimension_at_one_value_after_a_comma_or_in_parentheses_is_a_part(
    tmp_path: Path, fmt: str, title: str, part: str
) -> None:
    (message,) = messages(save(population_table(title=title), fmt, tmp_path))
    assert part in message and "en del av befolkningen" in message


def _xlsx_export(tmp_path: Path, sheet: str = "Sheet1", heading: str = "region") -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["Folkmängden per månad efter region och månad"])
    ws.append([heading, "2019M11"])
    for name, count in NOV_2019.items():
        ws.append([f"{CODES[name]} {name}", count])
    return book


@pytest.mark.parametrize("sheet", ["Kvinnor", "Män 2019", "Medelfolkmängd", "65+ år"])
def test_a_sheet_named_for_a_part_or_other_figures_is_refused(tmp_path: Path, sheet: str) -> None:
    """Probe 16e: the table on a sheet named 'Kvinnor' was used as the whole population."""
    path = tmp_path / "scb.xlsx"
    _xlsx_export(tmp_path, sheet).save(path)
    (message,) = messages(path)
    assert message.startswith(f"SCB-filens blad heter '{sheet}'")


@pytest.mark.parametrize("sheet", ["Sheet1", "Blad1", "BE0101N1", "Folkmängd 2019M11"])
def test_a_sheet_named_as_the_export_names_it_is_read(tmp_path: Path, sheet: str) -> None:
    path = tmp_path / "scb.xlsx"
    _xlsx_export(tmp_path, sheet).save(path)
    assert counts(read_population_file(path)) == NOV_2019


@pytest.mark.parametrize(
    ("note", "reads"),
    [("Tabellen avser endast kvinnor.", False), ("Antal avser medelfolkmängden för månaden.", False),
     ("Källa: SCB, Befolkningsstatistik. Uppdaterad 2019-12-12.", True)],
)  # fmt: skip
def test_a_note_on_another_sheet_is_read_as_a_footnote(tmp_path: Path, note: str, reads: bool) -> None:
    """Probe 16e: 'Tabellen avser endast kvinnor.' on a second sheet 'Fotnoter' was never read."""
    book = _xlsx_export(tmp_path)
    book.create_sheet("Fotnoter").append([note])
    path = tmp_path / "scb.xlsx"
    book.save(path)
    if reads:
        assert counts(read_population_file(path)) == NOV_2019
    else:
        (message,) = messages(path)
        assert message.startswith(f"SCB-filens fotnot ('{note}')")


@pytest.mark.parametrize(
    ("heading", "reads"),
    [("region (folkbokförda på fastighet)", False), ("region, exkl. Gotland", False),
     ("region (kod och namn)", True), ("Län, kod", True), ("region", True)],
)  # fmt: skip
def test_a_stub_heading_that_qualifies_the_regions_is_refused(
    tmp_path: Path, heading: str, reads: bool
) -> None:
    """Probe 16e: 'region (folkbokförda på fastighet)' over the län was used as the whole population."""
    path = tmp_path / "scb.xlsx"
    _xlsx_export(tmp_path, heading=heading).save(path)
    if reads:
        assert counts(read_population_file(path)) == NOV_2019
    else:
        (message,) = messages(path)
        assert message.startswith(f"SCB-filens kolumnrubrik '{heading}'")
