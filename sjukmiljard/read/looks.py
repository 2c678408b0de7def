"""How a numeric cell is shown, from an .xlsx number format or from an .ods cell's displayed text.

The officer reads the display, the reader takes the stored value: 0,75 shown for 750 000 (a format
that divides by a million), 39 shown as "39 Mkr", 0,3 shown as 30 %. Both adapters describe that as
a `Look`, so the readers can tell a figure from its display.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .grid import PLAIN, Look

_DIGIT_PLACEHOLDERS = "0#?"
_FORMAT_CODES = _DIGIT_PLACEHOLDERS + ".,%"
_SIGNS = "-+()\u2212 "
_GENERAL = re.compile(r"general", re.IGNORECASE)
_SHOWN_NUMBER = re.compile(r"[-+\u2212]?\d(?:[\d \u00a0\u2009\u202f.,']*\d)?(?:[eE][-+]?\d+)?")
_GROUPING = re.compile(r"[ \u00a0\u2009\u202f']")
_SCALES = (0, 3, 6, 9, 12, 15, 18)
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?\d+(?:[.,]\d+)?)\]")


def format_look(code: str, value: float) -> Look:
    """The look of `value` under the .xlsx number format `code`: the section its sign selects, or
    its condition (`[>=1000000]0,,"M";0`)."""
    if _CONDITION.search(code):
        return _section_look(_conditional_section(_sections(code), value))
    sign = (value > 0) - (value < 0)
    return _format_look(code, sign)


@lru_cache(maxsize=256)
def _format_look(code: str, sign: int) -> Look:
    sections = _sections(code)
    if sign < 0 and len(sections) >= 2:
        return _section_look(sections[1])
    if sign == 0 and len(sections) >= 3:
        return _section_look(sections[2])
    return _section_look(sections[0])


def shows_nothing(code: str, value: float) -> bool:
    """Whether the .xlsx number format `code` shows `value` as nothing at all (';;;', '""'): the
    number is in the cell but neither on screen nor on paper."""
    if not code or (";" not in code and '"' not in code):
        return False
    if _CONDITION.search(code):
        section = _conditional_section(_sections(code), value)
    else:
        sections, sign = _sections(code), (value > 0) - (value < 0)
        pick = {-1: 1, 0: 2}.get(sign, 0)
        section = sections[pick] if pick < len(sections) else sections[0]
    return _section_shows_nothing(section)


@lru_cache(maxsize=256)
def _section_shows_nothing(section: str) -> bool:
    if _GENERAL.search(section) or any(ch in _DIGIT_PLACEHOLDERS for ch in _outside_quotes(section)):
        return False
    return not _section_look(section).unit


def _outside_quotes(section: str) -> str:
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)


def _conditional_section(sections: list[str], value: float) -> str:
    """The first section whose condition holds, else the first without a condition."""
    for section in sections:
        found = _CONDITION.search(section)
        if found is not None and _holds(found.group(1), value, float(found.group(2).replace(",", "."))):
            return section
    return next((section for section in sections if not _CONDITION.search(section)), sections[-1])


def _holds(operator: str, value: float, limit: float) -> bool:
    return {
        "<": value < limit,
        "<=": value <= limit,
        ">": value > limit,
        ">=": value >= limit,
        "=": value == limit,
        "<>": value != limit,
    }[operator]


@lru_cache(maxsize=256)
def _section_look(section: str) -> Look:
    percent = False
    pending_commas = 0  # commas after the last digit placeholder: each divides by 1000
    literal: list[str] = []
    i = 0
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            literal.append(section[i + 1 : end])
            i = end + 1
            continue
        if char == "\\":
            literal.append(section[i + 1 : i + 2])
            i += 2
            continue
        if char in "_*":  # padding as wide as the next character, or a fill: no text
            i += 2
            continue
        if char == "[":
            end = section.find("]", i + 1)
            end = len(section) if end < 0 else end
            inside = section[i + 1 : end]
            if inside.startswith("$"):  # a currency: [$kr-41D]
                literal.append(inside[1:].split("-", 1)[0])
            i = end + 1
            continue
        if (match := _GENERAL.match(section, i)) is not None:
            i = match.end()
            continue
        if char in _DIGIT_PLACEHOLDERS:
            pending_commas = 0
        elif char == ",":
            pending_commas += 1
        elif char == "%":
            percent = True
        elif char in "eE" and section[i + 1 : i + 2] in ("+", "-"):
            i += 2
            continue
        elif char not in _FORMAT_CODES and char not in _SIGNS and not char.isdigit():
            literal.append(char)
        i += 1
    unit = "".join(literal).strip(_SIGNS) or None
    return Look(percent, 3 * pending_commas, unit)


def _sections(code: str) -> list[str]:
    """The format's ';'-separated sections, outside quotes, brackets and escapes."""
    sections: list[str] = []
    current: list[str] = []
    quoted = bracketed = escaped = False
    for char in code:
        if escaped:
            escaped = False
        elif char == "\\" and not quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and char == "[":
            bracketed = True
        elif not quoted and char == "]":
            bracketed = False
        elif char == ";" and not quoted and not bracketed:
            sections.append("".join(current))
            current = []
            continue
        current.append(char)
    sections.append("".join(current))
    return sections


def display_look(value: float, shown: str, *, percent: bool) -> Look:
    """The look of `value` as the .ods cell's text shows it (`percent`: a percentage cell).

    The scale is the power of 1000 that brings the value to the number shown (within its rounding);
    the unit is the text around that number.
    """
    if not percent and _plain(value, shown):
        return PLAIN
    found = _SHOWN_NUMBER.search(shown)
    if found is None:
        return Look(percent=True) if percent else PLAIN
    rest = shown[: found.start()] + shown[found.end() :]
    if percent:
        rest = rest.replace("%", "")
    unit = rest.strip(_SIGNS + "\u00a0\u2009\u202f") or None
    target = abs(value * 100 if percent else value)
    scale = 0
    readings = _readings(found.group())
    for candidate in _SCALES:
        if any(_rounds_to(target / 10**candidate, number, step) for number, step in readings):
            scale = candidate
            break
    return Look(percent, scale, unit)


def _plain(value: float, shown: str) -> bool:
    """The common case, cheaply: the text is the value itself ("39", "0.25", "0,25")."""
    try:
        return float(shown.replace(",", ".")) == value
    except ValueError:
        return False


def _readings(token: str) -> list[tuple[float, float]]:
    """The numbers a displayed token can be, each with half its last shown digit's step: "1,234" is
    1.234 (decimal comma) or 1234 (a thousands comma)."""
    token = _GROUPING.sub("", token.lstrip("-+\u2212"))
    mantissa, _, exponent_text = token.replace("E", "e").partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    readings = []
    for decimal in (",", "."):
        other = "." if decimal == "," else ","
        if mantissa.count(decimal) > 1:
            continue
        if other in mantissa and decimal in mantissa and mantissa.rfind(other) > mantissa.rfind(decimal):
            continue
        whole, _, fraction = mantissa.replace(other, "").partition(decimal)
        if not whole.isdigit() or not (fraction.isdigit() or fraction == ""):
            continue
        number = float(f"{whole}.{fraction or '0'}") * 10**exponent
        readings.append((number, 0.5 * 10 ** (exponent - len(fraction))))
    return readings


def _rounds_to(value: float, shown: float, half_step: float) -> bool:
    return math.isclose(value, shown, rel_tol=1e-12) or abs(value - shown) <= half_step * (1 + 1e-9)
