"""Every figure a result starts from is in its input: the persons, the pots, the national bodies."""

from __future__ import annotations

from sjukmiljard.words.regions import fold

from .layout import number_of
from .result import Checked
from .xlsx import XSheet


def _numbers(sheet: XSheet) -> set[float]:
    found = set()
    for x in sheet.cells.values():
        if x.kind == "n" and isinstance(x.value, float):
            found.add(x.value)
        elif x.kind == "s" and isinstance(x.value, str) and (number := number_of(x.value)) is not None:
            found.add(number)
    return found


def _words(sheet: XSheet) -> set[str]:
    return {fold(str(x.value).strip()) for x in sheet.cells.values() if x.kind == "s" and x.value is not None}


def check_against_input(sheets: list[XSheet], checked: Checked) -> None:
    population = [s for s in sheets if fold(s.name) == "befolkning"]
    assert population, "converted without a Befolkning sheet"
    in_population = set().union(*(_numbers(s) for s in population))
    persons = checked.figures.persons
    assert all(p in in_population for p in persons), "a person count that is not in the input"
    by_title = {s.name: s for s in sheets}
    for villkor in checked.villkor:
        sheet = by_title.get(villkor.name)
        assert sheet is not None, f"villkor {villkor.name!r} is not a sheet of the input"
        assert sheet.state == "visible", f"hidden sheet {villkor.name!r} was converted"
        values, words = _numbers(sheet), _words(sheet)
        assert all(p in values for p in villkor.pots), (villkor.name, villkor.pots)
        for body, amount in villkor.bodies:
            assert body in words and amount in values, (villkor.name, body, amount)
