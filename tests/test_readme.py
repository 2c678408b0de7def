"""The README's Swedish quick start: every command it shows works as written after its set-up."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from .conftest import FIXTURES, ROOT, require_tool

README = ROOT / "README.md"


def quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Snabbstart för handläggare") : text.index("## På en Windows-dator")]


def commands() -> list[str]:
    return re.findall(r"`(uv run [^`]+)`", quick_start())


def test_quick_start_has_no_command_that_needs_more_than_the_set_up() -> None:
    """After `uv sync`, `sjukmiljard` is only on the PATH inside `uv run`."""
    spans = re.findall(r"`([^`]+)`", quick_start())
    bare = [span for span in spans if span.split()[0] in ("sjukmiljard", "python", "python3", "pytest")]
    assert bare == []
    assert len(commands()) >= 5


def test_every_quick_start_command_works_as_written(sample: Path, tmp_path: Path) -> None:
    """Run in a folder holding the files the commands name; UV_PROJECT stands in for running them
    from the project folder, so that nothing is written into the checkout."""
    uv = require_tool("uv")
    work = tmp_path / "arbete"
    inbox = work / "inkorg"
    inbox.mkdir(parents=True)
    shutil.copy(sample, work / "indata.xlsx")
    shutil.copy(FIXTURES / "scb" / "befolkning-2018M12-2019M11.csv", work / "befolkning.csv")
    shutil.copy(sample, inbox / "indata.xlsx")
    shutil.copy(FIXTURES / "scb" / "befolkning-2018M12-2019M11.csv", inbox / "befolkning.csv")
    env = dict(os.environ, UV_PROJECT=str(ROOT), UV_OFFLINE="1")
    for command in commands():
        args = shlex.split(command)
        assert args[:3] == ["uv", "run", "sjukmiljard"], command
        done = subprocess.run(
            [uv, *args[1:]], cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert "Avvisad" not in done.stderr and "Traceback" not in done.stderr, (command, done.stderr)
    assert (work / "indata-mall.xlsx").is_file()
    assert (work / "indata-resultat.xlsx").is_file()
    assert (work / "utkorg" / "indata-resultat.xlsx").is_file()


def test_quick_start_tells_the_monthly_rerun() -> None:
    section = " ".join(quick_start().split())
    monthly = section[section.index("### Varje månad") :]
    for needed in (
        "Folkmängden per månad efter region, ålder och kön",
        "de 21 länen",
        "den senaste",
        '"Excel (xlsx)" (även "Excel med kod och text"), CSV eller text',
        "PC-Axis (`.px`) eller JSON-stat2 (`.json`)",
        "avvisas **hela körningen**",
        "Lägg filen i inkorg bredvid arbetsboken och dubbelklicka på `Sjukmiljard.bat`",
        "**Förändring**",
    ):
        assert needed in monthly, needed
