"""Bytecode for the next start, where Python has been told to write none.

Under `PYTHONDONTWRITEBYTECODE=1` (or `python -B`) Python compiles every module it imports and keeps
the result in memory only, so every start compiles pandas again: about 2 s, five times the start-up
itself. Installers compile once instead (pip does by default); uv does only with `compile-bytecode`,
and then re-checks the whole environment at every `uv run` (0.2–0.3 s and a "Bytecode compiled"
line each time, astral-sh/uv#12202). So the command line, after a run, writes the bytecode of what it
imported from its own virtual environment and from sjukmiljard itself, as an installer would. Later
starts find it and this costs them a few dozen `stat` calls. Where Python writes its own bytecode,
this does nothing.
"""

from __future__ import annotations

import os
import py_compile
import sys
from collections.abc import Iterable
from types import ModuleType

PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")


def cache_imported() -> int:
    """Write the missing or stale bytecode of the modules imported so far; returns how many files.

    Only in a virtual environment: a system Python's packages are not ours to change."""
    if not sys.dont_write_bytecode or sys.prefix == sys.base_prefix:
        return 0
    return write_bytecode(list(sys.modules.values()), environment=os.path.join(sys.prefix, ""), own=PACKAGE)


def write_bytecode(modules: Iterable[ModuleType], *, environment: str, own: str) -> int:
    """Compile the modules loaded from source files under `environment` or `own` whose bytecode is
    missing or older than the source.

    In `environment` a package's first module stands for the whole package, since its files change
    only when it is reinstalled, which removes its bytecode too; under `own`, where sources are
    edited, every module is checked. Only when one of those is out of date is every module looked
    at. Stops at the first file it cannot write (a read-only folder).
    """
    found = [
        (module.__name__.partition(".")[0], source, cached)
        for module in modules
        if isinstance(source := getattr(module, "__file__", None), str)
        and isinstance(cached := getattr(module, "__cached__", None), str)
        and source.endswith(".py")
        and source.startswith((own, environment))
    ]
    packages: set[str] = set()
    probes = []
    for package, source, cached in found:
        if source.startswith(own) or package not in packages:
            packages.add(package)
            probes.append((source, cached))
    if all(_current(source, cached) for source, cached in probes):
        return 0
    written = 0
    for _, source, cached in found:
        if _current(source, cached):
            continue
        try:
            py_compile.compile(
                source, cached, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP
            )
        except py_compile.PyCompileError:
            continue
        except OSError:
            break
        written += 1
    return written


def _current(source: str, cached: str) -> bool:
    try:
        return os.stat(cached).st_mtime >= os.stat(source).st_mtime
    except OSError:
        return False
