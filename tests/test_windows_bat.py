"""windows/sjukmiljard.bat, run by Wine's cmd with stand-ins for py, python and the venv's python.

The stand-ins (tests/windows_stubs/stub.c, built with mingw-w64) log every call as a JSON line, so
the tests see exactly which arguments reached which program. They are run the way Windows runs a
.bat: Explorer's ``cmd /c ""<bat>" <dropped paths>"`` for drops and double-clicks, and ``call
"<bat>" ...`` where Wine's cmd falls short (see test_ampersand_in_paths). Runner .bat files are
written in code page 437, which is how Wine's cmd reads batch files (å, ä, ö are the same bytes
in Swedish Windows' 850).

Without wine or x86_64-w64-mingw32-gcc these tests are skipped; under CI (CI set) they fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

import pytest

from sjukmiljard import cli

ROOT = Path(__file__).resolve().parent.parent
BAT = ROOT / "windows" / "sjukmiljard.bat"
STUB_SOURCE = Path(__file__).resolve().parent / "windows_stubs" / "stub.c"
CHECK = "import sys; sys.exit(0 if sys.version_info >= (3, 11) and sys.maxsize > 2**32 else 1)"
PAUSE_PROMPT = "Tryck pa valfri tangent for att stanga fonstret"
NO_PYTHON = "FEL: Python 3.11 eller nyare saknas"
TIMEOUT = 120


def test_bat_is_ascii_with_crlf_line_endings() -> None:
    data = BAT.read_bytes()
    assert data.isascii(), "sjukmiljard.bat must be pure ASCII"
    assert data.endswith(b"\r\n")
    lines = data.split(b"\n")[:-1]
    assert lines and all(line.endswith(b"\r") for line in lines), "every line must end with CRLF"
    assert b"\r" not in b"".join(line[:-1] for line in lines), "no bare CR"


def test_gitattributes_keeps_crlf_for_bat_files() -> None:
    rules = (ROOT / ".gitattributes").read_text(encoding="utf-8").split("\n")
    assert "*.bat text eol=crlf" in rules


# ----- Wine set-up ---------------------------------------------------------------------------------


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} is not installed (apt-get install wine gcc-mingw-w64-x86-64)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def windows_path(path: Path) -> str:
    """The Wine path of a Unix path: Z: is the Unix root."""
    return "Z:" + str(path).replace("/", "\\")


@dataclass(frozen=True)
class Wine:
    env: dict[str, str]
    prefix: Path
    launcher: Path
    venv_python: Path

    def local_appdata(self) -> Path:
        """The Unix folder behind %LOCALAPPDATA% in the prefix (Wine sets it, the Unix env cannot)."""
        result = subprocess.run(
            ["wine", "cmd", "/c", "echo", "%LOCALAPPDATA%"],
            env=self.env,
            capture_output=True,
            timeout=TIMEOUT,
            check=True,
        )
        value = PureWindowsPath(result.stdout.decode("cp437").strip())
        assert value.drive.upper() == "C:", value
        return self.prefix.joinpath("drive_c", *value.parts[1:])


@pytest.fixture(scope="session")
def wine(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Wine]:
    _require("wine")
    _require("wineserver")
    gcc = _require("x86_64-w64-mingw32-gcc")
    base = tmp_path_factory.mktemp("wine")
    build = base / "stubs"
    build.mkdir()
    launcher, venv_python = build / "launcher.exe", build / "venv-python.exe"
    for target, extra in ((launcher, []), (venv_python, ["-DVENV_PYTHON"])):
        subprocess.run(
            [gcc, "-municode", "-O1", "-Wall", *extra, "-o", str(target), str(STUB_SOURCE)],
            check=True,
            timeout=TIMEOUT,
        )
    prefix = base / "prefix"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SJUKMILJARD_", "STUB_", "WINE", "PYTHON"))
        and key not in {"DISPLAY", "WAYLAND_DISPLAY"}
    }
    env.update(
        WINEPREFIX=str(prefix),
        WINEDEBUG="-all",
        WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d",  # no Mono/Gecko, no menu entries
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )

    def quietly(*command: str, check: bool = True) -> None:
        subprocess.run(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
            check=check,
        )

    # A new prefix takes wineboot 10-15 s; a copy of one made by the same Wine with the same settings
    # takes under a second. The template is kept in pytest's cache (.pytest_cache), keyed by both.
    version = subprocess.run(["wine", "--version"], capture_output=True, text=True, check=True).stdout
    key = hashlib.sha256(f"{version}{env['WINEDLLOVERRIDES']}".encode()).hexdigest()[:16]
    template = pytestconfig.cache.mkdir("wine-prefix") / key
    if not (template / "system.reg").is_file():
        for _ in range(2):  # once seen leaving no prefix on a busy machine: a second try made it
            quietly("wineboot", "--init", check=False)
            quietly("wineserver", "-w", check=False)
            if (prefix / "system.reg").is_file():
                break
        shutil.rmtree(template, ignore_errors=True)
        building = template.with_name(f"{key}.{os.getpid()}")
        shutil.copytree(prefix, building, symlinks=True)
        try:
            building.rename(template)  # whole or not at all: a run killed while copying leaves none
        except OSError:  # another session made it first
            shutil.rmtree(building, ignore_errors=True)
    else:
        shutil.copytree(template, prefix, symlinks=True)
    # One persistent server, and Wine's own background processes started now with no pipe of ours:
    # each run then takes a fraction of a second, and nothing lingers holding a run's output open.
    quietly("wineserver", "-p")
    quietly("wine", "cmd", "/c", "echo")
    yield Wine(env, prefix, launcher, venv_python)
    subprocess.run(["wineserver", "-k"], env=env, timeout=60, check=False)


# ----- one unpacked Sjukmiljard folder with stand-ins -------------------------------------------------


@dataclass
class Result:
    returncode: int
    output: str
    calls: list[dict[str, object]]

    def called(self, name: str) -> list[list[str]]:
        """argv (without the program) of every call of the program named `name`, in order."""
        return [
            list(call["argv"])  # type: ignore[call-overload]
            for call in self.calls
            if PureWindowsPath(str(call["exe"])).name.casefold() == name.casefold()
        ]


@dataclass
class Sandbox:
    wine: Wine
    root: Path
    home: Path
    bin: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def win_home(self) -> str:
        return windows_path(self.home)

    def install_stubs(self, *names: str, folder: Path | None = None) -> None:
        """py.exe, python.exe, explorer.exe … as copies of the launcher stand-in, with the venv's
        python beside them (the launcher copies it into .venv\\Scripts on -m venv)."""
        folder = folder or self.bin
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copyfile(self.wine.launcher, folder / name)
        shutil.copyfile(self.wine.venv_python, folder / "venv-python.exe")

    def add_wheels(self, *names: str) -> None:
        wheels = self.home / "wheels"
        wheels.mkdir(exist_ok=True)
        for name in names:
            (wheels / name).write_bytes(b"not really a wheel")

    def runner(self, args: list[str], style: str) -> Path:
        bat = f"{self.win_home}\\Sjukmiljard.bat"
        if style == "drop":
            # What Windows runs for a drop on (or a double-click of) a .bat: the dropped paths are
            # quoted only when they have a space.
            quoted = " ".join(f'"{arg}"' if " " in arg else arg for arg in args)
            line = f'cmd /c ""{bat}" {quoted}"'
        else:
            line = f'call "{bat}" ' + " ".join(f'"{arg}"' for arg in args)
        runner = self.root / f"runner-{style}.bat"
        runner.write_bytes(f"@echo off\r\n{line}\r\nexit /b %errorlevel%\r\n".encode("cp437"))
        return runner

    def command(self, args: list[str], style: str) -> list[str]:
        return ["wine", "cmd", "/c", windows_path(self.runner(args, style))]

    def full_env(self, extra: dict[str, str]) -> dict[str, str]:
        env = dict(self.wine.env)
        env.update(
            WINEPATH=windows_path(self.bin),
            STUB_LOG=windows_path(self.log),
            SJUKMILJARD_NO_PAUSE="1",
            SJUKMILJARD_NO_EXPLORER="1",
        )
        env.update(self.env)
        env.update(extra)
        return {key: value for key, value in env.items() if value is not None}

    def calls(self) -> list[dict[str, object]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def run(self, *args: str, style: str = "drop", **env: str) -> Result:
        """Run the .bat once; only the calls of this run are in the result."""
        self.log.unlink(missing_ok=True)
        output = self.root / "output.txt"
        with output.open("wb") as stream:  # a file, not a pipe: a Wine helper may keep a pipe open
            done = subprocess.run(
                self.command(list(args), style),
                env=self.full_env(env),
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=stream,
                stderr=subprocess.STDOUT,
                timeout=TIMEOUT,
                check=False,
            )
        result = Result(done.returncode, read_output(output), self.calls())
        assert "Can't recognize" not in result.output, f"a line of the .bat went wrong:\n{result.output}"
        return result


def read_output(path: Path) -> str:
    return path.read_bytes().decode("cp437", errors="replace")


@pytest.fixture
def sandbox(wine: Wine, tmp_path: Path) -> Sandbox:
    home = tmp_path / "Sjukmiljard å"
    home.mkdir()
    shutil.copyfile(BAT, home / "Sjukmiljard.bat")
    box = Sandbox(wine, tmp_path, home, tmp_path / "bin", tmp_path / "calls.jsonl")
    box.bin.mkdir()
    return box


def dropped(sandbox: Sandbox, *names: str) -> list[str]:
    """Input files (made) in a folder with a space and å/ä/ö in its name; their Wine paths."""
    folder = sandbox.root / "Indata för år 2020"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"xlsx")
    return [f"{windows_path(folder)}\\{name}" for name in names]


def venv_of(sandbox: Sandbox) -> str:
    return f"{sandbox.win_home}\\.venv"


# ----- drops, first run, later runs -------------------------------------------------------------------


def test_first_run_installs_from_wheels_and_converts_the_dropped_files(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe", "python.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl", "pandas-3.1.1-cp313-cp313-win_amd64.whl")
    inputs = dropped(sandbox, "Åsa Öberg - län.xlsx", "ärenden.xlsx")
    folder = inputs[0].rsplit("\\", 1)[0]
    result = sandbox.run(*inputs, folder)

    assert result.returncode == 0, result.output
    assert "Sjukmiljard installeras" in result.output
    assert result.called("py.exe") == [["-3.13", "-c", CHECK], ["-3.13", "-m", "venv", venv_of(sandbox)]]
    wheels = f"{sandbox.win_home}\\wheels"
    assert result.called("python.exe") == [
        ["-m", "pip", "install", "--quiet", "--no-index", "--find-links", wheels, "sjukmiljard"],
        ["-m", "sjukmiljard", *inputs, folder],
    ]
    converter = [call for call in result.calls if call["argv"][:2] == ["-m", "sjukmiljard"]]  # type: ignore[index]
    assert converter[0]["exe"] == f"{venv_of(sandbox)}\\Scripts\\python.exe"
    assert converter[0]["pythonutf8"] == "1"
    assert converter[0]["cwd"] == windows_path(sandbox.root), "the .bat leaves the current folder alone"
    marker = sandbox.home / ".venv" / "sjukmiljard-installerad.txt"
    assert marker.read_text().strip() == "wheels sjukmiljard-0.1.0-py3-none-any.whl"
    assert result.called("explorer.exe") == []
    assert not (sandbox.home / "inkorg").exists(), "a drop does not make inkorg"


def test_later_runs_start_at_once(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe", "python.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl")
    inputs = dropped(sandbox, "a b.xlsx")
    assert sandbox.run(*inputs).returncode == 0

    result = sandbox.run(*inputs)
    assert result.returncode == 0, result.output
    assert "installeras" not in result.output
    assert result.called("py.exe") == []
    health, converter = result.called("python.exe")
    assert health[0] == "-c" and "find_spec('sjukmiljard')" in health[1]
    assert converter == ["-m", "sjukmiljard", *inputs]


def test_first_run_without_wheels_folder_installs_from_the_registry(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe")
    result = sandbox.run(*dropped(sandbox, "x.xlsx"))
    assert result.returncode == 0, result.output
    pip = [argv for argv in result.called("python.exe") if argv[:2] == ["-m", "pip"]]
    assert pip == [["-m", "pip", "install", "--quiet", "sjukmiljard"]]
    assert (sandbox.home / ".venv" / "sjukmiljard-installerad.txt").read_text().strip() == "registret"


def test_failed_registry_install_says_to_unpack_the_whole_zip(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe")
    result = sandbox.run(*dropped(sandbox, "x.xlsx"), STUB_PIP_EXIT="1")
    assert result.returncode == 11, result.output
    assert (
        "Mappen wheels saknas bredvid Sjukmiljard.bat: packa upp hela sjukmiljard-windows.zip"
        in result.output
    )
    assert 'med "Extrahera alla" och kor Sjukmiljard.bat i den uppackade mappen.' in result.output


@pytest.mark.parametrize("change", ["new-wheel", "broken-venv", "no-marker"])
def test_reinstalls_when_a_new_bundle_is_unpacked_or_the_venv_is_broken(
    sandbox: Sandbox, change: str
) -> None:
    sandbox.install_stubs("py.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl")
    inputs = dropped(sandbox, "x.xlsx")
    assert sandbox.run(*inputs).returncode == 0
    env = {}
    if change == "new-wheel":
        sandbox.add_wheels("sjukmiljard-0.2.0-py3-none-any.whl")
    elif change == "broken-venv":
        env["STUB_HEALTH_EXIT"] = "1"
    else:
        (sandbox.home / ".venv" / "sjukmiljard-installerad.txt").unlink()

    result = sandbox.run(*inputs, **env)
    assert result.returncode == 0, result.output
    assert "Sjukmiljard installeras" in result.output
    assert ["-3.13", "-m", "venv", venv_of(sandbox)] in result.called("py.exe")
    assert result.called("python.exe")[-1] == ["-m", "sjukmiljard", *inputs]
    if change == "new-wheel":
        stamp = (sandbox.home / ".venv" / "sjukmiljard-installerad.txt").read_text().strip()
        assert stamp == "wheels sjukmiljard-0.1.0-py3-none-any.whl sjukmiljard-0.2.0-py3-none-any.whl"


def test_failed_install_tries_the_registry_then_exits_11_and_retries_next_time(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl")
    inputs = dropped(sandbox, "x.xlsx")
    result = sandbox.run(*inputs, STUB_PIP_EXIT="1")

    assert result.returncode == 11, result.output
    assert "FEL: sjukmiljard kunde inte installeras" in result.output
    assert "Mappen wheels har filer for Python 3.11, 3.12 och 3.13, 64-bitars." in result.output
    wheels = f"{sandbox.win_home}\\wheels"
    offline = ["--no-index", "--find-links", wheels]
    online = ["--retries", "1", "--timeout", "15", "--find-links", wheels]
    assert result.called("python.exe") == [
        ["-m", "pip", "install", "--quiet", *offline, "sjukmiljard"],
        ["-m", "pip", "install", "--quiet", *online, "sjukmiljard"],
    ]
    assert not (sandbox.home / ".venv" / "sjukmiljard-installerad.txt").exists()

    again = sandbox.run(*inputs)
    assert again.returncode == 0, again.output
    assert ["-m", "sjukmiljard", *inputs] in again.called("python.exe")
    assert any(argv[:2] == ["-m", "pip"] for argv in again.called("python.exe"))


def test_venv_that_cannot_be_made_exits_10(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe")
    result = sandbox.run(*dropped(sandbox, "x.xlsx"), STUB_VENV_EXIT="1")
    assert result.returncode == 10, result.output
    assert "FEL: kunde inte skapa mappen .venv" in result.output


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (0, None),
        (1, 'Allt kunde inte konverteras: se meddelandena ovan, "Avvisad: ..."'),
        (2, "anropades fel"),
        (3, "avslutades ovantat (kod 3)"),
    ],
)
def test_exit_code_is_the_converters(sandbox: Sandbox, code: int, message: str | None) -> None:
    sandbox.install_stubs("py.exe")
    result = sandbox.run(*dropped(sandbox, "Åsa.xlsx"), STUB_EXIT=str(code))
    assert result.returncode == code, result.output
    assert "stub-sjukmiljard: 1 argument" in result.output
    if message:
        assert message in result.output


def test_ampersand_in_paths(sandbox: Sandbox) -> None:
    """Paths with "&" (quoted, as Explorer quotes any path with a space) reach sjukmiljard intact.

    Wine's cmd does not strip the outer quotes of Explorer's ``cmd /c ""<bat>" "a & b.xlsx""`` and
    so splits that line at the "&"; Windows' cmd does not. So this test runs the .bat with
    ``call``, which both handle alike (Wine's ``call`` also loses the exit code, which is why the
    code is checked in the other tests).
    """
    home = sandbox.root / "R&D & Ekonomi ö"
    sandbox.home.rename(home)
    sandbox.home = home
    sandbox.install_stubs("py.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl")
    inputs = dropped(sandbox, "Löner & ersättningar.xlsx", "R&D.xlsx")
    result = sandbox.run(*inputs, style="call")

    assert ["-3.13", "-m", "venv", venv_of(sandbox)] in result.called("py.exe"), result.output
    assert result.called("python.exe")[0][-2:] == [f"{sandbox.win_home}\\wheels", "sjukmiljard"]
    assert result.called("python.exe")[-1] == ["-m", "sjukmiljard", *inputs]


# ----- double-click: inkorg -> utkorg ---------------------------------------------------------------------


def test_double_click_converts_inkorg_into_utkorg_and_opens_it(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe", "explorer.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl")
    (sandbox.home / "inkorg").mkdir()
    source = sandbox.home / "inkorg" / "Indata år 2020.xlsx"
    source.write_bytes(b"the input")
    # Explorer returns 1, as the real one does; the .bat's exit code is still the converter's.
    result = sandbox.run(SJUKMILJARD_NO_EXPLORER="", STUB_EXIT_EXPLORER="1")

    assert result.returncode == 0, result.output
    home = sandbox.win_home
    assert result.called("python.exe")[-1] == [
        "-m",
        "sjukmiljard",
        f"{home}\\inkorg",
        "-o",
        f"{home}\\utkorg",
    ]
    assert result.called("explorer.exe") == [[f"{home}\\utkorg"]]
    assert (sandbox.home / "utkorg").is_dir()
    assert source.read_bytes() == b"the input", "the input is left where it was"


def test_double_click_makes_missing_folders_and_opens_the_empty_inkorg(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe", "explorer.exe")
    result = sandbox.run(SJUKMILJARD_NO_EXPLORER="")

    assert result.returncode == 1, result.output
    assert "Mappen inkorg ar tom" in result.output
    assert (sandbox.home / "inkorg").is_dir() and (sandbox.home / "utkorg").is_dir()
    assert [argv for argv in result.called("python.exe") if argv[:2] == ["-m", "sjukmiljard"]] == []
    assert result.called("explorer.exe") == [[f"{sandbox.win_home}\\inkorg"]]


def test_no_explorer_switch(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe", "explorer.exe")
    (sandbox.home / "inkorg").mkdir()
    (sandbox.home / "inkorg" / "a.xlsx").write_bytes(b"x")
    result = sandbox.run(STUB_EXIT="1")  # SJUKMILJARD_NO_EXPLORER=1 is the sandbox's default
    assert result.returncode == 1, result.output
    assert result.called("explorer.exe") == []


# ----- finding Python ------------------------------------------------------------------------------------


def test_prefers_a_python_the_wheels_are_built_for(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe", "python.exe")
    result = sandbox.run(*dropped(sandbox, "x.xlsx"), STUB_PY_VERSIONS="3.12 3.14")
    assert result.returncode == 0, result.output
    assert [argv[0] for argv in result.called("py.exe")] == ["-3.13", "-3.12", "-3.12"]
    assert result.called("py.exe")[-1] == ["-3.12", "-m", "venv", venv_of(sandbox)]


def test_py_launcher_with_only_an_old_python_falls_back_to_python(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe", "python.exe")
    result = sandbox.run(*dropped(sandbox, "x.xlsx"), STUB_PY_VERSIONS="3.10", STUB_MODE_PY="old")
    assert result.returncode == 0, result.output
    assert [argv[0] for argv in result.called("py.exe")] == ["-3.13", "-3.12", "-3.11", "-3"]
    assert result.called("python.exe")[:2] == [["-c", CHECK], ["-m", "venv", venv_of(sandbox)]]


def test_store_stub_is_skipped_for_a_python_in_the_user_install_folder(sandbox: Sandbox) -> None:
    sandbox.install_stubs("python.exe")  # the Microsoft Store stub
    programs = sandbox.wine.local_appdata() / "Programs" / "Python"
    try:
        sandbox.install_stubs("python.exe", folder=programs / "Python312")
        sandbox.install_stubs("python.exe", folder=programs / "Python39")
        result = sandbox.run(*dropped(sandbox, "x.xlsx"), STUB_MODE_PYTHON="store")
    finally:
        shutil.rmtree(programs)
    assert result.returncode == 0, result.output
    used = [call for call in result.calls if call["argv"][:2] == ["-m", "venv"]]  # type: ignore[index]
    assert len(used) == 1 and str(used[0]["exe"]).endswith("\\Programs\\Python\\Python312\\python.exe")
    assert ["-m", "sjukmiljard", *dropped(sandbox, "x.xlsx")] in result.called("python.exe")


@pytest.mark.parametrize("setup", ["nothing", "store-stub", "too-old"])
def test_no_python_says_what_to_ask_it_for_and_exits_9(sandbox: Sandbox, setup: str) -> None:
    env = {}
    if setup == "store-stub":
        sandbox.install_stubs("python.exe")
        env["STUB_MODE_PYTHON"] = "store"
    elif setup == "too-old":
        sandbox.install_stubs("py.exe", "python.exe")
        env.update(STUB_PY_VERSIONS="3.9 3.10", STUB_MODE_PY="old", STUB_MODE_PYTHON="old")
    result = sandbox.run(*dropped(sandbox, "x.xlsx"), **env)

    assert result.returncode == 9, result.output
    assert NO_PYTHON in result.output
    assert "Be IT installera Python 3.13 for Windows, 64-bitars" in result.output
    assert not (sandbox.home / ".venv").exists()
    # Only version checks: nothing was installed or run.
    assert {argv[-2] for argv in (call["argv"] for call in result.calls)} <= {"-c"}  # type: ignore[index]


# ----- the window stays open ------------------------------------------------------------------------------


def _start(sandbox: Sandbox, args: list[str], **env: str) -> tuple[subprocess.Popen[bytes], Path]:
    output = sandbox.root / "output.txt"
    with output.open("wb") as stream:
        process = subprocess.Popen(
            sandbox.command(args, "drop"),
            env=sandbox.full_env(env),
            cwd=sandbox.root,
            stdin=subprocess.PIPE,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    return process, output


def test_pause_waits_for_a_key_press(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe")
    process, output = _start(sandbox, dropped(sandbox, "x.xlsx"), SJUKMILJARD_NO_PAUSE="", STUB_EXIT="1")
    try:
        deadline = time.monotonic() + TIMEOUT
        while PAUSE_PROMPT not in read_output(output) and time.monotonic() < deadline:
            assert process.poll() is None, read_output(output)
            time.sleep(0.1)
        assert PAUSE_PROMPT in read_output(output)
        time.sleep(1.5)
        assert process.poll() is None, "the window must stay open until a key is pressed"
        assert process.stdin is not None
        process.stdin.write(b"\r\n")
        process.stdin.close()
        assert process.wait(timeout=TIMEOUT) == 1
    finally:
        process.kill()
        process.wait()


def test_no_pause_switch_returns_at_once(sandbox: Sandbox) -> None:
    sandbox.install_stubs("py.exe")
    process, output = _start(sandbox, dropped(sandbox, "x.xlsx"), STUB_EXIT="2")
    try:
        assert process.wait(timeout=TIMEOUT) == 2  # stdin stays open: a pause would wait for ever
    finally:
        process.kill()
        process.wait()
    assert "stub-sjukmiljard" in read_output(output)
    assert PAUSE_PROMPT not in read_output(output)


# ----- the monthly rerun: an SCB file with the workbook ----------------------------------------------------


SCB_FIXTURE = ROOT / "tests" / "fixtures" / "scb" / "befolkning-2018M12-2019M11.csv"
SAMPLE = ROOT / "samples" / "sjukskrivningsmiljarden-2020.xlsx"


def unix_path(windows: str) -> Path:
    """The Unix path of a Wine path on Z: (the inverse of windows_path)."""
    assert windows[:2].upper() == "Z:", windows
    return Path(windows[2:].replace("\\", "/"))


def convert_as_the_bat_did(result: Result, capsys: pytest.CaptureFixture[str]) -> str:
    """Run the real sjukmiljard with the arguments the .bat gave the stand-in; its output.

    The stand-in shows what reached Python; this shows what those arguments then do.
    """
    (argv,) = [argv for argv in result.called("python.exe") if argv[:2] == ["-m", "sjukmiljard"]]
    args = [str(unix_path(arg)) if arg[:2].upper() == "Z:" else arg for arg in argv[2:]]
    capsys.readouterr()
    assert cli.main(args) == 0
    return capsys.readouterr().out


def test_drop_a_workbook_and_an_scb_file_together(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox.install_stubs("py.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl")
    folder = sandbox.root / "Befolkning för år 2020, Åsa Öberg"
    folder.mkdir()
    workbook = Path(shutil.copy(SAMPLE, folder / "Indata år 2020.xlsx"))
    scb = Path(shutil.copy(SCB_FIXTURE, folder / "Folkmängd från SCB, län.csv"))
    dropped_paths = [windows_path(workbook), windows_path(scb)]
    result = sandbox.run(*dropped_paths)

    assert result.returncode == 0, result.output
    assert result.called("python.exe")[-1] == ["-m", "sjukmiljard", *dropped_paths]
    out = convert_as_the_bat_did(result, capsys)
    assert "befolkningen togs från Folkmängd från SCB, län.csv, månad 2019M11" in out
    assert (folder / "Indata år 2020-resultat.xlsx").exists()
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".xlsx") == [
        "Indata år 2020-resultat.xlsx",
        "Indata år 2020.xlsx",
    ]


def test_double_click_with_a_workbook_and_an_scb_file_in_inkorg(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    home = sandbox.root / "Sjukmiljard för år 2021 ekonomi ö"
    sandbox.home.rename(home)
    sandbox.home = home
    sandbox.install_stubs("py.exe")
    sandbox.add_wheels("sjukmiljard-0.1.0-py3-none-any.whl")
    inbox = home / "inkorg"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / "Indata år 2021.xlsx")
    shutil.copy(SCB_FIXTURE, inbox / "Folkmängd december.csv")
    result = sandbox.run()

    assert result.returncode == 0, result.output
    assert result.called("python.exe")[-1] == [
        "-m",
        "sjukmiljard",
        f"{sandbox.win_home}\\inkorg",
        "-o",
        f"{sandbox.win_home}\\utkorg",
    ]
    out = convert_as_the_bat_did(result, capsys)
    assert "befolkningen togs från Folkmängd december.csv, månad 2019M11" in out
    assert (home / "utkorg" / "Indata år 2021-resultat.xlsx").exists()


@pytest.mark.parametrize(
    ("names", "runs"),
    [
        (["Folkmängd.csv"], True),
        (["relationstabell.txt"], True),
        (["befolkning.tsv"], True),
        (["mall med makron.xlsm"], True),
        (["från LibreOffice.ods"], True),
        (["brev.docx", "rapport.pdf"], False),
    ],
)
def test_inkorg_counts_the_file_kinds_sjukmiljard_reads(
    sandbox: Sandbox, names: list[str], runs: bool
) -> None:
    sandbox.install_stubs("py.exe")
    (sandbox.home / "inkorg").mkdir()
    for name in names:
        (sandbox.home / "inkorg" / name).write_bytes(b"content")
    result = sandbox.run()
    converter = [argv for argv in result.called("python.exe") if argv[:2] == ["-m", "sjukmiljard"]]
    if runs:
        assert result.returncode == 0, result.output
        assert len(converter) == 1 and "Mappen inkorg ar tom" not in result.output
    else:
        assert result.returncode == 1, result.output
        assert converter == [] and "Mappen inkorg ar tom" in result.output
