"""Set environment variables for the duration of a block, then restore what was there."""

from __future__ import annotations

import contextlib
import os
from typing import Iterator


@contextlib.contextmanager
def temp_env(**values: str | None) -> Iterator[None]:
    """``with temp_env(PULSE_SINK="x"):`` — a value of None leaves that variable as it is.
    Process-wide: meant for settings read when a library opens a stream or loads a model."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is not None:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
