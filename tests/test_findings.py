"""What a sheet reader finds travels beside what it read, as values; the grid holds the sheet's data only."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import openpyxl

from sjukmiljard.errors import Problem
from sjukmiljard.read.findings import Findings
from sjukmiljard.read.grid import Book, Grid
from sjukmiljard.read.ods import OdsBook
from sjukmiljard.read.population import read_population
from sjukmiljard.read.villkor import read_villkor
from sjukmiljard.read.xlsx import UNCACHED_FORMULA, XlsxBook

from .conftest import FIRST_LAN, RIKET, save_as, small_book
from .test_reader import problems_of

T = TypeVar("T")


def book_of(tmp_path: Path, edit: Callable[[openpyxl.Workbook], object], fmt: str) -> tuple[Path, Book]:
    """The small valid book with one edit, saved and opened as `fmt`."""
    book = small_book()
    edit(book)
    path = save_as(book, tmp_path, fmt)
    return path, OdsBook(path) if fmt == "ods" else XlsxBook(path)


def unchanged_by_reading(grid: Grid, read: Callable[[Grid], T]) -> T:
    """What `read` returns, after checking that reading leaves the grid as it was and that a second
    reading finds the same: nothing a reader finds stays behind on the grid."""
    before = copy.deepcopy(vars(grid))
    first = read(grid)
    assert vars(grid) == before
    assert read(grid) == first
    return first


def test_the_population_reader_returns_its_problems_mismatches_and_notices(tmp_path: Path, fmt: str) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book["Befolkning"]
        ws["A1"] = None  # no reference date: a problem
        ws[f"B{RIKET}"] = ws[f"B{RIKET}"].value + 1  # RIKET off by one: a failed check
        ws[f"C{FIRST_LAN}"] = 0.5  # Stockholm's share, not what the persons give: a notice

    _, book = book_of(tmp_path, edit, fmt)
    read = unchanged_by_reading(book.grid("Befolkning"), lambda grid: read_population(grid, "indata"))
    population, _ = read.value
    found = read.findings
    assert population is None
    assert [(p.sheet, p.cell) for p in found.problems] == [("Befolkning", "B1")]
    assert found.problems[0].message.startswith("referensdatum saknas")
    assert [(p.sheet, p.cell) for p in found.mismatches] == [("Befolkning", f"B{RIKET}")]
    assert found.mismatches[0].message.startswith("RIKET är ")
    assert len(found.notices) == 1
    assert found.notices[0].startswith(f"Befolkning!C{FIRST_LAN}: andelen för Stockholms län är 0,5")
    assert found.suspects == frozenset()


def test_the_workbook_reports_a_sheets_problems_before_its_failed_checks(tmp_path: Path, fmt: str) -> None:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book["Villkor 3"]
        ws[f"D{RIKET}"] = 551  # the total column, off by one: a failed check
        ws[f"A{RIKET + 2}"] = "SKL"  # SKR's old name: a notice
        ws.append(["Gotlands län", 5])  # a län below RIKET: a problem

    path, book = book_of(tmp_path, edit, fmt)
    grid = book.grid("Villkor 3")
    header = grid.find_header()
    assert header is not None
    read = unchanged_by_reading(grid, lambda grid: read_villkor(grid, header))
    found = read.findings
    assert [(p.sheet, p.cell) for p in found.problems] == [("Villkor 3", f"A{RIKET + 3}")]
    assert [(p.sheet, p.cell) for p in found.mismatches] == [("Villkor 3", f"D{RIKET}")]
    assert found.notices == (f"Villkor 3!A{RIKET + 2}: 'SKL' är SKR:s namn före 2019 och räknas som SKR",)
    assert problems_of(path) == [str(p) for p in (*found.problems, *found.mismatches)]


def test_the_format_is_asked_about_the_suspects_it_is_given(tmp_path: Path, fmt: str) -> None:
    _, book = book_of(tmp_path, lambda b: b["Villkor 3"].__setitem__(f"B{RIKET + 2}", "=30+9"), fmt)
    grid = book.grid("Villkor 3")
    header = grid.find_header()
    assert header is not None
    cell = (RIKET + 1, 1)  # B27, counted from 0
    assert read_villkor(grid, header).findings.suspects == frozenset({cell})
    uncalculated = [Problem("Villkor 3", f"B{RIKET + 2}", UNCACHED_FORMULA)]
    assert (
        book.uncalculated({"Befolkning": frozenset(), "Villkor 3": frozenset({cell})}, False) == uncalculated
    )
    assert book.uncalculated({"Befolkning": frozenset(), "Villkor 3": frozenset()}, False) == []
    assert book.uncalculated({"Villkor 3": frozenset()}, True) == uncalculated  # rejected: every formula
    assert book.uncalculated({"Villkor 1": frozenset()}, True) == []  # on the sheets read only


def test_the_findings_of_two_readings_of_a_sheet_add_up_in_order() -> None:
    first = Findings(
        (Problem("B", "B1", "a"),), (Problem("B", "B9", "m"),), ("B!A1: n",), frozenset({(0, 0)})
    )
    second = Findings((Problem("B", "B2", "b"),), (), ("B!A2: o",), frozenset({(1, 1)}))
    assert first + second == Findings(
        (Problem("B", "B1", "a"), Problem("B", "B2", "b")),
        (Problem("B", "B9", "m"),),
        ("B!A1: n", "B!A2: o"),
        frozenset({(0, 0), (1, 1)}),
    )
