"""Errors that reach the user as one line: which file, what is wrong.

Every error raised on purpose inside coach is a :class:`CoachError`. The CLI turns it into
``coach: <file>: <problem>`` on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import os
from typing import Iterable


class CoachError(Exception):
    """A problem the user can act on. ``path`` is the file it concerns, if any."""

    exit_code = 1

    def __init__(self, message: str, path: str | os.PathLike | None = None):
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class AudioError(CoachError):
    """Audio that cannot be read, decoded or is unusable (empty, silent...)."""


class DeviceError(CoachError):
    """No audio device, a vanished device, or PortAudio missing."""


class ModelError(CoachError):
    """A speech or language model that is missing or cannot be loaded."""


class InputError(CoachError):
    """A transcript, data file or other input with the wrong shape."""


class ValidationIssue:
    """One problem found while validating a YAML file: file:line, key, message."""

    __slots__ = ("path", "line", "key", "message")

    def __init__(self, path: str | None, line: int | None, key: str | None, message: str):
        self.path, self.line, self.key, self.message = path, line, key, message

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"ValidationIssue({str(self)!r})"


class ValidationError(CoachError):
    """A rubric or scenario that does not validate. Carries every issue found, not just the first."""

    def __init__(self, issues: Iterable[ValidationIssue], path: str | os.PathLike | None = None):
        self.issues = list(issues)
        first = str(self.issues[0]) if self.issues else "invalid"
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(first + more, None)
        self.path = os.fspath(path) if path is not None else None

    def __str__(self) -> str:
        return self.message

    def lines(self) -> list[str]:
        return [str(i) for i in self.issues]
