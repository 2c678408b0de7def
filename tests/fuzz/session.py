"""The fresh fuzz run: a new seed each run, printed with the session's summary line, and replayable.

`SJUKMILJARD_FUZZ_SEED=N` replays a run (with the same `SJUKMILJARD_FUZZ_EXAMPLES`, or `CI` set as it
was); otherwise a seed is drawn from the operating system, so every CI run explores new mutations
while the corpus keeps the ones worth keeping.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings

from .run import build, run_plan
from .strategies import Plan, plans

SEED_VARIABLE = "SJUKMILJARD_FUZZ_SEED"
EXAMPLES_VARIABLE = "SJUKMILJARD_FUZZ_EXAMPLES"


def fuzz_examples() -> int:
    if value := os.environ.get(EXAMPLES_VARIABLE):
        return int(value)
    return 2000 if os.environ.get("CI") else 100


def fuzz_seed() -> int:
    """The seed to replay, or a new one."""
    if value := os.environ.get(SEED_VARIABLE):
        return int(value)
    return secrets.randbelow(2**32)


@dataclass
class Stats:
    seed: int = 0
    examples: int = 0
    runs: int = 0
    converted: int = 0
    refused: int = 0
    known: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    seconds: float = 0.0

    def replay(self) -> str:
        return f"{SEED_VARIABLE}={self.seed} {EXAMPLES_VARIABLE}={self.examples}"

    def line(self) -> str:
        known = sum(self.known.values())
        extra = f", {known} kända fel ({', '.join(sorted(self.known))})" if known else ""
        return (
            f"fuzz: {self.runs} mutationer körda, {self.failures} fel{extra} "
            f"({self.converted} konverterade, {self.refused} avvisade; {self.seconds:.0f} s, "
            f"max_examples={self.examples}, seed={self.seed}; replay: {self.replay()})"
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
    record = {"plan": dataclasses.asdict(plan), "error": str(error)[:2000], "replay": STATS.replay()}
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
        error.add_note(f"fuzz: replay this run with {STATS.replay()}")
        raise
    if outcome.known_bug is not None:
        STATS.known[outcome.known_bug] = STATS.known.get(outcome.known_bug, 0) + 1
    elif outcome.ok:
        STATS.converted += 1
    else:
        STATS.refused += 1


def seeded(test: Callable[[Plan], None], seed_value: int, examples: int) -> Callable[[], None]:
    """The hypothesis run of `test` over `examples` plans drawn from `seed_value`: the same plans, in
    the same order, and the same shrinking, every time."""
    run: Callable[[], None] = seed(seed_value)(
        settings(
            max_examples=examples,
            deadline=None,
            database=None,
            print_blob=False,
            suppress_health_check=list(HealthCheck),
        )(given(plans())(test))
    )
    return run


def run_fresh(request: pytest.FixtureRequest) -> None:
    """The fresh run: STATS.examples plans from STATS.seed, summed up at the end of the session."""
    manager = request.config.pluginmanager
    if not manager.has_plugin("sjukmiljard-fuzz-summary"):
        manager.register(_Summary(), "sjukmiljard-fuzz-summary")
    STATS.examples, STATS.seed = fuzz_examples(), fuzz_seed()
    start = time.perf_counter()
    try:
        seeded(fuzz_one, STATS.seed, STATS.examples)()
    finally:
        STATS.seconds = time.perf_counter() - start
