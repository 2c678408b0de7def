"""The run log: one intact line per conversion, even from many processes at once."""

from __future__ import annotations

import csv
import multiprocessing
from pathlib import Path

from sjukmiljard import runlog

WRITERS, LINES = 6, 150


def _write_many(folder: str, writer: int) -> None:
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
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_write_many, args=(str(tmp_path), w)) for w in range(WRITERS)]
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
