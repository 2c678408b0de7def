"""Sjukskrivningsmiljarden: allocate each villkor's pots to the 21 län by population."""

__version__ = "0.1.0"

from .allocate.shares import Allocation, allocate
from .convert import Report, convert
from .errors import InputRejected, OutputError, Problem, SjukmiljardError, UsageError
from .inputs import find_inputs
from .model import Indata, NationalSum, Population, Pot, Villkor
from .read.workbook import read_workbook
from .template import write_template

__all__ = [
    "Allocation",
    "Indata",
    "InputRejected",
    "NationalSum",
    "OutputError",
    "Population",
    "Pot",
    "Problem",
    "Report",
    "SjukmiljardError",
    "UsageError",
    "Villkor",
    "__version__",
    "allocate",
    "convert",
    "find_inputs",
    "read_workbook",
    "write_template",
]
