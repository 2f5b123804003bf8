"""Which of the rubric engine's hot modules run compiled, and a guard against stale builds.

``setup.py`` compiles :data:`MODULES` with Cython when it can (the same Python source; about 15 %
faster scoring) and records each source's hash in ``_compiled.json``. Python imports a compiled
module before its ``.py`` twin, so in an editable install an edited source would be shadowed by
its old build: this module, imported first by ``coach.rubric``, sends the import of any module
whose source no longer matches its build (or every one, with ``COACH_PURE_PYTHON=1``) to the
``.py`` file. Results are the same either way (tests/unit/test_rubric_compiled.py).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path

MODULES = ("normalize", "prefilter", "checks", "engine", "patterns", "gate", "model")
_HERE = Path(__file__).resolve().parent
_PKG = __name__.rpartition(".")[0]


def _built(name: str, here: Path = _HERE) -> bool:
    return any((here / f"{name}{suf}").is_file() for suf in importlib.machinery.EXTENSION_SUFFIXES)


def stale(here: Path = _HERE, pure: bool | None = None) -> list[str]:
    """The modules built but not to be used: their source changed since the build (or all of
    them when ``pure``, default ``COACH_PURE_PYTHON`` set)."""
    built = [m for m in MODULES if _built(m, here)]
    if not built:
        return []
    if pure is None:
        pure = bool(os.environ.get("COACH_PURE_PYTHON"))
    if pure:
        return built
    try:
        stamp = json.loads((here / "_compiled.json").read_text())
    except (OSError, ValueError):
        return built
    out = []
    for m in built:
        try:
            digest = hashlib.sha256((here / f"{m}.py").read_bytes()).hexdigest()
        except OSError:  # an install without sources: only the build is there
            continue
        if stamp.get(m) != digest:
            out.append(m)
    return out


class _SourceFirst:
    """A meta-path finder that imports the named modules from their ``.py`` files."""

    def __init__(self, names: list[str]):
        self.names = {f"{_PKG}.{m}": _HERE / f"{m}.py" for m in names}

    def find_spec(self, fullname, path=None, target=None):
        src = self.names.get(fullname)
        return None if src is None else importlib.util.spec_from_file_location(fullname, src)


def fresh() -> bool:
    """Every hot module built and its build up to date (``make build-ext`` skips the build then)."""
    return all(_built(m) for m in MODULES) and not stale(pure=False)


def in_use() -> list[str]:
    """The hot modules loaded from a compiled build (for the benchmark's figures)."""
    return [m for m in MODULES if (getattr(sys.modules.get(f"{_PKG}.{m}"), "__file__", "") or "").endswith(
        tuple(importlib.machinery.EXTENSION_SUFFIXES))]


_skip = stale()
if _skip:
    sys.meta_path.insert(0, _SourceFirst(_skip))
