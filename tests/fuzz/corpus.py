"""The kept corpus: small workbooks in `tests/fuzz_corpus/` with their expected outcome in
`manifest.json`, run on every `uv run pytest`. See the README there."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sjukmiljard import cli

from .cases import BUILDERS
from .run import INPUT_NAME, RESULT_NAME, check_converted, digest, listing, results_in
from .totals import WrongTotal

CORPUS = Path(__file__).resolve().parent.parent / "fuzz_corpus"
MANIFEST = CORPUS / "manifest.json"
EXPECTATIONS = ("ok", "rejected", "oracle")


def manifest() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))["cases"]
    return cases


def params() -> Iterator[Any]:
    """One pytest parameter per case; a known bug is an xfail(strict): its fix must update the case."""
    for case in manifest():
        marks = []
        if case.get("bug"):
            raises = WrongTotal if case["expect"] == "oracle" else AssertionError
            marks.append(pytest.mark.xfail(strict=True, raises=raises, reason=f"bug: {case['bug']}"))
        yield pytest.param(case, id=case["file"], marks=marks)


def check_manifest() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.xlsx"))
    cases = manifest()
    assert files == sorted(case["file"] for case in cases)
    assert set(BUILDERS) <= set(files), sorted(set(BUILDERS) - set(files))
    for case in cases:
        assert case["expect"] in EXPECTATIONS and case["covers"], case["file"]
        assert case["expect"] != "rejected" or case["message"], case["file"]
        assert not (case.get("bug") and case.get("fixed")), case["file"]


def check_case(case: dict[str, Any], tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """The case's outcome: its `expect`, and every check the fresh run makes."""
    source = tmp_path / "in" / INPUT_NAME
    source.parent.mkdir()
    data = (CORPUS / case["file"]).read_bytes()
    source.write_bytes(data)
    outbox = tmp_path / "ut"
    args = [str(source), "-o", str(outbox), *case.get("args", [])]
    if case.get("isolate"):
        code, out, err = _isolated(args, case.get("timeout", 60))
    else:
        capfd.readouterr()
        try:
            code = cli.main(args)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out, err = capfd.readouterr()
    text = out + err
    assert "Traceback" not in text and "oväntat fel" not in text, text
    assert digest(source) == digest(CORPUS / case["file"])
    assert listing(source.parent) == [INPUT_NAME]
    if code != 0 and case["expect"] != "ok":
        assert code == 1, text
        lines = err.splitlines()
        assert lines[0] == f"Avvisad: {source}" and len(lines) > 1, lines
        assert all(line.startswith("  - ") for line in lines[1:]), lines
        assert case.get("message", "") in err, err
        assert results_in(outbox, "Avvisad") == []
        return
    assert code == 0 and case["expect"] != "rejected", text
    if "--check" in case.get("args", []):
        assert results_in(outbox, None) == []
        return
    assert results_in(outbox, "Klar") == [RESULT_NAME]
    output = (outbox / RESULT_NAME).read_bytes()
    checked = check_converted(data, output, "--values-only" in case.get("args", []), lenient=False)
    strings = checked.result.strings()
    for payload in case.get("text_cells", []):
        assert payload in strings, f"{payload!r} is not a text cell of the result"
    # Our result is always a valid input, as the fuzz run's round trip checks.
    again = cli.main([str(outbox / RESULT_NAME), "-o", str(tmp_path / "igen")])
    assert again == 0, capfd.readouterr()


def _isolated(args: list[str], timeout: float) -> tuple[int, str, str]:
    """The CLI in a child process with a time and memory limit: for inputs that may hang or blow up."""
    code = (
        "import resource, sys\n"
        "limit = 1024 ** 3\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from sjukmiljard.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within {timeout} s")
    return proc.returncode, proc.stdout, proc.stderr


def write_corpus() -> int:
    """Rebuild every corpus file that has a builder; the manifest is written by hand."""
    listed = {case["file"] for case in manifest()}
    missing = sorted(set(BUILDERS) - listed)
    assert not missing, f"builders without a manifest entry: {missing}"
    for name, builder in BUILDERS.items():
        (CORPUS / name).write_bytes(builder())
    return len(BUILDERS)
