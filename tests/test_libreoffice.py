"""Proof against a real spreadsheet: LibreOffice recalculates the result and every figure stands.

A canary cell gets a wrong cached value before the recalculation; it must come back right, which
proves LibreOffice really recalculated rather than echoing the cached values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import libreoffice_convert, read_changes
from .recalculation import Cell, make_result, numbers, plant_canary

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


CASES = [("plain", False), ("plain", True), ("compared", False), ("payout", False), ("payout-öre", False)]


@dataclass(frozen=True)
class Recalculated:
    result: Path  # as the program wrote it, the canary planted unless values only
    cached: dict[Cell, float]  # its cached values before the canary
    recalculated: Path


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Recalculated]:
    """Every case's result recalculated by one LibreOffice call (each call costs a start-up)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    made: dict[tuple[str, bool], tuple[Path, dict[Cell, float]]] = {}
    for kind, values_only in CASES:
        own = folder / f"{kind}-{'värden' if values_only else 'formler'}"
        own.mkdir()
        result = make_result(own, kind, values_only=values_only)
        result = result.rename(folder / f"{own.name}.xlsx")
        cached = numbers(result)
        if not values_only:
            plant_canary(result, *CANARY)
            assert numbers(result)[CANARY] == 0
        made[kind, values_only] = result, cached
    out = folder / "omräknad"
    libreoffice_convert(
        [result for result, _ in made.values()],
        "xlsx:Calc MS Excel 2007 XML",
        out,
        profile=folder / "profil",
        settings=RECALC_ON_LOAD,
    )
    return {case: Recalculated(result, cached, out / result.name) for case, (result, cached) in made.items()}


@pytest.mark.parametrize(("kind", "values_only"), CASES)
def test_libreoffice_recalculation_changes_nothing(
    recalculated: dict[tuple[str, bool], Recalculated], kind: str, values_only: bool
) -> None:
    case = recalculated[kind, values_only]
    cached, again = case.cached, numbers(case.recalculated)
    grand = 944 - 0.00000025 if kind == "payout-öre" else 944  # Socialstyrelsen 1,19999975 Mkr there
    assert again[CANARY] == pytest.approx(grand, abs=1e-9)
    assert cached.keys() == again.keys()
    differ = {
        key: (cached[key], again[key])
        for key in cached
        if not math.isclose(cached[key], again[key], rel_tol=1e-12, abs_tol=1e-9)
    }
    assert differ == {}
    assert len(cached) > 500


def test_libreoffice_keeps_unchanged_totals_at_exactly_zero(
    recalculated: dict[tuple[str, bool], Recalculated],
) -> None:
    """Only the population moved (the 'compared' result: Stockholm 2 000 000 before), so every pot's
    SUMMA difference is zero: recalculated, it must be an exact 0, not a residue such as -5.95e-14
    that Excel shows as -0,000. (LibreOffice sums more exactly than Excel, so the ROUND in the formulas
    is checked in test_compare; this catches a SUMMA built from the rounded rows, which is off by a few
    1e-9.)"""
    recalculated = read_changes(recalculated["compared", False].recalculated)
    assert recalculated.summary["Stockholms län"][2] == 2_374_550 - 2_000_000
    assert recalculated.summary["SUMMA"][5:7] == [0, 0]
    zeros = [table["SUMMA"][2] for table in recalculated.villkor.values()]
    # The four villkor with pots moved with the population; the four with fixed sums only did not
    # and have no detail (a page of nothing but zeros is left out).
    assert len(zeros) == 4 and all(value == 0 and math.copysign(1, value) == 1 for value in zeros)
