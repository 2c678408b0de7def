"""Län names as people write them."""

from __future__ import annotations

import pytest

from sjukmiljard.words.regions import LAN, NAMES, match, suggest


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Stockholms län", "Stockholms län"),
        ("Stockholms\u00a0län", "Stockholms län"),
        ("  STOCKHOLMS LÄN ", "Stockholms län"),
        ("Region Stockholm", "Stockholms län"),
        ("Stockholm", "Stockholms län"),
        ("01", "Stockholms län"),
        ("1", "Stockholms län"),
        ("01 Stockholms län", "Stockholms län"),
        ("Region Jämtland Härjedalen", "Jämtlands län"),
        ("Jämtland-Härjedalen", "Jämtlands län"),
        ("Västra Götalandsregionen", "Västra Götalands län"),
        ("Region Sörmland", "Södermanlands län"),
        ("Region Jönköpings län", "Jönköpings län"),
        ("Region Örebro län", "Örebro län"),
        ("Landstinget i Uppsala län", "Uppsala län"),
        ("Dalarna", "Dalarnas län"),
        ("Sko\u0308ne la\u0308n".replace("o\u0308", "a\u030a"), "Skåne län"),  # decomposed å, ä
    ],
)
def test_match(text: str, name: str) -> None:
    assert match(text) == name


@pytest.mark.parametrize(
    "text", ["", "02", "01 Uppsala län", "Stokholms län", "Riket", "0114 Upplands Väsby"]
)
def test_no_match(text: str) -> None:
    assert match(text) is None


def test_every_seed_name_and_code_matches_itself() -> None:
    assert len(NAMES) == 21
    for lan in LAN:
        assert match(lan.name) == lan.name
        assert match(f"{lan.code} {lan.name}") == lan.name


def test_suggest() -> None:
    assert suggest("Stokholms län") == "Stockholms län"
    assert suggest("Norrbotens län") == "Norrbottens län"
    assert suggest("Lappland") is None
