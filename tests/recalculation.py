"""What the recalculation tests (LibreOffice, Gnumeric) share: the results they recalculate, the
canary, and reading values back."""

from __future__ import annotations

import math
import re
import shutil
import warnings
import zipfile
from pathlib import Path

import openpyxl

from sjukmiljard import convert

from .conftest import ROOT, SAMPLE_2020

SAMPLE_UTFALL = ROOT / "samples" / "sjukskrivningsmiljarden-2020-utfall.xlsx"
KINDS = ("plain", "payout", "payout-öre", "compared")
OWN_SHEET = {
    "plain": "Sammanställning",
    "payout": "Utbetalning",
    "payout-öre": "Utbetalning",
    "compared": "Förändring",
}

Cell = tuple[str, str]  # (sheet, "A1")


def make_result(folder: Path, kind: str, *, values_only: bool = False) -> Path:
    """Convert a private copy of a sample: `plain` (the 2020 sample), `payout` (the one with an Utfall
    sheet), `payout-öre` (that one with a pot and a fixed sum that have öre) or `compared` (the 2020
    sample against a previous result from other populations, so that the Förändring sheet has real
    differences)."""
    source = SAMPLE_UTFALL if kind.startswith("payout") else SAMPLE_2020
    sample = Path(shutil.copy(source, folder / source.name))
    previous = None
    if kind == "payout-öre":  # a pot and a fixed sum with öre, so that the reconciliation has them
        book = openpyxl.load_workbook(sample)
        book["Utfall"]["G7"] = "12,3456785"
        book["Villkor 1"]["B31"], book["Villkor 1"]["B33"] = "1,19999975", "101,19999975"
        book.save(sample)
    if kind == "compared":
        book = openpyxl.load_workbook(sample)
        book["Befolkning"]["B4"] = 2_000_000
        book["Befolkning"]["B25"] = None
        book.save(folder / "förra.xlsx")
        previous = convert(folder / "förra.xlsx", folder / "förra-resultat.xlsx").output
    result = convert(
        sample, folder / f"resultat-{kind}.xlsx", values_only=values_only, compare_with=previous
    ).output
    assert result is not None
    return result


def load(path: Path, *, data_only: bool) -> openpyxl.Workbook:
    with warnings.catch_warnings():  # Gnumeric writes no default style; openpyxl supplies one
        warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
        return openpyxl.load_workbook(path, data_only=data_only)


def values(path: Path) -> dict[Cell, object]:
    """The cached value of every cell that has one."""
    book = load(path, data_only=True)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    }


def numbers(path: Path) -> dict[Cell, float]:
    return {
        key: float(value)
        for key, value in values(path).items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


def formulas(path: Path) -> list[Cell]:
    book = load(path, data_only=False)
    return [
        (ws.title, cell.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def last_formula(path: Path, sheet: str) -> str:
    """The formula cell furthest down (then right) on a sheet whose value is not 0: a total that
    depends on the rest, and a canary whose wrong cached 0 cannot pass for right."""
    ws = load(path, data_only=False)[sheet]
    cached = load(path, data_only=True)[sheet]
    cells = [
        cell
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f" and cached[cell.coordinate].value not in (None, 0, "")
    ]
    return max(cells, key=lambda cell: (cell.row, cell.column)).coordinate


def same(a: object, b: object) -> bool:
    if (
        isinstance(a, bool)
        or isinstance(b, bool)
        or not isinstance(a, int | float)
        or not isinstance(b, int | float)
    ):
        return a == b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


def plant_canary(path: Path, sheet: str, cell: str) -> None:
    """Give one formula cell a wrong cached value (0), in the file itself.

    An engine that really recalculates puts the right value back; one that keeps the cached values
    keeps the 0."""
    part = f"xl/worksheets/sheet{load(path, data_only=True).sheetnames.index(sheet) + 1}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    found = False
    for info in parts:
        if info.filename == part:
            xml = parts[info].decode()
            pattern = rf'(<c r="{cell}"[^>]*><f>[^<]*</f><v>)([^<]*)(</v>)'
            found = re.search(pattern, xml) is not None
            parts[info] = re.sub(pattern, r"\g<1>0\g<3>", xml).encode()
    assert found, f"no formula with a cached value at {sheet}!{cell}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            archive.writestr(info, data)
