"""Fuzzing: the fresh, seeded hypothesis run and the kept corpus (the machinery is `tests/fuzz/`).

`SJUKMILJARD_FUZZ_EXAMPLES=N` sets the number of mutations (100, or 2 000 with `CI` set);
`SJUKMILJARD_FUZZ_SEED=N` replays the run whose summary line printed that seed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from .conftest import SAMPLE_2020
from .fuzz import corpus
from .fuzz.book import base, to_xlsx
from .fuzz.damage import apply_bytes
from .fuzz.result import check_result
from .fuzz.run import base_figures, run_cli, run_plan, same
from .fuzz.session import run_fresh


def test_fuzz_mutations(request: pytest.FixtureRequest) -> None:
    run_fresh(request)


def test_harness_reproduces_the_bases(tmp_path: Path) -> None:
    """The model and writer keep a base's meaning: the same figures as converting the sample."""
    run = run_cli([str(SAMPLE_2020), "-o", str(tmp_path / "original")])
    assert run.code == 0, run
    result = tmp_path / "original" / SAMPLE_2020.name.replace(".xlsx", "-resultat.xlsx")
    original = check_result(result.read_bytes(), False).figures
    assert same(base_figures("sample", tmp_path), original)
    assert math.isclose(original.grand_total, 944.0)
    assert base_figures("small", tmp_path).grand_total == pytest.approx(100 + 1.2 + 550 + 39)


def test_zip_bomb_by_total_size() -> None:
    """201 entries of 1 MB each: no entry is over the ratio limit, the total is over 200 MB."""
    data = apply_bytes(to_xlsx(base("small")), ("zip_bomb", "total"))
    assert not run_plan(data, False, [], "normal", False, "small").ok


def test_corpus_manifest_lists_every_file() -> None:
    corpus.check_manifest()


@pytest.mark.parametrize("case", list(corpus.params()))
def test_corpus(case: dict[str, Any], tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    corpus.check_case(case, tmp_path, capfd)
