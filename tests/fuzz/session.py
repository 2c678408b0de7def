"""The fresh fuzz run: a reproducible (derandomized) hypothesis run over mutation plans."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from .run import build, run_plan
from .strategies import Plan, plans

EXAMPLES_VARIABLE = "SJUKMILJARD_FUZZ_EXAMPLES"


def fuzz_examples() -> int:
    if value := os.environ.get(EXAMPLES_VARIABLE):
        return int(value)
    return 2000 if os.environ.get("CI") else 200


@dataclass
class Stats:
    examples: int = 0
    runs: int = 0
    converted: int = 0
    refused: int = 0
    known: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        known = sum(self.known.values())
        extra = f", {known} kända fel ({', '.join(sorted(self.known))})" if known else ""
        return (
            f"fuzz: {self.runs} mutationer körda, {self.failures} fel{extra} "
            f"({self.converted} konverterade, {self.refused} avvisade; {self.seconds:.0f} s, "
            f"max_examples={self.examples})"
        )


STATS = Stats()


class _Summary:
    """Prints the fuzz line at the end of the session (a plugin registered by the test itself)."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if STATS.runs:
            terminalreporter.write_line(STATS.line())


def save_failure(data: bytes, plan: Plan, error: BaseException) -> Path:
    """The failing workbook and its plan, ready to be copied into the corpus."""
    folder = Path(os.environ.get("SJUKMILJARD_FUZZ_SAVE") or Path(tempfile.gettempdir()) / "sjukmiljard-fuzz")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fail-{type(error).__name__}.xlsx"
    path.write_bytes(data)
    record = {"plan": dataclasses.asdict(plan), "error": str(error)[:2000]}
    path.with_suffix(".json").write_text(json.dumps(record, ensure_ascii=False, default=repr, indent=1))
    return path


def fuzz_one(plan: Plan) -> None:
    data, keeps, payloads = build(plan)
    STATS.runs += 1
    try:
        outcome = run_plan(data, keeps, payloads, plan.mode, plan.roundtrip, plan.base)
    except BaseException as error:
        STATS.failures += 1
        where = save_failure(data, plan, error)
        error.add_note(f"fuzz: the failing workbook is saved as {where} (plan beside it)")
        raise
    if outcome.known_bug is not None:
        STATS.known[outcome.known_bug] = STATS.known.get(outcome.known_bug, 0) + 1
    elif outcome.ok:
        STATS.converted += 1
    else:
        STATS.refused += 1


def run_fresh(request: pytest.FixtureRequest) -> None:
    """The fresh run: STATS.examples plans, summed up at the end of the session."""
    manager = request.config.pluginmanager
    if not manager.has_plugin("sjukmiljard-fuzz-summary"):
        manager.register(_Summary(), "sjukmiljard-fuzz-summary")
    STATS.examples = fuzz_examples()
    fuzz = settings(
        max_examples=STATS.examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )(given(plans())(fuzz_one))
    start = time.perf_counter()
    try:
        fuzz()
    finally:
        STATS.seconds = time.perf_counter() - start
