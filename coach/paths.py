"""Where coach finds its built-in data and keeps its caches (offline, no hub)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def builtin_dir(name: str) -> Path:
    """Directory of built-in YAML files (``rubrics`` or ``scenarios``) shipped beside the package."""
    for candidate in (PACKAGE_DIR / "data" / name, REPO_DIR / name):
        if candidate.is_dir():
            return candidate
    return REPO_DIR / name


def cache_dir() -> Path:
    """User cache (assembled models...). ``COACH_CACHE_DIR`` overrides it."""
    return Path(os.environ.get("COACH_CACHE_DIR") or user_cache_dir("coach"))


def data_dir() -> Path:
    """User data (history database...). ``COACH_DATA_DIR`` overrides it."""
    return Path(os.environ.get("COACH_DATA_DIR") or user_data_dir("coach"))
