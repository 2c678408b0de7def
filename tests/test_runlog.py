"""The run log: one intact line per conversion, even from many processes at once."""

from __future__ import annotations

import csv
import multiprocessing
import sys
from pathlib import Path
from typing import Any

import pytest

from sjukmiljard import runlog

WRITERS, LINES = 6, 150


NEW_LOGS = 12  # rounds of every writer's first line at once into a log nobody has created yet


def _write_many(folder: str, writer: int, start: Any) -> None:
    for k in range(NEW_LOGS):
        start.wait()
        runlog.append(Path(folder) / f"ny {k}", _line(f"först {writer}.xlsx"))
    for n in range(LINES):
        runlog.append(
            Path(folder),
            runlog.LogLine(
                time=runlog.LogLine.now(),
                input_name=f'bok {writer}; nr {n} "citat".xlsx',
                input_sha256="ab" * 32,
                population_source="bladet Befolkning i bok.xlsx",
                population_date="2019-11-01",
                output_name=f"bok {writer}-resultat.xlsx",
                status=runlog.DONE,
                reason="x" * 500,
            ),
        )


def test_concurrent_appends_neither_interleave_nor_get_lost(tmp_path: Path) -> None:
    """Whole lines come from O_APPEND alone on Linux; the lock is what makes one writer, and only
    one, start the new log with its BOM and header (without it, this fails: two headers)."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WRITERS)
    processes = [context.Process(target=_write_many, args=(str(tmp_path), w, start)) for w in range(WRITERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    raw = (tmp_path / runlog.LOG_NAME).read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.count("\ufeff".encode()) == 1
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == list(runlog.HEADER)
    body = rows[1:]
    assert len(body) == WRITERS * LINES
    reason = runlog.HEADER.index("Orsak")
    assert all(len(row) == len(runlog.HEADER) and row[reason] == "x" * 500 for row in body)
    names = {row[1] for row in body}
    assert names == {f'bok {w}; nr {n} "citat".xlsx' for w in range(WRITERS) for n in range(LINES)}
    for k in range(NEW_LOGS):
        raw = (tmp_path / f"ny {k}" / runlog.LOG_NAME).read_bytes()
        assert raw.count("\ufeff".encode()) == 1, f"more than one writer started log {k}"
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
        assert rows[0] == list(runlog.HEADER) and len(rows) == 1 + WRITERS, k


def _line(name: str) -> runlog.LogLine:
    return runlog.LogLine(
        time="2026-11-22 10:00:00",
        input_name=name,
        input_sha256="cd" * 32,
        population_source="",
        population_date="",
        output_name="",
        status=runlog.DONE,
        reason="",
    )


def _write_one(folder: str, ready: Any) -> None:
    ready.set()  # started and imported: from here, appending takes milliseconds unless it waits
    runlog.append(Path(folder), _line("väntar.xlsx"))


@pytest.mark.skipif(sys.platform == "win32", reason="flock: the Windows lock is msvcrt's")
def test_a_writer_waits_while_another_holds_the_lock(tmp_path: Path) -> None:
    """The lock itself, not O_APPEND, keeps lines whole: a second writer blocks until it is free."""
    import fcntl

    log = runlog.append(tmp_path, _line("först.xlsx"))
    before = log.read_bytes()
    with log.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        context = multiprocessing.get_context("spawn")
        ready = context.Event()
        child = context.Process(target=_write_one, args=(str(tmp_path), ready))
        child.start()
        assert ready.wait(timeout=60), "the second writer did not start"
        child.join(timeout=1)  # an append that does not wait is done in milliseconds
        waited = child.is_alive()
        unchanged = log.read_bytes() == before
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    child.join(timeout=60)
    assert waited and unchanged, "the second writer did not wait for the lock"
    assert child.exitcode == 0
    assert "väntar.xlsx" in log.read_text(encoding="utf-8-sig")
