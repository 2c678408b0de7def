"""The shipped samples saved in the other formats an officer may have: the same result as the .xlsx.

The files are made here, by LibreOffice (.ods, and .xlsm with its VBA-capable filter) and by adding a
macro part to the .xlsx by hand (.xlsm as Excel saves a workbook with macros), so the proof does not
rest on files someone once converted.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import convert
from sjukmiljard.convert import Report

from .conftest import SAMPLES, libreoffice_convert

ODS_FILTER = "ods:calc8"
XLSM_FILTER = "xlsm:Calc MS Excel 2007 VBA XML"
MACRO_WORKBOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def libreoffice_saves(sources: list[Path], conversion: str, folder: Path) -> list[Path]:
    """`sources` saved by LibreOffice with the given `--convert-to` filter, into `folder`."""
    libreoffice_convert(sources, conversion, folder, profile=folder / "profil")
    extension = conversion.split(":")[0]
    saved = [folder / f"{source.stem}.{extension}" for source in sources]
    assert all(path.is_file() for path in saved), list(folder.iterdir())
    return saved


def with_macros(source: Path, target: Path) -> Path:
    """The .xlsx as Excel saves it with a VBA project: the workbook's macro content type, a
    `xl/vbaProject.bin` part and its relationship."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    types = parts["[Content_Types].xml"].decode()
    assert PLAIN_WORKBOOK in types
    types = types.replace(PLAIN_WORKBOOK, MACRO_WORKBOOK).replace(
        "<Default ",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
        1,
    )
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdVba" Type="{VBA_RELATIONSHIP}" Target="vbaProject.bin"/></Relationships>',
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    # An OLE compound file, as a VBA project is; its content is never read.
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Attribute VB_Name = "Module1"' * 64
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Both samples as .xlsx (copies), .ods and .xlsm saved by LibreOffice, and .xlsm with macros."""
    folder = tmp_path_factory.mktemp("format")
    copies = [Path(shutil.copy(sample, folder / sample.name)) for sample in SAMPLES]
    return {
        "xlsx": copies,
        "ods": libreoffice_saves(copies, ODS_FILTER, folder / "ods"),
        "xlsm": libreoffice_saves(copies, XLSM_FILTER, folder / "xlsm"),
        "xlsm with macros": [with_macros(copy, folder / f"{copy.stem}-makro.xlsm") for copy in copies],
    }


def converted(source: Path, folder: Path) -> Report:
    """`source` copied into `folder` and converted with the defaults: the result lands beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    return convert(Path(shutil.copy(source, folder / source.name)))


def sheet_values(path: Path, title: str) -> dict[str, object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return {
        cell.coordinate: cell.value
        for line in book[title].iter_rows()
        for cell in line
        if cell.value is not None
    }


def result_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("kind", ["ods", "xlsm", "xlsm with macros"])
@pytest.mark.parametrize("sample", [sample.name for sample in SAMPLES])
def test_the_same_sammanstallning_as_the_xlsx(
    saved: dict[str, list[Path]], tmp_path: Path, kind: str, sample: str
) -> None:
    index = [path.name for path in saved["xlsx"]].index(sample)
    source = saved[kind][index]
    assert source.suffix == (".ods" if kind == "ods" else ".xlsm")
    expected = converted(saved["xlsx"][index], tmp_path / "från-xlsx")
    report = converted(source, tmp_path / "från-annat")
    assert report.output == tmp_path / "från-annat" / f"{source.stem}-resultat.xlsx"
    assert report.source.suffix == source.suffix

    assert expected.output is not None and report.output is not None
    wanted = sheet_values(expected.output, "Sammanställning")
    got = sheet_values(report.output, "Sammanställning")
    assert len(wanted) > 200  # the whole table: 21 län, every villkor, the bodies and the sums
    assert got == wanted
    for title in ("Utbetalning", "Utbetalning översikt"):
        if expected.payout is not None:
            assert sheet_values(report.output, title) == sheet_values(expected.output, title)

    # What was read is the same, apart from the file it was read from.
    population = dataclasses.replace(report.indata.population, source=expected.indata.population.source)
    assert report.indata.population.source == f"bladet Befolkning i {source.name}"
    assert dataclasses.replace(report.indata, population=population) == expected.indata


@pytest.mark.parametrize("kind", ["xlsm", "xlsm with macros"])
def test_a_macro_workbook_gives_a_plain_xlsx(saved: dict[str, list[Path]], tmp_path: Path, kind: str) -> None:
    """No macro is read, run or copied: the result is an .xlsx with no trace of the VBA project."""
    source = saved[kind][[p.name for p in saved["xlsx"]].index("sjukskrivningsmiljarden-2020.xlsx")]
    source_parts = result_parts(source)
    assert MACRO_WORKBOOK in source_parts["[Content_Types].xml"].decode()
    assert ("xl/vbaProject.bin" in source_parts) == (kind == "xlsm with macros")

    report = converted(source, tmp_path)
    assert report.output is not None
    assert report.output.name.endswith("-resultat.xlsx")
    assert report.output.name == f"{source.stem}-resultat.xlsx"
    parts = result_parts(report.output)
    assert not [name for name in parts if re.search(r"vba|\.bin$", name, re.IGNORECASE)]
    types = parts["[Content_Types].xml"].decode()
    assert PLAIN_WORKBOOK in types
    assert "macroEnabled" not in types and "vbaProject" not in types
    assert not [name for name, data in parts.items() if b"vbaProject" in data]


def test_libreoffice_saves_the_ods_as_expected(saved: dict[str, list[Path]]) -> None:
    """What the .ods tests rely on: LibreOffice's .ods is what the ODS adapter reads, not an .xlsx."""
    for path in saved["ods"]:
        with zipfile.ZipFile(path) as archive:
            first = archive.infolist()[0]
            assert first.filename == "mimetype"
            assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
            assert "xl/workbook.xml" not in archive.namelist()
