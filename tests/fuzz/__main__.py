"""`python -m tests.fuzz --write-corpus`: rebuild the corpus files from their builders."""

from __future__ import annotations

import sys

from .corpus import CORPUS, write_corpus

if sys.argv[1:] != ["--write-corpus"]:
    raise SystemExit("usage: python -m tests.fuzz --write-corpus")
print(f"wrote {write_corpus()} workbooks in {CORPUS}")
