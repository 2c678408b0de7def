"""What stands below a villkor sheet's RIKET row: fixed sums, sum rows, breakdowns and notes, in the
sheet's order.

A row whose amount is everything above it is a sum row whatever its label; a row labelled as a sum must
add up (to everything above it, or to the fixed sums above it); a row headed "varav …" is part of the
one before it; a fixed sum to a body the program does not know is paid only in plain sight. Hidden
rows are never read into the villkor: their numbers are listed as not used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..formats import did_you_mean
from ..model import MKR_TOLERANCE, Gap, Line, NationalSum, Note, SumLine
from ..words import bodies, regions
from ..words.swedish import format_mkr, is_number, looks_dotted, looks_numeric, show_number
from ..words.vocabulary import claims_total, is_total_label
from .accounting import Ledger
from .amounts import Money, Scale, Share, agrees_as_typed, cell_amount, implausible
from .findings import SheetCheck
from .grid import cell_name, not_a_number, text
from .units import MKR, is_breakdown, quantity

YEARS = range(1990, 2101)  # a whole number in a note row that is a year, not an amount


@dataclass(frozen=True)
class _Amount:
    col: int
    money: Money

    @property
    def mkr(self) -> float:
        return self.money.mkr


@dataclass(frozen=True)
class _Figure:
    """A number in a row that is no money: a share or a year."""

    col: int
    value: float
    unit: str
    shown: str


def _below_the_sum(item: NationalSum, sum_row: int) -> str:
    return (
        f"'{item.name}' ({format_mkr(item.amount)}) står under summaraden (rad {sum_row + 1}) och ingår "
        "inte i den – flytta raden ovanför summan, eller skriv talet i samma cell som texten om raden är "
        "en anteckning"
    )


def _below_an_empty_sum(item: NationalSum, sum_row: int) -> str:
    return (
        f"'{item.name}' ({format_mkr(item.amount)}) står under summaraden på rad {sum_row + 1}, som saknar "
        "belopp – ingår beloppet i villkoret? Flytta raden ovanför summan, eller skriv summan under "
        "beloppen"
    )


def _unknown_body(name: str, amount: float, near: str | None) -> str:
    tip = f" Menade du '{near}'?" if near else " Är raden en anteckning, skriv talet i textcellen."
    return (
        f"'{name}' får {format_mkr(amount)} Mkr som fast belopp men är ingen känd nationell mottagare.{tip}"
    )


def _split_named_amount(value: str) -> tuple[str, Money] | None:
    """ "SUMMA 11 MSEK", "SKR 39 Mkr": a sum label or a known body and an amount with its unit in one
    cell. Any other text that mentions an amount is a note."""
    words = value.split()
    for k in range(len(words) - 1, 0, -1):
        name, rest = " ".join(words[:k]), " ".join(words[k:])
        typed = quantity(rest)
        if typed is None or typed.unit is None:
            continue
        if is_total_label(name) or bodies.known(name) is not None:
            return name, Money(typed.value, typed.unit.to_mkr(typed.value), typed.unit, True)
    return None


class BelowRiket:
    """The rows below RIKET: fixed sums to national bodies, sum rows, notes, in the sheet's order; what
    is wrong with them goes on the sheet's `check`."""

    def __init__(
        self,
        check: SheetCheck,
        riket_row: int,
        pot_total: float | None,
        by_column: dict[int, float],
        *,
        skip_lan: bool,
        ledger: Ledger | None = None,
        scales: dict[int, Scale] | None = None,
        ignored: frozenset[int] = frozenset(),
        sheet_scale: Scale | None = None,
        lan_share: Callable[[str], float | None] | None = None,
        as_notes: frozenset[int] = frozenset(),
    ) -> None:
        self.check = check
        self.grid = check.grid
        self.riket_row = riket_row
        self.pot_total = pot_total
        self.by_column = dict(by_column)
        self.skip_lan = skip_lan
        self.ledger = ledger or Ledger(check.grid.title)
        self.scales = scales or {}
        self.ignored = ignored
        self.sheet_scale = sheet_scale or Scale()
        self.lan_share = lan_share or (lambda name: None)
        self.as_notes = as_notes  # rows the agreement's total settled as notes: their amounts not paid
        self.national: list[NationalSum] = []
        self.lines: list[Line] = []
        self.rows_of: dict[str, int] = {}
        self.last_sum_row: int | None = None
        self.empty_sum_row: int | None = None  # a row labelled SUMMA with no amount
        self.since_sum: float = 0.0  # the fixed sums since the last sum row
        self.after_sum: list[tuple[int, int, NationalSum]] = []
        self.parts: dict[int, float] = {}  # row of a fixed sum (or RIKET) -> its breakdowns so far
        self.refused_above = False  # a refused amount leaves the sums below unknowable

    def refuse(self, row: int, col: int, message: str) -> None:
        self.check.problem(row, col, message)
        self.refused_above = True

    @property
    def running_total(self) -> float | None:
        if self.pot_total is None or self.refused_above:
            return None
        return self.pot_total + sum(item.amount for item in self.national)

    def read(self) -> None:
        previous = self.riket_row
        in_lan_block = self.skip_lan
        for r in self.grid.rows_after(self.riket_row):
            mark = "är dold" if self.grid.row_hidden(r) else self.grid.row_mark(r)
            if mark is not None:
                self._set_aside_row(r, mark)
                continue
            texts, amounts, figures = self._row(r)
            if not texts and not amounts and not figures:
                continue
            if in_lan_block and texts and (lan := regions.match(texts[0][1])) is not None:
                self._lan_figures(r, lan, amounts)
                previous = r
                continue
            in_lan_block = False
            if r > previous + 1 and self.lines and not isinstance(self.lines[-1], Gap):
                self.lines.append(Gap())
            previous = r
            self._classify(r, texts, amounts, figures)
        while self.lines and isinstance(self.lines[-1], Gap):
            self.lines.pop()
        self._ask_about_valueless_rows()
        if self.last_sum_row is not None:
            for r, col, item in self.after_sum:
                self.check.problem(r, col, _below_the_sum(item, self.last_sum_row))
        elif self.empty_sum_row is not None:
            for r, col, item in self.after_sum:
                self.check.problem(r, col, _below_an_empty_sum(item, self.empty_sum_row))

    def _ask_about_valueless_rows(self) -> None:
        """Stored cells without a value in rows of their own below RIKET: formulas nobody calculated?"""
        for r, cols in self.grid.valueless.items():
            if r > self.riket_row and r not in self.grid.rows:
                for c in cols:
                    self.check.used(r, c, None)

    def _scale(self, col: int) -> Scale:
        return self.scales.get(col, self.sheet_scale)

    def _set_aside_row(self, r: int, state: str) -> None:
        """A row hidden or struck through: its numbers are listed, not counted; money among them is a
        guess the agreement's total settles."""
        label = next((text(v) for _, v in self.grid.cells(r) if isinstance(v, str)), f"rad {r + 1}")
        for c, _ in self.grid.cells(r):
            amount = cell_amount(self.grid, r, c, self._scale(c))
            if amount is None:
                continue
            unit = "andel" if isinstance(amount, Share) else amount.unit.name
            money = isinstance(amount, Money)
            why = f"raden '{label}' {state}"
            guess = f"{why} – dess tal {show_number(amount.value)} räknas inte" if money else None
            self.ledger.unused(cell_name(r, c), label, amount.value, unit, why, money=money, guess=guess)
            if money:
                self.check.notice(r, c, f"{why}; talet {show_number(amount.value)} {unit} räknas inte")

    def _row(self, r: int) -> tuple[list[tuple[int, str]], list[_Amount], list[_Figure]]:
        """A row's texts, amounts and other figures by column; refuses numbers that are none."""
        grid, check = self.grid, self.check
        texts: list[tuple[int, str]] = []
        amounts: list[_Amount] = []
        figures: list[_Figure] = []
        for c, value in grid.cells(r):
            if check.error_value(r, c) or c in self.ignored:  # an error anywhere in the row is refused
                continue
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if looks_dotted(value) or ((numeric or looks_numeric(value)) and not is_number(value)):
                self.refuse(r, c, not_a_number(value))
                continue
            if isinstance(value, str) and not texts and (named := _split_named_amount(value.strip())):
                texts.append((c, named[0]))
                amounts.append(_Amount(c, named[1]))
                continue
            amount = cell_amount(grid, r, c, self._scale(c))
            if amount is None:
                texts.append((c, text(value)))
                continue
            if isinstance(amount, Share):
                shown = f"{show_number(round(amount.value * 100, 6))} %"
                figures.append(_Figure(c, amount.value, "andel", shown))
                continue
            check.used(r, c, amount.value)
            amounts.append(_Amount(c, amount))
        for c in grid.valueless_in(r):  # an amount cell that holds a formula nobody calculated looks empty
            if texts and c > texts[0][0]:
                check.used(r, c, None)
        return texts, amounts, figures

    def _years(self, texts: list[tuple[int, str]], amounts: list[_Amount]) -> list[_Figure]:
        """Whole numbers of the years 1990–2100 in a row that names no known body: years, not money.
        Only in Mkr, where such a sum would be two whole agreements: 2 000 under a heading in tkr is
        2 Mkr, an amount like any other."""
        if not texts or bodies.known(texts[0][1]) is not None or claims_total(texts[0][1]):
            return []
        return [
            _Figure(a.col, a.money.value, "år", str(int(a.money.value)))
            for a in amounts
            if not a.money.own_unit
            and a.money.unit is MKR
            and a.money.value.is_integer()
            and int(a.money.value) in YEARS
        ]

    def _classify(
        self, r: int, texts: list[tuple[int, str]], amounts: list[_Amount], figures: list[_Figure]
    ) -> None:
        if r in self.as_notes and amounts:
            self._settled_note(r, texts, amounts, figures)
            return
        years = self._years(texts, amounts)
        if years:
            amounts = [a for a in amounts if a.col not in {y.col for y in years}]
            figures = sorted([*figures, *years], key=lambda f: f.col)
        if not texts and amounts:
            self.refuse(r, amounts[0].col, "beloppet saknar namn")
            return
        if not amounts:
            if (unread := self._unread_amount(r, texts)) is not None:
                self.refuse(r, unread[0], unread[1])
                return
            if len(texts) == 1 and is_total_label(texts[0][1]) and not figures:
                self._empty_sum_row(r)
                return
            self._note(r, texts, figures)
            return
        first_col, name = texts[0]
        if is_breakdown(name):
            self._breakdown(r, name, texts, amounts)
            return
        if claims_total(name):
            self._sum_row(r, name, amounts, pure=is_total_label(name))
            return
        if regions.is_riket(name) and len(texts) == 1 and not figures:
            self._repeated_riket(r, first_col, name, amounts)
            return
        if len(texts) > 1 or len(amounts) > 1 or figures:
            self.refuse(r, first_col, "en rad under RIKET ska ha ett namn och ett belopp (eller bara text)")
            return
        amount = amounts[0]
        if regions.match(name) is not None:
            self.refuse(
                r,
                first_col,
                f"'{name}' är ett län och står under RIKET – länens belopp räknas fram, ta bort raden",
            )
            return
        running = self.running_total
        body = bodies.known(name)
        if body is None and running and abs(amount.mkr - running) <= MKR_TOLERANCE:
            message = (
                f"raden '{name}' ({format_mkr(amount.mkr)}) är summan av beloppen ovanför och räknas som "
                "summarad, inte som ett belopp till en mottagare"
            )
            self.check.notice(r, amount.col, message)
            self._sum_row(r, name, amounts, pure=True, guess=message)
            return
        self._fixed_sum(r, first_col, amount, name, body)

    def _repeated_riket(self, r: int, first_col: int, name: str, amounts: list[_Amount]) -> None:
        """A second RIKET row (a copied row, a check line): the pots' row again, verified cell by cell,
        never a recipient; one that differs is refused."""
        first = self.riket_row + 1
        agree = True
        for amount in amounts:
            pot = self.by_column.get(amount.col)
            agrees = pot is not None and agrees_as_typed(amount.mkr, pot)
            self.ledger.verified(
                cell_name(r, amount.col), name, amount.money.value, amount.money.unit.name,
                f"upprepar raden RIKET (rad {first})", expected=pot or 0.0, agrees=agrees, mkr=amount.mkr,
            )  # fmt: skip
            if pot is None:
                self.refuse(
                    r, amount.col, f"raden '{name}' upprepar RIKET men har ett belopp i en kolumn utan pott"
                )
            elif not agrees:
                self.refuse(
                    r, amount.col,
                    f"raden '{name}' upprepar RIKET (rad {first}) men har {format_mkr(amount.mkr)} Mkr där "
                    f"RIKET har {format_mkr(pot)} Mkr – ta bort raden eller rätta beloppet",
                )  # fmt: skip
            agree = agree and agrees
        if agree:
            self.check.notice(
                r,
                first_col,
                f"raden '{name}' upprepar raden RIKET (rad {first}) och räknas inte en gång till",
            )

    def _lan_figures(self, r: int, lan: str, amounts: list[_Amount]) -> None:
        """A län's own amounts in a län block below RIKET: checked against pot × share, never paid."""
        share = self.lan_share(lan)
        for amount in amounts:
            where = cell_name(r, amount.col)
            value, unit = amount.money.value, amount.money.unit.name
            if share is None or self.pot_total is None:
                self.ledger.unused(where, lan, value, unit, "länets belopp räknas fram, används inte")
                continue
            expected = self.pot_total * share
            agrees = agrees_as_typed(amount.mkr, expected)
            self.ledger.verified(
                where, lan, value, unit, "länets belopp: pott × befolkningens andel",
                expected=expected, agrees=agrees, mkr=amount.mkr,
            )  # fmt: skip
            if not agrees:
                self.check.notice(
                    r, amount.col,
                    f"{lan} har {show_number(amount.mkr)} Mkr i indata men beräknas till "
                    f"{format_mkr(expected)} Mkr (pott × befolkningens andel) – resultatet visar det "
                    "beräknade beloppet",
                )  # fmt: skip

    def _unread_amount(self, r: int, texts: list[tuple[int, str]]) -> tuple[int, str] | None:
        """A known body's or a sum's row whose amount is text the program cannot read ("SKR | 39
        mille") or a value that is no number (TRUE, a date): refused, never kept as a note while the
        money vanishes."""
        name = texts[0][1]
        if bodies.known(name) is None and not claims_total(name):
            return None
        for col, value in texts[1:]:
            if not isinstance(self.grid.get(r, col), str) or value[:1].isdigit() or value[:1] in "-+\u2212":
                return col, (
                    f"'{value}' är inget belopp som programmet kan läsa – skriv beloppet till {name} "
                    "som ett tal i Mkr, eller med enheten (Mkr, tkr eller kr)"
                )
        return None

    def _note(self, r: int, texts: list[tuple[int, str]], figures: list[_Figure]) -> None:
        cells = sorted([*texts, *((f.col, f.shown) for f in figures)])
        label = texts[0][1] if texts else f"rad {r + 1}"
        for figure in figures:
            why = "ett år i en anteckning" if figure.unit == "år" else "en andel i en anteckning, inga pengar"
            self.ledger.unused(cell_name(r, figure.col), label, figure.value, figure.unit, why)
        joined = " ".join(t for _, t in cells)
        # A note put together from cells ('+' beside 2,5) that reads as a number once joined would be
        # refused when the result is read again: it says what it is.
        self.lines.append(Note(f"{joined} (anteckning)" if looks_numeric(joined) else joined))

    def _settled_note(
        self, r: int, texts: list[tuple[int, str]], amounts: list[_Amount], figures: list[_Figure]
    ) -> None:
        """A row the agreement's total showed to be no fixed sum: a note, its numbers not paid."""
        label = texts[0][1] if texts else f"rad {r + 1}"
        why = "räknas inte som belopp: överenskommelsens totalbelopp stämmer utan raden"
        for a in amounts:
            self.ledger.unused(cell_name(r, a.col), label, a.money.value, a.money.unit.name, why, money=True)
        shown = [(a.col, show_number(a.money.value)) for a in amounts]
        self._note(r, sorted([*texts, *shown]), figures)

    def _empty_sum_row(self, r: int) -> None:
        """ "SUMMA" with no amount: where the sum goes, not a note that would print a bare "SUMMA" line.
        The result's sum row takes its place unless a sum row with an amount has been read above it; a
        fixed sum below it must be covered by a later sum row with an amount."""
        if self.last_sum_row is not None:
            return
        self.empty_sum_row = r
        self.lines = [line for line in self.lines if not isinstance(line, SumLine)]
        self.lines.append(SumLine())

    def _breakdown(self, r: int, name: str, texts: list[tuple[int, str]], amounts: list[_Amount]) -> None:
        """ "varav Inera AB | 5" under SKR: part of the fixed sum above (or of the pot), not paid."""
        if len(amounts) > 1:
            self.refuse(r, amounts[1].col, "en delrad ('varav …') ska ha ett belopp")
            return
        amount = amounts[0]
        if not self.national and (body := bodies.mentioned(name)) is not None:
            self.refuse(
                r,
                texts[0][0],
                f"'{name}' ({format_mkr(amount.mkr)} Mkr) är en del av potten men gäller {body} – ska {body} "
                f"ha beloppet, skriv det som en egen rad ({body} | belopp) och potten utan det; annars "
                "ta bort raden",
            )
            return
        if self.national:
            parent_row, parent_name = (
                self.rows_of[regions.fold(self.national[-1].name)],
                self.national[-1].name,
            )
            whole = self.national[-1].amount
        else:
            parent_row, parent_name, whole = self.riket_row, "potten", self.pot_total or 0.0
        self.parts[parent_row] = self.parts.get(parent_row, 0.0) + amount.mkr
        agrees = amount.mkr >= 0 and self.parts[parent_row] <= whole + MKR_TOLERANCE
        where = cell_name(r, amount.col)
        self.ledger.verified(
            where, name, amount.money.value, amount.money.unit.name,
            f"del av {parent_name} (rad {parent_row + 1}), betalas inte ut för sig",
            expected=whole, agrees=agrees, mkr=amount.mkr,
        )  # fmt: skip
        if not agrees:
            self.refuse(
                r,
                amount.col,
                f"'{name}' ({format_mkr(amount.mkr)} Mkr) är större än {parent_name} "
                f"({format_mkr(whole)} Mkr) som den är en del av",
            )
            return
        self.check.notice(
            r,
            amount.col,
            f"'{name}' ({format_mkr(amount.mkr)} Mkr) är en del av {parent_name} och betalas inte ut för sig",
        )
        shown = f"{show_number(amount.money.value)} {amount.money.unit.name}"
        self.lines.append(Note(" ".join([*(t for _, t in texts), shown])))

    def _sum_row(
        self, r: int, name: str, amounts: list[_Amount], *, pure: bool, guess: str | None = None
    ) -> None:
        running = self.running_total
        full = False
        for amount in amounts:
            where = cell_name(r, amount.col)
            value, unit = amount.money.value, amount.money.unit.name
            if running is None:
                self.ledger.unused(where, name, value, unit, "summarad som inte kunde kontrolleras")
                continue
            in_column = self.by_column.get(amount.col)
            if abs(amount.mkr - running) <= MKR_TOLERANCE or (
                in_column is not None and abs(amount.mkr - in_column) <= MKR_TOLERANCE
            ):
                expected = running if abs(amount.mkr - running) <= MKR_TOLERANCE else in_column
                self.ledger.verified(
                    where, name, value, unit, "summarad: RIKET plus de fasta beloppen ovanför",
                    expected=expected or 0.0, agrees=True, mkr=amount.mkr, guess=guess,
                )  # fmt: skip
                full = True
                continue
            subtotals = {
                "de fasta beloppen ovanför": running - (self.pot_total or 0.0),
                "de fasta beloppen sedan förra summaraden": self.since_sum,
            }
            matched = next(
                (
                    what
                    for what, total in subtotals.items()
                    if total and abs(amount.mkr - total) <= MKR_TOLERANCE
                ),
                None,
            )
            if matched is not None and not pure:
                self.ledger.verified(
                    where, name, value, unit, f"delsumma: {matched}",
                    expected=subtotals[matched], agrees=True, mkr=amount.mkr,
                )  # fmt: skip
                self.check.notice(
                    r, amount.col,
                    f"'{name}' ({format_mkr(amount.mkr)}) är summan av {matched} "
                    "och räknas inte som en mottagare",
                )  # fmt: skip
                self.lines.append(Note(f"{name} {show_number(value)} {unit}".strip()))
                continue
            message = (
                f"'{name}' är {format_mkr(amount.mkr)} men RIKET plus de fasta beloppen ovanför är "
                f"{format_mkr(running)} (skillnad {format_mkr(amount.mkr - running)})"
            )
            self.ledger.verified(
                where, name, value, unit, "summarad: RIKET plus de fasta beloppen ovanför",
                expected=running, agrees=False, mkr=amount.mkr,
            )  # fmt: skip
            self.check.mismatch(r, amount.col, message, amount.money.value)
            full = True
        if running is None or not full:
            return
        self.last_sum_row = r
        self.since_sum = 0.0
        self.after_sum.clear()
        self.lines = [line for line in self.lines if not isinstance(line, SumLine)]
        self.lines.append(SumLine())

    def _fixed_sum(self, r: int, first_col: int, amount: _Amount, name: str, body: str | None) -> None:
        check, col = self.check, amount.col
        if amount.mkr < 0:
            self.refuse(r, col, f"beloppet till {name} kan inte vara negativt")
            return
        if (reason := implausible(amount.money, f"beloppet till {name},")) is not None:
            self.refuse(r, col, reason)
            return
        guess = amount.money.doubt
        if body is None:
            near = bodies.closest(name)
            if near is not None and near[1] >= bodies.CERTAIN_MISSPELLING:
                self.refuse(r, first_col, f"okänd mottagare '{name}'{did_you_mean(near[0])}")
                return
            guess = _unknown_body(name, amount.mkr, near[0] if near else None)
            check.notice(r, col, guess)
            body = name
        elif (why := bodies.renamed(name)) is not None:
            check.notice(r, first_col, why)
        elif regions.fold(body) != regions.fold(name):
            check.notice(r, first_col, f"'{name}' räknas som {body}")
        if amount.money.doubt is not None:
            check.notice(r, col, amount.money.doubt)
        if amount.money.unit is not MKR:
            check.notice(
                r, col,
                f"{show_number(amount.money.value)} {amount.money.unit.name} till {body} räknas som "
                f"{format_mkr(amount.mkr)} Mkr",
            )  # fmt: skip
        key = regions.fold(body)
        if key in self.rows_of:
            self.refuse(r, first_col, f"{body} förekommer redan på rad {self.rows_of[key] + 1}")
            return
        self.rows_of[key] = r
        item = NationalSum(body, amount.mkr)
        self.ledger.used(
            cell_name(r, col), name, amount.money.value, amount.money.unit.name, f"fast belopp till {body}",
            mkr=amount.mkr, guess=guess, drop_row=r if guess is not None else None,
        )  # fmt: skip
        self.national.append(item)
        self.lines.append(item)
        self.since_sum += amount.mkr
        self.by_column[col] = self.by_column.get(col, 0.0) + amount.mkr
        if self.last_sum_row is not None or self.empty_sum_row is not None:
            self.after_sum.append((r, col, item))
