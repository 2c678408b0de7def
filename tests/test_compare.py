"""The Förändring sheet: previous and new amounts per län and column, checked against an
independent computation, and the folder mode that keeps and compares the previous result."""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import cli, convert, find_inputs
from sjukmiljard.runlog import LOG_NAME
from sjukmiljard.words.regions import NAMES

from .conftest import POPULATION, read_changes, row_of, save, small_book

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


def changes_xml(result: Path) -> str:
    """The Förändring sheet's XML part (xlsxwriter numbers the parts in sheet order)."""
    with zipfile.ZipFile(result) as archive:
        names = re.findall(r'<sheet name="([^"]+)"', archive.read("xl/workbook.xml").decode())
        return archive.read(f"xl/worksheets/sheet{names.index('Förändring') + 1}.xml").decode()


def test_forandring_matches_independent_computation(
    changed: tuple[Path, Path, dict[str, int]], tmp_path: Path
) -> None:
    previous, new_input, persons = changed
    result = convert(new_input, tmp_path / "ny-resultat.xlsx", compare_with=previous).output
    assert result is not None
    sheet = read_changes(result)
    assert sheet.lines == [
        "Förändring mot tidigare resultat",
        "Tidigare: förra-resultat.xlsx, befolkning 1/11 2019 (bladet Befolkning i förra.xlsx)",
        "Nu: befolkning 1/11 2020 (bladet Befolkning i ny.xlsx)",
        "Ändrat: TOTALT −480,000 Mkr (21 län, mest Stockholms län −110,625); "
        "befolkning 1/11 2019 → 1/11 2020.",
        "Kolumner som bara finns i det nya resultatet: Villkor 9",
        "Kolumner som bara fanns i det tidigare resultatet: Villkor 3",
    ]
    old = expected(POPULATION, POT)
    new = expected(persons, {"Villkor 1": 100.0, "Villkor 9": 70.0})
    for name in NAMES:
        was, now = POPULATION[name], persons[name]
        total_was, total_now = old[name]["TOTALT"], new[name]["TOTALT"]
        assert sheet.summary[name] == [
            was,
            now,
            now - was,
            pytest.approx(total_was, abs=1e-12),
            pytest.approx(total_now, abs=1e-12),
            pytest.approx(total_now - total_was, abs=1e-9),
            pytest.approx((total_now - total_was) / total_was, abs=1e-9),
        ], name
    assert sheet.summary["SUMMA"] == [
        sum(POPULATION.values()),
        sum(persons.values()),
        5_000 - 12_345,
        pytest.approx(650),
        pytest.approx(170),
        pytest.approx(-480),
        pytest.approx(-480 / 650),
    ]
    assert list(sheet.villkor) == ["Villkor 1", "Villkor 9", "Villkor 3"]
    for col, table in sheet.villkor.items():
        for name in NAMES:
            want_old, want_new = old[name].get(col), new[name].get(col)
            was, now, delta = table[name]
            assert was == (None if want_old is None else pytest.approx(want_old, abs=1e-12)), (name, col)
            assert now == (None if want_new is None else pytest.approx(want_new, abs=1e-12)), (name, col)
            assert delta == pytest.approx((want_new or 0) - (want_old or 0), abs=1e-9), (name, col)
    assert sheet.villkor["Villkor 9"]["SUMMA"] == [None, pytest.approx(70), pytest.approx(70)]
    assert sheet.villkor["Villkor 3"]["SUMMA"] == [pytest.approx(550), None, pytest.approx(-550)]


def test_zero_differences_are_exact_zeros(changed: tuple[Path, Path, dict[str, int]], tmp_path: Path) -> None:
    """Villkor 1 keeps its pot while the population moves: its differences sum to zero, which in
    floating point leaves a residue (Excel shows -0,000) unless the formulas round."""
    previous, new_input, _ = changed
    result = convert(new_input, tmp_path / "r.xlsx", compare_with=previous).output
    assert result is not None
    sheet = read_changes(result)
    deltas = [sheet.villkor["Villkor 1"][name][2] for name in NAMES]
    assert any(delta != 0 for delta in deltas)
    assert sum(deltas) != 0, "the fixture must produce a floating-point residue"
    summa = sheet.villkor["Villkor 1"]["SUMMA"][2]
    assert summa == 0 and math.copysign(1.0, summa) == 1.0
    first, last = sheet.rows[1]
    formulas = openpyxl.load_workbook(result)["Förändring"]
    assert formulas.cell(last, 4).value == f"=ROUND(C{last}-B{last},9)"
    assert formulas.cell(first, 4).value == f"=ROUND(C{first}-B{first},9)"
    xml = changes_xml(result)
    cached = re.search(rf'<c r="D{last}"[^>]*><f>[^<]*</f><v>([^<]*)</v>', xml)
    assert cached is not None and float(cached.group(1)) == 0 and not cached.group(1).startswith("-")


def test_forandring_page_one_is_a_summary_and_the_detail_follows(
    changed: tuple[Path, Path, dict[str, int]], tmp_path: Path
) -> None:
    previous, new_input, _ = changed
    result = convert(new_input, tmp_path / "r.xlsx", compare_with=previous).output
    assert result is not None
    sheet = read_changes(result)
    xml = changes_xml(result)
    setup = re.search(r"<pageSetup ([^>]*)/>", xml)
    assert setup is not None
    assert sorted(setup.group(1).split()) == ['orientation="landscape"', 'paperSize="9"', 'scale="90"']
    # Not "fit to page": Excel ignores manual page breaks then.
    assert "fitToPage" not in xml
    (summary_first, summary_summa), (detail_first, _) = sheet.rows
    # The detail starts on a new page, with its own title, headings and Län column.
    breaks = [int(b) for b in re.findall(r'<brk id="(\d+)"', xml)]
    ws = openpyxl.load_workbook(result, data_only=True)["Förändring"]
    grand = next(r for r in range(summary_summa + 1, 100) if ws.cell(r, 1).value == "SUMMA")
    pots_title = grand + 2 + 2  # two footnotes, a blank row
    assert ws.cell(pots_title, 1).value == "Potter per villkor, Mkr (raden RIKET på villkorsbladen)"
    assert breaks[0] == pots_title - 1 and len(breaks) == 2
    assert ws.cell(breaks[1] + 1, 1).value == "Förändring per villkor, Mkr"
    assert ws.cell(detail_first - 1, 1).value == "Län"
    assert [ws.cell(detail_first - 1, c).value for c in range(2, 5)] == ["Tidigare", "Nu", "Förändring"]
    # Page one: population and TOTALT only, eight columns.
    heading = [ws.cell(summary_first - 1, c).value for c in range(1, 10)]
    changes = ["Tidigare", "Nu", "Förändring"]
    assert heading == ["Län", *changes, *changes, "Förändring, %", None]
    assert [ws.cell(summary_first - 2, c).value for c in (2, 5)] == ["Befolkning, personer", "TOTALT, Mkr"]


def test_detail_pages_hold_four_villkor_each(sample: Path, tmp_path: Path) -> None:
    """The sample's four villkor with pots change with the population (the four with fixed sums
    only do not, and are left out); at two to a page they fill two pages."""
    first = convert(sample, tmp_path / "a.xlsx").output
    assert first is not None
    moved = tmp_path / "moved.xlsx"
    shutil.copy(sample, moved)
    change_population(moved)
    again = convert(moved, tmp_path / "b.xlsx", compare_with=first).output
    assert again is not None
    sheet = read_changes(again)
    assert list(sheet.villkor) == ["Villkor 1", "Villkor 2", "Villkor 3", "Villkor 4"]
    assert len(sheet.rows) == 1 + 1
    changed = "Ändrade villkor: Villkor 1, Villkor 2, Villkor 3, Villkor 4 (övriga 4 oförändrade)."
    assert sheet.lines[3].endswith("; befolkningen 1/11 2019 med andra tal.")
    assert sheet.lines[4] == changed


def test_detail_pages_continue_with_their_own_headings(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sjukmiljard.result import changes

    monkeypatch.setattr(changes, "CHANGE_GROUPS_PER_PAGE", 2)
    first = convert(sample, tmp_path / "a.xlsx").output
    assert first is not None
    moved = tmp_path / "moved.xlsx"
    shutil.copy(sample, moved)
    change_population(moved)
    again = convert(moved, tmp_path / "b.xlsx", compare_with=first).output
    assert again is not None
    sheet = read_changes(again)
    assert len(sheet.villkor) == 4 and len(sheet.rows) == 1 + 2
    xml = changes_xml(again)
    breaks = [int(b) for b in re.findall(r'<brk id="(\d+)"', xml)]
    ws = openpyxl.load_workbook(again, data_only=True)["Förändring"]
    assert [ws.cell(b + 1, 1).value for b in breaks] == [
        "Förändring per villkor, Mkr",
        "Förändring per villkor, Mkr (forts.)",
    ]


def test_forandring_has_a_bar_chart_of_the_total_change(
    changed: tuple[Path, Path, dict[str, int]], tmp_path: Path
) -> None:
    previous, new_input, _ = changed
    result = convert(new_input, tmp_path / "r.xlsx", compare_with=previous).output
    assert result is not None
    first, summa = read_changes(result).rows[0]
    with zipfile.ZipFile(result) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
    assert "<c:barChart>" in chart and '<c:barDir val="bar"/>' in chart
    assert f"Förändring!$A${first}:$A${summa - 1}" in chart
    assert f"Förändring!$G${first}:$G${summa - 1}" in chart
    # With negative values the län names must sit at the low end, not on top of the bars.
    category_axis = chart[chart.index("<c:catAx>") : chart.index("</c:catAx>")]
    assert '<c:tickLblPos val="low"/>' in category_axis
    # Alt text, for Excel's accessibility check.
    description = re.search(r'<xdr:cNvPr id="\d+" name="Chart 1" descr="([^"]+)"', drawing)
    assert description is not None
    assert "förändringen av TOTALT per län i Mkr" in description.group(1)
    assert "förra-resultat.xlsx" in description.group(1)


def test_same_columns_no_column_lines(sample: Path, tmp_path: Path) -> None:
    first = convert(sample, tmp_path / "a.xlsx").output
    assert first is not None
    again = convert(sample, tmp_path / "b.xlsx", compare_with=first).output
    assert again is not None
    sheet = read_changes(again)
    assert sheet.lines[1:] == [
        "Tidigare: a.xlsx, befolkning 1/11 2019 (bladet Befolkning i sjukskrivningsmiljarden-2020.xlsx)",
        "Nu: befolkning 1/11 2019 (bladet Befolkning i sjukskrivningsmiljarden-2020.xlsx)",
        "Oförändrat: inget belopp, ingen pott och ingen befolkningssiffra har ändrats.",
    ]
    # Pages of nothing but zeros are left out: no pots page, no detail per villkor.
    assert sheet.villkor == {} and len(sheet.rows) == 1
    differences = [v for row in sheet.summary.values() for v in (row[2], row[5], row[6])]
    assert len(differences) == 22 * 3 and all(v == 0 for v in differences)
    assert "<brk " not in changes_xml(again)


def test_bad_previous_result_is_refused(sample: Path, tmp_path: Path) -> None:
    broken = tmp_path / "gammal.xlsx"
    broken.write_bytes(b"not a workbook")
    code = cli.main([str(sample), "--compare", str(broken), "-o", str(tmp_path / "ut.xlsx")])
    assert code == 1
    assert not (tmp_path / "ut.xlsx").exists()


def run_folder(inbox: Path, outbox: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert cli.main([str(inbox), "-o", str(outbox)]) == 0
    return capsys.readouterr().out


def change_population(source: Path) -> None:
    book = openpyxl.load_workbook(source)
    book["Befolkning"]["B4"] = 2_000_000
    book["Befolkning"]["B25"] = None
    book.save(source)


def set_mtime(path: Path, when: dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


UNCHANGED = "Obs: oförändrat – {} har redan exakt detta innehåll och lämnades orörd (ingen kopia sparades)"


def test_folder_mode_keeps_the_previous_result_only_when_something_changed(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    source = sample.rename(inbox / sample.name)
    result = outbox / "sjukskrivningsmiljarden-2020-resultat.xlsx"
    run_folder(inbox, outbox, capsys)
    first = result.read_bytes()
    assert "Förändring" not in openpyxl.load_workbook(result).sheetnames
    set_mtime(result, dt.datetime(2019, 12, 2, 9, 0, 0))
    before = result.stat()

    # Nothing changed: no copy, the result untouched, one line to say so.
    out = run_folder(inbox, outbox, capsys)
    assert UNCHANGED.format(result.name) in out
    assert "sparades som" not in out
    assert sorted(p.name for p in outbox.glob("*.xlsx")) == [result.name]
    assert result.read_bytes() == first
    assert (result.stat().st_mtime_ns, result.stat().st_ino) == (before.st_mtime_ns, before.st_ino)

    # The population changed: the previous result is kept, dated, and the Förändring sheet names it.
    change_population(source)
    out = run_folder(inbox, outbox, capsys)
    kept = outbox / "sjukskrivningsmiljarden-2020-resultat 2019-12-02 09.00.00.xlsx"
    assert kept.read_bytes() == first
    assert f"Obs: det tidigare resultatet sparades som {kept.name}" in out
    assert f"Jämfört med {kept.name}: se bladet Förändring" in out
    changes = read_changes(result)
    assert changes.lines[1] == (
        f"Tidigare: {kept.name}, befolkning 1/11 2019 (bladet Befolkning i sjukskrivningsmiljarden-2020.xlsx)"
    )
    assert changes.summary["Stockholms län"][:3] == [2_374_550, 2_000_000, 2_000_000 - 2_374_550]
    second = result.read_bytes()

    # Run again unchanged: the result with its Förändring sheet stays, and no second copy is made.
    out = run_folder(inbox, outbox, capsys)
    assert UNCHANGED.format(result.name) in out
    assert sorted(p.name for p in outbox.glob("*.xlsx")) == sorted([result.name, kept.name])
    assert result.read_bytes() == second

    with (outbox / LOG_NAME).open(encoding="utf-8-sig", newline="") as handle:
        log = list(csv.DictReader(handle, delimiter=";"))
    assert [(row["Status"], row["Orsak"]) for row in log] == [
        ("Klar", ""),
        ("Klar", "oförändrat"),
        ("Klar", ""),
        ("Klar", "oförändrat"),
    ]
    # Kept results are not taken for inputs when the output folder is converted.
    assert find_inputs([outbox]) == []


@pytest.mark.parametrize("how", ["kept-copy-deleted", "result-edited"])
def test_a_result_that_cannot_be_reproduced_counts_as_changed(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    source = sample.rename(inbox / sample.name)
    result = outbox / "sjukskrivningsmiljarden-2020-resultat.xlsx"
    run_folder(inbox, outbox, capsys)
    set_mtime(result, dt.datetime(2019, 12, 2, 9, 0, 0))
    change_population(source)
    run_folder(inbox, outbox, capsys)
    kept = outbox / "sjukskrivningsmiljarden-2020-resultat 2019-12-02 09.00.00.xlsx"
    assert kept.exists()
    if how == "kept-copy-deleted":
        kept.unlink()
    else:  # opened in Excel, a figure typed over, saved: the properties stay, the bytes do not
        book = openpyxl.load_workbook(result)
        book["Sammanställning"]["B5"] = 999
        book.save(result)
    set_mtime(result, dt.datetime(2019, 12, 3, 9, 0, 0))
    edited = result.read_bytes()
    out = run_folder(inbox, outbox, capsys)
    assert "oförändrat" not in out
    again = outbox / "sjukskrivningsmiljarden-2020-resultat 2019-12-03 09.00.00.xlsx"
    assert again.read_bytes() == edited
    assert f"Obs: det tidigare resultatet sparades som {again.name}" in out


def test_unchanged_result_beside_the_input_is_left_untouched(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([str(sample)]) == 0
    result = sample.with_name("sjukskrivningsmiljarden-2020-resultat.xlsx")
    set_mtime(result, dt.datetime(2019, 12, 2, 9, 0, 0))
    before = result.stat()
    capsys.readouterr()
    assert cli.main([str(sample)]) == 0
    assert UNCHANGED.format(result.name) in capsys.readouterr().out
    assert result.stat().st_mtime_ns == before.st_mtime_ns
    change_population(sample)
    assert cli.main([str(sample)]) == 0
    assert "oförändrat" not in capsys.readouterr().out
    assert result.stat().st_mtime_ns != before.st_mtime_ns


def test_forandring_pages_carry_the_tracing_footer(sample: Path, tmp_path: Path) -> None:
    """Like every other sheet: the input file, the population and the program version (issue 18)."""
    first = convert(sample, tmp_path / "a.xlsx").output
    assert first is not None
    again = convert(sample, tmp_path / "b.xlsx", compare_with=first).output
    assert again is not None
    footer = re.search(r"<oddFooter>(.*?)</oddFooter>", changes_xml(again), re.S)
    assert footer is not None
    assert f"Indata: {sample.name}" in footer.group(1) and "Befolkning 1/11 2019" in footer.group(1)
    assert "sjukmiljard " in footer.group(1)


def test_a_villkor_named_totalt_is_compared_apart_from_the_totals(tmp_path: Path) -> None:
    """The comparison's frames hold the villkor only and the TOTALT beside them: a villkor named
    TOTALT keeps its own figures, and the TOTALT column (its 100 → 120 and Villkor 3's 550) its own."""
    book = small_book()
    book["Villkor 1"].title = "TOTALT"
    previous = convert(save(book, tmp_path, "förra.xlsx"), tmp_path / "förra-resultat.xlsx").output
    assert previous is not None
    ws = book["TOTALT"]
    ws["B25"], ws["B29"] = 120, 121.2
    result = convert(save(book, tmp_path, "ny.xlsx"), tmp_path / "ny-resultat.xlsx", compare_with=previous)
    assert result.output is not None
    sheet = read_changes(result.output)
    assert sheet.summary["SUMMA"][3:6] == [pytest.approx(650), pytest.approx(670), pytest.approx(20)]
    assert list(sheet.villkor) == ["TOTALT"]
    assert sheet.villkor["TOTALT"]["SUMMA"] == [pytest.approx(100), pytest.approx(120), pytest.approx(20)]
    share = POPULATION["Gotlands län"] / sum(POPULATION.values())
    gotland = sheet.summary["Gotlands län"]
    assert gotland[3:6] == [
        pytest.approx(650 * share, abs=1e-12),
        pytest.approx(670 * share, abs=1e-12),
        pytest.approx(20 * share, abs=1e-9),
    ]
    assert any(line.startswith("Ändrat: TOTALT +20,000 Mkr") for line in sheet.lines), sheet.lines
