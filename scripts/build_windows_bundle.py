"""Build dist/sjukmiljard-windows.zip: everything a finance officer needs on a Windows PC.

    uv run python scripts/build_windows_bundle.py [--out PATH] [--kontakt "Namn, telefon"]

The zip holds one folder, Sjukmiljard/:

    Sjukmiljard.bat        windows/sjukmiljard.bat: drop workbooks on it, or double-click it
    inkorg/, utkorg/       empty: double-clicking converts inkorg/ into utkorg/
    mall/indata-mall.xlsx  the blank input template
    exempel/sjukskrivningsmiljarden-2020.xlsx
    LÄSMIG.txt             Swedish instructions (UTF-8 with BOM and CRLF, for Notepad); its line
                           "Kontakt: ..." is --kontakt, or a placeholder to fill in
    wheels/                sjukmiljard's own wheel and every runtime dependency pinned in uv.lock, as
                           win_amd64 or pure wheels for CPython 3.11, 3.12 and 3.13: the first run
                           installs from here without network

The dependencies are the exact versions of `uv export` (uv.lock), fetched with
`pip download --only-binary=:all: --platform win_amd64 --python-version 3.1x --no-deps`; the lock's
markers are evaluated here for Windows and each Python version, since pip would evaluate them for
the Python that runs it. pip is this interpreter's when it has one, else `uv tool run pip`, else
python3's. The zip is deterministic: sorted entries, fixed timestamps and permissions.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "dist" / "sjukmiljard-windows.zip"
FOLDER = "Sjukmiljard"
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
PLATFORM = "win_amd64"
TIMESTAMP = (2020, 1, 1, 0, 0, 0)
README_NAME = "LÄSMIG.txt"

README = """\
Sjukmiljard – fördelning av Sjukskrivningsmiljarden per län
============================================================

SÅ HÄR GÖR DU
1. Packa upp zip-filen till en egen mapp, till exempel Dokument\\Sjukmiljard ("Extrahera alla"
   när du högerklickar på zip-filen). Kör inte programmet inifrån zip-filen.
2. Fyll i indata i en kopia av mall\\indata-mall.xlsx (bladet Anvisningar förklarar hur).
   Skriv först överenskommelsens totalbelopp i Befolkning!B2: det är kontrollsumman.
   Ett ifyllt exempel finns i exempel\\sjukskrivningsmiljarden-2020.xlsx.
3. Lägg arbetsböckerna i mappen inkorg och dubbelklicka på Sjukmiljard.bat: resultaten hamnar
   i mappen utkorg, som öppnas. Eller dra arbetsböckerna till Sjukmiljard.bat: resultatet hamnar
   bredvid indatafilen som <namn>-resultat.xlsx. Indatafilerna ändras aldrig.
4. Första gången installeras programmet i mappen .venv (någon minut, inget internet behövs).
5. Läs meddelandena i fönstret och tryck på en tangent för att stänga det.

VARJE MÅNAD: NY BEFOLKNING FRÅN SCB
1. Öppna SCB:s statistikdatabas (Statistikdatabasen på scb.se): Befolkning > Befolkningens
   sammansättning > Folkmängd > Folkmängden per månad efter region, ålder och kön.
2. Välj region: de 21 länen. Ålder: totalt ålder. Kön: totalt (eller markera inget för ålder
   och kön). Tabellinnehåll: folkmängd. Månad: den senaste.
3. Spara (ladda ned) tabellen som Excel (xlsx) eller som CSV, PC-Axis (.px) eller JSON-stat2.
   Kommuner med kod summeras till län. Tal med komma mellan tusentalen (2,375,776) går också.
4. Lägg filen i inkorg bredvid arbetsboken och dubbelklicka på Sjukmiljard.bat (eller dra
   arbetsboken och filen tillsammans till Sjukmiljard.bat). Bara en SCB-fil åt gången. Är den fel
   (.xls, årstabell, levande födda, bara kvinnor, 65+ år, ett okänt ord i rubriken …)
   konverteras inget och inget skrivs. En budget per län (Mkr, kr) hoppas över: ingen SCB-fil.
5. Fönstret säger vilken fil och månad som användes och vad som ändrades. Det förra resultatet
   sparas med datum och tid i namnet och ligger kvar orört tills det nya är klart; det nya får
   bladet Förändring (befolkning, belopp per län och mottagare, potter, förut och nu; utskrivbart).
   Befolkningen går aldrig bakåt: har det förra resultatet en nyare avvisas körningen.

VAD MEDDELANDENA BETYDER (Sjukmiljard.bat skriver sina egna utan å, ä och ö)
Klar: indata.xlsx → indata-resultat.xlsx      Klart; resultatet finns där pilen pekar.
  Obs: …      Läs anmärkningen, till exempel att ett blad hoppades över eller att resultatfilen
              var öppen i Excel och därför skrevs som "<namn>-resultat (2).xlsx".
  Obs: befolkningen togs från <fil>, månad ÅÅÅÅMmm      SCB-filen som användes.
  Obs: SCB-filens månad … är äldre än arbetsbokens befolkning      Rätt fil och månad?
  Obs: det tidigare resultatet sparades som <namn>-resultat ÅÅÅÅ-MM-DD TT.MM.SS.xlsx
  Obs: oförändrat – …      Samma resultat som förra gången: inget skrevs om, ingen kopia.
  Förändring: TOTALT … Mkr (…); befolkning … → …      Vad som ändrades mot förra resultatet.
  Obs: 'X' får … Mkr som fast belopp men är ingen känd nationell mottagare      Stämmer det?
              (Betalas bara när totalbeloppet i Befolkning!B2 stämmer, annars avvisas boken.)
  Obs: … har 22,9 Mkr i indata men beräknas till 23,010 Mkr      Ett belopp du skrivit på
              länets rad stämmer inte med befolkningen; resultatet visar det beräknade.
  Obs: … räknas inte / … är en del av …      Ett tal som inte blev en pott eller ett fast
              belopp (en dold eller överstruken rad eller kolumn, förra årets kolumn,
              en "varav"-rad). Se bladet Kontroll.
  Obs: … bara hela kronor betalas ut … avrundas bort      Öret syns på bladet Utbetalning.
Obs: <fil> hoppades över – …      Filen i inkorg är ingen arbetsbok och ingen SCB-fil.
Avvisad: indata.xlsx
  - Blad!Cell: beskrivning      Konverterades inte. Varje rad pekar ut ett fel med bladet och
              cellen, till exempel "Villkor 2!B25: ...". Rätta i Excel, spara och kör igen.
              Andra arbetsböcker konverteras ändå.
  - … programmet kan inte avgöra detta säkert: fyll i överenskommelsens totalbelopp i
              Befolkning!B2 …      Programmet skulle ha behövt gissa vad ett tal är (en kolumn
              utan rubrik, en okänd mottagare, ett tal utanför tabellen, ett blad som liknar en
              kopia eller en äldre version av ett annat). Fyll i totalbeloppet, så avgör det,
              eller rätta rubriken eller cellen (eller ta bort bladet).
  - filen är större än 20 MB / packas upp till … MB, mer än gränsen … / har minst … celler, …
              För stor för att vara indata: lästes inte (svar inom sekunder). Rätt fil?
Avvisad: 2 befolkningsfiler från SCB …      Inget konverterades. Ta bort den ena ur inkorg.
Avvisad: <fil> är en befolkningsfil från SCB som inte kan användas …      Ersätt den, kör igen.
  - befolkningen skulle gå bakåt … / … inget ändrades …      Förra resultatet är orört; se raden.
Mappen inkorg ar tom. / Hittade inga arbetsböcker (.xlsx) att konvertera.
              Lägg .xlsx-filerna i mappen inkorg, eller dra dem till Sjukmiljard.bat.
FEL: Python 3.11 eller nyare saknas pa den har datorn.
              Be IT installera Python 3.13 för Windows, 64-bitars, från python.org ("Windows
              installer (64-bit)") med tillvalet "py launcher" (3.11 och 3.12 går också bra).
FEL: kunde inte skapa mappen .venv ... / FEL: sjukmiljard kunde inte installeras ...
              Flytta mappen Sjukmiljard dit du får skriva, till exempel Dokument, och försök
              igen. Hjälper inte det: kontakta förvaltaren och skicka med texten i fönstret.

BLADET KONTROLL I RESULTATET
Visar varje tal som lästes ur indata: blad och cell, vad det lästes som (pott, fast belopp,
summa som kontrollerades, andel, personer) och vad det blev, och de tal som inte används.
Överst stäms villkorsbladen av mot Sammanställningens SUMMA och överenskommelsens totalbelopp.
En revisor kan följa varje belopp tillbaka till sin cell.

Varje körning skriver en rad i sjukmiljard-logg.csv i utkorg (eller bredvid indatafilen): tid,
indatafil och kontrollsumma, befolkningens källa och datum (SCB-fil, månad och kontrollsumma),
resultatfil, Klar eller Avvisad, och sist resultatets kontrollsumma ('= + - @' först får en ').
Utskrift: Befolkning, varje villkor och Sammanställningen på en A4-sida var; sidfoten visar
indatafil, befolkning och programversion.

FÖR IT
Kräver Python 3.11–3.13 för Windows, 64-bitars (py launcher eller python på PATH), inga
administratörsrättigheter och inget nätverk: paketen finns i mappen wheels. Slutkoder:
0 klart, 1 någon arbetsbok avvisad, 2 felaktigt anrop, 9 Python saknas, 10 .venv kunde inte
skapas, 11 installationen misslyckades. SJUKMILJARD_NO_PAUSE=1 stänger fönstret utan att vänta,
SJUKMILJARD_NO_EXPLORER=1 låter bli att öppna utkorg.

Kontakt: {contact}
"""
CONTACT_PLACEHOLDER = "<fyll i förvaltarens namn och telefon>"


@dataclass(frozen=True)
class Pin:
    """One `name==version ; marker` line of `uv export`."""

    name: str
    version: str
    marker: str | None

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


def readme_bytes(contact: str | None = None) -> bytes:
    """LÄSMIG.txt: UTF-8 with a BOM and CRLF, so Notepad shows å, ä and ö."""
    text = README.format(contact=contact or CONTACT_PLACEHOLDER)
    return "\ufeff".encode() + text.replace("\n", "\r\n").encode()


def bat_bytes(root: Path = ROOT) -> bytes:
    """windows/sjukmiljard.bat with CRLF whatever the checkout did to it; it must be ASCII."""
    data = (root / "windows" / "sjukmiljard.bat").read_bytes()
    if not data.isascii():
        raise SystemExit("windows/sjukmiljard.bat must be pure ASCII")
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def template_bytes(root: Path = ROOT) -> bytes:
    path = root / "templates" / "indata-mall.xlsx"
    if path.is_file():
        return path.read_bytes()
    from sjukmiljard.template import template_bytes as generate

    return generate()


def bundle_files(root: Path, wheels: Iterable[Path], contact: str | None = None) -> dict[str, bytes | None]:
    """Every entry of the zip: its name, and its bytes (None for a folder)."""
    files: dict[str, bytes | None] = {
        f"{FOLDER}/": None,
        f"{FOLDER}/Sjukmiljard.bat": bat_bytes(root),
        f"{FOLDER}/inkorg/": None,
        f"{FOLDER}/utkorg/": None,
        f"{FOLDER}/mall/": None,
        f"{FOLDER}/mall/indata-mall.xlsx": template_bytes(root),
        f"{FOLDER}/exempel/": None,
        f"{FOLDER}/exempel/sjukskrivningsmiljarden-2020.xlsx": (
            root / "samples" / "sjukskrivningsmiljarden-2020.xlsx"
        ).read_bytes(),
        f"{FOLDER}/{README_NAME}": readme_bytes(contact),
        f"{FOLDER}/wheels/": None,
    }
    for wheel in wheels:
        files[f"{FOLDER}/wheels/{wheel.name}"] = wheel.read_bytes()
    return files


class _OemNamed(zipfile.ZipInfo):
    """A member whose name is stored in code page 437 without the UTF-8 flag: Windows' own
    "Extrahera alla" reads names in the OEM code page (850 in Sweden, the same bytes for å, ä, ö),
    while 7-Zip, Info-ZIP and others read the UTF-8 name in the Unicode Path field (0x7075)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("cp437"), self.flag_bits


def _zip_info(name: str, *, folder: bool) -> zipfile.ZipInfo:
    try:
        name.encode("ascii")
        info = zipfile.ZipInfo(name, TIMESTAMP)
    except UnicodeEncodeError:
        info = _OemNamed(name, TIMESTAMP)
        utf8, oem = name.encode(), name.encode("cp437")
        info.extra = struct.pack("<HHBI", 0x7075, 5 + len(utf8), 1, zlib.crc32(oem)) + utf8
    info.create_system = 3
    if folder:
        info.external_attr = (0o40755 << 16) | 0x10
    else:
        info.external_attr = 0o100644 << 16
        stored = name.endswith((".whl", ".xlsx"))  # already compressed
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def write_zip(files: Mapping[str, bytes | None], target: Path) -> None:
    """Write the entries sorted by name, with fixed timestamps, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(temp, "w") as archive:
        for name in sorted(files):
            data = files[name]
            info = _zip_info(name, folder=data is None)
            archive.writestr(info, b"" if data is None else data, compresslevel=9)
    os.replace(temp, target)


def pinned_runtime(root: Path = ROOT) -> list[Pin]:
    """sjukmiljard's runtime dependencies as pinned in uv.lock (no dev group, not the project)."""
    what = ["--locked", "--no-dev", "--no-emit-project"]
    how = ["--no-hashes", "--no-header", "--no-annotate", "--quiet", "--format", "requirements-txt"]
    exported = subprocess.run(
        ["uv", "export", *what, *how],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pins = []
    for line in exported.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        requirement, _, marker = line.partition(";")
        name, _, version = requirement.strip().partition("==")
        if not version:
            raise SystemExit(f"uv export gave an unpinned line: {line}")
        pins.append(Pin(name.strip(), version.strip(), marker.strip() or None))
    return pins


def windows_environment(python: str) -> dict[str, str]:
    """Marker values of 64-bit CPython `python` ("3.12") on Windows."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": "win32",
    }


def _marker_class() -> Any:
    """packaging's Marker (a dev dependency, through pytest), else the one pip carries."""
    for module in ("packaging.markers", "pip._vendor.packaging.markers"):
        with contextlib.suppress(ImportError):
            return importlib.import_module(module).Marker
    raise SystemExit("needs the packaging module: uv sync (it comes with the dev tools)")


def pins_for(pins: Iterable[Pin], python: str) -> list[Pin]:
    """The pins whose markers hold on Windows with `python`."""
    marker = _marker_class()
    environment = windows_environment(python)
    return [pin for pin in pins if pin.marker is None or marker(pin.marker).evaluate(environment)]


def pip_command() -> list[str]:
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv:
        return [uv, "tool", "run", "pip"]
    python = shutil.which("python3") or shutil.which("python")
    if python:
        return [python, "-m", "pip"]
    raise SystemExit("pip not found: install uv or pip")


def download_wheels(pins: list[Pin], dest: Path, work: Path) -> None:
    for python in PYTHON_VERSIONS:
        wanted = pins_for(pins, python)
        requirements = work / f"requirements-{python}.txt"
        requirements.write_text("".join(f"{pin.requirement}\n" for pin in wanted), encoding="utf-8")
        print(f"  Python {python}: {', '.join(pin.requirement for pin in wanted)}", flush=True)
        flags = ["--quiet", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:"]
        target = ["--platform", PLATFORM, "--implementation", "cp", "--python-version", python]
        files = ["--dest", str(dest), "-r", str(requirements)]
        subprocess.run([*pip_command(), "download", *flags, *target, *files], check=True)


def build_own_wheel(root: Path, out: Path) -> Path:
    done = subprocess.run(
        ["uv", "build", "--wheel", "--out-dir", str(out), str(root)], capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("uv build failed")
    wheels = sorted(out.glob("sjukmiljard-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"uv build made {len(wheels)} sjukmiljard wheels")
    return wheels[0]


def build(target: Path, root: Path = ROOT, contact: str | None = None) -> dict[str, bytes | None]:
    with tempfile.TemporaryDirectory(prefix="sjukmiljard-bundle-") as temp:
        work = Path(temp)
        wheels = work / "wheels"
        wheels.mkdir()
        print("Bygger sjukmiljards wheel ...", flush=True)
        build_own_wheel(root, wheels)
        print(f"Hämtar beroenden för Windows (CPython {', '.join(PYTHON_VERSIONS)}) ...", flush=True)
        download_wheels(pinned_runtime(root), wheels, work)
        files = bundle_files(root, sorted(wheels.glob("*.whl")), contact)
    write_zip(files, target)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the zip (default {DEFAULT_OUT})")
    parser.add_argument("--kontakt", metavar="TEXT", help="who to call, for LÄSMIG.txt: name and phone")
    args = parser.parse_args(argv)
    files = build(args.out, contact=args.kontakt)
    wheels = sorted(name.rsplit("/", 1)[1] for name in files if name.endswith(".whl"))
    size = args.out.stat().st_size
    print(f"Klar: {args.out} ({len(files)} poster, {size / 1e6:.1f} MB)")
    print(f"  wheels ({len(wheels)}): {', '.join(wheels)}")
    if not args.kontakt:
        print(f"  Obs: LÄSMIG.txt har raden 'Kontakt: {CONTACT_PLACEHOLDER}' (ange --kontakt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
