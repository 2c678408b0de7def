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


def _agreement(population: XSheet) -> float | None:
    """Befolkning!B2 as a number in Mkr, if it holds one."""
    cell = population.at(1, 1)
    if cell is None:
        return None
    if cell.kind == "n" and isinstance(cell.value, float):
        return cell.value
    return number_of(cell.value) if isinstance(cell.value, str) else None


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
        if sheet.state != "visible":  # only where the agreement's total agrees only with it counted
            agreed = _agreement(population[0])
            grand = sum(checked.totals.values())
            assert agreed is not None and abs(agreed - grand) <= 1e-6 * max(1.0, grand), (
                f"hidden sheet {villkor.name!r} was converted without the agreement total (B2) agreeing"
            )
        values, words = _numbers(sheet), _words(sheet)
        assert all(p in values for p in villkor.pots), (villkor.name, villkor.pots)
        for body, amount in villkor.bodies:
            assert body in words and amount in values, (villkor.name, body, amount)
