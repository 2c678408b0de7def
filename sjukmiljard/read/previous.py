"""What changed between a previous result and this one: every figure of the Sammanställning (län,
national bodies, the sums), each villkor's pots, and the population's date and source."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from ..allocate.shares import Allocation
from ..formats import printable
from ..model import MKR_TOLERANCE, Indata, Population
from ..words.regions import NAMES
from ..words.swedish import format_date, format_mkr
from ..words.vocabulary import (
    FIRST_LAN_ROW,
    HEADER_ROW,
    LAN,
    POPULATION_SHEET,
    RIKET,
    RIKET_ROW,
    SUMMA,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
    TOTAL,
)

COMPARED_WITH = "Jämfört med"  # the document property naming the previous result
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_PART_LIMIT = 1024 * 1024
_SHEET_LIMIT = 64 * 1024 * 1024  # a result's sheet parts are a few hundred KB
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


SCB_SOURCE = "SCB-fil "  # how a population taken from an SCB export names its source
_SCB_MONTH = re.compile(r", (\d{4}M\d{2})$")
DATE_PROPERTY, SOURCE_PROPERTY = "Befolkningsdatum", "Befolkningskälla"
CHANGE_DECIMALS = 9  # a tenth of an öre in Mkr: differences below are float residues, not changes


@dataclass(frozen=True)
class PopulationFacts:
    """Where one result's population came from: its date and source (as the result records them)."""

    date: dt.date
    source: str

    @property
    def month(self) -> str | None:
        """The SCB month ("2019M11") of a population taken from an SCB export, else None."""
        found = _SCB_MONTH.search(self.source) if self.source.startswith(SCB_SOURCE) else None
        return found.group(1) if found else None

    @property
    def day(self) -> dt.date:
        """The day the population counts, in the workbooks' wording: SCB's month M is the end of M,
        which the workbooks call the first of the next month (2019M10 is "1/11 2019")."""
        return self.date + dt.timedelta(days=1) if self.month is not None else self.date

    @property
    def label(self) -> str:
        """The month for an SCB population, else the date: "2019M11", "1/11 2019"."""
        return self.month or format_date(self.date)

    @property
    def file(self) -> str:
        """The SCB file's name, or "" when the population came from a Befolkning sheet."""
        if self.month is None:
            return ""
        return self.source[len(SCB_SOURCE) : -len(f", {self.month}")]

    @staticmethod
    def of(population: Population) -> PopulationFacts:
        return PopulationFacts(population.date, population.source)


@dataclass(frozen=True)
class PotChange:
    """One pot of a villkor (its RIKET amount, Mkr) before and now; None where a result lacks it."""

    villkor: str
    label: str
    previous: float | None
    current: float | None

    @property
    def difference(self) -> float:
        return _rounded((self.current or 0.0) - (self.previous or 0.0))


@dataclass(frozen=True, eq=False)
class Comparison:
    """Previous and new amounts (Mkr) and persons per län, national body and pot.

    Attributes:
        columns: the villkor columns of the Sammanställning compared: the new result's, then any
            only the previous one had.
        previous, current: amounts indexed by län, one column per entry of `columns` (NaN where that
            result has no such column).
        national_previous, national_current: the national bodies' rows the same way (the new
            result's bodies, then any only the previous one had; NaN where a result has none).
        previous_totals, current_totals: each län's TOTALT as that result holds it (the frames hold
            the villkor only: a total is not one of their columns).
        national_previous_totals, national_current_totals: each national body's TOTALT the same way
            (NaN where a result has no such body).
        persons: "Tidigare" and "Nu" per län.
        pots: every pot of every villkor of either result.
        only_current, only_previous: villkor columns that only one of the two results has.
        previous_population, current_population: the two populations' dates and sources.
    """

    previous_name: str
    previous_population: PopulationFacts
    current_population: PopulationFacts
    columns: tuple[str, ...]
    previous: pd.DataFrame
    current: pd.DataFrame
    national_previous: pd.DataFrame
    national_current: pd.DataFrame
    previous_totals: pd.Series
    current_totals: pd.Series
    national_previous_totals: pd.Series
    national_current_totals: pd.Series
    persons: pd.DataFrame
    pots: tuple[PotChange, ...]
    only_current: tuple[str, ...]
    only_previous: tuple[str, ...]
    _changed: tuple[str, ...] | None = field(default=None, repr=False)

    @property
    def previous_date(self) -> str:
        return format_date(self.previous_population.date)

    @property
    def current_date(self) -> str:
        return format_date(self.current_population.date)

    @property
    def difference(self) -> pd.DataFrame:
        """New minus previous; a column one result lacks counts as zero there."""
        return self.current.fillna(0.0) - self.previous.fillna(0.0)

    @property
    def national_difference(self) -> pd.DataFrame:
        return self.national_current.fillna(0.0) - self.national_previous.fillna(0.0)

    @property
    def total_difference(self) -> pd.Series:
        """The change of each län's TOTALT."""
        return self.current_totals.fillna(0.0) - self.previous_totals.fillna(0.0)

    @property
    def national_total_difference(self) -> pd.Series:
        """The change of each national body's TOTALT."""
        return self.national_current_totals.fillna(0.0) - self.national_previous_totals.fillna(0.0)

    @property
    def grand_total_difference(self) -> float:
        """The change of the grand total (län and national bodies, every villkor)."""
        return float(self.total_difference.sum() + self.national_total_difference.sum())

    @property
    def revision(self) -> bool:
        """A new version of the same SCB month: same month, other figures."""
        before, now = self.previous_population, self.current_population
        changed = not self.persons["Tidigare"].equals(self.persons["Nu"])
        return before.month is not None and before.month == now.month and changed

    def changed_columns(self) -> tuple[str, ...]:
        """The villkor columns with any change: a län or a national body."""
        if self._changed is None:
            moved = _moved(self.difference, self.national_difference)
            object.__setattr__(self, "_changed", tuple(c for c in self.columns if bool(moved[c])))
        assert self._changed is not None
        return self._changed

    def total_changed(self) -> bool:
        """Whether any TOTALT changed: a län's or a national body's."""
        return bool(_moved(self.total_difference, self.national_total_difference))

    @property
    def unchanged(self) -> bool:
        """Nothing at all changed: no amount, pot, person, population date or source."""
        return (
            not self.changed_columns()
            and not self.total_changed()
            and all(
                pot.difference == 0 and pot.previous is not None and pot.current is not None
                for pot in self.pots
            )
            and self.persons["Tidigare"].equals(self.persons["Nu"])
            and not self.only_current
            and not self.only_previous
            and self.previous_population == self.current_population
        )

    def summary_line(self) -> str:
        """What changed, in one line for the console."""
        if self.unchanged:
            return f"Förändring: inget har ändrats mot {self.previous_name}"
        total = self.grand_total_difference
        bodies = self.national_total_difference.items()
        parts = [f"{name} {signed_mkr(float(v))}" for name, v in bodies if _rounded(v)]
        lan = [(name, float(v)) for name, v in self.total_difference.items() if _rounded(v)]
        if lan:
            name, largest = max(lan, key=lambda item: abs(item[1]))
            count = f"{len(lan)} län" if len(lan) > 1 else "1 län"
            parts.append(f"{count}, mest {name} {signed_mkr(largest)}")
        text = f"Förändring: TOTALT {signed_mkr(total)} Mkr"
        if parts:
            text += f" ({'; '.join(parts)})"
        before, now = self.previous_population, self.current_population
        if self.revision:
            text += f"; befolkning {now.label} i ny version (revision)"
        elif before.label != now.label:
            text += f"; befolkning {before.label} → {now.label}"
        elif not self.persons["Tidigare"].equals(self.persons["Nu"]):
            text += f"; befolkningen {now.label} med andra tal"
        return text


def _moved(lan: pd.DataFrame | pd.Series, national: pd.DataFrame | pd.Series) -> Any:
    """Per column (or, for Series, at all): whether any difference of the län or the national bodies
    is a change rather than a float residue."""
    both = pd.concat([lan, national]).fillna(0.0)
    return (both.round(CHANGE_DECIMALS) != 0).any(axis=0)


def same_figures(a: Figures, b: Figures) -> bool:
    """Whether two results hold the same figures (to a tenth of an öre: a result written with
    values only rounds its numbers to 16 digits)."""

    def close(x: pd.DataFrame, y: pd.DataFrame) -> bool:
        if list(x.index) != list(y.index) or list(x.columns) != list(y.columns):
            return False
        left, right = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
        return bool(np.array_equal(np.isnan(left), np.isnan(right))) and bool(
            np.allclose(np.nan_to_num(left), np.nan_to_num(right), rtol=0.0, atol=10.0**-CHANGE_DECIMALS)
        )

    return (
        a.persons.tolist() == b.persons.tolist()
        and list(a.persons.index) == list(b.persons.index)
        and close(a.summary, b.summary)
        and close(a.national, b.national)
        and close(a.summary_totals.to_frame(), b.summary_totals.to_frame())
        and close(a.national_totals.to_frame(), b.national_totals.to_frame())
        and [(n, [label for label, _ in p]) for n, p in a.pots]
        == [(n, [label for label, _ in p]) for n, p in b.pots]
        and all(
            abs(x - y) <= 10.0**-CHANGE_DECIMALS
            for (_, p), (_, q) in zip(a.pots, b.pots, strict=True)
            for (_, x), (_, y) in zip(p, q, strict=True)
        )
        and a.population == b.population
    )


def _pot_labels(figures: Figures) -> list[tuple[str, list[str]]]:
    return [(name, [label for label, _ in pots]) for name, pots in figures.pots]


def signed_mkr(value: float) -> str:
    """+2,000 / −0,123 / 0,000: Mkr with three decimals and the sign of the change."""
    rounded = _rounded(value)
    text = format_mkr(abs(rounded))
    if text.strip("0,") == "":
        return text
    return ("+" if rounded > 0 else "−") + text


def _rounded(value: float) -> float:
    return 0.0 if value != value else round(float(value), CHANGE_DECIMALS) + 0.0


@dataclass(frozen=True, eq=False)
class Figures:
    """What a comparison takes from one result: persons, the Sammanställning's län and national rows
    (one column per villkor) and their TOTALT beside them, each villkor's pots (label, Mkr), and the
    population."""

    persons: pd.Series
    summary: pd.DataFrame
    national: pd.DataFrame
    summary_totals: pd.Series
    national_totals: pd.Series
    pots: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    population: PopulationFacts

    @staticmethod
    def of(indata: Indata, allocation: Allocation, population: PopulationFacts | None = None) -> Figures:
        """A result's figures from its input and allocation; `population` is what the result records
        about its population, when known (a result read as an input names only itself as source)."""
        return Figures(
            persons=allocation.population["Personer"],
            summary=allocation.summary,
            national=allocation.national,
            summary_totals=allocation.summary_totals,
            national_totals=allocation.national_totals,
            pots=tuple((v.name, tuple((pot.label, pot.amount) for pot in v.pots)) for v in indata.villkor),
            population=population or PopulationFacts.of(indata.population),
        )


def compare(previous_name: str, before: Figures, now: Figures) -> Comparison:
    """The change from `before` (the result named `previous_name`) to `now`. The name is kept as
    `printable` makes it: besides cells it goes into a document property and the chart's description,
    which the writer's string check does not see, and a name that is not UTF-8 cannot be saved."""
    new_cols = [str(c) for c in now.summary.columns]
    old_cols = [str(c) for c in before.summary.columns]
    only_previous = [c for c in old_cols if c not in new_cols]
    columns = [*new_cols, *only_previous]
    persons = pd.DataFrame({"Tidigare": before.persons, "Nu": now.persons}, index=now.persons.index)
    bodies = list(now.national.index) + [b for b in before.national.index if b not in now.national.index]
    return Comparison(
        previous_name=printable(previous_name),
        previous_population=before.population,
        current_population=now.population,
        columns=tuple(columns),
        previous=before.summary.reindex(columns=columns),
        current=now.summary.reindex(columns=columns),
        national_previous=before.national.reindex(index=bodies, columns=columns),
        national_current=now.national.reindex(index=bodies, columns=columns),
        previous_totals=before.summary_totals,
        current_totals=now.summary_totals,
        national_previous_totals=before.national_totals.reindex(index=bodies),
        national_current_totals=now.national_totals.reindex(index=bodies),
        persons=persons,
        pots=_pots(before, now),
        only_current=tuple(c for c in new_cols if c not in old_cols),
        only_previous=tuple(only_previous),
    )


def _pots(previous: Figures, current: Figures) -> tuple[PotChange, ...]:
    """Each villkor's pots, matched by villkor name and the pot's place in it."""
    old = dict(previous.pots)
    new = dict(current.pots)
    names = [*new, *(name for name in old if name not in new)]
    found = []
    for name in names:
        before, now = old.get(name, ()), new.get(name, ())
        for k in range(max(len(before), len(now))):
            label = (now[k] if k < len(now) else before[k])[0]
            found.append(
                PotChange(
                    name,
                    label,
                    before[k][1] if k < len(before) else None,
                    now[k][1] if k < len(now) else None,
                )
            )
    return tuple(found)


def read_result(result: bytes) -> Figures | None:
    """A result of this program's figures from the values cached in its own layout: the Befolkning,
    Sammanställning and villkor sheets, and the population its properties record. None for any
    workbook that is not in that layout, or whose figures do not add up as a result's do (then the
    caller reads it as an input, which checks everything); reading a result as an input costs two
    full openpyxl loads, a rerun's largest cost.

    Raises:
        ValueError: when the bytes are not a workbook whose parts can be read.
    """
    population = population_of(result)
    if population is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(result)) as archive:
            book = _CachedBook(archive)
            return _figures(book, population)
    except (
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        NotImplementedError,
        zipfile.BadZipFile,
        DefusedXmlException,
        ParseError,
    ):
        return None


class _CachedBook:
    """The cached cell values of a workbook's sheets, by sheet name, read from the package parts."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        workbook = self._xml("xl/workbook.xml")
        rels = self._xml("xl/_rels/workbook.xml.rels")
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
        self.parts = {}
        for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
            target = targets[sheet.get(f"{{{_REL_NS}}}id")].lstrip("/")
            self.parts[sheet.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
        self.strings: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            for item in self._xml("xl/sharedStrings.xml").iter(f"{{{_MAIN_NS}}}si"):
                self.strings.append("".join(t.text or "" for t in item.iter(f"{{{_MAIN_NS}}}t")))

    def _xml(self, name: str) -> Any:
        info = self.archive.getinfo(name)
        if info.file_size > _SHEET_LIMIT:
            raise ValueError(f"{name} is larger than a result's part")
        return DefusedET.fromstring(self.archive.read(name))

    def cells(self, sheet: str, rows: tuple[int, ...] = ()) -> dict[tuple[int, int], str | float]:
        """(row, column) from 0 -> the cached value: text or number (an error value refuses).

        With `rows`, only those rows are parsed (the villkor sheets' heading and RIKET rows); each
        must be there as a row element of its own, else ValueError.
        """
        found: dict[tuple[int, int], str | float] = {}
        if rows:
            info = self.archive.getinfo(self.parts[sheet])
            if info.file_size > _SHEET_LIMIT:
                raise ValueError(f"{sheet} is larger than a result's sheet")
            xml = self.archive.read(info).decode("utf-8")
            parts = []
            for row in rows:
                match = re.search(rf'<row r="{row + 1}"(?: [^>]*)?>.*?</row>', xml, flags=re.DOTALL)
                if match is None:
                    raise ValueError(f"row {row + 1} of {sheet}")
                parts.append(match.group(0))
            root = DefusedET.fromstring(f'<sheetData xmlns="{_MAIN_NS}">{"".join(parts)}</sheetData>')
        else:
            root = self._xml(self.parts[sheet])
        for cell in root.iter(f"{{{_MAIN_NS}}}c"):
            kind = cell.get("t", "n")
            value = cell.find(f"{{{_MAIN_NS}}}v")
            if kind == "inlineStr":
                text: str | float = "".join(t.text or "" for t in cell.iter(f"{{{_MAIN_NS}}}t"))
            elif value is None or value.text is None:
                continue
            elif kind == "s":
                text = self.strings[int(value.text)]
            elif kind == "str":
                text = value.text
            elif kind == "n":
                text = float(value.text)
            else:  # an error or a boolean: no result of ours holds one
                raise ValueError(f"a {kind} value in {sheet}")
            found[_position(cell.get("r", ""))] = text
        return found


def _position(reference: str) -> tuple[int, int]:
    found = _CELL.fullmatch(reference)
    if found is None:
        raise ValueError(f"cell reference {reference!r}")
    col = 0
    for letter in found.group(1):
        col = col * 26 + ord(letter) - ord("A") + 1
    return int(found.group(2)) - 1, col - 1


def _figures(book: _CachedBook, population: PopulationFacts) -> Figures | None:
    people = book.cells(POPULATION_SHEET)
    names = [people.get((FIRST_LAN_ROW + i, 0)) for i in range(len(NAMES))]
    persons = [people.get((FIRST_LAN_ROW + i, 1)) for i in range(len(NAMES))]
    if names != list(NAMES) or not all(isinstance(v, float) and v.is_integer() for v in persons):
        return None
    cells = book.cells(SUMMARY_SHEET)
    header = SUMMARY_HEADER_ROW
    if cells.get((header, 0)) != LAN:
        return None
    columns: list[str] = []
    while isinstance(cells.get((header, len(columns) + 1)), str):
        columns.append(str(cells[(header, len(columns) + 1)]))
    if not columns or columns[-1] != TOTAL or len(set(columns)) != len(columns):
        return None
    villkor = columns[:-1]
    if TOTAL in villkor:
        return None  # a villkor named TOTALT: read through the workbook reader
    rows = [[cells.get((header + 1 + i, c + 1)) for c in range(len(columns))] for i in range(len(NAMES))]
    if [cells.get((header + 1 + i, 0)) for i in range(len(NAMES))] != list(NAMES):
        return None
    if not all(isinstance(v, float) for row in rows for v in row):
        return None
    summa = header + 1 + len(NAMES)
    if cells.get((summa, 0)) != SUMMA:
        return None
    bodies: list[str] = []
    national: list[list[float]] = []
    r = summa + 1
    while isinstance(cells.get((r, 0)), str) and cells[(r, 0)] != SUMMA:
        values = [cells.get((r, c + 1)) for c in range(len(columns))]
        if any(v is not None and not isinstance(v, float) for v in values) or values[-1] is None:
            return None
        bodies.append(str(cells[(r, 0)]))
        national.append([math.nan if v is None else float(v) for v in values])
        r += 1
    pots = []
    for name in villkor:
        found = _pots_of(book, name)
        if found is None:
            return None
        pots.append((name, found))
    index, body_index = pd.Index(list(NAMES), name=LAN), pd.Index(bodies, dtype=object)
    summary = pd.DataFrame([row[:-1] for row in rows], index=index, columns=villkor, dtype=float)
    frame = pd.DataFrame([row[:-1] for row in national], index=body_index, columns=villkor, dtype=float)
    summary_totals = pd.Series([row[-1] for row in rows], index=index, dtype=float)
    national_totals = pd.Series([row[-1] for row in national], index=body_index, dtype=float)
    if not _adds_up(summary, frame, summary_totals, national_totals, pots):
        return None
    series = pd.Series([int(v) for v in persons if isinstance(v, float)], index=summary.index, dtype="int64")
    return Figures(
        persons=series,
        summary=summary,
        national=frame,
        summary_totals=summary_totals,
        national_totals=national_totals,
        pots=tuple(pots),
        population=population,
    )


def _pots_of(book: _CachedBook, name: str) -> tuple[tuple[str, float], ...] | None:
    """A villkor sheet's pots: their labels and RIKET amounts (with several, a Totalt column last)."""
    if name not in book.parts:
        return None
    cells = book.cells(name, (HEADER_ROW, RIKET_ROW))
    if cells.get((RIKET_ROW, 0)) != RIKET:
        return None
    amounts: list[float] = []
    while isinstance(cells.get((RIKET_ROW, len(amounts) + 1)), float):
        amounts.append(float(cells[(RIKET_ROW, len(amounts) + 1)]))
    if len(amounts) > 1:
        if abs(sum(amounts[:-1]) - amounts[-1]) > MKR_TOLERANCE:
            return None
        amounts = amounts[:-1]
    labels = [cells.get((HEADER_ROW, 1 + k)) for k in range(len(amounts))]
    if not all(isinstance(label, str) for label in labels):
        return None
    return tuple((str(label), amount) for label, amount in zip(labels, amounts, strict=True))


def _adds_up(
    summary: pd.DataFrame,
    national: pd.DataFrame,
    summary_totals: pd.Series,
    national_totals: pd.Series,
    pots: list[tuple[str, tuple[tuple[str, float], ...]]],
) -> bool:
    """Whether the cached figures are a result's: each villkor's län sum to its pots, every TOTALT
    is its row's sum (an edit that left stale values behind fails this)."""
    for name, found in pots:
        if abs(float(summary[name].sum()) - sum(amount for _, amount in found)) > MKR_TOLERANCE:
            return False
    for frame, totals in ((summary, summary_totals), (national, national_totals)):
        if len(frame) and (frame.sum(axis=1) - totals).abs().max() > MKR_TOLERANCE:
            return False
    return True


def population_of(result: bytes) -> PopulationFacts | None:
    """The population date and source a result records in its document properties; None for a
    workbook without them (not a result of this program).

    Raises:
        ValueError: when the bytes are not a workbook whose properties can be read.
    """
    found = properties(result)
    try:
        date = dt.date.fromisoformat(found[DATE_PROPERTY])
    except (KeyError, ValueError):
        return None
    return PopulationFacts(date, found.get(SOURCE_PROPERTY, ""))


def compared_with(result: bytes) -> str | None:
    """The file name a result's Förändring sheet compares with (its document property), or None
    for a result without one.

    Raises:
        ValueError: when the bytes are not a workbook whose properties can be read.
    """
    return properties(result).get(COMPARED_WITH)


def properties(result: bytes) -> dict[str, str]:
    """A workbook's custom document properties (what a result records about its provenance).

    Raises:
        ValueError: when the bytes are not a workbook whose properties can be read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(result)) as archive:
            if _CUSTOM_PART not in archive.namelist():
                return {}
            with archive.open(_CUSTOM_PART) as part:
                root = DefusedET.fromstring(part.read(_PART_LIMIT))
    except Exception as error:  # any damage means "cannot tell"
        raise ValueError("the document properties cannot be read") from error
    return {prop.get("name", ""): "".join(prop.itertext()) for prop in root.iter(f"{{{_CUSTOM_NS}}}property")}
