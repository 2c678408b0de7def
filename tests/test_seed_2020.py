"""The 2020 sample reproduces every figure of the published 2020 workbook (seed 000), to 3 decimals.

The fixture is the seed's text, verbatim; this file parses it independently of the program.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
import pytest

from sjukmiljard import convert

from .conftest import FIXTURES, ROOT

NBSP = "\u00a0"
SEED = FIXTURES / "seed-2020.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_be63c5b397ffd625.txt"
SHEETS = [
    "Villkor 1",
    "Villkor 2",
    "Villkor 3",
    "Villkor 4",
    "Villkor 5",
    "Forskning m.m.",
    "Samordning och stöd",
]


def _is_number(token: str) -> bool:
    digits = token.replace(NBSP, "").replace(",", "", 1)
    return digits.isdigit()


def _split(line: str) -> tuple[str, list[str]]:
    """'Stockholms län 2 374 550 0,230' -> ('Stockholms län', ['2374550', '0,230']).

    Columns are separated by ordinary spaces, thousands by non-breaking ones.
    """
    tokens = line.split(" ")
    numbers: list[str] = []
    while tokens and _is_number(tokens[-1]):
        numbers.insert(0, tokens.pop().replace(NBSP, ""))
    return " ".join(tokens).replace(NBSP, " ").strip(), numbers


def three(token: str) -> str:
    """A seed figure as shown to 3 decimals: '1,2' -> '1.200', '0,0000' -> '0.000'."""
    return f"{Decimal(token.replace(',', '.')):.3f}"


@dataclass
class SeedTable:
    rows: dict[str, list[str]] = field(default_factory=dict)
    after: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    title: str | None = None


def parse_seed(text: str) -> tuple[SeedTable, list[SeedTable], SeedTable]:
    population = SeedTable()
    villkor: list[SeedTable] = []
    summary = SeedTable()
    current: SeedTable | None = None
    in_summary = False
    blanks = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            blanks += 1
            continue
        gap, blanks = blanks, 0
        if line == "Sammanställning":
            in_summary, current = True, summary
            continue
        name, numbers = _split(line)
        if line.split(" ")[0] == "Län":
            if not in_summary:
                # A title sits one blank line above its header; notes end three blank lines above.
                title = current.notes.pop() if current and current.notes and gap == 1 else None
                current = population if "Personer" in line else SeedTable(title=title)
                if current is not population:
                    villkor.append(current)
            continue
        if current is None:
            continue
        if not numbers:
            if "RIKET" in current.rows:
                current.notes.append(line.replace(NBSP, " "))
            continue
        past_table = "SUMMA" if current is summary else "RIKET"
        if past_table in current.rows:
            current.after.append((name, numbers))
        else:
            current.rows[name] = numbers
    return population, villkor, summary


@pytest.fixture(scope="module")
def seed() -> tuple[SeedTable, list[SeedTable], SeedTable]:
    return parse_seed(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("seed") / "resultat.xlsx"
    convert(ROOT / "samples" / "sjukskrivningsmiljarden-2020.xlsx", out)
    return openpyxl.load_workbook(out, data_only=True)


def shown(value: object) -> str:
    assert isinstance(value, int | float), value
    return f"{value:.3f}"


def sheet_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, list[object]]:
    return {str(row[0]): list(row[1:]) for row in ws.iter_rows(values_only=True) if row[0] is not None}


def test_fixture_is_the_seed_verbatim() -> None:
    if not SHARED_SEED.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_parser_sees_the_whole_seed(seed: tuple[SeedTable, list[SeedTable], SeedTable]) -> None:
    population, villkor, summary = seed
    assert len(population.rows) == 22  # 21 län and RIKET
    assert len(villkor) == 7
    assert all(len(v.rows) == 22 for v in villkor)
    assert len(summary.rows) == 22  # 21 län and the first SUMMA
    assert [name for name, _ in summary.after] == [
        "SKR",
        "Försäkringskassan",
        "Socialstyrelsen",
        "Enligt regeringsbeslut",
        "SUMMA",
    ]


def test_befolkning(seed: tuple[SeedTable, list[SeedTable], SeedTable], result: openpyxl.Workbook) -> None:
    ours = sheet_rows(result["Befolkning"])
    assert list(result["Befolkning"]["A1"].value.split()) == ["Befolkning", "1/11", "2019"]
    for name, (persons, share) in seed[0].rows.items():
        assert ours[name][0] == int(persons), name
        assert f"{ours[name][1]:.3f}" == three(share), name


@pytest.mark.parametrize("index", range(len(SHEETS)))
def test_villkor_sheet(
    index: int, seed: tuple[SeedTable, list[SeedTable], SeedTable], result: openpyxl.Workbook
) -> None:
    table = seed[1][index]
    ours = sheet_rows(result[SHEETS[index]])
    for name, figures in table.rows.items():
        assert [shown(v) for v in ours[name][: len(figures)]] == [three(f) for f in figures], name
    for name, figures in table.after:
        values = [v for v in ours[name] if v is not None]
        assert [shown(v) for v in values] == [three(f) for f in figures], name


@pytest.mark.parametrize("index", range(len(SHEETS)))
def test_villkor_notes_kept_verbatim_in_order(
    index: int, seed: tuple[SeedTable, list[SeedTable], SeedTable], result: openpyxl.Workbook
) -> None:
    ours = [
        str(row[0]).replace(NBSP, " ")
        for row in result[SHEETS[index]].iter_rows(values_only=True)
        if row[0] is not None and all(v is None for v in row[1:])
    ]
    table = seed[1][index]
    title = ours.pop(0)  # a sheet without a title has its name printed as its title
    assert title == (table.title or SHEETS[index])
    assert ours == table.notes


def test_sammanstallning(
    seed: tuple[SeedTable, list[SeedTable], SeedTable], result: openpyxl.Workbook
) -> None:
    ws = result["Sammanställning"]
    rows = list(ws.iter_rows(values_only=True))
    labelled = [(str(r[0]), list(r[1:])) for r in rows if r[0] is not None]
    first_summa = next(i for i, (name, _) in enumerate(labelled) if name == "SUMMA")
    ours_regions = dict(labelled[: first_summa + 1])
    for name, figures in seed[2].rows.items():
        values = [shown(v) for v in ours_regions[name]]
        expected = [three(f) for f in figures]
        # The seed's text dropped one of the three empty (zero) columns of each län row, so its
        # rows have 7 villkor figures for 8 columns; every non-zero figure still sits in place.
        assert values[:5] == expected[:5], name
        assert values[5:-1] == ["0.000"] * 3 and expected[5:-1] == ["0.000"] * 2, name
        assert values[-1] == expected[-1], name
    after = labelled[first_summa + 1 :]
    # Below the published rows, the sample's agreement total and its check against the grand SUMMA.
    after, check = after[: len(seed[2].after)], after[len(seed[2].after) :]
    assert [name for name, _ in after] == [name for name, _ in seed[2].after]
    for (name, values), (_, figures) in zip(after, seed[2].after, strict=True):
        assert [shown(v) for v in values if v is not None] == [three(f) for f in figures], name
    assert shown(after[-1][1][-1]) == "944.000"
    check, notes = check[:2], [name for name, _ in check[2:]]
    assert [(name, [shown(v) for v in values if v is not None]) for name, values in check] == [
        ("Överenskommelsens totalbelopp", ["944.000"]),
        ("Skillnad mot SUMMA", ["0.000"]),
    ]
    # A footnote that the sums are of unrounded figures, and the villkor's full names.
    assert notes[0].startswith(
        "Beloppen visas med tre decimaler, men alla summor är räknade på de oavrundade"
    )
    assert notes[1:] == [
        "Villkoren",
        *(f"{name}: {t.title}" for name, t in zip(SHEETS, seed[1], strict=False) if t.title),
    ]
