"""Builders for the small workbooks the tests need, and the shipped samples."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sjukmiljard.words.regions import NAMES

from .odf import save_ods

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
SAMPLE_2020 = ROOT / "samples" / "sjukskrivningsmiljarden-2020.xlsx"
# The sample's Villkor 1 has the officer's own län amounts, rounded to one decimal; three of them are
# off at that precision, and every run names them.
SAMPLE_NOTICES = tuple(
    f"  Obs: Villkor 1!{cell}: {lan} har {typed} Mkr i indata men beräknas till {computed} Mkr "
    "(pott × befolkningens andel) – resultatet visar det beräknade beloppet"
    for cell, lan, typed, computed in (
        ("B4", "Stockholms län", "22,9", "23,010"),
        ("B12", "Blekinge län", "1,6", "1,548"),
        ("B16", "Värmlands län", "2,8", "2,736"),
    )
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PERSONS_2019 = (
    2374550, 383044, 297169, 465214, 363351, 201290, 245415, 59636, 159748, 1376659, 333202,
    1724529, 282342, 304634, 275634, 287795, 287333, 245380, 130697, 271621, 250230,
)  # fmt: skip
POPULATION = dict(zip(NAMES, PERSONS_2019, strict=True))

# Row numbers (1-based, as Excel shows them) in the workbooks `small_book` builds.
HEADER = 3
FIRST_LAN = 4
RIKET = FIRST_LAN + len(NAMES)  # 25


def row_of(name: str) -> int:
    return FIRST_LAN + NAMES.index(name)


def small_book() -> openpyxl.Workbook:
    """A valid input: Befolkning 1/11 2019 and two villkor (one with two pots)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Befolkning"
    ws["A1"] = "Befolkning 1/11 2019"
    ws.append([])
    ws.append(["Län", "Personer", "Andel"])
    for name in NAMES:
        ws.append([name, POPULATION[name]])
    ws.append(["RIKET", sum(PERSONS_2019)])

    ws = book.create_sheet("Villkor 1")
    ws["A1"] = "Ledning och styrning i försäkringsmedicin"
    ws.append([])
    ws.append(["Län", "Pot belopp, Mkr"])
    for name in NAMES:
        ws.append([name])
    ws.append(["RIKET", 100])
    ws.append([])
    ws.append(["Utbetalning sker senast 27 januari 2021"])
    ws.append(["Socialstyrelsen", 1.2])
    ws.append(["SUMMA", 101.2])

    ws = book.create_sheet("Villkor 3")
    ws["A1"] = "Insatser för lindrig och medelsvår psykisk ohälsa"
    ws.append([])
    ws.append(["Län", "Pot belopp, Mkr", "Pot belopp, Mkr", "Totalt"])
    for name in NAMES:
        ws.append([name])
    ws.append(["RIKET", 500, 50, 550])
    ws.append([])
    ws.append(["SKR", 39])
    return book


def word_document() -> bytes:
    """A zip like a Word document (.docx): no xl/workbook.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def save(book: openpyxl.Workbook, folder: Path, name: str = "indata.xlsx") -> Path:
    path = folder / name
    book.save(path)
    return path


FORMATS = ("xlsx", "ods")


@pytest.fixture(params=FORMATS)
def fmt(request: pytest.FixtureRequest) -> str:
    """The input format a test runs for: every rule of the input contract holds for both."""
    return str(request.param)


def save_as(book: openpyxl.Workbook, folder: Path, fmt: str, stem: str = "indata") -> Path:
    """`book` saved as an .xlsx (by openpyxl) or an .ods (by the tests' ODS writer)."""
    if fmt == "ods":
        return save_ods(book, folder, f"{stem}.ods")
    return save(book, folder, f"{stem}.{fmt}")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the 2020 sample, so that no test can touch the shipped one."""
    return Path(shutil.copy(SAMPLE_2020, tmp_path / SAMPLE_2020.name))


def libreoffice_convert(
    sources: list[Path],
    conversion: str,
    outdir: Path,
    *,
    profile: Path,
    settings: str | None = None,
    env: dict[str, str] | None = None,
) -> None:
    """`soffice --headless --convert-to conversion` for `sources` into `outdir`, with a profile of its
    own (`settings`: its registrymodifications.xcu) and `env` added to the environment."""
    soffice = require_tool("soffice")
    if settings is not None:
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(settings, encoding="utf-8")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            conversion,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=None if env is None else {**os.environ, **env},
    )


def require_tool(name: str) -> str:
    """The path of an external program; skip without it locally, fail without it in CI."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return found


@dataclass
class ChangesSheet:
    """The Förändring sheet of a result, read back by its headings rather than fixed rows.

    Attributes:
        lines: column A above the summary table (title, the dates line, notes on columns).
        summary: per län and "SUMMA": persons before, now, change; TOTALT before, now, change in
            Mkr, change in per cent (the cells as cached).
        villkor: per villkor label, per län and "SUMMA": before, now, change.
        rows: (first län row, SUMMA row) of every table, 1-based as Excel shows them, summary first.
    """

    lines: list[str]
    summary: dict[str, list[Any]]
    villkor: dict[str, dict[str, list[Any]]]
    rows: list[tuple[int, int]]


def read_changes(path: Path) -> ChangesSheet:
    ws = openpyxl.load_workbook(path, data_only=True)["Förändring"]
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    headers = [i for i, row in enumerate(grid) if row and row[0] == "Län"]
    assert headers, "no table with a Län heading"
    lines = [str(row[0]) for row in grid[: headers[0] - 1] if row and row[0] is not None]
    tables: list[tuple[list[Any], dict[str, list[Any]]]] = []
    rows = []
    for h in headers:
        body = {}
        r = h + 1
        while grid[r][0] != "SUMMA":
            body[grid[r][0]] = grid[r][1:]
            r += 1
        body["SUMMA"] = grid[r][1:]
        assert list(body)[:-1] == list(NAMES)
        tables.append((grid[h - 1], body))
        rows.append((h + 2, r + 1))
    summary = {lan: values[:7] for lan, values in tables[0][1].items()}
    villkor: dict[str, dict[str, list[Any]]] = {}
    for groups, body in tables[1:]:
        for col in range(1, len(groups), 3):
            if groups[col] is not None:
                villkor[groups[col]] = {lan: values[col - 1 : col + 2] for lan, values in body.items()}
    return ChangesSheet(lines, summary, villkor, rows)


# Markers for the tests that need an outside program (`-m "not wine"` leaves those out).
MODULE_MARKERS = {
    "test_windows_bat": ("wine",),
    "test_gnumeric": ("gnumeric",),
    "test_libreoffice": ("libreoffice",),
    "test_printing": ("libreoffice",),
    "test_saved_formats": ("libreoffice",),
}
# Modules whose tests share an expensive session or module set-up (the Wine prefix, the samples saved
# by LibreOffice, the real Windows bundle): xdist runs each one's tests on one worker, so that the
# set-up happens once. The scheduler below reads the module off the node id.
SHARED_SET_UP = {
    "tests/test_windows_bat.py": "wine",
    "tests/test_saved_formats.py": "saved-formats",
    "tests/test_libreoffice.py": "libreoffice-recalculation",  # one soffice call for every result
    "tests/test_windows_bundle.py": "network",
}


# The longest tests (5-10 s each on two cores), started first so that none of them is left to run
# alone at the end of a parallel run; the rest keep their order.
LONG_FIRST = (
    "tests/test_fuzz.py::test_fuzz_mutations",
    "tests/test_replace.py::test_kill_at_random_moments",
    "tests/test_printing.py::",
    "tests/test_runlog.py::test_concurrent_appends",
    "tests/test_replace.py::test_eight_runs_at_once",
    "tests/test_readme.py::test_every_quick_start_command",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))
    for item in items:
        module = item.path.stem
        names = set(MODULE_MARKERS.get(module, ()))
        if "libreoffice" in item.name.lower() or "displayed_ods" in getattr(item, "fixturenames", ()):
            names.add("libreoffice")
        if "gnumeric" in item.name.lower():
            names.add("gnumeric")
        if module == "test_windows_bundle" and "built" in getattr(item, "fixturenames", ()):
            names.add("network")  # the real build downloads the Windows wheels
        for name in sorted(names):
            item.add_marker(getattr(pytest.mark, name))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` with the groups of SHARED_SET_UP.

    xdist's own loadgroup learns a test's group from an `xdist_group` mark by appending "@group" to
    the node id on the worker; pytest 9.2's structured node ids ignore that (pytest-xdist issue
    1386), so every test was scheduled alone and each group's set-up ran on both workers (the Wine
    prefix twice, 13 s each). This scheduler takes the group from the module instead, and still
    honours an "@group" suffix should xdist's mechanism work again. Groups with more tests start
    first (xdist's `--loadscope-reorder`), then the rest in collection order."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class SharedSetUpScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = SHARED_SET_UP.get(nodeid.split("::", 1)[0])
            return group if group is not None else super()._split_scope(nodeid)

    return SharedSetUpScheduling(config, log)
