"""Bytecode for the next start, where Python has been told to write none.

Under `PYTHONDONTWRITEBYTECODE=1` (or `python -B`) Python compiles every module it imports and keeps
the result in memory only, so every start compiles pandas again: about 2 s, five times the start-up
itself. Installers compile once instead (pip does by default); uv does only with `compile-bytecode`,
and then re-checks the whole environment at every `uv run` (0.2–0.3 s and a "Bytecode compiled"
line each time, astral-sh/uv#12202). So the command line, after a run, writes the bytecode of what it
imported from its own virtual environment and from sjukmiljard itself, as an installer would. Later
starts find it; checking costs them about 20 .pyc headers (under 1 ms). Where Python writes its own
bytecode, this does nothing.
"""

from __future__ import annotations

import importlib.util
import os
import py_compile
import sys
from collections.abc import Iterable, Iterator, Mapping


def cache_imported() -> int:
    """Write the missing or stale bytecode of the modules imported so far; returns how many files.

    Only in a virtual environment: a system Python's packages are not ours to change."""
    if not sys.dont_write_bytecode or sys.prefix == sys.base_prefix:
        return 0
    return write_bytecode(sys.modules, environment=os.path.join(sys.prefix, ""), package=__package__ or "")


def write_bytecode(modules: Mapping[str, object], *, environment: str, package: str) -> int:
    """Compile the modules (as in `sys.modules`) loaded from source files under `environment` or in
    `package` whose bytecode is missing or out of date.

    First only the top-level modules are checked, as each stands for its package (whose files change
    only when it is reinstalled, which removes its bytecode too), and every module of `package`,
    whose sources are edited. Only when one of those is out of date is every module looked at.
    Stops at the first file it cannot write (a read-only folder).
    """
    roots = [environment]
    own = getattr(modules.get(package), "__file__", None)
    if isinstance(own, str):
        roots.append(os.path.join(os.path.dirname(own), ""))
    first = [name for name in modules if "." not in name or name.startswith(f"{package}.")]
    if all(_current(source, cached) for source, cached in _sources(modules, first, tuple(roots))):
        return 0
    written = 0
    for source, cached in _sources(modules, list(modules), tuple(roots)):
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


def _sources(
    modules: Mapping[str, object], names: Iterable[str], roots: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    """(source, bytecode) of the named modules loaded from a .py file under one of `roots`."""
    for name in names:
        module = modules.get(name)
        source, cached = getattr(module, "__file__", None), getattr(module, "__cached__", None)
        if not (isinstance(source, str) and isinstance(cached, str)):
            continue
        if source.endswith(".py") and source.startswith(roots):
            yield source, cached


def _current(source: str, cached: str) -> bool:
    """What Python's import checks: the magic number, and the source's mtime and size in the header
    (a hash-based .pyc is left to Python)."""
    try:
        stat = os.stat(source)
        with open(cached, "rb") as stream:
            header = stream.read(16)
    except OSError:
        return False
    if len(header) < 16 or header[:4] != importlib.util.MAGIC_NUMBER:
        return False
    if int.from_bytes(header[4:8], "little") & 1:
        return True
    mtime, size = int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF
    return header[8:16] == mtime.to_bytes(4, "little") + size.to_bytes(4, "little")
