"""The fuzz harness's own tests: a seed replays a run."""

from __future__ import annotations

import os

import pytest

from .fuzz.session import SEED_VARIABLE, fuzz_seed, seeded
from .fuzz.strategies import Plan


def test_a_seed_replays_the_same_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    def drawn(seed_value: int) -> list[Plan]:
        plans: list[Plan] = []

        def keep(plan: Plan) -> None:
            plans.append(plan)

        seeded(keep, seed_value, 25)()
        return plans

    assert drawn(7) == drawn(7)
    assert drawn(7) != drawn(8)
    monkeypatch.setenv(SEED_VARIABLE, "12345")
    assert fuzz_seed() == 12345
    monkeypatch.delenv(SEED_VARIABLE)
    assert SEED_VARIABLE not in os.environ and len({fuzz_seed() for _ in range(5)}) > 1
