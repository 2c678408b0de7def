"""The monthly rerun by double-click: an SCB file among the inputs is the population of the run,
exactly as --population would make it, and stray files are named, never silently used or lost."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import cli
from sjukmiljard.runlog import LOG_NAME
from sjukmiljard.words.regions import LAN, NAMES

from .conftest import FIXTURES, POPULATION, SAMPLE_NOTICES, save, small_book, word_document
from .scb_exports import UNUSABLE, population_table, unusable
from .scb_exports import save as save_export

SCB_FILE = FIXTURES / "scb" / "befolkning-2018M12-2019M11.csv"
SCB_XLSX = FIXTURES / "scb" / "excel-kod-och-text-i-tva-kolumner.xlsx"
RESULT = "sjukskrivningsmiljarden-2020-resultat.xlsx"
NEITHER = (
    "filen är varken en indata-arbetsbok (.xlsx, .xlsm, .ods) eller en befolkningsfil från SCB:s "
    "statistikdatabas"
)


def main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def scb_csv(folder: Path, month: str, name: str = "befolkning.csv", bump: int = 0) -> Path:
    """An SCB export with one month; `bump` persons more in Stockholm, so results differ."""
    lines = [f'"region","{month}"']
    for name_, persons in POPULATION.items():
        lines.append(f'"{name_}",{persons + (bump if name_ == NAMES[0] else 0)}')
    path = folder / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def log(folder: Path) -> list[dict[str, str]]:
    with (folder / LOG_NAME).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def befolkning_source(result: Path) -> str:
    ws = openpyxl.load_workbook(result)["Befolkning"]
    return str(ws["A27"].value)


def test_dropped_together_the_scb_file_is_the_population(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scb = Path(shutil.copy(SCB_FILE, tmp_path / "befolkning från SCB.csv"))
    code, out, err = main(capsys, sample, scb)
    assert (code, err) == (0, "")
    assert "befolkningen togs från befolkning från SCB.csv, månad 2019M11" in out
    result = sample.with_name(RESULT)
    assert befolkning_source(result) == "Källa: SCB-fil befolkning från SCB.csv, 2019M11."
    assert "1 arbetsbok" not in out, "one workbook: no summary line, the SCB file is not counted"
    # Exactly what --population makes.
    explicit = tmp_path / "explicit"
    assert main(capsys, sample, "--population", scb, "-o", explicit)[0] == 0
    assert (explicit / RESULT).read_bytes() == result.read_bytes()


def test_in_the_folder_the_scb_file_is_the_population_of_every_workbook(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    sample.rename(inbox / sample.name)
    save(small_book(), inbox, "liten.xlsx")
    shutil.copy(SCB_XLSX, inbox / "BE0101N1.xlsx")
    code, out, err = main(capsys, inbox, "-o", outbox, "--month", "2018M12")
    assert (code, err) == (0, "")
    assert out.count("befolkningen togs från BE0101N1.xlsx, månad 2018M12") == 2
    assert out.endswith("2 arbetsböcker klara, 0 avvisade\n")
    for name in (RESULT, "liten-resultat.xlsx"):
        assert befolkning_source(outbox / name) == "Källa: SCB-fil BE0101N1.xlsx, 2018M12."
    sha = hashlib.sha256((inbox / "BE0101N1.xlsx").read_bytes()).hexdigest()
    assert [(r["SCB-fil"], r["SCB-månad"], r["SCB-fil SHA-256"]) for r in log(outbox)] == [
        ("BE0101N1.xlsx", "2018M12", sha)
    ] * 2
    assert [r["Befolkningsdatum"] for r in log(outbox)] == ["2018-12-31"] * 2


def test_without_scb_file_the_log_leaves_its_columns_empty(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(capsys, sample, "-o", tmp_path / "ut")[0] == 0
    (row,) = log(tmp_path / "ut")
    assert (row["SCB-fil"], row["SCB-månad"], row["SCB-fil SHA-256"]) == ("", "", "")


def test_a_new_scb_file_in_inkorg_changes_the_result_and_keeps_the_old_one(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's story: the officer puts the new SCB file beside her workbook and double-clicks."""
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    sample.rename(inbox / sample.name)
    assert main(capsys, inbox, "-o", outbox)[0] == 0
    first = (outbox / RESULT).read_bytes()
    scb_csv(inbox, "2019M12", bump=10_000)
    code, out, _ = main(capsys, inbox, "-o", outbox)
    assert code == 0
    assert "befolkningen togs från befolkning.csv, månad 2019M12" in out
    assert "oförändrat" not in out
    kept = [p for p in outbox.glob("*.xlsx") if p.name != RESULT]
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert befolkning_source(outbox / RESULT) == "Källa: SCB-fil befolkning.csv, 2019M12."
    ws = openpyxl.load_workbook(outbox / RESULT, data_only=True)["Befolkning"]
    assert ws["B4"].value == POPULATION[NAMES[0]] + 10_000


def test_file_names_written_by_windows_1252_are_read_as_such(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An SCB file and a workbook whose names are not UTF-8 (a zip unpacked on Linux, a share):
    Python keeps the bytes as lone surrogates, which no console, log or xlsx can hold. Every place
    that shows the name reads the bytes as Windows-1252; the files themselves keep their names."""
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    workbook = inbox / os.fsdecode(b"sjukmiljarden \xe5r 2020.xlsx")
    sample.rename(workbook)
    scb_csv(inbox, "2019M12", name=os.fsdecode(b"bef\xf6lkning.csv"))
    code, out, err = main(capsys, inbox)
    assert (code, err) == (0, "")
    assert "befolkningen togs från befölkning.csv, månad 2019M12" in out
    result = inbox / os.fsdecode(b"sjukmiljarden \xe5r 2020-resultat.xlsx")
    assert befolkning_source(result) == "Källa: SCB-fil befölkning.csv, 2019M12."
    # The next month: the previous result is kept under a dated name and compared by its name.
    scb_csv(inbox, "2020M01", name=os.fsdecode(b"bef\xf6lkning.csv"), bump=10_000)
    code, out, err = main(capsys, inbox)
    assert (code, err) == (0, "") and "oväntat fel" not in out
    kept = [p for p in inbox.glob("*resultat*.xlsx") if p != result]
    assert len(kept) == 1 and os.fsencode(kept[0].name).startswith(b"sjukmiljarden \xe5r 2020-resultat")
    changes = openpyxl.load_workbook(result)["Förändring"]
    texts = [str(cell.value) for row in changes.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any("sjukmiljarden år 2020-resultat" in text for text in texts)
    assert not any("\ufffd" in text for text in texts)
    # Outside the cells too: the document property and the chart's description name it readably.
    with zipfile.ZipFile(result) as parts:
        for part in ("docProps/custom.xml", "xl/drawings/drawing1.xml"):
            assert "sjukmiljarden år 2020-resultat" in parts.read(part).decode("utf-8"), part
    rows = log(inbox)
    assert [row["Indata"] for row in rows] == ["sjukmiljarden år 2020.xlsx"] * 2
    assert [row["SCB-fil"] for row in rows] == ["befölkning.csv"] * 2


def test_utf16_without_byte_order_mark_is_read(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scb_csv(tmp_path, "2019M12", bump=7)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    code, out, err = main(capsys, tmp_path)
    assert (code, err) == (0, "")
    assert "befolkningen togs från befolkning.csv, månad 2019M12" in out
    ws = openpyxl.load_workbook(sample.with_name(RESULT), data_only=True)["Befolkning"]
    assert ws["B4"].value == POPULATION[NAMES[0]] + 7


def test_an_scb_export_damaged_by_nul_bytes_stops_the_folder_run(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Recognised as SCB's by its words once the NULs are set aside, so the run stops: skipping it
    would convert with the workbook's population."""
    path = scb_csv(tmp_path, "2019M12", bump=7)
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\x00\r\n", 3))
    before = untouched(tmp_path)
    code, out, err = main(capsys, tmp_path)
    assert code == 1
    assert "befolkning.csv är en befolkningsfil från SCB som inte kan användas" in out + err
    assert "NUL-tecken (byte 0)" in out + err
    assert not sample.with_name(RESULT).exists()
    assert {k: v for k, v in untouched(tmp_path).items() if k != LOG_NAME} == {
        k: v for k, v in before.items() if k != LOG_NAME
    }


def test_an_scb_export_too_large_to_read_stops_the_folder_run(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Over 4 MB an export is not read, but it is still recognised by its first 64 KB: the run
    stops and says why. A large text file that is no SCB export stays skipped."""
    path = scb_csv(tmp_path, "2019M12")
    with path.open("ab") as handle:
        handle.write(b'"Fotnot: uppgifterna avser folkbokforda personer."\r\n' * 90_000)
    assert path.stat().st_size > 4 * 1024 * 1024
    code, out, err = main(capsys, tmp_path)
    assert code == 1 and "befolkning.csv är en befolkningsfil från SCB som inte kan användas" in out + err
    assert "större än 4 MB" in out + err and not sample.with_name(RESULT).exists()
    path.write_bytes(b"ord;tal\r\n" + b"inget;1\r\n" * 600_000)
    code, out, err = main(capsys, tmp_path)
    assert code == 0 and "Obs: befolkning.csv hoppades över" in out + err


def test_two_scb_files_convert_nothing(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    outbox.mkdir()
    (outbox / RESULT).write_bytes(b"last month's result")
    sample.rename(inbox / sample.name)
    one = scb_csv(inbox, "2019M11", "november.csv")
    two = Path(shutil.copy(SCB_XLSX, inbox / "december.xlsx"))
    code, out, err = main(capsys, inbox, "-o", outbox)
    assert code == 1 and out == ""
    assert err == (
        "Avvisad: 2 befolkningsfiler från SCB i samma körning – inget konverterades\n"
        f"  - {two}\n"
        f"  - {one}\n"
        "  Behåll bara en av dem (flytta bort de andra) och kör igen.\n"
    )
    assert sorted(p.name for p in outbox.iterdir()) == [RESULT]
    assert (outbox / RESULT).read_bytes() == b"last month's result"


def test_explicit_population_wins_over_an_scb_file_among_the_inputs(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    among = scb_csv(tmp_path, "2019M12", "bland-indata.csv", bump=5)
    code, out, _ = main(capsys, sample, among, "--population", SCB_FILE, "--month", "2018M12")
    assert code == 0
    assert "befolkningen togs från befolkning-2018M12-2019M11.csv, månad 2018M12" in out
    assert f"Obs: bland-indata.csv användes inte – --population {SCB_FILE.name} gäller" in out
    assert befolkning_source(sample.with_name(RESULT)).startswith(f"Källa: SCB-fil {SCB_FILE.name}")


@pytest.mark.parametrize(
    ("month", "older"),
    [("2019M09", True), ("2019M10", False), ("2019M11", False)],
)
def test_an_scb_month_older_than_the_workbooks_population_gets_a_notice(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], month: str, older: bool
) -> None:
    """The sample's Befolkning is dated 1/11 2019, the population at the end of 2019M10."""
    code, out, _ = main(capsys, sample, scb_csv(tmp_path, month))
    assert code == 0
    notice = f"Obs: SCB-filens månad {month} (befolkningen"
    assert (notice in out) is older
    if older:
        assert "är äldre än arbetsbokens befolkning (1/11 2019) – är det rätt fil och månad?" in out


def test_stray_files_in_the_folder_are_named_and_skipped(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    sample.rename(inbox / sample.name)
    (inbox / "brev.docx").write_bytes(word_document())
    (inbox / "rapport.pdf").write_bytes(b"%PDF-1.7\n\x00\x01binary")
    (inbox / "~$sjukskrivningsmiljarden-2020.xlsx").write_bytes(b"lock")
    code, out, err = main(capsys, inbox, "-o", tmp_path / "utkorg")
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        *SAMPLE_NOTICES,
        f"Obs: brev.docx hoppades över – {NEITHER}",
        f"Obs: rapport.pdf hoppades över – {NEITHER}",
    ]
    assert sorted(p.name for p in (tmp_path / "utkorg").iterdir()) == [LOG_NAME, RESULT]


def test_a_stray_file_given_by_name_is_rejected_and_the_others_converted(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = tmp_path / "brev.docx"
    letter.write_bytes(word_document())
    code, out, err = main(capsys, letter, sample, "-o", tmp_path / "ut")
    assert code == 1
    assert err == f"Avvisad: {letter}\n  - {NEITHER}\n"
    assert f"Klar: {sample} → " in out and out.endswith("1 arbetsbok klar, 1 avvisad\n")
    assert [(r["Indata"], r["Status"]) for r in log(tmp_path / "ut")] == [
        ("brev.docx", "Avvisad"),
        (sample.name, "Klar"),
    ]


def test_an_scb_file_alone_is_not_enough(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    shutil.copy(SCB_FILE, inbox / "befolkning.csv")
    code, out, err = main(capsys, inbox, "-o", tmp_path / "utkorg")
    assert code == 1 and out == ""
    assert err == (
        "Hittade inga arbetsböcker (.xlsx) att konvertera, bara befolkningsfilen befolkning.csv – "
        "lägg arbetsboken bredvid den.\n"
    )
    assert not (tmp_path / "utkorg").exists()


def test_a_bad_scb_file_among_the_inputs_stops_the_whole_run(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong SCB table is still the run's population: never silently ignored, and no workbook
    converts with the population it already has."""
    wrong = tmp_path / "befolkning.csv"
    wrong.write_text('"region","2019"\n"01 Stockholms län",2374550\n', encoding="utf-8")
    code, out, err = main(capsys, sample, wrong)
    assert code == 1 and out == ""
    assert err.startswith(
        "Avvisad: befolkning.csv är en befolkningsfil från SCB som inte kan användas – inget konverterades\n"
        "  - SCB-filen har ingen månadskolumn"
    )
    assert err.endswith(
        f"  Ersätt {wrong} med tabellen Folkmängden per månad från SCB:s statistikdatabas, sparad som "
        "Excel (xlsx), CSV eller text, PC-Axis (.px) eller JSON-stat2 (.json), och kör igen.\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["befolkning.csv", sample.name]


def test_month_applies_to_the_scb_file_among_the_inputs_only(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(capsys, sample, "--month", "2019M11")
    assert stop.value.code == 2
    assert "--month gäller bara tillsammans med --population eller en befolkningsfil från SCB" in (
        capsys.readouterr().err
    )


# -- an SCB file is used, or the run stops (issue 16) -------------------------------------


def untouched(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }


@pytest.mark.parametrize("fmt", ["px", "json", "tab", "xlsx"])
def test_scbs_own_formats_in_inkorg_are_the_population(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    shutil.copy(sample, inbox)
    table = population_table(months=("2019M11", "2019M12"))
    scb = save_export(table, fmt, inbox)
    code, out, err = main(capsys, inbox, "-o", tmp_path / "utkorg")
    assert (code, err) == (0, "")
    assert f"Obs: befolkningen togs från {scb.name}, månad 2019M12" in out
    assert befolkning_source(tmp_path / "utkorg" / RESULT).startswith(f"Källa: SCB-fil {scb.name}, 2019M12")


@pytest.mark.parametrize("kind", UNUSABLE)
@pytest.mark.parametrize("how", ["folder", "dropped"])
def test_an_scb_file_that_cannot_be_used_stops_the_run_and_writes_nothing(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, how: str
) -> None:
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    workbook = Path(shutil.copy(sample, inbox))
    scb = unusable(kind, inbox)
    outbox = tmp_path / "utkorg"
    outbox.mkdir()
    main(capsys, workbook, "-o", outbox)  # last month's result, with the workbook's population
    before = untouched(outbox)
    inputs = [inbox] if how == "folder" else [workbook, scb]
    code, out, err = main(capsys, *inputs, "-o", outbox)

    assert (code, out) == (1, "")
    assert err.startswith(
        f"Avvisad: {scb.name} är en befolkningsfil från SCB som inte kan användas – inget konverterades\n  - "
    )
    assert err.endswith(
        f"  Ersätt {scb} med tabellen Folkmängden per månad från SCB:s statistikdatabas, sparad som "
        "Excel (xlsx), CSV eller text, PC-Axis (.px) eller JSON-stat2 (.json), och kör igen.\n"
    )
    assert untouched(outbox) == before
    assert sorted(p.name for p in inbox.iterdir()) == sorted([workbook.name, scb.name])


def test_a_table_far_from_the_workbooks_population_is_refused_with_both_totals(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Live births per month, with nothing in the file saying so: the sum gives it away."""
    births = {name: count // 900 for name, count in POPULATION.items()}
    scb = save_export(population_table(counts=births, contents="", title=""), "csv", tmp_path)
    code, out, err = main(capsys, sample, scb)

    assert code == 1 and "Klar" not in out
    total = sum(births.values())
    assert (
        f"de 21 länen i SCB-filen summerar till {total // 1000} {total % 1000:03d} personer (2019M11)" in err
    )
    assert "men arbetsbokens befolkning är 10 319 473 (1/11 2019)" in err
    assert not sample.with_name(RESULT).exists()


@pytest.mark.parametrize("shift", [0.04, -0.04])
def test_a_population_a_few_per_cent_away_is_used(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], shift: float
) -> None:
    moved = {name: round(count * (1 + shift)) for name, count in POPULATION.items()}
    scb = save_export(population_table(counts=moved), "csv", tmp_path)
    code, _, err = main(capsys, sample, scb)
    assert (code, err) == (0, "")


# A population other than the sample's own, so that using the workbook's would show.
BUMPED = {name: persons + (1000 if name == NAMES[0] else 0) for name, persons in POPULATION.items()}


def kommun_table(folder: Path) -> Path:
    from sjukmiljard.scb.population import MUNICIPALITIES

    lines = ['"region","2019M12"']
    for lan, number in zip(LAN, MUNICIPALITIES, strict=True):
        total = BUMPED[lan.name]
        lines += [
            f'"{lan.code}{i + 1:02d} Kommun {i}",{total // number + (total % number if i == 0 else 0)}'
            for i in range(number)
        ]
    path = folder / "kommuner.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def code_and_text(folder: Path) -> Path:
    lines = ['"region";"";"2019M12"', '"00";"Riket";10327589']
    lines += [f'"{lan.code}";"{lan.name}";{BUMPED[lan.name]}' for lan in LAN]
    lines += ['"0180";"Stockholm";975000', '"2580";"Luleå";78000']
    path = folder / "kod och text.csv"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    return path


def english(folder: Path) -> Path:
    table = population_table(
        counts=BUMPED,
        months=("2019M12",),
        english=True,
        age="total",
        sex="total",
        contents="Population",
        title="Population",
    )
    return save_export(table, "tab", folder, "english")


def regions_as_columns(folder: Path) -> Path:
    path = folder / "pivoterad.csv"
    header = '"month",' + ",".join(f'"{lan.code} {lan.name}"' for lan in LAN)
    path.write_text(f'{header}\n"2019M12",' + ",".join(str(BUMPED[lan.name]) for lan in LAN) + "\n")
    return path


@pytest.mark.parametrize("make", [kommun_table, code_and_text, english, regions_as_columns])
def test_every_readable_spelling_is_the_population_of_the_folder(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object
) -> None:
    assert callable(make)
    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    shutil.copy(sample, inbox)
    scb = make(inbox)
    code, out, err = main(capsys, inbox, "-o", tmp_path / "utkorg")
    assert (code, err) == (0, "")
    assert f"befolkningen togs från {scb.name}, månad 2019M12" in out
    ws = openpyxl.load_workbook(tmp_path / "utkorg" / RESULT)["Befolkning"]
    figures = {ws.cell(row, 1).value: ws.cell(row, 2).value for row in range(1, ws.max_row + 1)}
    assert all(figures[name] == persons for name, persons in BUMPED.items())
