"""Shared fixtures. ``SHARED`` is ../shared beside the repository (real speech, domain texts)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: tests need ../shared beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def pulse():
    """A running PulseAudio server; ``pulse.new_sink(hint)`` makes a private null sink (unloaded
    at the end of the session). See tests/pulse.py for routing PortAudio streams to it."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("coach_tests_pulse", Path(__file__).parent / "pulse.py")
    mod = sys.modules.get("coach_tests_pulse") or importlib.util.module_from_spec(spec)
    if "coach_tests_pulse" not in sys.modules:
        sys.modules["coach_tests_pulse"] = mod
        spec.loader.exec_module(mod)
    Pulse, PulseError = mod.Pulse, mod.PulseError
    try:
        p = Pulse()
    except PulseError as exc:
        pytest.fail(f"PulseAudio is needed for device tests: {exc}")
    yield p
    p.close()
