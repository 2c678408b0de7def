"""The command line: messages, exit codes, where results go, and that nothing is lost."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sjukmiljard import batch, cli, convert
from sjukmiljard.batch import plan
from sjukmiljard.options import Options
from sjukmiljard.runlog import LOG_NAME

from .conftest import ROOT, SAMPLE_NOTICES, save, small_book


def run(*args: str | Path) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "sjukmiljard", *map(str, args)], capture_output=True, text=True, check=False
    )
    return proc.returncode, proc.stdout, proc.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(folder: Path) -> list[str]:
    """What a run left in a folder, apart from the run log (which every run appends to)."""
    return sorted(p.name for p in folder.iterdir() if p.name != LOG_NAME)


def log_rows(folder: Path) -> list[list[str]]:
    text = (folder / LOG_NAME).read_text(encoding="utf-8-sig")
    return [line.split(";") for line in text.splitlines()]


def bad_book(folder: Path, name: str = "trasig.xlsx") -> Path:
    book = small_book()
    book["Befolkning"]["B7"] = "två miljoner"
    book["Villkor 1"]["B25"] = None
    return save(book, folder, name)


def test_converts_beside_input(sample: Path) -> None:
    before = digest(sample)
    code, out, err = run(sample)
    result = sample.with_name("sjukskrivningsmiljarden-2020-resultat.xlsx")
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"Klar: {sample} → {result}", *SAMPLE_NOTICES]
    assert result.exists()
    assert digest(sample) == before


def test_output_folder_and_file(sample: Path, tmp_path: Path) -> None:
    code, _, _ = run(sample, "-o", tmp_path / "utdata")
    assert code == 0
    assert (tmp_path / "utdata" / "sjukskrivningsmiljarden-2020-resultat.xlsx").exists()
    code, _, _ = run(sample, "-o", tmp_path / "eget namn.xlsx")
    assert code == 0 and (tmp_path / "eget namn.xlsx").exists()


def test_rejected_workbook_reports_everything_and_writes_nothing(tmp_path: Path) -> None:
    bad = bad_book(tmp_path)
    before = digest(bad)
    code, out, err = run(bad)
    assert code == 1
    assert out == ""
    assert err == (
        f"Avvisad: {bad}\n"
        "  - Befolkning!B7: 'två miljoner' är inget tal\n"
        "  - Villkor 1!B25: potten 'Pot belopp, Mkr' i raden RIKET saknas\n"
    )
    assert "Traceback" not in err
    assert files(tmp_path) == ["trasig.xlsx"]
    assert digest(bad) == before
    (header, row) = log_rows(tmp_path)
    assert header[6:8] == ["Status", "Orsak"]
    assert row[1:3] == ["trasig.xlsx", before]
    assert row[6:8] == ["Avvisad", "2 fel, bl.a. Befolkning!B7: 'två miljoner' är inget tal"]


def test_the_summary_line_agrees_in_number(sample: Path, tmp_path: Path) -> None:
    code, out, _ = run(bad_book(tmp_path), sample, "--check")
    assert code == 1
    assert out.endswith("1 arbetsbok godkänd, 1 avvisad\n")


def test_verbose_shows_traceback(tmp_path: Path) -> None:
    code, _, err = run(bad_book(tmp_path), "-v")
    assert code == 1 and "Traceback" in err and "InputRejected" in err


def test_one_bad_input_does_not_stop_the_others(sample: Path, tmp_path: Path) -> None:
    bad = bad_book(tmp_path)
    code, out, err = run(bad, sample, "-o", tmp_path / "ut")
    assert code == 1
    assert "Avvisad: " in err
    assert "Klar: " in out
    assert out.endswith("1 arbetsbok klar, 1 avvisad\n")
    assert files(tmp_path / "ut") == ["sjukskrivningsmiljarden-2020-resultat.xlsx"]
    assert [row[6] for row in log_rows(tmp_path / "ut")] == ["Status", "Avvisad", "Klar"]


def test_folder_input_skips_lock_files_and_results(sample: Path, tmp_path: Path) -> None:
    (tmp_path / "~$sjukskrivningsmiljarden-2020.xlsx").write_bytes(b"lock")
    (tmp_path / "gammal-resultat.xlsx").write_bytes(b"old result")
    (tmp_path / "gammal-resultat (2).xlsx").write_bytes(b"old result")
    (tmp_path / "anteckning.txt").write_text("inte en arbetsbok")
    code, out, err = run(tmp_path, "--check")
    assert (code, err) == (0, "")
    assert out.startswith("Godkänd: sjukskrivningsmiljarden-2020.xlsx (8 villkor, befolkning 1/11 2019)\n")


def test_check_writes_nothing(sample: Path) -> None:
    code, _, _ = run(sample, "--check")
    assert code == 0
    assert sorted(p.name for p in sample.parent.iterdir()) == [sample.name]


def test_usage_errors_exit_2(sample: Path, tmp_path: Path) -> None:
    code, _, err = run()
    assert code == 2 and "ange minst en indatafil" in err
    code, _, err = run("--okänd")
    assert code == 2 and "okända argument: --okänd" in err
    other = save(small_book(), tmp_path, "annan.xlsx")
    code, _, err = run(sample, other, "-o", tmp_path / "en.xlsx")
    assert code == 2 and "-o kan bara vara en fil" in err


def test_output_equal_to_input_refused(sample: Path) -> None:
    before = digest(sample)
    code, _, err = run(sample, "-o", sample)
    assert code == 1
    assert "resultatet kan inte skrivas över indatafilen" in err
    assert digest(sample) == before


def test_missing_input(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "finns-inte.xlsx")
    assert code == 1 and "filen finns inte" in err


def test_locked_target_gets_numbered_name(
    sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = sample.with_name("sjukskrivningsmiljarden-2020-resultat.xlsx")
    target.write_bytes(b"open in Excel")
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == target:
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    assert cli.main([str(sample)]) == 0
    fallback = target.with_name("sjukskrivningsmiljarden-2020-resultat (2).xlsx")
    out = capsys.readouterr().out
    assert f"Klar: {sample} → {fallback}" in out
    assert "Obs: sjukskrivningsmiljarden-2020-resultat.xlsx är låst (öppen i Excel?)" in out
    assert target.read_bytes() == b"open in Excel"
    assert files(sample.parent) == sorted([sample.name, target.name, fallback.name])


def test_failed_write_leaves_no_partial_file(
    sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def replace(src: str | Path, dst: str | Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)
    assert cli.main([str(sample)]) == 1
    assert "kunde inte skriva" in capsys.readouterr().err
    assert files(sample.parent) == [sample.name]


def test_unexpected_error_is_a_message_not_a_traceback(
    sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bugg")

    monkeypatch.setattr(batch, "convert", broken)
    assert cli.main([str(sample)]) == 1
    err = capsys.readouterr().err
    assert "oväntat fel (RuntimeError: bugg)" in err and "Traceback" not in err


def test_values_only(sample: Path, tmp_path: Path) -> None:
    code, _, _ = run(sample, "--values-only", "-o", tmp_path / "v.xlsx")
    assert code == 0
    book = openpyxl.load_workbook(tmp_path / "v.xlsx")
    assert all(cell.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for cell in row)


def test_template_command_writes_the_committed_template(tmp_path: Path) -> None:
    code, out, _ = run("--template", tmp_path / "mall.xlsx")
    assert code == 0 and out.startswith("Klar: indatamall → ")
    assert (tmp_path / "mall.xlsx").read_bytes() == (ROOT / "templates" / "indata-mall.xlsx").read_bytes()


def test_help_is_swedish() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert out.startswith("Användning: sjukmiljard")
    for phrase in ("flaggor:", "kontrollera indata utan att skriva något", "Slutkod: 0 allt klart"):
        assert phrase in out


def test_console_script_entry_point() -> None:
    proc = subprocess.run(
        [Path(sys.executable).with_name("sjukmiljard"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("sjukmiljard ")


def test_library_call_is_what_the_cli_uses(sample: Path, tmp_path: Path) -> None:
    """The command line, the batch call and convert() make the same bytes from the same input."""
    code, out, _ = run(sample, "-o", tmp_path / "cli")
    by_cli = tmp_path / "cli" / "sjukskrivningsmiljarden-2020-resultat.xlsx"
    assert code == 0 and f"Klar: {sample} → {by_cli}" in out
    report = convert(sample, tmp_path / "lib.xlsx")
    assert report.output is not None and report.output.read_bytes() == by_cli.read_bytes()
    (outcome,) = plan([sample], Options(output=tmp_path / "batch")).outcomes()
    assert outcome.report is not None and outcome.report.output is not None
    assert outcome.report.output.read_bytes() == by_cli.read_bytes()
    assert [row[6] for row in log_rows(tmp_path / "batch")] == ["Status", "Klar"]
    checked = convert(sample, check=True)
    assert checked.output is None and checked.indata == report.indata


def test_a_keyword_changes_one_field_of_the_options_and_the_others_keep_theirs(
    sample: Path, tmp_path: Path
) -> None:
    """A keyword left out keeps what `options` says; one given, even as None, replaces it."""
    plain = convert(sample, tmp_path / "plain.xlsx").output
    options = Options(compare_with=plain, values_only=True)
    compared = convert(sample, tmp_path / "compared.xlsx", options, check=False)
    assert compared.compared_with == plain
    assert openpyxl.load_workbook(tmp_path / "compared.xlsx")["Sammanställning"]["B5"].data_type == "n"
    alone = convert(sample, tmp_path / "alone.xlsx", options, compare_with=None)
    assert alone.compared_with is None
    assert convert(sample, tmp_path / "checked.xlsx", options, check=True).output is None
    with pytest.raises(TypeError):
        convert(sample, tmp_path / "typo.xlsx", chek=True)  # type: ignore[call-arg]


def test_jobs_converts_in_several_processes(sample: Path, tmp_path: Path) -> None:
    inputs = [sample] + [Path(shutil.copy(sample, tmp_path / f"kopia {i}.xlsx")) for i in range(3)]
    bad = bad_book(tmp_path)
    code, out, err = run(*inputs, bad, "--jobs", "2", "-o", tmp_path / "ut")
    assert code == 1
    assert out.count("Klar: ") == 4 and err.count("Avvisad: ") == 1
    assert out.endswith("4 arbetsböcker klara, 1 avvisad\n")
    assert len(files(tmp_path / "ut")) == 4
    assert len(log_rows(tmp_path / "ut")) == 1 + 5
    serial = tmp_path / "seriell"
    run(sample, "-o", serial)
    assert (serial / "sjukskrivningsmiljarden-2020-resultat.xlsx").read_bytes() == (
        tmp_path / "ut" / "sjukskrivningsmiljarden-2020-resultat.xlsx"
    ).read_bytes()


def test_jobs_must_be_positive(sample: Path) -> None:
    code, _, err = run(sample, "--jobs", "0")
    assert code == 2 and "--jobs måste vara minst 1" in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_result_gets_the_mode_the_umask_gives_a_new_file(
    sample: Path, tmp_path: Path, umask: int, mode: int
) -> None:
    """Written through a temporary file, the result must still be readable by colleagues on a share."""
    previous = os.umask(umask)
    try:
        report = convert(sample, tmp_path / "ut" / "r.xlsx")
        plain = tmp_path / "vanlig fil"
        plain.write_bytes(b"")
    finally:
        os.umask(previous)
    assert report.output is not None
    assert report.output.stat().st_mode & 0o777 == mode == plain.stat().st_mode & 0o777
    assert sorted(p.name for p in report.output.parent.iterdir()) == ["r.xlsx"]


PAYOUT_ROOMS = {
    "sjukmiljard.allocate.payout",
    "sjukmiljard.allocate.rules",
    "sjukmiljard.allocate.rounding",
    "sjukmiljard.read.utfall",
    "sjukmiljard.result.payout",
}
COMPARE_ROOMS = {"sjukmiljard.read.previous", "sjukmiljard.result.changes"}
OPTIONAL_ROOMS = PAYOUT_ROOMS | COMPARE_ROOMS | {"sjukmiljard.scb.population", "sjukmiljard.read.ods"}


@pytest.mark.parametrize(
    ("kind", "loads"),
    [
        ("plain", set()),
        ("payout", PAYOUT_ROOMS),
        ("compare", COMPARE_ROOMS),
    ],
)
def test_a_run_loads_only_the_rooms_it_needs(
    sample: Path, tmp_path: Path, kind: str, loads: set[str]
) -> None:
    """Payout, SCB, compare, multiprocessing and difflib are imported by the runs that use them."""
    source = ROOT / "samples" / "sjukskrivningsmiljarden-2020-utfall.xlsx" if kind == "payout" else sample
    args = [str(source), "-o", str(tmp_path / "ut.xlsx")]
    if kind == "compare":
        args += ["--compare", str(convert(sample, tmp_path / "förra.xlsx").output)]
    program = f"import sys\nfrom sjukmiljard.cli import main\nmain({args!r})\nprint(*sorted(sys.modules))"
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    loaded = set(proc.stdout.split())
    assert {"sjukmiljard.read.workbook", "sjukmiljard.result.writer"} <= loaded
    assert loaded & OPTIONAL_ROOMS == loads
    assert not loaded & {"multiprocessing", "difflib"}
