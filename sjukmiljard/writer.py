"""Writing the result workbook in the published layout, with live formulas and cached values.

One module per sheet kind lives in `result/`; this module puts them together.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import xlsxwriter

from .allocation import Allocation
from .model import Indata
from .result.population import write_population
from .result.style import Formats
from .result.summary import write_summary
from .result.villkor import write_villkor

if TYPE_CHECKING:  # imported by the runs that write these sheets
    from .compare import Comparison
    from .payout import Payout

INPUT_SHA256 = "Indata SHA-256"  # the document property with the input's checksum

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
    fmt = Formats(book)
    population = indata.population
    book.set_properties(
        {
            "title": "Sjukskrivningsmiljarden – fördelning per län",
            "subject": f"Potentiellt belopp per villkor, befolkning {population.date_text}",
            "author": "sjukmiljard",
            "comments": (
                f"Beräknad av sjukmiljard {provenance.version} från {provenance.input_name} "
                f"(SHA-256 {provenance.input_sha256}), befolkning {population.date_text}."
            ),
            "created": dt.datetime.combine(population.date, dt.time()),
        }
    )
    book.set_custom_property("Indatafil", provenance.input_name)
    book.set_custom_property(INPUT_SHA256, provenance.input_sha256)
    book.set_custom_property("Befolkningsdatum", population.date.isoformat())
    book.set_custom_property("Befolkningskälla", population.source)
    book.set_custom_property("Programversion", provenance.version)
    write_population(book, fmt, indata, alloc, values_only)
    placed = [
        write_villkor(book, fmt, v, frame, values_only)
        for v, frame in zip(indata.villkor, alloc.villkor, strict=True)
    ]
    summary = write_summary(book, fmt, indata, alloc, placed, values_only)
    summary.activate()
    if indata.utfall is not None and payout is not None:
        from .result.payout import write_payments, write_utfall

        write_utfall(book, fmt, indata.utfall)
        write_payments(book, fmt, indata, payout, values_only)
    if comparison is not None:
        from .result.changes import write_changes

        write_changes(book, fmt, comparison, [v.name for v in indata.villkor], values_only)
    book.close()
    return buffer.getvalue()
