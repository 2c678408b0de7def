"""The receipt oracle (issue 15): every number of every input sheet the reader looks at is listed in
the result's Kontroll sheet, exactly once, with its cell."""

from __future__ import annotations

from .book import column_letter
from .result import Result
from .rules import fold
from .totals import RESERVED
from .xlsx import XSheet

RECEIPT = "Kontroll"


def listed_cells(result: Result) -> list[tuple[str, str]]:
    """(sheet, cell) of each row of the Kontroll sheet's table of numbers."""
    sheet = result.sheets[RECEIPT]
    rows = sheet.rows()
    header = next(r for r in rows if (cell := sheet.at(r, 0)) is not None and cell.value == "Blad")
    listed = []
    for r in rows:
        first, second = sheet.at(r, 0), sheet.at(r, 1)
        if r > header and first is not None and second is not None:
            listed.append((str(first.value), str(second.value)))
    return listed


def check_receipt(inputs: list[XSheet], result: Result) -> None:
    assert RECEIPT in result.sheets, "the result has no Kontroll sheet"
    listed = listed_cells(result)
    twice = {cell for cell in listed if listed.count(cell) > 1}
    assert not twice, f"listed more than once in Kontroll: {sorted(twice)[:5]}"
    seen = set(listed)
    for sheet in inputs:
        if fold(sheet.name) in RESERVED - {"utfall"}:
            continue  # the program's own sheets (and the template's) are passed over whole
        for (r, c), x in sheet.cells.items():
            if x.kind == "n" and x.value is not None:
                ref = f"{column_letter(c)}{r + 1}"
                assert (sheet.name, ref) in seen, f"{sheet.name}!{ref} ({x.value}) is missing from Kontroll"
