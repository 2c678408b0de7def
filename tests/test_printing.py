"""The printout, rendered by LibreOffice: Befolkning, every villkor sheet and the Sammanställning on
one A4 page each whatever the font (Carlito, with Calibri's metrics, where it is installed, and
LibreOffice's defaults without it); Utbetalning on two pages, the län and the national bodies.

Each sheet is printed alone (the others hidden in a copy of the result) and its PDF's pages counted.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from .conftest import libreoffice_convert
from .recalculation import make_result

NO_CARLITO = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*Carlito*</glob></rejectfont></selectfont>
</fontconfig>
"""
PAGES = {"Utbetalning": 2}  # every other sheet: one page


def sheet_names(result: Path) -> list[str]:
    with zipfile.ZipFile(result) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    return re.findall(r'<sheet name="([^"]+)"', workbook)


def only_sheet(result: Path, index: int, target: Path) -> Path:
    """A copy of `result` with every sheet but the one at `index` hidden, and that one active."""
    with zipfile.ZipFile(result) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    for info in parts:
        if info.filename == "xl/workbook.xml":
            xml = parts[info].decode()
            sheets = xml.split("<sheet name=")
            xml = sheets[0] + "".join(
                ("<sheet name=" if k == index else '<sheet state="hidden" name=') + part
                for k, part in enumerate(sheets[1:])
            )
            xml = re.sub(r'activeTab="\d+"', f'activeTab="{index}"', xml)
            parts[info] = xml.encode()
        elif info.filename.startswith("xl/worksheets/sheet"):
            parts[info] = parts[info].replace(b' tabSelected="1"', b"")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            archive.writestr(info, data)
    return target


def pages_per_sheet(result: Path, folder: Path, env: dict[str, str] | None) -> dict[str, int]:
    names = sheet_names(result)
    copies = [only_sheet(result, i, folder / f"blad{i}.xlsx") for i in range(len(names))]
    libreoffice_convert(copies, "pdf", folder / "pdf", profile=folder / "profil", env=env)
    return {
        name: len(re.findall(rb"/Type\s*/Page\b(?!s)", (folder / "pdf" / f"blad{i}.pdf").read_bytes()))
        for i, name in enumerate(names)
    }


@pytest.mark.parametrize("fonts", ["installed", "without Carlito"])
@pytest.mark.parametrize("kind", ["plain", "payout"])
def test_every_sheet_prints_on_its_pages(tmp_path: Path, kind: str, fonts: str) -> None:
    env = None
    if fonts == "without Carlito":
        (tmp_path / "fonts.conf").write_text(NO_CARLITO, encoding="utf-8")
        env = {"FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    result = make_result(tmp_path, kind)
    pages = pages_per_sheet(result, tmp_path, env)
    assert len(pages) == (11 if kind == "plain" else 14)
    receipt = pages.pop("Kontroll")  # the reading receipt runs over pages, its heading repeated
    assert 1 <= receipt <= (4 if kind == "plain" else 6)
    assert pages == {name: PAGES.get(name, 1) for name in pages}
