"""SCB's own formats, PC-Axis and JSON-stat2, read as a cube and laid out as PxWeb's CSV is."""

from __future__ import annotations

import contextlib
import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sjukmiljard import kinds
from sjukmiljard.errors import InputRejected
from sjukmiljard.scb.cube import (
    CubeError,
    is_jsonstat,
    is_px,
    is_pxweb_json,
    read_jsonstat,
    read_px,
    read_pxweb_json,
    to_grid,
)
from sjukmiljard.scb.population import is_population_export, read_population_file

from .scb_exports import CODES, NOV_2019, jsonstat, population_table, px, pxweb_json


def counts_of(path: Path, month: str | None = None) -> dict[str, int]:
    return dict(read_population_file(path, month).population.counts)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
@pytest.mark.parametrize("split_title", [False, True])
def test_px_in_either_code_page_with_a_title_over_two_lines(
    tmp_path: Path, encoding: str, split_title: bool
) -> None:
    table = population_table(months=("2019M10", "2019M11"))
    path = write(tmp_path, "befolkning.px", px(table, encoding=encoding, split_title=split_title))

    assert counts_of(path) == NOV_2019
    assert counts_of(path, "2019M10") == {name: count - 10 for name, count in NOV_2019.items()}


def test_px_laid_out_with_the_month_in_the_heading_and_the_region_coded(tmp_path: Path) -> None:
    cube = read_px(px(population_table(months=("2019M10", "2019M11"))))
    grid = to_grid(cube, "befolkning.px")

    assert grid.get(0, 0) == "Folkmängden per månad efter region, ålder, kön och månad"
    assert [grid.get(1, c) for c in range(5)] == [
        "region", "ålder", "kön", "Folkmängd 2019M10", "Folkmängd 2019M11"
    ]  # fmt: skip
    assert [grid.get(2, c) for c in range(5)] == [
        "01 Stockholms län",
        "totalt ålder",
        "totalt",
        2374540,
        2374550,
    ]


def test_px_with_the_month_in_the_stub_and_sex_in_the_heading(tmp_path: Path) -> None:
    """Wherever the file puts the variables, the month goes to the heading: one reading for all."""
    table = replace(population_table(months=("2019M10", "2019M11")), heading=("kön",))
    path = write(tmp_path, "befolkning.px", px(table))

    assert counts_of(path) == NOV_2019


def test_px_missing_values_are_scbs_symbols(tmp_path: Path) -> None:
    path = write(tmp_path, "befolkning.px", px(population_table(), missing={7: ".."}))

    with pytest.raises(InputRejected) as caught:
        read_population_file(path)
    assert [p.message for p in caught.value.problems] == [
        "'..' är inget tal (antal personer för Gotlands län 2019M11) – SCB:s tecken för att uppgiften saknas"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.replace(b"2374550", b""), "tabellen har 20 värden, men variablerna ger 21"),
        (lambda data: data.replace(b"DATA=", b'KEYS("region")=CODES;\r\nDATA='), "KEYS"),
        (lambda data: data.split(b"DATA=")[0], "PC-Axis-filen har ingen DATA-del"),
    ],
)
def test_px_that_does_not_agree_with_itself(tmp_path: Path, change: object, message: str) -> None:
    assert callable(change)
    path = write(tmp_path, "befolkning.px", change(px(population_table())))

    with pytest.raises(InputRejected) as caught:
        read_population_file(path)
    assert message in caught.value.problems[0].message


@pytest.mark.parametrize(
    "options",
    [{}, {"as_object": True}, {"bundle": True}, {"index_list": True}],
    ids=["array", "value-object", "version-1-bundle", "index-list"],
)
def test_jsonstat_in_each_documented_spelling(tmp_path: Path, options: dict[str, bool]) -> None:
    path = write(
        tmp_path, "befolkning.json", jsonstat(population_table(months=("2019M10", "2019M11")), **options)
    )

    assert is_jsonstat(path.read_bytes())
    assert counts_of(path) == NOV_2019


def test_jsonstat_null_values_take_their_status(tmp_path: Path) -> None:
    table = population_table()
    values = list(table.values)
    values[7] = None
    data = jsonstat(replace(table, values=tuple(values))).replace(b'"role"', b'"status": {"7": ".."}, "role"')
    path = write(tmp_path, "befolkning.json", data)

    with pytest.raises(InputRejected) as caught:
        read_population_file(path)
    assert caught.value.problems[0].message.startswith("'..' är inget tal (antal personer för Gotlands län")


def test_jsonstat_whose_sizes_do_not_agree(tmp_path: Path) -> None:
    data = jsonstat(population_table()).replace(b'"size": [21,', b'"size": [20,')
    with pytest.raises(Exception, match="fel antal kategorier"):
        read_jsonstat(data)


def test_detection_by_content_not_name() -> None:
    assert is_px(px(population_table()))
    assert not is_px(b'"region","2019M11"\r\n"01 Stockholms l\xe4n",1\r\n')
    assert is_jsonstat(jsonstat(population_table()))
    assert not is_jsonstat(b'{"a": 1}') and not is_jsonstat(b"[1, 2]")


# -- PxWeb API version 1 JSON (codes only) ------------------------------------------------------


@pytest.mark.parametrize(
    "eliminated", [(), ("Alder", "Kon"), ("Alder",)], ids=["all", "region-month", "no-age"]
)
def test_pxweb_api_json_is_read_by_its_codes(tmp_path: Path, eliminated: tuple[str, ...]) -> None:
    data = pxweb_json(population_table(months=("2019M10", "2019M11")), eliminated=eliminated)
    path = write(tmp_path, "befolkning.json", data)

    assert is_pxweb_json(data) and not is_jsonstat(data) and kinds.detect(data) is kinds.JSONSTAT
    result = read_population_file(path)
    assert dict(result.population.counts) == NOV_2019 and result.month == "2019M11"
    assert counts_of(path, "2019M10") == {name: count - 10 for name, count in NOV_2019.items()}


@pytest.mark.parametrize(
    ("dimension", "text", "part"),
    [
        ("sex", "kvinnor", "kvinnor"),
        ("sex", "män", "män"),
        ("age", "65+ år", "65+ år"),
        ("age", "0 år", "0 år"),
    ],
)
def test_pxweb_api_json_with_a_part_of_kon_or_alder_is_refused(
    tmp_path: Path, dimension: str, text: str, part: str
) -> None:
    """The API gives kön and ålder as codes ('2', '65+'): translated, so a part is refused by name."""
    path = write(tmp_path, "befolkning.json", pxweb_json(population_table(**{dimension: text})))  # type: ignore[arg-type]

    with pytest.raises(InputRejected) as caught:
        read_population_file(path)
    (problem,) = caught.value.problems
    assert part in problem.message and (
        "en del av befolkningen" in problem.message or "uppdelade" in problem.message
    )


def test_pxweb_api_json_of_another_contents_is_refused(tmp_path: Path) -> None:
    table = population_table(contents="Levande födda", title="Befolkningsförändringar per månad")
    path = write(tmp_path, "befolkning.json", pxweb_json(table))

    with pytest.raises(InputRejected) as caught:
        read_population_file(path)
    assert "inte folkmängd" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["data"].append(dict(d["data"][0])), "två gånger"),
        (lambda d: d["data"][3].update(key=["03"]), "rad 4 har en nyckel"),
        (lambda d: d["data"][5].update(values=[]), "rad 6 har fel antal värden"),
        (lambda d: d["data"][2].update(values=[{"x": 1}]), "varken är ett tal eller en text"),
        (
            lambda d: d.update(columns=[c for c in d["columns"] if c["type"] != "c"]),
            "ingen kolumn med tabellinnehåll",
        ),
    ],
)
def test_pxweb_api_json_that_does_not_agree_with_itself(tmp_path: Path, edit: object, message: str) -> None:
    document = json.loads(pxweb_json(population_table()))
    edit(document)  # type: ignore[operator]
    data = json.dumps(document).encode()

    with pytest.raises(CubeError, match=message):
        read_pxweb_json(data)
    path = write(tmp_path, "hämtad.json", data)
    assert is_population_export(path)  # a folder run stops on it instead of skipping it
    with pytest.raises(InputRejected):
        read_population_file(path)


SEEDS = {
    "px": px(population_table(months=("2019M10", "2019M11"))),
    "json": jsonstat(population_table(months=("2019M10", "2019M11"))),
    "pxweb.json": pxweb_json(population_table(months=("2019M10", "2019M11"))),
}
JSON_JUNK = st.sampled_from([None, 1, -1, 1.5, "x", [], {}, [1], {"a": 1}, True, "2019M11"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(sorted(SEEDS)),
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=4)), max_size=5),
)
def test_a_damaged_px_or_json_file_is_refused_never_a_crash(
    tmp_path: Path, kind: str, cuts: list[tuple[int, bytes]]
) -> None:
    data = bytearray(SEEDS[kind])
    for position, insert in cuts:
        at = position % len(data)
        data[at : at + 3] = insert
    path = write(tmp_path, f"befolkning.{kind}", bytes(data))
    with contextlib.suppress(InputRejected):
        read_population_file(path)
    assert is_population_export(path) in (True, False)


def _json_paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            found += _json_paths(value, (*prefix, index))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_jsonstat_dataset_with_wrong_types_is_refused_never_a_crash(
    tmp_path: Path, data: st.DataObject
) -> None:
    document = json.loads(SEEDS["json"])
    paths = [path for path in _json_paths(document) if path]
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3)):
        node = document
        try:
            for key in path[:-1]:
                node = node[key]  # type: ignore[index]
            node[path[-1]] = copy.deepcopy(data.draw(JSON_JUNK))  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            continue
    target = write(tmp_path, "befolkning.json", json.dumps(document).encode())
    with contextlib.suppress(InputRejected):
        read_population_file(target)
    assert is_population_export(target) in (True, False)


def _ckm_api_json() -> bytes:
    """The API's `format=json` for BefolkManadCKM (from 2025): ålder and kön coded TotSA and TotSa,
    the contents coded 000007SF."""
    columns = [
        {"code": "Region", "text": "region", "type": "d"},
        {"code": "Alder", "text": "ålder", "type": "d"},
        {"code": "Kon", "text": "kön", "type": "d"},
        {"code": "Tid", "text": "månad", "type": "t"},
        {"code": "000007SF", "text": "Folkmängd per månad", "type": "c"},
    ]
    data = [
        {"key": [CODES[name], "TotSA", "TotSa", "2025M09"], "values": [str(count)]}
        for name, count in NOV_2019.items()
    ]
    return json.dumps({"columns": columns, "comments": [], "data": data}).encode()


def test_the_newer_tables_codes_for_totals_and_contents(tmp_path: Path) -> None:
    """A probe: the API's answer for BefolkManadCKM was refused as 'uppdelade på ålder eller kön
    (t.ex. 'TotSA år')', and a CSV headed '000003O5 2019M12' as not naming the population."""
    path = tmp_path / "BefolkManadCKM.json"
    path.write_bytes(_ckm_api_json())
    read = read_population_file(path)
    assert read.month == "2025M09" and dict(read.population.counts) == NOV_2019
    csv = tmp_path / "BefolkManad.csv"
    lines = ['"Region","Alder","Kon","000003O5 2019M12"'] + [
        f'"{CODES[name]}","tot","1+2",{count}' for name, count in NOV_2019.items()
    ]
    csv.write_text("\n".join(lines), encoding="utf-8")
    assert read_population_file(csv).month == "2019M12"
    coded = tmp_path / "data.csv"
    lines = ['"Region","000007SF 2025M09 TotSA TotSa"'] + [f'"{CODES[n]}",{c}' for n, c in NOV_2019.items()]
    coded.write_text("\n".join(lines), encoding="utf-8")
    assert read_population_file(coded).month == "2025M09"


def test_the_apis_code_and_text_names_the_month_twice(tmp_path: Path) -> None:
    """A probe: PxWebApi 2's code-and-text CSV heads the column "… 2025M09 - 2025M09 …", and a
    heading had to name exactly one month."""
    path = tmp_path / "data.csv"
    heading = "000007SF - Folkmängd per månad 2025M09 - 2025M09 TotSA - totalt ålder TotSa - totalt"
    lines = [
        '"Folkmängden per månad efter region, ålder och kön. Månad 2025M09"',
        f'"Region - region";"{heading}"',
    ]
    lines += [f'"{CODES[name]} - {name}";{count}' for name, count in NOV_2019.items()]
    path.write_text("\n".join(lines), encoding="utf-8")
    read = read_population_file(path)
    assert read.month == "2025M09" and dict(read.population.counts) == NOV_2019


@pytest.mark.parametrize(
    ("note", "part"),
    [
        ("Uppgifterna avser endast personer 18 år och äldre.", "äldre"),
        ("Tabellen gäller bara kvinnor.", "kvinnor"),
    ],
)
def test_a_note_that_narrows_the_table_is_refused(tmp_path: Path, note: str, part: str) -> None:
    """A probe: a NOTE saying the table holds only a part was never read: the part was used."""
    data = px(population_table()).replace(b"DATA=", f'NOTE="{note}";\r\nDATA='.encode("cp1252"), 1)
    with pytest.raises(InputRejected) as caught:
        read_population_file(write(tmp_path, "befolkning.px", data))
    assert (
        f"SCB-filens fotnot ('{note}') säger att tabellen bara gäller en del av befolkningen ('{part}')"
        in str(caught.value.problems[0])
    )
    document = json.loads(jsonstat(population_table()))
    document.get("dataset", document)["note"] = [note]
    with pytest.raises(InputRejected):
        read_population_file(write(tmp_path, "befolkning.json", json.dumps(document).encode()))


def test_a_note_that_narrows_nothing_is_read(tmp_path: Path) -> None:
    note = "Folkmängden avser förhållandet den sista dagen i respektive månad."
    data = px(population_table()).replace(b"DATA=", f'NOTE="{note}";\r\nDATA='.encode("cp1252"), 1)
    assert counts_of(write(tmp_path, "befolkning.px", data)) == NOV_2019


def _keyed_px(rows: list[str], kind: str = "VALUES") -> bytes:
    names = ",".join(f'"{name}"' for name in NOV_2019)
    codes = ",".join(f'"{CODES[name]}"' for name in NOV_2019)
    return "\r\n".join(
        [
            'CHARSET="ANSI";',
            'TITLE="Folkmängden per månad efter region och månad";',
            'CONTENTS="Folkmängd";',
            'STUB="region";',
            'HEADING="månad";',
            f'VALUES("region")={names};',
            'VALUES("månad")="2019M10","2019M11";',
            f'CODES("region")={codes};',
            f'KEYS("region")={kind};',
            'TIMEVAL("månad")=TLIST(M1),"2019M10","2019M11";',
            "DATA=",
            *rows,
            ";",
        ]
    ).encode("cp1252")


@pytest.mark.parametrize("kind", ["VALUES", "CODES"])
def test_px_saved_with_keys_is_read_in_any_row_order(tmp_path: Path, kind: str) -> None:
    """A probe: a PC-Axis file with KEYS("region")=VALUES was refused while PC-Axis is offered."""
    key = (lambda name: name) if kind == "VALUES" else (lambda name: CODES[name])
    rows = [f'"{key(name)}",{count - 10},{count}' for name, count in reversed(NOV_2019.items())]
    assert counts_of(write(tmp_path, "befolkning.px", _keyed_px(rows, kind))) == NOV_2019


def test_px_with_keys_leaving_a_lan_out_is_refused_not_zero(tmp_path: Path) -> None:
    rows = [f'"{name}",{count - 10},{count}' for name, count in NOV_2019.items() if name != "Gotlands län"]
    with pytest.raises(InputRejected) as caught:
        read_population_file(write(tmp_path, "befolkning.px", _keyed_px(rows)))
    assert "Gotlands län 2019M11" in str(caught.value.problems[0])


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (['"Atlantis",1,2'], "nyckeln 'Atlantis'"),
        (['"Gotlands län",1,2', '"Gotlands län",1,2'], "två gånger"),
        (['"Gotlands län",1'], "stämmer inte med KEYS"),
    ],
)
def test_px_with_keys_that_do_not_agree_is_refused(tmp_path: Path, rows: list[str], message: str) -> None:
    with pytest.raises(InputRejected) as caught:
        read_population_file(write(tmp_path, "befolkning.px", _keyed_px(rows)))
    assert message in str(caught.value.problems[0])


@pytest.mark.parametrize(
    "statement",
    [
        'VALUENOTE("ålder","totalt ålder")="Avser endast personer 16 år och äldre.";',
        'VALUENOTEX("region","01 Stockholms län")="Exklusive Norrtälje kommun.";',
        'CELLNOTE("*","*")="Tabellen avser enbart män.";',
        'DESCRIPTION="Folkmängd per månad, endast kvinnor";',
        'UNITS="hushåll";',
    ],
)
def test_every_px_text_that_narrows_the_table_is_read(tmp_path: Path, statement: str) -> None:
    """A probe: VALUENOTE, VALUENOTEX, DESCRIPTION and UNITS were never read; the part was used."""
    data = px(population_table()).replace(b"DATA=", f"{statement}\r\nDATA=".encode("cp1252"), 1)
    with pytest.raises(InputRejected):
        read_population_file(write(tmp_path, "befolkning.px", data))


def test_px_units_in_persons_read(tmp_path: Path) -> None:
    data = px(population_table()).replace(b"DATA=", b'UNITS="antal";\r\nDATA=', 1)
    assert counts_of(write(tmp_path, "befolkning.px", data)) == NOV_2019


@pytest.mark.parametrize("where", ["dimension", "category", "extension"])
def test_a_jsonstat_note_at_any_depth_is_read(tmp_path: Path, where: str) -> None:
    document = json.loads(jsonstat(population_table()))
    dataset = document.get("dataset", document)
    note = ["Endast personer 18 år och äldre."]
    if where == "dimension":
        dataset["dimension"]["ContentsCode"]["note"] = note
    elif where == "category":
        dataset["dimension"]["Alder"]["category"]["note"] = {"tot": note}
    else:
        dataset["extension"] = {"px": {"notes": note}}
    with pytest.raises(InputRejected) as caught:
        read_population_file(write(tmp_path, "befolkning.json", json.dumps(document).encode()))
    assert "fotnot" in str(caught.value.problems[0])


def test_an_api_comment_that_leaves_people_out_is_read(tmp_path: Path) -> None:
    document = json.loads(pxweb_json(population_table()))
    document["comments"] = [{"variable": "Region", "value": "01", "comment": "Exklusive Norrtälje kommun"}]
    with pytest.raises(InputRejected) as caught:
        read_population_file(write(tmp_path, "befolkning.json", json.dumps(document).encode()))
    assert "'exklusive'" in str(caught.value.problems[0])


@pytest.mark.parametrize(
    "note",
    [
        "Uppgifterna är framskrivna enligt SCB:s befolkningsprognos.",
        "Antal avser medelfolkmängden för månaden.",
    ],
)
def test_a_note_that_says_the_figures_are_no_count_is_refused(tmp_path: Path, note: str) -> None:
    """Probe 16e: a PX NOTE on a projection and a JSON-stat category note on an average were used."""
    data = px(population_table()).replace(b"DATA=", f'NOTE="{note}";\r\nDATA='.encode("cp1252"), 1)
    with pytest.raises(InputRejected) as caught:
        read_population_file(write(tmp_path, "befolkning.px", data))
    assert str(caught.value.problems[0]).startswith(f"SCB-filens fotnot ('{note}') säger att talen är")
    document = json.loads(jsonstat(population_table()))
    dataset = document.get("dataset", document)
    dataset["dimension"]["ContentsCode"]["category"]["note"] = {"BE0101N1": [note]}
    with pytest.raises(InputRejected) as caught:
        read_population_file(write(tmp_path, "befolkning.json", json.dumps(document).encode()))
    assert "säger att talen är" in str(caught.value.problems[0])
