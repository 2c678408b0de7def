"""The printout, rendered by LibreOffice: Befolkning, every villkor sheet and the Sammanställning on
one A4 page each whatever the font (Carlito, with Calibri's metrics, where it is installed, and
LibreOffice's defaults without it); Utbetalning on two pages, the län and the national bodies.

The result is printed once, whole, and each page counted for the sheet its footer names.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import libreoffice_convert, require_tool
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


def pages_per_sheet(result: Path, folder: Path, env: dict[str, str] | None) -> dict[str, int]:
    """The result printed once, whole, and each page given to the sheet its footer names ("Indata:
    … Villkor 1, sida 2 av 18"): a page without that footer, or naming no sheet, fails the test."""
    names = sheet_names(result)
    libreoffice_convert([result], "pdf", folder / "pdf", profile=folder / "profil", env=env)
    pdf = folder / "pdf" / f"{result.stem}.pdf"
    shown = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [" ".join(page.split()) for page in shown.split("\f")]
    if pages and not pages[-1]:
        pages.pop()  # the form feed after the last page
    counted = dict.fromkeys(names, 0)
    for number, page in enumerate(pages, 1):
        footer = re.search(rf"Indata: (?P<file>.*), sida {number} av {len(pages)}", page)
        assert footer is not None, f"page {number} has no footer naming its sheet: {page[-200:]!r}"
        sheet = next((n for n in names if footer["file"].endswith(f" {n}")), None)
        assert sheet is not None, f"page {number}'s footer names no sheet: {footer[0]!r}"
        counted[sheet] += 1
    return counted


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
