"""Bugs reported but not yet fixed, each with a reproducer in the corpus (a manifest entry with a
"bug" field: an xfail(strict) there). The fresh run counts them as "kända fel" instead of failing,
unless SJUKMILJARD_FUZZ_STRICT is set. When a fix lands, its corpus case XPASSes and fails: remove
the entry here and turn the manifest's "bug" into "found" + "fixed".
"""

from __future__ import annotations

import os

from .rules import Rule

STRICT = bool(os.environ.get("SJUKMILJARD_FUZZ_STRICT"))

# Unexpected errors, by a text of their message -> the corpus file. Empty: the thirteen bugs issue 5's
# fuzzing found were fixed in 8841aad and 28a0f24. For a new one, e.g.
#   KNOWN_ERRORS = {"InvalidWorksheetName": "bug-sheet-name-too-long.xlsx"}
KNOWN_ERRORS: dict[str, str] = {}
# Wrong results, by the oracle check that sees them (`raise known(<corpus file>)`).
KNOWN_WRONG_RESULTS: frozenset[str] = frozenset()
# Rules of the total oracle that today's reader does not follow yet (issue 9) -> the corpus file
# that shows it.
KNOWN_TOTAL_RULES: dict[Rule, str] = {}  # all fixed in dd3b858 and bcf73a3


class KnownBug(Exception):
    """The oracle found a wrong result that is already reported; the argument names its reproducer."""


def known(bug: str) -> KnownBug | AssertionError:
    """What to raise for a known wrong result: KnownBug, or a plain failure when it is not (or no
    longer) known or the run is strict."""
    if bug in KNOWN_WRONG_RESULTS and not STRICT:
        return KnownBug(bug)
    return AssertionError(f"wrong result, see tests/fuzz_corpus/{bug}")
