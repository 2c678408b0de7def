"""The results' bytes, pinned: a refactoring that changes a single byte of a result fails here.

When a change is meant to alter the results, update the digests in the same commit and say why.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sjukmiljard import convert

from .conftest import ROOT

SAMPLES = ROOT / "samples"
PINNED = {
    "plain": "8e0800b823f4e696774b0aa0f1dae5625ed5656f33434fd334aedb63ac00aaa1",
    "utfall": "b716c96226e01d2fe1c489d8521b4aac168a952835c2011867c17055bbc4773a",
    "compared": "8cc97f1e159bc25de97379b4bbd7c384765287a5bd52dee69479d7b7bf6fabf4",
}


def digest(path: Path | None) -> str:
    assert path is not None
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("pinned")
    plain = convert(SAMPLES / "sjukskrivningsmiljarden-2020.xlsx", folder / "plain.xlsx").output
    utfall = convert(SAMPLES / "sjukskrivningsmiljarden-2020-utfall.xlsx", folder / "utfall.xlsx").output
    # The monthly rerun: the population of 2018M12 from an SCB export, compared with the plain result.
    scb = ROOT / "tests" / "fixtures" / "scb" / "befolkning-2018M12-2019M11.csv"
    sample = SAMPLES / "sjukskrivningsmiljarden-2020.xlsx"
    compared = convert(
        sample, folder / "compared.xlsx", population_file=scb, month="2018M12", compare_with=plain
    ).output
    return {"plain": digest(plain), "utfall": digest(utfall), "compared": digest(compared)}


@pytest.mark.parametrize("kind", list(PINNED))
def test_result_bytes_are_pinned(results: dict[str, str], kind: str) -> None:
    assert results[kind] == PINNED[kind]
