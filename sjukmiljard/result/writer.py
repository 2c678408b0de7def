"""Writing the result workbook in the published layout, with live formulas and cached values.

One module per sheet kind lives in `result/`; this module puts them together.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import xlsxwriter

from ..allocate.shares import Allocation
from ..errors import Problem
from ..formats import MAX_SHEETS, MAX_TEXT_CHARS, thousands
from ..model import Indata
from ..words.vocabulary import (
    INPUT_SHA256_PROPERTY,
    POPULATION_SHEET,
    PROGRAM_VERSION_PROPERTY,
    RESULT_AUTHOR,
)
from .population import write_population
from .style import Footer, Formats
from .summary import write_summary
from .villkor import write_villkor

if TYPE_CHECKING:  # imported by the runs that write these sheets
    from ..allocate.payout import Payout
    from ..read.previous import Comparison

MAX_POTS = 16_384 - 2  # a villkor sheet's columns: Län, the pots, TOTALT (Excel's last column is XFD)
# The result must stay a valid input: its sheets (the villkor and at most eight of its own) within
# the reader's limit.
MAX_VILLKOR = MAX_SHEETS - 8
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


@dataclass(frozen=True)
class Provenance:
    """What the result records about where it came from (document properties)."""

    input_name: str
    input_sha256: str
    version: str


def unwritable(indata: Indata) -> list[Problem]:
    """What the result could not hold as the input has it: xlsxwriter would cut a longer text to
    Excel's 32 767 characters, and formulas past the last column would refer to no cell. Such an
    input is refused, never written less than faithfully."""
    problems = []
    if len(indata.villkor) > MAX_VILLKOR:
        message = (
            f"arbetsboken har {thousands(len(indata.villkor))} villkorsblad, fler än de "
            f"{thousands(MAX_VILLKOR)} som ryms i ett resultat som går att läsa in igen – dela upp den "
            "på två arbetsböcker"
        )
        problems.append(Problem(None, None, message))
    for villkor in indata.villkor:
        if len(villkor.pots) > MAX_POTS:
            message = (
                f"villkoret har {thousands(len(villkor.pots))} pottkolumner, fler än de "
                f"{thousands(MAX_POTS)} som ryms bredvid Län och TOTALT i ett blad i Excel – dela upp "
                "villkoret på flera blad"
            )
            problems.append(Problem(villkor.name, None, message))
        texts = [
            ("rubriken", villkor.title or ""),
            *(("en anteckning", note) for note in villkor.notes),
            *(("en pottrubrik", pot.label) for pot in villkor.pots),
            *(("ett mottagarnamn", item.name) for item in villkor.national),
        ]
        for what, text in texts:
            if len(text) > MAX_TEXT_CHARS:
                message = (
                    f"{what} har {thousands(len(text))} tecken, fler än de {thousands(MAX_TEXT_CHARS)} en "
                    f'cell i Excel rymmer (den börjar "{text[:30]}…") – korta den eller dela upp den på '
                    "flera rader"
                )
                problems.append(Problem(villkor.name, None, message))
    return problems


def write_result(
    indata: Indata,
    alloc: Allocation,
    provenance: Provenance,
    *,
    values_only: bool = False,
    comparison: Comparison | None = None,
    payout: Payout | None = None,
) -> bytes:
    """The result workbook as bytes: the same input gives the same bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    population = indata.population
    fmt = Formats(book, Footer(provenance.input_name, _population_line(indata), provenance.version))
    paid = indata.utfall is not None and payout is not None
    book.set_properties(
        {
            "title": "Sjukskrivningsmiljarden – fördelning per län" + (" och utbetalning" if paid else ""),
            "subject": (
                "Potentiellt belopp per villkor"
                + (" och utbetalning i kronor enligt utfall" if paid else "")
                + f", befolkning {population.date_text}"
            ),
            "author": RESULT_AUTHOR,
            "comments": (
                f"Beräknad av sjukmiljard {provenance.version} från {provenance.input_name} "
                f"(SHA-256 {provenance.input_sha256}), befolkning {population.date_text}."
            ),
            "created": dt.datetime.combine(population.date, dt.time()),
        }
    )
    book.set_custom_property("Indatafil", provenance.input_name)
    book.set_custom_property(INPUT_SHA256_PROPERTY, provenance.input_sha256)
    book.set_custom_property("Befolkningsdatum", population.date.isoformat())
    book.set_custom_property("Befolkningskälla", population.source)
    book.set_custom_property(PROGRAM_VERSION_PROPERTY, provenance.version)
    write_population(book, fmt, indata, alloc, values_only)
    placed = [
        write_villkor(book, fmt, v, frame, values_only)
        for v, frame in zip(indata.villkor, alloc.villkor, strict=True)
    ]
    summary = write_summary(book, fmt, indata, alloc, placed, values_only)
    summary.activate()
    if indata.utfall is not None and payout is not None:
        from .payout import write_payments, write_utfall

        utfall_cells = write_utfall(book, fmt, indata.utfall)
        write_payments(book, fmt, indata, payout, placed, utfall_cells, values_only)
    if comparison is not None:
        from .changes import write_changes

        write_changes(book, fmt, comparison, [v.name for v in indata.villkor], values_only)
    if indata.receipt:
        from .receipt import write_receipt

        order = [POPULATION_SHEET, *(v.name for v in indata.villkor)]
        write_receipt(book, fmt, indata, alloc, placed, values_only, provenance.input_name, order)
    book.close()
    return buffer.getvalue()


def _population_line(indata: Indata) -> str:
    """The population as the footer names it: its date, and the SCB file and month it came from."""
    population = indata.population
    line = f"Befolkning {population.date_text}"
    return f"{line} ({population.source})" if population.source.startswith("SCB") else line
