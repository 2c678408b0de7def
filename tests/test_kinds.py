"""The registry of file kinds (`kinds`): every suffix and content names one kind, and the workbook
reader, the SCB reader and a run's classification take a file for the same kind."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import sjukmiljard.read.ods
import sjukmiljard.read.xlsx
from sjukmiljard import InputRejected, kinds
from sjukmiljard.inputs import NEITHER, Kind, classify, scan
from sjukmiljard.kinds import FileKind
from sjukmiljard.read.workbook import open_book
from sjukmiljard.scb import files

from .conftest import small_book
from .odf import content_xml, ods_bytes, package
from .scb_exports import population_table, px

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


JSONSTAT = (
    b'{"version": "2.0", "class": "dataset", "id": ["Tid"], "size": [1], '
    b'"dimension": {"Tid": {"category": {"index": {"2019M11": 0}}}}, "value": [1]}'
)

# One small file of each kind told by its content, and the kind it is.
CONTENTS: dict[str, tuple[bytes, FileKind]] = {
    "ods": (ods_bytes(small_book()), kinds.ODS),
    "xlsb": (zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0"}), kinds.XLSB),
    "xlsx": (xlsx_bytes(small_book()), kinds.XLSX),
    "zip": (zipped({"word/document.xml": b"<w/>"}), kinds.ZIP),
    "broken-zip": (b"PK\x03\x04" + bytes(20), kinds.ZIP),
    "ole": (OLE + bytes(512), kinds.XLS),
    "px": (px(population_table()), kinds.PX),
    "jsonstat": (JSONSTAT, kinds.JSONSTAT),
    "json": (b'{"namn": "Anna"}', kinds.JSON),
    "html": (b"<!DOCTYPE html><html><table><tr><td>1</td></tr></table></html>", kinds.HTML),
    "parquet": (b"PAR1" + bytes(range(256)) + b"region" + b"PAR1", kinds.PARQUET),
    "text": (b"Region;2019M11\n01 Stockholms l\xe4n;2377081\n", kinds.TEXT),
}


def test_every_suffix_names_one_kind() -> None:
    suffixes = [suffix.text for kind in kinds.KINDS for suffix in kind.suffixes]
    assert len(suffixes) == len(set(suffixes))
    for kind in kinds.KINDS:
        for suffix in kind.suffixes:
            assert suffix.text.startswith(".") and suffix.text == suffix.text.casefold()
            assert kinds.named(suffix.text) is kind
            assert kinds.named(suffix.text.upper()) is kind  # "BOK.XLSX" is an .xlsx
    assert kinds.named(".docx") is None and kinds.named("") is None


def test_every_kind_is_known_by_its_content_or_its_name() -> None:
    keys = [kind.key for kind in kinds.KINDS]
    assert len(keys) == len(set(keys))
    for kind in kinds.KINDS:
        assert kind.detect is not None or kind.suffixes, kind.key
        assert kind.name and kind.name[0] != " "
        if kind.conclusive:
            assert kind.container  # told by its parts alone


def test_every_suffix_refused_has_a_name_for_the_refusal() -> None:
    for kind in kinds.KINDS:
        if kind.refused_as_workbook or kind.refused_as_scb:
            for suffix in kind.suffixes:
                assert kinds.not_supported(suffix.text, "gör så").endswith(" stöds inte – gör så")
        assert not (kind.book and kind.refused_as_scb and kind.grids)


def test_every_content_kind_is_built_here() -> None:
    """So that the tests below cover each detector: a kind added to the table needs a file here."""
    detected = {kind for kind in kinds.KINDS if kind.detect is not None}
    assert detected == {kind for _, kind in CONTENTS.values()}


@pytest.mark.parametrize("name", CONTENTS)
def test_a_file_is_one_kind_by_its_content(name: str, tmp_path: Path) -> None:
    """`detect` on the bytes, `sniff` on the bytes and on the file (inputs' look, which reads only a
    container's directory) agree, whatever the file is named."""
    data, expected = CONTENTS[name]
    assert kinds.detect(data) is expected
    by_container = expected if expected.container else None
    assert kinds.sniff(data) is by_container
    for file_name in (f"fil.{name}", "fil.xlsx", "fil.csv", "utan-filändelse"):
        path = tmp_path / file_name
        path.write_bytes(data)
        assert kinds.sniff(path) is by_container


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The adapters `open_book` calls, recorded instead of run."""
    calls: list[str] = []

    def recorder(name: str) -> object:
        def adapter(path: Path, data: bytes) -> object:
            calls.append(name)
            return name

        return adapter

    monkeypatch.setattr(sjukmiljard.read.xlsx, "XlsxBook", recorder("xlsx"))
    monkeypatch.setattr(sjukmiljard.read.ods, "OdsBook", recorder("ods"))
    return calls


@pytest.mark.parametrize("name", ["ods", "xlsx"])
@pytest.mark.parametrize("file_name", ["bok.xlsx", "bok.ods", "bok.xlsm", "bok.csv", "bok.xls", "bok"])
def test_a_workbook_is_opened_by_its_content_whatever_its_name(
    name: str, file_name: str, tmp_path: Path, opened: list[str]
) -> None:
    """The workbook reader and a run's classification take a workbook for the kind its container
    says; the SCB reader reads a zip only when it is named .xlsx."""
    data, kind = CONTENTS[name]
    path = tmp_path / file_name
    path.write_bytes(data)
    open_book(path, data)
    assert opened == [kind.key]
    assert classify(path) is Kind.WORKBOOK
    assert files.identify(data, path.suffix) is (kinds.XLSX if path.suffix == ".xlsx" else kinds.ZIP)


@pytest.mark.parametrize("kind", [k for k in kinds.KINDS if k.book is not None and k.suffixes])
def test_a_broken_workbook_goes_to_the_adapter_its_name_calls_for(
    kind: FileKind, tmp_path: Path, opened: list[str]
) -> None:
    """A file whose content says nothing (text, a broken zip) is left to the adapter of its name,
    which says precisely what is wrong; an OLE file not refused by its name to the .xlsx adapter,
    which tells a password from an old .xls."""
    for data in (b"Lan;Personer\n", CONTENTS["broken-zip"][0]):
        path = tmp_path / f"bok{kind.suffix}"
        path.write_bytes(data)
        if kind.refused_as_workbook:
            with pytest.raises(InputRejected):
                open_book(path, data)
        else:
            open_book(path, data)
    expected = {"ods": ["ods", "ods"], "xls": []}.get(kind.key, ["xlsx", "xlsx"])
    assert opened == expected
    opened.clear()
    path = tmp_path / f"krypterad{kind.suffix}"
    if not kind.refused_as_workbook:
        open_book(path, OLE + bytes(512))
        assert opened == ["xlsx"]


@pytest.mark.parametrize("suffix", [s.text for k in kinds.KINDS if k.refused_as_workbook for s in k.suffixes])
def test_the_workbook_reader_refuses_by_the_registry(suffix: str, tmp_path: Path, opened: list[str]) -> None:
    """Every suffix refused, with any content but a workbook's; an OLE file too (not opened)."""
    path = tmp_path / f"bok{suffix}"
    for data in (b"Lan;Personer\n", OLE + bytes(512)):
        with pytest.raises(InputRejected) as caught:
            open_book(path, data)
        (problem,) = caught.value.problems
        assert problem.message == kinds.not_supported(suffix, "spara som .xlsx i Excel")
    assert opened == []


def test_the_workbook_reader_refuses_xlsb_by_its_content(tmp_path: Path, opened: list[str]) -> None:
    data, _ = CONTENTS["xlsb"]
    for name in ("bok.xlsb", "bok.xlsx", "bok.ods"):
        with pytest.raises(InputRejected) as caught:
            open_book(tmp_path / name, data)
        assert [p.message for p in caught.value.problems] == [
            "binära Excel-arbetsböcker (.xlsb) stöds inte – spara som .xlsx i Excel"
        ]
    assert opened == []


@pytest.mark.parametrize("suffix", [".px", ".json", ".html", ".parquet", ".docx", ""])
def test_a_file_of_no_workbook_kind_is_no_workbook(suffix: str, tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as caught:
        open_book(tmp_path / f"fil{suffix}", b"Lan;Personer\n")
    assert [p.message for p in caught.value.problems] == ["filen är ingen Excel-arbetsbok (.xlsx)"]


@pytest.mark.parametrize("suffix", [s.text for k in kinds.KINDS if k.refused_as_scb for s in k.suffixes])
def test_the_scb_reader_refuses_by_the_registry(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"befolkning{suffix}"
    path.write_bytes(CONTENTS["text"][0])
    with pytest.raises(InputRejected) as caught:
        files.load(path)
    assert [p.message for p in caught.value.problems] == [kinds.not_supported(suffix, files.DOWNLOAD_AS)]


@pytest.mark.parametrize("name", [n for n, (_, k) in CONTENTS.items() if not k.container])
def test_the_scb_reader_tells_a_text_format_as_the_registry_does(name: str, tmp_path: Path) -> None:
    data, kind = CONTENTS[name]
    for suffix in (".csv", ".txt", ".px", ".json", ".html", ".dat"):
        assert files.identify(data, suffix) is kind
        path = tmp_path / f"befolkning{suffix}"
        path.write_bytes(data)
        if kind.grids is None:
            with pytest.raises(InputRejected, match=re.escape(f"filen är {kind.name}, som inte kan läsas")):
                files.load(path)
        else:
            assert files.load(path)


def test_the_scb_formats_that_work_are_the_kinds_with_a_reader() -> None:
    rest = files.FORMATS_THAT_WORK
    for kind in kinds.KINDS:
        if kind.grids is not None:
            assert kind.name in rest
            rest = rest.replace(kind.name, "")
    assert rest.replace(",", "").replace("eller", "").strip() == ""  # no other format named


def test_a_run_names_the_workbook_kinds() -> None:
    assert "(.xlsx, .xlsm, .ods)" in NEITHER
    assert all(kind.book is not None for kind in kinds.WORKBOOKS)


@pytest.mark.parametrize(
    ("name", "what"),
    [("gammal.xls", "det gamla Excel-formatet .xls"), ("binär.xlsb", "en binär Excel-arbetsbok (.xlsb)")],
)
def test_a_run_names_a_workbook_format_that_is_not_read(name: str, what: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(b"ingenting")
    (found,) = scan([path])
    assert found.kind is Kind.OTHER
    assert found.why == f"filen är {NEITHER} – den är {what}; spara den som .xlsx i Excel om det är indata"


def test_workbook_xml_is_parsed_once_when_classified_and_once_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[object] = []
    original = sjukmiljard.read.xlsx._workbook_part

    def counted(source: bytes | Path, limit: int = -1) -> object:
        parsed.append(source)
        return original(source, limit)

    monkeypatch.setattr(sjukmiljard.read.xlsx, "_workbook_part", counted)
    data, _ = CONTENTS["xlsx"]
    path = tmp_path / "indata.xlsx"
    path.write_bytes(data)
    assert classify(path) is Kind.WORKBOOK
    assert len(parsed) == 1
    sjukmiljard.read.xlsx.XlsxBook(path, data)
    assert len(parsed) == 2


def test_a_forbidden_character_in_a_sheet_name_is_refused_when_the_file_is_opened(tmp_path: Path) -> None:
    """The one check of the characters Excel forbids (`formats.sheet_name_problems`), in both
    adapters: the villkor sheets' own check of their names leaves them to it."""
    from .conftest import save_as

    book = small_book()
    book["Villkor 3"].title = "Villkor 3-4"
    for fmt in ("xlsx", "ods"):
        path = save_as(book, tmp_path, fmt)
        data = path.read_bytes()
        if fmt == "xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = {name: archive.read(name) for name in archive.namelist()}
            parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"Villkor 3-4", b"Villkor 3/4")
            data = zipped(parts)
        else:
            data = zipped(package(content_xml(book).replace("Villkor 3-4", "Villkor 3/4")))
        path.write_bytes(data)
        with pytest.raises(InputRejected) as caught:
            open_book(path)
        assert [str(p) for p in caught.value.problems] == [
            "Villkor 3/4: bladnamnet innehåller /, som Excel inte tillåter"
        ]
