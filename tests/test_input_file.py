"""What every input file is checked for before and while it is parsed: its kind, its size, and the
limits that bound the memory and time any file may cost (issue 17)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sjukmiljard import InputRejected, read_workbook
from sjukmiljard.formats import (
    NOT_A_FILE,
    read_bounded,
    sheet_name_problems,
)
from sjukmiljard.scb.population import read_population_file

from . import hostile
from .conftest import save, small_book

ROOT = Path(__file__).resolve().parent.parent
GIB = 1024**3


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputRejected) as caught:
        read_workbook(path)
    return [str(p) for p in caught.value.problems]


def refused_in_child(path: Path, reader: str = "workbook") -> dict[str, object]:
    """Read `path` in a fresh interpreter (address space capped at 3 GiB, so a broken limit fails
    the test instead of the machine) and return its refusal and peak RSS."""
    script = textwrap.dedent(
        f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({3 * GIB}, {3 * GIB}))
        from pathlib import Path
        from sjukmiljard import InputRejected
        from sjukmiljard.read.workbook import read_workbook
        from sjukmiljard.scb.population import read_population_file
        read = read_workbook if {reader!r} == "workbook" else read_population_file
        try:
            read(Path(sys.argv[1]))
            message = None
        except InputRejected as error:
            message = [str(p) for p in error.problems]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps({{"problems": message, "peak": peak}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard, not a speed target (bench.py times the refusals)
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


# -- the bombs of issue 17, refused under 1 GiB -------------------------------------------


def test_hidden_sheets_under_the_ratio_check_are_refused_by_their_unpacked_total(tmp_path: Path) -> None:
    """80 hidden sheets of 0,96 MB (74 MB unpacked): each under the ratio check's 1 MB, and the
    whole under the old 200 MB total; it ran at 4,5 GB and said "Klar"."""
    path = tmp_path / "dolda.xlsx"
    path.write_bytes(hostile.hidden_sheets_bomb(80))
    assert path.stat().st_size < 1024 * 1024
    found = refused_in_child(path)
    assert found["problems"] == [
        "filen packas upp till 73,8 MB, mer än gränsen 64,0 MB (möjlig zip-bomb) – ingen indatafil är så "
        "stor, och filen läses inte"
    ]
    assert isinstance(found["peak"], int) and found["peak"] < GIB


def test_a_billion_repeated_spaces_are_refused_before_they_are_made(tmp_path: Path) -> None:
    """`<text:s text:c="1000000000"/>` in 2 KB ran at 11,5 GB and cut the title silently."""
    path = tmp_path / "mellanslag.ods"
    path.write_bytes(hostile.spaces_bomb())
    assert path.stat().st_size < 4096
    found = refused_in_child(path)
    assert found["problems"] == [
        "Villkor 1!A1: cellen har 1 000 000 008 tecken text, fler än de 32 767 en cell i Excel rymmer – "
        "korta texten eller dela upp den på flera celler"
    ]
    assert isinstance(found["peak"], int) and found["peak"] < GIB


def test_cells_are_counted_before_openpyxl_builds_them(tmp_path: Path) -> None:
    """Parts under every size limit can still hold more cells than memory holds as objects."""
    path = tmp_path / "celler.xlsx"
    path.write_bytes(hostile.many_cells_book(310_000))
    with zipfile.ZipFile(path) as archive:
        assert max(entry.file_size for entry in archive.infolist()) < 1024 * 1024
    found = refused_in_child(path)
    assert found["problems"] == [
        "arbetsboken har minst 310 000 celler, fler än gränsen 300 000 – ingen indatafil är så stor, och "
        "filen läses inte"
    ]
    assert isinstance(found["peak"], int) and found["peak"] < GIB


def test_an_scb_text_file_of_tiny_fields_is_refused_by_its_fields(tmp_path: Path) -> None:
    """Under the size limit, a split into millions of one-character fields is counted, not made."""
    path = tmp_path / "scb.csv"
    path.write_bytes(hostile.tiny_fields_csv(4 * 1024 * 1024 - 100))
    found = refused_in_child(path, reader="scb")
    assert found["problems"] == [
        "filen har minst 2 097 097 fält, fler än gränsen 300 000 – ingen indatafil är så stor, och filen "
        "läses inte"
    ]
    assert isinstance(found["peak"], int) and found["peak"] < GIB


def test_an_scb_text_file_over_its_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "scb.csv"
    path.write_bytes(hostile.tiny_fields_csv(4 * 1024 * 1024 + 100))
    with pytest.raises(InputRejected) as caught:
        read_population_file(path)
    assert [str(p) for p in caught.value.problems] == [
        "filen är större än 4 MB – välj bara länen och månaderna du behöver"
    ]


def test_one_part_over_its_limit_is_named(tmp_path: Path) -> None:
    """A part under the ratio check (it holds varied figures) but over the part limit."""
    path = save(small_book(), tmp_path)
    text = os.urandom(17 * 1024 * 1024).hex().encode()  # 34 MB, compressed 2:1
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/stor.xml", text)
    assert problems_of(path) == [
        "delen xl/media/stor.xml packas upp till 34,0 MB, mer än gränsen 32,0 MB per del (möjlig "
        "zip-bomb) – ingen indatafil är så stor, och filen läses inte"
    ]


def test_a_long_text_in_an_ods_string_value_is_refused_with_its_cell(tmp_path: Path) -> None:
    from .odf import document, package
    from .test_ods_book import write_parts

    cell = f'<table:table-cell office:value-type="string" office:string-value="{"x" * 40_053}"/>'
    content = document(
        f'<table:table table:name="Villkor 1"><table:table-row>{cell}</table:table-row></table:table>'
    )
    path = write_parts(tmp_path / "lång.ods", package(content))
    assert problems_of(path) == [
        "Villkor 1!A1: cellen har 40 053 tecken text, fler än de 32 767 en cell i Excel rymmer – korta "
        "texten eller dela upp den på flera celler"
    ]


# -- the file's kind, read once -------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "indata.xlsx"
    os.mkfifo(fifo)
    data, problems = read_bounded(fifo)
    assert data is None and [p.message for p in problems] == [NOT_A_FILE]


def test_an_unreadable_file_is_answered_in_swedish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests run as root, whom chmod 000 does not stop: the refusal the system gives others is
    simulated."""
    path = save(small_book(), tmp_path)
    real_open = os.open

    def refusing(file: object, flags: int, *args: object) -> int:
        if Path(str(file)) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing)
    assert problems_of(path) == [
        "filen kunde inte läsas – behörighet saknas (eller filen är öppen i ett annat program)"
    ]


def test_a_workbook_is_read_from_one_reading_of_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checks, parsing and checksum from the same bytes: the file is opened once, so a file replaced
    while it is read cannot give the checks of one version and the figures of another."""
    from sjukmiljard import convert

    path = save(small_book(), tmp_path)
    opened: list[str] = []
    real_open, real_path_open = os.open, Path.open

    def counting(file: object, flags: int, *args: object) -> int:
        if Path(str(file)) == path:
            opened.append("os.open")
        return real_open(file, flags, *args)  # type: ignore[arg-type]

    def counting_path_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            opened.append("Path.open")
        return real_path_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", counting)
    monkeypatch.setattr(Path, "open", counting_path_open)
    monkeypatch.setattr(zipfile, "ZipFile", _refusing_paths(zipfile.ZipFile, path, opened))
    report = convert(path, tmp_path / "ut.xlsx")
    assert opened == ["os.open"]
    import hashlib

    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def _refusing_paths(real: type, path: Path, opened: list[str]) -> Callable[..., object]:
    def opening(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, (str, Path)) and Path(file) == path:
            opened.append("zipfile")
        return real(file, *args, **kwargs)

    return opening


# -- sheet names ------------------------------------------------------------------------------


@pytest.mark.parametrize("control", ["\t", "\r", "\n", "\x01", "\x7f", "\x85", "\u2028"])
def test_a_control_character_in_a_sheet_name_is_refused(control: str) -> None:
    """A program shows it as a space (or nothing) in the tab, so `='Villkor<TAB>1'!B4` finds no
    sheet: 48 #NAME? after a LibreOffice recalculation."""
    [problem] = sheet_name_problems(["Befolkning", f"Villkor{control}1"])
    assert problem.message.startswith("bladnamnet innehåller ett styrtecken (")
    assert problem.message.endswith("), som inte kan stå i en formel – byt namn på bladet")
    assert problem.sheet is not None and control not in problem.sheet


def test_a_tab_in_a_sheet_name_is_refused_in_both_formats(tmp_path: Path, fmt: str) -> None:
    from .conftest import save_as

    book = small_book()
    book["Villkor 1"].title = "Villkor\t1"
    path = save_as(book, tmp_path, fmt)
    assert problems_of(path) == [
        "Villkor␉1: bladnamnet innehåller ett styrtecken (tabb), som inte kan stå i en formel – byt namn "
        "på bladet"
    ]
