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
    "plain": "8081c2bd9c524669f0f635cad6bcd75c1ae7c224979a164f06690e6a19dd383c",
    "utfall": "de0b0267872d4d0e870f5c9b0031d0a6e48edabfad33b27e4923428cf1ec113b",
    "compared": "716ce1a2c3112de6010b63b14df72ca739e6798902b01d5736d5719fe6042361",
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
