"""The builders of the corpus files: each workbook built in code from a base and a small edit.

`uv run python -m tests.fuzz --write-corpus` rewrites every file that has a builder here; the manifest
(what each file covers and must give) is kept by hand.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from sjukmiljard.words.regions import NAMES

from ..conftest import SAMPLE_2020
from .book import Book, ErrorCell, Formula, Sheet, Value, base, to_xlsx, unzip, zip_bytes
from .damage import apply_bytes, billion_laughs, with_doctype
from .layout import put
from .mutations import Op, apply_op


def _edited(base_name: str, edit: Callable[[Book], object]) -> bytes:
    book = base(base_name)
    edit(book)
    return to_xlsx(book)


def _small(edit: Callable[[Book], object]) -> bytes:
    return _edited("small", edit)


def _huge_pots(book: Book) -> None:
    put(_sheet(book, "Villkor 3"), 24, 1, 1e308)
    put(_sheet(book, "Villkor 3"), 24, 2, 1e308)


def _sheet(book: Book, title: str) -> Sheet:
    return next(s for s in book if s.title == title)


def _ops(base_name: str, *ops: Op) -> bytes:
    book = base(base_name)
    for op in ops:
        apply_op(book, op)
    return to_xlsx(book)


def _patch(data: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    parts = unzip(data)
    parts[part] = edit(parts[part])
    return zip_bytes(parts)


def _no_riket(book: Book) -> None:
    pop = _sheet(book, "Befolkning")
    del pop.rows[4 + len(NAMES) - 1]


def _persons_too_large(book: Book) -> None:
    _no_riket(book)
    put(_sheet(book, "Befolkning"), 3, 1, 10**20)


def _persons_wrap(book: Book) -> None:
    _no_riket(book)
    put(_sheet(book, "Befolkning"), 3, 1, 2**62)
    put(_sheet(book, "Befolkning"), 4, 1, 2**62)


def _case_duplicate(book: Book) -> None:
    copy_ = copy.deepcopy(_sheet(book, "Villkor 1"))
    copy_.title = "VILLKOR 1"
    book.append(copy_)


def _villkor_named_befolkning(book: Book) -> None:
    copy_ = copy.deepcopy(_sheet(book, "Villkor 1"))
    copy_.title = "BEFOLKNING"
    book.insert(0, copy_)


def _far_cell_bytes() -> bytes:
    data = to_xlsx(base("small"))
    return _patch(
        data,
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace(
            b"</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>Långt bort</t></is></c></row>'
            "</sheetData>".encode(),
        ),
    )


def _injections(book: Book) -> None:
    v1, v3 = _sheet(book, "Villkor 1"), _sheet(book, "Villkor 3")
    v1.rows[0][0] = '=HYPERLINK("http://evil.example/","Klicka här")'
    v3.rows[0][0] = "@SUM(A1:A9)"
    v1.rows.append([])
    v1.rows.append(["=cmd|' /C calc'!A0"])
    v1.rows.append(["+46 8 123 45 67 hemligt"])
    v1.rows.append(["-2+3+cmd|' /C calc'!A0"])
    v1.rows.append(["http://evil.example/"])
    _sheet(book, "Villkor 1").rows[27][0] = "=Statens institut"  # an unknown body: paid with an Obs
    _sheet(book, "Villkor 3").rows[26][0] = "-SKR"
    # Unknown bodies are paid only where the agreement's total settles it (issue 15).
    put(_sheet(book, "Befolkning"), 1, 0, "Överenskommelsens totalbelopp, Mkr")
    put(_sheet(book, "Befolkning"), 1, 1, 690.2)


def _injection_sheet_names(book: Book) -> None:
    _sheet(book, "Villkor 1").title = "=1+1"
    _sheet(book, "Villkor 3").title = "@Villkor"


def _sample_swedish_text(book: Book) -> None:
    for op in (
        ("textify", 1, 24, 1, 1, True),
        ("textify", 4, 24, 1, 3, True),
        ("swap_rows", 0, 3, 20),
        ("lan_alias", 2, 0),
        ("lan_alias", 5, 3),
        ("date_form", 3),
    ):
        assert apply_op(book, op)


def _formula_with_cache(book: Book) -> None:
    put(_sheet(book, "Villkor 1"), 24, 1, Formula("50+50", 100))
    put(_sheet(book, "Befolkning"), 0, 0, Formula('"Befolkning 1/11 2019"', "Befolkning 1/11 2019"))


def _merged_title_hidden_notes(book: Book) -> None:
    _sheet(book, "Villkor 3").merges.append("A1:D1")
    book.append(Sheet("Gammalt", copy.deepcopy(_sheet(book, "Villkor 1").rows), state="hidden"))
    book.append(Sheet("Anteckningar", [["Inget villkor här"]]))
    # A hidden villkor is a doubt: the agreement total, which agrees without it, sets it aside.
    put(_sheet(book, "Befolkning"), 1, 0, "Överenskommelsens totalbelopp, Mkr")
    put(_sheet(book, "Befolkning"), 1, 1, 690.2)


BUILDERS: dict[str, Callable[[], bytes]] = {
    "ok-injection-title-note-body.xlsx": lambda: _small(_injections),
    "ok-injection-sheet-names.xlsx": lambda: _small(_injection_sheet_names),
    "ok-injection-values-only.xlsx": lambda: _small(_injections),
    "ok-sample-swedish-text-swapped-aliases.xlsx": lambda: _edited("sample", _sample_swedish_text),
    "ok-formula-with-cached-value.xlsx": lambda: _small(_formula_with_cache),
    "ok-merged-title-hidden-and-notes-sheets.xlsx": lambda: _small(_merged_title_hidden_notes),
    "ok-check-only.xlsx": lambda: to_xlsx(base("small")),
    "rejected-entity-bomb.xlsx": lambda: _patch(
        to_xlsx(base("small")),
        "xl/sharedStrings.xml",
        lambda x: with_doctype(x, billion_laughs(10), "&lol9;"),
    ),
    "rejected-entity-bomb-in-sheet.xlsx": lambda: _patch(
        to_xlsx(base("small")),
        "xl/worksheets/sheet1.xml",
        lambda x: with_doctype(x, billion_laughs(10), "&lol9;"),
    ),
    "rejected-xxe.xlsx": lambda: _patch(
        to_xlsx(base("small")),
        "xl/sharedStrings.xml",
        lambda x: with_doctype(x, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    ),
    "rejected-xxe-workbook-part.xlsx": lambda: _patch(
        to_xlsx(base("small")),
        "xl/workbook.xml",
        lambda x: with_doctype(x, '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>', "").replace(
            b'name="Villkor 1"', b'name="&xxe;"'
        ),
    ),
    "rejected-zip-bomb.xlsx": lambda: apply_bytes(to_xlsx(base("small")), ("zip_bomb", "entry")),
    "rejected-truncated.xlsx": lambda: apply_bytes(SAMPLE_2020.read_bytes(), ("truncate", 600)),
    "rejected-flipped-bytes.xlsx": lambda: apply_bytes(
        to_xlsx(base("small")), ("flip", [(300, 0x55), (310, 0x01), (320, 0xFF)])
    ),
    "rejected-corrupt-sheet-xml.xlsx": lambda: _patch(
        to_xlsx(base("small")), "xl/worksheets/sheet2.xml", lambda x: x[: len(x) // 2]
    ),
    "rejected-missing-workbook-part.xlsx": lambda: zip_bytes(
        {k: v for k, v in unzip(to_xlsx(base("small"))).items() if k != "xl/workbook.xml"}
    ),
    "rejected-uncached-formula.xlsx": lambda: _small(
        lambda b: put(_sheet(b, "Villkor 1"), 24, 1, Formula("50+50"))
    ),
    "rejected-error-cell.xlsx": lambda: _small(
        lambda b: put(_sheet(b, "Befolkning"), 7, 1, ErrorCell("#DIV/0!"))
    ),
    "rejected-merged-header.xlsx": lambda: _small(lambda b: _sheet(b, "Befolkning").merges.append("A3:B3")),
    "rejected-befolkning-deleted.xlsx": lambda: _small(lambda b: b.pop(0)),
    "rejected-dotted-number.xlsx": lambda: _small(lambda b: put(_sheet(b, "Villkor 3"), 24, 1, "39.000")),
    "rejected-duplicated-lan-row.xlsx": lambda: _ops("small", ("duplicate_row", 0, 5)),
    "rejected-swapped-header-and-data.xlsx": lambda: _ops("small", ("swap_rows", 0, 2, 10)),
    "bug-sheet-name-too-long.xlsx": lambda: _small(
        lambda b: setattr(_sheet(b, "Villkor 1"), "title", "Villkor 1 – ledning och styrning")
    ),
    "bug-sheet-name-apostrophe.xlsx": lambda: _small(
        lambda b: setattr(_sheet(b, "Villkor 1"), "title", "'Villkor 1'")
    ),
    "bug-sheet-name-with-slash.xlsx": lambda: _small(
        lambda b: setattr(_sheet(b, "Villkor 1"), "title", "Villkor 1/2")
    ),
    "bug-sheet-names-differ-in-case.xlsx": lambda: _small(_case_duplicate),
    "bug-sheet-name-empty.xlsx": lambda: _small(lambda b: setattr(_sheet(b, "Villkor 1"), "title", "")),
    "bug-villkor-sheet-named-befolkning.xlsx": lambda: _small(_villkor_named_befolkning),
    "bug-persons-too-large.xlsx": lambda: _small(_persons_too_large),
    "bug-persons-sum-wraps.xlsx": lambda: _small(_persons_wrap),
    "bug-pot-text-infinite.xlsx": lambda: _small(
        lambda b: put(_sheet(b, "Villkor 3"), 24, 1, "1" + "0" * 400)
    ),
    "bug-pots-overflow.xlsx": lambda: _small(_huge_pots),
    "bug-reference-date-year-1.xlsx": lambda: _ops("small", ("date_form", 6)),
    "bug-dotted-amount-becomes-note.xlsx": lambda: _small(
        lambda b: put(_sheet(b, "Villkor 3"), 26, 1, "39.000")
    ),
    "bug-far-cell-hangs.xlsx": _far_cell_bytes,
}


# -- wrong totals the total oracle finds in today's reader (issue 9), and its own contract's gaps --


def _villkor_3_total_row(book: Book) -> None:
    _sheet(book, "Villkor 3").rows.append(["Totalt", 589])


def _villkor_3_heading(col: int, text: str | None) -> Callable[[Book], None]:
    return lambda book: put(_sheet(book, "Villkor 3"), 2, col, text)


def _fixed_sum_above_riket(book: Book) -> None:
    _sheet(book, "Villkor 1").rows.insert(24, ["SKR", 20])


def _skr_amount(value: Value) -> Callable[[Book], None]:
    return lambda book: put(_sheet(book, "Villkor 3"), 26, 1, value)


ISSUE_9_BUILDERS: dict[str, Callable[[], bytes]] = {
    "bug-sum-row-spelt-totalt.xlsx": lambda: _small(_villkor_3_total_row),
    "bug-total-column-headed-totalt-mkr.xlsx": lambda: _small(_villkor_3_heading(3, "Totalt, Mkr")),
    "bug-pot-column-without-heading.xlsx": lambda: _small(_villkor_3_heading(2, None)),
    "bug-fixed-sum-above-riket.xlsx": lambda: _small(_fixed_sum_above_riket),
    "bug-villkor-header-region.xlsx": lambda: _small(lambda b: put(_sheet(b, "Villkor 1"), 2, 0, "Region")),
    "bug-villkor-named-anvisningar.xlsx": lambda: _small(
        lambda b: setattr(_sheet(b, "Villkor 1"), "title", "Anvisningar")
    ),
    "bug-uncached-formula-below-riket.xlsx": lambda: _small(_skr_amount(Formula("30+9"))),
    "bug-infinite-amount-becomes-note.xlsx": lambda: _small(_skr_amount("1" + "0" * 400)),
    "bug-dotted-amount-with-comma-becomes-note.xlsx": lambda: _small(_skr_amount("1,234.5")),
}
BUILDERS.update(ISSUE_9_BUILDERS)

# -- issue 15 point 9: reader and result faults a review reproduced --

BUILDERS["bug-villkor-named-totalt.xlsx"] = lambda: _small(
    lambda b: setattr(_sheet(b, "Villkor 1"), "title", "TOTALT")
)

# -- fuzz runs of 2026-12-03 (seed 3162228574): a label-only SUMMA row --

BUILDERS["bug-empty-summa-above-a-body.xlsx"] = lambda: _ops("small", ("set_text", 1, 25, 0, "SUMMA"))
BUILDERS["ok-summa-as-the-riket-row.xlsx"] = lambda: _ops("small", ("set_text", 1, 24, 0, "SUMMA"))

# -- seed 891841052: a number far beyond the table's first empty column --

BUILDERS["ok-number-beyond-the-table.xlsx"] = lambda: _ops(
    "sample", ("far_cell", 56, 0, 0, "7"), ("set_number", 6, 2, 54, 0)
)

# -- seed 1045115992: the first villkor sheet renamed 'VILLKOR' beside 'Villkor 3' --

BUILDERS["ok-numbered-series-no-copy.xlsx"] = lambda: _ops(
    "small", ("move_sheet", 0, 0), ("rename_sheet", 1, "VILLKOR")
)

# -- seed 742689281: a sheet name of 26 characters that Excel counts as 32 --

BUILDERS["bug-sheet-name-beyond-the-bmp.xlsx"] = lambda: _ops(
    "small", ("rename_sheet", 1, "0" * 20 + "\U00010000" * 6)
)

# -- seed 2587659040: the RIKET row of 'Samordning och stöd' duplicated --

BUILDERS["ok-riket-row-twice.xlsx"] = lambda: _ops("sample", ("duplicate_row", 57, 57))

# -- seed 1685252881: Villkor 1's RIKET pot typed as the text '100 Mkr' --

BUILDERS["ok-pot-typed-with-its-unit.xlsx"] = lambda: _ops("small", ("textify", 1, 24, 1, 2, False))

# -- seed 893951855: a copy of Befolkning named 'Utfall' and hidden --

BUILDERS["ok-hidden-utfall-listed.xlsx"] = lambda: _ops(
    "small", ("add_sheet", "population", "Utfall"), ("set_state", 3, "hidden")
)

# -- seed 2071598498: a row to a recipient named as a formula, which the agreement total leaves out --

BUILDERS["ok-unknown-recipient-settled-as-a-note.xlsx"] = lambda: _ops(
    "sample", ("inject", "body", 1, '=HYPERLINK("http://evil.example/","Klicka här")')
)

# -- seed 3575768834: a flipped byte in a zip header asks for zip version 8.4 --

BUILDERS["rejected-zip-version-unknown.xlsx"] = lambda: apply_bytes(
    _ops("small", ("date_form", 2)), ("flip", [(905, 64)])
)

# -- seed 3151042291: an unheaded 1 on Villkor 2's RIKET row, which the agreement total sets aside --

BUILDERS["ok-unheaded-pot-set-aside-by-the-total.xlsx"] = lambda: _ops("sample", ("set_number", 2, 54, 8, 1))

# -- seed 4276469175: an error value below RIKET in a column that holds text only --------------------

BUILDERS["rejected-error-below-riket-in-a-text-column.xlsx"] = lambda: _ops(
    "small", ("set_text", 38, 3, 24, "Län"), ("set_error", 2, 26, 46, "#REF!")
)

# -- seed 2585185785: a copy of Befolkning whose Personer heading is blank, known by its figures -------

BUILDERS["ok-population-copy-without-its-heading.xlsx"] = lambda: _ops(
    "small", ("add_sheet", "population", "Villkor 9"), ("blank_cell", 3, 2, 1)
)

# -- seed 736528402: a row '+ | 2,5' that the agreement total reads as a note ---------------------------

BUILDERS["ok-sign-row-settled-as-a-note-roundtrip.xlsx"] = lambda: _ops("sample", ("inject", "body", 1, "+"))
