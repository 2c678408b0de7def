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

from .conftest import ROOT


def load(path: Path) -> ModuleType:
    """Import a file as Python does, without writing bytecode."""
    spec = importlib.util.spec_from_file_location(f"bytecode_test_{path.stem}", path)
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
    environment, own, elsewhere = (tmp_path / name for name in ("venv", "own", "elsewhere"))
    files = {
        "installed": environment / "installed.py",
        "ours": own / "ours.py",
        "theirs": elsewhere / "theirs.py",
    }
    for name, path in files.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"NAME = {name!r}\n")
    modules = [load(path) for path in files.values()]
    cached = {name: Path(module.__cached__) for name, module in zip(files, modules, strict=True)}
    assert not any(path.exists() for path in cached.values())

    def write() -> int:
        return bytecode.write_bytecode(
            modules, environment=os.path.join(environment, ""), own=os.path.join(own, "")
        )

    assert write() == 2
    assert valid_for(cached["installed"], files["installed"])
    assert valid_for(cached["ours"], files["ours"])
    assert not cached["theirs"].exists()  # outside the environment and the package: not ours to write

    assert write() == 0
    files["ours"].write_text("NAME = 'edited'\n")
    later = files["ours"].stat().st_mtime + 5
    os.utime(files["ours"], (later, later))
    assert write() == 1
    assert valid_for(cached["ours"], files["ours"])


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
    sources = [tmp_path / "sjukmiljard" / f"{name}.py" for name in ("cli", "reader", "writer", "allocation")]
    cached = [Path(importlib.util.cache_from_source(str(source))) for source in sources]
    assert all(valid_for(pyc, source) for pyc, source in zip(cached, sources, strict=True))
    written = [pyc.stat().st_mtime_ns for pyc in cached]

    second = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert second.stderr == ""
    assert second.stdout.splitlines() == [f"Klar: {sample} → {tmp_path / 'ut' / 'indata-resultat.xlsx'}"]
    assert [pyc.stat().st_mtime_ns for pyc in cached] == written
