"""Replacing a previous result: the dated copy and Förändring in every mode, the population never
going back silently, the old result in place until the new one is complete (faults, kill -9), and
one run at a time per result (eight at once)."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import random
import select
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import cli, convert, files, runlog
from sjukmiljard.errors import OutputError

from .conftest import read_changes

SCB_FILE = Path(__file__).parent / "fixtures" / "scb" / "befolkning-2018M12-2019M11.csv"
RESULT = "sjukskrivningsmiljarden-2020-resultat.xlsx"
ROOT = Path(__file__).resolve().parent.parent


def folder(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir()) if p.is_file()}


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def raise_skr(source: Path) -> None:
    """The issue's case: SKR's fixed sum 39 → 41 Mkr, its SUMMA and the agreement total with it."""
    book = openpyxl.load_workbook(source)
    villkor = book["Villkor 4"]
    assert (villkor["A27"].value, villkor["B27"].value) == ("SKR", "39,000")
    villkor["B27"], villkor["B31"] = "41,000", "114,500"
    book["Befolkning"]["B2"] = "946,000"
    book.save(source)


def rows_by_label(result: Path) -> dict[str, list[list[object]]]:
    ws = openpyxl.load_workbook(result, data_only=True)["Förändring"]
    found: dict[str, list[list[object]]] = {}
    for row in ws.iter_rows(values_only=True):
        if row and isinstance(row[0], str):
            found.setdefault(row[0], []).append(list(row[1:8]))
    return found


def test_skr_raised_by_two_shows_in_forandring(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    source = Path(shutil.copy(sample, inbox / sample.name))
    assert run(capsys, inbox, "-o", outbox)[0] == 0
    raise_skr(source)
    code, out = run(capsys, inbox, "-o", outbox)
    assert code == 0
    assert "  Förändring: TOTALT +2,000 Mkr (SKR +2,000)\n" in out
    rows = rows_by_label(outbox / RESULT)
    skr = rows["SKR"][0]
    assert skr[3:6] == [pytest.approx(57.8), pytest.approx(59.8), 2.0]
    grand = rows["SUMMA"][1]  # the län's SUMMA, then the grand SUMMA with the national bodies
    assert grand[3:6] == [pytest.approx(944), pytest.approx(946), 2.0]
    sheet = read_changes(outbox / RESULT)
    assert sheet.lines[3:5] == [
        "Ändrat: TOTALT +2,000 Mkr (SKR +2,000).",
        "Ändrade villkor: Villkor 4 (övriga 7 oförändrade).",
    ]
    assert list(sheet.villkor) == ["Villkor 4"]  # the others are nothing but zeros
    assert sheet.villkor["Villkor 4"]["SUMMA"][2] == 0  # the län's share did not change
    assert rows["SKR"][1][:3] == [pytest.approx(39), pytest.approx(41), 2.0]
    assert "Oförändrat" not in " ".join(sheet.lines)


def test_a_pot_change_is_told_on_the_pots_page(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = convert(sample, tmp_path / "a.xlsx").output
    assert first is not None
    changed = Path(shutil.copy(sample, tmp_path / "b.xlsx"))
    book = openpyxl.load_workbook(changed)
    ws = book["Villkor 1"]
    riket = next(r for r in range(1, 40) if ws.cell(r, 1).value == "RIKET")
    ws.cell(riket, 2, 101.0)
    summa = next(r for r in range(riket, 60) if ws.cell(r, 1).value == "SUMMA")
    ws.cell(summa, 2, float(str(ws.cell(summa, 2).value).replace(",", ".")) + 1)
    book["Befolkning"]["B2"] = "945,000"
    book.save(changed)
    again = convert(changed, tmp_path / "b-resultat.xlsx", compare_with=first).output
    assert again is not None
    rows = rows_by_label(again)
    pot = rows["Villkor 1"][0]  # the pots page: villkor, pot, before, now, change
    assert pot[1:4] == [pytest.approx(100), pytest.approx(101), 1.0]


def test_dropping_workbook_and_scb_file_keeps_a_dated_copy_and_compares(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, sample)[0] == 0
    result = sample.with_name(RESULT)
    first = result.read_bytes()
    scb = Path(shutil.copy(SCB_FILE, sample.parent / SCB_FILE.name))
    code, out = run(capsys, sample, scb)
    assert code == 0
    kept = [p for p in sample.parent.glob("*-resultat *.xlsx")]
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert f"Obs: det tidigare resultatet sparades som {kept[0].name}" in out
    # The fixture's 2019M11 holds the workbook's own figures: only the population's source moved.
    assert "  Förändring: TOTALT 0,000 Mkr; befolkning 1/11 2019 → 2019M11\n" in out
    lines = read_changes(result).lines
    assert lines[2] == "Nu: befolkning 30/11 2019 (SCB-filen befolkning-2018M12-2019M11.csv, månad 2019M11)"


def test_removing_the_scb_file_before_a_rerun_is_refused(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    shutil.copy(sample, inbox / sample.name)
    scb = Path(shutil.copy(SCB_FILE, inbox / SCB_FILE.name))
    assert run(capsys, inbox, "-o", outbox)[0] == 0
    before = folder(outbox)
    scb.unlink()
    code, out = run(capsys, inbox, "-o", outbox)
    assert code == 1
    assert f"Avvisad: {inbox / sample.name}" in out
    assert (
        f"befolkningen skulle gå bakåt: det tidigare resultatet {RESULT} har befolkningen från "
        "SCB-filen befolkning-2018M12-2019M11.csv, månad 2019M11 (30/11 2019), den här körningen från "
        f"bladet Befolkning i {sample.name} (1/11 2019) – inget skrevs och {RESULT} är orört"
    ) in out
    assert "lägg SCB-filen befolkning-2018M12-2019M11.csv (eller en nyare SCB-fil) bland indata" in out
    assert "--population FIL --month ÅÅÅÅMmm" in out
    after = folder(outbox)
    log = after.pop(runlog.LOG_NAME)
    assert after == {k: v for k, v in before.items() if k != runlog.LOG_NAME}
    assert log.decode("utf-8-sig").splitlines()[-1].split(";")[6] == "Avvisad"


def test_an_older_scb_month_among_the_inputs_is_refused_but_named_it_is_allowed(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "r.xlsx"
    assert run(capsys, sample, "--population", SCB_FILE, "-o", out_file)[0] == 0  # 2019M11
    before = out_file.read_bytes()
    # The same older month from an SCB file among the inputs (dropped, in inkorg): refused.
    code, out = run(capsys, sample, SCB_FILE, "--month", "2018M12", "-o", out_file)
    assert code == 1 and "befolkningen skulle gå bakåt" in out
    assert out_file.read_bytes() == before
    # 2018M12 is the population of 1/1 2019: before the workbook's own 1/11 2019 and 2019M11.
    code, out = run(capsys, sample, "--population", SCB_FILE, "--month", "2018M12", "-o", out_file)
    assert code == 0
    assert f"Obs: befolkningen går bakåt med flit: det tidigare resultatet {out_file.name} har" in out
    assert out_file.read_bytes() != before
    # Without --month (the latest month, 2019M11, is newer again): fine; the workbook's own is not.
    assert run(capsys, sample, "--population", SCB_FILE, "-o", out_file)[0] == 0
    code, out = run(capsys, sample, "-o", out_file)
    assert code == 1 and "befolkningen skulle gå bakåt" in out


def test_population_days_compare_as_the_workbooks_word_them() -> None:
    import datetime as dt

    from sjukmiljard.read.previous import PopulationFacts

    scb = PopulationFacts(dt.date(2019, 10, 31), "SCB-fil befolkning.csv, 2019M10")
    sheet = PopulationFacts(dt.date(2019, 11, 1), "bladet Befolkning i indata.xlsx")
    assert scb.day == sheet.day == dt.date(2019, 11, 1)
    assert (scb.month, scb.file, scb.label) == ("2019M10", "befolkning.csv", "2019M10")
    assert (sheet.month, sheet.file, sheet.label) == (None, "", "1/11 2019")


# --- faults: the folder is left as it was found -------------------------------------------------


@pytest.fixture
def rerun(sample: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A folder with a previous result, and an input whose next result differs from it."""
    target = tmp_path / RESULT
    assert convert(sample, target).output == target
    changed = Path(shutil.copy(sample, tmp_path / "ändrad.xlsx"))
    raise_skr(changed)
    return changed, target


@pytest.mark.parametrize("where", ["fsync", "replace", "link-and-copy"])
def test_a_failed_write_leaves_the_folder_as_it_was(
    rerun: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    source, target = rerun
    before = folder(tmp_path)
    full = OSError(errno.ENOSPC, "No space left on device")

    def fail(*args: object, **kwargs: object) -> None:
        raise full

    if where == "fsync":
        monkeypatch.setattr(files.os, "fsync", fail)
    elif where == "replace":
        monkeypatch.setattr(files.os, "replace", fail)
    else:
        monkeypatch.setattr(files.os, "link", fail)
        monkeypatch.setattr(files.shutil, "copyfileobj", fail)
    with pytest.raises(OutputError, match="inget ändrades") as caught:
        convert(source, target)
    if where != "link-and-copy":
        assert f"det tidigare resultatet {target.name} ligger kvar" in str(caught.value)
    assert folder(tmp_path) == before, "a dated copy or a temporary file was left behind"


def test_a_short_run_log_write_leaves_no_half_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = runlog.LogLine("t", "a.xlsx", "0" * 64, "k", "2019-11-01", "a-resultat.xlsx", "Klar", "")
    runlog.append(tmp_path, line)
    whole = (tmp_path / runlog.LOG_NAME).read_bytes()
    real_write = os.write
    monkeypatch.setattr(runlog.os, "write", lambda fd, data: real_write(fd, data[:20]))
    with pytest.raises(OSError):
        runlog.append(tmp_path, line)
    assert (tmp_path / runlog.LOG_NAME).read_bytes() == whole
    monkeypatch.undo()
    # A line cut short by a kill (no truncation then) is ended before the next one.
    with (tmp_path / runlog.LOG_NAME).open("ab") as log:
        log.write(b"2019;half")
    runlog.append(tmp_path, line)
    text = (tmp_path / runlog.LOG_NAME).read_bytes().decode("utf-8-sig")
    assert text.splitlines()[-2:] == ["2019;half", text.splitlines()[1]]


# --- the lock ------------------------------------------------------------------------------------


def test_a_run_gives_up_in_swedish_when_another_holds_the_result(
    rerun: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = rerun
    before = folder(tmp_path)
    monkeypatch.setattr(files, "LOCK_WAIT_SECONDS", 0.3)
    with files.result_lock(target), pytest.raises(OutputError) as caught:
        convert(source, target)
    assert str(caught.value) == (
        f"{target.name} skrivs av en annan körning som inte blev klar på 0 sekunder – vänta tills "
        "den är klar och kör igen"
    )
    assert folder(tmp_path) == before


def test_a_run_that_waited_says_so(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / RESULT
    with files.result_lock(target), opened_by_another(files.lock_name(target)) as reached:
        proc = subprocess.Popen(
            child(sample, "-o", target), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        # Held until the run has come to the lock and tried it at least twice, however slow the machine.
        assert reached(times=2, timeout=120), "the run never came to the lock"
        assert proc.poll() is None, "the run did not wait for the lock"
    out = proc.communicate(timeout=120)[0]
    assert proc.returncode == 0, out
    assert f"Obs: en annan körning arbetade med {target.name} samtidigt – den här väntade in den" in out


@contextlib.contextmanager
def opened_by_another(path: Path) -> Iterator[Callable[..., bool]]:
    """Watch `path` with Linux's inotify: the returned callable waits until the file has been opened
    `times` times from now on (the run polls the lock by opening it), or `timeout` seconds passed."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK)
    assert fd >= 0, os.strerror(ctypes.get_errno())
    in_open = 0x20
    assert libc.inotify_add_watch(fd, os.fsencode(path), in_open) >= 0, os.strerror(ctypes.get_errno())

    def reached(*, times: int, timeout: float) -> bool:
        seen, deadline = 0, time.monotonic() + timeout
        while seen < times and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.5)[0]:
                events = os.read(fd, 4096)
                seen += len(events) // 16  # the events carry no name: a watch on one file
        return seen >= times

    try:
        yield reached
    finally:
        os.close(fd)


def test_a_lock_file_left_by_a_kill_locks_nothing_and_is_no_input(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    outbox.mkdir()
    shutil.copy(sample, inbox / sample.name)
    for where in (inbox, outbox):  # the file a killed run leaves (no process holds its lock)
        files.lock_name(where / RESULT).write_bytes(b"")
    code, out = run(capsys, inbox, "-o", outbox)
    assert code == 0 and "hoppades över" not in out and "väntade" not in out
    code, out = run(capsys, outbox)
    assert "lock" not in out


# --- kills and runs at once (real processes) -----------------------------------------------------


def child(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "sjukmiljard", *map(str, args)]


def complete(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None and "xl/workbook.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def test_kill_at_random_moments_leaves_the_old_or_the_new_result(sample: Path, tmp_path: Path) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    source = Path(shutil.copy(sample, inbox / sample.name))
    changed = Path(shutil.copy(sample, tmp_path / "skr.xlsx"))
    raise_skr(changed)
    versions = [sample.read_bytes(), changed.read_bytes()]
    start = time.monotonic()
    subprocess.run(child(inbox, "-o", outbox), check=True, capture_output=True, cwd=ROOT)
    took = time.monotonic() - start  # a whole run: the kills are spread over it and a little past it
    result = outbox / RESULT
    seen = {result.read_bytes()}
    generator = random.Random(17)
    killed = n = 0
    while n < 14 or (killed < 5 and n < 40):  # rounds that ran to the end do not count as kills
        source.write_bytes(versions[(n + 1) % 2])
        before = result.read_bytes()
        begun = time.monotonic()
        proc = subprocess.Popen(child(inbox, "-o", outbox), cwd=ROOT, stdout=subprocess.DEVNULL)
        deadline = begun + took * (0.3 + 0.9 * ((n % 14) + generator.random()) / 14)
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if proc.poll() is None:
            proc.kill()
            killed += 1
        else:  # the machine is faster now than when measured: spread the next kills over this run
            took = time.monotonic() - begun
        proc.wait()
        assert result.is_file(), f"no result after a kill in round {n}"
        now = result.read_bytes()
        assert complete(result), f"a broken result after round {n}"
        assert now == before or now not in (b"",), n
        seen.add(now)
        for kept in outbox.glob("*-resultat *.xlsx"):
            assert complete(kept), kept.name
        n += 1
    assert killed >= 5, "too few runs were killed to mean anything"
    # The next run after all that is a proper rerun.
    done = subprocess.run(child(inbox, "-o", outbox), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "oväntat fel" not in done.stdout + done.stderr


def test_eight_runs_at_once_into_one_folder(sample: Path, tmp_path: Path) -> None:
    inbox, outbox = tmp_path / "inkorg", tmp_path / "utkorg"
    inbox.mkdir()
    source = Path(shutil.copy(sample, inbox / sample.name))
    subprocess.run(child(inbox, "-o", outbox), check=True, capture_output=True, cwd=ROOT)
    raise_skr(source)
    procs = [
        subprocess.Popen(
            child(inbox, "-o", outbox), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(8)
    ]
    outputs = [(proc.communicate()[0], proc.returncode) for proc in procs]
    for text, code in outputs:
        assert "oväntat fel" not in text, text
        assert code == 0, text
    assert complete(outbox / RESULT)
    # The first to replace it kept the previous result; the others found this result in place.
    assert sum("sparades som" in text for text, _ in outputs) == 1
    assert sum("oförändrat" in text for text, _ in outputs) == 7
    assert not list(outbox.glob(".~sjukmiljard-*"))  # no lock file or temporary file left
    log = (outbox / runlog.LOG_NAME).read_text(encoding="utf-8-sig").splitlines()
    assert len(log) == 1 + 1 + 8 and all(line.count(";") == log[0].count(";") for line in log)
