"""A second engine: Gnumeric recalculates the plain, payout and compared results, and every formula
cell comes back with the value the writer cached.

Before the recalculation, the last formula of the sheet each kind of result adds (Sammanställning,
Utbetalning, Förändring) gets a wrong cached value, a canary that must come back right. Without
`--recalc` Gnumeric keeps the cached values and the canary stays wrong, which the last test shows.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import require_tool
from .recalculation import KINDS, OWN_SHEET, formulas, last_formula, make_result, plant_canary, same, values


def through_gnumeric(path: Path, folder: Path, *, recalc: bool = True) -> Path:
    """Open `path` in Gnumeric (ssconvert) and save it again as xlsx."""
    ssconvert = require_tool("ssconvert")
    out = folder / f"gnumeric-{path.name}"
    subprocess.run(
        [ssconvert, *(["--recalc"] if recalc else []), str(path), str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_gnumeric_recalculates_every_formula_to_its_cached_value(tmp_path: Path, kind: str) -> None:
    result = make_result(tmp_path, kind)
    cached = values(result)
    cells = formulas(result)
    canary = (OWN_SHEET[kind], last_formula(result, OWN_SHEET[kind]))
    assert cached[canary] != 0
    plant_canary(result, *canary)
    assert values(result)[canary] == 0

    recalculated = values(through_gnumeric(result, tmp_path))
    assert same(recalculated.get(canary), cached[canary])
    differ = {
        cell: (cached.get(cell), recalculated.get(cell))
        for cell in cells
        if not same(cached.get(cell), recalculated.get(cell))
    }
    assert differ == {}
    assert len(cells) > 400


def test_without_recalc_the_canary_stays_wrong(tmp_path: Path) -> None:
    """The canary catches an engine that only copies the cached values."""
    result = make_result(tmp_path, "plain")
    canary = (OWN_SHEET["plain"], last_formula(result, OWN_SHEET["plain"]))
    plant_canary(result, *canary)
    assert values(through_gnumeric(result, tmp_path, recalc=False))[canary] == 0
