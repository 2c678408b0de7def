"""The Förändring sheet: previous and new amounts per län and column, checked against an
independent computation, and the folder mode that keeps and compares the previous result."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import cli, convert, find_inputs
from sjukmiljard.regions import NAMES

from .conftest import POPULATION, row_of, save, small_book

POT = {"Villkor 1": 100.0, "Villkor 3": 550.0}


def expected(persons: dict[str, int], pots: dict[str, float]) -> dict[str, dict[str, float]]:
    """Each län's amount per column, computed here from first principles."""
    total = sum(persons.values())
    table = {name: {col: pot * persons[name] / total for col, pot in pots.items()} for name in NAMES}
    for row in table.values():
        row["TOTALT"] = sum(row.values())
    return table


@pytest.fixture
def changed(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    """A previous result, and a new input with other populations and one villkor swapped."""
    previous = convert(save(small_book(), tmp_path, "förra.xlsx"), tmp_path / "förra-resultat.xlsx").output
    book = small_book()
    persons = dict(POPULATION)
    persons["Gotlands län"] += 5_000
    persons["Stockholms län"] -= 12_345
    ws = book["Befolkning"]
    ws["A1"] = "Befolkning 1/11 2020"
    for name in ("Gotlands län", "Stockholms län"):
        ws.cell(row_of(name), 2, persons[name])
    ws.cell(25, 2, sum(persons.values()))
    book["Villkor 3"].title = "Villkor 9"
    book["Villkor 9"]["B25"], book["Villkor 9"]["C25"], book["Villkor 9"]["D25"] = 70, 0, 70
    assert previous is not None
    return previous, save(book, tmp_path, "ny.xlsx"), persons


def test_forandring_matches_independent_computation(
    changed: tuple[Path, Path, dict[str, int]], tmp_path: Path
) -> None:
    previous, new_input, persons = changed
    result = convert(new_input, tmp_path / "ny-resultat.xlsx", compare_with=previous).output
    assert result is not None
    ws = openpyxl.load_workbook(result, data_only=True)["Förändring"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[1][0] == "Befolkning 1/11 2020 jämfört med 1/11 2019 (tidigare resultat: förra-resultat.xlsx)"
    assert rows[2][0] == "Kolumner som bara finns i det nya resultatet: Villkor 9"
    assert rows[3][0] == "Kolumner som bara fanns i det tidigare resultatet: Villkor 3"
    groups = [g for g in rows[5] if g is not None]
    assert groups == ["Villkor 1", "Villkor 9", "Villkor 3", "TOTALT", "Personer"]
    assert rows[6][:4] == ["Län", "Tidigare", "Nu", "Förändring"]
    old = expected(POPULATION, POT)
    new = expected(persons, {"Villkor 1": 100.0, "Villkor 9": 70.0})
    body = rows[7:28]
    assert [r[0] for r in body] == list(NAMES)
    for name, r in zip(NAMES, body, strict=True):
        for g, col in enumerate(groups[:-1]):
            was, now, delta = r[1 + 3 * g : 4 + 3 * g]
            want_old, want_new = old[name].get(col), new[name].get(col)
            assert was == (None if want_old is None else pytest.approx(want_old, abs=1e-12)), (name, col)
            assert now == (None if want_new is None else pytest.approx(want_new, abs=1e-12)), (name, col)
            assert delta == pytest.approx((want_new or 0) - (want_old or 0), abs=1e-12), (name, col)
        assert r[13:16] == [POPULATION[name], persons[name], persons[name] - POPULATION[name]]
    summa = rows[28]
    assert summa[0] == "SUMMA"
    assert summa[10:13] == [pytest.approx(650), pytest.approx(170), pytest.approx(-480)]
    assert summa[15] == 5_000 - 12_345


def test_forandring_has_a_bar_chart_of_the_total_change(
    changed: tuple[Path, Path, dict[str, int]], tmp_path: Path
) -> None:
    previous, new_input, _ = changed
    result = convert(new_input, tmp_path / "r.xlsx", compare_with=previous).output
    assert result is not None
    with zipfile.ZipFile(result) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and '<c:barDir val="bar"/>' in chart
    assert "Förändring!$A$8:$A$28" in chart and "Förändring!$M$8:$M$28" in chart


def test_same_columns_no_column_lines(sample: Path, tmp_path: Path) -> None:
    first = convert(sample, tmp_path / "a.xlsx").output
    assert first is not None
    again = convert(sample, tmp_path / "b.xlsx", compare_with=first).output
    assert again is not None
    ws = openpyxl.load_workbook(again, data_only=True)["Förändring"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[2][0] is None
    differences = [v for r in rows[6:28] for v in r[3::3] if v is not None]
    assert len(differences) == 21 * 10 and all(v == 0 for v in differences)


def test_bad_previous_result_is_refused(sample: Path, tmp_path: Path) -> None:
    broken = tmp_path / "gammal.xlsx"
    broken.write_bytes(b"not a workbook")
    code = cli.main([str(sample), "--compare", str(broken), "-o", str(tmp_path / "ut.xlsx")])
    assert code == 1
    assert not (tmp_path / "ut.xlsx").exists()


def test_folder_mode_keeps_and_compares_the_previous_result(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    sample.rename(inbox / sample.name)
    assert cli.main([str(inbox), "-o", str(outbox)]) == 0
    result = outbox / "sjukskrivningsmiljarden-2020-resultat.xlsx"
    first = result.read_bytes()
    assert "Förändring" not in openpyxl.load_workbook(result).sheetnames
    capsys.readouterr()
    assert cli.main([str(inbox), "-o", str(outbox)]) == 0
    out = capsys.readouterr().out
    kept = [p for p in outbox.iterdir() if p.name.startswith("sjukskrivningsmiljarden-2020-resultat 20")]
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert f"Obs: det tidigare resultatet sparades som {kept[0].name}" in out
    assert "Förändring" in openpyxl.load_workbook(result).sheetnames
    assert cli.main([str(inbox), "-o", str(outbox)]) == 0
    assert len([p for p in outbox.iterdir() if p.suffix == ".xlsx"]) == 3
    # Kept results are not taken for inputs when the output folder is converted.
    assert find_inputs([outbox]) == []
