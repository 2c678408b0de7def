"""scripts/build_windows_bundle.py: what dist/sjukmiljard-windows.zip holds.

The fast tests build the content list with stand-in wheels; one real build per session (it
downloads the Windows wheels, so it needs the package registry) checks that every runtime
dependency pinned in uv.lock has a wheel for CPython 3.11, 3.12 and 3.13 on 64-bit Windows.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.markers import Marker
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

import sjukmiljard

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
TOP = "Sjukmiljard"
LAYOUT = {
    f"{TOP}/",
    f"{TOP}/Sjukmiljard.bat",
    f"{TOP}/inkorg/",
    f"{TOP}/utkorg/",
    f"{TOP}/mall/",
    f"{TOP}/mall/indata-mall.xlsx",
    f"{TOP}/exempel/",
    f"{TOP}/exempel/sjukskrivningsmiljarden-2020.xlsx",
    f"{TOP}/LÄSMIG.txt",
    f"{TOP}/wheels/",
}


def _load_script() -> ModuleType:
    path = ROOT / "scripts" / "build_windows_bundle.py"
    spec = importlib.util.spec_from_file_location("build_windows_bundle", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bundle = _load_script()


@pytest.fixture
def fake_wheels(tmp_path: Path) -> list[Path]:
    names = ["sjukmiljard-0.1.0-py3-none-any.whl", "pandas-3.1.1-cp313-cp313-win_amd64.whl"]
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
    return [tmp_path / name for name in names]


# ----- the content list ----------------------------------------------------------------------------


def test_content_list(fake_wheels: list[Path]) -> None:
    files = bundle.bundle_files(ROOT, fake_wheels)
    assert set(files) == LAYOUT | {f"{TOP}/wheels/{wheel.name}" for wheel in fake_wheels}
    assert {name for name, data in files.items() if data is None} == {n for n in LAYOUT if n.endswith("/")}
    assert files[f"{TOP}/Sjukmiljard.bat"] == (ROOT / "windows" / "sjukmiljard.bat").read_bytes()
    sample = ROOT / "samples" / "sjukskrivningsmiljarden-2020.xlsx"
    assert files[f"{TOP}/exempel/sjukskrivningsmiljarden-2020.xlsx"] == sample.read_bytes()
    assert files[f"{TOP}/wheels/{fake_wheels[0].name}"] == fake_wheels[0].read_bytes()


def test_template_is_the_committed_one_or_generated(tmp_path: Path) -> None:
    from sjukmiljard.template import template_bytes

    committed = ROOT / "templates" / "indata-mall.xlsx"
    name = f"{TOP}/mall/indata-mall.xlsx"
    if committed.is_file():
        assert bundle.bundle_files(ROOT, [])[name] == committed.read_bytes()
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "windows", root / "windows")
    shutil.copytree(ROOT / "samples", root / "samples")
    assert bundle.bundle_files(root, [])[name] == template_bytes()


def test_bat_goes_in_with_crlf_even_from_an_lf_checkout(tmp_path: Path) -> None:
    (tmp_path / "windows").mkdir()
    crlf = (ROOT / "windows" / "sjukmiljard.bat").read_bytes()
    (tmp_path / "windows" / "sjukmiljard.bat").write_bytes(crlf.replace(b"\r\n", b"\n"))
    assert bundle.bat_bytes(tmp_path) == crlf


def test_readme_is_two_pages_of_swedish_for_notepad() -> None:
    data = bundle.readme_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    assert b"\n" not in data.replace(b"\r\n", b""), "CRLF line endings only"
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert len(lines) <= 2 * 66 and max(map(len, lines)) <= 100, "two pages at most"
    for needed in (
        "Packa upp",
        "inkorg",
        "utkorg",
        "Klar:",
        "Obs:",
        "Avvisad:",
        "Blad!Cell",
        "FEL: Python 3.11 eller nyare saknas pa den har datorn.",  # as the .bat prints it
        "Be IT installera Python 3.13",
        "Kontakt: <fyll i förvaltarens namn och telefon>",
    ):
        assert needed in text, needed
    assert "å" in text and "ä" in text and "ö" in text
    filled = bundle.readme_bytes("Anna Andersson, 08-123 456 78").decode("utf-8-sig")
    assert "\r\nKontakt: Anna Andersson, 08-123 456 78\r\n" in filled


def test_readme_tells_the_monthly_rerun() -> None:
    text = bundle.readme_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    monthly = text[text.index("VARJE MÅNAD") : text.index("VAD MEDDELANDENA BETYDER")]
    for needed in (
        "SCB:s statistikdatabas",
        "Folkmängden per månad efter region, ålder och kön",
        "de 21 länen",
        "totalt ålder",
        "den senaste",
        "Excel (xlsx) eller som CSV",
        "Lägg filen i inkorg bredvid arbetsboken och dubbelklicka på Sjukmiljard.bat",
        "Bara en SCB-fil åt gången",
        "bladet Förändring",
    ):
        assert needed in " ".join(monthly.split()), needed
    for message in ("Obs: oförändrat", "hoppades över", "Avvisad: 2 befolkningsfiler från SCB"):
        assert message in text, message


def test_zip_is_deterministic_and_names_survive_windows_unzipping(
    tmp_path: Path, fake_wheels: list[Path]
) -> None:
    files = bundle.bundle_files(ROOT, fake_wheels)
    first, second = tmp_path / "a" / "bundle.zip", tmp_path / "b" / "bundle.zip"
    bundle.write_zip(files, first)
    bundle.write_zip(dict(reversed(list(files.items()))), second)
    assert first.read_bytes() == second.read_bytes()

    with zipfile.ZipFile(first) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [info.filename for info in infos] == sorted(files)
        for info in infos:
            assert info.date_time == (2020, 1, 1, 0, 0, 0)
            assert info.is_dir() == (files[info.filename] is None)
            if not info.is_dir():
                assert archive.read(info) == files[info.filename]
        readme = archive.getinfo(f"{TOP}/LÄSMIG.txt")
    # Stored in code page 437 (what Windows' own unzipping reads; å/ä/ö are the same bytes in 850),
    # without the UTF-8 flag, and with the UTF-8 name in an Info-ZIP Unicode Path field.
    assert readme.flag_bits & 0x800 == 0
    assert readme.orig_filename.encode("cp437") == "Sjukmiljard/LÄSMIG.txt".encode("cp437")
    tag, size = struct.unpack("<HH", readme.extra[:4])
    assert tag == 0x7075 and readme.extra[9 : 4 + size] == "Sjukmiljard/LÄSMIG.txt".encode()


# ----- uv.lock ----------------------------------------------------------------------------------------


def windows(python: str) -> dict[str, str]:
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


def locked_runtime(python: str) -> set[tuple[str, Version]]:
    """(name, version) of every package reachable from sjukmiljard's runtime dependencies in
    uv.lock (not the dev group), on 64-bit Windows with CPython `python`."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    by_name: dict[str, list[dict[str, Any]]] = {}
    for package in lock["package"]:
        by_name.setdefault(canonicalize_name(package["name"]), []).append(package)
    environment = windows(python)
    (project,) = by_name["sjukmiljard"]
    queue = list(project.get("dependencies", []))
    found: set[tuple[str, Version]] = set()
    while queue:
        dependency = queue.pop()
        if "marker" in dependency and not Marker(dependency["marker"]).evaluate(environment):
            continue
        candidates = by_name[canonicalize_name(dependency["name"])]
        if "version" in dependency:
            candidates = [c for c in candidates if c["version"] == dependency["version"]]
        assert len(candidates) == 1, dependency
        package = candidates[0]
        key = (canonicalize_name(str(package["name"])), Version(str(package["version"])))
        if key in found:
            continue
        found.add(key)
        queue += package.get("dependencies", [])
        for extra in dependency.get("extra", []):
            queue += package.get("optional-dependencies", {}).get(extra, [])
    return found


def supported_tags(python: str) -> set[Tag]:
    version = tuple(int(part) for part in python.split("."))
    interpreter = f"cp{version[0]}{version[1]}"
    return set(cpython_tags(version, platforms=["win_amd64"])) | set(
        compatible_tags(version, interpreter=interpreter, platforms=["win_amd64"])
    )


def test_supported_tags_count_pure_abi3_and_own_version_wheels() -> None:
    def fits(name: str, python: str) -> bool:
        return bool(parse_wheel_filename(name)[3] & supported_tags(python))

    assert fits("a-1-py3-none-any.whl", "3.11") and fits("a-1-py2.py3-none-any.whl", "3.13")
    assert fits("a-1-cp312-cp312-win_amd64.whl", "3.12") and not fits("a-1-cp312-cp312-win_amd64.whl", "3.13")
    assert fits("a-1-cp311-abi3-win_amd64.whl", "3.13") and not fits("a-1-cp312-abi3-win_amd64.whl", "3.11")
    assert not fits("a-1-cp311-cp311-win32.whl", "3.11")
    assert not fits("a-1-cp311-cp311-manylinux_2_17_x86_64.whl", "3.11")


@pytest.mark.parametrize("python", PYTHONS)
def test_the_script_pins_what_the_lock_pins(python: str) -> None:
    pins = bundle.pins_for(bundle.pinned_runtime(ROOT), python)
    got = {(canonicalize_name(pin.name), Version(pin.version)) for pin in pins}
    assert got == locked_runtime(python)
    assert "pytest" not in {name for name, _ in got}, "no dev dependencies"


# ----- one real build -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("bundle") / "sjukmiljard-windows.zip"
    bundle.build(target)
    yield target


def test_built_zip_layout(built: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert names == sorted(names)
    assert {name for name in names if not name.startswith(f"{TOP}/wheels/")} | {f"{TOP}/wheels/"} == LAYOUT
    wheels = [name.removeprefix(f"{TOP}/wheels/") for name in names if name.endswith(".whl")]
    assert all(name.count("/") == 0 for name in wheels)
    own = [name for name in wheels if parse_wheel_filename(name)[0] == "sjukmiljard"]
    assert [parse_wheel_filename(name)[1] for name in own] == [Version(sjukmiljard.__version__)]
    for name in wheels:
        platforms = {tag.platform for tag in parse_wheel_filename(name)[3]}
        assert platforms <= {"win_amd64", "any"}, name


def test_every_locked_runtime_dependency_has_a_wheel_for_each_python(built: Path) -> None:
    with zipfile.ZipFile(built) as archive:
        wheels = [
            parse_wheel_filename(Path(name).name) for name in archive.namelist() if name.endswith(".whl")
        ]
    needed_anywhere: set[str] = {"sjukmiljard"}
    for python in PYTHONS:
        tags = supported_tags(python)
        available = {(name, version) for name, version, _, wheel_tags in wheels if wheel_tags & tags}
        needed = locked_runtime(python)
        assert needed, python
        missing = needed - available
        assert not missing, f"CPython {python}: no wheel for {sorted(missing)}"
        assert ("sjukmiljard", Version("0")) not in available
        assert any(name == "sjukmiljard" for name, _ in available)
        needed_anywhere |= {name for name, _ in needed}
    assert {name for name, *_ in wheels} == needed_anywhere, "nothing in wheels/ beyond what is locked"


@pytest.mark.parametrize("python", PYTHONS)
def test_wheels_folder_alone_installs_the_locked_versions(built: Path, tmp_path: Path, python: str) -> None:
    """What `pip install --no-index --find-links wheels sjukmiljard` in Sjukmiljard.bat resolves to,
    on 64-bit Windows with each Python (a dry run with pip's target-platform options)."""
    with zipfile.ZipFile(built) as archive:
        archive.extractall(tmp_path)
    wheels = tmp_path / TOP / "wheels"
    target = ["--platform", "win_amd64", "--implementation", "cp", "--python-version", python]
    command = [*bundle.pip_command(), "install", "--dry-run", "--quiet", "--report", "-", "--no-index"]
    command += ["--find-links", str(wheels), "--only-binary=:all:", *target, "--target", str(tmp_path / "t")]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    environment["PIP_CONFIG_FILE"] = os.devnull  # only wheels/, whatever this machine's pip is set up with
    done = subprocess.run(
        [*command, "sjukmiljard"], env=environment, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    installed = {
        (canonicalize_name(item["metadata"]["name"]), Version(item["metadata"]["version"]))
        for item in report["install"]
    }
    assert installed == locked_runtime(python) | {("sjukmiljard", Version(sjukmiljard.__version__))}
