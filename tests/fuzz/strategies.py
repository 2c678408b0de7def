"""Hypothesis strategies: a plan is a base workbook, structural mutations, byte damage and a mode."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from .mutations import Op
from .values import CELL_TEXTS, ERRORS, NUMBERS, ODD_SHEET_NAMES, PAYLOADS, SAFE_SHEET_NAMES, STATES


@dataclass
class Plan:
    base: str  # "small" or "sample"
    ops: list[Op]
    byte_ops: list[Op]
    mode: str  # "normal", "values-only" or "check"
    roundtrip: bool  # convert the result again


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")), min_size=0, max_size=40)
_SHEET_NAMES = st.one_of(st.sampled_from(SAFE_SHEET_NAMES + ODD_SHEET_NAMES), _TEXT)
_INDEX = st.integers(0, 60)

STRUCTURAL: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("textify"), _INDEX, _INDEX, _INDEX, st.integers(0, 11), st.booleans()),
    st.tuples(st.just("swap_rows"), _INDEX, _INDEX, _INDEX),
    st.tuples(st.just("blank_cell"), _INDEX, _INDEX, _INDEX),
    st.tuples(st.just("set_text"), _INDEX, _INDEX, _INDEX, st.one_of(st.sampled_from(CELL_TEXTS), _TEXT)),
    st.tuples(st.just("set_number"), _INDEX, _INDEX, _INDEX, st.sampled_from(NUMBERS)),
    st.tuples(
        st.just("set_formula"), _INDEX, _INDEX, _INDEX, st.sampled_from(("none", "same", "text", "number"))
    ),
    st.tuples(st.just("set_error"), _INDEX, _INDEX, _INDEX, st.sampled_from(ERRORS)),
    st.tuples(st.just("duplicate_row"), _INDEX, _INDEX),
    st.tuples(st.just("delete_row"), _INDEX, _INDEX),
    st.tuples(st.just("insert_blank_row"), _INDEX, _INDEX),
    st.tuples(st.just("merge"), _INDEX, _INDEX, _INDEX, st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("delete_sheet"), _INDEX),
    st.tuples(st.just("rename_sheet"), _INDEX, _SHEET_NAMES),
    st.tuples(st.just("set_state"), _INDEX, st.sampled_from(STATES)),
    st.tuples(st.just("move_sheet"), _INDEX, _INDEX),
    st.tuples(
        st.just("add_sheet"),
        st.sampled_from(("notes", "empty", "anvisningar", "population", "copy")),
        _SHEET_NAMES,
    ),
    st.tuples(st.just("lan_alias"), _INDEX, _INDEX),
    st.tuples(st.just("date_form"), _INDEX),
    st.tuples(
        st.just("inject"),
        st.sampled_from(("title", "note", "body", "sheetname")),
        _INDEX,
        st.sampled_from(PAYLOADS),
    ),
    st.tuples(
        st.just("far_cell"),
        _INDEX,
        st.integers(0, 3000),
        _INDEX,
        st.sampled_from(("Anteckning", "7", "SUMMA")),
    ),
)
BYTES: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("truncate"), st.integers(0, 999)),
    st.tuples(
        st.just("flip"), st.lists(st.tuples(st.integers(0, 999), st.integers(0, 255)), min_size=1, max_size=3)
    ),
    st.tuples(
        st.just("corrupt"),
        _INDEX,
        st.sampled_from(("cut", "garbage", "bad_utf8", "empty", "remove", "entity_bomb", "xxe", "dtd_only")),
    ),
    st.tuples(st.just("zip_bomb"), st.just("entry")),
)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    base_name = draw(st.sampled_from(("small", "small", "small", "small", "sample")))
    ops = draw(st.lists(STRUCTURAL, min_size=0 if base_name == "sample" else 1, max_size=4))
    byte_ops = draw(st.lists(BYTES, max_size=2)) if draw(st.integers(0, 4)) == 0 else []
    mode = draw(st.sampled_from(("normal", "normal", "normal", "values-only", "check")))
    return Plan(base_name, ops, byte_ops, mode, roundtrip=draw(st.integers(0, 3)) == 0)
