"""Our own result is always a valid input, also for --compare: its cached values are the computed
ones, even the 0 of a formula in a workbook that asks for recalculation on load (which in another
writer's workbook may be a placeholder)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import Indata, InputRejected, convert, read_workbook
from sjukmiljard.read.workbook import UNCACHED_FORMULA

from .conftest import SAMPLE_2020, save, small_book


def zero_villkor(folder: Path) -> Path:
    """Villkor 3 with both pots 0 and SKR's fixed sum 0: the result's SUMMA formula caches 0."""
    book = small_book()
    ws = book["Villkor 3"]
    ws["B25"], ws["C25"], ws["D25"], ws["B27"] = 0, 0, 0, 0
    return save(book, folder)


def zero_pot_sample(folder: Path) -> Path:
    """The 2020 sample with Villkor 1's pot 0 (its län amounts and SUMMA to match)."""
    book = openpyxl.load_workbook(SAMPLE_2020)
    ws = book["Villkor 1"]
    for r in range(4, 25):
        ws.cell(r, 2).value = 0
    ws["B25"], ws["B33"] = "0,000", "1,200"
    book["Befolkning"]["B2"] = "844,000"
    path = folder / SAMPLE_2020.name
    book.save(path)
    return path


def figures(indata: Indata) -> list[tuple[object, ...]]:
    return [(v.name, v.pots, v.national) for v in indata.villkor]


def summary_values(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, data_only=True)["Sammanställning"]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


@pytest.mark.parametrize("make", [zero_villkor, zero_pot_sample], ids=["zero-villkor", "zero-pot-sample"])
def test_a_result_with_zeros_is_read_again_and_compared(make: object, tmp_path: Path) -> None:
    source = make(tmp_path)  # type: ignore[operator]
    result = convert(source, tmp_path / "resultat.xlsx").output
    assert result is not None
    again = convert(result, tmp_path / "igen.xlsx").output
    assert again is not None
    assert summary_values(again) == summary_values(result)
    assert figures(read_workbook(result)) == figures(read_workbook(source))
    compared = convert(source, tmp_path / "jämförd.xlsx", compare_with=result).output
    assert compared is not None
    assert summary_values(compared) == summary_values(result)


def with_core(path: Path, old: str, new: str, folder: Path) -> Path:
    """A copy of `path` with docProps/core.xml edited, as another writer would have saved it."""
    copy = Path(shutil.copy(path, folder / "sparad-av-annan.xlsx"))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    core = parts["docProps/core.xml"].decode()
    assert old in core
    parts["docProps/core.xml"] = core.replace(old, new).encode()
    with zipfile.ZipFile(copy, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return copy


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<cp:lastModifiedBy>sjukmiljard<", "<cp:lastModifiedBy>Anna<"),
        ("<dc:creator>sjukmiljard<", "<dc:creator>Rapportverktyget<"),
    ],
    ids=["modified-by-another", "created-by-another"],
)
def test_another_writers_placeholder_zero_is_still_questioned(old: str, new: str, tmp_path: Path) -> None:
    """Only a workbook our writer wrote is trusted: the same bytes saved by another writer that asks
    for recalculation keep today's check of a formula's cached 0."""
    result = convert(zero_villkor(tmp_path), tmp_path / "resultat.xlsx").output
    assert result is not None
    with pytest.raises(InputRejected) as caught:
        read_workbook(with_core(result, old, new, tmp_path))
    assert [str(p) for p in caught.value.problems] == [f"Villkor 3!D28: {UNCACHED_FORMULA}"]
