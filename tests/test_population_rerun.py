"""The monthly rerun: the 2020 sample with the population from an SCB export, compared with the
plain 2020 result, checked figure by figure against a computation made here."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import cli, convert
from sjukmiljard.words.regions import NAMES

from .conftest import FIXTURES, POPULATION, read_changes

SCB_FILE = FIXTURES / "scb" / "befolkning-2018M12-2019M11.csv"
# SCB, population per län on 31 December 2018 (the issue's figures; they sum to 10 230 185).
PERSONS_2018M12 = dict(
    zip(
        NAMES,
        (2344124, 376354, 294695, 461583, 360825, 199886, 244670, 59249, 159684, 1362164, 329352,
         1709814, 281482, 302252, 273929, 287191, 286547, 245453, 130280, 270154, 250497),
        strict=True,
    )
)  # fmt: skip
POTS = {"Villkor 1": [100], "Villkor 2": [140], "Villkor 3": [500, 50], "Villkor 4": [50]}
ZERO_COLUMNS = ["Villkor 5", "Forskning m.m.", "Samordning och stöd", "Uppföljning och utvärdering"]


def amounts(persons: dict[str, int]) -> dict[str, dict[str, Fraction]]:
    total = sum(persons.values())
    table = {
        name: {col: sum(Fraction(pot) * persons[name] / total for pot in pots) for col, pots in POTS.items()}
        for name in NAMES
    }
    for row in table.values():
        row.update(dict.fromkeys(ZERO_COLUMNS, Fraction(0)))
        row["TOTALT"] = sum(row.values(), Fraction(0))
    return table


def test_the_fixture_holds_the_issues_figures() -> None:
    """The SCB file itself, read as the program reads it, has the issue's 2018M12 figures."""
    from sjukmiljard.scb.population import read_population_file

    found = read_population_file(SCB_FILE, "2018M12")
    assert dict(found.population.counts) == PERSONS_2018M12
    assert found.population.total == 10_230_185


@pytest.mark.parametrize(("month", "persons"), [("2018M12", PERSONS_2018M12), (None, POPULATION)])
def test_population_file_picks_the_month(
    sample: Path, tmp_path: Path, month: str | None, persons: dict[str, int]
) -> None:
    report = convert(sample, tmp_path / "r.xlsx", population_file=SCB_FILE, month=month)
    assert dict(report.indata.population.counts) == persons
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx", data_only=True)["Befolkning"]
    used = month or "2019M11"
    expected_date = dt.date(2018, 12, 31) if month else dt.date(2019, 11, 30)
    assert ws["A1"].value == f"Befolkning {expected_date.day}/{expected_date.month} {expected_date.year}"
    assert {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, 25)} == persons
    assert ws["A27"].value == f"Källa: SCB-fil {SCB_FILE.name}, {used}."


def test_rerun_with_scb_population_and_forandring(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain.xlsx"
    assert cli.main([str(sample), "-o", str(plain)]) == 0
    rerun = tmp_path / "rerun.xlsx"
    args = [str(sample), "--population", str(SCB_FILE), "--month", "2018M12", "--compare", str(plain)]
    assert cli.main([*args, "-o", str(rerun)]) == 0
    out = capsys.readouterr().out
    assert "befolkningen togs från befolkning-2018M12-2019M11.csv, månad 2018M12" in out

    sheet = read_changes(rerun)
    assert sheet.lines[1:3] == [
        "Tidigare: plain.xlsx, befolkning 1/11 2019 (bladet Befolkning i sjukskrivningsmiljarden-2020.xlsx)",
        "Nu: befolkning 31/12 2018 (SCB-filen befolkning-2018M12-2019M11.csv, månad 2018M12)",
    ]
    assert sheet.lines[3].endswith("; befolkning 1/11 2019 → 2018M12.")
    assert sheet.lines[4] == f"Ändrade villkor: {', '.join(POTS)} (övriga 4 oförändrade)."
    # The villkor without pots did not change: no detail of theirs (nothing but zeros).
    assert list(sheet.villkor) == [*POTS]
    before, after = amounts(POPULATION), amounts(PERSONS_2018M12)
    for name in NAMES:
        for col, table in sheet.villkor.items():
            was, now, delta = table[name]
            assert was == pytest.approx(float(before[name][col]), abs=1e-9), (name, col)
            assert now == pytest.approx(float(after[name][col]), abs=1e-9), (name, col)
            assert delta == pytest.approx(float(after[name][col] - before[name][col]), abs=1e-9), (name, col)
            assert f"{delta:.3f}" == f"{float(after[name][col] - before[name][col]):.3f}"
        row = sheet.summary[name]
        assert row[:3] == [POPULATION[name], PERSONS_2018M12[name], PERSONS_2018M12[name] - POPULATION[name]]
        change = after[name]["TOTALT"] - before[name]["TOTALT"]
        assert row[3:6] == [
            pytest.approx(float(before[name]["TOTALT"]), abs=1e-9),
            pytest.approx(float(after[name]["TOTALT"]), abs=1e-9),
            pytest.approx(float(change), abs=1e-9),
        ]
        assert row[6] == pytest.approx(float(change / before[name]["TOTALT"]), abs=1e-9)
    summa = sheet.summary["SUMMA"]
    assert summa[:3] == [10_319_473, 10_230_185, 10_230_185 - 10_319_473]
    assert summa[3:7] == [pytest.approx(840), pytest.approx(840), 0, 0]
    for col, table in sheet.villkor.items():
        assert table["SUMMA"][2] == 0, col


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2017M01"], "2017M01"),
        (["--population", "finns-inte.csv"], "finns-inte.csv"),
    ],
)
def test_bad_population_arguments_write_nothing(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    if args[0] == "--month":
        args = ["--population", str(SCB_FILE), *args]
    else:
        args = ["--population", str(tmp_path / args[1])]
    code = cli.main([str(sample), *args, "-o", str(tmp_path / "r.xlsx")])
    assert code == 1
    err = capsys.readouterr().err
    assert "Avvisad:" in err and message in err and "Traceback" not in err
    assert not (tmp_path / "r.xlsx").exists()


def test_month_without_population_is_a_usage_error(sample: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main([str(sample), "--month", "2019M11"])
    assert stop.value.code == 2
