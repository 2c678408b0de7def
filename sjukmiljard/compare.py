"""What changed between a previous result and this one: every figure of the Sammanställning (län,
national bodies, the sums), each villkor's pots, and the population's date and source."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd
from defusedxml import ElementTree as DefusedET

from .allocation import Allocation
from .model import Indata, Population
from .swedish import format_date, format_mkr
from .vocabulary import TOTAL

COMPARED_WITH = "Jämfört med"  # the document property naming the previous result
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_PART_LIMIT = 1024 * 1024


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
        columns: the Sammanställning columns compared: the new result's, then any only the previous
            one had, then TOTAL.
        previous, current: amounts indexed by län, one column per entry of `columns` (NaN where that
            result has no such column).
        national_previous, national_current: the national bodies' rows the same way (the new
            result's bodies, then any only the previous one had; NaN where a result has none).
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
    persons: pd.DataFrame
    pots: tuple[PotChange, ...]
    only_current: tuple[str, ...]
    only_previous: tuple[str, ...]

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
    def grand_difference(self) -> pd.Series:
        """The change of the grand SUMMA (län and national bodies) per column."""
        return self.difference.sum() + self.national_difference.sum()

    @property
    def revision(self) -> bool:
        """A new version of the same SCB month: same month, other figures."""
        before, now = self.previous_population, self.current_population
        changed = not self.persons["Tidigare"].equals(self.persons["Nu"])
        return before.month is not None and before.month == now.month and changed

    def changed_columns(self) -> tuple[str, ...]:
        """The columns with any change: a län, a national body or a sum."""
        frames = (self.difference, self.national_difference)
        return tuple(c for c in self.columns if any(_rounded(v) != 0 for f in frames for v in f[c].tolist()))

    @property
    def unchanged(self) -> bool:
        """Nothing at all changed: no amount, pot, person, population date or source."""
        return (
            not self.changed_columns()
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
        total = float(self.grand_difference[TOTAL])
        parts = [
            f"{name} {signed_mkr(float(v))}"
            for name, v in self.national_difference[TOTAL].items()
            if _rounded(v)
        ]
        lan = [(name, float(v)) for name, v in self.difference[TOTAL].items() if _rounded(v)]
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
        elif before != now:
            text += f"; befolkning {before.label} → {now.label}"
        return text


def signed_mkr(value: float) -> str:
    """+2,000 / −0,123 / 0,000: Mkr with three decimals and the sign of the change."""
    rounded = _rounded(value)
    text = format_mkr(abs(rounded))
    if text.strip("0,") == "":
        return text
    return ("+" if rounded > 0 else "−") + text


def _rounded(value: float) -> float:
    return 0.0 if value != value else round(float(value), CHANGE_DECIMALS) + 0.0


def compare(
    previous_name: str,
    previous: Indata,
    before: Allocation,
    current: Indata,
    now: Allocation,
    previous_population: PopulationFacts | None = None,
) -> Comparison:
    """Compare two results; `previous_population` is what the previous result records about its
    population (its Befolkning sheet, read as an input, names only itself as the source)."""
    new_cols = [c for c in now.summary.columns if c != TOTAL]
    old_cols = [c for c in before.summary.columns if c != TOTAL]
    only_previous = [c for c in old_cols if c not in new_cols]
    columns = [*new_cols, *only_previous, TOTAL]
    persons = pd.DataFrame(
        {"Tidigare": before.population["Personer"], "Nu": now.population["Personer"]},
        index=now.population.index,
    )
    bodies = list(now.national.index) + [b for b in before.national.index if b not in now.national.index]
    return Comparison(
        previous_name=previous_name,
        previous_population=previous_population or PopulationFacts.of(previous.population),
        current_population=PopulationFacts.of(current.population),
        columns=tuple(columns),
        previous=before.summary.reindex(columns=columns),
        current=now.summary.reindex(columns=columns),
        national_previous=before.national.reindex(index=bodies, columns=columns),
        national_current=now.national.reindex(index=bodies, columns=columns),
        persons=persons,
        pots=_pots(previous, current),
        only_current=tuple(c for c in new_cols if c not in old_cols),
        only_previous=tuple(only_previous),
    )


def _pots(previous: Indata, current: Indata) -> tuple[PotChange, ...]:
    """Each villkor's pots, matched by villkor name and the pot's place in it."""
    old = {v.name: v.pots for v in previous.villkor}
    new = {v.name: v.pots for v in current.villkor}
    names = [*new, *(name for name in old if name not in new)]
    found = []
    for name in names:
        before, now = old.get(name, ()), new.get(name, ())
        for k in range(max(len(before), len(now))):
            label = (now[k] if k < len(now) else before[k]).label
            found.append(
                PotChange(
                    name,
                    label,
                    before[k].amount if k < len(before) else None,
                    now[k].amount if k < len(now) else None,
                )
            )
    return tuple(found)


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
