"""The bytecode the command line leaves for the next start where Python writes none."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sjukmiljard import bytecode

from .conftest import ROOT, SAMPLE_NOTICES


def load(path: Path, name: str) -> ModuleType:
    """Import a file as Python does, without writing bytecode."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def valid_for(cached: Path, source: Path) -> bool:
    """What Python checks before it uses a .pyc: the magic number, and the source's mtime and size."""
    header = cached.read_bytes()[:16]
    stat = source.stat()
    return (
        header[:4] == importlib.util.MAGIC_NUMBER
        and int.from_bytes(header[4:8], "little") == 0  # timestamp-based, not hash-based
        and int.from_bytes(header[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
        and int.from_bytes(header[12:16], "little") == stat.st_size & 0xFFFFFFFF
    )


def test_missing_and_stale_bytecode_is_written_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    environment = tmp_path / "venv"
    files = {
        "installed": environment / "installed.py",
        "installed.part": environment / "installed_part.py",
        "ours": tmp_path / "src" / "ours" / "__init__.py",
        "ours.edited": tmp_path / "src" / "ours" / "edited.py",
        "theirs": tmp_path / "elsewhere" / "theirs.py",
    }
    for name, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"NAME = {name!r}\n")
    modules = {name: load(path, name) for name, path in files.items()}
    cached = {name: Path(module.__cached__) for name, module in modules.items()}
    assert not any(path.exists() for path in cached.values())

    def write() -> int:
        return bytecode.write_bytecode(modules, environment=os.path.join(environment, ""), package="ours")

    assert write() == 4
    for name in ("installed", "installed.part", "ours", "ours.edited"):
        assert valid_for(cached[name], files[name])
    assert not cached["theirs"].exists()  # outside the environment and the package: not ours to write
    assert write() == 0

    files["ours.edited"].write_text("NAME = 'edited again'\n")
    later = files["ours.edited"].stat().st_mtime + 5
    os.utime(files["ours.edited"], (later, later))
    assert write() == 1
    assert valid_for(cached["ours.edited"], files["ours.edited"])

    cached["installed.part"].unlink()  # a package's top-level module stands for the rest of it
    assert write() == 0
    cached["installed"].unlink()
    assert write() == 2


def test_nothing_is_written_where_python_writes_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert bytecode.cache_imported() == 0


def test_a_run_leaves_bytecode_for_the_next_start(tmp_path: Path) -> None:
    """A copy of the package, run as `python -m sjukmiljard` under PYTHONDONTWRITEBYTECODE=1."""
    shutil.copytree(
        ROOT / "sjukmiljard", tmp_path / "sjukmiljard", ignore=shutil.ignore_patterns("__pycache__")
    )
    sample = shutil.copy(ROOT / "samples" / "sjukskrivningsmiljarden-2020.xlsx", tmp_path / "indata.xlsx")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPYCACHEPREFIX", None)
    command = [sys.executable, "-m", "sjukmiljard", str(sample), "-o", str(tmp_path / "ut")]
    first = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert first.stderr == ""
    sources = [
        tmp_path / "sjukmiljard" / f"{name}.py"
        for name in ("cli", "read/workbook", "result/writer", "allocate/shares")
    ]
    cached = [Path(importlib.util.cache_from_source(str(source))) for source in sources]
    assert all(valid_for(pyc, source) for pyc, source in zip(cached, sources, strict=True))
    written = [pyc.stat().st_mtime_ns for pyc in cached]

    second = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert second.stderr == ""
    first_line, *rest = second.stdout.splitlines()
    assert first_line == f"Klar: {sample} → {tmp_path / 'ut' / 'indata-resultat.xlsx'}"
    assert all(line.startswith("  Obs: oförändrat") or line in SAMPLE_NOTICES for line in rest)  # again
    assert [pyc.stat().st_mtime_ns for pyc in cached] == written
