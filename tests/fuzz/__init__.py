"""Fuzzing (issue 5): valid workbooks mutated structurally and byte by byte, each run checked by oracles.

- `book.py`: a workbook as plain data and a small .xlsx writer (so a mutation can write what Excel
  never would); the two bases, conftest's `small_book()` and the 2020 sample.
- `values.py`, `layout.py`, `mutations.py`, `damage.py`, `strategies.py`: what the mutations write,
  where things are in a sheet, the structural mutations, byte-level damage, hypothesis strategies.
- `xlsx.py`: the oracles' own .xlsx reader (no openpyxl, nothing of the program's).
- `result.py`, `inputs.py`, `totals.py`: the oracles: a result is consistent; its figures come from
  the input; its totals are what the input's own numbers say.
- `run.py`: one CLI run and every check of what it did; `session.py`: the seeded hypothesis run;
  `known.py`: reported bugs the fresh run counts instead of failing on.
- `corpus.py`, `cases.py`: the kept corpus in `tests/fuzz_corpus/` and the builders of its files.
"""
