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
    "plain": "f4ddd6e66004db952ec0d7ec8ddbdfdc908d7619ace0b62b18fe080d9cf345de",
    "utfall": "767366bb6b72170697ba3eab4470a783153837390d2f4f3ef65ef0a75349c0f7",
    "compared": "a93fd53688e2fad93c20c7c72cc50327bae47d7959d685c95325d83eccb0ed0f",
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
