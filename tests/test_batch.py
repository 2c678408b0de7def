"""A run over many inputs under hostile names and file systems (issue 17): every input gets a
Swedish answer and a log line, and nothing ends the batch, waits forever or writes where it should not.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sjukmiljard import cli, runlog
from sjukmiljard.formats import NOT_A_FILE
from sjukmiljard.runlog import LOG_NAME

from .conftest import ROOT, SAMPLE_2020

FORMULA_NAMES = (
    "=1+1.xlsx",
    '=HYPERLINK("http---exempel.se","klicka").xlsx',
    "=cmd|' -C calc'!A0.xlsx",
    "+1+1.xlsx",
    "-2+3.xlsx",
    "@SUM(1+1).xlsx",
    " =1+1.xlsx",
    "\t=1+1.xlsx",
)


def log_fields(folder: Path) -> list[dict[str, str]]:
    with (folder / LOG_NAME).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def run_module(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command line in a child, with a timeout: a run that waits on a FIFO fails, not hangs."""
    return subprocess.run(
        [sys.executable, "-m", "sjukmiljard", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd or ROOT,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the run log ------------------------------------------------------------------------------


def test_no_log_field_starts_as_a_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Excel (and LibreOffice) would run `=HYPERLINK(…)` from a CSV: OWASP's single quote first."""
    for name in FORMULA_NAMES:
        shutil.copy(SAMPLE_2020, tmp_path / name)
    (tmp_path / "=trasig.xlsx").write_bytes(b"PK inte en arbetsbok")
    assert cli.main([str(tmp_path), "-o", str(tmp_path / "ut")]) == 1
    rows = log_fields(tmp_path / "ut")
    assert len(rows) == len(FORMULA_NAMES) + 1
    for row in rows:
        for value in row.values():
            assert value.lstrip()[:1] not in ("=", "+", "-", "@"), value
            assert value[:1] not in ("\t", "\r", "\n"), value
    names = {row["Indata"] for row in rows}
    assert names == {"'" + name for name in FORMULA_NAMES} | {"'=trasig.xlsx"}


def test_the_log_holds_the_results_sha256_beside_the_inputs(tmp_path: Path) -> None:
    source = Path(shutil.copy(SAMPLE_2020, tmp_path / "indata.xlsx"))
    assert cli.main([str(source)]) == 0
    [row] = log_fields(tmp_path)
    assert list(row) == list(runlog.HEADER) and runlog.HEADER[-1] == "Utdata SHA-256"
    assert row["Indata SHA-256"] == digest(source)
    assert row["Utdata SHA-256"] == digest(tmp_path / "indata-resultat.xlsx")
    assert cli.main([str(source)]) == 0  # unchanged: the result in place is the one logged
    assert log_fields(tmp_path)[-1]["Utdata SHA-256"] == digest(tmp_path / "indata-resultat.xlsx")


def test_a_refused_workbook_logs_the_sha256_of_the_bytes_it_read(tmp_path: Path) -> None:
    source = tmp_path / "trasig.xlsx"
    source.write_bytes(b"PK inte en arbetsbok")
    assert cli.main([str(source)]) == 1
    [row] = log_fields(tmp_path)
    assert row["Status"] == runlog.REJECTED
    assert row["Indata SHA-256"] == digest(source) and row["Utdata SHA-256"] == ""


def test_a_log_that_is_a_symbolic_link_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "annan.txt"
    other.write_text("någon annans fil\n")
    (tmp_path / LOG_NAME).symlink_to(other)
    source = Path(shutil.copy(SAMPLE_2020, tmp_path / "indata.xlsx"))
    assert cli.main([str(source)]) == 0
    assert other.read_text() == "någon annans fil\n"
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert f"loggen {LOG_NAME} kunde inte skrivas (är en symbolisk länk, som programmet inte följer)" in out


def test_a_log_that_is_a_fifo_is_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / LOG_NAME)
    shutil.copy(SAMPLE_2020, tmp_path / "indata.xlsx")
    done = run_module(tmp_path / "indata.xlsx")
    assert done.returncode == 0, done.stderr
    assert f"loggen {LOG_NAME} kunde inte skrivas (är ingen vanlig fil)" in done.stdout + done.stderr


# -- names and kinds of input ------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_converted_and_logged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Byte 0xFF in a name (Python's lone surrogate) once raised in the run log and ended the batch.
    Byte 0x81, which Windows-1252 leaves undefined, is U+FFFD."""
    odd = tmp_path / os.fsdecode(b"l\xe4n \xff\x81.xlsx")
    shutil.copy(SAMPLE_2020, odd)
    shutil.copy(SAMPLE_2020, tmp_path / "vanlig.xlsx")
    assert cli.main([str(tmp_path)]) == 0
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "oväntat fel" not in out and "Traceback" not in out
    rows = log_fields(tmp_path)
    assert [row["Status"] for row in rows] == [runlog.DONE, runlog.DONE]
    assert rows[0]["Indata"] == "län ÿ\ufffd.xlsx"  # the bytes read as Windows-1252
    assert (tmp_path / os.fsdecode(b"l\xe4n \xff\x81-resultat.xlsx")).is_file()


def test_a_fifo_named_as_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "indata.xlsx"
    os.mkfifo(fifo)
    shutil.copy(SAMPLE_2020, tmp_path / "vanlig.xlsx")
    done = run_module(fifo, tmp_path / "vanlig.xlsx")
    assert done.returncode == 1
    assert f"Avvisad: {fifo}\n  - filen {NOT_A_FILE}\n" == done.stderr
    assert f"Klar: {tmp_path / 'vanlig.xlsx'}" in done.stdout


def test_a_fifo_given_to_the_library_is_refused_not_waited_on(tmp_path: Path) -> None:
    """The reader checks the kind of the file it opened, not a name looked at before."""
    script = (
        "import sys; from pathlib import Path; from sjukmiljard import InputRejected, convert\n"
        "try:\n    convert(Path(sys.argv[1]))\nexcept InputRejected as e:\n    print(e.problems[0].message)\n"
    )
    fifo = tmp_path / "indata.xlsx"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-c", script, str(fifo)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == NOT_A_FILE, done.stderr


# -- file systems -----------------------------------------------------------------------------


def _read_only_run(folder: Path, args: str) -> subprocess.CompletedProcess[str]:
    """The command line with `folder` bind-mounted read-only, in a user and mount namespace."""
    command = (
        f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && "
        f"{sys.executable} -m sjukmiljard {args}"
    )
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def _can_mount_read_only(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = tmp_path / "prov"
    probe.mkdir()
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount --bind {probe} {probe} && mount -o remount,ro,bind {probe}"],
        capture_output=True,
        check=False,
    )
    probe.rmdir()
    return done.returncode == 0


def test_a_read_only_folder_is_answered_in_swedish(tmp_path: Path) -> None:
    """A real read-only mount (a bind mount in a namespace), with a previous result to keep."""
    if not _can_mount_read_only(tmp_path):
        pytest.skip("no read-only bind mount here (unshare -rm)")
    folder = tmp_path / "delad"
    folder.mkdir()
    source = Path(shutil.copy(SAMPLE_2020, folder / "indata.xlsx"))
    assert cli.main([str(folder), "-o", str(folder)]) == 0
    shutil.copy(ROOT / "samples" / "sjukskrivningsmiljarden-2020-utfall.xlsx", source)  # a new result
    before = sorted((p.name, digest(p)) for p in folder.iterdir())
    done = _read_only_run(folder, f"{folder} -o {folder}")
    assert done.returncode == 1, done.stderr
    assert f"Avvisad: {source}\n  - kan inte skriva i mappen {folder}: mappen är skrivskyddad" in done.stderr
    assert f"loggen {LOG_NAME} kunde inte skrivas (mappen är skrivskyddad)" in done.stdout + done.stderr
    assert "oväntat fel" not in done.stderr and "Traceback" not in done.stderr
    assert sorted((p.name, digest(p)) for p in folder.iterdir()) == before


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EIO])
def test_an_os_error_while_keeping_the_previous_result_is_answered_in_swedish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int
) -> None:
    """Simulated, for systems where no read-only mount can be made: the rename that keeps the
    previous result fails as a read-only, full or failing disk makes it fail."""
    source = Path(shutil.copy(SAMPLE_2020, tmp_path / "indata.xlsx"))
    assert cli.main([str(tmp_path), "-o", str(tmp_path)]) == 0
    shutil.copy(ROOT / "samples" / "sjukskrivningsmiljarden-2020-utfall.xlsx", source)

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", failing)
    capsys.readouterr()
    assert cli.main([str(tmp_path), "-o", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "oväntat fel" not in out
    reason = {errno.EROFS: "mappen är skrivskyddad", errno.ENOSPC: "disken är full"}.get(
        code, "läsfel eller skrivfel på disken"
    )
    written = tmp_path / "indata-resultat.xlsx"
    assert f"  - kunde inte skriva {written}: {reason} – inget ändrades, det tidigare resultatet" in out
    assert log_fields(tmp_path)[-1]["Indata SHA-256"] == digest(source)  # the bytes that were read


def test_an_unreadable_input_in_a_batch_is_refused_in_swedish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Simulated: the tests run as root, whom chmod 000 does not stop."""
    locked = Path(shutil.copy(SAMPLE_2020, tmp_path / "låst.xlsx"))
    shutil.copy(SAMPLE_2020, tmp_path / "vanlig.xlsx")
    real_open = os.open

    def refusing(file: object, flags: int, *args: object) -> int:
        if Path(str(file)) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing)
    assert cli.main([str(locked), str(tmp_path / "vanlig.xlsx")]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert f"Avvisad: {locked}\n  - filen kunde inte läsas – behörighet saknas" in out
    assert f"Klar: {tmp_path / 'vanlig.xlsx'}" in out and "oväntat fel" not in out


def test_a_text_file_too_large_for_an_scb_export_is_named_by_its_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17's 20 MB CSV of tiny fields was refused only after 2,1 GB and 133 s."""
    from . import hostile

    big = tmp_path / "befolkning.csv"
    big.write_bytes(hostile.tiny_fields_csv(20 * 1024 * 1024 - 1))
    assert cli.main([str(big)]) == 1
    assert capsys.readouterr().err == (
        f"Avvisad: {big}\n  - filen är större än 4 MB – välj bara länen och månaderna du behöver (om det "
        "är en befolkningsfil från SCB)\n"
    )


def test_a_refused_scb_file_logs_the_workbooks_sha256(tmp_path: Path) -> None:
    source = Path(shutil.copy(SAMPLE_2020, tmp_path / "indata.xlsx"))
    scb = tmp_path / "befolkning.csv"
    scb.write_text("region;2019M11\n01 Stockholms län;2 374 550\n", encoding="utf-8")
    assert cli.main([str(source), "--population", str(scb)]) == 1
    [row] = log_fields(tmp_path)
    assert row["Status"] == runlog.REJECTED
    assert row["Indata SHA-256"] == digest(source) and row["SCB-fil SHA-256"] == digest(scb)
