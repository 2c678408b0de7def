"""SCB's own open formats, PC-Axis (.px) and JSON-stat 2.0 (.json), read as a cube and laid out as
the grid PxWeb's CSV export would be.

Both formats describe the table itself: its variables (region, ålder, kön, månad, tabellinnehåll),
each variable's value codes and texts, and the figures in row-major order. Laying the cube out as a
grid (the month in the heading, every other variable in the stub, the title above) lets the one
layout analysis of `scb.layout` judge it like any other export, so a px file with women only is
refused exactly as a CSV with women only is.

Only the documented parts of the formats are read: PC-Axis keywords `KEYWORD[lang]("sub")=value;`
with quoted strings (continued over lines), lists, `STUB`, `HEADING`, `VALUES`, `CODES`, `TIMEVAL`,
`CONTENTS`, `TITLE`, `CODEPAGE`/`CHARSET` and `DATA` with SCB's missing-value symbols; JSON-stat 2.0
datasets (`id`, `size`, `dimension.*.category.index/label`, `value` as array or object, `status`),
and the version 1 bundle PxWeb's API answered with. A sparse px (`KEYS`) is refused.

PxWeb's API version 1 also answers `format=json` with its own table (`columns`, `data` rows of `key`
and `values`, `metadata`): codes only, no texts. Its region codes are the län's, and the codes SCB
gives kön and ålder are translated (`1` män, `2` kvinnor, `1+2` and `tot` totals); any other code
stays as it is, so the layout analysis judges it like an unknown word.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..read.grid import Grid
from ..words import regions
from .labels import is_total_code, parse_month, region_kind, region_text

MAX_CELLS = 5_000_000
_PX_KEYWORD = re.compile(
    rb"(?m)^\s*(?:CHARSET|AXIS-VERSION|CODEPAGE|LANGUAGE|MATRIX|SUBJECT-CODE|STUB|HEADING)\s*[=\[]"
)
_PX_CODEPAGE = re.compile(rb'CODEPAGE\s*=\s*"([^"]*)"')
_PX_KEY = re.compile(
    r'\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:\[\s*([^\]]*)\s*\])?\s*(?:\(\s*((?:"[^"]*"\s*,?\s*)*)\))?\s*='
)
_QUOTED = re.compile(r'"([^"]*)"')
_CONTENTS_NAMES = frozenset({"tabellinnehåll", "contents", "table contents", "observations"})
_TIME_NAMES = frozenset({"månad", "tid", "month", "time", "period"})


class CubeError(Exception):
    """The file has the format's structure but cannot be read as a table (the message is Swedish)."""


@dataclass(frozen=True)
class Variable:
    name: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    time: bool = False
    contents: bool = False


@dataclass(frozen=True)
class Cube:
    """A table in SCB's own words: its title, variables (outermost first) and figures, row-major."""

    title: str
    contents: str
    variables: tuple[Variable, ...]
    values: tuple[object, ...]
    notes: tuple[str, ...] = ()  # every note of the table: PC-Axis `_PX_NOTES`, JSON notes at any depth


# -- detection ---------------------------------------------------------------------------


def is_px(data: bytes) -> bool:
    """PC-Axis: keyword lines such as CHARSET="ANSI"; or STUB=…; and VALUES(…)= for the variables."""
    head = data[:65536].lstrip(b"\xef\xbb\xbf")
    return bool(_PX_KEYWORD.search(head)) and b"VALUES" in data


def is_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))


def _document(data: bytes) -> Any:
    """The JSON document in the bytes. Raises:
    CubeError: They are no JSON."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise CubeError(f"JSON-filen kunde inte tolkas ({type(error).__name__})") from None


def _looks(data: bytes, structure: Callable[[Any], object]) -> bool:
    """A JSON document whose `structure` is found (not None)."""
    if not is_json(data):
        return False
    try:
        return structure(_document(data)) is not None
    except CubeError:
        return False


def is_jsonstat(data: bytes) -> bool:
    """A JSON document with JSON-stat's dataset structure (`dimension` and `value`)."""
    return _looks(data, _dataset)


# -- PC-Axis -----------------------------------------------------------------------------


def read_px(data: bytes) -> Cube:
    """Raises:
    CubeError: A keyword the table needs is missing or does not agree with the data."""
    text = _px_text(data)
    entries: dict[tuple[str, str], str] = {}
    data_text: str | None = None
    position = 0
    while position < len(text):
        found = _PX_KEY.match(text, position)
        if not found:
            if not text[position:].strip():
                break
            raise CubeError(f"PC-Axis-filen kunde inte tolkas nära tecken {position + 1}")
        keyword, language, sub = found.group(1).upper(), found.group(2), found.group(3) or ""
        end = _statement_end(text, found.end())
        value = text[found.end() : end]
        position = end + 1
        if language:  # another language's texts; the default language's are used
            continue
        if keyword == "DATA":
            data_text = value
            break
        subkey = ",".join(_QUOTED.findall(sub))
        entries[(keyword, subkey)] = value
    if data_text is None:
        raise CubeError("PC-Axis-filen har ingen DATA-del")
    stub = _strings(entries.get(("STUB", ""), ""))
    heading = _strings(entries.get(("HEADING", ""), ""))
    if not stub and not heading:
        raise CubeError("PC-Axis-filen saknar STUB och HEADING")
    variables = []
    for name in [*stub, *heading]:
        labels = _strings(entries.get(("VALUES", name), ""))
        if not labels:
            raise CubeError(f"PC-Axis-filen saknar VALUES för variabeln '{name}'")
        codes = _strings(entries.get(("CODES", name), "")) or labels
        if len(codes) != len(labels):
            codes = labels
        time = any(key == "TIMEVAL" and sub == name for key, sub in entries)
        measure = name in _strings(entries.get(("CONTVARIABLE", ""), ""))
        variables.append(Variable(name, tuple(codes), tuple(labels), time, measure))
    keys = {sub: value.strip().upper() for (key, sub), value in entries.items() if key == "KEYS"}
    values = tuple(_px_values(data_text))
    if keys:
        values = _unkeyed(values, variables[: len(stub)], variables[len(stub) :], keys)
    title = _joined(entries.get(("TITLE", ""), "")) or _joined(entries.get(("DESCRIPTION", ""), ""))
    contents = _joined(entries.get(("CONTENTS", ""), ""))
    notes = tuple(_joined(value) for (key, _), value in entries.items() if key in _PX_NOTES)
    units = _joined(entries.get(("UNITS", ""), ""))
    if units and not _PERSONS_UNITS.search(units.casefold()):
        title = f"{title} ({units})"  # counted in households, say: checked with the title's words
    return _checked(Cube(title, contents, tuple(variables), values, notes))


def _px_text(data: bytes) -> str:
    head = data[:65536]
    codepage = _PX_CODEPAGE.search(head)
    candidates = []
    if codepage:
        candidates.append(codepage.group(1).decode("ascii", "replace").strip())
    candidates += ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def _statement_end(text: str, start: int) -> int:
    """The ';' ending a value, outside quotes."""
    quoted = False
    for index in range(start, len(text)):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return index
    return len(text)


def _strings(value: str) -> list[str]:
    """A list value: "a","b" – strings continued over lines ("abc" "def") are one string."""
    items: list[str] = []
    current: list[str] | None = None
    for token in re.finditer(r'"([^"]*)"|(,)|(\S+)', value):
        string, comma, bare = token.groups()
        if comma:
            if current is not None:
                items.append("".join(current))
            current = None
        elif string is not None:
            current = [*(current or []), string]
        elif bare is not None and not bare.upper().startswith("TLIST"):
            current = [*(current or []), bare]
    if current is not None:
        items.append("".join(current))
    return [item.strip() for item in items]


def _unkeyed(
    tokens: tuple[object, ...], stub: list[Variable], heading: list[Variable], keys: dict[str, str]
) -> tuple[object, ...]:
    """The figures of a table saved with KEYS (a sparse table: each data row starts with its stub
    variables' values or codes, and rows that are left out hold nothing), laid out in full; a row
    left out is SCB's symbol for a missing figure, never a 0."""
    if set(keys) != {v.name for v in stub} or any(kind not in ("VALUES", "CODES") for kind in keys.values()):
        raise CubeError("PC-Axis-filen har KEYS som inte gäller alla variabler i STUB")
    width = math.prod(len(v.labels) for v in heading)
    row_length = len(stub) + width
    if len(tokens) % row_length:
        raise CubeError("PC-Axis-filens DATA-rader stämmer inte med KEYS och HEADING")
    index = [
        {name: k for k, name in enumerate(v.codes if keys[v.name] == "CODES" else v.labels)} for v in stub
    ]
    strides = _strides([len(v.labels) for v in stub])
    full: list[object] = [".."] * (math.prod(len(v.labels) for v in stub) * width)
    seen: set[int] = set()
    for start in range(0, len(tokens), row_length):
        key = tokens[start : start + len(stub)]
        try:
            base = sum(s * index[i][str(k)] for i, (s, k) in enumerate(zip(strides, key, strict=True)))
        except KeyError as error:
            raise CubeError(f"PC-Axis-filens DATA har nyckeln {error}, som inte finns i VALUES") from None
        if base in seen:
            raise CubeError(f"PC-Axis-filens DATA har nyckeln {', '.join(map(str, key))} två gånger")
        seen.add(base)
        full[base * width : (base + 1) * width] = tokens[start + len(stub) : start + row_length]
    return tuple(full)


# Every PC-Axis text that may say what the table leaves out: notes on the table, on a variable's
# value or on a cell, and the description beside the title.
_PX_NOTES = frozenset({"NOTE", "NOTEX", "VALUENOTE", "VALUENOTEX", "CELLNOTE", "CELLNOTEX", "DESCRIPTION"})
_PERSONS_UNITS = re.compile(r"antal|personer|person|persons|number|st\b|invånare|inhabitants")


def _json_notes(document: Any) -> tuple[str, ...]:
    """Every note and comment a JSON document holds, at any depth (a dataset's, a dimension's, a
    category's, an extension's, the API's comments)."""
    found: list[str] = []
    stack = [document]
    while stack and len(found) < 1_000:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if str(key).casefold() in ("note", "notes", "comment", "comments", "description"):
                    found += _texts(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return tuple(found)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    return []


def _joined(value: str) -> str:
    return " ".join(" ".join(_strings(value)).split())


def _px_values(data: str) -> list[object]:
    values: list[object] = []
    for token in re.finditer(r'"([^"]*)"|([^\s,;"]+)', data):
        string, bare = token.groups()
        if string is not None:
            values.append(string.strip())
            continue
        try:
            number = float(bare)
        except ValueError:
            values.append(bare)
            continue
        values.append(int(number) if number.is_integer() else number)
    return values


# -- JSON-stat ---------------------------------------------------------------------------


def read_jsonstat(data: bytes) -> Cube:
    """Raises:
    CubeError: The dataset's sizes, categories and values do not agree."""
    document = _document(data)
    dataset = _dataset(document)
    if dataset is None:
        raise CubeError("JSON-filen är ingen JSON-stat-tabell (dataset med dimension och value)")
    dimension = dataset["dimension"]
    ids = dataset.get("id", dimension.get("id"))
    sizes = dataset.get("size", dimension.get("size"))
    if (
        not isinstance(ids, list)
        or not isinstance(sizes, list)
        or len(ids) != len(sizes)
        or not all(isinstance(name, str) for name in ids)
    ):
        raise CubeError("JSON-stat-tabellen saknar id och size för sina dimensioner")
    role = dataset.get("role", dimension.get("role"))
    times, metrics = _role(role, "time"), _role(role, "metric")
    variables = []
    for name, size in zip(ids, sizes, strict=True):
        entry = dimension.get(name)
        if not isinstance(entry, dict) or not isinstance(size, int):
            raise CubeError(f"JSON-stat-tabellen saknar dimensionen '{name}'")
        category = entry.get("category")
        codes = _category_codes(category, size) if isinstance(category, dict) else None
        if codes is None or not isinstance(category, dict):
            raise CubeError(f"JSON-stat-tabellens dimension '{name}' har fel antal kategorier")
        labels = category.get("label") or {}
        texts = tuple(str(labels.get(code, code)) if isinstance(labels, dict) else code for code in codes)
        metric = name in metrics or name.casefold() == "contentscode"
        variables.append(Variable(str(entry.get("label", name)), codes, texts, name in times, metric))
    count = math.prod(sizes)
    if count > MAX_CELLS:
        raise CubeError("JSON-stat-tabellen är för stor – välj bara länen och månaderna du behöver")
    status = dataset.get("status")
    values = []
    raw = dataset.get("value")
    for index in range(count):
        if isinstance(raw, list):
            value = raw[index] if index < len(raw) else None
        elif isinstance(raw, dict):
            value = raw.get(str(index))
        else:
            raise CubeError("JSON-stat-tabellen saknar value")
        if value is None:
            value = _status(status, index) or ".."
        if not isinstance(value, int | float | str):
            raise CubeError(f"JSON-stat-tabellens värde nummer {index + 1} är varken ett tal eller en text")
        values.append(value)
    if isinstance(raw, list) and len(raw) != count:
        raise CubeError(f"JSON-stat-tabellen har {len(raw)} värden, men dimensionerna ger {count}")
    title = str(dataset.get("label", ""))
    return _checked(Cube(title, title, tuple(variables), tuple(values), _json_notes(document)))


def _role(role: object, which: str) -> set[str]:
    """The dimensions a JSON-stat role names (`time`, `metric`)."""
    names = role.get(which) if isinstance(role, dict) else None
    return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()


def _dataset(document: Any) -> dict[str, Any] | None:
    """The dataset of a JSON-stat 2.0 document, or of a version 1 bundle ({"dataset": {…}})."""
    if isinstance(document, dict) and "dimension" not in document and len(document) == 1:
        (inner,) = document.values()
        document = inner
    if isinstance(document, dict) and isinstance(document.get("dimension"), dict) and "value" in document:
        return document
    return None


def _category_codes(category: dict[str, Any], size: int) -> tuple[str, ...] | None:
    index = category.get("index")
    if index is None:
        labels = category.get("label")
        index = list(labels) if isinstance(labels, dict) else None
    if isinstance(index, list):
        codes = tuple(str(code) for code in index)
    elif isinstance(index, dict):
        if sorted(position for position in index.values() if type(position) is int) != list(
            range(len(index))
        ):
            return None
        codes = tuple(str(code) for code, _ in sorted(index.items(), key=lambda item: int(item[1])))
    else:
        return None
    return codes if len(codes) == size else None


def _status(status: object, index: int) -> str | None:
    if isinstance(status, list):
        return str(status[index]) if index < len(status) and status[index] else None
    if isinstance(status, dict):
        found = status.get(str(index))
        return str(found) if found else None
    if isinstance(status, str):
        return status
    return None


# -- PxWeb API version 1 JSON ---------------------------------------------------------------

# SCB's codes for kön and ålder, which the API's answer gives without their texts.
_SEX_CODES = {"1": "män", "2": "kvinnor", "1+2": "totalt", "tot": "totalt", "totalt": "totalt"}
_AGE_TOTALS = frozenset({"tot", "totalt", "tot1", "totalt ålder"})
_REGION_NAMES = {lan.code: lan.name for lan in regions.LAN} | {"00": "Riket"}


def is_pxweb_json(data: bytes) -> bool:
    """PxWeb API version 1's own JSON: `columns` of code and type, `data` rows of key and values."""
    return _looks(data, _pxweb_parts)


def _pxweb_parts(document: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    if not isinstance(document, dict):
        return None
    columns, data = document.get("columns"), document.get("data")
    if not isinstance(columns, list) or not isinstance(data, list) or not columns:
        return None
    if not all(isinstance(c, dict) and isinstance(c.get("code"), str) and "type" in c for c in columns):
        return None
    if not all(isinstance(row, dict) and "key" in row and "values" in row for row in data):
        return None
    return columns, data


def _pxweb_label(name: str, code: str) -> str:
    folded = name.strip().casefold()
    if folded in ("region", "län", "county"):
        return _REGION_NAMES.get(code, code)
    # SCB's codes for a total ("tot", "tot1", "TotSA"/"TotSa" of BefolkManadCKM from 2025): `labels`
    if folded in ("kön", "sex"):
        return "totalt" if is_total_code(code) else _SEX_CODES.get(code.casefold(), code)
    if folded in ("ålder", "age"):
        return "totalt ålder" if code.casefold() in _AGE_TOTALS or is_total_code(code) else f"{code} år"
    return code


def read_pxweb_json(data: bytes) -> Cube:
    """Raises:
    CubeError: The rows' keys and values do not agree with the columns."""
    document = _document(data)
    parts = _pxweb_parts(document)
    if parts is None:
        raise CubeError("JSON-filen är ingen tabell från SCB:s API (columns och data)")
    columns, rows = parts
    keys = [c for c in columns if c.get("type") != "c"]
    contents = [c for c in columns if c.get("type") == "c"]
    if not contents:
        raise CubeError("JSON-tabellen från SCB:s API har ingen kolumn med tabellinnehåll (typ c)")
    codes: list[dict[str, int]] = [{} for _ in keys]
    for number, row in enumerate(rows, start=1):
        key, values = row["key"], row["values"]
        if not isinstance(key, list) or len(key) != len(keys) or not all(isinstance(k, str) for k in key):
            raise CubeError(
                f"JSON-tabellen från SCB:s API: rad {number} har en nyckel som inte stämmer med kolumnerna"
            )
        if not isinstance(values, list) or len(values) != len(contents):
            raise CubeError(f"JSON-tabellen från SCB:s API: rad {number} har fel antal värden")
        for seen, code in zip(codes, key, strict=True):
            seen.setdefault(code, len(seen))
    sizes = [len(seen) for seen in codes] + [len(contents)]
    if math.prod(sizes) > MAX_CELLS:
        raise CubeError("JSON-tabellen är för stor – välj bara länen och månaderna du behöver")
    strides = _strides(sizes)
    figures: list[object] = [".."] * math.prod(sizes)
    filled: set[int] = set()
    for row in rows:
        base = sum(strides[i] * codes[i][code] for i, code in enumerate(row["key"]))
        if base in filled:
            raise CubeError(f"JSON-tabellen från SCB:s API har nyckeln {row['key']} två gånger")
        filled.add(base)
        for k, value in enumerate(row["values"]):
            if not isinstance(value, int | float | str) or isinstance(value, bool):
                raise CubeError(
                    "JSON-tabellen från SCB:s API har ett värde som varken är ett tal eller en text"
                )
            figures[base + k] = value
    variables = []
    for column, seen in zip(keys, codes, strict=True):
        name = str(column.get("text") or column["code"])
        ordered = tuple(seen)
        labels = tuple(_pxweb_label(name, code) for code in ordered)
        variables.append(Variable(name, ordered, labels, time=column.get("type") == "t"))
    variables.append(
        Variable(
            "tabellinnehåll",
            tuple(str(c["code"]) for c in contents),
            tuple(str(c.get("text") or c["code"]) for c in contents),
            contents=True,
        )
    )
    metadata = document.get("metadata")
    first = metadata[0] if isinstance(metadata, list) and metadata and isinstance(metadata[0], dict) else {}
    title = str(first.get("label", ""))
    return _checked(Cube(title, title, tuple(variables), tuple(figures), _json_notes(document)))


# -- the grid ----------------------------------------------------------------------------


def _checked(cube: Cube) -> Cube:
    expected = math.prod(len(variable.labels) for variable in cube.variables)
    if expected > MAX_CELLS:
        raise CubeError("tabellen är för stor – välj bara länen och månaderna du behöver")
    if len(cube.values) != expected:
        raise CubeError(f"tabellen har {len(cube.values)} värden, men variablerna ger {expected}")
    return cube


def to_grid(cube: Cube, name: str) -> Grid:
    """The cube as PxWeb's CSV export lays it out: title, one heading row, one row per stub value.

    The months go in the heading ("Folkmängd 2019M11"); the region is written with its code
    ("01 Stockholms län"), every other variable with its text.
    """
    time = _time_variable(cube.variables)
    heading = [i for i, variable in enumerate(cube.variables) if i == time or _is_contents(variable)]
    stub = [i for i in range(len(cube.variables)) if i not in heading]
    region = _region_variable(cube.variables, stub)
    strides = _strides([len(variable.labels) for variable in cube.variables])

    def text(i: int, k: int) -> str:
        variable = cube.variables[i]
        if i == region:
            return region_text(variable.codes[k], variable.labels[k])
        if i == time:
            return parse_month(variable.codes[k]) or parse_month(variable.labels[k]) or variable.labels[k]
        return variable.labels[k]

    rows: dict[int, dict[int, object]] = {}
    if cube.title:
        rows[0] = {0: cube.title}
    header: dict[int, object] = {c: cube.variables[i].name for c, i in enumerate(stub)}
    columns = _combinations([len(cube.variables[i].labels) for i in heading])
    stated = any(_is_contents(cube.variables[i]) for i in heading)
    contents = cube.contents if cube.contents and cube.contents != cube.title and not stated else ""
    for c, combination in enumerate(columns, start=len(stub)):
        texts = [text(i, k) for i, k in zip(heading, combination, strict=True)]
        header[c] = " ".join(part for part in (contents, *texts) if part)
    rows[1] = header
    for r, combination in enumerate(_combinations([len(cube.variables[i].labels) for i in stub]), start=2):
        row: dict[int, object] = {
            c: text(i, k) for c, (i, k) in enumerate(zip(stub, combination, strict=True))
        }
        base = sum(strides[i] * k for i, k in zip(stub, combination, strict=True))
        for c, columns_combination in enumerate(columns, start=len(stub)):
            offset = sum(strides[i] * k for i, k in zip(heading, columns_combination, strict=True))
            row[c] = cube.values[base + offset]
        rows[r] = row
    below = max(rows) + 2  # the notes under the table, as the CSV export writes its footnotes
    for i, note in enumerate(cube.notes):
        rows[below + i] = {0: note}
    return Grid(name, rows)


def _is_contents(variable: Variable) -> bool:
    return variable.contents or variable.name.strip().casefold() in _CONTENTS_NAMES


def _time_variable(variables: tuple[Variable, ...]) -> int | None:
    for i, variable in enumerate(variables):
        if variable.time:
            return i
    for i, variable in enumerate(variables):
        if all(
            parse_month(code) or parse_month(label)
            for code, label in zip(variable.codes, variable.labels, strict=True)
        ):
            return i
    for i, variable in enumerate(variables):
        if variable.name.strip().casefold() in _TIME_NAMES:
            return i
    return None


def _region_variable(variables: tuple[Variable, ...], stub: list[int]) -> int | None:
    def score(i: int) -> int:
        variable = variables[i]
        pairs = zip(variable.codes, variable.labels, strict=True)
        return sum(
            region_kind(region_text(code, label))[0] in ("lan", "kommun", "riket") for code, label in pairs
        )

    best = max(stub, key=score, default=None)
    return best if best is not None and score(best) else None


def _strides(sizes: list[int]) -> list[int]:
    strides = [1] * len(sizes)
    for i in reversed(range(len(sizes) - 1)):
        strides[i] = strides[i + 1] * sizes[i + 1]
    return strides


def _combinations(sizes: list[int]) -> list[tuple[int, ...]]:
    combinations: list[tuple[int, ...]] = [()]
    for size in sizes:
        combinations = [(*before, k) for before in combinations for k in range(size)]
    return combinations
