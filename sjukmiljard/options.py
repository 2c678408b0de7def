"""What a run is asked to do: the command line's options as one record the library takes."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

T = TypeVar("T")


class Unchanged(enum.Enum):
    """A keyword argument left out: the field keeps the value the `Options` given have (sqlite-utils'
    `DEFAULT`), so that a caller can still pass None where None means something."""

    UNCHANGED = "unchanged"


UNCHANGED: Final = Unchanged.UNCHANGED


def given(value: T | Unchanged, current: T) -> T:
    """`value`, or `current` when it was left out."""
    return current if value is UNCHANGED else value


@dataclass(frozen=True, kw_only=True)
class Options:
    """Options of a conversion, and of a batch of them.

    Attributes:
        output: `-o`: the result file (one input only) or a folder; None: beside each input.
        values_only: plain values instead of formulas in the result.
        check: validate only; nothing is written.
        compare_with: a previous result; the result gets a Förändring sheet.
        keep_previous: keep a result already in the target under a dated name and compare with it
            (every mode does).
        population_file: an SCB export whose month `month` (default: the latest) is the population.
        population_named: the SCB file was named as the population (`--population`), not found
            among the inputs; with `month` too, it may be older than the previous result's.
        jobs: worker processes for a batch.
    """

    output: Path | None = None
    values_only: bool = False
    check: bool = False
    compare_with: Path | None = None
    keep_previous: bool = True
    population_file: Path | None = None
    population_named: bool = True
    month: str | None = None
    jobs: int = 1
