"""The blank input template: committed, reproducible, and rejected until filled in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import InputRejected, convert, read_workbook, write_template
from sjukmiljard.template import template_bytes

from .conftest import POPULATION, ROOT


def test_committed_template_is_what_the_command_writes(tmp_path: Path) -> None:
    written = write_template(tmp_path / "mall.xlsx")
    assert written.read_bytes() == (ROOT / "templates" / "indata-mall.xlsx").read_bytes()
    assert template_bytes() == template_bytes()


def test_blank_template_is_rejected_with_what_to_fill_in(tmp_path: Path) -> None:
    with pytest.raises(InputRejected) as caught:
        read_workbook(write_template(tmp_path / "mall.xlsx"))
    messages = [str(p) for p in caught.value.problems]
    assert (
        "Befolkning!B1: referensdatum saknas – skriv befolkningens datum här (t.ex. 2019-11-01) "
        "eller i rubriken ovanför tabellen ('Befolkning 1/11 2019')" in messages
    )
    assert "Befolkning!B4: antal personer för Stockholms län saknas" in messages
    assert "Villkor 1!B25: potten 'Pot belopp, Mkr' i raden RIKET saknas" in messages


def test_filled_template_converts(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_template(tmp_path / "mall.xlsx"))
    ws = book["Befolkning"]
    ws["B1"] = dt.datetime(2019, 11, 1)
    for row in range(4, 25):
        ws.cell(row, 2, POPULATION[ws.cell(row, 1).value])
    ws["B25"] = sum(POPULATION.values())  # as Excel would have recalculated it
    book["Villkor 1"]["A1"] = "Ledning och styrning i försäkringsmedicin"
    book["Villkor 1"]["B25"] = 100
    book.save(tmp_path / "ifylld.xlsx")
    report = convert(tmp_path / "ifylld.xlsx", tmp_path / "resultat.xlsx")
    assert report.indata.population.date == dt.date(2019, 11, 1)
    assert report.notices == ()
    assert round(report.allocation.summary.loc["Stockholms län", "Villkor 1"], 3) == 23.010
