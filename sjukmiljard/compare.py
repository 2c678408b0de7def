"""What changed between a previous result and this one, per län and Sammanställning column."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pandas as pd
from defusedxml import ElementTree as DefusedET

from .allocation import Allocation
from .model import Indata

COMPARED_WITH = "Jämfört med"  # the document property naming the previous result
_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_PART_LIMIT = 1024 * 1024


@dataclass(frozen=True, eq=False)
class Comparison:
    """Previous and new amounts (Mkr) and persons per län.

    Attributes:
        columns: the villkor columns compared: the new result's, then any only the previous one had.
        previous, current: amounts indexed by län, one column per entry of `columns` (NaN where that
            result has no such column).
        previous_total, current_total: each län's TOTALT in either result (not a column of the
            frames, where a villkor named TOTALT would meet it).
        persons: "Tidigare" and "Nu" per län.
        only_current, only_previous: villkor columns that only one of the two results has.
    """

    previous_name: str
    previous_date: str
    current_date: str
    columns: tuple[str, ...]
    previous: pd.DataFrame
    current: pd.DataFrame
    previous_total: pd.Series
    current_total: pd.Series
    persons: pd.DataFrame
    only_current: tuple[str, ...]
    only_previous: tuple[str, ...]

    @property
    def difference(self) -> pd.DataFrame:
        """New minus previous; a column one result lacks counts as zero there."""
        return self.current.fillna(0.0) - self.previous.fillna(0.0)


def compare(
    previous_name: str, previous: Indata, before: Allocation, current: Indata, now: Allocation
) -> Comparison:
    new_cols = list(now.summary.columns)
    old_cols = list(before.summary.columns)
    only_previous = [c for c in old_cols if c not in new_cols]
    columns = [*new_cols, *only_previous]
    persons = pd.DataFrame(
        {"Tidigare": before.population["Personer"], "Nu": now.population["Personer"]},
        index=now.population.index,
    )
    return Comparison(
        previous_name=previous_name,
        previous_date=previous.population.date_text,
        current_date=current.population.date_text,
        columns=tuple(columns),
        previous=before.summary.reindex(columns=columns),
        current=now.summary.reindex(columns=columns),
        previous_total=before.summary_totals,
        current_total=now.summary_totals,
        persons=persons,
        only_current=tuple(c for c in new_cols if c not in old_cols),
        only_previous=tuple(only_previous),
    )


def compared_with(result: bytes) -> str | None:
    """The file name a result's Förändring sheet compares with (its document property), or None
    for a result without one.

    Raises:
        ValueError: when the bytes are not a workbook whose properties can be read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(result)) as archive:
            if _CUSTOM_PART not in archive.namelist():
                return None
            with archive.open(_CUSTOM_PART) as part:
                root = DefusedET.fromstring(part.read(_PART_LIMIT))
    except Exception as error:  # any damage means "cannot tell"
        raise ValueError("the document properties cannot be read") from error
    for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == COMPARED_WITH:
            return "".join(prop.itertext())
    return None
