"""Proof against a real spreadsheet: LibreOffice recalculates the result and every figure stands.

A canary cell gets a wrong cached value before the recalculation; it must come back right, which
proves LibreOffice really recalculated rather than echoing the cached values.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import convert

from .conftest import SAMPLE_2020, libreoffice_convert, read_changes
from .recalculation import make_result, numbers, plant_canary

RECALC_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
CANARY = ("Sammanställning", "J31")  # the grand total, 944


def recalculate(path: Path, folder: Path) -> Path:
    out = folder / "omräknad"
    conversion = "xlsx:Calc MS Excel 2007 XML"
    libreoffice_convert([path], conversion, out, profile=folder / "profil", settings=RECALC_ON_LOAD)
    return out / path.name


@pytest.mark.parametrize(
    ("kind", "values_only"),
    [("plain", False), ("plain", True), ("compared", False), ("payout", False), ("payout-öre", False)],
)
def test_libreoffice_recalculation_changes_nothing(tmp_path: Path, kind: str, values_only: bool) -> None:
    result = make_result(tmp_path, kind, values_only=values_only)
    cached = numbers(result)
    if not values_only:
        plant_canary(result, *CANARY)
        assert numbers(result)[CANARY] == 0
    recalculated = numbers(recalculate(result, tmp_path))
    grand = 944 - 0.00000025 if kind == "payout-öre" else 944  # Socialstyrelsen 1,19999975 Mkr there
    assert recalculated[CANARY] == pytest.approx(grand, abs=1e-9)
    assert cached.keys() == recalculated.keys()
    differ = {
        key: (cached[key], recalculated[key])
        for key in cached
        if not math.isclose(cached[key], recalculated[key], rel_tol=1e-12, abs_tol=1e-9)
    }
    assert differ == {}
    assert len(cached) > 500


def test_libreoffice_keeps_unchanged_totals_at_exactly_zero(tmp_path: Path) -> None:
    """Only the population moved, so every pot's SUMMA difference is zero: recalculated, it must be
    an exact 0, not a residue such as -5.95e-14 that Excel shows as -0,000. (LibreOffice sums more
    exactly than Excel, so the ROUND in the formulas is checked in test_compare; this catches a
    SUMMA built from the rounded rows, which is off by a few 1e-9.)"""
    sample = Path(shutil.copy(SAMPLE_2020, tmp_path / SAMPLE_2020.name))
    book = openpyxl.load_workbook(sample)
    book["Befolkning"]["B4"] = 2_000_000
    book["Befolkning"]["B25"] = None
    book.save(tmp_path / "förra.xlsx")
    previous = convert(tmp_path / "förra.xlsx", tmp_path / "förra-resultat.xlsx").output
    result = convert(sample, tmp_path / "resultat.xlsx", compare_with=previous).output
    assert result is not None
    recalculated = read_changes(recalculate(result, tmp_path))
    assert recalculated.summary["Stockholms län"][2] == 2_374_550 - 2_000_000
    assert recalculated.summary["SUMMA"][5:7] == [0, 0]
    zeros = [table["SUMMA"][2] for table in recalculated.villkor.values()]
    # The four villkor with pots moved with the population; the four with fixed sums only did not
    # and have no detail (a page of nothing but zeros is left out).
    assert len(zeros) == 4 and all(value == 0 and math.copysign(1, value) == 1 for value in zeros)
