"""Atomic file writes for the report writers (see :mod:`coach.atomic`)."""

from coach.atomic import atomic_path, atomic_write_bytes, atomic_write_text

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]
