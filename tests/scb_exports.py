"""SCB exports built in code, in each format PxWeb saves: PC-Axis, JSON-stat2, text, xlsx.

A table is given as its variables (name, codes, texts) outermost first and its figures; each
builder writes it as that format lays it out, so one table can be tried in every format.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from sjukmiljard.words import regions

NOV_2019 = dict(
    zip(
        regions.NAMES,
        (
            2374550, 383044, 297169, 465214, 363351, 201290, 245415, 59636, 159748, 1376659, 333202,
            1724529, 282342, 304634, 275634, 287795, 287333, 245380, 130697, 271621, 250230,
        ),
        strict=True,
    )
)  # fmt: skip
CODES = {lan.name: lan.code for lan in regions.LAN}
TITLE = "Folkmängden per månad efter region, ålder, kön och månad"


@dataclass(frozen=True)
class Var:
    name: str
    codes: tuple[str, ...]
    texts: tuple[str, ...]
    code: str = ""  # the JSON-stat id


@dataclass(frozen=True)
class Table:
    """Variables outermost first; `heading` names the variables laid out as columns."""

    variables: tuple[Var, ...]
    values: tuple[object, ...]
    heading: tuple[str, ...] = ("tabellinnehåll", "månad")
    title: str = TITLE
    extra: dict[str, str] = field(default_factory=dict)


def lan_var(english: bool = False) -> Var:
    texts = tuple(_english(name) if english else name for name in regions.NAMES)
    return Var("region", tuple(CODES[name] for name in regions.NAMES), texts, "Region")


def _english(name: str) -> str:
    stem = name.removesuffix(" län").removesuffix("s")
    return f"{stem} county"


def population_table(
    *,
    age: str = "totalt ålder",
    sex: str = "totalt",
    contents: str = "Folkmängd",
    months: Sequence[str] = ("2019M11",),
    english: bool = False,
    counts: dict[str, int] | None = None,
    title: str = TITLE,
) -> Table:
    """The 21 län, one age and one sex, the figures of November 2019 (minus 10 per month before)."""
    counts = counts or NOV_2019
    variables = (
        lan_var(english),
        Var("age" if english else "ålder", ("tot",), (age,), "Alder"),
        Var("sex" if english else "kön", ("1+2",), (sex,), "Kon"),
        Var("contents" if english else "tabellinnehåll", ("BE0101N1",), (contents,), "ContentsCode"),
        Var("month" if english else "månad", tuple(months), tuple(months), "Tid"),
    )
    values = tuple(
        counts[name] - 10 * (len(months) - 1 - k) for name in regions.NAMES for k in range(len(months))
    )
    heading = ("contents", "month") if english else ("tabellinnehåll", "månad")
    return Table(variables, values, heading, title)


def _quoted(items: Sequence[str]) -> str:
    return ",".join(f'"{item}"' for item in items)


def px(
    table: Table,
    *,
    encoding: str = "cp1252",
    split_title: bool = False,
    missing: dict[int, str] | None = None,
) -> bytes:
    """A PC-Axis file: stub variables first in the data order, then the heading's."""
    stub = [v for v in table.variables if v.name not in table.heading]
    heading = [v for v in table.variables if v.name in table.heading]
    order = [*stub, *heading]
    charset = 'CODEPAGE="utf-8";' if encoding == "utf-8" else 'CHARSET="ANSI";\nCODEPAGE="windows-1252";'
    title = f'"{table.title[:20]}"\n"{table.title[20:]}"' if split_title else f'"{table.title}"'
    lines = [
        charset,
        'AXIS-VERSION="2013";',
        'LANGUAGE="sv";',
        'LANGUAGES="sv","en";',
        'MATRIX="BE0101N1";',
        f"TITLE={title};",
        'TITLE[en]="Population per month by region, age and sex";',
        'CONTENTS="Folkmängden per månad";',
        f"STUB={_quoted([v.name for v in stub])};",
        f"HEADING={_quoted([v.name for v in heading])};",
        *table.extra.values(),
    ]
    contvariable = next((v.name for v in table.variables if v.code == "ContentsCode"), None)
    if contvariable in table.heading:
        lines.append(f'CONTVARIABLE="{contvariable}";')
    for v in order:
        lines.append(f'VALUES("{v.name}")={_quoted(v.texts)};')
        lines.append(f'VALUES[en]("{v.name}")={_quoted(v.texts)};')
    for v in order:
        lines.append(f'CODES("{v.name}")={_quoted(v.codes)};')
        if v.code == "Tid":
            lines.append(f'TIMEVAL("{v.name}")=TLIST(M1),{_quoted(v.codes)};')
    lines.append("DATA=")
    figures = [str(value) for value in _reordered(table, order)]
    for index, text in (missing or {}).items():
        figures[index] = f'"{text}"'
    width = math.prod(len(v.codes) for v in heading)
    lines += [" ".join(figures[i : i + width]) for i in range(0, len(figures), width)]
    lines.append(";")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _reordered(table: Table, order: Sequence[Var]) -> list[object]:
    """The table's values (in `table.variables` order) in another order of its variables."""
    sizes = [len(v.codes) for v in table.variables]
    position = {v.name: i for i, v in enumerate(table.variables)}
    out: list[object] = []
    for combination in _combinations([len(v.codes) for v in order]):
        index = [0] * len(sizes)
        for v, k in zip(order, combination, strict=True):
            index[position[v.name]] = k
        flat = 0
        for i, k in enumerate(index):
            flat = flat * sizes[i] + k
        out.append(table.values[flat])
    return out


def _combinations(sizes: list[int]) -> list[tuple[int, ...]]:
    combinations: list[tuple[int, ...]] = [()]
    for size in sizes:
        combinations = [(*before, k) for before in combinations for k in range(size)]
    return combinations


def jsonstat(
    table: Table, *, as_object: bool = False, bundle: bool = False, index_list: bool = False
) -> bytes:
    """A JSON-stat 2.0 dataset (or the version 1 bundle PxWeb's API answered with)."""
    dimension: dict[str, object] = {}
    for v in table.variables:
        index: object = list(v.codes) if index_list else {code: k for k, code in enumerate(v.codes)}
        dimension[v.code] = {
            "label": v.name,
            "category": {"index": index, "label": dict(zip(v.codes, v.texts, strict=True))},
        }
    values: object = (
        {str(i): value for i, value in enumerate(table.values)} if as_object else list(table.values)
    )
    dataset: dict[str, object] = {
        "class": "dataset",
        "label": table.title,
        "source": "SCB",
        "id": [v.code for v in table.variables],
        "size": [len(v.codes) for v in table.variables],
        "dimension": dimension,
        "value": values,
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
    }
    if bundle:
        inner = dict(dataset)
        dims = dict(dimension)
        dims.update({"id": inner.pop("id"), "size": inner.pop("size"), "role": inner.pop("role")})
        inner["dimension"] = dims
        return json.dumps({"dataset": inner}, ensure_ascii=False).encode("utf-8")
    return json.dumps({"version": "2.0", **dataset}, ensure_ascii=False).encode("utf-8")


# The codes PxWeb's API gives for the texts of kön and ålder (its version 1 JSON has no texts).
_API_CODES = {"totalt": "1+2", "total": "1+2", "kvinnor": "2", "women": "2", "män": "1", "men": "1"}


def _api_code(var: Var, k: int) -> str:
    text = var.texts[k]
    if var.code == "Kon":
        return _API_CODES.get(text, text)
    if var.code == "Alder":
        return "tot" if text in ("totalt ålder", "total age") else text.removesuffix(" år")
    return var.codes[k]


def pxweb_json(table: Table, *, eliminated: Sequence[str] = ()) -> bytes:
    """PxWeb API version 1's `format=json` answer: codes only, the figures as texts; the variables
    in `eliminated` (JSON-stat ids) left out, as the API does for one not selected."""
    keys = [v for v in table.variables if v.code != "ContentsCode" and v.code not in eliminated]
    (contents,) = [v for v in table.variables if v.code == "ContentsCode"]
    columns = [{"code": v.code, "text": v.name, "type": "t" if v.code == "Tid" else "d"} for v in keys] + [
        {"code": code, "text": text, "type": "c"}
        for code, text in zip(contents.codes, contents.texts, strict=True)
    ]
    sizes = [len(v.codes) for v in table.variables]
    data = []
    for combination in _combinations([len(v.codes) for v in keys]):
        at = dict(zip((v.code for v in keys), combination, strict=True))
        values = []
        for c in range(len(contents.codes)):
            index, stride = 0, 1
            for v, size in reversed(list(zip(table.variables, sizes, strict=True))):
                k = c if v.code == "ContentsCode" else at.get(v.code, 0)
                index += k * stride
                stride *= size
            values.append(str(table.values[index]))
        key = [_api_code(v, k) for v, k in zip(keys, combination, strict=True)]
        data.append({"key": key, "values": values})
    metadata = [{"infofile": "BE0101", "label": table.title, "source": "Statistiska centralbyrån, SCB"}]
    document = {"columns": columns, "comments": [], "data": data, "metadata": metadata}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def csv_text(table: Table, sep: str = ",", *, title: bool = True) -> str:
    """PxWeb's CSV: the title, one heading row (heading texts joined by a space), a row per stub."""
    grid = table_rows(table)
    lines = [f'"{table.title}"', ""] if title else []
    lines += [sep.join(f'"{cell}"' if isinstance(cell, str) else str(cell) for cell in row) for row in grid]
    return "\r\n".join(lines) + "\r\n"


def table_rows(table: Table) -> list[list[object]]:
    stub = [v for v in table.variables if v.name not in table.heading]
    heading = [v for v in table.variables if v.name in table.heading]
    figures = _reordered(table, [*stub, *heading])
    columns = _combinations([len(v.codes) for v in heading])
    header: list[object] = [v.name for v in stub]
    header += [
        " ".join(v.texts[k] for v, k in zip(heading, combination, strict=True)) for combination in columns
    ]
    rows = [header]
    for r, combination in enumerate(_combinations([len(v.codes) for v in stub])):
        row: list[object] = []
        for v, k in zip(stub, combination, strict=True):
            row.append(f"{v.codes[k]} {v.texts[k]}" if v.code == "Region" else v.texts[k])
        row += figures[r * len(columns) : (r + 1) * len(columns)]
        rows.append(row)
    return rows


def xlsx(table: Table, path: Path, *, heading_rows: bool = True) -> Path:
    """PxWeb's Excel export: the title in A1, one heading row per heading variable, the stub."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = table.title
    stub = [v for v in table.variables if v.name not in table.heading]
    heading = [v for v in table.variables if v.name in table.heading]
    figures = _reordered(table, [*stub, *heading])
    columns = _combinations([len(v.codes) for v in heading])
    row = 3
    if heading_rows:
        for h, v in enumerate(heading):
            for c, combination in enumerate(columns):
                sheet.cell(row, len(stub) + 1 + c, v.texts[combination[h]])
            row += 1
    else:
        for c, combination in enumerate(columns):
            text = " ".join(v.texts[k] for v, k in zip(heading, combination, strict=True))
            sheet.cell(row, len(stub) + 1 + c, text)
        row += 1
    for s, v in enumerate(stub):
        sheet.cell(row - 1, s + 1, v.name)
    for r, combination in enumerate(_combinations([len(v.codes) for v in stub])):
        for s, (v, k) in enumerate(zip(stub, combination, strict=True)):
            sheet.cell(row + r, s + 1, f"{v.codes[k]} {v.texts[k]}" if v.code == "Region" else v.texts[k])
        for c in range(len(columns)):
            sheet.cell(row + r, len(stub) + 1 + c, figures[r * len(columns) + c])
    footer = row + len(figures) // max(len(columns), 1) + 2
    sheet.cell(footer, 1, "Källa: SCB, Statistikdatabasen")
    book.save(path)
    return path


FORMATS = ("px", "json", "csv", "semicolon", "tab", "xlsx", "xlsx-one-heading-row")


def save(table: Table, fmt: str, folder: Path, stem: str = "befolkning") -> Path:
    """The table in one of `FORMATS`, as PxWeb would save it."""
    if fmt == "px":
        path = folder / f"{stem}.px"
        path.write_bytes(px(table))
    elif fmt == "json":
        path = folder / f"{stem}.json"
        path.write_bytes(jsonstat(table))
    elif fmt in ("csv", "semicolon", "tab"):
        path = folder / f"{stem}.csv"
        sep = {"csv": ",", "semicolon": ";", "tab": "\t"}[fmt]
        path.write_text(csv_text(table, sep), encoding="cp1252" if fmt == "tab" else "utf-8-sig")
    else:
        path = xlsx(table, folder / f"{stem}.xlsx", heading_rows=fmt == "xlsx")
    return path


def unusable(kind: str, folder: Path, stem: str = "befolkning") -> Path:
    """An SCB export the program recognises but cannot use, by its content."""
    table = population_table()
    if kind == "xls":  # the old binary format: its strings as UTF-16 among binary records
        text = " ".join(f"{CODES[name]} {name}" for name in regions.NAMES) + " 2019M11 Folkmängd"
        path = folder / f"{stem}.xls"
        path.write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + text.encode("utf-16-le") + bytes(64)
        )
    elif kind == "parquet":  # PxWebApi 2's Parquet: its magic, and its strings in UTF-8 among binary data
        text = "region ålder kön månad Folkmängd " + " ".join(f"{CODES[n]} {n}" for n in regions.NAMES)
        path = folder / f"{stem}.parquet"
        binary = bytes(range(128, 256)) * 4  # column chunks: no text in any code page
        path.write_bytes(b"PAR1" + binary + f"{text} 2019M11".encode() + binary + b"PAR1")
    elif kind == "html":
        rows = "".join(f"<tr><td>{CODES[n]} {n}</td><td>{c}</td></tr>" for n, c in NOV_2019.items())
        path = folder / f"{stem}.html"
        page = f"<!DOCTYPE html><html><body><h1>{TITLE}</h1><table><tr><th>region</th><th>2019M11</th></tr>"
        path.write_text(f"{page}{rows}</table></body></html>", encoding="utf-8")
    elif kind == "yearly-csv":
        path = folder / f"{stem}.csv"
        lines = ['"Folkmängd efter region och år"', "", '"region","2019"']
        lines += [f'"{CODES[n]} {n}",{c}' for n, c in NOV_2019.items()]
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    elif kind == "yearly-xlsx":
        path = xlsx(replace_month(table, "2019"), folder / f"{stem}.xlsx")
    elif kind == "broken-px":
        path = folder / f"{stem}.px"
        path.write_bytes(px(table).replace(b"2374550", b""))
    elif kind == "women-px":
        path = folder / f"{stem}.px"
        path.write_bytes(px(population_table(sex="kvinnor")))
    elif kind == "births-json":
        path = folder / f"{stem}.json"
        path.write_bytes(
            jsonstat(population_table(contents="Levande födda", title="Befolkningsförändringar"))
        )
    else:
        raise ValueError(kind)
    return path


UNUSABLE = ("xls", "parquet", "html", "yearly-csv", "yearly-xlsx", "broken-px", "women-px", "births-json")


def replace_month(table: Table, period: str) -> Table:
    """The table with its month variable replaced by a year (SCB's yearly table)."""
    variables = tuple(
        Var("år", (period,), (period,), "Tid") if v.code == "Tid" else v for v in table.variables
    )
    return Table(
        variables, table.values, ("tabellinnehåll", "år"), "Folkmängd efter region, ålder, kön och år"
    )
